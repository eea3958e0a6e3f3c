//! The knowledge base's data model and, on native targets, the loader and checks for its TOML
//! files (the format is documented in `data/README.md`).
//!
//! This file is compiled twice: into the library, and into `build.rs` (which mirrors the module
//! tree `src::kb::{schema, lint}` and `src::fold`), so that a build and `footnote check` apply
//! exactly the same rules. It may therefore use nothing of the crate but `super::lint` and
//! `super::super::fold`.

use serde::{Deserialize, Serialize};

/// What kind of thing an entry explains. The extension lets readers switch each on or off.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// People, and groups of people such as communities.
    Person,
    /// Organisations: governments' departments, armed forces, agencies, companies, parties.
    Organisation,
    /// Places: countries, regions, cities, landmarks, geographic features.
    Place,
    /// Documents and agreements: treaties, resolutions, statements, arrangements.
    Document,
    /// Contested or loaded terms.
    Term,
    /// Framing and sourcing devices: attribution phrases, unnamed sources, distancing labels,
    /// scare quotes, and quotations checked against a stored primary text.
    Framing,
}

impl Category {
    /// Every category, in the order the extension shows them.
    pub const ALL: [Category; 6] = [
        Category::Person,
        Category::Organisation,
        Category::Place,
        Category::Document,
        Category::Term,
        Category::Framing,
    ];

    /// The category's name in data files and at the WebAssembly boundary.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Person => "person",
            Category::Organisation => "organisation",
            Category::Place => "place",
            Category::Document => "document",
            Category::Term => "term",
            Category::Framing => "framing",
        }
    }

    /// The category named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The case rule for aliases of this category that do not set their own.
    pub fn default_case(self) -> CaseRule {
        match self {
            Category::Term | Category::Framing => CaseRule::Ignore,
            _ => CaseRule::Capitals,
        }
    }
}

/// How the letter case of a text must agree with an alias for it to match.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum CaseRule {
    /// Any case: "occupation", "Occupation", "OCCUPATION".
    Ignore,
    /// Every capital of the alias is a capital in the text; other letters may be either, so
    /// "Golan Heights" matches "GOLAN HEIGHTS" but not "golan heights".
    Capitals,
    /// Exactly the alias's case: "US" matches "US" but not "us" or "Us".
    Exact,
}

/// One name an entry is found by.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Alias {
    /// The name as written (it is folded for matching, see `crate::fold`).
    pub text: String,
    /// How its letter case must match.
    pub case: CaseRule,
    /// True when an `[[entry.alias]]` block with a `why` gave it its own rule: its risks were
    /// considered.
    #[serde(default)]
    pub deliberate: bool,
}

/// Whether a source is the document itself or a report about it.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// The statement, resolution, treaty, law or official page itself.
    Primary,
    /// A news report, encyclopedia or mirror that reports on or reproduces it.
    Secondary,
}

/// How a source's URL was verified.
#[derive(Serialize, Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Verification {
    /// The page was seen, as published, at this URL.
    Seen,
    /// The exact URL was seen quoted in a published document or public file; the page itself
    /// was not seen.
    Cited,
    /// Built from the site's confirmed URL pattern for sibling documents.
    Pattern,
}

/// A source an entry's text rests on.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Source {
    /// Short name, unique within the entry, that usages cite.
    pub key: String,
    /// The document's or page's title.
    pub title: String,
    /// Who published it.
    pub publisher: String,
    /// Publication date, ISO 8601: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; absent when the
    /// page shows none.
    pub date: Option<String>,
    /// An `https` URL.
    pub url: String,
    /// Primary or secondary.
    pub kind: SourceKind,
    /// How the URL was verified.
    pub verified: Verification,
}

/// How one party uses a contested term.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Usage {
    /// Who uses it ("The Syrian government", "UN Security Council resolutions").
    pub by: String,
    /// How they use it, in neutral words.
    pub meaning: String,
    /// The key of the entry's source that shows this usage.
    pub source: String,
}

/// One knowledge-base entry.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct Entry {
    /// Stable identifier: lowercase ASCII letters, digits and hyphens.
    pub id: String,
    /// What kind of thing it is.
    pub category: Category,
    /// The name shown as the tooltip's title.
    pub name: String,
    /// The names it is found by.
    pub aliases: Vec<Alias>,
    /// One to three neutral sentences.
    pub summary: String,
    /// For contested terms: how different parties use the term.
    pub usages: Vec<Usage>,
    /// For contested terms: neutral wording careful style guides use instead.
    pub alternatives: Vec<String>,
    /// What the text rests on.
    pub sources: Vec<Source>,
    /// When the entry was last checked against its sources, `YYYY-MM-DD`.
    pub reviewed: String,
    /// True for entries generated from a dataset (`data/generated/`); hand-written entries
    /// override them.
    #[serde(default)]
    pub generated: bool,
}

/// Security Council resolutions adopted in one year, as far as the sources confirm.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearRange {
    /// The calendar year.
    pub year: u16,
    /// The first resolution number of the year that the sources confirm.
    pub first: u16,
    /// The last one the sources confirm (inclusive).
    pub last: u16,
}

/// The table the document linker derives resolution years from (`data/un-resolutions.toml`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ResolutionTable {
    /// When the table was last checked against its sources, `YYYY-MM-DD`.
    pub reviewed: String,
    /// Years of Security Council resolutions, in order; years the sources do not confirm are
    /// absent.
    pub security_council: Vec<YearRange>,
}

/// Evidence from the words around a match (`data/context.toml`, read by
/// `crate::detect::context`). Words are stored as written; the matcher folds them.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ContextRules {
    /// Offices and ranks written before a person's name.
    pub titles: Vec<String>,
    /// Words that may follow a name without making it part of a longer one.
    pub after_names: Vec<String>,
    /// Nationality words, which may precede a name.
    pub demonyms: Vec<String>,
    /// Words that are capitalised only because they start a sentence ("The", "In").
    pub sentence_words: Vec<String>,
    /// Cues of a photo credit or byline (compared with their case).
    pub credits: Vec<String>,
    /// Cues of a navigation line, such as an encyclopedia's "See also:" (with their case).
    pub navigation: Vec<String>,
    /// How sports copy is recognised, and what is marked in it.
    pub sports: SportsRules,
    /// Evidence for single entries and aliases.
    pub evidence: Vec<Evidence>,
    /// How names the knowledge base lacks are told apart (the `names` category).
    #[serde(default)]
    pub names: NameRules,
    /// Small words of English, and of other languages news is written in: a block with more
    /// of the others is not in English, and its contested terms (English words) are not marked.
    #[serde(default)]
    pub english_words: Vec<String>,
    /// See `english_words`.
    #[serde(default)]
    pub other_words: Vec<String>,
    /// Common first names that are not common words (from `data/reference/first-names.txt`,
    /// added by `build.rs`): a name directly after one is someone else's ("Melania Trump").
    #[serde(default)]
    pub first_names: WordList,
}

