//! Region classification for plain-text drafts and message bodies.
//!
//! Works line by line on the original text and only *labels* stretches:
//! - a leading `Subject:` line (the label is a header, the rest the subject);
//! - quotes: `>` lines, and everything from an "On … wrote:" attribution (also wrapped over up to
//!   three lines), an "-----Original Message-----"/forwarded-message marker, or an Outlook
//!   "From:/Sent:/To:" block on;
//! - signatures: everything from a `-- ` (or `--`) line, or a "Sent from my …" line, up to the quote;
//! - a sign-off ("Best,", "Thanks, Sam") followed by a short name block or nothing: the name block
//!   and what follows it are signature, except a trailing "P.S." paragraph, which is body;
//! - the greeting: the first line if it is a salutation, or the first line after a one-line title;
//! - suppression directives (`pitchlint: ignore …` lines) as comments.
//!
//! Classification never fails: odd input only yields fewer regions, and everything unlabelled is
//! body.

use std::sync::LazyLock;

use super::{Region, RegionKind};
use crate::pattern::{Options, Pattern};
use crate::span::Span;

/// A built-in pattern, compiled (branch by branch) only where its literals occur; the tests
/// below exercise each one.
fn re(pattern: &str) -> Pattern {
    Pattern::new(pattern, Options::default())
}

/// Builds ahead of a long text what most long texts test their lines with (see
/// [`Pattern::prepare_for_sentences`]): the sign-off pattern. Not the others: of seven long
/// texts (see `ask::prepare_for_long_text`), none built the whole regex of the greeting,
/// subject, postscript or `Sent:`/`To:` header-line pattern, and four or five not that of each
/// of the rest. The "On … wrote:" pattern is tried only on lines ending in a colon (see
/// `starts_quote`), which prose hardly has. A text that needs one builds it when it first does.
pub(crate) fn prepare_for_long_text() {
    SIGN_OFF.prepare_for_sentences();
}

/// A salutation with at most four name words and nothing after it.
static GREETING: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|hiya|howdy)(?:[ \t]+[^\s,!?:;]+){0,4}[ \t]*[,!:.\u{2014}-]?\s*$",
    )
});
/// A sign-off phrase, optionally followed by a capitalised name on the same line ("Best, Sam").
static SIGN_OFF: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"^\s*(?i:best|all best|best regards|best wishes|regards|kind regards|warm regards|warmest regards|warm wishes|warmly|many thanks|thanks|thank you|thanks again|thanks so much|thanks in advance|thank you so much|cheers|sincerely|yours|yours truly|yours sincerely|sincerely yours|all the best|talk soon|speak soon|take care|with thanks|with gratitude|respectfully|gratefully|until then|see you soon|see you then|looking forward|have a (?:great|good|nice|lovely) (?:day|week|weekend))[ \t]*[,!.]?(?:[ \t]*[-\u{2013}\u{2014}]?[ \t]*\p{Lu}[\p{L}'.\-]*(?:[ \t]+\p{Lu}[\p{L}'.\-]*){0,2})?[ \t]*[,!.]?\s*$",
    )
});
/// "On Tue, 3 Mar 2026, Dana <d@example.com> wrote:" and its French and German forms.
static ON_WROTE: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:on\s.{3,300}\bwrote\s?:|le\s.{3,200}\ba [ée]crit\s?:|am\s.{3,200}\bschrieb\s.{0,80}:)\s*$")
});
/// "Dana Ruiz <dana@example.com> wrote:" (no "On"), trusted when it names an address or a `>`
/// line follows.
static WROTE: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\s*\S.{0,120}\bwrote\s?:\s*$"));
static ORIGINAL: LazyLock<Pattern> = LazyLock::new(|| {
    re(
        r"(?i)^\s*(?:-{2,}\s*(?:original message|forwarded message|message d'origine|ursprüngliche nachricht)\s*-{2,}|_{10,}|begin forwarded message:)\s*$",
    )
});
static OUTLOOK_FROM: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\s*\**from:\**\s+\S"));
static OUTLOOK_NEXT: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\s*\**(?:sent|date|to|subject|cc):\**\s"));
static SENT_FROM: LazyLock<Pattern> = LazyLock::new(|| {
    re(r"(?i)^\s*(?:sent from (?:my )?\S|sent via \S|get outlook for \S|sent with \S+ (?:mail|secure email))")
});
static SUBJECT: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^subject:[ \t]*"));
static POSTSCRIPT: LazyLock<Pattern> = LazyLock::new(|| re(r"(?i)^\s*p\.?\s?s\.?(?:[:,\s]|$)"));
/// Words that never appear in a name line, so "Thanks,\nI'll call you Tuesday." is not a sign-off.
const NOT_NAME_WORDS: [&str; 16] = [
    "i", "i'm", "i'll", "i've", "i'd", "you", "your", "we", "we're", "let", "please", "will", "can", "would", "my",
    "me",
];
/// Lines after a sign-off beyond which it is more likely body text than a signature.
const MAX_SIGNATURE_LINES: usize = 12;

