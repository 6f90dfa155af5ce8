//! Patterns: regexes that cost nothing until they are used, and little when they are.
//!
//! A [`Pattern`] holds a regex's source. The first time it is matched, its syntax tree (cheap to
//! parse, unlike a compiled automaton) is split into top-level branches, each with literals: the
//! *anchors* every match of the branch starts with, or failing that literals every match
//! contains (see [`prefix`]). A haystack is searched for all of them at once (Aho-Corasick,
//! ASCII case folded), and a branch is compiled, once, only when one of its literals turns up.
//! Most rules never meet their literals in a given pitch, so most regexes are never built.
//!
//! Results are exactly those of `regex` with the same source and options (see [`search`] for
//! the argument). Patterns with a branch that has no literal at all, and haystacks holding one
//! of the two non-ASCII characters that fold to ASCII letters, go to the whole regex, compiled on
//! first use.
//!
//! A [`PatternSet`] finds the literals of many patterns in one pass over a document, so that a
//! linter reads a 10 MB file once rather than once per rule.

pub mod cache;
mod engine;
mod exact;
mod finder;
mod plan;
pub mod prefix;
mod runs;
mod search;
mod set;
mod starts;
mod table;

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::{Regex, RegexBuilder};

use engine::Repertoire;
use exact::Steps;
use plan::{Plan, Split};
pub use set::{Hits, PatternSet};

/// FNV-1a as a `Hasher`, for the maps that deduplicate literals while patterns are prepared:
/// short keys, built once per run, where SipHash's resistance to chosen keys buys nothing (the
/// keys are the rules' own literals) and costs a few per cent of a pitch's start.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    }
}

/// A hash map keyed by literals (see [`Fnv`]).
pub(crate) type LiteralMap<'a> = std::collections::HashMap<&'a [u8], usize, std::hash::BuildHasherDefault<Fnv>>;

/// Items grouped by a dense index and stored flat (the owners of each literal): one vector
/// instead of one per group, since patterns have thousands of literals and most have one owner.
/// Borrowed when built into the binary (see [`PatternSet::stored`]).
#[derive(Clone, Debug)]
pub(crate) struct Groups<T: Clone + 'static> {
    /// Where each group starts in `items`, then where the last one ends.
    starts: Cow<'static, [u32]>,
    items: Cow<'static, [T]>,
}

impl<T: Copy + 'static> Groups<T> {
    /// Groups stored ahead of time: `starts` as [`Groups::new`] makes them, then `items`.
    pub(crate) const fn stored(starts: &'static [u32], items: &'static [T]) -> Self {
        Self { starts: Cow::Borrowed(starts), items: Cow::Borrowed(items) }
    }

    /// Where each group starts in the items, then where the last one ends; and the items.
    pub(crate) fn parts(&self) -> (&[u32], &[T]) {
        (&self.starts, &self.items)
    }

    /// Groups `0..count` of `pairs` (group, item), items in their order within each group.
    /// Pairs naming a group past `count` are dropped.
    pub(crate) fn new(count: usize, mut pairs: Vec<(u32, T)>) -> Self {
        pairs.retain(|(group, _)| (*group as usize) < count);
        // Stable: a group keeps its items in the order they came.
        pairs.sort_by_key(|(group, _)| *group);
        let mut starts = Vec::with_capacity(count + 1);
        let mut at = 0;
        for group in 0..count {
            starts.push(u32::try_from(at).unwrap_or(u32::MAX));
            while pairs.get(at).is_some_and(|(g, _)| *g as usize == group) {
                at += 1;
            }
        }
        starts.push(u32::try_from(at).unwrap_or(u32::MAX));
        Self { starts: Cow::Owned(starts), items: pairs.into_iter().map(|(_, item)| item).collect() }
    }

    /// The items of `group`; `None` past the last group.
    pub(crate) fn get(&self, group: usize) -> Option<&[T]> {
        let start = *self.starts.get(group)? as usize;
        let end = *self.starts.get(group + 1)? as usize;
        self.items.get(start..end)
    }
}

