//! Properties that hold for every input, checked on generated text full of what breaks parsers:
//! CRLF, lone `>` and `-- ` lines, e-mail headers, Markdown fences and comments, emoji and ZWJ
//! sequences, combining marks, bidi controls, NUL and other control characters.
//!
//! - parsing and checking never panic, in every format and profile;
//! - regions are sorted, disjoint and cover the input; sentences and words lie inside them;
//! - every span (regions, sentences, words, findings, fix edits) lies inside the input on `char`
//!   boundaries;
//! - findings are sorted by (offset, code, end);
//! - fixing twice equals fixing once, and fixes change nothing outside their edits;
//! - two runs give byte-identical output in every format;
//! - line/column positions agree with counting characters by hand;
//! - bytes are accepted as input exactly when they are UTF-8 text without NUL.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use pitchlint::cli::args::{CheckFormat, RuleOptions};
use pitchlint::cli::check::{build_report, render};
use pitchlint::cli::settings::{Resolved, Resolver};
use pitchlint::diagnostic::{Applicability, Diagnostic};
use pitchlint::fix::{apply_fixes, fix_until_stable};
use pitchlint::input::{self, Source};
use pitchlint::report::HumanOptions;
use pitchlint::span::{LineCol, LineIndex, Span};
use pitchlint::text::{Document, InputFormat, LintText, Profile};
use proptest::prelude::*;

/// `check --isolated`: the built-in rules, all of them.
static RESOLVED: LazyLock<Arc<Resolved>> = LazyLock::new(|| {
    let resolver = Resolver::new(RuleOptions { isolated: true, ..RuleOptions::default() });
    resolver.for_source(&Source::Stdin(None)).expect("the built-in rules load")
});

const FORMATS: [CheckFormat; 6] = [
    CheckFormat::Human,
    CheckFormat::Concise,
    CheckFormat::Json,
    CheckFormat::Sarif,
    CheckFormat::Github,
    CheckFormat::Junit,
];

/// Pieces that mean something to one classifier or another, and pieces that break naive code.
const FRAGMENTS: &[&str] = &[
    "\r\n",
    "\n",
    "\n\n",
    "\r",
    ">",
    "> ",
    ">> quoted\n",
    "-- \n",
    "--\n",
    "\u{2014}\n",
    "Hi Dana,\n",
    "Best,\n",
    "Sam\n",
    "Thanks, Sam\n",
    "P.S. ",
    "Subject: ",
    "From: a@b.co\n",
    "Sent: Tue\n",
    "To: x\n",
    "On Tue, 3 Mar 2026, Dana <d@example.com> wrote:\n",
    "-----Original Message-----\n",
    "Sent from my iPhone\n",
    "Content-Type: text/plain\n",
    "Content-Transfer-Encoding: base64\n",
    "MIME-Version: 1.0\n",
    "Content-Type: multipart/alternative; boundary=\"b\"\n",
    "--b\n",
    "--b--\n",
    "=?utf-8?q?caf=C3=A9?=",
    "=\n",
    "```\n",
    "`",
    "<!-- ",
    " -->",
    "<!-- pitchlint-disable -->",
    "<!-- pitchlint-enable -->",
    "pitchlint: ignore ASK\n",
    "[link](https://example.com/a.b)",
    "<https://x.io>",
    "https://example.com/x?y=1.",
    "dana@example.com",
    "# ",
    "* ",
    "1. ",
    "I'm always looking for paying clients",
    ", so send anyone my way",
    "Buy now",
    " limited time offer",
    "!!!",
    "?",
    ". ",
    "e.g. ",
    "Dr. ",
    "I",
    " me",
    " my",
    " you",
    " your",
    "Could you introduce me to the head of operations at a 50-person logistics firm in Leeds?",
    "We are the leading synergistic platform.",
    "Just checking in",
    "thanks in advance",
    "in order to",
    "\u{feff}",
    "\u{0301}",
    "e\u{0301}",
    "\u{1F600}",
    "\u{1F469}\u{200D}\u{1F4BB}",
    "\u{1F1EC}\u{1F1E7}",
    "\u{202E}",
    "\u{2066}",
    "\u{2069}",
    "\u{200F}",
    "\u{200B}",
    "\u{00A0}",
    "\u{2028}",
    "\u{0}",
    "\u{7}",
    "\t",
    "\u{201C}",
    "\u{201D}",
    "\"",
    "'",
    "\u{2019}",
    "ß",
    "İ",
    "ﬁ",
    "日本語の文章。",
    "مرحبا",
    "\u{10FFFF}",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(FRAGMENTS).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-zA-Z ,.!?']{0,16}",
    ]
}

/// Text made of up to 40 fragments.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..40).prop_map(|parts| parts.concat())
}

fn format() -> impl Strategy<Value = InputFormat> {
    prop_oneof![Just(InputFormat::Plain), Just(InputFormat::Markdown), Just(InputFormat::Email)]
}

fn profile() -> impl Strategy<Value = Profile> {
    prop_oneof![Just(Profile::Auto), Just(Profile::Pitch), Just(Profile::Email)]
}

fn name(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Plain => "pitch.txt",
        InputFormat::Markdown => "draft.md",
        InputFormat::Email => "message.eml",
    }
}

fn assert_fits(source: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} {span:?} is inverted in {source:?}");
    assert!(span.end <= source.len(), "{what} {span:?} ends past the input {source:?}");
    assert!(source.is_char_boundary(span.start), "{what} {span:?} starts inside a character of {source:?}");
    assert!(source.is_char_boundary(span.end), "{what} {span:?} ends inside a character of {source:?}");
}

