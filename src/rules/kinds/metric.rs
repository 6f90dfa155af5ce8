//! `metric`: a document measure within `min`/`max`.
//!
//! Spans, chosen so the writer sees where to cut: for words and speaking time, from the first
//! word past the limit to the end of the text; for sentence and paragraph length, each offending
//! sentence or paragraph; for mean sentence length and reading grade, the longest sentence; for
//! the subject, the subject line (or its empty header).

use super::RunCx;
use crate::rules::load::CompileCx;
use crate::rules::schema::{MatchSpec, Measure};
use crate::rules::template::Vars;
use crate::span::Span;
use crate::text::{Document, RegionKind, Sentence, WordClass};

/// A compiled `metric` check.
#[derive(Debug)]
pub struct Metric {
    measure: Measure,
    min: Option<f64>,
    max: Option<f64>,
    min_words: usize,
}

impl Metric {
    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        let Some(measure) = spec.measure else {
            cx.match_error("kind `metric` needs `match.measure` (words, seconds, sentence-words, mean-sentence-words, grade, first-sentence-words, subject-words, subject-chars, paragraph-words)");
            return None;
        };
        if spec.min.is_none() && spec.max.is_none() {
            cx.match_error("kind `metric` needs `match.min` or `match.max`");
            return None;
        }
        Some(Self { measure, min: spec.min, max: spec.max, min_words: spec.min_words.unwrap_or(0) })
    }

    fn out_of_bounds(&self, value: f64) -> bool {
        self.max.is_some_and(|m| value > m) || self.min.is_some_and(|m| value < m)
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        let total_words = cx.words_in_scope();
        if total_words < self.min_words {
            return;
        }
        let wpm = f64::from(cx.options.words_per_minute.max(1));
        match self.measure {
            Measure::Words | Measure::Seconds => {
                let per_word = if self.measure == Measure::Seconds { 60.0 / wpm } else { 1.0 };
                let value = total_words as f64 * per_word;
                if !self.out_of_bounds(value) {
                    return;
                }
                let span = match self.max {
                    Some(max) if value > max => past_limit(cx, (max / per_word).floor() as usize),
                    _ => cx.sentences().next().map(|(_, s)| s.span()),
                };
                if let Some(span) = span {
                    self.emit(cx, span, value, Some(total_words as f64));
                }
            }
            Measure::SentenceWords => {
                let hits: Vec<(Span, usize)> = cx
                    .sentences()
                    .filter(|(_, s)| s.region == RegionKind::Body)
                    .map(|(_, s)| (s.span(), s.word_count()))
                    .filter(|(_, n)| self.out_of_bounds(*n as f64))
                    .collect();
                for (span, n) in hits {
                    self.emit(cx, span, n as f64, Some(n as f64));
                }
            }
            Measure::MeanSentenceWords | Measure::Grade => {
                // Walked twice rather than gathered: a long text has a hundred thousand.
                let body = || cx.sentences().filter(|(_, s)| s.region == RegionKind::Body).map(|(_, s)| s);
                let count = body().count();
                if count == 0 {
                    return;
                }
                let value = if self.measure == Measure::Grade {
                    grade(cx.doc, body())
                } else {
                    total_words as f64 / count as f64
                };
                if self.out_of_bounds(value) {
                    let longest =
                        body().max_by_key(|s| (s.word_count(), std::cmp::Reverse(s.span().start))).map(Sentence::span);
                    if let Some(longest) = longest {
                        self.emit(cx, longest, value, None);
                    }
                }
            }
            Measure::FirstSentenceWords => {
                let first = cx.body_sentences().next().map(|(_, s)| (s.span(), s.word_count() as f64));
                if let Some((span, n)) = first {
                    if self.out_of_bounds(n) {
                        self.emit(cx, span, n, Some(n));
                    }
                }
            }
            Measure::SubjectWords | Measure::SubjectChars => self.run_subject(cx),
            Measure::SelfStartStreak => self.run_streak(cx),
            Measure::ParagraphWords => {
                let mut paragraphs: Vec<(Span, usize)> = Vec::new();
                let mut current: Option<usize> = None;
                for (_, s) in cx.body_sentences() {
                    if current == Some(s.paragraph()) {
                        if let Some(last) = paragraphs.last_mut() {
                            last.0.end = s.span().end;
                            last.1 += s.word_count();
                        }
                    } else {
                        paragraphs.push((s.span(), s.word_count()));
                        current = Some(s.paragraph());
                    }
                }
                for (span, n) in paragraphs {
                    if self.out_of_bounds(n as f64) {
                        self.emit(cx, span, n as f64, Some(n as f64));
                    }
                }
            }
        }
    }

    /// Flags the longest run of sentences opening with a first-person word, over its whole span.
    fn run_streak(&self, cx: &mut RunCx<'_, '_>) {
        // "We bake… We deliver…" describes a business; a run of "I… I… My…" is a monologue.
        let self_words = WordClass::FIRST_SINGULAR;
        let mut best: Option<(Span, usize)> = None;
        let mut current: Option<(Span, usize)> = None;
        for (_, sentence) in cx.body_sentences() {
            let opens_with_self =
                cx.doc.sentence_words(sentence).first().is_some_and(|w| w.class.intersects(self_words));
            current = match (opens_with_self, current) {
                (true, Some((span, n))) => Some((Span::new(span.start, sentence.span().end), n + 1)),
                (true, None) => Some((sentence.span(), 1)),
                (false, _) => None,
            };
            if let Some(run) = current {
                if best.is_none_or(|b| run.1 > b.1) {
                    best = Some(run);
                }
            }
        }
        if let Some((span, n)) = best {
            if self.out_of_bounds(n as f64) {
                self.emit(cx, span, n as f64, Some(n as f64));
            }
        }
    }

    fn run_subject(&self, cx: &mut RunCx<'_, '_>) {
        let regions = cx.doc.regions();
        let subject = regions.iter().find(|r| r.kind == RegionKind::Subject);
        let header = || {
            let source = cx.doc.source();
            regions.iter().filter(|r| r.kind == RegionKind::Header).find_map(|r| subject_label(source, r.span))
        };
        let (span, text) = match subject {
            Some(s) => (s.span, s.span.text(cx.doc.source())),
            None => match header() {
                Some(label) => (label, ""),
                None => return,
            },
        };
        let value = if self.measure == Measure::SubjectWords {
            text.split_whitespace().count() as f64
        } else {
            text.trim().chars().count() as f64
        };
        if self.out_of_bounds(value) {
            self.emit(cx, trim_span(cx.doc.source(), span), value, Some(value));
        }
    }

    fn emit(&self, cx: &mut RunCx<'_, '_>, span: Span, value: f64, count: Option<f64>) {
        let vars = Vars {
            matched: span.text(cx.doc.source()),
            value: Some(value.round()),
            count,
            max: self.max,
            min: self.min,
            wpm: Some(cx.options.words_per_minute),
            ..Vars::default()
        };
        cx.emit(span, &vars, None);
    }
}