/// Haystacks longer than this (bytes) search branches found by required literals with the
/// whole regex: one pass of it beats a pass per branch, and its compile time no longer matters.
const LARGE: usize = 1 << 16;

/// Haystacks shorter than this (bytes) are searched without a [`starts::Filter`] unless all
/// their matches are wanted and the pattern has repaid its whole regex.
const FILTER_FROM: usize = 1 << 14;
/// A narrow whole regex first needed for a haystack at least this long is built with a
/// prefilter; one first needed for a sentence or a pitch is not: it will search text of that
/// kind, which its automaton reads faster than the prefilter's literals can be extracted (a
/// class of 10,000 pitches compiles dozens of lexicons). Either way the matches are the same.
const PREFILTER_FROM: usize = 1 << 14;

/// How a pattern is compiled: the options of `regex::RegexBuilder` that pitchlint uses.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Letters match either case (Unicode simple case folding).
    pub case_insensitive: bool,
    /// Largest compiled program, in bytes (`RegexBuilder::size_limit`).
    pub size_limit: Option<usize>,
    /// Largest lazy-DFA cache, in bytes (`RegexBuilder::dfa_size_limit`).
    pub dfa_size_limit: Option<usize>,
}

impl Options {
    /// Case-insensitive (or not) with the default limits.
    pub fn case_insensitive(yes: bool) -> Self {
        Self { case_insensitive: yes, ..Self::default() }
    }

    /// A `regex` builder for `pattern` with these options.
    pub fn builder(self, pattern: &str) -> RegexBuilder {
        let mut builder = RegexBuilder::new(pattern);
        builder.case_insensitive(self.case_insensitive);
        if let Some(limit) = self.size_limit {
            builder.size_limit(limit);
        }
        if let Some(limit) = self.dfa_size_limit {
            builder.dfa_size_limit(limit);
        }
        builder
    }
}

/// A match: byte offsets into the haystack.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Match {
    start: usize,
    end: usize,
}

impl Match {
    /// Where the match starts.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Where the match ends (exclusive).
    pub fn end(&self) -> usize {
        self.end
    }

    /// The offsets as a range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// A place where a branch might match: one of its literals starts there. Eight bytes, since a
/// large document has millions: the start as `u32` (inputs are far smaller than 4 GiB; larger
/// haystacks are searched without candidates), and the branch (below 2^29), the word-start
/// flag and how the literal relates to its branch packed into another `u32`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    start: u32,
    packed: u32,
}

impl Candidate {
    const WORD_START: u32 = 1 << 29;
    const VIA_SHIFT: u32 = 30;

    /// `None` if `start` or `branch` does not fit.
    fn new(start: usize, branch: u32, word_start: bool, via: plan::Via) -> Option<Self> {
        let start = u32::try_from(start).ok()?;
        if branch >= Self::WORD_START {
            return None;
        }
        let via = match via {
            plan::Via::Anchor => 0,
            plan::Via::Inner => 1,
            plan::Via::StartHint => 2,
        };
        Some(Self { start, packed: branch | if word_start { Self::WORD_START } else { 0 } | via << Self::VIA_SHIFT })
    }

    /// Where in the text the candidate starts.
    pub(crate) fn start(self) -> usize {
        self.start as usize
    }

    fn branch(self) -> u32 {
        self.packed & (Self::WORD_START - 1)
    }

    fn word_start(self) -> bool {
        self.packed & Self::WORD_START != 0
    }

    fn via(self) -> plan::Via {
        match self.packed >> Self::VIA_SHIFT {
            0 => plan::Via::Anchor,
            1 => plan::Via::Inner,
            _ => plan::Via::StartHint,
        }
    }
}

