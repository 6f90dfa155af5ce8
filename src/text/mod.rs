//! The document model: classified regions over the original text, sentences and words.
//!
//! A [`Document`] never rewrites what the user wrote. It classifies byte ranges of the source
//! into [`Region`]s (subject, greeting, body, quote, signature…), splits the lintable regions
//! into [`Sentence`]s and [`Word`]s, and classifies every word once. Invariants:
//! - regions are sorted, disjoint and cover the whole source;
//! - sentences are sorted and disjoint, each inside one region;
//! - every span lies on `char` boundaries of the source.
//!
//! What the rules read is usually the source itself; for an `.eml` whose body is encoded it is a
//! decoded rendering. [`LintText`] makes that choice for every format (see [`mime`]).

pub mod ask;
pub mod email;
pub mod html;
mod lint_text;
pub mod markdown;
pub mod mask;
pub mod mime;
mod segment;
pub mod words;

use serde::{Deserialize, Serialize};

use crate::buffer::Zeroed;
use crate::pattern::{Candidate, CandidateIndex};
use crate::span::{LineIndex, Span};
pub use ask::Specificity;
pub use lint_text::LintText;
pub use words::WordClass;

/// What a stretch of the source is, which decides whether rules see it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegionKind {
    /// Mail headers other than the subject, and MIME structure (never linted).
    Header,
    /// The subject line's text.
    Subject,
    /// "Hi Dana," and the like.
    Greeting,
    /// What the writer is saying: the part rules lint by default.
    Body,
    /// "Best," / "Thanks," before the name block.
    SignOff,
    /// Everything from a signature marker or name block on (never linted).
    Signature,
    /// Quoted replies and forwarded originals (never linted).
    Quote,
    /// Markdown code, inline code and raw HTML (never linted).
    Code,
    /// URLs and e-mail addresses (never linted).
    Url,
    /// Markdown/HTML comments and suppression directives (never linted).
    Comment,
}

impl RegionKind {
    /// Kebab-case name used in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Subject => "subject",
            Self::Greeting => "greeting",
            Self::Body => "body",
            Self::SignOff => "sign-off",
            Self::Signature => "signature",
            Self::Quote => "quote",
            Self::Code => "code",
            Self::Url => "url",
            Self::Comment => "comment",
        }
    }

    /// True for regions that carry the writer's own words and so are split into sentences.
    pub fn is_prose(self) -> bool {
        matches!(self, Self::Subject | Self::Greeting | Self::Body | Self::SignOff)
    }
}

/// A classified stretch of the source.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Region {
    /// What the stretch is.
    pub kind: RegionKind,
    /// Where it is.
    pub span: Span,
}

/// How the input is structured, decided from the file name or the caller.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Plain text: a spoken pitch or an e-mail draft.
    #[default]
    Plain,
    /// Markdown: code, URLs and comments are masked.
    Markdown,
    /// An RFC 5322 message (`.eml`).
    Email,
}

impl InputFormat {
    /// Picks the format from a path's extension (`.md`/`.markdown`, `.eml`, anything else plain).
    pub fn from_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("md" | "markdown") => Self::Markdown,
            Some("eml") => Self::Email,
            _ => Self::Plain,
        }
    }
}

/// What kind of text this is, which selects rules and thresholds.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Decide from the document (resolved before linting; never stored on a document).
    #[default]
    Auto,
    /// A spoken elevator pitch.
    Pitch,
    /// A follow-up, introduction or cold message.
    Email,
}

impl Profile {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Pitch => "pitch",
            Self::Email => "email",
        }
    }
}

/// A sentence of the writer's own text. Thirty-two bytes (offsets, word indices and the
/// paragraph as `u32`, the shared facts as one atomic): a long text has a hundred thousand,
/// and many rules read them all, one after another.
#[derive(Debug)]
pub struct Sentence {
    start: u32,
    end: u32,
    /// Index range of its words among the document's (see [`Document::sentence_words`]).
    words_start: u32,
    words_end: u32,
    /// The part of the document's words that holds them (see [`Words`]).
    words_part: u32,
    paragraph: u32,
    /// Region the sentence lies in.
    pub region: RegionKind,
    /// Ends with a question mark.
    pub is_question: bool,
    /// A question that is about the listener (contains a second-person word).
    pub is_listener_question: bool,
    /// What several rules ask of the sentence, worked out the first time one does.
    facts: SentenceFacts,
}

// The size the comment above promises: a field added or widened shows here first.
const _: () = assert!(std::mem::size_of::<Sentence>() == 32);

impl Clone for Sentence {
    fn clone(&self) -> Self {
        Self { facts: self.facts.clone(), ..*self }
    }
}

