//! The class distribution as an inline SVG bar chart: ten-point score buckets, the count above
//! each bar, and a dashed line at the pass mark. Colours come from the Okabe–Ito palette (safe
//! for colour-blind readers) and are never the only cue: the counts, the bucket labels and the
//! pass-mark line carry the same information, and `<title>`/`<desc>` describe it in words.

use std::fmt::Write as _;

use super::html::escape;
use crate::grade::ClassSummary;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 250.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 40.0;

/// Below the pass mark.
pub(super) const FAIL_COLOUR: &str = "#D55E00";
/// At or above the pass mark.
pub(super) const PASS_COLOUR: &str = "#0072B2";
/// A bucket the pass mark cuts through.
pub(super) const MIXED_COLOUR: &str = "#7A7A7A";

/// The histogram of `summary` as an `<svg>` element.
pub(super) fn distribution(summary: &ClassSummary, pass_mark: f64) -> String {
    let plot_width = WIDTH - LEFT - RIGHT;
    let plot_height = HEIGHT - TOP - BOTTOM;
    let slot = plot_width / summary.histogram.len() as f64;
    let top_count = summary.histogram.iter().copied().max().unwrap_or(0).max(1);
    let scale = nice_ceiling(top_count);
    let y = |count: usize| TOP + plot_height - count as f64 / scale as f64 * plot_height;

    let described: Vec<String> =
        summary.histogram.iter().enumerate().map(|(i, n)| format!("{}: {n}", bucket_label(i))).collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\">\
         <title id=\"chart-title\">Score distribution</title>\
         <desc id=\"chart-desc\">Submissions per score range: {}. Pass mark {pass_mark:.1}.</desc>",
        escape(&described.join(", "))
    );
    for tick in 0..=4 {
        let count = scale * tick / 4;
        let at = y(count);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{at:.1}\" y2=\"{at:.1}\"/>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{count}</text>",
            WIDTH - RIGHT,
            LEFT - 6.0,
            at + 4.0
        );
    }
    for (i, &count) in summary.histogram.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.12;
        let bar_width = slot * 0.76;
        let top = y(count);
        let colour = bucket_colour(i, pass_mark);
        let _ = write!(
            svg,
            "<rect x=\"{x:.1}\" y=\"{top:.1}\" width=\"{bar_width:.1}\" height=\"{:.1}\" fill=\"{colour}\"><title>{}: {count}</title></rect>\
             <text class=\"count\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>\
             <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            TOP + plot_height - top,
            bucket_label(i),
            x + bar_width / 2.0,
            top - 5.0,
            x + bar_width / 2.0,
            HEIGHT - BOTTOM + 16.0,
            bucket_label(i),
        );
    }
    let pass_x = LEFT + plot_width * pass_mark.clamp(0.0, 100.0) / 100.0;
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
         <line class=\"pass\" x1=\"{pass_x:.1}\" x2=\"{pass_x:.1}\" y1=\"{:.1}\" y2=\"{:.1}\"/>\
         <text class=\"tick\" x=\"{pass_x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">pass mark {pass_mark:.1}</text>\
         <text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">score</text></svg>",
        WIDTH - RIGHT,
        TOP + plot_height,
        TOP + plot_height,
        TOP - 8.0,
        TOP + plot_height,
        TOP - 12.0,
        LEFT + plot_width / 2.0,
        HEIGHT - 4.0,
    );
    svg
}

/// "0–9", "10–19" … "90–100".
pub(super) fn bucket_label(bucket: usize) -> String {
    let from = bucket * 10;
    if bucket >= 9 { format!("{from}–100") } else { format!("{from}–{}", from + 9) }
}

fn bucket_colour(bucket: usize, pass_mark: f64) -> &'static str {
    let (from, to) = (bucket as f64 * 10.0, bucket as f64 * 10.0 + 10.0);
    if to <= pass_mark {
        FAIL_COLOUR
    } else if from >= pass_mark {
        PASS_COLOUR
    } else {
        MIXED_COLOUR
    }
}

/// The smallest of 4, 8, 12, 20, 40, 80, 120, 200 … that is at least `n`: divisible by four, so
/// the four gridline steps are whole numbers.
fn nice_ceiling(n: usize) -> usize {
    let mut magnitude = 1;
    loop {
        for step in [4, 8, 12, 20] {
            if step * magnitude >= n {
                return step * magnitude;
            }
        }
        magnitude *= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_a_round_number_at_least_the_tallest_bar() {
        assert_eq!([1, 4, 5, 9, 13, 33, 101, 250].map(nice_ceiling), [4, 4, 8, 12, 20, 40, 120, 400]);
    }

    #[test]
    fn buckets_below_above_and_across_the_pass_mark_get_their_colours() {
        assert_eq!(bucket_colour(6, 70.0), FAIL_COLOUR);
        assert_eq!(bucket_colour(7, 70.0), PASS_COLOUR);
        assert_eq!(bucket_colour(6, 65.0), MIXED_COLOUR);
    }

    #[test]
    fn the_chart_is_an_svg_with_a_text_description() {
        let summary = ClassSummary { count: 3, histogram: [0, 0, 0, 0, 0, 1, 0, 0, 0, 2], ..ClassSummary::default() };
        let svg = distribution(&summary, 70.0);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("50–59: 1") && svg.contains("90–100: 2"));
        assert!(!svg.contains("http"), "no namespace URL or any other link");
    }
}
