//! The command line as a user meets it: exit codes, formats, selection, config and errors.
//! Output is snapshotted with insta from real runs over `fixtures/`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod common;

use common::pitchlint;
use serde_json::Value;

#[test]
fn vague_me_focused_pitch_exits_1_with_an_ask_finding() {
    let run = pitchlint(&["check", "--format", "concise", "fixtures/pitches/vague-ask.txt"], None);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("[ASK"), "{}", run.stdout);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn human_output_shows_the_place_the_advice_and_a_rewrite() {
    let run = pitchlint(&["check", "--format", "human", "fixtures/pitches/vague-ask.txt"], None);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("rewrite:"), "{}", run.stdout);
    assert!(run.stdout.contains("vague-ask.txt:1:"), "{}", run.stdout);
    assert!(run.stdout.contains("score"), "{}", run.stdout);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn specific_listener_focused_pitch_passes_at_warning() {
    let run =
        pitchlint(&["check", "--fail-on", "warning", "--format", "concise", "fixtures/pitches/specific-ask.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stdout);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn piped_hard_sell_exits_1_with_a_hard_sell_finding() {
    let run = pitchlint(&["check", "--format", "concise", "-"], Some("Buy now, limited time offer!!!"));
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("[HS"), "{}", run.stdout);
    assert!(run.stdout.starts_with("<stdin>:1:"), "{}", run.stdout);
}

#[test]
fn stdin_filename_names_the_input() {
    let run = pitchlint(&["check", "--format", "concise", "--stdin-filename", "pitch.txt", "-"], Some("Act now!!!"));
    assert!(run.stdout.starts_with("pitch.txt:1:"), "{}", run.stdout);
}

#[test]
fn exit_zero_and_fail_on_change_the_exit_code_only() {
    let failing = pitchlint(&["check", "--format", "concise", "fixtures/pitches/hard-sell.txt"], None);
    let zero = pitchlint(&["check", "--exit-zero", "--format", "concise", "fixtures/pitches/hard-sell.txt"], None);
    assert_eq!(failing.code, 1);
    assert_eq!(zero.code, 0);
    assert_eq!(failing.stdout, zero.stdout);
    let info_only =
        pitchlint(&["check", "--select", "CL002", "--fail-on", "error", "fixtures/pitches/jargon.txt"], None);
    assert_eq!(info_only.code, 0, "{}", info_only.stdout);
}

#[test]
fn json_output_is_versioned_and_spans_lie_inside_the_input() {
    for entry in std::fs::read_dir("fixtures/pitches").expect("fixtures exist") {
        let path = entry.expect("entry").path();
        let source = std::fs::read_to_string(&path).expect("fixture is text");
        let run = pitchlint(&["check", "--format", "json", path.to_str().expect("utf-8 path")], None);
        let json: Value = serde_json::from_str(&run.stdout).expect("valid JSON");
        assert_eq!(json["version"], 1);
        for d in json["files"][0]["diagnostics"].as_array().expect("diagnostics") {
            let offset = d["span"]["offset"].as_u64().expect("offset") as usize;
            let length = d["span"]["length"].as_u64().expect("length") as usize;
            assert!(offset + length <= source.len(), "{path:?}: {d}");
            assert_eq!(source.get(offset..offset + length), d["text"].as_str(), "{path:?}: {d}");
        }
    }
}

/// A long text's findings, formatted on every core when there are thousands, come out one line
/// each, in order, as the JSON report lists them.
#[test]
fn concise_lines_of_a_long_text_follow_the_findings_in_order() {
    let pitch = std::fs::read_to_string("fixtures/pitches/hard-sell.txt").expect("fixture is text");
    let text = format!("{pitch}\n\n").repeat(600);
    let concise = pitchlint(&["check", "--format", "concise", "-"], Some(&text));
    let json = pitchlint(&["check", "--format", "json", "-"], Some(&text));
    let json: Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    let expected: Vec<String> = json["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let field = |key: &str| d[key].as_str().expect("a string").to_owned();
            format!(
                "<stdin>:{}:{}: {}[{}] {}",
                d["start"]["line"],
                d["start"]["column"],
                field("severity"),
                field("code"),
                field("message")
            )
        })
        .collect();
    assert!(expected.len() > 3 * 2048, "{} findings: too few to be formatted in parts", expected.len());
    let lines: Vec<&str> = concise.stdout.lines().collect();
    assert_eq!(lines.len(), expected.len() + 1, "a line per finding and the summary");
    for (i, (line, want)) in lines.iter().zip(&expected).enumerate() {
        assert_eq!(line, want, "line {}", i + 1);
    }
}

