//! `pitchlint grade`: score a class of submissions against the rubric and write a gradebook.
//!
//! Submissions are files (directories walked like `check` does) or rows of CSV/JSONL tables.
//! They are graded in parallel, with a progress bar on a terminal for long runs, then sorted by
//! id so that two runs write identical bytes. An unreadable file or a bad row is reported (exit
//! 2) and everything else is still graded; `--fail-under` exits 1 when a score is too low.

mod submissions;

use std::collections::BTreeSet;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use miette::Report;
use rayon::prelude::*;

use super::args::RuleOptions;
use super::check::build_report;
use super::settings::Resolver;
use super::{ExitStatus, print_error, write_stdout};
use crate::grade::Rubric;
use crate::input::{self, Source};
use crate::report::gradebook::{self, GradeFormat, Gradebook, Submission, summary_line};
use crate::rules::{Category, Severity};
use submissions::{Columns, Row, Work};

/// Progress is shown only for classes larger than this, and only on a terminal.
const PROGRESS_AFTER: usize = 20;

/// How the score is computed, shown by `pitchlint grade --help`; the numbers are the defaults.
fn rubric_help() -> String {
    let rubric = Rubric::default();
    let weights: Vec<String> = Category::ALL.iter().map(|c| format!("{} {}", c.as_str(), rubric.weight(*c))).collect();
    let bands: Vec<String> = rubric.bands.iter().map(|(band, min)| format!("{band} >= {min}")).collect();
    format!(
        "\
How the score is computed:
  A category counts only if at least one enabled rule of it runs on the text's profile
  (rules limited to emails do not grade a spoken pitch).
  Each counted category starts at 100 and loses a penalty per finding, down to 0:
    error {}, warning {}, info {}.
  score = sum(weight x category score) / sum(weight) over the counted categories, to one
  decimal; weights: {}.
  Bands: {}, else F. Pass mark: {}.
  Each finding's cost (JSON, HTML) is its penalty, capped by what its category had left,
  times weight / sum(weight). Override any of these in [grade] of pitchlint.toml.

Exit codes: 0 graded; 1 a score below --fail-under; 2 an unreadable file or a bad row
(the rest are still graded).",
        rubric.penalty(Severity::Error),
        rubric.penalty(Severity::Warning),
        rubric.penalty(Severity::Info),
        weights.join(", "),
        bands.join(", "),
        rubric.pass_mark,
    )
}

/// `pitchlint grade`.
#[derive(Debug, Args)]
#[command(after_long_help = rubric_help())]
pub struct GradeArgs {
    /// Submissions: files, directories (walked for .txt, .md, .eml), .csv/.jsonl tables, or -.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A CSV (with a header row) or JSONL table of submissions, one per row; repeatable.
    #[arg(long = "input", value_name = "FILE")]
    pub inputs: Vec<PathBuf>,
    /// Column (CSV) or field (JSONL) holding each submission's text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_column: String,
    /// Column or field naming each submission [default: name, id or student; else the line].
    #[arg(long, value_name = "NAME")]
    pub id_column: Option<String>,
    /// Output format [default: from --output's extension, else table on a terminal, csv when piped].
    #[arg(long, value_enum)]
    pub format: Option<GradeFormat>,
    /// Write the gradebook to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 if any submission scores below SCORE.
    #[arg(long, value_name = "SCORE", value_parser = parse_score)]
    pub fail_under: Option<f64>,
    /// Rule selection, config and profile.
    #[command(flatten)]
    pub rules: RuleOptions,
}

fn parse_score(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(score) if (0.0..=100.0).contains(&score) => Ok(score),
        _ => Err(format!("`{text}` is not a score from 0 to 100")),
    }
}

