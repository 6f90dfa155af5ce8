//! [`Finder`]: every occurrence of a set of literals in a haystack, ASCII letters folded.
//!
//! Two ways, chosen by the work at hand. Building an Aho-Corasick automaton over thousands of
//! literals takes longer than linting one pitch, so small haystacks are *indexed* instead: their
//! positions sorted by their first two bytes, and walked side by side with the literals, sorted
//! the same way when the finder is made, so that each literal is checked only where its first
//! two bytes occur (a merge, not a lookup per literal). Once a finder has
//! read enough text that the automaton's cost is repaid ([`AUTOMATON_AFTER`] bytes, or one large
//! haystack), it builds the automaton and uses it from then on: a transition table walked
//! several places at once ([`Table`]), or for a set too large for one, an Aho-Corasick
//! automaton. All report the same occurrences (every start of every literal, overlapping), in
//! no particular order.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::table::Table;

/// Bytes read by index before the automaton is built.
const AUTOMATON_AFTER: usize = 1 << 14;
/// A haystack this long goes to the automaton at once: indexing it would cost more.
const INDEX_AT_MOST: usize = 1 << 14;

/// Literals written one after another, and where each ends: one block instead of one allocation
/// per literal (a linter's set has thousands), and borrowable from tables built into the binary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Packed {
    bytes: Cow<'static, [u8]>,
    ends: Cow<'static, [u32]>,
}

impl Packed {
    pub(super) fn new(literals: &[Vec<u8>]) -> Self {
        let mut bytes = Vec::with_capacity(literals.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(literals.len());
        for literal in literals {
            bytes.extend_from_slice(literal);
            ends.push(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
        }
        Self { bytes: Cow::Owned(bytes), ends: Cow::Owned(ends) }
    }

    /// How many literals there are.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Literal `id`.
    pub(super) fn get(&self, id: usize) -> Option<&[u8]> {
        let start = match id.checked_sub(1) {
            Some(before) => *self.ends.get(before)? as usize,
            None => 0,
        };
        self.bytes.get(start..*self.ends.get(id)? as usize)
    }

    /// The literals in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> + Clone + '_ {
        (0..self.len()).map(|id| self.get(id).unwrap_or(&[]))
    }

    /// The block and the ends, as stored.
    pub(super) fn parts(&self) -> (&[u8], &[u32]) {
        (&self.bytes, &self.ends)
    }
}

/// Finds literals; see the module documentation.
pub(super) struct Finder {
    /// The literals, ASCII letters in lower case.
    literals: Packed,
    /// (first two bytes, literal index) of every literal of two bytes or more, sorted: the
    /// literal side of an [`Index`] merge.
    keyed: Cow<'static, [(u16, u32)]>,
    /// The one-byte literals' indices.
    short: Cow<'static, [u32]>,
    /// The automaton, once built (`None` inside if it could not be).
    automaton: OnceLock<Option<Arc<Automaton>>>,
    /// Bytes read by index so far.
    indexed: AtomicUsize,
}

impl Clone for Finder {
    fn clone(&self) -> Self {
        Self {
            literals: self.literals.clone(),
            keyed: self.keyed.clone(),
            short: self.short.clone(),
            automaton: self.automaton.clone(),
            indexed: AtomicUsize::new(self.indexed.load(Ordering::Relaxed)),
        }
    }
}

impl Finder {
    /// A finder over `literals` (ASCII letters in lower case; none empty).
    pub(super) fn new(literals: Vec<Vec<u8>>) -> Self {
        let mut keyed = Vec::new();
        let mut short = Vec::new();
        for (id, literal) in (0u32..).zip(&literals) {
            match literal.as_slice() {
                [] => {}
                [_] => short.push(id),
                [a, b, ..] => keyed.push(((u16::from(*a) << 8) | u16::from(*b), id)),
            }
        }
        let keyed = Cow::Owned(sorted_by_key(keyed));
        let literals = Packed::new(&literals);
        Self { literals, keyed, short: Cow::Owned(short), automaton: OnceLock::new(), indexed: AtomicUsize::new(0) }
    }

    /// A finder made ahead of time: what [`Finder::new`] makes of some literals, as
    /// [`Finder::parts`] gives it.
    pub(super) fn stored(
        bytes: &'static [u8],
        ends: &'static [u32],
        keyed: &'static [(u16, u32)],
        short: &'static [u32],
    ) -> Self {
        Self {
            literals: Packed { bytes: Cow::Borrowed(bytes), ends: Cow::Borrowed(ends) },
            keyed: Cow::Borrowed(keyed),
            short: Cow::Borrowed(short),
            automaton: OnceLock::new(),
            indexed: AtomicUsize::new(0),
        }
    }

