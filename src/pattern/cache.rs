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
//! `tests/plans.rs` fails when the file is out of date; `PITCHLINT_UPDATE_PLANS=1 cargo test
//! --test plans` rewrites it (see [`recorded_file`] and [`start_recording`]).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{LazyLock, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::Options;
use super::exact::{self, Exact};
use super::prefix::{self, Anchor, AtStart, Branch, Literals};

/// The stored analyses: `<hash>\t<json>` lines (see [`file_for`]).
static FILE: &str = include_str!("builtin-plans.jsonl");

// The tables `PLAN_LINES`, `MATCHER_LINES` and `CLASSES_LINE` (see build.rs).
include!(concat!(env!("OUT_DIR"), "/builtin_plans.rs"));

/// The classes the stored matchers share (the line `classes`).
static CLASSES: LazyLock<Vec<Vec<(char, char)>>> =
    LazyLock::new(|| line(CLASSES_LINE).and_then(|json| serde_json::from_str(json).ok()).unwrap_or_default());

/// The JSON of the line keyed `hash` in `table` (sorted by key).
fn find(table: &[(u64, u32, u32)], hash: u64) -> Option<&'static str> {
    let at = table.binary_search_by_key(&hash, |row| row.0).ok()?;
    table.get(at).and_then(|&(_, start, end)| line((start, end)))
}

fn line((start, end): (u32, u32)) -> Option<&'static str> {
    FILE.get(start as usize..end as usize)
}

/// One line of the file.
#[derive(Serialize, Deserialize)]
struct Entry {
    source: String,
    /// `None`: only the whole regex can search this pattern.
    branches: Option<Vec<StoredBranch>>,
}

