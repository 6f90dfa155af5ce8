//! Command-line arguments ("low-level" args, as typed). `settings` turns them, together with
//! the config files, into what a run uses.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::OutputFormat;
use crate::rules::Severity;
use crate::text::Profile;

/// Lint elevator pitches and networking follow-ups: vague asks, me-focus, hard selling.
#[derive(Debug, Parser)]
#[command(name = "pitchlint", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint pitches and drafts (files, directories, or - for stdin).
    Check(CheckArgs),
    /// Score every file against a rubric, with a class summary.
    Grade(crate::cli::grade::GradeArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Explain a rule: what it flags, why, examples and how to rewrite.
    Explain(ExplainArgs),
    /// Run the examples embedded in rule files.
    TestRules(TestRulesArgs),
    /// Precision and recall per category on a labelled JSONL corpus.
    Eval(crate::cli::eval::EvalArgs),
    /// Write a commented starter pitchlint.toml.
    Init(InitArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
}

/// Options shared by `check` and `grade`: which rules, which config, which profile.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleOptions {
    /// Run only these rules: codes, code prefixes, names or categories (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Option<Vec<String>>,
    /// Skip these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Add these rules to the selection.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub extend_select: Vec<String>,
    /// Add a rule pack (a directory of rule files); repeatable.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
    /// What kind of text this is.
    #[arg(long, value_enum)]
    pub profile: Option<Profile>,
    /// Speaking rate for spoken length (words per minute).
    #[arg(long, value_name = "WPM", value_parser = clap::value_parser!(u32).range(60..=400))]
    pub words_per_minute: Option<u32>,
    /// Use this config file instead of searching for pitchlint.toml.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every config file.
    #[arg(long)]
    pub isolated: bool,
    /// Name to use for standard input (its extension picks the format).
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,
}

/// `pitchlint check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories (walked for .txt, .md, .eml); - reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format (human on a terminal).
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
    /// Rule selection, config and profile.
    #[command(flatten)]
    pub rules: RuleOptions,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum)]
    pub fail_on: Option<SeverityArg>,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// Print how often each rule fired.
    #[arg(long)]
    pub statistics: bool,
    /// No colour (also NO_COLOR).
    #[arg(long)]
    pub no_color: bool,
    /// Apply safe rewrites in place.
    #[arg(long)]
    pub fix: bool,
    /// With --fix or --diff, also apply unsafe rewrites.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the rewrites as a unified diff; write nothing.
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,
}

/// Formats of `check`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Annotated snippets.
    Human,
    /// One line per finding.
    Concise,
    /// Versioned JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML, one test case per file.
    Junit,
}

impl CheckFormat {
    /// The report module's format, for the formats it renders.
    pub fn as_output(self) -> Option<OutputFormat> {
        match self {
            Self::Human => Some(OutputFormat::Human),
            Self::Concise => Some(OutputFormat::Concise),
            Self::Json => Some(OutputFormat::Json),
            Self::Sarif | Self::Github | Self::Junit => None,
        }
    }
}

/// A severity on the command line.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    /// Only errors fail.
    Error,
    /// Warnings and errors fail (default).
    Warning,
    /// Any finding fails.
    Info,
}

impl From<SeverityArg> for Severity {
    fn from(value: SeverityArg) -> Self {
        match value {
            SeverityArg::Error => Self::Error,
            SeverityArg::Warning => Self::Warning,
            SeverityArg::Info => Self::Info,
        }
    }
}

/// `pitchlint rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: RulesFormat,
    /// Include a rule pack.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// Formats of `rules`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// Aligned columns.
    Table,
    /// A JSON array.
    Json,
    /// A Markdown table.
    Markdown,
}

/// `pitchlint explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule code or name.
    pub rule: String,
    /// Include a rule pack.
    #[arg(long = "rules", value_name = "DIR")]
    pub rule_dirs: Vec<PathBuf>,
}

/// `pitchlint test-rules`.
#[derive(Debug, Args)]
pub struct TestRulesArgs {
    /// Rule packs to test (the built-in pack when none).
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

/// `pitchlint init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write pitchlint.toml in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing pitchlint.toml.
    #[arg(long)]
    pub force: bool,
}

/// `pitchlint completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}
