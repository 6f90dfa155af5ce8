//! Splits prose regions into paragraphs, sentences and words with byte offsets.
//!
//! Sentences and words come from UAX #29 (`unicode-segmentation`, or for text that is ASCII
//! but for curly quotes, dashes and the like, a faster scan that finds the same bounds), with
//! one repair: a break that only happened because a line was hard-wrapped (no terminal
//! punctuation before the newline and a lower-case letter after it) is undone, so wrapped
//! e-mail paragraphs stay whole sentences.

use std::ops::ControlFlow;

use rayon::prelude::*;
use unicode_segmentation::{USentenceBoundIndices, UnicodeSegmentation};

use super::{PartWords, REGION_KINDS, Region, RegionKind, Sentence, Word, Words, words};
use crate::buffer::Zeroed;
use crate::span::Span;

#[derive(Default)]
pub(super) struct Segmented {
    pub sentences: Vec<Sentence>,
    pub words: Words,
    pub quoted: Vec<Span>,
    /// Words without a letter or digit (the underscores-only piece of an overlong word, say) in
    /// each kind of region, by `RegionKind as usize`.
    pub punct_only: [usize; REGION_KINDS],
}

/// What one run of paragraphs splits into: its sentences (word indices counted from the run's
/// first word), its words, its quotations and its count of punctuation-only words by region.
struct Run<'b> {
    sentences: Vec<Sentence>,
    words: WordSink<'b>,
    quoted: Vec<Span>,
    punct_only: [usize; REGION_KINDS],
}

/// Where a run writes its words: a block of the split's buffer (see [`Words`]), or once that is
/// full (a text of one-letter words, say), a vector.
struct WordSink<'b> {
    /// The block (empty once the words have spilled).
    block: &'b mut [Word],
    /// How many words the block holds (until they spill into the vector).
    len: usize,
    spilled: Option<Vec<Word>>,
}

impl<'b> WordSink<'b> {
    /// Words written into `block`, then a vector.
    fn block(block: &'b mut [Word]) -> Self {
        Self { block, len: 0, spilled: None }
    }

    /// Words written into a vector of `capacity`.
    fn vec(capacity: usize) -> Self {
        Self { block: &mut [], len: 0, spilled: Some(Vec::with_capacity(capacity)) }
    }

    fn len(&self) -> usize {
        self.spilled.as_ref().map_or(self.len, Vec::len)
    }

    /// Adds a word: to the block while it has room, once per word of a long text.
    #[inline]
    fn push(&mut self, word: Word) {
        match self.block.get_mut(self.len) {
            Some(slot) => {
                *slot = word;
                self.len += 1;
            }
            None => self.push_to_vec(word),
        }
    }

    /// Adds a word to the vector, moving the block's words there first if they are not yet.
    fn push_to_vec(&mut self, word: Word) {
        let block = std::mem::take(&mut self.block);
        let words = self.spilled.get_or_insert_with(|| {
            let mut words = Vec::with_capacity(2 * block.len() + 16);
            words.extend_from_slice(block);
            words
        });
        words.push(word);
    }

    /// The words from index `from` on.
    fn since(&self, from: usize) -> &[Word] {
        let all = self.spilled.as_deref().unwrap_or_else(|| self.block.get(..self.len).unwrap_or(&[]));
        all.get(from..).unwrap_or(&[])
    }

    /// The words, as a part of [`Words`] whose block starts at `offset` in the buffer.
    fn into_part(self, offset: usize) -> PartWords {
        match self.spilled {
            Some(words) => PartWords::Own(words),
            None => PartWords::Block(offset..offset + self.len),
        }
    }
}

/// Prose at least this long is split in parallel, in runs of paragraphs of about
/// [`CHUNK`] bytes; shorter prose is not worth the threads.
const PARALLEL_AFTER: usize = 1 << 18;
const CHUNK: usize = 1 << 16;

/// A paragraph to split: its region, where it starts in the source, its text.
type Paragraph<'s> = (RegionKind, usize, &'s str);

