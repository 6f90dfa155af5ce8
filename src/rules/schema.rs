//! The serde mirror of one rule file. Unknown keys are errors; spans are kept where a
//! validation message needs to point at a value.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::{Category, Kind, Severity};
use crate::diagnostic::Applicability;
use crate::text::{Profile, RegionKind, words::WordClassName};

/// One `rules/<category>/<name>.toml` file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFile {
    pub code: Spanned<String>,
    pub name: Spanned<String>,
    pub category: Spanned<Category>,
    pub severity: Severity,
    pub kind: Spanned<Kind>,
    pub message: Spanned<String>,
    #[serde(default)]
    pub label: Option<String>,
    pub help: String,
    pub rationale: String,
    #[serde(default)]
    pub rewrite: Vec<Spanned<String>>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub scope: Vec<RegionKind>,
    #[serde(default, rename = "match")]
    pub matcher: Option<Spanned<MatchSpec>>,
    #[serde(default)]
    pub examples: Option<Spanned<ExamplesSpec>>,
}

/// The `[match]` table: every field optional; each kind says which ones it uses.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MatchSpec {
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub words: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless_document: Vec<Spanned<String>>,
    #[serde(default)]
    pub if_document: Vec<Spanned<String>>,
    #[serde(default)]
    pub unless_regions: Vec<RegionKind>,
    pub case_sensitive: Option<bool>,
    pub whole_words: Option<bool>,
    pub position: Option<Position>,
    pub last_sentences: Option<usize>,
    pub in_ask: Option<bool>,
    pub unless_specific: Option<u32>,
    pub skip_negated: Option<bool>,
    pub skip_quoted: Option<bool>,
    pub skip_listener_words: Option<bool>,
    #[serde(default)]
    pub swap: BTreeMap<String, SwapTarget>,
    pub applicability: Option<Applicability>,
    pub per: Option<Per>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub numerator: Option<WordClassName>,
    pub denominator: Option<WordClassName>,
    pub min_count: Option<usize>,
    pub min_words: Option<usize>,
    pub max_words: Option<usize>,
    pub measure: Option<Measure>,
    pub element: Option<Element>,
    pub min_specificity: Option<u32>,
    pub only_with: Option<Element>,
    pub allow: Option<Vec<String>>,
}

/// A swap's replacement: one string (a fix) or several (alternatives, shown only).
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub enum SwapTarget {
    One(String),
    Many(Vec<String>),
}

/// Where in the text a phrase must be to count.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Only the first sentence of the body (after any greeting).
    FirstSentence,
    /// Only the last `last-sentences` sentences of the body.
    LastSentences,
}

/// What a `count` rule counts per.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    /// Per sentence.
    Sentence,
    /// Per document.
    Document,
    /// Per 100 words of the document.
    HundredWords,
}

/// A document measure for `metric` rules.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Words in scope.
    Words,
    /// Speaking time in seconds at the configured words per minute.
    Seconds,
    /// Words in each sentence.
    SentenceWords,
    /// Mean words per sentence.
    MeanSentenceWords,
    /// Flesch–Kincaid grade level.
    Grade,
    /// Words in the first sentence of the body.
    FirstSentenceWords,
    /// Words in the subject line (0 when there is a subject header but no text).
    SubjectWords,
    /// Characters in the subject line.
    SubjectChars,
    /// Words in each paragraph.
    ParagraphWords,
    /// Longest run of consecutive sentences that open with I/me/my.
    SelfStartStreak,
}

/// Built-in elements for `require` and `count`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Element {
    /// A request sentence.
    Ask,
    /// A request about people (an introduction, a referral, clients).
    PeopleAsk,
    /// A request put to the listener directly: a question or a "please".
    DirectAsk,
    /// A question about the listener.
    ListenerQuestion,
    /// Any question.
    Question,
    /// A subject line.
    Subject,
}

/// The `[examples]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamplesSpec {
    #[serde(default)]
    pub flag: Vec<String>,
    #[serde(default)]
    pub pass: Vec<String>,
    #[serde(default)]
    pub fix: Vec<FixExample>,
    #[serde(default)]
    pub profile: Option<Profile>,
}

/// A before/after pair for a fixable rule.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixExample {
    pub before: String,
    pub after: String,
}
