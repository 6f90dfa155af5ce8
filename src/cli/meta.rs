//! The commands about rules and setup: `rules`, `explain`, `test-rules`, `init`, `completions`.

use std::fmt::Write as _;
use std::fs;
use std::sync::Arc;

use clap::CommandFactory;
use miette::Report;

use super::args::{Cli, CompletionsArgs, ExplainArgs, InitArgs, RulesArgs, RulesFormat, TestRulesArgs};
use super::settings::load_rules;
use super::{ExitStatus, write_stdout};
use crate::config::STARTER;
use crate::rules::load::{load_builtin, load_paths, load_sources};
use crate::rules::{Rule, RuleSet, selftest};

fn io_err(err: std::io::Error) -> Report {
    miette::miette!("cannot write output: {err}")
}

pub(super) fn rules(args: &RulesArgs) -> Result<ExitStatus, Report> {
    let set = load_rules(&args.rule_dirs)?;
    let text = match args.format {
        RulesFormat::Table => rules_table(&set),
        RulesFormat::Json => rules_json(&set),
        RulesFormat::Markdown => rules_markdown(&set),
    };
    write_stdout(text.as_bytes()).map_err(io_err)?;
    Ok(ExitStatus::Success)
}

fn fixable(rule: &Rule) -> &'static str {
    rule.fixable().map_or("", |a| a.as_str())
}

fn rules_table(set: &RuleSet) -> String {
    let mut out =
        format!("{:<7} {:<28} {:<10} {:<8} {:<8} {}\n", "CODE", "NAME", "CATEGORY", "SEVERITY", "KIND", "FIX");
    for rule in set.rules() {
        let _ = writeln!(
            out,
            "{:<7} {:<28} {:<10} {:<8} {:<8} {}",
            rule.code,
            rule.name,
            rule.category.as_str(),
            rule.severity.as_str(),
            rule.kind.as_str(),
            fixable(rule)
        );
    }
    let _ = writeln!(out, "{} rules", set.len());
    out
}

fn rules_json(set: &RuleSet) -> String {
    let list: Vec<serde_json::Value> = set
        .rules()
        .iter()
        .map(|r| {
            serde_json::json!({
                "code": r.code,
                "name": r.name,
                "category": r.category.as_str(),
                "severity": r.severity.as_str(),
                "kind": r.kind.as_str(),
                "fixable": r.fixable().is_some(),
                "applicability": r.fixable().map(|a| a.as_str()),
                "profiles": r.profiles.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "message": r.message.source(),
                "help": r.help,
                "builtin": r.origin.builtin,
            })
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".to_owned());
    out.push('\n');
    out
}

/// The Markdown rules table (also embedded in README.md between markers).
pub fn rules_markdown(set: &RuleSet) -> String {
    let mut out = String::from(
        "| Code | Name | Category | Severity | Kind | Fix | What it flags |\n|---|---|---|---|---|---|---|\n",
    );
    for r in set.rules() {
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} | {} | {} |",
            r.code,
            r.name,
            r.category.as_str(),
            r.severity.as_str(),
            r.kind.as_str(),
            fixable(r),
            r.help.replace('|', "\\|").replace('\n', " ")
        );
    }
    out
}

pub(super) fn explain(args: &ExplainArgs) -> Result<ExitStatus, Report> {
    let set = load_rules(&args.rule_dirs)?;
    let Some((_, rule)) = set.find(&args.rule) else {
        return Err(miette::miette!(
            code = "pitchlint::unknown_rule",
            help = "`pitchlint rules` lists every code and name",
            "no rule named `{}`",
            args.rule
        ));
    };
    write_stdout(explanation(rule).as_bytes()).map_err(io_err)?;
    Ok(ExitStatus::Success)
}

