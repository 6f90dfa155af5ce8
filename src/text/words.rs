//! Word classes, computed once per word at parse time so rules never lower-case per word.

use serde::{Deserialize, Serialize};

/// A set of classes a word belongs to (a small bit set).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(transparent)]
pub struct WordClass(u16);

impl WordClass {
    /// I, me, my, mine, myself and their contractions.
    pub const FIRST_SINGULAR: Self = Self(1);
    /// We, us, our, ours, ourselves and their contractions.
    pub const FIRST_PLURAL: Self = Self(1 << 1);
    /// You, your, yours, yourself and their contractions.
    pub const SECOND: Self = Self(1 << 2);
    /// Contains a digit.
    pub const NUMBER: Self = Self(1 << 3);
    /// Starts with an upper-case letter.
    pub const CAPITALISED: Self = Self(1 << 4);
    /// Two or more letters, all upper case.
    pub const ALL_CAPS: Self = Self(1 << 5);
    /// not, no, never, n't forms, without.
    pub const NEGATION: Self = Self(1 << 6);
    /// No letter or digit (kept for completeness; segmentation rarely yields these).
    pub const PUNCT_ONLY: Self = Self(1 << 7);

    /// The empty set.
    pub const fn empty() -> Self {
        Self(0)
    }

    /// True if every class in `other` is in `self`.
    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// True if any class in `other` is in `self`.
    pub fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// Union of the two sets.
    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }
}

/// A word class that rules can name (`ratio` numerators and denominators).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WordClassName {
    /// I/me/my and we/us/our.
    FirstPerson,
    /// I/me/my only.
    FirstPersonSingular,
    /// We/us/our only.
    FirstPersonPlural,
    /// You/your.
    SecondPerson,
    /// Words with digits.
    Number,
    /// ALL-CAPS words.
    AllCaps,
}

impl WordClassName {
    /// The bit set this name stands for.
    pub fn class(self) -> WordClass {
        match self {
            Self::FirstPerson => WordClass::FIRST_SINGULAR.union(WordClass::FIRST_PLURAL),
            Self::FirstPersonSingular => WordClass::FIRST_SINGULAR,
            Self::FirstPersonPlural => WordClass::FIRST_PLURAL,
            Self::SecondPerson => WordClass::SECOND,
            Self::Number => WordClass::NUMBER,
            Self::AllCaps => WordClass::ALL_CAPS,
        }
    }

    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstPerson => "first-person",
            Self::FirstPersonSingular => "first-person-singular",
            Self::FirstPersonPlural => "first-person-plural",
            Self::SecondPerson => "second-person",
            Self::Number => "number",
            Self::AllCaps => "all-caps",
        }
    }
}

const FIRST_SINGULAR: &[&str] = &["i", "me", "my", "mine", "myself", "i'm", "i've", "i'll", "i'd", "im", "ive"];
const FIRST_PLURAL: &[&str] = &["we", "us", "our", "ours", "ourselves", "we're", "we've", "we'll", "we'd", "let's"];
const SECOND: &[&str] =
    &["you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd", "y'all", "ya"];
const NEGATION: &[&str] = &[
    "not",
    "no",
    "never",
    "without",
    "don't",
    "doesn't",
    "didn't",
    "isn't",
    "aren't",
    "wasn't",
    "won't",
    "can't",
    "cannot",
    "shouldn't",
    "wouldn't",
    "nor",
    "neither",
    "hardly",
];

/// Classifies one word (as segmented by UAX #29; curly apostrophes count as straight ones).
pub fn classify(word: &str) -> WordClass {
    if word.is_ascii() { classify_ascii(word.as_bytes()) } else { classify_chars(word) }
}

/// [`classify`] for an ASCII word, byte by byte: nearly every word of prose, so this path does
/// no more than one pass and one lookup (a long document has millions of words).
pub(super) fn classify_ascii(word: &[u8]) -> WordClass {
    let mut shape = Shape::default();
    for &b in word {
        shape.add(b);
    }
    classify_shaped(word, shape)
}

