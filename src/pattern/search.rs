//! Finding matches from candidates, exactly as `regex` would.
//!
//! The next match at or after `resume` is, over all branches, the one with the smallest start,
//! and among those the earliest branch (leftmost-first, with `A|B` trying `A` first):
//! - an anchored branch can only start at a candidate of its own, so candidates are tried in
//!   (start, branch) order and the first that matches is the best anchored match;
//! - a branch found by a required literal is searched from `resume` with its own regex, but only
//!   if one of its literals occurs in the haystack (otherwise it cannot match anywhere).
//!
//! Matches are never empty (each contains a non-empty literal), so `resume` always advances, and
//! the whole regex can take over at any `resume` and find the same matches from there on. It
//! does when trying candidates one by one has read the haystack [`PASSES`] times over: `(a+)+b`
//! on a line of `a`s makes every `a` a candidate that reads to the end of the line.

use super::engine::RepertoireOf;
use super::exact::Steps;
use super::plan::{Split, Via};
use super::runs;
use super::{Candidate, Match, Options};

/// How many times over candidates may read a haystack before the whole regex takes over.
const PASSES: usize = 4;
/// Reading allowed on top, so that short haystacks never switch.
const SLACK: usize = 1 << 12;

/// What is left to read before the whole regex takes over.
struct Budget(usize);

impl Budget {
    fn new(haystack: &str) -> Self {
        Self(haystack.len().saturating_mul(PASSES).saturating_add(SLACK))
    }

    /// Takes `read` bytes off; false once nothing is left.
    fn spend(&mut self, read: usize) -> bool {
        self.0 = self.0.saturating_sub(read);
        self.0 > 0
    }
}

/// How a search by candidates ended.
pub(super) enum Outcome {
    /// Every match was reported (or the caller asked to stop).
    Done,
    /// The whole regex must report the matches from this offset on.
    WholeFrom(usize),
}

/// Calls `found` with each match in `haystack` given its sorted `candidates`, until it returns
/// `false`.
pub(super) fn each_match(
    split: &Split,
    haystack: &str,
    candidates: &[Candidate],
    options: Options,
    found: &mut dyn FnMut(Match) -> bool,
) -> Outcome {
    let mut searched: Vec<Searched> = Vec::new();
    for c in candidates.iter().filter(|c| c.via() == Via::Inner) {
        match searched.iter_mut().find(|s| s.branch == c.branch()) {
            Some(s) => s.around.push(c.start()),
            None => {
                let mut around = runs::Around::default();
                around.push(c.start());
                searched.push(Searched {
                    branch: c.branch(),
                    around,
                    next: None,
                    done: false,
                    work: Steps::for_haystack(haystack),
                });
            }
        }
    }
    searched.sort_unstable_by_key(|s| s.branch);
    let repertoire = RepertoireOf::new(haystack);
    let mut cursor =
        AnchoredCursor { candidates, at: 0, next: None, budget: Budget::new(haystack), repertoire: &repertoire };
    let mut resume = 0;
    loop {
        let Ok(mut best) = cursor.next_from(split, haystack, resume, options) else {
            return Outcome::WholeFrom(resume);
        };
        for s in &mut searched {
            let Ok(next) = s.next_from(split, haystack, resume, options) else { return Outcome::WholeFrom(resume) };
            if let Some(m) = next {
                if best.is_none_or(|b| (m.1.start, m.0) < (b.1.start, b.0)) {
                    best = Some(m);
                }
            }
        }
        let Some((_, m)) = best else { return Outcome::Done };
        resume = m.end;
        if !found(m) {
            return Outcome::Done;
        }
    }
}

/// How many candidates ahead a candidate's bytes are asked for.
const PREFETCH_AHEAD: usize = 8;

/// The only failure: the candidates cannot decide (out of budget, or a branch that does not
/// compile alone); the whole regex must.
struct Undecided;

/// The candidates, walked once in order for the anchored ones.
struct AnchoredCursor<'c, 'h> {
    candidates: &'c [Candidate],
    at: usize,
    /// The best anchored match found for the current `resume`, as (branch, match).
    next: Option<(u32, Match)>,
    budget: Budget,
    /// What the haystack is made of (branches may use narrower automata).
    repertoire: &'c RepertoireOf<'h>,
}

