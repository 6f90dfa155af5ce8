//! `pitchlint grade`: score every file against the rubric.

use std::path::PathBuf;

use clap::Args;
use miette::Report;

use super::args::RuleOptions;
use super::check::build_report;
use super::settings::Resolver;
use super::{ExitStatus, print_error, write_stdout};
use crate::input::{self};

/// `pitchlint grade`.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Files or directories of submissions.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Rule selection, config and profile.
    #[command(flatten)]
    pub rules: RuleOptions,
}

pub(super) fn run(args: GradeArgs) -> Result<ExitStatus, Report> {
    let resolver = Resolver::new(args.rules.clone());
    let (sources, errors) = input::expand(&args.paths, None);
    let mut status = ExitStatus::Success;
    for err in errors {
        print_error(&Report::new(err));
        status = ExitStatus::Error;
    }
    let mut out = String::from("path,score,band,pass\n");
    for source in &sources {
        let resolved = resolver.for_source(source)?;
        match input::read(source) {
            Ok(text) => {
                let report = build_report(&resolved, source, text);
                out.push_str(&format!(
                    "{},{},{},{}\n",
                    report.path, report.grade.score, report.grade.band, report.grade.pass
                ));
            }
            Err(err) => {
                print_error(&Report::new(err));
                status = ExitStatus::Error;
            }
        }
    }
    write_stdout(out.as_bytes()).map_err(|e| miette::miette!("cannot write output: {e}"))?;
    Ok(status)
}
