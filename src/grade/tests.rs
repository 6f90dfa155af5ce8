//! The rubric's arithmetic, on a tiny rule set made for the purpose.

use std::sync::Arc;

use super::*;
use crate::engine::{LintOptions, Linter};
use crate::rules::load::load_sources;
use crate::span::Span;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// (code, name, category, profiles): one rule per category, follow-up for emails only.
const RULES: [(&str, &str, &str, &str); 6] = [
    ("ASK901", "test-ask", "ask", ""),
    ("ME901", "test-me", "me-focus", ""),
    ("HS901", "test-sell", "hard-sell", ""),
    ("FU901", "test-follow-up", "follow-up", "profiles = [\"email\"]"),
    ("CL901", "test-clarity", "clarity", ""),
    ("LEN901", "test-length", "length", ""),
];

/// The default rubric with round penalties, so the arithmetic below is easy to follow.
fn rubric() -> Rubric {
    let penalties = BTreeMap::from([(Severity::Error, 45.0), (Severity::Warning, 25.0), (Severity::Info, 5.0)]);
    Rubric { penalties, ..Rubric::default() }
}

fn rules() -> Result<Arc<RuleSet>, Box<dyn std::error::Error>> {
    rules_of(&RULES.map(|(code, ..)| code))
}

/// The rules of [`RULES`] with the given codes, as a rule set of their own.
fn rules_of(codes: &[&str]) -> Result<Arc<RuleSet>, Box<dyn std::error::Error>> {
    let sources: Vec<(String, String)> = RULES
        .iter()
        .filter(|(code, ..)| codes.contains(code))
        .map(|(code, name, category, profiles)| {
            let toml = format!(
                "code = \"{code}\"\nname = \"{name}\"\ncategory = \"{category}\"\nseverity = \"warning\"\n\
                 kind = \"phrase\"\nmessage = \"m\"\nhelp = \"h\"\nrationale = \"r\"\n{profiles}\n\
                 [match]\nwords = [\"zzz\"]\n[examples]\nflag = [\"[[zzz]]\"]\npass = [\"ok\"]\n"
            );
            (format!("rules/{category}/{name}.toml"), toml)
        })
        .collect();
    Ok(Arc::new(load_sources(&sources, false)?))
}

fn index(rules: &RuleSet, code: &str) -> usize {
    rules.find(code).map_or(usize::MAX, |(i, _)| i)
}

fn finding(rules: &RuleSet, code: &str, severity: Severity, at: usize) -> Diagnostic {
    Diagnostic {
        rule: index(rules, code),
        severity,
        span: Span::new(at, at + 1),
        message: String::new(),
        label: None,
        rewrites: std::sync::Arc::default(),
        fix: None,
    }
}

#[test]
fn each_category_loses_its_penalty_per_finding_and_stops_at_zero() -> TestResult {
    let rules = rules()?;
    let findings: Vec<Diagnostic> = (0..3)
        .map(|i| finding(&rules, "HS901", Severity::Error, i))
        .chain([finding(&rules, "ASK901", Severity::Warning, 9)])
        .collect();
    let grade = grade(&findings, &rules, &rubric());
    assert_eq!(grade.categories.get(&Category::HardSell), Some(&0.0));
    assert_eq!(grade.categories.get(&Category::Ask), Some(&75.0));
    // ask 3 × 75, me-focus 2 × 100, hard-sell 2 × 0, the other three 1 × 100, over weight 10.
    assert_eq!(grade.score, round1((3.0 * 75.0 + 2.0 * 100.0 + 300.0) / 10.0));
    Ok(())
}

#[test]
fn the_costs_of_the_findings_add_up_to_the_points_lost() -> TestResult {
    let rules = rules()?;
    let findings: Vec<Diagnostic> =
        [("HS901", Severity::Error), ("HS901", Severity::Error), ("HS901", Severity::Warning)]
            .iter()
            .enumerate()
            .map(|(i, (code, severity))| finding(&rules, code, *severity, i))
            .chain([finding(&rules, "CL901", Severity::Info, 7)])
            .collect();
    let grade = grade(&findings, &rules, &rubric());
    let category_points: Vec<f64> = grade.costs.iter().map(|c| c.category_points).collect();
    assert_eq!(category_points, [45.0, 45.0, 10.0, 5.0], "the third finding gets only what is left");
    let lost: f64 = grade.costs.iter().map(|c| c.points).sum();
    assert!((100.0 - lost - grade.score).abs() < 0.05, "{lost} vs {}", grade.score);
    Ok(())
}

