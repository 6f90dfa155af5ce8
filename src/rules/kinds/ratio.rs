//! `ratio`: two word classes compared over the text in scope, e.g. first-person vs
//! second-person words. Flags when `numerator / max(denominator, 1)` exceeds `max` (or falls
//! under `min`), given at least `min-count` words of the two classes together and `min-words`
//! words in all. The span is the first sentence that opens with a numerator word, else the first
//! sentence containing one.

use super::RunCx;
use crate::rules::load::CompileCx;
use crate::rules::schema::MatchSpec;
use crate::rules::template::Vars;
use crate::text::words::WordClassName;

/// A compiled `ratio` check.
#[derive(Debug)]
pub struct Ratio {
    numerator: WordClassName,
    denominator: WordClassName,
    min: Option<f64>,
    max: Option<f64>,
    min_count: usize,
    min_words: usize,
}

impl Ratio {
    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        let (Some(numerator), Some(denominator)) = (spec.numerator, spec.denominator) else {
            cx.match_error("kind `ratio` needs `match.numerator` and `match.denominator` (word classes)");
            return None;
        };
        if spec.min.is_none() && spec.max.is_none() {
            cx.match_error("kind `ratio` needs `match.min` or `match.max`");
            return None;
        }
        Some(Self {
            numerator,
            denominator,
            min: spec.min,
            max: spec.max,
            min_count: spec.min_count.unwrap_or(0),
            min_words: spec.min_words.unwrap_or(0),
        })
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        let (num_class, den_class) = (self.numerator.class(), self.denominator.class());
        let mut num = 0usize;
        let mut den = 0usize;
        let mut words = 0usize;
        let mut anchor = None;
        let mut fallback = None;
        for (_, sentence) in cx.sentences() {
            let sentence_words = cx.doc.sentence_words(sentence);
            words += sentence_words.len();
            // Counted without a branch per word (a long text has millions); the places are
            // looked for only in the sentences that have a numerator word.
            let (mut in_num, mut in_den) = (0, 0);
            for word in sentence_words {
                in_num += usize::from(word.class.intersects(num_class));
                in_den += usize::from(word.class.intersects(den_class));
            }
            if in_num > 0 {
                fallback.get_or_insert(sentence.span());
                if anchor.is_none() && sentence_words.first().is_some_and(|w| w.class.intersects(num_class)) {
                    anchor = Some(sentence.span());
                }
            }
            num += in_num;
            den += in_den;
        }
        if words < self.min_words || num + den < self.min_count {
            return;
        }
        let ratio = num as f64 / den.max(1) as f64;
        let over = self.max.is_some_and(|m| ratio > m);
        let under = self.min.is_some_and(|m| ratio < m);
        let Some(span) = anchor.or(fallback).or_else(|| cx.sentences().next().map(|(_, s)| s.span())) else { return };
        if over || under {
            let vars = Vars {
                matched: span.text(cx.doc.source()),
                count: Some(num as f64),
                value: Some(den as f64),
                ratio: Some(ratio),
                max: self.max,
                min: self.min,
                ..Vars::default()
            };
            cx.emit(span, &vars, None);
        }
    }
}