/// A file of several megabytes is checked with the rules loaded, and the scan prepared, while
/// it is read (stdin is not): the findings are the same either way.
#[test]
fn a_long_file_is_checked_as_the_same_text_piped() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut text = String::new();
    for name in ["hard-sell.txt", "vague-ask.txt", "jargon.txt"] {
        let pitch = std::fs::read_to_string(format!("fixtures/pitches/{name}")).expect("fixture is text");
        text.push_str(&format!("{pitch}\n\n"));
    }
    let text = text.repeat((5 << 19) / text.len() + 1);
    let path = dir.path().join("long.txt");
    std::fs::write(&path, &text).expect("written");
    let path = path.to_str().expect("a UTF-8 path");
    let from_file = pitchlint(&["check", "--isolated", "--format", "json", path], None);
    let piped = pitchlint(&["check", "--isolated", "--format", "json", "--stdin-filename", path, "-"], Some(&text));
    assert_eq!(from_file.code, 1, "{}", from_file.stderr);
    let findings = |run: &common::Run| -> Value {
        let json: Value = serde_json::from_str(&run.stdout).expect("valid JSON");
        json["files"][0]["diagnostics"].clone()
    };
    let (from_file, piped) = (findings(&from_file), findings(&piped));
    assert!(from_file.as_array().is_some_and(|d| d.len() > 10_000), "too few findings to compare");
    assert_eq!(from_file, piped);
}

