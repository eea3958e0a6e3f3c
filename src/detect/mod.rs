//! Detection: from text to findings.

mod context;
pub mod documents;
mod matcher;
pub mod names;
pub mod quotes;
mod trie;
mod words;

use crate::error::Error;
use crate::fold::fold;
use crate::kb::{Catalog, Category, Entry, EntryIndex};
use crate::span::Span;
pub use documents::Resolution;
pub use matcher::Matcher;
pub use names::NameKind;
use quotes::{Found, References};
pub use quotes::{QuoteCheck, Verdict};
use std::borrow::Cow;

/// A mention of a knowledge-base entry in a text, or (only when the `names` category is asked
/// for) a name the knowledge base lacks: then `entry` is [`NameKind::index`] of its kind (see
/// [`Finding::unknown`]) and `category` the category of the same kind of thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Where, in UTF-8 bytes of the text searched (half-open).
    pub span: Span,
    /// Which entry.
    pub entry: EntryIndex,
    /// The entry's category.
    pub category: Category,
}

impl Finding {
    /// The kind of name the knowledge base lacks that this finding is, if it is one.
    pub fn unknown(&self) -> Option<NameKind> {
        NameKind::of_index(self.entry)
    }
}

/// A set of categories: knowledge-base categories, and perhaps `names` (long-tail names, see
/// [`names`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CategorySet(u8);

/// The bit of the `names` category.
const NAMES_BIT: u8 = 1 << 7;

impl CategorySet {
    /// The name of the long-tail category at the WebAssembly boundary.
    pub const NAMES: &'static str = "names";

    /// Every knowledge-base category (not `names`, which is asked for on its own).
    pub fn all() -> CategorySet {
        Category::ALL.into_iter().fold(CategorySet(0), CategorySet::with)
    }

    /// Every category but `category`.
    pub fn all_except(category: Category) -> CategorySet {
        CategorySet(CategorySet::all().0 & !(1 << category as u8))
    }

    /// No category.
    pub fn empty() -> CategorySet {
        CategorySet(0)
    }

    /// This set and `category`.
    pub fn with(self, category: Category) -> CategorySet {
        CategorySet(self.0 | 1 << category as u8)
    }

    /// This set and the `names` category.
    pub fn with_names(self) -> CategorySet {
        CategorySet(self.0 | NAMES_BIT)
    }

    /// True when `category` is in the set.
    pub fn contains(self, category: Category) -> bool {
        self.0 & (1 << category as u8) != 0
    }

    /// True when the `names` category is in the set.
    pub fn has_names(self) -> bool {
        self.0 & NAMES_BIT != 0
    }

