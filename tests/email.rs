//! E-mail drafts and the pre-commit hook: regions (quotes and signatures are never linted),
//! Markdown masking, `.eml` reading, subject rules, suppression, fixes and the CI formats.
//! Every test runs the real binary over `fixtures/emails/`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
// A test's job is to fail loudly; the no-panic lints guard the library, not its tests.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Run, pitchlint, pitchlint_in};
use serde_json::Value;

const EMAILS: &str = "fixtures/emails";

fn fixture(name: &str) -> String {
    format!("{EMAILS}/{name}")
}

fn read(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = pitchlint(&all, None);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", run.stdout))
}

/// Every diagnostic of every file in a JSON report.
fn diagnostics(report: &Value) -> Vec<Value> {
    let files = report["files"].as_array().cloned().unwrap_or_default();
    files.iter().flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default()).collect()
}

fn codes(report: &Value) -> Vec<String> {
    diagnostics(report).iter().map(|d| d["code"].as_str().unwrap_or("").to_owned()).collect()
}

fn offset(d: &Value) -> usize {
    d["span"]["offset"].as_u64().and_then(|o| usize::try_from(o).ok()).unwrap_or(usize::MAX)
}

/// A copy of a fixture in a fresh temporary directory.
fn temp_copy(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let path = dir.path().join(name);
    let original = Path::new(env!("CARGO_MANIFEST_DIR")).join(EMAILS).join(name);
    fs::copy(&original, &path).unwrap_or_else(|e| panic!("copy {}: {e}", original.display()));
    (dir, path)
}

fn bytes(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    pitchlint_in(dir, args, None)
}

#[test]
fn hard_sell_quoted_reply_and_signature_yield_no_finding_at_or_after_the_signature() {
    for (name, marker) in [("reply-with-quote.txt", "\n-- \n"), ("outlook-reply.txt", "Irene\n\n-----Original Message")]
    {
        let source = read(&fixture(name));
        let signature = source.find(marker).unwrap_or_else(|| panic!("{name}: no {marker:?}"));
        let report = json(&[&fixture(name)]);
        for d in diagnostics(&report) {
            assert!(offset(&d) < signature, "{name}: finding inside the signature or quote: {d}");
        }
    }
}

#[test]
fn the_same_hard_sell_written_as_the_body_is_flagged() {
    // Guards the test above: the quoted text would be flagged if it were the writer's own.
    let source = read(&fixture("reply-with-quote.txt"));
    let quoted: String = source
        .lines()
        .filter_map(|l| l.strip_prefix("> ").or_else(|| l.strip_prefix('>')))
        .collect::<Vec<_>>()
        .join("\n");
    let run = pitchlint(&["check", "--format", "concise", "-"], Some(&quoted));
    assert!(run.stdout.contains("[HS"), "{}", run.stdout);
}

#[test]
fn html_only_reply_masks_its_signature_block_and_gmail_quote() {
    let report = json(&[&fixture("html-only-reply.eml")]);
    for d in diagnostics(&report) {
        let text = d["text"].as_str().unwrap_or("");
        for loud in ["BEST RATES", "Act now", "LAST CHANCE", "sign up", "40%", "30%"] {
            assert!(!text.contains(loud), "signature or quote linted: {d}");
        }
    }
}

#[test]
fn markdown_code_comments_and_urls_are_silent() {
    let name = fixture("draft.md");
    let source = read(&name);
    let fence_start = source.find("```").unwrap_or(0);
    let fence_end = source.rfind("```").map_or(0, |i| i + 3);
    let masked = [
        (fence_start, fence_end),
        (source.find("`act now`").unwrap_or(0), source.find("`act now`").map_or(0, |i| i + 9)),
        (source.find("<!--").unwrap_or(0), source.find("-->").map_or(0, |i| i + 3)),
        (source.find("https://").unwrap_or(0), source.find("stock-count").map_or(0, |i| i + 11)),
    ];
    let report = json(&[&name]);
    for d in diagnostics(&report) {
        let at = offset(&d);
        assert!(!masked.iter().any(|(s, e)| (*s..*e).contains(&at)), "finding in masked Markdown: {d}");
    }
    // The comment's text is loud enough to be flagged anywhere else.
    let comment = source.get(masked[2].0 + 4..masked[2].1 - 3).unwrap_or("");
    let plain = pitchlint(&["check", "--format", "concise", "-"], Some(comment));
    assert!(plain.stdout.contains("[HS"), "{}", plain.stdout);
}

