//! The analyses of the built-in patterns, made ahead of time.
//!
//! Analysing a pattern (see [`super::prefix`]) parses its syntax tree and works out its literal
//! sets: about a quarter of a millisecond for a typical rule, and most of the time a single
//! pitch takes when every built-in rule runs. `builtin_plans.rs` holds the plan of every
//! pattern the built-in rules and lexicons use as static Rust data, keyed by a hash of the
//! pattern's source: its branches' patterns and the plan's tables (literals, the finder's sorted
//! keys, the owners of each literal; see [`Tables`]), which a run borrows instead of building. A
//! pattern that is not there (a user's rule, or a built-in one edited since the file was made)
//! is analysed as before, so the file can only ever make things faster, never different: an
//! entry is used only if its source is the pattern's, byte for byte.
//!
//! The file also holds, for every branch the built-in rules tried, its phrase matcher (see
//! [`super::exact`]), so that a run does not translate the branch's syntax either; and the
//! [`PatternSet`] of the built-in rules (`SET`, see [`StoredSet`]), so that a linter running
//! them (all, or a selection) neither analyses every pattern nor builds the set. A branch's
//! pattern is stored as pieces of its pattern's source where it can be (see [`Piece`]), which
//! keeps the file and the binary small.
//!
//! `tests/plans.rs` fails when the file is out of date; `PITCHLINT_UPDATE_PLANS=1 cargo test
//! --test plans` rewrites it (see [`recorded_file`] and [`start_recording`]).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use super::exact::{self, Exact};
use super::finder::{Finder, Packed};
use super::plan::{self, Owner, Plan, Via};
use super::prefix::{self, AtStart, Branch, Literals};
use super::{Groups, Options, Pattern, PatternSet};

/// The stored analyses, as the Rust source built into this binary (see [`file_for`]).
static FILE: &str = include_str!("builtin_plans.rs");

/// The tables of `builtin_plans.rs`: `PLANS` and `MATCHERS`, sorted by key, `CLASSES`, and
/// `SET`.
mod builtin {
    use super::Piece::{Range, Text};
    use super::StoredLiterals::{Anchors, AtStart, Filtered, Required};
    use super::exact::Static;
    use super::exact::StaticNode::{Alt, Many, One, Rep, Run, Seq};
    use super::{MatcherRow, PlanRow};
    use super::{Stored, StoredSet, Tables, o, w};

    include!("builtin_plans.rs");
}

/// The built-in rules' [`PatternSet`](super::PatternSet), made ahead of time: what
/// [`super::PatternSet::parts`] gives, and for each slot its pattern and whether every match of
/// it needs a literal.
pub(super) struct StoredSet {
    /// Per slot, the row of its pattern in `PLANS`.
    slots: &'static [Option<u16>],
    pub(super) needs_literal: &'static [bool],
    pub(super) split: &'static [bool],
    /// The set's finder and the (slot, owner) pairs of each literal.
    pub(super) tables: Tables<(u32, Owner)>,
}

/// A finder's tables and the owners of each of its literals, as [`Finder::parts`] and
/// [`Groups::parts`] give them: the literals (forcing characters last), the keyed and the
/// one-byte literals, where each literal's owners start, and the owners. A plan's owners are
/// branches ([`Owner`]), a set's are (slot, [`Owner`]) pairs.
pub(super) struct Tables<O: 'static> {
    bytes: &'static [u8],
    ends: &'static [u32],
    keyed: &'static [(u16, u32)],
    short: &'static [u32],
    owner_starts: &'static [u32],
    owners: &'static [O],
}

impl<O: Copy + 'static> Tables<O> {
    /// The finder, borrowing the tables.
    pub(super) fn finder(&self) -> Finder {
        Finder::stored(self.bytes, self.ends, self.keyed, self.short)
    }

    /// The owners of each literal, borrowed.
    pub(super) fn owners(&self) -> Groups<O> {
        Groups::stored(self.owner_starts, self.owners)
    }
}

