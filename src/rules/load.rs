//! Loading rule files: parse, validate, compile. Every problem in every file is collected and
//! reported together, each labelled at its TOML span.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};
use rayon::prelude::*;
use regex::RegexBuilder;
use toml::Spanned;

use super::gate::DocumentGate;
use super::schema::{ExamplesSpec, MatchSpec, RuleFile};
use super::template::{Rewrites, Template};
use super::{Category, Check, Examples, Kind, Rule, RuleOrigin, RuleSet, ScopeSet, selftest};
use crate::pattern::{Options, Pattern};
use crate::text::{Profile, RegionKind};

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// Largest compiled size of one rule's pattern (bytes); keeps user packs fast and bounded.
pub const REGEX_SIZE_LIMIT: usize = 1 << 21;
/// Longest pattern source accepted (characters).
pub const PATTERN_LENGTH_LIMIT: usize = 4096;
/// Largest rule file read (built-in rule files are under 4 KB).
pub const RULE_FILE_SIZE_LIMIT: u64 = 256 * 1024;

/// One problem in one rule file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{path}: {message}")]
#[diagnostic(code(pitchlint::rule_file))]
pub struct RuleError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    span: Option<SourceSpan>,
    label: String,
    #[help]
    help: Option<String>,
}

/// Every problem found while loading rules.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("invalid rule files: {} problem{} in {}", errors.len(), if errors.len() == 1 { "" } else { "s" }, files(errors))]
#[diagnostic(code(pitchlint::rules), help("fix the rule files above; `pitchlint test-rules DIR` checks a pack"))]
pub struct RuleErrors {
    /// The problems, in file order.
    #[related]
    pub errors: Vec<RuleError>,
}

fn files(errors: &[RuleError]) -> String {
    let mut names: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    names.dedup();
    names.join(", ")
}

/// Collects problems while one rule file is compiled.
pub struct CompileCx<'a> {
    path: &'a str,
    source: &'a str,
    match_span: Range<usize>,
    kind_span: Range<usize>,
    errors: Vec<RuleError>,
    /// The file is part of the embedded pack: its patterns are known to compile (the test suite
    /// compiles every one), so they are left to compile when first needed.
    trusted: bool,
}

impl<'a> CompileCx<'a> {
    fn new(path: &'a str, source: &'a str) -> Self {
        Self { path, source, match_span: 0..0, kind_span: 0..0, errors: Vec::new(), trusted: false }
    }

