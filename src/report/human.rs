//! Friendly output: each finding as a miette snippet with the rule, the message, a label on the
//! exact span, the advice and the rewrite; then one summary line per file.

use std::fmt;
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use super::{EmitContext, FileReport, Tally};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::rules::{Rule, Severity};

/// Rendering options for the human format.
#[derive(Copy, Clone, Debug)]
pub struct HumanOptions {
    /// Use colour.
    pub color: bool,
    /// Wrap width.
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        Self { color: false, width: 100 }
    }
}

/// A finding borrowed for miette: no copy of the source per finding.
struct Finding<'a> {
    d: &'a Diagnostic,
    rule: &'a Rule,
    src: &'a NamedSource<String>,
    heading: String,
}

impl fmt::Debug for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let mut text = self.rule.help.clone();
        for rewrite in &self.d.rewrites {
            text.push_str(&format!("\nrewrite: \"{rewrite}\""));
        }
        if let Some(fix) = &self.d.fix {
            let how = match fix.applicability {
                Applicability::Safe => "--fix applies this",
                Applicability::Unsafe => "--fix --unsafe-fixes applies this",
                Applicability::DisplayOnly => "shown only",
            };
            text.push_str(&format!(" ({how})"));
        }
        if text.is_empty() { None } else { Some(Box::new(text)) }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = self.d.label.clone().or_else(|| Some(self.rule.name.clone()));
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(label, self.d.span))))
    }
}

pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    let theme = if cx.human.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(cx.human.width).with_context_lines(1);
    for file in files {
        if !file.diagnostics.is_empty() {
            let src = NamedSource::new(&file.path, file.source.clone());
            for d in &file.diagnostics {
                let Some(rule) = cx.rule(d) else { continue };
                let heading = format!("{}[{}] {}: {}", d.severity.as_str(), rule.code, rule.name, d.message);
                let finding = Finding { d, rule, src: &src, heading };
                let mut rendered = String::new();
                if handler.render_report(&mut rendered, &finding).is_err() {
                    rendered = format!("{}\n", finding.heading);
                }
                out.write_all(rendered.as_bytes())?;
            }
        }
        writeln!(out, "{}", summary_line(file))?;
    }
    if files.len() > 1 {
        let tally = Tally::of(files.iter().flat_map(|f| &f.diagnostics));
        writeln!(out, "{} files checked: {}", files.len(), tally.describe())?;
    }
    Ok(())
}

/// "pitch.txt: 3 findings (1 error, 2 warnings) · score 58/100 · 41 s spoken at 150 wpm".
pub fn summary_line(file: &FileReport) -> String {
    let tally = Tally::of(&file.diagnostics);
    let mut line = format!("{}: {} · score {}/100", file.path, tally.describe(), file.grade.score.round());
    if file.profile == crate::text::Profile::Pitch {
        line.push_str(&format!(" · {} s spoken at {} wpm", file.seconds.round(), file.words_per_minute));
    } else {
        line.push_str(&format!(" · {} words", file.words));
    }
    line
}