/// An owner in the set's table, written short: slot, branch, then 1 for a word start plus 2 for
/// [`Via::Inner`] or 4 for [`Via::StartHint`].
const fn o(slot: u32, branch: u32, flags: u8) -> (u32, Owner) {
    let via = match flags >> 1 {
        1 => Via::Inner,
        2 => Via::StartHint,
        _ => Via::Anchor,
    };
    (slot, Owner { branch, word_start: flags & 1 == 1, via })
}

/// The stored set, if the first of `patterns` are the built-in rules' in their slots (or a
/// selection of them).
pub(super) fn stored_set(patterns: &[Option<&Pattern>]) -> Option<&'static StoredSet> {
    let set = builtin::SET.as_ref()?;
    for (pattern, row) in patterns.iter().zip(set.slots) {
        let Some(pattern) = pattern else { continue };
        let source = row.and_then(|row| builtin::PLANS.get(usize::from(row))).map(|row| row.1);
        if source != Some(pattern.as_str()) {
            return None;
        }
    }
    Some(set)
}

/// A stored analysis: key, pattern source, and (`None` if it is searched whole) its branches, how
/// many of its finder's literals are theirs (see [`super::plan::Split::tables`]), and the plan's
/// tables, so that a built-in pattern's plan is borrowed, not built.
type PlanRow = (u64, &'static str, Option<(&'static [Stored], u32, Tables<Owner>)>);

/// An owner in a plan's table, written short: branch, then flags as for [`o`].
const fn w(branch: u32, flags: u8) -> Owner {
    o(0, branch, flags).1
}

/// The flags [`o`] and [`w`] take for `owner`.
fn owner_flags(owner: &Owner) -> u8 {
    let via = match owner.via {
        Via::Anchor => 0,
        Via::Inner => 2,
        Via::StartHint => 4,
    };
    via | u8::from(owner.word_start)
}
/// A stored matcher: key, branch pattern, and (case flag, matcher or `None` if the branch is
/// left to automata).
type MatcherRow = (u64, &'static str, (bool, Option<exact::Static>));

/// The entry keyed `hash` in `table` (sorted by key) if it is `source`'s.
fn find<T>(table: &'static [(u64, &'static str, T)], hash: u64, source: &str) -> Option<&'static T> {
    let at = table.binary_search_by_key(&hash, |row| row.0).ok()?;
    table.get(at).filter(|row| row.1 == source).map(|row| &row.2)
}

/// A piece of a stored branch pattern: text, or the range of the pattern's source it repeats
/// (a branch is mostly a stretch of its pattern, with a boundary or a group around it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Range(u32, u32),
}

/// Shortest stretch of the source stored as a range rather than as text.
const MIN_RANGE: usize = 8;

impl<'a> Piece<'a> {
    /// `pattern` in pieces, taking from `source` every stretch of at least [`MIN_RANGE`] bytes
    /// it has (longest first, from the left).
    fn split(pattern: &'a str, source: &str) -> Vec<Piece<'a>> {
        let mut out = Vec::new();
        let mut text_start = 0;
        let mut at = 0;
        while let Some(rest) = pattern.get(at..).filter(|r| !r.is_empty()) {
            match longest_prefix_in(rest, source) {
                Some((start, len)) if len >= MIN_RANGE => {
                    let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(start + len)) else {
                        return vec![Piece::Text(pattern)];
                    };
                    if let Some(text) = pattern.get(text_start..at).filter(|t| !t.is_empty()) {
                        out.push(Piece::Text(text));
                    }
                    out.push(Piece::Range(start, end));
                    at += len;
                    text_start = at;
                }
                _ => at += rest.chars().next().map_or(1, char::len_utf8),
            }
        }
        if let Some(text) = pattern.get(text_start..).filter(|t| !t.is_empty()) {
            out.push(Piece::Text(text));
        }
        out
    }

    /// The pattern the pieces make with `source`; `None` if a range is not in it.
    fn join(pieces: &[Piece<'_>], source: &str) -> Option<String> {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Range(start, end) => out.push_str(source.get(*start as usize..*end as usize)?),
            }
        }
        Some(out)
    }

    /// The pieces as a Rust slice expression (`Text` and `Range` in scope).
    fn write_all(pieces: &[Piece<'_>], out: &mut String) {
        out.push_str("&[");
        for (i, piece) in pieces.iter().enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            let _ = match piece {
                Piece::Text(text) => write!(out, "Text({text:?})"),
                Piece::Range(start, end) => write!(out, "Range({start}, {end})"),
            };
        }
        out.push(']');
    }
}

