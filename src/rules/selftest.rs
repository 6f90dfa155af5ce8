//! Runs the examples embedded in rule files, strictly: a `flag` example must yield exactly its
//! `[[marked]]` spans, a `pass` example nothing, and a `fix` example must turn `before` into
//! `after` and leave nothing more to fix.

use std::sync::Arc;

use crate::diagnostic::Applicability;
use crate::engine::{LintOptions, Linter};
use crate::fix::apply_fixes;
use crate::rules::RuleSet;
use crate::span::Span;
use crate::text::{Document, InputFormat};

/// One example that did not behave as the rule file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    /// Rule code.
    pub code: String,
    /// Rule file.
    pub path: String,
    /// `flag`, `pass` or `fix`.
    pub section: &'static str,
    /// The example as written.
    pub example: String,
    /// What was expected (marked spans' text, or the fixed text).
    pub expected: Vec<String>,
    /// What happened.
    pub actual: Vec<String>,
}

/// Strips `[[…]]` markers; returns the text and the marked spans in it.
///
/// # Errors
/// Unbalanced or nested markers.
pub fn parse_markers(example: &str) -> Result<(String, Vec<Span>), String> {
    let mut text = String::with_capacity(example.len());
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    let mut rest = example;
    loop {
        let next_open = rest.find("[[");
        let next_close = rest.find("]]");
        match (next_open, next_close) {
            (Some(o), c) if c.is_none_or(|c| o < c) => {
                if open.is_some() {
                    return Err("nested `[[` marker".into());
                }
                text.push_str(rest.get(..o).unwrap_or(""));
                open = Some(text.len());
                rest = rest.get(o + 2..).unwrap_or("");
            }
            (_, Some(c)) => {
                let Some(start) = open.take() else { return Err("`]]` without `[[`".into()) };
                text.push_str(rest.get(..c).unwrap_or(""));
                spans.push(Span::new(start, text.len()));
                rest = rest.get(c + 2..).unwrap_or("");
            }
            _ => {
                if open.is_some() {
                    return Err("`[[` without `]]`".into());
                }
                text.push_str(rest);
                return Ok((text, spans));
            }
        }
    }
}

/// Runs every example of every rule in `rules`; returns the failures (empty: all passed).
pub fn run(rules: Arc<RuleSet>) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for (index, rule) in rules.rules().iter().enumerate() {
        let linter = Linter::new(Arc::clone(&rules), vec![index], LintOptions::default());
        let profile = rule.examples.profile;
        let fail = |section, example: &str, expected, actual| ExampleFailure {
            code: rule.code.clone(),
            path: rule.origin.path.clone(),
            section,
            example: example.to_owned(),
            expected,
            actual,
        };
        for example in &rule.examples.flag {
            let Ok((text, expected)) = parse_markers(example) else { continue };
            let doc = Document::parse(&text, InputFormat::Plain, profile);
            let mut actual: Vec<Span> = linter.check(&doc).iter().map(|d| d.span).collect();
            actual.sort();
            let mut expected = expected;
            expected.sort();
            if actual != expected {
                let show = |spans: &[Span]| spans.iter().map(|s| format!("[[{}]]", s.text(&text))).collect();
                failures.push(fail("flag", example, show(&expected), show(&actual)));
            }
        }
        for example in &rule.examples.pass {
            let doc = Document::parse(example, InputFormat::Plain, profile);
            let found = linter.check(&doc);
            if !found.is_empty() {
                let actual = found.iter().map(|d| format!("[[{}]]", d.span.text(example))).collect();
                failures.push(fail("pass", example, Vec::new(), actual));
            }
        }
        for (before, after) in &rule.examples.fix {
            let doc = Document::parse(before, InputFormat::Plain, profile);
            let fixed = apply_fixes(before, &linter.check(&doc), Applicability::Unsafe).text;
            let again = Document::parse(&fixed, InputFormat::Plain, profile);
            let leftover = apply_fixes(&fixed, &linter.check(&again), Applicability::Unsafe);
            if fixed != *after || leftover.applied > 0 {
                let mut actual = vec![fixed.clone()];
                if leftover.applied > 0 {
                    actual.push(format!("(second pass still fixes: {:?})", leftover.text));
                }
                failures.push(fail("fix", before, vec![after.clone()], actual));
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_stripped_and_recorded() {
        let (text, spans) = parse_markers("I want [[paying clients]] now").unwrap_or_default();
        assert_eq!(text, "I want paying clients now");
        assert_eq!(spans.first().map(|s| s.text(&text)), Some("paying clients"));
    }

    #[test]
    fn unbalanced_markers_are_errors() {
        assert!(parse_markers("a [[b").is_err());
        assert!(parse_markers("a ]] b").is_err());
        assert!(parse_markers("[[a [[b]] c]]").is_err());
    }
}
