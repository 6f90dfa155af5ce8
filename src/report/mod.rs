//! Output formats. Each format is one file and a pure function of the same data: the files that
//! were checked, their findings and the rules. Nothing here decides what is a finding.

mod ci;
mod concise;
pub mod gradebook;
mod human;
mod json;

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;
use crate::grade::Grade;
use crate::rules::{Rule, RuleSet, Severity};
use crate::span::LineCol;
use crate::text::Profile;

pub use human::HumanOptions;

/// `check --format`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum OutputFormat {
    /// Friendly, annotated source snippets.
    #[default]
    Human,
    /// One line per finding: `path:line:col: CODE message`.
    Concise,
    /// Versioned JSON (see README).
    Json,
}

/// One checked file with its findings.
#[derive(Debug)]
pub struct FileReport {
    /// Name shown in output.
    pub path: String,
    /// The original text.
    pub source: String,
    /// The profile the file was checked under.
    pub profile: Profile,
    /// Words linted.
    pub words: usize,
    /// Speaking time at the configured rate, in seconds.
    pub seconds: f64,
    /// Speaking rate used.
    pub words_per_minute: u32,
    /// The grade of the findings.
    pub grade: Grade,
    /// Findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Line index for positions.
    pub lines: crate::span::LineIndex,
}

impl FileReport {
    /// 1-based line/column of a byte offset.
    pub fn position(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.source, offset)
    }
}

/// Counts by severity.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

impl Tally {
    /// Counts the findings of the given files.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut tally = Self::default();
        for d in diagnostics {
            match d.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
                Severity::Info => tally.infos += 1,
            }
        }
        tally
    }

    /// Total findings.
    pub fn total(self) -> usize {
        self.errors + self.warnings + self.infos
    }

    /// "3 findings (1 error, 2 warnings)".
    pub fn describe(self) -> String {
        let total = self.total();
        if total == 0 {
            return "no findings".to_owned();
        }
        let mut parts = Vec::new();
        for (n, one, many) in
            [(self.errors, "error", "errors"), (self.warnings, "warning", "warnings"), (self.infos, "info", "infos")]
        {
            if n > 0 {
                parts.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        }
        format!("{total} finding{} ({})", if total == 1 { "" } else { "s" }, parts.join(", "))
    }
}

/// What every format needs besides the files.
pub struct EmitContext<'a> {
    /// The rules the findings refer to.
    pub rules: &'a RuleSet,
    /// Human-format options.
    pub human: HumanOptions,
    /// Print per-rule counts after the findings.
    pub statistics: bool,
}

impl EmitContext<'_> {
    /// The rule a finding refers to.
    pub fn rule(&self, d: &Diagnostic) -> Option<&Rule> {
        self.rules.get(d.rule)
    }
}

/// Writes the report in `format`.
///
/// # Errors
/// Only I/O errors from `out`.
pub fn emit(format: OutputFormat, out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::emit(out, files, cx)?,
        OutputFormat::Concise => concise::emit(out, files, cx)?,
        OutputFormat::Json => json::emit(out, files, cx)?,
    }
    if cx.statistics && format != OutputFormat::Json {
        statistics(out, files, cx)?;
    }
    Ok(())
}

/// Writes a CI format (SARIF, GitHub annotations, JUnit).
///
/// # Errors
/// Only I/O errors from `out`.
pub fn emit_ci(
    format: crate::cli::args::CheckFormat,
    out: &mut dyn Write,
    files: &[FileReport],
    cx: &EmitContext<'_>,
) -> io::Result<()> {
    use crate::cli::args::CheckFormat;
    match format {
        CheckFormat::Sarif => ci::sarif(out, files, cx),
        CheckFormat::Github => ci::github(out, files, cx),
        CheckFormat::Junit => ci::junit(out, files, cx),
        CheckFormat::Human => emit(OutputFormat::Human, out, files, cx),
        CheckFormat::Concise => emit(OutputFormat::Concise, out, files, cx),
        CheckFormat::Json => emit(OutputFormat::Json, out, files, cx),
    }
}

/// Per-rule counts, most frequent first, then by code.
pub fn statistics(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    let mut counts: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    for d in files.iter().flat_map(|f| &f.diagnostics) {
        *counts.entry(d.rule).or_insert(0) += 1;
    }
    let mut rows: Vec<(usize, &Rule)> = counts.iter().filter_map(|(i, n)| cx.rules.get(*i).map(|r| (*n, r))).collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.code.cmp(&b.1.code)));
    for (n, rule) in rows {
        writeln!(out, "{n:>5}  {:<7} {}", rule.code, rule.name)?;
    }
    Ok(())
}

/// Writes `value` as pretty JSON and a newline. The serializer writes a few bytes at a time (a
/// key, a colon, an indent): into a buffer of its own type those writes are copies the
/// compiler sees, where each through `dyn Write` was a call (a long text's 30,000 findings make
/// millions of them; JSON of 10 MiB took 206 ms, now 175).
pub(crate) fn write_pretty_json(out: &mut dyn Write, value: &impl serde::Serialize) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    serde_json::to_writer_pretty(&mut buffered, value)?;
    writeln!(buffered)?;
    buffered.flush()
}
