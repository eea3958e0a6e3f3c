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
use crate::{Annotator, Catalog, CategorySet};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Longest quotation `checkQuote` reads, in UTF-8 bytes (the core finds none longer).
const MAX_QUOTATION_BYTES: usize = 16 * 1024;

/// The built-in knowledge base, read from its embedded form: the first half of building a
/// [`Core`] (see [`Core::build`]).
#[wasm_bindgen]
pub struct KnowledgeBase {
    catalog: Catalog,
}

#[wasm_bindgen]
impl KnowledgeBase {
    /// Reads the embedded knowledge base.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<KnowledgeBase, JsError> {
        Ok(KnowledgeBase { catalog: Catalog::builtin().map_err(to_js)? })
    }
}

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
        Core::build(KnowledgeBase::new()?)
    }

    /// Builds the matcher for a knowledge base already read (which this takes). Reading and
    /// building are two calls so that the background can answer messages in between: each
    /// holds it for tens of milliseconds while the module runs for the first time.
    pub fn build(kb: KnowledgeBase) -> Result<Core, JsError> {
        let annotator = Annotator::new(kb.catalog).map_err(to_js)?;
        Ok(Core { annotator })
    }

    /// Finds entries of `categories` in `text`: blocks of text joined by U+0000, which
    /// no finding crosses (the caller replaces any U+0000 inside a block, which keeps its
    /// length). One string for many blocks crosses into WebAssembly in one copy. Returns a
    /// flat array of `[block, start, end, entry]` quadruples: the block's index, the
    /// finding's half-open span in UTF-16 code units of that block, and the entry's index
    /// (see [`Core::entry_list`]). Findings are sorted by block, then start, and never
    /// overlap. With the category `"names"` in `categories`, names the knowledge base lacks
    /// are found too (never where an entry is): their `entry` is one of three indices above
    /// every entry's, for which [`Core::entry_ref`] gives `{ id: "unknown-person" |
    /// "unknown-organisation" | "unknown-place", category: "names" }` and [`Core::entry`]
    /// `undefined` (there is no verified background to show).
    pub fn annotate(&self, text: &str, categories: Vec<String>) -> Result<Vec<u32>, JsError> {
        let categories = CategorySet::from_names(&categories).map_err(to_js)?;
        self.annotator.annotate_blocks(text, categories).map_err(to_js)
    }

    /// Every entry's id and category, in index order: one line per entry, the id and the
    /// category separated by a tab (ids are lowercase ASCII letters, digits and hyphens). One
    /// string crosses the boundary, where an object per entry took a cold start as long as
    /// reading the knowledge base.
    #[wasm_bindgen(js_name = entryList)]
    pub fn entry_list(&self) -> String {
        let entries = self.annotator.catalog().entries();
        let mut out = String::with_capacity(entries.len() * 32);
        for (i, e) in entries.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&e.id);
            out.push('\t');
            out.push_str(e.category.as_str());
        }
        out
    }

    /// The entry at `index`, as shown in a tooltip, or `undefined`. Indices outside the table
    /// stand for UN resolutions the document linker found; their entries are generated.
    pub fn entry(&self, index: u32) -> Result<JsValue, JsError> {
        match self.annotator.entry(EntryIndex(index)) {
            Some(e) => serde_wasm_bindgen::to_value(&EntryView::of(&e)).map_err(to_js),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// `{ id, category }` of the entry at `index` (also for generated resolution entries and,
    /// with category `"names"`, for the kinds of long-tail names), or `undefined`.
    #[wasm_bindgen(js_name = entryRef)]
    pub fn entry_ref(&self, index: u32) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Row {
            id: String,
            category: &'static str,
        }
        if let Some(kind) = crate::NameKind::of_index(EntryIndex(index)) {
            let row = Row { id: kind.as_str().to_string(), category: CategorySet::NAMES };
            return serde_wasm_bindgen::to_value(&row).map_err(to_js);
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

    /// Compares `quotation` (a quoted passage as the page has it) with the stored text of the
    /// document that entry `index` is a quotation of (see `annotate`'s framing findings).
    /// Returns `{ verdict, parts: [{ text, found }], original: [{ text, marks }], source }` or
    /// `undefined` when there is no stored text: `verdict` is one of "verbatim", "shortened",
    /// "joined", "partial", "not-found"; `original` holds the sentences of the source, each
    /// with `marks`, a flat array of half-open ranges in UTF-16 code units of that sentence
    /// (the words the quotation shares with it); `source` is the key of the document entry's
    /// source the text was copied from.
    #[wasm_bindgen(js_name = checkQuote)]
    pub fn check_quote(&self, quotation: &str, index: u32) -> Result<JsValue, JsError> {
        if quotation.len() > MAX_QUOTATION_BYTES {
            return Err(to_js(crate::Error::too_large(
                "the quotation (UTF-8 bytes)",
                quotation.len(),
                MAX_QUOTATION_BYTES,
            )));
        }
        let Some(check) = self.annotator.check_quote(EntryIndex(index), quotation) else {
            return Ok(JsValue::UNDEFINED);
        };
        #[derive(Serialize)]
        struct Part<'a> {
            text: &'a str,
            found: bool,
        }
        #[derive(Serialize)]
        struct Sentence<'a> {
            text: &'a str,
            marks: Vec<u32>,
        }
        #[derive(Serialize)]
        struct View<'a> {
            verdict: &'static str,
            parts: Vec<Part<'a>>,
            original: Vec<Sentence<'a>>,
            source: &'a str,
        }
        let view = View {
            verdict: check.verdict.as_str(),
            parts: check.parts.iter().map(|(text, found)| Part { text, found: *found }).collect(),
            original: check
                .original
                .iter()
                .map(|(text, spans)| Sentence {
                    text,
                    marks: spans
                        .iter()
                        .flat_map(|s| [utf16_at(text, s.start), utf16_at(text, s.end)])
                        .collect(),
                })
                .collect(),
            source: &check.source,
        };
        serde_wasm_bindgen::to_value(&view).map_err(to_js)
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

/// UTF-16 code units of `text` before byte `at`.
fn utf16_at(text: &str, at: usize) -> u32 {
    index(text.get(..at).map_or(0, |t| t.encode_utf16().count()))
}

fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn to_js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}
