//! `pitchlint::pattern` finds exactly what `regex` finds: every built-in rule's patterns over
//! every corpus text, fixture and rule example (whole, line by line, and through a
//! `PatternSet`), plus random regexes over random text.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use pitchlint::pattern::{Options, Pattern, PatternSet};
use pitchlint::rules::RuleSet;
use proptest::prelude::*;
use regex::Regex;

/// A pattern and the `regex` it must agree with.
struct Case {
    pattern: Pattern,
    regex: Regex,
}

impl Case {
    fn new(pattern: Pattern) -> Self {
        let regex = pattern.regex_builder().build().expect("the pattern compiles");
        Self { pattern, regex }
    }

    /// What `regex` reports: every match of `find_iter`, and `is_match`.
    fn expected(&self, haystack: &str) -> (Vec<(usize, usize)>, bool) {
        (self.regex.find_iter(haystack).map(|m| (m.start(), m.end())).collect(), self.regex.is_match(haystack))
    }

    fn assert_agrees(&self, haystack: &str) {
        let want = self.expected(haystack);
        let pattern = &self.pattern;
        assert_eq!(actual(pattern, haystack), want, "pattern {:?}\nhaystack {haystack:?}", pattern.as_str());
        assert_eq!(pattern.find(haystack).map(|m| (m.start(), m.end())), want.0.first().copied());
    }
}

fn actual(pattern: &Pattern, haystack: &str) -> (Vec<(usize, usize)>, bool) {
    let mut found = Vec::new();
    pattern.for_each_match(haystack, |m| {
        found.push((m.start(), m.end()));
        true
    });
    (found, pattern.is_match(haystack))
}

/// Texts to search: the corpora, the fixtures, and strings chosen to break shortcuts. An
/// unoptimised build checks every fifth corpus text, so `cargo test` stays quick;
/// `cargo test --release` checks them all.
fn haystacks() -> Vec<String> {
    let stride = if cfg!(debug_assertions) { 5 } else { 1 };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts: Vec<String> = [
        "",
        "K is a kelvin sign: 50 K, and ſ is a long s: ſervices, Leverage!",
        "LEVERAGE synergy Synergies in\norder to, In  Order\tTo; in-order-to",
        "café CAFÉ cafés Café’s I’m i'm I’M we’re WE'RE you’re",
        "x-leverage leverage_y 2leverage leverage2 _in order to",
        "Dear Sir/Madam, {{first_name}} [Name] %FIRSTNAME% ${COMPANY}",
        "BUY NOW!!! 40% off, 40 % discount, 3 spots left, 15+ years of experience",
        "İstanbul ﬁnance ǅemal ΣΊΣΥΦΟΣ straße STRASSE",
        "Could you introduce me to Priya Shah? If you know anyone, send them my way.",
    ]
    .map(String::from)
    .to_vec();
    for entry in std::fs::read_dir(root.join("fixtures/corpus")).expect("corpus dir") {
        let path = entry.expect("entry").path();
        for line in std::fs::read_to_string(&path).expect("corpus file").lines().step_by(stride) {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
                    texts.push(text.to_owned());
                }
            }
        }
    }
    for dir in ["fixtures/pitches", "fixtures/emails", "fixtures/class/pitches"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("fixture dir") {
            if let Ok(text) = std::fs::read_to_string(entry.expect("entry").path()) {
                texts.push(text);
            }
        }
    }
    let rules = RuleSet::builtin().expect("the built-in pack loads");
    for rule in rules.rules() {
        texts.extend(rule.examples.flag.iter().chain(&rule.examples.pass).cloned());
    }
    texts
}

