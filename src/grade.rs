//! Scores: a rubric turns a document's findings into a 0–100 score per category and overall, a
//! letter band and pass/fail, and says what every finding cost; a class summary aggregates the
//! grades of many documents. Deterministic: the same findings always give the same numbers.
//!
//! # The formula
//!
//! 1. **Applicable categories.** A category counts for a document only if at least one enabled
//!    rule of that category runs on the document's profile. Follow-up rules run on emails only,
//!    so a spoken pitch is not graded on follow-up etiquette: it would otherwise collect free
//!    points there, pulling weak pitches towards strong ones.
//! 2. **Category score.** `s(c) = max(0, 100 − Σ penalty(severity))` over the findings of `c`;
//!    by default an error costs 100 (the category is failed), a warning 50 and an info 10.
//! 3. **Overall score.** The weighted mean over the applicable categories,
//!    `score = Σ w(c)·s(c) / Σ w(c)`, rounded to one decimal (100 when no weight applies).
//! 4. **Cost of a finding.** Findings, in text order, take their penalty from what is left of
//!    their category, so the costs in a category add up to exactly `100 − s(c)`. A finding's
//!    cost to the overall score is its category cost × `w(c) / Σ w`; these add up to
//!    `100 − score` (before rounding).
//! 5. **Band and pass.** The band is the first band (highest minimum first) whose minimum the
//!    score reaches, else `F`; a document passes when its score reaches `pass-mark`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::engine::Linter;
use crate::rules::{Category, RuleSet, Severity};
use crate::text::Profile;

/// The band of a score below every configured band.
pub const FAIL_BAND: &str = "F";

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
        // An error fails its category outright, a warning costs half of it, an info a tenth. So the
        // classic weak pitch (one warning each for a vague ask, me-first talk and a hard sell)
        // scores 65 and fails the pass mark, while a single warning anywhere still leaves 85 or
        // more: with pitch weights (3 + 2 + 2 of 10), any warning penalty in (42.9, 50] does both.
        let penalties = BTreeMap::from([(Severity::Error, 100.0), (Severity::Warning, 50.0), (Severity::Info, 10.0)]);
        let bands = vec![("A".into(), 90.0), ("B".into(), 80.0), ("C".into(), 70.0), ("D".into(), 60.0)];
        Self { pass_mark: 70.0, weights, penalties, bands }
    }
}

impl Rubric {
    /// The default rubric with the config's overrides applied. Negative or non-finite weights and
    /// penalties count as zero; the pass mark and band minimums are clamped to 0–100.
    pub fn with_overrides(config: Option<&RubricConfig>) -> Self {
        let mut rubric = Self::default();
        let Some(config) = config else { return rubric };
        if let Some(pass) = config.pass_mark {
            rubric.pass_mark = clamp_score(pass);
        }
        if let Some(weights) = &config.weights {
            rubric.weights.extend(weights.iter().map(|(k, v)| (*k, non_negative(*v))));
        }
        if let Some(penalties) = &config.penalties {
            rubric.penalties.extend(penalties.iter().map(|(k, v)| (*k, non_negative(*v))));
        }
        if let Some(bands) = &config.bands {
            let mut list: Vec<(String, f64)> = bands.iter().map(|(k, v)| (k.clone(), clamp_score(*v))).collect();
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            rubric.bands = list;
        }
        rubric
    }

    /// The letter band for a score.
    pub fn band(&self, score: f64) -> String {
        self.bands.iter().find(|(_, min)| score >= *min).map_or_else(|| FAIL_BAND.to_owned(), |(b, _)| b.clone())
    }

    /// The weight of a category (0 when the rubric does not name it).
    pub fn weight(&self, category: Category) -> f64 {
        self.weights.get(&category).copied().unwrap_or(0.0)
    }

    /// Points a finding of this severity takes from its category.
    pub fn penalty(&self, severity: Severity) -> f64 {
        self.penalties.get(&severity).copied().unwrap_or(0.0)
    }

    /// Every band label in order, highest first, ending with `F`.
    pub fn band_labels(&self) -> Vec<&str> {
        let mut labels: Vec<&str> = self.bands.iter().map(|(b, _)| b.as_str()).collect();
        if !labels.contains(&FAIL_BAND) {
            labels.push(FAIL_BAND);
        }
        labels
    }
}

fn non_negative(value: f64) -> f64 {
    if value.is_finite() { value.max(0.0) } else { 0.0 }
}

fn clamp_score(value: f64) -> f64 {
    if value.is_finite() { value.clamp(0.0, 100.0) } else { 0.0 }
}

/// Rounds to one decimal, the precision every score is shown with.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// What one finding cost.
#[derive(Copy, Clone, Debug, PartialEq, Serialize)]
pub struct Cost {
    /// The finding's category (`None` if its rule is unknown).
    pub category: Option<Category>,
    /// Points taken from the category score (0–100 scale).
    pub category_points: f64,
    /// Points taken from the overall score.
    pub points: f64,
}

