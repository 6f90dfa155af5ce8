//! Notices: findings the engine reports about the input itself rather than its wording, such as
//! an `.eml` that is not readable MIME or a suppression comment that suppresses nothing.
//!
//! No text pattern detects these, so they cannot be rule files; they are rules defined here, of
//! kind `notice`, added to the built-in pack. Being rules, they have a code, appear in
//! `pitchlint rules`, can be selected, ignored and re-levelled like any other, and render in
//! every output format. Suppression directives never suppress a notice. Their codes sit at the
//! end of the follow-up range (FU997–FU999) so that rule packs, which number from the start,
//! do not collide with them.

use super::template::{Rewrites, Template, Vars};
use super::{Category, Check, Examples, Kind, Rule, RuleOrigin, RuleSet, ScopeSet, Severity};
use crate::diagnostic::Diagnostic;
use crate::engine::Linter;
use crate::span::Span;
use crate::text::{Document, NoteKind, Profile};

/// The closed set of notices.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Notice {
    /// An `.eml` that could not be read as MIME and was linted as plain text.
    UnreadableMessage,
    /// Findings in a body that had to be decoded: their positions refer to the decoded text.
    DecodedBody,
    /// A suppression directive that suppressed nothing, or names no rule.
    UnusedSuppression,
}

impl Notice {
    /// Every notice, in code order.
    pub const ALL: [Notice; 3] = [Self::UnreadableMessage, Self::DecodedBody, Self::UnusedSuppression];

    /// The notice's rule code.
    pub fn code(self) -> &'static str {
        match self {
            Self::UnreadableMessage => "FU997",
            Self::DecodedBody => "FU998",
            Self::UnusedSuppression => "FU999",
        }
    }

    /// The notice's rule name.
    pub fn name(self) -> &'static str {
        match self {
            Self::UnreadableMessage => "unreadable-message",
            Self::DecodedBody => "decoded-body",
            Self::UnusedSuppression => "unused-suppression",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::UnreadableMessage => "linted as plain text",
            Self::DecodedBody => "the decoded text starts here",
            Self::UnusedSuppression => "suppresses nothing",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Self::UnreadableMessage => "Export the draft again from your mail client, or save it as .txt",
            Self::DecodedBody => {
                "Lines and columns of this file's findings count lines of the decoded text shown; --fix leaves encoded bodies alone"
            }
            Self::UnusedSuppression => "Remove the directive, or correct the rule code it names",
        }
    }

    fn rationale(self) -> &'static str {
        match self {
            Self::UnreadableMessage => {
                "**What it flags.** An `.eml` file that is not a readable MIME message: no header block, a \
                 multipart message whose boundary never appears, or a body whose transfer encoding is \
                 damaged.\n\n**Why it matters.** pitchlint cannot tell the headers, the text and the \
                 attachments apart, so it lints the file as plain text; some findings may be about \
                 encoded noise rather than your words.\n\n**Instead.** Export the message again, or \
                 lint the draft as a `.txt` file."
            }
            Self::DecodedBody => {
                "**What it flags.** A message whose text is stored quoted-printable, base64 or only as \
                 HTML. pitchlint lints the decoded text, so the positions of its findings count lines \
                 of that decoded text (shown in the report), not lines of the raw file.\n\n**Why it \
                 matters.** An editor opened on the raw `.eml` shows different line numbers; and \
                 `--fix` cannot rewrite encoded text, so it leaves such bodies alone.\n\n**Instead.** \
                 Find the finding by its quoted text, or lint the draft before it is encoded."
            }
            Self::UnusedSuppression => {
                "**What it flags.** A `pitchlint: ignore` line or `<!-- pitchlint-disable -->` comment \
                 that suppressed no finding in this run, or that names no rule.\n\n**Why it matters.** \
                 Stale suppressions hide future findings for no reason, and a mistyped code \
                 suppresses nothing at all.\n\n**Instead.** Remove the directive once the text is \
                 fixed, or correct the code (`pitchlint rules` lists them)."
            }
        }
    }

    fn examples(self) -> Examples {
        let (flag, pass): (&[&str], &[&str]) = match self {
            Self::UnusedSuppression => (
                &[
                    "[[pitchlint: ignore]]\nThanks for the coffee on Tuesday.",
                    "[[pitchlint: ignore XX999]]\nSee you then.",
                ],
                &["Thanks for the coffee on Tuesday."],
            ),
            Self::UnreadableMessage | Self::DecodedBody => (&[], &["Thanks for the coffee on Tuesday."]),
        };
        Examples {
            flag: flag.iter().map(|s| (*s).to_owned()).collect(),
            pass: pass.iter().map(|s| (*s).to_owned()).collect(),
            fix: Vec::new(),
            profile: Profile::Email,
        }
    }

    fn rule(self) -> Option<Rule> {
        // The message is the detail the engine supplies, so every notice reads naturally.
        let message = Template::parse("{match}").ok()?;
        Some(Rule {
            code: self.code().to_owned(),
            name: self.name().to_owned(),
            category: Category::FollowUp,
            severity: Severity::Info,
            kind: Kind::Notice,
            message,
            label: Some(self.label().into()),
            help: self.help().to_owned(),
            rationale: self.rationale().to_owned(),
            rewrites: Rewrites::default(),
            profiles: Vec::new(),
            scope: ScopeSet::default_scope(),
            check: Check::Notice(self),
            gate: crate::rules::gate::DocumentGate::default(),
            examples: self.examples(),
            origin: RuleOrigin { path: "src/rules/notice.rs".to_owned(), builtin: true },
        })
    }
}