impl AnchoredCursor<'_, '_> {
    fn next_from(
        &mut self,
        split: &Split,
        haystack: &str,
        resume: usize,
        options: Options,
    ) -> Result<Option<(u32, Match)>, Undecided> {
        if let Some(next) = self.next.filter(|(_, m)| m.start >= resume) {
            return Ok(Some(next));
        }
        self.next = None;
        while let Some(candidate) = self.candidates.get(self.at) {
            if let Some(ahead) = self.candidates.get(self.at + PREFETCH_AHEAD) {
                crate::prefetch::byte(haystack.as_bytes(), ahead.start().saturating_sub(1));
            }
            self.at += 1;
            let start = candidate.start();
            if candidate.via() != Via::Anchor
                || start < resume
                || (candidate.word_start() && !super::boundary_before(haystack, start))
            {
                continue;
            }
            let verdict = split
                .match_at(candidate.branch(), haystack, start, false, options, self.repertoire)
                .ok_or(Undecided)?;
            if !self.budget.spend(verdict.read) {
                // Not yet reported, so the whole regex starts again from `resume`.
                return Err(Undecided);
            }
            if let Some(end) = verdict.end {
                // Other branches at this start come later in the order: they lose to this one.
                self.next = Some((candidate.branch(), Match { start, end }));
                break;
            }
        }
        Ok(self.next)
    }
}

/// A branch searched with its own regex.
struct Searched {
    branch: u32,
    /// Where the literals of the branch occur (see [`runs::Around`]).
    around: runs::Around,
    next: Option<Match>,
    done: bool,
    /// What the phrase matcher may still spend before the branch's regex takes over.
    work: Steps,
}

impl Searched {
    fn next_from(
        &mut self,
        split: &Split,
        haystack: &str,
        resume: usize,
        options: Options,
    ) -> Result<Option<(u32, Match)>, Undecided> {
        if let Some(next) = self.next.filter(|m| m.start >= resume) {
            return Ok(Some((self.branch, next)));
        }
        if self.done {
            return Ok(None);
        }
        let found = split
            .branch_find(self.branch, haystack, resume, &mut self.around, options, &mut self.work)
            .ok_or(Undecided)?;
        self.next = found.map(|(start, end)| Match { start, end });
        self.done = self.next.is_none();
        Ok(self.next.map(|m| (self.branch, m)))
    }
}

/// True if some branch matches in `haystack`; `None` when only the whole regex can say.
pub(super) fn is_match(split: &Split, haystack: &str, options: Options) -> Option<bool> {
    let mut tried: Vec<u32> = Vec::new();
    let mut budget = Budget::new(haystack);
    let repertoire = RepertoireOf::new(haystack);
    // Start-only branches that need no literal are tried first, at the start.
    for branch in split.starting(haystack, &[]) {
        tried.push(branch);
        if split.match_at(branch, haystack, 0, true, options, &repertoire)?.end.is_some() {
            return Some(true);
        }
    }
    // Then branches without literals, where their filters say they can start.
    let mut filtered = Vec::new();
    push_filtered(split, haystack, &mut filtered);
    for candidate in filtered {
        let verdict = split.match_at(candidate.branch(), haystack, candidate.start(), true, options, &repertoire)?;
        if verdict.end.is_some() {
            return Some(true);
        }
        if !budget.spend(verdict.read) {
            return None;
        }
    }
    // `Some(answer)` once decided; `None` inside when the whole regex must decide.
    let mut decided: Option<Option<bool>> = None;
    split.finder().for_each(haystack, |literal, start| {
        let owners = split.owners_of(literal);
        if owners.is_empty() {
            decided = Some(None);
            return false;
        }
        for owner in owners {
            let answer = match owner.via {
                Via::Inner | Via::StartHint if tried.contains(&owner.branch) => continue,
                Via::Inner => {
                    tried.push(owner.branch);
                    split.branch_matches(owner.branch, haystack, options, &repertoire).map(|yes| yes.then_some(true))
                }
                Via::StartHint => {
                    tried.push(owner.branch);
                    if split.starting(haystack, &[owner.branch]).contains(&owner.branch) {
                        split
                            .match_at(owner.branch, haystack, 0, true, options, &repertoire)
                            .map(|v| v.end.map(|_| true))
                    } else {
                        Some(None)
                    }
                }
                Via::Anchor if owner.word_start && !super::boundary_before(haystack, start) => continue,
                Via::Anchor => {
                    split.match_at(owner.branch, haystack, start, true, options, &repertoire).and_then(|verdict| {
                        if verdict.end.is_some() {
                            Some(Some(true))
                        } else if budget.spend(verdict.read) {
                            Some(None)
                        } else {
                            None
                        }
                    })
                }
            };
            match answer {
                Some(None) => {}
                Some(Some(yes)) => {
                    decided = Some(Some(yes));
                    return false;
                }
                None => {
                    decided = Some(None);
                    return false;
                }
            }
        }
        true
    });
    decided.unwrap_or(Some(false))
}