/// Every pattern of every built-in rule: the main one, and its `unless`/document patterns.
fn builtin_patterns(rules: &RuleSet) -> Vec<Case> {
    let mut patterns: Vec<Pattern> =
        rules.rules().iter().filter_map(|r| r.check.pattern()).map(|p| Pattern::new(p.as_str(), p.options())).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for rule in rules.rules() {
        if !rule.origin.path.ends_with(".toml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(&rule.origin.path)) else { continue };
        let file: toml::Table = toml::from_str(&text).expect("rule file parses");
        let Some(spec) = file.get("match").and_then(|m| m.as_table()) else { continue };
        for key in ["unless", "unless-document", "if-document"] {
            let list: Vec<String> = spec
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(|p| format!("(?:{p})")))
                .collect();
            if !list.is_empty() {
                patterns.push(Pattern::new(list.join("|"), Options::case_insensitive(true)));
            }
        }
    }
    patterns.into_iter().map(Case::new).collect()
}

#[test]
fn builtin_patterns_find_what_regex_finds() {
    let rules = RuleSet::builtin().expect("the built-in pack loads");
    let cases = builtin_patterns(&rules);
    assert!(cases.len() > 50, "{} patterns", cases.len());
    let texts = haystacks();
    for case in &cases {
        for (i, text) in texts.iter().enumerate() {
            case.assert_agrees(text);
            // Lines (haystacks that start and end mid-text) of a sample keep the test quick.
            if i % 4 == 0 {
                for line in text.lines().filter(|l| l.len() > 20 && l.len() < text.len()) {
                    case.assert_agrees(line);
                }
            }
        }
    }
}

/// Long haystacks take shortcuts short ones do not (byte filters for patterns without
/// literals, whole regexes for branches with common ones): the texts above joined into pieces
/// of 20 to 60 KiB, each cut at a character boundary mid-text.
#[test]
fn builtin_patterns_find_what_regex_finds_in_long_texts() {
    let rules = RuleSet::builtin().expect("the built-in pack loads");
    let cases = builtin_patterns(&rules);
    let joined = haystacks().join("\n\n");
    let mut pieces = Vec::new();
    let mut rest = joined.as_str();
    let mut size = 20 << 10;
    while rest.len() > size {
        let mut cut = size;
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (piece, tail) = rest.split_at(cut);
        pieces.push(piece);
        rest = tail;
        size = if size >= 60 << 10 { 20 << 10 } else { size + (20 << 10) };
    }
    assert!(pieces.len() >= 2, "{} pieces", pieces.len());
    for case in &cases {
        for piece in &pieces {
            case.assert_agrees(piece);
        }
    }
}

#[test]
fn a_pattern_set_finds_what_each_pattern_finds_alone() {
    let rules = RuleSet::builtin().expect("the built-in pack loads");
    let cases = builtin_patterns(&rules);
    let slots: Vec<Option<&Pattern>> = cases.iter().map(|c| Some(&c.pattern)).collect();
    let set = PatternSet::new(&slots);
    for (i, text) in haystacks().into_iter().enumerate() {
        let mut windows: Vec<std::ops::Range<usize>> = Vec::with_capacity(8);
        windows.push(0..text.len());
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            if i % 4 == 1 {
                windows.push(offset..offset + line.len());
            }
            offset += line.len();
        }
        // Windows that start mid-word, as a region after a masked span can.
        if i % 4 == 2 {
            windows.extend(text.char_indices().filter(|(at, _)| at % 7 == 3).map(|(at, _)| at..text.len()).take(6));
        }
        let mut starts: Vec<usize> = windows.iter().map(|w| w.start).collect();
        starts.sort_unstable();
        let hits = set.scan(&text, &starts);
        for (slot, case) in cases.iter().enumerate() {
            for window in &windows {
                let mut found = Vec::new();
                case.pattern.for_each_match_in(&text, window.clone(), hits.candidates(slot), |m| {
                    found.push((m.start(), m.end()));
                    true
                });
                let want = case.expected(&text[window.clone()]).0;
                assert_eq!(found, want, "pattern {:?}\nwindow {window:?} of {text:?}", case.pattern.as_str());
            }
        }
    }
}