/// A `Subject:` label starting a line of a header region (an empty subject has no subject
/// region, and in an `.eml` its header is merged with the others).
fn subject_label(source: &str, region: Span) -> Option<Span> {
    let mut offset = region.start;
    for line in region.text(source).split_inclusive('\n') {
        let at_line_start = offset == 0 || source.as_bytes().get(offset - 1) == Some(&b'\n');
        if at_line_start && line.get(..8).is_some_and(|l| l.eq_ignore_ascii_case("subject:")) {
            return Some(Span::new(offset, offset + 8));
        }
        offset += line.len();
    }
    None
}

fn trim_span(source: &str, span: Span) -> Span {
    let text = span.text(source);
    let start = span.start + (text.len() - text.trim_start().len());
    Span::new(start, start + text.trim().len())
}

/// From the first word past `limit` words to the end of the last sentence in scope.
fn past_limit(cx: &RunCx<'_, '_>, limit: usize) -> Option<Span> {
    // Whole sentences are skipped by their word counts: only the one holding the first word
    // past the limit has its words read.
    let mut seen = 0usize;
    let start = cx.sentences().find_map(|(_, sentence)| {
        let count = sentence.word_count();
        if seen + count <= limit {
            seen += count;
            return None;
        }
        cx.doc.sentence_words(sentence).get(limit - seen).map(|word| word.span().start)
    })?;
    let end = cx.sentences().next_back()?.1.span().end;
    Some(Span::new(start, end))
}

