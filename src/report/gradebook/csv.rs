//! `grade --format csv`: a header, then one row per submission, for a spreadsheet. Fields are
//! quoted only when they must be (RFC 4180); a category that does not apply to a submission is an
//! empty cell, so a spreadsheet's averages skip it.

use std::io::{self, Write};

use rayon::prelude::*;

use super::{Gradebook, Submission, one_decimal};
use crate::rules::Category;

pub(super) fn emit(out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    let mut header: Vec<&str> = vec!["id", "score", "band", "pass", "profile", "words", "seconds"];
    header.extend(Category::ALL.iter().map(|c| c.as_str()));
    header.push("findings");
    let mut head = csv_writer(&mut *out);
    head.write_record(&header)?;
    head.flush()?;
    drop(head);
    // Rows are written apart from each other, so a class's rows are rendered on all cores, a
    // block each, and the blocks written in order.
    let blocks: Vec<io::Result<Vec<u8>>> = book
        .submissions
        .par_chunks(ROWS_PER_BLOCK)
        .map(|block| {
            let mut writer = csv_writer(Vec::new());
            for submission in block {
                write_row(&mut writer, submission)?;
            }
            writer.into_inner().map_err(|e| e.into_error())
        })
        .collect();
    for block in blocks {
        out.write_all(block?.as_slice())?;
    }
    out.flush()
}

/// Submissions rendered together on one core.
const ROWS_PER_BLOCK: usize = 256;

fn csv_writer<W: Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new().terminator(::csv::Terminator::Any(b'\n')).from_writer(out)
}

fn write_row<W: Write>(writer: &mut ::csv::Writer<W>, submission: &Submission) -> io::Result<()> {
    let report = &submission.report;
    let grade = &report.grade;
    writer.write_field(&submission.id)?;
    writer.write_field(one_decimal(grade.score))?;
    writer.write_field(&grade.band)?;
    writer.write_field(if grade.pass { "true" } else { "false" })?;
    writer.write_field(report.profile.as_str())?;
    writer.write_field(report.words.to_string())?;
    writer.write_field(one_decimal(report.seconds))?;
    for category in &Category::ALL {
        match grade.categories.get(category) {
            Some(score) => writer.write_field(one_decimal(*score))?,
            None => writer.write_field("")?,
        }
    }
    writer.write_field(report.diagnostics.len().to_string())?;
    writer.write_record(None::<&[u8]>)?;
    Ok(())
}