    /// The literals, the keyed literals and the one-byte ones (see [`Finder::stored`]).
    pub(super) fn parts(&self) -> (&Packed, &[(u16, u32)], &[u32]) {
        (&self.literals, &self.keyed, &self.short)
    }

    /// The literals, in the order their indices refer to.
    pub(super) fn literals(&self) -> &Packed {
        &self.literals
    }

    /// Calls `found(literal index, start)` for every occurrence of every literal in `haystack`,
    /// until it returns `false`.
    pub(super) fn for_each(&self, haystack: &str, mut found: impl FnMut(usize, usize) -> bool) {
        let bytes = haystack.as_bytes();
        if let Some(automaton) = self.automaton(bytes.len()) {
            automaton.for_each_starting_in(haystack, 0..bytes.len(), found);
            return;
        }
        let index = Index::new(bytes);
        for &id in self.short.iter() {
            let Some(literal) = self.literals.get(id as usize) else { continue };
            for start in index.starts_of(literal) {
                if !found(id as usize, start) {
                    return;
                }
            }
        }
        index.merge(&self.keyed, &self.literals, &mut found);
    }

    /// Like [`Finder::for_each`], but only the occurrences that start in `starts` (a part of a
    /// large haystack, searched with the automaton), so that parts can be searched apart and
    /// together find each occurrence once. `None` if the automaton could not be built.
    pub(super) fn for_each_starting_in(
        &self,
        haystack: &str,
        starts: std::ops::Range<usize>,
        found: impl FnMut(usize, usize) -> bool,
    ) -> Option<()> {
        let automaton = self.automaton.get_or_init(|| build(&self.literals)).as_ref()?;
        automaton.for_each_starting_in(haystack, starts, found);
        Some(())
    }

    /// Builds the automaton now (a long haystack will be searched with it), unless it is built.
    pub(super) fn prepare_automaton(&self) {
        self.automaton.get_or_init(|| build(&self.literals));
    }

    /// The automaton, if this search should use it (built on the first such search).
    fn automaton(&self, len: usize) -> Option<&Automaton> {
        if let Some(built) = self.automaton.get() {
            return built.as_deref();
        }
        let read = self.indexed.fetch_add(len, Ordering::Relaxed) + len;
        if len <= INDEX_AT_MOST && read <= AUTOMATON_AFTER {
            return None;
        }
        self.automaton.get_or_init(|| build(&self.literals)).as_deref()
    }
}

/// `pairs` (whose second items are distinct) sorted by key, stably: pairs of equal keys stay in
/// order. A hundred pairs or more are sorted by their two key bytes in two counting passes,
/// several times cheaper than comparing them.
fn sorted_by_key(mut pairs: Vec<(u16, u32)>) -> Vec<(u16, u32)> {
    if pairs.len() < 128 {
        // The second items are distinct, so this is the stable order too.
        pairs.sort_unstable();
        return pairs;
    }
    let mut from = pairs;
    let mut to = vec![(0, 0); from.len()];
    for shift in [0, 8] {
        let digit = |key: u16| usize::from((key >> shift) as u8);
        let mut next = [0usize; 256];
        for &(key, _) in &from {
            if let Some(count) = next.get_mut(digit(key)) {
                *count += 1;
            }
        }
        let mut at = 0;
        for slot in &mut next {
            (*slot, at) = (at, at + *slot);
        }
        for &pair in &from {
            if let Some(place) = next.get_mut(digit(pair.0)) {
                if let Some(out) = to.get_mut(*place) {
                    *out = pair;
                }
                *place += 1;
            }
        }
        std::mem::swap(&mut from, &mut to);
    }
    from
}

/// What finds every occurrence of every literal in a large haystack, ASCII case folded.
#[derive(Debug)]
enum Automaton {
    /// A transition table walked several places at once: the fastest to build and to search.
    Table(Box<Table>),
    /// For a set of literals too large for a table: an Aho-Corasick automaton, and the length
    /// of the longest literal.
    Nfa(AhoCorasick, usize),
}

impl Automaton {
    /// Calls `found(literal index, start)` for every occurrence that starts in `starts` (read
    /// on as far as the longest literal reaches), until it returns `false`.
    fn for_each_starting_in(
        &self,
        haystack: &str,
        starts: std::ops::Range<usize>,
        mut found: impl FnMut(usize, usize) -> bool,
    ) {
        match self {
            Self::Table(table) => table.for_each_starting_in(haystack.as_bytes(), starts, found),
            Self::Nfa(automaton, longest) => {
                let end = haystack.len().min(starts.end.saturating_add(longest.saturating_sub(1)));
                let input = aho_corasick::Input::new(haystack.as_bytes()).range(starts.start..end);
                for hit in automaton.find_overlapping_iter(input) {
                    if hit.start() >= starts.end {
                        continue;
                    }
                    if !found(hit.pattern().as_usize(), hit.start()) {
                        break;
                    }
                }
            }
        }
    }
}

/// An automaton reporting every occurrence of every literal, ASCII case folded: a [`Table`]
/// unless there are too many literals for one to stay small.
fn build(literals: &Packed) -> Option<Arc<Automaton>> {
    if let Some(table) = Table::new(literals) {
        return Some(Arc::new(Automaton::Table(Box::new(table))));
    }
    let longest = literals.iter().map(<[u8]>::len).max().unwrap_or(0);
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(literals.iter())
        .ok()
        .map(|automaton| Arc::new(Automaton::Nfa(automaton, longest)))
}

/// (key, position) pairs of an [`Index`], sorted.
type Keys = Rc<[(u16, u32)]>;

/// The positions of a haystack sorted by their first two bytes, ASCII letters folded.
struct Index<'h> {
    haystack: &'h [u8],
    /// (key, position), sorted; the key of the last position has a second byte of 0.
    keys: Keys,
}