pub(super) fn segment(source: &str, regions: &[Region]) -> Segmented {
    // Word offsets are `u32`: prose past 4 GiB is not split (inputs are capped far below that).
    let prose = |r: &&Region| r.kind.is_prose() && u32::try_from(r.span.end).is_ok();
    let mut paragraphs_in_order: Vec<Paragraph<'_>> = Vec::new();
    for region in regions.iter().filter(prose) {
        let text = region.span.text(source);
        for (para_start, para) in paragraphs(text) {
            paragraphs_in_order.push((region.kind, region.span.start + para_start, para));
        }
    }
    let total: usize = paragraphs_in_order.iter().map(|p| p.2.len()).sum();
    if total < PARALLEL_AFTER {
        let run = segment_run(source, &paragraphs_in_order, 0, WordSink::vec(words_room(total)));
        return Segmented {
            sentences: run.sentences,
            words: Words::from_blocks(None, vec![run.words.into_part(0)]),
            quoted: run.quoted,
            punct_only: run.punct_only,
        };
    }
    // Runs of whole paragraphs, split at once on the cores and joined in order: the same
    // result as one pass, since no sentence, word or quotation crosses a paragraph.
    let mut runs: Vec<(usize, &[Paragraph<'_>])> = Vec::new();
    let mut rest: &[Paragraph<'_>] = &paragraphs_in_order;
    let mut first = 0;
    while !rest.is_empty() {
        let mut size = 0;
        let take = rest.iter().take_while(|p| {
            let more = size < CHUNK;
            size += p.2.len();
            more
        });
        let n = take.count().max(1);
        let (run, after) = rest.split_at(n.min(rest.len()));
        runs.push((first, run));
        first += run.len();
        rest = after;
    }
    // Each run's words go to a block of one buffer, the blocks end to end (see `Words`).
    let rooms: Vec<usize> = runs.iter().map(|(_, run)| words_room(run.iter().map(|p| p.2.len()).sum())).collect();
    let mut buffer = Zeroed::<Word>::new(rooms.iter().sum());
    let mut blocks = Vec::with_capacity(runs.len());
    let mut offsets = Vec::with_capacity(runs.len());
    let (mut free, mut offset) = (buffer.as_mut_slice(), 0);
    for &room in &rooms {
        let (block, after) = free.split_at_mut(room.min(free.len()));
        blocks.push(block);
        offsets.push(offset);
        offset += room;
        free = after;
    }
    // A task a run: rayon splits a range only as often as it sees threads at the start, and
    // the other core, busy scanning then, comes back to find the rest in a few big halves
    // already taken. In runs of 64 KiB it takes over whatever is left.
    let parts: Vec<Run<'_>> = runs
        .par_iter()
        .zip(blocks)
        .with_max_len(1)
        .map(|((first, run), block)| segment_run(source, run, *first, WordSink::block(block)))
        .collect();
    let mut sentences = Vec::with_capacity(parts.iter().map(|p| p.sentences.len()).sum());
    let mut quoted = Vec::with_capacity(parts.iter().map(|p| p.quoted.len()).sum());
    let mut words = Vec::with_capacity(parts.len());
    let mut punct_only = [0; REGION_KINDS];
    let mut shift = 0;
    for ((index, part), offset) in parts.into_iter().enumerate().zip(offsets) {
        let words_part = u32::try_from(index).unwrap_or(u32::MAX);
        sentences.extend(part.sentences.into_iter().map(|s| s.moved(shift, words_part)));
        shift += part.words.len();
        words.push(part.words.into_part(offset));
        quoted.extend(part.quoted);
        for (total, count) in punct_only.iter_mut().zip(part.punct_only) {
            *total += count;
        }
    }
    Segmented { sentences, words: Words::from_blocks(Some(buffer), words), quoted, punct_only }
}

/// Room for the words of `bytes` of prose: more than prose needs, so that a run seldom outgrows
/// its block or vector (and then spills into a vector of its own: slower, not wrong). Prose has
/// five to eight bytes a word; no run of 64 KiB in the benchmark corpus, its typed form, five
/// published articles, vim's help or Rust's release notes has more than a word per 5.4 bytes.
/// Room is not free: a long text's blocks lie on huge pages, which are cleared whole, unwritten
/// room and all (at a word per four bytes, a quarter of the buffer was never written).
fn words_room(bytes: usize) -> usize {
    bytes / 5 + 1
}

/// Splits consecutive paragraphs, the first of which is paragraph number `first`.
fn segment_run<'b>(source: &str, run: &[Paragraph<'_>], first: usize, words: WordSink<'b>) -> Run<'b> {
    // Sized above what prose needs (seventy to eighty bytes a sentence), so that a long run
    // does not grow it by copying: capacity never written costs no memory.
    let bytes: usize = run.iter().map(|p| p.2.len()).sum();
    let mut out =
        Run { sentences: Vec::with_capacity(bytes / 48 + 1), words, quoted: Vec::new(), punct_only: [0; REGION_KINDS] };
    let mut spans = Vec::new();
    for (index, (kind, base, para)) in run.iter().enumerate() {
        find_quoted(para, *base, &mut out.quoted);
        // A paragraph the byte scan splits has words it can find too (see `byte_words`).
        let scannable = byte_scannable(para);
        sentences_into(para, scannable, &mut spans);
        for sentence in &spans {
            push_sentence(source, sentence.shift(*base), *kind, first + index, scannable, &mut out);
        }
    }
    out
}

/// Splits the sentence at `span` into words, and records both. `scannable`: its paragraph is
/// known to be (see [`byte_scannable`]); if not, the sentence alone may still be.
fn push_sentence(source: &str, span: Span, region: RegionKind, paragraph: usize, scannable: bool, out: &mut Run<'_>) {
    let text = span.text(source);
    let first_word = out.words.len();
    let mut push = |offset: usize, word: &str, class: words::WordClass| {
        push_word(&mut out.words, span.start + offset, word, class);
    };
    if scannable || byte_scannable(text) {
        // An ASCII word is classified by the shape found with it, without asking again.
        byte_words(text, &mut |offset, word, shape| {
            let class = match shape {
                Some(shape) => words::classify_shaped(word.as_bytes(), shape),
                None => words::classify(word),
            };
            push(offset, word, class);
        });
    } else {
        text.unicode_word_indices().for_each(|(offset, word)| push(offset, word, words::classify(word)));
    }
    let is_question = text.trim_end_matches(['"', '\'', ')', '\u{201D}', '\u{2019}']).ends_with('?');
    let (mut has_you, mut punct_only) = (false, 0);
    for word in out.words.since(first_word) {
        has_you |= word.class.contains(words::WordClass::SECOND);
        punct_only += usize::from(word.class.contains(words::WordClass::PUNCT_ONLY));
    }
    if let Some(count) = out.punct_only.get_mut(region as usize) {
        *count += punct_only;
    }
    out.sentences.push(Sentence::new(
        span,
        region,
        first_word..out.words.len(),
        paragraph,
        is_question,
        is_question && has_you,
    ));
}

/// Adds the word `word` found at `start`, of class `class`; a word longer than a [`Word`] can
/// span goes in pieces. Once per word of a long text: kept inline, as a closure's call was a
/// tenth of the words' instructions.
#[inline(always)]
fn push_word(sink: &mut WordSink<'_>, start: usize, word: &str, class: words::WordClass) {
    if word.len() <= Word::MAX_LEN {
        sink.push(Word::new(Span::new(start, start + word.len()), class));
    } else {
        for (at, piece) in pieces_of_at_most(word, Word::MAX_LEN) {
            let start = start + at;
            sink.push(Word::new(Span::new(start, start + piece.len()), words::classify(piece)));
        }
    }
}

/// The words of scannable `text` (see [`byte_scannable`]) as (offset, word), the same as
/// `unicode_word_indices` gives: the UAX #29 word-bound pieces that hold a letter or digit. In
/// ASCII, letters, digits and `_` always stay together (WB5, WB8–WB10, WB13a–b); a `:`, `.`
/// or `'` joins two letters (WB6–7) and a `,`, `;`, `.` or `'` joins two digits (WB11–12);
/// every other byte is a bound on both sides. Of the wider characters, the Latin letters of
/// [`wide_letter_at`] are letters as ASCII ones are (ALetter), the curly apostrophes `’` and
/// `‘` join as `'` does (they are MidNumLet, `'` is Single_Quote, and WB6–7 and WB11–12 treat
/// the two alike), and the rest are bounds. The crate's table search per character was most
/// of the cost of finding words.
///
/// An ASCII word comes with its [`words::Shape`], gathered on the way: one table look-up per
/// byte both finds the word's end and classifies it. A word with a curly apostrophe or a
/// letter past ASCII comes with `None`, to be classified by its characters.
fn byte_words(text: &str, found: &mut impl FnMut(usize, &str, Option<words::Shape>)) {
    use words::{JOINS_DIGITS, JOINS_LETTERS, WIDE_LETTER_LEAD, WORDY, kind};
    let bytes = text.as_bytes();
    let letter = |b: u8| kind(b) & (words::UPPER | words::LOWER) != 0;
    let digit = |b: u8| kind(b) & words::DIGIT != 0;
    let mut at = 0;
    while let Some(skip) =
        bytes.get(at..).and_then(|rest| rest.iter().position(|&b| kind(b) & (WORDY | WIDE_LETTER_LEAD) != 0))
    {
        let start = at + skip;
        let mut shape = words::Shape::default();
        // A curly apostrophe or a letter past ASCII: the word is classified by its characters.
        let mut wide = false;
        let mut end = start;
        while let Some(&next) = bytes.get(end) {
            let next_kind = kind(next);
            if next_kind & WORDY != 0 {
                shape.add(next);
                end += 1;
                continue;
            }
            // A joining mark: one byte, or the three of `‘` (E2 80 98) or `’` (E2 80 99).
            let (joins, width) = match next {
                0xE2 if matches!(bytes.get(end + 1..end + 3), Some([0x80, 0x98 | 0x99])) => {
                    (JOINS_LETTERS | JOINS_DIGITS, 3)
                }
                _ => (next_kind & (JOINS_LETTERS | JOINS_DIGITS), 1),
            };
            if joins == 0 {
                // A Latin letter past ASCII goes on the word as a letter (its shape is not
                // used: the word is classified by its characters).
                if next_kind & WIDE_LETTER_LEAD == 0 {
                    break;
                }
                let width = wide_letter_at(bytes, end);
                if width == 0 {
                    break;
                }
                shape.add(b'a');
                wide = true;
                end += width;
                continue;
            }
            let (Some(&before), Some(&after)) = (bytes.get(end - 1), bytes.get(end + width)) else { break };
            // A letter past ASCII may stand on either side.
            let letters = joins & JOINS_LETTERS != 0
                && letter_before(bytes, end)
                && (letter(after) || wide_letter_at(bytes, end + width) > 0);
            let digits = joins & JOINS_DIGITS != 0 && digit(before) && digit(after);
            if !(letters || digits) {
                break;
            }
            shape.add(next);
            wide |= width > 1;
            end += width;
        }
        // A run of `_` alone is no word (nor is `×` or `÷`, which end a word before it starts).
        if shape.has_letter_or_digit() {
            found(start, text.get(start..end).unwrap_or(""), (!wide).then_some(shape));
        }
        at = end.max(start + 1);
    }
}

/// The width of the Latin letter from U+00C0 to U+017F that starts at `at` (two bytes, lead
/// C3 to C5), or 0 if none does: À to ÿ but `×` and `÷`, and Latin Extended-A (Ā to ſ). Each
/// is a letter (ALetter) to UAX #29's word bounds and upper or lower case to its sentence
/// bounds, as the ASCII letters are.
fn wide_letter_at(bytes: &[u8], at: usize) -> usize {
    match (bytes.get(at), bytes.get(at + 1)) {
        (Some(&lead @ 0xC3..=0xC5), Some(&next @ 0x80..=0xBF)) => {
            let c = (u32::from(lead & 0x1F) << 6) | u32::from(next & 0x3F);
            if c == 0xD7 || c == 0xF7 { 0 } else { 2 }
        }
        _ => 0,
    }
}

/// `text` cut into consecutive pieces of at most `most` bytes (and at least one character), at
/// character boundaries, as (offset, piece).
fn pieces_of_at_most(text: &str, most: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = text.get(at..).filter(|rest| !rest.is_empty())?;
        let mut end = most.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        let piece = (at, rest.get(..end).unwrap_or(rest));
        at += end;
        Some(piece)
    })
}

