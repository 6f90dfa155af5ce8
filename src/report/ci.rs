//! Machine formats for CI: SARIF 2.1.0, GitHub Actions workflow commands, JUnit XML.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde_json::json;

use super::{EmitContext, FileReport};
use crate::rules::Severity;

/// SARIF 2.1.0 with every rule that fired listed in `tool.driver.rules`.
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
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {"category": r.category.as_str(), "kind": r.kind.as_str()},
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
                            "charOffset": d.span.start,
                            "charLength": d.span.len(),
                        },
                    },
                }],
            }))
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "pitchlint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/pitchlint",
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn uri(path: &str) -> String {
    path.replace('\\', "/").replace(' ', "%20")
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
