//! The phrase matcher shared by `phrase`, `swap`, `count` and `require`: one [`Pattern`] per
//! rule, run once over each region in scope, with sentence-level filters applied only to matches.
//! When the engine has found every rule's anchors in one pass ([`RunCx::candidates`]), a rule only
//! checks its own candidates instead of reading the region again.
//!
//! Filters, in the order they are cheapest: position (first or last sentences), request-only
//! (`in-ask`), quoted speech, negation ("not a one-stop shop"), the listener's own words ("you
//! said you're losing drivers"), an allow-list, `unless` patterns, and ask specificity.

use super::RunCx;
use crate::pattern::Pattern;
use crate::rules::load::CompileCx;
use crate::rules::schema::{MatchSpec, Position};
use crate::span::Span;
use crate::text::{RegionKind, Sentence, WordClass};

/// A compiled phrase matcher with its filters.
#[derive(Debug)]
pub struct Matcher {
    /// The alternation of every pattern and word.
    pub pattern: Pattern,
    unless: Option<Pattern>,
    position: Option<Position>,
    last_sentences: usize,
    in_ask: bool,
    unless_specific: Option<u32>,
    skip_negated: bool,
    skip_quoted: bool,
    skip_listener_words: bool,
    /// Sorted, so that a match is looked up rather than compared with each (the acronym
    /// rule allows eighty, and a long text has tens of thousands of matches).
    allow: Vec<String>,
}

