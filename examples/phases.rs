//! Times the phases of checking one file inside one process, many times over, and prints the
//! fastest, the first quartile and the median of each:
//!
//! ```text
//! RAYON_NUM_THREADS=1 cargo run --release --example phases -- FILE [RUNS] [CODES]
//! parse   the text split into regions, sentences and words
//! scan    the pattern set's pass over the text (which rules run, their candidates)
//! rules   the rules run on the parsed document with those candidates, findings sorted
//! ```
//!
//! `CODES` (comma-separated, such as `CL007,LEN004`) runs only those rules. Each run parses the
//! file afresh, so that what a document learns of its sentences in one run is not reused.
//!
//! Whole-process timings on a shared virtual machine drift by 10–20% within minutes, which
//! hides a change of a few per cent; the fastest of many runs in one process moves far less
//! (a few per cent between series), so two builds run in turns compare well by it. Run with
//! one thread to compare the work itself rather than how it is shared out.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use pitchlint::engine::{LintOptions, Linter};
use pitchlint::rules::RuleSet;
use pitchlint::text::{Document, InputFormat, Profile};

// The binary's allocator, so that the phases pay for memory as the binary does: with the
// system's, each run's large blocks are fresh 4 KiB pages, a fault each, and the parse of
// 10 MiB took 82-85 ms against 72-76 with this one (fastest of 10, two series).
#[cfg(target_os = "linux")]
#[path = "../src/huge_pages.rs"]
mod huge_pages;

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: phases FILE [RUNS] [CODES]");
        return ExitCode::from(2);
    };
    let runs = args.next().and_then(|n| n.parse::<usize>().ok()).unwrap_or(20).max(1);
    let only = args.next();
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("{path}: {error}");
            return ExitCode::from(2);
        }
    };
    let rules = match RuleSet::builtin() {
        Ok(rules) => Arc::new(rules),
        Err(error) => {
            eprintln!("the built-in rules: {error:?}");
            return ExitCode::from(2);
        }
    };
    let enabled: Vec<usize> = match &only {
        Some(codes) => {
            let codes: Vec<&str> = codes.split(',').collect();
            rules.rules().iter().enumerate().filter(|(_, r)| codes.contains(&r.code.as_str())).map(|(i, _)| i).collect()
        }
        None => (0..rules.len()).collect(),
    };
    let linter = Linter::new(rules, enabled, LintOptions::default());
    // Read as `check` reads the file: Markdown for `.md`, an e-mail for `.eml`.
    let format = InputFormat::from_path(std::path::Path::new(&path));
    // A first check compiles what the text needs; it is not timed.
    let findings = linter.check(&Document::parse(&source, format, Profile::Auto)).len();
    let (mut parse, mut scan, mut rules) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let doc = Document::parse(&source, format, Profile::Auto);
        parse.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let scanned = linter.scan(doc.source(), doc.regions(), doc.profile());
        scan.push(started.elapsed().as_secs_f64());
        let started = Instant::now();
        let found = linter.check_scanned(&doc, scanned).len();
        rules.push(started.elapsed().as_secs_f64());
        if found != findings {
            eprintln!("a run found {found} findings, the first {findings}");
            return ExitCode::FAILURE;
        }
    }
    println!("{path}: {} bytes, {findings} findings, {runs} runs (ms: fastest, first quartile, median)", source.len());
    for (name, times) in [("parse", &mut parse), ("scan", &mut scan), ("rules", &mut rules)] {
        times.sort_by(f64::total_cmp);
        let at =
            |fraction: f64| times.get((fraction * (times.len() - 1) as f64) as usize).copied().unwrap_or(0.0) * 1e3;
        println!("{name:<6} {:9.3} {:9.3} {:9.3}", at(0.0), at(0.25), at(0.5));
    }
    ExitCode::SUCCESS
}