/// Where the longest prefix of `rest` occurs in `source`, and its length (found by halving:
/// every prefix of a prefix that occurs occurs too).
fn longest_prefix_in(rest: &str, source: &str) -> Option<(usize, usize)> {
    let mut found = None;
    let (mut lo, mut hi) = (0, rest.len());
    while lo < hi {
        let mut mid = lo + (hi - lo).div_ceil(2);
        while !rest.is_char_boundary(mid) {
            mid += 1;
        }
        if mid > hi {
            break;
        }
        match rest.get(..mid).and_then(|prefix| source.find(prefix)) {
            Some(start) => {
                found = Some((start, mid));
                lo = mid;
            }
            None => hi = mid - 1,
        }
    }
    found
}

/// A [`Branch`] built into the binary: its pattern in pieces, and the kind of its literals (the
/// literals themselves are in the plan's [`Tables`]).
struct Stored(&'static [Piece<'static>], StoredLiterals);

/// The kind of a stored branch's literals (see [`Literals`]).
enum StoredLiterals {
    /// Anchors: a match starts at one.
    Anchors,
    /// Literals every match contains.
    Required,
    /// A start-only branch: the prefixes it needs, whether it skips leading space, and the
    /// literals it contains (see [`AtStart`]).
    AtStart(Option<&'static [&'static [u8]]>, bool, Option<&'static [&'static [u8]]>),
    /// No literal: a filter finds where it can match (worked out from the branch when used).
    Filtered,
}

/// `bytes` as a Rust byte-string literal.
fn write_bytes(bytes: &[u8], out: &mut String) {
    out.push_str("b\"");
    for &byte in bytes {
        match byte {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(byte));
            }
            0x20..=0x7e => out.push(char::from(byte)),
            _ => {
                let _ = write!(out, "\\x{byte:02x}");
            }
        }
    }
    out.push('"');
}

/// A list of literals as a Rust slice of byte strings.
fn write_byte_list(list: &[Vec<u8>], out: &mut String) {
    out.push_str("&[");
    for (i, bytes) in list.iter().enumerate() {
        out.push_str(if i == 0 { "" } else { ", " });
        write_bytes(bytes, out);
    }
    out.push(']');
}

/// `branch` as the Rust expression of a [`Stored`], its pattern in pieces of `source`.
fn write_branch(branch: &Branch, source: &str, out: &mut String) -> Option<()> {
    out.push_str("Stored(");
    Piece::write_all(&Piece::split(&branch.pattern, source), out);
    out.push_str(", ");
    match &branch.literals {
        Literals::Anchors(_) => out.push_str("Anchors"),
        Literals::Required(_) => out.push_str("Required"),
        Literals::Filtered => out.push_str("Filtered"),
        Literals::AtStart(start) => {
            out.push_str("AtStart(");
            let optional = |list: &Option<Vec<Vec<u8>>>, out: &mut String| match list {
                Some(list) => {
                    out.push_str("Some(");
                    write_byte_list(list, out);
                    out.push(')');
                }
                None => out.push_str("None"),
            };
            optional(&start.prefixes, out);
            let _ = write!(out, ", {}, ", start.skip_space);
            optional(&start.required, out);
            out.push(')');
        }
    }
    out.push(')');
    Some(())
}

