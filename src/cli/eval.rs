//! `pitchlint eval`: precision and recall on a labelled corpus, per category and overall.
//!
//! Each JSONL line is `{"text": …, "label": "good"|"bad", "categories": [..]}`. A text is
//! *flagged* when it has a finding at or above `--fail-on` (default warning); a bad text counts as
//! caught in a category when it is labelled with that category and has such a finding in it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use clap::Args;
use miette::Report;
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::json;

use super::args::{RuleOptions, SeverityArg};
use super::settings::Resolver;
use super::{ExitStatus, write_stdout};
use crate::input::Source;
use crate::rules::{Category, Severity};
use crate::text::{Document, InputFormat};

/// `pitchlint eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A JSONL file of labelled texts.
    #[arg(value_name = "FILE.jsonl")]
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: EvalFormat,
    /// Lowest severity that counts as flagged.
    #[arg(long, value_enum, default_value = "warning")]
    pub fail_on: SeverityArg,
    /// Rule selection, config and profile.
    #[command(flatten)]
    pub rules: RuleOptions,
}

/// Formats of `eval`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum EvalFormat {
    /// A table for people.
    Text,
    /// JSON for scripts.
    Json,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    text: String,
    label: Label,
    #[serde(default)]
    categories: Vec<Category>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Label {
    Good,
    Bad,
}

/// Counts for one category or overall.
#[derive(Clone, Debug, Default)]
struct Counts {
    bad: usize,
    bad_flagged: usize,
    good: usize,
    good_flagged: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        let flagged = self.bad_flagged + self.good_flagged;
        if flagged == 0 { 1.0 } else { self.bad_flagged as f64 / flagged as f64 }
    }

    fn recall(&self) -> f64 {
        if self.bad == 0 { 1.0 } else { self.bad_flagged as f64 / self.bad as f64 }
    }

    fn false_positive_rate(&self) -> f64 {
        if self.good == 0 { 0.0 } else { self.good_flagged as f64 / self.good as f64 }
    }
}

struct Scored {
    line: usize,
    item: Item,
    flagged: Vec<Category>,
    codes: Vec<String>,
}

pub(super) fn run(args: &EvalArgs) -> Result<ExitStatus, Report> {
    let text = fs::read_to_string(&args.file)
        .map_err(|e| miette::miette!(code = "pitchlint::io", "{}: cannot read: {e}", args.file.display()))?;
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let item: Item = serde_json::from_str(line).map_err(|e| {
            miette::miette!(code = "pitchlint::eval", "{}:{}: not a labelled text: {e}", args.file.display(), i + 1)
        })?;
        items.push((i + 1, item));
    }
    let resolver = Resolver::new(args.rules.clone());
    let resolved = resolver.for_source(&Source::File(args.file.clone()))?;
    let threshold = Severity::from(args.fail_on);
    let scored: Vec<Scored> = items
        .into_par_iter()
        .map(|(line, item)| {
            let doc = Document::parse(&item.text, InputFormat::Plain, resolved.profile);
            let diagnostics = resolved.linter.check(&doc);
            let mut flagged: Vec<Category> = Vec::new();
            let mut codes = Vec::new();
            for d in diagnostics.iter().filter(|d| d.severity >= threshold) {
                if let Some(rule) = resolved.linter.rules().get(d.rule) {
                    flagged.push(rule.category);
                    codes.push(rule.code.clone());
                }
            }
            flagged.sort();
            flagged.dedup();
            codes.sort();
            codes.dedup();
            Scored { line, item, flagged, codes }
        })
        .collect();

    let mut overall = Counts::default();
    let mut per: BTreeMap<Category, Counts> = Category::ALL.iter().map(|c| (*c, Counts::default())).collect();
    for s in &scored {
        let any = !s.flagged.is_empty();
        match s.item.label {
            Label::Bad => {
                overall.bad += 1;
                overall.bad_flagged += usize::from(any);
            }
            Label::Good => {
                overall.good += 1;
                overall.good_flagged += usize::from(any);
            }
        }
        for (category, counts) in &mut per {
            let hit = s.flagged.contains(category);
            match s.item.label {
                Label::Bad if s.item.categories.contains(category) => {
                    counts.bad += 1;
                    counts.bad_flagged += usize::from(hit);
                }
                Label::Good => {
                    counts.good += 1;
                    counts.good_flagged += usize::from(hit);
                }
                Label::Bad => {}
            }
        }
    }
    let output = match args.format {
        EvalFormat::Text => render_text(&overall, &per, &scored),
        EvalFormat::Json => render_json(&overall, &per, &scored),
    };
    write_stdout(output.as_bytes()).map_err(|e| miette::miette!("cannot write output: {e}"))?;
    Ok(ExitStatus::Success)
}

