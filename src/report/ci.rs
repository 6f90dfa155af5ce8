//! Machine formats for CI: SARIF 2.1.0, GitHub Actions workflow commands, JUnit XML.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::json;

use super::{EmitContext, FileReport};
use crate::rules::Severity;

/// The SARIF 2.1.0 schema the output conforms to.
const SARIF_SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// SARIF 2.1.0: one run; every rule that fired in `tool.driver.rules` (every rule when none
/// did), each result pointing at it by `ruleIndex`. Columns count Unicode scalar values
/// (`columnKind`), and offsets are bytes (`byteOffset`/`byteLength`, never `charOffset`, which
/// counts characters). Each result carries its text as `region.snippet`.
pub(super) fn sarif(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    let used: BTreeSet<usize> = files.iter().flat_map(|f| f.diagnostics.iter().map(|d| d.rule)).collect();
    let indices: Vec<usize> =
        cx.rules.rules().iter().enumerate().map(|(i, _)| i).filter(|i| used.contains(i) || used.is_empty()).collect();
    let rules: Vec<_> = indices
        .iter()
        .filter_map(|i| cx.rules.get(*i))
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.help},
                "fullDescription": {"text": r.rationale},
                "help": {"text": r.help, "markdown": r.rationale},
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"category": r.category.as_str(), "kind": r.kind.as_str(), "tags": [r.category.as_str()]},
            })
        })
        .collect();
    let results: Vec<_> = files
        .iter()
        .flat_map(|file| file.diagnostics.iter().map(move |d| (file, d)))
        .filter_map(|(file, d)| {
            let rule = cx.rule(d)?;
            let rule_index = indices.iter().position(|i| *i == d.rule)?;
            let start = file.position(d.span.start);
            let end = file.position(d.span.end);
            Some(json!({
                "ruleId": rule.code,
                "ruleIndex": rule_index,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&file.path)},
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                            "byteOffset": d.span.start,
                            "byteLength": d.span.len(),
                            "snippet": {"text": d.span.text(&file.source)},
                        },
                    },
                }],
            }))
        })
        .collect();
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pitchlint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/pitchlint",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    super::write_pretty_json(out, &doc)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as an RFC 3986 URI reference: relative paths stay relative (code scanning resolves them
/// against the checkout), absolute ones become `file://` URIs; anything outside the unreserved
/// set and `/` is percent-encoded, byte by byte.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let drive = path.as_bytes().get(1) == Some(&b':') && path.as_bytes().first().is_some_and(u8::is_ascii_alphabetic);
    let mut out = String::with_capacity(path.len() + 8);
    if path.starts_with('/') {
        out.push_str("file://");
    } else if drive {
        out.push_str("file:///");
    }
    for (i, byte) in path.bytes().enumerate() {
        let keep =
            byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') || (drive && i == 1);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`.
pub(super) fn github(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    for file in files {
        for d in &file.diagnostics {
            let Some(rule) = cx.rule(d) else { continue };
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let start = file.position(d.span.start);
            let end = file.position(d.span.end);
            let mut location = format!("file={},line={},", escape_property(&file.path), start.line);
            if start.line == end.line {
                location.push_str(&format!("col={},endColumn={},", start.column, end.column));
            } else {
                location.push_str(&format!("endLine={},", end.line));
            }
            writeln!(
                out,
                "::{command} {location}title={}::{}",
                escape_property(&format!("{} {}", rule.code, rule.name)),
                escape_data(&format!("{} ({})", d.message, rule.help))
            )?;
        }
    }
    Ok(())
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// JUnit XML: one test suite, one test case per file, one failure per finding.
pub(super) fn junit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    let failures = files.iter().filter(|f| !f.diagnostics.is_empty()).count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<testsuites name="pitchlint" tests="{}" failures="{failures}">"#, files.len())?;
    writeln!(out, r#"  <testsuite name="pitchlint" tests="{}" failures="{failures}" errors="0">"#, files.len())?;
    for file in files {
        let name = xml(&file.path);
        if file.diagnostics.is_empty() {
            writeln!(out, r#"    <testcase name="{name}" classname="pitchlint"/>"#)?;
            continue;
        }
        writeln!(out, r#"    <testcase name="{name}" classname="pitchlint">"#)?;
        for d in &file.diagnostics {
            let code = cx.rule(d).map_or("", |r| r.code.as_str());
            let at = file.position(d.span.start);
            writeln!(
                out,
                r#"      <failure type="{code}" message="{}">{}:{}:{}: {} {}</failure>"#,
                xml(&d.message),
                name,
                at.line,
                at.column,
                code,
                xml(&d.message)
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("drafts/intro 2.eml"), "drafts/intro%202.eml");
        assert_eq!(uri("drafts\\café.md"), "drafts/caf%C3%A9.md");
        assert_eq!(uri("/home/sam/a#b.txt"), "file:///home/sam/a%23b.txt");
        assert_eq!(uri("C:\\drafts\\a.txt"), "file:///C:/drafts/a.txt");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
    }
}
