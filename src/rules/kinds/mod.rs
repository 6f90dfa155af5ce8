//! The closed set of check kinds, dispatched in one exhaustive `match`.
//!
//! Each kind lives in its own file and has two entry points: `compile`, which validates the
//! `[match]` table for that kind and reports every problem, and `run`, which pushes diagnostics
//! for one document. Kinds share the phrase [`matcher`] and the [`RunCx`] context.

mod ask;
mod count;
pub mod matcher;
mod metric;
mod phrase;
mod ratio;
mod require;
mod swap;

use super::Kind;
use super::load::CompileCx;
use super::schema::{Element, MatchSpec};
use super::template::Vars;
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use crate::engine::LintOptions;
use crate::pattern::{Candidate, Pattern};
use crate::rules::{Rule, Severity};
use crate::span::Span;
use crate::text::{Document, RegionKind, Sentence};

/// A compiled check.
#[derive(Debug)]
pub enum Check {
    /// See [`phrase`].
    Phrase(phrase::Phrase),
    /// See [`swap`].
    Swap(swap::Swap),
    /// See [`count`].
    Count(count::Count),
    /// See [`ratio`].
    Ratio(ratio::Ratio),
    /// See [`metric`].
    Metric(metric::Metric),
    /// See [`require`].
    Require(require::Require),
    /// See [`ask`].
    Ask(ask::Ask),
    /// Emitted by the engine, never by matching text (see [`crate::rules::notice`]).
    Notice(crate::rules::Notice),
}

impl Check {
    /// Validates and compiles the `[match]` table for `kind`. Problems go into `cx`; `None`
    /// means at least one was found.
    pub(crate) fn compile(kind: Kind, spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        cx.reject_unused(kind, spec);
        match kind {
            Kind::Phrase => phrase::Phrase::compile(spec, cx).map(Self::Phrase),
            Kind::Swap => swap::Swap::compile(spec, cx).map(Self::Swap),
            Kind::Count => count::Count::compile(spec, cx).map(Self::Count),
            Kind::Ratio => ratio::Ratio::compile(spec, cx).map(Self::Ratio),
            Kind::Metric => metric::Metric::compile(spec, cx).map(Self::Metric),
            Kind::Require => require::Require::compile(spec, cx).map(Self::Require),
            Kind::Ask => ask::Ask::compile(spec, cx).map(Self::Ask),
            Kind::Notice => {
                cx.match_error("kind `notice` is reserved for the engine's own findings");
                None
            }
        }
    }

    /// Runs the check on one document.
    pub(crate) fn run(&self, cx: &mut RunCx<'_, '_>) {
        match self {
            Self::Phrase(c) => c.run(cx),
            Self::Swap(c) => c.run(cx),
            Self::Count(c) => c.run(cx),
            Self::Ratio(c) => c.run(cx),
            Self::Metric(c) => c.run(cx),
            Self::Require(c) => c.run(cx),
            Self::Ask(c) => c.run(cx),
            Self::Notice(_) => {}
        }
    }

    /// The phrase pattern the check runs over regions, if it has one.
    pub fn pattern(&self) -> Option<&Pattern> {
        match self {
            Self::Phrase(c) => Some(&c.matcher.pattern),
            Self::Swap(c) => Some(&c.matcher.pattern),
            Self::Count(c) => c.matcher.as_ref().map(|m| &m.pattern),
            Self::Require(c) => c.matcher.as_ref().map(|m| &m.pattern),
            Self::Ratio(_) | Self::Metric(_) | Self::Ask(_) | Self::Notice(_) => None,
        }
    }

    /// The pattern the check tries on single sentences (an `unless`), if it has one.
    pub fn sentence_pattern(&self) -> Option<&Pattern> {
        match self {
            Self::Phrase(c) => c.matcher.unless(),
            Self::Swap(c) => c.matcher.unless(),
            Self::Count(c) => c.matcher.as_ref().and_then(matcher::Matcher::unless),
            Self::Require(c) => c.matcher.as_ref().and_then(matcher::Matcher::unless),
            Self::Ask(c) => c.unless(),
            Self::Ratio(_) | Self::Metric(_) | Self::Notice(_) => None,
        }
    }

    /// The applicability of the fix this check offers, if any.
    pub fn fix_applicability(&self) -> Option<Applicability> {
        match self {
            Self::Swap(c) => Some(c.applicability()),
            Self::Phrase(_)
            | Self::Count(_)
            | Self::Ratio(_)
            | Self::Metric(_)
            | Self::Require(_)
            | Self::Ask(_)
            | Self::Notice(_) => None,
        }
    }
}

/// True if `sentence` is an instance of `element`.
pub(crate) fn element_matches(element: Element, index: usize, sentence: &Sentence, doc: &Document<'_>) -> bool {
    let text = sentence.span().text(doc.source());
    let is_request = || doc.may_be_request(index) && doc.is_request(sentence);
    match element {
        Element::Ask => is_request(),
        Element::PeopleAsk => is_request() && crate::text::ask::targets_people(text),
        Element::DirectAsk => is_request() && (sentence.is_question || crate::text::ask::is_direct(text)),
        Element::ListenerQuestion => sentence.is_listener_question,
        Element::Question => sentence.is_question,
        Element::Subject => sentence.region == RegionKind::Subject,
    }
}

/// What a check needs while running on one document.
pub struct RunCx<'a, 'src> {
    /// The document.
    pub doc: &'a Document<'src>,
    /// The rule being run.
    pub rule: &'a Rule,
    /// Its index in the rule set.
    pub index: usize,
    /// Its effective severity.
    pub severity: Severity,
    /// Linter options (speaking rate, acronyms…).
    pub options: &'a LintOptions,
    /// Where diagnostics go.
    pub out: &'a mut Vec<Diagnostic>,
    /// Where the anchors of this rule's pattern (see [`Check::pattern`]) occur in the
    /// document, as the engine's one scan found them; `None` when the rule searches on its own.
    pub candidates: Option<&'a [Candidate]>,
}

impl RunCx<'_, '_> {
    /// Pushes a finding at `span` with the rule's message, label and rewrites filled from `vars`.
    pub fn emit(&mut self, span: Span, vars: &Vars<'_>, fix: Option<Fix>) {
        let rewrites = self.rule.rewrites.render(vars);
        self.out.push(Diagnostic {
            rule: self.index,
            severity: self.severity,
            span,
            message: self.rule.message.render(vars),
            label: self.rule.label.clone(),
            rewrites,
            fix,
        });
    }

    /// Sentences the rule can see, in order.
    pub fn sentences(&self) -> impl DoubleEndedIterator<Item = (usize, &Sentence)> + '_ {
        let scope = self.rule.scope;
        self.doc.sentences().iter().enumerate().filter(move |(_, s)| scope.contains(s.region))
    }

    /// Body sentences (the writer's message proper), in order.
    pub fn body_sentences(&self) -> impl DoubleEndedIterator<Item = (usize, &Sentence)> + '_ {
        self.doc.sentences().iter().enumerate().filter(|(_, s)| s.region == RegionKind::Body)
    }

    /// Number of words in the sentences the rule can see.
    pub fn words_in_scope(&self) -> usize {
        let scope = self.rule.scope;
        (0u16..)
            .zip(self.doc.words_by_region())
            .filter(|(kind, _)| scope.contains_index(*kind))
            .map(|(_, count)| count)
            .sum()
    }
}
