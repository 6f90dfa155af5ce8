//! Byte spans into the original text and the line index that turns them into line/column.
//!
//! Invariant: a `Span` produced by this crate has `start <= end` and both ends on `char`
//! boundaries of the source it was made from. Slicing goes through [`Span::text`], which never
//! panics even if that invariant is broken by a caller.

use serde::Serialize;

/// A half-open byte range `[start, end)` into a source text.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// Builds a span; `end` is clamped so that `start <= end` always holds.
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end: end.max(start) }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True for a zero-length span.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text under the span, or `""` if the span does not fit the source.
    pub fn text(self, source: &str) -> &str {
        source.get(self.start..self.end).unwrap_or("")
    }

    /// True if the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// True if `other` lies entirely inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The same span moved `by` bytes to the right.
    pub fn shift(self, by: usize) -> Self {
        Self { start: self.start + by, end: self.end + by }
    }
}

impl From<Span> for miette::SourceSpan {
    fn from(span: Span) -> Self {
        (span.start, span.len()).into()
    }
}

/// A 1-based line and 1-based column counted in Unicode scalar values.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// The lines of `text` with their offsets, each with its `\n` (the last may lack one), as
/// `text.split_inclusive('\n')` gives them: the newlines are found with `memchr`'s vector
/// search, several times faster than `str`'s own on a long text, whose lines are read before
/// anything else can start.
pub fn lines_with_offsets(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1).chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.filter_map(move |end| {
        let line = (end > start).then(|| (start, text.get(start..end).unwrap_or("")));
        start = end;
        line
    })
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHAR_STRIDE: usize = 4096;

/// Start offsets of every line, built once per source and searched by bisection, plus the
/// number of characters before every [`CHAR_STRIDE`]-th byte, so a column costs at most one
/// stride of counting however long its line is (a 5 MB single line stays linear to report).
/// Those counts are made the first time a line longer than a stride asks: prose lines are
/// shorter, and counting every character of a long text was wasted on it.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    chars_before_stride: std::sync::OnceLock<Vec<usize>>,
}

impl LineIndex {
    /// Indexes the line starts of `source` (`\n` ends a line; `\r\n` counts once).
    pub fn new(source: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        Self { line_starts, chars_before_stride: std::sync::OnceLock::new() }
    }

    /// The characters before every [`CHAR_STRIDE`]-th byte of `source`.
    fn strides(&self, source: &str) -> &[usize] {
        self.chars_before_stride.get_or_init(|| {
            let mut counts = vec![0];
            let mut total = 0;
            for chunk in source.as_bytes().chunks(CHAR_STRIDE) {
                total += count_char_starts(chunk);
                counts.push(total);
            }
            counts
        })
    }

    /// Line and column of byte `offset` (clamped to the source; columns count characters).
    pub fn line_col(&self, source: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        self.at_line(source, offset, line)
    }

    /// A [`LineCursor`] over `source` (the text this index was made of), from its first line.
    pub fn cursor<'a>(&'a self, source: &'a str) -> LineCursor<'a> {
        LineCursor { index: self, source, line: 1, last: None }
    }

    /// Line `line` (the one holding `offset`, a char boundary of `source`) and the column.
    fn at_line(&self, source: &str, offset: usize, line: usize) -> LineCol {
        let start = self.line_starts.get(line - 1).copied().unwrap_or(0);
        let column = if offset.saturating_sub(start) <= CHAR_STRIDE {
            source.as_bytes().get(start..offset).map_or(0, count_char_starts) + 1
        } else {
            self.chars_before(source, offset).saturating_sub(self.chars_before(source, start)) + 1
        };
        LineCol { line, column }
    }

    /// Characters that start before byte `offset` (a char boundary of `source`).
    fn chars_before(&self, source: &str, offset: usize) -> usize {
        let stride = offset / CHAR_STRIDE;
        let base = self.strides(source).get(stride).copied().unwrap_or(0);
        base + source.as_bytes().get(stride * CHAR_STRIDE..offset).map_or(0, count_char_starts)
    }

    /// Number of lines (an empty source has one, empty, line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte span of line `line` (1-based) without its line terminator.
    pub fn line_span(&self, source: &str, line: usize) -> Span {
        let start = self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(source.len());
        let mut end = self.line_starts.get(line).map_or(source.len(), |&next| next.saturating_sub(1));
        if end > start && source.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end)
    }
}

/// [`LineIndex::line_col`] for offsets asked for mostly in order (the sorted findings of a
/// report): each line is found by stepping on from the last one rather than by a binary search
/// of every line start, and a column on the same line as the last one by counting on from it
/// (a paragraph is one line, often with several findings). The answers are the same in any
/// order.
pub struct LineCursor<'a> {
    index: &'a LineIndex,
    source: &'a str,
    /// The line of the last offset asked for (1-based).
    line: usize,
    /// The last offset asked for (a char boundary) and its position.
    last: Option<(usize, LineCol)>,
}

impl LineCursor<'_> {
    /// Most lines stepped over one at a time before the rest are searched.
    const STEPS: usize = 8;

    /// Line and column of byte `offset`, as [`LineIndex::line_col`] gives them.
    pub fn line_col(&mut self, offset: usize) -> LineCol {
        let offset = floor_char_boundary(self.source, offset.min(self.source.len()));
        let starts = &self.index.line_starts;
        // `line` counts the line starts at or before `offset` (the first is 0, before all); the
        // last answer's is at least 1.
        let mut line = self.line;
        if starts.get(line - 1).is_none_or(|&start| start > offset) {
            line = starts.partition_point(|&start| start <= offset);
        } else {
            let mut steps = 0;
            while steps < Self::STEPS && starts.get(line).is_some_and(|&start| start <= offset) {
                line += 1;
                steps += 1;
            }
            if steps == Self::STEPS {
                line += starts.get(line..).unwrap_or(&[]).partition_point(|&start| start <= offset);
            }
        }
        let line = line.max(1);
        self.line = line;
        let position = match self.last {
            Some((before, at)) if at.line == line && before <= offset => LineCol {
                line,
                column: at.column + self.source.as_bytes().get(before..offset).map_or(0, count_char_starts),
            },
            _ => self.index.at_line(self.source, offset, line),
        };
        self.last = Some((offset, position));
        position
    }
}

