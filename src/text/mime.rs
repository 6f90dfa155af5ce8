//! `.eml` messages: which text the rules read, and where its positions point.
//!
//! The message is parsed with `mail-parser`. Headers are never linted except the subject's text.
//! The linted body is the first `text/plain` part, else the first `text/html` part converted to
//! text ([`super::html`]). Then one of two things holds, and [`MailText`] says which:
//!
//! - **Original.** The chosen part is stored unencoded (7bit/8bit/binary, including single-part
//!   messages) and the subject is not RFC 2047 encoded. Regions are classified over the original
//!   bytes, so every span, line and column points into the file, and `--fix` can rewrite it. The
//!   header block is a header region except the subject's value; MIME preambles, part headers,
//!   other parts and boundaries are header regions too; the part's body is classified like a
//!   plain draft.
//! - **Decoded.** The body is quoted-printable or base64, or only HTML, or the subject is
//!   encoded. The bytes in the file are not what the writer wrote, so the rules read a
//!   *rendering*: the root header block as stored (an encoded subject replaced by its decoded
//!   text), then the decoded body. Findings' spans, lines and columns refer to that rendering,
//!   which the report shows as the file's text; header lines keep their line numbers, body lines
//!   count from the blank line after the headers. A `decoded-body` notice says so whenever there
//!   are findings, and fixes are never applied to a rendering (the CLI checks
//!   [`super::LintText::is_decoded`]).
//!
//! A file that is not readable MIME (no header block, no text part because a boundary never
//! appears, a damaged transfer encoding) is linted as plain text, with its header block masked if
//! one was found, and an `unreadable-message` notice; never an error.

use mail_parser::{Encoding, HeaderName, Message, MessageParser, MessagePart, PartType};

use super::{Note, NoteKind, Region, RegionKind, classify_plain, html};
use crate::span::Span;

/// The text of a message as the rules read it.
#[derive(Clone, Debug, PartialEq)]
pub enum MailText {
    /// Regions over the original source.
    Original {
        /// Sorted regions covering the source.
        regions: Vec<Region>,
        /// Notes about the reading (an unreadable message).
        notes: Vec<Note>,
    },
    /// A decoded rendering of the message, with regions over it.
    Decoded {
        /// Header block then decoded body.
        text: String,
        /// Sorted regions covering `text`.
        regions: Vec<Region>,
        /// Notes about the reading (always a decoded-body note).
        notes: Vec<Note>,
    },
}

/// Reads an `.eml` source (without a byte-order mark). Never fails.
pub fn read(source: &str) -> MailText {
    let Some(message) = MessageParser::default().parse(source.as_bytes()) else {
        return unreadable(source, 0, None, "not a MIME message");
    };
    let root = message.root_part();
    if root.headers.is_empty() {
        return unreadable(source, 0, None, "no header block");
    }
    let header_end = boundary(source, root.offset_body).unwrap_or(0);
    let subject = subject_value(source, root).filter(|s| !s.text(source).contains("=?"));
    let Some((part, is_html)) = chosen_part(&message) else {
        return unreadable(source, header_end, subject, "no readable text part");
    };
    if part.is_encoding_problem {
        return unreadable(source, header_end, subject, "the body's transfer encoding is damaged");
    }
    let subject = subject_value(source, root);
    let subject_encoded = subject.is_some_and(|s| s.text(source).contains("=?"));
    let body = boundary(source, part.offset_body).zip(boundary(source, part.offset_end.max(part.offset_body)));
    match (&part.body, part.encoding, body) {
        (PartType::Text(_), Encoding::None, Some((start, end))) if !is_html && !subject_encoded => {
            let mut regions = header_regions(header_end, subject);
            regions.push(Region { kind: RegionKind::Header, span: Span::new(header_end, start) });
            let text = source.get(start..end).unwrap_or("");
            regions
                .extend(classify_plain(text).into_iter().map(|r| Region { kind: r.kind, span: r.span.shift(start) }));
            regions.push(Region { kind: RegionKind::Header, span: Span::new(end, source.len()) });
            MailText::Original { regions, notes: Vec::new() }
        }
        (body, encoding, _) => {
            let decoded = match body {
                PartType::Text(text) => text.to_string(),
                PartType::Html(markup) => html::to_text(markup),
                _ => String::new(),
            };
            let how = match (is_html, encoding) {
                (true, _) => "the message has only an HTML body",
                (false, Encoding::QuotedPrintable) => "the body is quoted-printable",
                (false, Encoding::Base64) => "the body is base64",
                (false, Encoding::None) => "the subject is encoded",
            };
            rendering(source, header_end, subject, message.subject(), &decoded, how)
        }
    }
}

