//! One branch of a [`super::Pattern`], compiled the first time an anchor of it is found: a
//! forward NFA, a lazy DFA over it for anchored searches, and a PikeVM for what the lazy DFA
//! gives up on (Unicode word boundaries next to non-ASCII text, a thrashing cache).
//!
//! Only anchored searches run here: the caller knows where a match would start, so the engine
//! only has to find where it ends, which the forward automaton alone can do. Both engines follow
//! leftmost-first semantics, as `regex` does, so the end found is the end `regex` would report.

use std::panic::{RefUnwindSafe, UnwindSafe};

use regex_automata::hybrid::dfa::{self as lazy, DFA};
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures, pikevm::PikeVM};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input};

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
        let vm = PikeVM::new_from_nfa(nfa.clone()).ok()?;
        let vm_for_caches = vm.clone();
        let vm_caches: Pool<_, Make<_>> = Pool::new(Box::new(move || vm_for_caches.create_cache()));
        Some(Self { dfa: lazy_dfa(nfa), vm, vm_caches })
    }

    /// The end of the match starting exactly at `start` in `haystack`, if there is one. With
    /// `any`, the first end found will do (for "is there a match").
    pub(super) fn match_at(&self, haystack: &str, start: usize, any: bool) -> Option<usize> {
        let input = Input::new(haystack).range(start..).anchored(Anchored::Yes).earliest(any);
        if let Some((dfa, caches)) = &self.dfa {
            let mut cache = caches.get();
            if let Ok(found) = dfa.try_search_fwd(&mut cache, &input) {
                return found.map(|m| m.offset());
            }
        }
        let mut cache = self.vm_caches.get();
        self.vm.find(&mut cache, input).map(|m| m.end())
    }
}

/// A lazy DFA over `nfa`, or `None` if it cannot be built (the PikeVM then does all the work).
fn lazy_dfa(nfa: NFA) -> Option<(DFA, Pool<lazy::Cache, Make<lazy::Cache>>)> {
    let config = DFA::config().unicode_word_boundary(true).skip_cache_capacity_check(true);
    let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
    let for_caches = dfa.clone();
    let caches: Pool<_, Make<_>> = Pool::new(Box::new(move || for_caches.create_cache()));
    Some((dfa, caches))
}