/// The top bit of each byte of a machine word (eight bytes handled at once).
const TOP_BITS: u64 = 0x8080_8080_8080_8080;

/// How many bytes of `marks` have their top bit set, the word's other bits being clear. The
/// marks are summed by a multiply that adds every byte into the top one: `count_ones` is a loop
/// on processors without POPCNT (the baseline x86-64 target).
pub(crate) fn count_top_bits(marks: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    ((marks >> 7).wrapping_mul(ONES) >> 56) as usize
}

/// Bytes that start a character (anything but a UTF-8 continuation byte).
fn count_char_starts(bytes: &[u8]) -> usize {
    // Eight bytes at a time: a continuation byte has its top bit set and the next one clear,
    // so shifting the word left by one lines each byte's second bit up under its first.
    let mut chunks = bytes.chunks_exact(8);
    let mut continuations = 0;
    for chunk in &mut chunks {
        let word = <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes);
        continuations += count_top_bits(word & !(word << 1) & TOP_BITS);
    }
    let rest = chunks.remainder();
    bytes.len() - continuations - rest.iter().filter(|&&b| b & 0xC0 == 0x80).count()
}

/// How many bytes at the start of `bytes` are ASCII: sixteen at a time (two machine words whose
/// bytes' top bits are tested at once), then byte by byte in the block that is not. Text mostly
/// in ASCII with an odd curly quote is walked to its next non-ASCII character this way.
pub(crate) fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let word = |half: &[u8]| <[u8; 8]>::try_from(half).map_or(TOP_BITS, u64::from_le_bytes);
    let ascii_blocks = bytes
        .chunks_exact(16)
        .take_while(|block| {
            let (low, high) = block.split_at(8);
            (word(low) | word(high)) & TOP_BITS == 0
        })
        .count();
    let at = ascii_blocks * 16;
    at + bytes.get(at..).unwrap_or(&[]).iter().take_while(|b| b.is_ascii()).count()
}

/// The largest char boundary at or below `offset`.
pub fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    offset = offset.min(source.len());
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let src = "héllo\nwörld";
        let index = LineIndex::new(src);
        let offset = src.find("rld").unwrap_or(0);
        assert_eq!(index.line_col(src, offset), LineCol { line: 2, column: 3 });
        assert_eq!(index.line_col(src, 0), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn columns_past_a_checkpoint_count_characters() {
        let src = format!("{}\n{}x", "é".repeat(CHAR_STRIDE), "ü".repeat(CHAR_STRIDE + 7));
        let index = LineIndex::new(&src);
        let offset = src.len() - 1;
        assert_eq!(index.line_col(&src, offset), LineCol { line: 2, column: CHAR_STRIDE + 8 });
        let mid = "é".len() * 3000;
        assert_eq!(index.line_col(&src, mid), LineCol { line: 1, column: 3001 });
    }

    #[test]
    fn line_span_drops_crlf() {
        let src = "one\r\ntwo";
        let index = LineIndex::new(src);
        assert_eq!(index.line_span(src, 1).text(src), "one");
        assert_eq!(index.line_span(src, 2).text(src), "two");
    }

    #[test]
    fn text_of_a_span_outside_the_source_is_empty() {
        assert_eq!(Span::new(3, 99).text("abc"), "");
    }

    proptest::proptest! {
        /// A cursor gives the positions `line_col` gives, whether offsets come in order (as a
        /// report's do), jump far ahead, or go back.
        #[test]
        fn a_cursor_finds_what_line_col_finds(
            text in "[ab\n\n\né]{0,300}",
            mut offsets in proptest::collection::vec(0usize..400, 0..40),
            sorted: bool,
        ) {
            if sorted {
                offsets.sort_unstable();
            }
            let index = LineIndex::new(&text);
            let mut cursor = index.cursor(&text);
            for offset in offsets {
                proptest::prop_assert_eq!(cursor.line_col(offset), index.line_col(&text, offset), "{}", offset);
            }
        }

        /// Counted eight bytes at a time, from any byte (a character's middle included), the
        /// character starts are those a byte-by-byte count finds.
        #[test]
        fn character_starts_are_counted_as_byte_by_byte(text in "[a-zé€😀\n]{0,40}", from in 0usize..200) {
            let bytes = text.as_bytes();
            let part = bytes.get(from.min(bytes.len())..).unwrap_or(&[]);
            let by_byte = part.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            proptest::prop_assert_eq!(count_char_starts(part), by_byte);
            let ascii = part.iter().position(|b| !b.is_ascii()).unwrap_or(part.len());
            proptest::prop_assert_eq!(ascii_prefix_len(part), ascii);
        }

        /// The lines and their offsets are those `split_inclusive` gives, blank and unended
        /// ones included.
        #[test]
        fn lines_are_split_as_str_splits_them(text in "[ab\r\n é]{0,30}") {
            let mut offset = 0;
            let by_str: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .map(|line| {
                    offset += line.len();
                    (offset - line.len(), line)
                })
                .collect();
            proptest::prop_assert_eq!(lines_with_offsets(&text).collect::<Vec<_>>(), by_str);
        }
    }
}