/// A document's grade.
#[derive(Clone, Debug, Serialize)]
pub struct Grade {
    /// Overall score, 0–100, one decimal.
    pub score: f64,
    /// Letter band.
    pub band: String,
    /// Score at or above the pass mark.
    pub pass: bool,
    /// Score per applicable category, 0–100, one decimal; categories that do not apply to the
    /// document are absent.
    pub categories: BTreeMap<Category, f64>,
    /// What each finding cost, in the order of the findings graded.
    pub costs: Vec<Cost>,
}

/// The categories that can lose points on a document of `profile` (a resolved profile, not
/// `Auto`): those with at least one enabled rule that runs on it.
pub fn applicable_categories(linter: &Linter, profile: Profile) -> BTreeSet<Category> {
    linter
        .enabled()
        .iter()
        .filter_map(|&index| linter.rules().get(index))
        .filter(|rule| rule.applies_to(profile))
        .map(|rule| rule.category)
        .collect()
}

/// Grades one document's findings, counting only the categories that apply to its profile.
pub fn grade_document(diagnostics: &[Diagnostic], linter: &Linter, profile: Profile, rubric: &Rubric) -> Grade {
    grade_categories(diagnostics, linter.rules(), rubric, &applicable_categories(linter, profile))
}

/// Grades one document's findings without knowing its profile or the selection: every category
/// with at least one rule in `rules` counts. Prefer [`grade_document`].
pub fn grade(diagnostics: &[Diagnostic], rules: &RuleSet, rubric: &Rubric) -> Grade {
    let applicable: BTreeSet<Category> = rules.rules().iter().map(|r| r.category).collect();
    grade_categories(diagnostics, rules, rubric, &applicable)
}

/// Grades one document's findings over the given categories (plus any category a finding is in).
pub fn grade_categories(
    diagnostics: &[Diagnostic],
    rules: &RuleSet,
    rubric: &Rubric,
    applicable: &BTreeSet<Category>,
) -> Grade {
    let category_of = |d: &Diagnostic| rules.get(d.rule).map(|r| r.category);
    let mut counted = applicable.clone();
    counted.extend(diagnostics.iter().filter_map(category_of));

    let mut left: BTreeMap<Category, f64> = counted.iter().map(|c| (*c, 100.0)).collect();
    let mut category_costs = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        let category = category_of(d);
        let taken = category.and_then(|c| left.get_mut(&c)).map_or(0.0, |remaining| {
            let taken = rubric.penalty(d.severity).min(*remaining);
            *remaining -= taken;
            taken
        });
        category_costs.push((category, taken));
    }

    let total_weight: f64 = counted.iter().map(|c| rubric.weight(*c)).sum();
    let share = |c: Category| if total_weight > 0.0 { rubric.weight(c) / total_weight } else { 0.0 };
    let raw = if total_weight > 0.0 { left.iter().map(|(c, s)| s * share(*c)).sum::<f64>() } else { 100.0 };
    let costs = category_costs
        .into_iter()
        .map(|(category, taken)| Cost {
            category,
            category_points: taken,
            points: category.map_or(0.0, |c| taken * share(c)),
        })
        .collect();
    let score = round1(raw.clamp(0.0, 100.0));
    Grade {
        score,
        band: rubric.band(score),
        pass: score >= rubric.pass_mark,
        categories: left.into_iter().map(|(c, s)| (c, round1(s))).collect(),
        costs,
    }
}

/// One graded document, as the class summary sees it.
#[derive(Copy, Clone, Debug)]
pub struct Graded<'a> {
    /// The grade.
    pub grade: &'a Grade,
    /// The findings behind it.
    pub diagnostics: &'a [Diagnostic],
    /// The rules the findings refer to.
    pub rules: &'a RuleSet,
}

/// A class-wide picture of many grades.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClassSummary {
    /// Documents graded.
    pub count: usize,
    /// Mean score.
    pub mean: f64,
    /// Median score.
    pub median: f64,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// Documents that passed.
    pub passed: usize,
    /// Documents per band, in the rubric's order (highest first, `F` last), zero counts included.
    pub bands: Vec<(String, usize)>,
    /// Documents per ten-point bucket: `[0, 10)`, `[10, 20)` … `[90, 100]`.
    pub histogram: [usize; 10],
    /// Mean score per category over the documents it applied to.
    pub categories: BTreeMap<Category, CategoryStats>,
    /// Every rule that fired, most widespread first.
    pub findings: Vec<FindingStats>,
}

/// How a category went across the class.
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct CategoryStats {
    /// Mean category score.
    pub mean: f64,
    /// Documents the category applied to.
    pub graded: usize,
}

/// How often one rule fired across the class.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingStats {
    /// Rule code.
    pub code: String,
    /// Rule name.
    pub name: String,
    /// Rule category.
    pub category: Category,
    /// Findings in all.
    pub count: usize,
    /// Documents with at least one.
    pub documents: usize,
    /// Overall points these findings cost, summed over the class.
    pub points: f64,
}