    /// Records a problem labelled at `span` (byte range into the rule file).
    pub fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>, help: Option<String>) {
        let message = message.into();
        self.errors.push(RuleError {
            path: self.path.to_owned(),
            label: first_line(&message),
            message,
            src: NamedSource::new(self.path, self.source.to_owned()),
            span: span.map(|r| (r.start, r.end.saturating_sub(r.start)).into()),
            help,
        });
    }

    /// Records a problem about the `[match]` table as a whole.
    pub fn match_error(&mut self, message: impl Into<String>) {
        let span = self.match_span.clone();
        self.error(Some(span), message, None);
    }

    /// Complains about each `[match]` field the kind does not use.
    pub(crate) fn reject_unused(&mut self, kind: Kind, spec: &MatchSpec) {
        let phrase_like = matches!(kind, Kind::Phrase | Kind::Swap | Kind::Count);
        let checks: [(&str, bool, bool); 30] = [
            ("only-with", spec.only_with.is_some(), kind == Kind::Require),
            ("if-document", !spec.if_document.is_empty(), true),
            ("patterns", !spec.patterns.is_empty(), matches!(kind, Kind::Phrase | Kind::Count | Kind::Require)),
            ("words", !spec.words.is_empty(), matches!(kind, Kind::Phrase | Kind::Count | Kind::Require)),
            ("unless", !spec.unless.is_empty(), phrase_like || kind == Kind::Ask),
            ("unless-document", !spec.unless_document.is_empty(), true),
            ("unless-regions", !spec.unless_regions.is_empty(), true),
            ("case-sensitive", spec.case_sensitive.is_some(), phrase_like || kind == Kind::Require),
            ("whole-words", spec.whole_words.is_some(), phrase_like || kind == Kind::Require),
            ("position", spec.position.is_some(), phrase_like || kind == Kind::Require),
            ("last-sentences", spec.last_sentences.is_some(), phrase_like || kind == Kind::Require),
            ("in-ask", spec.in_ask.is_some(), phrase_like),
            ("unless-specific", spec.unless_specific.is_some(), phrase_like),
            ("skip-negated", spec.skip_negated.is_some(), phrase_like),
            ("skip-quoted", spec.skip_quoted.is_some(), phrase_like),
            ("skip-listener-words", spec.skip_listener_words.is_some(), phrase_like),
            ("swap", !spec.swap.is_empty(), kind == Kind::Swap),
            ("applicability", spec.applicability.is_some(), kind == Kind::Swap),
            ("per", spec.per.is_some(), kind == Kind::Count),
            ("min", spec.min.is_some(), matches!(kind, Kind::Count | Kind::Ratio | Kind::Metric)),
            ("max", spec.max.is_some(), matches!(kind, Kind::Count | Kind::Ratio | Kind::Metric)),
            ("numerator", spec.numerator.is_some(), kind == Kind::Ratio),
            ("denominator", spec.denominator.is_some(), kind == Kind::Ratio),
            ("min-count", spec.min_count.is_some(), kind == Kind::Ratio),
            ("min-words", spec.min_words.is_some(), true),
            ("max-words", spec.max_words.is_some(), true),
            ("measure", spec.measure.is_some(), kind == Kind::Metric),
            ("element", spec.element.is_some(), matches!(kind, Kind::Require | Kind::Count)),
            ("min-specificity", spec.min_specificity.is_some(), kind == Kind::Ask),
            ("allow", spec.allow.is_some(), phrase_like),
        ];
        for (field, present, allowed) in checks {
            if present && !allowed {
                let span = self.kind_span.clone();
                self.error(
                    Some(span),
                    format!("`match.{field}` is not used by kind `{}`", kind.as_str()),
                    Some(format!("remove `{field}`, or pick a kind that uses it")),
                );
            }
        }
    }

    /// Compiles patterns and word lists into one [`Pattern`]: words are literal and matched on
    /// word boundaries; patterns are `regex` syntax, wrapped in ASCII word boundaries when
    /// `whole_words` is set. Each pattern is checked alone so errors point at it.
    ///
    /// A user's patterns are compiled here, so every problem is reported at load time; built-in
    /// ones are compiled branch by branch as their literals turn up (see [`crate::pattern`]).
    pub fn compile_alternation(
        &mut self,
        patterns: &[Spanned<String>],
        words: &[Spanned<String>],
        case_sensitive: bool,
        whole_words: bool,
    ) -> Option<Pattern> {
        let options = Options {
            case_insensitive: !case_sensitive,
            size_limit: Some(REGEX_SIZE_LIMIT),
            dfa_size_limit: Some(REGEX_SIZE_LIMIT * 2),
        };
        let well_formed = patterns.iter().all(|p| p.get_ref().chars().count() <= PATTERN_LENGTH_LIMIT)
            && words.iter().all(|w| !w.get_ref().trim().is_empty());
        if well_formed {
            let parts = alternation_parts(patterns, words, whole_words);
            if parts.is_empty() {
                return None;
            }
            if self.trusted {
                return Some(Pattern::new(parts.join("|"), options));
            }
            // One parse per pattern and one compile of the whole, instead of compiling each.
            let parses = parts.iter().take(patterns.len()).all(|p| parses(p, case_sensitive));
            let pattern = Pattern::new(parts.join("|"), options);
            if parses && pattern.compile().is_ok() {
                return Some(pattern);
            }
        }
        self.report_alternation(patterns, words, case_sensitive, whole_words);
        None
    }

    /// Reports every problem with the patterns and words, each at its own span: each pattern is
    /// compiled alone, then all together.
    fn report_alternation(
        &mut self,
        patterns: &[Spanned<String>],
        words: &[Spanned<String>],
        case_sensitive: bool,
        whole_words: bool,
    ) {
        let mut parts: Vec<String> = Vec::new();
        let mut ok = true;
        for pattern in patterns {
            let source = pattern.get_ref();
            if source.chars().count() > PATTERN_LENGTH_LIMIT {
                self.error(
                    Some(pattern.span()),
                    format!("pattern is longer than {PATTERN_LENGTH_LIMIT} characters"),
                    None,
                );
                ok = false;
                continue;
            }
            let wrapped = wrap(source, whole_words);
            if let Err(err) = build_regex(&wrapped, case_sensitive) {
                self.error(
                    Some(pattern.span()),
                    format!("invalid regex: {}", regex_message(&err)),
                    Some(regex_help(&err)),
                );
                ok = false;
                continue;
            }
            parts.push(wrapped);
        }
        for word in words {
            if word.get_ref().trim().is_empty() {
                self.error(Some(word.span()), "empty word in `words`", None);
                ok = false;
            }
        }
        if !ok || parts.is_empty() {
            return;
        }
        parts.extend(alternation_parts(&[], words, whole_words));
        if let Err(err) = build_regex(&parts.join("|"), case_sensitive) {
            self.match_error(format!("the rule's patterns together are too large: {}", regex_message(&err)));
        }
    }

    /// Compiles `unless`-style patterns (matched anywhere in a sentence).
    pub fn compile_unless(&mut self, patterns: &[Spanned<String>], case_sensitive: bool) -> Option<Option<Pattern>> {
        if patterns.is_empty() {
            return Some(None);
        }
        self.compile_alternation(patterns, &[], case_sensitive, false).map(Some)
    }
}

