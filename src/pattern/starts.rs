//! Where a pattern without literals can match, told by the bytes it is made of.
//!
//! A pattern searched whole (a branch has no literal to anchor it, such as `\b[A-Z]{2,5}s?\b`)
//! would have its automaton read every byte of the haystack. Many such patterns are made of
//! bytes that prose rarely has in a row, so a table lookup per byte finds the few places worth
//! a search:
//!
//! - [`Filter::Pair`]: every match starts with a byte of one set followed by a byte of another
//!   (two capitals, two exclamation marks). Each place where such a pair occurs is tried with an
//!   anchored search.
//! - [`Filter::Run`]: every byte of every match belongs to one set, and a match has at least
//!   `min` bytes (a word of 13 letters or more). Only runs of that set at least `min` long are
//!   searched, each on its own.
//!
//! Both are worked out from the syntax tree, conservatively: a filter may let through places
//! where nothing matches, never miss one where something does. A filter is kept only where it
//! is likely to pay: neither byte of a pair may be a lower-case ASCII letter or whitespace,
//! which make up most of any English text, and a run must hold no whitespace (so that it is at
//! most a word) and be longer than most words.

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Class, Hir, HirKind};

use super::Match;

/// A set of bytes, as a lookup table (boxed: a filter holds two, and analysis makes many).
#[derive(Clone, PartialEq, Eq)]
pub(super) struct ByteSet(Box<[bool; 256]>);

impl std::fmt::Debug for ByteSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let members: Vec<u8> = (0..=255u8).filter(|&b| self.has(b)).collect();
        f.debug_tuple("ByteSet").field(&String::from_utf8_lossy(&members)).finish()
    }
}

impl ByteSet {
    fn empty() -> Self {
        Self(Box::new([false; 256]))
    }

    fn add(&mut self, byte: u8) {
        if let Some(slot) = self.0.get_mut(usize::from(byte)) {
            *slot = true;
        }
    }

    pub(super) fn add_range(&mut self, from: u8, to: u8) {
        for byte in from..=to {
            self.add(byte);
        }
    }

    /// Every byte any match of `hir` can hold.
    pub(super) fn of_matches(hir: &Hir) -> Self {
        Prefix::of(hir).all
    }

    fn union(&mut self, other: &Self) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            *mine |= *theirs;
        }
    }

    fn is_empty(&self) -> bool {
        !self.0.contains(&true)
    }

    #[inline]
    pub(super) fn has(&self, byte: u8) -> bool {
        self.0.get(usize::from(byte)).copied().unwrap_or(false)
    }

    /// True if the set holds ASCII whitespace, which separates words.
    fn has_space(&self) -> bool {
        b" \t\n\r\x0B\x0C".iter().any(|&b| self.has(b))
    }

    /// True if the set holds a byte that is common in prose: a lower-case ASCII letter or
    /// whitespace.
    fn has_common(&self) -> bool {
        self.has_space() || (b'a'..=b'z').any(|b| self.has(b))
    }

    /// The bytes that can begin the UTF-8 encoding of a character in `from..=to`, and, if any
    /// of them is longer than one byte, whether continuation bytes follow.
    fn add_chars(&mut self, from: char, to: char) -> bool {
        let ascii_end = to.min('\u{7F}');
        if from <= ascii_end {
            self.add_range(from as u8, ascii_end as u8);
        }
        if to < '\u{80}' {
            return false;
        }
        let from = from.max('\u{80}');
        let lead = |c: char| {
            let mut buf = [0u8; 4];
            c.encode_utf8(&mut buf);
            buf[0]
        };
        // Lead bytes grow with the code point, so the range's leads lie between its ends'.
        self.add_range(lead(from), lead(to));
        true
    }
}

/// What a part of a pattern says about the first two bytes of its matches.
#[derive(Clone, Debug)]
struct Prefix {
    /// It can match the empty string.
    nullable: bool,
    /// Bytes that can start a non-empty match.
    first: ByteSet,
    /// Bytes that can come second in a match of two bytes or more.
    second: ByteSet,
    /// Bytes that are, on their own, a match.
    single: ByteSet,
    /// Every byte any match can hold.
    all: ByteSet,
}

const CONTINUATION: (u8, u8) = (0x80, 0xBF);

impl Prefix {
    fn empty() -> Self {
        Self {
            nullable: true,
            first: ByteSet::empty(),
            second: ByteSet::empty(),
            single: ByteSet::empty(),
            all: ByteSet::empty(),
        }
    }

