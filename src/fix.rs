//! Applying fixes: non-overlapping edits, in order, to a copy of the text; fixing until nothing
//! more applies; and writing files atomically.
//!
//! Invariants: an edit that is out of bounds, off a `char` boundary or overlapping an accepted
//! edit is skipped, never applied half-way; the text between edits is copied byte for byte.
//! A file is replaced by renaming a fully written temporary file in its own directory over it, so
//! a reader sees the old file or the new one, never a mixture. Temporary files are registered
//! while they exist: [`remove_pending_temp_files`] deletes them, and the command line calls it on
//! an interrupt (Ctrl-C, `SIGTERM`, `SIGHUP`) and on a panic before exiting. Only `SIGKILL` or a
//! power cut can leave a `.pitchlint-*.tmp` file behind.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::engine::Linter;
use crate::span::Span;
use crate::text::{InputFormat, LintText, Profile};

/// How many rounds of fixing before giving up on convergence.
pub const MAX_FIX_ROUNDS: usize = 8;

/// Prefix of the temporary files [`write_atomic`] creates next to the file it replaces.
pub const TEMP_PREFIX: &str = ".pitchlint-";

/// The outcome of applying fixes to a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixResult {
    /// The fixed text.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many fixes were skipped because they overlapped an earlier one or did not fit the text.
    pub skipped: usize,
}

/// Applies every fix at or above `min` applicability. Fixes whose edits overlap an already
/// accepted edit (or each other), fall outside the text or cut a character are skipped (a second
/// run picks up the overlapping ones). `DisplayOnly` fixes never apply.
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic], min: Applicability) -> FixResult {
    let wanted = min.max(Applicability::Unsafe);
    let mut fixes: Vec<&Fix> =
        diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.applicability >= wanted).collect();
    fixes.sort_by_key(|f| f.edits.first().map(|e| (e.span.start, e.span.end)));
    let mut accepted = AcceptedEdits::default();
    let mut skipped = 0;
    let mut applied = 0;
    for fix in fixes {
        let fits = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= source.len()
                && source.is_char_boundary(e.span.start)
                && source.is_char_boundary(e.span.end)
        });
        if fits && accepted.try_accept(&fix.edits) {
            applied += 1;
        } else {
            skipped += 1;
        }
    }
    let mut text = String::with_capacity(source.len());
    let mut cursor = 0;
    for edit in accepted.edits {
        text.push_str(source.get(cursor..edit.span.start).unwrap_or(""));
        text.push_str(edit.replacement);
        cursor = edit.span.end;
    }
    text.push_str(source.get(cursor..).unwrap_or(""));
    FixResult { text, applied, skipped }
}

/// Accepted edits, sorted by span and pairwise non-overlapping, so a new edit is checked against
/// its neighbours only (a file with a hundred thousand fixes is fixed in `n log n`).
#[derive(Default)]
struct AcceptedEdits<'a> {
    edits: BTreeSet<OrderedEdit<'a>>,
}

/// An edit ordered by (start, end), then replacement.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct OrderedEdit<'a> {
    span: Span,
    replacement: &'a str,
}

impl<'a> AcceptedEdits<'a> {
    /// Accepts all of `edits` if none clashes with an accepted edit or another of them.
    fn try_accept(&mut self, edits: &'a [Edit]) -> bool {
        let mut added: Vec<OrderedEdit<'a>> = Vec::with_capacity(edits.len());
        for edit in edits {
            let candidate = OrderedEdit { span: edit.span, replacement: &edit.replacement };
            if self.clashes(&candidate) {
                for undo in added {
                    self.edits.remove(&undo);
                }
                return false;
            }
            self.edits.insert(OrderedEdit { span: edit.span, replacement: &edit.replacement });
            added.push(candidate);
        }
        true
    }

    /// Overlap with an accepted edit, or a second insertion at the same place. Accepted spans
    /// sorted by start have non-decreasing ends, so the last one starting before `edit` ends is
    /// the only one that can overlap it.
    fn clashes(&self, edit: &OrderedEdit<'_>) -> bool {
        let span = edit.span;
        let starts_before_end = OrderedEdit { span: Span { start: span.end, end: 0 }, replacement: "" };
        let overlaps = self.edits.range(..starts_before_end).next_back().is_some_and(|a| a.span.overlaps(span));
        let same_insertion = span.is_empty()
            && self.edits.range(OrderedEdit { span, replacement: "" }..).next().is_some_and(|a| a.span == span);
        overlaps || same_insertion
    }
}

/// Applies fixes round after round until nothing more applies or [`MAX_FIX_ROUNDS`] have run,
/// re-linting between rounds (fixes never overlap within a round). A decoded rendering of an
/// e-mail is never fixed: its spans are not the file's bytes. Returns the fixed text.
pub fn fix_until_stable(
    linter: &Linter,
    profile: Profile,
    format: InputFormat,
    text: &str,
    min: Applicability,
) -> String {
    let mut current = text.to_owned();
    for _ in 0..MAX_FIX_ROUNDS {
        let lint_text = LintText::new(&current, format);
        if lint_text.is_decoded() {
            break;
        }
        let doc = lint_text.document(profile);
        let diagnostics = linter.check(&doc);
        let result = apply_fixes(&current, &diagnostics, min);
        if result.applied == 0 || result.text == current {
            break;
        }
        current = result.text;
    }
    current
}