fn assert_document(doc: &Document<'_>) {
    let source = doc.source();
    let mut cursor = 0;
    for region in doc.regions() {
        assert_fits(source, region.span, "region");
        assert_eq!(region.span.start, cursor, "regions are sorted, disjoint and gapless in {source:?}");
        cursor = region.span.end;
    }
    assert_eq!(cursor, source.len(), "regions cover {source:?}");
    let mut previous = 0;
    for sentence in doc.sentences() {
        assert_fits(source, sentence.span(), "sentence");
        assert!(sentence.span().start >= previous, "sentences are sorted and disjoint in {source:?}");
        previous = sentence.span().end;
        let region = doc.regions().iter().find(|r| r.span.contains(sentence.span()));
        assert!(region.is_some_and(|r| r.kind == sentence.region), "sentence inside one region in {source:?}");
        for word in doc.sentence_words(sentence) {
            assert!(sentence.span().contains(word.span()), "word inside its sentence in {source:?}");
        }
    }
    for word in doc.words() {
        assert_fits(source, word.span(), "word");
    }
}

fn assert_findings(source: &str, diagnostics: &[Diagnostic]) {
    let rules = RESOLVED.linter.rules();
    let key = |d: &Diagnostic| (d.span.start, rules.get(d.rule).map(|r| r.code.clone()), d.span.end);
    for d in diagnostics {
        assert_fits(source, d.span, "finding");
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert_fits(source, edit.span, "fix edit");
        }
    }
    assert!(diagnostics.windows(2).all(|w| key(&w[0]) <= key(&w[1])), "findings are sorted in {source:?}");
}

/// The whole `check` report for `text` read as `format`, rendered in every output format.
fn outputs(text: &str, format: InputFormat) -> Vec<Vec<u8>> {
    let source = Source::Stdin(Some(PathBuf::from(name(format))));
    let report = build_report(&RESOLVED, &source, text.to_owned());
    assert_findings(&report.source, &report.diagnostics);
    let files = [report];
    FORMATS
        .iter()
        .map(|&output| {
            let mut out = Vec::new();
            let human = HumanOptions { color: false, width: 80 };
            render(output, &files, RESOLVED.linter.rules(), human, true, &mut out).expect("renders into memory");
            out
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn parsing_never_panics_and_regions_cover_the_input(text in text(), format in format(), profile in profile()) {
        let doc = Document::parse(&text, format, profile);
        assert_document(&doc);
        prop_assert_ne!(doc.profile(), Profile::Auto);
        let lint_text = LintText::new(&text, format);
        assert_document(&lint_text.document(profile));
    }

    #[test]
    fn checking_never_panics_and_findings_fit_and_are_sorted(text in text(), format in format(), profile in profile()) {
        let lint_text = LintText::new(&text, format);
        let doc = lint_text.document(profile);
        assert_findings(doc.source(), &RESOLVED.linter.check(&doc));
    }

    #[test]
    fn two_runs_give_identical_output_in_every_format(text in text(), format in format()) {
        let first = outputs(&text, format);
        let second = outputs(&text, format);
        prop_assert_eq!(&first, &second);
        let json: Result<serde_json::Value, _> = serde_json::from_slice(&first[2]);
        prop_assert!(json.is_ok(), "JSON output parses");
    }

    #[test]
    fn fixing_twice_equals_fixing_once(text in text(), format in format(), profile in profile(), unsafe_too in any::<bool>()) {
        let min = if unsafe_too { Applicability::Unsafe } else { Applicability::Safe };
        let linter = &RESOLVED.linter;
        let once = fix_until_stable(linter, profile, format, &text, min);
        let twice = fix_until_stable(linter, profile, format, &once, min);
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn a_fix_round_copies_every_byte_outside_its_edits(text in text(), profile in profile()) {
        let doc = Document::parse(&text, InputFormat::Plain, profile);
        let diagnostics = RESOLVED.linter.check(&doc);
        let result = apply_fixes(&text, &diagnostics, Applicability::Unsafe);
        let edits: Vec<_> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).flat_map(|f| &f.edits).collect();
        if edits.is_empty() {
            prop_assert_eq!(&result.text, &text);
        }
        // Whatever was applied, the text before the first edit and after the last is untouched.
        let first = edits.iter().map(|e| e.span.start).min().unwrap_or(text.len());
        let last = edits.iter().map(|e| e.span.end).max().unwrap_or(text.len());
        prop_assert!(result.text.starts_with(&text[..first]));
        prop_assert!(result.text.ends_with(&text[last..]));
    }

    #[test]
    fn positions_count_characters_from_the_line_start(text in text(), at in any::<proptest::sample::Index>()) {
        let index = LineIndex::new(&text);
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
        let offset = boundaries[at.index(boundaries.len())];
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
        prop_assert_eq!(index.line_col(&text, offset), LineCol { line, column });
    }

    #[test]
    fn bytes_are_input_exactly_when_they_are_utf8_text_without_nul(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let decoded = input::decode("x.txt", bytes.clone());
        let text_like = std::str::from_utf8(&bytes).is_ok()
            && !bytes.contains(&0)
            && !bytes.starts_with(&[0xFF, 0xFE])
            && !bytes.starts_with(&[0xFE, 0xFF]);
        prop_assert_eq!(decoded.is_ok(), text_like, "{:?}", decoded);
        if let Ok(text) = decoded {
            prop_assert_eq!(text.as_bytes(), &bytes[..]);
        }
    }
}

#[test]
fn long_lines_keep_positions_exact_past_every_checkpoint() {
    let text = format!("{}\n{}end", "é".repeat(5000), "日".repeat(9000));
    let index = LineIndex::new(&text);
    let offset = text.len() - 3;
    assert_eq!(index.line_col(&text, offset), LineCol { line: 2, column: 9001 });
}
