//! Every built-in rule's embedded examples, run strictly; one test lists every failure.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::sync::Arc;

use pitchlint::rules::{Category, RuleSet, selftest};

#[test]
fn every_builtin_rule_example_passes() {
    let rules = Arc::new(RuleSet::builtin().unwrap_or_else(|e| panic!("the built-in pack loads: {e:?}")));
    let failures = selftest::run(rules);
    let report: Vec<String> = failures
        .iter()
        .map(|f| {
            format!("{} {} {:?}\n  expected {:?}\n  actual   {:?}", f.code, f.section, f.example, f.expected, f.actual)
        })
        .collect();
    assert!(failures.is_empty(), "{} failing examples:\n{}", failures.len(), report.join("\n"));
}

#[test]
fn the_builtin_pack_covers_every_category_with_unique_codes() {
    let rules = RuleSet::builtin().unwrap_or_else(|e| panic!("the built-in pack loads: {e:?}"));
    for category in Category::ALL {
        assert!(rules.rules().iter().any(|r| r.category == category), "no rule in {}", category.as_str());
    }
    let mut codes: Vec<&str> = rules.rules().iter().map(|r| r.code.as_str()).collect();
    codes.sort_unstable();
    let before = codes.len();
    codes.dedup();
    assert_eq!(before, codes.len());
}

#[test]
fn every_rule_explains_itself_and_offers_a_way_out() {
    let rules = RuleSet::builtin().unwrap_or_else(|e| panic!("the built-in pack loads: {e:?}"));
    for rule in rules.rules() {
        assert!(rule.rationale.contains("**What it flags.**"), "{} rationale", rule.code);
        assert!(rule.rationale.contains("**Instead.**"), "{} rationale", rule.code);
        assert!(!rule.help.is_empty(), "{} help", rule.code);
        assert!(
            !rule.rewrites.is_empty() || rule.fixable().is_some() || rule.kind != pitchlint::rules::Kind::Ask,
            "{} rewrite",
            rule.code
        );
    }
}