impl Sentence {
    /// A sentence at `span` (which must end below 4 GiB, as every word does) holding the words
    /// `words` of its part of the document's words.
    pub(crate) fn new(
        span: Span,
        region: RegionKind,
        words: std::ops::Range<usize>,
        paragraph: usize,
        is_question: bool,
        is_listener_question: bool,
    ) -> Self {
        Self {
            start: offset_u32(span.start),
            end: offset_u32(span.end),
            words_start: offset_u32(words.start),
            words_end: offset_u32(words.end),
            words_part: 0,
            paragraph: offset_u32(paragraph),
            region,
            is_question,
            is_listener_question,
            facts: SentenceFacts::default(),
        }
    }

    /// Byte span, trimmed of surrounding whitespace.
    pub fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    /// Index range of its words among the document's (see [`Document::sentence_words`]).
    pub fn words(&self) -> std::ops::Range<usize> {
        self.words_start as usize..self.words_end as usize
    }

    /// How many words it has.
    pub fn word_count(&self) -> usize {
        (self.words_end - self.words_start) as usize
    }

    /// Index of the paragraph (blank-line separated block) the sentence belongs to.
    pub fn paragraph(&self) -> usize {
        self.paragraph as usize
    }

    /// The same sentence with its words `shift` further on, in part `part` of the document's
    /// words (when the parts split apart are joined).
    fn moved(self, shift: usize, part: u32) -> Self {
        let shift = offset_u32(shift);
        Self {
            words_start: self.words_start.saturating_add(shift),
            words_end: self.words_end.saturating_add(shift),
            words_part: part,
            ..self
        }
    }
}

/// Facts about a sentence that more than one rule asks for, each worked out once: see
/// [`Document::is_request`], [`Document::specificity`] and [`Document::quotes_listener`].
/// Rules run in parallel, so the facts are bits of one atomic: a fact and the bit saying it is
/// known are set together, and two rules that ask at the same moment both work it out, alike.
#[derive(Debug, Default)]
struct SentenceFacts(std::sync::atomic::AtomicU16);

impl Clone for SentenceFacts {
    fn clone(&self) -> Self {
        Self(std::sync::atomic::AtomicU16::new(self.0.load(std::sync::atomic::Ordering::Relaxed)))
    }
}

impl SentenceFacts {
    const REQUEST_KNOWN: u16 = 1;
    const REQUEST: u16 = 1 << 1;
    const QUOTES_KNOWN: u16 = 1 << 2;
    const QUOTES: u16 = 1 << 3;
    const SPECIFICITY_KNOWN: u16 = 1 << 4;
    /// The six slots of a [`Specificity`] start here.
    const SPECIFICITY_SHIFT: u32 = 5;

    /// The bits of `mask` once `known` is set, worked out with `work` (and kept) otherwise.
    fn get(&self, known: u16, mask: u16, work: impl FnOnce() -> u16) -> u16 {
        use std::sync::atomic::Ordering;
        let bits = self.0.load(Ordering::Relaxed);
        if bits & known != 0 {
            return bits & mask;
        }
        let value = work() & mask;
        self.0.fetch_or(known | value, Ordering::Relaxed);
        value
    }

    fn flag(&self, known: u16, value: u16, work: impl FnOnce() -> bool) -> bool {
        self.get(known, value, || if work() { value } else { 0 }) != 0
    }

    fn is_request(&self, work: impl FnOnce() -> bool) -> bool {
        self.flag(Self::REQUEST_KNOWN, Self::REQUEST, work)
    }

    fn quotes_listener(&self, work: impl FnOnce() -> bool) -> bool {
        self.flag(Self::QUOTES_KNOWN, Self::QUOTES, work)
    }

    fn specificity(&self, work: impl FnOnce() -> Specificity) -> Specificity {
        let mask = 0b11_1111 << Self::SPECIFICITY_SHIFT;
        let bits = self.get(Self::SPECIFICITY_KNOWN, mask, || {
            let s = work();
            let slots = [s.role, s.org_kind, s.size, s.place, s.named, s.trigger];
            slots.iter().rev().fold(0u16, |bits, &slot| (bits << 1) | u16::from(slot)) << Self::SPECIFICITY_SHIFT
        }) >> Self::SPECIFICITY_SHIFT;
        let slot = |i: u32| bits & (1 << i) != 0;
        Specificity {
            role: slot(0),
            org_kind: slot(1),
            size: slot(2),
            place: slot(3),
            named: slot(4),
            trigger: slot(5),
        }
    }
}

/// A word with its classes, computed once at parse time. Eight bytes, since a large document
/// has millions (the offset as `u32`: words are only recorded in the first 4 GiB of a source;
/// the length as `u16`: a longer run is recorded as several words, see [`Word::MAX_LEN`]).
///
/// Plain numbers (`Pod`), so that a long text's words can be written straight into one buffer
/// of fresh zeroed pages (see [`Words`]).
#[derive(Copy, Clone, Debug, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
pub struct Word {
    start: u32,
    len: u16,
    /// Classes (first person, second person, number…).
    pub class: WordClass,
}

