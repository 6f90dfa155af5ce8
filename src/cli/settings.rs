//! Turns command-line options and config files into what a run uses ("high-level" settings):
//! one linter per distinct config, built once and shared by every file under it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use miette::Report;

use super::args::RuleOptions;
use crate::config::{self, LoadedConfig};
use crate::engine::{LintOptions, Linter, Selection};
use crate::grade::Rubric;
use crate::input::Source;
use crate::rules::load::{load_builtin, load_builtin_for_linting, load_paths, load_sources, merge};
use crate::rules::{RuleSet, Severity};
use crate::text::Profile;

/// Everything a file is checked with.
#[derive(Debug)]
pub struct Resolved {
    /// The linter.
    pub linter: Linter,
    /// Profile requested (`Auto` lets each document decide).
    pub profile: Profile,
    /// Severity that fails the run, from config (the command line wins).
    pub fail_on: Option<Severity>,
    /// The grading rubric.
    pub rubric: Rubric,
    /// The config file used, if any.
    pub config_path: Option<PathBuf>,
}

/// Resolves and caches settings per config file.
pub struct Resolver {
    opts: RuleOptions,
    cache: Mutex<BTreeMap<Option<PathBuf>, Arc<Resolved>>>,
}

impl Resolver {
    /// A resolver for these command-line options.
    pub fn new(opts: RuleOptions) -> Self {
        Self { opts, cache: Mutex::new(BTreeMap::new()) }
    }

    /// The command-line options.
    pub fn options(&self) -> &RuleOptions {
        &self.opts
    }

    /// Which config file applies to `source`.
    pub fn config_for(&self, source: &Source) -> Option<PathBuf> {
        if self.opts.isolated {
            return None;
        }
        if let Some(explicit) = &self.opts.config {
            return Some(explicit.clone());
        }
        let start = source.path().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        config::discover(&start)
    }

    /// Settings for `source`, built on first use of its config.
    ///
    /// # Errors
    /// A bad config file, a bad rule pack or an unknown selector.
    pub fn for_source(&self, source: &Source) -> Result<Arc<Resolved>, Report> {
        let key = self.config_for(source);
        if let Some(found) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(found);
        }
        let resolved = Arc::new(self.build(key.as_deref())?);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, Arc::clone(&resolved));
        }
        Ok(resolved)
    }

    fn build(&self, config_path: Option<&Path>) -> Result<Resolved, Report> {
        let loaded = match config_path {
            Some(path) => config::load(path).map_err(|e| Report::new(*e))?,
            None => LoadedConfig::default(),
        };
        let mut packs = self.opts.rule_dirs.clone();
        packs.extend(loaded.rule_paths());
        let rules = Arc::new(load_rules_with(&packs, false)?);
        let cfg = &loaded.config;
        let selection = Selection {
            select: self.opts.select.clone().or_else(|| cfg.select.clone()),
            extend_select: cfg.extend_select.iter().chain(&self.opts.extend_select).cloned().collect(),
            ignore: cfg.ignore.iter().chain(&self.opts.ignore).cloned().collect(),
        };
        let enabled = selection.resolve(&rules).map_err(|unknown| {
            let names: Vec<String> = unknown.into_iter().map(|u| format!("`{}`", u.0)).collect();
            miette::miette!(
                code = "pitchlint::selector",
                help = "use a code (ASK001), a prefix (ASK), a name (vague-ask) or a category (ask); `pitchlint rules` lists them",
                "unknown rule selector {}",
                names.join(", ")
            )
        })?;
        let options =
            LintOptions { words_per_minute: self.opts.words_per_minute.or(cfg.words_per_minute).unwrap_or(150) };
        let mut linter = Linter::new(Arc::clone(&rules), enabled, options);
        for (key, severity) in &cfg.severity {
            let Some((index, _)) = rules.find(key) else {
                return Err(miette::miette!(
                    code = "pitchlint::config",
                    "{}: [severity] names unknown rule `{key}`",
                    loaded.path.as_deref().map_or_else(String::new, |p| p.display().to_string())
                ));
            };
            linter.set_severity(index, *severity);
        }
        Ok(Resolved {
            linter,
            profile: self.opts.profile.or(cfg.profile).unwrap_or(Profile::Auto),
            fail_on: cfg.fail_on,
            rubric: Rubric::with_overrides(cfg.grade.as_ref()),
            config_path: loaded.path.clone(),
        })
    }
}

/// The built-in pack plus the given packs, with duplicate codes rejected.
///
/// # Errors
/// Every problem in every rule file.
pub fn load_rules(packs: &[PathBuf]) -> Result<RuleSet, Report> {
    load_rules_with(packs, true)
}

/// [`load_rules`], with or without the built-in rules' examples (linting never reads them).
fn load_rules_with(packs: &[PathBuf], builtin_examples: bool) -> Result<RuleSet, Report> {
    let builtin = if builtin_examples { load_builtin() } else { load_builtin_for_linting() };
    let builtin = builtin.map_err(Report::new)?;
    if packs.is_empty() {
        return Ok(builtin);
    }
    let sources = load_paths(packs).map_err(Report::new)?;
    let extra = load_sources(&sources, false).map_err(Report::new)?;
    merge(builtin, extra, &sources).map_err(Report::new)
}
