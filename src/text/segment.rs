//! Splits prose regions into paragraphs, sentences and words with byte offsets.
//!
//! Sentences come from UAX #29 (`unicode-segmentation`), with one repair: a break that only
//! happened because a line was hard-wrapped (no terminal punctuation before the newline and a
//! lower-case letter after it) is undone, so wrapped e-mail paragraphs stay whole sentences.

use unicode_segmentation::UnicodeSegmentation;

use super::{Region, RegionKind, Sentence, Word, ask, words};
use crate::span::Span;

pub(super) struct Segmented {
    pub sentences: Vec<Sentence>,
    pub words: Vec<Word>,
    pub quoted: Vec<Span>,
}

pub(super) fn segment(source: &str, regions: &[Region]) -> Segmented {
    let mut out = Segmented { sentences: Vec::new(), words: Vec::new(), quoted: Vec::new() };
    let mut paragraph = 0usize;
    // Word offsets are `u32`: prose past 4 GiB is not split (inputs are capped far below that).
    let prose = |r: &&Region| r.kind.is_prose() && u32::try_from(r.span.end).is_ok();
    for region in regions.iter().filter(prose) {
        let text = region.span.text(source);
        for (para_start, para) in paragraphs(text) {
            let base = region.span.start + para_start;
            find_quoted(para, base, &mut out.quoted);
            for sentence in sentences(para) {
                push_sentence(source, sentence.shift(base), region.kind, paragraph, &mut out);
            }
            paragraph += 1;
        }
    }
    ask::mark_requests(source, &mut out.sentences, &out.words);
    out
}

fn push_sentence(source: &str, span: Span, region: RegionKind, paragraph: usize, out: &mut Segmented) {
    let text = span.text(source);
    let first_word = out.words.len();
    for (offset, word) in text.unicode_word_indices() {
        let start = span.start + offset;
        out.words.push(Word::new(Span::new(start, start + word.len()), words::classify(word)));
    }
    let is_question = text.trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}']).ends_with('?');
    let has_you = out.words.get(first_word..).unwrap_or(&[]).iter().any(|w| w.class.contains(words::WordClass::SECOND));
    out.sentences.push(Sentence {
        span,
        region,
        words: first_word..out.words.len(),
        paragraph,
        is_question,
        is_request: false,
        is_listener_question: is_question && has_you,
    });
}

/// Paragraphs of `text` as (offset, text), separated by blank lines.
fn paragraphs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (true, Some(s)) => {
                out.push((s, text.get(s..offset).unwrap_or("")));
                start = None;
            }
            (false, None) => start = Some(offset),
            _ => {}
        }
        offset += line.len();
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or("")));
    }
    out
}

/// Sentence spans within one paragraph, trimmed, with hard-wrap breaks undone.
fn sentences(para: &str) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let pieces = para.split_sentence_bound_indices().flat_map(|(offset, piece)| split_lowercase_starts(offset, piece));
    for (offset, piece) in pieces {
        let trimmed_start = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            continue;
        }
        let span = Span::new(offset + trimmed_start, offset + trimmed_start + trimmed.len());
        if let Some(prev) = spans.last_mut() {
            if is_soft_break(para, *prev, span) {
                prev.end = span.end;
                continue;
            }
        }
        spans.push(span);
    }
    spans
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "approx", "mr", "mrs", "ms", "dr", "st", "no", "inc", "ltd", "co", "jr", "sr", "dept",
    "est", "fig", "min", "max", "mt", "ft", "lb", "oz", "p.m", "a.m", "u.s", "u.k",
];

