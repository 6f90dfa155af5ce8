//! Scores: a rubric turns findings into a 0–100 score per category and overall, a letter band
//! and pass/fail. Deterministic: the same findings always give the same score.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::rules::{Category, RuleSet, Severity};

/// Rubric overrides from `[grade]` in `pitchlint.toml`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RubricConfig {
    /// Score needed to pass.
    pub pass_mark: Option<f64>,
    /// Weight per category.
    pub weights: Option<BTreeMap<Category, f64>>,
    /// Points lost per finding, by severity.
    pub penalties: Option<BTreeMap<Severity, f64>>,
    /// Lowest score per letter band.
    pub bands: Option<BTreeMap<String, f64>>,
}

/// The rubric in force.
#[derive(Clone, Debug, Serialize)]
pub struct Rubric {
    /// Score needed to pass.
    pub pass_mark: f64,
    /// Weight per category.
    pub weights: BTreeMap<Category, f64>,
    /// Points lost per finding, by severity.
    pub penalties: BTreeMap<Severity, f64>,
    /// (band, lowest score), highest first; below the last band is `F`.
    pub bands: Vec<(String, f64)>,
}

impl Default for Rubric {
    fn default() -> Self {
        let weights = BTreeMap::from([
            (Category::Ask, 3.0),
            (Category::MeFocus, 2.0),
            (Category::HardSell, 2.0),
            (Category::FollowUp, 1.0),
            (Category::Clarity, 1.0),
            (Category::Length, 1.0),
        ]);
        let penalties = BTreeMap::from([(Severity::Error, 45.0), (Severity::Warning, 25.0), (Severity::Info, 5.0)]);
        let bands = vec![("A".into(), 90.0), ("B".into(), 80.0), ("C".into(), 70.0), ("D".into(), 60.0)];
        Self { pass_mark: 70.0, weights, penalties, bands }
    }
}

impl Rubric {
    /// The default rubric with the config's overrides applied.
    pub fn with_overrides(config: Option<&RubricConfig>) -> Self {
        let mut rubric = Self::default();
        let Some(config) = config else { return rubric };
        if let Some(pass) = config.pass_mark {
            rubric.pass_mark = pass;
        }
        if let Some(weights) = &config.weights {
            rubric.weights.extend(weights.iter().map(|(k, v)| (*k, v.max(0.0))));
        }
        if let Some(penalties) = &config.penalties {
            rubric.penalties.extend(penalties.iter().map(|(k, v)| (*k, v.max(0.0))));
        }
        if let Some(bands) = &config.bands {
            let mut list: Vec<(String, f64)> = bands.iter().map(|(k, v)| (k.clone(), *v)).collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            rubric.bands = list;
        }
        rubric
    }

    /// The letter band for a score.
    pub fn band(&self, score: f64) -> String {
        self.bands.iter().find(|(_, min)| score >= *min).map_or_else(|| "F".to_owned(), |(b, _)| b.clone())
    }
}

/// A document's grade.
#[derive(Clone, Debug, Serialize)]
pub struct Grade {
    /// Overall score, 0–100.
    pub score: f64,
    /// Letter band.
    pub band: String,
    /// Score at or above the pass mark.
    pub pass: bool,
    /// Score per category, 0–100.
    pub categories: BTreeMap<Category, f64>,
}

/// Grades one document's findings.
pub fn grade(diagnostics: &[Diagnostic], rules: &RuleSet, rubric: &Rubric) -> Grade {
    let mut lost: BTreeMap<Category, f64> = Category::ALL.iter().map(|c| (*c, 0.0)).collect();
    for d in diagnostics {
        let Some(rule) = rules.get(d.rule) else { continue };
        let penalty = rubric.penalties.get(&d.severity).copied().unwrap_or(0.0);
        *lost.entry(rule.category).or_insert(0.0) += penalty;
    }
    let categories: BTreeMap<Category, f64> = lost.iter().map(|(c, l)| (*c, (100.0 - l).clamp(0.0, 100.0))).collect();
    let total_weight: f64 = Category::ALL.iter().map(|c| rubric.weights.get(c).copied().unwrap_or(0.0)).sum();
    let score = if total_weight <= 0.0 {
        100.0
    } else {
        Category::ALL
            .iter()
            .map(|c| categories.get(c).copied().unwrap_or(100.0) * rubric.weights.get(c).copied().unwrap_or(0.0))
            .sum::<f64>()
            / total_weight
    };
    let score = (score * 10.0).round() / 10.0;
    Grade { score, band: rubric.band(score), pass: score >= rubric.pass_mark, categories }
}