/// Classifies a plain draft (or a message body) into regions over `source`.
pub fn classify_lines(source: &str) -> Vec<Region> {
    let lines = Lines::new(source);
    classify(&lines, lines.len() >= PARALLEL_LINES)
}

/// [`classify_lines`], its line tests worked out beforehand on every core or as asked.
fn classify(lines: &Lines<'_>, all_at_once: bool) -> Vec<Region> {
    let tests = LineTests::new(lines, all_at_once);
    let mut kinds: Vec<RegionKind> = vec![RegionKind::Body; lines.len()];
    let mut regions = Vec::new();

    // A leading "Subject:" line: the label is a header, the rest is the subject.
    let mut first_body = 0;
    if let Some((start, line)) = lines.with_offset(0) {
        if let Some(m) = SUBJECT.find(line) {
            let text = line.trim_end_matches(['\r', '\n']);
            regions.push(Region { kind: RegionKind::Header, span: Span::new(start, start + m.end()) });
            regions.push(Region { kind: RegionKind::Subject, span: Span::new(start + m.end(), start + text.len()) });
            regions.push(Region { kind: RegionKind::Header, span: Span::new(start + text.len(), start + line.len()) });
            first_body = 1;
        }
    }

    // Quotes: everything from an attribution or original-message marker on, and `>` lines.
    let quote_from = (first_body..lines.len()).find(|&i| tests.starts_quote(i)).unwrap_or(lines.len());
    for i in first_body..lines.len() {
        if i >= quote_from || tests.is_quoted(i) {
            set(&mut kinds, i, RegionKind::Quote);
        }
    }

    // Signatures: a "-- " line or "Sent from my …", up to the quote.
    let body_end = (first_body..quote_from).find(|&i| tests.is_signature_marker(i)).unwrap_or(quote_from);
    for i in body_end..quote_from {
        set(&mut kinds, i, RegionKind::Signature);
    }

    // A sign-off with its name block; a P.S. paragraph after it stays body. Without a sign-off,
    // a message that opens with a greeting may still end in a bare name block. Trailing `>`
    // quotes are not part of either.
    let writer_end = unquoted_end(lines, &kinds, body_end);
    let greeting = find_greeting(lines, first_body, writer_end);
    if let Some(sign_off) = find_sign_off(&tests, first_body, writer_end) {
        set(&mut kinds, sign_off, RegionKind::SignOff);
        let postscript = (sign_off + 2..writer_end)
            .find(|&i| lines.is_blank(i - 1) && POSTSCRIPT.is_match(lines.text(i)))
            .unwrap_or(writer_end);
        for i in sign_off + 1..postscript {
            set(&mut kinds, i, RegionKind::Signature);
        }
    } else if let Some(block) = greeting.and_then(|g| find_name_block(lines, g + 1, writer_end)) {
        for i in block..writer_end {
            set(&mut kinds, i, RegionKind::Signature);
        }
    }

    if let Some(greeting) = greeting {
        if kinds.get(greeting) == Some(&RegionKind::Body) {
            set(&mut kinds, greeting, RegionKind::Greeting);
        }
    }

    // Suppression directives are never prose, wherever the writer put them (except in quotes).
    for i in first_body..lines.len() {
        if kinds.get(i) != Some(&RegionKind::Quote) && tests.is_directive(i) {
            set(&mut kinds, i, RegionKind::Comment);
        }
    }

    // Neighbouring lines of one kind make one region (a text of blank lines would otherwise
    // hold a region for each of its lines).
    for i in first_body..lines.len() {
        let Some(span) = lines.span(i) else { continue };
        let kind = kinds.get(i).copied().unwrap_or(RegionKind::Body);
        super::push_merged(&mut regions, Region { kind, span });
    }
    regions
}

/// The lines of a text: where each starts (a text of blank lines has millions of lines, and an
/// offset is all a line needs kept).
struct Lines<'a> {
    source: &'a str,
    /// Each line's start, then the end of the last line.
    bounds: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(source: &'a str) -> Self {
        let mut bounds: Vec<usize> = crate::span::lines_with_offsets(source).map(|(start, _)| start).collect();
        if !bounds.is_empty() {
            bounds.push(source.len());
        }
        Self { source, bounds }
    }

    fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    /// Line `i` with its start offset, its terminator included; `None` past the end.
    fn with_offset(&self, i: usize) -> Option<(usize, &'a str)> {
        let (&start, &end) = (self.bounds.get(i)?, self.bounds.get(i + 1)?);
        Some((start, self.source.get(start..end)?))
    }

    /// Where line `i` lies, its terminator included, found from the bounds alone (reading the
    /// text at each bound, as slicing it does, waits on memory for every line of a long text).
    fn span(&self, i: usize) -> Option<Span> {
        Some(Span::new(*self.bounds.get(i)?, *self.bounds.get(i + 1)?))
    }

    /// Line `i` without its terminator (`""` past the end).
    fn text(&self, i: usize) -> &'a str {
        self.with_offset(i).map_or("", |(_, l)| l.trim_end_matches(['\r', '\n']))
    }

    fn is_blank(&self, i: usize) -> bool {
        self.text(i).trim().is_empty()
    }

    /// The first non-blank line at or after `from` and before `end`.
    fn next_non_blank(&self, from: usize, end: usize) -> Option<usize> {
        (from..end.min(self.len())).find(|&i| !self.is_blank(i))
    }
}