#[test]
fn diff_leaves_the_file_byte_identical_and_shows_the_rewrite() {
    let (dir, path) = temp_copy("wordy-follow-up.txt");
    let before = bytes(&path);
    let run = run_in(dir.path(), &["check", "--diff", "wordy-follow-up.txt"]);
    assert_eq!(bytes(&path), before, "--diff must not write");
    assert!(run.stdout.contains("--- a/wordy-follow-up.txt"), "{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with('-') && l.contains("in order to save")), "{}", run.stdout);
    assert!(run.stdout.lines().any(|l| l.starts_with('+') && l.contains("template to save")), "{}", run.stdout);
}

#[test]
fn fix_rewrites_in_order_to_and_leaves_the_rest_intact() {
    let (dir, path) = temp_copy("wordy-follow-up.txt");
    let original = String::from_utf8_lossy(&bytes(&path)).into_owned();
    run_in(dir.path(), &["check", "--fix", "wordy-follow-up.txt"]);
    let fixed = String::from_utf8_lossy(&bytes(&path)).into_owned();
    assert_eq!(fixed, original.replace(" in order to ", " to "));

    let again = run_in(dir.path(), &["check", "--fix", "wordy-follow-up.txt"]);
    assert_eq!(String::from_utf8_lossy(&bytes(&path)), fixed, "a second --fix changed the file: {}", again.stdout);
    let diff = run_in(dir.path(), &["check", "--diff", "wordy-follow-up.txt"]);
    assert_eq!(diff.stdout, "", "nothing left to fix");
}

#[test]
fn fix_in_an_unencoded_crlf_eml_keeps_its_line_endings() {
    let (dir, path) = temp_copy("crlf-intro.eml");
    let original = String::from_utf8_lossy(&bytes(&path)).into_owned();
    run_in(dir.path(), &["check", "--fix", "crlf-intro.eml"]);
    let fixed = String::from_utf8_lossy(&bytes(&path)).into_owned();
    assert_eq!(fixed, original.replace(" in order to\r\n", " to\r\n").replace(" in order to ", " to "));
    assert_ne!(fixed, original);
    assert!(!fixed.replace("\r\n", "").contains('\n'), "line endings changed");
}

#[test]
fn an_encoded_body_is_linted_decoded_and_never_fixed() {
    let (dir, path) = temp_copy("qp-follow-up.eml");
    let before = bytes(&path);
    let run = run_in(dir.path(), &["check", "--format", "json", "--fix", "qp-follow-up.eml"]);
    assert_eq!(bytes(&path), before, "--fix rewrote an encoded body");
    let report: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    let found = diagnostics(&report);
    let checking_in = found.iter().find(|d| d["code"] == "FU001");
    assert!(checking_in.is_some_and(|d| d["text"] == "Just checking in"), "{}", run.stdout);
    assert!(found.iter().any(|d| d["code"] == "FU998"), "the decoded-body notice explains positions: {}", run.stdout);
}

#[test]
fn a_base64_body_is_decoded_before_linting() {
    let pack = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let rule = r#"code = "FU777"
name = "welcome-pack-probe"
category = "follow-up"
severity = "warning"
kind = "phrase"
message = "found {match}"
help = "probe"
rationale = "probe"
[match]
words = ["welcome pack"]
[examples]
flag = ["the [[welcome pack]]"]
pass = ["the pack"]
"#;
    fs::write(pack.path().join("welcome-pack-probe.toml"), rule).unwrap_or_else(|e| panic!("{e}"));
    let pack_dir = pack.path().to_string_lossy().into_owned();
    let report = json(&["--rules", &pack_dir, "--select", "FU777,FU998", &fixture("base64-follow-up.eml")]);
    let found = diagnostics(&report);
    assert!(found.iter().any(|d| d["code"] == "FU777" && d["text"] == "welcome pack"), "{report}");
    assert!(found.iter().any(|d| d["code"] == "FU998"), "{report}");
}

#[test]
fn spans_in_an_unencoded_eml_point_into_the_file() {
    let name = fixture("crlf-intro.eml");
    let source = read(&name);
    let report = json(&[&name]);
    let found = diagnostics(&report);
    assert!(!found.is_empty(), "{report}");
    for d in found {
        let start = offset(&d);
        let len = d["span"]["length"].as_u64().and_then(|l| usize::try_from(l).ok()).unwrap_or(0);
        assert_eq!(source.get(start..start + len), d["text"].as_str(), "{d}");
    }
}

#[test]
fn broken_mime_is_linted_as_plain_text_with_an_info_never_an_error() {
    let run = pitchlint(&["check", "--format", "concise", &fixture("broken-boundary.eml")], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr, "");
    assert!(run.stdout.contains("info[FU997]"), "{}", run.stdout);
}

#[test]
fn subject_rules_flag_a_shouted_generic_fake_reply() {
    let found = codes(&json(&[&fixture("shouted-subject.txt")]));
    for code in ["FU103", "FU104", "FU105"] {
        assert!(found.iter().any(|c| c == code), "{code} missing from {found:?}");
    }
    let real_reply = codes(&json(&[&fixture("reply-with-quote.txt")]));
    assert!(!real_reply.iter().any(|c| c == "FU104"), "{real_reply:?}");
}

#[test]
fn empty_subject_header_in_an_eml_is_an_error() {
    let eml = "From: a@example.com\nTo: b@example.org\nSubject: \nMIME-Version: 1.0\nContent-Type: text/plain\n\nHi Dana,\n\nHere is the report.\n\nBest,\nSam\n";
    let run = pitchlint(&["check", "--format", "concise", "--stdin-filename", "draft.eml", "-"], Some(eml));
    assert!(run.stdout.contains("draft.eml:3:1: error[FU101]"), "{}", run.stdout);
}

#[test]
fn ignore_line_suppresses_the_next_paragraph_and_unused_ones_are_reported() {
    let report = json(&[&fixture("suppressed.txt")]);
    let found = codes(&report);
    assert!(!found.iter().any(|c| c == "FU001"), "{found:?}");
    let unused: Vec<Value> = diagnostics(&report).into_iter().filter(|d| d["code"] == "FU999").collect();
    assert_eq!(unused.len(), 1, "{report}");
    assert_eq!(unused.first().map(|d| d["text"].clone()), Some(Value::from("pitchlint: ignore HS001")));
    assert_eq!(unused.first().map(|d| d["severity"].clone()), Some(Value::from("info")));
}

#[test]
fn the_suppressed_finding_comes_back_without_its_directive() {
    let source = read(&fixture("suppressed.txt")).replace("pitchlint: ignore FU001\n", "");
    let run = pitchlint(&["check", "--format", "concise", "-"], Some(&source));
    assert!(run.stdout.contains("[FU001]"), "{}", run.stdout);
}

#[test]
fn markdown_disable_enable_suppresses_only_between_the_comments() {
    let name = fixture("suppressed.md");
    let source = read(&name);
    let report = json(&[&name]);
    let wordy: Vec<usize> = diagnostics(&report).iter().filter(|d| d["code"] == "CL002").map(offset).collect();
    let second = source.rfind("in order to").unwrap_or(0);
    assert_eq!(wordy, [second], "{report}");
    assert!(!codes(&report).iter().any(|c| c == "FU999"), "{report}");
}

#[test]
fn sarif_is_valid_2_1_0_shaped_json() {
    let run = pitchlint(&["check", "--format", "sarif", EMAILS], None);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"].as_str().is_some_and(|s| s.contains("sarif-schema-2.1.0")));
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "pitchlint");
    let rules = run0["tool"]["driver"]["rules"].as_array().cloned().unwrap_or_default();
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    assert!(!results.is_empty());
    for result in &results {
        let index = result["ruleIndex"].as_u64().and_then(|i| usize::try_from(i).ok()).unwrap_or(usize::MAX);
        assert_eq!(rules.get(index).map(|r| r["id"].clone()), Some(result["ruleId"].clone()), "{result}");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or("")), "{result}");
        assert!(result["message"]["text"].is_string());
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().unwrap_or("");
        assert!(uri.starts_with("fixtures/emails/") && !uri.contains(' '), "{uri}");
        let region = &location["region"];
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[key].as_u64().is_some_and(|n| n >= 1), "{key} in {region}");
        }
        assert!(region.get("charOffset").is_none(), "offsets are bytes, not characters");
    }
}

