//! What a [`super::Pattern`] becomes the first time it is used: its branches, each compiled on
//! its own when needed, and the literals that say when a branch is needed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex::Regex;

use super::engine::{Engine, Repertoire, RepertoireOf, Verdict};
use super::exact::{Exact, Steps};
use super::finder::{Finder, Packed};
use super::prefix::{self, AtStart, Literals};
use super::runs;
use super::starts::{ByteSet, Filter};
use super::{Groups, LiteralMap, Options};

/// How a pattern is searched.
pub(super) enum Plan {
    /// Only the whole regex can find its matches (a branch has no literal at all).
    Whole,
    /// Branch by branch, where their literals occur (boxed: most patterns are split, but an
    /// unsplit one need not carry the room).
    Split(Box<Split>),
}

/// What [`Split::tables`] gives.
pub(super) type SplitTables<'a> = (usize, (&'a Packed, &'a [(u16, u32)], &'a [u32]), (&'a [u32], &'a [Owner]));

/// A pattern split into branches with literals.
pub(super) struct Split {
    pub(super) branches: Vec<Branch>,
    /// How many of the finder's literals are the branches' (the forcing characters follow).
    literal_count: usize,
    /// For each literal, the branches it belongs to.
    owners: Groups<Owner>,
    /// Finds `literals`, then the forcing characters, in one haystack.
    finder: Finder,
    /// Branches that only match at the start of a haystack, with what they need there.
    pub(super) starts: Vec<(u32, AtStart)>,
    /// Branches without literals, with the filter that finds where their matches can start.
    filtered: Vec<(u32, Filter)>,
}

/// A branch that a literal belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(super) struct Owner {
    pub(super) branch: u32,
    /// The literal is an anchor after a word boundary: it needs a non-word byte before it.
    pub(super) word_start: bool,
    /// What an occurrence of the literal says about the branch.
    pub(super) via: Via,
}

/// What an occurrence of a literal says about its branch.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Via {
    /// A match of the branch may start here.
    Anchor,
    /// The branch may match somewhere (the literal is inside its matches).
    Inner,
    /// The branch, which only matches at the start, may match there.
    StartHint,
}

/// One branch, compiled on first use.
pub(super) struct Branch {
    pub(super) pattern: String,
    /// Anchored branches run from a known start; the others search.
    pub(super) anchored: bool,
    /// Its phrase matcher (see [`super::exact`]), made on first use; `None` if the branch has
    /// something the matcher does not take.
    exact: OnceLock<Option<Exact>>,
    /// Boxed, as the narrow ones: an engine is 800 bytes, and most branches never build one.
    engine: OnceLock<Option<Box<Engine>>>,
    /// The branch compiled for ASCII and for common text (see [`Engine::compile_for`]).
    narrow_engines: [OnceLock<Option<Box<Engine>>>; 2],
    regex: OnceLock<Option<Regex>>,
    /// The bytes its matches can be made of, for a search around its literals (see [`runs`]).
    bytes: OnceLock<Option<ByteSet>>,
    /// Bytes scanned start by start so far (see [`SCAN_AFTER`]).
    scanned: AtomicUsize,
}

impl Plan {
    /// Analyses `source` (no compiling); a built-in pattern's plan is read from the stored tables.
    pub(super) fn new(source: &str) -> Self {
        super::cache::stored_plan(source).unwrap_or_else(|| Self::from_branches(prefix::analyse(source)))
    }