impl From<NoteKind> for Notice {
    fn from(kind: NoteKind) -> Self {
        match kind {
            NoteKind::UnreadableMessage => Self::UnreadableMessage,
            NoteKind::DecodedBody => Self::DecodedBody,
        }
    }
}

impl RuleSet {
    /// This set with the notice rules appended (used for the built-in pack).
    pub(crate) fn with_notices(self) -> Self {
        let mut rules = self.rules;
        rules.extend(Notice::ALL.into_iter().filter_map(Notice::rule));
        Self::from_rules(rules)
    }

    /// Index of a notice's rule, if the set has it.
    pub fn notice_index(&self, notice: Notice) -> Option<usize> {
        self.rules.iter().position(|r| matches!(r.check, Check::Notice(n) if n == notice))
    }
}

/// Builds the finding for `notice` at `span` with `message`, if its rule is in the linter's set
/// and enabled.
pub(crate) fn finding(linter: &Linter, notice: Notice, span: Span, message: String) -> Option<Diagnostic> {
    let index = linter.rules().notice_index(notice)?;
    if !linter.enabled().contains(&index) {
        return None;
    }
    let rule = linter.rules().get(index)?;
    Some(Diagnostic {
        rule: index,
        severity: linter.severity(index),
        span,
        message: rule.message.render(&Vars { matched: &message, ..Vars::default() }),
        label: rule.label.clone(),
        rewrites: std::sync::Arc::default(),
        fix: None,
    })
}

/// Adds the document's own notes (an unreadable message; a decoded body, reported only when
/// there are findings whose positions it explains).
pub(crate) fn report_notes(linter: &Linter, doc: &Document<'_>, out: &mut Vec<Diagnostic>) {
    let has_findings = out.iter().any(|d| !is_notice(linter, d));
    for note in doc.notes() {
        if note.kind == NoteKind::DecodedBody && !has_findings {
            continue;
        }
        out.extend(finding(linter, note.kind.into(), note.span, note.detail.clone()));
    }
}

/// True if the finding comes from a notice rule.
pub(crate) fn is_notice(linter: &Linter, d: &Diagnostic) -> bool {
    linter.rules().get(d.rule).is_some_and(|r| r.kind == Kind::Notice)
}
