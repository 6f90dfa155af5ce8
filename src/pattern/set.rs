//! [`PatternSet`]: the literals of many patterns, found in one pass over a document.
//!
//! A linter builds one set over its rules' patterns and scans each document once; each rule then
//! looks only at its own candidates ([`super::Pattern::for_each_match_in`]) instead of reading
//! the whole document again. Candidates are in document offsets, sorted by (start, branch).

use std::borrow::Cow;

use rayon::prelude::*;

use super::finder::{Finder, Packed};
use super::plan::{Owner, Plan, with_forcing};
use super::prefix::FOLDS_TO_ASCII;
use super::{Candidate, Groups, LiteralMap, Pattern, search};

/// The literals of several patterns, each in a numbered slot, found together.
#[derive(Clone)]
pub struct PatternSet {
    /// Every pattern's literals, then the forcing characters.
    finder: Finder,
    /// For each finder literal: (slot, owner); none for the characters that force whole regexes.
    owners: Groups<(u32, Owner)>,
    /// Per slot: true if it takes candidates (a pattern split into branches).
    split: Cow<'static, [bool]>,
    /// The slots after these, in a set of their own: the rules of a user's pack, after the
    /// built-in rules of a stored set (see [`PatternSet::stored`]).
    rest: Option<Box<PatternSet>>,
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet").field("slots", &self.slot_count()).finish_non_exhaustive()
    }
}

/// A set's tables, as they are stored ahead of time (see [`PatternSet::stored`]).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    /// [`Finder::parts`].
    pub(super) finder: (&'a Packed, &'a [(u16, u32)], &'a [u32]),
    /// [`Groups::parts`].
    pub(super) owners: (&'a [u32], &'a [(u32, Owner)]),
    pub(super) split: &'a [bool],
}

/// What a [`PatternSet`] found in one document: candidates per slot, or `None` for a slot that
/// searches on its own (no literals, or the document needs the whole regexes).
#[derive(Debug, Default)]
pub struct Hits {
    per_slot: Vec<Option<Vec<Candidate>>>,
}

impl Hits {
    /// The candidates of `slot`, sorted; `None` if its pattern searches by itself.
    pub fn candidates(&self, slot: usize) -> Option<&[Candidate]> {
        self.per_slot.get(slot).and_then(Option::as_deref)
    }

    /// The candidates of every slot, to be handed out (and freed) one by one.
    pub fn into_slots(self) -> Vec<Option<Vec<Candidate>>> {
        self.per_slot
    }
}

impl PatternSet {
    /// Analyses each pattern (parses it; compiles nothing), on every core: what
    /// [`PatternSet::new`] would otherwise do on one. Not to be called where other jobs of the
    /// pool may wait for the caller (inside a lock they take): while it waits for its share of
    /// the work, a pool thread runs other jobs.
    pub fn analyse(patterns: &[Option<&Pattern>]) {
        patterns.par_iter().flatten().for_each(|pattern| {
            pattern.plan();
        });
    }

    /// A set whose slot `i` is `patterns[i]` (an empty slot never has candidates). Analyses
    /// each pattern not yet analysed, on this thread alone (see [`PatternSet::analyse`]);
    /// compiles nothing.
    pub fn new(patterns: &[Option<&Pattern>]) -> Self {
        // Sized for every literal of every pattern (and the forcing characters), so that none
        // of the three grows by copying.
        let total: usize = patterns
            .iter()
            .flatten()
            .map(|pattern| match pattern.plan() {
                Plan::Split(plan) => plan.literal_count(),
                Plan::Whole => 0,
            })
            .sum();
        let mut literals: Vec<Vec<u8>> = Vec::with_capacity(total + FOLDS_TO_ASCII.len());
        let mut owners: Vec<(u32, (u32, Owner))> = Vec::with_capacity(total);
        let mut ids = LiteralMap::with_capacity_and_hasher(total, Default::default());
        let mut split = Vec::with_capacity(patterns.len());
        for (slot, pattern) in patterns.iter().enumerate() {
            let Some(Plan::Split(plan)) = pattern.map(Pattern::plan) else {
                split.push(false);
                continue;
            };
            if plan.has_dense_literal() {
                // Its candidates would outnumber the words, and one pass of its own automaton
                // beats checking each of them.
                split.push(false);
                continue;
            }
            split.push(true);
            for (index, literal) in plan.literals().enumerate() {
                let id = *ids.entry(literal).or_insert_with(|| {
                    literals.push(literal.to_vec());
                    literals.len() - 1
                });
                let id = u32::try_from(id).unwrap_or(u32::MAX);
                owners.extend(plan.owners_of(index).iter().map(|o| (id, (slot as u32, *o))));
            }
        }
        let owners = Groups::new(literals.len(), owners);
        Self { finder: Finder::new(with_forcing(literals)), owners, split: Cow::Owned(split), rest: None }
    }

