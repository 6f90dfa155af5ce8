//! `grade --format csv`: a header, then one row per submission, for a spreadsheet. Fields are
//! quoted only when they must be (RFC 4180); a category that does not apply to a submission is an
//! empty cell, so a spreadsheet's averages skip it.

use std::io::{self, Write};

use super::{Gradebook, one_decimal};
use crate::rules::Category;

pub(super) fn emit(out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    let mut writer = ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out);
    let mut header: Vec<&str> = vec!["id", "score", "band", "pass", "profile", "words", "seconds"];
    header.extend(Category::ALL.iter().map(|c| c.as_str()));
    header.push("findings");
    writer.write_record(&header)?;
    for submission in &book.submissions {
        let report = &submission.report;
        let grade = &report.grade;
        let mut row: Vec<String> = vec![
            submission.id.clone(),
            one_decimal(grade.score),
            grade.band.clone(),
            grade.pass.to_string(),
            report.profile.as_str().to_owned(),
            report.words.to_string(),
            one_decimal(report.seconds),
        ];
        row.extend(Category::ALL.iter().map(|c| grade.categories.get(c).map_or_else(String::new, |s| one_decimal(*s))));
        row.push(report.diagnostics.len().to_string());
        writer.write_record(&row)?;
    }
    writer.flush()
}