/// UAX #29 keeps "…unreal. if u ever want…" together because a lower-case letter follows the
/// full stop; casual messages are written that way, so split there unless the stop ends an
/// abbreviation or an initial.
fn split_lowercase_starts(offset: usize, piece: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = piece.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let is_stop = matches!(bytes.get(i), Some(b'.' | b'!' | b'?'));
        if is_stop {
            let mut j = i + 1;
            while matches!(bytes.get(j), Some(b'.' | b'!' | b'?')) {
                j += 1;
            }
            let mut k = j;
            while matches!(bytes.get(k), Some(b' ' | b'\t')) {
                k += 1;
            }
            let next_lower = piece.get(k..).and_then(|s| s.chars().next()).is_some_and(char::is_lowercase);
            if k > j && next_lower && !ends_with_abbreviation(piece.get(start..i).unwrap_or("")) {
                out.push((offset + start, piece.get(start..k).unwrap_or("")));
                start = k;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    out.push((offset + start, piece.get(start..).unwrap_or("")));
    out
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    let lower = word.to_ascii_lowercase();
    word.chars().count() <= 1 || ABBREVIATIONS.contains(&lower.as_str()) || word.chars().any(|c| c.is_ascii_digit())
}

fn is_soft_break(para: &str, prev: Span, next: Span) -> bool {
    let prev_text = prev.text(para);
    let gap = para.get(prev.end..next.start).unwrap_or("");
    let ends_clause = prev_text.ends_with(['.', '!', '?', ':', ';', '"', '\u{201D}', ')']);
    let next_lower = next.text(para).chars().next().is_some_and(|c| c.is_lowercase());
    let wrapped = gap.contains('\n') || prev_text.ends_with('\n');
    // A wrapped line that did not end a clause continues into the next one.
    (wrapped && !ends_clause && next_lower)
        || (!gap.contains('\n') && !ends_clause && !prev_text.contains('\n') && next_lower)
}

/// Records the inside of each pair of quotation marks in a paragraph: double quotes, and single
/// quotes that open after a space or bracket and close before a space or punctuation (so the
/// apostrophes in "don't" and "members' " are left alone).
fn find_quoted(para: &str, base: usize, out: &mut Vec<Span>) {
    let mut open: Option<usize> = None;
    let mut open_single: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut chars = para.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        match ch {
            '\u{201C}' => open = Some(i + ch.len_utf8()),
            '\u{201D}' => {
                if let Some(start) = open.take() {
                    out.push(Span::new(base + start, base + i));
                }
            }
            '"' => match open.take() {
                Some(start) => out.push(Span::new(base + start, base + i)),
                None => open = Some(i + 1),
            },
            '\'' | '\u{2018}' | '\u{2019}' => {
                let opens = prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | ':' | '\u{2014}'))
                    && next.is_some_and(|n| !n.is_whitespace());
                let closes = prev.is_some_and(|p| !p.is_whitespace())
                    && next.is_none_or(|n| n.is_whitespace() || matches!(n, '.' | ',' | '!' | '?' | ';' | ':' | ')'));
                if let (Some(start), true) = (open_single, closes) {
                    out.push(Span::new(base + start, base + i));
                    open_single = None;
                } else if opens && ch != '\u{2019}' {
                    open_single = Some(i + ch.len_utf8());
                }
            }
            _ => {}
        }
        prev = Some(ch);
    }
    out.sort_by_key(|s| (s.start, s.end));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_wrapped_lines_stay_one_sentence() {
        let para = "I help dental practices in Leeds cut\nno-shows by half. Who do you know?";
        let spans: Vec<&str> = sentences(para).iter().map(|s| s.text(para)).collect();
        assert_eq!(spans, ["I help dental practices in Leeds cut\nno-shows by half.", "Who do you know?"]);
    }

    #[test]
    fn single_quoted_speech_is_quoted_but_apostrophes_are_not() {
        let para = "One opens with 'ACT NOW, limited spots!' and we don't like it.";
        let mut out = Vec::new();
        find_quoted(para, 0, &mut out);
        let texts: Vec<&str> = out.iter().map(|s| s.text(para)).collect();
        assert_eq!(texts, ["ACT NOW, limited spots!"]);
    }

    #[test]
    fn casual_lowercase_sentences_are_split() {
        let para = "ur colors were unreal. if u ever want to split a run lmk. e.g. next week works";
        let spans: Vec<&str> = sentences(para).iter().map(|s| s.text(para)).collect();
        assert_eq!(spans, ["ur colors were unreal.", "if u ever want to split a run lmk.", "e.g. next week works"]);
    }

    #[test]
    fn list_lines_are_separate_sentences() {
        let para = "Three things:\n- Faster payroll\n- Fewer errors";
        assert_eq!(sentences(para).len(), 3);
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "One.\n\n  \nTwo.\nThree.";
        let paras: Vec<&str> = paragraphs(text).iter().map(|p| p.1).collect();
        assert_eq!(paras, ["One.\n", "Two.\nThree."]);
    }
}