/// Paragraphs of `text` as (offset, text), separated by blank lines.
fn paragraphs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (offset, line) in crate::span::lines_with_offsets(text) {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (true, Some(s)) => {
                out.push((s, text.get(s..offset).unwrap_or("")));
                start = None;
            }
            (false, None) => start = Some(offset),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.get(s..).unwrap_or("")));
    }
    out
}

/// [`sentences_into`] a vector of its own.
#[cfg(test)]
fn sentences(para: &str, scannable: bool) -> Vec<Span> {
    let mut spans = Vec::new();
    sentences_into(para, scannable, &mut spans);
    spans
}

/// Sentence spans within one paragraph, trimmed, with hard-wrap breaks undone, written into
/// `spans` (cleared first): the splitter keeps one vector for all of a run's paragraphs rather
/// than making one for each.
fn sentences_into(para: &str, scannable: bool, spans: &mut Vec<Span>) {
    spans.clear();
    let pieces = bounds_of(para, scannable).flat_map(|(offset, piece)| split_lowercase_starts(offset, piece));
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
}

/// UAX #29 sentence-bound pieces of `para` as (offset, piece), the same as
/// `split_sentence_bound_indices` gives; `scannable` says whether `para` is (see
/// [`byte_scannable`]). Text that is ASCII but for the punctuation and spaces [`wide_class`]
/// knows (curly quotes, dashes, no-break spaces), nearly all prose, is split by
/// [`AsciiSentences`]: the crate's table search per character and its SB8 look-ahead were a
/// fifth of the time spent checking long prose, and that look-ahead, redone at every space
/// after a full stop, made a long run of spaces quadratic.
fn bounds_of(para: &str, scannable: bool) -> SentenceBounds<'_> {
    if scannable {
        SentenceBounds::Ascii(AsciiSentences::new(para))
    } else {
        SentenceBounds::Unicode(para.split_sentence_bound_indices())
    }
}

enum SentenceBounds<'a> {
    Ascii(AsciiSentences<'a>),
    Unicode(USentenceBoundIndices<'a>),
}

impl<'a> Iterator for SentenceBounds<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Ascii(pieces) => pieces.next(),
            Self::Unicode(pieces) => pieces.next(),
        }
    }
}

/// Sentence-break classes (UAX #29) of the characters ASCII has: no ASCII character is
/// OLetter, Sep, Extend or Format.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sb {
    Other,
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    ATerm,
    STerm,
    Close,
    SContinue,
}

/// The class of each ASCII byte, as `unicode-segmentation`'s tables give it: one row per 16
/// bytes, 0x00 to 0x7F.
#[rustfmt::skip]
const SB_CLASS: [Sb; 128] = {
    use Sb::{ATerm as AT, Close as CL, Cr as CR, Lf as LF, Lower as LO, Numeric as NU, Other as XX,
             SContinue as SC, STerm as ST, Sp as SP, Upper as UP};
    [
        XX, XX, XX, XX, XX, XX, XX, XX, XX, SP, LF, SP, SP, CR, XX, XX, // \t \n VT FF \r
        XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX, XX,
        SP, ST, CL, XX, XX, XX, XX, CL, CL, CL, XX, XX, SC, SC, AT, XX, //   ! " ' ( ) , - .
        NU, NU, NU, NU, NU, NU, NU, NU, NU, NU, SC, SC, XX, XX, XX, ST, // 0-9 : ; ?
        XX, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, // A-O
        UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, UP, CL, XX, CL, XX, XX, // P-Z [ ]
        XX, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, // a-o
        LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, LO, CL, XX, CL, XX, XX, // p-z { }
    ]
};

fn class(b: u8) -> Sb {
    SB_CLASS.get(usize::from(b)).copied().unwrap_or(Sb::Other)
}

