//! Masks: stretches inside otherwise prose lines that are never linted (URLs, e-mail addresses,
//! Markdown code and comments), and how they are laid over line regions.
//!
//! Masks only ever *narrow* what rules see: [`overlay`] cuts them out of prose regions (subject,
//! greeting, body, sign-off) and leaves every other region as it was, so a URL in a quoted reply
//! stays part of the quote. The result keeps the region invariants: sorted, disjoint, covering.

use std::sync::LazyLock;

use super::{Region, RegionKind};
use crate::pattern::{Options, Pattern};
use crate::span::Span;

/// A built-in pattern, compiled (branch by branch) only where its literals occur; the tests
/// below exercise each one.
fn re(pattern: &str) -> Pattern {
    Pattern::new(pattern, Options::default())
}

/// `http(s)://…`, `www.…` and `mailto:…`, up to whitespace or a bracket that cannot be part of it.
static URL: LazyLock<Pattern> = LazyLock::new(|| re(r#"(?i)(?-u:\b)(?:https?://|www\.|mailto:)[^\s<>"'`\[\]{}|\\^]+"#));
/// A plain e-mail address.
static EMAIL: LazyLock<Pattern> =
    LazyLock::new(|| re(r"(?-u:\b)[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?-u:\b)"));

/// Bare URLs and e-mail addresses in `source`, as [`RegionKind::Url`] masks, sorted.
pub fn bare_links(source: &str) -> Vec<Region> {
    let mut spans = Vec::new();
    // Most pitches hold neither, and every document is asked: a byte search rules each pattern
    // out before it reads the text.
    if may_hold_url(source) {
        URL.for_each_match(source, |m| {
            spans.push(Span::new(m.start(), m.start() + trim_url(source.get(m.range()).unwrap_or("")).len()));
            true
        });
    }
    if memchr::memchr(b'@', source.as_bytes()).is_some() {
        EMAIL.for_each_match(source, |m| {
            spans.push(Span::new(m.start(), m.end()));
            true
        });
    }
    let mut found: Vec<Region> =
        spans.into_iter().filter(|span| !span.is_empty()).map(|span| Region { kind: RegionKind::Url, span }).collect();
    found.sort_by_key(|r| (r.span.start, r.span.end));
    found
}

/// False only if [`URL`] cannot match: each of its matches holds a `:` (`http://`, `mailto:`)
/// or starts with `www.` (`w` has no case variant outside ASCII, unlike `s` and `k`).
fn may_hold_url(source: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memchr(b':', bytes).is_some()
        || memchr::memchr_iter(b'.', bytes)
            .any(|dot| dot >= 3 && bytes.get(dot - 3..dot).is_some_and(|w| w.eq_ignore_ascii_case(b"www")))
}

/// A URL without the sentence punctuation that follows it ("see https://x.com/a." ends at `a`),
/// keeping a closing parenthesis only if the URL opened one.
fn trim_url(url: &str) -> &str {
    let mut end = url.len();
    loop {
        let Some(last) = url.get(..end).and_then(|s| s.chars().next_back()) else { return "" };
        let trailing = matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '*' | '_' | '~')
            || (last == ')' && {
                let head = url.get(..end).unwrap_or("");
                head.matches('(').count() < head.matches(')').count()
            });
        if !trailing {
            return url.get(..end).unwrap_or("");
        }
        end -= last.len_utf8();
    }
}

/// Cuts `masks` out of the prose regions of `base` (sorted, covering). Overlapping masks are
/// resolved in favour of the one that starts first; masks over non-prose regions are dropped.
pub fn overlay(base: Vec<Region>, mut masks: Vec<Region>) -> Vec<Region> {
    if masks.is_empty() {
        return base;
    }
    masks.sort_by_key(|r| (r.span.start, std::cmp::Reverse(r.span.end)));
    let mut out = Vec::with_capacity(base.len() + masks.len() * 2);
    // Regions come in order, so a mask that ends before one region starts is done with.
    let mut first = 0;
    for region in base {
        while masks.get(first).is_some_and(|m| m.span.end <= region.span.start) {
            first += 1;
        }
        if !region.kind.is_prose() {
            out.push(region);
            continue;
        }
        let last = masks.partition_point(|m| m.span.start < region.span.end);
        let mut cursor = region.span.start;
        for mask in masks.get(first..last).unwrap_or(&[]).iter().filter(|m| m.span.overlaps(region.span)) {
            let start = mask.span.start.max(cursor);
            let end = mask.span.end.min(region.span.end);
            if start >= end {
                continue;
            }
            if start > cursor {
                out.push(Region { kind: region.kind, span: Span::new(cursor, start) });
            }
            out.push(Region { kind: mask.kind, span: Span::new(start, end) });
            cursor = end;
        }
        if cursor < region.span.end {
            out.push(Region { kind: region.kind, span: Span::new(cursor, region.span.end) });
        }
    }
    out
}

/// A copy of `source` with every masked byte range blanked (each character becomes as many
/// spaces as it has bytes; line breaks are kept), so line-based classification over the copy
/// ignores masked text while its offsets stay valid for `source`.
pub fn blank_out(source: &str, masks: &[Region]) -> String {
    let mut spans: Vec<Span> = masks.iter().map(|m| m.span).collect();
    spans.sort();
    let mut out = String::with_capacity(source.len());
    let mut next = 0;
    let mut covered_to = 0;
    for (i, ch) in source.char_indices() {
        while let Some(span) = spans.get(next).filter(|s| s.start <= i) {
            covered_to = covered_to.max(span.end);
            next += 1;
        }
        let masked = ch != '\n' && ch != '\r' && i < covered_to;
        if masked {
            out.extend(std::iter::repeat_n(' ', ch.len_utf8()));
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(src: &'a str, regions: &[Region]) -> Vec<(RegionKind, &'a str)> {
        regions.iter().map(|r| (r.kind, r.span.text(src))).collect()
    }

    #[test]
    fn bare_url_stops_before_sentence_punctuation() {
        let src = "The guide is at https://example.com/guides/payment-reminders. Thanks!";
        let found = bare_links(src);
        assert_eq!(texts(src, &found), [(RegionKind::Url, "https://example.com/guides/payment-reminders")]);
    }

    #[test]
    fn url_in_parentheses_keeps_its_own_parenthesis_only() {
        let src = "(see https://en.wikipedia.org/wiki/Pitch_(music)) and www.example.com, then";
        let found: Vec<&str> = bare_links(src).iter().map(|r| r.span.text(src)).collect();
        assert_eq!(found, ["https://en.wikipedia.org/wiki/Pitch_(music)", "www.example.com"]);
    }

    #[test]
    fn links_are_found_whatever_their_case_and_only_where_a_byte_allows() {
        let src = "WWW.Example.com, HTTPS://x.io/a and Mailto:dana@example.com";
        let found: Vec<&str> = bare_links(src).iter().map(|r| r.span.text(src)).collect();
        assert_eq!(found, ["WWW.Example.com", "HTTPS://x.io/a", "Mailto:dana@example.com", "dana@example.com"]);
        assert!(may_hold_url("see www.x.io") && may_hold_url("note: this") && may_hold_url("wWw.x"));
        assert!(!may_hold_url("we.www, ww.x and a plain sentence."));
        assert!(bare_links("No links here, only words.").is_empty());
    }

    proptest::proptest! {
        /// The byte checks never rule out a text either pattern matches.
        #[test]
        fn byte_checks_never_hide_a_link(src in "(?:www|Ww|wW|hTtp|httpſ|s|://|:|mailto|MAILTO|@|\\.|[a-z]|x\\.io| ){0,12}") {
            proptest::prop_assert!(may_hold_url(&src) || URL.find(&src).is_none(), "{src:?}");
            proptest::prop_assert!(src.contains('@') || EMAIL.find(&src).is_none(), "{src:?}");
        }
    }

    #[test]
    fn email_addresses_are_masked() {
        let src = "Write to dana.ruiz@example.co.uk today.";
        assert_eq!(texts(src, &bare_links(src)), [(RegionKind::Url, "dana.ruiz@example.co.uk")]);
    }

    #[test]
    fn overlay_cuts_masks_out_of_prose_only() {
        let src = "Read https://x.io now.\n> https://y.io\n";
        let base = vec![
            Region { kind: RegionKind::Body, span: Span::new(0, 23) },
            Region { kind: RegionKind::Quote, span: Span::new(23, src.len()) },
        ];
        let regions = overlay(base, bare_links(src));
        assert_eq!(
            texts(src, &regions),
            [
                (RegionKind::Body, "Read "),
                (RegionKind::Url, "https://x.io"),
                (RegionKind::Body, " now.\n"),
                (RegionKind::Quote, "> https://y.io\n"),
            ]
        );
    }

    #[test]
    fn blanking_keeps_offsets_and_line_breaks() {
        let src = "a\n```\n-- é\n```\nb";
        let mask = Region { kind: RegionKind::Code, span: Span::new(2, 15) };
        let blanked = blank_out(src, &[mask]);
        assert_eq!(blanked.len(), src.len());
        assert_eq!(blanked, "a\n   \n     \n   \nb");
    }
}
