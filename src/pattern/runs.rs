//! Searching a branch found by a literal it merely contains (`(?:\w+[- ])?solutions? provider`
//! holds `solution`) only around where that literal occurs, instead of over the whole text.
//!
//! Every byte of a match is read by one of the branch's literals or classes, so a match lies
//! inside one *run* of the bytes those can read: the longest stretch around an occurrence of
//! the literal made only of such bytes. A search of each run that holds an occurrence, in
//! order, finds what a search of the whole text from the same place finds. The regex crate can
//! find no prefilter for such a branch when what comes before the literal is open-ended, and
//! then reads a long text from end to end at each search: tens of milliseconds per branch on
//! 10 MB, against a few hundred runs of a sentence each.

use regex::Regex;

use super::Options;
use super::starts::ByteSet;

/// The bytes `pattern`'s matches can be made of, parsed with `options` (`None` if it does not
/// parse): every byte any of its literals or classes can read ([`ByteSet::of_matches`]), and
/// every byte past ASCII if any of them reads a character past ASCII, so that a run ends only
/// next to an ASCII byte, on a character boundary.
pub(super) fn match_bytes(pattern: &str, options: Options) -> Option<ByteSet> {
    let hir =
        regex_syntax::ParserBuilder::new().case_insensitive(options.case_insensitive).build().parse(pattern).ok()?;
    let mut set = ByteSet::of_matches(&hir);
    if (128..=255u8).any(|b| set.has(b)) {
        set.add_range(128, 255);
    }
    Some(set)
}

/// The places of a branch's literals in one haystack, and the last run worked out around one
/// of them: a branch is searched again after each match, and a run as long as the text (prose
/// without a full stop, every byte one the branch can read) must be measured once, not once
/// per match.
#[derive(Debug, Default)]
pub(super) struct Around {
    /// Where the literals each match holds occur, in order.
    places: Vec<usize>,
    /// The last run worked out: where it starts (or where the search that found it started,
    /// if later) and where it ends.
    run: Option<(usize, usize)>,
}

impl Around {
    /// Takes in the next place (places come in order).
    pub(super) fn push(&mut self, place: usize) {
        self.places.push(place);
    }

