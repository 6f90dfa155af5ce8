//! The linter: a rule set, a selection and options, applied to documents.
//!
//! `Linter::check` runs every selected rule whose profile matches the document and returns the
//! findings sorted by (offset, code, end), deduplicated, after dropping what the document's
//! suppression directives suppress (see [`crate::suppress`]) and adding the document's notes as
//! notices (see [`crate::rules::notice`]). The linter is immutable and `Sync`, so one instance
//! serves every file of a run, in parallel.
//!
//! The anchors of every enabled rule's pattern are gathered into one [`PatternSet`] the first
//! time a document is checked, and each document is scanned for them once; disabled rules are
//! never parsed or compiled.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::pattern::{Candidate, Pattern, PatternSet};
use crate::rules::kinds::RunCx;
use crate::rules::{Category, RuleSet, ScopeSet, Severity};
use crate::text::{Document, Profile, Region, RegionKind};

/// Options that change how rules measure, not which rules run.
#[derive(Clone, Debug)]
pub struct LintOptions {
    /// Speaking rate used for spoken length (words per minute).
    pub words_per_minute: u32,
}

impl Default for LintOptions {
    fn default() -> Self {
        Self { words_per_minute: 150 }
    }
}

/// Which rules run: `select` (default: all) minus `ignore`, plus `extend-select`. Each entry is a
/// code, a code prefix, a rule name or a category name.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Replace the default "everything" with these.
    pub select: Option<Vec<String>>,
    /// Add these to the selection.
    pub extend_select: Vec<String>,
    /// Remove these.
    pub ignore: Vec<String>,
}

/// A selector that matched no rule, reported so typos do not silently select nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownSelector(pub String);

impl Selection {
    /// Resolves the selection against a rule set: indices of enabled rules, in order.
    ///
    /// # Errors
    /// The selectors that match no rule.
    pub fn resolve(&self, rules: &RuleSet) -> Result<Vec<usize>, Vec<UnknownSelector>> {
        let mut unknown = Vec::new();
        let mut check = |sel: &String| {
            if !rules.rules().iter().any(|r| selector_matches(sel, r)) {
                unknown.push(UnknownSelector(sel.clone()));
            }
        };
        self.select.iter().flatten().chain(&self.extend_select).chain(&self.ignore).for_each(&mut check);
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let enabled = rules
            .rules()
            .iter()
            .enumerate()
            .filter(|(_, rule)| {
                let selected = self.select.as_ref().is_none_or(|s| s.iter().any(|sel| selector_matches(sel, rule)))
                    || self.extend_select.iter().any(|sel| selector_matches(sel, rule));
                selected && !self.ignore.iter().any(|sel| selector_matches(sel, rule))
            })
            .map(|(i, _)| i)
            .collect();
        Ok(enabled)
    }
}

/// True if `selector` names the rule: `ALL`, its code, a prefix of its code, its name or its
/// category.
pub fn selector_matches(selector: &str, rule: &crate::rules::Rule) -> bool {
    let sel = selector.trim();
    sel.eq_ignore_ascii_case("all")
        || rule.code.eq_ignore_ascii_case(sel)
        || (!sel.is_empty()
            && sel.chars().all(|c| c.is_ascii_alphanumeric())
            && rule.code.to_ascii_uppercase().starts_with(&sel.to_ascii_uppercase()))
        || rule.name == sel
        || Category::from_name(sel) == Some(rule.category)
}

/// What [`Linter::scan`] found: which rules run on the document, and each rule's candidates.
#[derive(Debug)]
pub struct Scan {
    runs: Vec<bool>,
    /// Per rule, its candidates.
    slots: Vec<Option<Vec<Candidate>>>,
    /// The request lexicon's candidates (see [`Document::give_request_candidates`]).
    requests: Option<Vec<Candidate>>,
}

/// The pattern set's first slots hold the text's lexicons (see [`Linter::pattern_slots`]); rule
/// `i`'s pattern is in slot `LEXICONS + i`.
const LEXICONS: usize = 1;

