//! Suppression directives: the writer's way to say "I meant that".
//!
//! Two forms, each naming rules by code, code prefix, name or category (like `--ignore`),
//! separated by commas or spaces; no name at all means every rule:
//! - a line of its own, in any format: `pitchlint: ignore CL002, FU001`. It covers the *next
//!   paragraph*: from the first following line that is neither blank nor another directive, up to
//!   the next blank line. Paragraphs, not lines, because prose sentences wrap.
//! - Markdown comments: `<!-- pitchlint-disable CL002 -->` … `<!-- pitchlint-enable CL002 -->`
//!   (a bare `pitchlint-enable` closes every open disable; an unclosed disable runs to the end).
//!   `<!-- pitchlint: ignore CL002 -->` is the line form written as a comment.
//!
//! Directives are found in comment regions only (the classifier labels directive lines and HTML
//! comments as comments, so they are never linted themselves, and a quoted directive in someone
//! else's message does nothing). A finding is suppressed when its span *starts* inside a scope
//! whose selector names its rule. Notices are never suppressed.
//!
//! Every directive that suppressed nothing is reported as `unused-suppression` (info), as is a
//! selector that names no rule. A selector naming only rules that are not enabled in this run is
//! not reported: the run cannot tell whether it would be used.

use crate::diagnostic::Diagnostic;
use crate::engine::{Linter, selector_matches};
use crate::rules::notice::{self, Notice};
use crate::span::Span;
use crate::text::{Document, RegionKind};

/// What a directive does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `pitchlint: ignore`: the next paragraph.
    Ignore,
    /// `pitchlint-disable`: until the matching enable.
    Disable,
    /// `pitchlint-enable`: ends disables.
    Enable,
}

/// One directive found in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// What it does.
    pub action: Action,
    /// The rules it names (empty: all).
    pub selectors: Vec<String>,
    /// Where it is written.
    pub span: Span,
}

/// True if `line` (without its terminator) is a `pitchlint: ignore …` directive line.
pub fn is_directive_line(line: &str) -> bool {
    parse_line(line).is_some()
}

/// `pitchlint: ignore [SELECTORS]` on a line of its own.
fn parse_line(line: &str) -> Option<Vec<String>> {
    let text = line.trim();
    let rest = strip_prefix_ignore_case(text, "pitchlint:")?.trim_start();
    selectors(strip_prefix_ignore_case(rest, "ignore")?)
}

/// The inside of an HTML comment: `pitchlint-disable …`, `pitchlint-enable …` or the line form.
fn parse_comment(inner: &str) -> Option<(Action, Vec<String>)> {
    let text = inner.trim();
    if let Some(rest) = strip_prefix_ignore_case(text, "pitchlint-disable") {
        return selectors(rest).map(|s| (Action::Disable, s));
    }
    if let Some(rest) = strip_prefix_ignore_case(text, "pitchlint-enable") {
        return selectors(rest).map(|s| (Action::Enable, s));
    }
    parse_line(text).map(|s| (Action::Ignore, s))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| text.get(prefix.len()..).unwrap_or(""))
}

/// Selectors after the keyword: nothing, or a separator then `[A-Za-z0-9_-]` words.
fn selectors(rest: &str) -> Option<Vec<String>> {
    if !rest.is_empty() && !rest.starts_with([' ', '\t', ',']) {
        return None;
    }
    let words: Vec<&str> = rest.split([' ', '\t', ',']).filter(|w| !w.is_empty()).collect();
    let valid = |w: &&str| w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    words.iter().all(valid).then(|| words.iter().map(|w| (*w).to_owned()).collect())
}

/// Every directive in the document's comment regions, in order.
pub fn directives(doc: &Document<'_>) -> Vec<Directive> {
    let source = doc.source();
    let mut out = Vec::new();
    for region in doc.regions().iter().filter(|r| r.kind == RegionKind::Comment) {
        let text = region.span.text(source);
        let mut cursor = 0;
        while cursor < text.len() {
            let rest = text.get(cursor..).unwrap_or("");
            let next_comment = rest.find("<!--").map_or(text.len(), |i| cursor + i);
            scan_lines(text.get(cursor..next_comment).unwrap_or(""), region.span.start + cursor, &mut out);
            if next_comment >= text.len() {
                break;
            }
            let after_open = next_comment + 4;
            let close = text.get(after_open..).and_then(|r| r.find("-->")).map(|i| after_open + i);
            let inner = text.get(after_open..close.unwrap_or(text.len())).unwrap_or("");
            let end = close.map_or(text.len(), |c| c + 3);
            if let Some((action, selectors)) = parse_comment(inner) {
                let span = Span::new(region.span.start + next_comment, region.span.start + end);
                out.push(Directive { action, selectors, span });
            }
            cursor = end;
        }
    }
    out
}