/// A sorted set of words kept in one string, one word per line. The embedded knowledge base
/// holds some 8,000 first names: read as a list of strings they were as many allocations on
/// every start, and each rule set that kept them copied them again into a hash set; this is
/// one string, a table of offsets and an open-addressing table of word numbers by hash, shared
/// by the rule sets that keep it (a clone shares it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WordList(std::sync::Arc<Words>);

impl WordList {
    /// The distinct words of `words`, sorted. Empty words and words with a line break are left
    /// out (they cannot come from a list read line by line).
    pub fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> WordList {
        WordList(std::sync::Arc::new(Words::new(words)))
    }

    /// True when `word` is in the list (compared byte for byte).
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }

    /// The words, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter()
    }

    /// How many words there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a [`WordList`] holds.
#[derive(Debug, Default)]
struct Words {
    /// The words in byte order, each followed by a line feed.
    text: String,
    /// Where each word starts in `text` (UTF-8 bytes).
    starts: Vec<u32>,
    /// Word numbers by hash (linear probing; `EMPTY` where none); a power of two in length, at
    /// least twice the number of words.
    slots: Vec<u32>,
}

impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        self.text == other.text
    }
}

impl Eq for Words {}

impl Words {
    /// The distinct words of `words`, sorted. Empty words and words with a line break are left
    /// out (they cannot come from a list read line by line).
    fn new<S: AsRef<str>>(words: impl IntoIterator<Item = S>) -> Words {
        let mut sorted: Vec<S> = words.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.as_ref().cmp(b.as_ref()));
        let mut list = Words::default();
        let mut last: Option<&str> = None;
        for word in &sorted {
            let word = word.as_ref();
            if word.is_empty() || word.contains(['\n', '\r']) || last == Some(word) {
                continue;
            }
            let Ok(start) = u32::try_from(list.text.len()) else { break };
            list.starts.push(start);
            list.text.push_str(word);
            list.text.push('\n');
            last = Some(word);
        }
        list.index();
        list
    }

    const EMPTY: u32 = u32::MAX;

    /// A hash of `word`'s bytes, eight at a time (FxHash's step, as rustc's hasher). The same
    /// step as `detect::words::WordHasher`, written again because this file may use nothing of
    /// the crate (see the top of the file).
    #[inline]
    fn hash(word: &str) -> usize {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = word.as_bytes().chunks_exact(8);
        let mut h = 0u64;
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last.iter_mut().zip(rest).for_each(|(s, b)| *s = *b);
        let w = u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
        (h >> 32) as usize
    }

    /// Fills `slots` from `starts`.
    fn index(&mut self) {
        let size = (self.starts.len() * 2).next_power_of_two().max(2);
        self.slots = vec![Words::EMPTY; size];
        let mask = size - 1;
        for i in 0..self.starts.len() {
            let mut slot = Words::hash(self.get(i)) & mask;
            while self.slots.get(slot).is_some_and(|&s| s != Words::EMPTY) {
                slot = (slot + 1) & mask;
            }
            if let (Some(s), Ok(n)) = (self.slots.get_mut(slot), u32::try_from(i)) {
                *s = n;
            }
        }
    }

    /// The list held in `text` (words each followed by a line feed), as written by
    /// [`WordList`]'s `Serialize`; any other text is read as lines and sorted.
    fn from_text(text: String) -> Words {
        let mut starts = Vec::new();
        let bytes = text.as_bytes();
        let mut ordered =
            (text.is_empty() || text.ends_with('\n')) && u32::try_from(text.len()).is_ok();
        let mut previous: &[u8] = &[];
        let mut start = 0;
        while ordered && start < bytes.len() {
            let Some(end) = line_feed(bytes, start) else {
                ordered = false;
                break;
            };
            let line = bytes.get(start..end).unwrap_or(&[]);
            // Each word must be longer than nothing and come after the one before.
            if line.is_empty() || (!starts.is_empty() && previous >= line) {
                ordered = false;
                break;
            }
            starts.push(start as u32);
            previous = line;
            start = end + 1;
        }
        if ordered {
            let mut list = Words { text, starts, slots: Vec::new() };
            list.index();
            list
        } else {
            Words::new(text.lines())
        }
    }

    /// The word at `i`.
    #[inline]
    fn get(&self, i: usize) -> &str {
        let start = self.starts.get(i).map_or(0, |&s| s as usize);
        let end = self.starts.get(i + 1).map_or(self.text.len(), |&s| s as usize);
        self.text.get(start..end.saturating_sub(1).max(start)).unwrap_or("")
    }

    /// True when `word` is in the list (compared byte for byte).
    #[inline]
    fn contains(&self, word: &str) -> bool {
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = Words::hash(word) & mask;
        while let Some(&n) = self.slots.get(slot) {
            if n == Words::EMPTY {
                return false;
            }
            if self.get(n as usize) == word {
                return true;
            }
            slot = (slot + 1) & mask;
        }
        false
    }

    /// The words, in order.
    fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.starts.len()).map(|i| self.get(i))
    }

    /// How many words there are.
    fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when there are none.
    fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

/// Where the line of `bytes` from `from` ends (its line feed); `None` when it has a carriage
/// return or no line feed.
// Not inlined: see `Keys::add_folded` in detect/matcher.rs (start-up loops belong in small
// functions that run many times).
#[inline(never)]
fn line_feed(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let at = rest.iter().position(|&b| b == b'\n' || b == b'\r')?;
    (rest.get(at) == Some(&b'\n')).then_some(from + at)
}

impl Serialize for WordList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.text)
    }
}

impl<'de> Deserialize<'de> for WordList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<WordList, D::Error> {
        String::deserialize(deserializer)
            .map(|text| WordList(std::sync::Arc::new(Words::from_text(text))))
    }
}

#[cfg(test)]
mod word_list_tests {
    use super::WordList;

    fn words(list: &WordList) -> Vec<&str> {
        list.iter().collect()
    }