// The size the comment above promises.
const _: () = assert!(std::mem::size_of::<Word>() == 8);

impl Word {
    /// The longest word, in bytes. No language has words this long; a run of letters or digits
    /// longer than this (a pasted blob of base64, say) is split into words of at most this
    /// length at character boundaries.
    pub const MAX_LEN: usize = u16::MAX as usize;

    /// A word at `span` (which must end below 4 GiB and be at most [`Word::MAX_LEN`] long),
    /// with its classes.
    pub(crate) fn new(span: Span, class: WordClass) -> Self {
        let len = u16::try_from(span.end.saturating_sub(span.start)).unwrap_or(u16::MAX);
        Self { start: offset_u32(span.start), len, class }
    }

    /// Byte span.
    pub fn span(&self) -> Span {
        let start = self.start as usize;
        Span::new(start, start + usize::from(self.len))
    }
}

/// A parsed document: the source, its regions, sentences and words.
#[derive(Clone, Debug)]
pub struct Document<'src> {
    source: &'src str,
    format: InputFormat,
    profile: Profile,
    regions: Vec<Region>,
    sentences: Vec<Sentence>,
    /// Each sentence's (start, end), kept apart from the sentences: finding the sentence at an
    /// offset reads eight bytes a sentence instead of a whole [`Sentence`], so on a long
    /// document the search stays in cache (every candidate of every rule asks it).
    bounds: Vec<[u32; 2]>,
    /// For each [`SENTENCE_BLOCK`] bytes of the source, the first sentence that ends past the
    /// block's start: where the search for the sentence at an offset begins.
    first_by_block: Vec<u32>,
    words: Words,
    quoted: Vec<Span>,
    lines: LineIndex,
    notes: Vec<Note>,
    /// Words per region kind (by `RegionKind as usize`), counted the first time a rule asks
    /// how many words it can see (see [`Document::words_by_region`]).
    words_by_region: std::sync::OnceLock<[usize; REGION_KINDS]>,
    /// Words of only punctuation in each kind of region (counted as the text is split).
    punct_only: [usize; REGION_KINDS],
    /// The request lexicon's candidates, once a linter's scan has found them.
    request_candidates: std::sync::OnceLock<CandidateIndex>,
    /// A bit per sentence, clear if it cannot be a request (see [`Document::may_be_request`]);
    /// `None` if that cannot be known without searching it.
    may_be_request: std::sync::OnceLock<Option<Vec<u64>>>,
}

/// A document's words, in order, kept in the parts they were found in: a long text is split on
/// all cores in runs of whole paragraphs, and joining the runs' words would copy each of them
/// again (on 10 MiB of prose, 2 million words and a sixth of the memory the run touches). No
/// sentence's words cross two parts.
///
/// The runs of a long text write their words into blocks of one [`Zeroed`] buffer, laid end to
/// end, so that the words lie on huge pages where the system has them rather than in a few
/// hundred separate allocations, each word's page a fault of its own.
#[derive(Debug, Default)]
pub(crate) struct Words {
    /// The blocks' buffer (`None` for a short text, whose one part is a vector, and in a copy).
    buffer: Option<Zeroed<Word>>,
    parts: Vec<PartWords>,
    /// The index among all words of each part's first word.
    firsts: Vec<usize>,
}

/// Where one part's words are.
#[derive(Clone, Debug)]
pub(crate) enum PartWords {
    /// In the buffer of [`Words`], at this range.
    Block(std::ops::Range<usize>),
    /// In a vector of their own.
    Own(Vec<Word>),
}

impl Clone for Words {
    /// A copy with every part in a vector of its own (a buffer is not shared).
    fn clone(&self) -> Self {
        let parts = (0..self.parts.len()).map(|part| PartWords::Own(self.part(part).to_vec())).collect();
        Self { buffer: None, parts, firsts: self.firsts.clone() }
    }
}

impl Words {
    /// Words in parts, in order, some of them in blocks of `buffer`.
    pub(crate) fn from_blocks(buffer: Option<Zeroed<Word>>, parts: Vec<PartWords>) -> Self {
        let mut firsts = Vec::with_capacity(parts.len());
        let mut count = 0;
        for part in &parts {
            firsts.push(count);
            count += match part {
                PartWords::Block(range) => range.len(),
                PartWords::Own(words) => words.len(),
            };
        }
        Self { buffer, parts, firsts }
    }

    /// The words of part `part`.
    fn part(&self, part: usize) -> &[Word] {
        match self.parts.get(part) {
            Some(PartWords::Block(range)) => {
                self.buffer.as_ref().and_then(|buffer| buffer.as_slice().get(range.clone())).unwrap_or(&[])
            }
            Some(PartWords::Own(words)) => words,
            None => &[],
        }
    }