    fn of(hir: &Hir) -> Self {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Self::empty(),
            HirKind::Literal(literal) => {
                let bytes = &literal.0;
                let mut out = Self::empty();
                let Some((&head, rest)) = bytes.split_first() else { return out };
                out.nullable = false;
                out.first.add(head);
                match rest.first() {
                    Some(&next) => out.second.add(next),
                    None => out.single.add(head),
                }
                bytes.iter().for_each(|&b| out.all.add(b));
                out
            }
            HirKind::Class(class) => {
                let mut out = Self::empty();
                out.nullable = false;
                let mut wide = false;
                match class {
                    Class::Unicode(class) => {
                        for range in class.iter() {
                            wide |= out.first.add_chars(range.start(), range.end());
                        }
                    }
                    Class::Bytes(class) => {
                        for range in class.iter() {
                            out.first.add_range(range.start(), range.end());
                            wide |= range.end() >= 0x80;
                        }
                    }
                }
                // One byte on its own is a match only if it is ASCII.
                for byte in 0..0x80u8 {
                    if out.first.has(byte) {
                        out.single.add(byte);
                    }
                }
                out.all = out.first.clone();
                if wide {
                    out.second.add_range(CONTINUATION.0, CONTINUATION.1);
                    out.all.add_range(CONTINUATION.0, CONTINUATION.1);
                }
                out
            }
            HirKind::Capture(capture) => Self::of(&capture.sub),
            HirKind::Repetition(rep) => {
                let sub = Self::of(&rep.sub);
                if rep.max == Some(0) {
                    return Self::empty();
                }
                let mut out = sub.clone();
                out.nullable = rep.min == 0 || sub.nullable;
                // One byte on its own is a match only if one round can be the whole match.
                if rep.min >= 2 && !sub.nullable {
                    out.single = ByteSet::empty();
                }
                // A one-byte first round, then the start of another.
                if rep.max.is_none_or(|max| max >= 2) && !sub.single.is_empty() {
                    out.second.union(&sub.first);
                }
                out
            }
            HirKind::Concat(parts) => parts.iter().map(Self::of).fold(Self::empty(), |a, b| a.then(&b)),
            HirKind::Alternation(branches) => {
                let mut out = Self::empty();
                out.nullable = false;
                for branch in branches.iter().map(Self::of) {
                    out.nullable |= branch.nullable;
                    out.first.union(&branch.first);
                    out.second.union(&branch.second);
                    out.single.union(&branch.single);
                    out.all.union(&branch.all);
                }
                out
            }
        }
    }

    /// `self` followed by `next`.
    fn then(mut self, next: &Self) -> Self {
        let mut single = ByteSet::empty();
        if self.nullable {
            self.first.union(&next.first);
            self.second.union(&next.second);
            single.union(&next.single);
        }
        if !self.single.is_empty() {
            self.second.union(&next.first);
        }
        if next.nullable {
            single.union(&self.single);
        }
        self.single = single;
        self.nullable &= next.nullable;
        self.all.union(&next.all);
        self
    }
}

/// Where a pattern's matches can be, by the bytes they hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Filter {
    /// Every match starts with a byte of `first` followed by a byte of `second`.
    Pair {
        /// Bytes a match can start with.
        first: ByteSet,
        /// Bytes that can come second.
        second: ByteSet,
        /// Both sets together: a byte outside it is in no pair.
        either: ByteSet,
    },
    /// Every match lies in a run of at least `min` bytes of `bytes`.
    Run { bytes: ByteSet, min: usize },
    /// Every match starts with a byte of `first`, then has bytes of `gap` (maybe none), then a
    /// byte of `then`: a word with two capitals in it, `[A-Z][A-Za-z]*[A-Z]`.
    Gap {
        first: ByteSet,
        gap: ByteSet,
        then: ByteSet,
        /// `first` as a range of ASCII bytes, if it is one (capitals): then eight bytes are
        /// looked at in one step.
        range: Option<(u8, u8)>,
    },
}

/// Runs shorter than this are too common in prose for a run filter to pay (words are shorter).
const RUN_MIN: usize = 8;