/// What classifying an ASCII word needs to know of its bytes besides the word itself: which
/// kinds of byte it holds. Gathered while the word is found (see `segment::ascii_words`), so
/// that most words' bytes are read once. (Its letters are counted only for a word with no
/// lower-case letter, the only kind of word whose class depends on their number.)
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Shape {
    /// The [`BYTE_KIND`]s of its bytes, or-ed.
    kinds: u8,
}

/// Kinds of ASCII byte, as bits of [`BYTE_KIND`].
pub(super) const UPPER: u8 = 1;
pub(super) const LOWER: u8 = 1 << 1;
pub(super) const DIGIT: u8 = 1 << 2;
/// A letter, a digit or `_`: what a word is made of.
pub(super) const WORDY: u8 = 1 << 3;
/// `:`, `.` or `'`, which join two letters into one word (UAX #29 WB6–7).
pub(super) const JOINS_LETTERS: u8 = 1 << 4;
/// `,`, `;`, `.` or `'`, which join two digits (WB11–12).
pub(super) const JOINS_DIGITS: u8 = 1 << 5;
/// The first byte of a character from U+00C0 to U+017F: most are the Latin letters with
/// accents that the byte scan takes (see `wide_letter_at` in `segment.rs`).
pub(super) const WIDE_LETTER_LEAD: u8 = 1 << 6;

/// The kind of every byte (none for bytes past ASCII but the leads of [`WIDE_LETTER_LEAD`]).
/// Built at compile time, where an index out of bounds fails the build rather than a run.
#[allow(clippy::indexing_slicing)]
pub(super) static BYTE_KIND: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let byte = b as u8;
        let mut kind = 0;
        if byte.is_ascii_uppercase() {
            kind |= UPPER | WORDY;
        }
        if byte.is_ascii_lowercase() {
            kind |= LOWER | WORDY;
        }
        if byte.is_ascii_digit() {
            kind |= DIGIT | WORDY;
        }
        if byte == b'_' {
            kind |= WORDY;
        }
        if matches!(byte, b':' | b'.' | b'\'') {
            kind |= JOINS_LETTERS;
        }
        if matches!(byte, b',' | b';' | b'.' | b'\'') {
            kind |= JOINS_DIGITS;
        }
        table[b] = kind;
        b += 1;
    }
    table[0xC3] = WIDE_LETTER_LEAD;
    table[0xC4] = WIDE_LETTER_LEAD;
    table[0xC5] = WIDE_LETTER_LEAD;
    table
};

/// The kind of byte `b` (see [`BYTE_KIND`]).
pub(super) fn kind(b: u8) -> u8 {
    BYTE_KIND.get(usize::from(b)).copied().unwrap_or(0)
}

impl Shape {
    /// Takes in one more byte of the word.
    pub(super) fn add(&mut self, b: u8) {
        self.kinds |= kind(b);
    }

    /// Whether the word holds a letter or a digit (not just `_` and joining marks).
    pub(super) fn has_letter_or_digit(self) -> bool {
        self.kinds & (UPPER | LOWER | DIGIT) != 0
    }
}

/// [`classify_ascii`] for a word whose bytes' [`Shape`] is known.
pub(super) fn classify_shaped(word: &[u8], shape: Shape) -> WordClass {
    if !shape.has_letter_or_digit() {
        return WordClass::PUNCT_ONLY;
    }
    let mut class = WordClass::empty();
    if shape.kinds & DIGIT != 0 {
        class = class.union(WordClass::NUMBER);
    }
    if word.first().is_some_and(u8::is_ascii_uppercase) {
        class = class.union(WordClass::CAPITALISED);
    }
    // Without a lower-case letter, its letters are its capitals.
    if shape.kinds & LOWER == 0 && word.iter().filter(|b| b.is_ascii_uppercase()).nth(1).is_some() {
        class = class.union(WordClass::ALL_CAPS);
    }
    if word.len() > 10 {
        return class;
    }
    // Most words of prose are in no list: told from their first byte and length, unfolded.
    if !may_be_listed(word) {
        return if word.len() >= 3 && word.get(word.len() - 3..).is_some_and(|end| end.eq_ignore_ascii_case(b"n't")) {
            class.union(WordClass::NEGATION)
        } else {
            class
        };
    }
    let mut buffer = [0u8; 10];
    let Some(folded) = buffer.get_mut(..word.len()) else { return class };
    folded.copy_from_slice(word);
    folded.make_ascii_lowercase();
    class.union(listed(folded, word == b"US"))
}