/// Regions over the original source for [`super::Document::parse`]: what [`read`] gives when the
/// text is stored unencoded; otherwise the whole file is masked, since its bytes are not the
/// writer's text (use [`super::LintText`] to lint the decoded rendering).
pub fn classify(source: &str) -> Vec<Region> {
    match read(source) {
        MailText::Original { regions, .. } => regions,
        MailText::Decoded { .. } => vec![Region { kind: RegionKind::Header, span: Span::new(0, source.len()) }],
    }
}

/// The first `text/plain` body part, else the first `text/html` one (and whether it is HTML).
fn chosen_part<'a>(message: &'a Message<'a>) -> Option<(&'a MessagePart<'a>, bool)> {
    let plain =
        message.text_body.iter().filter_map(|&id| message.part(id)).find(|p| matches!(p.body, PartType::Text(_)));
    if let Some(part) = plain {
        return Some((part, false));
    }
    let html =
        message.html_body.iter().filter_map(|&id| message.part(id)).find(|p| matches!(p.body, PartType::Html(_)));
    html.map(|part| (part, true))
}

/// A parser offset as a byte offset on a char boundary of `source`.
fn boundary(source: &str, offset: u32) -> Option<usize> {
    let offset = usize::try_from(offset).ok()?.min(source.len());
    source.is_char_boundary(offset).then_some(offset)
}

/// The span of the root `Subject:` header's value, trimmed.
fn subject_value(source: &str, root: &MessagePart<'_>) -> Option<Span> {
    let header = root.headers.iter().find(|h| h.name == HeaderName::Subject)?;
    let start = boundary(source, header.offset_start)?;
    let end = boundary(source, header.offset_end)?;
    let raw = source.get(start..end)?;
    let lead = raw.len() - raw.trim_start().len();
    Some(Span::new(start + lead, start + raw.trim_end().len()))
}

/// The header block `[0, end)` as header regions, with the subject's value as the subject.
fn header_regions(end: usize, subject: Option<Span>) -> Vec<Region> {
    match subject.filter(|s| s.end <= end && !s.is_empty()) {
        Some(subject) => vec![
            Region { kind: RegionKind::Header, span: Span::new(0, subject.start) },
            Region { kind: RegionKind::Subject, span: subject },
            Region { kind: RegionKind::Header, span: Span::new(subject.end, end) },
        ],
        None => vec![Region { kind: RegionKind::Header, span: Span::new(0, end) }],
    }
}

/// The decoded rendering: the header block (encoded subject replaced), then the decoded body.
fn rendering(
    source: &str,
    header_end: usize,
    subject: Option<Span>,
    decoded_subject: Option<&str>,
    body: &str,
    how: &str,
) -> MailText {
    let block = source.get(..header_end).unwrap_or("");
    let (mut text, subject_span) = match (subject, decoded_subject) {
        (Some(span), Some(decoded)) if span.text(source).contains("=?") => {
            let mut text = String::with_capacity(block.len() + body.len());
            text.push_str(block.get(..span.start).unwrap_or(""));
            let clean: String = decoded.split_whitespace().collect::<Vec<_>>().join(" ");
            text.push_str(&clean);
            text.push_str(block.get(span.end..).unwrap_or(""));
            (text, Some(Span::new(span.start, span.start + clean.len())))
        }
        _ => (block.to_owned(), subject),
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let body_start = text.len();
    text.push_str(body);
    let mut regions = header_regions(body_start, subject_span);
    regions.extend(classify_plain(body).into_iter().map(|r| Region { kind: r.kind, span: r.span.shift(body_start) }));
    let first_line = first_line(&text, body_start);
    let detail = format!("{how}: positions in this file count lines of the decoded text, not of the raw file");
    let notes = vec![Note { kind: NoteKind::DecodedBody, span: first_line, detail }];
    MailText::Decoded { text, regions, notes }
}

/// Lints `source` as plain text after the header block `[0, header_end)`, noting why.
fn unreadable(source: &str, header_end: usize, subject: Option<Span>, reason: &str) -> MailText {
    let mut regions = header_regions(header_end, subject);
    let body = source.get(header_end..).unwrap_or("");
    regions.extend(classify_plain(body).into_iter().map(|r| Region { kind: r.kind, span: r.span.shift(header_end) }));
    let detail = format!("not readable as an e-mail message ({reason}); linted as plain text");
    let notes = vec![Note { kind: NoteKind::UnreadableMessage, span: first_line(source, 0), detail }];
    MailText::Original { regions, notes }
}

/// The first non-blank line at or after `from`, trimmed (an empty span at `from` if none).
fn first_line(text: &str, from: usize) -> Span {
    let mut offset = from;
    for line in text.get(from..).unwrap_or("").split_inclusive('\n') {
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let lead = line.len() - line.trim_start().len();
            return Span::new(offset + lead, offset + lead + trimmed.len());
        }
        offset += line.len();
    }
    Span::new(from, from)
}
