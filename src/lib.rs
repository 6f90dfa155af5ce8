//! pitchlint: a linter for elevator pitches and networking follow-ups.
//!
//! Rules are data (TOML files, a built-in pack embedded in the binary); kinds of check are code.
//! A [`text::Document`] classifies the regions of the original text; a [`engine::Linter`] runs the
//! selected rules and returns plain-data [`diagnostic::Diagnostic`]s; `report` renders them.
//! The library never prints and never exits.
//!
//! ```
//! use std::sync::Arc;
//! use pitchlint::{engine::Linter, rules::RuleSet, text::{Document, InputFormat, Profile}};
//!
//! let rules = Arc::new(RuleSet::builtin().expect("the built-in pack is valid"));
//! let linter = Linter::all(rules);
//! let doc = Document::parse("I want paying clients. Send anyone my way!", InputFormat::Plain, Profile::Auto);
//! assert!(!linter.check(&doc).is_empty());
//! ```

mod buffer;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod fix;
pub mod grade;
pub mod input;
pub mod pattern;
mod prefetch;
pub mod report;
pub mod rules;
pub mod span;
pub mod suppress;
pub mod text;