/// Sorted candidates with where each block of the source begins among them, so that those in
/// a short window (a sentence) are found in a block's few rather than by a search of them all:
/// a long document's sentences each asking, a binary search over tens of thousands of
/// candidates missed the cache at nearly every step.
#[derive(Clone, Debug, Default)]
pub struct CandidateIndex {
    list: Vec<Candidate>,
    /// For block `b` (source bytes `b << BLOCK_BITS` onwards): the first candidate in or after it.
    firsts: Vec<usize>,
}

impl CandidateIndex {
    const BLOCK_BITS: u32 = 12;

    /// Indexes `list`, sorted by start.
    pub fn new(list: Vec<Candidate>) -> Self {
        let blocks = list.last().map_or(0, |last| last.start() >> Self::BLOCK_BITS) + 1;
        let mut firsts = Vec::with_capacity(blocks);
        let mut at = 0;
        for block in 0..blocks {
            let from = block << Self::BLOCK_BITS;
            at += list.get(at..).unwrap_or(&[]).iter().take_while(|c| c.start() < from).count();
            firsts.push(at);
        }
        Self { list, firsts }
    }

    /// Every candidate, sorted by start.
    pub fn all(&self) -> &[Candidate] {
        &self.list
    }

    /// The candidates that start inside `window`.
    pub fn within(&self, window: Range<usize>) -> &[Candidate] {
        let first_from = |offset: usize| {
            let block = offset >> Self::BLOCK_BITS;
            let Some(&low) = self.firsts.get(block) else { return self.list.len() };
            let high = self.firsts.get(block + 1).copied().unwrap_or(self.list.len());
            low + self.list.get(low..high).unwrap_or(&[]).partition_point(|c| c.start() < offset)
        };
        let from = first_from(window.start);
        self.list.get(from..first_from(window.end).max(from)).unwrap_or(&[])
    }
}

/// A regex compiled lazily, branch by branch, as its literals are found. Cheap to create; `Sync`.
pub struct Pattern {
    source: String,
    options: Options,
    plan: OnceLock<Plan>,
    whole: OnceLock<Option<Regex>>,
    /// The whole regex for ASCII and for common text (see [`Pattern::whole_for`]).
    whole_narrow: [OnceLock<Option<regex_automata::meta::Regex>>; 2],
    /// Bytes searched branch by branch so far; past [`WHOLE_AFTER`] the whole regex is compiled
    /// and used, since its one compilation is then repaid.
    searched: AtomicUsize,
    /// The same regex with ASCII word boundaries (`None` if it has no Unicode `\b`), used on
    /// haystacks without non-ASCII word characters, where the two are the same: a Unicode `\b`
    /// makes the fast automata give up at the first non-ASCII byte (a curly apostrophe is enough).
    twin: OnceLock<Option<Box<Pattern>>>,
    /// For a pattern searched whole (no literals): its phrase matcher, tried start by start on
    /// the first haystacks, before compiling the regex is repaid (see [`WHOLE_AFTER`]).
    whole_exact: OnceLock<Option<exact::Exact>>,
    /// For a pattern searched whole: where its matches can be, by their bytes (see [`starts`]).
    filter: OnceLock<Option<starts::Filter>>,
    /// The whole regex for any text, as an automaton that searches a range with its context
    /// (for [`Pattern::filtered_each`]; the narrow repertoires use `whole_narrow`).
    whole_any_meta: OnceLock<Option<regex_automata::meta::Regex>>,
    /// True if every match needs one of the literals a [`PatternSet`] finds (the pattern is
    /// split, and each start-only branch needs a literal somewhere too, see
    /// [`plan::Split::needs_literal`]): then a window without candidates has no match, and the
    /// plan need not even be read. Told by a stored set, or else read off the plan.
    needs_literal: OnceLock<bool>,
}

/// Bytes a pattern searches branch by branch before it compiles and uses the whole regex for
/// searches of its own (not those a [`PatternSet`] found candidates for).
const WHOLE_AFTER: usize = 1 << 13;

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