/// Bit `len` of entry `b` is set if a list word of `len` bytes starts with byte `b`: a word
/// whose first byte and length fit no list word is in no list (most words of prose, "the" and
/// "and" among them), and is not compared with each.
// Built at compile time, where an index out of bounds fails the build rather than a run.
#[allow(clippy::indexing_slicing)]
static LIST_SHAPES: [u16; 128] = {
    let mut shapes = [0u16; 128];
    let lists = [FIRST_SINGULAR, FIRST_PLURAL, SECOND, NEGATION];
    let mut list = 0;
    while list < lists.len() {
        let mut i = 0;
        while i < lists[list].len() {
            let bytes = lists[list][i].as_bytes();
            // A word of sixteen bytes or more would need a wider shape: none is that long.
            assert!(!bytes.is_empty() && bytes.len() < 16 && bytes[0] < 128);
            shapes[bytes[0] as usize] |= 1 << bytes.len();
            i += 1;
        }
        list += 1;
    }
    shapes
};

/// Whether a list word has the first byte (either case) and the length of `word`.
fn may_be_listed(word: &[u8]) -> bool {
    let shape = word.first().and_then(|&first| LIST_SHAPES.get(usize::from(first.to_ascii_lowercase())));
    shape.copied().unwrap_or(0) & length_bit(word.len()) != 0
}

/// The bit of [`LIST_SHAPES`] for a word of `len` bytes (none past 15: no list word is that long).
fn length_bit(len: usize) -> u16 {
    u32::try_from(len).ok().and_then(|len| 1u16.checked_shl(len)).unwrap_or(0)
}

/// The word-list class of a folded word (lower case, straight apostrophes); `us_in_capitals`
/// leaves out the pronoun reading of "US".
fn listed(folded: &[u8], us_in_capitals: bool) -> WordClass {
    if !may_be_listed(folded) {
        return if folded.ends_with(b"n't") { WordClass::NEGATION } else { WordClass::empty() };
    }
    let in_list = |list: &[&str]| list.iter().any(|t| t.as_bytes() == folded);
    if in_list(FIRST_SINGULAR) {
        WordClass::FIRST_SINGULAR
    } else if in_list(FIRST_PLURAL) {
        // "US" in capitals is the country, not the pronoun.
        if us_in_capitals { WordClass::empty() } else { WordClass::FIRST_PLURAL }
    } else if in_list(SECOND) {
        WordClass::SECOND
    } else if in_list(NEGATION) || folded.ends_with(b"n't") {
        WordClass::NEGATION
    } else {
        WordClass::empty()
    }
}