/// The class (UAX #29) of a character outside ASCII that the byte scan takes, or `None`: the
/// punctuation, spaces, accented Latin letters and common emoji that typed prose, word
/// processors and phones put in. None of them is a terminator, a line or paragraph end, a
/// letter of no case (OLetter), or a mark that attaches to the character before (Extend,
/// Format), so the scan, which looks for terminators and line ends among ASCII bytes and only
/// classes what follows a terminator, finds the crate's bounds with them as with their ASCII
/// kin: a curly quote closes as `"` does, a dash goes on as `-`, `é` is a lower-case letter
/// as `e` is.
fn wide_class(c: char) -> Option<Sb> {
    match c {
        // No-break, en, em, thin, hair and the other fixed-width spaces.
        '\u{A0}' | '\u{2002}'..='\u{200A}' | '\u{205F}' => Some(Sb::Sp),
        // ‘ ’ “ ” « » and the low quotation marks ‚ „.
        '\u{2018}'..='\u{201F}' | '\u{AB}' | '\u{BB}' | '\u{2039}' | '\u{203A}' => Some(Sb::Close),
        // – —
        '\u{2013}' | '\u{2014}' => Some(Sb::SContinue),
        // ‐ ‑ ‒ ― • … ′ ″ and signs: € £ ¥ ° © ® ™ § ¶ · × ÷ ±
        '\u{2010}'..='\u{2012}'
        | '\u{2015}'
        | '\u{2022}'
        | '\u{2026}'
        | '\u{2032}'
        | '\u{2033}'
        | '\u{20AC}'
        | '\u{A3}'
        | '\u{A5}'
        | '\u{B0}'
        | '\u{A9}'
        | '\u{AE}'
        | '\u{2122}'
        | '\u{A7}'
        | '\u{B6}'
        | '\u{D7}'
        | '\u{F7}'
        | '\u{B1}'
        // ¡ ¿ ¢ ¬ † ‡ ‰, arrows and geometric shapes (bullets such as ▪ ■ ● ○).
        | '\u{A1}'
        | '\u{BF}'
        | '\u{A2}'
        | '\u{AC}'
        | '\u{2020}'
        | '\u{2021}'
        | '\u{2030}'
        | '\u{2190}'..='\u{21FF}'
        | '\u{25A0}'..='\u{25FF}' => Some(Sb::Other),
        // Latin letters with accents (see [`wide_letter_at`]).
        '\u{C0}'..='\u{17F}' => Some(if c.is_uppercase() { Sb::Upper } else { Sb::Lower }),
        // Emoji and the pictographs around them (see [`is_emoji`]).
        c if is_emoji(c) => Some(Sb::Other),
        _ => None,
    }
}

/// The pictographs messages put in: the emoji blocks, the miscellaneous symbols (`☺ ☀ ★`) and
/// the dingbats (`✅ ✔ ❤ ✨`), but for the dingbats' ornamental quotation marks and brackets
/// (closing marks or terminators to the sentence rules) and circled digits (numbers to the word
/// rules), the skin tones (which attach to the character before) and the regional indicators
/// (which pair into flags).
fn is_emoji(c: char) -> bool {
    matches!(
        c,
        '\u{2600}'..='\u{26FF}'
            | '\u{2700}'..='\u{275A}'
            | '\u{2763}'..='\u{2767}'
            | '\u{2794}'..='\u{27BF}'
            | '\u{1F300}'..='\u{1F3FA}'
            | '\u{1F400}'..='\u{1F64F}'
            | '\u{1F680}'..='\u{1F6FF}'
            | '\u{1F900}'..='\u{1F9FF}'
    )
}

/// What may follow an emoji and belong to it (Extend, or a joiner before the next emoji of a
/// sequence): the variation selectors that ask for text or emoji style, the skin tones and the
/// zero-width joiner. The byte scan takes them after an emoji (or after one another) and
/// nowhere else: after a letter, UAX #29 would make them part of a word.
fn is_emoji_modifier(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{200D}')
}

/// True if every character of `text` is ASCII or has a [`wide_class`], or modifies the emoji
/// before it (see [`is_emoji_modifier`]): the text the byte scan splits. (ASCII runs are passed
/// over sixteen bytes at a time.)
fn byte_scannable(text: &str) -> bool {
    let mut rest = text;
    let mut after_emoji = false;
    loop {
        let ascii = crate::span::ascii_prefix_len(rest.as_bytes());
        if ascii > 0 {
            after_emoji = false;
        }
        rest = rest.get(ascii..).unwrap_or("");
        let mut chars = rest.chars();
        match chars.next() {
            None => return true,
            Some(c) if is_emoji_modifier(c) && after_emoji => rest = chars.as_str(),
            Some(c) if wide_class(c).is_some() => {
                after_emoji = is_emoji(c);
                rest = chars.as_str();
            }
            Some(_) => return false,
        }
    }
}

/// The class of the character at `at` of `bytes` (a scannable text's, see [`byte_scannable`])
/// and its length in bytes.
fn class_at(bytes: &[u8], at: usize) -> (Sb, usize) {
    match bytes.get(at) {
        Some(&b) if b.is_ascii() => (class(b), 1),
        Some(&lead) => {
            let len = match lead {
                0xF0.. => 4,
                0xE0.. => 3,
                _ => 2,
            };
            let c = bytes.get(at..at + len).and_then(|b| std::str::from_utf8(b).ok()).and_then(|s| s.chars().next());
            (c.and_then(wide_class).unwrap_or(Sb::Other), len)
        }
        None => (Sb::Other, 1),
    }
}

/// Sentence-bound pieces of scannable text (see [`byte_scannable`]), by the rules of UAX #29
/// (SB1–SB998). A bound falls only after a line end (SB4) or after a terminator and the
/// closing marks and spaces that follow it (SB11), so only the characters after a `.`, `!`,
/// `?`, CR or LF are classed.
struct AsciiSentences<'a> {
    text: &'a str,
    start: usize,
    /// The first line end (CR or LF) at or after the last place searched, or the end of the
    /// text: found once per line rather than once per sentence.
    line_end: Option<usize>,
}

impl<'a> AsciiSentences<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, start: 0, line_end: None }
    }

    /// The first bound after `start`, itself a bound. No rule that keeps a sentence going
    /// looks back past a bound, so nothing before `start` matters.
    fn next_bound(&mut self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut from = start;
        loop {
            let line_end = match self.line_end {
                Some(end) if end >= from => end,
                _ => {
                    let rest = bytes.get(from..).unwrap_or(&[]);
                    let end = memchr::memchr2(b'\r', b'\n', rest).map_or(bytes.len(), |i| from + i);
                    self.line_end = Some(end);
                    end
                }
            };
            // A terminator before the line end, or else the line end.
            let line = bytes.get(from..line_end).unwrap_or(&[]);
            let at = memchr::memchr3(b'.', b'!', b'?', line).map_or(line_end, |i| from + i);
            match bytes.get(at).copied().map(class) {
                // SB3, SB4: a bound after a line end, CR LF counting as one.
                Some(Sb::Cr) if bytes.get(at + 1) == Some(&b'\n') => return at + 2,
                Some(Sb::Cr | Sb::Lf) => return at + 1,
                Some(term) => match after_terminator(bytes, at, term) {
                    ControlFlow::Break(bound) => return bound,
                    ControlFlow::Continue(next) => from = next,
                },
                None => return bytes.len(),
            }
        }
    }
}

impl<'a> Iterator for AsciiSentences<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let start = self.start;
        if start >= self.text.len() {
            return None;
        }
        let end = self.next_bound(start);
        self.start = end;
        Some((start, self.text.get(start..end).unwrap_or("")))
    }
}