/// A rule set with a selection, severity overrides and options, ready to check documents.
#[derive(Clone, Debug)]
pub struct Linter {
    rules: Arc<RuleSet>,
    enabled: Vec<usize>,
    severities: Vec<Severity>,
    options: LintOptions,
    /// The enabled rules' patterns, by rule index, built on first use.
    patterns: OnceLock<PatternSet>,
}

/// Documents at least this long (bytes) run each rule as a task of its own (see
/// [`Linter::run_rules`]).
const RULE_A_TASK_FROM: usize = 1 << 16;

impl Linter {
    /// Builds a linter over `rules` running the rules at `enabled` indices.
    pub fn new(rules: Arc<RuleSet>, enabled: Vec<usize>, options: LintOptions) -> Self {
        let severities = rules.rules().iter().map(|r| r.severity).collect();
        Self { rules, enabled, severities, options, patterns: OnceLock::new() }
    }

    /// A linter running every rule of `rules` with default options.
    pub fn all(rules: Arc<RuleSet>) -> Self {
        let enabled = (0..rules.len()).collect();
        Self::new(rules, enabled, LintOptions::default())
    }

    /// Overrides the severity of the rule at `index`.
    pub fn set_severity(&mut self, index: usize, severity: Severity) {
        if let Some(slot) = self.severities.get_mut(index) {
            *slot = severity;
        }
    }

    /// The rule set.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Indices of the enabled rules.
    pub fn enabled(&self) -> &[usize] {
        &self.enabled
    }

    /// The effective severity of the rule at `index` (after configuration).
    pub fn severity(&self, index: usize) -> Severity {
        self.severities
            .get(index)
            .copied()
            .or_else(|| self.rules.get(index).map(|r| r.severity))
            .unwrap_or(Severity::Info)
    }

    /// The options.
    pub fn options(&self) -> &LintOptions {
        &self.options
    }

    /// Checks one document; findings are sorted by (offset, code, end) and deduplicated.
    pub fn check(&self, doc: &Document<'_>) -> Vec<Diagnostic> {
        if self.patterns.get().is_some() {
            return self.check_scanned(doc, self.scan(doc.source(), doc.regions(), doc.profile()));
        }
        // The first document waits for the pattern set to be built, on one core: the rules that
        // take no candidates (measures, ratios, asks) run meanwhile on the others.
        let (scan, early) = rayon::join(
            || self.scan(doc.source(), doc.regions(), doc.profile()),
            || {
                let runs = self.runs_on(doc.regions(), doc.profile());
                self.run_rules(doc, &runs, self.enabled_taking(false).map(|index| (index, None)).collect())
            },
        );
        let Scan { runs, mut slots, requests } = scan;
        if let Some(requests) = requests {
            doc.give_request_candidates(requests);
        }
        let work =
            self.enabled_taking(true).map(|index| (index, slots.get_mut(index).and_then(Option::take))).collect();
        let mut per_rule = early;
        per_rule.extend(self.run_rules(doc, &runs, work));
        self.finish(doc, per_rule)
    }

