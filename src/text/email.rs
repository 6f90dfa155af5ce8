//! Region classification for plain-text drafts and messages.
//!
//! Works line by line on the original text and only *labels* stretches: a leading `Subject:`
//! line, the greeting, the body, a sign-off and the name block after it, a `-- ` signature,
//! "Sent from my …", `>` quotes, an "On … wrote:" attribution or an Outlook
//! "-----Original Message-----" / "From:" block (which quote everything after them).

use std::sync::LazyLock;

use regex::Regex;

use super::{InputFormat, Region, RegionKind};
use crate::span::Span;

#[allow(clippy::expect_used)] // constant patterns, exercised by the tests below
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("built-in pattern is valid")
}

static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hiya|howdy)\b[^.!?\n]{0,40}[,!:.]?\s*$",
    )
});
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:best|best regards|best wishes|regards|kind regards|warm regards|warmest regards|warmly|many thanks|thanks|thank you|thanks again|thanks so much|cheers|sincerely|yours|yours truly|yours sincerely|all the best|talk soon|speak soon|take care|with thanks|with gratitude|respectfully|gratefully|until then|see you soon|looking forward)[,!.]?\s*$",
    )
});
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:on\s.{0,200}\bwrote:|.{0,80}\bwrote:|le\s.{0,100}\ba écrit\s?:|am\s.{0,100}\bschrieb\s.{0,60}:)\s*$",
    )
});
static ORIGINAL: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}|_{10,}|begin forwarded message:)\s*$")
});
static OUTLOOK_FROM: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*\*?from:\*?\s+\S"));
static OUTLOOK_NEXT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*\*?(?:sent|date|to|subject|cc):\*?\s"));
static SENT_FROM: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^\s*sent from my \w+"));
static SUBJECT: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^subject:[ \t]*"));

/// Classifies `source` into regions. `.eml` files arrive here with their headers already
/// separated by the caller; Markdown masking is layered on top by the Markdown parser.
pub fn classify(source: &str, format: InputFormat) -> Vec<Region> {
    if format == InputFormat::Email {
        return classify_message(source);
    }
    classify_lines(source)
}

/// An RFC 5322 message with an unencoded body: the header block is masked except the subject's
/// text, and the body is classified like a plain draft.
fn classify_message(source: &str) -> Vec<Region> {
    let lines = split_lines(source);
    let Some(blank) = lines.iter().position(|(_, l)| l.trim_end_matches(['\r', '\n']).is_empty()) else {
        return classify_lines(source);
    };
    let mut regions = Vec::new();
    let mut subject_line = None;
    for (i, &(start, line)) in lines.iter().enumerate().take(blank + 1) {
        if let Some(m) = SUBJECT.find(line) {
            let text = line.trim_end_matches(['\r', '\n']);
            subject_line = Some(i);
            regions.push(Region { kind: RegionKind::Header, span: Span::new(start, start + m.end()) });
            regions.push(Region { kind: RegionKind::Subject, span: Span::new(start + m.end(), start + text.len()) });
            regions.push(Region { kind: RegionKind::Header, span: Span::new(start + text.len(), start + line.len()) });
        } else {
            regions.push(Region { kind: RegionKind::Header, span: Span::new(start, start + line.len()) });
        }
    }
    let _ = subject_line;
    let body_start = lines.get(blank + 1).map_or(source.len(), |&(s, _)| s);
    let body = source.get(body_start..).unwrap_or("");
    regions.extend(classify_lines(body).into_iter().map(|r| Region { kind: r.kind, span: r.span.shift(body_start) }));
    regions
}

fn classify_lines(source: &str) -> Vec<Region> {
    let lines = split_lines(source);
    let mut kinds: Vec<RegionKind> = vec![RegionKind::Body; lines.len()];
    let mut regions = Vec::new();

    // A leading "Subject:" line: the label is a header, the rest is the subject.
    let mut first_body = 0;
    if let Some(&(start, line)) = lines.first() {
        if let Some(m) = SUBJECT.find(line) {
            regions.push(Region { kind: RegionKind::Header, span: Span::new(start, start + m.end()) });
            let text = line.trim_end_matches(['\r', '\n']);
            regions.push(Region { kind: RegionKind::Subject, span: Span::new(start + m.end(), start + text.len()) });
            if let Some(kind) = kinds.get_mut(0) {
                *kind = RegionKind::Header;
            }
            first_body = 1;
        }
    }

    // Quotes: everything from an attribution or original-message marker on, and `>` lines.
    let quote_from = find_quote_start(&lines, first_body);
    for (i, &(_, line)) in lines.iter().enumerate().skip(first_body) {
        if i >= quote_from || line.trim_start().starts_with('>') {
            set(&mut kinds, i, RegionKind::Quote);
        }
    }

    // Signatures: a "-- " line, or "Sent from my …", up to the quote.
    let end = quote_from.min(lines.len());
    if let Some(sig) = (first_body..end).find(|&i| is_signature_marker(line_text(&lines, i))) {
        for i in sig..end {
            set(&mut kinds, i, RegionKind::Signature);
        }
    }
    let body_end = (first_body..end).find(|&i| kinds.get(i) == Some(&RegionKind::Signature)).unwrap_or(end);

    // A sign-off line followed only by a short name block (or nothing) before the end.
    if let Some(sign_off) = find_sign_off(&lines, first_body, body_end) {
        set(&mut kinds, sign_off, RegionKind::SignOff);
        for i in sign_off + 1..body_end {
            set(&mut kinds, i, RegionKind::Signature);
        }
    }

    // The greeting: the first non-blank body line if it looks like one.
    if let Some(first) = (first_body..body_end).find(|&i| !line_text(&lines, i).trim().is_empty()) {
        if GREETING.is_match(line_text(&lines, first)) {
            set(&mut kinds, first, RegionKind::Greeting);
        }
    }

    for (i, &(start, line)) in lines.iter().enumerate().skip(first_body) {
        let kind = kinds.get(i).copied().unwrap_or(RegionKind::Body);
        regions.push(Region { kind, span: Span::new(start, start + line.len()) });
    }
    regions
}

