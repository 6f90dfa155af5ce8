//! What a [`super::Pattern`] becomes the first time it is used: its branches, each compiled on
//! its own when needed, and the literals that say when a branch is needed.

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;

use super::Options;
use super::engine::{Engine, Verdict};
use super::prefix::{self, Literals};

/// How a pattern is searched.
pub(super) enum Plan {
    /// Only the whole regex can find its matches (a branch has no literal at all).
    Whole,
    /// Branch by branch, where their literals occur.
    Split(Split),
}

/// A pattern split into branches with literals.
pub(super) struct Split {
    pub(super) branches: Vec<Branch>,
    /// Every literal of every branch, each once (ASCII letters in lower case).
    pub(super) literals: Vec<Vec<u8>>,
    /// For each literal, the branches it belongs to.
    pub(super) owners: Vec<Vec<Owner>>,
    /// Finds `literals` and the forcing characters in one haystack; built on first use.
    finder: OnceLock<Option<AhoCorasick>>,
}

/// A branch that a literal belongs to.
#[derive(Copy, Clone, Debug)]
pub(super) struct Owner {
    pub(super) branch: u32,
    /// The literal is an anchor after a word boundary: it needs a non-word byte before it.
    pub(super) word_start: bool,
    /// The literal is required somewhere in a match, not at its start.
    pub(super) inner: bool,
}

/// One branch, compiled on first use.
pub(super) struct Branch {
    pattern: String,
    /// Anchored branches run from a known start; the others search.
    anchored: bool,
    engine: OnceLock<Option<Engine>>,
    regex: OnceLock<Option<Regex>>,
}

impl Plan {
    /// Analyses `source` (no compiling).
    pub(super) fn new(source: &str) -> Self {
        let Some(branches) = prefix::analyse(source) else { return Self::Whole };
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut ids: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut add = |bytes: &[u8], owner: Owner| {
            let id = *ids.entry(bytes.to_vec()).or_insert_with(|| {
                literals.push(bytes.to_vec());
                owners.push(Vec::new());
                literals.len() - 1
            });
            if let Some(list) = owners.get_mut(id) {
                list.push(owner);
            }
        };
        for (index, branch) in branches.iter().enumerate() {
            let branch_id = index as u32;
            match &branch.literals {
                Literals::Anchors(anchors) => {
                    for anchor in anchors {
                        add(&anchor.bytes, Owner { branch: branch_id, word_start: anchor.word_start, inner: false });
                    }
                }
                Literals::Required(required) => {
                    for literal in required {
                        add(literal, Owner { branch: branch_id, word_start: false, inner: true });
                    }
                }
            }
        }
        let branches = branches
            .into_iter()
            .map(|b| Branch {
                anchored: matches!(b.literals, Literals::Anchors(_)),
                pattern: b.pattern,
                engine: OnceLock::new(),
                regex: OnceLock::new(),
            })
            .collect();
        Self::Split(Split { branches, literals, owners, finder: OnceLock::new() })
    }
}

impl Split {
    /// The branches a finder literal belongs to; empty for a forcing character.
    pub(super) fn owners_of(&self, literal: usize) -> &[Owner] {
        self.owners.get(literal).map_or(&[], Vec::as_slice)
    }

    /// An automaton over this pattern's literals and the forcing characters.
    pub(super) fn finder(&self) -> Option<&AhoCorasick> {
        self.finder.get_or_init(|| finder(&self.literals, None)).as_ref()
    }

    /// Branch `branch`'s match starting at `start` (an anchored branch); `None` if the branch
    /// cannot be compiled on its own, so only the whole regex can answer.
    pub(super) fn match_at(
        &self,
        branch: u32,
        haystack: &str,
        start: usize,
        any: bool,
        options: Options,
    ) -> Option<Verdict> {
        let branch = self.branches.get(branch as usize)?;
        let engine = branch.engine.get_or_init(|| Engine::compile(&branch.pattern, options));
        Some(engine.as_ref()?.match_at(haystack, start, any))
    }

    /// True if branch `branch` matches anywhere in `haystack`; `None` if it does not compile alone.
    pub(super) fn branch_matches(&self, branch: u32, haystack: &str, options: Options) -> Option<bool> {
        let branch = self.branches.get(branch as usize)?;
        let engine = branch.engine.get_or_init(|| Engine::compile(&branch.pattern, options));
        Some(engine.as_ref()?.is_match(haystack))
    }

    /// Branch `branch` compiled as a regex of its own (a branch found by a required literal).
    pub(super) fn branch_regex(&self, branch: u32, options: Options) -> Option<&Regex> {
        let branch = self.branches.get(branch as usize)?;
        branch.regex.get_or_init(|| options.builder(&branch.pattern).build().ok()).as_ref()
    }

    /// True if the branch is found by its anchors.
    pub(super) fn is_anchored(&self, branch: u32) -> bool {
        self.branches.get(branch as usize).is_some_and(|b| b.anchored)
    }
}

/// An Aho-Corasick automaton reporting every occurrence of every literal (ASCII case folded),
/// and after them the characters that send a haystack to the whole regex. `kind` trades build
/// time for search speed (`None`: the library's choice by size).
pub(super) fn finder(literals: &[Vec<u8>], kind: Option<AhoCorasickKind>) -> Option<AhoCorasick> {
    let forcing = prefix::FOLDS_TO_ASCII.map(|c| c.to_string().into_bytes());
    let all = literals.iter().map(Vec::as_slice).chain(forcing.iter().map(Vec::as_slice));
    AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::Standard).kind(kind).build(all).ok()
}