fn scan_lines(text: &str, base: usize, out: &mut Vec<Directive>) {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(selectors) = parse_line(line) {
            let lead = line.len() - line.trim_start().len();
            let start = base + offset + lead;
            out.push(Directive {
                action: Action::Ignore,
                selectors,
                span: Span::new(start, start + line.trim().len()),
            });
        }
        offset += line.len();
    }
}

/// What one selector of one directive covers.
#[derive(Clone, Debug)]
struct Scope {
    directive: usize,
    selector: Option<String>,
    range: Span,
    used: bool,
}

/// The scopes of `directives` in `source`, and the indices of enables that closed nothing.
fn scopes(source: &str, directives: &[Directive]) -> (Vec<Scope>, Vec<usize>) {
    let mut done = Vec::new();
    let mut open: Vec<Scope> = Vec::new();
    let mut idle_enables = Vec::new();
    // The last paragraph search: where it started and what it found. A run of directive lines
    // shares one paragraph, found once (not once per line, which is quadratic in the run).
    let mut last_search: Option<(usize, Option<Span>)> = None;
    for (index, directive) in directives.iter().enumerate() {
        let scope = |selector: Option<String>, range| Scope { directive: index, selector, range, used: false };
        let each = |selectors: &[String]| -> Vec<Option<String>> {
            if selectors.is_empty() { vec![None] } else { selectors.iter().cloned().map(Some).collect() }
        };
        match directive.action {
            Action::Ignore => {
                let from = line_end(source, directive.span.end);
                let found = match last_search {
                    Some((searched, found)) if searched <= from && found.is_none_or(|p| from <= p.start) => found,
                    _ => {
                        let found = paragraph_from(source, from);
                        last_search = Some((from, found));
                        found
                    }
                };
                let range = found.unwrap_or(Span::new(directive.span.end, directive.span.end));
                done.extend(each(&directive.selectors).into_iter().map(|s| scope(s, range)));
            }
            Action::Disable => {
                let range = Span::new(directive.span.end, source.len());
                open.extend(each(&directive.selectors).into_iter().map(|s| scope(s, range)));
            }
            Action::Enable => {
                let closes = |s: &Scope| {
                    directive.selectors.is_empty()
                        || s.selector
                            .as_ref()
                            .is_some_and(|sel| directive.selectors.iter().any(|d| d.eq_ignore_ascii_case(sel)))
                };
                let (closed, still_open): (Vec<Scope>, Vec<Scope>) = open.into_iter().partition(|s| closes(s));
                if closed.is_empty() {
                    idle_enables.push(index);
                }
                done.extend(closed.into_iter().map(|mut s| {
                    s.range.end = directive.span.start.max(s.range.start);
                    s
                }));
                open = still_open;
            }
        }
    }
    done.extend(open);
    (done, idle_enables)
}

/// The paragraph after byte `from`: the first following line that is neither blank nor a
/// directive, up to the next blank line.
#[cfg(test)]
fn paragraph_after(source: &str, from: usize) -> Span {
    paragraph_from(source, line_end(source, from)).unwrap_or(Span::new(from, from))
}

/// The start of the line after the one holding byte `from`.
fn line_end(source: &str, from: usize) -> usize {
    source.get(from..).and_then(|r| r.find('\n')).map_or(source.len(), |i| from + i + 1)
}

/// The first paragraph starting at or after the line start `line_end`, skipping blank and
/// directive lines; `None` if there is none.
fn paragraph_from(source: &str, line_end: usize) -> Option<Span> {
    let mut offset = line_end;
    let mut start = None;
    for line in source.get(line_end..).unwrap_or("").split_inclusive('\n') {
        let text = line.trim();
        let is_directive = parse_line(text).is_some()
            || text
                .strip_prefix("<!--")
                .and_then(|t| t.strip_suffix("-->"))
                .is_some_and(|t| parse_comment(t).is_some());
        match start {
            None if text.is_empty() || is_directive => {}
            None => start = Some(offset),
            Some(s) if text.is_empty() => return Some(Span::new(s, offset)),
            Some(_) => {}
        }
        offset += line.len();
    }
    start.map(|s| Span::new(s, source.len()))
}