#[test]
fn categories_with_no_rule_for_the_profile_do_not_count() -> TestResult {
    let rules = rules()?;
    let linter = Linter::new(Arc::clone(&rules), (0..rules.len()).collect(), LintOptions::default());
    let pitch = applicable_categories(&linter, Profile::Pitch);
    assert!(!pitch.contains(&Category::FollowUp) && pitch.contains(&Category::Ask));
    assert!(applicable_categories(&linter, Profile::Email).contains(&Category::FollowUp));

    let findings = [finding(&rules, "ASK901", Severity::Error, 0)];
    let rubric = rubric();
    let as_pitch = grade_document(&findings, &linter, Profile::Pitch, &rubric);
    let as_email = grade_document(&findings, &linter, Profile::Email, &rubric);
    assert!(!as_pitch.categories.contains_key(&Category::FollowUp));
    // Without the free follow-up 100, the same weak ask costs the pitch more.
    assert_eq!(as_pitch.score, round1((3.0 * 55.0 + 600.0) / 9.0));
    assert_eq!(as_email.score, round1((3.0 * 55.0 + 700.0) / 10.0));
    Ok(())
}

#[test]
fn a_deselected_category_does_not_count() -> TestResult {
    let rules = rules()?;
    let without_clarity: Vec<usize> = (0..rules.len()).filter(|&i| i != index(&rules, "CL901")).collect();
    let linter = Linter::new(Arc::clone(&rules), without_clarity, LintOptions::default());
    assert!(!applicable_categories(&linter, Profile::Email).contains(&Category::Clarity));
    Ok(())
}

#[test]
fn by_default_a_classic_weak_pitch_fails_and_one_slip_does_not() -> TestResult {
    let rules = rules()?;
    let linter = Linter::new(Arc::clone(&rules), (0..rules.len()).collect(), LintOptions::default());
    let rubric = Rubric::default();
    let weak: Vec<Diagnostic> = ["ASK901", "ME901", "HS901"]
        .iter()
        .enumerate()
        .map(|(i, c)| finding(&rules, c, Severity::Warning, i))
        .collect();
    let weak = grade_document(&weak, &linter, Profile::Pitch, &rubric);
    assert!(!weak.pass, "a vague ask, me-first talk and a hard sell fail: {}", weak.score);
    for code in ["ASK901", "ME901", "HS901", "CL901", "LEN901"] {
        let slip = grade_document(&[finding(&rules, code, Severity::Warning, 0)], &linter, Profile::Pitch, &rubric);
        assert!(slip.score >= 80.0, "one warning in {code} leaves {}", slip.score);
    }
    Ok(())
}

#[test]
fn with_no_weight_at_all_the_score_is_full_marks() -> TestResult {
    let rules = rules()?;
    let grade = grade_categories(&[], &rules, &rubric(), &BTreeSet::new());
    assert_eq!((grade.score, grade.band.as_str(), grade.pass), (100.0, "A", true));
    Ok(())
}

#[test]
fn config_overrides_replace_defaults_and_bad_numbers_are_tamed() {
    let config = RubricConfig {
        pass_mark: Some(150.0),
        weights: Some(BTreeMap::from([(Category::Ask, -2.0), (Category::Clarity, 4.0)])),
        penalties: Some(BTreeMap::from([(Severity::Info, f64::NAN)])),
        bands: Some(BTreeMap::from([("Merit".to_owned(), 75.0), ("Distinction".to_owned(), 85.0)])),
    };
    let rubric = Rubric::with_overrides(Some(&config));
    assert_eq!(rubric.pass_mark, 100.0);
    assert_eq!((rubric.weight(Category::Ask), rubric.weight(Category::Clarity)), (0.0, 4.0));
    assert_eq!(rubric.weight(Category::MeFocus), 2.0, "unnamed categories keep their default");
    assert_eq!(rubric.penalty(Severity::Info), 0.0);
    assert_eq!(rubric.band_labels(), ["Distinction", "Merit", "F"]);
    assert_eq!(
        (rubric.band(85.0), rubric.band(84.9), rubric.band(10.0)),
        ("Distinction".into(), "Merit".into(), "F".into())
    );
}

#[test]
fn bands_start_at_their_minimum() {
    let rubric = rubric();
    let bands: Vec<String> = [90.0, 89.9, 80.0, 70.0, 60.0, 59.9].iter().map(|s| rubric.band(*s)).collect();
    assert_eq!(bands, ["A", "B", "B", "C", "D", "F"]);
}