/// The plan of `source` from its stored analysis and tables; `None` if it has none. Only each
/// branch's pattern is put together (and a start-only branch's needs copied); the literals, the
/// finder and the owners are borrowed.
pub(super) fn stored_plan(source: &str) -> Option<Plan> {
    note(source);
    let Some((stored, count, tables)) = find(builtin::PLANS, hash(source), source)? else {
        return Some(Plan::Whole);
    };
    let mut branches = Vec::with_capacity(stored.len());
    let mut starts = Vec::new();
    let mut filtered = Vec::new();
    for (index, branch) in (0u32..).zip(stored.iter()) {
        let pattern = Piece::join(branch.0, source)?;
        if let StoredLiterals::Filtered = branch.1 {
            filtered.push((index, super::starts::Filter::for_branch(&pattern)?));
        }
        if let StoredLiterals::AtStart(prefixes, skip_space, required) = branch.1 {
            let owned = |list: &[&[u8]]| list.iter().map(|bytes| bytes.to_vec()).collect();
            starts.push((index, AtStart { prefixes: prefixes.map(owned), skip_space, required: required.map(owned) }));
        }
        branches.push(plan::Branch::new(pattern, !matches!(branch.1, StoredLiterals::Required)));
    }
    let split = plan::Split::stored(branches, starts, *count as usize, tables.finder(), tables.owners(), filtered);
    Some(Plan::Split(Box::new(split)))
}

/// True if `source` has a stored analysis, so it is known to parse.
pub(super) fn is_stored(source: &str) -> bool {
    find(builtin::PLANS, hash(source), source).is_some()
}

/// The stored matcher of branch `pattern` compiled with `options`: `None` if there is none
/// stored, `Some(None)` if the branch is left to automata.
pub(super) fn matcher(pattern: &str, options: Options) -> Option<Option<Exact>> {
    note_matcher(pattern, options.case_insensitive);
    let (case_insensitive, stored) = find(builtin::MATCHERS, matcher_hash(pattern, options.case_insensitive), pattern)?;
    if *case_insensitive != options.case_insensitive {
        return None;
    }
    match stored {
        None => Some(None),
        Some(stored) => Exact::load(stored, builtin::CLASSES).map(Some),
    }
}

/// The key of a branch's matcher: the hash of its case flag (`0` or `1`) and its pattern.
fn matcher_hash(pattern: &str, case_insensitive: bool) -> u64 {
    let mut hasher = super::Fnv::default();
    std::hash::Hasher::write(&mut hasher, if case_insensitive { b"1" } else { b"0" });
    std::hash::Hasher::write(&mut hasher, pattern.as_bytes());
    std::hash::Hasher::finish(&hasher)
}

/// FNV-1a, 64 bits: stable across machines and builds, unlike the standard hasher.
fn hash(text: &str) -> u64 {
    let mut hasher = super::Fnv::default();
    std::hash::Hasher::write(&mut hasher, text.as_bytes());
    std::hash::Hasher::finish(&hasher)
}

static RECORDING: AtomicBool = AtomicBool::new(false);
static RECORDED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
static RECORDED_MATCHERS: Mutex<BTreeSet<(String, bool)>> = Mutex::new(BTreeSet::new());

/// Starts noting the source of every pattern analysed (or looked up) from now on, in every
/// thread; [`recorded`] returns them. For making the file.
pub fn start_recording() {
    RECORDING.store(true, Ordering::SeqCst);
}

/// The file's contents for the patterns and branches noted since [`start_recording`], and the
/// pattern set of `slots` (the built-in rules' patterns by rule index, as a linter running
/// every rule has them), whose patterns are noted too.
pub fn recorded_file(slots: &[Option<&Pattern>]) -> String {
    let mut recorded = RECORDED.lock().unwrap_or_else(PoisonError::into_inner);
    recorded.extend(slots.iter().flatten().map(|pattern| pattern.as_str().to_owned()));
    let sources: Vec<String> = recorded.iter().cloned().collect();
    drop(recorded);
    let matchers: Vec<(String, bool)> =
        RECORDED_MATCHERS.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect();
    file_for(&sources, &matchers, slots)
}

fn note_matcher(pattern: &str, case_insensitive: bool) {
    if RECORDING.load(Ordering::Relaxed) {
        RECORDED_MATCHERS.lock().unwrap_or_else(PoisonError::into_inner).insert((pattern.to_owned(), case_insensitive));
    }
}

fn note(source: &str) {
    if RECORDING.load(Ordering::Relaxed) {
        RECORDED.lock().unwrap_or_else(PoisonError::into_inner).insert(source.to_owned());
    }
}

