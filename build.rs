//! Embeds every built-in rule file (`rules/<category>/<name>.toml`) in the binary, and on Linux
//! links the binary at a fixed address (see [`link_without_pie`]).
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
    link_without_pie();
}

/// Links the `pitchlint` binary as a fixed-address executable on Linux with the GNU toolchain.
///
/// A position-independent executable is relocated by the loader at every start: the binary's
/// tables of static data (the Unicode tables of `regex`, the stored pattern analyses) hold
/// about 29,000 pointers, and rewriting them touches some 150 pages before `main` runs. That
/// was an eighth of the time a single pitch took. Without PIE the linker fixes them once. The
/// cost is address-space randomisation of the executable's own image (libraries, stack and
/// heap stay randomised); the crate has no `unsafe` code. Set `PITCHLINT_PIE=1` when building
/// to keep the default.
fn link_without_pie() {
    println!("cargo:rerun-if-env-changed=PITCHLINT_PIE");
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && target_env == "gnu" && env::var_os("PITCHLINT_PIE").is_none() {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
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