    /// The plan of a pattern with these branches (`None`: searched whole).
    pub(super) fn from_branches(branches: Option<Vec<prefix::Branch>>) -> Self {
        let Some(branches) = branches else { return Self::Whole };
        let total: usize = branches
            .iter()
            .map(|b| match &b.literals {
                Literals::Anchors(anchors) => anchors.len(),
                Literals::Required(required) => required.len(),
                Literals::AtStart(start) => start.required.as_ref().map_or(0, Vec::len),
                Literals::Filtered => 0,
            })
            .sum();
        // Each literal once, by where it first occurs (branch, position): moved out of the
        // branches afterwards rather than copied.
        let mut first: Vec<(usize, usize)> = Vec::with_capacity(total);
        let mut owners: Vec<(u32, Owner)> = Vec::with_capacity(total);
        let mut ids = LiteralMap::with_capacity_and_hasher(total, Default::default());
        let mut starts = Vec::new();
        let mut filtered = Vec::new();
        for (index, branch) in branches.iter().enumerate() {
            let branch_id = index as u32;
            let mut add = |at: usize, bytes, owner| {
                let id = *ids.entry(bytes).or_insert_with(|| {
                    first.push((index, at));
                    first.len() - 1
                });
                owners.push((u32::try_from(id).unwrap_or(u32::MAX), owner));
            };
            match &branch.literals {
                Literals::Anchors(anchors) => {
                    for (at, anchor) in anchors.iter().enumerate() {
                        let owner = Owner { branch: branch_id, word_start: anchor.word_start, via: Via::Anchor };
                        add(at, &anchor.bytes, owner);
                    }
                }
                Literals::Required(required) => {
                    for (at, literal) in required.iter().enumerate() {
                        add(at, literal, Owner { branch: branch_id, word_start: false, via: Via::Inner });
                    }
                }
                Literals::AtStart(start) => {
                    for (at, literal) in start.required.iter().flatten().enumerate() {
                        add(at, literal, Owner { branch: branch_id, word_start: false, via: Via::StartHint });
                    }
                    starts.push((branch_id, start.clone()));
                }
                Literals::Filtered => {
                    // The analysis only says `Filtered` where there is a filter.
                    let Some(filter) = Filter::for_branch(&branch.pattern) else { return Self::Whole };
                    filtered.push((branch_id, filter));
                }
            }
        }
        drop(ids);
        let owners = Groups::new(first.len(), owners);
        let mut branches = branches;
        // Room for the forcing characters too (see `with_forcing`).
        let mut literals: Vec<Vec<u8>> = Vec::with_capacity(first.len() + prefix::FOLDS_TO_ASCII.len());
        literals.extend(first.into_iter().map(|(index, at)| {
            let literal = branches.get_mut(index).and_then(|b| match &mut b.literals {
                Literals::Anchors(anchors) => anchors.get_mut(at).map(|a| &mut a.bytes),
                Literals::Required(required) => required.get_mut(at),
                Literals::AtStart(start) => start.required.as_mut().and_then(|r| r.get_mut(at)),
                Literals::Filtered => None,
            });
            literal.map(std::mem::take).unwrap_or_default()
        }));
        let branches = branches
            .into_iter()
            .map(|b| Branch::new(b.pattern, !matches!(b.literals, Literals::Required(_))))
            .collect();
        let literal_count = literals.len();
        let finder = Finder::new(with_forcing(literals));
        Self::Split(Box::new(Split { branches, literal_count, owners, finder, starts, filtered }))
    }
}

/// Haystacks longer than this (bytes) search a branch found by a required literal only in the
/// runs around its literals (see [`runs`]); shorter ones are read whole sooner than the runs
/// are worked out.
const RUNS_FROM: usize = 1 << 16;

/// Bytes a branch found by a required literal is scanned start by start by its phrase matcher
/// before its automata take over: trying every start costs more per byte than an automaton,
/// so once a run has scanned this much (a large file, or many files), building one is repaid.
const SCAN_AFTER: usize = 1 << 14;

impl Branch {
    /// A branch over `pattern`; `anchored` unless its literals are only required ones.
    pub(super) fn new(pattern: String, anchored: bool) -> Self {
        Self {
            pattern,
            anchored,
            exact: OnceLock::new(),
            engine: OnceLock::new(),
            narrow_engines: [OnceLock::new(), OnceLock::new()],
            regex: OnceLock::new(),
            bytes: OnceLock::new(),
            scanned: AtomicUsize::new(0),
        }
    }

