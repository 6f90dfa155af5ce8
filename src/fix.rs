//! Applying fixes: non-overlapping edits, in order, to a copy of the text; and writing files
//! atomically (a temporary file in the same directory, then a rename), keeping permissions.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use crate::diagnostic::{Applicability, Diagnostic, Edit};

/// The outcome of applying fixes to a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixResult {
    /// The fixed text.
    pub text: String,
    /// How many fixes were applied.
    pub applied: usize,
    /// How many fixes were skipped because they overlapped an earlier one.
    pub skipped: usize,
}

/// Applies every fix at or above `min` applicability. Fixes whose edits overlap an already
/// accepted edit are skipped (a second run picks them up). `DisplayOnly` fixes never apply.
pub fn apply_fixes(source: &str, diagnostics: &[Diagnostic], min: Applicability) -> FixResult {
    let wanted = min.max(Applicability::Unsafe);
    let mut accepted: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    let mut skipped = 0;
    let mut fixes: Vec<&crate::diagnostic::Fix> =
        diagnostics.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.applicability >= wanted).collect();
    fixes.sort_by_key(|f| f.edits.first().map(|e| (e.span.start, e.span.end)));
    for fix in fixes {
        let clashes = fix.edits.iter().any(|e| {
            accepted.iter().any(|a| {
                a.span.overlaps(e.span) || (a.span.is_empty() && e.span.is_empty() && a.span.start == e.span.start)
            })
        });
        let in_bounds = fix.edits.iter().all(|e| {
            e.span.end <= source.len() && source.is_char_boundary(e.span.start) && source.is_char_boundary(e.span.end)
        });
        if clashes || !in_bounds {
            skipped += 1;
            continue;
        }
        accepted.extend(fix.edits.iter());
        applied += 1;
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut text = String::with_capacity(source.len());
    let mut cursor = 0;
    for edit in accepted {
        text.push_str(source.get(cursor..edit.span.start).unwrap_or(""));
        text.push_str(&edit.replacement);
        cursor = edit.span.end;
    }
    text.push_str(source.get(cursor..).unwrap_or(""));
    FixResult { text, applied, skipped }
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory is written,
/// flushed, given the original's permissions and renamed over it. On any error the original is
/// untouched and the temporary file is removed.
///
/// # Errors
/// Any I/O error; the original file is left as it was.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let metadata = fs::metadata(path)?;
    if metadata.permissions().readonly() {
        return Err(std::io::Error::new(std::io::ErrorKind::PermissionDenied, "file is read-only"));
    }
    let mut temp = tempfile::Builder::new().prefix(".pitchlint-").suffix(".tmp").tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), metadata.permissions())?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