/// The regex of each pattern (wrapped) and then each word (longest first, so "in order to" wins
/// over "in order"), in the order they are tried.
fn alternation_parts(patterns: &[Spanned<String>], words: &[Spanned<String>], whole_words: bool) -> Vec<String> {
    let mut parts: Vec<String> = patterns.iter().map(|p| wrap(p.get_ref(), whole_words)).collect();
    let mut literal: Vec<&Spanned<String>> = words.iter().collect();
    literal.sort_by_key(|w| std::cmp::Reverse(w.get_ref().len()));
    parts.extend(literal.iter().map(|w| w.get_ref().trim()).filter(|w| !w.is_empty()).map(word_pattern));
    parts
}

/// A user pattern as one alternative: in ASCII word boundaries for `whole_words`.
///
/// A `\b` inside a rule pattern is an ASCII word boundary too, as `(?-u:\b)` is: the same
/// boundary as the one put around every pattern and word, and one the fast automata keep to on
/// any text (a Unicode `\b` makes them give up at the first non-ASCII letter, and a 10 MB
/// file then takes five times as long).
fn wrap(source: &str, whole_words: bool) -> String {
    let ascii = crate::pattern::ascii_boundaries(source);
    let source = ascii.as_deref().unwrap_or(source);
    // Built by hand: a pack has thousands of patterns, and `format!` cost more than the rest.
    let mut out = String::with_capacity(source.len() + 2 * "(?-u:\\b)".len() + 4);
    if !whole_words {
        out.push_str("(?:");
        out.push_str(source);
        out.push(')');
        return out;
    }
    // A boundary next to punctuation would demand a word character beyond it: "any update\?"
    // must still match at the very end of a text.
    let ends_in_punctuation =
        [r"\?", r"\.", "!", ",", ":", ";", "!]", ".]", "?]", r"\)"].iter().any(|p| source.ends_with(p));
    let starts_with_punctuation = source.starts_with('!') || source.starts_with(',') || source.starts_with(r"\(");
    if !starts_with_punctuation {
        out.push_str("(?-u:\\b)");
    }
    out.push_str("(?:");
    out.push_str(source);
    out.push(')');
    if !ends_in_punctuation {
        out.push_str("(?-u:\\b)");
    }
    out
}

