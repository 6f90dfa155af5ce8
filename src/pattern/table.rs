//! [`Table`]: every occurrence of a set of literals, read off a transition table several
//! places at once.
//!
//! An Aho-Corasick automaton over a linter's literals (thousands of them, tens of thousands of
//! states) is walked one byte after another, and each step waits for the load of the one
//! before: the walk is bound by that latency, not by the work per byte. The table here is the
//! same automaton made deterministic (every state has a next state for every byte, so a step
//! is one lookup), and a haystack is cut into [`STREAMS`] stretches walked side by side, so
//! that the loads of the stretches overlap. Each stretch starts from the root, where nothing
//! has been read, and reads on past its end as far as the longest literal reaches: it reports
//! the occurrences that start inside it, and the stretches together report each occurrence
//! once.
//!
//! Rows are indexed by *column*, not by byte: bytes that no literal holds share column 0, and
//! an ASCII capital shares its lower-case letter's column (literals are given in lower case).
//! An entry is the number of the next state, with its top bit set when that state ends a
//! literal; what it ends is looked up only then. Entries are 16 bits wide while the states can
//! be numbered in 15 (the built-in rules' literals make about 24,000): half the table stays in
//! the cache, which walks twice as fast as 32-bit entries.

use std::ops::Range;

use super::finder::Packed;
use crate::buffer::Zeroed;

/// How many stretches of a haystack are walked side by side (four hide most of the latency of
/// a step on the machines measured; eight gain little more).
const STREAMS: usize = 4;
/// Haystacks shorter than this are walked in one stretch: the overlap is not worth it. Each
/// stretch reads on by the longest literal (a dozen bytes or so: anchors are cut short), so
/// even a short document gains from four chains of loads at once: a class of 10,000 pitches of
/// 350–1,500 bytes each graded 3–4% faster with this at 256 bytes than at 4 KiB.
const SPLIT_FROM: usize = 1 << 8;
/// Most entries a table may have (64 MiB): a larger set of literals keeps its automaton.
const MOST_ENTRIES: usize = 1 << 24;

/// The deterministic automaton of a set of literals, ASCII letters folded.
pub(super) struct Table {
    /// The column of each byte.
    columns: [u8; 256],
    /// Entries per row.
    width: usize,
    /// Each state's row; the root's comes first.
    entries: Entries,
    /// Per state: the literals it ends itself, as a range of `own`.
    own_starts: Vec<u32>,
    own: Vec<u32>,
    /// Per state: the nearest state on its failure path that ends literals of its own
    /// (`u32::MAX` if none), whose literals the state ends too.
    more: Vec<u32>,
    /// Each literal's length.
    lengths: Vec<u32>,
    /// The longest literal's length.
    longest: usize,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table").field("states", &self.more.len()).field("width", &self.width).finish_non_exhaustive()
    }
}

impl Table {
    /// The table of `literals`; `None` if it would be too large (or a literal is empty, or
    /// there are too many of them to number).
    pub(super) fn new(literals: &Packed) -> Option<Self> {
        let mut columns = [0u8; 256];
        let mut width = 1usize;
        for literal in literals.iter() {
            if literal.is_empty() {
                return None;
            }
            for &byte in literal {
                let column = columns.get_mut(usize::from(byte.to_ascii_lowercase()))?;
                if *column == 0 {
                    *column = u8::try_from(width).ok()?;
                    width += 1;
                }
            }
        }
        for upper in b'A'..=b'Z' {
            let lower = columns.get(usize::from(upper.to_ascii_lowercase())).copied().unwrap_or(0);
            if let Some(column) = columns.get_mut(usize::from(upper)) {
                *column = lower;
            }
        }
        // Every state but the root is reached by a byte of a literal.
        let bytes: usize = literals.iter().map(<[u8]>::len).sum();
        if bytes.saturating_add(1).saturating_mul(width) > MOST_ENTRIES {
            return None;
        }
        let lengths: Vec<u32> = literals.iter().map(|l| u32::try_from(l.len()).unwrap_or(u32::MAX)).collect();
        let longest = literals.iter().map(<[u8]>::len).max().unwrap_or(0);
        let mut table = Self {
            columns,
            width,
            entries: Entries::Narrow(Zeroed::new(0)),
            own_starts: Vec::new(),
            own: Vec::new(),
            more: Vec::new(),
            lengths,
            longest,
        };
        // The entries are made as wide as the states need from the start: a table of 32-bit
        // entries narrowed afterwards would be written (and its pages faulted) twice.
        let (ids, states) = table.by_columns(literals)?;
        table.entries = if states <= 1 << 15 {
            Entries::Narrow(table.fill(literals, &ids, states)?)
        } else {
            Entries::Wide(table.fill(literals, &ids, states)?)
        };
        Some(table)
    }