impl Filter {
    /// The filter for `source` compiled with `case_insensitive`, if one is sound and likely to
    /// pay; `None` otherwise (or if it does not parse).
    pub(super) fn for_source(source: &str, case_insensitive: bool) -> Option<Self> {
        let hir = regex_syntax::ParserBuilder::new().case_insensitive(case_insensitive).build().parse(source).ok()?;
        Self::for_hir(&hir, true)
    }

    /// The filter for `hir`; with `selective`, only one that skips most of English text.
    pub(super) fn for_hir(hir: &Hir, selective: bool) -> Option<Self> {
        let min = hir.properties().minimum_len()?;
        let prefix = Prefix::of(hir);
        if prefix.nullable || min == 0 {
            return None;
        }
        if min >= 2 && !(selective && (prefix.first.has_common() || prefix.second.has_common())) {
            let mut either = prefix.first.clone();
            either.union(&prefix.second);
            return Some(Self::Pair { first: prefix.first, second: prefix.second, either });
        }
        if !selective || (min >= RUN_MIN && !prefix.all.has_space()) {
            return Some(Self::Run { bytes: prefix.all, min });
        }
        None
    }

    /// A filter that tells where each match of the branch `source` starts (a pair, or a gap
    /// between two rare bytes), if one is sound and likely to pay. Worked out as if the branch
    /// were compiled without regard to case, so that it holds either way: a branch that keeps
    /// to capitals says so itself (`(?-i:…)`).
    pub(super) fn for_branch(source: &str) -> Option<Self> {
        let hir = regex_syntax::ParserBuilder::new().case_insensitive(true).build().parse(source).ok()?;
        match Self::for_hir(&hir, true) {
            Some(pair @ Self::Pair { .. }) => Some(pair),
            _ => gap_of(&hir),
        }
    }

    /// The next place at or after `from` where a match can start (`Pair`, `Gap`), or the next run at
    /// or after `from`, cut to start there, that can hold one (`Run`), as a range of `haystack`.
    pub(super) fn next(&self, haystack: &[u8], from: usize) -> Option<std::ops::Range<usize>> {
        let rest = haystack.get(from..)?;
        match self {
            Self::Pair { first, second, either } => {
                // Every pair holds a byte at an odd offset, so only those are probed: one outside
                // both sets rules out the pairs on either side of it, and in prose nearly all are.
                // At a probe, the pair ending there comes before the pair starting there.
                let mut probe = 1;
                while let Some(&byte) = rest.get(probe) {
                    if either.has(byte) {
                        if second.has(byte) && rest.get(probe - 1).is_some_and(|&b| first.has(b)) {
                            return Some(from + probe - 1..haystack.len());
                        }
                        if first.has(byte) && rest.get(probe + 1).is_some_and(|&b| second.has(b)) {
                            return Some(from + probe..haystack.len());
                        }
                    }
                    probe += 2;
                }
                None
            }
            Self::Run { bytes, min } => next_run(rest, bytes, *min).map(|run| from + run.start..from + run.end),
            Self::Gap { first, gap, then, range } => {
                let mut at = 0;
                loop {
                    let start = match range {
                        Some((low, high)) => at + next_in_range(rest.get(at..)?, *low, *high)?,
                        None => at + rest.get(at..)?.iter().position(|&b| first.has(b))?,
                    };
                    let after = rest.get(start + 1..).unwrap_or(&[]);
                    // The first byte past the gap decides (one of `then` may also be in `gap`).
                    let decides = after.iter().position(|&b| then.has(b) || !gap.has(b))?;
                    if after.get(decides).is_some_and(|&b| then.has(b)) {
                        return Some(from + start..haystack.len());
                    }
                    // Every byte up to the one that decided is in the gap and not in `then`, so a
                    // start among them would be decided by the same byte: go on from it (a long
                    // gap is read once, not once for each start in it).
                    at = start + 1 + decides;
                }
            }
        }
    }