/// The pattern finds what `regex` finds in `text`, searching alone and from a pattern set's
/// candidates.
fn assert_agrees_alone_and_in_a_set(case: &Case, text: &str) {
    let want = case.expected(text);
    assert_eq!(actual(&case.pattern, text), want, "pattern {:?} alone on {text:?}", case.pattern.as_str());
    let slots = [Some(&case.pattern)];
    let hits = PatternSet::new(&slots).scan(text, &[0]);
    let mut found = Vec::new();
    case.pattern.for_each_match_in(text, 0..text.len(), hits.candidates(0), |m| {
        found.push((m.start(), m.end()));
        true
    });
    assert_eq!(found, want.0, "pattern {:?} in a set on {text:?}", case.pattern.as_str());
}

/// [`assert_agrees_alone_and_in_a_set`] for a random pattern, rejected (not failed) if `regex`
/// cannot compile it.
fn agrees_if_it_compiles(source: String, text: &str, ci: bool) -> Result<(), TestCaseError> {
    let pattern = Pattern::new(source, Options::case_insensitive(ci));
    prop_assume!(pattern.regex_builder().build().is_ok());
    assert_agrees_alone_and_in_a_set(&Case::new(pattern), text);
    Ok(())
}

/// Regex pieces over a small alphabet that exercises case folding, boundaries and classes.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a"),
        Just("b"),
        Just("k"),
        Just("s"),
        Just("in"),
        Just("é"),
        Just("’"),
        Just("'"),
        Just(" "),
        Just("-"),
        Just("[ab]"),
        Just("[eé]"),
        Just("['’]"),
        Just("[a-c]"),
        Just(r"\d"),
        Just(r"\w"),
        Just(r"\s+"),
        Just(r"\s*"),
        Just(r"\s"),
        Just(r"(?-u:\s+)"),
        Just("[A-Z]"),
        Just(r"\p{L}"),
        Just(r"\p{Lu}"),
        Just(r"[^a’]"),
        Just(r"\W"),
        Just("."),
        Just(r"\b"),
        Just(r"(?-u:\b)"),
        Just("^"),
        Just("$"),
        Just(r"\B"),
    ]
    .prop_map(String::from)
}

fn regex_source() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("(?:{})", v.join("|"))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join("|")),
            inner.clone().prop_map(|r| format!("(?:{r})?")),
            inner.clone().prop_map(|r| format!("(?:{r})??")),
            inner.clone().prop_map(|r| format!("(?:{r}){{0,2}}")),
            inner.clone().prop_map(|r| format!("(?:{r})*")),
            inner.clone().prop_map(|r| format!("(?:{r})+")),
            inner.clone().prop_map(|r| format!("(?:{r}){{1,3}}")),
            inner.clone().prop_map(|r| format!("(?-i:{r})")),
            inner.prop_map(|r| format!(r"(?-u:\b)(?:{r})(?-u:\b)")),
        ]
    })
}

/// Phrase-like regexes: only what the backtracking phrase matcher takes (no `.`, `\w`, `*` on
/// anything but whitespace), so that most of them are matched by it rather than an automaton.
fn phrase_source() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("a"),
        Just("in"),
        Just("k"),
        Just("s"),
        Just("é"),
        Just("['’]"),
        Just("[-\u{2010} ]"),
        Just(" "),
        Just(r"\s+"),
        Just(r"\s*"),
        Just(r"\s"),
        Just(r"\b"),
        Just(r"(?-u:\b)"),
        Just(r"\B"),
        Just("^"),
        Just("$"),
    ]
    .prop_map(String::from);
    atom.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..5).prop_map(|v| v.concat()),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| format!("(?:{})", v.join("|"))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join("|")),
            inner.clone().prop_map(|r| format!("(?:{r})?")),
            inner.clone().prop_map(|r| format!("(?:{r})??")),
            inner.clone().prop_map(|r| format!("(?:{r}){{1,3}}")),
            inner.clone().prop_map(|r| format!("(?-i:{r})")),
            inner.prop_map(|r| format!(r"(?-u:\b)(?:{r})(?-u:\b)")),
        ]
    })
}