/// What `explain` prints for a rule.
pub fn explanation(rule: &Rule) -> String {
    let mut out = format!(
        "{} {} ({}, {}, kind `{}`)\n\n",
        rule.code,
        rule.name,
        rule.category.as_str(),
        rule.severity.as_str(),
        rule.kind.as_str()
    );
    let _ = writeln!(out, "{}\n", rule.rationale);
    let _ = writeln!(out, "How to fix: {}", rule.help);
    for rewrite in rule.rewrites.iter() {
        let _ = writeln!(out, "Rewrite: \"{}\"", rewrite.source());
    }
    if let Some(applicability) = rule.fixable() {
        let _ = writeln!(
            out,
            "Fix: {} (applied by --fix{})",
            applicability.as_str(),
            if applicability == crate::diagnostic::Applicability::Safe { "" } else { " --unsafe-fixes" }
        );
    }
    if !rule.profiles.is_empty() {
        let names: Vec<&str> = rule.profiles.iter().map(|p| p.as_str()).collect();
        let _ = writeln!(out, "Profiles: {}", names.join(", "));
    }
    out.push_str("\nFlagged:\n");
    for example in &rule.examples.flag {
        let _ = writeln!(out, "  ✗ {}", example.replace('\n', "\n    "));
    }
    out.push_str("\nNot flagged:\n");
    for example in &rule.examples.pass {
        let _ = writeln!(out, "  ✓ {}", example.replace('\n', "\n    "));
    }
    if !rule.examples.fix.is_empty() {
        out.push_str("\nFixed:\n");
        for (before, after) in &rule.examples.fix {
            let _ = writeln!(out, "  {before}\n  → {after}");
        }
    }
    out
}

pub(super) fn test_rules(args: &TestRulesArgs) -> Result<ExitStatus, Report> {
    let set = if args.dirs.is_empty() {
        load_builtin().map_err(Report::new)?
    } else {
        let sources = load_paths(&args.dirs).map_err(Report::new)?;
        load_sources(&sources, false).map_err(Report::new)?
    };
    let set = Arc::new(set);
    let failures = selftest::run(Arc::clone(&set));
    let examples: usize =
        set.rules().iter().map(|r| r.examples.flag.len() + r.examples.pass.len() + r.examples.fix.len()).sum();
    let mut out = String::new();
    for f in &failures {
        let _ = writeln!(out, "FAIL {} ({}) {} example: {:?}", f.code, f.path, f.section, f.example);
        let _ = writeln!(
            out,
            "  expected: {}",
            if f.expected.is_empty() { "nothing".to_owned() } else { f.expected.join(" ") }
        );
        let _ = writeln!(
            out,
            "  actual:   {}",
            if f.actual.is_empty() { "nothing".to_owned() } else { f.actual.join(" ") }
        );
    }
    let _ = writeln!(
        out,
        "{} rules, {} examples: {} passed, {} failed",
        set.len(),
        examples,
        examples - failures.len().min(examples),
        failures.len()
    );
    write_stdout(out.as_bytes()).map_err(io_err)?;
    Ok(if failures.is_empty() { ExitStatus::Success } else { ExitStatus::Failure })
}

pub(super) fn init(args: &InitArgs) -> Result<ExitStatus, Report> {
    let path = args.dir.join("pitchlint.toml");
    if path.exists() && !args.force {
        return Err(miette::miette!(
            code = "pitchlint::init",
            help = "pass --force to overwrite it",
            "{} already exists",
            path.display()
        ));
    }
    fs::create_dir_all(&args.dir).map_err(|e| miette::miette!("cannot create {}: {e}", args.dir.display()))?;
    let written =
        if path.exists() { crate::fix::write_atomic(&path, STARTER.as_bytes()) } else { fs::write(&path, STARTER) };
    written.map_err(|e| miette::miette!("cannot write {}: {e}", path.display()))?;
    write_stdout(format!("wrote {}\n", path.display()).as_bytes()).map_err(io_err)?;
    Ok(ExitStatus::Success)
}

pub(super) fn completions(args: &CompletionsArgs) -> Result<ExitStatus, Report> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "pitchlint", &mut buf);
    write_stdout(&buf).map_err(io_err)?;
    Ok(ExitStatus::Success)
}