thread_local! {
    /// The last haystack indexed on this thread, and its keys: the patterns of a linter search
    /// the same sentence one after another, and sorting it once serves them all.
    static LAST: RefCell<Option<(Vec<u8>, Keys)>> = const { RefCell::new(None) };
}

impl<'h> Index<'h> {
    fn new(haystack: &'h [u8]) -> Self {
        let cached = LAST.with_borrow(|last| {
            last.as_ref().filter(|(bytes, _)| bytes.as_slice() == haystack).map(|(_, keys)| Rc::clone(keys))
        });
        if let Some(keys) = cached {
            return Self { haystack, keys };
        }
        let fold = |b: Option<&u8>| u16::from(b.copied().unwrap_or(0).to_ascii_lowercase());
        let keys: Vec<(u16, u32)> =
            (0..haystack.len()).map(|i| ((fold(haystack.get(i)) << 8) | fold(haystack.get(i + 1)), i as u32)).collect();
        // In position order, so sorted by (key, position).
        let keys: Keys = sorted_by_key(keys).into();
        LAST.set(Some((haystack.to_vec(), Rc::clone(&keys))));
        Self { haystack, keys }
    }

    /// Walks the positions and `keyed` (literals by their first two bytes, sorted) side by side,
    /// and calls `found(literal index, start)` wherever a literal's first two bytes occur and the
    /// rest of it follows (ASCII letters folded), until it returns `false`.
    fn merge(&self, keyed: &[(u16, u32)], literals: &Packed, found: &mut impl FnMut(usize, usize) -> bool) {
        let keys = &self.keys[..];
        let (mut i, mut j) = (0, 0);
        while let (Some(&(position_key, _)), Some(&(literal_key, _))) = (keys.get(i), keyed.get(j)) {
            if position_key < literal_key {
                i += keys.get(i..).map_or(0, |rest| rest.partition_point(|k| k.0 < literal_key));
                continue;
            }
            if literal_key < position_key {
                j += keyed.get(j..).map_or(0, |rest| rest.partition_point(|k| k.0 < position_key));
                continue;
            }
            let positions_end = i + keys.get(i..).map_or(0, |rest| rest.partition_point(|k| k.0 == position_key));
            let literals_end = j + keyed.get(j..).map_or(0, |rest| rest.partition_point(|k| k.0 == literal_key));
            let positions = keys.get(i..positions_end).unwrap_or(&[]);
            for &(_, id) in keyed.get(j..literals_end).unwrap_or(&[]) {
                let Some(literal) = literals.get(id as usize) else { continue };
                let rest = literal.get(2..).unwrap_or(&[]);
                for &(_, at) in positions {
                    let at = at as usize;
                    let follows = self
                        .haystack
                        .get(at + 2..at + literal.len())
                        .is_some_and(|window| window.eq_ignore_ascii_case(rest));
                    if follows && !found(id as usize, at) {
                        return;
                    }
                }
            }
            (i, j) = (positions_end, literals_end);
        }
    }

