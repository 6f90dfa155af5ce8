//! Reading a regex's syntax tree, without compiling it, for what the matcher needs: its
//! top-level *branches* (the alternatives tried in order) and, for each branch, either its
//! *anchors*, a finite set of literals such that every match of the branch begins with one of
//! them, or failing that its *required* literals, one of which every match contains somewhere.
//!
//! Invariants, on which exact matching rests (see [`super`]):
//! - the branches, tried in order at one position, give the same leftmost-first match as the
//!   whole regex there: `A|B` tries `A` first, and a zero-width, single-path prefix or suffix
//!   distributes over an alternation (`\b(?:a|b)\b` is `\ba\b|\bb\b`);
//! - anchors are compared with ASCII letters folded. Every other case variant of a literal is
//!   listed, except the two non-ASCII characters that fold to ASCII letters (KELVIN SIGN and
//!   LONG S, see [`FOLDS_TO_ASCII`]); a haystack containing either is searched the slow way;
//! - an anchor marked `word_start` begins with an ASCII word byte right after a word-boundary
//!   assertion, so a match there needs a non-word byte (or the start of the haystack) before it.
//!
//! Everything here is an over-approximation: when unsure, a set is cut short (a shorter prefix
//! is still a prefix) or the branch is declared unanchored, which makes the caller fall back to
//! running the whole regex.

use regex_syntax::ast::{self, AssertionKind, Ast, ClassSet, ClassSetItem, RepetitionKind, RepetitionRange};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

/// The non-ASCII characters whose simple case folding includes an ASCII letter: `(?i)k` matches
/// U+212A KELVIN SIGN and `(?i)s` matches U+017F LONG S. Anchors leave them out.
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// Most literals kept for one branch (more are cut to shorter prefixes).
const MAX_LITERALS: usize = 64;
/// Anchors stop growing once every literal is at least this long: long enough to be rare.
const LONG_ENOUGH: usize = 10;
/// Largest class expanded into literals; bigger classes end the prefix.
const MAX_CLASS: usize = 12;
/// Most branches a regex is split into; beyond that it is one branch.
const MAX_BRANCHES: usize = 2048;

/// A literal every match of a branch begins with.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Anchor {
    /// The literal, ASCII letters in lower case.
    pub bytes: Vec<u8>,
    /// A match here needs a non-word byte, or nothing, before it.
    pub word_start: bool,
}

/// One top-level alternative of a regex: a standalone pattern and how to find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Branch {
    /// The branch as a regex of its own (same flags as the whole).
    pub pattern: String,
    /// What every match of the branch starts with, or contains.
    pub literals: Literals,
}

/// The literals of a branch; never empty, and no literal is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literals {
    /// Every match starts with one of these (ASCII letters in lower case).
    Anchors(Vec<Anchor>),
    /// Every match contains one of these somewhere (ASCII letters in lower case).
    Required(Vec<Vec<u8>>),
    /// Every match starts at the start of the haystack (`^`, `\A`).
    AtStart(AtStart),
    /// No literal worth finding (none, or only ones as common as a comma), but the bytes a
    /// match opens with are rare enough to find its starts (see
    /// [`super::starts::Filter::for_branch`]): `(?-i:[A-Z][A-Za-z]*[A-Z])`.
    Filtered,
}

/// What a branch that only matches at the start of the haystack needs there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AtStart {
    /// The haystack, after its leading whitespace when `skip_space`, starts with one of these
    /// (ASCII letters in lower case); none of them starts with whitespace.
    pub prefixes: Option<Vec<Vec<u8>>>,
    /// Leading whitespace is skipped before looking for `prefixes` (the branch opens `^\s*`).
    pub skip_space: bool,
    /// The haystack contains one of these somewhere.
    pub required: Option<Vec<Vec<u8>>>,
}

/// Splits `pattern` into branches with their literals. `None` if it does not parse, or if some
/// branch has no literal at all (`\w{13,}`), so that only the whole regex can find its matches.
pub fn analyse(pattern: &str) -> Option<Vec<Branch>> {
    let ast = ast::parse::Parser::new().parse(pattern).ok()?;
    let mut pieces = Vec::new();
    split(pattern, &ast, &mut pieces)?;
    let line_mode = sets_multi_line(&ast);
    pieces
        .into_iter()
        .map(|piece| {
            let literals = match (at_start(&piece.seq, line_mode), anchors(&piece.seq)) {
                (Some(start), _) => Literals::AtStart(start),
                // A branch opening with whitespace would be a candidate at every space: a
                // literal it contains, if it has one, says more.
                (None, Some(anchors)) if anchors.iter().any(|a| is_lone_space(&a.bytes)) => {
                    required(&piece.seq).map_or(Literals::Anchors(anchors), Literals::Required)
                }
                (None, Some(anchors)) => Literals::Anchors(anchors),
                // Without anchors, a branch is found by the literals it requires, unless they
                // are common in prose (a comma) and the bytes it opens with are rare (two
                // capitals in a word): then by those.
                (None, None) => match required(&piece.seq) {
                    Some(required) if !required.iter().any(|l| super::plan::is_dense(l)) => {
                        Literals::Required(required)
                    }
                    _ if super::starts::Filter::for_branch(&piece.text).is_some() => Literals::Filtered,
                    required => Literals::Required(required?),
                },
            };
            Some(Branch { pattern: piece.text, literals })
        })
        .collect::<Option<Vec<Branch>>>()
        // A pattern whose every branch is filtered is searched whole, with a filter of its own.
        .filter(|branches| branches.iter().any(|b| !matches!(b.literals, Literals::Filtered)))
}

/// The items of `seq` with concatenations and groups opened up (the same language, in order).
fn flatten<'a>(seq: &[&'a Ast], out: &mut Vec<&'a Ast>) {
    for item in seq {
        match item {
            Ast::Concat(concat) => flatten(&concat.asts.iter().collect::<Vec<_>>(), out),
            Ast::Group(group) if matches!(&*group.ast, Ast::Concat(_)) => flatten(&[&*group.ast], out),
            other => out.push(other),
        }
    }
}