#[test]
fn json_snapshot_of_the_hard_sell_pitch() {
    let run = pitchlint(&["check", "--format", "json", "fixtures/pitches/hard-sell.txt"], None);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn directories_are_walked_in_sorted_order() {
    let run = pitchlint(&["check", "--exit-zero", "--format", "concise", "fixtures/pitches"], None);
    let files: Vec<&str> =
        run.stdout.lines().filter_map(|l| l.split(':').next()).filter(|f| f.ends_with(".txt")).collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
    assert!(run.stdout.contains("in 6 files"), "{}", run.stdout);
}

#[test]
fn select_and_ignore_accept_codes_prefixes_names_and_categories() {
    let by_category =
        pitchlint(&["check", "--select", "hard-sell", "--format", "concise", "fixtures/pitches/hard-sell.txt"], None);
    assert!(
        by_category.stdout.lines().filter(|l| l.contains('[')).all(|l| l.contains("[HS")),
        "{}",
        by_category.stdout
    );
    let ignored =
        pitchlint(&["check", "--ignore", "HS,shouting", "--format", "concise", "fixtures/pitches/hard-sell.txt"], None);
    assert!(!ignored.stdout.contains("[HS"), "{}", ignored.stdout);
    let by_name =
        pitchlint(&["check", "--select", "wordy-phrase", "--format", "concise", "fixtures/pitches/jargon.txt"], None);
    assert!(by_name.stdout.lines().filter(|l| l.contains('[')).all(|l| l.contains("[CL002]")), "{}", by_name.stdout);
}

#[test]
fn an_unknown_selector_is_a_usage_error() {
    let run = pitchlint(&["check", "--select", "NOPE999", "fixtures/pitches/vague-ask.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("NOPE999"), "{}", run.stderr);
}

#[test]
fn a_rule_pack_with_a_broken_regex_exits_2_naming_the_file() {
    let run =
        pitchlint(&["check", "--rules", "fixtures/rules-bad/broken-regex", "fixtures/pitches/vague-ask.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("buzz-words.toml"), "{}", run.stderr);
    assert!(run.stderr.contains("invalid regex"), "{}", run.stderr);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn every_problem_in_every_rule_file_is_reported_at_once() {
    let run = pitchlint(&["test-rules", "fixtures/rules-bad/many-problems"], None);
    assert_eq!(run.code, 2);
    for needle in ["unknown-kind.toml", "wrong-name.toml", "sentiment", "colour"] {
        assert!(run.stderr.contains(needle), "missing {needle}: {}", run.stderr);
    }
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn a_local_rule_pack_adds_rules_that_fire_and_fix() {
    let run = pitchlint(
        &["check", "--rules", "fixtures/rules-good/local", "--select", "FU901", "--format", "concise", "-"],
        Some("Thanks in advance for the intro."),
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("FU901"), "{}", run.stdout);
    let tested = pitchlint(&["test-rules", "fixtures/rules-good/local"], None);
    assert_eq!(tested.code, 0, "{}", tested.stdout);
}

#[test]
fn config_is_found_upward_and_applies() {
    let with = pitchlint(&["check", "--format", "json", "fixtures/config/ignore-me-focus/pitch.txt"], None);
    let json: Value = serde_json::from_str(&with.stdout).expect("valid JSON");
    let diags = json["files"][0]["diagnostics"].as_array().expect("diagnostics").clone();
    assert!(diags.iter().all(|d| d["category"] != "me-focus"), "{diags:?}");
    assert!(diags.iter().filter(|d| d["code"] == "ASK001").all(|d| d["severity"] == "error"), "{diags:?}");
    let isolated =
        pitchlint(&["check", "--isolated", "--format", "json", "fixtures/config/ignore-me-focus/pitch.txt"], None);
    assert!(isolated.stdout.contains("\"me-focus\""), "{}", isolated.stdout);
}

#[test]
fn an_unknown_config_key_is_an_error_with_its_place() {
    let run = pitchlint(&["check", "fixtures/config/unknown-key/pitch.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("ignor"), "{}", run.stderr);
    assert!(run.stderr.contains("pitchlint.toml"), "{}", run.stderr);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn a_missing_file_is_reported_and_the_others_are_still_linted() {
    let run = pitchlint(&["check", "--format", "concise", "no-such-file.txt", "fixtures/pitches/hard-sell.txt"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no-such-file.txt"), "{}", run.stderr);
    assert!(run.stdout.contains("hard-sell.txt"), "{}", run.stdout);
}

#[test]
fn rules_lists_every_rule_in_each_format() {
    let json = pitchlint(&["rules", "--format", "json"], None);
    let list: Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    let list = list.as_array().expect("an array");
    assert!(list.len() >= 12);
    for rule in list {
        for key in ["code", "name", "category", "severity", "kind", "fixable"] {
            assert!(rule.get(key).is_some(), "{key} missing in {rule}");
        }
    }
    let categories: std::collections::BTreeSet<&str> = list.iter().filter_map(|r| r["category"].as_str()).collect();
    assert_eq!(categories.len(), 6, "{categories:?}");
    insta::assert_snapshot!(pitchlint(&["rules"], None).stdout);
    assert!(pitchlint(&["rules", "--format", "markdown"], None).stdout.starts_with("| Code |"));
}

#[test]
fn explain_prints_what_why_examples_and_rewrite() {
    let run = pitchlint(&["explain", "ASK001"], None);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!(run.stdout);
    let by_name = pitchlint(&["explain", "unspecific-ask"], None);
    assert_eq!(by_name.stdout, run.stdout);
    assert_eq!(pitchlint(&["explain", "XX999"], None).code, 2);
}

#[test]
fn test_rules_passes_on_the_builtin_pack() {
    let run = pitchlint(&["test-rules"], None);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("0 failed"), "{}", run.stdout);
}

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().to_str().expect("utf-8 path");
    let first = pitchlint(&["init", path], None);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let written = dir.path().join("pitchlint.toml");
    assert!(written.exists());
    let second = pitchlint(&["init", path], None);
    assert_eq!(second.code, 2);
    let pitch = dir.path().join("pitch.txt");
    std::fs::write(&pitch, "We cut no-shows by half for dental practices in Leeds.").expect("write");
    let run = pitchlint(&["check", "--format", "concise", pitch.to_str().expect("utf-8")], None);
    assert_ne!(run.code, 2, "{}", run.stderr);
}

#[test]
fn completions_are_generated_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let run = pitchlint(&["completions", shell], None);
        assert_eq!(run.code, 0);
        assert!(run.stdout.contains("pitchlint"), "{shell}");
    }
}

#[test]
fn eval_reports_precision_and_recall() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("tiny.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"text": "Buy now!!! Limited time offer, 50% off today only.", "label": "bad", "categories": ["hard-sell"]}"#,
            "\n",
            r#"{"text": "Thanks for lunch yesterday. See you at the board meeting on Thursday.", "label": "good", "categories": []}"#,
            "\n"
        ),
    )
    .expect("write");
    let run = pitchlint(&["eval", "--format", "json", file.to_str().expect("utf-8")], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("valid JSON");
    assert_eq!(json["overall"]["recall"], 1.0);
    assert_eq!(json["overall"]["good_flagged"], 0);
    assert_eq!(json["categories"]["hard-sell"]["bad_flagged"], 1);
}

#[test]
fn ci_formats_snapshot_on_the_hard_sell_pitch() {
    for format in ["sarif", "github", "junit"] {
        let run = pitchlint(&["check", "--format", format, "fixtures/pitches/hard-sell.txt"], None);
        assert_eq!(run.code, 1, "{format}");
        insta::assert_snapshot!(format!("ci_format_{format}"), run.snapshot());
    }
}

#[test]
fn statistics_counts_each_rule() {
    let run = pitchlint(&["check", "--statistics", "--format", "concise", "fixtures/pitches"], None);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn readme_rules_table_matches_the_builtin_pack() {
    let readme = std::fs::read_to_string("README.md").expect("README exists");
    let begin = "<!-- rules:begin -->\n";
    let end = "<!-- rules:end -->";
    let start = readme.find(begin).expect("README has the rules:begin marker") + begin.len();
    let stop = readme.find(end).expect("README has the rules:end marker");
    let table = pitchlint(&["rules", "--format", "markdown"], None).stdout;
    assert_eq!(
        &readme[start..stop],
        table,
        "README's rules table is stale: replace it with `pitchlint rules --format markdown`"
    );
}

#[test]
fn the_readme_example_command_runs() {
    let readme = std::fs::read_to_string("README.md").expect("README exists");
    assert!(readme.contains("cargo run --release -- check fixtures/pitches/vague-ask.txt"));
    assert!(readme.contains("cargo test"));
    assert!(std::path::Path::new("fixtures/pitches/vague-ask.txt").exists());
}
