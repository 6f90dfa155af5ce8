//! `require`: something that must be present (a pattern, or a built-in element such as an ask
//! or a question about the listener). When it is missing, the finding sits on the last body
//! sentence, where the writer would add it.

use super::count::last_body_sentence;
use super::matcher::Matcher;
use super::{RunCx, element_matches};
use crate::rules::load::CompileCx;
use crate::rules::schema::{Element, MatchSpec};
use crate::rules::template::Vars;

/// A compiled `require` check.
#[derive(Debug)]
pub struct Require {
    pub(super) matcher: Option<Matcher>,
    element: Option<Element>,
    only_with: Option<Element>,
    min_words: usize,
    max_words: usize,
}

impl Require {
    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        let has_phrases = !spec.patterns.is_empty() || !spec.words.is_empty();
        if !has_phrases && spec.element.is_none() {
            cx.match_error("kind `require` needs `match.patterns`/`match.words` or `match.element`");
            return None;
        }
        let matcher = if has_phrases {
            // Presence is checked without the document-level exception; that one is applied below.
            let mut inner =
                MatchSpec { patterns: spec.patterns.clone(), words: spec.words.clone(), ..MatchSpec::default() };
            inner.case_sensitive = spec.case_sensitive;
            inner.whole_words = spec.whole_words;
            inner.position = spec.position;
            inner.last_sentences = spec.last_sentences;
            inner.skip_negated = Some(false);
            inner.skip_quoted = Some(false);
            inner.skip_listener_words = Some(false);
            Some(Matcher::compile(&inner, cx, &[])?)
        } else {
            None
        };
        Some(Self {
            matcher,
            element: spec.element,
            only_with: spec.only_with,
            min_words: spec.min_words.unwrap_or(0),
            max_words: spec.max_words.unwrap_or(usize::MAX),
        })
    }

    fn present(&self, cx: &RunCx<'_, '_>) -> bool {
        let element_found = self.element.is_some_and(|element| has_element(cx, element));
        let mut pattern_found = false;
        if let Some(matcher) = &self.matcher {
            matcher.for_each(cx, |_, _| pattern_found = true);
        }
        element_found || pattern_found
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        let words = cx.words_in_scope();
        if words < self.min_words || words > self.max_words {
            return;
        }
        if self.only_with.is_some_and(|element| !has_element(cx, element)) || self.present(cx) {
            return;
        }
        if let Some(span) = last_body_sentence(cx) {
            let vars = Vars { matched: span.text(cx.doc.source()), count: Some(words as f64), ..Vars::default() };
            cx.emit(span, &vars, None);
        }
    }
}

/// True if any sentence in scope is an instance of `element`.
fn has_element(cx: &RunCx<'_, '_>, element: Element) -> bool {
    cx.sentences().any(|(index, s)| element_matches(element, index, s, cx.doc))
}