    /// The first match of `regex` (a branch whose bytes are `bytes`) in `haystack` that starts
    /// at or after `from`, as `regex.find_at(haystack, from)` finds it.
    pub(super) fn find(
        &mut self,
        regex: &Regex,
        bytes: &ByteSet,
        haystack: &str,
        from: usize,
    ) -> Option<(usize, usize)> {
        let text = haystack.as_bytes();
        // Runs before this are searched: none holds a match.
        let mut searched_to = from;
        for &at in self.places.get(self.places.partition_point(|&p| p < from)..).unwrap_or(&[]) {
            if at < searched_to {
                continue;
            }
            let (mut start, end) = match self.run {
                Some((start, end)) if start <= at && at < end => (start.max(searched_to), end),
                _ => {
                    let mut start = at;
                    while start > searched_to && text.get(start - 1).is_some_and(|&b| bytes.has(b)) {
                        start -= 1;
                    }
                    let mut end = at;
                    while text.get(end).is_some_and(|&b| bytes.has(b)) {
                        end += 1;
                    }
                    self.run = Some((start, end));
                    (start, end)
                }
            };
            // Both ends are next to an ASCII byte outside the set (or at `from`, or an end of
            // the text), so on character boundaries; one character past the run is kept, so
            // that a look-around at the run's end sees what follows it. No match reads it.
            let mut limit = (end + 1).min(text.len());
            while !haystack.is_char_boundary(limit) {
                limit += 1;
            }
            while !haystack.is_char_boundary(start) {
                start += 1;
            }
            if let Some(m) = haystack.get(..limit).and_then(|h| regex.find_at(h, start)) {
                return Some((m.start(), m.end()));
            }
            searched_to = end.max(at + 1);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Branches with what every match of each holds, and whether letters match either case.
    const BRANCHES: &[(&str, &[&str], bool)] = &[
        (r"(?-u:\b)(?:(?:\w+[- ])?solutions? (?:provider|company))(?-u:\b)", &["solution"], true),
        (r"(?-u:\b)(?:(?:my )?\d+(?:st|nd) (?:attempt|try))(?-u:\b)", &["attempt", "try"], true),
        (r"\b\w+ing\b", &["ing"], false),
        (r"[a-zé]+ café", &["café"], false),
        (r"x[^.]{0,5}yz", &["yz"], true),
        (r"foo\s+bar$", &["foo"], false),
        (r"(?m)^\s*foo[- ]bar\b", &["foo"], true),
    ];

    /// Every place `needles` occur in `haystack`, letters compared as the scan compares them
    /// (ASCII case folded when `folded`).
    fn occurrences(haystack: &str, needles: &[&str], folded: bool) -> Vec<usize> {
        let text = haystack.as_bytes();
        let mut places: Vec<usize> = (0..text.len())
            .filter(|&at| {
                needles.iter().any(|needle| {
                    text.get(at..at + needle.len()).is_some_and(|piece| {
                        if folded { piece.eq_ignore_ascii_case(needle.as_bytes()) } else { piece == needle.as_bytes() }
                    })
                })
            })
            .collect();
        places.dedup();
        places
    }

    fn piece() -> impl proptest::strategy::Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            "a",
            "s",
            "o",
            "l",
            "u",
            "t",
            "i",
            "n",
            "g",
            "x",
            "y",
            "z",
            "1",
            "2",
            " ",
            "  ",
            "-",
            ".",
            ",",
            "\n",
            "é",
            "É",
            "’",
            "_",
            "solution",
            "Solutions",
            "SOLUTION",
            " provider",
            " company",
            "attempt",
            "try",
            "1st ",
            "2nd ",
            "my ",
            "ing",
            "café",
            "foo",
            "bar",
            "Foo",
            " bar",
            "-bar",
            "yz",
            "xa",
            "\u{3000}",
            "ÿ",
        ])
    }

    proptest::proptest! {
        /// Searching the runs around the literals finds, from every place, what the regex finds
        /// reading the whole haystack from there.
        #[test]
        fn runs_find_what_the_whole_text_gives(pieces in proptest::collection::vec(piece(), 0..60), which in 0..BRANCHES.len()) {
            let haystack: String = pieces.concat();
            let (pattern, needles, folded) = BRANCHES[which];
            let options = Options::case_insensitive(folded);
            let regex = options.builder(pattern).build().unwrap();
            let bytes = match_bytes(pattern, options).unwrap();
            let mut around = Around::default();
            for place in occurrences(&haystack, needles, folded) {
                around.push(place);
            }
            // From every place in turn (the run found for one is kept for the next), then from
            // each match's end as a search goes on.
            for from in (0..=haystack.len()).filter(|&at| haystack.is_char_boundary(at)) {
                let expected = regex.find_at(&haystack, from).map(|m| (m.start(), m.end()));
                proptest::prop_assert_eq!(around.find(&regex, &bytes, &haystack, from), expected, "from {}", from);
            }
            let mut from = 0;
            while let Some((start, end)) = around.find(&regex, &bytes, &haystack, from) {
                proptest::prop_assert_eq!(regex.find_at(&haystack, from).map(|m| (m.start(), m.end())), Some((start, end)));
                from = end.max(start + 1);
                if from > haystack.len() {
                    break;
                }
                while !haystack.is_char_boundary(from) {
                    from += 1;
                }
            }
            proptest::prop_assert_eq!(regex.find_at(&haystack, from.min(haystack.len())).map(|m| (m.start(), m.end())), None);
        }
    }

    #[test]
    fn a_class_past_ascii_takes_every_byte_past_ascii() {
        let set = match_bytes(r"\w+ing", Options::default()).unwrap();
        assert!(set.has(0x80) && set.has(0xFF) && set.has(b'_') && set.has(b'Z'));
        assert!(!set.has(b' ') && !set.has(b'.'));
        let ascii = match_bytes(r"(?-u:\w)+ing", Options::default()).unwrap();
        assert!(!ascii.has(0xC3) && !ascii.has(b' '));
        let folded = match_bytes("sing", Options::case_insensitive(true)).unwrap();
        assert!(folded.has(b'S') && folded.has(b'g') && folded.has(0xC5), "ſ folds to s");
    }
}