#[test]
fn github_annotations_are_one_workflow_command_per_finding() {
    let run = pitchlint(&["check", "--format", "github", EMAILS], None);
    assert!(!run.stdout.is_empty());
    for line in run.stdout.lines() {
        let (command, rest) = line.split_once(' ').unwrap_or(("", ""));
        assert!(["::error", "::warning", "::notice"].contains(&command), "{line}");
        let (properties, message) = rest.split_once("::").unwrap_or(("", ""));
        assert!(properties.starts_with("file=fixtures/emails/") && properties.contains(",line="), "{line}");
        assert!(!message.is_empty(), "{line}");
    }
}

#[test]
fn junit_is_well_formed_xml_with_a_test_case_per_file() {
    let run = pitchlint(&["check", "--format", "junit", EMAILS], None);
    assert!(run.stdout.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "{}", run.stdout);
    assert_well_formed(&run.stdout);
    let files = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(EMAILS)).map_or(0, Iterator::count);
    assert_eq!(run.stdout.matches("<testcase ").count(), files, "{}", run.stdout);
}

/// A small well-formedness check: tags balance and nest, attributes are quoted, and every `&`
/// starts a known entity.
fn assert_well_formed(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml.trim_start_matches(|c| c != '>').get(1..).unwrap_or("");
    while let Some(open) = rest.find('<') {
        let text = rest.get(..open).unwrap_or("");
        assert_entities(text);
        let close =
            rest.get(open..).and_then(|r| r.find('>')).map(|i| open + i).unwrap_or_else(|| panic!("unclosed tag"));
        let tag = rest.get(open + 1..close).unwrap_or("");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        assert_entities(tag);
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_alphanumeric()).collect();
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(closing.trim()), "mismatched </{closing}>");
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
}

