//! `path:line:col: severity[CODE] message`, one finding per line, then a summary line.

use std::io::{self, Write};

use rayon::prelude::*;

use super::{EmitContext, FileReport, Tally};

pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    for file in files {
        if file.diagnostics.len() < PARALLEL_FROM {
            write_lines(out, file, &file.diagnostics, cx)?;
            continue;
        }
        // Tens of thousands of findings (a long text) are formatted on every core, in order.
        let chunks: Vec<Vec<u8>> = file
            .diagnostics
            .par_chunks(PARALLEL_FROM)
            .map(|chunk| {
                let mut text = Vec::with_capacity(chunk.len() * 100);
                // Writing to memory cannot fail.
                let _ = write_lines(&mut text, file, chunk, cx);
                text
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk)?;
        }
    }
    let tally = Tally::of(files.iter().flat_map(|f| &f.diagnostics));
    writeln!(out, "{} in {} file{}", tally.describe(), files.len(), if files.len() == 1 { "" } else { "s" })
}

/// Files with at least this many findings are formatted in parallel, this many at a time.
const PARALLEL_FROM: usize = 2048;

/// One line per finding of `diagnostics` (some of `file`'s).
fn write_lines(
    out: &mut dyn Write,
    file: &FileReport,
    diagnostics: &[crate::diagnostic::Diagnostic],
    cx: &EmitContext<'_>,
) -> io::Result<()> {
    for d in diagnostics {
        let at = file.position(d.span.start);
        let code = cx.rule(d).map_or("", |r| r.code.as_str());
        writeln!(out, "{}:{}:{}: {}[{code}] {}", file.path, at.line, at.column, d.severity.as_str(), d.message)?;
    }
    Ok(())
}
