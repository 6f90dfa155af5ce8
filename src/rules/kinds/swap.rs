//! `swap`: like `phrase`, with replacements. One replacement is a fix (safe or unsafe, as the
//! rule says); several are alternatives, shown and never applied.

use toml::Spanned;

use super::RunCx;
use super::matcher::Matcher;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::load::CompileCx;
use crate::rules::schema::{MatchSpec, SwapTarget};
use crate::rules::template::Vars;
use crate::span::Span;

/// A compiled `swap` check.
#[derive(Debug)]
pub struct Swap {
    pub(super) matcher: Matcher,
    /// (normalised key, replacements)
    table: Vec<(String, Vec<String>)>,
    applicability: Applicability,
}

impl Swap {
    pub(super) fn compile(spec: &MatchSpec, cx: &mut CompileCx<'_>) -> Option<Self> {
        if spec.swap.is_empty() {
            cx.match_error("kind `swap` needs a `match.swap` table: { \"phrase\" = \"replacement\" }");
            return None;
        }
        let mut table = Vec::new();
        for (key, target) in &spec.swap {
            let replacements = match target {
                SwapTarget::One(one) => vec![one.clone()],
                SwapTarget::Many(many) => many.clone(),
            };
            if replacements.is_empty() {
                cx.match_error(format!("`swap.\"{key}\"` has no replacement"));
            }
            table.push((normalise(key), replacements));
        }
        let keys: Vec<Spanned<String>> = spec.swap.keys().map(|k| Spanned::new(0..0, k.clone())).collect();
        let matcher = Matcher::compile(spec, cx, &keys)?;
        let applicability = spec.applicability.unwrap_or(Applicability::Unsafe);
        Some(Self { matcher, table, applicability })
    }

    /// How safe this rule's fixes are.
    pub fn applicability(&self) -> Applicability {
        self.applicability
    }

    pub(super) fn run(&self, cx: &mut RunCx<'_, '_>) {
        let mut spans = Vec::new();
        self.matcher.for_each(cx, |span, _| spans.push(span));
        let source = cx.doc.source();
        for span in spans {
            let matched = span.text(source);
            let key = normalise(matched);
            let Some((_, replacements)) = self.table.iter().find(|(k, _)| *k == key) else {
                cx.emit(span, &Vars { matched, ..Vars::default() }, None);
                continue;
            };
            let cased: Vec<String> = replacements.iter().map(|r| match_case(matched, r)).collect();
            let joined = cased.iter().map(|r| format!("\"{r}\"")).collect::<Vec<_>>().join(" or ");
            let fix = match cased.as_slice() {
                [one] => Some(Fix { edits: vec![edit(source, span, one)], applicability: self.applicability }),
                _ => None,
            };
            let vars = Vars { matched, replacement: &joined, ..Vars::default() };
            cx.emit(span, &vars, fix);
            if cx.rule.rewrites.is_empty() {
                if let Some(last) = cx.out.last_mut() {
                    last.rewrites = cased.into();
                }
            }
        }
    }
}

/// An edit replacing `span`; an empty replacement also removes one adjacent space so no double
/// space is left behind.
fn edit(source: &str, span: Span, replacement: &str) -> Edit {
    if !replacement.is_empty() {
        return Edit { span, replacement: replacement.to_owned() };
    }
    let bytes = source.as_bytes();
    if bytes.get(span.end) == Some(&b' ') {
        Edit { span: Span::new(span.start, span.end + 1), replacement: String::new() }
    } else if span.start > 0 && bytes.get(span.start - 1) == Some(&b' ') {
        Edit { span: Span::new(span.start - 1, span.end), replacement: String::new() }
    } else {
        Edit { span, replacement: String::new() }
    }
}

/// Lower case, single spaces, straight apostrophes: how swap keys and matches are compared.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, piece) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(piece.chars().map(|c| if c == '\u{2019}' { '\'' } else { c }).flat_map(char::to_lowercase));
    }
    out
}

/// Carries the case of the matched text over to the replacement (Capitalised, ALL CAPS).
pub fn match_case(matched: &str, replacement: &str) -> String {
    let letters: Vec<char> = matched.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    if matched.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = replacement.chars();
        if let Some(first) = chars.next() {
            return first.to_uppercase().chain(chars).collect();
        }
    }
    replacement.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_is_carried_over() {
        assert_eq!(match_case("In order to", "to"), "To");
        assert_eq!(match_case("UTILIZE", "use"), "USE");
        assert_eq!(match_case("utilize", "use"), "use");
    }

    #[test]
    fn deletion_takes_one_space() {
        let src = "a very unique idea";
        let e = edit(src, Span::new(2, 6), "");
        assert_eq!(e.span.text(src), "very ");
    }
}