/// Drops suppressed findings from `out` and adds an `unused-suppression` notice for every
/// directive that suppressed nothing.
pub(crate) fn apply(linter: &Linter, doc: &Document<'_>, out: &mut Vec<Diagnostic>) {
    let directives = directives(doc);
    if directives.is_empty() {
        return;
    }
    let (mut scopes, idle_enables) = scopes(doc.source(), &directives);
    let suppressed = mark_suppressed(linter, out, &mut scopes);
    let mut index = 0;
    out.retain(|_| {
        index += 1;
        !suppressed.get(index - 1).copied().unwrap_or(false)
    });
    let mut by_directive: Vec<Vec<&Scope>> = vec![Vec::new(); directives.len()];
    for scope in &scopes {
        if let Some(list) = by_directive.get_mut(scope.directive) {
            list.push(scope);
        }
    }
    let idle_enables: std::collections::BTreeSet<usize> = idle_enables.into_iter().collect();
    for (index, directive) in directives.iter().enumerate() {
        let written = collapse(directive.span.text(doc.source()));
        let message = if idle_enables.contains(&index) {
            Some(format!("`{written}` closes no open pitchlint-disable"))
        } else {
            let own = by_directive.get(index).map_or(&[][..], Vec::as_slice);
            unused_message(linter, &written, own.iter().copied())
        };
        if let Some(message) = message {
            out.extend(notice::finding(linter, Notice::UnusedSuppression, directive.span, message));
        }
    }
}

/// Which findings of `out` a scope suppresses (by index), marking the scopes that suppress
/// something as used. Findings are visited in order of offset while scopes open in order of
/// start; per rule, the furthest end of an open scope naming it says whether a finding is
/// suppressed, and the open scopes naming it that are not yet used are marked once each. So a
/// file with thousands of directives and findings costs (directives × rules + findings), not
/// their product.
fn mark_suppressed(linter: &Linter, out: &[Diagnostic], scopes: &mut [Scope]) -> Vec<bool> {
    let rules = linter.rules().rules();
    let mut suppressed = vec![false; out.len()];
    let mut order: Vec<usize> = (0..out.len()).collect();
    order.sort_by_key(|&i| out.get(i).map_or(0, |d| d.span.start));
    scopes.sort_by_key(|s| (s.range.start, s.directive));
    let mut named: std::collections::BTreeMap<Option<String>, Vec<usize>> = std::collections::BTreeMap::new();
    let mut furthest_end = vec![0usize; rules.len()];
    let mut waiting: Vec<Vec<usize>> = vec![Vec::new(); rules.len()];
    let mut next = 0;
    for i in order {
        let Some(d) = out.get(i) else { continue };
        if rules.get(d.rule).is_none() || notice::is_notice(linter, d) {
            continue;
        }
        let at = d.span.start;
        while let Some(scope) = scopes.get(next).filter(|s| s.range.start <= at) {
            let indices = named.entry(scope.selector.clone()).or_insert_with(|| {
                let names =
                    |r: &crate::rules::Rule| scope.selector.as_deref().is_none_or(|sel| selector_matches(sel, r));
                rules.iter().enumerate().filter(|(_, r)| names(r)).map(|(index, _)| index).collect()
            });
            for &rule in indices.iter() {
                if let Some(end) = furthest_end.get_mut(rule) {
                    *end = (*end).max(scope.range.end);
                }
                if let Some(list) = waiting.get_mut(rule) {
                    list.push(next);
                }
            }
            next += 1;
        }
        if furthest_end.get(d.rule).is_some_and(|&end| at < end) {
            if let Some(flag) = suppressed.get_mut(i) {
                *flag = true;
            }
        }
        // Each waiting scope either covers this finding (used) or ended before it (and so
        // before every later finding): either way it is done with for this rule.
        for s in waiting.get_mut(d.rule).map(std::mem::take).unwrap_or_default() {
            if let Some(scope) = scopes.get_mut(s).filter(|scope| at < scope.range.end) {
                scope.used = true;
            }
        }
    }
    suppressed
}