/// The file's contents for pattern `sources` and branch `matchers` (source, case flag): the
/// tables `PLANS` (key, source, branches or `None` if searched whole) and `MATCHERS` (key,
/// pattern, (case flag, matcher or `None` if left to automata)), each sorted by key, then the
/// shared class table `CLASSES`, and the pattern set of `slots` as `SET` (see [`StoredSet`]).
fn file_for(sources: &[String], matchers: &[(String, bool)], slots: &[Option<&Pattern>]) -> String {
    let mut plans: Vec<(u64, String)> = Vec::new();
    for source in sources {
        let mut row = format!("    ({:#018x}, {source:?}, ", hash(source));
        match prefix::analyse(source) {
            Some(branches) => {
                row.push_str("Some((&[");
                let mut written = Some(());
                for (i, branch) in branches.iter().enumerate() {
                    row.push_str(if i == 0 { "" } else { ", " });
                    written = written.and_then(|()| write_branch(branch, source, &mut row));
                }
                row.push_str("], ");
                written = written.and_then(|()| match Plan::from_branches(Some(branches)) {
                    Plan::Split(split) => {
                        let (count, finder, owners) = split.tables();
                        let _ = write!(row, "{count}, ");
                        write_tables(
                            finder,
                            owners,
                            |o| format!("w({}, {})", o.branch, owner_flags(o)),
                            None,
                            &mut row,
                        );
                        Some(())
                    }
                    Plan::Whole => None,
                });
                if written.is_none() {
                    // Not storable (an anchor list past 2 GB): analysed at run time.
                    continue;
                }
                row.push_str("))");
            }
            None => row.push_str("None"),
        }
        row.push_str("),\n");
        plans.push((hash(source), row));
    }
    // Classes are numbered in the order the matchers are written: always the same order.
    let mut matchers: Vec<&(String, bool)> = matchers.iter().collect();
    matchers.sort();
    matchers.dedup();
    let mut classes = Vec::new();
    let mut stored_matchers: Vec<(u64, String)> = Vec::new();
    for (pattern, case_insensitive) in matchers {
        let options = Options::case_insensitive(*case_insensitive);
        let key = matcher_hash(pattern, *case_insensitive);
        let mut row = format!("    ({key:#018x}, {pattern:?}, ({case_insensitive}, ");
        match Exact::expand(pattern, options) {
            Some(exact) => {
                row.push_str("Some(");
                exact.write_static(&mut classes, &mut row);
                row.push(')');
            }
            None => row.push_str("None"),
        }
        row.push_str(")),\n");
        stored_matchers.push((key, row));
    }
    plans.sort();
    stored_matchers.sort();
    let mut out = String::from(
        "// The analyses of the built-in patterns and the matchers of their branches, made ahead of\n\
         // time (see `cache.rs`). Made by `PITCHLINT_UPDATE_PLANS=1 cargo test --release --test\n\
         // plans`: do not edit.\n\n",
    );
    out.push_str("pub(super) static PLANS: &[PlanRow] = &[\n");
    plans.iter().for_each(|(_, row)| out.push_str(row));
    out.push_str("];\n\npub(super) static MATCHERS: &[MatcherRow] = &[\n");
    stored_matchers.iter().for_each(|(_, row)| out.push_str(row));
    out.push_str("];\n\npub(super) static CLASSES: &[&[(char, char)]] = &[\n");
    for class in classes {
        out.push_str("    &[");
        for (i, (lo, hi)) in class.iter().enumerate() {
            let _ = write!(out, "{}({lo:?}, {hi:?})", if i == 0 { "" } else { ", " });
        }
        out.push_str("],\n");
    }
    out.push_str("];\n\npub(super) static SET: Option<StoredSet> = ");
    let rows: Vec<u64> = plans.iter().map(|(key, _)| *key).collect();
    match write_set(slots, &rows) {
        Some(set) => out.push_str(&set),
        None => out.push_str("None;\n"),
    }
    out
}

/// `items` as a Rust slice expression, `wrap` items to a line if given (on one line if not).
fn write_list<T>(items: &[T], wrap: Option<usize>, out: &mut String, item: impl Fn(&T) -> String) {
    out.push_str("&[");
    for (i, value) in items.iter().enumerate() {
        let sep = match wrap {
            Some(_) if i == 0 => "\n        ",
            Some(per_line) if i % per_line == 0 => ",\n        ",
            _ if i == 0 => "",
            _ => ", ",
        };
        out.push_str(sep);
        out.push_str(&item(value));
    }
    out.push_str(if wrap.is_some() && !items.is_empty() { ",\n    ]" } else { "]" });
}

