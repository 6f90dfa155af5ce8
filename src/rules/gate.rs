//! Document-level conditions a rule can set in `[match]`, checked once per document by the
//! engine before the rule's kind runs: `unless-document` (skip the rule if a pattern matches the
//! text it can see), `if-document` (run it only if one does) and `unless-regions` (skip it if the
//! document has such a region anywhere, e.g. a quoted thread).

use super::ScopeSet;
use super::load::CompileCx;
use super::schema::MatchSpec;
use crate::pattern::Pattern;
use crate::text::{Document, Region, RegionKind};

/// A compiled set of document conditions; the default admits every document.
#[derive(Debug, Default)]
pub struct DocumentGate {
    unless: Option<Pattern>,
    only_if: Option<Pattern>,
    unless_regions: Vec<RegionKind>,
}

impl DocumentGate {
    /// Compiles the document conditions of `spec`; `None` after recording a problem.
    pub(crate) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        let unless = cx.compile_unless(&spec.unless_document, false);
        let only_if = cx.compile_unless(&spec.if_document, false);
        Some(Self { unless: unless?, only_if: only_if?, unless_regions: spec.unless_regions.clone() })
    }

    /// True if a rule with this gate and `scope` should run on `doc`.
    pub fn admits(&self, doc: &Document<'_>, scope: ScopeSet) -> bool {
        self.admits_regions(doc.regions()) && self.admits_text(doc, scope)
    }

    /// The cheap half of [`DocumentGate::admits`]: `unless-regions`.
    pub fn admits_regions(&self, regions: &[Region]) -> bool {
        self.unless_regions.is_empty() || !regions.iter().any(|r| self.unless_regions.contains(&r.kind))
    }

    /// The half of [`DocumentGate::admits`] that searches the text: `unless-document` and
    /// `if-document`. The engine asks it only of rules that found something, since a rule's
    /// findings are all it does.
    pub fn admits_text(&self, doc: &Document<'_>, scope: ScopeSet) -> bool {
        let matches = |regex: &Pattern| {
            doc.regions().iter().filter(|r| scope.contains(r.kind)).any(|r| regex.is_match(r.span.text(doc.source())))
        };
        self.unless.as_ref().is_none_or(|r| !matches(r)) && self.only_if.as_ref().is_none_or(matches)
    }
}