    /// Its phrase matcher: stored ahead of time, or made now; `None` if the branch has
    /// something the matcher does not take.
    fn exact(&self, options: Options) -> Option<&Exact> {
        self.exact
            .get_or_init(|| {
                super::cache::matcher(&self.pattern, options).unwrap_or_else(|| Exact::expand(&self.pattern, options))
            })
            .as_ref()
    }

    /// The phrase matcher to scan `haystack` with start by start, unless the automata should
    /// (see [`SCAN_AFTER`]).
    fn scanner(&self, options: Options, haystack: &str) -> Option<&Exact> {
        let len = haystack.len();
        if self.scanned.fetch_add(len, Ordering::Relaxed).saturating_add(len) > SCAN_AFTER {
            return None;
        }
        self.exact(options)
    }

    /// The automaton for a haystack within `repertoire`. The narrow ones are much cheaper to
    /// build when the branch has Unicode classes such as `\w`; if one cannot be built, the
    /// general one serves.
    fn engine(&self, options: Options, repertoire: Repertoire) -> Option<&Engine> {
        let slot = match repertoire {
            Repertoire::Ascii => self.narrow_engines.first(),
            Repertoire::Common => self.narrow_engines.get(1),
            Repertoire::Any => None,
        };
        if let Some(slot) = slot {
            if let Some(engine) =
                slot.get_or_init(|| Engine::compile_for(&self.pattern, options, repertoire).map(Box::new))
            {
                return Some(engine);
            }
        }
        self.engine.get_or_init(|| Engine::compile(&self.pattern, options).map(Box::new)).as_deref()
    }
}

impl Split {
    /// A plan read from stored tables: what [`Split::tables`] gives of the plan of the same
    /// branches.
    pub(super) fn stored(
        branches: Vec<Branch>,
        starts: Vec<(u32, AtStart)>,
        literal_count: usize,
        finder: Finder,
        owners: Groups<Owner>,
        filtered: Vec<(u32, Filter)>,
    ) -> Self {
        Self { branches, literal_count, owners, finder, starts, filtered }
    }