    /// Calls `found` with every place [`Filter::next`] gives, in order, from the start of
    /// `haystack` (an anchoring filter's possible match starts). A gap is read once however
    /// many starts lie in it: the byte that decides for one start decides for every later one
    /// before it.
    pub(super) fn each_start(&self, haystack: &[u8], mut found: impl FnMut(usize)) {
        let Self::Gap { first, gap, then, range } = self else {
            let mut at = 0;
            while let Some(place) = self.next(haystack, at) {
                found(place.start);
                at = place.start + 1;
            }
            return;
        };
        // Where the last gap read ended, and whether a `then` byte ended it.
        let mut decided: Option<(usize, bool)> = None;
        let mut at = 0;
        loop {
            let Some(rest) = haystack.get(at..) else { return };
            let start = at
                + match range {
                    Some((low, high)) => next_in_range(rest, *low, *high),
                    None => rest.iter().position(|&b| first.has(b)),
                }
                .unwrap_or(rest.len());
            if start >= haystack.len() {
                return;
            }
            let (end, opens) = match decided {
                Some((end, opens)) if start < end => (end, opens),
                _ => {
                    let after = haystack.get(start + 1..).unwrap_or(&[]);
                    let Some(decides) = after.iter().position(|&b| then.has(b) || !gap.has(b)) else { return };
                    let end = start + 1 + decides;
                    let opens = haystack.get(end).is_some_and(|&b| then.has(b));
                    decided = Some((end, opens));
                    (end, opens)
                }
            };
            if opens {
                found(start);
                at = start + 1;
            } else {
                at = end;
            }
        }
    }

    /// True if matches start where [`Filter::next`] says (anchored searches), rather than
    /// anywhere in the range it gives.
    pub(super) fn anchors(&self) -> bool {
        matches!(self, Self::Pair { .. } | Self::Gap { .. })
    }

    /// Calls `found` with each match of `regex` (the pattern this filter was made for) in
    /// `haystack`, as `find_iter` yields them, until it returns `false`; `regex` searches only
    /// where the filter lets it. Each search sees the text around its range, so assertions such
    /// as `\b` hold or fail as they would in one search of the whole haystack.
    pub(super) fn each(&self, regex: &Regex, haystack: &str, found: &mut dyn FnMut(Match) -> bool) {
        let bytes = haystack.as_bytes();
        let mut at = 0;
        while let Some(place) = self.next(bytes, at) {
            let input = Input::new(haystack).range(place.clone());
            at = if self.anchors() {
                match regex.search(&input.anchored(Anchored::Yes)) {
                    Some(m) => {
                        if !found(Match { start: m.start(), end: m.end() }) {
                            return;
                        }
                        m.end()
                    }
                    None => place.start + 1,
                }
            } else {
                for m in regex.find_iter(input) {
                    if !found(Match { start: m.start(), end: m.end() }) {
                        return;
                    }
                }
                place.end
            };
            // No match is empty (a filter is only made for patterns that cannot match nothing),
            // so the next search starts where this one's match ended.
        }
    }
}

/// A [`Filter::Gap`] for `hir`, if its matches open with one rare byte (a one-byte class or
/// literal, after any assertions), then parts that may be empty, then a part that may not,
/// whose first byte is rare too. Each match starts with the first, the bytes of the parts that
/// may be empty follow, and the next is one the part that may not can start with. A repetition
/// opening the pattern at least once is looked into: a match starts with its first round.
fn gap_of(hir: &Hir) -> Option<Filter> {
    let mut items: Vec<&Hir> = Vec::new();
    opening(hir, &mut items);
    let mut items = items.into_iter().skip_while(|h| matches!(h.kind(), HirKind::Look(_)));
    let head = items.next()?;
    // The head matches exactly one byte, so the gap starts right after it.
    let props = head.properties();
    if props.minimum_len() != Some(1) || props.maximum_len() != Some(1) {
        return None;
    }
    let head = Prefix::of(head);
    if head.first.is_empty() || head.first.has_common() {
        return None;
    }
    let mut gap = ByteSet::empty();
    for item in items {
        let part = Prefix::of(item);
        if part.nullable {
            gap.union(&part.all);
            continue;
        }
        if part.first.is_empty() || part.first.has_common() {
            return None;
        }
        let range = ascii_range(&head.first);
        return Some(Filter::Gap { first: head.first, gap, then: part.first, range });
    }
    None
}

/// The set as one range of ASCII bytes, if it is one.
fn ascii_range(set: &ByteSet) -> Option<(u8, u8)> {
    let low = (0..0x80u8).find(|&b| set.has(b))?;
    let high = (low..0x80u8).take_while(|&b| set.has(b)).last()?;
    // Nothing else: not past the range, not above ASCII.
    ((high..=0xFFu8).skip(1).all(|b| !set.has(b)) && low > 0).then_some((low, high))
}