    /// Every position where `literal` occurs (ASCII letters folded), in order.
    fn starts_of<'a>(&'a self, literal: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let (low, high) = match literal {
            [] => (0, 0),
            [a] => (u16::from(*a) << 8, (u16::from(*a) << 8) | 0xFF),
            [a, b, ..] => {
                let key = (u16::from(*a) << 8) | u16::from(*b);
                (key, key)
            }
        };
        let from = self.keys.partition_point(|k| k.0 < low);
        let to = self.keys.partition_point(|k| k.0 <= high);
        let range = if literal.is_empty() { &[][..] } else { self.keys.get(from..to).unwrap_or(&[]) };
        range.iter().map(|k| k.1 as usize).filter(move |&at| {
            self.haystack.get(at..at + literal.len()).is_some_and(|window| window.eq_ignore_ascii_case(literal))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(finder: &Finder, haystack: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        finder.for_each(haystack, |id, at| {
            out.push((id, at));
            true
        });
        out.sort_unstable();
        out
    }

    #[test]
    fn the_index_and_the_automaton_find_the_same_occurrences() {
        let literals: Vec<Vec<u8>> =
            ["in", "in order", "i", "’s", "ab", "b", "\u{212A}"].iter().map(|l| l.as_bytes().to_vec()).collect();
        let haystack = "In ORDER to, I’s ab\u{212A} b in";
        let indexed = all(&Finder::new(literals.clone()), haystack);
        let automaton = Finder::new(literals);
        let _ = automaton.automaton.set(build(&automaton.literals));
        assert_eq!(indexed, all(&automaton, haystack));
        let kelvin = haystack.find('\u{212A}').unwrap_or(0);
        assert!(indexed.contains(&(1, 0)) && indexed.contains(&(6, kelvin)), "{indexed:?}");
    }

    proptest::proptest! {
        #[test]
        fn parts_searched_apart_find_what_the_whole_finds(
            literals in proptest::collection::vec("[ab’ ,iI]{1,4}", 1..12),
            haystack in "[abAB’ ,iI\u{e9}]{0,40}",
            cuts in proptest::collection::vec(0usize..48, 0..4),
        ) {
            let literals: Vec<Vec<u8>> = literals.iter().map(|l| l.to_ascii_lowercase().into_bytes()).collect();
            let finder = Finder::new(literals);
            let _ = finder.automaton.set(build(&finder.literals));
            let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c.min(haystack.len())).collect();
            bounds.extend([0, haystack.len()]);
            bounds.sort_unstable();
            let mut parts = Vec::new();
            for pair in bounds.windows(2) {
                let (Some(&from), Some(&to)) = (pair.first(), pair.last()) else { continue };
                let searched = finder.for_each_starting_in(&haystack, from..to, |id, at| {
                    parts.push((id, at));
                    true
                });
                proptest::prop_assert!(searched.is_some());
            }
            parts.sort_unstable();
            proptest::prop_assert_eq!(parts, all(&finder, &haystack));
        }

        #[test]
        fn counting_sort_is_a_stable_sort_by_key(keys in proptest::collection::vec(proptest::prelude::any::<u16>(), 0..600)) {
            // Few distinct keys as well as many: the first 300 pairs share a handful.
            let pairs: Vec<(u16, u32)> =
                (0u32..).zip(keys).map(|(i, k)| (if i < 300 { k % 7 } else { k }, i)).collect();
            let mut expected = pairs.clone();
            expected.sort_by_key(|&(key, _)| key);
            proptest::prop_assert_eq!(sorted_by_key(pairs), expected);
        }

        #[test]
        fn the_index_finds_what_the_automaton_finds(
            literals in proptest::collection::vec("[ab’ ,iI\u{212A}]{1,4}", 1..12),
            haystack in "[abAB’ ,iI\u{212A}\u{e9}]{0,40}",
        ) {
            // Literals are given in lower case (ASCII letters), as the finder takes them.
            let literals: Vec<Vec<u8>> = literals.iter().map(|l| l.to_ascii_lowercase().into_bytes()).collect();
            let automaton = Finder::new(literals.clone());
            let _ = automaton.automaton.set(build(&automaton.literals));
            proptest::prop_assert_eq!(all(&Finder::new(literals), &haystack), all(&automaton, &haystack));
        }
    }
}
