//! One branch of a [`super::Pattern`], compiled the first time an anchor of it is found: a
//! forward NFA, a lazy DFA over it for anchored searches, and a PikeVM for what the lazy DFA
//! gives up on (Unicode word boundaries next to non-ASCII text, a thrashing cache).
//!
//! Only anchored searches run here: the caller knows where a match would start, so the engine
//! only has to find where it ends, which the forward automaton alone can do. Both engines follow
//! leftmost-first semantics, as `regex` does, so the end found is the end `regex` would report.
//! Each search also says how many bytes it read, so that a caller can stop trying candidates
//! one by one when that costs more than one pass of the whole regex would.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures, pikevm::PikeVM};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

use super::Options;

type Make<T> = Box<dyn Fn() -> T + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// A compiled branch.
pub(super) struct Engine {
    dfa: Option<(DFA, Pool<lazy::Cache, Make<lazy::Cache>>)>,
    vm: PikeVM,
    vm_caches: Pool<thompson::pikevm::Cache, Make<thompson::pikevm::Cache>>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine").field("lazy_dfa", &self.dfa.is_some()).finish_non_exhaustive()
    }
}

impl Engine {
    /// Compiles `pattern` with the same syntax options `regex::RegexBuilder` would use.
    pub(super) fn compile(pattern: &str, options: Options) -> Option<Self> {
        let nfa = thompson::Compiler::new()
            .syntax(syntax::Config::new().case_insensitive(options.case_insensitive))
            .configure(
                thompson::Config::new().which_captures(WhichCaptures::Implicit).nfa_size_limit(options.size_limit),
            )
            .build(pattern)
            .ok()?;
        Self::from_nfa(nfa)
    }

    /// Compiles `pattern` for haystacks whose characters all lie in `repertoire` (see
    /// [`restrict`]): on such a haystack it matches exactly as the whole pattern does, while the
    /// automaton is a fraction of the size. `None` if it cannot be built.
    pub(super) fn compile_for(pattern: &str, options: Options, repertoire: Repertoire) -> Option<Self> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new().which_captures(WhichCaptures::Implicit).nfa_size_limit(options.size_limit),
            )
            .build_from_hir(&hir_for(pattern, options, repertoire)?)
            .ok()?;
        Self::from_nfa(nfa)
    }

    fn from_nfa(nfa: NFA) -> Option<Self> {
        let vm = PikeVM::new_from_nfa(nfa.clone()).ok()?;
        let vm_for_caches = vm.clone();
        let vm_caches: Pool<_, Make<_>> = Pool::new(Box::new(move || vm_for_caches.create_cache()));
        Some(Self { dfa: lazy_dfa(nfa), vm, vm_caches })
    }

    /// The match starting exactly at `start` in `haystack`, if there is one. With `any`, the
    /// first end found will do (for "is there a match").
    pub(super) fn match_at(&self, haystack: &str, start: usize, any: bool) -> Verdict {
        if let Some((dfa, caches)) = &self.dfa {
            let mut cache = caches.get();
            if let Some(verdict) = lazy_match_at(dfa, &mut cache, haystack, start, any) {
                return verdict;
            }
        }
        let input = Input::new(haystack).range(start..).anchored(Anchored::Yes).earliest(any);
        let mut cache = self.vm_caches.get();
        let end = self.vm.find(&mut cache, input).map(|m| m.end());
        // How far the PikeVM read is not known: count the rest of the haystack.
        Verdict { end, read: haystack.len().saturating_sub(start) }
    }
}

impl Engine {
    /// True if the branch matches anywhere in `haystack` (an unanchored search; the forward
    /// automaton is enough to say whether, not where).
    pub(super) fn is_match(&self, haystack: &str) -> bool {
        let input = Input::new(haystack).earliest(true);
        if let Some((dfa, caches)) = &self.dfa {
            let mut cache = caches.get();
            if let Ok(found) = dfa.try_search_fwd(&mut cache, &input) {
                return found.is_some();
            }
        }
        let mut cache = self.vm_caches.get();
        self.vm.find(&mut cache, input).is_some()
    }
}

