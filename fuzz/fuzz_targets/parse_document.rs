//! Document parsing (plain, Markdown, e-mail) on arbitrary text: never a panic, and the region,
//! sentence and word invariants always hold.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pitchlint::text::{Document, LintText};
use pitchlint_fuzz::{assert_document_invariants, format_and_profile};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let (format, profile) = format_and_profile(selector);
    let text = String::from_utf8_lossy(rest);
    let lint_text = LintText::new(&text, format);
    assert_document_invariants(&lint_text.document(profile));
    assert_document_invariants(&Document::parse(&text, format, profile));
});