/// [`classify`] for a word with a non-ASCII character.
fn classify_chars(word: &str) -> WordClass {
    let mut class = WordClass::empty();
    let mut letters = 0usize;
    let mut upper = 0usize;
    let mut has_alnum = false;
    for ch in word.chars() {
        if ch.is_ascii_digit() || ch.is_numeric() {
            class = class.union(WordClass::NUMBER);
            has_alnum = true;
        } else if ch.is_alphabetic() {
            has_alnum = true;
            letters += 1;
            if ch.is_uppercase() {
                upper += 1;
            }
        }
    }
    if !has_alnum {
        return WordClass::PUNCT_ONLY;
    }
    if word.chars().next().is_some_and(char::is_uppercase) {
        class = class.union(WordClass::CAPITALISED);
    }
    if letters >= 2 && upper == letters {
        class = class.union(WordClass::ALL_CAPS);
    }
    if word.len() > 10 {
        return class;
    }
    // Every list word is ASCII and at most 10 bytes: fold the word once (lower case, curly
    // apostrophes straight) and compare bytes.
    let mut buffer = [0u8; 10];
    match fold_ascii(word, &mut buffer) {
        Some(folded) => class.union(listed(folded, word == "US")),
        // Another non-ASCII character: in no list, but "n’t" still negates.
        None if ends_with_nt(word) => class.union(WordClass::NEGATION),
        None => class,
    }
}

/// A character as word lists compare it: lower case, curly apostrophes straight.
fn fold(ch: char) -> char {
    match ch {
        '\u{2019}' | '\u{2018}' => '\'',
        _ => ch.to_ascii_lowercase(),
    }
}

/// `word` folded character by character with [`fold`], into `buffer`; `None` if it has another
/// non-ASCII character or does not fit (then it is in no ASCII word list).
fn fold_ascii<'b>(word: &str, buffer: &'b mut [u8; 10]) -> Option<&'b [u8]> {
    let mut len = 0;
    for ch in word.chars() {
        let folded = fold(ch);
        if !folded.is_ascii() {
            return None;
        }
        *buffer.get_mut(len)? = folded as u8;
        len += 1;
    }
    buffer.get(..len)
}

fn ends_with_nt(word: &str) -> bool {
    let mut last = word.chars().rev().map(fold);
    (last.next(), last.next(), last.next()) == (Some('t'), Some('\''), Some('n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_are_classified_with_curly_apostrophes() {
        assert!(classify("I’m").contains(WordClass::FIRST_SINGULAR));
        assert!(classify("Our").contains(WordClass::FIRST_PLURAL));
        assert!(classify("you're").contains(WordClass::SECOND));
        assert!(!classify("US").contains(WordClass::FIRST_PLURAL));
        assert!(classify("couldn’t").contains(WordClass::NEGATION));
    }

    proptest::proptest! {
        /// The ASCII path agrees with the general one on every ASCII word, list words included.
        #[test]
        fn ascii_words_classify_as_by_characters(
            word in "[a-zA-Z0-9'_.-]{0,12}|(?i:i|me|my|we|us|our|you|your|not|no|don't|can't|isn't|im|y'all)",
        ) {
            // Case-insensitive generation may pick the long s or the Kelvin sign.
            proptest::prop_assume!(word.is_ascii());
            proptest::prop_assert_eq!(classify_ascii(word.as_bytes()), classify_chars(&word));
        }
    }

    #[test]
    fn every_list_word_is_listed_and_fits_the_shapes() {
        for (list, class) in [
            (FIRST_SINGULAR, WordClass::FIRST_SINGULAR),
            (FIRST_PLURAL, WordClass::FIRST_PLURAL),
            (SECOND, WordClass::SECOND),
            (NEGATION, WordClass::NEGATION),
        ] {
            for word in list {
                assert!(word.len() <= 10 && word.is_ascii(), "{word}");
                assert_eq!(listed(word.as_bytes(), false), class, "{word}");
            }
        }
        for word in ["the", "and", "mine's", "wee", "your'", "nots"] {
            assert_eq!(listed(word.as_bytes(), false), WordClass::empty(), "{word}");
        }
        assert_eq!(listed(b"mustn't", false), WordClass::NEGATION);
    }

    #[test]
    fn caps_and_numbers() {
        assert!(classify("NOW").contains(WordClass::ALL_CAPS));
        assert!(!classify("A").contains(WordClass::ALL_CAPS));
        assert!(classify("50").contains(WordClass::NUMBER));
        assert!(classify("Dana").contains(WordClass::CAPITALISED));
    }
}
