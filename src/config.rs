//! `pitchlint.toml`: schema (unknown keys are errors) and discovery (nearest file upward).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use serde::Deserialize;

use crate::grade::RubricConfig;
use crate::rules::Severity;
use crate::text::Profile;

/// File names looked for, in order, in each directory.
pub const CONFIG_NAMES: [&str; 2] = ["pitchlint.toml", ".pitchlint.toml"];

/// The settings a config file may hold; all optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Rules to run instead of all (codes, prefixes, names, categories).
    pub select: Option<Vec<String>>,
    /// Rules to add to the selection.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Rules to skip.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Extra rule packs (directories or files), relative to the config file.
    #[serde(default)]
    pub rules: Vec<PathBuf>,
    /// `auto`, `pitch` or `email`.
    pub profile: Option<Profile>,
    /// Lowest severity that fails the run.
    pub fail_on: Option<Severity>,
    /// Speaking rate for spoken length.
    pub words_per_minute: Option<u32>,
    /// Severity overrides by rule code or name.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// Grading rubric overrides.
    pub grade: Option<RubricConfig>,
}

/// A config file that could not be used.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(pitchlint::config), help("run `pitchlint init` to see every key with its default"))]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{message}")]
    span: Option<SourceSpan>,
}

impl ConfigError {
    /// An error at a span of a config file.
    pub fn new(path: &Path, source: &str, message: String, span: Option<std::ops::Range<usize>>) -> Self {
        Self {
            path: path.display().to_string(),
            message,
            src: NamedSource::new(path.display().to_string(), source.to_owned()),
            span: span.map(|r| (r.start, r.end.saturating_sub(r.start)).into()),
        }
    }
}

/// A loaded config and where it lives.
#[derive(Clone, Debug, Default)]
pub struct LoadedConfig {
    /// The file, if one was found.
    pub path: Option<PathBuf>,
    /// Its settings.
    pub config: Config,
}

impl LoadedConfig {
    /// Rule pack paths resolved against the config file's directory.
    pub fn rule_paths(&self) -> Vec<PathBuf> {
        let base = self.path.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
        self.config.rules.iter().map(|p| if p.is_absolute() { p.clone() } else { base.join(p) }).collect()
    }
}

/// Largest config file read (a starter config is under 2 KB).
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads and validates one config file.
///
/// # Errors
/// Unreadable, oversized or non-UTF-8 file, TOML syntax, unknown keys or bad values, each with
/// the span.
pub fn load(path: &Path) -> Result<LoadedConfig, Box<ConfigError>> {
    let fail = |message: String| Box::new(ConfigError::new(path, "", message, None));
    let file = fs::File::open(path).map_err(|e| fail(format!("cannot read config: {}", describe_io(&e))))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(fail("cannot read config: it is a directory".to_owned()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(format!("cannot read config: {}", describe_io(&e))))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(fail(format!("config file is larger than {MAX_CONFIG_BYTES} bytes")));
    }
    let source = String::from_utf8(bytes).map_err(|e| {
        fail(format!("config file is not valid UTF-8 (first bad byte at {})", e.utf8_error().valid_up_to()))
    })?;
    parse(path, &source)
}

/// Validates the text of a config file read from `path` (which only names it in errors and
/// anchors its relative rule paths).
///
/// # Errors
/// TOML syntax, unknown keys or bad values, each with the span.
pub fn parse(path: &Path, source: &str) -> Result<LoadedConfig, Box<ConfigError>> {
    let config: Config = toml::from_str(source)
        .map_err(|e| Box::new(ConfigError::new(path, source, e.message().trim().to_owned(), e.span())))?;
    if config.words_per_minute.is_some_and(|w| !(60..=400).contains(&w)) {
        let at = source.find("words-per-minute").map(|s| s..s + "words-per-minute".len());
        return Err(Box::new(ConfigError::new(path, source, "words-per-minute must be between 60 and 400".into(), at)));
    }
    Ok(LoadedConfig { path: Some(path.to_path_buf()), config })
}

fn describe_io(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

/// The nearest config file at or above `start` (a file's directory or a directory).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start =
        if start.is_dir() { start.to_path_buf() } else { start.parent().map(Path::to_path_buf).unwrap_or_default() };
    let absolute =
        if start.as_os_str().is_empty() { std::env::current_dir().ok()? } else { fs::canonicalize(&start).ok()? };
    for dir in absolute.ancestors() {
        for name in CONFIG_NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(relative_to_cwd(candidate));
            }
        }
    }
    None
}

/// Shows a discovered config as the user would type it: relative to the working directory when
/// it lies below it, so messages do not depend on where the project is checked out.
fn relative_to_cwd(path: PathBuf) -> PathBuf {
    let Some(cwd) = std::env::current_dir().ok().and_then(|d| fs::canonicalize(d).ok()) else { return path };
    match path.strip_prefix(&cwd) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path,
    }
}

/// The commented starter config written by `pitchlint init`.
pub const STARTER: &str = r#"# pitchlint configuration. Every key is optional; the values shown are the defaults.
# Found by searching upward from each linted file; `--config FILE` overrides, `--isolated` ignores.

# Rules to run: codes (ASK001), prefixes (ASK), names (vague-ask) or categories
# (ask, me-focus, hard-sell, follow-up, clarity, length). Default: every rule.
# select = ["ALL"]
# extend-select = []
ignore = []

# Extra rule packs: directories of rule files, relative to this file.
rules = []

# auto picks `email` for .eml files and drafts with a subject, greeting or sign-off; else `pitch`.
profile = "auto"

# The lowest severity that makes `pitchlint check` exit 1: error, warning or info.
fail-on = "warning"

# Speaking rate used to time spoken pitches (150 is conversational).
words-per-minute = 150

# Change a rule's severity by code or name.
[severity]
# ME002 = "info"

# Grading rubric for `pitchlint grade`.
[grade]
# pass-mark = 70
# Weight of each category in the overall score.
# weights = { ask = 3, me-focus = 2, hard-sell = 2, follow-up = 1, clarity = 1, length = 1 }
# Points lost per finding in its category (each category starts at 100).
# penalties = { error = 100, warning = 50, info = 10 }
# Lowest score for each letter band.
# bands = { A = 90, B = 80, C = 70, D = 60 }
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_config_is_valid() {
        let parsed: Result<Config, _> = toml::from_str(STARTER);
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let err = toml::from_str::<Config>("selec = []\n").err();
        assert!(err.as_ref().is_some_and(|e| e.span().is_some() && e.message().contains("selec")));
    }
}
