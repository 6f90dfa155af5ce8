//! `count`: occurrences of a pattern (or a built-in element such as asks) per sentence, per
//! document or per 100 words, within `min`/`max`.
//!
//! Spans: above `max`, one finding per group at the first occurrence past the limit (the second
//! ask, the fourth exclamation mark); per 100 words, the first occurrence; below `min`, the last
//! body sentence.

use super::matcher::Matcher;
use super::{RunCx, element_matches};
use crate::rules::load::CompileCx;
use crate::rules::schema::{Element, MatchSpec, Per};
use crate::rules::template::Vars;
use crate::span::Span;

/// A compiled `count` check.
#[derive(Debug)]
pub struct Count {
    pub(super) matcher: Option<Matcher>,
    element: Option<Element>,
    per: Per,
    min: Option<f64>,
    max: Option<f64>,
    min_words: usize,
}

impl Count {
    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        let has_phrases = !spec.patterns.is_empty() || !spec.words.is_empty();
        if has_phrases == spec.element.is_some() {
            cx.match_error("kind `count` needs exactly one of `match.patterns`/`match.words` or `match.element`");
            return None;
        }
        if spec.min.is_none() && spec.max.is_none() {
            cx.match_error("kind `count` needs `match.min` or `match.max`");
            return None;
        }
        let matcher = if has_phrases { Some(Matcher::compile(spec, cx, &[])?) } else { None };
        Some(Self {
            matcher,
            element: spec.element,
            per: spec.per.unwrap_or(Per::Document),
            min: spec.min,
            max: spec.max,
            min_words: spec.min_words.unwrap_or(0),
        })
    }

    /// Occurrences as (span, sentence index), in order.
    fn occurrences(&self, cx: &RunCx<'_, '_>) -> Vec<(Span, usize)> {
        let mut found = Vec::new();
        if let Some(matcher) = &self.matcher {
            matcher.for_each(cx, |span, index| found.push((span, index)));
            return found;
        }
        for (index, sentence) in cx.sentences() {
            let hit = self.element.is_some_and(|element| element_matches(element, index, sentence, cx.doc));
            if hit {
                found.push((sentence.span(), index));
            }
        }
        found
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        let words = cx.words_in_scope();
        if words < self.min_words {
            return;
        }
        let found = self.occurrences(cx);
        let source = cx.doc.source();
        match self.per {
            Per::Sentence => {
                let mut start = 0;
                while start < found.len() {
                    let sentence = found.get(start).map_or(0, |f| f.1);
                    let end = found.iter().skip(start).position(|f| f.1 != sentence).map_or(found.len(), |p| start + p);
                    self.check_group(cx, found.get(start..end).unwrap_or(&[]), source);
                    start = end;
                }
            }
            Per::Document => {
                self.check_group(cx, &found, source);
                if let Some(min) = self.min {
                    if (found.len() as f64) < min {
                        if let Some(span) = last_body_sentence(cx) {
                            let vars = Vars {
                                matched: span.text(source),
                                count: Some(found.len() as f64),
                                min: Some(min),
                                ..Vars::default()
                            };
                            cx.emit(span, &vars, None);
                        }
                    }
                }
            }
            Per::HundredWords => {
                let density = if words == 0 { 0.0 } else { found.len() as f64 * 100.0 / words as f64 };
                if let (Some(max), Some((span, _))) = (self.max, found.first()) {
                    if density > max {
                        let vars = Vars {
                            matched: span.text(source),
                            count: Some(found.len() as f64),
                            value: Some(density),
                            max: Some(max),
                            ..Vars::default()
                        };
                        cx.emit(*span, &vars, None);
                    }
                }
            }
        }
    }

    fn check_group(&self, cx: &mut RunCx<'_, '_>, group: &[(Span, usize)], source: &str) {
        let Some(max) = self.max else { return };
        let limit = max.max(0.0) as usize;
        if group.len() > limit {
            if let Some((span, _)) = group.get(limit) {
                let vars = Vars {
                    matched: span.text(source),
                    count: Some(group.len() as f64),
                    max: Some(max),
                    ..Vars::default()
                };
                cx.emit(*span, &vars, None);
            }
        }
    }
}

/// Span of the last body sentence (where "something is missing" findings are anchored).
pub(super) fn last_body_sentence(cx: &RunCx<'_, '_>) -> Option<Span> {
    // From the end: a long text has a hundred thousand sentences.
    cx.body_sentences().next_back().map(|(_, s)| s.span()).or_else(|| cx.sentences().next_back().map(|(_, s)| s.span()))
}