/// The outcome of an anchored search.
#[derive(Copy, Clone, Debug)]
pub(super) struct Verdict {
    /// Where the match ends, if there is one.
    pub(super) end: Option<usize>,
    /// Bytes read to decide.
    pub(super) read: usize,
}

/// An anchored leftmost-first search with the lazy DFA, stepped byte by byte as its own search
/// loop does (a match state is entered one byte after the match ends; the end of the haystack
/// has a transition of its own). `None` if the DFA gives up (a quit byte, a thrashing cache).
fn lazy_match_at(dfa: &DFA, cache: &mut lazy::Cache, haystack: &str, start: usize, any: bool) -> Option<Verdict> {
    let input = Input::new(haystack).range(start..).anchored(Anchored::Yes);
    let bytes = haystack.as_bytes();
    let mut state = dfa.start_state_forward(cache, &input).ok()?;
    let mut end = None;
    let mut at = start;
    while let Some(&byte) = bytes.get(at) {
        state = dfa.next_state(cache, state, byte).ok()?;
        if state.is_tagged() {
            if state.is_match() {
                end = Some(at);
                if any {
                    return Some(Verdict { end, read: at - start });
                }
            } else if state.is_dead() {
                return Some(Verdict { end, read: at + 1 - start });
            } else if state.is_quit() {
                return None;
            }
        }
        at += 1;
    }
    if dfa.next_eoi_state(cache, state).ok()?.is_match() {
        end = Some(bytes.len());
    }
    Some(Verdict { end, read: bytes.len() - start })
}

/// A lazy DFA over `nfa`, or `None` if it cannot be built (the PikeVM then does all the work).
fn lazy_dfa(nfa: NFA) -> Option<(DFA, Pool<lazy::Cache, Make<lazy::Cache>>)> {
    let config = DFA::config().unicode_word_boundary(true).skip_cache_capacity_check(true);
    let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
    let for_caches = dfa.clone();
    let caches: Pool<_, Make<_>> = Pool::new(Box::new(move || for_caches.create_cache()));
    Some((dfa, caches))
}

/// The characters a haystack is made of, as far as choosing an automaton goes.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Repertoire {
    /// ASCII only.
    Ascii,
    /// Latin letters (up to U+024F), general punctuation (U+2000 to U+206F: curly quotes,
    /// dashes, ellipsis) and currency signs (U+20A0 to U+20CF): most pitches and e-mails.
    Common,
    /// Anything.
    Any,
}

impl Repertoire {
    /// The smallest repertoire that holds every character of `haystack`.
    pub(crate) fn of(haystack: &str) -> Self {
        if haystack.is_ascii() {
            return Self::Ascii;
        }
        // By UTF-8 lead bytes: C2..C8, and C9 80..8F, are U+0080..U+024F; E2 80..81 start U+2000..U+207F,
        // of which 2070..207F are not common; E2 82 A0.. to E2 83 8F are U+20A0..U+20CF.
        let bytes = haystack.as_bytes();
        let mut at = 0;
        while let Some(&b) = bytes.get(at) {
            let width = match b {
                0x00..=0x7F => crate::span::ascii_prefix_len(bytes.get(at..).unwrap_or(&[])),
                0xC2..=0xC8 => 2,
                0xC9 if bytes.get(at + 1).is_some_and(|next| *next <= 0x8F) => 2,
                0xE2 => match (bytes.get(at + 1), bytes.get(at + 2)) {
                    (Some(0x80), _) | (Some(0x81), Some(0x80..=0xAF)) => 3,
                    (Some(0x82), Some(0xA0..=0xBF)) | (Some(0x83), Some(0x80..=0x8F)) => 3,
                    _ => return Self::Any,
                },
                _ => return Self::Any,
            };
            at += width;
        }
        Self::Common
    }
}

/// A haystack's [`Repertoire`], worked out the first time it is asked for: most anchored
/// searches are answered by a branch's phrase matcher and never need an automaton, and working
/// it out reads the whole haystack (a 10 MB document, once per rule).
pub(crate) struct RepertoireOf<'h> {
    haystack: &'h str,
    known: std::cell::OnceCell<Repertoire>,
}