/// The tests [`classify_lines`] puts to single lines, for a long text each worked out once for
/// every line on every core (the passes that use them read every line of a long text in turn,
/// one core idle; they are never all needed for a short one, and are worked out as asked).
struct LineTests<'l, 'a> {
    lines: &'l Lines<'a>,
    /// Per line, the [`LineTests::QUOTE_START`]… bits; empty for a short text.
    known: Vec<u8>,
}

impl<'l, 'a> LineTests<'l, 'a> {
    const QUOTE_START: u8 = 1;
    const SIGNATURE_MARKER: u8 = 2;
    const SIGN_OFF: u8 = 4;
    const DIRECTIVE: u8 = 8;
    const QUOTED: u8 = 16;

    fn new(lines: &'l Lines<'a>, all_at_once: bool) -> Self {
        let mut tests = Self { lines, known: Vec::new() };
        if all_at_once {
            use rayon::prelude::*;
            let known = (0..lines.len()).into_par_iter().map(|i| tests.work_out(i)).collect();
            tests.known = known;
        }
        tests
    }

    /// Every test of line `i`, as bits.
    fn work_out(&self, i: usize) -> u8 {
        let line = self.lines.text(i);
        let mut bits = 0;
        for (bit, passes) in [
            (Self::QUOTE_START, starts_quote(self.lines, i)),
            (Self::SIGNATURE_MARKER, is_signature_marker(line)),
            (Self::SIGN_OFF, may_sign_off(line)),
            (Self::DIRECTIVE, crate::suppress::is_directive_line(line)),
            (Self::QUOTED, is_quoted(line)),
        ] {
            if passes {
                bits |= bit;
            }
        }
        bits
    }

    /// Test `bit` of line `i`: as worked out, or now.
    fn passes(&self, i: usize, bit: u8, test: impl FnOnce() -> bool) -> bool {
        match self.known.get(i) {
            Some(bits) => bits & bit != 0,
            None => test(),
        }
    }

    fn starts_quote(&self, i: usize) -> bool {
        self.passes(i, Self::QUOTE_START, || starts_quote(self.lines, i))
    }

    fn is_signature_marker(&self, i: usize) -> bool {
        self.passes(i, Self::SIGNATURE_MARKER, || is_signature_marker(self.lines.text(i)))
    }

    fn may_sign_off(&self, i: usize) -> bool {
        self.passes(i, Self::SIGN_OFF, || may_sign_off(self.lines.text(i)))
    }

    fn is_directive(&self, i: usize) -> bool {
        self.passes(i, Self::DIRECTIVE, || crate::suppress::is_directive_line(self.lines.text(i)))
    }

    fn is_quoted(&self, i: usize) -> bool {
        self.passes(i, Self::QUOTED, || is_quoted(self.lines.text(i)))
    }
}

/// Texts of at least this many lines have their [`LineTests`] worked out in parallel.
const PARALLEL_LINES: usize = 1 << 12;

fn set(kinds: &mut [RegionKind], i: usize, kind: RegionKind) {
    if let Some(slot) = kinds.get_mut(i) {
        *slot = kind;
    }
}

/// A `>` line of quoted reply.
fn is_quoted(line: &str) -> bool {
    line.trim_start().starts_with('>')
}

/// A line that may be a sign-off ("Best,", "Thanks so much —"), whatever follows it.
fn may_sign_off(line: &str) -> bool {
    may_open_with(line, SIGN_OFF_OPENS) && SIGN_OFF.is_match(line)
}

fn is_signature_marker(line: &str) -> bool {
    matches!(line, "-- " | "--" | "\u{2014}") || (may_open_with(line, SENT_FROM_OPENS) && SENT_FROM.is_match(line))
}

/// How what [`SENT_FROM`] takes after its leading space begins (three letters, lower case).
const SENT_FROM_OPENS: &[&[u8; 3]] = &[b"sen", b"get"];
/// How the phrases [`SIGN_OFF`] takes after its leading space begin.
const SIGN_OFF_OPENS: &[&[u8; 3]] = &[
    b"all", b"bes", b"che", b"gra", b"hav", b"kin", b"loo", b"man", b"reg", b"res", b"see", b"sin", b"spe", b"tak",
    b"tal", b"tha", b"unt", b"war", b"wit", b"you",
];

