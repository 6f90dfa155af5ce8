//! The `pitchlint` binary: parse arguments, run, map the outcome to an exit code.

use std::process::ExitCode;

#[cfg(target_os = "linux")]
mod huge_pages;

#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: huge_pages::HugePages = huge_pages::HugePages;

fn main() -> ExitCode {
    pitchlint::cli::main()
}
