//! Versioned JSON: `{"version":1,"files":[…],"summary":{…}}`. Offsets are bytes into the original
//! input; lines and columns are 1-based, columns in characters.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::{EmitContext, FileReport, Tally};
use crate::diagnostic::Diagnostic;

/// The JSON schema version; bumped on any breaking change.
pub const VERSION: u32 = 1;

pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    let tally = Tally::of(files.iter().flat_map(|f| &f.diagnostics));
    let doc = json!({
        "version": VERSION,
        "files": files.iter().map(|f| file_json(f, cx)).collect::<Vec<_>>(),
        "summary": {
            "files": files.len(),
            "errors": tally.errors,
            "warnings": tally.warnings,
            "infos": tally.infos,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn file_json(file: &FileReport, cx: &EmitContext<'_>) -> Value {
    json!({
        "path": file.path,
        "profile": file.profile.as_str(),
        "words": file.words,
        "seconds": file.seconds.round() as u64,
        "score": file.grade.score,
        "band": file.grade.band,
        "diagnostics": file.diagnostics.iter().map(|d| diagnostic_json(file, d, cx)).collect::<Vec<_>>(),
    })
}

/// One finding as JSON (shared by formats that embed findings).
pub fn diagnostic_json(file: &FileReport, d: &Diagnostic, cx: &EmitContext<'_>) -> Value {
    let rule = cx.rule(d);
    let start = file.position(d.span.start);
    let end = file.position(d.span.end);
    json!({
        "code": rule.map(|r| r.code.as_str()),
        "rule": rule.map(|r| r.name.as_str()),
        "category": rule.map(|r| r.category.as_str()),
        "severity": d.severity.as_str(),
        "message": d.message,
        "span": {"offset": d.span.start, "length": d.span.len()},
        "start": {"line": start.line, "column": start.column},
        "end": {"line": end.line, "column": end.column},
        "text": d.span.text(&file.source),
        "help": rule.map(|r| r.help.as_str()),
        "rewrites": d.rewrites,
        "fix": d.fix.as_ref().map(|f| json!({
            "applicability": f.applicability.as_str(),
            "edits": f.edits.iter().map(|e| json!({
                "offset": e.span.start,
                "length": e.span.len(),
                "replacement": e.replacement,
            })).collect::<Vec<_>>(),
        })),
    })
}
