//! Message and rewrite templates: text with `{placeholders}` filled per finding.
//!
//! Templates are parsed once at load; an unknown placeholder is a load error, so a typo in a rule
//! file never reaches a user as a literal `{mach}`. `[square brackets]` mark blanks for the writer
//! to fill: a rewrite that still contains one is shown, never applied.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// A placeholder a template may use.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Var {
    /// The matched text.
    Match,
    /// A count (occurrences, words…).
    Count,
    /// The rule's maximum.
    Max,
    /// The rule's minimum.
    Min,
    /// A measured value.
    Value,
    /// A ratio, one decimal.
    Ratio,
    /// An ask's specificity score.
    Score,
    /// The missing specificity slots.
    Missing,
    /// A swap's replacement.
    Replacement,
    /// Words per minute used for speaking time.
    Wpm,
}

impl Var {
    const ALL: [(&'static str, Var); 10] = [
        ("match", Self::Match),
        ("count", Self::Count),
        ("max", Self::Max),
        ("min", Self::Min),
        ("value", Self::Value),
        ("ratio", Self::Ratio),
        ("score", Self::Score),
        ("missing", Self::Missing),
        ("replacement", Self::Replacement),
        ("wpm", Self::Wpm),
    ];
}

#[derive(Clone, Debug)]
enum Part {
    Text(String),
    Var(Var),
}

/// A parsed template.
#[derive(Clone, Debug)]
pub struct Template {
    source: String,
    parts: Vec<Part>,
}

/// Values to fill a template with; unset ones render empty.
#[derive(Clone, Debug, Default)]
pub struct Vars<'a> {
    /// `{match}`
    pub matched: &'a str,
    /// `{count}`
    pub count: Option<f64>,
    /// `{max}`
    pub max: Option<f64>,
    /// `{min}`
    pub min: Option<f64>,
    /// `{value}`
    pub value: Option<f64>,
    /// `{ratio}`
    pub ratio: Option<f64>,
    /// `{score}`
    pub score: Option<u32>,
    /// `{missing}`
    pub missing: &'a str,
    /// `{replacement}`
    pub replacement: &'a str,
    /// `{wpm}`
    pub wpm: Option<u32>,
}

impl Template {
    /// Parses `source`; returns the unknown placeholder name on error.
    pub fn parse(source: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = source;
        while let Some(open) = rest.find('{') {
            let (text, after) = rest.split_at(open);
            if !text.is_empty() {
                parts.push(Part::Text(text.to_owned()));
            }
            let after = after.get(1..).unwrap_or("");
            let Some(close) = after.find('}') else {
                return Err(format!("unclosed `{{` in {source:?}"));
            };
            let name = after.get(..close).unwrap_or("");
            let Some((_, var)) = Var::ALL.iter().find(|(n, _)| *n == name) else {
                let known: Vec<&str> = Var::ALL.iter().map(|(n, _)| *n).collect();
                return Err(format!("unknown placeholder `{{{name}}}` (known: {})", known.join(", ")));
            };
            parts.push(Part::Var(*var));
            rest = after.get(close + 1..).unwrap_or("");
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(Self { source: source.to_owned(), parts })
    }

    /// The template as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// True if the template contains `[blanks]` for the writer to fill.
    pub fn has_blanks(&self) -> bool {
        let Some(open) = self.source.find('[') else { return false };
        self.source.get(open..).is_some_and(|s| s.contains(']'))
    }

    /// True if the template uses `var`.
    pub fn uses(&self, var: Var) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var(v) if *v == var))
    }

    /// True if the template has no placeholder: it renders the same for every finding.
    pub fn is_fixed(&self) -> bool {
        self.parts.iter().all(|part| matches!(part, Part::Text(_)))
    }

    /// Fills the template.
    pub fn render(&self, vars: &Vars<'_>) -> String {
        let mut out = String::with_capacity(self.source.len() + 16);
        for part in &self.parts {
            match part {
                Part::Text(text) => out.push_str(text),
                Part::Var(var) => render_var(&mut out, *var, vars),
            }
        }
        out
    }
}

/// A rule's rewrite templates. When none has a placeholder (most rules'), they are rendered
/// once, by the first finding, and every later finding shares that one rendering: a long text
/// has tens of thousands of findings, and a vector and a string for each were allocations,
/// copies and fresh pages of memory that told the reader nothing new.
#[derive(Clone, Debug)]
pub struct Rewrites {
    templates: Vec<Template>,
    /// True if no template has a placeholder.
    fixed: bool,
    /// The rendering every finding shares, once one has asked (only if `fixed`).
    shared: OnceLock<Arc<[String]>>,
}