    /// The set of categories named in `names` (as in data files: "person", "place", …, and
    /// "names").
    pub fn from_names<S: AsRef<str>>(names: &[S]) -> Result<CategorySet, Error> {
        names.iter().try_fold(CategorySet::empty(), |set, name| {
            if name.as_ref() == CategorySet::NAMES {
                return Ok(set.with_names());
            }
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
    references: References,
    /// The entry scare quotes are reported as, when the catalog has it.
    scare_quotes: Option<EntryIndex>,
    context: context::Context,
    names: names::Names,
}

/// The id of the entry that explains scare quotes.
pub const SCARE_QUOTES_ID: &str = "framing-scare-quotes";

/// Ids of quotations of a document entry: this prefix and the document's id.
pub const QUOTE_ID_PREFIX: &str = "quote:";

impl Annotator {
    /// An annotator for the entries of `catalog`.
    pub fn new(catalog: Catalog) -> Result<Annotator, Error> {
        let matcher = Matcher::new(&catalog)?;
        let references = References::new(&catalog);
        let scare_quotes = catalog.find(SCARE_QUOTES_ID);
        let context = context::Context::new(&catalog);
        let names = names::Names::new(catalog.context());
        Ok(Annotator { catalog, matcher, references, scare_quotes, context, names })
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
        if NameKind::of_index(index).is_some() {
            return None;
        }
        if let Some(r) = Resolution::decode(index) {
            return Some(Cow::Owned(r.entry(&self.catalog.resolutions().reviewed)));
        }
        if let Some(document) = quotes::decode(index) {
            return self.catalog.get(document).map(|d| Cow::Owned(quotation_entry(d)));
        }
        self.catalog.get(index).map(Cow::Borrowed)
    }

    /// The index of the entry with id `id`, generated resolution and quotation entries
    /// included.
    pub fn find(&self, id: &str) -> Option<EntryIndex> {
        if let Some(document) = id.strip_prefix(QUOTE_ID_PREFIX) {
            return self.catalog.find(document).map(quotes::encode);
        }
        self.catalog.find(id).or_else(|| Resolution::from_generated_id(id).map(Resolution::encode))
    }

    /// Compares `quotation` (a quoted passage as the page has it, quotation marks included or
    /// not) with the stored text of the document entry `index` (or of the document a
    /// quotation entry stands for). `None` when the knowledge base has no text of it.
    pub fn check_quote(&self, index: EntryIndex, quotation: &str) -> Option<QuoteCheck> {
        let document = quotes::decode(index).unwrap_or(index);
        quotes::check(&self.references, &self.catalog, document, quotation)
    }

    /// The findings in `text` for entries of `categories` (and names the knowledge base lacks,
    /// when `categories` has `names`): sorted by start, never overlapping, spans in UTF-8
    /// bytes of `text`.
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
        // Long-tail names are only looked for where no entry is: that needs every entry (but
        // framing phrases only when asked for: they are not names).
        let names = categories.has_names();
        let search = match (names, categories.contains(Category::Framing)) {
            (false, _) => categories,
            (true, true) => CategorySet::all(),
            (true, false) => CategorySet::all_except(Category::Framing),
        };
        let (mut candidates, triggers, cues) = self.matcher.candidates(text, search);
        // The document linker reads only the blocks with a trigger, each once.
        let mut linked_until = 0;
        for at in triggers {
            if at < linked_until {
                continue;
            }
            let (start, end) = block_around(text, at);
            let folded = fold(text.get(start..end).unwrap_or(""));
            candidates.extend(
                documents::candidates(folded.as_str(), &self.catalog, search).into_iter().map(
                    |mut c| {
                        c.end = start + folded.original_end(c.end);
                        c.start = start + folded.original_start(c.start);
                        c
                    },
                ),
            );
            linked_until = end;
        }
        if categories.contains(Category::Framing) {
            // The categories asked for, not `search`: quotations would hide the names inside
            // them.
            self.add_quotations(text, &mut candidates);
        }
        let mut stops = Vec::new();
        let found = self.context.judge(text, matcher::select(candidates, &mut stops), &cues);
        if !names {
            return found;
        }
        let silent = self.context.silent(text, &cues);
        let mut taken: Vec<Span> =
            found.iter().map(|(f, _)| f.span).chain(stops).chain(silent).collect();
        taken.sort_unstable_by_key(|s| s.start);
        let mut out: Vec<(Finding, Option<usize>)> = found
            .into_iter()
            .filter(|(f, _)| categories.contains(f.category))
            .chain(self.names.find(text, &taken).into_iter().map(|f| (f, None)))
            .collect();
        out.sort_unstable_by_key(|(f, _)| f.span.start);
        out
    }

    /// Quotations of stored texts, and scare quotes, as candidates; they are longer than the
    /// names inside them, so they win over them.
    // Not inlined: only the framing category needs it, and in WebAssembly the browser compiles
    // a function when it is first called, so a first annotation with the default categories
    // (on every cold start) does not compile this.
    #[inline(never)]
    fn add_quotations(&self, text: &str, candidates: &mut Vec<matcher::Candidate>) {
        let known: std::collections::HashMap<(usize, usize), quotes::Known> = candidates
            .iter()
            .filter(|c| c.entry.is_some())
            .map(|c| {
                let name = matches!(
                    c.category,
                    Category::Person | Category::Organisation | Category::Place
                );
                ((c.start, c.end), if name { quotes::Known::Name } else { quotes::Known::Other })
            })
            .collect();
        let known = |s: Span| known.get(&(s.start, s.end)).copied();
        for (span, found) in quotes::find(text, &self.references, known) {
            let entry = match found {
                Found::Checked(document) => Some(quotes::encode(document)),
                Found::Scare => self.scare_quotes,
            };
            if entry.is_some() {
                candidates.push(matcher::Candidate {
                    start: span.start,
                    end: span.end,
                    order: usize::MAX,
                    entry,
                    category: Category::Framing,
                    alias: None,
                });
            }
        }
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

/// The index of the first zero byte of `bytes`, eight bytes at a time (blocks run to hundreds
/// of bytes, and every block with a finding is bounded this way).
fn first_zero(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([1; 8]));
        if has_zero(w) {
            break;
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| b == 0).map(|i| at + i)
}

/// The index of the last zero byte of `bytes`, eight bytes at a time.
fn last_zero(bytes: &[u8]) -> Option<usize> {
    let mut end = bytes.len();
    while end >= 8 {
        let w = bytes.get(end - 8..end).and_then(|c| c.try_into().ok()).map(u64::from_le_bytes);
        if w.is_none_or(has_zero) {
            break;
        }
        end -= 8;
    }
    bytes.get(..end)?.iter().rposition(|&b| b == 0)
}

/// True when one of the eight bytes of `w` is zero.
#[inline]
fn has_zero(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    w.wrapping_sub(ONES) & !w & (ONES * 0x80) != 0
}

/// The block of `text` around byte `at`: from after the separator before it to the next one,
/// in bytes.
pub(crate) fn block_around(text: &str, at: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = bytes.get(..at).and_then(last_zero).map_or(0, |i| i + 1);
    let end = bytes.get(at..).and_then(first_zero).map_or(bytes.len(), |i| at + i);
    (start, end)
}

/// The entry a quotation of `document` shows: the document's name and sources, in the
/// framing & sourcing category.
fn quotation_entry(document: &Entry) -> Entry {
    Entry {
        id: format!("{QUOTE_ID_PREFIX}{}", document.id),
        category: Category::Framing,
        name: document.name.clone(),
        aliases: Vec::new(),
        summary: document.summary.clone(),
        usages: Vec::new(),
        alternatives: Vec::new(),
        sources: document.sources.clone(),
        reviewed: document.reviewed.clone(),
        generated: true,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn blocks_are_bounded_by_the_separators_around_them() {
        let long = "a block longer than eight bytes";
        for text in [
            String::new(),
            "\0".into(),
            "abc".into(),
            "\0\0".into(),
            "one\0two".into(),
            format!("{long}\0b\0{long}\0"),
            format!("\0{long}{long}"),
        ] {
            for at in 0..=text.len() {
                let start = text[..at].rfind('\0').map_or(0, |i| i + 1);
                let end = text[at..].find('\0').map_or(text.len(), |i| at + i);
                assert_eq!(super::block_around(&text, at), (start, end), "{text:?} at {at}");
            }
        }
    }
}