    /// Builds what a long text is searched with ([`SCAN_IN_PARTS_AFTER`] bytes or more: the
    /// automaton over the literals), so that it can be made before the text is there.
    pub fn prepare_for_long_text(&self) {
        self.finder.prepare_automaton();
        if let Some(rest) = &self.rest {
            rest.prepare_for_long_text();
        }
    }

    /// How many slots the set has.
    fn slot_count(&self) -> usize {
        self.split.len() + self.rest.as_ref().map_or(0, |rest| rest.slot_count())
    }

    /// The set [`PatternSet::new`] would build, if it is built into the binary: the built-in
    /// rules' set, made ahead of time (see [`super::cache`]), serves whenever each pattern in
    /// `patterns` is the one the built-in rule of its slot has (rules left out of the selection
    /// leave their slots empty, and empty slots are never wanted; see [`PatternSet::scan_for`]).
    /// Nothing is parsed or analysed: patterns are analysed when they get candidates. Slots past
    /// the built-in rules' (a user's pack) get a set of their own, analysed and built here, as
    /// [`PatternSet::analyse`] and [`PatternSet::new`] would (so the same caution applies).
    pub fn stored(patterns: &[Option<&Pattern>]) -> Option<Self> {
        let stored = super::cache::stored_set(patterns)?;
        for (pattern, needs_literal) in patterns.iter().zip(stored.needs_literal) {
            if let Some(pattern) = pattern {
                let _ = pattern.needs_literal.set(*needs_literal);
            }
        }
        let rest = patterns.get(stored.split.len()..).filter(|rest| rest.iter().any(Option::is_some)).map(|rest| {
            Self::analyse(rest);
            Box::new(Self::new(rest))
        });
        Some(Self {
            finder: stored.tables.finder(),
            owners: stored.tables.owners(),
            split: Cow::Borrowed(stored.split),
            rest,
        })
    }