/// True if `pattern` parses as `regex` would parse it (the errors themselves come from `regex`).
fn parses(pattern: &str, case_sensitive: bool) -> bool {
    regex_syntax::ParserBuilder::new().case_insensitive(!case_sensitive).build().parse(pattern).is_ok()
}

/// A literal word or phrase as a regex: escaped, flexible about inner whitespace and the
/// apostrophe style, with word boundaries on alphanumeric ends.
pub fn word_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    if text.chars().next().is_some_and(char::is_alphanumeric) {
        out.push_str("(?-u:\\b)");
    }
    for (i, piece) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push_str("\\s+");
        }
        for ch in piece.chars() {
            match ch {
                '\'' | '\u{2019}' => out.push_str("['\u{2019}]"),
                '-' => out.push_str("[-\u{2010}\u{2011} ]"),
                _ => regex_syntax::escape_into(ch.encode_utf8(&mut [0; 4]), &mut out),
            }
        }
    }
    if text.chars().last().is_some_and(char::is_alphanumeric) {
        out.push_str("(?-u:\\b)");
    }
    out
}

fn build_regex(pattern: &str, case_sensitive: bool) -> Result<regex::Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT * 2)
        .build()
}

fn regex_message(err: &regex::Error) -> String {
    match err {
        regex::Error::CompiledTooBig(limit) => format!("compiled pattern exceeds the size limit of {limit} bytes"),
        other => {
            let last = other.to_string().lines().last().unwrap_or("syntax error").trim().to_owned();
            last.strip_prefix("error: ").unwrap_or(&last).to_owned()
        }
    }
}

fn regex_help(err: &regex::Error) -> String {
    match err {
        regex::Error::CompiledTooBig(_) => "split the pattern or use `words` for literal lists".to_owned(),
        _ => "patterns use the `regex` crate's syntax: no look-around or backreferences; use `unless` for exceptions"
            .to_owned(),
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").to_owned()
}

/// Loads the embedded pack.
pub fn load_builtin() -> Result<RuleSet, RuleErrors> {
    load_sources(BUILTIN_RULE_FILES, true).map(RuleSet::with_notices)
}

/// Loads the embedded pack without its examples, for linting: a rule file's `[examples]` table
/// closes it and is a fifth of it, and only `explain`, `rules` and the self-test read it. The
/// rules are otherwise the same as [`load_builtin`]'s (a test compares them).
///
/// Each file is read from the JSON the build made of it (`BUILTIN_RULE_HEADS`, see `build.rs`),
/// which gives the same [`RuleFile`] several times faster than parsing the TOML.
pub fn load_builtin_for_linting() -> Result<RuleSet, RuleErrors> {
    let heads: Vec<(&str, &str)> =
        BUILTIN_RULE_FILES.iter().map(|&(path, source)| (path, without_examples(source))).collect();
    load_parsed(&heads, Some(BUILTIN_RULE_HEADS), true, false).map(RuleSet::with_notices)
}

/// A built-in rule file up to its `[examples]` table, which closes it (checked by a test).
fn without_examples(source: &str) -> &str {
    memchr::memmem::find_iter(source.as_bytes(), b"\n[examples]")
        .find(|&at| source.get(at + "\n[examples]".len()..).is_some_and(|rest| rest.starts_with(['\n', '\r'])))
        .and_then(|at| source.get(..=at))
        .unwrap_or(source)
}

/// Finds every `.toml` file under `dir`, sorted by path.
///
/// # Errors
/// A directory that cannot be read becomes a [`RuleError`].
pub fn discover(dir: &Path) -> Result<Vec<PathBuf>, RuleErrors> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(dir, &mut files, &mut errors, 0);
    files.sort();
    if errors.is_empty() { Ok(files) } else { Err(RuleErrors { errors }) }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>, errors: &mut Vec<RuleError>, depth: usize) {
    if depth > 16 {
        return;
    }
    match fs::read_dir(dir) {
        Ok(entries) => {
            for entry in entries.flatten() {
                let path = entry.path();
                // Symlinked directories are not followed (no loops); symlinked files are read.
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir {
                    walk(&path, files, errors, depth + 1);
                } else if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
                    files.push(path);
                }
            }
        }
        Err(err) => {
            let path = dir.display().to_string();
            let mut cx = CompileCx::new(&path, "");
            cx.error(None, format!("cannot read rule directory: {err}"), None);
            errors.extend(cx.errors);
        }
    }
}

