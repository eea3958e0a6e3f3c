//! The WebAssembly boundary: the only file that knows about JavaScript.
//!
//! The extension's background (`extension/src/background/core.ts`, the only JavaScript that
//! imports `pkg/`) creates one [`Core`] and calls it for every tab. Offsets cross this boundary
//! in **UTF-16 code units** relative to each block string, the units of JavaScript strings and
//! DOM ranges; inside the core they are UTF-8 bytes.
//!
//! No function here may panic: with `panic = "abort"` a panic would poison the module for
//! every tab. Errors become `JsError`s with one-sentence messages.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::kb::{Entry, EntryIndex};
use crate::{Annotator, CategorySet};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The annotator with the built-in knowledge base.
#[wasm_bindgen]
pub struct Core {
    annotator: Annotator,
}

#[wasm_bindgen]
impl Core {
    /// Reads the embedded knowledge base and builds the matcher.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Core, JsError> {
        let annotator = Annotator::builtin().map_err(to_js)?;
        Ok(Core { annotator })
    }

    /// Finds entries of `categories` in `text`: blocks of text joined by U+0000, which
    /// no finding crosses (the caller replaces any U+0000 inside a block, which keeps its
    /// length). One string for many blocks crosses into WebAssembly in one copy. Returns a
    /// flat array of `[block, start, end, entry]` quadruples: the block's index, the
    /// finding's half-open span in UTF-16 code units of that block, and the entry's index
    /// (see [`Core::entry_table`]). Findings are sorted by block, then start, and never
    /// overlap.
    pub fn annotate(&self, text: &str, categories: Vec<String>) -> Result<Vec<u32>, JsError> {
        let categories = CategorySet::from_names(&categories).map_err(to_js)?;
        self.annotator.annotate_blocks(text, categories).map_err(to_js)
    }

    /// `{ id, category }` of every entry, in index order.
    #[wasm_bindgen(js_name = entryTable)]
    pub fn entry_table(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Row<'a> {
            id: &'a str,
            category: &'a str,
        }
        let rows: Vec<Row<'_>> = self
            .annotator
            .catalog()
            .entries()
            .iter()
            .map(|e| Row { id: &e.id, category: e.category.as_str() })
            .collect();
        serde_wasm_bindgen::to_value(&rows).map_err(to_js)
    }

    /// The entry at `index`, as shown in a tooltip, or `undefined`. Indices outside the table
    /// stand for UN resolutions the document linker found; their entries are generated.
    pub fn entry(&self, index: u32) -> Result<JsValue, JsError> {
        match self.annotator.entry(EntryIndex(index)) {
            Some(e) => serde_wasm_bindgen::to_value(&EntryView::of(&e)).map_err(to_js),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// `{ id, category }` of the entry at `index` (also for generated resolution entries), or
    /// `undefined`.
    #[wasm_bindgen(js_name = entryRef)]
    pub fn entry_ref(&self, index: u32) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Row {
            id: String,
            category: &'static str,
        }
        match self.annotator.entry(EntryIndex(index)) {
            Some(e) => serde_wasm_bindgen::to_value(&Row {
                id: e.id.clone(),
                category: e.category.as_str(),
            })
            .map_err(to_js),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The index of the entry with id `id` (generated resolution ids included), or `undefined`.
    #[wasm_bindgen(js_name = findEntry)]
    pub fn find_entry(&self, id: &str) -> Option<u32> {
        self.annotator.find(id).map(|i| i.0)
    }

    /// Number of entries.
    #[wasm_bindgen(js_name = entryCount)]
    pub fn entry_count(&self) -> u32 {
        index(self.annotator.catalog().len())
    }
}

/// What a tooltip shows of an entry (everything but the aliases).
#[derive(Serialize)]
struct EntryView<'a> {
    id: &'a str,
    category: &'a str,
    name: &'a str,
    summary: &'a str,
    usages: &'a [crate::kb::Usage],
    alternatives: &'a [String],
    sources: &'a [crate::kb::Source],
    reviewed: &'a str,
}

impl<'a> EntryView<'a> {
    fn of(e: &'a Entry) -> Self {
        EntryView {
            id: &e.id,
            category: e.category.as_str(),
            name: &e.name,
            summary: &e.summary,
            usages: &e.usages,
            alternatives: &e.alternatives,
            sources: &e.sources,
            reviewed: &e.reviewed,
        }
    }
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn to_js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}