fn render_text(overall: &Counts, per: &BTreeMap<Category, Counts>, scored: &[Scored]) -> String {
    let mut out =
        format!("{:<10} {:>13} {:>14} {:>9} {:>7}\n", "category", "bad flagged", "good flagged", "precision", "recall");
    let row = |out: &mut String, name: &str, c: &Counts| {
        let _ = writeln!(
            out,
            "{name:<10} {:>13} {:>14} {:>8.1}% {:>6.1}%",
            format!("{}/{}", c.bad_flagged, c.bad),
            format!("{}/{}", c.good_flagged, c.good),
            c.precision() * 100.0,
            c.recall() * 100.0
        );
    };
    for (category, counts) in per {
        row(&mut out, category.as_str(), counts);
    }
    row(&mut out, "overall", overall);
    let _ = writeln!(out, "\nfalse-positive rate on good texts: {:.1}%", overall.false_positive_rate() * 100.0);
    let misses: Vec<&Scored> = scored.iter().filter(|s| s.item.label == Label::Bad && s.flagged.is_empty()).collect();
    let false_alarms: Vec<&Scored> =
        scored.iter().filter(|s| s.item.label == Label::Good && !s.flagged.is_empty()).collect();
    let wrong_category: Vec<&Scored> = scored
        .iter()
        .filter(|s| {
            s.item.label == Label::Bad
                && !s.flagged.is_empty()
                && !s.item.categories.iter().any(|c| s.flagged.contains(c))
        })
        .collect();
    let list = |out: &mut String, title: &str, rows: &[&Scored]| {
        let _ = writeln!(out, "\n{title} ({}):", rows.len());
        for s in rows {
            let cats: Vec<&str> = s.item.categories.iter().map(|c| c.as_str()).collect();
            let _ = writeln!(
                out,
                "  line {:>3} [{}] {} {}",
                s.line,
                cats.join(","),
                s.codes.join(","),
                preview(&s.item.text)
            );
        }
    };
    list(&mut out, "missed bad texts", &misses);
    list(&mut out, "bad texts flagged only in other categories", &wrong_category);
    list(&mut out, "flagged good texts", &false_alarms);
    out
}

fn preview(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut cut: String = flat.chars().take(90).collect();
    if flat.chars().count() > 90 {
        cut.push('…');
    }
    cut
}

fn render_json(overall: &Counts, per: &BTreeMap<Category, Counts>, scored: &[Scored]) -> String {
    let counts = |c: &Counts| {
        json!({
            "bad": c.bad, "bad_flagged": c.bad_flagged, "good": c.good, "good_flagged": c.good_flagged,
            "precision": c.precision(), "recall": c.recall(), "false_positive_rate": c.false_positive_rate(),
        })
    };
    let categories: serde_json::Map<String, serde_json::Value> =
        per.iter().map(|(k, v)| (k.as_str().to_owned(), counts(v))).collect();
    let misses: Vec<_> = scored
        .iter()
        .filter(|s| (s.item.label == Label::Bad) == s.flagged.is_empty())
        .map(|s| json!({"line": s.line, "label": if s.item.label == Label::Bad { "bad" } else { "good" }, "codes": s.codes}))
        .collect();
    let doc = json!({"version": 1, "overall": counts(overall), "categories": categories, "errors": misses});
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