    /// The words at `range` (indices among all words) of part `part`, which holds them all.
    fn get(&self, part: u32, range: std::ops::Range<usize>) -> &[Word] {
        let part = part as usize;
        let Some(&first) = self.firsts.get(part) else { return &[] };
        self.part(part).get(range.start.saturating_sub(first)..range.end.saturating_sub(first)).unwrap_or(&[])
    }

    /// Every word, in order.
    fn iter(&self) -> impl Iterator<Item = &Word> {
        (0..self.parts.len()).flat_map(|part| self.part(part))
    }
}

/// How many kinds of region there are.
pub(crate) const REGION_KINDS: usize = RegionKind::Comment as usize + 1;

/// Something worth telling the writer about how their input was read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum NoteKind {
    /// An `.eml` that is not readable MIME, linted as plain text.
    UnreadableMessage,
    /// An `.eml` whose linted text is a decoded rendering, not the file's bytes.
    DecodedBody,
}

/// A note about how an input was read; the engine reports it as a notice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// What kind of note.
    pub kind: NoteKind,
    /// Where it is shown.
    pub span: Span,
    /// The message.
    pub detail: String,
}

impl<'src> Document<'src> {
    /// Parses `source`. Never fails: odd input only yields fewer or simpler regions.
    /// `profile` may be [`Profile::Auto`], in which case the document decides.
    pub fn parse(source: &'src str, format: InputFormat, profile: Profile) -> Self {
        Self::parse_with(source, format, profile, |_, _, _| ()).0
    }

    /// [`Document::parse`], running `beside` on the source, its final regions and the profile
    /// while the text is split into sentences and words (the longest part of parsing), so that
    /// work that needs only those (a linter's scan for literals) runs at the same time.
    pub fn parse_with<T: Send>(
        source: &'src str,
        format: InputFormat,
        profile: Profile,
        beside: impl FnOnce(&str, &[Region], Profile) -> T + Send,
    ) -> (Self, T) {
        // A byte-order mark is kept in the source (spans stay true to the file) but masked.
        let bom = if source.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
        let mut regions = classify(source.get(bom..).unwrap_or(""), format);
        for region in &mut regions {
            region.span = region.span.shift(bom);
        }
        if bom > 0 {
            regions.push(Region { kind: RegionKind::Comment, span: Span::new(0, bom) });
        }
        Self::from_regions_with(source, format, profile, regions, beside)
    }

    /// Builds a document from regions computed elsewhere (they must be sorted, disjoint and
    /// covering; gaps are filled with body and overlaps trimmed).
    pub fn from_regions(source: &'src str, format: InputFormat, profile: Profile, regions: Vec<Region>) -> Self {
        Self::from_regions_with(source, format, profile, regions, |_, _, _| ()).0
    }

    /// [`Document::from_regions`] with work beside the splitting, as [`Document::parse_with`].
    pub fn from_regions_with<T: Send>(
        source: &'src str,
        format: InputFormat,
        profile: Profile,
        regions: Vec<Region>,
        beside: impl FnOnce(&str, &[Region], Profile) -> T + Send,
    ) -> (Self, T) {
        let regions = normalise_regions(source, regions);
        let profile = match profile {
            Profile::Auto => detect_profile(source, format, &regions),
            other => other,
        };
        // A long text's line starts, and the work beside, are done while it is split (each
        // reads all of it).
        let ((segmented, lines), extra) = if source.len() >= PARALLEL_FROM {
            rayon::join(
                || rayon::join(|| segment::segment(source, &regions), || LineIndex::new(source)),
                || beside(source, &regions, profile),
            )
        } else {
            let extra = beside(source, &regions, profile);
            ((segment::segment(source, &regions), LineIndex::new(source)), extra)
        };
        let bounds: Vec<[u32; 2]> = segmented.sentences.iter().map(|s| [s.start, s.end]).collect();
        let doc = Self {
            source,
            format,
            profile,
            regions,
            first_by_block: first_by_block(&bounds, source.len()),
            bounds,
            sentences: segmented.sentences,
            words: segmented.words,
            quoted: segmented.quoted,
            punct_only: segmented.punct_only,
            lines,
            notes: Vec::new(),
            words_by_region: std::sync::OnceLock::new(),
            request_candidates: std::sync::OnceLock::new(),
            may_be_request: std::sync::OnceLock::new(),
        };
        (doc, extra)
    }

    /// How many words the sentences of each kind of region hold, indexed by `RegionKind as
    /// usize`: counted once, since most rules ask how many words they can see, and on a long
    /// text each pass over its sentences is a walk through megabytes.
    pub fn words_by_region(&self) -> &[usize; REGION_KINDS] {
        self.words_by_region.get_or_init(|| {
            let mut counts = [0; REGION_KINDS];
            for sentence in &self.sentences {
                if let Some(count) = counts.get_mut(sentence.region as usize) {
                    *count += sentence.word_count();
                }
            }
            counts
        })
    }