/// The offset of the first byte of `text` in `low..=high` (ASCII, `low` above 0), eight bytes
/// at a time: with the top bit of each byte cleared, adding `0x80 - low` sets it in the bytes
/// at or above `low`, adding `0x7F - high` in those above `high`, and no sum carries into the
/// next byte; bytes that had the top bit are not ASCII and are left out.
fn next_in_range(text: &[u8], low: u8, high: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = ONES * 0x80;
    let (at_least, above) = (ONES * u64::from(0x80 - low), ONES * u64::from(0x7F - high));
    let mut chunks = text.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let low_bits = x & !TOPS;
        let hits = (low_bits + at_least) & !(low_bits + above) & !x & TOPS;
        if hits != 0 {
            return Some(offset + (hits.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&b| (low..=high).contains(&b)).map(|at| offset + at)
}

/// The items a match of `hir` opens with, in order: concatenations and groups opened up, and a
/// repetition that runs at least once replaced by its first round (the rest of the pattern
/// after it is not needed: the filter is decided within that round, or not at all).
fn opening<'h>(hir: &'h Hir, out: &mut Vec<&'h Hir>) {
    match hir.kind() {
        HirKind::Concat(parts) => {
            for part in parts {
                let before = out.len();
                opening(part, out);
                // A part that opened a repetition ends the sequence: what follows it in the
                // pattern does not follow its first round.
                if out.len() > before && matches!(part.kind(), HirKind::Repetition(r) if r.min >= 1 && r.max != Some(1))
                {
                    return;
                }
            }
        }
        HirKind::Capture(capture) => opening(&capture.sub, out),
        HirKind::Repetition(rep) if rep.min >= 1 && rep.max != Some(1) && !is_byte_class(&rep.sub) => {
            opening(&rep.sub, out);
        }
        _ => out.push(hir),
    }
}

/// True if `hir` is a class or a one-character literal (a repetition of it is left whole).
fn is_byte_class(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Class(_) => true,
        HirKind::Literal(literal) => literal.0.len() == 1,
        _ => false,
    }
}

/// The first maximal run of `set` bytes in `text` at least `min` long.
///
/// Eight bytes are looked up at a time, without a branch per byte: in prose a byte of the set
/// (a letter) and one outside it (a space) alternate every few bytes, so a walk that asks of
/// each byte in turn mispredicts at every word. A run long enough to count either crosses from
/// one block of eight into the next or fills a block, so only the first and last byte outside
/// the set in each block matter.
fn next_run(text: &[u8], set: &ByteSet, min: usize) -> Option<std::ops::Range<usize>> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let min = min.max(1);
    // A run between two bytes outside the set in one block is at most six long.
    if min <= 6 {
        return next_short_run(text, set, min);
    }
    // Where the run being read started (just past the last byte outside the set).
    let mut start = 0;
    let mut at = 0;
    let mut blocks = text.chunks_exact(8);
    for block in &mut blocks {
        let mut lanes = [0u8; 8];
        for (lane, &byte) in lanes.iter_mut().zip(block) {
            *lane = u8::from(set.has(byte));
        }
        // The lowest bit of each byte of the block that is outside the set (the first lowest).
        let outside = !u64::from_le_bytes(lanes) & ONES;
        if outside != 0 {
            let first = at + (outside.trailing_zeros() / 8) as usize;
            if first - start >= min {
                return Some(start..first);
            }
            start = at + ((63 - outside.leading_zeros()) / 8) as usize + 1;
        }
        at += 8;
    }
    for (offset, &byte) in blocks.remainder().iter().enumerate() {
        if !set.has(byte) {
            let end = at + offset;
            if end - start >= min {
                return Some(start..end);
            }
            start = end + 1;
        }
    }
    (text.len() - start >= min).then_some(start..text.len())
}