    /// What [`PatternSet::stored`] takes.
    pub(super) fn parts(&self) -> Parts<'_> {
        Parts { finder: self.finder.parts(), owners: self.owners.parts(), split: &self.split }
    }

    /// Finds every literal of every pattern in `source`. A literal that needs a word boundary
    /// before it is kept only where there is one, or at one of `window_starts` (sorted): the
    /// offsets where the windows later searched with [`Pattern::for_each_match_in`] begin, since
    /// a window's start is a boundary for the search inside it. Mid-word occurrences of short
    /// literals are most of what a document holds, and never start a match.
    ///
    /// A large source is read in parts on all cores, each part's candidates sorted apart and
    /// joined in order: the same candidates as one pass.
    pub fn scan(&self, source: &str, window_starts: &[usize]) -> Hits {
        self.scan_for(source, window_starts, &vec![true; self.slot_count()])
    }

    /// [`PatternSet::scan`] for the slots `wanted` marks (as a linter marks the rules that run
    /// on a document): the others get no candidates (`None`, as if they searched alone), and
    /// cost nothing but the lookup of their literals. A rule scoped to a subject line would
    /// otherwise collect every occurrence of its literals in a long body it never reads.
    pub fn scan_for(&self, source: &str, window_starts: &[usize], wanted: &[bool]) -> Hits {
        Hits {
            per_slot: self.slots_for(source, window_starts, wanted).unwrap_or_else(|| vec![None; self.slot_count()]),
        }
    }

    /// The candidates of every slot, this set's then the rest's; `None` if a forcing character
    /// turned up.
    fn slots_for(&self, source: &str, window_starts: &[usize], wanted: &[bool]) -> Option<Vec<Option<Vec<Candidate>>>> {
        let mut per_slot = if source.len() >= SCAN_IN_PARTS_AFTER {
            self.scan_in_parts(source, window_starts, wanted)
        } else {
            self.collect(source, window_starts, wanted, |found| self.finder.for_each(source, found))
        }?;
        if let Some(rest) = &self.rest {
            per_slot.extend(rest.slots_for(source, window_starts, wanted.get(self.split.len()..).unwrap_or(&[]))?);
        }
        Some(per_slot)
    }

    fn scan_in_parts(
        &self,
        source: &str,
        window_starts: &[usize],
        wanted: &[bool],
    ) -> Option<Vec<Option<Vec<Candidate>>>> {
        let parts: Vec<std::ops::Range<usize>> =
            (0..source.len()).step_by(SCAN_PART).map(|from| from..source.len().min(from + SCAN_PART)).collect();
        let found: Vec<Option<Vec<Option<Vec<Candidate>>>>> = parts
            .into_par_iter()
            // A task a part, so that a core done with its own work can take over what is left
            // (see `segment`).
            .with_max_len(1)
            .map(|part| {
                let mut searched = true;
                let lists = self.collect(source, window_starts, wanted, |found| {
                    searched = self.finder.for_each_starting_in(source, part, found).is_some();
                });
                lists.filter(|_| searched)
            })
            .collect();
        let mut per_slot = self.empty_slots(wanted);
        for part in found {
            for (all, some) in per_slot.iter_mut().zip(part?) {
                if let (Some(all), Some(some)) = (all.as_mut(), some) {
                    all.extend(some);
                }
            }
        }
        Some(per_slot)
    }

    /// An empty candidate list for each wanted slot that takes candidates.
    fn empty_slots(&self, wanted: &[bool]) -> Vec<Option<Vec<Candidate>>> {
        self.split
            .iter()
            .enumerate()
            .map(|(slot, &split)| (split && wanted.get(slot).copied().unwrap_or(false)).then(Vec::new))
            .collect()
    }

    /// The candidates of each slot among the occurrences `search` reports, sorted; `None` if a
    /// forcing character turned up (every slot must then search alone).
    fn collect(
        &self,
        source: &str,
        window_starts: &[usize],
        wanted: &[bool],
        search: impl FnOnce(&mut dyn FnMut(usize, usize) -> bool),
    ) -> Option<Vec<Option<Vec<Candidate>>>> {
        let mut per_slot = self.empty_slots(wanted);
        let mut forced = false;
        search(&mut |literal, start| {
            let Some(owners) = self.owners.get(literal) else {
                forced = true;
                return false;
            };
            let mut boundary = None;
            for (slot, owner) in owners {
                if owner.word_start
                    && !*boundary.get_or_insert_with(|| {
                        super::boundary_before(source, start) || window_starts.binary_search(&start).is_ok()
                    })
                {
                    continue;
                }
                if let Some(Some(list)) = per_slot.get_mut(*slot as usize) {
                    match Candidate::new(start, owner.branch, owner.word_start, owner.via) {
                        Some(candidate) => list.push(candidate),
                        None => {
                            forced = true;
                            return false;
                        }
                    }
                }
            }
            true
        });
        if forced {
            return None;
        }
        for list in per_slot.iter_mut().flatten() {
            search::sort(list);
        }
        Some(per_slot)
    }
}