/// Reads and loads every rule file in the given directories (or single files).
///
/// # Errors
/// Every problem in every file, together.
pub fn load_paths(paths: &[PathBuf]) -> Result<Vec<(String, String)>, RuleErrors> {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let files = if path.is_dir() {
            match discover(path) {
                Ok(files) => files,
                Err(e) => {
                    errors.extend(e.errors);
                    continue;
                }
            }
        } else {
            vec![path.clone()]
        };
        for file in files {
            let display = file.display().to_string();
            match read_rule_file(&file) {
                Ok(text) => sources.push((display, text)),
                Err(message) => {
                    let mut cx = CompileCx::new(&display, "");
                    cx.error(None, message, None);
                    errors.extend(cx.errors);
                }
            }
        }
    }
    if errors.is_empty() { Ok(sources) } else { Err(RuleErrors { errors }) }
}

/// Reads one rule file: a regular file, at most [`RULE_FILE_SIZE_LIMIT`] bytes, UTF-8.
fn read_rule_file(path: &Path) -> Result<String, String> {
    let describe = |err: std::io::Error| match err.kind() {
        std::io::ErrorKind::NotFound => "cannot read rule file: no such file or directory".to_owned(),
        _ => format!("cannot read rule file: {err}"),
    };
    let file = fs::File::open(path).map_err(describe)?;
    if !file.metadata().map_err(describe)?.is_file() {
        return Err("cannot read rule file: not a regular file or directory".to_owned());
    }
    let mut bytes = Vec::new();
    file.take(RULE_FILE_SIZE_LIMIT + 1).read_to_end(&mut bytes).map_err(describe)?;
    if bytes.len() as u64 > RULE_FILE_SIZE_LIMIT {
        return Err(format!("rule file is larger than {RULE_FILE_SIZE_LIMIT} bytes"));
    }
    String::from_utf8(bytes)
        .map_err(|e| format!("rule file is not valid UTF-8 (first bad byte at {})", e.utf8_error().valid_up_to()))
}

/// Loads rules from `(path, source)` pairs, checking codes and names are unique across them.
///
/// # Errors
/// Every problem in every file, together.
pub fn load_sources<P, S>(sources: &[(P, S)], builtin: bool) -> Result<RuleSet, RuleErrors>
where
    P: AsRef<str> + Sync,
    S: AsRef<str> + Sync,
{
    load_all(sources, builtin, true)
}

/// [`load_sources`], reading each file's examples or (built-in files only) leaving them out.
fn load_all<P, S>(sources: &[(P, S)], builtin: bool, examples: bool) -> Result<RuleSet, RuleErrors>
where
    P: AsRef<str> + Sync,
    S: AsRef<str> + Sync,
{
    load_parsed(sources, None, builtin, examples)
}

