//! HTML to plain text, for e-mails that only have an HTML body.
//!
//! Deliberately simple and total (never fails, never panics): tags are dropped, block tags become
//! line or paragraph breaks, whitespace collapses as a browser would, common named and all numeric
//! character references are decoded, and `script`/`style`/`head` contents and comments vanish.
//! Two mail conventions are kept so the plain-text classifier can still find them: text inside
//! `<blockquote>` is prefixed with `> ` (a quoted reply), and an element whose class or id
//! mentions "signature" is preceded by a `-- ` line.

/// Tags whose start and end break a paragraph.
const PARAGRAPH_TAGS: [&str; 20] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "pre",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "center",
];
/// Tags whose start breaks a line.
const LINE_TAGS: [&str; 4] = ["br", "li", "tr", "dt"];
/// Tags whose content is never text.
const HIDDEN_TAGS: [&str; 5] = ["script", "style", "head", "title", "template"];

/// Converts an HTML document or fragment to plain text ending in one newline.
pub fn to_text(html: &str) -> String {
    let mut out = Writer::default();
    let mut rest = html;
    while let Some(ch) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").and_then(|i| after.get(i + 3..)).unwrap_or("");
            continue;
        }
        if ch == '<' {
            if let Some((tag, after)) = Tag::parse(rest) {
                rest = out.tag(&tag, after);
                continue;
            }
        }
        if ch == '&' {
            if let Some((decoded, after)) = entity(rest) {
                out.text(decoded);
                rest = after;
                continue;
            }
        }
        if ch.is_whitespace() {
            out.space();
        } else {
            out.text(ch);
        }
        rest = rest.get(ch.len_utf8()..).unwrap_or("");
    }
    out.finish()
}

/// A start or end tag: lower-cased name, whether it closes, and its raw attributes.
struct Tag {
    name: String,
    closing: bool,
    attributes: String,
}

impl Tag {
    /// Parses the tag at the start of `text` (which starts with `<`); returns it and what follows.
    fn parse(text: &str) -> Option<(Self, &str)> {
        let inner = text.get(1..)?;
        let closing = inner.starts_with('/');
        let body = if closing { inner.get(1..)? } else { inner };
        let first = body.chars().next()?;
        if !(first.is_ascii_alphabetic() || first == '!' || first == '?') {
            return None;
        }
        let end = find_tag_end(body)?;
        let raw = body.get(..end)?;
        let name_len = raw.find(|c: char| c.is_whitespace() || c == '/' || c == '>').unwrap_or(raw.len());
        let name = raw.get(..name_len).unwrap_or("").to_ascii_lowercase();
        let attributes = raw.get(name_len..).unwrap_or("").to_owned();
        Some((Self { name, closing, attributes }, body.get(end + 1..).unwrap_or("")))
    }
}

/// Index of the `>` that ends a tag, skipping quoted attribute values.
fn find_tag_end(body: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// Decodes the character reference at the start of `text`; returns it and what follows.
fn entity(text: &str) -> Option<(char, &str)> {
    let end = text.char_indices().skip(1).take(33).find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '#'))?;
    if end.1 != ';' {
        return None;
    }
    let end = end.0;
    let name = text.get(1..end)?;
    let after = text.get(end + 1..).unwrap_or("");
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).map(|c| (if c == '\u{a0}' { ' ' } else { c }, after));
    }
    named_entity(name).map(|c| (c, after))
}

fn named_entity(name: &str) -> Option<char> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201C}',
        "rdquo" => '\u{201D}',
        "laquo" => '\u{AB}',
        "raquo" => '\u{BB}',
        "bull" => '\u{2022}',
        "middot" => '\u{B7}',
        "copy" => '\u{A9}',
        "reg" => '\u{AE}',
        "trade" => '\u{2122}',
        "euro" => '\u{20AC}',
        "pound" => '\u{A3}',
        "cent" => '\u{A2}',
        "deg" => '\u{B0}',
        "times" => '\u{D7}',
        "szlig" => '\u{DF}',
        _ => return accented(name),
    };
    Some(c)
}