fn haystack() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("a"),
        Just("b"),
        Just("k"),
        Just("K"),
        Just("s"),
        Just("S"),
        Just("\u{212A}"),
        Just("\u{17F}"),
        Just("é"),
        Just("É"),
        Just(" "),
        Just("  "),
        Just("\t"),
        Just("\u{a0}"),
        Just("\n"),
        Just("’"),
        Just("'"),
        Just("-"),
        Just("in"),
        Just("IN"),
        Just("1"),
        Just("X"),
        Just("_"),
    ];
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_patterns_find_what_regex_finds(source in regex_source(), text in haystack(), ci in any::<bool>()) {
        agrees_if_it_compiles(source, &text, ci)?;
    }
}

/// Patterns mixing branches found by literals with branches found by the bytes they open with
/// (two capitals in a word), whose literals are too common to help (a comma, a space).
fn mixed_source() -> impl Strategy<Value = String> {
    let branch = prop_oneof![
        Just(r"years of experience"),
        Just(r"(?-i:\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:,\s*[A-Z][A-Za-z]*[A-Z][A-Za-z]*){2,})"),
        Just(r"(?-i:(?:[A-Z][A-Za-z]?[A-Z]{1,4},? ){2,})"),
        Just(r"(?:\w+ )?years running"),
        Just(r"\d+x founder"),
        Just(r"(?-i:[A-Z]\w*,)"),
        Just(r"MBA|CPA"),
        Just(r"(?-i:\b[A-Z][a-z]?[A-Z])"),
    ];
    prop::collection::vec(branch, 2..5).prop_map(|v| format!(r"(?-u:\b)(?:{})(?-u:\b)", v.join("|")))
}

fn credentials_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("McKinsey"),
        Just("IBM"),
        Just("PwC"),
        Just("MBA"),
        Just("CPA "),
        Just(", "),
        Just(","),
        Just(" "),
        Just("\n"),
        Just("years running"),
        Just("years of Experience"),
        Just("3x founder"),
        Just("Smith"),
        Just("a"),
        Just("K"),
        Just("\u{212A}"),
        Just("é"),
    ];
    prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn mixed_patterns_find_what_regex_finds(source in mixed_source(), text in credentials_text(), ci in any::<bool>()) {
        agrees_if_it_compiles(source, &text, ci)?;
    }
}