impl Matcher {
    /// Compiles the phrase-related fields of `spec`; `extra_words` are added to `words` (the keys
    /// of a swap table). Returns `None` after recording problems, or if there is nothing to match.
    pub fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>, extra_words: &[toml::Spanned<String>]) -> Option<Self> {
        let case_sensitive = spec.case_sensitive.unwrap_or(false);
        let mut words: Vec<toml::Spanned<String>> = spec.words.clone();
        words.extend(extra_words.iter().cloned());
        let regex = cx.compile_alternation(&spec.patterns, &words, case_sensitive, spec.whole_words.unwrap_or(true));
        let unless = cx.compile_unless(&spec.unless, false);
        if spec.position == Some(Position::LastSentences) && spec.last_sentences.is_none() {
            cx.match_error("`position = \"last-sentences\"` needs `last-sentences = N`");
        }
        Some(Self {
            pattern: regex?,
            unless: unless?,
            position: spec.position,
            last_sentences: spec.last_sentences.unwrap_or(2),
            in_ask: spec.in_ask.unwrap_or(false),
            unless_specific: spec.unless_specific,
            skip_negated: spec.skip_negated.unwrap_or(false),
            skip_quoted: spec.skip_quoted.unwrap_or(true),
            skip_listener_words: spec.skip_listener_words.unwrap_or(true),
            allow: {
                let mut allow = spec.allow.clone().unwrap_or_default();
                allow.sort_unstable();
                allow
            },
        })
    }

    /// The pattern a sentence with a match must not match, if any.
    pub(crate) fn unless(&self) -> Option<&Pattern> {
        self.unless.as_ref()
    }

    /// Calls `found(span, sentence index)` for every match that passes the filters.
    pub fn for_each(&self, cx: &RunCx<'_, '_>, mut found: impl FnMut(Span, usize)) {
        let doc = cx.doc;
        let bounds = self.position_bounds(cx);
        let candidates = cx.candidates;
        // The last sentence's verdict on the sentence-level filters: each sentence is read once,
        // not once per match (a one-sentence 5 MB line can hold 100,000 matches).
        let mut verdict: Option<(usize, bool)> = None;
        // Matches come in order, so a rule for the first sentence stops reading at its end.
        let stop = match self.position {
            Some(Position::FirstSentence) => {
                bounds.0.and_then(|i| doc.sentences().get(i)).map_or(0, |sentence| sentence.span().end)
            }
            _ => usize::MAX,
        };
        for region in doc.regions().iter().filter(|r| cx.rule.scope.contains(r.kind)) {
            if region.span.start >= stop {
                break;
            }
            let window = region.span.start..region.span.end;
            self.pattern.for_each_match_in(doc.source(), window, candidates, |m| {
                let span = Span::new(m.start(), m.end()).shift(region.span.start);
                if span.start >= stop {
                    return false;
                }
                if let Some(index) = self.accepts(cx, span, bounds, &mut verdict) {
                    found(span, index);
                }
                true
            });
        }
    }

    /// The index of the sentence holding `span` if the match there passes every filter.
    fn accepts(
        &self,
        cx: &RunCx<'_, '_>,
        span: Span,
        (first_body, last_allowed): (Option<usize>, usize),
        verdict: &mut Option<(usize, bool)>,
    ) -> Option<usize> {
        let doc = cx.doc;
        if span.is_empty() {
            return None;
        }
        let index = match *verdict {
            Some((last, _)) => doc.sentence_at_from(span.start, last)?,
            None => doc.sentence_at(span.start)?,
        };
        let sentence = doc.sentences().get(index)?;
        if sentence.span().end < span.end {
            return None;
        }
        match self.position {
            Some(Position::FirstSentence) if Some(index) != first_body => return None,
            Some(Position::LastSentences) if sentence.region != RegionKind::Body || index < last_allowed => {
                return None;
            }
            _ => {}
        }
        if self.in_ask && !doc.is_request(sentence) {
            return None;
        }
        if self.skip_quoted && doc.is_quoted(span) {
            return None;
        }
        if self.skip_negated && is_negated(cx, span, sentence) {
            return None;
        }
        if !self.allow.is_empty() && self.allow.binary_search_by(|a| a.as_str().cmp(span.text(doc.source()))).is_ok() {
            return None;
        }
        let passes = match *verdict {
            Some((checked, passes)) if checked == index => passes,
            _ => {
                let passes = self.sentence_passes(cx, sentence);
                *verdict = Some((index, passes));
                passes
            }
        };
        passes.then_some(index)
    }

    /// The filters that depend only on the sentence: listener words, `unless`, `unless-specific`.
    fn sentence_passes(&self, cx: &RunCx<'_, '_>, sentence: &crate::text::Sentence) -> bool {
        let doc = cx.doc;
        let sentence_text = sentence.span().text(doc.source());
        if self.skip_listener_words && doc.quotes_listener(sentence) {
            return false;
        }
        if self.unless.as_ref().is_some_and(|u| u.is_match(sentence_text)) {
            return false;
        }
        if let Some(min) = self.unless_specific {
            let spec = doc.specificity(sentence);
            if spec.score() >= min {
                return false;
            }
        }
        true
    }

    /// Index of the first body sentence, and the first index allowed by `last-sentences` (only
    /// computed for rules with a `position`).
    fn position_bounds(&self, cx: &RunCx<'_, '_>) -> (Option<usize>, usize) {
        if self.position.is_none() {
            return (None, 0);
        }
        // Read from both ends rather than gathered: a long text has a hundred thousand.
        let first = cx.body_sentences().next().map(|(i, _)| i);
        let last_allowed = match self.last_sentences.checked_sub(1) {
            Some(back) => cx.body_sentences().nth_back(back).map_or(0, |(i, _)| i),
            None => 0,
        };
        (first, last_allowed)
    }
}

/// A negation word among the three words before the match, in the same sentence.
fn is_negated(cx: &RunCx<'_, '_>, span: Span, sentence: &Sentence) -> bool {
    let own = cx.doc.sentence_words(sentence);
    // The first word at or after the match, and the (up to) three before it.
    let at = own.partition_point(|w| w.span().start < span.start);
    own.get(at.saturating_sub(3)..at).unwrap_or(&[]).iter().any(|w| w.class.contains(WordClass::NEGATION))
}
