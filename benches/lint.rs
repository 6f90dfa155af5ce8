//! In-process benchmarks of the library: parsing documents, running the built-in rule pack, and
//! loading the pack (plus the first check after loading, which pays for the lazily compiled
//! patterns). Whole-process timings, and the comparison with other prose linters, are in
//! `benches/run.sh`.
//!
//! ```text
//! cargo bench                          # everything, a few minutes
//! cargo bench -- --quick               # a rough pass
//! cargo bench -- parse/                # one group (a substring filter on the benchmark id)
//! ```
//!
//! Why Criterion rather than divan: it gives per-group byte throughput, saved baselines to
//! compare against (`--save-baseline`/`--baseline`), `--quick`, and outlier analysis, and it is
//! what most Rust projects use. With `default-features = false` (no plotters, rayon or HTML
//! reports) it adds little to the dev build. Version 0.7 is the newest whose MSRV (1.80) is
//! within ours (1.85).
//!
//! Text comes from `benches/corpus`, the same generator `examples/bench_corpus.rs` writes the
//! files for `benches/run.sh` with, plus two fixtures from `fixtures/emails/`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
// A benchmark that cannot load the built-in pack has nothing to measure: fail loudly.

#[path = "corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use pitchlint::engine::Linter;
use pitchlint::rules::RuleSet;
use pitchlint::text::{Document, InputFormat, LintText, Profile};

/// A Markdown follow-up with a comment, a link and emphasis to mask.
const MARKDOWN: &str = include_str!("../fixtures/emails/draft.md");
/// An `.eml` stored unencoded: regions are computed over the original bytes.
const EML: &str = include_str!("../fixtures/emails/intro.eml");
/// An `.eml` whose body is quoted-printable: it is decoded before it is linted.
const EML_QP: &str = include_str!("../fixtures/emails/qp-follow-up.eml");

/// Bytes of prose for the large shapes.
const PROSE_BYTES: usize = 1 << 20;

/// The built-in pack, loaded once.
fn builtin() -> Arc<RuleSet> {
    Arc::new(RuleSet::builtin().expect("the built-in rule pack loads"))
}

/// A linter running every built-in rule whose patterns have already been built and compiled
/// for `warm_on`, so the timings are of steady-state checking.
fn warm_linter(warm_on: &[&str]) -> Linter {
    let linter = Linter::all(builtin());
    for text in warm_on {
        let doc = Document::parse(text, InputFormat::Plain, Profile::Auto);
        black_box(linter.check(&doc));
    }
    linter
}

/// Reads `source` as `format` and classifies it: what `pitchlint check` does before linting.
fn parse(source: &str, format: InputFormat) -> usize {
    let text = LintText::new(source, format);
    let doc = text.document(Profile::Auto);
    doc.sentences().len() + doc.words().count()
}

/// Document parsing: regions, sentences, words and the line index.
fn parse_documents(c: &mut Criterion) {
    let prose = corpus::prose(PROSE_BYTES, corpus::PROSE_SEED);
    let mut group = c.benchmark_group("parse");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for (name, source, format) in [
        ("pitch", corpus::PITCH, InputFormat::Plain),
        ("markdown", MARKDOWN, InputFormat::Markdown),
        ("email-eml", EML, InputFormat::Email),
        ("email-eml-qp", EML_QP, InputFormat::Email),
    ] {
        group.throughput(Throughput::Bytes(source.len() as u64));
        group.bench_function(name, |b| b.iter(|| parse(black_box(source), format)));
    }
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Bytes(prose.len() as u64));
    group.bench_function("prose-1mb", |b| b.iter(|| parse(black_box(&prose), InputFormat::Plain)));
    group.finish();
}

/// The whole built-in pack on an already parsed document, and parse plus check together.
fn check_documents(c: &mut Criterion) {
    let prose = corpus::prose(PROSE_BYTES, corpus::PROSE_SEED);
    let linter = warm_linter(&[corpus::PITCH, &prose]);
    let pitch_doc = Document::parse(corpus::PITCH, InputFormat::Plain, Profile::Auto);
    let prose_doc = Document::parse(&prose, InputFormat::Plain, Profile::Auto);

    let mut group = c.benchmark_group("check");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Bytes(corpus::PITCH.len() as u64));
    group.bench_function("pitch", |b| b.iter(|| linter.check(black_box(&pitch_doc))));
    group.bench_function("pitch-parse-and-check", |b| {
        b.iter(|| linter.check(&Document::parse(black_box(corpus::PITCH), InputFormat::Plain, Profile::Auto)))
    });
    group.sample_size(10).sampling_mode(SamplingMode::Flat).measurement_time(Duration::from_secs(6));
    group.throughput(Throughput::Bytes(prose.len() as u64));
    group.bench_function("prose-1mb", |b| b.iter(|| linter.check(black_box(&prose_doc))));
    group.finish();
}

/// Loading the built-in pack (parse and validate every rule file; patterns compile nothing yet),
/// and the first check on a pitch after loading, which builds the pattern set and compiles the
/// branches whose literals the pitch contains.
fn load_rules(c: &mut Criterion) {
    let mut group = c.benchmark_group("rules");
    group.warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    group.sample_size(20);
    group.bench_function("load-builtin", |b| b.iter(|| RuleSet::builtin().expect("the built-in rule pack loads")));
    group.bench_function("first-check-pitch", |b| {
        b.iter_batched(
            || Linter::all(builtin()),
            |linter| {
                let found = linter.check(&Document::parse(corpus::PITCH, InputFormat::Plain, Profile::Auto));
                // Returned, so dropping the compiled patterns is not timed.
                (linter, found)
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("load-and-first-check-pitch", |b| {
        b.iter_batched(
            || (),
            |()| {
                let linter = Linter::all(builtin());
                let found = linter.check(&Document::parse(corpus::PITCH, InputFormat::Plain, Profile::Auto));
                (linter, found)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, parse_documents, check_documents, load_rules);
criterion_main!(benches);
