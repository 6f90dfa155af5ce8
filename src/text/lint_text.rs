//! [`LintText`]: what the rules read for one input, in any format.
//!
//! Usually the source itself, classified by [`Document::parse`]. For an `.eml` the message is read
//! first ([`mime::read`]): its regions are computed over the original bytes when the text is
//! stored unencoded, or over a decoded rendering when it is not, in which case the rendering is
//! what gets linted and reported, and fixes must not be applied (see [`LintText::is_decoded`]).

use std::borrow::Cow;

use super::{Document, InputFormat, Note, Profile, Region, RegionKind, mime};
use crate::span::Span;

/// What the rules read for one input, in any format: the source itself, or for an `.eml` whose
/// body is encoded, a decoded rendering of it (see [`mime`] for what positions then mean).
#[derive(Clone, Debug)]
pub struct LintText<'src> {
    text: Cow<'src, str>,
    format: InputFormat,
    /// Regions computed while reading (e-mail); `None` lets [`Document::parse`] classify.
    regions: Option<Vec<Region>>,
    notes: Vec<Note>,
}

impl<'src> LintText<'src> {
    /// Reads `source` as `format`. Never fails.
    pub fn new(source: &'src str, format: InputFormat) -> Self {
        if format != InputFormat::Email {
            return Self { text: Cow::Borrowed(source), format, regions: None, notes: Vec::new() };
        }
        let bom = if source.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
        match mime::read(source.get(bom..).unwrap_or("")) {
            mime::MailText::Original { mut regions, notes } => {
                for region in &mut regions {
                    region.span = region.span.shift(bom);
                }
                regions.push(Region { kind: RegionKind::Comment, span: Span::new(0, bom) });
                let notes = notes.into_iter().map(|n| Note { span: n.span.shift(bom), ..n }).collect();
                Self { text: Cow::Borrowed(source), format, regions: Some(regions), notes }
            }
            mime::MailText::Decoded { text, regions, notes } => {
                Self { text: Cow::Owned(text), format, regions: Some(regions), notes }
            }
        }
    }

    /// The text the rules read (and the report shows).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// True if the text is a decoded rendering rather than the source: fixes must not be applied.
    pub fn is_decoded(&self) -> bool {
        matches!(self.text, Cow::Owned(_))
    }

    /// The document to lint.
    pub fn document(&self, profile: Profile) -> Document<'_> {
        self.document_with(profile, |_, _, _| ()).0
    }

    /// [`LintText::document`], running `beside` while the text is split (see
    /// [`Document::parse_with`]).
    pub fn document_with<T: Send>(
        &self,
        profile: Profile,
        beside: impl FnOnce(&str, &[Region], Profile) -> T + Send,
    ) -> (Document<'_>, T) {
        let (doc, extra) = match &self.regions {
            Some(regions) => Document::from_regions_with(&self.text, self.format, profile, regions.clone(), beside),
            None => Document::parse_with(&self.text, self.format, profile, beside),
        };
        (doc.with_notes(self.notes.clone()), extra)
    }

    /// The decoded rendering, if the text is one.
    pub fn into_decoded(self) -> Option<String> {
        match self.text {
            Cow::Owned(text) => Some(text),
            Cow::Borrowed(_) => None,
        }
    }
}