/// Follows the terminator at `at` through its closing marks and spaces (SATerm Close* Sp*):
/// `Break(bound)` where SB11 ends the sentence, or `Continue(next)` where a rule keeps it going
/// and ordinary text (or another terminator or a line end) resumes at `next`.
fn after_terminator(bytes: &[u8], at: usize, term: Sb) -> ControlFlow<usize, usize> {
    let full_stop = term == Sb::ATerm;
    // SB8's look-ahead skips closing marks and spaces, so its answer is the same from
    // anywhere in the run: found once, at most, per full stop.
    let mut lower_ahead: Option<bool> = None;
    let mut spaced = false;
    let mut i = at + 1;
    while i < bytes.len() {
        let (c, len) = class_at(bytes, i);
        let kept = match c {
            // SB8a, SB9, SB10: more terminators, SContinue, closing marks before any space,
            // spaces and a line end all stay with the terminator.
            Sb::ATerm | Sb::STerm | Sb::SContinue | Sb::Sp | Sb::Cr | Sb::Lf => true,
            Sb::Close => !spaced,
            // SB6, SB7: "3.5", "U.S."
            Sb::Numeric => full_stop && i == at + 1,
            Sb::Upper => full_stop && i == at + 1 && letter_before(bytes, at),
            _ => false,
        };
        // SB8: "e.g. this", where the sentence goes on in lower case.
        let kept = kept || (full_stop && *lower_ahead.get_or_insert_with(|| lower_follows(bytes, i)));
        if !kept {
            return ControlFlow::Break(i);
        }
        match c {
            Sb::Close if !spaced => {}
            Sb::Sp => spaced = true,
            _ => return ControlFlow::Continue(i),
        }
        i += len;
    }
    ControlFlow::Break(bytes.len())
}

/// An upper- or lower-case letter right before `at` (before a full stop, SB7; before a mark
/// that may join two letters, WB6–7): an ASCII one, or a Latin letter of two bytes (see
/// [`wide_letter_at`]; no other character of a scannable text is a letter).
fn letter_before(bytes: &[u8], at: usize) -> bool {
    at.checked_sub(1).and_then(|i| bytes.get(i)).is_some_and(|&b| matches!(class(b), Sb::Upper | Sb::Lower))
        || at.checked_sub(2).is_some_and(|i| wide_letter_at(bytes, i) > 0)
}

/// SB8: from `from`, a lower-case letter comes before any other letter, terminator or line end.
/// (The wider characters of a scannable text that are not letters class as closing marks,
/// spaces, dashes or `Other`, none of which stops the look.)
fn lower_follows(bytes: &[u8], from: usize) -> bool {
    let mut at = from;
    while at < bytes.len() {
        let (class, len) = class_at(bytes, at);
        match class {
            Sb::Lower => return true,
            Sb::Upper | Sb::ATerm | Sb::STerm | Sb::Cr | Sb::Lf => return false,
            _ => at += len,
        }
    }
    false
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "vs", "approx", "mr", "mrs", "ms", "dr", "st", "no", "inc", "ltd", "co", "jr", "sr", "dept",
    "est", "fig", "min", "max", "mt", "ft", "lb", "oz", "p.m", "a.m", "u.s", "u.k",
];

/// UAX #29 keeps "…unreal. if u ever want…" together because a lower-case letter follows the
/// full stop; casual messages are written that way, so split there unless the stop ends an
/// abbreviation or an initial.
fn split_lowercase_starts(offset: usize, piece: &str) -> LowercaseStarts<'_> {
    LowercaseStarts { offset, piece, start: 0, at: 0, done: false }
}

/// The pieces of [`split_lowercase_starts`], found one at a time: the sentence splitter asks
/// for them once per sentence, and a vector for each was an allocation per sentence.
struct LowercaseStarts<'a> {
    offset: usize,
    piece: &'a str,
    /// Where the next piece starts.
    start: usize,
    /// Where the search for the next run of stops resumes.
    at: usize,
    done: bool,
}

impl<'a> Iterator for LowercaseStarts<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let (piece, bytes) = (self.piece, self.piece.as_bytes());
        // From one run of stops to the next (memchr3 skips what lies between, most of the piece).
        while let Some(i) =
            bytes.get(self.at..).and_then(|rest| memchr::memchr3(b'.', b'!', b'?', rest)).map(|p| self.at + p)
        {
            let mut j = i + 1;
            while matches!(bytes.get(j), Some(b'.' | b'!' | b'?')) {
                j += 1;
            }
            let mut k = j;
            while matches!(bytes.get(k), Some(b' ' | b'\t')) {
                k += 1;
            }
            self.at = j;
            let next_lower = piece.get(k..).and_then(|s| s.chars().next()).is_some_and(char::is_lowercase);
            if k > j && next_lower && !ends_with_abbreviation(piece.get(self.start..i).unwrap_or("")) {
                let found = (self.offset + self.start, piece.get(self.start..k).unwrap_or(""));
                self.start = k;
                return Some(found);
            }
        }
        self.done = true;
        Some((self.offset + self.start, piece.get(self.start..).unwrap_or("")))
    }
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    word.chars().count() <= 1
        || ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
        || word.chars().any(|c| c.is_ascii_digit())
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
///
/// Only the quotation marks are visited: `memchr3` finds `"`, `'` and the lead byte every curly
/// quote shares, and the characters on either side are decoded there (a paragraph is read a
/// vector at a time, not a character at a time).
fn find_quoted(para: &str, base: usize, out: &mut Vec<Span>) {
    // Earlier paragraphs' quotations all come before this one's: only the new ones are sorted.
    let from = out.len();
    let mut open: Option<usize> = None;
    let mut open_single: Option<usize> = None;
    for i in memchr::memchr3_iter(b'"', b'\'', CURLY_QUOTE_LEAD, para.as_bytes()) {
        let Some(ch) = para.get(i..).and_then(|rest| rest.chars().next()) else { continue };
        let prev = para.get(..i).and_then(|before| before.chars().next_back());
        let next = para.get(i + ch.len_utf8()..).and_then(|after| after.chars().next());
        quote_mark(ch, i, (prev, next), base, (&mut open, &mut open_single), out);
    }
    if let Some(new) = out.get_mut(from..) {
        new.sort_by_key(|s| (s.start, s.end));
    }
}

/// The first byte of the UTF-8 encoding of each of `“ ” ‘ ’`.
const CURLY_QUOTE_LEAD: u8 = 0xE2;

