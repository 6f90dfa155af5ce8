//! `ask`: finds requests about people (introductions, referrals, clients) and flags those a
//! listener could not act on: fewer than `min-specificity` points over role, kind of
//! organisation, size, place, named person (two points) and trigger event.
//!
//! A vague request is not flagged when the same text also describes its target specifically,
//! in another request or in a sentence about whom the writer serves: "Know anyone?" is specific
//! after "The people I'd most like to meet are elder-law attorneys in Dane County", and "I'm
//! always looking for new clients" is context when the next sentence names dental practice
//! managers in Leeds. The span is the request sentence.

use super::RunCx;
use crate::pattern::Pattern;
use crate::rules::load::CompileCx;
use crate::rules::schema::MatchSpec;
use crate::rules::template::Vars;
use crate::span::Span;
use crate::text::ask::{self, Specificity};

/// A compiled `ask` check.
#[derive(Debug)]
pub struct Ask {
    min_specificity: u32,
    unless: Option<Pattern>,
    min_words: usize,
}

impl Ask {
    /// The pattern a vague ask must not match, if any.
    pub(super) fn unless(&self) -> Option<&Pattern> {
        self.unless.as_ref()
    }

    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        let unless = cx.compile_unless(&spec.unless, false)?;
        Some(Self {
            min_specificity: spec.min_specificity.unwrap_or(2),
            unless,
            min_words: spec.min_words.unwrap_or(0),
        })
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        if cx.words_in_scope() < self.min_words {
            return;
        }
        let source = cx.doc.source();
        let mut vague: Vec<(Span, Specificity)> = Vec::new();
        for (_, sentence) in cx.sentences() {
            let text = sentence.span().text(source);
            let people_ask = cx.doc.is_request(sentence) && ask::targets_people(text);
            if !(people_ask || ask::describes_audience(text)) || self.unless.as_ref().is_some_and(|u| u.is_match(text))
            {
                continue;
            }
            let spec = cx.doc.specificity(sentence);
            if spec.score() >= self.min_specificity {
                // One specific description is context for every vague request: nothing is
                // flagged, so the rest of the text need not be read.
                return;
            }
            if people_ask {
                vague.push((sentence.span(), spec));
            }
        }
        for (span, spec) in vague {
            let missing = spec.missing().join(", ");
            let vars = Vars {
                matched: span.text(source),
                score: Some(spec.score()),
                min: Some(f64::from(self.min_specificity)),
                missing: &missing,
                ..Vars::default()
            };
            cx.emit(span, &vars, None);
        }
    }
}