impl Default for Rewrites {
    /// No rewrite (every finding shares the one empty list).
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl Rewrites {
    /// The rewrites of `templates`, in order.
    pub fn new(templates: Vec<Template>) -> Self {
        let fixed = templates.iter().all(Template::is_fixed);
        Self { templates, fixed, shared: OnceLock::new() }
    }

    /// True if the rule has no rewrite.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// The templates, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Template> {
        self.templates.iter()
    }

    /// The rewrites of one finding: the shared rendering, or each template filled with `vars`.
    pub fn render(&self, vars: &Vars<'_>) -> Arc<[String]> {
        let each = || self.templates.iter().map(|t| t.render(vars)).collect();
        if self.fixed { Arc::clone(self.shared.get_or_init(each)) } else { each() }
    }
}

fn render_var(out: &mut String, var: Var, vars: &Vars<'_>) {
    let number = |out: &mut String, n: Option<f64>| {
        if let Some(n) = n {
            if (n - n.round()).abs() < 1e-9 {
                let _ = write!(out, "{}", n.round() as i64);
            } else {
                let _ = write!(out, "{n:.1}");
            }
        }
    };
    match var {
        Var::Match => push_collapsed(out, vars.matched),
        Var::Count => number(out, vars.count),
        Var::Max => number(out, vars.max),
        Var::Min => number(out, vars.min),
        Var::Value => number(out, vars.value),
        Var::Ratio => {
            if let Some(r) = vars.ratio {
                let _ = write!(out, "{r:.1}");
            }
        }
        Var::Score => {
            if let Some(s) = vars.score {
                let _ = write!(out, "{s}");
            }
        }
        Var::Missing => out.push_str(vars.missing),
        Var::Replacement => out.push_str(vars.replacement),
        Var::Wpm => {
            if let Some(w) = vars.wpm {
                let _ = write!(out, "{w}");
            }
        }
    }
}

/// Matched text can span a wrapped line; messages show it on one line: `text` is pushed onto
/// `out` with each run of whitespace made one space, and none at its ends.
fn push_collapsed(out: &mut String, text: &str) {
    for (i, piece) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_placeholders() {
        let t = Template::parse("\"{match}\" appears {count} times");
        let vars = Vars { matched: "act\nnow", count: Some(3.0), ..Vars::default() };
        assert_eq!(t.map(|t| t.render(&vars)), Ok("\"act now\" appears 3 times".to_owned()));
    }

    #[test]
    fn rewrites_without_placeholders_are_rendered_once_and_shared() {
        let parse =
            |sources: &[&str]| -> Vec<Template> { sources.iter().filter_map(|s| Template::parse(s).ok()).collect() };
        let vars = Vars { matched: "act now", ..Vars::default() };
        let fixed = Rewrites::new(parse(&["Happy to send [a resource].", "Or ask about [their problem]."]));
        let (one, two) = (fixed.render(&vars), fixed.render(&Vars::default()));
        assert!(Arc::ptr_eq(&one, &two));
        assert_eq!(&*one, ["Happy to send [a resource].".to_owned(), "Or ask about [their problem].".to_owned()]);
        // One placeholder anywhere: every finding gets its own.
        let filled = Rewrites::new(parse(&["Plain.", "Instead of \"{match}\": [a question]."]));
        assert_eq!(&*filled.render(&vars), ["Plain.".to_owned(), "Instead of \"act now\": [a question].".to_owned()]);
        assert!(!Arc::ptr_eq(&filled.render(&vars), &filled.render(&vars)));
        let none = Rewrites::default();
        assert!(none.render(&vars).is_empty() && Arc::ptr_eq(&none.render(&vars), &none.render(&vars)));
    }

    #[test]
    fn unknown_placeholders_are_rejected() {
        assert!(Template::parse("{mach}").is_err());
        assert!(Template::parse("{match").is_err());
    }

    #[test]
    fn blanks_are_detected() {
        assert!(Template::parse("Meet [role] at [company]").is_ok_and(|t| t.has_blanks()));
        assert!(Template::parse("to").is_ok_and(|t| !t.has_blanks()));
    }
}