impl Pattern {
    /// A pattern over `source`; nothing is parsed or compiled yet.
    pub fn new(source: impl Into<String>, options: Options) -> Self {
        Self {
            source: source.into(),
            options,
            plan: OnceLock::new(),
            whole: OnceLock::new(),
            whole_narrow: [OnceLock::new(), OnceLock::new()],
            searched: AtomicUsize::new(0),
            twin: OnceLock::new(),
            whole_exact: OnceLock::new(),
            filter: OnceLock::new(),
            whole_any_meta: OnceLock::new(),
            needs_literal: OnceLock::new(),
        }
    }

    /// See the `needs_literal` field.
    pub(crate) fn needs_literal(&self) -> bool {
        *self.needs_literal.get_or_init(|| match self.plan() {
            Plan::Split(split) => split.needs_literal(),
            Plan::Whole => false,
        })
    }

    /// The ASCII-boundary twin, if this pattern has one and `haystack` has no non-ASCII word
    /// character (so that every `\b` holds or fails exactly as the Unicode one would).
    fn ascii_twin(&self, haystack: &str) -> Option<&Pattern> {
        let twin = self
            .twin
            .get_or_init(|| {
                let source = ascii_boundaries(&self.source)?;
                let parses = cache::is_stored(&source)
                    || regex_syntax::ParserBuilder::new()
                        .case_insensitive(self.options.case_insensitive)
                        .build()
                        .parse(&source)
                        .is_ok();
                parses.then(|| {
                    let twin = Pattern::new(source, self.options);
                    let _ = twin.twin.set(None);
                    Box::new(twin)
                })
            })
            .as_deref()?;
        (!has_non_ascii_word(haystack)).then_some(twin)
    }

    /// Builds, ahead of a long text, what searching its sentences one by one comes to use once
    /// that has repaid it ([`WHOLE_AFTER`] bytes): the whole regex for ASCII text, of the
    /// ASCII-boundary twin that searches such text if there is one. What is found stays the
    /// same; only when the work is done changes.
    pub fn prepare_for_sentences(&self) {
        let pattern = self.ascii_twin("").unwrap_or(self);
        let _ = pattern.whole_in(Repertoire::Ascii, 0);
    }

    /// The regex source.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The options it compiles with.
    pub fn options(&self) -> Options {
        self.options
    }

    /// A `regex::RegexBuilder` for the same regex: what this pattern must agree with.
    pub fn regex_builder(&self) -> RegexBuilder {
        self.options.builder(&self.source)
    }

    /// Compiles the whole regex now (the branches stay lazy), reporting what `regex` reports.
    ///
    /// # Errors
    /// The regex does not compile within the limits.
    pub fn compile(&self) -> Result<(), regex::Error> {
        let built = self.options.builder(&self.source).build();
        let result = built.as_ref().map(|_| ()).map_err(Clone::clone);
        let _ = self.whole.set(built.ok());
        result
    }

