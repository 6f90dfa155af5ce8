//! Findings as plain data. Rendering lives in `report/`; applying fixes in `fix`.

use serde::{Deserialize, Serialize};

use crate::rules::Severity;
use crate::span::Span;

/// How safe it is to apply a fix without the writer looking.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown only (several alternatives, or blanks to fill).
    DisplayOnly,
    /// Applied with `--unsafe-fixes`: meaning or tone may shift.
    Unsafe,
    /// Applied with `--fix`: meaning is kept.
    Safe,
}

impl Applicability {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DisplayOnly => "display-only",
            Self::Unsafe => "unsafe",
            Self::Safe => "safe",
        }
    }
}

/// Replace the bytes under `span` with `replacement` (empty: delete).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// What to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
}

/// A set of edits that together make one rewrite.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// The edits, sorted and non-overlapping.
    pub edits: Vec<Edit>,
    /// How safe the fix is.
    pub applicability: Applicability,
}

/// One finding.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Index of the rule in the linter's rule set.
    pub rule: usize,
    /// Effective severity (after configuration).
    pub severity: Severity,
    /// Where in the original text.
    pub span: Span,
    /// The rendered message.
    pub message: String,
    /// A short label shown under the span.
    pub label: Option<std::sync::Arc<str>>,
    /// Rendered rewrites (templates may still contain `[blanks]`), shared by the findings of a
    /// rule whose rewrites have no placeholders.
    pub rewrites: std::sync::Arc<[String]>,
    /// A machine-applicable fix, if any.
    pub fix: Option<Fix>,
}
