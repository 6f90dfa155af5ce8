//! What the fuzz targets share: the built-in rules loaded once per process, and the invariants
//! every document and every set of findings must keep, asserted so that a violation is a crash
//! the fuzzer reports.

use std::sync::{Arc, LazyLock};

use pitchlint::cli::args::RuleOptions;
use pitchlint::cli::settings::{Resolved, Resolver};
use pitchlint::diagnostic::Diagnostic;
use pitchlint::input::Source;
use pitchlint::span::Span;
use pitchlint::text::{Document, InputFormat, Profile};

/// Settings as `pitchlint check --isolated` resolves them: the built-in pack, every rule.
pub static RESOLVED: LazyLock<Arc<Resolved>> = LazyLock::new(|| {
    let resolver = Resolver::new(RuleOptions { isolated: true, ..RuleOptions::default() });
    match resolver.for_source(&Source::Stdin(None)) {
        Ok(resolved) => resolved,
        Err(report) => panic!("the built-in rules load: {report:?}"),
    }
});

/// A format and a profile picked by one byte of fuzz input.
pub fn format_and_profile(selector: u8) -> (InputFormat, Profile) {
    let format = match selector % 3 {
        0 => InputFormat::Plain,
        1 => InputFormat::Markdown,
        _ => InputFormat::Email,
    };
    let profile = match (selector / 3) % 3 {
        0 => Profile::Auto,
        1 => Profile::Pitch,
        _ => Profile::Email,
    };
    (format, profile)
}

/// A file name with the extension of `format`.
pub fn file_name(format: InputFormat) -> &'static str {
    match format {
        InputFormat::Plain => "pitch.txt",
        InputFormat::Markdown => "draft.md",
        InputFormat::Email => "message.eml",
    }
}

/// Asserts `span` is a non-inverted range inside `source` on `char` boundaries.
pub fn assert_span_fits(source: &str, span: Span, what: &str) {
    assert!(span.start <= span.end, "{what} {span:?} is inverted");
    assert!(span.end <= source.len(), "{what} {span:?} ends past the source ({} bytes)", source.len());
    assert!(source.is_char_boundary(span.start), "{what} {span:?} starts inside a character");
    assert!(source.is_char_boundary(span.end), "{what} {span:?} ends inside a character");
}

/// The document model's invariants: regions sorted, disjoint and covering; sentences sorted,
/// disjoint, inside one region of their kind; words inside their sentences; a resolved profile.
pub fn assert_document_invariants(doc: &Document<'_>) {
    let source = doc.source();
    assert_ne!(doc.profile(), Profile::Auto, "the profile is resolved");
    let mut cursor = 0;
    for region in doc.regions() {
        assert_span_fits(source, region.span, "region");
        assert_eq!(region.span.start, cursor, "regions are sorted, disjoint and leave no gap");
        assert!(!region.span.is_empty(), "regions are not empty");
        cursor = region.span.end;
    }
    assert_eq!(cursor, source.len(), "regions cover the source");
    let mut previous_end = 0;
    for sentence in doc.sentences() {
        assert_span_fits(source, sentence.span, "sentence");
        assert!(sentence.span.start >= previous_end, "sentences are sorted and disjoint");
        previous_end = sentence.span.end;
        let inside = doc.regions().iter().any(|r| r.kind == sentence.region && r.span.contains(sentence.span));
        assert!(inside, "sentence {:?} lies inside one {:?} region", sentence.span, sentence.region);
        for word in doc.sentence_words(sentence) {
            assert!(sentence.span.contains(word.span), "word {:?} lies in its sentence", word.span);
        }
    }
    let mut previous_end = 0;
    for word in doc.words() {
        assert_span_fits(source, word.span, "word");
        assert!(word.span.start >= previous_end, "words are sorted and disjoint");
        previous_end = word.span.end;
    }
}

/// Findings' invariants: spans and fix edits fit the text; findings sorted by offset.
pub fn assert_diagnostics_invariants(source: &str, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        assert_span_fits(source, d.span, "finding");
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert_span_fits(source, edit.span, "fix edit");
        }
    }
    assert!(diagnostics.windows(2).all(|w| w[0].span.start <= w[1].span.start), "findings are sorted by offset");
}

/// Renders a miette report into a string, as the command line would print it.
pub fn render_error(report: &dyn miette::Diagnostic) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    let _ = handler.render_report(&mut out, report);
    out
}