    /// The literals' numbers sorted by their columns, and how many states their trie has: one
    /// for each distinct prefix (the empty one, the root, included), so each literal adds the
    /// columns past those it shares with the one before it.
    fn by_columns(&self, literals: &Packed) -> Option<(Vec<u32>, usize)> {
        // Every literal's columns, worked out once and compared as bytes: mapped afresh in
        // each comparison, the sort of the built-in literals was two fifths of building the table.
        let (bytes, ends) = literals.parts();
        let mapped: Vec<u8> =
            bytes.iter().map(|&byte| self.columns.get(usize::from(byte)).copied().unwrap_or(0)).collect();
        let columns = |id: u32| {
            let start = match (id as usize).checked_sub(1) {
                Some(before) => ends.get(before).copied().unwrap_or(0) as usize,
                None => 0,
            };
            let end = ends.get(id as usize).copied().unwrap_or(0) as usize;
            mapped.get(start..end).unwrap_or(&[])
        };
        let mut ids: Vec<u32> = (0..u32::try_from(literals.len()).ok()?).collect();
        ids.sort_unstable_by(|&a, &b| columns(a).cmp(columns(b)).then(a.cmp(&b)));
        let mut states = 1;
        let mut before: &[u8] = &[];
        for &id in &ids {
            let own = columns(id);
            let shared = own.iter().zip(before).take_while(|(x, y)| x == y).count();
            states += own.len() - shared;
            before = own;
        }
        Some((ids, states))
    }

