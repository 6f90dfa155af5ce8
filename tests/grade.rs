//! `pitchlint grade` end to end: the class in `fixtures/class/` (as files, CSV and JSONL), a class
//! generated from templates, every output format, errors and exit codes.
//!
//! Scores depend on the built-in rule pack, which grows; so tests assert relations (weak pitches
//! below strong ones) and only the snapshots pin exact numbers.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CLASS: &str = "fixtures/class/pitches";

/// Pitches in the fixture class written to be weak (vague ask, me-first, hard sell) or strong
/// (specific ask, a question for the listener, one proof point).
const WEAK: [&str; 3] = ["ben-hartley", "dara-quinn", "femi-adeyemi"];
const STRONG: [&str; 3] = ["ava-okafor", "grace-liu", "jonas-berg"];

fn pitchlint(args: &[&str], dir: &Path) -> std::io::Result<Output> {
    Command::new(env!("CARGO_BIN_EXE_pitchlint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `grade --isolated` in the crate root.
fn grade(args: &[&str]) -> std::io::Result<Output> {
    let mut all = vec!["grade", "--isolated"];
    all.extend_from_slice(args);
    pitchlint(&all, &root())
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// (id, score) of every row of a CSV gradebook.
fn scores(csv: &str) -> Result<Vec<(String, f64)>, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers()?.clone();
    let id = header.iter().position(|h| h == "id").ok_or("no id column")?;
    let score = header.iter().position(|h| h == "score").ok_or("no score column")?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        rows.push((record.get(id).unwrap_or_default().to_owned(), record.get(score).unwrap_or_default().parse()?));
    }
    Ok(rows)
}

fn score_of(rows: &[(String, f64)], stem: &str) -> Option<f64> {
    rows.iter().find(|(id, _)| id.contains(stem)).map(|(_, s)| *s)
}

/// The value at a JSON pointer, or null.
fn at<'a>(value: &'a Value, pointer: &str) -> &'a Value {
    value.pointer(pointer).unwrap_or(&Value::Null)
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

#[test]
fn csv_has_one_row_per_submission_with_a_score_and_a_column_per_category() -> TestResult {
    let output = grade(&[CLASS, "--format", "csv"])?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with(
        "id,score,band,pass,profile,words,seconds,ask,me-focus,hard-sell,follow-up,clarity,length,findings\n"
    ));
    assert_eq!(scores(&text)?.len(), 12);
    Ok(())
}

#[test]
fn weak_pitches_in_the_fixture_class_score_below_strong_ones() -> TestResult {
    let rows = scores(&stdout(&grade(&[CLASS, "--format", "csv"])?))?;
    let weak: Vec<f64> = WEAK.iter().filter_map(|s| score_of(&rows, s)).collect();
    let strong: Vec<f64> = STRONG.iter().filter_map(|s| score_of(&rows, s)).collect();
    assert_eq!((weak.len(), strong.len()), (3, 3));
    let worst_strong = strong.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(weak.iter().all(|w| *w < worst_strong), "weak {weak:?} vs strong {strong:?}");
    assert!(mean(&strong) - mean(&weak) >= 30.0, "weak {weak:?} vs strong {strong:?}");
    Ok(())
}

