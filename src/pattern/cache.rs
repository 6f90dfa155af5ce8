//! The analyses of the built-in patterns, made ahead of time.
//!
//! Analysing a pattern (see [`super::prefix`]) parses its syntax tree and works out its literal
//! sets: about a quarter of a millisecond for a typical rule, and most of the time a single
//! pitch takes when every built-in rule runs. `builtin-plans.jsonl` holds the analysis of every
//! pattern the built-in rules and lexicons use, one line each, keyed by a hash of the pattern's
//! source, so a run only decodes the lines it needs. A pattern that is not there (a user's
//! rule, or a built-in one edited since the file was made) is analysed as before, so the file
//! can only ever make things faster, never different: an entry is used only if its source is
//! the pattern's, byte for byte.
//!
//! The file also holds, for every branch the built-in rules tried, its phrase matcher (see
//! [`super::exact`]), so that a run does not translate the branch's syntax either.
//!
//! Each line is `<key>\t<source as a JSON string>\t<JSON>`: a lookup compares the source as
//! written and decodes only what follows, and a branch's pattern is stored as pieces of its
//! pattern's source where it can be (see [`Piece`]), since decoding long, backslash-laden
//! strings was most of the cost of reading the file.
//!
//! `tests/plans.rs` fails when the file is out of date; `PITCHLINT_UPDATE_PLANS=1 cargo test
//! --test plans` rewrites it (see [`recorded_file`] and [`start_recording`]).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::Options;
use super::exact::{self, Exact};
use super::prefix::{self, Anchor, AtStart, Branch, Literals};

/// The stored analyses: `<hash>\t<source>\t<json>` lines (see [`file_for`]).
static FILE: &str = include_str!("builtin-plans.jsonl");

// The tables `PLAN_LINES` and `MATCHER_LINES`, and the class table `CLASSES` (see build.rs).
include!(concat!(env!("OUT_DIR"), "/builtin_plans.rs"));

/// The JSON of the line keyed `hash` in `table` (sorted by key).
fn find(table: &[(u64, u32, u32)], hash: u64) -> Option<&'static str> {
    let at = table.binary_search_by_key(&hash, |row| row.0).ok()?;
    table.get(at).and_then(|&(_, start, end)| line((start, end)))
}

fn line((start, end): (u32, u32)) -> Option<&'static str> {
    FILE.get(start as usize..end as usize)
}

/// What follows the source on the line keyed `hash` in `table`, if that line is `source`'s
/// (compared as written, without decoding it).
fn keyed(table: &[(u64, u32, u32)], hash: u64, source: &str) -> Option<&'static str> {
    let (quoted, payload) = find(table, hash)?.split_once('\t')?;
    (serde_json::to_string(source).ok()? == quoted).then_some(payload)
}

/// A piece of a stored branch pattern: text, or the range of the pattern's source it repeats
/// (a branch is mostly a stretch of its pattern, with a boundary or a group around it).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Range(u32, u32),
}

/// Shortest stretch of the source stored as a range rather than as text.
const MIN_RANGE: usize = 8;

impl Piece {
    /// `pattern` in pieces, taking from `source` every stretch of at least [`MIN_RANGE`] bytes
    /// it has (longest first, from the left).
    fn split(pattern: &str, source: &str) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut at = 0;
        while let Some(rest) = pattern.get(at..).filter(|r| !r.is_empty()) {
            match longest_prefix_in(rest, source) {
                Some((start, len)) if len >= MIN_RANGE => {
                    if !text.is_empty() {
                        out.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(start + len)) else {
                        return vec![Piece::Text(pattern.to_owned())];
                    };
                    out.push(Piece::Range(start, end));
                    at += len;
                }
                _ => {
                    let Some(c) = rest.chars().next() else { break };
                    text.push(c);
                    at += c.len_utf8();
                }
            }
        }
        if !text.is_empty() {
            out.push(Piece::Text(text));
        }
        out
    }

    /// The pattern the pieces make with `source`; `None` if a range is not in it.
    fn join(pieces: &[Piece], source: &str) -> Option<String> {
        let mut out = String::new();
        for piece in pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Range(start, end) => out.push_str(source.get(*start as usize..*end as usize)?),
            }
        }
        Some(out)
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