    /// The enabled rules that take candidates from the pattern set (`true`) or that do not.
    fn enabled_taking(&self, candidates: bool) -> impl Iterator<Item = usize> + '_ {
        self.enabled.iter().copied().filter(move |&index| {
            self.rules.get(index).is_some_and(|rule| rule.check.pattern().is_some() == candidates)
        })
    }

    /// Which rules run on a document with these regions and profile.
    fn runs_on(&self, regions: &[Region], profile: Profile) -> Vec<bool> {
        let mut runs = vec![false; self.rules.len()];
        for &index in &self.enabled {
            if let (Some(runs), Some(rule)) = (runs.get_mut(index), self.rules.get(index)) {
                *runs = rule.applies_to(profile) && rule.gate.admits_regions(regions);
            }
        }
        runs
    }

    /// Builds, ahead of the text, what checking a long one comes to use and a short one may
    /// not: the regexes its lines are classified with, the scan's automaton (see
    /// [`PatternSet::prepare_for_long_text`]), and the regexes its sentences are searched with
    /// (see [`Pattern::prepare_for_sentences`]), in the order they are needed. Called while a
    /// large file is read, on a core that would otherwise wait; nothing changes but when the
    /// work is done.
    pub fn prepare_for_long_text(&self) {
        crate::text::email::prepare_for_long_text();
        self.patterns().prepare_for_long_text();
        crate::text::ask::prepare_for_long_text();
        for &index in &self.enabled {
            if let Some(pattern) = self.rules.get(index).and_then(|rule| rule.check.sentence_pattern()) {
                pattern.prepare_for_sentences();
            }
        }
    }

    /// The first half of [`Linter::check`], which needs only the text, its regions and its
    /// profile (not its sentences and words): which rules run, and their candidates. It can
    /// therefore run while the document is being split (see [`Document::parse_with`]).
    pub fn scan(&self, source: &str, regions: &[Region], profile: Profile) -> Scan {
        let mut window_starts: Vec<usize> = regions.iter().map(|r| r.span.start).collect();
        window_starts.sort_unstable();
        let runs = self.runs_on(regions, profile);
        // Candidates are only looked at inside regions in the rule's scope: a rule whose scope
        // the document lacks (a subject line in a pitch) still runs, but needs none.
        let mut wanted = vec![true; LEXICONS];
        wanted.resize(LEXICONS + self.rules.len(), false);
        for &index in &self.enabled {
            if let (Some(&runs), Some(wanted), Some(rule)) =
                (runs.get(index), wanted.get_mut(LEXICONS + index), self.rules.get(index))
            {
                *wanted = runs && regions.iter().any(|r| rule.scope.contains(r.kind));
            }
        }
        let mut slots = self.patterns().scan_for(source, &window_starts, &wanted).into_slots();
        let requests = slots.first_mut().and_then(Option::take);
        slots.drain(..LEXICONS.min(slots.len()));
        Scan { runs, slots, requests }
    }

    /// The second half of [`Linter::check`]: runs the rules on `doc` with what [`Linter::scan`]
    /// found in its text, regions and profile (the same ones, or the findings are wrong).
    pub fn check_scanned(&self, doc: &Document<'_>, scan: Scan) -> Vec<Diagnostic> {
        let Scan { runs, mut slots, requests } = scan;
        if let Some(requests) = requests {
            doc.give_request_candidates(requests);
        }
        // Each rule takes its own candidates, freed as soon as it has run.
        let work = self.enabled.iter().map(|&index| (index, slots.get_mut(index).and_then(Option::take))).collect();
        let per_rule = self.run_rules(doc, &runs, work);
        self.finish(doc, per_rule)
    }

    /// Runs the rules of `work` (each with its candidates) that `runs` marks, in parallel (each
    /// compiles its own patterns on first use, and a large document keeps every core busy).
    fn run_rules(
        &self,
        doc: &Document<'_>,
        runs: &[bool],
        mut work: Vec<(usize, Option<Vec<Candidate>>)>,
    ) -> Vec<Vec<Diagnostic>> {
        let run = |(index, candidates): (usize, Option<Vec<Candidate>>)| {
            let mut out = Vec::new();
            let Some(rule) = self.rules.get(index) else { return out };
            if !runs.get(index).copied().unwrap_or(false) {
                return out;
            }
            let severity = self.severities.get(index).copied().unwrap_or(rule.severity);
            let mut cx = RunCx {
                doc,
                rule,
                index,
                severity,
                options: &self.options,
                out: &mut out,
                candidates: candidates.as_deref(),
            };
            rule.check.run(&mut cx);
            // The document gate searches the whole text: only worth it when there is
            // something to drop.
            if !out.is_empty() && !rule.gate.admits_text(doc, rule.scope) {
                out.clear();
            }
            out
        };
        // A short document keeps rayon's batches: its rules are too quick for a task each to pay.
        if doc.source().len() < RULE_A_TASK_FROM {
            return work.into_par_iter().map(run).collect();
        }
        // On a long one, rules take from microseconds to a tenth of the work each. They are
        // taken one at a time, the likely costliest first, by whichever core is free, so that
        // the last to finish is a short one: in rayon's halves, a core could start the reading
        // grade or the long-word count (15 ms each on 10 MiB) when the other had nothing left.
        // Likely costliest: the rules that read the whole text themselves (no candidates:
        // counts, measures, filtered patterns), then by how many candidates the scan found.
        work.sort_by_key(|(_, candidates)| std::cmp::Reverse(candidates.as_ref().map_or(usize::MAX, Vec::len)));
        let queue = std::sync::Mutex::new(work.into_iter());
        let next = || queue.lock().ok().and_then(|mut queue| queue.next());
        // As many takers as cores; on a core already busy (another file), they take in turn.
        (0..rayon::current_num_threads())
            .into_par_iter()
            .with_max_len(1)
            .flat_map_iter(|_| std::iter::from_fn(|| next().map(run)))
            .collect()
    }

    /// The rules' findings gathered, with suppressions applied and notes added, sorted (so the
    /// order the rules ran in does not matter).
    fn finish(&self, doc: &Document<'_>, mut per_rule: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
        // The others are added to the longest list, grown once: a large document has tens of
        // thousands of findings, and a new vector for them all would be written afresh. (Which
        // list comes first does not matter: the sort orders findings of different rules by
        // code, and keeps each rule's own in the order found.)
        let total: usize = per_rule.iter().map(Vec::len).sum();
        let longest = per_rule.iter().enumerate().max_by_key(|(_, list)| list.len()).map_or(0, |(index, _)| index);
        let mut out = if per_rule.is_empty() { Vec::new() } else { per_rule.swap_remove(longest) };
        out.reserve(total - out.len());
        for findings in per_rule {
            out.extend(findings);
        }
        crate::suppress::apply(self, doc, &mut out);
        crate::rules::notice::report_notes(self, doc, &mut out);
        self.sort(&mut out);
        out
    }

    /// The set of enabled rules' patterns: slot `i` is rule `i`'s, empty for disabled rules.
    fn patterns(&self) -> &PatternSet {
        if let Some(set) = self.patterns.get() {
            return set;
        }
        let slots = self.pattern_slots();
        // The built-in rules' set is built into the binary: nothing to analyse.
        if let Some(stored) = PatternSet::stored(&slots) {
            return self.patterns.get_or_init(|| stored);
        }
        // The patterns are analysed on every core before the lock that builds the set once,
        // never inside it: a pool thread waiting in there for its share of the work would take
        // up another job meanwhile, and if that job checks a document with this linter it
        // waits on the same lock, beneath itself, for ever. (Each pattern's analysis has its
        // own lock, whose work runs on one thread.)
        PatternSet::analyse(&slots);
        self.patterns.get_or_init(|| PatternSet::new(&slots))
    }

    /// The slots of the linter's [`PatternSet`]: the request lexicon (whose candidates spare
    /// most sentences a search, see [`Document::is_request`]), then the enabled rules' patterns
    /// by rule index (`None` for a disabled rule, one without a pattern, or one that looks only
    /// at the subject line).
    ///
    /// A rule of the subject line alone searches that line itself: the one scan of the whole
    /// text is there to spare rules a search each of the body, and the subject is one short
    /// line, while its rules' anchors (`re`, `tr`, `aw`, `question`, and the like) are common
    /// inside the body's words. In the scan, they were 161,000 of the 460,000 places the 10 MiB
    /// corpus's literals were found, every one of them for a rule that had no subject to look at.
    pub fn pattern_slots(&self) -> Vec<Option<&Pattern>> {
        let mut slots = vec![Some(crate::text::ask::request_lexicon())];
        slots.resize(LEXICONS + self.rules.len(), None);
        let subject_only = ScopeSet::from_kinds(&[RegionKind::Subject]);
        for &index in &self.enabled {
            if let Some(slot) = slots.get_mut(LEXICONS + index) {
                *slot = self.rules.get(index).filter(|r| r.scope != subject_only).and_then(|r| r.check.pattern());
            }
        }
        slots
    }

    /// Sorts and deduplicates findings deterministically.
    pub fn sort(&self, diagnostics: &mut Vec<Diagnostic>) {
        let code = |d: &Diagnostic| self.rules.get(d.rule).map_or("", |r| r.code.as_str());
        let by_key = |a: &Diagnostic, b: &Diagnostic| {
            (a.span.start, code(a), a.span.end, &a.message).cmp(&(b.span.start, code(b), b.span.end, &b.message))
        };
        if diagnostics.len() < MANY_FINDINGS {
            diagnostics.sort_by(by_key);
        } else {
            // A long text's tens of thousands of findings: their places are sorted, on every
            // core, and each finding then moved once, not once per level of a merge sort. Ties
            // keep the order found, as the stable sort above does.
            let mut order: Vec<usize> = (0..diagnostics.len()).collect();
            order.par_sort_by(|&i, &j| {
                let by_keys = match (diagnostics.get(i), diagnostics.get(j)) {
                    (Some(a), Some(b)) => by_key(a, b),
                    _ => std::cmp::Ordering::Equal,
                };
                by_keys.then(i.cmp(&j))
            });
            permute(diagnostics, order);
        }
        diagnostics.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
    }
}