/// What is wrong with one directive's scopes, if anything.
fn unused_message<'a>(linter: &Linter, written: &str, scopes: impl Iterator<Item = &'a Scope>) -> Option<String> {
    let rules = linter.rules();
    let enabled = || linter.enabled().iter().filter_map(|&i| rules.get(i));
    let mut unknown = Vec::new();
    let mut unused = Vec::new();
    let mut total = 0;
    for scope in scopes {
        total += 1;
        match scope.selector.as_deref() {
            Some(sel) if !rules.rules().iter().any(|r| selector_matches(sel, r)) => unknown.push(sel.to_owned()),
            Some(sel) if !scope.used && enabled().any(|r| selector_matches(sel, r)) => unused.push(sel.to_owned()),
            None if !scope.used => unused.push(String::new()),
            _ => {}
        }
    }
    let mut parts = Vec::new();
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|u| format!("`{u}`")).collect();
        parts.push(format!("{} names no rule", names.join(", ")));
    }
    if !unused.is_empty() {
        if unused.len() == total {
            parts.push(format!("`{written}` suppresses nothing here"));
        } else {
            let names: Vec<String> = unused.iter().map(|u| format!("`{u}`")).collect();
            parts.push(format!("{} suppresses nothing here", names.join(", ")));
        }
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{InputFormat, Profile};

    fn found(src: &str, format: InputFormat) -> Vec<(Action, Vec<String>, String)> {
        let doc = Document::parse(src, format, Profile::Email);
        directives(&doc).into_iter().map(|d| (d.action, d.selectors, d.span.text(src).to_owned())).collect()
    }

    #[test]
    fn ignore_line_names_codes_separated_by_commas_or_spaces() {
        let got = found("pitchlint: ignore CL002, FU001 HS\nJust checking in.\n", InputFormat::Plain);
        let codes: Vec<String> = ["CL002", "FU001", "HS"].map(String::from).to_vec();
        assert_eq!(got, [(Action::Ignore, codes, "pitchlint: ignore CL002, FU001 HS".to_owned())]);
    }

    #[test]
    fn bare_ignore_means_every_rule() {
        let got = found("  pitchlint: ignore  \nAct now!\n", InputFormat::Plain);
        assert_eq!(got, [(Action::Ignore, Vec::new(), "pitchlint: ignore".to_owned())]);
    }

    #[test]
    fn prose_mentioning_pitchlint_is_not_a_directive() {
        assert!(!is_directive_line("pitchlint: ignore this email, please!"));
        assert!(!is_directive_line("I ran pitchlint: ignore CL002 it said"));
        assert!(!is_directive_line("pitchlint: ignored"));
    }

    #[test]
    fn markdown_disable_and_enable_comments_are_directives() {
        let src = "Hi Ada,\n\n<!-- pitchlint-disable CL002 -->\nIn order to help.\n<!-- pitchlint-enable -->\n";
        let got = found(src, InputFormat::Markdown);
        assert_eq!(got.len(), 2);
        assert_eq!(got.first().map(|d| d.0), Some(Action::Disable));
        assert_eq!(got.get(1).map(|d| d.0), Some(Action::Enable));
    }

    #[test]
    fn ignore_covers_the_next_paragraph_only() {
        let src = "pitchlint: ignore\n\nFirst line\nwraps here.\n\nNot covered.\n";
        let span = paragraph_after(src, "pitchlint: ignore".len());
        assert_eq!(span.text(src), "First line\nwraps here.\n");
    }

    #[test]
    fn stacked_directives_share_the_paragraph() {
        let src = "pitchlint: ignore CL002\npitchlint: ignore FU001\nJust checking in.\n";
        let span = paragraph_after(src, "pitchlint: ignore CL002".len());
        assert_eq!(span.text(src), "Just checking in.\n");
    }

    #[test]
    fn unclosed_disable_runs_to_the_end_and_bare_enable_closes_all() {
        let src = "<!-- pitchlint-disable A,B -->\nx\n<!-- pitchlint-enable B -->\ny\n";
        let doc = Document::parse(src, InputFormat::Markdown, Profile::Email);
        let (scopes, idle) = scopes(src, &directives(&doc));
        assert!(idle.is_empty());
        let a = scopes.iter().find(|s| s.selector.as_deref() == Some("A")).map(|s| s.range.end);
        let b = scopes.iter().find(|s| s.selector.as_deref() == Some("B")).map(|s| s.range.text(src).trim().to_owned());
        assert_eq!(a, Some(src.len()));
        assert_eq!(b.as_deref(), Some("x"));
    }
}