/// Flesch–Kincaid grade level of the given sentences.
pub fn grade<'s>(doc: &Document<'_>, sentences: impl IntoIterator<Item = &'s Sentence>) -> f64 {
    let mut words = 0usize;
    let mut syllables = 0usize;
    let mut count = 0usize;
    let source = doc.source();
    for sentence in sentences {
        count += 1;
        let sentence_words = doc.sentence_words(sentence);
        words += sentence_words.len();
        // Every word of an ASCII sentence is ASCII: its bytes are counted without asking again,
        // most words eight at a time.
        if sentence.span().text(source).is_ascii() {
            let bytes = source.as_bytes();
            syllables += sentence_words
                .iter()
                .map(|w| {
                    let span = w.span();
                    bytes
                        .get(span.start..span.start + 8)
                        .and_then(|window| <[u8; 8]>::try_from(window).ok())
                        .and_then(|window| short_word_syllables(window, span.len()))
                        .unwrap_or_else(|| ascii_syllables(bytes.get(span.start..span.end).unwrap_or(&[])))
                })
                .sum::<usize>();
        } else {
            syllables += sentence_words.iter().map(|w| count_syllables(w.span().text(source))).sum::<usize>();
        }
    }
    if words == 0 || count == 0 {
        return 0.0;
    }
    0.39 * (words as f64 / count as f64) + 11.8 * (syllables as f64 / words as f64) - 15.59
}

/// Vowel groups, minus a silent final `e`; at least one per word. Digits count as one.
///
/// Runs once per word of a document for the reading grade, so it keeps no buffer: the letters,
/// lowercased, are walked once, remembering only the last two.
pub fn count_syllables(word: &str) -> usize {
    if word.is_ascii() {
        ascii_syllables(word.as_bytes())
    } else {
        syllables_of(word.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase))
    }
}

/// What an ASCII byte is to [`ascii_syllables`]: not a letter, a consonant or a vowel.
const NOT_LETTER: u8 = 0;
const CONSONANT: u8 = 1;
const VOWEL: u8 = 2;

/// [`NOT_LETTER`], [`CONSONANT`] or [`VOWEL`] for each byte (`y` is a vowel).
// Evaluated at compile time: an index out of range fails the build, it cannot panic at run time.
#[allow(clippy::indexing_slicing)]
static LETTER_KINDS: [u8; 256] = {
    let mut table = [NOT_LETTER; 256];
    let mut byte = b'A';
    while byte <= b'z' {
        if byte.is_ascii_alphabetic() {
            table[byte as usize] = match byte.to_ascii_lowercase() {
                b'a' | b'e' | b'i' | b'o' | b'u' | b'y' => VOWEL,
                _ => CONSONANT,
            };
        }
        byte += 1;
    }
    table
};

/// [`syllables_of`] for an ASCII word, byte by byte with a table instead of an iterator of
/// lowercased `char`s (the reading grade counts every word of a document; a property test
/// checks the two agree).
fn ascii_syllables(word: &[u8]) -> usize {
    let mut count = 0usize;
    let mut prev_vowel = false;
    let mut len = 0usize;
    let (mut last, mut before_last) = (0u8, 0u8);
    for &byte in word {
        let kind = LETTER_KINDS.get(usize::from(byte)).copied().unwrap_or(NOT_LETTER);
        if kind == NOT_LETTER {
            continue;
        }
        let vowel = kind == VOWEL;
        count += usize::from(vowel && !prev_vowel);
        prev_vowel = vowel;
        len += 1;
        before_last = last;
        last = byte | 0x20;
    }
    if len == 0 {
        return 1;
    }
    if len > 2 && last == b'e' && before_last != b'l' && count > 1 {
        count -= 1;
    }
    count.max(1)
}