/// Whether `line`, after its leading space, may open with a phrase that begins with one of
/// `openings` (lower case), in either case. Most lines of a long text open otherwise ("The",
/// "We ", "I w"), and are spared a search each: a pattern `^\s*(?i:…)` whose phrases are
/// all at least three letters long is tried only on lines that pass. An ASCII letter folds
/// only to itself in the other case and to no other ASCII character, so an ASCII opening not
/// listed rules the phrases out; a line with a character past ASCII among its first three (one
/// of the two that fold to ASCII letters, say) passes, and is left to the pattern. A line of
/// fewer than three bytes after its leading space (a blank line, most often) holds no three
/// letters, and does not pass: a text of blank lines searched each of them twice.
fn may_open_with(line: &str, openings: &[&[u8; 3]]) -> bool {
    match line.trim_start().as_bytes().get(..3) {
        Some(&[a, b, c]) if [a, b, c].is_ascii() => {
            openings.contains(&&[a.to_ascii_lowercase(), b.to_ascii_lowercase(), c.to_ascii_lowercase()])
        }
        Some(_) => true,
        None => false,
    }
}

/// True if line `i` starts quoted material: an attribution ("On Tue, Dana wrote:"), an
/// original-message marker, or an Outlook header block.
fn starts_quote(lines: &Lines<'_>, i: usize) -> bool {
    let line = lines.text(i);
    // Every attribution and separator line ends in `:`, `-` or `_`; most lines end otherwise, and
    // are spared three regex searches.
    let ends_like_header = matches!(line.trim_end().chars().last(), Some(':' | '-' | '_'));
    if ends_like_header && (ON_WROTE.is_match(line) || ORIGINAL.is_match(line)) {
        return true;
    }
    // "Dana Ruiz <dana@example.com> wrote:" or "Dana wrote:" directly above a `>` quote.
    if ends_like_header && WROTE.is_match(line) {
        let next_is_quote =
            lines.next_non_blank(i + 1, lines.len()).is_some_and(|j| lines.text(j).trim_start().starts_with('>'));
        if line.contains('@') || next_is_quote {
            return true;
        }
    }
    // An Outlook header block: "From: …" followed within four lines by Sent/Date/To/Subject/Cc.
    let may_be_from = matches!(line.trim_start().chars().next(), Some('*' | 'f' | 'F'));
    if may_be_from
        && OUTLOOK_FROM.is_match(line)
        && (i + 1..(i + 5).min(lines.len())).any(|j| OUTLOOK_NEXT.is_match(lines.text(j)))
    {
        return true;
    }
    // An attribution wrapped over two or three lines: "On Tue, 3 Mar 2026, Dana Ruiz <" / "…> wrote:".
    if line.trim_start().get(..3).is_some_and(|p| p.eq_ignore_ascii_case("on ")) {
        let mut joined = line.to_owned();
        for j in i + 1..(i + 3).min(lines.len()) {
            let next = lines.text(j);
            if next.trim().is_empty() {
                break;
            }
            joined.push(' ');
            joined.push_str(next.trim());
            // An attribution ends in `:` (see `ends_like_header`): a paragraph that merely opens
            // with "On" is spared the search, whose `.{3,300}` makes it slow on a long line.
            if joined.trim_end().ends_with(':') && ON_WROTE.is_match(&joined) {
                return true;
            }
        }
    }
    false
}

/// The sign-off line: scanning from the end, the first sign-off line followed by a name line, or
/// the last sign-off line if nothing follows it.
fn find_sign_off(tests: &LineTests<'_, '_>, from: usize, end: usize) -> Option<usize> {
    let lines = tests.lines;
    let candidates: Vec<usize> = (from..end).filter(|&i| tests.may_sign_off(i)).collect();
    // The non-blank lines after the candidate, counted on from the last candidate's (each line
    // once: counted afresh for each, a text of many sign-off lines took quadratic time).
    let (mut trailing, mut counted_from) = (0, end);
    for &candidate in candidates.iter().rev() {
        trailing += (candidate + 1..counted_from).filter(|&i| !lines.is_blank(i)).count();
        counted_from = candidate + 1;
        // A candidate before this one has at least as many lines after it.
        if trailing > MAX_SIGNATURE_LINES {
            break;
        }
        match lines.next_non_blank(candidate + 1, end) {
            None => return Some(candidate),
            Some(next) if looks_like_name(lines.text(next)) || POSTSCRIPT.is_match(lines.text(next)) => {
                return Some(candidate);
            }
            Some(_) => {}
        }
    }
    None
}

/// A line that could open a name block: "Sam", "Sam Ortiz | Ortiz Flooring", "— J.", "Dr. Ada Ng".
fn looks_like_name(line: &str) -> bool {
    let text = line.trim().trim_start_matches(['-', '\u{2013}', '\u{2014}', ' ']);
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || text.chars().count() > 60 || text.ends_with('?') {
        return false;
    }
    if text.ends_with(['.', '!']) && words.len() > 2 {
        return false;
    }
    let starts_well = text.chars().next().is_some_and(|c| c.is_uppercase() || (words.len() == 1 && c.is_alphabetic()));
    let sentence_word = words.iter().any(|w| {
        let bare =
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '\u{2019}').replace('\u{2019}', "'");
        NOT_NAME_WORDS.iter().any(|n| bare.eq_ignore_ascii_case(n))
    });
    starts_well && !sentence_word && !GREETING.is_match(text)
}

