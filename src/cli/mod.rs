//! The command line: parse, dispatch, map outcomes to exit codes. Errors are rendered with miette
//! on standard error; findings go to standard output.

pub mod args;
mod check;
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
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