    /// How many words of `kind` regions hold a letter or a digit (what a reader counts as
    /// words: the speaking time is worked out from the body's).
    pub fn words_with_letters_in(&self, kind: RegionKind) -> usize {
        let index = kind as usize;
        let all = self.words_by_region().get(index).copied().unwrap_or(0);
        all.saturating_sub(self.punct_only.get(index).copied().unwrap_or(0))
    }

    /// The document read as `profile`; [`Profile::Auto`] keeps the one it detected. Parsing
    /// does not depend on the profile, so a document can be parsed before it is known.
    #[must_use]
    pub fn with_profile(mut self, profile: Profile) -> Self {
        if profile != Profile::Auto {
            self.profile = profile;
        }
        self
    }

    /// The document with notes about how its input was read.
    pub fn with_notes(mut self, notes: Vec<Note>) -> Self {
        self.notes = notes;
        self
    }

    /// Notes about how the input was read.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// The original text.
    pub fn source(&self) -> &'src str {
        self.source
    }

    /// The input format the document was parsed as.
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// The resolved profile (never `Auto`).
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// All regions, sorted and covering the source.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// All sentences of prose regions, in order.
    pub fn sentences(&self) -> &[Sentence] {
        &self.sentences
    }

    /// True if `sentence` (one of this document's) makes a request of the listener or says what
    /// the writer is looking for (see [`ask::is_request`]); worked out once, however many rules
    /// ask. Once a linter's scan has given the document the request lexicon's candidates (see
    /// [`Document::give_request_candidates`]), a sentence without one is answered at once.
    pub fn is_request(&self, sentence: &Sentence) -> bool {
        sentence.facts.is_request(|| match self.request_candidates.get() {
            Some(candidates) => {
                let span = sentence.span();
                ask::is_request_in(self.source, span, candidates.within(span.start..span.end))
            }
            None => ask::is_request(sentence.span().text(self.source)),
        })
    }

    /// False if sentence `index` (of [`Document::sentences`]) cannot be a request, known without
    /// looking at it: the scan found none of the request lexicon's literals in it, and every
    /// request holds one (see [`ask::is_request_in`]). A count of a long text's asks reads
    /// every sentence, and the search of each for its candidates was most of that.
    pub fn may_be_request(&self, index: usize) -> bool {
        let bits = self.may_be_request.get_or_init(|| self.request_bits());
        bits.as_ref().is_none_or(|bits| bits.get(index / 64).is_none_or(|word| word >> (index % 64) & 1 == 1))
    }

    /// The bits of [`Document::may_be_request`]: set for each sentence holding the start of a
    /// request candidate, and for each that does not start at a word boundary (which
    /// [`ask::is_request_in`] searches whole).
    fn request_bits(&self) -> Option<Vec<u64>> {
        let candidates = self.request_candidates.get()?;
        if !ask::request_lexicon().needs_literal() {
            return None;
        }
        let mut bits = vec![0u64; self.bounds.len().div_ceil(64)];
        let mut set = |index: usize| {
            if let Some(word) = bits.get_mut(index / 64) {
                *word |= 1 << (index % 64);
            }
        };
        let mut hint = 0;
        // A candidate outside every sentence (in code, a signature, between sentences) marks none.
        for candidate in candidates.all() {
            if let Some(index) = self.sentence_at_from(candidate.start(), hint) {
                hint = index;
                set(index);
            }
        }
        for (index, &[start, _]) in self.bounds.iter().enumerate() {
            if !crate::pattern::boundary_before(self.source, start as usize) {
                set(index);
            }
        }
        Some(bits)
    }

    /// Gives the document the candidates of the request lexicon ([`ask::request_lexicon`]) in
    /// its source, sorted, as a [`crate::pattern::PatternSet`] with the lexicon in a slot finds
    /// them. Only the first call counts.
    pub fn give_request_candidates(&self, candidates: Vec<Candidate>) {
        let _ = self.request_candidates.set(CandidateIndex::new(candidates));
    }

    /// How specific `sentence` (one of this document's) is as a request (see
    /// [`ask::specificity`]); worked out once, however many rules ask.
    pub fn specificity(&self, sentence: &Sentence) -> Specificity {
        sentence.facts.specificity(|| ask::specificity(self.source, sentence, self.sentence_words(sentence)))
    }

    /// True if `sentence` (one of this document's) repeats the listener's own words ("you
    /// said…", see [`ask::quotes_listener`]); worked out once, however many rules ask.
    pub fn quotes_listener(&self, sentence: &Sentence) -> bool {
        sentence.facts.quotes_listener(|| ask::quotes_listener(sentence.span().text(self.source)))
    }

    /// All words of prose regions, in order.
    pub fn words(&self) -> impl Iterator<Item = &Word> + '_ {
        self.words.iter()
    }

    /// The words of one sentence.
    pub fn sentence_words(&self, sentence: &Sentence) -> &[Word] {
        self.words.get(sentence.words_part, sentence.words())
    }

    /// The line index of the source.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    /// The index of the text's lines, the rest of the document let go.
    pub fn into_lines(self) -> LineIndex {
        self.lines
    }

    /// Text of a span of this document.
    pub fn text(&self, span: Span) -> &'src str {
        span.text(self.source)
    }

    /// Index of the sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let len = self.bounds.len();
        let first = |block: usize| self.first_by_block.get(block).map_or(len, |&i| i as usize);
        // The answer is the first sentence ending past `offset`: at or after the first ending
        // past the start of its block, and at or before the first ending past the next block's.
        let block = offset / SENTENCE_BLOCK;
        let from = first(block);
        let to = len.min(first(block + 1));
        let offset = offset_u32(offset);
        let idx = from + self.bounds.get(from..to).unwrap_or(&[]).partition_point(|&[_, end]| end <= offset);
        self.bounds.get(idx).filter(|&&[start, _]| start <= offset).map(|_| idx)
    }

    /// [`Document::sentence_at`], trying first the sentence at `hint` (the last one asked
    /// about): matches come in order, so the answer is often that sentence.
    pub fn sentence_at_from(&self, offset: usize, hint: usize) -> Option<usize> {
        let at = offset_u32(offset);
        match self.bounds.get(hint) {
            Some(&[start, end]) if start <= at && at < end => Some(hint),
            _ => self.sentence_at(offset),
        }
    }

    /// True if `span` lies inside double quotation marks (quoted speech).
    pub fn is_quoted(&self, span: Span) -> bool {
        // Sorted by start; quotes nest at most a level or two, so a short look back suffices.
        let idx = self.quoted.partition_point(|q| q.start <= span.start);
        self.quoted.get(..idx).unwrap_or(&[]).iter().rev().take(4).any(|q| q.contains(span))
    }

    /// The number of words in the given sentences.
    pub fn word_count(&self) -> usize {
        self.words.iter().filter(|w| !w.class.contains(WordClass::PUNCT_ONLY)).count()
    }
}