fn assert_entities(text: &str) {
    for (i, _) in text.match_indices('&') {
        let tail = text.get(i..).unwrap_or("");
        let known = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].iter().any(|e| tail.starts_with(e));
        assert!(known, "bare & in {text:?}");
    }
}

#[test]
fn pre_commit_hook_file_names_the_pitchlint_hook() {
    let hooks = read(".pre-commit-hooks.yaml");
    assert!(hooks.lines().any(|l| l.trim() == "- id: pitchlint"), "{hooks}");
    assert!(hooks.contains("entry: pitchlint check"), "{hooks}");
    for ext in ["txt", "md", "eml"] {
        assert!(hooks.contains(ext), "{ext} missing from {hooks}");
    }
}

#[test]
fn concise_output_on_each_email_fixture() {
    insta::glob!("../fixtures", "emails/*", |path| {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let run = pitchlint(&["check", "--format", "concise", &fixture(&name)], None);
        insta::assert_snapshot!(run.snapshot());
    });
}

mod properties {
    use std::sync::{Arc, LazyLock};

    use pitchlint::engine::Linter;
    use pitchlint::rules::RuleSet;
    use pitchlint::text::{InputFormat, LintText, Profile, html};
    use proptest::prelude::*;

    static LINTER: LazyLock<Linter> = LazyLock::new(|| {
        let rules = RuleSet::builtin().unwrap_or_else(|e| panic!("the built-in pack loads: {e:?}"));
        Linter::all(Arc::new(rules))
    });

    /// Pieces of real drafts and messages, recombined at random.
    const PIECES: [&str; 30] = [
        "From: Dana <d@example.com>\n",
        "Subject: ",
        "Quick question",
        "\r\n",
        "\n",
        "\n\n",
        "Hi Dana,\n",
        "Best,\nSam\n",
        "-- \n",
        "--",
        "> Act now!\n",
        "On Tue, Dana <d@example.com> wrote:\n",
        "-----Original Message-----\n",
        "Sent: Monday\n",
        "MIME-Version: 1.0\nContent-Type: text/html\n",
        "Content-Transfer-Encoding: quoted-printable\n",
        "=E2=80=\n=94",
        "<p>Hi &amp; bye</p>",
        "<blockquote>",
        "<!-- pitchlint-disable CL002 -->",
        "<!-- pitchlint-enable -->",
        "pitchlint: ignore FU001\n",
        "```\n",
        "`code`",
        "https://example.com/a).",
        "in order to ",
        "BUY NOW!!! ",
        "é",
        "😀",
        "P.S. ",
    ];

    fn draft() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES.to_vec()), 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn any_draft_in_any_format_reads_into_covering_regions_and_lints(
            text in draft(),
            format in prop::sample::select(vec![InputFormat::Plain, InputFormat::Markdown, InputFormat::Email]),
        ) {
            let read = LintText::new(&text, format);
            let doc = read.document(Profile::Auto);
            let source = doc.source();
            let mut cursor = 0;
            for region in doc.regions() {
                prop_assert_eq!(region.span.start, cursor);
                prop_assert!(source.is_char_boundary(region.span.end));
                cursor = region.span.end;
            }
            prop_assert_eq!(cursor, source.len());
            for d in LINTER.check(&doc) {
                prop_assert!(d.span.end <= source.len());
                prop_assert!(source.is_char_boundary(d.span.start) && source.is_char_boundary(d.span.end));
            }
            let _ = html::to_text(&text);
        }
    }
}
