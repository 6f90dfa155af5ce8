//! `path:line:col: severity[CODE] message`, one finding per line, then a summary line.

use std::io::{self, Write};

use super::{EmitContext, FileReport, Tally};

pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    for file in files {
        for d in &file.diagnostics {
            let at = file.position(d.span.start);
            let code = cx.rule(d).map_or("", |r| r.code.as_str());
            writeln!(out, "{}:{}:{}: {}[{code}] {}", file.path, at.line, at.column, d.severity.as_str(), d.message)?;
        }
    }
    let tally = Tally::of(files.iter().flat_map(|f| &f.diagnostics));
    writeln!(out, "{} in {} file{}", tally.describe(), files.len(), if files.len() == 1 { "" } else { "s" })
}