/// Temporary files that exist right now, and whether an interrupt has forbidden new ones.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Deletes every temporary file [`write_atomic`] has created and not yet renamed, and refuses
/// to create new ones from now on. For interrupt and panic handlers, just before the process
/// exits: the files being replaced are left as they were.
pub fn remove_pending_temp_files() {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    STOPPING.store(true, Ordering::SeqCst);
    for path in pending.drain(..) {
        let _ = fs::remove_file(path);
    }
}

/// A temporary file in `dir`, registered for [`remove_pending_temp_files`] before anyone can
/// interrupt between its creation and its registration.
fn create_temp(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    if STOPPING.load(Ordering::SeqCst) {
        return Err(std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted"));
    }
    let temp = tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(dir)?;
    pending.push(temp.path().to_path_buf());
    Ok(temp)
}

fn unregister_temp(path: &Path) {
    let mut pending = PENDING.lock().unwrap_or_else(PoisonError::into_inner);
    pending.retain(|p| p != path);
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory is written,
/// flushed, given the original's permissions and renamed over it. A symbolic link is followed,
/// so the link stays a link and its target is replaced. On any error the original is untouched
/// and the temporary file is removed.
///
/// # Errors
/// Any I/O error, a read-only file, or a path that is not a regular file; the original file is
/// left as it was.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let target = fs::canonicalize(path)?;
    let metadata = fs::metadata(&target)?;
    if !metadata.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"));
    }
    if metadata.permissions().readonly() {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "file is read-only"));
    }
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut temp = create_temp(dir)?;
    let temp_path = temp.path().to_path_buf();
    let written = temp
        .write_all(contents)
        .and_then(|()| temp.as_file().sync_all())
        .and_then(|()| fs::set_permissions(temp.path(), metadata.permissions()))
        .and_then(|()| temp.persist(&target).map(drop).map_err(|e| e.error));
    // On failure the temporary file was dropped, which deleted it.
    unregister_temp(&temp_path);
    written
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::rules::Severity;

    fn fix(edits: &[(usize, usize, &str)]) -> Diagnostic {
        Diagnostic {
            rule: 0,
            severity: Severity::Warning,
            span: Span::new(0, 0),
            message: String::new(),
            label: None,
            rewrites: std::sync::Arc::default(),
            fix: Some(Fix {
                edits: edits
                    .iter()
                    .map(|&(start, end, r)| Edit { span: Span { start, end }, replacement: r.to_owned() })
                    .collect(),
                applicability: Applicability::Safe,
            }),
        }
    }

    #[test]
    fn overlapping_and_out_of_bounds_fixes_are_skipped_whole() {
        let src = "héllo world";
        let diagnostics = [
            fix(&[(0, 1, "H")]),
            fix(&[(0, 3, "X")]),              // overlaps the first
            fix(&[(2, 3, "e")]),              // cuts "é"
            fix(&[(7, 99, "")]),              // past the end
            fix(&[(8, 6, "")]),               // backwards
            fix(&[(7, 8, "W"), (7, 9, "w")]), // overlaps itself
            fix(&[(12, 12, "!"), (12, 12, "?")]),
            fix(&[(12, 12, "!")]),
        ];
        let result = apply_fixes(src, &diagnostics, Applicability::Safe);
        assert_eq!(result.text, "Héllo world!");
        assert_eq!((result.applied, result.skipped), (2, 6));
    }

    #[test]
    fn an_insertion_at_the_edge_of_a_replacement_is_kept() {
        let result = apply_fixes("ab", &[fix(&[(1, 2, "B")]), fix(&[(1, 1, "-")])], Applicability::Safe);
        assert_eq!(result.text, "a-B");
    }

    #[test]
    fn a_fix_inside_an_accepted_replacement_is_skipped() {
        let result = apply_fixes("abcdef", &[fix(&[(0, 6, "x")]), fix(&[(3, 3, "-")])], Applicability::Safe);
        assert_eq!(result.text, "x");
        assert_eq!(result.skipped, 1);
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pitch.txt");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_through_a_symlink_keeps_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn atomic_write_refuses_a_read_only_file_and_leaves_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pitch.txt");
        fs::write(&path, "old").unwrap();
        let mut permissions = fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(&path, permissions).unwrap();
        assert!(write_atomic(&path, b"new").is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_files_are_registered_while_they_exist() {
        let dir = tempfile::tempdir().unwrap();
        let temp = create_temp(dir.path()).unwrap();
        let path = temp.path().to_path_buf();
        assert!(path.file_name().unwrap().to_string_lossy().starts_with(TEMP_PREFIX));
        assert!(PENDING.lock().unwrap().contains(&path));
        drop(temp);
        unregister_temp(&path);
        assert!(!path.exists());
        assert!(!PENDING.lock().unwrap().contains(&path));
    }
}