    /// Builds the trie of `literals` (`ids` sorted by their columns, making `states` states)
    /// into entries, then the automaton over it (and the literals each state ends); `None` if
    /// a state's number does not fit an entry.
    fn fill<E: Entry>(&mut self, literals: &Packed, ids: &[u32], states: usize) -> Option<Zeroed<E>> {
        let width = self.width;
        let column = |byte: u8| self.columns.get(usize::from(byte)).copied().unwrap_or(0);
        // The trie: an entry is the child's number, the root's (0) meaning "no child"
        // (nothing leads back to the root in a trie). Its states are numbered breadth first,
        // a level at a time: with the literals sorted by their columns, the prefixes of one
        // length that differ come in order of their parents, then of their last column. The
        // automaton is then filled row after row (below), where numbered as the literals came
        // its rows were read all over a table of megabytes.
        let sorted: Vec<&[u8]> = ids.iter().map(|&id| literals.get(id as usize).unwrap_or(&[])).collect();
        // Each literal still being read: its place in `sorted`, and the state of what is read.
        let mut reading: Vec<(usize, usize)> = (0..sorted.len()).map(|at| (at, 0)).collect();
        // The trie's edges as (parent, column, child). A level's parents come in the order of
        // their numbers (above), and every level's after the one before, so the edges come
        // sorted by parent: the rows are filled from them in order (below).
        let mut edges: Vec<(usize, u8, usize)> = Vec::with_capacity(states);
        let mut made = 1;
        let mut ends: Vec<(u32, u32)> = Vec::with_capacity(literals.len());
        let mut depth = 0;
        while !reading.is_empty() {
            let mut last: Option<(usize, u8, usize)> = None;
            reading.retain_mut(|(at, state)| {
                let literal = sorted.get(*at).copied().unwrap_or(&[]);
                let Some(&byte) = literal.get(depth) else { return false };
                let col = column(byte);
                let child = match last {
                    Some((parent, last_col, child)) if parent == *state && last_col == col => child,
                    _ => {
                        let child = made;
                        made += 1;
                        edges.push((*state, col, child));
                        child
                    }
                };
                last = Some((*state, col, child));
                *state = child;
                if literal.len() == depth + 1 {
                    ends.push((u32::try_from(child).unwrap_or(u32::MAX), ids.get(*at).copied().unwrap_or(0)));
                    return false;
                }
                true
            });
            depth += 1;
        }
        // As many states as `by_columns` counted, or the table is not what was sized.
        if made != states || !edges.is_sorted_by_key(|&(parent, _, _)| parent) {
            return None;
        }
        ends.sort_unstable();
        let mut own_starts = Vec::with_capacity(states + 1);
        let mut own = Vec::with_capacity(ends.len());
        let mut at = 0;
        for state in 0..states {
            own_starts.push(u32::try_from(own.len()).ok()?);
            while let Some(&(_, id)) = ends.get(at).filter(|(s, _)| *s as usize == state) {
                own.push(id);
                at += 1;
            }
        }
        own_starts.push(u32::try_from(own.len()).ok()?);
        let owns = |state: usize| own_starts.get(state) != own_starts.get(state + 1);

        // Sized once for the trie's states (on huge pages: see [`Zeroed`]), every entry the
        // root's until written.
        let mut table = Zeroed::new(states.checked_mul(width)?);
        let entries = table.as_mut_slice();
        // In order of the states' numbers, which is breadth first, so that a state's failure
        // (shallower) has its final row when the state's own row is filled: the row is the
        // failure's, copied whole, with the state's own children written over it.
        let mut fail = vec![0u32; states];
        let mut more = vec![u32::MAX; states];
        let mut ending = vec![false; states];
        // Links `child` to its failure `to`: what it inherits of the literals ended there, and
        // its entry. (Its failure is set apart, as it is read while links are made.)
        let mut link = |child: usize, to: usize| -> Option<E> {
            let inherited = more.get(to).copied().unwrap_or(u32::MAX);
            if let Some(m) = more.get_mut(child) {
                *m = if owns(to) && to != 0 { u32::try_from(to).ok()? } else { inherited };
            }
            let ends_here = owns(child) || ending.get(to).copied().unwrap_or(false);
            if let Some(e) = ending.get_mut(child) {
                *e = ends_here;
            }
            E::entry(child, ends_here)
        };
        let mut edges = edges.iter().peekable();
        // The root's missing children lead back to the root (its row is zeros, the root's
        // entries), and its children fail to it.
        while let Some(&(_, col, child)) = edges.next_if(|&&(parent, _, _)| parent == 0) {
            *entries.get_mut(usize::from(col))? = link(child, 0)?;
        }
        for state in 1..states {
            // The failure's row is final: it lies before this one.
            let failure = fail.get(state).copied().unwrap_or(0) as usize;
            let (before, rest) = entries.split_at_mut(state * width);
            let (Some(row), Some(failed)) =
                (rest.get_mut(..width), before.get(failure * width..failure * width + width))
            else {
                return None;
            };
            row.copy_from_slice(failed);
            while let Some(&(_, col, child)) = edges.next_if(|&&(parent, _, _)| parent == state) {
                // The child's failure: where the failure goes on the same byte.
                let to = failed.get(usize::from(col))?.state();
                *fail.get_mut(child)? = u32::try_from(to).ok()?;
                *row.get_mut(usize::from(col))? = link(child, to)?;
            }
        }
        self.own_starts = own_starts;
        self.own = own;
        self.more = more;
        Some(table)
    }

    /// Calls `found(literal, start)` for every occurrence of every literal that starts in
    /// `starts` (reading on past its end as far as the longest literal reaches), until it
    /// returns `false`. Occurrences come in order of their stretch, then of their end.
    pub(super) fn for_each_starting_in(
        &self,
        haystack: &[u8],
        starts: Range<usize>,
        mut found: impl FnMut(usize, usize) -> bool,
    ) {
        let starts = starts.start.min(haystack.len())..starts.end.min(haystack.len());
        let len = starts.len();
        let streams = if len >= SPLIT_FROM { STREAMS } else { 1 };
        // Stretch k holds the starts `cuts[k]..cuts[k + 1]`.
        let mut cuts = [0usize; STREAMS + 1];
        for (k, cut) in cuts.iter_mut().enumerate() {
            *cut = starts.start + len * k.min(streams) / streams;
        }
        let reach = |end: usize| haystack.len().min(end.saturating_add(self.longest.saturating_sub(1)));
        let mut hits: [Vec<(u32, u32)>; STREAMS] = Default::default();
        match &self.entries {
            Entries::Narrow(entries) => self.walk_all(entries.as_slice(), haystack, &cuts, streams, reach, &mut hits),
            Entries::Wide(entries) => self.walk_all(entries.as_slice(), haystack, &cuts, streams, reach, &mut hits),
        }
        for (k, list) in hits.iter().enumerate() {
            let limit = cuts.get(k + 1).copied().unwrap_or(0);
            for &(state, at) in list {
                if !self.report(state, at as usize, limit, &mut found) {
                    return;
                }
            }
        }
    }