/// The same on a text long enough that the whole regex would be chosen if it could be
/// searched fast (it cannot: a branch without literals leaves it without a prefilter).
#[test]
fn mixed_patterns_find_what_regex_finds_in_a_long_text() {
    let text = "At McKinsey, IBM, PwC and KPMG I spent 12 years running teams. MBA CPA PMP, 3x founder. \
                Smith, Jones, and McDonald, OBrien, DiMaggio know. é \n"
        .repeat(1200);
    assert!(text.len() > 100 << 10);
    for ci in [true, false] {
        for source in [
            r"(?-u:\b)(?:years of experience|(?-i:\b[A-Z][A-Za-z]*[A-Z][A-Za-z]*(?:,\s*[A-Z][A-Za-z]*[A-Z][A-Za-z]*){2,})|(?:\w+ )?years running|(?-i:(?:[A-Z][A-Za-z]?[A-Z]{1,4},? ){2,})|\d+x founder|\d+ years)(?-u:\b)",
            r"(?-i:\b[A-Z][a-z]?[A-Z])|founder|(?-i:[A-Z]\w*,)",
        ] {
            assert_agrees_alone_and_in_a_set(&Case::new(Pattern::new(source, Options::case_insensitive(ci))), &text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_phrases_find_what_regex_finds(source in phrase_source(), text in haystack(), ci in any::<bool>()) {
        agrees_if_it_compiles(source, &text, ci)?;
    }
}

#[test]
fn candidates_that_each_read_to_the_end_of_a_run_hand_over_to_the_whole_regex() {
    // Every `a` is a candidate of `(?:a+)+b` and each reads to the `!`: after a few passes' worth
    // of reading the whole regex takes over, finding the same matches.
    let case = Case::new(Pattern::new(r"(?:a+)+b|c", Options::case_insensitive(true)));
    let haystack = format!("c {}! aab c {}b", "a".repeat(50_000), "A".repeat(20_000));
    case.assert_agrees(&haystack);
    let words = Case::new(Pattern::new(r"(?-u:\b)more(?: \w+)+ clients(?-u:\b)", Options::case_insensitive(true)));
    words.assert_agrees(&format!("{}clients", "more ".repeat(10_000)));
    words.assert_agrees(&"more ".repeat(10_000));
}

/// The phrase matcher skips the ways through a run (or an alternative) whose next byte cannot
/// continue the branch: what may follow is worked out through repetitions, optional parts,
/// alternations and assertions, and a wrong set loses matches.
#[test]
fn what_may_follow_a_run_is_worked_out_through_repetitions_and_alternations() {
    let cases = [
        (r"(?:ab*)+c", "abac abbbabc ab abbc ABAC"),
        (r"(?:x[^,]*,)+y", "xa,xb,y x,,y xy x,y,"),
        (r"(?:a|b\w*)*c", "bbbac bc abxc c"),
        (r"a\w*?(?:b|c)d", "aqqbd acd abd aqqb"),
        (r"a[a-z]*(?:x)?(?:y)?z", "abxyz abz aby z axz"),
        (r"(?:q|)[a-z]*!", "abc! q! !"),
        (r"a\w*(?:q|x?|(?-u:\b))!", "ab! abq! abx! a!"),
        (r"a\w*(?-u:\b) x", "abc x ab_ x a x"),
        (r"\w+(?: \w+)*,", "one two, three, four"),
        (
            r"(?:could|can) you [a-z]+[^.?!;]{2,40}?(?:, (?:send|share)[^,.?!;]{0,20}){2,}",
            "Could you help, send it, share it, and more? can you x, send a, share b",
        ),
        (r"a\w*", "abc ab a"),
        (r"(?:the |a )?\w+ (?:\w+ )?(?:emails|messages)", "my last emails, the two messages, a messages"),
    ];
    for (source, haystack) in cases {
        for ci in [false, true] {
            Case::new(Pattern::new(source, Options::case_insensitive(ci))).assert_agrees(haystack);
        }
    }
}

#[test]
fn a_boundary_after_punctuation_at_the_end_does_not_match() {
    for (source, haystack) in [
        (r"(?-u:\b)(?:that'?s me[.!])(?-u:\b)", "you want the best, and that's me."),
        (r"(?-u:\b)(?:that'?s me[.!])(?-u:\b)", "that's me. And more"),
        (r"(?-u:\b)(?:any update\?)(?-u:\b)", "Hi Ross. Any update?"),
    ] {
        Case::new(Pattern::new(source, Options::case_insensitive(true))).assert_agrees(haystack);
    }
}

#[test]
fn patterns_that_can_match_the_empty_string_agree_with_regex() {
    // A branch of assertions alone (`^`, `$`, `\b`) matches the empty string; such branches have
    // no literal to find, so the whole regex must answer for them.
    for source in ["^", "$", r"\b", "^|a", r"^\s*", "(?m)^", "a|$", "(?:a)?", r"(?-u:\b)|in", "^(?:x)*"] {
        for ci in [false, true] {
            let case = Case::new(Pattern::new(source, Options::case_insensitive(ci)));
            for haystack in ["", "a", "in a\nline", "  x\n\nab"] {
                case.assert_agrees(haystack);
            }
        }
    }
}

#[test]
fn unicode_word_boundaries_agree_with_regex_next_to_non_ascii_text() {
    // On text without non-ASCII word characters a pattern searches with ASCII boundaries; with
    // them (é, ß) it must keep Unicode ones.
    for source in [r"\bcaf\b", r"\b(?:you|your)\b[^.!?\n]{0,20}\?", r"\\b\bx", r"[\]b]\b", r"(?-u:\b)in\b", r"\bstra\b"]
    {
        for ci in [false, true] {
            let case = Case::new(Pattern::new(source, Options::case_insensitive(ci)));
            for haystack in
                ["café caf’s caf", "you’re sure, you? your’s?", r"\bx \b x", "]b b]bé", "in’ iné in", "straße stra"]
            {
                case.assert_agrees(haystack);
            }
        }
    }
}

#[test]
fn a_word_boundary_in_a_rule_pattern_is_an_ascii_boundary() {
    // Rule patterns are loaded with `\b` as `(?-u:\b)`, like the boundaries wrapped around them:
    // "caf" is a whole word of "café" to a rule, as it is to the wrapping boundaries.
    let rule = r#"code = "CL950"
name = "caf"
category = "clarity"
severity = "warning"
kind = "phrase"
message = "m"
label = "l"
help = "h"
rationale = "r"

[match]
patterns = ["caf"]
unless = ["\\bnearby\\b"]

[examples]
flag = ["A [[caf]] here.", "The [[caf]]é here."]
pass = ["A caf nearbyé.", "Scafe"]
"#;
    let rules = pitchlint::rules::load::load_sources(&[("caf.toml".to_owned(), rule.to_owned())], false)
        .expect("the pack loads");
    let failures = pitchlint::rules::selftest::run(std::sync::Arc::new(rules));
    assert!(failures.is_empty(), "{failures:?}");
}
/// Cases where a phrase matcher that got backtracking order wrong would differ from `regex`.
#[test]
fn phrases_agree_with_regex_where_backtracking_order_matters() {
    let cases = [
        (r"a\s+", "a   b a\tb a"),
        (r"a\s*", "a  a\u{a0}\u{a0}x"),
        (r"a\s*?b", "a  b ab"),
        (r"a\s+?", "a   b"),
        (r"(?:a|ab)", "ab a"),
        (r"(?:ab|a)", "ab a"),
        (r"(?:a|ab)(?-u:\b)", "ab a"),
        (r"a(?:b)?", "ab a"),
        (r"a(?:b)??", "ab a"),
        (r"(?:a\s+)?b", "a  b b"),
        (r"(?:a){1,3}", "aaaa"),
        (r"(?:a){1,3}?", "aaaa"),
        (r"(?:a|b){0,2}c", "abc bac c"),
        (r"(?:a|b){0,2}?c", "abc bac c"),
        (r"(?-u:\b)in(?-u:\b)", "in inn ’in’ éin"),
        (r"\bin\b", "in éin iné in_"),
        (r"\Bn\B", "inn in"),
        (r"^\s*a", "  a a"),
        (r"a$", "a a"),
        (r"(?:i['’]m|i am)\s+(?:looking|hoping)", "I’m  looking, i AM hoping, i'm\thoping"),
        (r"send\s+(?:them|people)\s+(?:my|our)\s+way", "Send them  my way; send people our way."),
        // Found by a required literal, tried start by start: matches that touch, and one that
        // starts where the search resumes.
        (r"\d+x", "1x2x33x x4"),
        (r"\d+\s*(?:-|–)\s*\d+", "10-20 3 – 4-5 6"),
        (r"(?:\w+ ){0,2}list", "my list our mailing list list"),
        // Searched whole (a branch without literals), start by start: touching matches, and
        // the Kelvin sign, which folds to `k`.
        (r"k|\s+", "\u{212A} kk  k"),
        (r"[A-Z]{2,5}s?", "IT HRs ABCDEFG aX"),
    ];
    for (source, text) in cases {
        for ci in [false, true] {
            Case::new(Pattern::new(source, Options::case_insensitive(ci))).assert_agrees(text);
        }
    }
}