/// What a branch opening with `^` or `\A` needs at the start of the haystack (`None` for
/// other branches). With `line_mode` somewhere in the pattern, `^` may match after any newline.
fn at_start(seq: &[&Ast], line_mode: bool) -> Option<AtStart> {
    let mut items = Vec::new();
    flatten(seq, &mut items);
    items.retain(|a| !matches!(a, Ast::Flags(_) | Ast::Empty(_)));
    let starts = match items.first() {
        Some(Ast::Assertion(a)) => match a.kind {
            AssertionKind::StartText => true,
            AssertionKind::StartLine => !line_mode,
            _ => false,
        },
        _ => false,
    };
    if !starts {
        return None;
    }
    let mut rest = items.get(1..).unwrap_or(&[]);
    let skip_space = rest.first().is_some_and(|a| is_space_star(a));
    if skip_space {
        rest = rest.get(1..).unwrap_or(&[]);
    }
    let prefixes = sequence(rest).map(|p| p.lits.into_iter().map(|l| l.bytes).collect::<Vec<_>>()).filter(|lits| {
        !lits.is_empty()
            && lits.iter().all(|l| {
                let first = std::str::from_utf8(l).ok().and_then(|t| t.chars().next());
                first.is_some_and(|c| !c.is_whitespace())
            })
    });
    // A literal somewhere keeps matches non-empty, which the search relies on.
    let required = required(seq);
    (prefixes.is_some() || required.is_some()).then_some(AtStart { prefixes, skip_space, required })
}

/// True for `\s*` (greedy or not): leading whitespace of any length.
fn is_space_star(ast: &Ast) -> bool {
    let Ast::Repetition(rep) = ast else { return false };
    is_space(ast) && matches!(rep.op.kind, RepetitionKind::ZeroOrMore)
}

/// True if the pattern sets or clears the multi-line flag anywhere.
fn sets_multi_line(ast: &Ast) -> bool {
    let multi = |flags: &ast::Flags| {
        flags.items.iter().any(|i| matches!(i.kind, ast::FlagsItemKind::Flag(ast::Flag::MultiLine)))
    };
    match ast {
        Ast::Flags(set) => multi(&set.flags),
        Ast::Group(group) => group.flags().is_some_and(multi) || sets_multi_line(&group.ast),
        Ast::Concat(concat) => concat.asts.iter().any(sets_multi_line),
        Ast::Alternation(alt) => alt.asts.iter().any(sets_multi_line),
        Ast::Repetition(rep) => sets_multi_line(&rep.ast),
        _ => false,
    }
}

/// A branch being built: its text and the syntax nodes it is the concatenation of.
struct Piece<'a> {
    text: String,
    seq: Vec<&'a Ast>,
}

/// The text of `ast` in `pattern`.
fn text_of<'p>(pattern: &'p str, ast: &Ast) -> &'p str {
    let span = ast.span();
    pattern.get(span.start.offset..span.end.offset).unwrap_or("")
}

/// Appends the branches of `ast` to `out`. `None` means the split would not be exact (a flag
/// directive such as `(?i)` inside an alternation changes the branches after it).
fn split<'a>(pattern: &str, ast: &'a Ast, out: &mut Vec<Piece<'a>>) -> Option<()> {
    match ast {
        Ast::Alternation(alt) => {
            if alt.asts.iter().any(has_direct_flags) {
                return None;
            }
            for branch in &alt.asts {
                split(pattern, branch, out)?;
                if out.len() > MAX_BRANCHES {
                    return None;
                }
            }
            Some(())
        }
        _ => {
            for piece in distribute(pattern, ast) {
                out.push(piece);
            }
            Some(())
        }
    }
}

/// A branch that is a zero-width prefix, one group holding an alternation and a zero-width
/// suffix becomes one branch per alternative; anything else is one branch as written.
fn distribute<'a>(pattern: &str, ast: &'a Ast) -> Vec<Piece<'a>> {
    let whole = || vec![Piece { text: text_of(pattern, ast).to_owned(), seq: vec![ast] }];
    let items: Vec<&Ast> = match ast {
        Ast::Concat(concat) => concat.asts.iter().collect(),
        other => vec![other],
    };
    let mut alternation_at = None;
    for (i, item) in items.iter().enumerate() {
        if is_zero_width(item) {
            continue;
        }
        match (alternation_at, group_alternation(item)) {
            (None, Some(_)) => alternation_at = Some(i),
            _ => return whole(),
        }
    }
    let Some(at) = alternation_at else { return whole() };
    let (Some(Ast::Group(group)), Some(alt)) = (items.get(at), items.get(at).and_then(|i| group_alternation(i))) else {
        return whole();
    };
    if alt.asts.iter().any(has_direct_flags) {
        return whole();
    }
    let before: Vec<&Ast> = items.get(..at).unwrap_or(&[]).to_vec();
    let after: Vec<&Ast> = items.get(at + 1..).unwrap_or(&[]).to_vec();
    let prefix: String = before.iter().map(|a| text_of(pattern, a)).collect();
    let suffix: String = after.iter().map(|a| text_of(pattern, a)).collect();
    let open = pattern.get(group.span.start.offset..group.ast.span().start.offset).unwrap_or("(?:");
    let mut out = Vec::new();
    for alternative in &alt.asts {
        for inner in distribute(pattern, alternative) {
            let mut seq = before.clone();
            seq.extend(inner.seq);
            seq.extend(after.iter().copied());
            let text = format!("{prefix}{open}{}){suffix}", inner.text);
            out.push(Piece { text, seq });
            if out.len() > MAX_BRANCHES {
                return whole();
            }
        }
    }
    out
}

