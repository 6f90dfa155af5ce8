//! `grade --format html`: one self-contained page a trainer opens and prints.
//!
//! Invariants: nothing is loaded from anywhere (no scripts, fonts, images or style sheets; a
//! Content-Security-Policy of `default-src 'none'` makes sure of it), every piece of user text
//! goes through [`escape`], and each student's card stays on one printed page when it fits
//! (`break-inside: avoid`). Colours meet WCAG AA contrast on white and are never the only cue:
//! severities also differ in underline style and are written out in the findings list.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::chart::{self, FAIL_COLOUR, MIXED_COLOUR, PASS_COLOUR};
use super::highlight::{Mark, highlight};
use super::{Gradebook, Submission, one_decimal, summary_line};
use crate::grade::{Cost, Grade};
use crate::rules::Category;

/// Most common findings listed in the class summary.
const TOP_FINDINGS: usize = 10;

const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #595959; --line: #d0d0d0; --error: #b42318; --warning: #8a5300; --info: #1d4ed8; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; } h3 { font-size: 1.05rem; margin: 1.25rem 0 .4rem; }
.meta, figcaption, .help { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; }
th, td { text-align: left; padding: .2rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.stats { display: flex; flex-wrap: wrap; gap: .5rem 2rem; margin: .5rem 0 1rem; padding: 0; }
.stats div { margin: 0; } .stats dt { color: var(--muted); font-size: .85rem; } .stats dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
svg.chart { max-width: 100%; height: auto; }
svg .grid { stroke: #e6e6e6; } svg .axis { stroke: #4d4d4d; } svg .pass { stroke: var(--ink); stroke-dasharray: 5 4; stroke-width: 1.5; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); } svg text.count { font-weight: 600; }
.legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .3rem 0 .8rem; vertical-align: -.1rem; }
.bar { background: #e6e6e6; height: .8rem; min-width: 6rem; } .bar span { display: block; height: 100%; background: #0072B2; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin: 1.5rem 0; break-inside: avoid; page-break-inside: avoid; }
.card header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; flex-wrap: wrap; }
.card h2 { margin: 0; font-size: 1.15rem; word-break: break-word; }
.score { font-size: 1.2rem; font-weight: 700; white-space: nowrap; }
.verdict { font-size: .85rem; font-weight: 700; padding: .05rem .45rem; border-radius: 3px; border: 1.5px solid currentColor; margin-left: .4rem; }
.verdict.pass { color: #005a8c; } .verdict.fail { color: #a34000; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; border-left: 3px solid var(--line); padding: .4rem .8rem; margin: .75rem 0; background: #fafafa; }
mark { color: inherit; padding: 0 .05em; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
mark.error { background: #fde2e0; text-decoration: underline solid var(--error) 2px; }
mark.warning { background: #fff0c2; text-decoration: underline wavy var(--warning) 1px; }
mark.info { background: #e3ecff; text-decoration: underline dotted var(--info) 2px; }
sup.ref { font-size: .7rem; font-weight: 700; } sup.ref a { text-decoration: none; }
sup.ref a.error, .sev.error { color: var(--error); } sup.ref a.warning, .sev.warning { color: var(--warning); } sup.ref a.info, .sev.info { color: var(--info); }
ol.findings { padding-left: 1.6rem; margin: .5rem 0 0; } ol.findings li { margin: .35rem 0; }
.sev { font-weight: 700; text-transform: uppercase; font-size: .75rem; letter-spacing: .03em; }
.points { font-variant-numeric: tabular-nums; white-space: nowrap; color: var(--muted); }
.rewrite { margin: .1rem 0 0; } .rewrite q { font-style: italic; }
.cats td, .cats th { text-align: center; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
@page { margin: 14mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  .card { border-color: #999; }
  .summary { break-after: page; page-break-after: always; }
}
"#;

pub(super) fn emit(out: &mut dyn Write, book: &Gradebook) -> io::Result<()> {
    let mut page = String::with_capacity(8192 + book.submissions.len() * 4096);
    page.push_str(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Gradebook · pitchlint</title>\n<style>",
    );
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n");
    summary_section(&mut page, book);
    for (i, submission) in book.submissions.iter().enumerate() {
        card(&mut page, i + 1, submission);
    }
    let _ = writeln!(
        page,
        "<footer class=\"meta\"><p>Graded by pitchlint {}. Every lost point is listed under its finding.</p></footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    out.write_all(page.as_bytes())
}

/// Escapes text for HTML content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn summary_section(page: &mut String, book: &Gradebook) {
    let summary = &book.summary;
    let rubric = &book.rubric;
    let _ = write!(
        page,
        "<section class=\"summary\" aria-labelledby=\"class\">\n<h1 id=\"class\">Gradebook</h1>\n<p class=\"meta\">{}</p>\n",
        escape(&summary_line(summary))
    );
    let _ = writeln!(
        page,
        "<dl class=\"stats\"><div><dt>Submissions</dt><dd>{}</dd></div><div><dt>Mean</dt><dd>{}</dd></div>\
         <div><dt>Median</dt><dd>{}</dd></div><div><dt>Range</dt><dd>{}–{}</dd></div>\
         <div><dt>Passed (≥ {})</dt><dd>{} · {}%</dd></div></dl>",
        summary.count,
        one_decimal(summary.mean),
        one_decimal(summary.median),
        one_decimal(summary.min),
        one_decimal(summary.max),
        one_decimal(rubric.pass_mark),
        summary.passed,
        one_decimal(summary.pass_rate()),
    );
    let _ = write!(
        page,
        "<h2>Distribution</h2>\n<figure>{}\n<figcaption class=\"legend\">Submissions per score range.\
         <span style=\"background:{FAIL_COLOUR}\"></span>below the pass mark\
         <span style=\"background:{MIXED_COLOUR}\"></span>across it\
         <span style=\"background:{PASS_COLOUR}\"></span>at or above it</figcaption></figure>\n",
        chart::distribution(summary, rubric.pass_mark)
    );
    let bands: Vec<String> = summary.bands.iter().map(|(b, n)| format!("{} {n}", escape(b))).collect();
    let _ = writeln!(page, "<p>Bands: {}</p>", bands.join(" · "));

    page.push_str("<h2>Category averages</h2>\n<table><thead><tr><th>Category</th><th class=\"num\">Weight</th><th class=\"num\">Mean</th><th>of 100</th><th class=\"num\">Graded</th></tr></thead><tbody>\n");
    for category in Category::ALL {
        let weight = one_decimal(rubric.weight(category));
        match summary.categories.get(&category) {
            Some(stats) => {
                let _ = writeln!(
                    page,
                    "<tr><td>{}</td><td class=\"num\">{weight}</td><td class=\"num\">{}</td>\
                     <td><div class=\"bar\" aria-hidden=\"true\"><span style=\"width:{:.1}%\"></span></div></td><td class=\"num\">{}</td></tr>",
                    category.as_str(),
                    one_decimal(stats.mean),
                    stats.mean.clamp(0.0, 100.0),
                    stats.graded
                );
            }
            None => {
                let _ = writeln!(
                    page,
                    "<tr><td>{}</td><td class=\"num\">{weight}</td><td class=\"num\">–</td><td class=\"meta\">no rule applied</td><td class=\"num\">0</td></tr>",
                    category.as_str()
                );
            }
        }
    }
    page.push_str("</tbody></table>\n");

    page.push_str("<h2>Most common findings</h2>\n");
    if summary.findings.is_empty() {
        page.push_str("<p>None.</p>\n");
    } else {
        page.push_str("<table><thead><tr><th>Rule</th><th>Category</th><th class=\"num\">Students</th><th class=\"num\">Findings</th><th class=\"num\">Points lost</th></tr></thead><tbody>\n");
        for f in summary.findings.iter().take(TOP_FINDINGS) {
            let _ = writeln!(
                page,
                "<tr><td><code>{}</code> {}</td><td>{}</td><td class=\"num\">{} of {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&f.code),
                escape(&f.name),
                f.category.as_str(),
                f.documents,
                summary.count,
                f.count,
                one_decimal(f.points)
            );
        }
        page.push_str("</tbody></table>\n");
    }

    page.push_str("<h2>Students</h2>\n<table><thead><tr><th>Student</th><th class=\"num\">Score</th><th>Band</th><th>Result</th><th class=\"num\">Findings</th></tr></thead><tbody>\n");
    for (i, s) in book.submissions.iter().enumerate() {
        let grade = &s.report.grade;
        let _ = writeln!(
            page,
            "<tr><td><a href=\"#s{}\">{}</a></td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            escape(&s.id),
            one_decimal(grade.score),
            escape(&grade.band),
            if grade.pass { "pass" } else { "fail" },
            s.report.diagnostics.len()
        );
    }
    let _ = writeln!(
        page,
        "</tbody></table>\n<p class=\"meta\">Rubric: each category starts at 100 and loses {} per error, {} per warning, {} per info; \
         the score is the mean of the categories that apply, weighted as above.</p>\n</section>",
        one_decimal(rubric.penalty(crate::rules::Severity::Error)),
        one_decimal(rubric.penalty(crate::rules::Severity::Warning)),
        one_decimal(rubric.penalty(crate::rules::Severity::Info)),
    );
}

fn card(page: &mut String, number: usize, submission: &Submission) {
    let report = &submission.report;
    let grade = &report.grade;
    let (verdict, class) = if grade.pass { ("PASS", "pass") } else { ("FAIL", "fail") };
    let _ = write!(
        page,
        "<article class=\"card\" id=\"s{number}\" aria-labelledby=\"s{number}-name\">\n<header><h2 id=\"s{number}-name\">{}</h2>\
         <p class=\"score\">{} / 100 · {}<span class=\"verdict {class}\">{verdict}</span></p></header>\n\
         <p class=\"meta\">{}{} · {} words · {} s spoken at {} wpm</p>\n",
        escape(&submission.id),
        one_decimal(grade.score),
        escape(&grade.band),
        if submission.origin == submission.id { String::new() } else { format!("{} · ", escape(&submission.origin)) },
        report.profile.as_str(),
        report.words,
        report.seconds.round(),
        report.words_per_minute,
    );
    page.push_str("<table class=\"cats\"><tr>");
    for category in Category::ALL {
        let _ = write!(page, "<th>{}</th>", category.as_str());
    }
    page.push_str("</tr><tr>");
    for category in Category::ALL {
        match grade.categories.get(&category) {
            Some(score) => {
                let _ = write!(page, "<td>{}</td>", one_decimal(*score));
            }
            None => page.push_str("<td title=\"no rule of this category applies to this text\">–</td>"),
        }
    }
    page.push_str("</tr></table>\n");

    let marks: Vec<Mark> = submission
        .findings()
        .enumerate()
        .map(|(i, (d, rule, _))| Mark {
            number: i + 1,
            span: d.span,
            severity: d.severity,
            title: format!("{}: {}", rule.map_or("?", |r| r.code.as_str()), d.message),
        })
        .collect();
    let anchor = |n: usize| format!("s{number}-f{n}");
    let _ = writeln!(page, "<div class=\"text\">{}</div>", highlight(&report.source, &marks, &anchor));

    if marks.is_empty() {
        page.push_str("<p>No findings: full marks.</p>\n</article>\n");
        return;
    }
    page.push_str("<ol class=\"findings\">\n");
    for (i, (d, rule, cost)) in submission.findings().enumerate() {
        let _ = write!(
            page,
            "<li id=\"{}\"><span class=\"sev {}\">{}</span> <code>{}</code> {} \
             <span class=\"points\">{}</span>",
            anchor(i + 1),
            d.severity.as_str(),
            d.severity.as_str(),
            escape(rule.map_or("?", |r| r.code.as_str())),
            escape(&d.message),
            describe_cost(cost, grade),
        );
        if let Some(help) = rule.map(|r| r.help.as_str()).filter(|h| !h.is_empty()) {
            let _ = write!(page, "<div class=\"help\">{}</div>", escape(help));
        }
        for rewrite in d.rewrites.iter() {
            let _ = write!(page, "<div class=\"rewrite\">Try: <q>{}</q></div>", escape(rewrite));
        }
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                let _ = write!(
                    page,
                    "<div class=\"rewrite\">Fix: <q>{}</q> → <q>{}</q></div>",
                    escape(edit.span.text(&report.source)),
                    escape(&edit.replacement)
                );
            }
        }
        page.push_str("</li>\n");
    }
    page.push_str("</ol>\n</article>\n");
}

/// "−7.5 points (25.0 of ask)", or why a finding cost nothing.
fn describe_cost(cost: Cost, grade: &Grade) -> String {
    let category = cost.category.map_or("?", Category::as_str);
    let exhausted = cost.category.and_then(|c| grade.categories.get(&c)).is_some_and(|s| *s <= 0.0);
    if cost.category_points > 0.0 || !exhausted {
        format!("−{} points ({} of {category})", one_decimal(cost.points), one_decimal(cost.category_points))
    } else {
        format!("no points left to lose in {category}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_both_quotes() {
        assert_eq!(escape(r#"<a href="x">Tom's & co</a>"#), "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;");
    }
}
