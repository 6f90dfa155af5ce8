//! Region classification for Markdown drafts.
//!
//! pulldown-cmark finds what is not prose, with byte ranges into the original text: fenced and
//! indented code blocks and inline code (code), link destinations, autolinks and images (URL),
//! HTML comments (comment; they also carry suppression directives) and other raw HTML (code).
//! Link *text* and headings stay prose. The plain-text classifier then runs over a copy of the
//! source with those stretches blanked out, so a `--` or `>` inside a code block cannot start a
//! signature or a quote, and greetings, sign-offs and quotes are still found. Finally the masks,
//! plus bare URLs and e-mail addresses, are cut out of the prose regions.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

use super::{Region, RegionKind, email, mask};
use crate::span::Span;

/// Classifies a Markdown draft into regions over `source`.
pub fn classify(source: &str) -> Vec<Region> {
    let masks = structural_masks(source);
    let lines = email::classify_lines(&mask::blank_out(source, &masks));
    let mut all = masks;
    all.extend(mask::bare_links(source));
    mask::overlay(lines, all)
}

/// Code, link destinations and raw HTML found by the Markdown parser.
fn structural_masks(source: &str) -> Vec<Region> {
    let mut masks = Vec::new();
    let mut push = |kind, range: std::ops::Range<usize>| {
        if range.start < range.end && range.end <= source.len() {
            masks.push(Region { kind, span: Span::new(range.start, range.end) });
        }
    };
    for (event, range) in Parser::new_ext(source, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => push(RegionKind::Code, range),
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) | Event::Html(_) => {
                let text = source.get(range.clone()).unwrap_or("");
                let kind = if text.trim_start().starts_with("<!--") { RegionKind::Comment } else { RegionKind::Code };
                push(kind, range);
            }
            Event::Start(Tag::Image { .. }) => push(RegionKind::Url, range),
            Event::Start(Tag::Link { link_type, .. }) => match link_type {
                LinkType::Autolink | LinkType::Email => push(RegionKind::Url, range),
                _ => {
                    // `[text](destination)` or `[text][label]`: the text is prose, the rest is not.
                    let text = source.get(range.clone()).unwrap_or("");
                    let tail = text.rfind("](").or_else(|| text.rfind("]["));
                    if let Some(at) = tail {
                        push(RegionKind::Url, range.start + at + 1..range.end);
                    }
                }
            },
            _ => {}
        }
    }
    masks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Document, InputFormat, Profile};

    fn regions(src: &str) -> Vec<(RegionKind, &str)> {
        let doc = Document::parse(src, InputFormat::Markdown, Profile::Auto);
        doc.regions().iter().map(|r| (r.kind, r.span.text(src))).collect()
    }

    fn kind_of(regions: &[(RegionKind, &str)], needle: &str) -> Option<RegionKind> {
        regions.iter().find(|(_, text)| text.contains(needle)).map(|r| r.0)
    }

    #[test]
    fn fenced_code_is_code_even_with_signature_markers_inside() {
        let src = "Hi Ada,\n\nThe filter:\n\n```\n--\nBUY NOW!!!\n> act now\n```\n\nWhich day suits?\n\nBest,\nJules\n";
        let r = regions(src);
        assert_eq!(kind_of(&r, "BUY NOW"), Some(RegionKind::Code));
        assert_eq!(kind_of(&r, "Which day suits?"), Some(RegionKind::Body));
        assert_eq!(kind_of(&r, "Best,"), Some(RegionKind::SignOff));
    }

    #[test]
    fn inline_code_and_comments_are_masked() {
        let src = "It catches `act now` too. <!-- sign up today! -->\n";
        let r = regions(src);
        assert_eq!(kind_of(&r, "act now"), Some(RegionKind::Code));
        assert_eq!(kind_of(&r, "sign up"), Some(RegionKind::Comment));
        assert_eq!(kind_of(&r, "It catches"), Some(RegionKind::Body));
    }

    #[test]
    fn link_text_is_prose_and_destination_is_url() {
        let src = "Here's the [teardown I wrote](https://example.com/x \"t\") and <https://y.io>.\n";
        let r = regions(src);
        assert_eq!(kind_of(&r, "teardown I wrote"), Some(RegionKind::Body));
        assert_eq!(kind_of(&r, "(https://example.com/x"), Some(RegionKind::Url));
        assert_eq!(kind_of(&r, "<https://y.io>"), Some(RegionKind::Url));
    }

    #[test]
    fn bare_urls_in_markdown_text_are_masked() {
        let r = regions("The sheet: https://example.com/templates/stock-count\n");
        assert_eq!(kind_of(&r, "https://"), Some(RegionKind::Url));
    }

    #[test]
    fn html_block_comment_is_a_comment_region() {
        let src = "# Title\n\n<!-- Old opening: Sign up today and get 20% off!!! -->\n\nHi Ada,\n";
        let r = regions(src);
        assert_eq!(kind_of(&r, "Sign up today"), Some(RegionKind::Comment));
        assert_eq!(kind_of(&r, "# Title"), Some(RegionKind::Body));
    }
}
