//! Branches made of phrases, matched by a small backtracking matcher instead of an automaton.
//!
//! Most rule branches are phrases: `(?-u:\b)send\s+(?:them|people)\s+my\s+way(?-u:\b)`.
//! Compiling one into an automaton costs far more than the few comparisons it takes to try it
//! where its anchor was found. [`Exact::expand`] turns a branch's syntax (literals, classes,
//! word-boundary and text assertions, alternations, repetitions) into a tree of nodes, and
//! [`Exact::match_at`] tries it at a start the way a backtracking search does: alternatives in
//! order, greedy repetitions longest first, the first way through that reaches the end wins.
//! That is leftmost-first semantics, so the end found is the one `regex` reports for an anchored
//! search there. A run of one class (`\w+`, `.{0,60}`) backs off a character at a time without
//! recursing; a repetition of anything longer is followed at most [`MAX_ITERATIONS`] times, and
//! only if every iteration consumes something (empty iterations are where backtracking
//! semantics differ).
//!
//! The number of ways through a branch is bounded when it is built, and each search has a work
//! budget; past either the branch is left to an automaton. ASCII letters that match either case
//! compare folded: the two non-ASCII characters that fold to ASCII letters (see
//! [`super::prefix::FOLDS_TO_ASCII`]) are left out, because a haystack holding either never
//! reaches a branch (it is searched with the whole regex).

use std::borrow::Cow;
use std::sync::OnceLock;

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use std::fmt::Write as _;

use super::Options;
use super::engine::Verdict;
use super::prefix::FOLDS_TO_ASCII;

/// Most members of a class listed as alternatives.
const MAX_CLASS: usize = 16;

/// One step of a run: it takes one byte, or none.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Step {
    /// This byte.
    Byte(u8),
    /// This ASCII letter (lower case), in either case.
    Fold(u8),
    /// A zero-width assertion.
    Look(Look),
}

impl Step {
    /// The step as one number (steps are most of a stored matcher): a byte as itself, a folded
    /// letter as 256 plus the letter, an assertion as 512 plus its representation.
    fn code(self) -> u32 {
        match self {
            Step::Byte(b) => u32::from(b),
            Step::Fold(b) => 256 + u32::from(b),
            Step::Look(look) => 512 + look.as_repr(),
        }
    }

    /// The step numbered `code` (see [`Step::code`]).
    fn from_code(code: u32) -> Option<Self> {
        match code {
            0..=255 => u8::try_from(code).ok().map(Step::Byte),
            256..=511 => u8::try_from(code - 256).ok().map(Step::Fold),
            _ => Look::from_repr(code - 512).map(Step::Look),
        }
    }
}

/// A node of the matcher.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Node {
    /// Steps taken one after the other; no choice.
    Run(Vec<Step>),
    /// Nodes matched one after the other.
    Seq(Vec<u32>),
    /// The first node that leads to a match.
    Alt(Vec<u32>),
    /// A repetition of something longer than one character.
    Rep(Repeat),
    /// One character of class `0` (an index into [`Exact::classes`]).
    One(u32),
    /// Characters of `class`, between `min` and `max` of them, most first if `greedy`.
    Many { class: u32, min: u32, max: u32, greedy: bool },
}

/// `sub` between `min` and `max` times, most first if `greedy`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Repeat {
    sub: u32,
    min: u32,
    max: u32,
    greedy: bool,
}

/// Most ways through a branch (runs counted once): more, and it is compiled. A guard against
/// absurd branches only: a phrase's ways multiply (two openings, eight verbs, six places…) yet
/// a try fails within a few characters of its start, and the work budget bounds every search.
const MAX_PATHS: u64 = 1 << 40;

/// A branch as a small backtracking matcher, ready to be tried at a start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Exact {
    nodes: Vec<Node>,
    /// Character classes too large to list, as sorted ranges; a stored matcher's borrow the
    /// shared table built into the binary (`\w` alone is 800 ranges).
    classes: Vec<Cow<'static, [(char, char)]>>,
    /// For each class, the ASCII characters it holds, as bits: most characters tried are
    /// ASCII, and a bit test beats a binary search over `\w`'s 800 ranges.
    ascii: Vec<u128>,
    /// For each node, the bytes its match can start with, and whether it can match empty.
    first: Vec<(Bytes, bool)>,
    /// For each node, the bytes that can come next once it has matched ([`Bytes::ALL`] where
    /// the branch's match can end there): a way through that leaves any other byte next fails
    /// at once, so it is not tried.
    follow: Vec<Bytes>,
    root: u32,
    /// The branch as a line, if it can be one (see [`Linear`]): most rule branches are
    /// phrases, matched then without a continuation per node. Worked out when a long haystack
    /// first asks (see [`LINE_FROM`]): for a pitch it would cost more than it saves.
    linear: OnceLock<Option<Vec<Linear>>>,
}

/// Haystacks at least this long are matched by a branch's line (see [`Exact::linear`]).
const LINE_FROM: usize = 1 << 16;

/// One item of a branch written as a line (see [`Exact::linear_form`]): the items of a line
/// are matched one after the other, each where the last ended; a choice tries its lines in
/// order, each followed by the rest of the branch, as the backtracking search does. What the
/// line leaves out is the one kind of backtracking that needs a continuation per character: a
/// run of a class giving characters back. A run is only part of a line where nothing after it
/// could take one of them.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Linear {
    /// A step (see [`take`]).
    Step(Step),
    /// One character of class `0`.
    One(u32),
    /// The longest run of `class`, of at least `min` and at most `max` characters: the branch
    /// ends after it, or what follows it in its line must take a character before the line
    /// ends, and cannot begin with one of the class (see [`Exact::runs_stop`]).
    Many { class: u32, min: u32, max: u32 },
    /// The first of `lines` that lets the rest of the branch match; then, if `optional`,
    /// nothing (a greedy `?`). Each line comes with the bytes it can begin with ([`Bytes::ALL`]
    /// if it can match nothing), so that most are passed over at a glance.
    Choice { lines: Vec<(Bytes, Vec<Linear>)>, optional: bool },
}

