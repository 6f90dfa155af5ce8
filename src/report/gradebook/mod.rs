//! The gradebook `pitchlint grade` writes: every submission's grade, the findings behind every
//! lost point, and a class summary, as a table, CSV, JSON or a self-contained HTML page.
//!
//! Each format is a pure function of a [`Gradebook`]. Determinism: submissions are sorted by id
//! (numbers inside ids compare as numbers, so `s2` comes before `s10`), every score is printed
//! with one decimal, and nothing depends on time, thread scheduling or hash order.

mod chart;
mod csv;
mod highlight;
mod html;
mod json;
mod table;

use std::cmp::Ordering;
use std::io::{self, Write};
use std::sync::Arc;

use rayon::slice::ParallelSliceMut;

use crate::cli::settings::Resolved;
use crate::grade::{ClassSummary, Cost, Graded, Rubric};
use crate::rules::{Category, Rule, RuleSet};

use super::FileReport;

/// `grade --format`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum GradeFormat {
    /// Aligned columns and a summary block.
    Table,
    /// One row per submission.
    Csv,
    /// Everything, versioned.
    Json,
    /// One self-contained, printable page.
    Html,
}

/// One graded submission.
#[derive(Debug)]
pub struct Submission {
    /// What the trainer sees: the path, or the row's id.
    pub id: String,
    /// Where it came from: the path, or `table.csv:14`.
    pub origin: String,
    /// The findings and the grade (`report.grade.costs` lines up with `report.diagnostics`).
    pub report: FileReport,
    /// The settings it was graded with.
    pub settings: Arc<Resolved>,
}

impl Submission {
    /// The rules its findings refer to.
    pub fn rules(&self) -> &RuleSet {
        self.settings.linter.rules()
    }

    /// Each finding with its rule and what it cost, in text order.
    pub fn findings(&self) -> impl Iterator<Item = (&crate::diagnostic::Diagnostic, Option<&Rule>, Cost)> {
        let rules = self.rules();
        let zero = Cost { category: None, category_points: 0.0, points: 0.0 };
        self.report
            .diagnostics
            .iter()
            .enumerate()
            .map(move |(i, d)| (d, rules.get(d.rule), self.report.grade.costs.get(i).copied().unwrap_or(zero)))
    }
}

/// A graded class.
#[derive(Debug)]
pub struct Gradebook {
    /// Submissions, sorted by id.
    pub submissions: Vec<Submission>,
    /// The class picture.
    pub summary: ClassSummary,
    /// The rubric shown in the header: the first submission's (they share one unless files sit
    /// under different config files).
    pub rubric: Rubric,
}

impl Gradebook {
    /// Sorts the submissions and summarises them; `fallback` is the rubric of an empty class.
    pub fn new(mut submissions: Vec<Submission>, fallback: Rubric) -> Self {
        // The order of `compare_ids` on the ids, then on the origins; each key is worked out
        // once (on all cores), not at every comparison.
        submissions.par_sort_by_cached_key(|s| (id_key(&s.id), s.id.clone(), id_key(&s.origin), s.origin.clone()));
        let rubric = submissions.first().map_or(fallback, |s| s.settings.rubric.clone());
        let summary = ClassSummary::of(
            submissions.iter().map(|s| Graded {
                grade: &s.report.grade,
                diagnostics: &s.report.diagnostics,
                rules: s.rules(),
            }),
            &rubric,
        );
        Self { submissions, summary, rubric }
    }
}

/// Writes the gradebook in `format`.
///
/// # Errors
/// Only I/O errors from `out`.
pub fn emit(format: GradeFormat, out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    match format {
        GradeFormat::Table => table::emit(out, book),
        GradeFormat::Csv => csv::emit(out, book),
        GradeFormat::Json => json::emit(out, book),
        GradeFormat::Html => html::emit(out, book),
    }
}

/// The class summary in one line: "12 submissions · mean 64.2 · median 61.5 · passed 5 (41.7%)".
pub fn summary_line(summary: &ClassSummary) -> String {
    let plural = if summary.count == 1 { "" } else { "s" };
    if summary.count == 0 {
        return "0 submissions".to_owned();
    }
    format!(
        "{} submission{plural} · mean {} · median {} · min {} · max {} · passed {} ({}%)",
        summary.count,
        one_decimal(summary.mean),
        one_decimal(summary.median),
        one_decimal(summary.min),
        one_decimal(summary.max),
        summary.passed,
        one_decimal(summary.pass_rate()),
    )
}

/// A number with exactly one decimal, the way every score is shown.
pub fn one_decimal(value: f64) -> String {
    let rounded = crate::grade::round1(value);
    // `-0.0` would print as "-0.0".
    format!("{:.1}", if rounded == 0.0 { 0.0 } else { rounded })
}

/// The short column label of a category (its code prefix).
pub fn short_label(category: Category) -> &'static str {
    category.prefix()
}

/// Orders ids the way a person reads them: runs of digits compare as numbers, letters ignore
/// case; ids that still tie compare byte by byte, so the order is total.
pub fn compare_ids(a: &str, b: &str) -> Ordering {
    id_key(a).cmp(&id_key(b)).then_with(|| a.cmp(b))
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum IdPart {
    /// A run of digits: (significant length, digits without leading zeros).
    Number(usize, String),
    /// A run of anything else, lower-cased.
    Text(String),
}

fn id_key(id: &str) -> Vec<IdPart> {
    let mut parts = Vec::new();
    let mut rest = id;
    while let Some(first) = rest.chars().next() {
        let digits = first.is_ascii_digit();
        let end = rest.find(|c: char| c.is_ascii_digit() != digits).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        parts.push(if digits {
            let significant = run.trim_start_matches('0');
            IdPart::Number(significant.len(), significant.to_owned())
        } else {
            IdPart::Text(run.to_lowercase())
        });
        rest = tail;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_sort_with_numbers_as_numbers_and_letters_ignoring_case() {
        let mut ids = vec!["s10", "S2", "s1", "b", "a", "s02", "s2", "10", "9"];
        ids.sort_by(|a, b| compare_ids(a, b));
        assert_eq!(ids, ["9", "10", "a", "b", "s1", "S2", "s02", "s2", "s10"]);
    }

    #[test]
    fn one_decimal_never_prints_negative_zero() {
        assert_eq!(one_decimal(-0.01), "0.0");
        assert_eq!(one_decimal(72.25), "72.3");
        assert_eq!(one_decimal(100.0), "100.0");
    }
}
