//! Rule-file loading from arbitrary TOML: never a panic; every problem renders as a labelled
//! error; a rule that loads runs on documents and on its own examples without panicking.
//!
//! The file is named after its `name` key when it has one, so a well-formed mutation loads.

#![no_main]

use std::sync::{Arc, LazyLock};

use libfuzzer_sys::fuzz_target;
use pitchlint::engine::Linter;
use pitchlint::rules::load::load_sources;
use pitchlint::rules::selftest;
use pitchlint::text::{Document, InputFormat, Profile};
use pitchlint_fuzz::{assert_diagnostics_invariants, render_error};

/// Texts every loaded rule is run on.
static SAMPLES: LazyLock<Vec<(String, InputFormat)>> = LazyLock::new(|| {
    vec![
        ("I'm always looking for paying clients, so send anyone my way! Who do you know?".to_owned(), InputFormat::Plain),
        ("Subject: quick intro\n\nHi Dana,\n\nGreat to meet you at the meetup. Could you introduce me to the head of \
          operations at a 50-person logistics firm in Leeds?\n\nBest,\nSam\n> earlier note\n"
            .to_owned(), InputFormat::Plain),
        ("# Pitch\n\nWe are the leading `platform`. Buy now!!! <!-- pitchlint: ignore -->\n".to_owned(), InputFormat::Markdown),
    ]
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let name = toml::from_str::<toml::Table>(&text)
        .ok()
        .and_then(|t| t.get("name").and_then(|n| n.as_str()).map(str::to_owned))
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\', '\0']))
        .unwrap_or_else(|| "fuzzed".to_owned());
    let sources = vec![(format!("pack/{name}.toml"), text)];
    match load_sources(&sources, false) {
        Err(errors) => {
            assert!(!errors.errors.is_empty(), "a failed load reports at least one problem");
            let rendered = render_error(&errors);
            assert!(rendered.contains("pack/"), "problems name the rule file");
        }
        Ok(set) => {
            let rules = Arc::new(set);
            let linter = Linter::all(Arc::clone(&rules));
            for (sample, format) in SAMPLES.iter() {
                for profile in [Profile::Pitch, Profile::Email] {
                    let doc = Document::parse(sample, *format, profile);
                    assert_diagnostics_invariants(sample, &linter.check(&doc));
                }
            }
            let _ = selftest::run(rules);
        }
    }
});