/// [`load_all`], each source read from `json[i]` instead where that is given and not empty.
fn load_parsed<P, S>(
    sources: &[(P, S)],
    json: Option<&[&str]>,
    builtin: bool,
    examples: bool,
) -> Result<RuleSet, RuleErrors>
where
    P: AsRef<str> + Sync,
    S: AsRef<str> + Sync,
{
    // Parsing and checking a rule file takes as long as linting a pitch: spread over the cores,
    // then gathered in file order so that rules and errors keep it.
    let loaded: Vec<_> = sources
        .par_iter()
        .enumerate()
        .map(|(i, (path, source))| {
            let json = json.and_then(|all| all.get(i)).copied().filter(|j| !j.is_empty());
            load_rule(path.as_ref(), source.as_ref(), json, builtin, examples)
        })
        .collect();
    let mut rules = Vec::with_capacity(loaded.len());
    let mut errors = Vec::new();
    for outcome in loaded {
        match outcome {
            Ok(rule) => rules.push(rule),
            Err(errs) => errors.extend(errs),
        }
    }
    if errors.is_empty() { Ok(RuleSet::from_rules(rules)) } else { Err(RuleErrors { errors }) }
}

/// Adds `extra` rules to `base`, rejecting codes or names that are already taken.
///
/// # Errors
/// One problem per clash, labelled in the extra file.
pub fn merge(base: RuleSet, extra: RuleSet, sources: &[(String, String)]) -> Result<RuleSet, RuleErrors> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut all: Vec<Rule> = Vec::new();
    for rule in base.rules.into_iter().chain(extra.rules) {
        let mut clash = None;
        for key in [rule.code.to_ascii_uppercase(), rule.name.clone()] {
            if let Some(other) = seen.get(&key) {
                clash = Some((key, other.clone()));
            }
        }
        if let Some((key, other)) = clash {
            let source = sources.iter().find(|(p, _)| *p == rule.origin.path).map_or("", |(_, s)| s.as_str());
            let mut cx = CompileCx::new(&rule.origin.path, source);
            let span = source.find(&format!("\"{key}\"")).map(|at| at..at + key.len() + 2);
            cx.error(
                span,
                format!("duplicate rule `{key}`: already defined in {other}"),
                Some("give the rule a new code and name".into()),
            );
            errors.extend(cx.errors);
            continue;
        }
        seen.insert(rule.code.to_ascii_uppercase(), rule.origin.path.clone());
        seen.insert(rule.name.clone(), rule.origin.path.clone());
        all.push(rule);
    }
    if errors.is_empty() { Ok(RuleSet::from_rules(all)) } else { Err(RuleErrors { errors }) }
}

/// Parses, validates and compiles one rule file; without `examples` (a built-in file cut before
/// them), the rule has none. `json`, if given, is `source` as the build wrote it: read instead.
fn load_rule(
    path: &str,
    source: &str,
    json: Option<&str>,
    builtin: bool,
    examples: bool,
) -> Result<Rule, Vec<RuleError>> {
    let mut cx = CompileCx::new(path, source);
    cx.trusted = builtin;
    let parsed = json.and_then(|json| serde_json::from_str::<RuleFile>(json).ok());
    let file: RuleFile = match parsed.map_or_else(|| toml::from_str(source), Ok) {
        Ok(file) => file,
        Err(err) => {
            let message = err.message().trim().to_owned();
            cx.error(
                err.span(),
                message,
                Some("see `pitchlint explain` output of a built-in rule for the format".into()),
            );
            return Err(cx.errors);
        }
    };
    cx.kind_span = file.kind.span();
    cx.match_span = file.matcher.as_ref().map_or(file.kind.span(), Spanned::span);

    let code = file.code.get_ref().clone();
    let name = file.name.get_ref().clone();
    let category = *file.category.get_ref();
    validate_identity(&mut cx, &file, path, category);

    let message = compile_template(&mut cx, &file.message);
    let rewrites = Rewrites::new(file.rewrite.iter().filter_map(|r| compile_template(&mut cx, r)).collect());
    let empty = MatchSpec::default();
    let spec = file.matcher.as_ref().map_or(&empty, Spanned::get_ref);
    let check = Check::compile(*file.kind.get_ref(), spec, &mut cx);
    let gate = DocumentGate::compile(spec, &mut cx);
    let examples =
        if examples || !builtin { validate_examples(&mut cx, &file, check.as_ref()) } else { Examples::default() };

    let scope = if file.scope.is_empty() { ScopeSet::default_scope() } else { ScopeSet::from_kinds(&file.scope) };
    if file.scope.iter().any(|k| matches!(k, RegionKind::Quote | RegionKind::Signature | RegionKind::Header)) {
        cx.error(None, "`scope` may name subject, greeting, body and sign-off only: quotes, signatures and headers are never linted", None);
    }
    let (Some(message), Some(check), Some(gate), true) = (message, check, gate, cx.errors.is_empty()) else {
        return Err(cx.errors);
    };
    let rule = Rule {
        code,
        name,
        category,
        severity: file.severity,
        kind: *file.kind.get_ref(),
        message,
        label: file.label.map(std::sync::Arc::from),
        help: file.help.trim().to_owned(),
        rationale: file.rationale.trim().to_owned(),
        rewrites,
        profiles: file.profiles.iter().copied().filter(|p| *p != Profile::Auto).collect(),
        scope,
        check,
        gate,
        examples,
        origin: RuleOrigin { path: path.to_owned(), builtin },
    };
    Ok(rule)
}