    /// True if the regex matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        if let Some(twin) = self.ascii_twin(haystack) {
            return twin.is_match(haystack);
        }
        let mut any = false;
        if self.filtered_each(haystack, false, &mut |_| {
            any = true;
            false
        }) {
            return any;
        }
        if let Some(regex) = self.whole_if_repaid(haystack) {
            return regex.is_match(haystack);
        }
        match self.plan() {
            Plan::Split(split) => {
                if let Some(answer) = search::is_match(split, haystack, self.options) {
                    return answer;
                }
            }
            Plan::Whole => {
                let found = self
                    .whole_exact(haystack)
                    .and_then(|e| e.find_from(haystack, 0, &mut Steps::for_haystack(haystack)));
                if let Some(found) = found {
                    return found.is_some();
                }
            }
        }
        self.whole_for(haystack).is_some_and(|r| r.is_match(haystack))
    }

    /// The phrase matcher of a pattern searched whole, if it takes the pattern and `haystack`:
    /// like every phrase matcher it folds ASCII letters only, so a haystack holding one of the
    /// non-ASCII characters that fold to them goes to the regex (as split patterns' finders
    /// send it).
    fn whole_exact(&self, haystack: &str) -> Option<&exact::Exact> {
        if !haystack.is_ascii() && haystack.contains(&prefix::FOLDS_TO_ASCII[..]) {
            return None;
        }
        self.whole_exact
            .get_or_init(|| {
                cache::matcher(&self.source, self.options)
                    .unwrap_or_else(|| exact::Exact::expand(&self.source, self.options))
            })
            .as_ref()
    }

    /// A pattern searched whole, by its phrase matcher start by start while that is cheaper than
    /// compiling the regex, which takes over from where the matcher ran out of work.
    fn whole_exact_each(&self, haystack: &str, found: &mut dyn FnMut(Match) -> bool) -> bool {
        let Some(exact) = self.whole_exact(haystack) else { return false };
        let mut work = Steps::for_haystack(haystack);
        let mut at = 0;
        loop {
            match exact.find_from(haystack, at, &mut work) {
                Some(Some((start, end))) => {
                    // Never empty: the matcher does not take patterns that can match nothing.
                    if !found(Match { start, end }) {
                        return true;
                    }
                    at = end;
                }
                Some(None) => return true,
                None => {
                    if let Some(regex) = self.whole_for(haystack) {
                        regex.each(haystack, at, found);
                    }
                    return true;
                }
            }
        }
    }

    /// The leftmost-first match in `haystack`, as `Regex::find` reports it.
    pub fn find(&self, haystack: &str) -> Option<Match> {
        let mut first = None;
        self.for_each_match(haystack, |m| {
            first = Some(m);
            false
        });
        first
    }

    /// Calls `found` with each successive non-overlapping match, as `Regex::find_iter` yields
    /// them, until it returns `false`.
    pub fn for_each_match(&self, haystack: &str, mut found: impl FnMut(Match) -> bool) {
        if let Some(twin) = self.ascii_twin(haystack) {
            return twin.for_each_match(haystack, found);
        }
        if self.filtered_each(haystack, true, &mut found) {
            return;
        }
        if let Some(regex) = self.whole_if_repaid(haystack) {
            return regex.each(haystack, 0, &mut found);
        }
        match self.plan() {
            Plan::Split(split) => {
                if let Some(candidates) = search::candidates(split, haystack) {
                    return self.split_each(split, haystack, &candidates, &mut found);
                }
            }
            Plan::Whole => {
                if self.whole_exact_each(haystack, &mut found) {
                    return;
                }
            }
        }
        self.whole_each(haystack, &mut found);
    }

    /// Like [`Pattern::for_each_match`] on `source[window]`, given this pattern's candidates in
    /// all of `source` as a [`PatternSet`] found them (`None`: search unaided). Offsets are
    /// relative to the window.
    pub fn for_each_match_in(
        &self,
        source: &str,
        window: Range<usize>,
        candidates: Option<&[Candidate]>,
        mut found: impl FnMut(Match) -> bool,
    ) {
        let haystack = source.get(window.clone()).unwrap_or("");
        let inside = candidates.map(|candidates| {
            let from = candidates.partition_point(|c| c.start() < window.start);
            let to = candidates.partition_point(|c| c.start() < window.end);
            candidates.get(from..to).unwrap_or(&[])
        });
        if inside.is_some_and(<[Candidate]>::is_empty) && self.needs_literal() {
            // The set found none of the literals every match holds: most rules, on a pitch.
            return;
        }
        if let Some(twin) = self.ascii_twin(haystack) {
            return twin.for_each_match(haystack, found);
        }
        let (Plan::Split(split), Some(inside)) = (self.plan(), inside) else {
            return self.for_each_match(haystack, found);
        };
        let candidates = search::in_window(split, haystack, inside, window.start);
        self.split_each(split, haystack, &candidates, &mut found);
    }

    /// True if the pattern matches in the window `window` of `source`, given the candidates a
    /// [`PatternSet`] found there (see [`Pattern::for_each_match_in`]).
    pub fn is_match_in(&self, source: &str, window: Range<usize>, candidates: Option<&[Candidate]>) -> bool {
        let mut any = false;
        self.for_each_match_in(source, window, candidates, |_| {
            any = true;
            false
        });
        any
    }

    fn split_each(
        &self,
        split: &Split,
        haystack: &str,
        candidates: &[Candidate],
        found: &mut dyn FnMut(Match) -> bool,
    ) {
        if search::prefers_whole(split, haystack, candidates) {
            return self.whole_each(haystack, found);
        }
        if let search::Outcome::WholeFrom(resume) = search::each_match(split, haystack, candidates, self.options, found)
        {
            // No match of a split pattern is empty, so searching on from `resume` continues the
            // same sequence `find_iter` would produce.
            if let Some(regex) = self.whole_for(haystack) {
                regex.each(haystack, resume, found);
            }
        }
    }

    /// A pattern searched whole (or whose literals are too common to help) that has a
    /// [`starts::Filter`], searched only where the filter lets it: anchored at each place that
    /// can start a match, or within each run that can hold one (see [`starts::Filter::each`]).
    /// `false` (and nothing reported) if the pattern has no filter.
    ///
    /// A haystack shorter than [`FILTER_FROM`] is filtered only when `every` match is wanted
    /// (the automaton then reads it to the end; a question of any match is mostly asked of a
    /// sentence) and once this pattern has searched enough to compile its whole regex: working
    /// out the filter parses the pattern again, which one short haystack does not repay, but a
    /// class of pitches, each short and together long, does.
    fn filtered_each(&self, haystack: &str, every: bool, found: &mut dyn FnMut(Match) -> bool) -> bool {
        if haystack.len() < FILTER_FROM && !(every && self.searched.load(Ordering::Relaxed) > WHOLE_AFTER) {
            return false;
        }
        // Only where no literal anchors the search: a plan without, or with one so common that
        // the pattern would search the whole text anyway.
        if let Plan::Split(split) = self.plan()
            && !split.has_dense_literal()
        {
            return false;
        }
        let Some(filter) = self
            .filter
            .get_or_init(|| starts::Filter::for_source(&self.source, self.options.case_insensitive))
            .as_ref()
        else {
            return false;
        };
        if filter.next(haystack.as_bytes(), 0).is_none() {
            return true;
        }
        // Compiled once a place turns up, before anything is reported.
        let Some(regex) = self.meta_in(Repertoire::of(haystack)) else { return false };
        filter.each(regex, haystack, found);
        true
    }

    /// The whole regex for text within `repertoire`, as an automaton that takes ranges.
    fn meta_in(&self, repertoire: Repertoire) -> Option<&regex_automata::meta::Regex> {
        let slot = self.narrow_slot(repertoire).unwrap_or(&self.whole_any_meta);
        slot.get_or_init(|| engine::regex_for(&self.source, self.options, repertoire, true)).as_ref()
    }

    fn whole_each(&self, haystack: &str, found: &mut dyn FnMut(Match) -> bool) {
        if let Some(regex) = self.whole_for(haystack) {
            regex.each(haystack, 0, found);
        }
    }

    fn plan(&self) -> &Plan {
        self.plan.get_or_init(|| Plan::new(&self.source))
    }

    /// The whole regex for `haystack`, once this pattern has searched enough on its own to repay
    /// compiling it.
    fn whole_if_repaid(&self, haystack: &str) -> Option<Whole<'_>> {
        let repertoire = Repertoire::of(haystack);
        let built = self.narrow_slot(repertoire).and_then(|slot| slot.get()).is_some() || self.whole.get().is_some();
        if !built {
            let len = haystack.len();
            if self.searched.fetch_add(len, Ordering::Relaxed) + len <= WHOLE_AFTER {
                return None;
            }
        }
        self.whole_in(repertoire, haystack.len())
    }

    /// The whole regex, compiled for the narrowest repertoire `haystack` fits: much cheaper to
    /// build when the pattern has Unicode classes, and the same matches on such text.
    fn whole_for(&self, haystack: &str) -> Option<Whole<'_>> {
        self.whole_in(Repertoire::of(haystack), haystack.len())
    }

    /// The whole regex for text within `repertoire`; built with a prefilter if the haystack it
    /// is first needed for (`len` bytes) is long enough to repay one (see [`PREFILTER_FROM`]).
    fn whole_in(&self, repertoire: Repertoire, len: usize) -> Option<Whole<'_>> {
        if let Some(slot) = self.narrow_slot(repertoire) {
            let prefilter = len >= PREFILTER_FROM;
            if let Some(regex) =
                slot.get_or_init(|| engine::regex_for(&self.source, self.options, repertoire, prefilter))
            {
                return Some(Whole::Narrow(regex));
            }
        }
        self.whole().map(Whole::Any)
    }

    fn narrow_slot(&self, repertoire: Repertoire) -> Option<&OnceLock<Option<regex_automata::meta::Regex>>> {
        match repertoire {
            Repertoire::Ascii => self.whole_narrow.first(),
            Repertoire::Common => self.whole_narrow.get(1),
            Repertoire::Any => None,
        }
    }

    fn whole(&self) -> Option<&Regex> {
        self.whole.get_or_init(|| self.options.builder(&self.source).build().ok()).as_ref()
    }
}