/// The alternation directly inside a group, if `ast` is such a group.
fn group_alternation(ast: &Ast) -> Option<&ast::Alternation> {
    match ast {
        Ast::Group(group) => match &*group.ast {
            Ast::Alternation(alt) => Some(alt),
            _ => None,
        },
        _ => None,
    }
}

/// True for assertions and groups of assertions: they match the empty string in one way only.
fn is_zero_width(ast: &Ast) -> bool {
    match ast {
        Ast::Assertion(_) => true,
        Ast::Group(group) => is_zero_width(&group.ast),
        Ast::Concat(concat) => concat.asts.iter().all(is_zero_width),
        _ => false,
    }
}

/// True if a branch sets flags for what follows it (`a(?i)b`), which leaks into later branches.
fn has_direct_flags(ast: &Ast) -> bool {
    match ast {
        Ast::Flags(_) => true,
        Ast::Concat(concat) => concat.asts.iter().any(|a| matches!(a, Ast::Flags(_))),
        _ => false,
    }
}

/// A set of literal prefixes: `exact` when the literals are whole matches (so what follows may
/// be appended), otherwise only prefixes.
#[derive(Clone, Debug)]
struct Prefixes {
    lits: Vec<Anchor>,
    exact: bool,
}

impl Prefixes {
    fn empty() -> Self {
        Self { lits: vec![Anchor { bytes: Vec::new(), word_start: false }], exact: true }
    }

    fn boundary() -> Self {
        Self { lits: vec![Anchor { bytes: Vec::new(), word_start: true }], exact: true }
    }

    fn inexact(mut self) -> Self {
        self.exact = false;
        self
    }

    /// Each of `self` followed by each of `next`.
    fn cross(mut self, next: &Prefixes) -> Prefixes {
        if let [only] = next.lits.as_slice() {
            // The common case, one more character: extend in place.
            for a in &mut self.lits {
                if a.bytes.is_empty() {
                    a.word_start |= only.word_start;
                }
                a.bytes.extend_from_slice(&only.bytes);
            }
            self.exact &= next.exact;
            return self;
        }
        let mut lits = Vec::with_capacity(self.lits.len() * next.lits.len());
        for a in &self.lits {
            for b in &next.lits {
                let mut bytes = a.bytes.clone();
                bytes.extend_from_slice(&b.bytes);
                let word_start = if a.bytes.is_empty() { a.word_start || b.word_start } else { a.word_start };
                lits.push(Anchor { bytes, word_start });
            }
        }
        let mut out = Prefixes { lits, exact: self.exact && next.exact };
        out.dedup();
        out
    }

    /// Sorts and removes duplicates; of two equal literals the weaker condition is kept.
    fn dedup(&mut self) {
        self.lits.sort();
        self.lits.dedup_by(|later, earlier| {
            if later.bytes == earlier.bytes {
                earlier.word_start &= later.word_start;
                true
            } else {
                false
            }
        });
    }

    /// Cuts literals to shorter prefixes until at most `limit` remain.
    fn shrink(mut self, limit: usize) -> Prefixes {
        if self.lits.len() <= limit {
            return self;
        }
        self.exact = false;
        let longest = self.lits.iter().map(|l| l.bytes.len()).max().unwrap_or(0);
        for len in (0..longest).rev() {
            for lit in &mut self.lits {
                cut(&mut lit.bytes, len);
            }
            self.dedup();
            if self.lits.len() <= limit {
                break;
            }
        }
        self
    }
}

/// Truncates `bytes` to at most `len` bytes without splitting a UTF-8 sequence.
fn cut(bytes: &mut Vec<u8>, len: usize) {
    if bytes.len() <= len {
        return;
    }
    let mut at = len;
    while at > 0 && bytes.get(at).is_some_and(|b| b & 0xC0 == 0x80) {
        at -= 1;
    }
    bytes.truncate(at);
}

/// The anchors of a branch made of `seq` in order, or `None` if a match could start with
/// anything.
fn anchors(seq: &[&Ast]) -> Option<Vec<Anchor>> {
    let prefixes = sequence(seq)?;
    if prefixes.lits.iter().any(|l| l.bytes.is_empty()) {
        return None;
    }
    let mut lits = prefixes.lits;
    // A boundary before a non-word character asks for a word character before it instead.
    for lit in &mut lits {
        lit.word_start &= lit.bytes.first().is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    }
    // "in" already finds every "in order": keep the shorter when its condition is no stronger.
    lits.sort_by(|a, b| a.bytes.len().cmp(&b.bytes.len()).then_with(|| a.cmp(b)));
    let mut kept: Vec<Anchor> = Vec::with_capacity(lits.len());
    for lit in lits {
        let covered = kept.iter().any(|k| lit.bytes.starts_with(&k.bytes) && (!k.word_start || lit.word_start));
        if !covered {
            kept.push(lit);
        }
    }
    kept.sort();
    Some(kept)
}

/// Literals one of which every match of the concatenation of `seq` contains, the most selective
/// found: the longest shortest literal, then the fewest literals.
fn required(seq: &[&Ast]) -> Option<Vec<Vec<u8>>> {
    let best = required_in(seq)?;
    let mut lits: Vec<Vec<u8>> = best.lits.into_iter().map(|l| l.bytes).collect();
    // Finding "% off" finds every " % off" too.
    lits.sort_by_key(Vec::len);
    let mut kept: Vec<Vec<u8>> = Vec::with_capacity(lits.len());
    for lit in lits {
        if !kept.iter().any(|k| lit.windows(k.len()).any(|w| w == k.as_slice())) {
            kept.push(lit);
        }
    }
    kept.sort();
    Some(kept)
}

fn required_in(seq: &[&Ast]) -> Option<Prefixes> {
    let mut best: Option<Prefixes> = None;
    let mut run_start = true;
    for (i, item) in seq.iter().enumerate() {
        // A run of literal pieces: exact ones may be followed by more, an inexact one ends it.
        if run_start {
            let mut acc = Prefixes::empty();
            for next in seq.get(i..).unwrap_or(&[]) {
                let Some(p) = prefixes(next) else { break };
                if acc.lits.len() * p.lits.len() > MAX_LITERALS {
                    break;
                }
                acc = acc.cross(&p);
                if !p.exact {
                    break;
                }
            }
            best = better(best, acc);
        }
        best = match required_of(item) {
            Some(inner) => better(best, inner),
            None => best,
        };
        run_start = prefixes(item).is_none_or(|p| !p.exact);
    }
    best
}

