//! Reading inputs: files, directories (walked for `.txt`, `.md`, `.eml` in sorted order, symlink
//! loops broken) and standard input. Bytes must be UTF-8; binary files are refused.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::text::InputFormat;

/// Extensions linted when a directory is walked.
pub const EXTENSIONS: [&str; 4] = ["txt", "md", "markdown", "eml"];

/// Inputs larger than this are refused (spans are byte offsets; this keeps memory bounded).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Where an input came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// Standard input, with an optional name from `--stdin-filename`.
    Stdin(Option<PathBuf>),
}

impl Source {
    /// The name shown in output.
    pub fn display(&self) -> String {
        match self {
            Self::File(path) => path.display().to_string(),
            Self::Stdin(Some(name)) => name.display().to_string(),
            Self::Stdin(None) => "<stdin>".to_owned(),
        }
    }

    /// The input format implied by the name.
    pub fn format(&self) -> InputFormat {
        match self {
            Self::File(path) | Self::Stdin(Some(path)) => InputFormat::from_path(path),
            Self::Stdin(None) => InputFormat::Plain,
        }
    }

    /// Path used for config discovery.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::File(path) | Self::Stdin(Some(path)) => Some(path),
            Self::Stdin(None) => None,
        }
    }
}

/// Why an input could not be read as text.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    /// The path does not exist or cannot be read.
    #[error("{path}: {reason}")]
    #[diagnostic(code(pitchlint::io))]
    Io {
        /// The path.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The bytes are not UTF-8.
    #[error("{path}: not valid UTF-8 at byte {offset} (line {line}, column {column})")]
    #[diagnostic(code(pitchlint::encoding), help("save the file as UTF-8"))]
    Utf8 {
        /// The path.
        path: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// 1-based line.
        line: usize,
        /// 1-based column in characters.
        column: usize,
    },
    /// The file contains NUL bytes.
    #[error("{path}: looks binary (contains NUL bytes), skipped")]
    #[diagnostic(code(pitchlint::binary), help("pitchlint reads UTF-8 text: .txt, .md and .eml drafts"))]
    Binary {
        /// The path.
        path: String,
    },
    /// The file is too large.
    #[error("{path}: {size} bytes is over the {MAX_INPUT_BYTES}-byte limit")]
    #[diagnostic(code(pitchlint::too_large))]
    TooLarge {
        /// The path.
        path: String,
        /// Its size.
        size: u64,
    },
}

/// Expands command-line paths into sources: files as given, directories walked for known
/// extensions, sorted; `-` is standard input. Unreadable paths become errors, the rest go on.
pub fn expand(paths: &[PathBuf], stdin_name: Option<&Path>) -> (Vec<Source>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin(stdin_name.map(Path::to_path_buf)));
            continue;
        }
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                let mut found = Vec::new();
                let mut visited = BTreeSet::new();
                walk(path, &mut found, &mut visited, &mut errors);
                found.sort();
                sources.extend(found.into_iter().map(Source::File));
            }
            Ok(_) => sources.push(Source::File(path.clone())),
            Err(err) => errors.push(InputError::Io { path: path.display().to_string(), reason: describe(&err) }),
        }
    }
    (sources, errors)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>, visited: &mut BTreeSet<PathBuf>, errors: &mut Vec<InputError>) {
    // Canonical paths break symlink loops: a directory is walked once.
    let Ok(canonical) = fs::canonicalize(dir) else { return };
    if !visited.insert(canonical) {
        return;
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            errors.push(InputError::Io { path: dir.display().to_string(), reason: describe(&err) });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, found, visited, errors),
            Ok(_) => {
                let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
                if ext.is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
                    found.push(path);
                }
            }
            Err(_) => {}
        }
    }
}

/// Reads a source into a UTF-8 string.
///
/// # Errors
/// Missing or unreadable files, invalid UTF-8, binary content, oversized input.
pub fn read(source: &Source) -> Result<String, InputError> {
    let name = source.display();
    let bytes = match source {
        Source::File(path) => {
            let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            if size > MAX_INPUT_BYTES {
                return Err(InputError::TooLarge { path: name, size });
            }
            fs::read(path).map_err(|err| InputError::Io { path: name.clone(), reason: describe(&err) })?
        }
        Source::Stdin(_) => {
            let mut buf = Vec::new();
            std::io::stdin()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|err| InputError::Io { path: name.clone(), reason: describe(&err) })?;
            if buf.len() as u64 > MAX_INPUT_BYTES {
                return Err(InputError::TooLarge { path: name, size: buf.len() as u64 });
            }
            buf
        }
    };
    decode(&name, bytes)
}

/// Checks bytes are text: no NUL, valid UTF-8.
///
/// # Errors
/// [`InputError::Binary`] or [`InputError::Utf8`] with the position of the first bad byte.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, InputError> {
    let probe = bytes.get(..8192).unwrap_or(&bytes);
    if probe.contains(&0) {
        return Err(InputError::Binary { path: name.to_owned() });
    }
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let valid = err.as_bytes().get(..offset).unwrap_or(&[]);
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let column = String::from_utf8_lossy(valid.get(line_start..).unwrap_or(&[])).chars().count() + 1;
        InputError::Utf8 { path: name.to_owned(), offset, line, column }
    })
}

fn describe(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_reports_its_place() {
        let err = decode("x.txt", b"ok\nab\xffc".to_vec());
        assert!(matches!(err, Err(InputError::Utf8 { offset: 5, line: 2, column: 3, .. })));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(decode("x.bin", b"PK\0\0".to_vec()), Err(InputError::Binary { .. })));
    }
}
