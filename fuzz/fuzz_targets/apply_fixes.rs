//! Fix application. Arbitrary edits (out of bounds, inverted, cutting characters, overlapping)
//! applied to arbitrary text never panic and give exactly what a plain reference implementation
//! of the documented rule gives; the built-in rules' fixes, applied until stable, are idempotent.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pitchlint::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use pitchlint::fix::{apply_fixes, fix_until_stable};
use pitchlint::rules::Severity;
use pitchlint::span::Span;
use pitchlint_fuzz::{RESOLVED, format_and_profile};

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    fixes: Vec<(bool, Vec<(u8, u8, String)>)>,
    selector: u8,
}

fuzz_target!(|input: Input| {
    let diagnostics: Vec<Diagnostic> = input
        .fixes
        .iter()
        .map(|(safe, edits)| Diagnostic {
            rule: 0,
            severity: Severity::Warning,
            span: Span::default(),
            message: String::new(),
            label: None,
            rewrites: Vec::new(),
            fix: Some(Fix {
                edits: edits
                    .iter()
                    .map(|(start, end, r)| Edit {
                        span: Span { start: usize::from(*start), end: usize::from(*end) },
                        replacement: r.clone(),
                    })
                    .collect(),
                applicability: if *safe { Applicability::Safe } else { Applicability::Unsafe },
            }),
        })
        .collect();
    for min in [Applicability::Safe, Applicability::Unsafe] {
        let result = apply_fixes(&input.text, &diagnostics, min);
        assert_eq!(result.text, reference(&input.text, &diagnostics, min), "matches the reference");
        assert_eq!(result.applied + result.skipped, diagnostics.iter().filter(|d| wanted(d, min)).count());
    }

    let (format, profile) = format_and_profile(input.selector);
    let linter = &RESOLVED.linter;
    let min = if input.selector & 0x80 == 0 { Applicability::Safe } else { Applicability::Unsafe };
    let once = fix_until_stable(linter, profile, format, &input.text, min);
    let twice = fix_until_stable(linter, profile, format, &once, min);
    assert_eq!(once, twice, "fixing twice equals fixing once");
});

fn wanted(d: &Diagnostic, min: Applicability) -> bool {
    d.fix.as_ref().is_some_and(|f| f.applicability >= min.max(Applicability::Unsafe))
}

/// The rule as documented, the slow way: fixes in order of their first edit; a fix is taken if
/// all its edits fit the text and none overlaps (or inserts at the same place as) a taken edit or
/// another of its own.
fn reference(text: &str, diagnostics: &[Diagnostic], min: Applicability) -> String {
    let mut fixes: Vec<&Fix> = diagnostics.iter().filter(|d| wanted(d, min)).filter_map(|d| d.fix.as_ref()).collect();
    fixes.sort_by_key(|f| f.edits.first().map(|e| (e.span.start, e.span.end)));
    let clash = |a: &Edit, b: &Edit| {
        a.span.overlaps(b.span) || (a.span.is_empty() && b.span.is_empty() && a.span.start == b.span.start)
    };
    let mut taken: Vec<&Edit> = Vec::new();
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        let self_clash = fix.edits.iter().enumerate().any(|(i, a)| fix.edits.iter().skip(i + 1).any(|b| clash(a, b)));
        let other_clash = fix.edits.iter().any(|e| taken.iter().any(|t| clash(t, e)));
        if fits && !self_clash && !other_clash {
            taken.extend(fix.edits.iter());
        }
    }
    taken.sort_by(|a, b| (a.span.start, a.span.end, &a.replacement).cmp(&(b.span.start, b.span.end, &b.replacement)));
    let mut out = String::new();
    let mut cursor = 0;
    for edit in taken {
        out.push_str(&text[cursor..edit.span.start]);
        out.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    out.push_str(&text[cursor..]);
    out
}