fn validate_identity(cx: &mut CompileCx<'_>, file: &RuleFile, path: &str, category: Category) {
    let code = file.code.get_ref();
    let prefix = category.prefix();
    let digits = code.strip_prefix(prefix);
    if !digits.is_some_and(|d| d.len() == 3 && d.chars().all(|c| c.is_ascii_digit())) {
        cx.error(
            Some(file.code.span()),
            format!(
                "code `{code}` does not match category `{}`: expected `{prefix}` and three digits",
                category.as_str()
            ),
            Some(format!("e.g. `{prefix}101`")),
        );
    }
    let name = file.name.get_ref();
    let stem = Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("");
    if name != stem {
        cx.error(
            Some(file.name.span()),
            format!("name `{name}` must equal the file name `{stem}`"),
            Some(format!("rename the file to `{name}.toml` or the rule to `{stem}`")),
        );
    }
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        cx.error(Some(file.name.span()), format!("name `{name}` must be kebab-case (a-z, 0-9, -)"), None);
    }
}

fn compile_template(cx: &mut CompileCx<'_>, text: &Spanned<String>) -> Option<Template> {
    match Template::parse(text.get_ref()) {
        Ok(t) => Some(t),
        Err(msg) => {
            cx.error(Some(text.span()), msg, None);
            None
        }
    }
}

fn validate_examples(cx: &mut CompileCx<'_>, file: &RuleFile, check: Option<&Check>) -> Examples {
    let Some(spec) = &file.examples else {
        cx.error(
            Some(file.name.span()),
            "rule has no `[examples]`: every rule needs at least one `flag` and one `pass` example",
            Some("add `[examples]` with `flag = [\"… [[marked span]] …\"]` and `pass = [\"…\"]`".into()),
        );
        return Examples::default();
    };
    let span = spec.span();
    let ExamplesSpec { flag, pass, fix, profile } = spec.get_ref();
    if flag.is_empty() || pass.is_empty() {
        cx.error(Some(span.clone()), "examples need at least one `flag` and one `pass` sentence", None);
    }
    for example in flag {
        match selftest::parse_markers(example) {
            Ok((_, spans)) if spans.is_empty() => {
                cx.error(Some(span.clone()), format!("flag example has no `[[marked]]` span: {example:?}"), None)
            }
            Ok(_) => {}
            Err(msg) => cx.error(Some(span.clone()), format!("{msg}: {example:?}"), None),
        }
    }
    for example in pass {
        if example.contains("[[") {
            cx.error(Some(span.clone()), format!("pass example must not contain markers: {example:?}"), None);
        }
    }
    if check.is_some_and(|c| c.fix_applicability().is_some()) && fix.is_empty() {
        cx.error(Some(span.clone()), "a fixable rule needs at least one `[[examples.fix]]` before/after pair", None);
    }
    Examples {
        flag: flag.clone(),
        pass: pass.clone(),
        fix: fix.iter().map(|f| (f.before.clone(), f.after.clone())).collect(),
        profile: profile.unwrap_or_else(|| file.profiles.first().copied().unwrap_or(Profile::Pitch)),
    }
}