/// A class of `n` weak and `n` strong pitches built from templates, like a trainer's cohort.
fn generated_class(dir: &Path, n: usize) -> std::io::Result<()> {
    let names = ["Ava", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kira"];
    let trades = ["web design", "bookkeeping", "IT support", "photography", "catering", "recruitment", "cleaning"];
    let openers = ["Hi, I'm {n} and I do {t}.", "My name is {n} and I run a {t} business.", "Hello everyone, I'm {n}."];
    let brags =
        ["We are the best {t} team in town.", "I've won two awards and my clients love me.", "I love what I do."];
    let pushes = ["Book this week and get 20% off!", "Sign up now and I guarantee results.", "Only three spots left!"];
    let vague =
        ["If you know anyone who needs {t}, send them my way.", "I'm looking for new clients.", "Send anyone my way!"];
    let places = ["Leeds", "Columbus", "Tulsa", "Bristol", "Denver"];
    let orgs = [("dental practice", "dental practices"), ("vet clinic", "vet clinics"), ("law firm", "law firms")];
    let roles = ["practice manager", "operations manager", "office manager"];
    let problems = ["late invoices", "missed appointments", "staff turnover"];
    let hooks = ["Most {os} I meet lose hours every week to {p}.", "Ask any {r} about {p} and you'll hear a sigh."];
    let proofs = ["Last year one {o} in {pl} cut {p} by a third.", "At a {o} in {pl}, we halved {p} in six months."];
    let asks = [
        "I'd love an introduction to the {r} at a {o} in {pl} with 10 to 40 staff.",
        "Could you introduce me to a {r} at a {o} in {pl}?",
    ];
    let questions = ["How do you handle {p} where you work?", "What's the hardest part of {p} for your team?"];
    fn pick(list: &[&'static str], i: usize, salt: usize) -> &'static str {
        list.get((i * 7 + salt) % list.len().max(1)).copied().unwrap_or("")
    }
    for i in 0..n {
        let (o, os) = orgs.get(i % orgs.len()).copied().unwrap_or(("firm", "firms"));
        let fill = |template: &str| {
            template
                .replace("{n}", pick(&names, i, 0))
                .replace("{t}", pick(&trades, i, 1))
                .replace("{os}", os)
                .replace("{o}", o)
                .replace("{r}", pick(&roles, i, 2))
                .replace("{p}", pick(&problems, i, 3))
                .replace("{pl}", pick(&places, i, 4))
        };
        let weak = [pick(&openers, i, 5), pick(&brags, i, 6), pick(&pushes, i, 7), pick(&vague, i, 8)];
        let who = format!("I'm {}, and I do {} for {os}.", pick(&names, i, 9), pick(&trades, i, 1));
        let strong =
            [pick(&hooks, i, 10), who.as_str(), pick(&proofs, i, 11), pick(&asks, i, 12), pick(&questions, i, 13)];
        let weak: Vec<String> = weak.iter().map(|s| fill(s)).collect();
        let strong: Vec<String> = strong.iter().map(|s| fill(s)).collect();
        std::fs::write(dir.join(format!("weak-{i:03}.txt")), weak.join(" "))?;
        std::fs::write(dir.join(format!("strong-{i:03}.txt")), strong.join(" "))?;
    }
    Ok(())
}

#[test]
fn in_a_generated_class_every_weak_pitch_scores_below_every_strong_one() -> TestResult {
    let dir = tempfile::tempdir()?;
    generated_class(dir.path(), 30)?;
    let output = pitchlint(&["grade", "--isolated", ".", "--format", "csv"], dir.path())?;
    let rows = scores(&stdout(&output))?;
    assert_eq!(rows.len(), 60);
    let weak: Vec<f64> = rows.iter().filter(|(id, _)| id.contains("weak")).map(|(_, s)| *s).collect();
    let strong: Vec<f64> = rows.iter().filter(|(id, _)| id.contains("strong")).map(|(_, s)| *s).collect();
    let best_weak = weak.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let worst_strong = strong.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(best_weak < worst_strong, "best weak {best_weak} vs worst strong {worst_strong}");
    assert!(mean(&strong) - mean(&weak) >= 30.0, "means {} vs {}", mean(&weak), mean(&strong));
    Ok(())
}

#[test]
fn files_csv_and_jsonl_of_the_same_class_get_the_same_scores() -> TestResult {
    let from_files = scores(&stdout(&grade(&[CLASS, "--format", "csv"])?))?;
    let from_csv = scores(&stdout(&grade(&["--input", "fixtures/class/class.csv", "--format", "csv"])?))?;
    let from_jsonl = scores(&stdout(&grade(&["fixtures/class/class.jsonl", "--format", "csv"])?))?;
    let only_scores = |rows: &[(String, f64)]| rows.iter().map(|(_, s)| *s).collect::<Vec<_>>();
    assert_eq!(only_scores(&from_files), only_scores(&from_csv));
    assert_eq!(from_csv, from_jsonl);
    assert_eq!(from_csv.first().map(|(id, _)| id.as_str()), Some("Ava Okafor"));
    Ok(())
}

#[test]
fn two_runs_write_identical_bytes_in_every_format() -> TestResult {
    let dir = tempfile::tempdir()?;
    generated_class(dir.path(), 15)?;
    for format in ["table", "csv", "json", "html"] {
        let first = pitchlint(&["grade", "--isolated", ".", "--format", format], dir.path())?;
        let second = pitchlint(&["grade", "--isolated", ".", "--format", format], dir.path())?;
        assert_eq!(first.status.code(), Some(0));
        assert!(first.stdout == second.stdout, "{format} differs between runs");
    }
    Ok(())
}

#[test]
fn json_is_versioned_and_the_points_of_the_findings_add_up_to_what_was_lost() -> TestResult {
    let output = grade(&[CLASS, "--format", "json"])?;
    let doc: Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(at(&doc, "/version"), 1);
    assert_eq!(at(&doc, "/summary/count"), 12);
    let submissions = at(&doc, "/submissions").as_array().ok_or("no submissions")?;
    for submission in submissions {
        let score = at(submission, "/score").as_f64().ok_or("no score")?;
        let findings = at(submission, "/findings").as_array().ok_or("no findings")?;
        let points: f64 = findings.iter().filter_map(|f| at(f, "/points").as_f64()).sum();
        let slack = 0.05 * (findings.len() + 1) as f64;
        assert!((100.0 - score - points).abs() <= slack, "{}: {score} + {points}", at(submission, "/id"));
        assert!(findings.iter().all(|f| at(f, "/code").is_string() && at(f, "/span/offset").is_u64()));
    }
    let luis = submissions.iter().find(|s| at(s, "/id").as_str().is_some_and(|id| id.contains("luis")));
    assert_eq!(luis.map(|s| at(s, "/profile").clone()), Some(Value::from("email")));
    Ok(())
}

#[test]
fn the_html_gradebook_is_one_self_contained_file_with_an_svg_chart() -> TestResult {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("gradebook.html");
    let output = grade(&[CLASS, "--output", out.to_str().ok_or("path")?])?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty(), "the page goes to the file, not to standard output");
    let html = std::fs::read_to_string(&out)?;
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("</svg>"));
    for remote in ["http://", "https://", "src=", "<link", "<script", "@import", "url("] {
        assert!(!html.contains(remote), "the page must load nothing: found {remote}");
    }
    assert_eq!(html.matches("<article class=\"card\"").count(), 12);
    assert!(html.contains("break-inside: avoid"));
    Ok(())
}

#[test]
fn student_text_is_escaped_in_html_and_highlights_never_split_characters() -> TestResult {
    let dir = tempfile::tempdir()?;
    let table = dir.path().join("class.jsonl");
    let hostile = "<script>alert('hi')</script> I'm Zoë — café owner! Send anyone my way!!! \"Quoted\" & more.";
    std::fs::write(&table, format!("{}\n", serde_json::json!({"name": "<b>Zoë</b>", "text": hostile})))?;
    let out = dir.path().join("g.html");
    let output = pitchlint(&["grade", "--isolated", "class.jsonl", "--format", "html", "-o", "g.html"], dir.path())?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = std::fs::read_to_string(out)?;
    assert!(!html.contains("<script") && !html.contains("<b>Zoë"));
    assert!(html.contains("&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt;"));
    assert!(html.contains("caf") && html.contains("Zo"));
    Ok(())
}

#[test]
fn a_missing_file_and_bad_rows_exit_2_and_everything_else_is_still_graded() -> TestResult {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("class.csv"),
        "name,text\nAva,\"I'd love an introduction to a practice manager at a dental practice in Leeds.\"\nBen,too,many,fields\nCai,\n",
    )?;
    std::fs::write(dir.path().join("dee.txt"), "Could you introduce me to the owner of a bakery in York?")?;
    let output =
        pitchlint(&["grade", "--isolated", "class.csv", "dee.txt", "missing.txt", "--format", "csv"], dir.path())?;
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("missing.txt: no such file or directory"), "{err}");
    assert!(err.contains("class.csv:3: the row has 4 fields but the header has 2"), "{err}");
    assert!(err.contains("class.csv:4: the text is empty (`Cai`)"), "{err}");
    let ids: Vec<String> = scores(&stdout(&output))?.into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["Ava", "dee.txt"]);
    Ok(())
}