    #[test]
    fn a_word_list_holds_each_distinct_word_once_in_order() {
        let list = WordList::new(["Zoe", "Ahmed", "", "Zoe", "two\nlines", "Émile", "Ahmad"]);
        assert_eq!(words(&list), ["Ahmad", "Ahmed", "Zoe", "Émile"]);
        assert_eq!(list.len(), 4);
        for w in ["Ahmad", "Ahmed", "Zoe", "Émile"] {
            assert!(list.contains(w), "{w}");
        }
        // Compared byte for byte: no case folding, no prefixes, no part of a line.
        for w in ["zoe", "Ahm", "Ahmedx", "", "two", "lines", "\n", "Emile"] {
            assert!(!list.contains(w), "{w:?}");
        }
        assert!(!WordList::default().contains("Zoe"));
        assert!(WordList::default().is_empty());
    }

    #[test]
    fn a_word_list_reads_back_from_its_stored_form() {
        let list = WordList::new((0..3000).map(|i| format!("name{i}")));
        let bytes = postcard::to_allocvec(&list).unwrap();
        let back: WordList = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, list);
        assert_eq!(words(&back), words(&list));
        assert!((0..3000).all(|i| back.contains(&format!("name{i}"))));
        assert!(!back.contains("name3000"));
    }

    #[test]
    fn a_stored_word_list_out_of_order_is_sorted_again() {
        // Written by hand or damaged: unsorted, repeated, blank lines, CRLF, no final line feed.
        for text in ["b\na\n", "a\na\nb\n", "a\n\nb\n", "a\r\nb\r\n", "a\nb", "\na\nb\n"] {
            let stored = postcard::to_allocvec(text).unwrap();
            let list: WordList = postcard::from_bytes(&stored).unwrap();
            assert_eq!(words(&list), ["a", "b"], "{text:?}");
            assert!(list.contains("a") && list.contains("b") && !list.contains(""), "{text:?}");
        }
    }

    #[test]
    fn the_embedded_first_names_are_all_found() {
        let catalog = crate::Catalog::builtin().unwrap();
        let names = &catalog.context().first_names;
        let reference = super::first_names(std::path::Path::new("data/reference")).unwrap();
        assert!(reference.len() > 5000);
        assert_eq!(names.len(), reference.len());
        assert!(reference.iter().all(|n| names.contains(n)));
        assert!(!names.contains("Jerusalem"));
    }
}

/// Sports copy (see `data/context.toml`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SportsRules {
    /// How many different cues make a block sports copy.
    pub min_cues: u8,
    /// Words and two-word phrases (lowercase) that are cues.
    pub cues: Vec<String>,
    /// Verbs that make a place directly before them a team.
    pub team_verbs: Vec<String>,
    /// Words after which a place is a place, not a team.
    pub locative: Vec<String>,
    /// Words after a possessive place that make it a team ("Norway's coach").
    pub roles: Vec<String>,
}

/// Names the knowledge base lacks (see `data/context.toml`, `[names]`).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct NameRules {
    /// Small words that join the capitalised words of a name ("al", "van").
    pub connectors: Vec<String>,
    /// Small words that join them only after an organisation or place word ("of", "for").
    pub cue_connectors: Vec<String>,
    /// Words that make a run of capitalised words no person, organisation or place ("War").
    pub not_names: Vec<String>,
    /// Endings after a hyphen that make a capitalised word an adjective ("Iran-backed").
    pub adjective_endings: Vec<String>,
    /// Connectors that only people's names have inside ("bin", "van").
    pub person_particles: Vec<String>,
    /// Words that make a name an organisation's, last or before "of" or "for".
    pub organisations: Vec<String>,
    /// Words that make a name a place's, last or before "of" or "for".
    pub places: Vec<String>,
    /// Words that make a name a place's when they come first.
    pub place_heads: Vec<String>,
}

/// Evidence an entry's aliases (or one alias) need.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The entry's id.
    pub entry: String,
    /// The alias, as written in the entry; `None` for every alias of the entry.
    pub alias: Option<String>,
    /// The alias counts only directly after one of these.
    pub after: Vec<String>,
    /// The alias does not count directly after one of these.
    pub not_after: Vec<String>,
    /// The alias does not count directly before one of these.
    pub not_before: Vec<String>,
    /// The alias counts only when its block has one of these (with their case), the words of
    /// the topics named included.
    pub near: Vec<String>,
}

/// What `build.rs` embeds in the binary.
#[derive(Serialize, Deserialize, Debug)]
pub struct Builtin {
    /// Every entry, sorted by id.
    pub entries: Vec<Entry>,
    /// The resolution-year table.
    pub resolutions: ResolutionTable,
    /// Phrases that contain a known name but mean something else (`data/stop-phrases.toml`).
    pub stop_phrases: Vec<String>,
    /// Evidence from the words around a match (`data/context.toml`).
    pub context: ContextRules,
    /// Primary texts that quotations are checked against (`data/texts/*.toml`).
    pub texts: Vec<PrimaryText>,
}

/// The full text of a primary source (a statement, a resolution), stored so that quotations
/// of it can be checked word for word. Only official texts that may be copied are stored.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PrimaryText {
    /// The id of the document entry this is the text of.
    pub entry: String,
    /// The key of that entry's source the text was copied from.
    pub source: String,
    /// Why the text may be stored (its licence or public-domain status).
    pub licence: String,
    /// Who a sentence names when it attributes a quotation to this text ("the statement",
    /// "the State Department"): a quotation that the text lacks is reported as not found only
    /// when its sentence names one of them.
    pub speakers: Vec<String>,
    /// The text, one paragraph per line.
    pub text: String,
}

