//! Embeds every built-in rule file (`rules/<category>/<name>.toml`) in the binary, and on Linux
//! links the binary at a fixed address (see [`link_without_pie`]).
//!
//! The generated table lists `(relative path, contents)` pairs in sorted path order, so the
//! built-in pack loads identically on every machine and no rule file is read at run time.
//!
//! A second table holds each file up to its `[examples]` (what linting reads) as JSON, written
//! so that it deserializes to the same `RuleFile`, spans included (see [`head_as_json`]): JSON
//! parses several times faster than TOML, and a pitch otherwise spends a fifth of its time
//! parsing the pack.

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
    out.push_str("];\n\n");
    out.push_str("/// Each built-in file up to its `[examples]`, as JSON (empty if it is not valid TOML).\n");
    out.push_str("pub static BUILTIN_RULE_HEADS: &[&str] = &[\n");
    for path in &files {
        let source = fs::read_to_string(path).unwrap_or_default();
        let json = head_as_json(without_examples(&source)).unwrap_or_default();
        let _ = writeln!(out, "    {json:?},");
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

/// A built-in rule file up to its `[examples]` table (the same cut `rules/load.rs` makes).
fn without_examples(source: &str) -> &str {
    let mut from = 0;
    while let Some(at) = source.get(from..).and_then(|rest| rest.find("\n[examples]")).map(|at| at + from) {
        if source.get(at + "\n[examples]".len()..).is_some_and(|rest| rest.starts_with(['\n', '\r'])) {
            return source.get(..=at).unwrap_or(source);
        }
        from = at + 1;
    }
    source
}

/// The keys whose values the rule schema reads with their spans (`Spanned<T>`): at the top of a
/// file, and in its `[match]` table. An array's items are spanned one by one.
const SPANNED_TOP: &[&str] = &["code", "name", "category", "kind", "message", "match"];
const SPANNED_ITEMS_TOP: &[&str] = &["rewrite"];
const SPANNED_ITEMS_MATCH: &[&str] = &["patterns", "words", "unless", "unless-document", "if-document"];

/// `head` (TOML) as JSON, each value the schema reads with its span wrapped as the spanned-value
/// map serde's `Spanned` reads; `None` if it does not parse (the run-time loader then reports
/// the error from the TOML).
fn head_as_json(head: &str) -> Option<String> {
    let table = toml::de::DeTable::parse(head).ok()?;
    let mut out = serde_json::Map::new();
    for (key, value) in table.get_ref() {
        let key = key.get_ref().as_ref();
        let json = if key == "match" {
            let toml::de::DeValue::Table(spec) = value.get_ref() else { return None };
            let mut inner = serde_json::Map::new();
            for (k, v) in spec {
                let k = k.get_ref().as_ref();
                let item_spans = SPANNED_ITEMS_MATCH.contains(&k);
                inner.insert(k.to_owned(), if item_spans { spanned_items(v)? } else { plain(v.get_ref())? });
            }
            spanned(value.span(), serde_json::Value::Object(inner))
        } else if SPANNED_TOP.contains(&key) {
            spanned(value.span(), plain(value.get_ref())?)
        } else if SPANNED_ITEMS_TOP.contains(&key) {
            spanned_items(value)?
        } else {
            plain(value.get_ref())?
        };
        out.insert(key.to_owned(), json);
    }
    serde_json::to_string(&serde_json::Value::Object(out)).ok()
}

/// `value` with its span, as `Spanned` deserializes it.
fn spanned(span: std::ops::Range<usize>, value: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "$__serde_spanned_private_start": span.start,
        "$__serde_spanned_private_end": span.end,
        "$__serde_spanned_private_value": value,
    })
}

/// An array whose items are each spanned.
fn spanned_items(value: &toml::Spanned<toml::de::DeValue<'_>>) -> Option<serde_json::Value> {
    let toml::de::DeValue::Array(items) = value.get_ref() else { return plain(value.get_ref()) };
    items
        .iter()
        .map(|item| Some(spanned(item.span(), plain(item.get_ref())?)))
        .collect::<Option<Vec<_>>>()
        .map(serde_json::Value::Array)
}

/// A TOML value as JSON, without spans.
fn plain(value: &toml::de::DeValue<'_>) -> Option<serde_json::Value> {
    use toml::de::DeValue;
    Some(match value {
        DeValue::String(text) => serde_json::Value::String(text.to_string()),
        DeValue::Integer(number) => {
            serde_json::Value::Number(i64::from_str_radix(number.as_str(), number.radix()).ok()?.into())
        }
        DeValue::Float(number) => {
            serde_json::Value::Number(serde_json::Number::from_f64(number.as_str().parse().ok()?)?)
        }
        DeValue::Boolean(yes) => serde_json::Value::Bool(*yes),
        DeValue::Datetime(_) => return None,
        DeValue::Array(items) => {
            serde_json::Value::Array(items.iter().map(|item| plain(item.get_ref())).collect::<Option<Vec<_>>>()?)
        }
        DeValue::Table(table) => {
            let mut map = serde_json::Map::new();
            for (key, item) in table {
                map.insert(key.get_ref().to_string(), plain(item.get_ref())?);
            }
            serde_json::Value::Object(map)
        }
    })
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