/// [`next_run`] for a short `min`, probing: a byte outside the set rules out every run through
/// it, so the probe goes `min` bytes on from it.
fn next_short_run(text: &[u8], set: &ByteSet, min: usize) -> Option<std::ops::Range<usize>> {
    // No run that qualifies starts before `floor`; `probe` is the last byte of the first one
    // that could.
    let mut floor = 0;
    let mut probe = min - 1;
    while let Some(&byte) = text.get(probe) {
        if !set.has(byte) {
            floor = probe + 1;
            probe += min;
            continue;
        }
        let start = floor + text.get(floor..probe)?.iter().rposition(|&b| !set.has(b)).map_or(0, |at| at + 1);
        let tail = text.get(probe..)?;
        let end = probe + tail.iter().position(|&b| !set.has(b)).unwrap_or(tail.len());
        if end - start >= min {
            return Some(start..end);
        }
        floor = end + 1;
        probe = end + min;
    }
    None
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{ByteSet, Filter, next_in_range, next_run};
    use crate::pattern::Match;

    /// Regex pieces with capitals, marks, letters that fold, non-ASCII letters and assertions.
    fn atom() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("A"),
            Just("Z"),
            Just("b"),
            Just("k"),
            Just("!"),
            Just("É"),
            Just("’"),
            Just("'"),
            Just(" "),
            Just("[A-Z]"),
            Just("[!?]"),
            Just(r"\p{L}"),
            Just(r"\p{Lu}"),
            Just(r"[\p{L}'’-]"),
            Just(r"\d"),
            Just(r"\w"),
            Just(r"\S"),
            Just(r"[^a ]"),
            Just("."),
            Just(r"\b"),
            Just(r"(?-u:\b)"),
            Just("^"),
            Just("$"),
            Just(r"\B"),
        ]
        .prop_map(String::from)
    }

    fn source() -> impl Strategy<Value = String> {
        atom().prop_recursive(4, 20, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("(?:{})", v.join("|"))),
                inner.clone().prop_map(|r| format!("(?:{r})?")),
                inner.clone().prop_map(|r| format!("(?:{r})*")),
                inner.clone().prop_map(|r| format!("(?:{r})+")),
                inner.clone().prop_map(|r| format!("(?:{r}){{2,4}}")),
                inner.clone().prop_map(|r| format!("(?:{r}){{0,1}}")),
                inner.prop_map(|r| format!("(?-i:{r})")),
            ]
        })
    }

    fn haystack() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("A"),
            Just("Z"),
            Just("a"),
            Just("b"),
            Just("k"),
            Just("K"),
            Just("\u{212A}"),
            Just("É"),
            Just("é"),
            Just("!"),
            Just("?"),
            Just(" "),
            Just("\n"),
            Just("’"),
            Just("'"),
            Just("-"),
            Just("7"),
            Just("_"),
        ];
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// Any filter made without the selectivity rule (so that most patterns get one) finds
        /// exactly what `regex` finds.
        #[test]
        fn filtered_searches_find_what_regex_finds(source in source(), text in haystack(), ci in any::<bool>()) {
            let hir = regex_syntax::ParserBuilder::new().case_insensitive(ci).build().parse(&source);
            let Some(filter) = hir.ok().and_then(|hir| Filter::for_hir(&hir, false)) else { return Ok(()) };
            let Some((got, want)) = filtered_and_whole(&filter, &source, &text, ci) else { return Ok(()) };
            prop_assert_eq!(got, want, "{:?} on {:?}: {:?}", source, text, filter);
        }
    }

    proptest! {
        /// The run search (by blocks of eight, or probing for a short run) finds the first run
        /// a byte-by-byte walk finds.
        #[test]
        fn found_runs_are_the_first_long_enough(text in "(a{0,20}[ b]{1,3}){0,8}a{0,20}", min in 1usize..24) {
            let mut set = ByteSet::empty();
            set.add(b'a');
            let bytes = text.as_bytes();
            let mut want = None;
            let mut at = 0;
            while at < bytes.len() {
                let len = bytes.get(at..).unwrap_or(&[]).iter().take_while(|&&b| b == b'a').count();
                if len >= min {
                    want = Some(at..at + len);
                    break;
                }
                at += len.max(1);
            }
            prop_assert_eq!(next_run(bytes, &set, min), want);
        }
    }

    proptest! {
        /// The probing pair search finds the first pair a walk over every two bytes finds.
        #[test]
        fn probed_pairs_are_the_first(text in "[AaB!b ]{0,40}", from in 0usize..8) {
            let Some(pair) = filter("[A!][AB]", false) else { panic!("no pair filter") };
            let bytes = text.as_bytes();
            let want = bytes
                .windows(2)
                .enumerate()
                .skip(from)
                .find(|(_, w)| matches!(w, [a, b] if b"A!".contains(a) && b"AB".contains(b)))
                .map(|(at, _)| at..bytes.len());
            prop_assert_eq!(pair.next(bytes, from), want);
        }
    }

    /// Matches as (start, end).
    type Spans = Vec<(usize, usize)>;

    /// The matches of `source` in `text` searched only where `filter` lets it, and as `regex`
    /// finds them; `None` if the pattern does not compile.
    fn filtered_and_whole(filter: &Filter, source: &str, text: &str, ci: bool) -> Option<(Spans, Spans)> {
        let regex = regex::RegexBuilder::new(source).case_insensitive(ci).build().ok()?;
        let meta = regex_automata::meta::Regex::builder()
            .syntax(regex_automata::util::syntax::Config::new().case_insensitive(ci))
            .build(source)
            .ok()?;
        let want = regex.find_iter(text).map(|m| (m.start(), m.end())).collect();
        let mut got = Vec::new();
        filter.each(&meta, text, &mut |m: Match| {
            got.push((m.start(), m.end()));
            true
        });
        Some((got, want))
    }

    /// Branches that open with a rare byte, maybe a gap, then another part: the shapes a gap
    /// filter is made for, and near misses.
    fn gap_source() -> impl Strategy<Value = String> {
        let head = prop_oneof![Just("[A-Z]"), Just("A"), Just("!"), Just("[A-Z]+"), Just(r"\p{Lu}"), Just("a")];
        let gap = prop_oneof![
            Just(""),
            Just("[A-Za-z]*"),
            Just("[a-z]?"),
            Just("(?:,\\s*)?"),
            Just(r"\b"),
            Just("[A-Za-z]{0,2}"),
            Just("(?:k|')*"),
        ];
        let then =
            prop_oneof![Just("[A-Z]"), Just("[A-Z]{1,3}"), Just("(?:[A-Z]|!)+"), Just("Z"), Just("b"), Just("[a-z]*")];
        let rest = prop_oneof![Just(""), Just("[A-Za-z]*"), Just("(?:,\\s*[A-Z]+){1,}"), Just(" ")];
        (head, gap.clone(), gap, then, rest, any::<bool>(), any::<bool>()).prop_map(
            |(h, g1, g2, t, r, repeat, bound)| {
                let body = format!("{h}{g1}{g2}{t}{r}");
                let body = if repeat { format!("(?:{body} ?){{2,}}") } else { body };
                let body = format!("(?-i:{body})");
                if bound { format!(r"(?-u:\b)(?:{body})(?-u:\b)") } else { body }
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// A branch's filter (a pair or a gap) never misses where a match starts: searching
        /// only there finds what `regex` finds, with or without regard to case.
        #[test]
        fn branch_filters_find_what_regex_finds(
            source in prop_oneof![gap_source(), source()],
            text in haystack(),
            ci in any::<bool>(),
        ) {
            let Some(filter) = Filter::for_branch(&source) else { return Ok(()) };
            prop_assert!(filter.anchors());
            let Some((got, want)) = filtered_and_whole(&filter, &source, &text, ci) else { return Ok(()) };
            prop_assert_eq!(got, want, "{:?} on {:?}: {:?}", source, text, filter);
        }

        /// Every start, in one pass, is every place found one `next` at a time.
        #[test]
        fn each_start_finds_every_place_next_finds(source in gap_source(), text in haystack()) {
            let Some(filter) = Filter::for_branch(&source) else { return Ok(()) };
            let bytes = text.as_bytes();
            let mut want = Vec::new();
            let mut at = 0;
            while let Some(place) = filter.next(bytes, at) {
                want.push(place.start);
                at = place.start + 1;
            }
            let mut got = Vec::new();
            filter.each_start(bytes, |at| got.push(at));
            prop_assert_eq!(got, want, "{:?} on {:?}", source, text);
        }

        /// Eight bytes at a time, the first byte in a range is the one a walk finds.
        #[test]
        fn bytes_in_a_range_are_found_eight_at_a_time(
            text in proptest::collection::vec(any::<u8>(), 0..40),
            low in 1u8..0x80,
            span in 0u8..30,
        ) {
            let high = low.saturating_add(span).min(0x7F);
            let want = text.iter().position(|b| (low..=high).contains(b));
            prop_assert_eq!(next_in_range(&text, low, high), want);
        }
    }

    #[test]
    fn two_capitals_in_a_word_make_a_gap() {
        let credentials = r"(?-i:\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:,\s*[A-Z][A-Za-z]*[A-Z][A-Za-z]*){2,})";
        let Some(Filter::Gap { first, gap, then, range }) = Filter::for_branch(credentials) else {
            panic!("no gap filter")
        };
        assert!(first.has(b'M') && !first.has(b'm') && gap.has(b'c') && then.has(b'K') && !then.has(b'k'));
        assert_eq!(range, Some((b'A', b'Z')));
        let Some(filter) = Filter::for_branch(credentials) else { panic!("no gap filter") };
        let text = b"ask McKinsey, Inc. and Mr Smith, IBM";
        let places: Vec<usize> =
            std::iter::successors(filter.next(text, 0), |r| filter.next(text, r.start + 1)).map(|r| r.start).collect();
        assert_eq!(places, [4, 33, 34], "M(c)K, I(B)M, B(M); not Inc, Mr or Smith");
        // Case-insensitive, a capital is as common as any letter: no filter.
        assert!(Filter::for_branch(r"\b[A-Z][A-Za-z]*[A-Z]").is_none());
        // A head that can be longer than one byte cannot open a gap.
        assert!(!matches!(Filter::for_branch(r"(?-i:[A-Z]+[a-z]*[0-9])"), Some(Filter::Gap { .. })));
    }

    #[test]
    fn a_long_gap_is_read_once() {
        // Every `!` opens a gap of `!`s that never reaches a `?`: each start is decided by the
        // byte that ends the run, which is looked for once.
        let Some(filter) = Filter::for_branch(r"![!a]*\?") else { panic!("no gap filter") };
        assert!(matches!(filter, Filter::Gap { .. }));
        let text = format!("{}x{}?", "!".repeat(20_000), "!".repeat(3));
        assert_eq!(filter.next(text.as_bytes(), 0), Some(20_001..text.len()));
        assert_eq!(filter.next(text.as_bytes(), 20_002), Some(20_002..text.len()));
        assert_eq!(filter.next(text.as_bytes(), 20_004), None);
        // Starts in a gap that does reach a `?` are all reported, each gap read once.
        let text = format!("{}?", "!".repeat(20_000));
        let mut starts = Vec::new();
        filter.each_start(text.as_bytes(), |at| starts.push(at));
        assert_eq!(starts, (0..20_000).collect::<Vec<_>>());
    }

    fn filter(source: &str, ci: bool) -> Option<Filter> {
        Filter::for_source(source, ci)
    }

    #[test]
    fn capitals_and_marks_make_pairs() {
        let Some(Filter::Pair { first, second, .. }) = filter(r"\b[A-Z]{2,5}s?\b", false) else { panic!("no pair") };
        assert!(first.has(b'A') && second.has(b'Z') && !first.has(b'a') && !second.has(b's'));
        assert!(matches!(filter(r"!{3,}|[!?]{4,}|\b(?:FREE|NOW)\b", false), Some(Filter::Pair { .. })));
    }

    #[test]
    fn long_words_make_runs() {
        let Some(Filter::Run { bytes, min }) = filter(r"[\p{L}][\p{L}'’-]{12,}", false) else { panic!("no run") };
        assert_eq!(min, 13);
        assert!(bytes.has(b'a') && bytes.has(b'-') && bytes.has(0xE2) && bytes.has(0x99) && !bytes.has(b' '));
    }

    #[test]
    fn common_bytes_make_no_filter() {
        // Lower-case letters first; case folding adds them; a short run; a possible empty match.
        let sources = [("[a-z]{2}", false), ("[A-Z]{2}", true), (r"\w{3}", false), ("[A-Z]*", false)];
        for (source, ci) in sources {
            assert!(filter(source, ci).is_none(), "{source}");
        }
    }

    #[test]
    fn pairs_and_runs_are_found_in_order() {
        let pair = filter("[A-Z]{2}", false).unwrap_or_else(|| panic!("no filter"));
        assert_eq!(pair.next(b"an OK and a NO", 0), Some(3..14));
        assert_eq!(pair.next(b"an OK and a NO", 4), Some(12..14));
        assert_eq!(pair.next(b"an OK and a NO", 13), None);
        let run = filter(r"\p{L}{8,}", false).unwrap_or_else(|| panic!("no filter"));
        assert!(!run.anchors());
        let text = b"ABC ABCDEFGHIJ IJ ABCDEFGH";
        assert_eq!(run.next(text, 0), Some(4..14));
        assert_eq!(run.next(text, 6), Some(6..14), "cut to start at from");
        assert_eq!(run.next(text, 7), Some(18..26), "what is left of a run is too short");
    }
}
