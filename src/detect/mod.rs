//! Detection: from text to findings.

pub mod documents;
mod matcher;
mod trie;

use crate::error::Error;
use crate::fold::fold;
use crate::kb::{Catalog, Category, Entry, EntryIndex};
use crate::span::Span;
pub use documents::Resolution;
pub use matcher::Matcher;
use std::borrow::Cow;

/// A mention of a knowledge-base entry in a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Where, in UTF-8 bytes of the text searched (half-open).
    pub span: Span,
    /// Which entry.
    pub entry: EntryIndex,
    /// The entry's category.
    pub category: Category,
}

/// A set of categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CategorySet(u8);

impl CategorySet {
    /// Every category.
    pub fn all() -> CategorySet {
        Category::ALL.into_iter().fold(CategorySet(0), CategorySet::with)
    }

    /// No category.
    pub fn empty() -> CategorySet {
        CategorySet(0)
    }

    /// This set and `category`.
    pub fn with(self, category: Category) -> CategorySet {
        CategorySet(self.0 | 1 << category as u8)
    }

    /// True when `category` is in the set.
    pub fn contains(self, category: Category) -> bool {
        self.0 & (1 << category as u8) != 0
    }

    /// The set of categories named in `names` (as in data files: "person", "place", …).
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<CategorySet, Error> {
        names.iter().try_fold(CategorySet::empty(), |set, name| {
            Category::parse(name.as_ref())
                .map(|c| set.with(c))
                .ok_or_else(|| Error::unknown_category(name.as_ref()))
        })
    }
}

/// Finds the knowledge base's entries in text. Build one and reuse it: building the
/// automaton costs far more than searching a page.
///
/// This example shows how to annotate a sentence with the built-in knowledge base:
///
/// ```
/// use footnote::{Annotator, CategorySet};
///
/// let annotator = Annotator::builtin().unwrap();
/// let text = "Israeli troops remain on Mount Hermon.";
/// for f in annotator.annotate(text, CategorySet::all()) {
///     let entry = annotator.entry(f.entry).unwrap();
///     println!("{}..{} {:?} -> {}", f.span.start, f.span.end, &text[f.span.start..f.span.end], entry.id);
/// }
/// ```
#[derive(Debug)]
pub struct Annotator {
    catalog: Catalog,
    matcher: Matcher,
}

impl Annotator {
    /// An annotator for the entries of `catalog`.
    pub fn new(catalog: Catalog) -> Result<Annotator, Error> {
        let matcher = Matcher::new(&catalog)?;
        Ok(Annotator { catalog, matcher })
    }

    /// An annotator for the knowledge base embedded at build time.
    pub fn builtin() -> Result<Annotator, Error> {
        Annotator::new(Catalog::builtin()?)
    }

    /// The knowledge base.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The entry at `index`: a catalog entry, or one generated for a UN resolution the
    /// document linker found (see [`documents`]).
    pub fn entry(&self, index: EntryIndex) -> Option<Cow<'_, Entry>> {
        match Resolution::decode(index) {
            Some(r) => Some(Cow::Owned(r.entry(&self.catalog.resolutions().reviewed))),
            None => self.catalog.get(index).map(Cow::Borrowed),
        }
    }

    /// The index of the entry with id `id`, generated resolution entries included.
    pub fn find(&self, id: &str) -> Option<EntryIndex> {
        self.catalog.find(id).or_else(|| Resolution::from_generated_id(id).map(Resolution::encode))
    }

    /// The findings in `text` for entries of `categories`: sorted by start, never
    /// overlapping, spans in UTF-8 bytes of `text`.
    pub fn annotate(&self, text: &str, categories: CategorySet) -> Vec<Finding> {
        self.annotate_inner(text, categories).into_iter().map(|(f, _)| f).collect()
    }

    /// The findings in `text`, each with the alias that matched it (document mentions have
    /// none).
    pub fn annotate_with_aliases(
        &self,
        text: &str,
        categories: CategorySet,
    ) -> Vec<(Finding, &str)> {
        self.annotate_inner(text, categories)
            .into_iter()
            .filter_map(|(f, alias)| {
                let a = self.catalog.get(f.entry)?.aliases.get(alias?)?;
                Some((f, a.text.as_str()))
            })
            .collect()
    }

    fn annotate_inner(&self, text: &str, categories: CategorySet) -> Vec<(Finding, Option<usize>)> {
        let (mut candidates, triggers) = self.matcher.candidates(text, categories);
        // The document linker reads only the blocks with a trigger, each once.
        let mut linked_until = 0;
        for at in triggers {
            if at < linked_until {
                continue;
            }
            let (start, end) = block_around(text, at);
            let folded = fold(text.get(start..end).unwrap_or(""));
            candidates.extend(
                documents::candidates(folded.as_str(), &self.catalog, categories).into_iter().map(
                    |mut c| {
                        c.end = start + folded.original_end(c.end);
                        c.start = start + folded.original_start(c.start);
                        c
                    },
                ),
            );
            linked_until = end;
        }
        matcher::select(candidates)
    }

    /// What the WebAssembly boundary returns for `text`, blocks of text joined by
    /// [`BLOCK_SEPARATOR`]: a flat list of `[block, start, end, entry]` quadruples, the block's
    /// index, the finding's half-open span in **UTF-16 code units of that block**, and the
    /// entry's index. Sorted by block, then start; never overlapping; no finding crosses a
    /// separator. This is the whole of `Core.annotate` except reading its arguments, so that
    /// it is tested natively (tests/properties.rs) exactly as the extension calls it.
    pub fn annotate_blocks(&self, text: &str, categories: CategorySet) -> Result<Vec<u32>, Error> {
        if text.len() > MAX_BOUNDARY_BYTES {
            return Err(Error::too_large("the text (UTF-8 bytes)", text.len(), MAX_BOUNDARY_BYTES));
        }
        let findings = self.annotate(text, categories);
        let mut out = Vec::with_capacity(findings.len() * 4);
        // Findings are sorted and disjoint, so their offsets never decrease: one walk.
        let mut offsets = crate::span::BlockOffsets::new(text);
        for f in findings {
            let (block, start) = offsets.at(f.span.start);
            let (_, end) = offsets.at(f.span.end);
            out.extend([to_u32(block), to_u32(start), to_u32(end), f.entry.0]);
        }
        Ok(out)
    }

    /// Number of distinct folded aliases searched for.
    pub fn pattern_count(&self) -> usize {
        self.matcher.pattern_count()
    }

    /// Heap memory of the matcher's automaton, in bytes.
    pub fn matcher_memory(&self) -> usize {
        self.matcher.memory_usage()
    }
}

/// Most text, in UTF-8 bytes, that [`Annotator::annotate_blocks`] takes in one call.
pub const MAX_BOUNDARY_BYTES: usize = 32 * 1024 * 1024;

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Separates blocks in a text given to [`Annotator::annotate`]: no finding spans it, and the
/// document linker reads each block on its own. Callers that join many blocks into one text
/// (as the extension does, to cross into WebAssembly once) put it between them.
pub const BLOCK_SEPARATOR: char = '\0';

/// The block of `text` around byte `at`: from after the separator before it to the next one,
/// in bytes.
fn block_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = bytes.get(..at).and_then(|b| b.iter().rposition(|&b| b == 0)).map_or(0, |i| i + 1);
    let end = bytes
        .get(at..)
        .and_then(|r| r.iter().position(|&b| b == 0))
        .map_or(bytes.len(), |i| at + i);
    (start, end)
}