#[test]
fn fail_under_exits_1_only_when_a_submission_scores_below_it() -> TestResult {
    let strong = format!("{CLASS}/ava-okafor.txt");
    let weak = format!("{CLASS}/ben-hartley.txt");
    assert_eq!(grade(&[&strong, &weak, "--format", "csv", "--fail-under", "60"])?.status.code(), Some(1));
    assert_eq!(grade(&[&strong, "--format", "csv", "--fail-under", "60"])?.status.code(), Some(0));
    let bad = grade(&[&strong, "--fail-under", "120"])?;
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("not a score from 0 to 100"));
    Ok(())
}

#[test]
fn the_rubric_comes_from_the_grade_table_of_pitchlint_toml() -> TestResult {
    let dir = tempfile::tempdir()?;
    std::fs::write(
        dir.path().join("pitchlint.toml"),
        "[grade]\npass-mark = 99.5\nbands = { Distinction = 99.5, Merit = 60 }\npenalties = { warning = 0, info = 0, error = 0 }\n",
    )?;
    std::fs::copy(root().join(CLASS).join("ben-hartley.txt"), dir.path().join("ben.txt"))?;
    let output = pitchlint(&["grade", "ben.txt", "--format", "json"], dir.path())?;
    let doc: Value = serde_json::from_slice(&output.stdout)?;
    let ben = at(&doc, "/submissions/0");
    assert_eq!(
        (at(ben, "/score").as_f64(), at(ben, "/band").as_str(), at(ben, "/pass").as_bool()),
        (Some(100.0), Some("Distinction"), Some(true))
    );
    assert_eq!(at(&doc, "/rubric/pass-mark"), 99.5);
    Ok(())
}