/// Required literals of one node, looking inside groups, repetitions and alternations.
fn required_of(ast: &Ast) -> Option<Prefixes> {
    match ast {
        Ast::Group(group) => required_of(&group.ast),
        Ast::Concat(concat) => required_in(&concat.asts.iter().collect::<Vec<_>>()),
        Ast::Repetition(rep) => {
            let at_least_once = match &rep.op.kind {
                RepetitionKind::OneOrMore => true,
                RepetitionKind::Range(RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n)) => *n > 0,
                RepetitionKind::Range(RepetitionRange::Bounded(m, _)) => *m > 0,
                RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => false,
            };
            if at_least_once { required_of(&rep.ast) } else { None }
        }
        Ast::Alternation(alt) => {
            let mut lits = Vec::new();
            for branch in &alt.asts {
                let set = required_of(branch).or_else(|| prefixes(branch))?;
                if set.lits.iter().any(|l| l.bytes.is_empty()) {
                    return None;
                }
                lits.extend(set.lits);
            }
            let mut set = Prefixes { lits, exact: false };
            set.dedup();
            Some(set.shrink(MAX_LITERALS))
        }
        _ => None,
    }
}

/// The more selective of two literal sets (a set with an empty literal selects nothing).
fn better(current: Option<Prefixes>, candidate: Prefixes) -> Option<Prefixes> {
    let score =
        |p: &Prefixes| (p.lits.iter().map(|l| l.bytes.len()).min().unwrap_or(0), std::cmp::Reverse(p.lits.len()));
    if candidate.lits.is_empty() || candidate.lits.iter().any(|l| l.bytes.is_empty()) {
        return current;
    }
    match current {
        Some(current) if score(&current) >= score(&candidate) => Some(current),
        _ => Some(candidate),
    }
}

/// Prefixes of the concatenation of `seq`.
///
/// A run of whitespace (`\s+`, `\s*`) between words is looked through: nearly always it is one
/// space, so `in\s+light` has the anchor `in light`, plus the short ones that cover every other
/// run (`in` and a whitespace character other than a space, or `in` and a space and another
/// whitespace character). Without this, a word list's first words (`in`, `the`, `a`) would be
/// its anchors, and they start a large share of the words of any text.
fn sequence(seq: &[&Ast]) -> Option<Prefixes> {
    let mut acc = Prefixes::empty();
    // Literals that cover the less common whitespace runs looked through so far (inexact).
    let mut loose: Vec<Anchor> = Vec::new();
    // After a run looked through, what the next item must not start with (`None`: no run).
    let mut after_run: Option<Vec<Vec<u8>>> = None;
    let finish = |acc: Prefixes, loose: Vec<Anchor>| {
        let mut out = acc.inexact();
        if !loose.is_empty() {
            out.lits.extend(loose);
            out.dedup();
        }
        out
    };
    for (i, item) in seq.iter().enumerate() {
        let Some(next) = prefixes(item) else {
            return if i == 0 { None } else { Some(finish(acc, loose)) };
        };
        if let Some(run) = after_run.take() {
            let outside = |l: &Anchor| !run.iter().any(|c| l.bytes.starts_with(c)) && !l.bytes.is_empty();
            let clear = if run.is_empty() {
                next.lits.iter().all(starts_with_non_space)
            } else {
                next.lits.iter().all(outside)
            };
            if !clear {
                return Some(finish(acc, loose));
            }
        }
        let short = acc.lits.iter().any(|l| l.bytes.len() < LOOK_THROUGH_BELOW);
        if i > 0 && !short && is_space(item) {
            // Long enough to anchor already: whitespace would only multiply the literals.
            return Some(finish(acc, loose));
        }
        if let Some(min) = space_run(item).filter(|_| short && i > 0 && i + 1 < seq.len()) {
            // `acc` then one space (or, for `\s*`, nothing), to be followed by the next item;
            // every other run starts with one of `others`.
            let space_starts = || std::iter::once(&b" "[..]).chain(OTHER_SPACE_STARTS);
            let others: Vec<Vec<u8>> = OTHER_SPACE_STARTS
                .iter()
                .map(|b| b.to_vec())
                .chain(space_starts().map(|b| [b" ", b].concat()))
                .collect();
            if let Some(through) = look_through(&acc, &loose, &[b" ".to_vec()], min, others) {
                (acc, loose) = through;
                after_run = Some(Vec::new());
                continue;
            }
        }
        if let Some((min, chars)) = char_run(item).filter(|_| short && i + 1 < seq.len()) {
            // The same for a run of one of a few characters (`u+m+`): one of them, then the next
            // item, or two of them.
            let two: Vec<Vec<u8>> =
                chars.iter().flat_map(|a| chars.iter().map(move |b| [a.as_slice(), b].concat())).collect();
            if let Some(through) = look_through(&acc, &loose, &chars, min, two) {
                (acc, loose) = through;
                after_run = Some(chars);
                continue;
            }
        }
        if acc.lits.len() * next.lits.len() + loose.len() > MAX_LITERALS {
            return Some(finish(acc, loose));
        }
        if let Some(taken) = optional_part(item).filter(|_| !next.exact && i + 1 < seq.len()) {
            // An optional item only partly known (`(?:don't forget to )?like`): where it is
            // there, its prefixes end the literal; where it is not, the next items go on.
            if loose.len() + acc.lits.len() * taken.lits.len() <= MAX_LITERALS {
                loose.extend(acc.clone().cross(&taken.inexact()).lits);
                continue;
            }
        }
        let next = match whole_alternatives(item).filter(|_| !next.exact && i + 1 < seq.len()) {
            // A group of alternatives of which only some are known whole (`it|web|social media`,
            // the last cut short): those that are not end their literals in `loose`, and the
            // rest go on with the next items, as a set of whole literals (`it stuff`, not `it`).
            Some((whole, ended))
                if loose.len() + acc.lits.len() * (whole.lits.len() + ended.lits.len()) <= MAX_LITERALS =>
            {
                loose.extend(acc.clone().cross(&ended).lits);
                whole
            }
            _ => next,
        };
        acc = acc.cross(&next);
        let long = acc.lits.iter().all(|l| l.bytes.len() >= LONG_ENOUGH);
        if !acc.exact || (long && i + 1 < seq.len()) {
            return Some(finish(acc, loose));
        }
    }
    Some(if loose.is_empty() { acc } else { finish(acc, loose) })
}