/// Findings sorted by their places from this many on (see [`Linter::sort`]).
const MANY_FINDINGS: usize = 1 << 12;

/// Puts `items[order[k]]` at `k` for every `k` (`order` a permutation of the indices), each
/// item moved once along the cycle it lies on.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for first in 0..order.len() {
        let mut at = first;
        while let Some(from) = order.get_mut(at).map(|slot| std::mem::replace(slot, DONE)) {
            if from == DONE || from == first {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::Linter;
    use crate::rules::RuleSet;
    use crate::text::{InputFormat, LintText, Profile};

    proptest::proptest! {
        /// Moving items along the permutation's cycles puts each where indexing would.
        #[test]
        fn permuting_in_place_is_indexing(keys in proptest::collection::vec(0u8..20, 0..300)) {
            let mut order: Vec<usize> = (0..keys.len()).collect();
            order.sort_by_key(|&i| keys.get(i).copied());
            let expected: Vec<(u8, usize)> = order.iter().filter_map(|&i| keys.get(i).map(|&k| (k, i))).collect();
            let mut items: Vec<(u8, usize)> = keys.iter().copied().zip(0..).collect();
            super::permute(&mut items, order);
            proptest::prop_assert_eq!(items, expected);
        }
    }

    /// Every file under `dir`, read, with its format.
    fn texts_under(dir: &std::path::Path, out: &mut Vec<(String, InputFormat)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for path in entries.flatten().map(|entry| entry.path()) {
            if path.is_dir() {
                texts_under(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((text, InputFormat::from_path(&path)));
            }
        }
    }

    /// Whether each sentence of `text` is a request, searched alone and answered from the
    /// scan's candidates, and that none ruled out without a look is one; the count of requests
    /// and of sentences ruled out.
    fn requests_both_ways(linter: &Linter, text: &str, format: InputFormat) -> (usize, usize) {
        let lint_text = LintText::new(text, format);
        let (alone, given) = (lint_text.document(Profile::Auto), lint_text.document(Profile::Auto));
        let scan = linter.scan(given.source(), given.regions(), given.profile());
        let Some(requests) = scan.requests else { panic!("the request lexicon takes candidates") };
        given.give_request_candidates(requests);
        let (mut count, mut ruled_out) = (0, 0);
        for (index, (a, b)) in alone.sentences().iter().zip(given.sentences()).enumerate() {
            let request = alone.is_request(a);
            assert_eq!(request, given.is_request(b), "{:?}", a.span().text(text));
            let maybe = given.may_be_request(index);
            assert!(maybe || !request, "ruled out, yet a request: {:?}", a.span().text(text));
            count += usize::from(request);
            ruled_out += usize::from(!maybe);
        }
        (count, ruled_out)
    }

    /// A sentence is a request whether the lexicon searches it alone or the candidates the
    /// linter's scan found answer: on every fixture, and on all of them in one long text
    /// (scanned in parts).
    #[test]
    fn requests_found_from_candidates_are_requests_searched_alone() {
        let Ok(rules) = RuleSet::builtin() else { panic!("the built-in pack loads") };
        let linter = Linter::all(Arc::new(rules));
        let mut texts = Vec::new();
        texts_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"), &mut texts);
        assert!(texts.len() > 20);
        let mut all: String = texts.iter().map(|(text, _)| format!("{text}\n\n")).collect();
        while all.len() < (1 << 21) {
            all = all.repeat(2);
        }
        let mut requests = 0;
        for (text, format) in &texts {
            requests += requests_both_ways(&linter, text, *format).0;
        }
        assert!(requests > 20, "{requests}");
        // A request literal outside every sentence (in code, a signature) comes before asks.
        let after_code = "```\ncould you\n```\n\nCould you introduce me to Priya? Would you be open to a call?\n";
        assert_eq!(requests_both_ways(&linter, after_code, InputFormat::Markdown).0, 2);
        let (long, ruled_out) = requests_both_ways(&linter, &all, InputFormat::Plain);
        assert!(long > 100, "{long}");
        // Most sentences are no request, and most of those are known to be none at once.
        assert!(ruled_out > long, "{ruled_out} ruled out, {long} requests");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]
        /// The same for sentences made of the lexicon's openings, asks and offers.
        #[test]
        fn made_up_requests_are_found_either_way(pieces in proptest::collection::vec(proptest::sample::select(vec![
            "Anyone got", "So, does anyone know", "• could you", "- can you", "2) Would you", "do you know",
            "anybody", "someone who", "looking for", "Currently looking for", "I'm", "we are", "keen to meet",
            "interested in", "an intro to", "introduce me", "send them my way", "if you hear of", "happy to",
            "Would you like me to", "let me know if", "a good fit", "is", "the best", "referrals are welcome",
            "pls", "please do", "share", "great", "bakery", "owners", ".", "?", "!", "\n", "\n\n", ",", " ",
        ]), 1..30)) {
            let Ok(rules) = RuleSet::builtin() else { panic!("the built-in pack loads") };
            let linter = Linter::all(Arc::new(rules));
            let text = pieces.join(" ");
            requests_both_ways(&linter, &text, InputFormat::Plain);
        }
    }

    /// A long text's findings are sorted by their places, like a short text's.
    #[test]
    fn many_findings_sort_as_few_do() {
        let Ok(rules) = RuleSet::builtin() else { panic!("the built-in pack loads") };
        let linter = Linter::all(Arc::new(rules));
        let paragraph = "We are the best. We are the leading award-winning agency. Sign up today!! \
                         I'm looking for paying clients, anyone who needs a website.\n\n";
        let source = paragraph.repeat(1000);
        let text = LintText::new(&source, InputFormat::Plain);
        let doc = text.document(Profile::Auto);
        let found = linter.check(&doc);
        assert!(found.len() >= super::MANY_FINDINGS, "{}", found.len());
        let mut resorted = found.clone();
        resorted.reverse();
        resorted.sort_by(|a, b| {
            let code = |d: &crate::diagnostic::Diagnostic| linter.rules.get(d.rule).map(|r| r.code.clone());
            (a.span.start, code(a), a.span.end, &a.message).cmp(&(b.span.start, code(b), b.span.end, &b.message))
        });
        assert_eq!(format!("{found:?}"), format!("{resorted:?}"));
    }

    /// A linter's first document (its pattern set built while the rules without candidates run)
    /// gets the findings the same document gets once the set is built.
    #[test]
    fn the_first_check_finds_what_later_ones_find() {
        let Ok(rules) = RuleSet::builtin() else { panic!("the built-in pack loads") };
        let rules = Arc::new(rules);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for name in
            ["fixtures/pitches/hard-sell.txt", "fixtures/pitches/vague-ask.txt", "fixtures/emails/suppressed.md"]
        {
            let path = root.join(name);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let lint_text = LintText::new(&text, InputFormat::from_path(&path));
            let doc = lint_text.document(Profile::Auto);
            let linter = Linter::all(Arc::clone(&rules));
            let first = linter.check(&doc);
            assert!(linter.patterns.get().is_some(), "the first check builds the pattern set");
            let again = linter.check(&doc);
            assert!(!first.is_empty(), "{name} has findings");
            assert_eq!(format!("{first:?}"), format!("{again:?}"), "{name}");
        }
    }

    /// Threads outside the pool that share a fresh linter all finish their first checks. The
    /// pattern set used to be analysed on every core inside the lock that builds it once; a
    /// pool thread waiting there for its share of that work would take up another thread's
    /// check meanwhile, which then waited on the same lock, beneath itself, for ever. Half the
    /// linters carry a user's pack too, whose slots get a set analysed and built at first use
    /// (the built-in rules' set is stored).
    #[test]
    fn threads_sharing_a_fresh_linter_all_finish() {
        let Ok(rules) = RuleSet::builtin() else { panic!("the built-in pack loads") };
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let pack_path = "fixtures/rules-good/local/thanks-in-advance.toml";
        let pack = vec![(pack_path.to_owned(), std::fs::read_to_string(root.join(pack_path)).unwrap_or_default())];
        let Ok(extra) = crate::rules::load::load_sources(&pack, false) else { panic!("the pack loads") };
        let Ok(base) = RuleSet::builtin() else { panic!("the built-in pack loads") };
        let Ok(with_pack) = crate::rules::load::merge(base, extra, &pack) else { panic!("the packs merge") };
        assert_eq!(with_pack.len(), rules.len() + 1);
        let packs = [Arc::new(rules), Arc::new(with_pack)];
        let pack_linter = Linter::all(Arc::clone(&packs[1]));
        let last = pack_linter.pattern_slots().last().copied();
        assert!(last.is_some_and(|slot| slot.is_some()), "the pack's rule has a pattern for the set");
        let text = std::fs::read_to_string(root.join("fixtures/pitches/hard-sell.txt")).unwrap_or_default();
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let lint_text = LintText::new(&text, InputFormat::Plain);
            let doc = lint_text.document(Profile::Auto);
            for round in 0..100 {
                let linter = Linter::all(Arc::clone(&packs[round % 2]));
                let start = std::sync::Barrier::new(6);
                std::thread::scope(|scope| {
                    for _ in 0..6 {
                        scope.spawn(|| {
                            start.wait();
                            linter.check(&doc)
                        });
                    }
                });
            }
            done.send(()).ok();
        });
        let waited = finished.recv_timeout(std::time::Duration::from_secs(60));
        assert!(waited.is_ok(), "checks sharing a fresh linter never finished");
    }

    /// Scanning while the text is split finds what scanning the parsed document finds, whether
    /// the profile is detected or chosen.
    #[test]
    fn a_scan_beside_the_split_finds_what_check_finds() {
        let Ok(rules) = RuleSet::builtin() else { panic!("the built-in pack loads") };
        let linter = Linter::all(Arc::new(rules));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut text = String::new();
        for name in ["hard-sell.txt", "jargon.txt", "junior-advice.txt"] {
            text.push_str(&std::fs::read_to_string(root.join("fixtures/pitches").join(name)).unwrap_or_default());
            text.push_str("\n\n");
        }
        assert!(text.len() > 500, "the fixtures are there");
        let text = text.repeat((1 << 19) / text.len() + 1);
        for chosen in [Profile::Auto, Profile::Email] {
            let lint_text = LintText::new(&text, InputFormat::Plain);
            let (doc, scan) = lint_text.document_with(Profile::Auto, |source, regions, detected| {
                linter.scan(source, regions, if chosen == Profile::Auto { detected } else { chosen })
            });
            let doc = doc.with_profile(chosen);
            let beside = linter.check_scanned(&doc, scan);
            let after = linter.check(&doc);
            assert!(beside.len() > 100, "{} findings", beside.len());
            assert_eq!(format!("{beside:?}"), format!("{after:?}"), "{chosen:?}");
        }
    }
}