fn graded(score: f64, pass: bool, band: &str) -> Grade {
    Grade { score, band: band.to_owned(), pass, categories: BTreeMap::new(), costs: Vec::new() }
}

#[test]
fn the_class_summary_has_mean_median_distribution_and_bands() -> TestResult {
    let rules = rules()?;
    let rubric = rubric();
    let grades = [graded(100.0, true, "A"), graded(40.0, false, "F"), graded(75.0, true, "C"), graded(9.9, false, "F")];
    let summary =
        ClassSummary::of(grades.iter().map(|g| Graded { grade: g, diagnostics: &[], rules: &rules }), &rubric);
    assert_eq!((summary.count, summary.passed, summary.min, summary.max), (4, 2, 9.9, 100.0));
    assert!((summary.mean - 56.225).abs() < 1e-9);
    assert_eq!(summary.median, 57.5);
    assert_eq!(summary.histogram, [1, 0, 0, 0, 1, 0, 0, 1, 0, 1], "100 falls in the last bucket");
    let bands: Vec<(&str, usize)> = summary.bands.iter().map(|(b, n)| (b.as_str(), *n)).collect();
    assert_eq!(bands, [("A", 1), ("B", 0), ("C", 1), ("D", 0), ("F", 2)]);
    assert_eq!(summary.pass_rate(), 50.0);
    Ok(())
}

#[test]
fn common_findings_rank_by_documents_then_count_then_code() -> TestResult {
    let rules = rules()?;
    let rubric = rubric();
    let first = vec![
        finding(&rules, "HS901", Severity::Warning, 0),
        finding(&rules, "HS901", Severity::Warning, 1),
        finding(&rules, "CL901", Severity::Warning, 2),
    ];
    let second = vec![finding(&rules, "CL901", Severity::Warning, 0), finding(&rules, "ASK901", Severity::Warning, 1)];
    let docs = [first, second];
    let grades: Vec<Grade> = docs.iter().map(|d| grade(d, &rules, &rubric)).collect();
    let summary = ClassSummary::of(
        grades.iter().zip(&docs).map(|(g, d)| Graded { grade: g, diagnostics: d, rules: &rules }),
        &rubric,
    );
    let order: Vec<(&str, usize, usize)> =
        summary.findings.iter().map(|f| (f.code.as_str(), f.documents, f.count)).collect();
    assert_eq!(order, [("CL901", 2, 2), ("HS901", 1, 2), ("ASK901", 1, 1)]);
    let cl = summary.findings.first().map_or(0.0, |f| f.points);
    assert!((cl - 2.0 * 25.0 / 10.0).abs() < 1e-9, "{cl}");
    Ok(())
}

#[test]
fn findings_are_counted_by_code_across_rule_sets() -> TestResult {
    // Submissions under another config have their own rule set, where a code has another index.
    let all = rules()?;
    let few = rules_of(&["HS901", "CL901"])?;
    assert_ne!(index(&all, "HS901"), index(&few, "HS901"), "the same code at another index");
    let rubric = rubric();
    let docs: Vec<(&RuleSet, Vec<Diagnostic>)> = vec![
        (
            &all,
            ["ASK901", "ME901", "HS901", "CL901", "LEN901"]
                .iter()
                .map(|code| finding(&all, code, Severity::Info, 0))
                .collect(),
        ),
        (&few, vec![finding(&few, "HS901", Severity::Warning, 0), finding(&few, "HS901", Severity::Warning, 1)]),
        (&all, vec![finding(&all, "HS901", Severity::Warning, 0)]),
        (&few, vec![finding(&few, "CL901", Severity::Warning, 0)]),
    ];
    let grades: Vec<Grade> = docs.iter().map(|(rules, d)| grade(d, rules, &rubric)).collect();
    let summary = ClassSummary::of(
        grades.iter().zip(&docs).map(|(g, (rules, d))| Graded { grade: g, diagnostics: d, rules }),
        &rubric,
    );
    let order: Vec<(&str, usize, usize)> =
        summary.findings.iter().map(|f| (f.code.as_str(), f.documents, f.count)).collect();
    assert_eq!(order, [("HS901", 3, 4), ("CL901", 2, 2), ("ASK901", 1, 1), ("LEN901", 1, 1), ("ME901", 1, 1)]);
    Ok(())
}

#[test]
fn an_empty_class_summarises_to_zeros() {
    let summary = ClassSummary::of([], &rubric());
    assert_eq!((summary.count, summary.mean, summary.median, summary.pass_rate()), (0, 0.0, 0.0, 0.0));
}