/// What a line still has to match once its own items have: the rest of the line that holds
/// its choice, and so on outwards.
struct Rest<'a> {
    items: &'a [Linear],
    then: Option<&'a Rest<'a>>,
}

/// A set of bytes, as bits.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
struct Bytes {
    low: u128,
    high: u128,
}

impl Bytes {
    const ALL: Self = Self { low: u128::MAX, high: u128::MAX };

    fn of(bytes: impl IntoIterator<Item = u8>) -> Self {
        bytes.into_iter().fold(Self::default(), |mut set, b| {
            if b < 128 {
                set.low |= 1 << b;
            } else {
                set.high |= 1 << (b - 128);
            }
            set
        })
    }

    fn contains(self, b: u8) -> bool {
        if b < 128 { (self.low >> b) & 1 == 1 } else { (self.high >> (b - 128)) & 1 == 1 }
    }

    fn union(self, other: Self) -> Self {
        Self { low: self.low | other.low, high: self.high | other.high }
    }

    /// True if the byte at `at` is in the set, or `at` is the end and the set is everything
    /// (nothing more need be read).
    fn admits(self, haystack: &str, at: usize) -> bool {
        match haystack.as_bytes().get(at) {
            Some(&b) => self.contains(b),
            None => self == Self::ALL,
        }
    }
}

/// An [`Exact`] built into the binary (see [`super::cache`]): its nodes as static slices, its
/// classes as indices into a table shared by every stored matcher, since a few large classes
/// (`\w`) recur everywhere.
pub(super) struct Static {
    pub(super) nodes: &'static [StaticNode],
    pub(super) classes: &'static [u32],
    pub(super) root: u32,
}