    /// Walks the stretches `cuts` marks (one, or [`STREAMS`] side by side) and records
    /// (state, offset after the byte) wherever a literal ends.
    fn walk_all<E: Entry>(
        &self,
        entries: &[E],
        haystack: &[u8],
        cuts: &[usize; STREAMS + 1],
        streams: usize,
        reach: impl Fn(usize) -> usize,
        hits: &mut [Vec<(u32, u32)>; STREAMS],
    ) {
        if streams != STREAMS {
            let (Some(&from), Some(&to), Some(first)) = (cuts.first(), cuts.get(1), hits.first_mut()) else { return };
            self.walk(entries, haystack, from..reach(to), E::ROOT, first);
            return;
        }
        let [a, b, c, d, e] = *cuts;
        let reads = [a..reach(b), b..reach(c), c..reach(d), d..reach(e)];
        let together = reads.iter().map(Range::len).min().unwrap_or(0);
        let slice = |r: &Range<usize>| haystack.get(r.start..r.start + together).unwrap_or(&[]);
        let [s0, s1, s2, s3] = [slice(&reads[0]), slice(&reads[1]), slice(&reads[2]), slice(&reads[3])];
        let mut states = [E::ROOT; STREAMS];
        for (i, (((&b0, &b1), &b2), &b3)) in s0.iter().zip(s1).zip(s2).zip(s3).enumerate() {
            let [e0, e1, e2, e3] = &mut states;
            *e0 = self.step(entries, *e0, b0);
            *e1 = self.step(entries, *e1, b1);
            *e2 = self.step(entries, *e2, b2);
            *e3 = self.step(entries, *e3, b3);
            if E::any_ends(states) {
                for ((&entry, read), list) in states.iter().zip(&reads).zip(hits.iter_mut()) {
                    if entry.ends() {
                        list.push((entry.number(), u32::try_from(read.start + i + 1).unwrap_or(u32::MAX)));
                    }
                }
            }
        }
        // The rest of each stretch alone, from where the walk together left it.
        for ((read, list), entry) in reads.iter().zip(hits.iter_mut()).zip(states) {
            self.walk(entries, haystack, read.start + together..read.end, entry, list);
        }
    }

    /// Walks `haystack[read]` from the state of `entry`, and records (state, offset after the
    /// byte) wherever a literal ends.
    fn walk<E: Entry>(
        &self,
        entries: &[E],
        haystack: &[u8],
        read: Range<usize>,
        mut entry: E,
        hits: &mut Vec<(u32, u32)>,
    ) {
        let bytes = haystack.get(read.clone()).unwrap_or(&[]);
        for (at, &byte) in (read.start + 1..).zip(bytes) {
            entry = self.step(entries, entry, byte);
            if entry.ends() {
                hits.push((entry.number(), u32::try_from(at).unwrap_or(u32::MAX)));
            }
        }
    }

    /// The entry for `byte` in the row of the state of `entry`.
    #[inline(always)]
    fn step<E: Entry>(&self, entries: &[E], entry: E, byte: u8) -> E {
        let column = self.columns.get(usize::from(byte)).copied().unwrap_or(0);
        entries.get(entry.state() * self.width + usize::from(column)).copied().unwrap_or(E::ROOT)
    }

