//! The knowledge base: entries, their names and sources.
//!
//! The entries live in `data/entries/*.toml`. `build.rs` checks them with the same code as
//! `footnote check` ([`schema`]) and embeds them in the binary, so the WebAssembly module starts
//! with its knowledge base already validated and fetches nothing.

#[cfg(not(target_arch = "wasm32"))]
pub mod format;
#[cfg(not(target_arch = "wasm32"))]
pub mod lint;
#[cfg(not(target_arch = "wasm32"))]
pub mod safety;
pub mod schema;
#[cfg(not(target_arch = "wasm32"))]
pub mod stats;

use crate::error::Error;
pub use schema::{
    Alias, Builtin, CaseRule, Category, ContextRules, Diagnostic, Entry, Evidence, NameRules,
    PrimaryText, ResolutionTable, Source, SourceKind, SportsRules, Usage, Verification, WordList,
};
use std::collections::HashMap;

/// The position of an entry in its [`Catalog`]; valid only for that catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EntryIndex(pub u32);

/// A set of entries, looked up by index or id.
#[derive(Debug)]
pub struct Catalog {
    entries: Vec<Entry>,
    by_id: HashMap<String, EntryIndex>,
    resolutions: ResolutionTable,
    stop_phrases: Vec<String>,
    context: ContextRules,
    texts: Vec<PrimaryText>,
}

/// The entries that `build.rs` validated (hand-written and generated), in postcard form.
static BUILTIN: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/kb.postcard"));

impl Catalog {
    /// The knowledge base embedded at build time.
    pub fn builtin() -> Result<Catalog, Error> {
        let builtin: Builtin =
            postcard::from_bytes(BUILTIN).map_err(|e| Error::corrupt_builtin(e.to_string()))?;
        Ok(Catalog::new(builtin.entries)
            .with_resolutions(builtin.resolutions)
            .with_stop_phrases(builtin.stop_phrases)
            .with_context(builtin.context)
            .with_texts(builtin.texts))
    }

    /// This catalog with primary texts to check quotations against. Texts whose entry the
    /// catalog lacks are left out.
    pub fn with_texts(mut self, texts: Vec<PrimaryText>) -> Catalog {
        self.texts = texts.into_iter().filter(|t| self.by_id.contains_key(&t.entry)).collect();
        self
    }

    /// The primary texts quotations are checked against.
    pub fn texts(&self) -> &[PrimaryText] {
        &self.texts
    }

    /// This catalog with `table` for deriving resolution years.
    pub fn with_resolutions(mut self, table: ResolutionTable) -> Catalog {
        self.resolutions = table;
        self
    }

    /// This catalog with phrases the matcher reads as one unit and marks nothing in.
    pub fn with_stop_phrases(mut self, phrases: Vec<String>) -> Catalog {
        self.stop_phrases = phrases;
        self
    }

    /// This catalog with evidence rules for the words around a match (none by default).
    pub fn with_context(mut self, rules: ContextRules) -> Catalog {
        self.context = rules;
        self
    }

    /// The evidence rules.
    pub fn context(&self) -> &ContextRules {
        &self.context
    }

    /// Phrases that contain a known name but mean something else.
    pub fn stop_phrases(&self) -> &[String] {
        &self.stop_phrases
    }

    /// The resolution-year table (empty unless set).
    pub fn resolutions(&self) -> &ResolutionTable {
        &self.resolutions
    }

    /// A catalog of `entries`, which are assumed valid (as the loader returns them).
    pub fn new(entries: Vec<Entry>) -> Catalog {
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), EntryIndex(u32::try_from(i).unwrap_or(u32::MAX))))
            .collect();
        Catalog {
            entries,
            by_id,
            resolutions: ResolutionTable::default(),
            stop_phrases: Vec::new(),
            context: ContextRules::default(),
            texts: Vec::new(),
        }
    }

    /// Loads and checks the entry files of `dir`, as `footnote check` does.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_dir(dir: &std::path::Path) -> Result<Catalog, Vec<Diagnostic>> {
        schema::load_dir(dir).map(Catalog::new)
    }

    /// Every entry, in index order (sorted by id for loaded catalogs).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry at `index`.
    pub fn get(&self, index: EntryIndex) -> Option<&Entry> {
        self.entries.get(index.0 as usize)
    }

    /// The index of the entry with id `id`.
    pub fn find(&self, id: &str) -> Option<EntryIndex> {
        self.by_id.get(id).copied()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