/// `&eacute;`, `&Uuml;`, `&ccedil;`…: a letter with an accent name.
fn accented(name: &str) -> Option<char> {
    let mut chars = name.chars();
    let letter = chars.next()?;
    let accent = chars.as_str();
    let lower = match (letter.to_ascii_lowercase(), accent) {
        ('a', "acute") => 'á',
        ('a', "grave") => 'à',
        ('a', "circ") => 'â',
        ('a', "uml") => 'ä',
        ('a', "tilde") => 'ã',
        ('a', "ring") => 'å',
        ('e', "acute") => 'é',
        ('e', "grave") => 'è',
        ('e', "circ") => 'ê',
        ('e', "uml") => 'ë',
        ('i', "acute") => 'í',
        ('i', "grave") => 'ì',
        ('i', "circ") => 'î',
        ('i', "uml") => 'ï',
        ('o', "acute") => 'ó',
        ('o', "grave") => 'ò',
        ('o', "circ") => 'ô',
        ('o', "uml") => 'ö',
        ('o', "tilde") => 'õ',
        ('o', "slash") => 'ø',
        ('u', "acute") => 'ú',
        ('u', "grave") => 'ù',
        ('u', "circ") => 'û',
        ('u', "uml") => 'ü',
        ('n', "tilde") => 'ñ',
        ('c', "cedil") => 'ç',
        ('y', "acute") => 'ý',
        _ => return None,
    };
    if letter.is_ascii_uppercase() { lower.to_uppercase().next() } else { Some(lower) }
}

/// Builds the text: collapses whitespace, places breaks, prefixes quoted lines.
#[derive(Default)]
struct Writer {
    text: String,
    quote_depth: usize,
    pending_space: bool,
}

impl Writer {
    /// Handles a tag; returns where scanning continues (after hidden content, if any).
    fn tag<'a>(&mut self, tag: &Tag, after: &'a str) -> &'a str {
        let name = tag.name.as_str();
        if !tag.closing && HIDDEN_TAGS.contains(&name) {
            let close = format!("</{name}");
            let lower = after.to_ascii_lowercase();
            return lower.find(&close).and_then(|i| after.get(i..)).unwrap_or("");
        }
        if name == "blockquote" {
            self.paragraph();
            self.quote_depth = if tag.closing { self.quote_depth.saturating_sub(1) } else { self.quote_depth + 1 };
            return after;
        }
        let marks_signature = !tag.closing && tag.attributes.to_ascii_lowercase().contains("signature");
        if PARAGRAPH_TAGS.contains(&name) || marks_signature {
            self.paragraph();
        } else if LINE_TAGS.contains(&name) && !tag.closing {
            self.line();
        } else if matches!(name, "td" | "th") && !tag.closing {
            self.space();
        }
        if marks_signature {
            self.text.push_str("-- \n");
        }
        if name == "li" && !tag.closing {
            self.text('-');
            self.space();
        }
        after
    }

    fn text(&mut self, c: char) {
        if self.text.is_empty() || self.text.ends_with('\n') {
            for _ in 0..self.quote_depth {
                self.text.push_str("> ");
            }
        } else if self.pending_space {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push(c);
    }

    fn space(&mut self) {
        self.pending_space = true;
    }

    fn line(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        self.text.push('\n');
        self.pending_space = false;
    }

    fn paragraph(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if self.text.is_empty() {
            return;
        }
        while !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
        self.pending_space = false;
    }

    fn finish(self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut blank_run = 0;
        for line in self.text.lines() {
            // The signature marker's trailing space is part of the marker.
            let line = if line == "-- " { line } else { line.trim_end() };
            if line.is_empty() {
                blank_run += 1;
                if blank_run > 1 || out.is_empty() {
                    continue;
                }
            } else {
                blank_run = 0;
            }
            out.push_str(line);
            out.push('\n');
        }
        while out.ends_with("\n\n") {
            out.pop();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_breaks_and_entities() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body>\n<p>Hi Rowan,</p>\n<p>Dinner on Thursday &mdash; the caf&eacute; &amp; more.</p><p>Cheers,<br>Jonah</p></body></html>";
        assert_eq!(to_text(html), "Hi Rowan,\n\nDinner on Thursday \u{2014} the café & more.\n\nCheers,\nJonah\n");
    }

    #[test]
    fn links_keep_their_text_and_lose_their_address() {
        let html = "<p>Here's the <a href=\"https://example.com/a?b=1&amp;c=2\">teardown I wrote</a>.</p>";
        assert_eq!(to_text(html), "Here's the teardown I wrote.\n");
    }

    #[test]
    fn blockquotes_become_quoted_lines_and_signatures_get_a_marker() {
        let html = "<div>See you then.</div><div class=\"gmail_signature\">Sam | BUY NOW</div><div>On Tue, Dana wrote:<br></div><blockquote>Act now!<br>Only 2 left.</blockquote>";
        assert_eq!(
            to_text(html),
            "See you then.\n\n-- \nSam | BUY NOW\n\nOn Tue, Dana wrote:\n\n> Act now!\n> Only 2 left.\n"
        );
    }

    #[test]
    fn broken_markup_never_loses_text() {
        assert_eq!(to_text("a < b and c &unknown; d <p"), "a < b and c &unknown; d <p\n");
        assert_eq!(to_text("&#8212;&#x2019;&#99999999;"), "\u{2014}\u{2019}&#99999999;\n");
    }
}