/// Sorted candidates of the window of `source` that starts at `offset` (start hints included,
/// in `source` offsets) made ready for [`each_match`] on that window: shifted to it, and the
/// start hints replaced by a candidate at its start for each start-only branch that may match
/// there. `None` if they already are ready (a window at the start, without start-only branches).
fn ready(split: &Split, haystack: &str, inside: &[Candidate], offset: usize) -> Option<Vec<Candidate>> {
    let hinted: Vec<u32> = inside.iter().filter(|c| c.via() == Via::StartHint).map(|c| c.branch()).collect();
    let starting = split.starting(haystack, &hinted);
    if offset == 0 && hinted.is_empty() && starting.is_empty() && split.filtered().is_empty() {
        return None;
    }
    let out: Vec<Candidate> = inside
        .iter()
        .filter(|c| c.via() != Via::StartHint)
        .filter_map(|c| Candidate::new(c.start() - offset, c.branch(), c.word_start(), c.via()))
        .collect();
    let mut more: Vec<Candidate> =
        starting.into_iter().filter_map(|branch| Candidate::new(0, branch, false, Via::Anchor)).collect();
    push_filtered(split, haystack, &mut more);
    Some(merged(out, more))
}

/// `sorted` (sorted and without repeats, as [`sort`] leaves candidates) and `more` together,
/// sorted without repeats. When both are in order and share no place and branch (a filter's
/// candidates come in order, for branches without literals), the two are merged in one pass: a
/// filter on a long text gives tens of thousands, and sorting them among the others was a
/// quarter of the credentials rule's work on 10 MiB.
fn merged(sorted: Vec<Candidate>, more: Vec<Candidate>) -> Vec<Candidate> {
    let key = |c: &Candidate| (c.start, c.branch());
    if more.is_empty() {
        return sorted;
    }
    let in_order = |list: &[Candidate]| list.is_sorted_by(|a, b| key(a) < key(b));
    if in_order(&more) && in_order(&sorted) {
        let mut out = Vec::with_capacity(sorted.len() + more.len());
        let (mut left, mut right) = (sorted.iter().peekable(), more.iter().peekable());
        loop {
            let next = match (left.peek(), right.peek()) {
                (Some(a), Some(b)) if key(a) < key(b) => left.next(),
                (Some(a), Some(b)) if key(a) > key(b) => right.next(),
                // The same place and branch from both: leave the choice to the sort below.
                (Some(_), Some(_)) => break,
                (Some(_), None) => left.next(),
                (None, Some(_)) => right.next(),
                (None, None) => return out,
            };
            out.extend(next.copied());
        }
    }
    let mut all = sorted;
    all.extend(more);
    sort(&mut all);
    all
}

/// Adds a candidate for each branch without literals at each place of `haystack` its filter
/// says a match can start.
fn push_filtered(split: &Split, haystack: &str, out: &mut Vec<Candidate>) {
    let bytes = haystack.as_bytes();
    let filtered = split.filtered();
    for (index, (_, filter)) in filtered.iter().enumerate() {
        // Branches with the same filter share its pass, made for the first of them.
        if filtered.get(..index).is_some_and(|before| before.iter().any(|(_, f)| f == filter)) {
            continue;
        }
        // Compared once here rather than at every start (a filter is three 256-byte tables);
        // the others sharing it, if any, in a vector (an empty one allocates nothing).
        let mut sharing = filtered.get(index..).unwrap_or(&[]).iter().filter(|(_, f)| f == filter).map(|(b, _)| *b);
        let first = sharing.next();
        let others: Vec<u32> = sharing.collect();
        filter.each_start(bytes, |start| {
            for branch in first.iter().chain(&others) {
                out.extend(Candidate::new(start, *branch, false, Via::Anchor));
            }
        });
    }
}