/// Bytes of source per entry of [`Document::first_by_block`]: a few sentences of prose, so
/// that the sentence at an offset is sought among those few (in one or two cache lines of
/// bounds) rather than bisected from the whole document or galloped to from the last one
/// found, each step of which, on a long document, waited for memory.
const SENTENCE_BLOCK: usize = 512;

/// For each [`SENTENCE_BLOCK`] bytes of a source `len` bytes long, the first of `bounds` (sorted
/// (start, end) pairs that do not overlap) to end past the block's start.
fn first_by_block(bounds: &[[u32; 2]], len: usize) -> Vec<u32> {
    let mut out = Vec::with_capacity(len / SENTENCE_BLOCK + 1);
    let mut next = 0;
    for block_start in (0..=len).step_by(SENTENCE_BLOCK) {
        let at = offset_u32(block_start);
        while bounds.get(next).is_some_and(|&[_, end]| end <= at) {
            next += 1;
        }
        out.push(u32::try_from(next).unwrap_or(u32::MAX));
    }
    out
}

/// An offset as words and [`Document::bounds`] store it: words and sentences lie in the first
/// 4 GiB (see [`segment::segment`]), and an offset past that is past every one of them.
fn offset_u32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// Classifies `source` (without a byte-order mark) by format.
fn classify(source: &str, format: InputFormat) -> Vec<Region> {
    match format {
        InputFormat::Plain => classify_plain(source),
        InputFormat::Markdown => markdown::classify(source),
        InputFormat::Email => mime::classify(source),
    }
}

/// A plain draft or message body: line regions with bare URLs and e-mail addresses masked.
pub(crate) fn classify_plain(source: &str) -> Vec<Region> {
    let (lines, links) = if source.len() >= PARALLEL_FROM {
        rayon::join(|| email::classify_lines(source), || mask::bare_links(source))
    } else {
        (email::classify_lines(source), mask::bare_links(source))
    };
    mask::overlay(lines, links)
}

/// Texts at least this long (bytes) are read by independent passes side by side.
const PARALLEL_FROM: usize = 1 << 18;

/// "Hi Lena — I recruit…" on one line: a message, even without a separate greeting line.
/// ("Hi everyone" and "Good morning" open spoken pitches too, so they do not count.)
fn starts_with_greeting(source: &str, regions: &[Region]) -> bool {
    let Some(first) = regions.iter().find(|r| r.kind.is_prose()) else { return false };
    let text = first.span.text(source).trim_start();
    let lower: String = text.chars().take(24).flat_map(char::to_lowercase).collect();
    let greeting = ["hi ", "hey ", "hello ", "dear ", "hiya "].iter().find(|g| lower.starts_with(*g));
    let Some(greeting) = greeting else { return false };
    let rest = lower.get(greeting.len()..).unwrap_or("");
    !["everyone", "all", "folks", "there", "y'all", "everybody", "team"].iter().any(|w| rest.starts_with(w))
}