/// A [`Branch`] with its literals as text (they are UTF-8 whenever they come from a pattern
/// written as text; a pattern with one that is not is simply not stored).
#[derive(Serialize, Deserialize)]
struct StoredBranch {
    pattern: String,
    /// Not flattened into the branch: serde buffers a flattened field's whole map first, which
    /// made decoding the file the largest part of starting up.
    literals: StoredLiterals,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum StoredLiterals {
    /// (literal, word start)
    Anchors(Vec<(String, bool)>),
    Required(Vec<String>),
    AtStart {
        prefixes: Option<Vec<String>>,
        skip_space: bool,
        required: Option<Vec<String>>,
    },
}

impl StoredBranch {
    fn new(branch: &Branch) -> Option<Self> {
        let text = |bytes: &Vec<u8>| String::from_utf8(bytes.clone()).ok();
        let texts = |list: &Vec<Vec<u8>>| list.iter().map(text).collect::<Option<Vec<_>>>();
        let literals = match &branch.literals {
            Literals::Anchors(anchors) => StoredLiterals::Anchors(
                anchors.iter().map(|a| Some((text(&a.bytes)?, a.word_start))).collect::<Option<_>>()?,
            ),
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
        Some(Self { pattern: branch.pattern.clone(), literals })
    }

    fn into_branch(self) -> Branch {
        let bytes = |list: Vec<String>| list.into_iter().map(String::into_bytes).collect();
        let literals = match self.literals {
            StoredLiterals::Anchors(anchors) => Literals::Anchors(
                anchors.into_iter().map(|(text, word_start)| Anchor { bytes: text.into_bytes(), word_start }).collect(),
            ),
            StoredLiterals::Required(required) => Literals::Required(bytes(required)),
            StoredLiterals::AtStart { prefixes, skip_space, required } => {
                Literals::AtStart(AtStart { prefixes: prefixes.map(bytes), skip_space, required: required.map(bytes) })
            }
        };
        Branch { pattern: self.pattern, literals }
    }
}

/// The stored analysis of `source`: `None` if there is none, `Some(None)` if the pattern is
/// searched whole.
pub(super) fn lookup(source: &str) -> Option<Option<Vec<Branch>>> {
    note(source);
    let json = find(PLAN_LINES, hash(source))?;
    let entry: Entry = serde_json::from_str(json).ok()?;
    (entry.source == source).then(|| entry.branches.map(|b| b.into_iter().map(StoredBranch::into_branch).collect()))
}

/// True if `source` has a stored analysis, so it is known to parse (checked without decoding
/// the entry: its line starts with the source as JSON).
pub(super) fn is_stored(source: &str) -> bool {
    let Some(json) = find(PLAN_LINES, hash(source)) else { return false };
    let Ok(quoted) = serde_json::to_string(source) else { return false };
    json.strip_prefix("{\"source\":").is_some_and(|rest| rest.starts_with(&quoted))
        && json.as_bytes().get("{\"source\":".len() + quoted.len()).is_some_and(|b| matches!(b, b',' | b'}'))
}

/// A branch's matcher as stored (see [`super::exact`]).
#[derive(Serialize, Deserialize)]
struct MatcherEntry {
    pattern: String,
    case_insensitive: bool,
    /// `None`: the branch is not one the matcher takes.
    exact: Option<exact::Stored>,
}

/// The stored matcher of branch `pattern` compiled with `options`: `None` if there is none
/// stored, `Some(None)` if the branch is left to automata.
pub(super) fn matcher(pattern: &str, options: Options) -> Option<Option<Exact>> {
    note_matcher(pattern, options.case_insensitive);
    let json = find(MATCHER_LINES, matcher_hash(pattern, options.case_insensitive))?;
    let entry: MatcherEntry = serde_json::from_str(json).ok()?;
    if entry.pattern != pattern || entry.case_insensitive != options.case_insensitive {
        return None;
    }
    match entry.exact {
        None => Some(None),
        Some(stored) => Exact::load(stored, &CLASSES).map(Some),
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
    for source in sources {
        let branches = match prefix::analyse(source) {
            Some(branches) => match branches.iter().map(StoredBranch::new).collect::<Option<Vec<_>>>() {
                Some(stored) => Some(stored),
                None => continue,
            },
            None => None,
        };
        let entry = Entry { source: source.clone(), branches };
        if let Ok(json) = serde_json::to_string(&entry) {
            out.push_str(&format!("{:016x}\t{json}\n", hash(source)));
        }
    }
    let mut classes = Vec::new();
    for (pattern, case_insensitive) in matchers {
        let options = Options::case_insensitive(*case_insensitive);
        let exact = Exact::expand(pattern, options).map(|e| e.store(&mut classes));
        let entry = MatcherEntry { pattern: pattern.clone(), case_insensitive: *case_insensitive, exact };
        if let Ok(json) = serde_json::to_string(&entry) {
            out.push_str(&format!("x{:016x}\t{json}\n", matcher_hash(pattern, *case_insensitive)));
        }
    }
    if let Ok(json) = serde_json::to_string(&classes) {
        out.push_str(&format!("classes\t{json}\n"));
    }
    out
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
        assert!(PLAN_LINES.len() > 50, "the file holds the built-in patterns");
        let lines = FILE.lines().filter(|l| l.contains('\t')).count();
        assert_eq!(lines, PLAN_LINES.len() + MATCHER_LINES.len() + 1, "build.rs indexes every line");
        assert!(!CLASSES.is_empty());
        for json in PLAN_LINES.iter().filter_map(|&(_, start, end)| line((start, end))) {
            let entry: Entry = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            let stored = lookup(&entry.source);
            assert_eq!(stored, Some(prefix::analyse(&entry.source)), "{}", entry.source);
            assert!(is_stored(&entry.source), "{}", entry.source);
            assert!(!is_stored(&format!("{}x", entry.source)), "{}", entry.source);
        }
    }

    #[test]
    fn every_stored_matcher_is_the_matcher_of_its_branch() {
        assert!(MATCHER_LINES.len() > 100, "the file holds the built-in branches");
        for json in MATCHER_LINES.iter().filter_map(|&(_, start, end)| line((start, end))) {
            let entry: MatcherEntry = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
            let options = Options::case_insensitive(entry.case_insensitive);
            assert_eq!(
                matcher(&entry.pattern, options),
                Some(Exact::expand(&entry.pattern, options)),
                "{}",
                entry.pattern
            );
        }
    }

    #[test]
    fn an_unknown_or_edited_pattern_is_not_found() {
        assert_eq!(lookup("(?-u:\\b)surely not a built-in pattern(?-u:\\b)"), None);
        let (_, json) = FILE.lines().next().and_then(|l| l.split_once('\t')).unwrap_or_default();
        let entry: Entry = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lookup(&format!("{} ", entry.source)), None);
    }
}
