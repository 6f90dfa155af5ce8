//! Rules: what they are, how a set of them is held, and where they come from.
//!
//! A rule is data (a TOML file); its *kind* is code (one file per kind under `kinds/`). Rules are
//! referred to by index into a [`RuleSet`], never cloned per finding.

pub mod gate;
pub mod kinds;
pub mod load;
pub mod notice;
pub mod schema;
pub mod selftest;
pub mod template;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Applicability;
use crate::text::{Profile, RegionKind};
pub use kinds::Check;
pub use load::{RuleError, RuleErrors};
pub use notice::Notice;
pub use template::{Rewrites, Template};

/// The six areas pitchlint checks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Asks nobody can act on, or no ask at all.
    Ask,
    /// Talk that is all about the speaker.
    MeFocus,
    /// Pressure, urgency, discounts, shouting.
    HardSell,
    /// Follow-up etiquette.
    FollowUp,
    /// Jargon, hedging, readability.
    Clarity,
    /// Spoken and written length.
    Length,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 6] =
        [Self::Ask, Self::MeFocus, Self::HardSell, Self::FollowUp, Self::Clarity, Self::Length];

    /// Kebab-case name used in rule files, options and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ask => "ask",
            Self::MeFocus => "me-focus",
            Self::HardSell => "hard-sell",
            Self::FollowUp => "follow-up",
            Self::Clarity => "clarity",
            Self::Length => "length",
        }
    }

    /// The code prefix every rule of this category carries.
    pub fn prefix(self) -> &'static str {
        match self {
            Self::Ask => "ASK",
            Self::MeFocus => "ME",
            Self::HardSell => "HS",
            Self::FollowUp => "FU",
            Self::Clarity => "CL",
            Self::Length => "LEN",
        }
    }

    /// Parses a kebab-case category name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str().eq_ignore_ascii_case(name))
    }
}

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run at the default threshold.
    Info,
    /// Should be fixed before the pitch is used.
    Warning,
    /// Will hurt the pitch or message.
    Error,
}

impl Severity {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// The closed set of check kinds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Regex or word-list matches.
    Phrase,
    /// Matches with replacements.
    Swap,
    /// Occurrences within bounds.
    Count,
    /// Two word classes compared.
    Ratio,
    /// A document measure within bounds.
    Metric,
    /// Something that must be present.
    Require,
    /// Requests scored for specificity.
    Ask,
    /// Reported by the engine about the input itself (see [`notice`]); not usable in rule files.
    #[serde(skip_deserializing)]
    Notice,
}

impl Kind {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Phrase => "phrase",
            Self::Swap => "swap",
            Self::Count => "count",
            Self::Ratio => "ratio",
            Self::Metric => "metric",
            Self::Require => "require",
            Self::Ask => "ask",
            Self::Notice => "notice",
        }
    }
}

/// A set of region kinds a rule looks at (a bit per [`RegionKind`]).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ScopeSet(u16);

impl ScopeSet {
    /// Subject and body: what rules see unless they say otherwise.
    pub fn default_scope() -> Self {
        Self::from_kinds(&[RegionKind::Subject, RegionKind::Body])
    }

    /// The set of the given kinds.
    pub fn from_kinds(kinds: &[RegionKind]) -> Self {
        Self(kinds.iter().fold(0, |acc, k| acc | (1 << (*k as u16))))
    }

    /// True if `kind` is in the set.
    pub fn contains(self, kind: RegionKind) -> bool {
        self.contains_index(kind as u16)
    }

    /// True if the kind numbered `index` (`RegionKind as u16`) is in the set.
    pub fn contains_index(self, index: u16) -> bool {
        index < 16 && self.0 & (1 << index) != 0
    }
}

/// Where a rule came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleOrigin {
    /// Path of the rule file (relative for built-in rules).
    pub path: String,
    /// True for the pack embedded in the binary.
    pub builtin: bool,
}

/// A rule's embedded examples.
#[derive(Clone, Debug, Default)]
pub struct Examples {
    /// Texts that must be flagged exactly at their `[[marked]]` spans.
    pub flag: Vec<String>,
    /// Texts that must not be flagged.
    pub pass: Vec<String>,
    /// Before/after pairs for fixable rules.
    pub fix: Vec<(String, String)>,
    /// Profile the examples are checked under.
    pub profile: Profile,
}

/// A loaded, validated, compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. `ASK001`.
    pub code: String,
    /// Kebab-case name, equal to the file stem.
    pub name: String,
    /// Category (matches the code prefix).
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Check kind.
    pub kind: Kind,
    /// Message template.
    pub message: Template,
    /// Short label under the span (shared with each finding, not copied).
    pub label: Option<std::sync::Arc<str>>,
    /// One line of advice.
    pub help: String,
    /// What it flags, why it hurts, what to write instead.
    pub rationale: String,
    /// Rewrite templates (`[blanks]` are never applied).
    pub rewrites: Rewrites,
    /// Profiles the rule runs under (empty: all).
    pub profiles: Vec<Profile>,
    /// Regions the rule sees.
    pub scope: ScopeSet,
    /// The compiled check.
    pub check: Check,
    /// Document-level conditions checked before the check runs.
    pub gate: gate::DocumentGate,
    /// The embedded examples.
    pub examples: Examples,
    /// Where the rule was defined.
    pub origin: RuleOrigin,
}

impl Rule {
    /// True if the rule runs on documents of `profile`.
    pub fn applies_to(&self, profile: Profile) -> bool {
        self.profiles.is_empty() || self.profiles.contains(&profile)
    }

    /// The applicability of this rule's fix, if it has one.
    pub fn fixable(&self) -> Option<Applicability> {
        self.check.fix_applicability()
    }
}

/// An ordered collection of rules with unique codes and names.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    by_key: BTreeMap<String, usize>,
}

impl RuleSet {
    /// The pack embedded in the binary.
    ///
    /// # Errors
    /// Fails only if a built-in rule file is invalid, which the test suite prevents.
    pub fn builtin() -> Result<Self, RuleErrors> {
        load::load_builtin()
    }

    /// Builds a set from already-validated rules (used by the loader).
    pub(crate) fn from_rules(rules: Vec<Rule>) -> Self {
        let mut by_key = BTreeMap::new();
        for (index, rule) in rules.iter().enumerate() {
            by_key.insert(rule.code.to_ascii_uppercase(), index);
            by_key.insert(rule.name.clone(), index);
        }
        // The rules stay where they were loaded: a rule is large, and moving them one by one
        // into a growing vector copied the pack several times over.
        Self { rules, by_key }
    }

    /// All rules in load order (built-in first, by path).
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rule at `index`.
    pub fn get(&self, index: usize) -> Option<&Rule> {
        self.rules.get(index)
    }

    /// Finds a rule by code (any case) or name.
    pub fn find(&self, key: &str) -> Option<(usize, &Rule)> {
        let idx = self.by_key.get(&key.to_ascii_uppercase()).or_else(|| self.by_key.get(key))?;
        self.rules.get(*idx).map(|r| (*idx, r))
    }

    /// Number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True if there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}
