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
    super::write_pretty_json(out, &ReportJson { files, cx })
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
        serializer.collect_seq(self.file.diagnostics.iter().map(|d| DiagnosticJson { file: self.file, d, cx: self.cx }))
    }
}

/// One finding, written straight to the serializer: a large file's tens of thousands of
/// findings are not each made a tree of maps and copied strings first. Keys in sorted order,
/// as a `serde_json` map orders them, so that [`diagnostic_json`]'s value reads the same.
struct DiagnosticJson<'a, 'b> {
    file: &'a FileReport,
    d: &'a Diagnostic,
    cx: &'a EmitContext<'b>,
}

impl Serialize for DiagnosticJson<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (file, d) = (self.file, self.d);
        let rule = self.cx.rule(d);
        let start = file.position(d.span.start);
        let end = file.position(d.span.end);
        let mut map = serializer.serialize_map(Some(13))?;
        map.serialize_entry("category", &rule.map(|r| r.category.as_str()))?;
        map.serialize_entry("code", &rule.map(|r| r.code.as_str()))?;
        map.serialize_entry("end", &Numbers([("column", end.column), ("line", end.line)]))?;
        map.serialize_entry("fix", &d.fix.as_ref().map(FixJson))?;
        map.serialize_entry("help", &rule.map(|r| r.help.as_str()))?;
        map.serialize_entry("message", &d.message)?;
        map.serialize_entry("rewrites", &*d.rewrites)?;
        map.serialize_entry("rule", &rule.map(|r| r.name.as_str()))?;
        map.serialize_entry("severity", d.severity.as_str())?;
        map.serialize_entry("span", &Numbers([("length", d.span.len()), ("offset", d.span.start)]))?;
        map.serialize_entry("start", &Numbers([("column", start.column), ("line", start.line)]))?;
        map.serialize_entry("text", d.span.text(&file.source))?;
        map.end()
    }
}

/// Two numbers as a map, keys in the order given (sorted by the caller, as a `serde_json` map
/// orders them): `{"column": …, "line": …}`, `{"length": …, "offset": …}`.
struct Numbers([(&'static str, usize); 2]);

impl Serialize for Numbers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A fix: `{"applicability": …, "edits": [{"length", "offset", "replacement"}…]}`.
struct FixJson<'a>(&'a crate::diagnostic::Fix);

impl Serialize for FixJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("applicability", self.0.applicability.as_str())?;
        map.serialize_entry("edits", &EditsJson(&self.0.edits))?;
        map.end()
    }
}

struct EditsJson<'a>(&'a [crate::diagnostic::Edit]);

impl Serialize for EditsJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(EditJson))
    }
}

struct EditJson<'a>(&'a crate::diagnostic::Edit);

impl Serialize for EditJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("length", &self.0.span.len())?;
        map.serialize_entry("offset", &self.0.span.start)?;
        map.serialize_entry("replacement", &self.0.replacement)?;
        map.end()
    }
}

/// One finding as JSON (shared by formats that embed findings): what [`DiagnosticJson`]
/// writes, as a value.
pub fn diagnostic_json(file: &FileReport, d: &Diagnostic, cx: &EmitContext<'_>) -> Value {
    // Only strings, numbers and maps: serializing to a value cannot fail.
    serde_json::to_value(DiagnosticJson { file, d, cx }).unwrap_or_default()
}