    /// Reports the literals ending after byte `end - 1` in `state` that start before `limit`;
    /// false once `found` has said stop.
    fn report(&self, state: u32, end: usize, limit: usize, found: &mut impl FnMut(usize, usize) -> bool) -> bool {
        let mut state = state as usize;
        loop {
            let from = self.own_starts.get(state).copied().unwrap_or(0) as usize;
            let to = self.own_starts.get(state + 1).copied().unwrap_or(0) as usize;
            for &id in self.own.get(from..to).unwrap_or(&[]) {
                let length = self.lengths.get(id as usize).copied().unwrap_or(0) as usize;
                if let Some(start) = end.checked_sub(length).filter(|&start| start < limit) {
                    if !found(id as usize, start) {
                        return false;
                    }
                }
            }
            match self.more.get(state).copied() {
                Some(next) if next != u32::MAX => state = next as usize,
                _ => return true,
            }
        }
    }

    /// How many states there are, and whether entries are 16 bits wide.
    #[cfg(test)]
    pub(super) fn shape(&self) -> (usize, bool) {
        (self.more.len(), matches!(self.entries, Entries::Narrow(_)))
    }
}

/// A table's entries, as narrow as its states allow.
enum Entries {
    Narrow(Zeroed<u16>),
    Wide(Zeroed<u32>),
}

/// An entry: a state's number, and a top bit set if the state ends a literal. Zero is the root.
trait Entry: bytemuck::Pod {
    /// The root, which ends nothing.
    const ROOT: Self;
    /// The entry of state `number`; `None` if the number does not fit.
    fn entry(number: usize, ends: bool) -> Option<Self>;
    /// The state's number.
    fn state(self) -> usize;
    /// True if the state ends a literal.
    fn ends(self) -> bool;
    /// True if any of the states ends a literal (one test per step of four streams).
    fn any_ends(entries: [Self; STREAMS]) -> bool;
    /// The state's number, as stored in hits.
    fn number(self) -> u32 {
        u32::try_from(self.state()).unwrap_or(u32::MAX)
    }
}

impl Entry for u16 {
    const ROOT: Self = 0;

    fn entry(number: usize, ends: bool) -> Option<Self> {
        let number = u16::try_from(number).ok().filter(|&n| n < 1 << 15)?;
        Some(number | if ends { 1 << 15 } else { 0 })
    }

    #[inline(always)]
    fn state(self) -> usize {
        usize::from(self & !(1 << 15))
    }

    #[inline(always)]
    fn ends(self) -> bool {
        self & (1 << 15) != 0
    }

    #[inline(always)]
    fn any_ends([a, b, c, d]: [Self; STREAMS]) -> bool {
        (a | b | c | d) & (1 << 15) != 0
    }
}

impl Entry for u32 {
    const ROOT: Self = 0;

    fn entry(number: usize, ends: bool) -> Option<Self> {
        let number = u32::try_from(number).ok().filter(|&n| n < 1 << 31)?;
        Some(number | if ends { 1 << 31 } else { 0 })
    }

    #[inline(always)]
    fn state(self) -> usize {
        (self & !(1 << 31)) as usize
    }

    #[inline(always)]
    fn ends(self) -> bool {
        self & (1 << 31) != 0
    }

    #[inline(always)]
    fn any_ends([a, b, c, d]: [Self; STREAMS]) -> bool {
        (a | b | c | d) & (1 << 31) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, MatchKind};

    /// How many states the trie of `literals` has (ASCII letters folded): one for each distinct
    /// prefix, the empty one (the root) included. Sorted, each literal adds the bytes past what it
    /// shares with the one before. (Worked out on the folded bytes, apart from the table's count.)
    fn trie_states(literals: &Packed) -> usize {
        let folded = |literal: &[u8]| literal.iter().map(u8::to_ascii_lowercase).collect::<Vec<u8>>();
        let mut sorted: Vec<Vec<u8>> = literals.iter().map(folded).collect();
        sorted.sort_unstable();
        let mut states = 1;
        let mut before: &[u8] = &[];
        for literal in &sorted {
            let shared = literal.iter().zip(before).take_while(|(a, b)| a == b).count();
            states += literal.len() - shared;
            before = literal;
        }
        states
    }

