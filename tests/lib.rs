//! The core's integration tests: one binary, each module a kind of test. Cases are data files
//! under `tests/data/` wherever a table says it better than code.

mod builtin;
mod cli;
mod context;
mod documents;
mod kb_checks;
mod matching;
mod properties;
mod quotes;