#[test]
fn help_explains_the_formula() -> TestResult {
    let help = stdout(&pitchlint(&["grade", "--help"], &root())?);
    for needle in ["How the score is computed", "weight", "--fail-under", "--text-column", "Exit codes"] {
        assert!(help.contains(needle), "missing {needle:?} in\n{help}");
    }
    Ok(())
}

#[test]
fn the_table_ends_with_a_class_summary() -> TestResult {
    let table = stdout(&grade(&[CLASS, "--format", "table"])?);
    assert!(table.contains("12 submissions · mean "), "{table}");
    assert!(table.contains("most common findings"));
    Ok(())
}

fn redact(text: &str) -> String {
    text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn snapshot_table() -> TestResult {
    insta::assert_snapshot!("table", redact(&stdout(&grade(&[CLASS, "--format", "table"])?)));
    Ok(())
}

#[test]
fn snapshot_csv() -> TestResult {
    insta::assert_snapshot!("csv", stdout(&grade(&["fixtures/class/class.csv", "--format", "csv"])?));
    Ok(())
}

#[test]
fn snapshot_json() -> TestResult {
    let picks = ["grace-liu", "luis-moreno"].map(|s| format!("{CLASS}/{s}.txt"));
    let mut args: Vec<&str> = picks.iter().map(String::as_str).collect();
    args.extend(["--format", "json"]);
    insta::assert_snapshot!("json", stdout(&grade(&args)?));
    Ok(())
}

#[test]
fn a_category_whose_rules_all_skip_the_profile_is_not_graded() -> TestResult {
    let dir = tempfile::tempdir()?;
    let pack = dir.path().join("pack/follow-up");
    std::fs::create_dir_all(&pack)?;
    std::fs::write(
        pack.join("test-email-only.toml"),
        "code = \"FU990\"\nname = \"test-email-only\"\ncategory = \"follow-up\"\nseverity = \"warning\"\n\
         kind = \"phrase\"\nmessage = \"m\"\nhelp = \"h\"\nrationale = \"r\"\nprofiles = [\"email\"]\n\
         [match]\nwords = [\"zzz\"]\n[examples]\nprofile = \"email\"\nflag = [\"Hi Sam,\\n\\n[[zzz]]\\n\\nBest,\\nAl\"]\npass = [\"Hi Sam,\\n\\nok\\n\\nBest,\\nAl\"]\n",
    )?;
    let pack = dir.path().join("pack");
    let pitch = root().join(CLASS).join("ava-okafor.txt");
    let args =
        ["grade", "--isolated", "--rules", pack.to_str().ok_or("path")?, "--select", "ASK,FU990", "--format", "json"];
    let mut all: Vec<&str> = args.to_vec();
    all.push(pitch.to_str().ok_or("path")?);
    let output = pitchlint(&all, &root())?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let doc: Value = serde_json::from_slice(&output.stdout)?;
    let categories: BTreeMap<String, Value> = serde_json::from_value(at(&doc, "/submissions/0/categories").clone())?;
    assert!(categories.get("follow-up").is_some_and(Value::is_null), "{categories:?}");
    assert!(categories.get("ask").is_some_and(Value::is_object), "{categories:?}");
    Ok(())
}
