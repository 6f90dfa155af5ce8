//! The stored analyses of the built-in patterns (`src/pattern/builtin_plans.rs`, see
//! `pitchlint::pattern::cache`) are those of the patterns the built-in pack uses today.
//!
//! The test runs the built-in rules over every text in `fixtures/` and every rule's examples,
//! noting each pattern analysed, and compares the file made from them with the one built in.
//! `PITCHLINT_UPDATE_PLANS=1 cargo test --test plans` rewrites the file instead.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pitchlint::engine::Linter;
use pitchlint::pattern::cache;
use pitchlint::rules::{RuleSet, selftest};
use pitchlint::text::{InputFormat, LintText, Profile};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every text under `fixtures/`: files as they are, and the `text` of each JSON line.
fn texts() -> Vec<(String, InputFormat)> {
    let mut paths = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut paths);
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        if path.extension().is_some_and(|e| e == "jsonl") {
            for line in text.lines() {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                    if let Some(t) = value.get("text").and_then(|t| t.as_str()) {
                        out.push((t.to_owned(), InputFormat::Plain));
                    }
                }
            }
        } else {
            out.push((text, InputFormat::from_path(&path)));
        }
    }
    out
}

#[test]
fn the_stored_pattern_analyses_are_up_to_date() {
    cache::start_recording();
    let rules = Arc::new(RuleSet::builtin().expect("the built-in pack loads"));
    let _ = selftest::run(Arc::clone(&rules));
    let linter = Linter::all(Arc::clone(&rules));
    for (text, format) in texts() {
        let lint_text = LintText::new(&text, format);
        for profile in [Profile::Pitch, Profile::Email] {
            let _ = linter.check(&lint_text.document(profile));
        }
    }
    let wanted = cache::recorded_file(&linter.pattern_slots());
    if wanted == cache::current_file() {
        return;
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pattern/builtin_plans.rs");
    if std::env::var_os("PITCHLINT_UPDATE_PLANS").is_some() {
        std::fs::write(&path, wanted).expect("write the plans file");
        return;
    }
    let stored: std::collections::BTreeSet<&str> = cache::current_file().lines().collect();
    let missing = wanted.lines().filter(|l| !stored.contains(l)).count();
    panic!(
        "{} is out of date ({missing} of {} entries differ or are missing): the built-in patterns \
         changed. Run `PITCHLINT_UPDATE_PLANS=1 cargo test --test plans` and commit the file.",
        path.display(),
        wanted.lines().count()
    );
}