/// A finder's parts and its owners' (see [`Tables`]) as the Rust expression of a `Tables`,
/// each owner written by `owner`; lists wrapped as [`write_list`] does.
fn write_tables<O>(
    (literals, keyed, short): (&Packed, &[(u16, u32)], &[u32]),
    (owner_starts, owners): (&[u32], &[O]),
    owner: impl Fn(&O) -> String,
    wrap: Option<usize>,
    out: &mut String,
) {
    let (field, close) = if wrap.is_some() { (",\n    ", "\n}") } else { (", ", " }") };
    let (bytes, ends) = literals.parts();
    out.push_str("Tables { bytes: ");
    write_bytes(bytes, out);
    let number = |n: &u32| n.to_string();
    for (name, list) in [("ends", ends), ("short", short), ("owner_starts", owner_starts)] {
        let _ = write!(out, "{field}{name}: ");
        write_list(list, wrap, out, number);
        if name == "ends" {
            let _ = write!(out, "{field}keyed: ");
            write_list(keyed, wrap.map(|n| n / 2), out, |(key, id)| format!("({key}, {id})"));
        }
    }
    let _ = write!(out, "{field}owners: ");
    write_list(owners, wrap.map(|n| n / 2), out, owner);
    out.push_str(close);
}

/// The pattern set of `slots` as the Rust expression of a `Some(StoredSet)`, each slot's
/// pattern given by its row among the plans keyed `rows`; `None` if a slot's is not there.
fn write_set(slots: &[Option<&Pattern>], rows: &[u64]) -> Option<String> {
    let mut slot_rows = Vec::with_capacity(slots.len());
    for pattern in slots {
        slot_rows.push(match pattern {
            Some(pattern) => {
                let key = hash(pattern.as_str());
                Some(u16::try_from(rows.binary_search(&key).ok()?).ok()?)
            }
            None => None,
        });
    }
    PatternSet::analyse(slots);
    let set = PatternSet::new(slots);
    let parts = set.parts();
    let needs_literal: Vec<bool> = slots.iter().map(|p| p.is_some_and(Pattern::needs_literal)).collect();
    let wrap = Some(16);
    let mut out = String::from("Some(StoredSet {\n    slots: ");
    write_list(&slot_rows, wrap, &mut out, |row| row.map_or_else(|| "None".to_owned(), |row| format!("Some({row})")));
    out.push_str(",\n    needs_literal: ");
    write_list(&needs_literal, wrap, &mut out, bool::to_string);
    out.push_str(",\n    split: ");
    write_list(parts.split, wrap, &mut out, bool::to_string);
    out.push_str(",\n    tables: ");
    let owner = |(slot, owner): &(u32, Owner)| format!("o({slot}, {}, {})", owner.branch, owner_flags(owner));
    write_tables(parts.finder, parts.owners, owner, wrap, &mut out);
    out.push_str(",\n});\n");
    Some(out)
}

