//! Friendly output: each finding as a miette snippet with the rule, the message, a label on the
//! exact span, the advice and the rewrite; then one summary line per file.

use std::fmt;
use std::io::{self, Write};

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use super::{EmitContext, FileReport, Tally};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::rules::{Rule, Severity};
use crate::span::{LineIndex, Span, floor_char_boundary};

/// Longest stretch of source (context lines included) shown as it is in one snippet.
const MAX_EXCERPT_BYTES: usize = 2048;
/// Bytes shown either side of a finding on a line too long to show whole.
const WINDOW_BYTES: usize = 120;
/// Longest part of a finding's span that is underlined (the rest is still in the position).
const MAX_LABEL_BYTES: usize = 600;

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
    src: &'a Excerpt<'a>,
    heading: String,
}

/// The source of one file as miette reads it, in bounded pieces: lines are found with the file's
/// [`LineIndex`] (not by scanning from the start for every finding), and a line too long to show
/// (a 5 MB single-line file) is cut to a window around the finding. Rendering a file therefore
/// costs time linear in its findings, not in findings times file size.
struct Excerpt<'a> {
    name: &'a str,
    source: &'a str,
    lines: &'a LineIndex,
}

impl Excerpt<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.lines.line_col(self.source, offset).line
    }
}

impl SourceCode for Excerpt<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let len = self.source.len();
        if span.offset() > len {
            return Err(MietteError::OutOfBounds);
        }
        let start = floor_char_boundary(self.source, span.offset());
        let end = floor_char_boundary(self.source, span.offset().saturating_add(span.len())).max(start);
        let first = self.line_of(start);
        let last = self.line_of(end.saturating_sub(1).max(start));
        let context_first = first.saturating_sub(before).max(1);
        let context_last = (last + after).min(self.lines.line_count());
        let mut from = if before == 0 { start } else { self.lines.line_span(self.source, context_first).start };
        let mut to = self.lines.line_span(self.source, context_last).end.max(end);
        if to - from > MAX_EXCERPT_BYTES {
            // Too much to show: only the finding's own lines, cut to a window around it.
            let line_start = self.lines.line_span(self.source, first).start;
            let line_end = self.lines.line_span(self.source, last).end.max(end);
            let window_start = if before == 0 { start } else { start.saturating_sub(WINDOW_BYTES).max(line_start) };
            from = floor_char_boundary(self.source, window_start);
            to = ceil_char_boundary(self.source, end.saturating_add(WINDOW_BYTES).min(line_end));
        }
        let at = self.lines.line_col(self.source, from);
        let lines_shown = self.line_of(to) + 1 - at.line;
        let data = self.source.get(from..to).unwrap_or("").as_bytes();
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_owned(),
            data,
            (from, to - from).into(),
            at.line - 1,
            at.column - 1,
            lines_shown,
        )))
    }
}

/// The smallest char boundary at or above `offset` (clamped to the source).
fn ceil_char_boundary(source: &str, mut offset: usize) -> usize {
    offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset += 1;
    }
    offset
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
        for rewrite in self.d.rewrites.iter() {
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
        let label = Some(self.d.label.as_deref().unwrap_or(&self.rule.name).to_owned());
        let span = self.d.span;
        let end = if span.len() > MAX_LABEL_BYTES {
            floor_char_boundary(self.src.source, span.start + MAX_LABEL_BYTES).max(span.start)
        } else {
            span.end
        };
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(label, Span::new(span.start, end)))))
    }
}

pub(super) fn emit(out: &mut dyn Write, files: &[FileReport], cx: &EmitContext<'_>) -> io::Result<()> {
    let theme = if cx.human.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(cx.human.width).with_context_lines(1);
    for file in files {
        if !file.diagnostics.is_empty() {
            let src = Excerpt { name: &file.path, source: &file.source, lines: &file.lines };
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
