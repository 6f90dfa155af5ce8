//! `path:line:col: severity[CODE] message`, one finding per line, then a summary line.

use std::io::{self, Write};

use rayon::prelude::*;

use super::{EmitContext, FileReport, Tally};

pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    for file in files {
        if file.diagnostics.len() < PARALLEL_FROM {
            let mut text = Vec::new();
            write_lines(&mut text, file, &file.diagnostics, cx);
            out.write_all(&text)?;
            continue;
        }
        // Tens of thousands of findings (a long text) are formatted on every core, in order.
        let chunks: Vec<Vec<u8>> = file
            .diagnostics
            .par_chunks(PARALLEL_FROM)
            .map(|chunk| {
                let mut text = Vec::with_capacity(chunk.len() * 100);
                write_lines(&mut text, file, chunk, cx);
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

/// One line per finding of `diagnostics` (some of `file`'s, in order), appended to `out`:
/// `path:line:col: severity[CODE] message`. Put together by hand rather than by `write!`,
/// and each position found from the one before (see [`crate::span::LineCursor`]): a long text
/// has tens of thousands of findings, and formatting them was most of its output's time.
fn write_lines(
    out: &mut Vec<u8>,
    file: &FileReport,
    diagnostics: &[crate::diagnostic::Diagnostic],
    cx: &EmitContext<'_>,
) {
    let mut positions = file.lines.cursor(&file.source);
    for d in diagnostics {
        let at = positions.line_col(d.span.start);
        let code = cx.rule(d).map_or("", |r| r.code.as_str());
        out.extend_from_slice(file.path.as_bytes());
        out.push(b':');
        push_decimal(out, at.line);
        out.push(b':');
        push_decimal(out, at.column);
        out.extend_from_slice(b": ");
        out.extend_from_slice(d.severity.as_str().as_bytes());
        out.push(b'[');
        out.extend_from_slice(code.as_bytes());
        out.extend_from_slice(b"] ");
        out.extend_from_slice(d.message.as_bytes());
        out.push(b'\n');
    }
}

/// Appends `n` in decimal.
fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        if let Some(slot) = digits.get_mut(at) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(at..).unwrap_or(&[]));
}

#[cfg(test)]
mod tests {
    use super::push_decimal;

    #[test]
    fn numbers_are_written_as_format_writes_them() {
        for n in [0, 7, 9, 10, 99, 100, 12_345, 1_000_000, usize::MAX] {
            let mut out = b"x".to_vec();
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}").into_bytes());
        }
    }
}
