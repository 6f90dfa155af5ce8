//! Finding matches from candidates, exactly as `regex` would.
//!
//! The next match at or after `resume` is, over all branches, the one with the smallest start,
//! and among those the earliest branch (leftmost-first, with `A|B` trying `A` first):
//! - an anchored branch can only start at a candidate of its own, so candidates are tried in
//!   (start, branch) order and the first that matches is the best anchored match;
//! - a branch found by a required literal is searched from `resume` with its own regex, but only
//!   if one of its literals occurs in the haystack (otherwise it cannot match anywhere).
//!
//! Matches are never empty (each contains a non-empty literal), so `resume` always advances.

use super::Match;
use super::plan::Split;
use super::{Candidate, Options};

/// Calls `found` with each match in `haystack` given its sorted `candidates`, until it returns
/// `false`.
pub(super) fn each_match(
    split: &Split,
    haystack: &str,
    candidates: &[Candidate],
    options: Options,
    found: &mut dyn FnMut(Match) -> bool,
) {
    let anchored: Vec<Candidate> = candidates.iter().filter(|c| !c.inner).copied().collect();
    let mut searched: Vec<Searched> = Vec::new();
    for c in candidates.iter().filter(|c| c.inner) {
        if !searched.iter().any(|s| s.branch == c.branch) {
            searched.push(Searched { branch: c.branch, next: None, done: false });
        }
    }
    searched.sort_unstable_by_key(|s| s.branch);
    let mut next_anchored = AnchoredCursor { candidates: &anchored, at: 0, next: None, done: false };
    let mut resume = 0;
    loop {
        let mut best = next_anchored.next_from(split, haystack, resume, options);
        for s in &mut searched {
            if let Some(m) = s.next_from(split, haystack, resume, options) {
                if best.is_none_or(|b| (m.1.start, m.0) < (b.1.start, b.0)) {
                    best = Some(m);
                }
            }
        }
        let Some((_, m)) = best else { return };
        resume = m.end;
        if !found(m) {
            return;
        }
    }
}

/// The anchored candidates, walked once in order.
struct AnchoredCursor<'c> {
    candidates: &'c [Candidate],
    at: usize,
    /// The best anchored match found for the current `resume`, as (branch, match).
    next: Option<(u32, Match)>,
    done: bool,
}

impl AnchoredCursor<'_> {
    fn next_from(&mut self, split: &Split, haystack: &str, resume: usize, options: Options) -> Option<(u32, Match)> {
        if let Some(next) = self.next.filter(|(_, m)| m.start >= resume) {
            return Some(next);
        }
        self.next = None;
        while !self.done {
            let Some(candidate) = self.candidates.get(self.at) else {
                self.done = true;
                break;
            };
            self.at += 1;
            let start = candidate.start;
            if start < resume || (candidate.word_start && !super::boundary_before(haystack, start)) {
                continue;
            }
            if let Some(end) = split.match_at(candidate.branch, haystack, start, false, options) {
                self.next = Some((candidate.branch, Match { start, end }));
                // Other branches at this start come later in the order: they lose to this one.
                break;
            }
        }
        self.next
    }
}

/// A branch searched with its own regex.
struct Searched {
    branch: u32,
    next: Option<Match>,
    done: bool,
}

impl Searched {
    fn next_from(&mut self, split: &Split, haystack: &str, resume: usize, options: Options) -> Option<(u32, Match)> {
        if let Some(next) = self.next.filter(|m| m.start >= resume) {
            return Some((self.branch, next));
        }
        if self.done {
            return None;
        }
        let found = split.branch_regex(self.branch, options).and_then(|r| r.find_at(haystack, resume));
        self.next = found.map(|m| Match { start: m.start(), end: m.end() });
        self.done = self.next.is_none();
        self.next.map(|m| (self.branch, m))
    }
}

/// True if some branch matches in `haystack`, given the literal occurrences `hits` (literal id,
/// start) in any order.
pub(super) fn is_match(
    split: &Split,
    haystack: &str,
    hits: impl Iterator<Item = (usize, usize)>,
    options: Options,
) -> Option<bool> {
    let mut searched: Vec<u32> = Vec::new();
    for (literal, start) in hits {
        let owners = split.owners_of(literal);
        if owners.is_empty() {
            return None;
        }
        for owner in owners {
            if owner.inner {
                if searched.contains(&owner.branch) {
                    continue;
                }
                searched.push(owner.branch);
                if split.branch_regex(owner.branch, options).is_some_and(|r| r.is_match(haystack)) {
                    return Some(true);
                }
            } else if (!owner.word_start || super::boundary_before(haystack, start))
                && split.match_at(owner.branch, haystack, start, true, options).is_some()
            {
                return Some(true);
            }
        }
    }
    Some(false)
}

/// Candidates for `haystack` from this pattern's own finder, sorted; `None` if the haystack
/// holds a forcing character.
pub(super) fn candidates(split: &Split, haystack: &str) -> Option<Vec<Candidate>> {
    let finder = split.finder()?;
    let mut out = Vec::new();
    for hit in finder.find_overlapping_iter(haystack) {
        let owners = split.owners_of(hit.pattern().as_usize());
        if owners.is_empty() {
            return None;
        }
        out.extend(owners.iter().map(|o| Candidate {
            start: hit.start(),
            branch: o.branch,
            word_start: o.word_start,
            inner: o.inner,
        }));
    }
    sort(&mut out);
    Some(out)
}

/// Sorts candidates by (start, branch) and drops repeats.
pub(super) fn sort(candidates: &mut Vec<Candidate>) {
    candidates.sort_unstable_by_key(|c| (c.start, c.branch));
    candidates.dedup_by_key(|c| (c.start, c.branch));
}

/// True if the haystack's branches found by required literals make the whole regex the better
/// tool (large haystacks, where one pass of it beats a pass per branch).
pub(super) fn prefers_whole(split: &Split, haystack: &str, candidates: &[Candidate]) -> bool {
    haystack.len() > super::LARGE && candidates.iter().any(|c| c.inner && !split.is_anchored(c.branch))
}