/// Where the writer's text ends: `end`, moved back over trailing `>` quote lines and blank lines.
fn unquoted_end(lines: &Lines<'_>, kinds: &[RegionKind], end: usize) -> usize {
    let mut i = end.min(kinds.len());
    while i > 0 && (kinds.get(i - 1) == Some(&RegionKind::Quote) || lines.is_blank(i - 1)) {
        i -= 1;
    }
    i
}

/// The last paragraph before `end`, if it opens with a line that can only be a name ("Sam
/// Ortiz", "Dana | Ruiz Consulting") and is short, with the writer's text before it.
fn find_name_block(lines: &Lines<'_>, from: usize, end: usize) -> Option<usize> {
    let last = (from..end).rev().find(|&i| !lines.is_blank(i))?;
    let start = (from..=last).rev().take_while(|&i| !lines.is_blank(i)).last()?;
    let has_body_before = lines.next_non_blank(from, start).is_some();
    let short = last + 1 - start <= 6;
    (has_body_before && short && is_bare_name(lines.text(start))).then_some(start)
}

/// A strict name line: up to four words, each capitalised or a separator, no sentence end.
fn is_bare_name(line: &str) -> bool {
    let text = line.trim();
    let words: Vec<&str> = text.split_whitespace().collect();
    let capitalised = |w: &&str| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(
                *w,
                "|" | "-" | "\u{2013}" | "\u{2014}" | "&" | "de" | "van" | "von" | "da" | "di" | "le" | "la"
            )
    };
    !words.is_empty()
        && words.len() <= 4
        && text.chars().count() <= 40
        && !text.ends_with(['.', '!', '?', ':', ','])
        && words.iter().all(capitalised)
        && looks_like_name(text)
}