impl ClassSummary {
    /// Percentage of documents that passed (0 for an empty class).
    pub fn pass_rate(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.passed as f64 * 100.0 / self.count as f64 }
    }

    /// Summarises the given documents; `rubric` orders the bands.
    pub fn of<'a>(docs: impl IntoIterator<Item = Graded<'a>>, rubric: &Rubric) -> Self {
        let docs: Vec<Graded<'a>> = docs.into_iter().collect();
        let mut scores: Vec<f64> = docs.iter().map(|d| d.grade.score).collect();
        scores.sort_by(f64::total_cmp);
        let count = scores.len();
        let mut summary = Self {
            count,
            mean: if count == 0 { 0.0 } else { scores.iter().sum::<f64>() / count as f64 },
            median: median(&scores),
            min: scores.first().copied().unwrap_or(0.0),
            max: scores.last().copied().unwrap_or(0.0),
            passed: docs.iter().filter(|d| d.grade.pass).count(),
            ..Self::default()
        };
        for score in &scores {
            let bucket = ((score / 10.0).floor().max(0.0) as usize).min(9);
            if let Some(slot) = summary.histogram.get_mut(bucket) {
                *slot += 1;
            }
        }
        summary.bands = band_counts(&docs, rubric);
        summary.categories = category_stats(&docs);
        summary.findings = finding_stats(&docs);
        summary
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    match (sorted.get(n / 2), n % 2) {
        (None, _) => 0.0,
        (Some(mid), 1) => *mid,
        (Some(mid), _) => (mid + sorted.get(n / 2 - 1).copied().unwrap_or(*mid)) / 2.0,
    }
}

fn band_counts(docs: &[Graded<'_>], rubric: &Rubric) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in docs {
        *counts.entry(doc.grade.band.as_str()).or_insert(0) += 1;
    }
    let labels = rubric.band_labels();
    let mut bands: Vec<(String, usize)> =
        labels.iter().map(|b| ((*b).to_owned(), counts.get(b).copied().unwrap_or(0))).collect();
    // Bands from another config's rubric (files under different pitchlint.toml files) come last.
    bands.extend(counts.iter().filter(|(b, _)| !labels.contains(b)).map(|(b, n)| ((*b).to_owned(), *n)));
    bands
}

fn category_stats(docs: &[Graded<'_>]) -> BTreeMap<Category, CategoryStats> {
    let mut sums: BTreeMap<Category, (f64, usize)> = BTreeMap::new();
    for (category, score) in docs.iter().flat_map(|d| &d.grade.categories) {
        let entry = sums.entry(*category).or_insert((0.0, 0));
        entry.0 += score;
        entry.1 += 1;
    }
    sums.into_iter().map(|(c, (sum, n))| (c, CategoryStats { mean: sum / n.max(1) as f64, graded: n })).collect()
}

fn finding_stats(docs: &[Graded<'_>]) -> Vec<FindingStats> {
    // A slot per rule code. A finding names its rule by index in its document's rule set, and
    // the documents of a class nearly always share one set: its indices are mapped to slots
    // once, not looked up by code string for each of a class's findings.
    let mut findings: Vec<FindingStats> = Vec::new();
    let mut slot_of_code: HashMap<&str, usize> = HashMap::new();
    let mut rules_mapped: Option<&RuleSet> = None;
    let mut slot_of_rule: Vec<Option<usize>> = Vec::new();
    // The last document (counting from 1) each slot had a finding in.
    let mut last_document: Vec<usize> = Vec::new();
    for (number, doc) in docs.iter().enumerate().map(|(i, doc)| (i + 1, doc)) {
        if !rules_mapped.is_some_and(|mapped| std::ptr::eq(mapped, doc.rules)) {
            rules_mapped = Some(doc.rules);
            slot_of_rule.clear();
            slot_of_rule.resize(doc.rules.len(), None);
        }
        for (i, d) in doc.diagnostics.iter().enumerate() {
            let Some(rule) = doc.rules.get(d.rule) else { continue };
            let Some(known) = slot_of_rule.get_mut(d.rule) else { continue };
            let slot = *known.get_or_insert_with(|| {
                *slot_of_code.entry(rule.code.as_str()).or_insert_with(|| {
                    findings.push(FindingStats {
                        code: rule.code.clone(),
                        name: rule.name.clone(),
                        category: rule.category,
                        count: 0,
                        documents: 0,
                        points: 0.0,
                    });
                    last_document.push(0);
                    findings.len() - 1
                })
            });
            let (Some(stats), Some(last)) = (findings.get_mut(slot), last_document.get_mut(slot)) else { continue };
            stats.count += 1;
            stats.points += doc.grade.costs.get(i).map_or(0.0, |c| c.points);
            if *last != number {
                *last = number;
                stats.documents += 1;
            }
        }
    }
    findings.sort_by(|a, b| {
        b.documents.cmp(&a.documents).then_with(|| b.count.cmp(&a.count)).then_with(|| a.code.cmp(&b.code))
    });
    findings
}

#[cfg(test)]
mod tests;