    /// How many literals are the branches' (the forcing characters follow), the finder's parts
    /// and the owners' (see [`Split::stored`]).
    pub(super) fn tables(&self) -> SplitTables<'_> {
        (self.literal_count, self.finder.parts(), self.owners.parts())
    }

    /// True if a literal of some branch is too common in prose to say much (see [`is_dense`]).
    pub(super) fn has_dense_literal(&self) -> bool {
        self.literals().any(is_dense)
    }

    /// Every literal of every branch, each once (ASCII letters in lower case), in the order of
    /// [`Split::owners`].
    pub(super) fn literals(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.finder.literals().iter().take(self.literal_count)
    }

    /// How many literals [`Split::literals`] gives.
    pub(super) fn literal_count(&self) -> usize {
        self.literal_count
    }

    /// The branches a finder literal belongs to; empty for a forcing character.
    pub(super) fn owners_of(&self, literal: usize) -> &[Owner] {
        self.owners.get(literal).unwrap_or(&[])
    }

    /// True if every match holds one of the literals: each branch is found by its literals, or
    /// only matches at the start but needs a literal somewhere (a start hint), so a window where
    /// none was found has no match (see [`Split::starting`]).
    pub(super) fn needs_literal(&self) -> bool {
        self.filtered.is_empty() && self.starts.iter().all(|(_, start)| start.required.is_some())
    }

    /// The branches without literals, each with the filter that finds where it can match.
    pub(super) fn filtered(&self) -> &[(u32, Filter)] {
        &self.filtered
    }

    /// The start-only branches that may match at the start of `haystack`: its opening passes
    /// their check, and they need no literal elsewhere or `hinted` says one was found.
    pub(super) fn starting(&self, haystack: &str, hinted: &[u32]) -> Vec<u32> {
        let opening = |start: &AtStart| {
            let Some(prefixes) = &start.prefixes else { return true };
            let text = if start.skip_space { haystack.trim_start() } else { haystack }.as_bytes();
            prefixes.iter().any(|p| text.get(..p.len()).is_some_and(|t| t.eq_ignore_ascii_case(p)))
        };
        self.starts
            .iter()
            .filter(|(branch, start)| (start.required.is_none() || hinted.contains(branch)) && opening(start))
            .map(|(branch, _)| *branch)
            .collect()
    }

    /// Finds this pattern's literals and the forcing characters.
    pub(super) fn finder(&self) -> &Finder {
        &self.finder
    }

    /// Branch `branch`'s match starting at `start` (an anchored branch); `None` if the branch
    /// cannot be compiled on its own, so only the whole regex can answer. `repertoire` is the
    /// haystack's.
    pub(super) fn match_at(
        &self,
        branch: u32,
        haystack: &str,
        start: usize,
        any: bool,
        options: Options,
        repertoire: &RepertoireOf<'_>,
    ) -> Option<Verdict> {
        let branch = self.branches.get(branch as usize)?;
        // Out of work (pathological backtracking): the automaton decides.
        if let Some(verdict) = branch.exact(options).and_then(|e| e.match_at(haystack, start)) {
            return Some(verdict);
        }
        Some(branch.engine(options, repertoire.get())?.match_at(haystack, start, any))
    }

    /// True if branch `branch` matches anywhere in `haystack`; `None` if it does not compile alone.
    pub(super) fn branch_matches(
        &self,
        branch: u32,
        haystack: &str,
        options: Options,
        repertoire: &RepertoireOf<'_>,
    ) -> Option<bool> {
        let branch = self.branches.get(branch as usize)?;
        if let Some(exact) = branch.scanner(options, haystack) {
            if let Some(found) = exact.find_from(haystack, 0, &mut Steps::for_haystack(haystack)) {
                return Some(found.is_some());
            }
        }
        Some(branch.engine(options, repertoire.get())?.is_match(haystack))
    }

    /// The first match of branch `branch` (found by a required literal) starting at or after
    /// `from`, as a regex of the branch alone finds it: by the phrase matcher while `work`
    /// lasts, then by that regex, only around the places of the literals its matches hold in a
    /// long haystack (see [`runs::Around`]). `None` if the branch does not compile alone.
    pub(super) fn branch_find(
        &self,
        branch: u32,
        haystack: &str,
        from: usize,
        around: &mut runs::Around,
        options: Options,
        work: &mut Steps,
    ) -> Option<Option<(usize, usize)>> {
        let branch = self.branches.get(branch as usize)?;
        if let Some(exact) = branch.scanner(options, haystack) {
            if let Some(found) = exact.find_from(haystack, from, work) {
                return Some(found);
            }
        }
        let regex = branch.regex.get_or_init(|| options.builder(&branch.pattern).build().ok()).as_ref()?;
        if haystack.len() > RUNS_FROM
            && let Some(bytes) = branch.bytes.get_or_init(|| runs::match_bytes(&branch.pattern, options))
        {
            return Some(around.find(regex, bytes, haystack, from));
        }
        Some(regex.find_at(haystack, from).map(|m| (m.start(), m.end())))
    }

    /// True if the branch is found by its anchors.
    pub(super) fn is_anchored(&self, branch: u32) -> bool {
        self.branches.get(branch as usize).is_some_and(|b| b.anchored)
    }
}

/// `literals` followed by the characters that send a haystack to the whole regex (a finder
/// reports them with the ids after the literals').
pub(super) fn with_forcing(mut literals: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    literals.extend(prefix::FOLDS_TO_ASCII.map(|c| c.to_string().into_bytes()));
    literals
}

/// True for a literal too short to say much in prose: a single letter or digit (anchoring a
/// branch that starts with a class such as `[A-Z]`), or a space or common punctuation a branch
/// requires. A slot with one would take a candidate at nearly every word. A single rare symbol
/// (`$`, `%`, `{`) is not dense: prose has a handful, and each saves the slot a pass of its
/// own over the whole text.
pub(super) fn is_dense(literal: &[u8]) -> bool {
    match literal {
        [byte] => byte.is_ascii_alphanumeric() || byte.is_ascii_whitespace() || b",.;:'\"-()!?".contains(byte),
        _ => false,
    }
}