/// The characters `\s` matches (Unicode `White_Space`; ASCII `\s` is a subset).
const WHITESPACE: [char; 25] = [
    '\t', '\n', '\u{B}', '\u{C}', '\r', ' ', '\u{85}', '\u{A0}', '\u{1680}', '\u{2000}', '\u{2001}', '\u{2002}',
    '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}', '\u{2009}', '\u{200A}', '\u{2028}',
    '\u{2029}', '\u{202F}', '\u{205F}', '\u{3000}',
];

/// Whitespace runs are looked through only after a literal this short: a longer one is rare
/// enough in prose to be an anchor as it is.
const LOOK_THROUGH_BELOW: usize = 5;

/// How each whitespace character but the space begins: the ASCII ones, then the leading bytes
/// of the others' UTF-8 (a literal that ends inside a character still finds where it starts,
/// and five heads stand for nineteen characters).
const OTHER_SPACE_STARTS: [&[u8]; 10] =
    [b"\t", b"\n", b"\x0B", b"\x0C", b"\r", b"\xC2", b"\xE1\x9A", b"\xE2\x80", b"\xE2\x81", b"\xE3\x80"];

/// Looks through a run after `acc`: the run's common form (`once`: each of these once, or, with
/// `min` 0, not at all) goes on to the next item; every other form starts with one of `others`,
/// which end their literals in `loose`. `None` if that would make too many literals.
fn look_through(
    acc: &Prefixes,
    loose: &[Anchor],
    once: &[Vec<u8>],
    min: u32,
    others: Vec<Vec<u8>>,
) -> Option<(Prefixes, Vec<Anchor>)> {
    let anchor = |bytes: Vec<u8>| Anchor { bytes, word_start: false };
    let fits = loose.len() + acc.lits.len() * (others.len() + once.len()) <= MAX_LITERALS;
    if !fits {
        return None;
    }
    let mut loose = loose.to_vec();
    let others = Prefixes { lits: others.into_iter().map(anchor).collect(), exact: false };
    loose.extend(acc.clone().cross(&others).lits);
    let mut run: Vec<Anchor> = once.iter().cloned().map(anchor).collect();
    if min == 0 {
        run.push(anchor(Vec::new()));
    }
    let mut run = Prefixes { lits: run, exact: true };
    run.dedup();
    Some((acc.clone().cross(&run), loose))
}

/// True if `bytes` is one whitespace character.
fn is_lone_space(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes).is_ok_and(|t| t.chars().count() == 1 && t.chars().all(char::is_whitespace))
}

/// For a group of alternatives some of whose prefix sets are whole and some not: the whole
/// ones' literals together (exact), and the others' (inexact). `None` unless both are there and
/// every literal has at least a byte.
fn whole_alternatives(ast: &Ast) -> Option<(Prefixes, Prefixes)> {
    let alt = group_alternation(ast)?;
    let mut whole = Prefixes { lits: Vec::new(), exact: true };
    let mut ended = Prefixes { lits: Vec::new(), exact: false };
    for branch in &alt.asts {
        let set = prefixes(branch)?;
        if set.lits.iter().any(|l| l.bytes.is_empty()) {
            return None;
        }
        if set.exact { &mut whole } else { &mut ended }.lits.extend(set.lits);
    }
    if whole.lits.is_empty() || ended.lits.is_empty() {
        return None;
    }
    whole.dedup();
    ended.dedup();
    Some((whole, ended))
}

/// True if `anchor` is not empty and does not start with whitespace.
fn starts_with_non_space(anchor: &Anchor) -> bool {
    std::str::from_utf8(&anchor.bytes).ok().and_then(|t| t.chars().next()).is_some_and(|c| !c.is_whitespace())
}

/// For an item that may match nothing (`X?`, `X*`, `X{0,n}`): the prefixes of `X` when it is
/// there, if every one of them is a literal of at least one byte.
fn optional_part(ast: &Ast) -> Option<Prefixes> {
    let Ast::Repetition(rep) = ast else { return None };
    let optional = match &rep.op.kind {
        RepetitionKind::ZeroOrOne | RepetitionKind::ZeroOrMore => true,
        RepetitionKind::Range(RepetitionRange::Exactly(n) | RepetitionRange::AtLeast(n)) => *n == 0,
        RepetitionKind::Range(RepetitionRange::Bounded(m, _)) => *m == 0,
        RepetitionKind::OneOrMore => false,
    };
    let inner = prefixes(&rep.ast).filter(|p| optional && p.lits.iter().all(|l| !l.bytes.is_empty()))?;
    Some(inner)
}

/// Most characters a run is looked through for: its literals grow as their square.
const MAX_RUN_CHARS: usize = 4;

