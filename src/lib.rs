//! The core of Footnote: finds the people, organisations, places, documents and contested
//! terms of a knowledge base in text, and gives each finding's entry: a neutral summary and
//! its sources.
//!
//! The core is pure Rust with no knowledge of browsers. The extension runs it as WebAssembly in
//! its background (see `src/wasm.rs`, the only file that knows about JavaScript); the `footnote`
//! command runs it natively.
//!
//! Every span inside the core is a half-open range of UTF-8 byte offsets ([`Span`]); only the
//! WebAssembly boundary converts them to UTF-16 code units ([`span::BlockOffsets`]).
//!
//! This example shows how to find entries in a sentence and print where they are:
//!
//! ```
//! use footnote::{Annotator, CategorySet};
//!
//! let annotator = Annotator::builtin().unwrap();
//! let text = "Talks in Paris on the Golan Heights.";
//! let found: Vec<(&str, String)> = annotator
//!     .annotate(text, CategorySet::all())
//!     .iter()
//!     .map(|f| (&text[f.span.start..f.span.end], annotator.entry(f.entry).unwrap().id.clone()))
//!     .collect();
//! assert_eq!(found, [("Paris", "paris".to_string()), ("Golan Heights", "golan-heights".to_string())]);
//! ```

// No unwrap or expect outside tests: bad input gets an error, never a panic.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

#[cfg(not(target_arch = "wasm32"))]
pub mod coverage;
pub mod detect;
pub mod error;
#[cfg(not(target_arch = "wasm32"))]
pub mod eval;
pub mod fold;
#[cfg(not(target_arch = "wasm32"))]
pub mod html;
pub mod kb;
pub mod span;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use detect::{
    Annotator, BLOCK_SEPARATOR, CategorySet, Finding, MAX_BOUNDARY_BYTES, NameKind, QuoteCheck,
    Verdict,
};
pub use error::Error;
pub use kb::{Catalog, Category, Entry, EntryIndex};
pub use span::Span;