pub(super) fn run(args: GradeArgs) -> Result<ExitStatus, Report> {
    let format = choose_format(&args)?;
    let resolver = Resolver::new(args.rules.clone());
    let (work, input_errors) = gather(&args)?;
    let mut status = ExitStatus::Success;
    for err in &input_errors {
        print_error(err);
        status = ExitStatus::Error;
    }

    // Only the HTML and JSON gradebooks show the texts and what each finding says; the others
    // keep neither (they count findings and their costs).
    let keep_text = matches!(format, GradeFormat::Html | GradeFormat::Json);
    let bar = progress(work.len());
    let outcomes: Vec<Result<Submission, Report>> = work
        .par_iter()
        .map(|item| {
            let outcome = grade_one(&resolver, item, keep_text);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            outcome
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut graded = Vec::with_capacity(outcomes.len());
    // A bad config file fails every submission under it the same way: say so once.
    let mut reported = BTreeSet::new();
    for outcome in outcomes {
        match outcome {
            Ok(submission) => graded.push(submission),
            Err(report) => {
                if reported.insert(report.to_string()) {
                    print_error(&report);
                }
                status = ExitStatus::Error;
            }
        }
    }

    // An empty class still shows the rubric in force here.
    let fallback = match graded.is_empty().then(|| resolver.for_source(&Source::Stdin(None))) {
        Some(Ok(resolved)) => resolved.rubric.clone(),
        _ => Rubric::default(),
    };
    let book = Gradebook::new(graded, fallback);
    let mut out = Vec::new();
    gradebook::emit(format, &mut out, &book).map_err(|e| miette::miette!("cannot write the gradebook: {e}"))?;
    write_output(args.output.as_deref(), &out)?;
    if format != GradeFormat::Table && io::stderr().is_terminal() {
        let destination = args.output.as_ref().map_or_else(String::new, |p| format!(" · wrote {}", p.display()));
        eprintln!("{}{destination}", summary_line(&book.summary));
    }

    if let Some(threshold) = args.fail_under {
        if book.submissions.iter().any(|s| s.report.grade.score < threshold) {
            status = status.max(ExitStatus::Failure);
        }
    }
    super::leave((resolver, book));
    Ok(status)
}

/// The format asked for, else the one `--output` implies, else table on a terminal and CSV in a
/// pipe. HTML is never written to a terminal.
fn choose_format(args: &GradeArgs) -> Result<GradeFormat, Report> {
    let implied = args.output.as_deref().and_then(format_of);
    let stdout_tty = args.output.is_none() && io::stdout().is_terminal();
    let format = args.format.or(implied).unwrap_or(if stdout_tty { GradeFormat::Table } else { GradeFormat::Csv });
    if format == GradeFormat::Html && stdout_tty {
        return Err(miette::miette!(
            code = "pitchlint::usage",
            help = "e.g. `pitchlint grade class/ --format html --output gradebook.html`",
            "the HTML gradebook is a file to open in a browser: give --output FILE"
        ));
    }
    Ok(format)
}

/// The format a gradebook file's extension asks for.
fn format_of(path: &Path) -> Option<GradeFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "html" | "htm" => Some(GradeFormat::Html),
        "csv" => Some(GradeFormat::Csv),
        "json" => Some(GradeFormat::Json),
        "txt" => Some(GradeFormat::Table),
        _ => None,
    }
}

/// Everything to grade, in input order, and the tables' bad rows.
fn gather(args: &GradeArgs) -> Result<(Vec<Work>, Vec<Report>), Report> {
    let columns = Columns { text: &args.text_column, id: args.id_column.as_deref() };
    let mut tables: Vec<PathBuf> = args.inputs.clone();
    let mut paths = Vec::new();
    for path in &args.paths {
        if submissions::is_table(path) { tables.push(path.clone()) } else { paths.push(path.clone()) }
    }
    if args.paths.is_empty() && args.inputs.is_empty() {
        if io::stdin().is_terminal() {
            return Err(miette::miette!(
                code = "pitchlint::usage",
                help =
                    "e.g. `pitchlint grade submissions/`, or `pitchlint grade --input class.csv --text-column pitch`",
                "no input: give files, a directory, a CSV/JSONL table with --input, or - for standard input"
            ));
        }
        paths.push(PathBuf::from("-"));
    }
    let (sources, expand_errors) = input::expand(&paths, args.rules.stdin_filename.as_deref());
    let mut errors: Vec<Report> = expand_errors.into_iter().map(Report::new).collect();
    let mut work: Vec<Work> = sources.into_iter().map(Work::File).collect();
    for table in &tables {
        let (rows, row_errors) = submissions::read_table(table, &columns);
        work.extend(rows.into_iter().map(Work::Row));
        errors.extend(row_errors);
    }
    Ok((work, errors))
}

fn progress(total: usize) -> Option<ProgressBar> {
    if total <= PROGRESS_AFTER || !io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("grading {bar:40} {pos}/{len} {eta}") {
        bar.set_style(style);
    }
    Some(bar)
}

/// Reads (for files), lints and grades one submission.
fn grade_one(resolver: &Resolver, work: &Work, keep_text: bool) -> Result<Submission, Report> {
    let (source, text, id, origin) = match work {
        Work::File(source) => {
            let text = input::read(source).map_err(Report::new)?;
            (source.clone(), text, source.display(), source.display())
        }
        Work::Row(Row { id, origin, table, text }) => {
            (Source::File(table.clone()), text.clone(), id.clone(), origin.clone())
        }
    };
    let settings = resolver.for_source(&source)?;
    // A row is plain text whatever its table is called; its config is the table's.
    let format_source = if matches!(work, Work::Row(_)) { Source::Stdin(None) } else { source };
    // The report comes graded, by the same linter and rubric.
    let mut report = build_report(&settings, &format_source, text);
    report.path = id.clone();
    if !keep_text {
        report.source = String::new();
        // A class's 100,000 messages and fixes would otherwise be kept to the end, and each
        // core's heap grown page by page to hold them.
        for finding in &mut report.diagnostics {
            finding.message = String::new();
            finding.fix = None;
        }
    }
    Ok(Submission { id, origin, report, settings: Arc::clone(&settings) })
}

fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Report> {
    match path {
        Some(path) => std::fs::write(path, bytes).map_err(|e| {
            miette::miette!(code = "pitchlint::io", "{}: cannot write the gradebook: {e}", path.display())
        }),
        None => write_stdout(bytes).map_err(|e| miette::miette!("cannot write output: {e}")),
    }
}