/// For a repetition of one of a few characters that may repeat (`u+`, `[ab]*`, `x{1,3}`; not
/// whitespace): the least number of times it matches, and the characters (as anchors spell
/// them).
fn char_run(ast: &Ast) -> Option<(u32, Vec<Vec<u8>>)> {
    let Ast::Repetition(rep) = ast else { return None };
    if is_space(ast) {
        return None;
    }
    let min = run_min(&rep.op.kind)?;
    let inner = prefixes(&rep.ast)?;
    let single = |l: &Anchor| std::str::from_utf8(&l.bytes).is_ok_and(|t| t.chars().count() == 1);
    let chars = inner.exact && inner.lits.len() <= MAX_RUN_CHARS && inner.lits.iter().all(single);
    chars.then(|| (min, inner.lits.into_iter().map(|l| l.bytes).collect()))
}

/// True for `\s`, alone or repeated.
fn is_space(ast: &Ast) -> bool {
    let inner = match ast {
        Ast::Repetition(rep) => &*rep.ast,
        other => other,
    };
    matches!(inner, Ast::ClassPerl(c) if c.kind == ast::ClassPerlKind::Space && !c.negated)
}

/// For `\s+` or `\s*` (greedy or not, or `{0,}`/`{1,}` with any upper bound above one): the
/// least number of characters it matches.
fn space_run(ast: &Ast) -> Option<u32> {
    let Ast::Repetition(rep) = ast else { return None };
    if !is_space(ast) {
        return None;
    }
    run_min(&rep.op.kind)
}

/// For a repetition that may match once or not at all and may also repeat (`*`, `+`, `{0,n}`,
/// `{1,n}` with `n` above one): the least number of times it matches.
fn run_min(kind: &RepetitionKind) -> Option<u32> {
    match kind {
        RepetitionKind::ZeroOrMore | RepetitionKind::Range(RepetitionRange::AtLeast(0)) => Some(0),
        RepetitionKind::OneOrMore | RepetitionKind::Range(RepetitionRange::AtLeast(1)) => Some(1),
        RepetitionKind::Range(RepetitionRange::Bounded(m, n)) if *m <= 1 && *n > 1 => Some(*m),
        _ => None,
    }
}

/// Prefixes of one syntax node; `None` when a match of it can start with too many things.
fn prefixes(ast: &Ast) -> Option<Prefixes> {
    match ast {
        Ast::Empty(_) | Ast::Flags(_) => Some(Prefixes::empty()),
        Ast::Assertion(assertion) => Some(match assertion.kind {
            AssertionKind::WordBoundary
            | AssertionKind::WordBoundaryStart
            | AssertionKind::WordBoundaryStartAngle
            | AssertionKind::WordBoundaryStartHalf => Prefixes::boundary(),
            _ => Prefixes::empty(),
        }),
        Ast::Literal(literal) => {
            let chars = literal_chars(literal)?;
            Some(Prefixes { lits: chars.into_iter().map(char_anchor).collect(), exact: true })
        }
        Ast::ClassBracketed(class) => {
            let chars = bracketed_chars(class)?;
            let mut set = Prefixes { lits: chars.into_iter().map(char_anchor).collect(), exact: true };
            set.dedup();
            Some(set)
        }
        Ast::ClassPerl(class) if class.kind == ast::ClassPerlKind::Space && !class.negated => {
            Some(Prefixes { lits: WHITESPACE.iter().map(|&c| char_anchor(c)).collect(), exact: true })
        }
        Ast::Dot(_) | Ast::ClassUnicode(_) | Ast::ClassPerl(_) => None,
        Ast::Group(group) => prefixes(&group.ast),
        Ast::Concat(concat) => {
            let items: Vec<&Ast> = concat.asts.iter().collect();
            sequence(&items)
        }
        Ast::Alternation(alt) => {
            let mut lits = Vec::new();
            let mut exact = true;
            for branch in &alt.asts {
                let set = prefixes(branch)?;
                exact &= set.exact;
                lits.extend(set.lits);
            }
            let mut set = Prefixes { lits, exact };
            set.dedup();
            Some(set.shrink(MAX_LITERALS))
        }
        Ast::Repetition(rep) => {
            let (min, max) = match &rep.op.kind {
                RepetitionKind::ZeroOrOne => (0, Some(1)),
                RepetitionKind::ZeroOrMore => (0, None),
                RepetitionKind::OneOrMore => (1, None),
                RepetitionKind::Range(RepetitionRange::Exactly(n)) => (*n, Some(*n)),
                RepetitionKind::Range(RepetitionRange::AtLeast(n)) => (*n, None),
                RepetitionKind::Range(RepetitionRange::Bounded(m, n)) => (*m, Some(*n)),
            };
            let inner = prefixes(&rep.ast);
            if min == 0 {
                let Some(inner) = inner else { return Some(Prefixes::empty().inexact()) };
                let exact = inner.exact && max == Some(1);
                let mut lits = inner.lits;
                lits.push(Anchor { bytes: Vec::new(), word_start: false });
                let mut set = Prefixes { lits, exact };
                set.dedup();
                return Some(set);
            }
            let inner = inner?;
            let exact = inner.exact && min == 1 && max == Some(1);
            Some(Prefixes { lits: inner.lits, exact })
        }
    }
}

/// The characters a literal matches, with every case variant; `None` for a `\x` escape above
/// ASCII, which is a byte rather than a character when Unicode is off.
fn literal_chars(literal: &ast::Literal) -> Option<Vec<char>> {
    let hex = matches!(literal.kind, ast::LiteralKind::HexFixed(_) | ast::LiteralKind::HexBrace(_));
    if hex && !literal.c.is_ascii() {
        return None;
    }
    Some(case_variants(literal.c))
}

/// Members of a bracketed class, with case variants; `None` if negated, built from other
/// classes or too large to list.
fn bracketed_chars(class: &ast::ClassBracketed) -> Option<Vec<char>> {
    if class.negated {
        return None;
    }
    let ClassSet::Item(item) = &class.kind else { return None };
    let mut chars = Vec::new();
    collect_item(item, &mut chars)?;
    let mut folded: Vec<char> = chars.into_iter().flat_map(case_variants).collect();
    folded.sort_unstable();
    folded.dedup();
    (folded.len() <= MAX_CLASS).then_some(folded)
}