/// A problem found in a knowledge-base file: which file, which entry, what is wrong.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// The file, as given to the loader.
    pub file: String,
    /// The entry's id, when the problem belongs to one entry.
    pub entry: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.entry {
            Some(id) => write!(f, "{}: entry `{}`: {}", self.file, id, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use load::{
    Base, RawAlias, RawEntry, RawFile, check_context, check_entries, first_names, load_base,
    load_context, load_dir, load_resolution_table, load_stop_phrases, load_texts, parse_context,
    parse_file, parse_raw,
};

#[cfg(not(target_arch = "wasm32"))]
mod load {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use std::path::Path;

    /// Longest alias, in characters.
    const MAX_ALIAS_CHARS: usize = 80;
    /// Longest summary, in characters.
    const MAX_SUMMARY_CHARS: usize = 700;
    /// Most sentences in a summary.
    const MAX_SENTENCES: usize = 3;

    /// An entry file as written (see data/README.md).
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    pub struct RawFile {
        /// The `[[entry]]` tables.
        #[serde(default)]
        pub entry: Vec<RawEntry>,
    }

    /// One `[[entry]]` table as written; the fields are those of data/README.md.
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(missing_docs)]
    pub struct RawEntry {
        pub id: String,
        pub category: String,
        pub name: String,
        #[serde(default)]
        pub aliases: Vec<String>,
        #[serde(default)]
        pub case: Option<CaseRule>,
        #[serde(default)]
        pub alias: Vec<RawAlias>,
        pub summary: String,
        #[serde(default)]
        pub usage: Vec<Usage>,
        #[serde(default)]
        pub alternatives: Vec<String>,
        #[serde(default)]
        pub source: Vec<Source>,
        pub reviewed: String,
    }

    /// An alias with its own case rule (`[[entry.alias]]`).
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(missing_docs)]
    pub struct RawAlias {
        pub text: String,
        pub case: CaseRule,
        /// Why this alias needs its own rule (kept in the file for reviewers).
        pub why: String,
    }

    /// The knowledge base of a data folder: hand-written and generated entries together.
    #[derive(Debug)]
    pub struct Base {
        /// Every entry, sorted by id.
        pub entries: Vec<Entry>,
        /// Ids of generated entries left out because a hand-written entry names the same thing.
        pub overridden: Vec<String>,
    }

    /// Reads every `*.toml` file of `dir` (sorted by name), checks each entry and the entries
    /// together, runs the neutrality lint, and returns the entries sorted by id, or every
    /// problem found.
    pub fn load_dir(dir: &Path) -> Result<Vec<Entry>, Vec<Diagnostic>> {
        let (entries, mut problems) = read_folder(dir, false);
        problems.extend(check_entries(&entries));
        problems.extend(lint_entries(&entries));
        finish(entries, problems)
    }

    /// Reads the knowledge base of a data folder: `entries/*.toml` (hand-written) and
    /// `generated/*.toml` (generated from datasets, see `scripts/gen-un-members.mjs`). A
    /// generated entry whose id or any alias a hand-written entry already has is left out: the
    /// hand-written entry overrides it.
    pub fn load_base(data: &Path) -> Result<Base, Vec<Diagnostic>> {
        let (mut entries, mut problems) = read_folder(&data.join("entries"), false);
        let generated_dir = data.join("generated");
        let mut overridden = Vec::new();
        if generated_dir.is_dir() {
            let (generated, more) = read_folder(&generated_dir, true);
            problems.extend(more);
            let ids: HashSet<&str> = entries.iter().map(|(_, e)| e.id.as_str()).collect();
            let keys: HashSet<String> = entries
                .iter()
                .flat_map(|(_, e)| e.aliases.iter().map(|a| match_key(&a.text)))
                .collect();
            let mut kept = Vec::new();
            for (file, e) in generated {
                if ids.contains(e.id.as_str())
                    || e.aliases.iter().any(|a| keys.contains(&match_key(&a.text)))
                {
                    overridden.push(e.id);
                } else {
                    kept.push((file, e));
                }
            }
            entries.extend(kept);
        }
        problems.extend(check_entries(&entries));
        problems.extend(lint_entries(&entries));
        finish(entries, problems).map(|entries| Base { entries, overridden })
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawTable {
        reviewed: String,
        security_council: Vec<RawYear>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawYear {
        year: u16,
        first: u16,
        last: u16,
        #[allow(dead_code)]
        grade: String,
        #[allow(dead_code)]
        sources: Vec<String>,
    }

    /// Reads and checks `data/un-resolutions.toml`: years and numbers strictly increasing,
    /// ranges that do not overlap, every row with a source.
    pub fn load_resolution_table(path: &Path) -> Result<ResolutionTable, Vec<Diagnostic>> {
        let file = path.display().to_string();
        let diag = |message: String| vec![Diagnostic { file: file.clone(), entry: None, message }];
        let text = std::fs::read_to_string(path)
            .map_err(|e| diag(format!("cannot read the file: {e}")))?;
        let raw: RawTable = toml::from_str(&text)
            .map_err(|e| diag(format!("not a valid table: {}", e.to_string().trim_end())))?;
        if !is_full_date(&raw.reviewed) {
            return Err(diag(format!("reviewed \"{}\" is not a date YYYY-MM-DD", raw.reviewed)));
        }
        let mut previous: Option<&RawYear> = None;
        for row in &raw.security_council {
            if row.first > row.last || row.first == 0 {
                return Err(diag(format!(
                    "year {}: first {} is after last {}",
                    row.year, row.first, row.last
                )));
            }
            if row.sources.is_empty() {
                return Err(diag(format!("year {}: no source", row.year)));
            }
            if let Some(p) = previous {
                if row.year <= p.year || row.first <= p.last {
                    return Err(diag(format!(
                        "year {}: not after year {} (years and numbers must increase)",
                        row.year, p.year
                    )));
                }
            }
            previous = Some(row);
        }
        Ok(ResolutionTable {
            reviewed: raw.reviewed,
            security_council: raw
                .security_council
                .iter()
                .map(|r| YearRange { year: r.year, first: r.first, last: r.last })
                .collect(),
        })
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawStops {
        phrase: Vec<RawStop>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawStop {
        text: String,
        #[allow(dead_code)]
        why: String,
    }

    /// Reads and checks `data/stop-phrases.toml`: each phrase plain text with single spaces,
    /// none twice, each with a why.
    pub fn load_stop_phrases(path: &Path) -> Result<Vec<String>, Vec<Diagnostic>> {
        let file = path.display().to_string();
        let diag = |message: String| Diagnostic { file: file.clone(), entry: None, message };
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![diag(format!("cannot read the file: {e}"))])?;
        let raw: RawStops = toml::from_str(&text)
            .map_err(|e| vec![diag(format!("not a valid file: {}", e.to_string().trim_end()))])?;
        let mut problems = Vec::new();
        let mut seen = HashSet::new();
        for p in &raw.phrase {
            let mut messages = Vec::new();
            check_alias(&mut messages, &p.text);
            if p.why.trim().is_empty() {
                messages.push(format!("phrase \"{}\" needs a why", p.text));
            }
            if !seen.insert(match_key(&p.text)) {
                messages.push(format!("phrase \"{}\" is listed twice", p.text));
            }
            problems.extend(messages.into_iter().map(diag));
        }
        if problems.is_empty() {
            Ok(raw.phrase.into_iter().map(|p| p.text).collect())
        } else {
            Err(problems)
        }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawText {
        entry: String,
        source: String,
        licence: String,
        speakers: Vec<String>,
        text: String,
    }

    /// Longest stored primary text, in characters.
    const MAX_TEXT_CHARS: usize = 50_000;

    /// Reads and checks the primary texts of `dir` (`data/texts/*.toml`; a missing folder is
    /// no texts): each names a document entry of `entries` and one of its sources that was
    /// seen, says why it may be stored, and names who quotes of it are attributed to.
    pub fn load_texts(dir: &Path, entries: &[Entry]) -> Result<Vec<PrimaryText>, Vec<Diagnostic>> {
        let Ok(read) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
        let mut files: Vec<_> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut texts = Vec::new();
        let mut problems = Vec::new();
        for path in files {
            let file = path.display().to_string();
            let diag = |message: String| Diagnostic { file: file.clone(), entry: None, message };
            let raw: RawText = match std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read the file: {e}"))
                .and_then(|t| {
                    toml::from_str(&t)
                        .map_err(|e| format!("not a valid file: {}", e.to_string().trim_end()))
                }) {
                Ok(raw) => raw,
                Err(message) => {
                    problems.push(diag(message));
                    continue;
                }
            };
            let mut messages = Vec::new();
            match entries.iter().find(|e| e.id == raw.entry) {
                None => messages.push(format!("no entry has the id `{}`", raw.entry)),
                Some(e) if e.category != Category::Document => {
                    messages.push(format!("entry `{}` is not a document", raw.entry));
                }
                Some(e) => match e.sources.iter().find(|s| s.key == raw.source) {
                    None => messages
                        .push(format!("entry `{}` has no source `{}`", raw.entry, raw.source)),
                    Some(s) if s.verified != Verification::Seen => messages.push(format!(
                        "source `{}` of `{}` was not seen; copy texts only from sources seen",
                        raw.source, raw.entry
                    )),
                    Some(_) => {}
                },
            }
            if texts.iter().any(|t: &PrimaryText| t.entry == raw.entry) {
                messages.push(format!("entry `{}` has two texts", raw.entry));
            }
            let licence = collapse_spaces(&raw.licence);
            check_text(&mut messages, "licence", &licence, 300);
            if raw.speakers.is_empty() {
                messages.push("speakers is empty: name who quotes of it are attributed to".into());
            }
            for s in &raw.speakers {
                check_alias(&mut messages, s);
            }
            let text: String = raw
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            if text.is_empty() {
                messages.push("the text is empty".into());
            } else if text.chars().count() > MAX_TEXT_CHARS {
                messages.push(format!("the text is longer than {MAX_TEXT_CHARS} characters"));
            } else if looks_like_markup(&text) || text.chars().any(|c| c.is_control() && c != '\n')
            {
                messages.push(
                    "the text must be plain text, without markup or control characters".into(),
                );
            }
            if messages.is_empty() {
                texts.push(PrimaryText {
                    entry: raw.entry,
                    source: raw.source,
                    licence,
                    speakers: raw.speakers,
                    text,
                });
            } else {
                problems.extend(messages.into_iter().map(diag));
            }
        }
        if problems.is_empty() { Ok(texts) } else { Err(problems) }
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawContext {
        titles: Vec<String>,
        after_names: Vec<String>,
        demonyms: Vec<String>,
        sentence_words: Vec<String>,
        credits: Vec<String>,
        navigation: Vec<String>,
        sports: SportsRules,
        #[serde(default)]
        names: NameRules,
        english_words: Vec<String>,
        other_words: Vec<String>,
        #[serde(default)]
        topics: HashMap<String, Vec<String>>,
        #[serde(default)]
        evidence: Vec<RawEvidence>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct RawEvidence {
        entry: String,
        alias: Option<String>,
        #[serde(default)]
        after: Vec<String>,
        #[serde(default)]
        not_after: Vec<String>,
        #[serde(default)]
        not_before: Vec<String>,
        #[serde(default)]
        near: Vec<String>,
        #[serde(default)]
        topics: Vec<String>,
        why: String,
    }

    /// Reads and checks `data/context.toml` (see [`parse_context`]).
    pub fn load_context(path: &Path) -> Result<ContextRules, Vec<Diagnostic>> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            vec![Diagnostic {
                file: file.clone(),
                entry: None,
                message: format!("cannot read the file: {e}"),
            }]
        })?;
        parse_context(&file, &text)
    }

    /// Parses the context rules of `file`: every list of words non-empty and without empty
    /// words, each evidence rule with a why and at least one condition, every topic it names
    /// defined. Whether the entries and aliases exist is [`check_context`]'s part.
    pub fn parse_context(file: &str, text: &str) -> Result<ContextRules, Vec<Diagnostic>> {
        let diag = |entry: Option<&str>, message: String| Diagnostic {
            file: file.to_string(),
            entry: entry.map(str::to_string),
            message,
        };
        let raw: RawContext = toml::from_str(text).map_err(|e| {
            vec![diag(None, format!("not a valid file: {}", e.to_string().trim_end()))]
        })?;
        let mut problems = Vec::new();
        let mut words = |what: &str, list: &[String]| {
            if list.is_empty() {
                problems.push(diag(None, format!("{what} is empty")));
            }
            if let Some(w) = list.iter().find(|w| w.trim().is_empty() || w.trim() != w.as_str()) {
                problems.push(diag(
                    None,
                    format!("{what}: \"{w}\" is empty or has white space at an end"),
                ));
            }
        };
        words("titles", &raw.titles);
        words("after_names", &raw.after_names);
        words("demonyms", &raw.demonyms);
        words("sentence_words", &raw.sentence_words);
        words("credits", &raw.credits);
        words("navigation", &raw.navigation);
        words("sports.cues", &raw.sports.cues);
        words("sports.team_verbs", &raw.sports.team_verbs);
        words("sports.locative", &raw.sports.locative);
        words("sports.roles", &raw.sports.roles);
        words("english_words", &raw.english_words);
        words("other_words", &raw.other_words);
        words("names.connectors", &raw.names.connectors);
        words("names.cue_connectors", &raw.names.cue_connectors);
        words("names.not_names", &raw.names.not_names);
        words("names.adjective_endings", &raw.names.adjective_endings);
        words("names.person_particles", &raw.names.person_particles);
        words("names.organisations", &raw.names.organisations);
        words("names.places", &raw.names.places);
        words("names.place_heads", &raw.names.place_heads);
        for (name, list) in &raw.topics {
            words(&format!("topic {name}"), list);
        }
        if raw.sports.min_cues == 0 {
            problems.push(diag(None, "sports.min_cues must be at least 1".into()));
        }
        if let Some(cue) =
            raw.sports.cues.iter().find(|c| c.split(' ').count() > 2 || c.to_lowercase() != **c)
        {
            problems.push(diag(
                None,
                format!("sports cue \"{cue}\" must be one or two lowercase words"),
            ));
        }
        let mut evidence = Vec::new();
        for r in raw.evidence {
            let id = r.entry.as_str();
            if r.why.trim().is_empty() {
                problems.push(diag(Some(id), "an evidence rule needs a why".into()));
            }
            if r.after.is_empty()
                && r.not_after.is_empty()
                && r.not_before.is_empty()
                && r.near.is_empty()
                && r.topics.is_empty()
            {
                problems.push(diag(
                    Some(id),
                    "an evidence rule needs after, not_after, not_before, near or topics".into(),
                ));
            }
            let mut near = r.near.clone();
            for topic in &r.topics {
                match raw.topics.get(topic) {
                    Some(list) => near.extend(list.iter().cloned()),
                    None => problems.push(diag(Some(id), format!("unknown topic \"{topic}\""))),
                }
            }
            for w in r.after.iter().chain(&r.not_after).chain(&r.not_before).chain(&near) {
                if w.trim().is_empty() || w.trim() != w {
                    problems.push(diag(
                        Some(id),
                        format!("\"{w}\" is empty or has white space at an end"),
                    ));
                }
            }
            evidence.push(Evidence {
                entry: r.entry,
                alias: r.alias,
                after: r.after,
                not_after: r.not_after,
                not_before: r.not_before,
                near,
            });
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ContextRules {
            titles: raw.titles,
            after_names: raw.after_names,
            demonyms: raw.demonyms,
            sentence_words: raw.sentence_words,
            credits: raw.credits,
            navigation: raw.navigation,
            sports: raw.sports,
            names: raw.names,
            english_words: raw.english_words,
            other_words: raw.other_words,
            evidence,
            first_names: WordList::default(),
        })
    }

    /// The first names of `reference` (`data/reference/`) that are not common words once
    /// folded, sorted: the ones that tell a person's name from a place or an organisation.
    pub fn first_names(reference: &Path) -> Result<Vec<String>, Vec<Diagnostic>> {
        let read = |name: &str| -> Result<Vec<String>, Vec<Diagnostic>> {
            let path = reference.join(name);
            std::fs::read_to_string(&path)
                .map(|t| {
                    t.lines()
                        .filter(|l| !l.is_empty() && !l.starts_with('#'))
                        .map(str::to_string)
                        .collect()
                })
                .map_err(|e| {
                    vec![Diagnostic {
                        file: path.display().to_string(),
                        entry: None,
                        message: format!("cannot read the file: {e}"),
                    }]
                })
        };
        let common: HashSet<String> = read("common-words.txt")?.into_iter().collect();
        let mut names: Vec<String> = read("first-names.txt")?
            .into_iter()
            .filter(|n| n.chars().count() >= 3)
            .filter(|n| {
                !common.contains(&super::super::super::fold::fold(n).as_str().to_lowercase())
            })
            .collect();
        names.sort();
        names.dedup();
        Ok(names)
    }

    /// Checks that every evidence rule of `rules` names an entry of `entries` and, when it
    /// names an alias, an alias of that entry; and that no alias has two rules.
    pub fn check_context(file: &str, rules: &ContextRules, entries: &[Entry]) -> Vec<Diagnostic> {
        let by_id: HashMap<&str, &Entry> = entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut seen = HashSet::new();
        let mut problems = Vec::new();
        for r in &rules.evidence {
            let mut problem = |message: String| {
                problems.push(Diagnostic {
                    file: file.to_string(),
                    entry: Some(r.entry.clone()),
                    message,
                })
            };
            let Some(e) = by_id.get(r.entry.as_str()) else {
                problem("an evidence rule names an entry the knowledge base lacks".into());
                continue;
            };
            if let Some(alias) = &r.alias {
                if !e.aliases.iter().any(|a| &a.text == alias) {
                    problem(format!(
                        "an evidence rule names alias \"{alias}\", which the entry lacks"
                    ));
                }
            }
            if !seen.insert((r.entry.as_str(), r.alias.as_deref())) {
                problem("two evidence rules for the same alias; merge them".into());
            }
        }
        problems
    }

    fn finish(
        entries: Vec<(String, Entry)>,
        problems: Vec<Diagnostic>,
    ) -> Result<Vec<Entry>, Vec<Diagnostic>> {
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(entries)
    }

    /// Parses every `*.toml` file of `dir`; entries come back with their file's name.
    fn read_folder(dir: &Path, generated: bool) -> (Vec<(String, Entry)>, Vec<Diagnostic>) {
        let shown = dir.display().to_string();
        let read = match std::fs::read_dir(dir) {
            Ok(read) => read,
            Err(e) => {
                let message = format!("cannot read the folder: {e}");
                return (Vec::new(), vec![Diagnostic { file: shown, entry: None, message }]);
            }
        };
        let mut files: Vec<_> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        if files.is_empty() {
            let message = "no .toml files: the knowledge base is empty".to_string();
            return (Vec::new(), vec![Diagnostic { file: shown, entry: None, message }]);
        }
        let mut all = Vec::new();
        let mut problems = Vec::new();
        for path in &files {
            let name = path.display().to_string();
            match std::fs::read_to_string(path) {
                Ok(text) => match parse_file(&name, &text) {
                    Ok(entries) => all.extend(entries.into_iter().map(|mut e| {
                        e.generated = generated;
                        (name.clone(), e)
                    })),
                    Err(mut d) => problems.append(&mut d),
                },
                Err(e) => problems.push(Diagnostic {
                    file: name,
                    entry: None,
                    message: format!("cannot read the file as UTF-8 text: {e}"),
                }),
            }
        }
        (all, problems)
    }

    /// The neutrality lint over every summary (see lint.rs and data/neutrality.toml).
    fn lint_entries(entries: &[(String, Entry)]) -> Vec<Diagnostic> {
        let lint = match super::super::lint::Neutrality::builtin() {
            Ok(lint) => lint,
            Err(message) => {
                return vec![Diagnostic {
                    file: "data/neutrality.toml".into(),
                    entry: None,
                    message,
                }];
            }
        };
        entries
            .iter()
            .flat_map(|(file, e)| {
                lint.check(e).into_iter().map(|message| Diagnostic {
                    file: file.clone(),
                    entry: Some(e.id.clone()),
                    message,
                })
            })
            .collect()
    }

    /// Parses one file as written, without checking its entries.
    pub fn parse_raw(file: &str, text: &str) -> Result<RawFile, Diagnostic> {
        toml::from_str(text).map_err(|e| Diagnostic {
            file: file.to_string(),
            entry: None,
            message: format!("not a valid entry file: {}", e.to_string().trim_end()),
        })
    }

    /// Parses one file and checks each entry on its own. `file` names it in messages.
    pub fn parse_file(file: &str, text: &str) -> Result<Vec<Entry>, Vec<Diagnostic>> {
        let diag = |entry: Option<&str>, message: String| Diagnostic {
            file: file.to_string(),
            entry: entry.map(str::to_string),
            message,
        };
        let raw = parse_raw(file, text).map_err(|d| vec![d])?;
        if raw.entry.is_empty() {
            return Err(vec![diag(None, "no [[entry]] tables".into())]);
        }
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for r in raw.entry {
            let mut problem = |m: String| problems.push(diag(Some(&r.id), m));
            let Some(category) = Category::parse(&r.category) else {
                let known: Vec<_> = Category::ALL.iter().map(|c| c.as_str()).collect();
                problem(format!("unknown category `{}` (known: {})", r.category, known.join(", ")));
                continue;
            };
            let default_case = r.case.unwrap_or(category.default_case());
            let mut aliases: Vec<Alias> = r
                .aliases
                .iter()
                .map(|t| Alias { text: t.clone(), case: default_case, deliberate: false })
                .collect();
            aliases.extend(r.alias.iter().map(|a| Alias {
                text: a.text.clone(),
                case: a.case,
                deliberate: true,
            }));
            let entry = Entry {
                id: r.id.clone(),
                category,
                name: r.name.clone(),
                aliases,
                summary: collapse_spaces(&r.summary),
                usages: r.usage,
                alternatives: r.alternatives,
                sources: r.source,
                reviewed: r.reviewed,
                generated: false,
            };
            for m in check_entry(&entry) {
                problem(m);
            }
            entries.push(entry);
        }
        if problems.is_empty() { Ok(entries) } else { Err(problems) }
    }

    /// Checks that need all entries at once: unique ids, and no alias (as folded for
    /// matching) that belongs to two entries.
    pub fn check_entries(entries: &[(String, Entry)]) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let mut ids: HashMap<&str, &str> = HashMap::new();
        let mut aliases: HashMap<String, (&str, &str)> = HashMap::new();
        for (file, e) in entries {
            if let Some(first) = ids.insert(&e.id, file) {
                problems.push(Diagnostic {
                    file: file.clone(),
                    entry: Some(e.id.clone()),
                    message: format!("the id is used twice (also in {first})"),
                });
            }
            let mut own = Vec::new();
            for a in &e.aliases {
                let key = match_key(&a.text);
                if own.contains(&key) {
                    continue; // reported by check_entry
                }
                own.push(key.clone());
                if let Some((other, other_alias)) = aliases.get(&key) {
                    problems.push(Diagnostic {
                        file: file.clone(),
                        entry: Some(e.id.clone()),
                        message: format!(
                            "alias \"{}\" is also an alias of `{other}` (\"{other_alias}\"); \
                             one alias can name only one entry",
                            a.text
                        ),
                    });
                } else {
                    aliases.insert(key, (&e.id, &a.text));
                }
            }
        }
        problems
    }

    /// How the matcher sees an alias: folded, and without ASCII case.
    pub(crate) fn match_key(alias: &str) -> String {
        super::super::super::fold::fold(alias).as_str().to_ascii_lowercase()
    }

    fn check_entry(e: &Entry) -> Vec<String> {
        let mut p = Vec::new();
        if e.id.is_empty()
            || !e.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            || e.id.starts_with('-')
            || e.id.ends_with('-')
        {
            p.push("the id must be lowercase ASCII letters, digits and inner hyphens".into());
        }
        check_text(&mut p, "name", &e.name, 120);
        // Scare quotes are found by their quotation marks (src/detect/quotes.rs), not by name.
        if e.aliases.is_empty() && e.id != "framing-scare-quotes" {
            p.push("no aliases: the entry could never be found".into());
        }
        let mut seen: Vec<(String, &str)> = Vec::new();
        for a in &e.aliases {
            check_alias(&mut p, &a.text);
            let key = match_key(&a.text);
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == key) {
                p.push(format!(
                    "aliases \"{first}\" and \"{}\" are the same once folded; keep one",
                    a.text
                ));
            } else {
                seen.push((key, &a.text));
            }
        }
        check_summary(&mut p, &e.summary);
        if e.sources.is_empty() {
            p.push("no sources: every entry needs at least one".into());
        }
        let mut keys: Vec<&str> = Vec::new();
        for s in &e.sources {
            if keys.contains(&s.key.as_str()) {
                p.push(format!("source key `{}` is used twice", s.key));
            }
            keys.push(&s.key);
            if s.key.is_empty() || !s.key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                p.push(format!("source key `{}` must be ASCII letters, digits and hyphens", s.key));
            }
            check_text(&mut p, "source title", &s.title, 300);
            check_text(&mut p, "source publisher", &s.publisher, 200);
            if let Some(date) = s.date.as_deref().filter(|d| !is_iso_date(d)) {
                p.push(format!(
                    "source `{}`: date \"{date}\" is not ISO 8601 (YYYY, YYYY-MM or YYYY-MM-DD)",
                    s.key
                ));
            }
            if let Err(why) = check_url(&s.url) {
                p.push(format!("source `{}`: URL \"{}\" {why}", s.key, s.url));
            }
        }
        for u in &e.usages {
            check_text(&mut p, "usage `by`", &u.by, 200);
            check_text(&mut p, "usage `meaning`", &u.meaning, 400);
            if !keys.contains(&u.source.as_str()) {
                p.push(format!(
                    "usage by \"{}\" cites source `{}`, which the entry lacks",
                    u.by, u.source
                ));
            }
        }
        for a in &e.alternatives {
            check_text(&mut p, "alternative", a, 120);
        }
        if e.category == Category::Term {
            if e.usages.len() < 2 {
                p.push("a contested term needs at least two attributed usages".into());
            }
            if e.alternatives.is_empty() {
                p.push("a contested term needs at least one neutral alternative".into());
            }
        }
        if !is_full_date(&e.reviewed) {
            p.push(format!("reviewed \"{}\" is not a date YYYY-MM-DD", e.reviewed));
        }
        p
    }

    fn check_text(p: &mut Vec<String>, what: &str, text: &str, max_chars: usize) {
        if text.trim().is_empty() {
            p.push(format!("{what} is empty"));
        } else if text.trim() != text {
            p.push(format!("{what} \"{text}\" has white space at an end"));
        }
        if text.chars().any(char::is_control) {
            p.push(format!("{what} contains a control character"));
        }
        if text.chars().count() > max_chars {
            p.push(format!("{what} is longer than {max_chars} characters"));
        }
        if looks_like_markup(text) {
            p.push(format!("{what} looks like HTML markup; write plain text"));
        }
    }

    fn check_alias(p: &mut Vec<String>, alias: &str) {
        check_text(p, "alias", alias, MAX_ALIAS_CHARS);
        if alias.contains("  ")
            || alias.chars().any(|c| c != ' ' && super::super::super::fold::is_space(c))
        {
            p.push(format!("alias \"{alias}\" must separate words with single plain spaces"));
        }
        if !alias.chars().any(char::is_alphanumeric) {
            p.push(format!("alias \"{alias}\" has no letter or digit"));
        }
    }

    fn check_summary(p: &mut Vec<String>, summary: &str) {
        check_text(p, "summary", summary, MAX_SUMMARY_CHARS);
        let n = count_sentences(summary);
        if n > MAX_SENTENCES {
            p.push(format!("the summary has {n} sentences; at most {MAX_SENTENCES}"));
        }
        if !summary.trim_end_matches(['"', '\'', ')', '’', '”']).ends_with(['.', '!', '?']) {
            p.push("the summary must end with a full stop".into());
        }
    }

    /// Collapses runs of white space (as multi-line TOML strings have) into single spaces.
    fn collapse_spaces(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// True for `<` followed by a letter, `/` or `!`: the start of a tag or comment.
    fn looks_like_markup(text: &str) -> bool {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '<'
                && chars.peek().is_some_and(|d| d.is_ascii_alphabetic() || *d == '/' || *d == '!')
            {
                return true;
            }
        }
        false
    }

    /// Words after which a full stop does not end a sentence.
    const ABBREVIATIONS: &[&str] = &[
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Adm", "Gov",
        "Sen", "Rep", "St", "Jr", "Sr", "No", "Nos", "Art", "Arts", "Res", "Jan", "Feb", "Mar",
        "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc", "approx",
        "al", "Inc", "Ltd", "Co", "Corp", "para", "paras", "ca", "cf",
    ];

    /// Counts sentences: a `.`, `!` or `?` (perhaps followed by closing quotes or brackets)
    /// followed by white space and a capital or digit, or by the end of the text, ends one,
    /// unless the word before it is an abbreviation or a single letter ("U.S.").
    fn count_sentences(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        let mut count = 0;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if matches!(c, '.' | '!' | '?') {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j], '"' | '\'' | ')' | '’' | '”') {
                    j += 1;
                }
                let ends = if j >= chars.len() {
                    true
                } else if chars[j].is_whitespace() {
                    let next = chars[j..].iter().find(|c| !c.is_whitespace());
                    next.is_some_and(|n| {
                        n.is_uppercase() || n.is_ascii_digit() || matches!(n, '"' | '“' | '‘')
                    })
                } else {
                    false
                };
                if ends && !(c == '.' && before_is_abbreviation(&chars[..i])) {
                    count += 1;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        if count == 0 && !text.trim().is_empty() { 1 } else { count }
    }

    fn before_is_abbreviation(before: &[char]) -> bool {
        let word: String = before.iter().rev().take_while(|c| c.is_alphanumeric()).collect();
        let word: String = word.chars().rev().collect();
        word.chars().count() == 1 && word.chars().all(char::is_uppercase)
            || ABBREVIATIONS.contains(&word.as_str())
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with a real month and day.
    pub(crate) fn is_iso_date(s: &str) -> bool {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        match parts.as_slice() {
            [y] => num(y, 4).is_some(),
            [y, m] => num(y, 4).is_some() && num(m, 2).is_some_and(|m| (1..=12).contains(&m)),
            [y, m, d] => match (num(y, 4), num(m, 2), num(d, 2)) {
                (Some(y), Some(m), Some(d)) if (1..=12).contains(&m) => {
                    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
                    let days =
                        [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
                    days.get(m as usize - 1).is_some_and(|&n| (1..=n).contains(&d))
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn is_full_date(s: &str) -> bool {
        s.len() == 10 && is_iso_date(s)
    }

    /// Checks that `url` is a well-formed `https` URL with a plain host name.
    pub(crate) fn check_url(url: &str) -> Result<(), String> {
        let Some(rest) = url.strip_prefix("https://") else {
            return Err("is not https".into());
        };
        if url.len() > 2000 {
            return Err("is longer than 2000 characters".into());
        }
        if let Some(c) = url.chars().find(|c| !c.is_ascii_graphic() || "\"<>\\^`{|}".contains(*c)) {
            return Err(format!("contains {c:?}, which must be percent-encoded"));
        }
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..host_end];
        let labels_ok = host.split('.').all(|l| {
            !l.is_empty()
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                && !l.starts_with('-')
                && !l.ends_with('-')
        });
        if host.is_empty() || !host.contains('.') || !labels_ok {
            return Err(format!("has no valid host name (\"{host}\")"));
        }
        let bytes = url.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'%' {
                let hex = |k: usize| bytes.get(i + k).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(1) && hex(2)) {
                    return Err("has a % that is not followed by two hex digits".into());
                }
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn dates() {
            for good in ["2026", "2026-01", "2026-01-06", "2024-02-29", "1974-05-31"] {
                assert!(is_iso_date(good), "{good}");
            }
            for bad in [
                "26",
                "2026-1",
                "2026-13",
                "2025-02-29",
                "2026-01-32",
                "6 Jan 2026",
                "2026/01/06",
                "",
            ] {
                assert!(!is_iso_date(bad), "{bad}");
            }
        }

        #[test]
        fn urls() {
            assert!(check_url("https://undocs.org/S/RES/242(1967)").is_ok());
            assert!(
                check_url("https://www.aljazeera.net/encyclopedia/2026/1/7/%D9%86%D8%B5").is_ok()
            );
            assert!(
                check_url(
                    "https://ihl-databases.icrc.org/applic/ihl/ihl.nsf/ART/150-110048?OpenDocument"
                )
                .is_ok()
            );
            for bad in [
                "http://www.un.org/",
                "javascript:alert(1)",
                "https://",
                "https://localhost/x",
                "https://exa mple.org/",
                "https://example.org/a b",
                "https://example.org/<script>",
                "https://example.org/%zz",
                "https://user@example.org/",
                "https://example.org/é",
            ] {
                assert!(check_url(bad).is_err(), "{bad}");
            }
        }

        #[test]
        fn sentences() {
            assert_eq!(count_sentences("One."), 1);
            assert_eq!(count_sentences("The U.S. Department of State said so. Then more."), 2);
            assert_eq!(count_sentences("Gen. Smith met Mr. Jones on 5 Jan. 2026 in Paris."), 1);
            assert_eq!(count_sentences("A. B. C. D."), 1);
            assert_eq!(count_sentences("First. Second! Third? Fourth."), 4);
            assert_eq!(count_sentences("It said \"no.\" Then it left."), 2);
        }
    }
}
