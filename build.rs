//! Embeds every built-in rule file (`rules/<category>/<name>.toml`) in the binary.
//!
//! The generated table lists `(relative path, contents)` pairs in sorted path order, so the
//! built-in pack loads identically on every machine and no rule file is read at run time.

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
}

fn write_out(name: &str, contents: &str) {
    let dest = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join(name);
    if let Err(err) = fs::write(&dest, contents) {
        println!("cargo:warning=cannot write {}: {err}", dest.display());
        std::process::exit(1);
    }
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