/// The file as built into this binary.
pub fn current_file() -> &'static str {
    FILE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_analysis_is_the_analysis_of_its_source() {
        assert!(builtin::PLANS.len() > 50, "the file holds the built-in patterns");
        assert!(builtin::PLANS.windows(2).all(|w| w[0].0 < w[1].0), "sorted by key, each once");
        assert!(!builtin::CLASSES.is_empty());
        let mut ranges = 0;
        for (key, source, branches) in builtin::PLANS {
            assert_eq!(*key, hash(source), "{source}");
            ranges += branches
                .iter()
                .flat_map(|(b, _, _)| b.iter())
                .filter(|b| b.0.iter().any(|p| matches!(p, Piece::Range(..))))
                .count();
            // The stored plan is the one the analysis makes: branches, start-only branches and
            // tables.
            if let (Some(Plan::Split(stored)), Plan::Split(made)) =
                (stored_plan(source), Plan::from_branches(prefix::analyse(source)))
            {
                let shape = |split: &plan::Split| {
                    split.branches.iter().map(|b| (b.pattern.clone(), b.anchored)).collect::<Vec<_>>()
                };
                assert_eq!(shape(&stored), shape(&made), "{source}");
                assert_eq!(stored.starts, made.starts, "{source}");
                assert!(stored.tables() == made.tables(), "{source}");
            } else {
                assert!(branches.is_none() && prefix::analyse(source).is_none(), "{source}");
            }
            assert!(is_stored(source), "{source}");
            assert!(!is_stored(&format!("{source}x")), "{source}");
        }
        assert!(ranges > 100, "branch patterns are stored as ranges of their source");
    }

    #[test]
    fn every_stored_matcher_is_the_matcher_of_its_branch() {
        assert!(builtin::MATCHERS.len() > 100, "the file holds the built-in branches");
        assert!(builtin::MATCHERS.windows(2).all(|w| w[0].0 < w[1].0), "sorted by key, each once");
        for (key, pattern, (case_insensitive, _)) in builtin::MATCHERS {
            assert_eq!(*key, matcher_hash(pattern, *case_insensitive), "{pattern}");
            let options = Options::case_insensitive(*case_insensitive);
            assert_eq!(matcher(pattern, options), Some(Exact::expand(pattern, options)), "{pattern}");
        }
    }

    #[test]
    fn an_unknown_or_edited_pattern_is_not_found() {
        assert!(stored_plan("(?-u:\\b)surely not a built-in pattern(?-u:\\b)").is_none());
        let source = builtin::PLANS.first().map_or("", |row| row.1);
        assert!(stored_plan(source).is_some());
        assert!(stored_plan(&format!("{source} ")).is_none());
    }

    #[test]
    fn the_file_is_the_tables_built_in() {
        // Regenerating the file from the sources and branches it holds gives it back.
        let sources: Vec<String> = builtin::PLANS.iter().map(|row| row.1.to_owned()).collect();
        let matchers: Vec<(String, bool)> = builtin::MATCHERS.iter().map(|row| (row.1.to_owned(), row.2.0)).collect();
        let rules = std::sync::Arc::new(crate::rules::RuleSet::builtin().unwrap_or_else(|e| panic!("{e:?}")));
        let linter = crate::engine::Linter::all(rules);
        assert!(
            file_for(&sources, &matchers, &linter.pattern_slots()) == FILE,
            "file_for does not reproduce builtin_plans.rs"
        );
    }

    #[test]
    fn literals_and_text_survive_as_rust_literals() {
        let mut out = String::new();
        write_bytes(b"a\"b\\c\xe2\x80\x99\n", &mut out);
        assert_eq!(out, r#"b"a\"b\\c\xe2\x80\x99\x0a""#);
        let branch = Branch {
            pattern: r"(?-u:\b)send them\s+my way".to_owned(),
            literals: Literals::Anchors(vec![
                prefix::Anchor { bytes: b"send".to_vec(), word_start: true },
                prefix::Anchor { bytes: "s\u{e9}".as_bytes().to_vec(), word_start: false },
            ]),
        };
        let mut out = String::new();
        assert_eq!(write_branch(&branch, r"xx(?-u:\b)send them\s+my wayyy", &mut out), Some(()));
        assert_eq!(out, r#"Stored(&[Range(2, 28)], Anchors)"#);
    }

    #[test]
    fn pieces_rebuild_the_pattern() {
        let source = r"(?-u:\b)(?:send them my way|introduce me to)(?-u:\b)";
        for pattern in [r"(?-u:\b)(?:introduce me to)(?-u:\b)", "nothing in common", "", "é send them my way ü"] {
            let pieces = Piece::split(pattern, source);
            assert_eq!(Piece::join(&pieces, source).as_deref(), Some(pattern), "{pieces:?}");
        }
        let pieces = Piece::split(r"(?-u:\b)(?:introduce me to)(?-u:\b)", source);
        assert!(pieces.iter().any(|p| matches!(p, Piece::Range(..))), "{pieces:?}");
        // A range past the end of the source rebuilds nothing.
        assert_eq!(Piece::join(&[Piece::Range(0, 400)], source), None);
    }
}
