//! Writes the benchmark corpus that `benches/run.sh` times whole processes on:
//!
//! ```text
//! cargo run --release --example bench_corpus -- [DIR]     # default: target/bench-corpus
//! DIR/pitch.txt          one 120-word pitch
//! DIR/prose-1mb.txt      1 MiB of prose
//! DIR/prose-10mb.txt     10 MiB of prose
//! DIR/typed-10mb.txt      the same prose as typed: curly quotes, dashes, accents, emoji
//! DIR/class/NNNNN.txt    10,000 submissions of 60–250 words
//! ```
//!
//! The text comes from `benches/corpus`, the same generator the Criterion benchmarks use, so the
//! files are identical on every machine.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "../benches/corpus/mod.rs"]
mod corpus;

/// Size of the class directory.
const CLASS_SIZE: usize = 10_000;

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map_or_else(|| PathBuf::from("target/bench-corpus"), PathBuf::from);
    match write_corpus(&dir) {
        Ok(()) => {
            println!("wrote the benchmark corpus to {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("cannot write the benchmark corpus to {}: {err}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn write_corpus(dir: &Path) -> std::io::Result<()> {
    let class_dir = dir.join("class");
    fs::create_dir_all(&class_dir)?;
    fs::write(dir.join("pitch.txt"), corpus::PITCH)?;
    fs::write(dir.join("prose-1mb.txt"), corpus::prose(1 << 20, corpus::PROSE_SEED))?;
    fs::write(dir.join("prose-10mb.txt"), corpus::prose(10 << 20, corpus::PROSE_SEED))?;
    fs::write(dir.join("typed-10mb.txt"), corpus::typed_prose(10 << 20, corpus::PROSE_SEED))?;
    for (i, text) in corpus::class(CLASS_SIZE, corpus::CLASS_SEED).iter().enumerate() {
        fs::write(class_dir.join(format!("{i:05}.txt")), text)?;
    }
    Ok(())
}
