//! Versioned JSON: `{"version":1,"files":[…],"summary":{…}}`. Offsets are bytes into the original
//! input; lines and columns are 1-based, columns in characters.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{EmitContext, FileReport, Tally};
use crate::diagnostic::Diagnostic;

/// The JSON schema version; bumped on any breaking change.
pub const VERSION: u32 = 1;

/// Streams the report: one finding's value at a time is built and written, so memory does not
/// grow with a tree of the whole report (hundreds of thousands of findings in a 35 MB file).
/// Keys are written in sorted order, as a `serde_json` map orders them.
pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &ReportJson { files, cx })?;
    writeln!(out)
}

struct ReportJson<'a, 'b> {
    files: &'a [FileReport],
    cx: &'a EmitContext<'b>,
}

impl Serialize for ReportJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let tally = Tally::of(self.files.iter().flat_map(|f| &f.diagnostics));
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("files", &FilesJson { files: self.files, cx: self.cx })?;
        let summary = json!({
            "files": self.files.len(),
            "errors": tally.errors,
            "warnings": tally.warnings,
            "infos": tally.infos,
        });
        map.serialize_entry("summary", &summary)?;
        map.serialize_entry("version", &VERSION)?;
        map.end()
    }
}

struct FilesJson<'a, 'b> {
    files: &'a [FileReport],
    cx: &'a EmitContext<'b>,
}

impl Serialize for FilesJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.files.iter().map(|file| FileJson { file, cx: self.cx }))
    }
}

struct FileJson<'a, 'b> {
    file: &'a FileReport,
    cx: &'a EmitContext<'b>,
}

impl Serialize for FileJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let file = self.file;
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("band", &file.grade.band)?;
        map.serialize_entry("diagnostics", &DiagnosticsJson { file, cx: self.cx })?;
        map.serialize_entry("path", &file.path)?;
        map.serialize_entry("profile", file.profile.as_str())?;
        map.serialize_entry("score", &json!(file.grade.score))?;
        map.serialize_entry("seconds", &(file.seconds.round() as u64))?;
        map.serialize_entry("words", &file.words)?;
        map.end()
    }
}

struct DiagnosticsJson<'a, 'b> {
    file: &'a FileReport,
    cx: &'a EmitContext<'b>,
}

impl Serialize for DiagnosticsJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.file.diagnostics.iter().map(|d| diagnostic_json(self.file, d, self.cx)))
    }
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