fn collect_item(item: &ClassSetItem, out: &mut Vec<char>) -> Option<()> {
    match item {
        ClassSetItem::Empty(_) => Some(()),
        ClassSetItem::Literal(literal) => {
            out.extend(literal_chars(literal)?);
            Some(())
        }
        ClassSetItem::Range(range) => {
            let (start, end) = (u32::from(range.start.c), u32::from(range.end.c));
            if end < start || end - start >= MAX_CLASS as u32 {
                return None;
            }
            out.extend((start..=end).filter_map(char::from_u32));
            Some(())
        }
        ClassSetItem::Bracketed(inner) => {
            out.extend(bracketed_chars(inner)?);
            Some(())
        }
        ClassSetItem::Union(union) => union.items.iter().try_for_each(|i| collect_item(i, out)),
        ClassSetItem::Ascii(_) | ClassSetItem::Unicode(_) | ClassSetItem::Perl(_) => None,
    }
}

/// `c` and the characters it matches case-insensitively (simple case folding, as the regex
/// engine uses), whatever the flags: more variants only make anchors more permissive.
fn case_variants(c: char) -> Vec<char> {
    if c.is_ascii() {
        // Anchors are searched with ASCII letters folded; KELVIN SIGN and LONG S are left out.
        return vec![c.to_ascii_lowercase()];
    }
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class.iter().flat_map(|r| r.start()..=r.end()).filter(|v| !(c.is_ascii() && FOLDS_TO_ASCII.contains(v))).collect()
}