impl<'h> RepertoireOf<'h> {
    /// The repertoire of `haystack`, not yet worked out.
    pub(crate) fn new(haystack: &'h str) -> Self {
        Self { haystack, known: std::cell::OnceCell::new() }
    }

    /// The repertoire (worked out now if it was not yet).
    pub(crate) fn get(&self) -> Repertoire {
        *self.known.get_or_init(|| Repertoire::of(self.haystack))
    }
}

/// The ranges of [`Repertoire::Common`].
const COMMON: [(char, char); 3] = [('\0', '\u{24F}'), ('\u{2000}', '\u{206F}'), ('\u{20A0}', '\u{20CF}')];

/// `pattern` compiled for haystacks within `repertoire` (see [`restrict`]), with the limits of
/// `options`, and a prefilter (its literals extracted, which for a lexicon of hundreds of words
/// costs more than searching a few sentences) only if asked.
pub(super) fn regex_for(
    pattern: &str,
    options: Options,
    repertoire: Repertoire,
    prefilter: bool,
) -> Option<regex_automata::meta::Regex> {
    let hir = hir_for(pattern, options, repertoire)?;
    let mut config = regex_automata::meta::Config::new().nfa_size_limit(options.size_limit).auto_prefilter(prefilter);
    if let Some(limit) = options.dfa_size_limit {
        config = config.hybrid_cache_capacity(limit).dfa_size_limit(Some(limit));
    }
    regex_automata::meta::Regex::builder().configure(config).build_from_hir(&hir).ok()
}

/// `pattern` parsed as it behaves on text within `repertoire` (see [`restrict`]).
///
/// For ASCII it is first parsed with Unicode mode off, which means the same on ASCII text:
/// case folding, `\w`, `\d`, `\s` and `\b` are ASCII ones, `.` and negated classes may also
/// match bytes past ASCII (there are none), and a literal with a character past ASCII matches
/// only its UTF-8 bytes (there are none either). Nothing is then left to cut, and no Unicode
/// case table is consulted, which for a lexicon of hundreds of case-insensitive words was most
/// of its compilation. A pattern that needs Unicode mode (`\p{L}`, a class holding `’`) does
/// not parse that way and is parsed as usual, then cut.
fn hir_for(pattern: &str, options: Options, repertoire: Repertoire) -> Option<Hir> {
    let parser = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .case_insensitive(options.case_insensitive)
            .unicode(unicode)
            .utf8(unicode)
            .build()
            .parse(pattern)
            .ok()
    };
    if repertoire == Repertoire::Ascii
        && let Some(hir) = parser(false)
    {
        return Some(hir);
    }
    Some(restrict(&parser(true)?, repertoire))
}