fn set(kinds: &mut [RegionKind], i: usize, kind: RegionKind) {
    if let Some(slot) = kinds.get_mut(i) {
        *slot = kind;
    }
}

/// Lines with their start offsets, terminators included.
fn split_lines(source: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        out.push((offset, line));
        offset += line.len();
    }
    out
}

fn line_text<'a>(lines: &[(usize, &'a str)], i: usize) -> &'a str {
    lines.get(i).map_or("", |&(_, l)| l.trim_end_matches(['\r', '\n']))
}

fn is_signature_marker(line: &str) -> bool {
    line == "-- " || line == "--" || line == "—" || SENT_FROM.is_match(line)
}

fn find_quote_start(lines: &[(usize, &str)], from: usize) -> usize {
    for i in from..lines.len() {
        let line = line_text(lines, i);
        if ATTRIBUTION.is_match(line) || ORIGINAL.is_match(line) {
            return i;
        }
        // An Outlook header block: "From: …" followed within two lines by Sent/Date/To/Subject.
        if OUTLOOK_FROM.is_match(line)
            && (i + 1..(i + 3).min(lines.len())).any(|j| OUTLOOK_NEXT.is_match(line_text(lines, j)))
        {
            return i;
        }
        // A wrapped attribution: "On Tue, 3 Mar 2026, Dana Ruiz" / "<dana@example.com> wrote:".
        if line.trim_start().to_ascii_lowercase().starts_with("on ")
            && ATTRIBUTION.is_match(&format!("{line} {}", line_text(lines, i + 1)))
            && line_text(lines, i + 1).trim_end().ends_with("wrote:")
        {
            return i;
        }
    }
    lines.len()
}

/// The last sign-off line before `end` that is followed by at most four short lines.
fn find_sign_off(lines: &[(usize, &str)], from: usize, end: usize) -> Option<usize> {
    let candidate = (from..end).rev().find(|&i| SIGN_OFF.is_match(line_text(lines, i)))?;
    let trailing = (candidate + 1..end).filter(|&i| !line_text(lines, i).trim().is_empty());
    let mut count = 0;
    for i in trailing {
        count += 1;
        if count > 4 || line_text(lines, i).split_whitespace().count() > 8 {
            return None;
        }
    }
    // "Thanks!" alone as the last line of a one-paragraph note is a sign-off too.
    Some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(RegionKind, &str)> {
        let doc = crate::text::Document::parse(src, InputFormat::Plain, crate::text::Profile::Auto);
        doc.regions().iter().map(|r| (r.kind, r.span.text(src))).collect()
    }

    #[test]
    fn greeting_body_sign_off_and_name_block() {
        let src = "Hi Dana,\nGreat to meet you.\nBest,\nSam Lee\nAcme\n";
        assert_eq!(
            kinds(src),
            [
                (RegionKind::Greeting, "Hi Dana,\n"),
                (RegionKind::Body, "Great to meet you.\n"),
                (RegionKind::SignOff, "Best,\n"),
                (RegionKind::Signature, "Sam Lee\nAcme\n"),
            ]
        );
    }

    #[test]
    fn quoted_reply_after_attribution_is_quote() {
        let src = "Sounds good.\n\nOn Tue, 3 Mar 2026, Dana <d@example.com> wrote:\n> Buy now!\nmore\n";
        let k = kinds(src);
        assert_eq!(k.last().map(|r| r.0), Some(RegionKind::Quote));
        assert!(k.last().is_some_and(|r| r.1.contains("Buy now")));
    }

    #[test]
    fn dash_dash_space_starts_a_signature() {
        let src = "Thanks for the intro.\n-- \nSam | BEST PRICES!!!\n";
        assert_eq!(kinds(src).last().map(|r| r.0), Some(RegionKind::Signature));
    }

    #[test]
    fn outlook_original_message_is_quote() {
        let src = "See you Tuesday.\n\nFrom: Dana Ruiz\nSent: Monday\nTo: Sam\nSubject: Deal\n\nAct now!\n";
        let k = kinds(src);
        assert_eq!(k.last().map(|r| r.0), Some(RegionKind::Quote));
    }

    #[test]
    fn subject_line_is_split_from_its_label() {
        let src = "Subject: Quick question\n\nHi Dana,\nHow was the trip?\n";
        let k = kinds(src);
        assert_eq!(k.first(), Some(&(RegionKind::Header, "Subject: ")));
        assert_eq!(k.get(1), Some(&(RegionKind::Subject, "Quick question")));
    }
}
