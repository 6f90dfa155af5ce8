//! The command line: parse, dispatch, map outcomes to exit codes. Errors are rendered with miette
//! on standard error; findings go to standard output. A closed standard output (`| head`) ends
//! the output quietly. A panic, which is always a bug, is reported in two lines and exits 2 with
//! no backtrace, after removing any temporary file `--fix` was writing.

pub mod args;
pub mod check;
pub mod eval;
pub mod grade;
mod meta;
pub mod settings;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// How a run ended.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Nothing at or above the threshold.
    Success,
    /// Findings at or above the threshold.
    Failure,
    /// Usage, config, rule-file or I/O error.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => Self::SUCCESS,
            ExitStatus::Failure => Self::from(1),
            ExitStatus::Error => Self::from(2),
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let code = if err.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
            let _ = err.print();
            return code;
        }
    };
    run(cli).into()
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitStatus {
    let result = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Grade(args) => grade::run(args),
        Command::Rules(args) => meta::rules(&args),
        Command::Explain(args) => meta::explain(&args),
        Command::TestRules(args) => meta::test_rules(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Init(args) => meta::init(&args),
        Command::Completions(args) => meta::completions(&args),
    };
    match result {
        Ok(status) => status,
        Err(report) => {
            print_error(&report);
            ExitStatus::Error
        }
    }
}

/// Leaves `value` for the end of the process instead of freeing it piece by piece: a command
/// calls this on what it built (compiled patterns, reports) just before it returns, when the
/// operating system is about to take all of the memory back at once.
fn leave<T>(value: T) {
    std::mem::forget(value);
}

/// The last line of defence: a panic is a bug, so say so briefly (no backtrace), leave no
/// temporary file behind and exit 2 at once, from whichever thread panicked.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    crate::fix::remove_pending_temp_files();
    let message = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown cause".to_owned());
    let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    let text = format!(
        "error: pitchlint hit an internal error and stopped ({message}{place}).\n\
         This is a bug; please report it with the command and, if you can, the input. No file was left half-written.\n"
    );
    let _ = io::stderr().write_all(text.as_bytes());
    std::process::exit(2);
}

/// On Ctrl-C, `SIGTERM` or `SIGHUP` while `--fix` may be writing: remove the temporary files
/// being written (the files they were to replace are untouched) and exit 130.
pub(crate) fn clean_up_on_interrupt() {
    // Fails only if a handler is already installed, which is then this one.
    let _ = ctrlc::set_handler(|| {
        crate::fix::remove_pending_temp_files();
        let _ = io::stderr().write_all(b"pitchlint: interrupted; no file was left half-written\n");
        std::process::exit(130);
    });
}

/// Prints an error report on standard error (no colour unless stderr is a terminal).
pub fn print_error(report: &miette::Report) {
    let color = io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color { miette::GraphicalTheme::unicode() } else { miette::GraphicalTheme::unicode_nocolor() };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("error: {report}\n");
    }
    let _ = io::stderr().write_all(out.as_bytes());
}

/// Writes to stdout, treating a closed pipe (`| head`) as a quiet success.
pub(crate) fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    stream_stdout(|out| out.write_all(bytes))
}

/// Streams output to stdout through a buffer (a report need not be held whole in memory),
/// treating a closed pipe (`| head`) as a quiet success: writing stops at the first failure.
pub(crate) fn stream_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
