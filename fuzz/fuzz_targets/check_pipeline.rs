//! The whole `check` pipeline on arbitrary bytes, as the command line runs it on a file: decode
//! (UTF-8, binary sniffing), lint with the built-in rules, fix in memory as `--fix`/`--diff` do,
//! report, and render every output format. Never a panic; findings fit the text; fixing the fixed
//! text changes nothing; JSON output parses.

#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use pitchlint::cli::args::CheckFormat;
use pitchlint::cli::check::{build_report, render};
use pitchlint::diagnostic::Applicability;
use pitchlint::fix::fix_until_stable;
use pitchlint::input::{self, Source};
use pitchlint::report::HumanOptions;
use pitchlint_fuzz::{RESOLVED, assert_diagnostics_invariants, file_name, format_and_profile};

const FORMATS: [CheckFormat; 6] = [
    CheckFormat::Human,
    CheckFormat::Concise,
    CheckFormat::Json,
    CheckFormat::Sarif,
    CheckFormat::Github,
    CheckFormat::Junit,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let (format, _) = format_and_profile(selector);
    let name = file_name(format);
    let Ok(text) = input::decode(name, rest.to_vec()) else { return };
    let source = Source::Stdin(Some(PathBuf::from(name)));
    let resolved = &**RESOLVED;
    let linter = &resolved.linter;

    let min = if selector & 0x80 == 0 { Applicability::Safe } else { Applicability::Unsafe };
    let fixed = fix_until_stable(linter, resolved.profile, source.format(), &text, min);
    let again = fix_until_stable(linter, resolved.profile, source.format(), &fixed, min);
    assert_eq!(again, fixed, "fixing the fixed text changes nothing");

    let report = build_report(resolved, &source, text);
    assert_diagnostics_invariants(&report.source, &report.diagnostics);
    let files = [report];
    for format in FORMATS {
        let mut out = Vec::new();
        let human = HumanOptions { color: selector & 0x40 != 0, width: 80 };
        let rendered = render(format, &files, linter.rules(), human, selector & 0x20 != 0, &mut out);
        assert!(rendered.is_ok(), "rendering into memory cannot fail");
        assert!(std::str::from_utf8(&out).is_ok(), "{format:?} output is UTF-8");
        if format == CheckFormat::Json {
            let parsed = serde_json::from_slice::<serde_json::Value>(&out);
            assert!(parsed.is_ok(), "JSON output parses: {parsed:?}");
        }
    }
});