fn detect_profile(source: &str, format: InputFormat, regions: &[Region]) -> Profile {
    let mail_like = regions.iter().any(|r| {
        matches!(r.kind, RegionKind::Subject | RegionKind::Greeting | RegionKind::SignOff | RegionKind::Quote)
    }) || starts_with_greeting(source, regions);
    if format == InputFormat::Email || mail_like { Profile::Email } else { Profile::Pitch }
}

/// Sorts regions, trims overlaps, fills gaps with body and merges neighbours of one kind, so the
/// result is sorted, disjoint and covers `source`.
fn normalise_regions(source: &str, mut regions: Vec<Region>) -> Vec<Region> {
    regions.retain(|r| r.span.end <= source.len() && !r.span.is_empty());
    regions.sort_by_key(|r| (r.span.start, r.span.end));
    let mut out: Vec<Region> = Vec::with_capacity(regions.len() + 2);
    let mut cursor = 0;
    for mut region in regions {
        if region.span.end <= cursor {
            continue;
        }
        region.span.start = region.span.start.max(cursor);
        if region.span.start > cursor {
            push_merged(&mut out, Region { kind: RegionKind::Body, span: Span::new(cursor, region.span.start) });
        }
        cursor = region.span.end;
        push_merged(&mut out, region);
    }
    if cursor < source.len() {
        push_merged(&mut out, Region { kind: RegionKind::Body, span: Span::new(cursor, source.len()) });
    }
    out
}