#[cfg(test)]
mod tests {
    use super::{
        BUILTIN_RULE_FILES, BUILTIN_RULE_HEADS, RuleFile, load_builtin, load_builtin_for_linting, without_examples,
        word_pattern,
    };

    #[test]
    fn the_json_of_each_built_in_file_reads_as_its_toml() {
        assert_eq!(BUILTIN_RULE_FILES.len(), BUILTIN_RULE_HEADS.len());
        for ((path, source), json) in BUILTIN_RULE_FILES.iter().zip(BUILTIN_RULE_HEADS) {
            let head = without_examples(source);
            let from_toml: RuleFile = toml::from_str(head).unwrap_or_else(|e| panic!("{path}: {e}"));
            let from_json: RuleFile = serde_json::from_str(json).unwrap_or_else(|e| panic!("{path}: {e}"));
            // Spans included: `Spanned` shows its span.
            assert_eq!(format!("{from_toml:?}"), format!("{from_json:?}"), "{path}");
            // The first value of every file is its quoted code: its span is where the quotes are.
            let start = source.find('"').unwrap_or_default();
            let end = start + 2 + source.get(start + 1..).and_then(|rest| rest.find('"')).unwrap_or_default();
            assert!(format!("{from_json:?}").contains(&format!("span: {start}..{end}")), "{path}: {start}..{end}");
        }
    }

    #[test]
    fn the_examples_close_every_built_in_file() {
        for (path, source) in BUILTIN_RULE_FILES {
            let head = without_examples(source);
            assert!(head.len() < source.len(), "{path} has an `[examples]` table");
            let tail = source.get(head.len()..).unwrap_or_default();
            for line in tail.lines().filter(|l| l.starts_with('[')) {
                assert!(
                    line.starts_with("[examples") || line.starts_with("[[examples."),
                    "{path}: {line} after the examples"
                );
            }
        }
    }

    #[test]
    fn linting_loads_the_same_rules_without_their_examples() {
        let (Ok(full), Ok(linting)) = (load_builtin(), load_builtin_for_linting()) else {
            panic!("the built-in pack loads both ways");
        };
        assert_eq!(full.len(), linting.len());
        for (a, b) in full.rules().iter().zip(linting.rules()) {
            if a.origin.path.ends_with(".toml") {
                assert!(!a.examples.flag.is_empty() && b.examples.flag.is_empty(), "{}", a.code);
            }
            let without = |rule: &super::Rule| format!("{rule:?}").replace(&format!("{:?}", rule.examples), "");
            assert_eq!(without(a), without(b), "{}", a.code);
        }
    }

    #[test]
    fn a_word_becomes_an_escaped_flexible_pattern() {
        let pattern = word_pattern("e.g. (c++) don't  co-op");
        assert_eq!(
            pattern,
            "(?-u:\\b)e\\.g\\.\\s+\\(c\\+\\+\\)\\s+don['\u{2019}]t\\s+co[-\u{2010}\u{2011} ]op(?-u:\\b)"
        );
        let regex = regex::Regex::new(&pattern).unwrap_or_else(|e| panic!("{e}"));
        assert!(regex.is_match("see e.g. (c++) don\u{2019}t\nco op here"));
        assert!(!regex.is_match("see eXg. (c++) don't co-op"));
        assert_eq!(word_pattern("?"), "\\?");
    }
}