/// A one-character literal, ASCII letters lower-cased.
fn char_anchor(c: char) -> Anchor {
    let c = c.to_ascii_lowercase();
    Anchor { bytes: c.encode_utf8(&mut [0; 4]).as_bytes().to_vec(), word_start: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lits(pattern: &str) -> Vec<Vec<String>> {
        analyse(pattern)
            .unwrap_or_default()
            .iter()
            .map(|b| match &b.literals {
                Literals::Anchors(anchors) => {
                    anchors.iter().map(|a| String::from_utf8_lossy(&a.bytes).into_owned()).collect()
                }
                Literals::Required(lits) => lits.iter().map(|l| format!("…{}", String::from_utf8_lossy(l))).collect(),
                Literals::AtStart(start) => {
                    start.prefixes.iter().flatten().map(|l| format!("^{}", String::from_utf8_lossy(l))).collect()
                }
                Literals::Filtered => vec!["(filtered)".to_owned()],
            })
            .collect()
    }

    fn raw_anchors(pattern: &str) -> Vec<Vec<Vec<u8>>> {
        analyse(pattern)
            .unwrap_or_default()
            .iter()
            .map(|b| match &b.literals {
                Literals::Anchors(anchors) => anchors.iter().map(|a| a.bytes.clone()).collect(),
                Literals::Required(_) | Literals::AtStart(_) | Literals::Filtered => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn every_whitespace_character_begins_with_a_listed_start() {
        for c in WHITESPACE {
            let bytes = c.to_string().into_bytes();
            assert!(c == ' ' || OTHER_SPACE_STARTS.iter().any(|s| bytes.starts_with(s)), "{c:?}");
        }
        let listed: Vec<char> = (0..=0x10FFFF).filter_map(char::from_u32).filter(|c| c.is_whitespace()).collect();
        assert_eq!(listed, WHITESPACE, "Rust's whitespace is regex's \\s");
    }

    #[test]
    fn only_kelvin_and_long_s_fold_into_ascii() {
        let mut found = Vec::new();
        for c in (b'a'..=b'z').chain(b'A'..=b'Z').map(char::from) {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            found.extend(class.iter().flat_map(|r| r.start()..=r.end()).filter(|v| !v.is_ascii()));
        }
        found.sort_unstable();
        found.dedup();
        let mut expected = FOLDS_TO_ASCII.to_vec();
        expected.sort_unstable();
        assert_eq!(found, expected);
    }

    #[test]
    fn top_level_alternatives_are_branches_in_order() {
        let branches = analyse("leverage|synergy|in order to").unwrap_or_default();
        let texts: Vec<&str> = branches.iter().map(|b| b.pattern.as_str()).collect();
        assert_eq!(texts, ["leverage", "synergy", "in order to"]);
        assert_eq!(lits("leverage|synergy"), [["leverage"], ["synergy"]]);
    }

    #[test]
    fn boundaries_distribute_over_a_group_of_words() {
        let branches = analyse(r"(?-u:\b)(?:Foo|bar baz)(?-u:\b)").unwrap_or_default();
        let texts: Vec<&str> = branches.iter().map(|b| b.pattern.as_str()).collect();
        assert_eq!(texts, [r"(?-u:\b)(?:Foo)(?-u:\b)", r"(?-u:\b)(?:bar baz)(?-u:\b)"]);
        assert!(branches.iter().all(|b| match &b.literals {
            Literals::Anchors(anchors) => anchors.iter().all(|a| a.word_start),
            Literals::Required(_) | Literals::AtStart(_) | Literals::Filtered => false,
        }));
        assert_eq!(lits(r"(?-u:\b)(?:Foo|bar baz)(?-u:\b)"), [["foo"], ["bar baz"]]);
    }

    #[test]
    fn alternatives_known_whole_go_on_when_others_are_cut_short() {
        // "social media" is cut at "social med"; "it" and "web" still take " stuff", rather
        // than anchoring on two of the commonest words.
        assert_eq!(lits("(?:it|web|social media) stuff"), [["it stuff", "social med", "web stuff"]]);
        assert_eq!(
            lits("(?:it|web|social media) stuff|(?:a|b)c"),
            [vec!["it stuff", "social med", "web stuff"], vec!["ac", "bc"]]
        );
        // Every alternative cut short: nothing goes on.
        assert_eq!(lits("(?:workplace wellness|social media) stuff"), [["social med", "workplace "]]);
    }

    #[test]
    fn optional_and_alternative_prefixes_are_expanded() {
        assert_eq!(lits("(?:so,? )?could you"), [["could you", "so could you", "so, could you"]]);
        assert_eq!(lits("caf[eé]s?"), [["cafe", "cafÉ", "café"]]);
        assert_eq!(lits(r"i['’]m in"), [["i'm in", "i’m in"]]);
    }

    #[test]
    fn a_branch_that_can_start_anywhere_needs_a_literal_inside() {
        assert_eq!(lits(r"[\w-]+, [\w-]+"), [[r"…, "]]);
        assert_eq!(lits(r"\d+ ?% (?:off|discount)"), [["…% discount", "…% off"]]);
        assert_eq!(lits(r"\p{Lu}\pL+[- ]based"), [["… based", "…-based"]]);
        assert_eq!(lits(r"\w*yz|w"), [vec!["…yz"], vec!["w"]]);
        assert_eq!(lits(r"x*yz|w"), [vec!["xx", "xyz", "yz"], vec!["w"]]);
        assert_eq!(lits(r"(?:\w+ )?years"), [["…years"]]);
        assert_eq!(lits(r"(?:x|)y"), [["xy", "y"]]);
        assert!(analyse(r"\w{13,}").is_none());
        assert!(analyse(r"foo|.").is_none());
        assert!(analyse(r"(?:x|)").is_none());
    }

    #[test]
    fn a_branch_with_only_common_literals_is_found_by_its_rare_opening() {
        // A list of credentials requires only commas, but opens with a word with two capitals.
        let list = r"(?-i:\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:,\s*[A-Z][A-Za-z]*[A-Z][A-Za-z]*){2,})";
        assert_eq!(lits(&format!("award|{list}")), [vec!["award"], vec!["(filtered)"]]);
        // Case-insensitive capitals are as common as any letter: the comma stays.
        assert_eq!(lits(r"a b|\b[A-Z]\w*, [A-Z]"), [vec!["a b"], vec!["…, "]]);
        // Rare literals are still preferred; a pattern with nothing but filtered branches is
        // searched whole (with a filter of its own).
        assert_eq!(lits(r"x|(?-i:[A-Z][a-z]*[A-Z]) ltd"), [vec!["x"], vec!["… ltd"]]);
        assert!(analyse(list).is_none());
    }

    #[test]
    fn flag_directives_inside_alternations_are_not_split() {
        assert!(analyse("a(?i)b|c").is_none());
        let branches = analyse("(?i:ab|c)d").unwrap_or_default();
        assert_eq!(branches.len(), 1);
    }

    #[test]
    fn a_run_of_whitespace_between_words_is_looked_through() {
        let [anchors] = lits(r"(?-u:\b)in\s+light\s+of(?-u:\b)").try_into().unwrap_or_default();
        assert!(anchors.contains(&"in light".to_owned()), "{anchors:?}");
        // Every other run: another whitespace character first, or a space and another one.
        for other in ["in\t", "in\n", "in  ", "in \t"] {
            assert!(anchors.contains(&other.to_owned()), "{other:?} in {anchors:?}");
        }
        let [raw] = raw_anchors(r"(?-u:\b)in\s+light").try_into().unwrap_or_default();
        for c in WHITESPACE.iter().filter(|&&c| c != ' ') {
            for run in [format!("in{c}"), format!("in {c}")] {
                assert!(raw.iter().any(|a| run.as_bytes().starts_with(a)), "{run:?} in {raw:?}");
            }
        }
        assert!(!anchors.contains(&"in ".to_owned()) && !anchors.contains(&"in".to_owned()), "{anchors:?}");
        // An optional part that is only partly known no longer hides what follows it.
        assert_eq!(lits(r"(?:don't forget to )?(?:like|share) this"), [["don't forg", "like this", "share this"]]);
        // A run of one letter: once and then what follows, or twice.
        assert_eq!(lits(r"(?-u:\b)(?:u+m+)(?-u:\b)"), [["um", "uu"]]);
        assert_eq!(lits(r"ab*c"), [["abb", "abc", "ac"]]);
        assert_eq!(lits(r"ab*b"), [["a"]], "what follows may continue the run");
        // `\s*` may also be empty.
        let [anchors] = lits(r",\s*like,").try_into().unwrap_or_default();
        assert!(anchors.contains(&",like,".to_owned()) && anchors.contains(&", like,".to_owned()), "{anchors:?}");
        // Not when what follows may start with whitespace: then the run's first character.
        let [raw] = raw_anchors(r"a\s+\s?b").try_into().unwrap_or_default();
        for c in WHITESPACE {
            let run = format!("a{c}");
            assert!(raw.iter().any(|a| run.as_bytes().starts_with(a)), "{run:?} in {raw:?}");
        }
        assert!(raw.iter().all(|a| a.len() <= 3), "{raw:?}");
        // A branch opening with whitespace takes a literal inside instead.
        assert_eq!(lits(r"\s+foo"), [["…foo"]]);
    }

    #[test]
    fn a_shorter_anchor_covers_longer_ones() {
        assert_eq!(lits("in(?: order)?"), [["in"]]);
    }

    #[test]
    fn a_branch_opening_with_a_caret_is_checked_at_the_start_only() {
        assert_eq!(lits(r"(?i)^\s*(?:hi|hello) there"), [["^hello there", "^hi there"]]);
        let branches = analyse(r"^\s*(?:\s|x)y").unwrap_or_default();
        let Some(Literals::AtStart(start)) = branches.first().map(|b| &b.literals) else { panic!("{branches:?}") };
        assert_eq!(start.prefixes, None, "a literal may start with the skipped whitespace");
        assert!(!matches!(
            analyse("(?m)^x").unwrap_or_default().first().map(|b| &b.literals),
            Some(Literals::AtStart(_))
        ));
        assert!(analyse("^").is_none() && analyse(r"^\s*").is_none(), "a branch that can match nothing");
    }
}