/// A whole regex: the one `regex` builds, or one built for a narrower repertoire.
#[derive(Copy, Clone)]
enum Whole<'a> {
    Any(&'a Regex),
    Narrow(&'a regex_automata::meta::Regex),
}

impl Whole<'_> {
    fn is_match(self, haystack: &str) -> bool {
        match self {
            Whole::Any(regex) => regex.is_match(haystack),
            Whole::Narrow(regex) => regex.is_match(haystack),
        }
    }

    /// Calls `found` with each match from `from` on, as `find_iter` yields them, until it
    /// returns `false`. From anywhere but the start, the caller knows no match is empty.
    fn each(self, haystack: &str, from: usize, found: &mut dyn FnMut(Match) -> bool) {
        match self {
            Whole::Any(regex) if from == 0 => {
                for m in regex.find_iter(haystack) {
                    if !found(Match { start: m.start(), end: m.end() }) {
                        return;
                    }
                }
            }
            Whole::Any(regex) => {
                let mut at = from;
                while let Some(m) = regex.find_at(haystack, at) {
                    at = m.end();
                    if !found(Match { start: m.start(), end: m.end() }) || m.is_empty() {
                        return;
                    }
                }
            }
            Whole::Narrow(regex) => {
                let input = regex_automata::Input::new(haystack).range(from..);
                for m in regex.find_iter(input) {
                    if !found(Match { start: m.start(), end: m.end() }) {
                        return;
                    }
                }
            }
        }
    }
}