/// Stored as a JSON string or a `[start, end]` pair.
impl Serialize for Piece {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Piece::Text(text) => s.serialize_str(text),
            Piece::Range(start, end) => (start, end).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Piece {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Piece;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a [start, end] pair")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Piece, E> {
                Ok(Piece::Text(text.to_owned()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Piece, A::Error> {
                let missing = || serde::de::Error::custom("a range needs a start and an end");
                let start = seq.next_element()?.ok_or_else(missing)?;
                let end = seq.next_element()?.ok_or_else(missing)?;
                Ok(Piece::Range(start, end))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A [`Branch`] with its literals as text (they are UTF-8 whenever they come from a pattern
/// written as text; a pattern with one that is not is simply not stored).
#[derive(Serialize, Deserialize)]
struct StoredBranch {
    pattern: Vec<Piece>,
    /// Not flattened into the branch: serde buffers a flattened field's whole map first, which
    /// made decoding the file the largest part of starting up.
    literals: StoredLiterals,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum StoredLiterals {
    /// The anchors written one after another, and for each where it ends, doubled, plus one
    /// if it needs a word start: a branch has up to hundreds, and one string and a list of
    /// numbers take 40% less room than a pair for each, and are quicker to decode.
    Anchors(String, Vec<u32>),
    Required(Vec<String>),
    AtStart {
        prefixes: Option<Vec<String>>,
        skip_space: bool,
        required: Option<Vec<String>>,
    },
}

impl StoredBranch {
    fn new(branch: &Branch, source: &str) -> Option<Self> {
        let text = |bytes: &Vec<u8>| String::from_utf8(bytes.clone()).ok();
        let texts = |list: &Vec<Vec<u8>>| list.iter().map(text).collect::<Option<Vec<_>>>();
        let literals = match &branch.literals {
            Literals::Anchors(anchors) => {
                let mut all = String::new();
                let mut ends = Vec::with_capacity(anchors.len());
                for anchor in anchors {
                    all.push_str(std::str::from_utf8(&anchor.bytes).ok()?);
                    let end = u32::try_from(all.len()).ok().filter(|&end| end < 1 << 31)?;
                    ends.push(end << 1 | u32::from(anchor.word_start));
                }
                StoredLiterals::Anchors(all, ends)
            }
            Literals::Required(required) => StoredLiterals::Required(texts(required)?),
            Literals::AtStart(start) => StoredLiterals::AtStart {
                prefixes: match &start.prefixes {
                    Some(list) => Some(texts(list)?),
                    None => None,
                },
                skip_space: start.skip_space,
                required: match &start.required {
                    Some(list) => Some(texts(list)?),
                    None => None,
                },
            },
        };
        Some(Self { pattern: Piece::split(&branch.pattern, source), literals })
    }

    fn into_branch(self, source: &str) -> Option<Branch> {
        let bytes = |list: Vec<String>| list.into_iter().map(String::into_bytes).collect();
        let literals = match self.literals {
            StoredLiterals::Anchors(all, ends) => {
                let mut start = 0;
                let mut anchors = Vec::with_capacity(ends.len());
                for packed in ends {
                    let end = (packed >> 1) as usize;
                    anchors
                        .push(Anchor { bytes: all.as_bytes().get(start..end)?.to_vec(), word_start: packed & 1 == 1 });
                    start = end;
                }
                Literals::Anchors(anchors)
            }
            StoredLiterals::Required(required) => Literals::Required(bytes(required)),
            StoredLiterals::AtStart { prefixes, skip_space, required } => {
                Literals::AtStart(AtStart { prefixes: prefixes.map(bytes), skip_space, required: required.map(bytes) })
            }
        };
        Some(Branch { pattern: Piece::join(&self.pattern, source)?, literals })
    }
}

/// The stored analysis of `source`: `None` if there is none, `Some(None)` if the pattern is
/// searched whole.
pub(super) fn lookup(source: &str) -> Option<Option<Vec<Branch>>> {
    note(source);
    let payload = keyed(PLAN_LINES, hash(source), source)?;
    let stored: Option<Vec<StoredBranch>> = serde_json::from_str(payload).ok()?;
    match stored {
        None => Some(None),
        Some(branches) => branches.into_iter().map(|b| b.into_branch(source)).collect::<Option<Vec<_>>>().map(Some),
    }
}

/// True if `source` has a stored analysis, so it is known to parse (checked without decoding
/// the entry).
pub(super) fn is_stored(source: &str) -> bool {
    keyed(PLAN_LINES, hash(source), source).is_some()
}

/// A branch's matcher as stored (see [`super::exact`]), after the branch's pattern.
#[derive(Serialize, Deserialize)]
struct MatcherEntry {
    case_insensitive: bool,
    /// `None`: the branch is not one the matcher takes.
    exact: Option<exact::Stored>,
}

/// The stored matcher of branch `pattern` compiled with `options`: `None` if there is none
/// stored, `Some(None)` if the branch is left to automata.
pub(super) fn matcher(pattern: &str, options: Options) -> Option<Option<Exact>> {
    note_matcher(pattern, options.case_insensitive);
    let payload = keyed(MATCHER_LINES, matcher_hash(pattern, options.case_insensitive), pattern)?;
    let entry: MatcherEntry = serde_json::from_str(payload).ok()?;
    if entry.case_insensitive != options.case_insensitive {
        return None;
    }
    match entry.exact {
        None => Some(None),
        Some(stored) => Exact::load(stored, CLASSES).map(Some),
    }
}

fn matcher_hash(pattern: &str, case_insensitive: bool) -> u64 {
    hash(&format!("{}{pattern}", u8::from(case_insensitive)))
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

/// The file's contents for the patterns and branches noted since [`start_recording`].
pub fn recorded_file() -> String {
    let sources: Vec<String> = RECORDED.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect();
    let matchers: Vec<(String, bool)> =
        RECORDED_MATCHERS.lock().unwrap_or_else(PoisonError::into_inner).iter().cloned().collect();
    file_for(&sources, &matchers)
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

/// The file's contents for pattern `sources` and branch `matchers` (source, case flag): one
/// line per pattern, one per branch, then the shared class table.
fn file_for(sources: &[String], matchers: &[(String, bool)]) -> String {
    let mut out = String::new();
    let mut push = |key: String, source: &str, payload: serde_json::Result<String>| {
        if let (Ok(quoted), Ok(payload)) = (serde_json::to_string(source), payload) {
            out.push_str(&format!("{key}\t{quoted}\t{payload}\n"));
        }
    };
    for source in sources {
        let branches = match prefix::analyse(source) {
            Some(branches) => match branches.iter().map(|b| StoredBranch::new(b, source)).collect::<Option<Vec<_>>>() {
                Some(stored) => Some(stored),
                None => continue,
            },
            None => None,
        };
        push(format!("{:016x}", hash(source)), source, serde_json::to_string(&branches));
    }
    let mut classes = Vec::new();
    for (pattern, case_insensitive) in matchers {
        let options = Options::case_insensitive(*case_insensitive);
        let exact = Exact::expand(pattern, options).map(|e| e.store(&mut classes));
        let entry = MatcherEntry { case_insensitive: *case_insensitive, exact };
        push(format!("x{:016x}", matcher_hash(pattern, *case_insensitive)), pattern, serde_json::to_string(&entry));
    }
    let classes: Vec<String> = classes
        .iter()
        .map(|class| {
            let ranges: Vec<String> =
                class.iter().map(|&(lo, hi)| format!("{:x}-{:x}", u32::from(lo), u32::from(hi))).collect();
            ranges.join(" ")
        })
        .collect();
    out.push_str(&format!("classes\t{}\n", classes.join(";")));
    out
}

/// The file as built into this binary.
pub fn current_file() -> &'static str {
    FILE
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source and payload of each line of `table`.
    fn entries(table: &[(u64, u32, u32)]) -> Vec<(String, &'static str)> {
        table
            .iter()
            .filter_map(|&(_, start, end)| line((start, end)))
            .map(|line| {
                let (quoted, payload) = line.split_once('\t').unwrap_or_else(|| panic!("no source: {line}"));
                let source: String = serde_json::from_str(quoted).unwrap_or_else(|e| panic!("{e}: {quoted}"));
                (source, payload)
            })
            .collect()
    }

    #[test]
    fn every_stored_analysis_is_the_analysis_of_its_source() {
        assert!(PLAN_LINES.len() > 50, "the file holds the built-in patterns");
        let lines = FILE.lines().filter(|l| l.contains('\t')).count();
        assert_eq!(lines, PLAN_LINES.len() + MATCHER_LINES.len() + 1, "build.rs indexes every line");
        assert!(!CLASSES.is_empty());
        let mut ranges = 0;
        for (source, payload) in entries(PLAN_LINES) {
            ranges += payload.matches("[[").count();
            let stored = lookup(&source);
            assert_eq!(stored, Some(prefix::analyse(&source)), "{source}");
            assert!(is_stored(&source), "{source}");
            assert!(!is_stored(&format!("{source}x")), "{source}");
        }
        assert!(ranges > 100, "branch patterns are stored as ranges of their source");
    }

    #[test]
    fn every_stored_matcher_is_the_matcher_of_its_branch() {
        assert!(MATCHER_LINES.len() > 100, "the file holds the built-in branches");
        for (pattern, payload) in entries(MATCHER_LINES) {
            let entry: MatcherEntry = serde_json::from_str(payload).unwrap_or_else(|e| panic!("{e}: {payload}"));
            let options = Options::case_insensitive(entry.case_insensitive);
            assert_eq!(matcher(&pattern, options), Some(Exact::expand(&pattern, options)), "{pattern}");
        }
    }

    #[test]
    fn an_unknown_or_edited_pattern_is_not_found() {
        assert_eq!(lookup("(?-u:\\b)surely not a built-in pattern(?-u:\\b)"), None);
        let (source, _) = entries(PLAN_LINES).into_iter().next().unwrap_or_default();
        assert_eq!(lookup(&format!("{source} ")), None);
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
        let json = serde_json::to_string(&pieces).unwrap_or_default();
        assert_eq!(serde_json::from_str::<Vec<Piece>>(&json).ok(), Some(pieces));
    }
}