/// `hir` as it behaves on text within `repertoire`: classes cut to the characters in it,
/// literals with a character outside it (which cannot occur) made impossible, and, for ASCII,
/// Unicode word assertions made ASCII ones (the same on such text).
fn restrict(hir: &Hir, repertoire: Repertoire) -> Hir {
    // Classes are cut range by range, up to the last range that can reach the repertoire: `\w`
    // has 800 ranges, and a lexicon hundreds of classes, so nothing is cloned whole.
    let in_common = |c: char| COMMON.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
    if repertoire == Repertoire::Any {
        return hir.clone();
    }
    let again = |sub: &Hir| Box::new(restrict(sub, repertoire));
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(lit) => {
            let inside = match repertoire {
                Repertoire::Ascii => lit.0.is_ascii(),
                Repertoire::Common | Repertoire::Any => {
                    std::str::from_utf8(&lit.0).is_ok_and(|text| text.chars().all(in_common))
                }
            };
            if inside { hir.clone() } else { Hir::fail() }
        }
        HirKind::Class(Class::Unicode(class)) if repertoire == Repertoire::Ascii => {
            // As bytes, so the automaton has no UTF-8 machinery at all.
            let byte = |c: char| u8::try_from(u32::from(c)).unwrap_or(0x7F);
            let ranges = class
                .ranges()
                .iter()
                .take_while(|r| r.start().is_ascii())
                .map(|r| ClassBytesRange::new(byte(r.start()), byte(r.end().min('\x7F'))));
            Hir::class(Class::Bytes(ClassBytes::new(ranges)))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let last = COMMON.iter().map(|(_, hi)| *hi).max().unwrap_or('\0');
            let ranges = class.ranges().iter().take_while(|r| r.start() <= last).flat_map(|r| {
                COMMON.iter().filter_map(move |(lo, hi)| {
                    let (start, end) = (r.start().max(*lo), r.end().min(*hi));
                    (start <= end).then(|| ClassUnicodeRange::new(start, end))
                })
            });
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) if repertoire == Repertoire::Ascii => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(rep) => Hir::repetition(Repetition { sub: again(&rep.sub), ..rep.clone() }),
        HirKind::Capture(cap) => Hir::capture(Capture { sub: again(&cap.sub), ..cap.clone() }),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(|s| restrict(s, repertoire)).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(|s| restrict(s, repertoire)).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What cutting a class to a repertoire means: the intersection of the two.
    fn intersected(class: &ClassUnicode, repertoire: Repertoire) -> Class {
        let mut cut = class.clone();
        match repertoire {
            Repertoire::Ascii => {
                cut.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
                Class::Bytes(cut.to_byte_class().unwrap())
            }
            Repertoire::Common | Repertoire::Any => {
                cut.intersect(&ClassUnicode::new(COMMON.iter().map(|(lo, hi)| ClassUnicodeRange::new(*lo, *hi))));
                Class::Unicode(cut)
            }
        }
    }

    #[test]
    fn classes_are_cut_to_the_repertoire_as_by_intersection() {
        let sources = [
            r"\w",
            r"\W",
            r"\p{L}",
            r"\p{Lu}",
            r"[^.!?]",
            r"\s",
            r"\d",
            r"[a-z\u{e9}\u{2019}\u{20ac}-\u{20bf}]",
            r"(?i)k",
            r"(?s).",
            r"[\u{100}-\u{3000}]",
            r"[\u{3000}-\u{4000}]",
        ];
        for source in sources {
            let hir = regex_syntax::parse(source).unwrap();
            let HirKind::Class(Class::Unicode(class)) = hir.kind() else { panic!("{source} is not a class") };
            for repertoire in [Repertoire::Ascii, Repertoire::Common] {
                let cut = restrict(&hir, repertoire);
                assert_eq!(cut, Hir::class(intersected(class, repertoire)), "{source} {repertoire:?}");
            }
        }
    }

    #[test]
    fn the_common_repertoire_is_decided_by_bytes_as_by_characters() {
        let in_common = |c: char| COMMON.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
        for c in ('\u{80}'..='\u{3000}').chain(['\u{1F600}', '\u{FEFF}']) {
            let want = if in_common(c) { Repertoire::Common } else { Repertoire::Any };
            assert_eq!(Repertoire::of(&format!("a{c}b")), want, "{c:?} U+{:04X}", c as u32);
        }
        assert_eq!(Repertoire::of("plain"), Repertoire::Ascii);
        assert_eq!(Repertoire::of("caf\u{e9} \u{2019}s \u{20ac}5"), Repertoire::Common);
    }

    proptest::proptest! {
        /// Skipping runs of ASCII (sixteen bytes at a time) decides as reading every character.
        #[test]
        fn repertoires_of_long_texts_are_decided_as_by_characters(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                "[a-z .]{0,40}",
                proptest::strategy::Just("\u{e9}".to_owned()),
                proptest::strategy::Just("\u{2019}".to_owned()),
                proptest::strategy::Just("\u{20ac}".to_owned()),
                proptest::strategy::Just("\u{250}".to_owned()),
                proptest::strategy::Just("\u{2070}".to_owned()),
                proptest::strategy::Just("\u{1F600}".to_owned()),
            ], 0..10)
        ) {
            let text = pieces.concat();
            let in_common = |c: char| c.is_ascii() || COMMON.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c));
            let want = if text.is_ascii() {
                Repertoire::Ascii
            } else if text.chars().all(in_common) {
                Repertoire::Common
            } else {
                Repertoire::Any
            };
            proptest::prop_assert_eq!(Repertoire::of(&text), want);
        }
    }
}