/// What the character `ch` at `i` does to the quotations being read: opens one, closes one (and
/// records it in `out`), or nothing; `prev` and `next` are the characters around it.
fn quote_mark(
    ch: char,
    i: usize,
    (prev, next): (Option<char>, Option<char>),
    base: usize,
    (open, open_single): (&mut Option<usize>, &mut Option<usize>),
    out: &mut Vec<Span>,
) {
    match ch {
        '\u{201C}' => *open = Some(i + ch.len_utf8()),
        '\u{201D}' => {
            if let Some(start) = open.take() {
                out.push(Span::new(base + start, base + i));
            }
        }
        '"' => match open.take() {
            Some(start) => out.push(Span::new(base + start, base + i)),
            None => *open = Some(i + 1),
        },
        '\'' | '\u{2018}' | '\u{2019}' => {
            let opens = prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | ':' | '\u{2014}'))
                && next.is_some_and(|n| !n.is_whitespace());
            let closes = prev.is_some_and(|p| !p.is_whitespace())
                && next.is_none_or(|n| n.is_whitespace() || matches!(n, '.' | ',' | '!' | '?' | ';' | ':' | ')'));
            if let (Some(start), true) = (*open_single, closes) {
                out.push(Span::new(base + start, base + i));
                *open_single = None;
            } else if opens && ch != '\u{2019}' {
                *open_single = Some(i + ch.len_utf8());
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn sentence_bounds(para: &str) -> SentenceBounds<'_> {
        bounds_of(para, byte_scannable(para))
    }

    fn crate_bounds(text: &str) -> Vec<(usize, &str)> {
        text.split_sentence_bound_indices().collect()
    }

    /// The words [`byte_words`] finds in `text`, as (offset, word).
    fn scanned_words(text: &str) -> Vec<(usize, String)> {
        let mut words = Vec::new();
        byte_words(text, &mut |at, word, _| words.push((at, word.to_owned())));
        words
    }

    /// The words unicode-segmentation finds in `text`, as (offset, word).
    fn crate_words(text: &str) -> Vec<(usize, String)> {
        text.unicode_word_indices().map(|(at, w)| (at, w.to_owned())).collect()
    }

    fn pieces(text: &str) -> Vec<&str> {
        sentence_bounds(text).map(|(_, piece)| piece).collect()
    }

    #[test]
    fn sentence_bounds_follow_uax_29() {
        assert_eq!(pieces(""), [""; 0]);
        assert_eq!(pieces("e.g. this is fine. Next one"), ["e.g. this is fine. ", "Next one"]);
        assert_eq!(pieces("Mr. Smith went to the U.S. and back."), ["Mr. ", "Smith went to the U.S. and back."]);
        assert_eq!(pieces("\"Hi.\" she said. It is 3.5 m long."), ["\"Hi.\" she said. ", "It is 3.5 m long."]);
        assert_eq!(pieces("the end.)  Next"), ["the end.)  ", "Next"]);
        assert_eq!(pieces("wait... what?! Yes"), ["wait... what?! ", "Yes"]);
        assert_eq!(pieces("Hi. 1 2 3 then go. Hi! what"), ["Hi. 1 2 3 then go. ", "Hi! ", "what"]);
        assert_eq!(pieces("Done. (Really) yes.\tNo"), ["Done. ", "(Really) yes.\t", "No"]);
        assert_eq!(pieces("One\r\nTwo\n\nThree.\r\rFour"), ["One\r\n", "Two\n", "\n", "Three.\r", "\r", "Four"]);
        assert_eq!(pieces("Caf\u{e9}. Next"), ["Caf\u{e9}. ", "Next"]);
    }

    #[test]
    fn every_ascii_byte_is_classed_as_the_crate_classes_it() {
        // Two bytes in places where their classes decide the bounds: after full stops, after a
        // capital's full stop, after spaces and closing marks, before terminators.
        let frames = [("x.", " y"), ("Ab.", "B"), ("x?", "a"), ("x. ", "a"), ("x.)", " Z"), ("x", ". Y"), ("", "")];
        for b in 0..128u8 {
            for c in 0..128u8 {
                for (before, after) in frames {
                    let text = format!("{before}{}{}{after}", char::from(b), char::from(c));
                    assert_eq!(sentence_bounds(&text).collect::<Vec<_>>(), crate_bounds(&text), "{text:?}");
                }
            }
        }
    }

    /// Every character [`wide_class`] takes.
    fn wide_chars() -> Vec<char> {
        ('\u{80}'..='\u{1FAFF}').filter(|&c| wide_class(c).is_some()).collect()
    }

    /// The wider characters that are not letters, emoji, arrows or shapes, and a few of those:
    /// partners for every wider character in [`every_wide_character_is_classed_as_the_crate_classes_it`]
    /// (every letter of one case classes alike).
    fn wide_partners() -> Vec<char> {
        let few = [
            '\u{E9}',
            '\u{C9}',
            '\u{DF}',
            '\u{17D}',
            '\u{17F}',
            '\u{FF}',
            '\u{1F642}',
            '\u{2764}',
            '\u{2192}',
            '\u{25CF}',
        ];
        let symbols = '\u{2190}'..='\u{25FF}';
        wide_chars()
            .into_iter()
            .filter(|&c| !c.is_alphabetic() && !is_emoji(c) && !symbols.contains(&c))
            .chain(few)
            .collect()
    }

    /// Partners for each emoji: one of each class it might meet.
    const EMOJI_PARTNERS: &[char] = &[
        ' ',
        '.',
        '!',
        '?',
        'a',
        'A',
        '1',
        '\u{2019}',
        '"',
        ')',
        '\n',
        '\t',
        '\u{E9}',
        '\u{C9}',
        '\u{1F642}',
        '\u{2014}',
    ];

    #[test]
    fn every_wide_character_is_classed_as_the_crate_classes_it() {
        let wide = wide_chars();
        assert!(wide.len() > 300, "{wide:?}");
        // Each beside every ASCII byte and the other kinds, in the places where classes decide.
        let frames = [
            ("x.", " y"),
            ("Ab.", "B"),
            ("x?", "a"),
            ("x. ", "a"),
            ("x.)", " Z"),
            ("x", ". Y"),
            ("", ".B"),
            ("", ". b"),
            ("", ""),
        ];
        let ascii: Vec<char> = (0..128u8).map(char::from).collect();
        let partners: Vec<char> = ascii.iter().copied().chain(wide_partners()).collect();
        for w in &wide {
            let with = if is_emoji(*w) { EMOJI_PARTNERS } else { partners.as_slice() };
            for &c in with {
                for (before, after) in frames {
                    for text in [format!("{before}{w}{c}{after}"), format!("{before}{c}{w}{after}")] {
                        assert!(byte_scannable(&text), "{text:?}");
                        assert_eq!(sentence_bounds(&text).collect::<Vec<_>>(), crate_bounds(&text), "{text:?}");
                    }
                }
            }
            // And as a word's neighbour: between letters, between digits, after and before, and
            // beside the marks that join letters.
            for (before, after) in [
                ("a", "b"),
                ("1", "2"),
                ("a", ""),
                ("", "a"),
                ("a", "1"),
                ("_", "_"),
                ("a'", "b"),
                ("a\u{2019}", ""),
                ("", "'s"),
                ("", "\u{2019}s"),
                ("", ":a"),
                ("a.", ""),
                ("1.", ""),
                ("\u{E9}'", ""),
                ("", ".\u{C9}"),
            ] {
                for text in [format!("{before}{w}{after}"), format!("x {before}{w}{w}{after} y")] {
                    assert_eq!(scanned_words(&text), crate_words(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn text_with_other_characters_is_left_to_the_crate() {
        for text in [
            "Done\u{3002} Next",
            "a\u{2028}b",
            "x.\u{200B} y",
            "\u{3B1}. Next",
            "Cafe\u{301}. Next",
            "Hi a\u{1F3FD}. Yes",
            "Hi.\u{FE0F} Yes",
            "a\u{200D}b",
            "\u{1F1FA}\u{1F1F8} flag",
            "\u{2776} one",
            "\u{AA}. b",
        ] {
            assert!(!byte_scannable(text), "{text:?}");
        }
        assert!(byte_scannable("It\u{2019}s done\u{2014}really. \u{201C}Yes.\u{201D} Next"));
        assert!(byte_scannable("Caf\u{E9} with Jos\u{E9} and Zo\u{EB} \u{1F642}. \u{C9}tude na\u{EF}ve."));
        assert!(byte_scannable("Thanks \u{1F44D}\u{1F3FD} and \u{2764}\u{FE0F}, \u{1F468}\u{200D}\u{1F4BB} too."));
    }

    #[test]
    fn emoji_modifiers_are_classed_as_the_crate_classes_them() {
        let emoji = ['\u{1F642}', '\u{2764}', '\u{1F44D}', '\u{1F468}', '\u{2600}', '\u{270C}'];
        let modifiers = [
            "\u{FE0F}",
            "\u{FE0E}",
            "\u{1F3FD}",
            "\u{1F3FB}\u{200D}\u{1F4BB}",
            "\u{200D}\u{1F525}",
            "\u{FE0F}\u{200D}",
        ];
        let frames =
            [("x.", " y"), ("Ab.", "B"), ("x. ", "a"), ("x", ". Y"), ("", ".B"), ("", ". b"), ("a", "b"), ("", "")];
        for e in emoji {
            for m in modifiers {
                for &c in EMOJI_PARTNERS {
                    for (before, after) in frames {
                        for text in [format!("{before}{e}{m}{c}{after}"), format!("{before}{c}{e}{m}{after}")] {
                            assert!(byte_scannable(&text), "{text:?}");
                            assert_eq!(sentence_bounds(&text).collect::<Vec<_>>(), crate_bounds(&text), "{text:?}");
                            assert_eq!(scanned_words(&text), crate_words(&text), "{text:?}");
                        }
                    }
                }
            }
        }
        // Anywhere but after an emoji, a modifier leaves the text to the crate.
        for m in modifiers {
            for before in ["a", ".", " ", "\u{E9}", "\u{2019}", ""] {
                assert!(!byte_scannable(&format!("{before}{m} x")), "{before:?} {m:?}");
            }
        }
    }

    #[test]
    fn fixture_sentence_bounds_are_the_crates() {
        fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() { walk(&path, files) } else { files.push(path) }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = vec![root.join("README.md"), root.join("benches/NOTES.md")];
        walk(&root.join("fixtures"), &mut files);
        let mut checked = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            for (_, para) in std::iter::once((0, text.as_str())).chain(paragraphs(&text)) {
                assert_eq!(sentence_bounds(para).collect::<Vec<_>>(), crate_bounds(para), "{}", path.display());
                checked += usize::from(byte_scannable(para));
            }
        }
        assert!(checked > 200, "{checked} ASCII paragraphs");
    }

    /// What sentence rules turn on: terminators, closing marks, SContinue, every space and line
    /// end, letters of both cases, digits, and the abbreviations, decimals and quotations the
    /// rules were written for.
    const SENTENCE_PIECES: &[&str] = &[
        ".",
        ".",
        ".",
        "!",
        "?",
        "\"",
        "'",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        ";",
        ":",
        "-",
        " ",
        " ",
        " ",
        "\t",
        "\x0B",
        "\x0C",
        "\n",
        "\r",
        "\r\n",
        "a",
        "x",
        "word",
        "B",
        "Q",
        "Word",
        "7",
        "0",
        "#",
        "Mr. Smith",
        "e.g. this",
        "U.S. and",
        "\"Hi.\" she said",
        "3.5 m",
        "end.)  Next",
        "wait... what",
    ];

    /// Scannable text dense in what joins or splits words: letters, digits, `_` and the marks
    /// between them (curly apostrophes among them), with any other ASCII byte or wider
    /// character the scan takes now and then.
    fn scannable_words_text() -> impl Strategy<Value = String> {
        const MARKS: &[&str] = &[
            "a", "Z", "7", "0", "_", ".", ",", ";", ":", "'", "\u{2019}", "\u{2018}", " ", "-", "\"", "\u{E9}",
            "\u{C9}", "\u{17F}", "\u{D7}",
        ];
        let piece = prop_oneof![
            6 => prop::sample::select(MARKS).prop_map(str::to_owned),
            2 => prop::sample::select(SENTENCE_PIECES).prop_map(str::to_owned),
            1 => (0..128u8).prop_map(|b| char::from(b).to_string()),
            1 => prop::sample::select(wide_chars()).prop_map(|c| c.to_string()),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    /// Prose the byte scan splits: [`SENTENCE_PIECES`], any ASCII byte now and then, and the
    /// wider punctuation and spaces it takes.
    fn scannable_prose() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => prop::sample::select(SENTENCE_PIECES).prop_map(str::to_owned),
            1 => (0..128u8).prop_map(|b| char::from(b).to_string()),
            2 => prop::sample::select(wide_chars()).prop_map(|c| c.to_string()),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn scanned_sentence_bounds_are_the_crates(text in scannable_prose()) {
            prop_assert_eq!(sentence_bounds(&text).collect::<Vec<_>>(), crate_bounds(&text));
        }

        #[test]
        fn scanned_words_are_the_crates(text in scannable_words_text()) {
            let mut words = Vec::new();
            byte_words(&text, &mut |at, word, shape| {
                match shape {
                    Some(shape) => assert_eq!(
                        words::classify_shaped(word.as_bytes(), shape),
                        words::classify_ascii(word.as_bytes()),
                        "{word}"
                    ),
                    None => assert!(!word.is_ascii(), "{word}"),
                }
                words.push((at, word.to_owned()));
            });
            prop_assert_eq!(words, crate_words(&text));
        }
    }

    proptest! {
        /// The pieces of an overlong word put it back together, each at most as long as asked
        /// (or one character), cut only between characters.
        #[test]
        fn pieces_rebuild_the_text_within_the_bound(text in "[a-zé€😀]{0,60}", most in 1usize..9) {
            let pieces: Vec<(usize, &str)> = pieces_of_at_most(&text, most).collect();
            let mut at = 0;
            for &(offset, piece) in &pieces {
                prop_assert_eq!(offset, at);
                prop_assert!(!piece.is_empty());
                prop_assert!(piece.len() <= most || piece.chars().count() == 1, "{:?}", piece);
                at += piece.len();
            }
            prop_assert_eq!(pieces.iter().map(|p| p.1).collect::<String>(), text);
        }
    }

    #[test]
    fn a_word_longer_than_a_word_can_be_is_recorded_in_pieces() {
        for (letter, rest) in [("a", " today."), ("é", " aujourd'hui.")] {
            let blob = letter.repeat(70_000);
            let text = format!("I have {blob}{rest}");
            let regions = [Region { kind: RegionKind::Body, span: Span::new(0, text.len()) }];
            let segmented = segment(&text, &regions);
            let sentence = segmented.sentences.first().expect("a sentence");
            let words = segmented.words.get(0, sentence.words());
            // Spans as (start, length): the words themselves are too long to print.
            let spans: Vec<(usize, usize)> = words.iter().map(|w| (w.span().start, w.span().len())).collect();
            // The blob: pieces as long as a word can be (cut between characters), then the rest.
            let mut want = vec![(0, 1), (2, 4)];
            let (mut at, end) = (7, 7 + blob.len());
            while at < end {
                let len = (0..=Word::MAX_LEN.min(end - at)).rev().find(|&n| text.is_char_boundary(at + n)).unwrap_or(0);
                want.push((at, len));
                at += len;
            }
            want.push((end + 1, rest.trim_matches([' ', '.']).len()));
            assert_eq!(spans, want, "{letter}");
            assert!(spans.len() == 5 + usize::from(letter.len() > 1), "{letter}: {spans:?}");
        }
    }

    #[test]
    fn hard_wrapped_lines_stay_one_sentence() {
        let para = "I help dental practices in Leeds cut\nno-shows by half. Who do you know?";
        let spans: Vec<&str> = sentences(para, byte_scannable(para)).iter().map(|s| s.text(para)).collect();
        assert_eq!(spans, ["I help dental practices in Leeds cut\nno-shows by half.", "Who do you know?"]);
    }

    /// [`find_quoted`] as it reads every character: what the quotation-mark search must find.
    fn quoted_by_chars(para: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let (mut open, mut open_single) = (None, None);
        let mut prev = None;
        let mut chars = para.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            let next = chars.peek().map(|&(_, c)| c);
            quote_mark(ch, i, (prev, next), 0, (&mut open, &mut open_single), &mut out);
            prev = Some(ch);
        }
        out.sort_by_key(|s| (s.start, s.end));
        out
    }

    proptest! {
        /// Visiting only the quotation marks finds what reading every character finds.
        #[test]
        fn quotations_are_found_as_by_characters(para in "[ a'\"“”‘’(:—…é\n.,]{0,40}") {
            let mut out = Vec::new();
            find_quoted(&para, 0, &mut out);
            prop_assert_eq!(out, quoted_by_chars(&para));
        }
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
        let spans: Vec<&str> = sentences(para, byte_scannable(para)).iter().map(|s| s.text(para)).collect();
        assert_eq!(spans, ["ur colors were unreal.", "if u ever want to split a run lmk.", "e.g. next week works"]);
    }

    #[test]
    fn list_lines_are_separate_sentences() {
        let para = "Three things:\n- Faster payroll\n- Fewer errors";
        assert_eq!(sentences(para, byte_scannable(para)).len(), 3);
    }

    #[test]
    fn long_prose_split_in_parallel_is_split_as_in_one_pass() {
        let paragraphs = [
            "I help \"family-run\" bakeries cut waste. Who do you know?\n",
            "Hi Dana,\nit was great to meet you. If you know anyone who needs a website, send them my way!\n",
            "ur colors were unreal. if u ever want to split a run lmk. She said 'ACT NOW' twice.\n",
        ];
        let mut source = String::new();
        let mut n = 0;
        while source.len() < 2 * PARALLEL_AFTER {
            source.push_str(paragraphs[n % paragraphs.len()]);
            source.push_str(if n % 7 == 0 { "\n  \n" } else { "\n" });
            n += 1;
        }
        let regions = [Region { kind: RegionKind::Body, span: Span::new(0, source.len()) }];
        let parallel = segment(&source, &regions);
        let all: Vec<Paragraph<'_>> =
            super::paragraphs(&source).into_iter().map(|(at, text)| (RegionKind::Body, at, text)).collect();
        let one_pass = segment_run(&source, &all, 0, WordSink::vec(0));
        let one_pass_words = one_pass.words.since(0);
        assert!(all.len() > 100 && parallel.sentences.len() > 1000);
        // The same sentences (but for which part holds their words) and the same words, each
        // sentence's found in its part.
        let in_one_part = |s: &Sentence| Sentence { words_part: 0, ..s.clone() };
        let parallel_sentences: Vec<Sentence> = parallel.sentences.iter().map(in_one_part).collect();
        assert_eq!(format!("{parallel_sentences:?}"), format!("{:?}", one_pass.sentences));
        let parallel_words: Vec<Word> = parallel.words.iter().copied().collect();
        assert_eq!(format!("{parallel_words:?}"), format!("{one_pass_words:?}"));
        assert!(parallel.sentences.iter().any(|s| s.words_part > 1));
        for sentence in &parallel.sentences {
            let own = one_pass_words.get(sentence.words()).unwrap_or(&[]);
            let found = parallel.words.get(sentence.words_part, sentence.words());
            assert_eq!(format!("{found:?}"), format!("{own:?}"));
            assert_eq!(own.len(), sentence.word_count());
        }
        assert_eq!(parallel.quoted, one_pass.quoted);
    }

    #[test]
    fn runs_with_more_words_than_their_blocks_hold_keep_them_all() {
        // One-letter words, about two bytes each: twice what a run's block has room for.
        let paragraph = "a b c d e f g h i j k l m n o p q r s t u v w x y z. ".repeat(40) + "\n\n";
        let source = paragraph.repeat(2 * PARALLEL_AFTER / paragraph.len() + 1);
        let regions = [Region { kind: RegionKind::Body, span: Span::new(0, source.len()) }];
        let parallel = segment(&source, &regions);
        let words: Vec<&str> = parallel.words.iter().map(|w| w.span().text(&source)).collect();
        assert_eq!(words.len(), source.matches("\n\n").count() * 26 * 40);
        assert!(words.chunks(26).all(|alphabet| alphabet.concat() == "abcdefghijklmnopqrstuvwxyz"));
        let mut in_sentences = 0;
        for sentence in &parallel.sentences {
            let found = parallel.words.get(sentence.words_part, sentence.words());
            assert!(found.len() == sentence.word_count() && found.len() % 26 == 0);
            in_sentences += found.len();
        }
        assert_eq!(in_sentences, words.len());
        assert!(parallel.words.parts.iter().all(|part| matches!(part, PartWords::Own(_))));
    }

    #[test]
    fn a_word_sink_spills_into_a_vector_when_its_block_is_full() {
        let word = |at: usize| Word::new(Span::new(at, at + 1), words::WordClass::empty());
        let mut block = [word(0); 2];
        let mut sink = WordSink::block(&mut block);
        for at in 0..5 {
            sink.push(word(at));
        }
        assert_eq!(sink.len(), 5);
        let starts: Vec<usize> = sink.since(1).iter().map(|w| w.span().start).collect();
        assert_eq!(starts, [1, 2, 3, 4]);
        assert!(matches!(sink.into_part(7), PartWords::Own(words) if words.len() == 5));
        let mut block = [word(0); 3];
        let mut sink = WordSink::block(&mut block);
        sink.push(word(9));
        assert!(matches!(sink.into_part(7), PartWords::Block(range) if range == (7..8)));
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "One.\n\n  \nTwo.\nThree.";
        let paras: Vec<&str> = paragraphs(text).iter().map(|p| p.1).collect();
        assert_eq!(paras, ["One.\n", "Two.\nThree."]);
    }
}