fn push_merged(out: &mut Vec<Region>, region: Region) {
    if let Some(last) = out.last_mut() {
        if last.kind == region.kind && last.span.end == region.span.start {
            last.span.end = region.span.end;
            return;
        }
    }
    out.push(region);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_facts_keep_each_fact_apart_and_work_each_out_once() {
        let slots = |bits: u8| Specificity {
            role: bits & 1 != 0,
            org_kind: bits & 2 != 0,
            size: bits & 4 != 0,
            place: bits & 8 != 0,
            named: bits & 16 != 0,
            trigger: bits & 32 != 0,
        };
        for bits in 0..64u8 {
            for (request, quotes) in [(false, false), (true, false), (false, true), (true, true)] {
                let facts = SentenceFacts::default();
                assert_eq!(facts.quotes_listener(|| quotes), quotes);
                assert_eq!(facts.specificity(|| slots(bits)), slots(bits));
                assert_eq!(facts.is_request(|| request), request);
                // Known now: asked again, nothing is worked out, and a copy knows them too.
                let copy = facts.clone();
                for known in [&facts, &copy] {
                    assert_eq!(known.is_request(|| unreachable!()), request);
                    assert_eq!(known.quotes_listener(|| unreachable!()), quotes);
                    assert_eq!(known.specificity(|| unreachable!()), slots(bits));
                }
            }
        }
    }

    #[test]
    fn words_are_counted_by_region_as_the_sentences_hold_them() {
        // Every kind has a count: the match fails to compile when a kind is added.
        for kind in [
            RegionKind::Header,
            RegionKind::Subject,
            RegionKind::Greeting,
            RegionKind::Body,
            RegionKind::SignOff,
            RegionKind::Signature,
            RegionKind::Quote,
            RegionKind::Code,
            RegionKind::Url,
            RegionKind::Comment,
        ] {
            let index = match kind {
                RegionKind::Header
                | RegionKind::Subject
                | RegionKind::Greeting
                | RegionKind::Body
                | RegionKind::SignOff
                | RegionKind::Signature
                | RegionKind::Quote
                | RegionKind::Code
                | RegionKind::Url
                | RegionKind::Comment => kind as usize,
            };
            assert!(index < REGION_KINDS, "{kind:?}");
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("fixtures/emails/outlook-reply.txt")).unwrap_or_default();
        let doc = Document::parse(&text, InputFormat::Plain, Profile::Email);
        let counts = doc.words_by_region();
        let mut kinds_with_words = 0;
        for (index, count) in counts.iter().enumerate() {
            let by_hand: usize =
                doc.sentences().iter().filter(|s| s.region as usize == index).map(|s| s.word_count()).sum();
            assert_eq!(*count, by_hand, "kind {index}");
            kinds_with_words += usize::from(by_hand > 0);
        }
        assert!(kinds_with_words >= 3, "the reply has a greeting, a body and a sign-off: {counts:?}");
    }

    #[test]
    fn words_with_letters_leave_out_punctuation_only_words_short_or_split_in_parts() {
        // A run of underscores alone is no word, but a letter followed by 70,000 of them is one
        // word too long to record whole: its second piece holds only underscores, which a
        // reader would not count. A greeting and a sign-off are counted apart from the body.
        let paragraph = format!("Fill in a{} here.\n\n", "_".repeat(70_000));
        let by_hand = |doc: &Document<'_>| -> usize {
            doc.sentences()
                .iter()
                .filter(|s| s.region == RegionKind::Body)
                .flat_map(|s| doc.sentence_words(s))
                .filter(|w| !w.class.contains(WordClass::PUNCT_ONLY))
                .count()
        };
        let short = format!("Hi Dana,\n\n{paragraph}Best,\nSam\n");
        let doc = Document::parse(&short, InputFormat::Plain, Profile::Email);
        assert_eq!(doc.words_by_region().get(RegionKind::Body as usize), Some(&5));
        assert_eq!(doc.words_with_letters_in(RegionKind::Body), 4);
        assert_eq!(doc.words_with_letters_in(RegionKind::Greeting), 2);
        // Long enough to be split in parts on the cores, whose counts are added up.
        let long = format!("Hi Dana,\n\n{}Best,\nSam\n", paragraph.repeat(5));
        let doc = Document::parse(&long, InputFormat::Plain, Profile::Email);
        assert_eq!(doc.words_with_letters_in(RegionKind::Body), 4 * 5);
        assert_eq!(doc.words_with_letters_in(RegionKind::Body), by_hand(&doc));
    }

    #[test]
    fn the_sentence_at_an_offset_is_found_from_any_hint() {
        // Several blocks of the sentence index: runs of short sentences (many to a block), a
        // sentence longer than a block, and gaps between sentences (quoted lines, blank lines).
        let short = "A. B. C. D. E. F. G. H. I. J.\n\nK. L. M. N. O. P. Q. R. S. T. U. V. W. X. Y. Z.\n\n";
        let long = format!("{}end.\n\n", "a long sentence that goes on ".repeat(30));
        let src = format!(
            "Hi Dana,\n\nOne. Two words here!  Three?\n\n> quoted line\n\n{short}{long}{short}{}{long}Last one?",
            short.repeat(40)
        );
        let doc = Document::parse(&src, InputFormat::Plain, Profile::Auto);
        let count = doc.sentences().len();
        assert!(count > 300 && src.len() > 8 * SENTENCE_BLOCK, "{count} sentences");
        for offset in 0..=src.len() + 1 {
            let want = doc.sentences().iter().position(|s| s.span().start <= offset && offset < s.span().end);
            assert_eq!(doc.sentence_at(offset), want, "offset {offset}");
            for hint in (0..=count + 1).step_by(7).chain(want) {
                assert_eq!(doc.sentence_at_from(offset, hint), want, "offset {offset}, hint {hint}");
            }
        }
    }

    #[test]
    fn regions_cover_the_source_in_order() {
        let src = "Hi Dana,\n\nGreat to meet you.\n\nBest,\nSam\n";
        let doc = Document::parse(src, InputFormat::Plain, Profile::Auto);
        let mut cursor = 0;
        for region in doc.regions() {
            assert_eq!(region.span.start, cursor);
            cursor = region.span.end;
        }
        assert_eq!(cursor, src.len());
        assert_eq!(doc.profile(), Profile::Email);
    }

    #[test]
    fn a_bare_pitch_is_a_pitch() {
        let doc = Document::parse("I help bakeries cut waste. Who do you know?", InputFormat::Plain, Profile::Auto);
        assert_eq!(doc.profile(), Profile::Pitch);
        assert_eq!(doc.sentences().len(), 2);
        assert!(doc.sentences().iter().any(|s| doc.is_request(s)));
    }

    #[test]
    fn a_profile_given_after_parsing_is_the_profile_given_to_parse() {
        let src = "Hi Dana,\n\nGreat to meet you. Who do you know?\n\nBest,\nSam\n";
        for profile in [Profile::Auto, Profile::Pitch, Profile::Email] {
            let early = Document::parse(src, InputFormat::Plain, profile);
            let late = Document::parse(src, InputFormat::Plain, Profile::Auto).with_profile(profile);
            assert_eq!(late.profile(), early.profile(), "{profile:?}");
            assert_eq!(late.sentences().len(), early.sentences().len());
            assert_eq!(format!("{:?}", late.regions()), format!("{:?}", early.regions()));
        }
        assert_eq!(Document::parse(src, InputFormat::Plain, Profile::Pitch).profile(), Profile::Pitch);
    }

    #[test]
    fn quoted_speech_is_detected() {
        let src = "She said \"buy now\" twice.";
        let doc = Document::parse(src, InputFormat::Plain, Profile::Auto);
        let start = src.find("buy").unwrap_or(0);
        assert!(doc.is_quoted(Span::new(start, start + 7)));
        assert!(!doc.is_quoted(Span::new(0, 3)));
    }
}