/// A [`Node`] built into the binary: a run's steps as [`Step::code`]s, a repetition's fields in
/// order (`sub` or `class`, `min`, `max`, `greedy`).
pub(super) enum StaticNode {
    Run(&'static [u32]),
    Seq(&'static [u32]),
    Alt(&'static [u32]),
    Rep(u32, u32, u32, bool),
    One(u32),
    Many(u32, u32, u32, bool),
}

impl Exact {
    /// This matcher as the Rust expression of a [`Static`] (the variants of [`StaticNode`] in
    /// scope), its classes added to (or found in) `table`.
    pub(super) fn write_static(&self, table: &mut Vec<Vec<(char, char)>>, out: &mut String) {
        let list = |out: &mut String, items: &mut dyn Iterator<Item = u32>| {
            out.push_str("&[");
            for (i, item) in items.enumerate() {
                let _ = write!(out, "{}{item}", if i == 0 { "" } else { ", " });
            }
            out.push(']');
        };
        out.push_str("Static { nodes: &[");
        for (i, node) in self.nodes.iter().enumerate() {
            out.push_str(if i == 0 { "" } else { ", " });
            match node {
                Node::Run(steps) => {
                    out.push_str("Run(");
                    list(out, &mut steps.iter().map(|s| s.code()));
                    out.push(')');
                }
                Node::Seq(subs) | Node::Alt(subs) => {
                    out.push_str(if matches!(node, Node::Seq(_)) { "Seq(" } else { "Alt(" });
                    list(out, &mut subs.iter().copied());
                    out.push(')');
                }
                Node::Rep(Repeat { sub, min, max, greedy }) => {
                    let _ = write!(out, "Rep({sub}, {min}, {max}, {greedy})");
                }
                Node::One(class) => {
                    let _ = write!(out, "One({class})");
                }
                Node::Many { class, min, max, greedy } => {
                    let _ = write!(out, "Many({class}, {min}, {max}, {greedy})");
                }
            }
        }
        out.push_str("], classes: ");
        let mut classes = self.classes.iter().map(|class| {
            let at = table.iter().position(|c| c.as_slice() == class.as_ref()).unwrap_or_else(|| {
                table.push(class.to_vec());
                table.len() - 1
            });
            u32::try_from(at).unwrap_or(u32::MAX)
        });
        list(out, &mut classes);
        let _ = write!(out, ", root: {} }}", self.root);
    }

    /// A matcher built into the binary, its classes taken from `table`; `None` if a class or a
    /// step is unknown.
    pub(super) fn load(stored: &Static, table: &'static [&'static [(char, char)]]) -> Option<Self> {
        let classes =
            stored.classes.iter().map(|i| table.get(*i as usize).map(|c| Cow::Borrowed(*c))).collect::<Option<_>>()?;
        let nodes = stored
            .nodes
            .iter()
            .map(|node| {
                Some(match *node {
                    StaticNode::Run(codes) => {
                        Node::Run(codes.iter().map(|&c| Step::from_code(c)).collect::<Option<_>>()?)
                    }
                    StaticNode::Seq(subs) => Node::Seq(subs.to_vec()),
                    StaticNode::Alt(subs) => Node::Alt(subs.to_vec()),
                    StaticNode::Rep(sub, min, max, greedy) => Node::Rep(Repeat { sub, min, max, greedy }),
                    StaticNode::One(class) => Node::One(class),
                    StaticNode::Many(class, min, max, greedy) => Node::Many { class, min, max, greedy },
                })
            })
            .collect::<Option<_>>()?;
        Some(Self::with_classes(nodes, classes, stored.root))
    }
}

/// Most times a repetition of something longer than one character is followed through before
/// the search gives up (and an automaton decides): this keeps the recursion shallow.
const MAX_ITERATIONS: u32 = 64;

/// Steps a search may take per byte of haystack after its start (and a fixed allowance) before
/// it gives up and leaves the branch to an automaton.
const WORK_PER_BYTE: usize = 16;
const WORK_SLACK: usize = 1 << 12;
/// Most steps one anchored try may take, however long the haystack after it: a phrase match is
/// short, and on a 10 MB document sixteen steps per byte would let one pathological try run
/// for a second before the automaton took over.
const MAX_WORK: usize = 1 << 20;

/// Steps left to one search that tries many starts ([`Exact::find_from`]).
pub(super) struct Steps(usize);

impl Steps {
    /// What trying the starts of `haystack` may take: as much as one anchored search from its
    /// start.
    pub(super) fn for_haystack(haystack: &str) -> Self {
        Self(haystack.len().saturating_mul(WORK_PER_BYTE).saturating_add(WORK_SLACK))
    }
}

/// Work done by one search.
struct Work {
    left: usize,
    furthest: usize,
}

impl Exact {
    /// `pattern` (one branch, compiled with `options`) as a backtracking matcher, if it is made
    /// of what this module knows: literals, small classes, word-boundary and text assertions,
    /// alternations, small bounded repetitions and runs of whitespace.
    pub(super) fn expand(pattern: &str, options: Options) -> Option<Self> {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(options.case_insensitive)
            .build()
            .parse(pattern)
            .ok()?;
        let mut exact = Self {
            nodes: Vec::new(),
            classes: Vec::new(),
            ascii: Vec::new(),
            first: Vec::new(),
            follow: Vec::new(),
            root: 0,
            linear: OnceLock::new(),
        };
        let (root, paths) = exact.build(&hir)?;
        // A branch that can match the empty string is left to the engines.
        if paths > MAX_PATHS || hir.properties().minimum_len().is_none_or(|m| m == 0) {
            return None;
        }
        exact.root = root;
        exact.compact();
        Some(Self::with_classes(exact.nodes, exact.classes, exact.root))
    }

    /// Drops the nodes nothing refers to (building merges runs into new nodes and leaves the
    /// pieces behind) and numbers the rest from the root.
    fn compact(&mut self) {
        let mut order: Vec<u32> = Vec::new();
        let mut new_id: Vec<Option<u32>> = vec![None; self.nodes.len()];
        let mut stack = vec![self.root];
        while let Some(id) = stack.pop() {
            let Some(slot) = new_id.get_mut(id as usize) else { continue };
            if slot.is_some() {
                continue;
            }
            *slot = u32::try_from(order.len()).ok();
            order.push(id);
            match self.nodes.get(id as usize) {
                Some(Node::Seq(items) | Node::Alt(items)) => stack.extend(items.iter().rev()),
                Some(Node::Rep(repeat)) => stack.push(repeat.sub),
                _ => {}
            }
        }
        let renumber = |id: &u32| new_id.get(*id as usize).copied().flatten().unwrap_or(u32::MAX);
        let nodes = order
            .iter()
            .filter_map(|id| self.nodes.get(*id as usize))
            .map(|node| match node {
                Node::Seq(items) => Node::Seq(items.iter().map(renumber).collect()),
                Node::Alt(items) => Node::Alt(items.iter().map(renumber).collect()),
                Node::Rep(repeat) => Node::Rep(Repeat { sub: renumber(&repeat.sub), ..*repeat }),
                other => other.clone(),
            })
            .collect();
        self.nodes = nodes;
        self.root = 0;
    }

    /// The anchored leftmost-first match of the branch at `start`; `None` if finding it takes
    /// too long (pathological backtracking).
    pub(super) fn match_at(&self, haystack: &str, start: usize) -> Option<Verdict> {
        let budget =
            haystack.len().saturating_sub(start).saturating_mul(WORK_PER_BYTE).saturating_add(WORK_SLACK).min(MAX_WORK);
        let mut work = Work { left: budget, furthest: start };
        if let Some(items) = self.line_for(haystack) {
            let end = self.line(items, None, haystack, start, &mut work)?;
            return Some(Verdict { end, read: work.furthest + 1 - start });
        }
        let mut end = None;
        let done = self.go(self.root, haystack, start, &mut work, &mut |at, _| {
            end = Some(at);
            Some(true)
        })?;
        let end = if done { end } else { None };
        Some(Verdict { end, read: work.furthest + 1 - start })
    }

    /// The leftmost-first match that starts at or after `from`, as `Regex::find_at` on a regex
    /// of this branch alone reports it: each start is tried in turn, and the first that
    /// matches wins. `None` once the tries have taken the steps left in `work` (shared by the
    /// calls of one search, so that trying every start stays linear).
    pub(super) fn find_from(&self, haystack: &str, from: usize, work: &mut Steps) -> Option<Option<(usize, usize)>> {
        let mut start = from;
        while start <= haystack.len() {
            let mut spent = Work { left: work.0, furthest: start };
            let mut end = None;
            let done = match self.line_for(haystack) {
                Some(items) => self.line(items, None, haystack, start, &mut spent).map(|found| {
                    end = found;
                    found.is_some()
                }),
                None => self.go(self.root, haystack, start, &mut spent, &mut |at, _| {
                    end = Some(at);
                    Some(true)
                }),
            };
            work.0 = spent.left;
            match (done?, end) {
                (true, Some(end)) => return Some(Some((start, end))),
                _ => start += haystack.get(start..).and_then(|rest| rest.chars().next()).map_or(1, char::len_utf8),
            }
        }
        Some(None)
    }

    /// Matches node `id` at `at`, then `k` from where it ends, trying every way in order until
    /// `k` accepts. `None`: out of work.
    fn go(&self, id: u32, haystack: &str, at: usize, work: &mut Work, k: Cont<'_>) -> Option<bool> {
        work.left = work.left.checked_sub(1)?;
        work.furthest = work.furthest.max(at);
        match self.nodes.get(id as usize)? {
            Node::Run(steps) => {
                let mut pos = at;
                for step in steps {
                    match take(*step, haystack, pos) {
                        Some(next) => pos = next,
                        None => {
                            work.furthest = work.furthest.max(pos);
                            return Some(false);
                        }
                    }
                }
                work.furthest = work.furthest.max(pos);
                k(pos, work)
            }
            Node::Seq(items) => self.seq(items, haystack, at, work, k),
            Node::Alt(items) => {
                for item in items {
                    if !self.may_start(*item, haystack, at) {
                        continue;
                    }
                    if self.go(*item, haystack, at, work, k)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            Node::Rep(repeat) => self.rep(*repeat, 0, haystack, at, work, k),
            Node::One(class) => {
                let c = haystack.get(at..).and_then(|rest| rest.chars().next());
                match c.filter(|c| self.contains(*class, *c)) {
                    Some(c) => k(at + c.len_utf8(), work),
                    None => Some(false),
                }
            }
            Node::Many { class, min, max, greedy } => {
                // The longest run first: its end, and how many characters it has.
                let (end, mut count) = self.longest_run(*class, *max, haystack, at);
                work.furthest = work.furthest.max(end);
                if count < *min {
                    return Some(false);
                }
                if *greedy {
                    let mut pos = end;
                    loop {
                        if self.may_follow(id, haystack, pos) && k(pos, work)? {
                            return Some(true);
                        }
                        if count == *min {
                            return Some(false);
                        }
                        work.left = work.left.checked_sub(1)?;
                        pos -= haystack.get(..pos).and_then(|h| h.chars().next_back()).map_or(1, char::len_utf8);
                        count -= 1;
                    }
                } else {
                    let mut pos = at;
                    for _ in 0..*min {
                        pos += haystack.get(pos..).and_then(|h| h.chars().next()).map_or(1, char::len_utf8);
                    }
                    let mut taken = *min;
                    loop {
                        if self.may_follow(id, haystack, pos) && k(pos, work)? {
                            return Some(true);
                        }
                        if taken == count {
                            return Some(false);
                        }
                        work.left = work.left.checked_sub(1)?;
                        pos += haystack.get(pos..).and_then(|h| h.chars().next()).map_or(1, char::len_utf8);
                        taken += 1;
                    }
                }
            }
        }
    }

    /// A matcher of `nodes` over `classes`, with what it can read first and next worked out.
    fn with_classes(nodes: Vec<Node>, classes: Vec<Cow<'static, [(char, char)]>>, root: u32) -> Self {
        let ascii = classes
            .iter()
            .map(|ranges| {
                ranges.iter().filter(|(lo, _)| lo.is_ascii()).fold(0u128, |bits, &(lo, hi)| {
                    (u32::from(lo)..=u32::from(hi).min(127)).fold(bits, |bits, c| bits | (1u128 << c))
                })
            })
            .collect();
        let mut exact =
            Self { nodes, classes, ascii, first: Vec::new(), follow: Vec::new(), root, linear: OnceLock::new() };
        exact.first = exact.first_sets();
        exact.follow = exact.follow_sets();
        exact
    }

    /// The branch's line for `haystack`: `None` for a short one, or a branch without.
    fn line_for(&self, haystack: &str) -> Option<&[Linear]> {
        if haystack.len() < LINE_FROM {
            return None;
        }
        self.linear.get_or_init(|| self.linear_form()).as_deref()
    }

    /// The branch as a line of [`Linear`] items, if it can be one: runs of steps, sequences,
    /// single characters of a class, alternations, short greedy repetitions (`?`, `{0,3}`),
    /// and greedy runs of a class that cannot have to give a character back.
    fn linear_form(&self) -> Option<Vec<Linear>> {
        let items = self.flatten(self.root)?;
        self.runs_stop(&items, true).then_some(items)
    }

    /// True if every run of a class in `items` (and in its choices' lines) ends the branch
    /// (`last`), or is followed in the same line by items that must take a character before
    /// the line ends, and cannot begin with one of the class. (Assertions take none: a
    /// character given back by the run would still be the first the items take.)
    fn runs_stop(&self, items: &[Linear], last: bool) -> bool {
        items.iter().enumerate().all(|(i, item)| match item {
            Linear::Step(_) | Linear::One(_) => true,
            Linear::Choice { lines, .. } => lines.iter().all(|(_, line)| self.runs_stop(line, false)),
            Linear::Many { class, .. } => {
                let rest = items.get(i + 1..).unwrap_or(&[]);
                if rest.is_empty() {
                    return last;
                }
                let (run, next) = (self.class_bytes(*class), self.line_first(rest));
                next != Bytes::ALL && run.low & next.low == 0 && run.high & next.high == 0
            }
        })
    }

    /// The bytes a match of `line` can begin with; [`Bytes::ALL`] if it can be empty.
    fn line_first(&self, line: &[Linear]) -> Bytes {
        let mut bytes = Bytes::default();
        for item in line {
            let (first, empty) = match item {
                Linear::Step(Step::Byte(b)) => (Bytes::of([*b]), false),
                Linear::Step(Step::Fold(b)) => (Bytes::of([*b, b.to_ascii_uppercase()]), false),
                Linear::Step(Step::Look(_)) => (Bytes::default(), true),
                Linear::One(class) => (self.class_bytes(*class), false),
                Linear::Many { class, min, .. } => (self.class_bytes(*class), *min == 0),
                Linear::Choice { lines, optional } => {
                    let first = lines.iter().fold(Bytes::default(), |bytes, (first, _)| bytes.union(*first));
                    (first, *optional || first == Bytes::ALL)
                }
            };
            bytes = bytes.union(first);
            if !empty {
                return bytes;
            }
        }
        Bytes::ALL
    }

    /// Node `id` as [`Linear`] items; `None` if it is something a line cannot say.
    fn flatten(&self, id: u32) -> Option<Vec<Linear>> {
        let mut items = Vec::new();
        match self.nodes.get(id as usize)? {
            Node::Run(steps) => items.extend(steps.iter().map(|step| Linear::Step(*step))),
            Node::Seq(subs) => {
                for sub in subs {
                    items.extend(self.flatten(*sub)?);
                }
            }
            Node::One(class) => items.push(Linear::One(*class)),
            Node::Many { class, min, max, greedy: true } => {
                items.push(Linear::Many { class: *class, min: *min, max: *max });
            }
            Node::Alt(subs) => {
                let lines = subs.iter().map(|sub| self.flatten(*sub).map(|line| (self.line_first(&line), line)));
                items.push(Linear::Choice { lines: lines.collect::<Option<_>>()?, optional: false });
            }
            // A short greedy repetition of something that cannot match nothing: `min` times, then
            // each further time optional within the last (`x{0,2}` is `(?:x(?:x)?)?`), which
            // tries the same ways in the same order.
            Node::Rep(Repeat { sub, min, max, greedy: true }) if *max <= MAX_REPEAT && min <= max => {
                let line = self.flatten(*sub)?;
                let first = self.line_first(&line);
                if first == Bytes::ALL {
                    return None;
                }
                for _ in 0..*min {
                    items.extend(line.iter().cloned());
                }
                let mut optional: Vec<Linear> = Vec::new();
                for _ in *min..*max {
                    let mut again = line.clone();
                    if !optional.is_empty() {
                        again.push(Linear::Choice { lines: vec![(first, optional)], optional: true });
                    }
                    optional = again;
                }
                if !optional.is_empty() {
                    items.push(Linear::Choice { lines: vec![(first, optional)], optional: true });
                }
            }
            Node::Many { greedy: false, .. } | Node::Rep(_) => return None,
        }
        Some(items)
    }

    /// Matches `items` at `at`, then what `then` holds: where the match ends, if it does;
    /// `None` when out of work.
    fn line(
        &self,
        items: &[Linear],
        then: Option<&Rest<'_>>,
        haystack: &str,
        at: usize,
        work: &mut Work,
    ) -> Option<Option<usize>> {
        let mut pos = at;
        for (i, item) in items.iter().enumerate() {
            work.left = work.left.checked_sub(1)?;
            match item {
                Linear::Step(step) => {
                    let next = match *step {
                        Step::Byte(b) => (haystack.as_bytes().get(pos) == Some(&b)).then_some(pos + 1),
                        Step::Fold(b) => {
                            haystack.as_bytes().get(pos).is_some_and(|h| h.to_ascii_lowercase() == b).then_some(pos + 1)
                        }
                        Step::Look(look) => holds(look, haystack, pos).then_some(pos),
                    };
                    match next {
                        Some(next) => pos = next,
                        None => {
                            work.furthest = work.furthest.max(pos);
                            return Some(None);
                        }
                    }
                }
                Linear::One(class) => {
                    match haystack.get(pos..).and_then(|rest| rest.chars().next()).filter(|c| self.contains(*class, *c))
                    {
                        Some(c) => pos += c.len_utf8(),
                        None => {
                            work.furthest = work.furthest.max(pos);
                            return Some(None);
                        }
                    }
                }
                Linear::Many { class, min, max } => {
                    let count;
                    (pos, count) = self.longest_run(*class, *max, haystack, pos);
                    work.furthest = work.furthest.max(pos);
                    if count < *min {
                        return Some(None);
                    }
                }
                Linear::Choice { lines, optional } => {
                    let rest = Rest { items: items.get(i + 1..).unwrap_or(&[]), then };
                    for (first, line) in lines {
                        if !first.admits(haystack, pos) {
                            continue;
                        }
                        if let Some(end) = self.line(line, Some(&rest), haystack, pos, work)? {
                            return Some(Some(end));
                        }
                    }
                    return if *optional { self.line(rest.items, then, haystack, pos, work) } else { Some(None) };
                }
            }
        }
        work.furthest = work.furthest.max(pos);
        match then {
            Some(rest) => self.line(rest.items, rest.then, haystack, pos, work),
            None => Some(Some(pos)),
        }
    }

    /// The bytes a character of class `class` can start with (any non-ASCII lead byte if it
    /// has a non-ASCII member).
    fn class_bytes(&self, class: u32) -> Bytes {
        let low = self.ascii.get(class as usize).copied().unwrap_or(u128::MAX);
        let wide = self.classes.get(class as usize).is_none_or(|ranges| ranges.iter().any(|(_, hi)| !hi.is_ascii()));
        Bytes { low, high: if wide { u128::MAX } else { 0 } }
    }

    /// Each node's first bytes and whether it can match empty (zero-width assertions read
    /// nothing), to a fixed point: a node may be shared, so ids do not order them.
    fn first_sets(&self) -> Vec<(Bytes, bool)> {
        let mut first = vec![(Bytes::default(), false); self.nodes.len()];
        let get = |first: &[(Bytes, bool)], id: u32| first.get(id as usize).copied().unwrap_or((Bytes::ALL, true));
        let mut changed = true;
        while changed {
            changed = false;
            for (id, node) in self.nodes.iter().enumerate().rev() {
                let facts = match node {
                    Node::Run(steps) => steps
                        .iter()
                        .find_map(|step| match *step {
                            Step::Byte(b) => Some((Bytes::of([b]), false)),
                            Step::Fold(b) => Some((Bytes::of([b, b.to_ascii_uppercase()]), false)),
                            Step::Look(_) => None,
                        })
                        .unwrap_or((Bytes::default(), true)),
                    Node::Seq(items) => first_of_seq(items, |item| get(&first, item)),
                    Node::Alt(items) => items.iter().fold((Bytes::default(), false), |(bytes, empty), item| {
                        let (b, e) = get(&first, *item);
                        (bytes.union(b), empty || e)
                    }),
                    Node::Rep(repeat) => {
                        let (b, e) = get(&first, repeat.sub);
                        (b, e || repeat.min == 0)
                    }
                    Node::One(class) => (self.class_bytes(*class), false),
                    Node::Many { class, min, .. } => (self.class_bytes(*class), *min == 0),
                };
                if let Some(slot) = first.get_mut(id) {
                    if *slot != facts {
                        *slot = facts;
                        changed = true;
                    }
                }
            }
        }
        first
    }

    /// Each node's follow set: the first bytes of whatever can come after it in the branch,
    /// everything where the branch can end after it. Also to a fixed point.
    fn follow_sets(&self) -> Vec<Bytes> {
        let mut follow = vec![Bytes::default(); self.nodes.len()];
        if let Some(root) = follow.get_mut(self.root as usize) {
            *root = Bytes::ALL;
        }
        let first = |id: u32| self.first.get(id as usize).copied().unwrap_or((Bytes::ALL, true));
        let mut changed = true;
        while changed {
            changed = false;
            for (id, node) in self.nodes.iter().enumerate() {
                let after = follow.get(id).copied().unwrap_or(Bytes::ALL);
                let mut add = |child: u32, bytes: Bytes| {
                    if let Some(slot) = follow.get_mut(child as usize) {
                        let grown = slot.union(bytes);
                        if grown != *slot {
                            *slot = grown;
                            changed = true;
                        }
                    }
                };
                match node {
                    Node::Seq(items) => {
                        for (i, item) in items.iter().enumerate() {
                            let rest = items.get(i + 1..).unwrap_or(&[]);
                            let (next, reaches_end) = first_of_seq(rest, first);
                            add(*item, if reaches_end { next.union(after) } else { next });
                        }
                    }
                    Node::Alt(items) => {
                        for item in items {
                            add(*item, after);
                        }
                    }
                    Node::Rep(repeat) => {
                        let again = if repeat.max > 1 { first(repeat.sub).0 } else { Bytes::default() };
                        add(repeat.sub, after.union(again));
                    }
                    Node::Run(_) | Node::One(_) | Node::Many { .. } => {}
                }
            }
        }
        follow
    }

    /// True if node `id` can match at `at`: it can match empty, or the byte there can start it.
    fn may_start(&self, id: u32, haystack: &str, at: usize) -> bool {
        self.first
            .get(id as usize)
            .is_none_or(|&(bytes, empty)| empty || haystack.as_bytes().get(at).is_some_and(|&b| bytes.contains(b)))
    }

    /// True if what follows node `id` can go on from `at`.
    fn may_follow(&self, id: u32, haystack: &str, at: usize) -> bool {
        self.follow.get(id as usize).is_none_or(|bytes| bytes.admits(haystack, at))
    }

    /// The longest run of at most `max` characters of `class` at `at`: where it ends, and how
    /// many characters it has.
    fn longest_run(&self, class: u32, max: u32, haystack: &str, at: usize) -> (usize, u32) {
        let (mut end, mut count) = (at, 0u32);
        if let Some(rest) = haystack.get(at..) {
            for c in rest.chars() {
                if count == max || !self.contains(class, c) {
                    break;
                }
                end += c.len_utf8();
                count += 1;
            }
        }
        (end, count)
    }

    /// True if class `class` holds `c`.
    fn contains(&self, class: u32, c: char) -> bool {
        if c.is_ascii() {
            return self.ascii.get(class as usize).is_some_and(|bits| (bits >> u32::from(c)) & 1 == 1);
        }
        self.classes.get(class as usize).is_some_and(|ranges| {
            ranges
                .binary_search_by(|(lo, hi)| {
                    if c < *lo {
                        std::cmp::Ordering::Greater
                    } else if c > *hi {
                        std::cmp::Ordering::Less
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok()
        })
    }

    fn seq(&self, items: &[u32], haystack: &str, at: usize, work: &mut Work, k: Cont<'_>) -> Option<bool> {
        match items {
            [] => k(at, work),
            [only] => self.go(*only, haystack, at, work, k),
            [first, rest @ ..] => {
                self.go(*first, haystack, at, work, &mut |next, work| self.seq(rest, haystack, next, work, k))
            }
        }
    }

    /// The rest of `repeat` after `count` times.
    fn rep(&self, repeat: Repeat, count: u32, haystack: &str, at: usize, work: &mut Work, k: Cont<'_>) -> Option<bool> {
        if count > MAX_ITERATIONS {
            return None;
        }
        let can_stop = count >= repeat.min;
        if !repeat.greedy && can_stop && k(at, work)? {
            return Some(true);
        }
        if count < repeat.max
            && self.go(repeat.sub, haystack, at, work, &mut |next, work| {
                self.rep(repeat, count + 1, haystack, next, work, k)
            })?
        {
            return Some(true);
        }
        if repeat.greedy && can_stop {
            return k(at, work);
        }
        Some(false)
    }

    /// Adds `class` to the class table (as character ranges; a byte class must be ASCII).
    fn class(&mut self, class: &Class) -> Option<u32> {
        let ranges: Vec<(char, char)> = match class {
            Class::Unicode(class) => class.ranges().iter().map(|r| (r.start(), r.end())).collect(),
            Class::Bytes(class) => class
                .ranges()
                .iter()
                .map(|r| {
                    (r.start().is_ascii() && r.end().is_ascii()).then(|| (char::from(r.start()), char::from(r.end())))
                })
                .collect::<Option<_>>()?,
        };
        let id = u32::try_from(self.classes.len()).ok()?;
        self.classes.push(Cow::Owned(ranges));
        Some(id)
    }

    fn push(&mut self, node: Node) -> Option<u32> {
        let id = u32::try_from(self.nodes.len()).ok()?;
        self.nodes.push(node);
        Some(id)
    }

    /// Adds the nodes for `hir`; returns the node and how many ways there are through it.
    fn build(&mut self, hir: &Hir) -> Option<(u32, u64)> {
        if self.nodes.len() > MAX_NODES {
            return None;
        }
        match hir.kind() {
            HirKind::Empty => Some((self.push(Node::Run(Vec::new()))?, 1)),
            HirKind::Literal(lit) => Some((self.push(Node::Run(lit.0.iter().map(|b| Step::Byte(*b)).collect()))?, 1)),
            HirKind::Class(class) => {
                let Some(members) = class_members(class) else {
                    let class = self.class(class)?;
                    return Some((self.push(Node::One(class))?, 1));
                };
                let ways = members.len() as u64;
                let node = match <[Vec<Step>; 1]>::try_from(members) {
                    Ok([only]) => Node::Run(only),
                    Err(members) => {
                        let ids = members.into_iter().map(|m| self.push(Node::Run(m))).collect::<Option<Vec<_>>>()?;
                        Node::Alt(ids)
                    }
                };
                Some((self.push(node)?, ways.max(1)))
            }
            HirKind::Look(look) => match look {
                Look::WordAscii
                | Look::WordAsciiNegate
                | Look::WordUnicode
                | Look::WordUnicodeNegate
                | Look::Start
                | Look::End
                | Look::StartLF
                | Look::EndLF => Some((self.push(Node::Run(vec![Step::Look(*look)]))?, 1)),
                _ => None,
            },
            HirKind::Capture(cap) => self.build(&cap.sub),
            HirKind::Repetition(rep) => {
                let max = rep.max.unwrap_or(u32::MAX);
                if let HirKind::Class(class) = rep.sub.kind() {
                    let class = self.class(class)?;
                    return Some((self.push(Node::Many { class, min: rep.min, max, greedy: rep.greedy })?, 2));
                }
                let (sub, ways) = self.build(&rep.sub)?;
                let paths = if max <= MAX_REPEAT {
                    (rep.min..=max).map(|n| ways.saturating_pow(n)).fold(0u64, u64::saturating_add)
                } else {
                    // Followed at most `MAX_ITERATIONS` times, and only if every time takes
                    // something (an empty iteration is where backtracking semantics differ).
                    if rep.sub.properties().minimum_len().is_none_or(|m| m == 0) {
                        return None;
                    }
                    ways.saturating_mul(2)
                };
                Some((self.push(Node::Rep(Repeat { sub, min: rep.min, max, greedy: rep.greedy }))?, paths))
            }
            HirKind::Concat(subs) => {
                let mut items: Vec<u32> = Vec::with_capacity(subs.len());
                let mut paths = 1u64;
                let mut run: Vec<Step> = Vec::new();
                for sub in subs {
                    let (id, ways) = self.build(sub)?;
                    paths = paths.saturating_mul(ways);
                    if paths > MAX_PATHS {
                        return None;
                    }
                    // Runs next to each other become one run.
                    if let Some(Node::Run(steps)) = self.nodes.get(id as usize) {
                        run.extend_from_slice(steps);
                        continue;
                    }
                    if !run.is_empty() {
                        items.push(self.push(Node::Run(std::mem::take(&mut run)))?);
                    }
                    items.push(id);
                }
                if !run.is_empty() || items.is_empty() {
                    items.push(self.push(Node::Run(run))?);
                }
                let node = match <[u32; 1]>::try_from(items) {
                    Ok([only]) => return Some((only, paths)),
                    Err(items) => Node::Seq(items),
                };
                Some((self.push(node)?, paths))
            }
            HirKind::Alternation(subs) => {
                let mut items = Vec::with_capacity(subs.len());
                let mut paths = 0u64;
                for sub in subs {
                    let (id, ways) = self.build(sub)?;
                    paths = paths.saturating_add(ways);
                    items.push(id);
                }
                Some((self.push(Node::Alt(items))?, paths))
            }
        }
    }
}

/// The first bytes of a sequence of nodes, given each node's (`first`): those of its items up to
/// the first that cannot match empty; and whether all of them can.
fn first_of_seq(items: &[u32], first: impl Fn(u32) -> (Bytes, bool)) -> (Bytes, bool) {
    let mut bytes = Bytes::default();
    for item in items {
        let (b, empty) = first(*item);
        bytes = bytes.union(b);
        if !empty {
            return (bytes, false);
        }
    }
    (bytes, true)
}

/// A continuation: called with where a node's match ends; `Some(true)` accepts the match.
type Cont<'a> = &'a mut dyn FnMut(usize, &mut Work) -> Option<bool>;

/// Most nodes in one matcher.
const MAX_NODES: usize = 1 << 14;
/// Largest repetition whose ways are counted one by one (`x{0,4}`).
const MAX_REPEAT: u32 = 4;

/// Where `step` taken at `at` ends, if it can be taken there.
#[inline]
fn take(step: Step, haystack: &str, at: usize) -> Option<usize> {
    let bytes = haystack.as_bytes();
    match step {
        Step::Byte(b) => (bytes.get(at) == Some(&b)).then_some(at + 1),
        Step::Fold(b) => bytes.get(at).is_some_and(|h| h.to_ascii_lowercase() == b).then_some(at + 1),
        Step::Look(look) => holds(look, haystack, at).then_some(at),
    }
}

/// True if `look` holds at byte `at` (a character boundary) of `haystack`.
fn holds(look: Look, haystack: &str, at: usize) -> bool {
    let bytes = haystack.as_bytes();
    let ascii_word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    let unicode_word = |c: Option<char>| c.is_some_and(|c| regex_syntax::try_is_word_character(c).unwrap_or(false));
    let before = || haystack.get(..at).and_then(|s| s.chars().next_back());
    let after = || haystack.get(at..).and_then(|s| s.chars().next());
    let ascii_before = || ascii_word(at.checked_sub(1).and_then(|i| bytes.get(i)));
    match look {
        Look::WordAscii => ascii_before() != ascii_word(bytes.get(at)),
        Look::WordAsciiNegate => ascii_before() == ascii_word(bytes.get(at)),
        Look::WordUnicode => unicode_word(before()) != unicode_word(after()),
        Look::WordUnicodeNegate => unicode_word(before()) == unicode_word(after()),
        Look::Start => at == 0,
        Look::StartLF => at == 0 || at.checked_sub(1).and_then(|i| bytes.get(i)) == Some(&b'\n'),
        Look::EndLF => at == haystack.len() || bytes.get(at) == Some(&b'\n'),
        Look::End => at == haystack.len(),
        _ => false,
    }
}

/// A class as one alternative per character: an ASCII letter with its other case is one folded
/// step (its non-ASCII variants dropped, see the module notes). Distinct characters never match
/// at the same place, so their order does not matter.
fn class_members(class: &Class) -> Option<Vec<Vec<Step>>> {
    let mut chars: Vec<Vec<u8>> = Vec::new();
    let mut push = |bytes: Vec<u8>| {
        chars.push(bytes);
        (chars.len() <= MAX_CLASS).then_some(())
    };
    match class {
        Class::Unicode(class) => {
            for range in class.ranges() {
                for c in range.start()..=range.end() {
                    if !FOLDS_TO_ASCII.contains(&c) {
                        push(c.to_string().into_bytes())?;
                    }
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.ranges() {
                for b in range.start()..=range.end() {
                    // Other bytes would split a UTF-8 sequence of a `&str` haystack.
                    if !b.is_ascii() {
                        return None;
                    }
                    push(vec![b])?;
                }
            }
        }
    }
    let has = |b: u8| chars.iter().any(|c| c.as_slice() == [b]);
    let mut out = Vec::with_capacity(chars.len());
    for bytes in &chars {
        match bytes.as_slice() {
            [b] if b.is_ascii_alphabetic() && has(b.to_ascii_lowercase()) && has(b.to_ascii_uppercase()) => {
                // Both cases: one folded step, added once (for the lower case).
                if b.is_ascii_lowercase() {
                    out.push(vec![Step::Fold(*b)]);
                }
            }
            other => out.push(other.iter().map(|b| Step::Byte(*b)).collect()),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Exact, Options};

    /// Pieces of phrase branches: literals, runs of spaces, optional letters, alternations
    /// whose order matters, short repetitions and boundaries.
    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a",
            "ab",
            "b",
            " ",
            r"\s+",
            r"\s*",
            "s?",
            r"\w+",
            r"\w",
            "(?:a|ab)",
            "(?:ab|a)",
            "(?:b|a)?",
            r"(?:\w+ ){0,2}",
            "(?:a ){1,3}",
            r"(?-u:\b)",
            r"\b",
            "[ab]",
            ",? ",
            r"\d+",
            r"\+?",
            "1",
            "(?:1|a )?",
        ])
    }

    /// `exact` matching by its line (made now, whatever the haystack), or by the search.
    fn with_line(exact: &Exact, linear: bool) -> Exact {
        let copy = exact.clone();
        let _ = copy.linear.set(if linear { exact.linear_form() } else { None });
        copy
    }

    /// A haystack long enough for the line to be used.
    fn padded(text: &str) -> String {
        format!("{text}{}", ".".repeat(super::LINE_FROM))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Wherever a branch can be matched as a line, the line finds what the backtracking
        /// search finds, at every start.
        #[test]
        fn a_line_matches_as_the_search_does(
            pieces in prop::collection::vec(piece(), 1..6),
            text in "[ab1+ ,]{0,24}",
            ci in any::<bool>(),
        ) {
            let source: String = pieces.concat();
            let Some(exact) = Exact::expand(&source, Options::case_insensitive(ci)) else { return Ok(()) };
            if exact.linear_form().is_none() {
                return Ok(());
            }
            let (line, search) = (with_line(&exact, true), with_line(&exact, false));
            let haystack = padded(&text);
            for start in 0..=text.len() + 1 {
                let want = search.match_at(&haystack, start).map(|v| v.end);
                prop_assert_eq!(line.match_at(&haystack, start).map(|v| v.end), want, "{} at {}", source, start);
            }
        }
    }

    #[test]
    fn phrases_are_lines_and_runs_that_might_give_back_are_not() {
        let linear = |source: &str| {
            Exact::expand(source, Options::case_insensitive(true)).is_some_and(|exact| exact.linear_form().is_some())
        };
        assert!(linear(r"(?-u:\b)send\s+them\s+my\s+way(?-u:\b)"));
        assert!(linear(r"(?:any|every)(?:one|body) (?:who|that)s? (?:\w+ ){0,3}runs?"));
        // A run followed by what cannot begin with its class, through assertions and choices.
        assert!(linear(r"\d+\+? (?:years|yrs)"));
        assert!(linear(r"a\s+\bb"));
        // A run followed by something it could take, or by what may take nothing.
        assert!(!linear(r"a\s+\sb"));
        assert!(!linear(r"\w+\b"));
        assert!(!linear(r"\s+(?:a| )"));
        assert!(!linear(r"\w+(?:a)?(?:b|c)"));
        assert!(!linear(r"(?:\w+)?\b"));
        // A lazy run, and an unbounded repetition of more than a character.
        assert!(!linear(r"a\s+?b"));
        assert!(!linear(r"(?:ab )+c"));
    }
}
