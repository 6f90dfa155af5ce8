//! Embeds every built-in rule file (`rules/<category>/<name>.toml`) in the binary, and indexes
//! the stored pattern analyses (`src/pattern/builtin-plans.jsonl`).
//!
//! The generated table lists `(relative path, contents)` pairs in sorted path order, so the
//! built-in pack loads identically on every machine and no rule file is read at run time. The
//! index gives, for each line of the analyses file, its key and where its JSON lies, sorted by
//! key, so that a run finds a pattern's line without reading the file first.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let rules_dir = root.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    files.sort();
    let mut out = String::from("/// Built-in rule files: (path relative to the crate, TOML source).\n");
    out.push_str("pub static BUILTIN_RULE_FILES: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let rel = path.strip_prefix(&root).unwrap_or(path);
        let rel = rel.to_string_lossy().replace('\\', "/");
        let _ = writeln!(out, "    ({rel:?}, include_str!({:?})),", path.display().to_string());
    }
    out.push_str("];\n");
    write_out("builtin_rules.rs", &out);
    write_out("builtin_plans.rs", &plans_index(&root.join("src/pattern/builtin-plans.jsonl")));
}

fn write_out(name: &str, contents: &str) {
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join(name);
    if let Err(err) = fs::write(&dest, contents) {
        println!("cargo:warning=cannot write {}: {err}", dest.display());
        std::process::exit(1);
    }
}

/// Tables of `(key, start, end)` for the analysis lines (`<hash>\t<source>\t<json>`) and the
/// matcher lines (`x<hash>\t<pattern>\t<json>`), sorted by key, with the byte range of what
/// follows the key in the file; and the class table of the `classes` line (see [`class_table`]).
fn plans_index(path: &Path) -> String {
    println!("cargo:rerun-if-changed={}", path.display());
    let file = fs::read_to_string(path).unwrap_or_default();
    let mut plans: Vec<(u64, usize, usize)> = Vec::new();
    let mut matchers: Vec<(u64, usize, usize)> = Vec::new();
    let mut classes = String::from("&[]");
    let mut at = 0;
    for line in file.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let line = line.trim_end_matches(['\n', '\r']);
        let Some((key, json)) = line.split_once('\t') else { continue };
        let range = (start + key.len() + 1, start + line.len());
        if key == "classes" {
            classes = class_table(json);
        } else if let Some(hash) = key.strip_prefix('x').and_then(|h| u64::from_str_radix(h, 16).ok()) {
            matchers.push((hash, range.0, range.1));
        } else if let Ok(hash) = u64::from_str_radix(key, 16) {
            plans.push((hash, range.0, range.1));
        }
    }
    plans.sort_unstable();
    matchers.sort_unstable();
    let table = |name: &str, rows: &[(u64, usize, usize)]| {
        let mut out = format!("pub(super) static {name}: &[(u64, u32, u32)] = &[\n");
        for (hash, start, end) in rows {
            let _ = writeln!(out, "    ({hash:#x}, {start}, {end}),");
        }
        out.push_str("];\n");
        out
    };
    let mut out =
        String::from("// The lines of builtin-plans.jsonl: (key, start, end of what follows it), sorted by key.\n");
    out.push_str(&table("PLAN_LINES", &plans));
    out.push_str(&table("MATCHER_LINES", &matchers));
    let _ = writeln!(out, "/// The classes the stored matchers share (the line `classes`).");
    let _ = writeln!(out, "pub(super) static CLASSES: &[&[(char, char)]] = {classes};");
    out
}

/// The `classes` line (`lo-hi lo-hi;lo-hi…`: a class's ranges of code points in hex, classes
/// apart by `;`) as a Rust slice of slices, so a run decodes nothing to use it. A malformed
/// line yields no classes: the matchers that need them are then built as if not stored.
fn class_table(line: &str) -> String {
    let parse = |class: &str| -> Option<Vec<(char, char)>> {
        class
            .split_whitespace()
            .map(|range| {
                let (lo, hi) = range.split_once('-')?;
                let code = |hex: &str| u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                Some((code(lo)?, code(hi)?))
            })
            .collect()
    };
    let classes: Option<Vec<Vec<(char, char)>>> =
        if line.is_empty() { Some(Vec::new()) } else { line.split(';').map(parse).collect() };
    let mut out = String::from("&[\n");
    for class in classes.unwrap_or_default() {
        out.push_str("    &[");
        for (lo, hi) in class {
            let _ = write!(out, "({lo:?}, {hi:?}), ");
        }
        out.push_str("],\n");
    }
    out.push(']');
    out
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            files.push(path);
        }
    }
}