/// [`ascii_syllables`] for a word of one to eight ASCII letters, read from the eight bytes that
/// start at it (`window`; the bytes past the word are ignored), all at once: `None` for a longer
/// word or one holding anything but letters. Most words of prose are such words, and the
/// reading grade counts every one.
fn short_word_syllables(window: [u8; 8], len: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = ONES * 0x80;
    if len == 0 || len > 8 {
        return None;
    }
    // The high bit of each byte of the word. Bytes are little-endian, the word's first lowest,
    // and a sum only carries upwards: what follows the word cannot disturb its bytes.
    let keep = HIGHS & (u64::MAX >> (64 - 8 * len));
    let bytes = u64::from_le_bytes(window);
    if bytes & keep != 0 {
        return None;
    }
    // Each byte of the word is now below 0x80, so adding at most 0x7F to it cannot carry: the
    // high bit of the sum says whether the byte reached the bound.
    // (What follows the word may carry out of the top byte: the sums wrap.)
    let lower = bytes | (ONES * 0x20);
    let from_a = lower.wrapping_add(ONES * (0x80 - u64::from(b'a')));
    let past_z = lower.wrapping_add(ONES * (0x80 - u64::from(b'z' + 1)));
    if from_a & !past_z & keep != keep {
        return None;
    }
    let equal_to = |letter: u8| !(lower ^ (ONES * u64::from(letter))).wrapping_add(ONES * 0x7F) & keep;
    let vowels = equal_to(b'a') | equal_to(b'e') | equal_to(b'i') | equal_to(b'o') | equal_to(b'u') | equal_to(b'y');
    // A vowel group starts at a vowel whose previous letter is not one.
    let mut count = crate::span::count_top_bits(vowels & !(vowels << 8));
    let letter = |index: usize| (lower >> (8 * index)) as u8;
    let (last, before_last) = (letter(len - 1), if len > 1 { letter(len - 2) } else { 0 });
    if len > 2 && last == b'e' && before_last != b'l' && count > 1 {
        count -= 1;
    }
    Some(count.max(1))
}

/// Counts vowel groups in a word's lowercased letters.
fn syllables_of(letters: impl Iterator<Item = char>) -> usize {
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut prev = false;
    let mut len = 0usize;
    let (mut last, mut before_last) = (None, None);
    for c in letters {
        let v = is_vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
        len += 1;
        before_last = last;
        last = Some(c);
    }
    if len == 0 {
        return 1;
    }
    if len > 2 && last == Some('e') && before_last != Some('l') && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syllables_are_roughly_right() {
        assert_eq!(count_syllables("cat"), 1);
        assert_eq!(count_syllables("table"), 2);
        assert_eq!(count_syllables("make"), 1);
        assert_eq!(count_syllables("introduction"), 4);
        // Only letters count, lowercased; a word without any is one syllable.
        assert_eq!(count_syllables("Apple"), 2);
        assert_eq!(count_syllables("ÉCOLE"), 2);
        assert_eq!(count_syllables("isn't"), 1);
        assert_eq!(count_syllables("2024"), 1);
        assert_eq!(count_syllables("the"), 1);
    }

    proptest::proptest! {
        /// The byte path for ASCII words counts what the `char` path counts.
        #[test]
        fn ascii_words_count_as_chars_do(word in "[ -~]{0,24}") {
            let chars = syllables_of(word.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase));
            proptest::prop_assert_eq!(ascii_syllables(word.as_bytes()), chars);
        }

        /// Eight bytes at a time count what the byte loop counts, whatever follows the word.
        #[test]
        fn short_words_count_as_bytes_do(word in "[ -~]{0,10}", after in proptest::array::uniform8(proptest::num::u8::ANY)) {
            let mut window = [0u8; 8];
            for (slot, byte) in window.iter_mut().zip(word.bytes().chain(after)) {
                *slot = byte;
            }
            if let Some(count) = short_word_syllables(window, word.len()) {
                proptest::prop_assert_eq!(count, ascii_syllables(word.as_bytes()));
            }
        }

        /// Every word of one to eight letters takes the short path.
        #[test]
        fn short_words_of_letters_are_counted_at_once(word in "[a-zA-Z]{1,8}", after in proptest::array::uniform8(proptest::num::u8::ANY)) {
            let mut window = [0u8; 8];
            for (slot, byte) in window.iter_mut().zip(word.bytes().chain(after)) {
                *slot = byte;
            }
            proptest::prop_assert_eq!(short_word_syllables(window, word.len()), Some(ascii_syllables(word.as_bytes())));
        }
    }
}
