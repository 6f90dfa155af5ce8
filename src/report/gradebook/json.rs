//! `grade --format json`: everything, versioned.
//!
//! ```text
//! {"version":1,
//!  "rubric":{"pass-mark":70.0,"weights":{…},"penalties":{…},"bands":[{"band":"A","min":90.0},…]},
//!  "submissions":[{"id":…,"origin":…,"profile":…,"words":…,"seconds":…,"score":…,"band":…,
//!    "pass":…,"categories":{"ask":{"score":…,"weight":…,"lost":…,"findings":…},"follow-up":null,…},
//!    "findings":[{…a `check --format json` diagnostic…,"points":…,"category-points":…}],"text":…}],
//!  "summary":{"count":…,"mean":…,"median":…,"min":…,"max":…,"passed":…,"pass-rate":…,
//!    "bands":[{"band":"A","count":…},…],"histogram":[{"from":0,"to":10,"count":…},…],"categories":{…},"findings":[…]}}
//! ```
//! Numbers are rounded to one decimal; `points` is what a finding cost the overall score and
//! `category-points` what it cost its category, so the points of a submission add up to
//! `100 − score` (give or take rounding).

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Map, Value, json};

use super::super::json::diagnostic_json;
use super::super::{EmitContext, HumanOptions};
use super::{Gradebook, Submission};
use crate::grade::{ClassSummary, Rubric, round1};
use crate::rules::Category;

/// The gradebook schema version; bumped on any breaking change.
pub const VERSION: u32 = 1;

/// The top level, in reading order (`serde_json` maps would sort the keys).
#[derive(Serialize)]
struct Document {
    version: u32,
    rubric: Value,
    submissions: Vec<SubmissionJson>,
    summary: Value,
}

/// One submission, in reading order: who, how they did, why, then their text.
#[derive(Serialize)]
struct SubmissionJson {
    id: String,
    origin: String,
    profile: &'static str,
    words: usize,
    seconds: f64,
    score: f64,
    band: String,
    pass: bool,
    categories: Map<String, Value>,
    findings: Vec<Value>,
    text: String,
}

pub(super) fn emit(out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    let doc = Document {
        version: VERSION,
        rubric: rubric_json(&book.rubric),
        submissions: book.submissions.iter().map(submission_json).collect(),
        summary: summary_json(&book.summary),
    };
    crate::report::write_pretty_json(out, &doc)
}

fn rubric_json(rubric: &Rubric) -> Value {
    let weights: Map<String, Value> = rubric.weights.iter().map(|(c, w)| (c.as_str().to_owned(), json!(w))).collect();
    let penalties: Map<String, Value> =
        rubric.penalties.iter().map(|(s, p)| (s.as_str().to_owned(), json!(p))).collect();
    json!({
        "pass-mark": rubric.pass_mark,
        "weights": weights,
        "penalties": penalties,
        "bands": rubric.bands.iter().map(|(band, min)| json!({"band": band, "min": min})).collect::<Vec<_>>(),
    })
}

fn submission_json(submission: &Submission) -> SubmissionJson {
    let report = &submission.report;
    let grade = &report.grade;
    let cx = EmitContext { rules: submission.rules(), human: HumanOptions::default(), statistics: false };
    let mut categories = Map::new();
    for category in Category::ALL {
        let value = grade.categories.get(&category).map_or(Value::Null, |score| {
            let findings = submission.findings().filter(|(_, _, cost)| cost.category == Some(category)).count();
            json!({
                "score": score,
                "weight": submission.settings.rubric.weight(category),
                "lost": round1(100.0 - score),
                "findings": findings,
            })
        });
        categories.insert(category.as_str().to_owned(), value);
    }
    let findings: Vec<Value> = submission
        .findings()
        .map(|(d, _, cost)| {
            let mut value = diagnostic_json(report, d, &cx);
            if let Value::Object(object) = &mut value {
                object.insert("points".to_owned(), json!(round1(cost.points)));
                object.insert("category-points".to_owned(), json!(round1(cost.category_points)));
            }
            value
        })
        .collect();
    SubmissionJson {
        id: submission.id.clone(),
        origin: submission.origin.clone(),
        profile: report.profile.as_str(),
        words: report.words,
        seconds: round1(report.seconds),
        score: grade.score,
        band: grade.band.clone(),
        pass: grade.pass,
        categories,
        findings,
        text: report.source.clone(),
    }
}

fn summary_json(summary: &ClassSummary) -> Value {
    let bands: Vec<Value> = summary.bands.iter().map(|(b, n)| json!({"band": b, "count": n})).collect();
    let histogram: Vec<Value> = summary
        .histogram
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"from": i * 10, "to": i * 10 + 10, "count": n}))
        .collect();
    let categories: Map<String, Value> = summary
        .categories
        .iter()
        .map(|(c, stats)| (c.as_str().to_owned(), json!({"mean": round1(stats.mean), "graded": stats.graded})))
        .collect();
    let findings: Vec<Value> = summary
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code,
                "rule": f.name,
                "category": f.category.as_str(),
                "submissions": f.documents,
                "count": f.count,
                "points": round1(f.points),
            })
        })
        .collect();
    json!({
        "count": summary.count,
        "mean": round1(summary.mean),
        "median": round1(summary.median),
        "min": round1(summary.min),
        "max": round1(summary.max),
        "passed": summary.passed,
        "pass-rate": round1(summary.pass_rate()),
        "bands": bands,
        "histogram": histogram,
        "categories": categories,
        "findings": findings,
    })
}
