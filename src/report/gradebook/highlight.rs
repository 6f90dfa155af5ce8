//! Marks findings inside a submission's text, for the HTML gradebook.
//!
//! Spans are byte offsets into the text and may overlap or nest. They are first snapped outward to
//! character boundaries (and clamped to the text), then the text is cut at every span boundary
//! into segments; each segment is covered by a set of findings and is wrapped in one `<mark>`
//! styled by the most severe of them. So overlapping findings merge into adjacent marks, no mark is
//! ever split mid-character, and the markup is always well nested. After the last segment of each
//! finding comes its number, linking to the finding in the list below the text; an empty span
//! (something missing) shows only the number, at its place.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::html::escape;
use crate::rules::Severity;
use crate::span::Span;

/// A finding to mark: its number in the card's list, where it is, how severe, what it says.
#[derive(Clone, Debug)]
pub(super) struct Mark {
    /// 1-based number shown after the span and used in the link.
    pub number: usize,
    /// Byte span into the text.
    pub span: Span,
    /// Severity, for the colour.
    pub severity: Severity,
    /// Tooltip: code and message.
    pub title: String,
}

/// The text as HTML with the findings marked; `anchor(n)` is the id of finding `n` in the list.
pub(super) fn highlight(text: &str, marks: &[Mark], anchor: &dyn Fn(usize) -> String) -> String {
    let marks: Vec<Mark> = marks.iter().map(|m| Mark { span: snap(text, m.span), ..m.clone() }).collect();
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, text.len()]);
    for mark in &marks {
        cuts.insert(mark.span.start);
        cuts.insert(mark.span.end);
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut html = String::with_capacity(text.len() * 2);
    for (i, &at) in cuts.iter().enumerate() {
        // Numbers of empty spans sit where the span is.
        references(&mut html, marks.iter().filter(|m| m.span.is_empty() && m.span.start == at), anchor, true);
        let Some(&next) = cuts.get(i + 1) else { break };
        let segment = text.get(at..next).unwrap_or("");
        let covering: Vec<&Mark> =
            marks.iter().filter(|m| !m.span.is_empty() && m.span.start <= at && next <= m.span.end).collect();
        match covering.iter().map(|m| m.severity).max() {
            None => html.push_str(&escape(segment)),
            Some(severity) => {
                let titles: Vec<&str> = covering.iter().map(|m| m.title.as_str()).collect();
                let _ = write!(
                    html,
                    "<mark class=\"{}\" title=\"{}\">{}</mark>",
                    severity.as_str(),
                    escape(&titles.join("\n")),
                    escape(segment)
                );
            }
        }
        references(&mut html, marks.iter().filter(|m| !m.span.is_empty() && m.span.end == next), anchor, false);
    }
    html
}

/// Writes the numbers of the findings that end (or, when `missing`, sit) here, comma-separated in
/// one superscript so that 2 and 3 never read as 23.
fn references<'m>(
    html: &mut String,
    marks: impl Iterator<Item = &'m Mark>,
    anchor: &dyn Fn(usize) -> String,
    missing: bool,
) {
    let links: Vec<String> = marks
        .map(|m| format!("<a class=\"{}\" href=\"#{}\">{}</a>", m.severity.as_str(), anchor(m.number), m.number))
        .collect();
    if links.is_empty() {
        return;
    }
    let (class, caret) = if missing { ("ref missing", "‸") } else { ("ref", "") };
    let _ = write!(html, "<sup class=\"{class}\">{caret}{}</sup>", links.join(","));
}

/// Clamps a span to the text and widens it to character boundaries.
fn snap(text: &str, span: Span) -> Span {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    if span.is_empty() {
        return Span::new(start, start);
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(number: usize, start: usize, end: usize, severity: Severity) -> Mark {
        Mark { number, span: Span::new(start, end), severity, title: format!("M{number}") }
    }

    fn render(text: &str, marks: &[Mark]) -> String {
        highlight(text, marks, &|n| format!("f{n}"))
    }

    #[test]
    fn text_without_findings_is_only_escaped() {
        assert_eq!(render("a < b & \"c\"", &[]), "a &lt; b &amp; &quot;c&quot;");
    }

    #[test]
    fn overlapping_spans_become_adjacent_marks_coloured_by_the_worst() {
        let html = render("abcdef", &[mark(1, 0, 4, Severity::Info), mark(2, 2, 6, Severity::Error)]);
        assert_eq!(
            html,
            "<mark class=\"info\" title=\"M1\">ab</mark>\
             <mark class=\"error\" title=\"M1\nM2\">cd</mark><sup class=\"ref\"><a class=\"info\" href=\"#f1\">1</a></sup>\
             <mark class=\"error\" title=\"M2\">ef</mark><sup class=\"ref\"><a class=\"error\" href=\"#f2\">2</a></sup>"
        );
    }

    #[test]
    fn numbers_of_findings_ending_together_are_comma_separated() {
        let html = render("ab", &[mark(1, 0, 2, Severity::Warning), mark(2, 1, 2, Severity::Info)]);
        assert!(
            html.ends_with(
                "<sup class=\"ref\"><a class=\"warning\" href=\"#f1\">1</a>,<a class=\"info\" href=\"#f2\">2</a></sup>"
            ),
            "{html}"
        );
    }

    #[test]
    fn spans_inside_a_character_are_widened_never_split() {
        // "é" is two bytes; a span starting or ending inside it takes the whole character.
        let html = render("café au lait", &[mark(1, 4, 5, Severity::Warning)]);
        assert!(html.starts_with("caf<mark class=\"warning\" title=\"M1\">é</mark>"), "{html}");
    }

    #[test]
    fn spans_past_the_end_are_clamped_and_empty_spans_show_their_number() {
        let html = render("Hi.", &[mark(1, 1, 99, Severity::Warning), mark(2, 3, 3, Severity::Error)]);
        assert_eq!(
            html,
            "H<mark class=\"warning\" title=\"M1\">i.</mark><sup class=\"ref\"><a class=\"warning\" href=\"#f1\">1</a></sup>\
             <sup class=\"ref missing\">‸<a class=\"error\" href=\"#f2\">2</a></sup>"
        );
    }
}