/// True if a word-boundary assertion can hold before an ASCII word byte at `at`.
pub(crate) fn boundary_before(haystack: &str, at: usize) -> bool {
    at == 0 || haystack.as_bytes().get(at - 1).is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
}

/// `source` with each Unicode `\b` outside a character class written as `(?-u:\b)`; `None` if
/// there is none, or if the source uses a form this does not rewrite (`\b{start}` and kin).
pub fn ascii_boundaries(source: &str) -> Option<String> {
    // Most sources have none, or only ASCII ones already. (Found by their backslashes: `memchr`
    // sets up nothing, and a lexicon's source is kilobytes.)
    let bytes = source.as_bytes();
    let mut boundaries = memchr::memchr_iter(b'\\', bytes).filter(|&at| bytes.get(at + 1) == Some(&b'b'));
    if boundaries.all(|at| source.get(..at).is_some_and(|before| before.ends_with("(?-u:"))) {
        return None;
    }
    let mut out = String::with_capacity(source.len() + 16);
    let mut chars = source.chars().peekable();
    let mut class_depth = 0usize;
    let mut changed = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let next = chars.next()?;
                if next == 'b' && class_depth == 0 && !out.ends_with("(?-u:") {
                    if chars.peek() == Some(&'{') {
                        return None;
                    }
                    out.push_str("(?-u:\\b)");
                    changed = true;
                } else {
                    out.push(c);
                    out.push(next);
                }
            }
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` right after the opening bracket (or its negation) is a literal.
                if chars.peek() == Some(&'^') {
                    out.extend(chars.next());
                }
                if chars.peek() == Some(&']') {
                    out.extend(chars.next());
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    changed.then_some(out)
}

/// True if `haystack` holds a non-ASCII character that Unicode `\w` matches.
fn has_non_ascii_word(haystack: &str) -> bool {
    if haystack.is_ascii() {
        return false;
    }
    let mut rest = haystack;
    loop {
        let at = crate::span::ascii_prefix_len(rest.as_bytes());
        let Some(tail) = rest.get(at..) else { return false };
        let Some(c) = tail.chars().next() else { return false };
        if regex_syntax::try_is_word_character(c).unwrap_or(true) {
            return true;
        }
        rest = tail.get(c.len_utf8()..).unwrap_or("");
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Candidate, CandidateIndex, Groups, ascii_boundaries, plan::Via};

    proptest! {
        /// The candidates an index gives for a window are those a filter of them all keeps,
        /// for candidates crowded into a block, spread over many, and windows past the last.
        #[test]
        fn an_index_finds_the_candidates_in_a_window(
            mut starts in prop::collection::vec(prop_oneof![0usize..64, 0usize..40_000], 0..300),
            windows in prop::collection::vec((0usize..45_000, 0usize..9_000), 1..20),
        ) {
            starts.sort_unstable();
            let list: Vec<Candidate> =
                starts.iter().filter_map(|&start| Candidate::new(start, 0, false, Via::Anchor)).collect();
            let index = CandidateIndex::new(list.clone());
            for (start, len) in windows {
                let window = start..start + len;
                let want: Vec<Candidate> = list.iter().copied().filter(|c| window.contains(&c.start())).collect();
                prop_assert_eq!(index.within(window.clone()), want.as_slice(), "{:?}", window);
            }
        }
    }

    #[test]
    fn unicode_word_boundaries_become_ascii_ones() {
        assert_eq!(ascii_boundaries(r"\bsend\s+me\b").as_deref(), Some(r"(?-u:\b)send\s+me(?-u:\b)"));
        assert_eq!(ascii_boundaries(r"(?-u:\b)send(?-u:\b)|\bme").as_deref(), Some(r"(?-u:\b)send(?-u:\b)|(?-u:\b)me"));
        // Nothing to change: none, only ASCII ones, an escaped backslash before a `b`, a class.
        for source in ["send me", r"(?-u:\b)send(?-u:\b)", r"a\\b", r"[\b]x"] {
            assert_eq!(ascii_boundaries(source), None, "{source}");
        }
        // A `\b{…}` boundary is left to regex.
        assert_eq!(ascii_boundaries(r"\b{start}x"), None);
    }

    #[test]
    fn groups_keep_their_items_in_order() {
        let groups = Groups::new(4, vec![(2, 'a'), (0, 'b'), (2, 'c'), (0, 'd'), (9, 'x')]);
        assert_eq!(groups.get(0), Some(&['b', 'd'][..]));
        assert_eq!(groups.get(1), Some(&[][..]));
        assert_eq!(groups.get(2), Some(&['a', 'c'][..]));
        assert_eq!(groups.get(3), Some(&[][..]));
        assert_eq!(groups.get(4), None, "past the last group");
        assert_eq!(Groups::<char>::new(0, Vec::new()).get(0), None);
    }
}