/// Sources at least this long are scanned in parts of [`SCAN_PART`] bytes, in parallel.
const SCAN_IN_PARTS_AFTER: usize = 1 << 20;
const SCAN_PART: usize = 1 << 19;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Options;
    use crate::pattern::plan::is_dense;

    /// Every text file under `dir`, read.
    fn texts_under(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                texts_under(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push(text);
            }
        }
    }

    #[test]
    fn the_stored_set_is_the_set_the_built_in_rules_make() {
        let rules = crate::rules::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let linter = crate::engine::Linter::all(std::sync::Arc::new(rules));
        let slots = linter.pattern_slots();
        let Some(stored) = PatternSet::stored(&slots) else { panic!("the built-in rules' set is built in") };
        PatternSet::analyse(&slots);
        let built = PatternSet::new(&slots);
        assert!(stored.parts() == built.parts(), "regenerate: PITCHLINT_UPDATE_PLANS=1 cargo test --test plans");
        for pattern in slots.iter().flatten() {
            let from_plan = match pattern.plan() {
                Plan::Split(split) => split.needs_literal(),
                Plan::Whole => false,
            };
            assert_eq!(pattern.needs_literal(), from_plan, "{}", pattern.as_str());
        }
        let mut texts = Vec::new();
        texts_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut texts);
        assert!(texts.len() > 20);
        texts.push(texts.concat());
        for text in &texts {
            let (a, b) = (stored.scan(text, &[0]), built.scan(text, &[0]));
            for slot in 0..slots.len() {
                assert_eq!(a.candidates(slot), b.candidates(slot), "slot {slot}");
            }
        }
    }

    #[test]
    fn the_stored_set_serves_a_selection_but_not_an_edited_rule() {
        let rules = crate::rules::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let linter = crate::engine::Linter::all(std::sync::Arc::new(rules));
        let mut slots = linter.pattern_slots();
        let Some(last) = slots.iter().rposition(Option::is_some) else { panic!("built-in rules have patterns") };
        if let Some(slot) = slots.get_mut(last) {
            *slot = None;
        }
        assert!(PatternSet::stored(&slots).is_some(), "a rule left out leaves its slot empty");
        let options = Options::case_insensitive(true);
        let edited = Pattern::new("(?-u:\\b)send them my way(?-u:\\b)", options);
        if let Some(slot) = slots.get_mut(last) {
            *slot = Some(&edited);
        }
        assert!(PatternSet::stored(&slots).is_none(), "another pattern in a slot");
    }

    #[test]
    fn a_pack_after_the_built_in_rules_gets_a_set_of_its_own() {
        let rules = crate::rules::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:?}"));
        let linter = crate::engine::Linter::all(std::sync::Arc::new(rules));
        let mut slots = linter.pattern_slots();
        let first = slots.len();
        let options = Options::case_insensitive(true);
        let extra = [Pattern::new("(?-u:\\b)thanks in advance(?-u:\\b)", options), Pattern::new(r"\$\d+ off", options)];
        slots.extend([Some(&extra[0]), None, Some(&extra[1])]);
        let Some(stored) = PatternSet::stored(&slots) else { panic!("the built-in slots are stored") };
        PatternSet::analyse(&slots);
        let built = PatternSet::new(&slots);
        let text = "Thanks in advance! Save $20 off, or $5: I'd love an introduction to a dentist in Leeds.";
        for text in [text.to_owned(), text.repeat(SCAN_IN_PARTS_AFTER / text.len() + 2), format!("{text} \u{212A}")] {
            let (a, b) = (stored.scan(&text, &[0]), built.scan(&text, &[0]));
            for slot in 0..slots.len() {
                assert_eq!(a.candidates(slot), b.candidates(slot), "slot {slot}");
            }
        }
        let hits = stored.scan(text, &[0]);
        assert_eq!(hits.candidates(first).map(<[Candidate]>::len), Some(1), "the pack's first rule");
        assert_eq!(hits.candidates(first + 1), None, "an empty slot");
        assert_eq!(hits.candidates(first + 2).map(<[Candidate]>::len), Some(2), "one per dollar sign");
        let wanted: Vec<bool> = (0..slots.len()).map(|slot| slot != first).collect();
        assert_eq!(stored.scan_for(text, &[0], &wanted).candidates(first), None, "not wanted");
    }

    #[test]
    fn a_rare_symbol_anchors_its_slot_and_a_letter_does_not() {
        let options = Options::case_insensitive(true);
        let price = Pattern::new(r"\$\d+ off", options);
        let code = Pattern::new(r"[a-z]\d", options);
        let set = PatternSet::new(&[Some(&price), Some(&code)]);
        let hits = set.scan("Save $20 off, or $5 with code a1 today.", &[]);
        assert_eq!(hits.candidates(0).map(<[Candidate]>::len), Some(2), "one candidate per dollar sign");
        assert!(hits.candidates(1).is_none(), "a letter would anchor nearly every word: searched whole");
        for symbol in [b"$", b"%", b"{", b"#", b"@"] {
            assert!(!is_dense(symbol), "{symbol:?}");
        }
        for common in [b"a", b"7", b" ", b",", b".", b"'", b"-", b"?", b"\n"] {
            assert!(is_dense(common), "{common:?}");
        }
        assert!(!is_dense(b"ab"));
    }

    #[test]
    fn only_wanted_slots_collect_candidates() {
        let options = Options::case_insensitive(true);
        let (send, know) = (Pattern::new("send them", options), Pattern::new("know anyone", options));
        let set = PatternSet::new(&[Some(&send), Some(&know)]);
        let text = "Send them my way. Know anyone? Send them over.";
        let hits = set.scan_for(text, &[], &[false, true]);
        assert!(hits.candidates(0).is_none(), "not wanted: nothing collected");
        assert_eq!(hits.candidates(1).map(<[Candidate]>::len), Some(1));
        let big = text.repeat((SCAN_IN_PARTS_AFTER / text.len()) + 2);
        let hits = set.scan_for(&big, &[], &[true, false]);
        assert!(hits.candidates(1).is_none(), "in parts too");
        assert_eq!(hits.candidates(0).map(<[Candidate]>::len), Some(2 * (big.len() / text.len())));
    }

    #[test]
    fn a_large_source_scanned_in_parts_gives_the_candidates_of_one_pass() {
        let options = Options::case_insensitive(true);
        let patterns = [
            Pattern::new(r"(?-u:\b)in\s+order\s+to(?-u:\b)", options),
            Pattern::new(r"(?-u:\b)(?:just )?checking in(?-u:\b)", options),
            Pattern::new(r"\$\d+ off", options),
        ];
        let slots: Vec<Option<&Pattern>> = patterns.iter().map(Some).collect();
        let set = PatternSet::new(&slots);
        // The first part ends inside a "checking in" (and the rest cut sentences anywhere).
        let sentence = "Just checking in: in order to save $20 off, IN  ORDER\tTO win. ";
        let mut source = " ".repeat(SCAN_PART - 3 - "Just ".len());
        source.push_str(&sentence.repeat(SCAN_IN_PARTS_AFTER / sentence.len() + 3));
        assert_eq!(source.get(SCAN_PART - 3..SCAN_PART + 8), Some("checking in"));
        assert!(source.len() > SCAN_IN_PARTS_AFTER);
        let window_starts = [0, 17];
        let parts = set.scan(&source, &window_starts);
        let one_pass = set.collect(&source, &window_starts, &[true; 3], |found| set.finder.for_each(&source, found));
        let Some(one_pass) = one_pass else { panic!("nothing forces the whole regexes here") };
        assert!(one_pass.iter().flatten().all(|list| list.len() > 1000), "every slot has candidates");
        for (slot, list) in one_pass.iter().enumerate() {
            assert_eq!(parts.candidates(slot), list.as_deref(), "slot {slot}");
        }
    }
}