/// The candidates a [`super::PatternSet`] found in `source[offset..]` made ready for
/// [`each_match`] on the window that starts at `offset` (see [`ready`]); borrowed when they
/// already are, since a large document has millions.
pub(super) fn in_window<'c>(
    split: &Split,
    haystack: &str,
    inside: &'c [Candidate],
    offset: usize,
) -> std::borrow::Cow<'c, [Candidate]> {
    ready(split, haystack, inside, offset).map_or(std::borrow::Cow::Borrowed(inside), std::borrow::Cow::Owned)
}

/// Candidates for `haystack` from this pattern's own finder, sorted; `None` if the haystack
/// holds a forcing character.
pub(super) fn candidates(split: &Split, haystack: &str) -> Option<Vec<Candidate>> {
    let mut out = Vec::new();
    let mut forced = false;
    split.finder().for_each(haystack, |literal, start| {
        let owners = split.owners_of(literal);
        if owners.is_empty() {
            forced = true;
            return false;
        }
        for o in owners {
            let Some(candidate) = Candidate::new(start, o.branch, o.word_start, o.via) else {
                forced = true;
                return false;
            };
            out.push(candidate);
        }
        true
    });
    if forced {
        return None;
    }
    push_filtered(split, haystack, &mut out);
    sort(&mut out);
    let ready = ready(split, haystack, &out, 0);
    Some(ready.unwrap_or(out))
}

/// Sorts candidates by (start, branch) and drops repeats.
pub(super) fn sort(candidates: &mut Vec<Candidate>) {
    candidates.sort_unstable_by_key(|c| (c.start, c.branch()));
    candidates.dedup_by_key(|c| (c.start, c.branch()));
}

/// Most branches found by required literals that a large haystack searches one by one; with
/// more, one pass of the whole regex beats a pass per branch. (Each such pass is quick: the
/// branch's own regex skips to its required literal.)
const SEARCHED_ALONE: usize = 2;

/// True if the haystack's branches found by required literals make the whole regex the better
/// tool: a large haystack, and more of them than [`SEARCHED_ALONE`].
pub(super) fn prefers_whole(split: &Split, haystack: &str, candidates: &[Candidate]) -> bool {
    // A branch without literals leaves the whole regex without a prefilter: it would read
    // every byte, where the filter skips most.
    if haystack.len() <= super::LARGE || !split.filtered().is_empty() {
        return false;
    }
    let mut searched: Vec<u32> = Vec::new();
    for c in candidates.iter().filter(|c| c.via() == Via::Inner && !split.is_anchored(c.branch())) {
        if !searched.contains(&c.branch()) {
            searched.push(c.branch());
            if searched.len() > SEARCHED_ALONE {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Candidates at `(start, branch)` places, with made-up kinds.
    fn candidates(places: &[(u16, u8)]) -> Vec<Candidate> {
        places
            .iter()
            .filter_map(|&(start, branch)| {
                let via = if branch % 2 == 0 { Via::Anchor } else { Via::Inner };
                Candidate::new(usize::from(start), u32::from(branch % 8), start % 3 == 0, via)
            })
            .collect()
    }

    proptest::proptest! {
        /// Merging gives what sorting both together gives, whether the two lists are in order,
        /// share places, or neither.
        #[test]
        fn merging_is_sorting_both(
            left in proptest::collection::vec((0u16..200, 0u8..8), 0..40),
            right in proptest::collection::vec((0u16..200, 0u8..8), 0..40),
            right_sorted: bool,
        ) {
            let mut sorted = candidates(&left);
            sort(&mut sorted);
            let mut more = candidates(&right);
            if right_sorted {
                sort(&mut more);
            }
            let mut expected = sorted.clone();
            expected.extend(more.iter().copied());
            sort(&mut expected);
            let got = merged(sorted, more);
            let keys = |list: &[Candidate]| list.iter().map(|c| (c.start(), c.branch())).collect::<Vec<_>>();
            proptest::prop_assert_eq!(keys(&got), keys(&expected));
            proptest::prop_assert_eq!(got.len(), expected.len());
        }
    }
}
