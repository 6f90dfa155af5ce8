//! `grade --format table`: one aligned line per submission, then the class summary. Plain text
//! with no colour, so a terminal, a pipe and a snapshot see the same bytes.

use std::io::{self, Write};

use super::{Gradebook, one_decimal, short_label, summary_line};
use crate::rules::Category;

/// Most common findings listed under the table.
const TOP_FINDINGS: usize = 5;

pub(super) fn emit(out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    let id_width = book.submissions.iter().map(|s| s.id.chars().count()).max().unwrap_or(0).max(2);
    write!(out, "{:<id_width$}  SCORE  BAND  PASS  WORDS  SECS", "ID")?;
    for category in Category::ALL {
        write!(out, " {:>4}", short_label(category))?;
    }
    writeln!(out, "  FINDINGS")?;
    for submission in &book.submissions {
        let report = &submission.report;
        let grade = &report.grade;
        write!(
            out,
            "{:<id_width$}  {:>5}  {:<4}  {:<4}  {:>5}  {:>4}",
            submission.id,
            one_decimal(grade.score),
            grade.band,
            if grade.pass { "yes" } else { "no" },
            report.words,
            report.seconds.round(),
        )?;
        for category in Category::ALL {
            let cell = grade.categories.get(&category).map_or_else(|| "-".to_owned(), |s| format!("{}", s.round()));
            write!(out, " {cell:>4}")?;
        }
        writeln!(out, "  {:>8}", report.diagnostics.len())?;
    }
    writeln!(out)?;
    summary(out, book)
}

fn summary(out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    let summary = &book.summary;
    writeln!(out, "{}", summary_line(summary))?;
    if summary.count == 0 {
        return Ok(());
    }
    let bands: Vec<String> = summary.bands.iter().map(|(band, n)| format!("{band} {n}")).collect();
    writeln!(out, "bands: {}  (pass mark {})", bands.join(" · "), one_decimal(book.rubric.pass_mark))?;
    let categories: Vec<String> = Category::ALL
        .iter()
        .map(|c| match summary.categories.get(c) {
            Some(stats) => format!("{} {}", c.as_str(), one_decimal(stats.mean)),
            None => format!("{} -", c.as_str()),
        })
        .collect();
    writeln!(out, "category means: {}", categories.join(" · "))?;
    if summary.findings.is_empty() {
        return writeln!(out, "most common findings: none");
    }
    writeln!(out, "most common findings:")?;
    let name_width = summary.findings.iter().take(TOP_FINDINGS).map(|f| f.name.chars().count()).max().unwrap_or(0);
    for finding in summary.findings.iter().take(TOP_FINDINGS) {
        writeln!(
            out,
            "  {:<7} {:<name_width$}  in {} of {} ({} findings, {} points lost)",
            finding.code,
            finding.name,
            finding.documents,
            summary.count,
            finding.count,
            one_decimal(finding.points),
        )?;
    }
    Ok(())
}