    /// Every (literal, start) the table finds starting in `starts`, sorted.
    fn walked(table: &Table, haystack: &[u8], starts: Range<usize>) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        table.for_each_starting_in(haystack, starts, |id, at| {
            out.push((id, at));
            true
        });
        out.sort_unstable();
        out
    }

    /// The same from aho-corasick.
    fn expected(literals: &[Vec<u8>], haystack: &[u8], starts: Range<usize>) -> Vec<(usize, usize)> {
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(literals)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut out: Vec<(usize, usize)> = automaton
            .find_overlapping_iter(haystack)
            .filter(|hit| starts.contains(&hit.start()))
            .map(|hit| (hit.pattern().as_usize(), hit.start()))
            .collect();
        out.sort_unstable();
        out
    }

    fn packed(literals: &[Vec<u8>]) -> Packed {
        Packed::new(literals)
    }

    #[test]
    fn a_long_haystack_walked_in_four_stretches_finds_every_occurrence_once() {
        let literals: Vec<Vec<u8>> = ["in order", "order", "der to", "in", "’s", "\u{212A}", "a"]
            .iter()
            .map(|l| l.as_bytes().to_vec())
            .collect();
        let haystack = "In ORDER to ask, it’s a \u{212A} in order. ".repeat(600);
        let table = Table::new(&packed(&literals)).unwrap_or_else(|| panic!("no table"));
        assert!(haystack.len() >= SPLIT_FROM * 4);
        let all = walked(&table, haystack.as_bytes(), 0..haystack.len());
        assert_eq!(all, expected(&literals, haystack.as_bytes(), 0..haystack.len()));
        // A stretch cut inside an occurrence still reports it once, from the stretch it starts in.
        let some = walked(&table, haystack.as_bytes(), 3..haystack.len() - 5);
        assert_eq!(some, expected(&literals, haystack.as_bytes(), 3..haystack.len() - 5));
        assert!(all.len() > 4000, "{}", all.len());
    }

    #[test]
    fn more_states_than_fit_in_fifteen_bits_take_wide_entries() {
        // 9,000 literals of eight letters sharing little: about 50,000 states.
        let literals: Vec<Vec<u8>> = (0u32..9000)
            .map(|i| {
                let mut n = i.wrapping_mul(2_654_435_761);
                (0..8)
                    .map(|_| {
                        let letter = b'a' + (n % 26) as u8;
                        n /= 26;
                        letter
                    })
                    .collect()
            })
            .collect();
        let table = Table::new(&packed(&literals)).unwrap_or_else(|| panic!("no table"));
        let (states, narrow) = table.shape();
        assert!(states > 1 << 15 && !narrow, "{states} {narrow}");
        assert_eq!(states, trie_states(&packed(&literals)));
        let haystack: String =
            literals.iter().step_by(7).map(|l| String::from_utf8_lossy(l).to_uppercase() + " x").collect();
        let found = walked(&table, haystack.as_bytes(), 0..haystack.len());
        assert_eq!(found, expected(&literals, haystack.as_bytes(), 0..haystack.len()));
        assert!(found.len() >= 9000 / 7, "{}", found.len());
        let small = Table::new(&packed(&literals[..100])).unwrap_or_else(|| panic!("no table"));
        assert!(small.shape().1);
    }

    proptest::proptest! {
        #[test]
        fn the_table_finds_what_aho_corasick_finds(
            literals in proptest::collection::vec("[ab’ ,iI\u{212A}]{1,5}", 1..14),
            piece in "[abAB’ ,iI\u{212A}\u{e9}]{0,40}",
            times in 1usize..300,
            cut in 0usize..20_000,
            end in 0usize..20_000,
        ) {
            // Literals are given in lower case (ASCII letters), as the finder takes them.
            let literals: Vec<Vec<u8>> = literals.iter().map(|l| l.to_ascii_lowercase().into_bytes()).collect();
            let table = Table::new(&packed(&literals));
            proptest::prop_assert!(table.is_some());
            let Some(table) = table else { return Ok(()) };
            proptest::prop_assert_eq!(table.shape().0, trie_states(&packed(&literals)));
            // Short haystacks walk in one stretch, long ones in four.
            let haystack = piece.repeat(times);
            let bytes = haystack.as_bytes();
            let starts = cut.min(bytes.len())..end.clamp(cut.min(bytes.len()), bytes.len());
            proptest::prop_assert_eq!(walked(&table, bytes, 0..bytes.len()), expected(&literals, bytes, 0..bytes.len()));
            proptest::prop_assert_eq!(walked(&table, bytes, starts.clone()), expected(&literals, bytes, starts));
        }
    }
}
