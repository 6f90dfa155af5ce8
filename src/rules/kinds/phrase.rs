//! `phrase`: flags every match of the rule's patterns and words that passes the filters.
//! The span is the match itself.

use super::RunCx;
use super::matcher::Matcher;
use crate::rules::load::CompileCx;
use crate::rules::schema::MatchSpec;
use crate::rules::template::Vars;

/// A compiled `phrase` check.
#[derive(Debug)]
pub struct Phrase {
    pub(super) matcher: Matcher,
}

impl Phrase {
    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        if spec.patterns.is_empty() && spec.words.is_empty() {
            cx.match_error("kind `phrase` needs `match.patterns` or `match.words`");
            return None;
        }
        Matcher::compile(spec, cx, &[]).map(|matcher| Self { matcher })
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        let mut spans = Vec::new();
        self.matcher.for_each(cx, |span, _| spans.push(span));
        let source = cx.doc.source();
        for span in spans {
            cx.emit(span, &Vars { matched: span.text(source), ..Vars::default() }, None);
        }
    }
}
