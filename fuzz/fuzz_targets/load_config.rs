//! Config loading from arbitrary TOML: never a panic; errors render naming the file; a config
//! that parses resolves its selection, severities and rubric, and grades findings, as `check`
//! and `grade` do.

#![no_main]

use std::path::Path;
use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use pitchlint::config;
use pitchlint::diagnostic::Diagnostic;
use pitchlint::engine::{LintOptions, Linter, Selection};
use pitchlint::grade::{Rubric, grade_document};
use pitchlint::rules::RuleSet;
use pitchlint::text::{Document, InputFormat, Profile};
use pitchlint_fuzz::{RESOLVED, render_error};

/// The built-in rules, shared.
static RULES: LazyLock<Arc<RuleSet>> = LazyLock::new(|| match RuleSet::builtin() {
    Ok(rules) => Arc::new(rules),
    Err(errors) => panic!("the built-in rules load: {errors:?}"),
});

/// Findings of the built-in rules on a pitch with something in every category.
static FINDINGS: LazyLock<Vec<Diagnostic>> = LazyLock::new(|| {
    let text = "I'm always looking for paying clients. We are the leading synergistic platform!!! Buy now.";
    RESOLVED.linter.check(&Document::parse(text, InputFormat::Plain, Profile::Pitch))
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let path = Path::new("fuzz/pitchlint.toml");
    let loaded = match config::parse(path, &text) {
        Ok(loaded) => loaded,
        Err(err) => {
            assert!(render_error(&*err).contains("pitchlint.toml"), "config errors name the file");
            return;
        }
    };
    let _ = loaded.rule_paths();
    let cfg = &loaded.config;
    let rules = &**RULES;
    let selection =
        Selection { select: cfg.select.clone(), extend_select: cfg.extend_select.clone(), ignore: cfg.ignore.clone() };
    let Ok(enabled) = selection.resolve(rules) else { return };
    let options = LintOptions { words_per_minute: cfg.words_per_minute.unwrap_or(150) };
    let mut linter = Linter::new(Arc::clone(&RULES), enabled, options);
    for (key, severity) in &cfg.severity {
        if let Some((index, _)) = rules.find(key) {
            linter.set_severity(index, *severity);
        }
    }
    let rubric = Rubric::with_overrides(cfg.grade.as_ref());
    for profile in [Profile::Pitch, Profile::Email] {
        let grade = grade_document(&FINDINGS, &linter, profile, &rubric);
        assert!((0.0..=100.0).contains(&grade.score), "scores stay within 0-100: {}", grade.score);
    }
});