/// The greeting line: the first non-blank line if it is a salutation, else the first line of the
/// second paragraph when the first paragraph is a one-line title (a Markdown heading, say).
fn find_greeting(lines: &Lines<'_>, from: usize, end: usize) -> Option<usize> {
    let first = lines.next_non_blank(from, end)?;
    if GREETING.is_match(lines.text(first)) {
        return Some(first);
    }
    let title_alone = lines.is_blank(first + 1);
    let second = lines.next_non_blank(first + 1, end)?;
    (title_alone && GREETING.is_match(lines.text(second))).then_some(second)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Line tests worked out for every line beforehand classify as tests asked one by one.
        #[test]
        fn tests_worked_out_at_once_classify_as_tests_asked(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "Hi Dana,", "", "  ", "We cut close from ten days to four.", "> You said drivers quit.",
                "On Tue, 3 Mar 2026, Dana Ruiz <dana@example.com> wrote:", "Dana wrote:", "-----Original Message-----",
                "From: Dana Ruiz", "Sent: Tuesday", "Best,", "Thanks so much,", "Sam Ortiz", "-- ",
                "Sent from my iPhone", "pitchlint: ignore CL002", "P.S. The deck is attached.", "Subject: Coffee?",
                "Kind regards", "Could you introduce me to Priya?",
            ]), 0..40),
        ) {
            let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
            let lines = Lines::new(&text);
            let (asked, at_once) = (classify(&lines, false), classify(&lines, true));
            proptest::prop_assert_eq!(format!("{asked:?}"), format!("{at_once:?}"));
        }
    }

    proptest::proptest! {
        /// The sign-off found with the trailing lines counted once is the one found by counting
        /// them afresh for each candidate, as the rule reads: scanning from the end, the first
        /// candidate with at most twelve non-blank lines after it that is followed by nothing, a
        /// name or a postscript.
        #[test]
        fn sign_offs_are_found_as_by_counting_afresh(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "Best,", "Thanks so much,", "Kind regards", "Sam Ortiz", "", "  ", "foo bar baz.",
                "We cut close from ten days to four.", "P.S. The deck is attached.", "Cheers, Sam",
            ]), 0..60),
        ) {
            let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
            let lines = Lines::new(&text);
            let tests = LineTests::new(&lines, false);
            let afresh = (0..lines.len()).rev().filter(|&i| tests.may_sign_off(i)).find(|&candidate| {
                let trailing = (candidate + 1..lines.len()).filter(|&i| !lines.is_blank(i)).count();
                trailing <= MAX_SIGNATURE_LINES
                    && lines.next_non_blank(candidate + 1, lines.len()).is_none_or(|next| {
                        looks_like_name(lines.text(next)) || POSTSCRIPT.is_match(lines.text(next))
                    })
            });
            proptest::prop_assert_eq!(find_sign_off(&tests, 0, lines.len()), afresh);
        }
    }

    /// Words a sign-off or "Sent from" line opens with, and words that open other lines.
    const OPENINGS: &[&str] = &[
        "best",
        "all best",
        "best regards",
        "regards",
        "kind regards",
        "warm regards",
        "warmest regards",
        "warm wishes",
        "warmly",
        "many thanks",
        "thanks",
        "thank you",
        "thanks again",
        "thanks so much",
        "thanks in advance",
        "thank you so much",
        "cheers",
        "sincerely",
        "yours",
        "yours truly",
        "yours sincerely",
        "sincerely yours",
        "all the best",
        "talk soon",
        "speak soon",
        "take care",
        "with thanks",
        "with gratitude",
        "respectfully",
        "gratefully",
        "until then",
        "see you soon",
        "see you then",
        "looking forward",
        "have a great day",
        "have a nice weekend",
        "sent from my iPhone",
        "sent via Superhuman",
        "get outlook for iOS",
        "sent with Proton Mail",
        "the",
        "we",
        "on",
        "ok",
        "",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]

        /// A line the opening check turns away is one the patterns would not match: the
        /// check only ever spares a search.
        #[test]
        fn lines_turned_away_by_their_opening_do_not_match(
            space in proptest::sample::select(vec!["", " ", "\t", "  ", "\u{a0}", "\u{2003}", "\u{3000}"]),
            first in proptest::sample::select(vec!["", "S", "s", "\u{17f}", "K", "\u{212a}", "G", "B", "x", "É", "1", "-", "*"]),
            opening in proptest::sample::select(OPENINGS.to_vec()),
            rest in proptest::sample::select(vec!["", ",", "!", " Sam", ", Sam Ortiz", " -- Dana", " and more text here."]),
            upper in proptest::bool::ANY,
        ) {
            let opening = if upper { opening.to_uppercase() } else { opening.to_owned() };
            // Either the opening as it is, or with its first letter replaced.
            for line in [format!("{space}{opening}{rest}"), format!("{space}{first}{}{rest}", opening.get(1..).unwrap_or(""))] {
                if !may_open_with(&line, SIGN_OFF_OPENS) {
                    proptest::prop_assert!(!SIGN_OFF.is_match(&line), "{line:?}");
                }
                if !may_open_with(&line, SENT_FROM_OPENS) {
                    proptest::prop_assert!(!SENT_FROM.is_match(&line), "{line:?}");
                }
            }
        }
    }

    /// No three ASCII characters outside a pattern's list can open a match after the leading
    /// space: worked out from the pattern's automaton (the state after them is dead), so a
    /// phrase added to the pattern with a new opening fails here until the list has it.
    #[test]
    fn only_the_listed_openings_can_open_a_match() {
        use regex_automata::hybrid::dfa::DFA;
        use regex_automata::{Anchored, Input};
        for (pattern, openings) in [(&*SIGN_OFF, SIGN_OFF_OPENS), (&*SENT_FROM, SENT_FROM_OPENS)] {
            let dfa = DFA::new(pattern.as_str()).expect("the pattern compiles");
            let mut cache = dfa.create_cache();
            let start = dfa.start_state_forward(&mut cache, &Input::new("").anchored(Anchored::Yes)).expect("a start");
            let mut live = 0;
            for a in (0u8..128).filter(|&a| !char::from(a).is_whitespace()) {
                let after_a = dfa.next_state(&mut cache, start, a).expect("a state");
                if after_a.is_dead() {
                    continue;
                }
                for b in 0u8..128 {
                    let after_b = dfa.next_state(&mut cache, after_a, b).expect("a state");
                    if after_b.is_dead() {
                        continue;
                    }
                    for c in 0u8..128 {
                        let after_c = dfa.next_state(&mut cache, after_b, c).expect("a state");
                        if !after_c.is_dead() {
                            live += 1;
                            let opening = [a, b, c].map(|x| x.to_ascii_lowercase());
                            assert!(
                                openings.contains(&&opening),
                                "{:?} opens {:?}",
                                [a, b, c].map(char::from),
                                pattern.as_str()
                            );
                        }
                    }
                }
            }
            assert!(live >= openings.len(), "every listed opening is live in {:?}", pattern.as_str());
        }
    }

    /// No line of fewer than three bytes after its leading space matches either pattern (each
    /// phrase has three letters or more), so the opening check may turn all such lines away:
    /// every pair of ASCII characters and every character of two bytes, after no space or some.
    #[test]
    fn lines_too_short_for_three_letters_match_neither_pattern() {
        let ascii = (0u8..128).map(char::from);
        let pairs = ascii.clone().flat_map(|a| ascii.clone().map(move |b| format!("{a}{b}")));
        let short = std::iter::once(String::new())
            .chain(ascii.clone().map(String::from))
            .chain(pairs)
            .chain(('\u{80}'..='\u{7ff}').map(String::from));
        let mut tried = 0;
        for text in short {
            for space in ["", " ", "\t", "\u{a0}"] {
                let line = format!("{space}{text}");
                if line.trim_start().len() >= 3 {
                    continue;
                }
                tried += 1;
                assert!(!may_open_with(&line, SIGN_OFF_OPENS) && !may_open_with(&line, SENT_FROM_OPENS), "{line:?}");
                assert!(!SIGN_OFF.is_match(&line) && !SENT_FROM.is_match(&line), "{line:?}");
            }
        }
        assert!(tried > 60_000, "{tried}");
    }

    /// Every phrase of the patterns opens as its list has it.
    #[test]
    fn sign_off_phrases_open_as_listed() {
        for opening in OPENINGS.iter().filter(|o| !o.is_empty()) {
            for line in [opening.to_string(), format!("  {opening}"), opening.to_uppercase()] {
                if SIGN_OFF.is_match(&line) {
                    assert!(may_open_with(&line, SIGN_OFF_OPENS), "{line:?}");
                }
                if SENT_FROM.is_match(&line) {
                    assert!(may_open_with(&line, SENT_FROM_OPENS), "{line:?}");
                }
            }
        }
    }

    fn kinds(src: &str) -> Vec<(RegionKind, &str)> {
        let doc = crate::text::Document::parse(src, crate::text::InputFormat::Plain, crate::text::Profile::Auto);
        doc.regions().iter().map(|r| (r.kind, r.span.text(src))).collect()
    }

    fn kind_of(regions: &[(RegionKind, &str)], needle: &str) -> Option<RegionKind> {
        regions.iter().find(|(_, text)| text.contains(needle)).map(|r| r.0)
    }

    #[test]
    fn greeting_body_sign_off_and_name_block() {
        let src = "Hi Dana,\nGreat to meet you.\nBest,\nSam Lee\nAcme\n";
        assert_eq!(
            kinds(src),
            [
                (RegionKind::Greeting, "Hi Dana,\n"),
                (RegionKind::Body, "Great to meet you.\n"),
                (RegionKind::SignOff, "Best,\n"),
                (RegionKind::Signature, "Sam Lee\nAcme\n"),
            ]
        );
    }

    #[test]
    fn quoted_reply_after_attribution_is_quote() {
        let src = "Sounds good.\n\nOn Tue, 3 Mar 2026, Dana <d@example.com> wrote:\n> Buy now!\nmore\n";
        let k = kinds(src);
        assert_eq!(k.last().map(|r| r.0), Some(RegionKind::Quote));
        assert!(k.last().is_some_and(|r| r.1.contains("Buy now")));
    }

    #[test]
    fn dash_dash_space_starts_a_signature() {
        let src = "Thanks for the intro.\n-- \nSam | BEST PRICES!!!\n";
        assert_eq!(kinds(src).last().map(|r| r.0), Some(RegionKind::Signature));
    }

    #[test]
    fn outlook_original_message_is_quote() {
        let src = "See you Tuesday.\n\nFrom: Dana Ruiz\nSent: Monday\nTo: Sam\nSubject: Deal\n\nAct now!\n";
        let k = kinds(src);
        assert_eq!(k.last().map(|r| r.0), Some(RegionKind::Quote));
    }

    #[test]
    fn subject_line_is_split_from_its_label() {
        let src = "Subject: Quick question\n\nHi Dana,\nHow was the trip?\n";
        let k = kinds(src);
        assert_eq!(k.first(), Some(&(RegionKind::Header, "Subject: ")));
        assert_eq!(k.get(1), Some(&(RegionKind::Subject, "Quick question")));
    }

    #[test]
    fn sign_off_masks_a_long_signature_with_taglines() {
        let src = "Hi Dana,\n\nThursday works.\n\nBest,\nSam Ortiz\nOrtiz Flooring | The #1 flooring company in the county!!! BUY NOW, pay later, 30% off.\nCall today: 555-0142\n";
        let k = kinds(src);
        assert_eq!(kind_of(&k, "BUY NOW"), Some(RegionKind::Signature));
        assert_eq!(kind_of(&k, "Best,"), Some(RegionKind::SignOff));
    }

    #[test]
    fn sign_off_with_the_name_on_the_same_line() {
        let k = kinds("Hi Mark,\n\nSee you at ten.\n\nThanks, Jenna\n");
        assert_eq!(kind_of(&k, "Thanks, Jenna"), Some(RegionKind::SignOff));
    }

    #[test]
    fn thanks_followed_by_a_sentence_is_body() {
        let k = kinds("Hi Mark,\n\nThanks!\nI'll call you on Tuesday about the order.\n");
        assert_eq!(kind_of(&k, "Thanks!"), Some(RegionKind::Body));
        assert_eq!(kind_of(&k, "I'll call"), Some(RegionKind::Body));
    }

    #[test]
    fn postscript_after_the_name_is_body() {
        let k = kinds("Hi Mark,\n\nSee you Friday.\n\nBest,\nJenna\n\nP.S. Only two spots left!\n");
        assert_eq!(kind_of(&k, "Jenna"), Some(RegionKind::Signature));
        assert_eq!(kind_of(&k, "P.S."), Some(RegionKind::Body));
    }

    #[test]
    fn a_bare_name_block_after_a_greeted_message_is_signature() {
        let k = kinds(
            "Hi Dana,\n\nThursday at 10 works.\n\nSam Ortiz\nOrtiz Flooring | BUY NOW!!!\n\n> Act now!\n>\n\n> Sign up!\n",
        );
        assert_eq!(kind_of(&k, "BUY NOW"), Some(RegionKind::Signature));
        assert_eq!(kind_of(&k, "Thursday"), Some(RegionKind::Body));
    }

    #[test]
    fn a_closing_sentence_is_not_a_name_block() {
        let k = kinds("Hi Dana,\n\nThursday at 10 works.\n\nHope the launch goes well\n");
        assert_eq!(kind_of(&k, "Hope the launch"), Some(RegionKind::Body));
        let pitch = kinds("I help bakeries cut waste.\n\nSam Ortiz\n");
        assert_eq!(kind_of(&pitch, "Sam Ortiz"), Some(RegionKind::Body));
    }

    #[test]
    fn a_ps_line_inside_a_signature_block_stays_signature() {
        let k = kinds("Hi Dana,\n\nSee you.\n\nBest,\nSam Ortiz\nOrtiz Flooring\nPS: 30% off this month!!!\n");
        assert_eq!(kind_of(&k, "30% off"), Some(RegionKind::Signature));
    }

    #[test]
    fn a_long_quoted_thread_does_not_hide_the_sign_off() {
        let quoted = "> Act now, only 2 spots left!\n".repeat(20);
        let src = format!("Hi Dana,\n\nThursday works.\n\nBest,\nSam\nBUY NOW from Ortiz Flooring!!!\n\n{quoted}");
        let k = kinds(&src);
        assert_eq!(kind_of(&k, "Best,"), Some(RegionKind::SignOff));
        assert_eq!(kind_of(&k, "BUY NOW"), Some(RegionKind::Signature));
    }

    #[test]
    fn sent_from_my_phone_is_signature() {
        let k = kinds("Sounds good, see you then.\n\nSent from my iPhone\n");
        assert_eq!(kind_of(&k, "Sent from my iPhone"), Some(RegionKind::Signature));
    }

    #[test]
    fn attribution_wrapped_over_two_lines_starts_the_quote() {
        let src = "Works for me.\n\nOn Tue, 3 Mar 2026 at 09:12, Dana Ruiz <\ndana@example.com> wrote:\n\nAct now, 40% off!\n";
        let k = kinds(src);
        assert_eq!(kind_of(&k, "On Tue"), Some(RegionKind::Quote));
        assert_eq!(kind_of(&k, "Act now"), Some(RegionKind::Quote));
    }

    #[test]
    fn wrote_in_a_sentence_is_not_an_attribution() {
        let k = kinds("Hi Dana,\n\nHere is what I wrote:\nWe cut waste by half.\n");
        assert_eq!(kind_of(&k, "We cut waste"), Some(RegionKind::Body));
    }

    #[test]
    fn name_wrote_above_quoted_lines_is_quote() {
        let k = kinds("Agreed.\n\nDana wrote:\n> Sign up today!\n");
        assert_eq!(kind_of(&k, "Dana wrote:"), Some(RegionKind::Quote));
    }

    #[test]
    fn outlook_from_block_with_bold_labels_is_quote() {
        let src = "Noted, thanks.\n\n*From:* Gregor Blake\n*Sent:* Monday\n*To:* Irene\n\nAct now!\n";
        assert_eq!(kind_of(&kinds(src), "Act now"), Some(RegionKind::Quote));
    }

    #[test]
    fn a_salutation_with_a_sentence_after_it_is_body() {
        let k = kinds("Hi Dana, just checking in on my last email.\n\nBest,\nSam\n");
        assert_eq!(kind_of(&k, "just checking in"), Some(RegionKind::Body));
    }

    #[test]
    fn greeting_after_a_title_line() {
        let k = kinds("# Follow-up: Ada\n\nHi Ada,\n\nThanks for Friday.\n");
        assert_eq!(kind_of(&k, "Hi Ada,"), Some(RegionKind::Greeting));
        assert_eq!(kind_of(&k, "# Follow-up"), Some(RegionKind::Body));
    }

    #[test]
    fn directive_lines_are_comments_but_not_in_quotes() {
        let k = kinds("pitchlint: ignore CL002\nIn order to help.\n> pitchlint: ignore\n");
        assert_eq!(kind_of(&k, "pitchlint: ignore CL002"), Some(RegionKind::Comment));
        assert_eq!(kind_of(&k, "> pitchlint"), Some(RegionKind::Quote));
    }

    #[test]
    fn crlf_lines_classify_like_lf_lines() {
        let k = kinds("Hi Dana,\r\n\r\nSee you.\r\n\r\nBest,\r\nSam\r\n-- \r\nBUY NOW\r\n");
        assert_eq!(kind_of(&k, "Hi Dana"), Some(RegionKind::Greeting));
        assert_eq!(kind_of(&k, "Best,"), Some(RegionKind::SignOff));
        assert_eq!(kind_of(&k, "BUY NOW"), Some(RegionKind::Signature));
    }
}
