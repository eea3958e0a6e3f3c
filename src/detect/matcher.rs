//! Finding aliases in text.
//!
//! All aliases are folded (see [`crate::fold`]) and put in one trie ([`Trie`]), ignoring ASCII
//! case. The text is never folded as a whole: the matcher scans it once, and from each place
//! where an alias may start (the start of a word, or a character that is not part of a word)
//! and that a small filter does not rule out, it walks the trie, folding the text as it goes.
//! Every alias that ends on the way is checked for word boundaries and for its case rule, and
//! the survivors are chosen leftmost-longest: a shorter or later candidate that a rejected one
//! hid is still found.

use crate::detect::trie::{NodeId, Trie};
use crate::detect::{CategorySet, Finding};
use crate::error::Error;
use crate::fold::{Fold, classify, fold, is_space, is_word_char};
use crate::kb::{CaseRule, Catalog, Category, EntryIndex};
use crate::span::Span;
use std::sync::OnceLock;

/// The trie of every alias of a catalog, and what each pattern stands for.
#[derive(Debug)]
pub struct Matcher {
    /// The folded aliases, ASCII lowercased; pattern `i` is key `i`.
    trie: Trie,
    /// Which three-byte beginnings the aliases have: most places a match could start are
    /// ruled out here, without touching the trie. Built from `keys` when a text is first
    /// searched with framing phrases, which are off by default: not on the way to a cold
    /// start's first findings.
    beginnings: OnceLock<Beginnings>,
    /// The same without the framing phrases, which are off on most sites: many of them begin
    /// with common words ("a senior official", "there are reports").
    beginnings_without_framing: Beginnings,
    patterns: Vec<Pattern>,
    /// What `beginnings` is built from: the trie's keys, and which may start with a small
    /// letter or be followed by a word character.
    keys: Vec<String>,
    small: Vec<bool>,
    open: Vec<bool>,
}

/// Words that may start a mention of a UN resolution. They are searched with the aliases, in
/// the same pass, so that the document linker (documents.rs) only reads the blocks that have
/// one.
const DOCUMENT_TRIGGERS: [&str; 4] = ["resolution", "unscr", "s/res/", "a/res/"];

#[derive(Debug)]
struct Pattern {
    /// `None` for a stop phrase (matched to be skipped), a document trigger and a cue.
    entry: Option<EntryIndex>,
    /// A document trigger: the block needs the document linker.
    trigger: bool,
    /// A context cue (see [`cue_words`]): which one.
    cue: Option<u16>,
    /// Which of the entry's aliases.
    alias: usize,
    category: Category,
    case: CaseRule,
    /// The cased letters of the alias: (byte offset in the folded alias, was it a capital).
    letters: Vec<(u32, bool)>,
    /// True when the alias starts (ends) with a letter or digit, so that the text must not
    /// continue a word there.
    starts_word: bool,
    ends_word: bool,
}

/// A candidate finding, before choosing among overlapping ones: an alias match or a document
/// mention (see documents.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Candidate {
    /// Span in UTF-8 bytes of the text.
    pub start: usize,
    pub end: usize,
    /// Tie-breaker between equal spans: lower wins (alias patterns come first).
    pub order: usize,
    /// `None` for a stop phrase: the span is taken, and nothing is found in it.
    pub entry: Option<EntryIndex>,
    pub category: Category,
    /// The entry's alias that matched, for alias matches.
    pub alias: Option<usize>,
}

/// Chooses leftmost-longest among `candidates`: the findings, sorted and not overlapping,
/// each with the alias that matched (if any).
pub(crate) fn select(
    mut candidates: Vec<Candidate>,
    stops: &mut Vec<Span>,
) -> Vec<(Finding, Option<usize>)> {
    // The matcher reports candidates by start already (each walk starts after the last);
    // document mentions and quotations are appended, each sorted by start too. A stable sort
    // by start merges those few runs in linear time, where a full sort cost as much as the
    // context rules' hash lookups.
    if !candidates.is_sorted_by_key(|c| c.start) {
        candidates.sort_by_key(|c| c.start);
    }
    let mut out = Vec::new();
    let mut reached = 0;
    let mut i = 0;
    while let Some(&first) = candidates.get(i) {
        // At the same start, the longest wins; between equal spans, the lower order.
        let mut best = first;
        i += 1;
        while let Some(&c) = candidates.get(i).filter(|c| c.start == first.start) {
            if c.end > best.end || (c.end == best.end && c.order < best.order) {
                best = c;
            }
            i += 1;
        }
        if best.start < reached {
            continue;
        }
        reached = best.end;
        let Some(entry) = best.entry else {
            stops.push(Span::new(best.start, best.end));
            continue;
        };
        let span = Span::new(best.start, best.end);
        out.push((Finding { span, entry, category: best.category }, best.alias));
    }
    out
}

impl Matcher {
    /// Builds the trie for every alias of `catalog`. When two aliases fold to the same
    /// text (which the knowledge-base checks forbid), the first one wins.
    pub fn new(catalog: &Catalog) -> Result<Matcher, Error> {
        let mut keys = Keys::default();
        for (i, entry) in catalog.entries().iter().enumerate() {
            let index = EntryIndex(
                u32::try_from(i).map_err(|_| Error::matcher("too many entries".into()))?,
            );
            for (alias_index, alias) in entry.aliases.iter().enumerate() {
                keys.add_folded(
                    &alias.text,
                    Pattern::new(Some(index), alias_index, entry.category, alias.case),
                    true,
                );
            }
        }
        // Stop phrases come last: where a phrase and an alias match the same span, the alias
        // wins (it has the lower order); where the phrase is longer, it takes the span.
        for phrase in catalog.stop_phrases() {
            keys.add_folded(
                phrase,
                Pattern::new(None, 0, Category::Place, CaseRule::Capitals),
                true,
            );
        }
        // Triggers may repeat an alias's text: the trie reports both patterns.
        for trigger in DOCUMENT_TRIGGERS {
            let pattern = Pattern {
                trigger: true,
                ..Pattern::new(None, 0, Category::Document, CaseRule::Ignore)
            };
            keys.push(trigger, pattern);
        }
        // Context cues (words of sports copy, photo credits, navigation lines) are found in
        // the same pass, for the evidence rules (context.rs); like triggers, they may repeat an
        // alias's text.
        for (id, (cue, case)) in cue_words(catalog.context()).into_iter().enumerate() {
            let pattern = Pattern {
                cue: Some(u16::try_from(id).unwrap_or(u16::MAX)),
                ..Pattern::new(None, 0, Category::Term, case)
            };
            keys.add_folded(&cue, pattern, false);
        }
        let Keys { keys, patterns, small, open, .. } = keys;
        // Not an Aho-Corasick automaton: aliases start only at word starts (or at punctuation),
        // so walks from those places skip the inside of words, and a plain trie laid out for
        // short walks is faster than failure transitions over every byte.
        let trie = Trie::new(&keys);
        let beginnings_without_framing = Beginnings::of(&keys, &small, &open, |i| {
            patterns.get(i).is_some_and(|p| p.entry.is_none() || p.category != Category::Framing)
        });
        Ok(Matcher {
            trie,
            beginnings: OnceLock::new(),
            beginnings_without_framing,
            patterns,
            keys,
            small,
            open,
        })
    }

    /// The filters of every pattern, framing phrases included.
    fn beginnings(&self) -> &Beginnings {
        self.beginnings
            .get_or_init(|| Beginnings::of(&self.keys, &self.small, &self.open, |_| true))
    }

    /// Number of patterns (distinct folded aliases and stop phrases).
    pub fn pattern_count(&self) -> usize {
        self.patterns.iter().filter(|p| !p.trigger && p.cue.is_none()).count()
    }

    /// Heap memory of the trie, its filters (the framing one once built) and the keys they
    /// are built from, in bytes.
    pub fn memory_usage(&self) -> usize {
        self.trie.memory_usage()
            + self.beginnings.get().map_or(0, Beginnings::memory_usage)
            + self.beginnings_without_framing.memory_usage()
            + self.keys.iter().map(|k| k.len() + std::mem::size_of::<String>()).sum::<usize>()
            + self.small.len()
            + self.open.len()
    }

    /// The alias matches in `text` for entries of `categories`: every candidate that passes
    /// the word-boundary and case checks, overlapping ones included; where document triggers
    /// start (bytes, in increasing order), when `categories` has documents; and the context
    /// cues found, in the order of their starts.
    pub(crate) fn candidates(
        &self,
        text: &str,
        categories: CategorySet,
    ) -> (Vec<Candidate>, Vec<usize>, Vec<Cue>) {
        let bytes = text.as_bytes();
        let beginnings = if categories.contains(Category::Framing) {
            self.beginnings()
        } else {
            &self.beginnings_without_framing
        };
        let mut found = Found {
            candidates: Vec::new(),
            triggers: Vec::new(),
            cues: Vec::new(),
            cases: Vec::new(),
            plain: true,
        };
        let mut previous_word = false;
        let mut at = 0;
        while at < bytes.len() {
            // Eight ASCII bytes at a time: which of them start a word or are punctuation that
            // may start an alias, without a branch per byte.
            if let Some(chunk) = bytes.get(at..at + 8) {
                let eight = u64::from_le_bytes(chunk.try_into().unwrap_or([0x80; 8]));
                if eight & 0x8080_8080_8080_8080 == 0 {
                    let (word, first) = classes8(eight);
                    let (word, first) = (u32::from(word), u32::from(first));
                    let inside = word & (word << 1 | u32::from(previous_word));
                    let mut starts = first & !inside;
                    while starts != 0 {
                        let i = starts.trailing_zeros() as usize;
                        starts &= starts - 1;
                        if beginnings.first_bytes(bytes, at + i)
                            && beginnings.may_start(bytes, at + i)
                        {
                            self.walk(text, at + i, categories, &mut found);
                        }
                    }
                    previous_word = word & 0x80 != 0;
                    at += 8;
                    continue;
                }
            }
            let Some(&b) = bytes.get(at) else { break };
            if b < 0x80 {
                let word = ascii_word(b);
                // A match starts at a word's first character or at a character that is not
                // part of a word (aliases such as `"Israel"` start with punctuation); never
                // inside a word.
                if !(previous_word && word)
                    && beginnings.first_bytes(bytes, at)
                    && beginnings.may_start(bytes, at)
                {
                    self.walk(text, at, categories, &mut found);
                }
                previous_word = word;
                at += 1;
                continue;
            }
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { break };
            let next = at + c.len_utf8();
            if is_space(c) {
                previous_word = false;
            } else {
                let word = match classify(c) {
                    // Invisible characters (soft hyphens, joiners, combining marks) are
                    // skipped: they neither start nor end a word.
                    Fold::Drop => {
                        at = next;
                        continue;
                    }
                    Fold::To(s) => s.bytes().all(ascii_word),
                    Fold::Keep | Fold::Lower => is_word_char(c),
                };
                if !(previous_word && word) {
                    self.walk(text, at, categories, &mut found);
                }
                previous_word = word;
            }
            at = next;
        }
        (found.candidates, found.triggers, found.cues)
    }

    /// Walks the trie from byte `from` of `text`, folding the text on the way, and keeps
    /// every alias that ends on a character boundary and passes the checks.
    fn walk(&self, text: &str, from: usize, categories: CategorySet, found: &mut Found) {
        let bytes = text.as_bytes();
        let mut node = Trie::ROOT;
        let mut at = from;
        found.cases.clear();
        found.plain = true;
        while let Some(&b) = bytes.get(at) {
            // Plain ASCII folds to itself, and so does a single space before it.
            let plain = b < 0x80
                && (!is_ascii_space(b)
                    || (b == b' '
                        && bytes.get(at + 1).is_some_and(|&n| n < 0x80 && !is_ascii_space(n))));
            if plain {
                let Some(n) = self.trie.step(node, b.to_ascii_lowercase()) else { return };
                node = n;
                if !found.plain {
                    found.cases.push(Case::of_ascii(b));
                }
                at += 1;
                if !self.trie.outputs(node).is_empty() {
                    self.report(node, text, from, at, categories, found);
                }
                continue;
            }
            if found.plain {
                // From here on folded bytes and the text's bytes part: their cases are kept.
                found.plain = false;
                found
                    .cases
                    .extend(bytes.get(from..at).unwrap_or(&[]).iter().map(|&b| Case::of_ascii(b)));
            }
            let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else { return };
            let mut next = at + c.len_utf8();
            let mut buffer = [0u8; 16];
            let unit: &[u8] = if is_space(c) {
                // A run of white space, with any invisible characters in it, folds to one space.
                while let Some(d) = text.get(next..).and_then(|rest| rest.chars().next()) {
                    if is_space(d) || matches!(classify(d), Fold::Drop) {
                        next += d.len_utf8();
                    } else {
                        break;
                    }
                }
                b" "
            } else {
                match classify(c) {
                    Fold::Drop => {
                        at = next;
                        continue;
                    }
                    Fold::Keep => c.encode_utf8(&mut buffer).as_bytes(),
                    Fold::To(s) => s.as_bytes(),
                    Fold::Lower => {
                        let mut len = 0;
                        for l in c.to_lowercase() {
                            let width = l.len_utf8();
                            let Some(slot) = buffer.get_mut(len..len + width) else { return };
                            l.encode_utf8(slot);
                            len += width;
                        }
                        buffer.get(..len).unwrap_or(&[])
                    }
                }
            };
            let case = Case::of(c);
            for (k, &u) in unit.iter().enumerate() {
                let Some(n) = self.trie.step(node, u.to_ascii_lowercase()) else { return };
                node = n;
                found.cases.push(case);
                // An alias that ends inside what one character folds to ("Stras" in "Straße")
                // does not end on a character boundary of the text.
                if k + 1 == unit.len() && !self.trie.outputs(node).is_empty() {
                    self.report(node, text, from, next, categories, found);
                }
            }
            at = next;
        }
    }

    /// Checks the patterns ending at `node`, which matched `text[start..end]`.
    fn report(
        &self,
        node: NodeId,
        text: &str,
        start: usize,
        end: usize,
        categories: CategorySet,
        found: &mut Found,
    ) {
        for &id in self.trie.outputs(node) {
            let Some(p) = self.patterns.get(id as usize) else { continue };
            if p.trigger {
                if categories.contains(Category::Document) && found.triggers.last() != Some(&start)
                {
                    found.triggers.push(start);
                }
                continue;
            }
            if let Some(id) = p.cue {
                if boundaries_ok(text, start, end, p) && case_ok(found.cases(text, start), p) {
                    found.cues.push(Cue { start, end, id });
                }
                continue;
            }
            if (p.entry.is_some() && !categories.contains(p.category))
                || !boundaries_ok(text, start, end, p)
                || !case_ok(found.cases(text, start), p)
            {
                continue;
            }
            found.candidates.push(Candidate {
                start,
                end,
                order: id as usize,
                entry: p.entry,
                category: p.category,
                alias: Some(p.alias),
            });
        }
    }
}

/// A context cue found in a text: where, and which (an index of [`cue_words`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cue {
    pub start: usize,
    pub end: usize,
    pub id: u16,
}

/// The cues the matcher finds for the context rules, with their case rules: the sports cues
/// (any case), match scores from "0-0" to "9-9", then the credit and navigation cues (exact
/// case). `context.rs` reads a cue's index the same way.
pub(crate) fn cue_words(rules: &crate::kb::ContextRules) -> Vec<(String, CaseRule)> {
    if *rules == crate::kb::ContextRules::default() {
        return Vec::new();
    }
    let mut out: Vec<(String, CaseRule)> =
        rules.sports.cues.iter().map(|c| (c.clone(), CaseRule::Ignore)).collect();
    for a in 0..10 {
        for b in 0..10 {
            out.push((format!("{a}-{b}"), CaseRule::Ignore));
        }
    }
    out.extend(rules.credits.iter().chain(&rules.navigation).map(|c| (c.clone(), CaseRule::Exact)));
    out
}

impl Pattern {
    /// A pattern with no letters and no word edges yet (see [`Keys::add_folded`]).
    fn new(entry: Option<EntryIndex>, alias: usize, category: Category, case: CaseRule) -> Pattern {
        Pattern {
            entry,
            trigger: false,
            cue: None,
            alias,
            category,
            case,
            letters: Vec::new(),
            starts_word: false,
            ends_word: false,
        }
    }
}

/// The trie's keys (folded, then ASCII-lowercased) and their patterns, as they are added.
#[derive(Default)]
struct Keys {
    keys: Vec<String>,
    seen: Seen,
    patterns: Vec<Pattern>,
    /// Which patterns may start with a small letter: those whose case is ignored, and those
    /// whose first letter is small (such as "al-Assad"); the first letter of other patterns
    /// must be a capital (see `case_ok`).
    small: Vec<bool>,
    /// Which patterns may be followed by a word character (see `Beginnings::triples`).
    open: Vec<bool>,
}

impl Keys {
    /// Adds `text`, folded, for `pattern`, with its letters and word edges. With `distinct`,
    /// an empty key, or one that lowercases like a key already added, is left out (the
    /// first one wins).
    // Not inlined, nor what it calls per key: in WebAssembly, start-up loops belong in small
    // functions that run many times. The browser compiles a function again with its
    // optimising compiler once it has run long enough, and only later calls use that code;
    // a long loop inlined into a function that runs once (`Matcher::new`) had the optimiser
    // spend tens of milliseconds, beside the start-up, on code that never ran again.
    #[inline(never)]
    fn add_folded(&mut self, text: &str, pattern: Pattern, distinct: bool) {
        let folded = fold(text);
        let key = folded.as_str();
        if distinct && (key.is_empty() || !self.seen.first(key, &self.keys)) {
            return;
        }
        let pattern = Pattern {
            letters: letters_of(text, &folded),
            starts_word: key.chars().next().is_some_and(is_word_char),
            ends_word: key.chars().next_back().is_some_and(is_word_char),
            ..pattern
        };
        self.push(key, pattern);
    }

    fn push(&mut self, folded: &str, pattern: Pattern) {
        self.small.push(
            pattern.case == CaseRule::Ignore
                || folded.bytes().next().is_some_and(|b| !b.is_ascii_uppercase()),
        );
        self.open.push(!pattern.ends_word);
        self.keys.push(folded.to_ascii_lowercase());
        self.patterns.push(pattern);
    }
}

/// The cased letters of `text` as folded: (byte offset in the folded text, is it a capital).
fn letters_of(text: &str, folded: &crate::fold::Folded<'_>) -> Vec<(u32, bool)> {
    if text.is_ascii() && folded.as_str().len() == text.len() {
        // Folded ASCII of the same length is the text itself: its letters are where they were.
        let mut letters = Vec::with_capacity(text.len());
        for (i, b) in (0u32..).zip(text.bytes()) {
            if b.is_ascii_alphabetic() {
                letters.push((i, b.is_ascii_uppercase()));
            }
        }
        return letters;
    }
    folded
        .as_str()
        .char_indices()
        .filter_map(|(offset, _)| {
            let c = text.get(folded.original_start(offset)..)?.chars().next()?;
            (c.is_uppercase() || c.is_lowercase())
                .then(|| (u32::try_from(offset).unwrap_or(u32::MAX), c.is_uppercase()))
        })
        .collect()
}

/// The keys already taken, to keep the first of those that lowercase alike: the ASCII-lowercased
/// key's hash leads to the index of the first key with that hash, and keys are compared
/// whole, so that two keys with one hash are still told apart.
#[derive(Default)]
struct Seen {
    first: std::collections::HashMap<u64, u32, std::hash::BuildHasherDefault<Prehashed>>,
    /// Indices of keys whose hash an earlier, different key had.
    collided: Vec<u32>,
}

impl Seen {
    /// The hash of `key` lowercased, with FxHash's step (rustc's hasher): quick, and a
    /// collision only costs a comparison.
    fn hash(key: &str) -> u64 {
        key.bytes().fold(0u64, |h, b| {
            (h.rotate_left(5) ^ u64::from(b.to_ascii_lowercase()))
                .wrapping_mul(0x517c_c1b7_2722_0a95)
        })
    }

    /// True when no key in `keys` lowercases to what `key` does; `key` will be `keys.len()`.
    fn first(&mut self, key: &str, keys: &[String]) -> bool {
        let hash = Seen::hash(key);
        let same = |i: u32| keys.get(i as usize).is_some_and(|k| k.eq_ignore_ascii_case(key));
        let index = u32::try_from(keys.len()).unwrap_or(u32::MAX);
        match self.first.entry(hash) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(index);
                true
            }
            std::collections::hash_map::Entry::Occupied(slot) => {
                if same(*slot.get()) || self.collided.iter().any(|&i| same(i)) {
                    return false;
                }
                self.collided.push(index);
                true
            }
        }
    }
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// What a scan has found so far.
struct Found {
    candidates: Vec<Candidate>,
    triggers: Vec<usize>,
    cues: Vec<Cue>,
    /// The case of the text's character behind each folded byte of the current walk, once
    /// a byte that is not plain ASCII was folded (see `plain`).
    cases: Vec<Case>,
    /// True while every byte of the current walk was plain ASCII: folded byte `k` is then
    /// the text's byte `k` from the walk's start, and its case is read there when an alias
    /// needs it, instead of being kept for every step.
    plain: bool,
}

impl Found {
    /// The cases behind the folded bytes of the walk that started at byte `start` of `text`.
    fn cases<'a>(&'a self, text: &'a str, start: usize) -> Cases<'a> {
        if self.plain {
            Cases::Plain(text.as_bytes().get(start..).unwrap_or(&[]))
        } else {
            Cases::Kept(&self.cases)
        }
    }
}

/// The cases behind the folded bytes of a match: the text's own ASCII bytes, or the cases
/// kept while folding.
#[derive(Clone, Copy)]
enum Cases<'a> {
    Plain(&'a [u8]),
    Kept(&'a [Case]),
}

impl Cases<'_> {
    fn get(self, offset: usize) -> Option<Case> {
        match self {
            Cases::Plain(bytes) => bytes.get(offset).map(|&b| Case::of_ascii(b)),
            Cases::Kept(cases) => cases.get(offset).copied(),
        }
    }
}

/// The letter case of a character of the text.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    Capital,
    Small,
    /// Not a letter, or a letter without case.
    None,
}

impl Case {
    fn of_ascii(b: u8) -> Case {
        Case::from_flags(b.is_ascii_uppercase(), b.is_ascii_lowercase())
    }

    fn of(c: char) -> Case {
        Case::from_flags(c.is_uppercase(), c.is_lowercase())
    }

    fn from_flags(capital: bool, small: bool) -> Case {
        match (capital, small) {
            (true, _) => Case::Capital,
            (false, true) => Case::Small,
            (false, false) => Case::None,
        }
    }
}

/// A filter of how the aliases begin, small enough to stay in the processor's fastest cache:
/// for each alias, a bit for its first six bytes (ASCII lowercased), or for the whole alias
/// when it is shorter, set at a hash of those bytes and their number. A place in the text
/// where none of the up to six beginnings it could share with an alias has its bit set starts
/// no alias; a set bit only means it may. Most words of a news text start with a small
/// letter, and most aliases are names that cannot: such words are looked up in a second
/// filter of the aliases that can.
#[derive(Debug)]
struct Beginnings {
    /// Every alias.
    any: Filter,
    /// The aliases that may start with a small ASCII letter.
    small: Filter,
    /// Every beginning of every alias, of one to six bytes: for places where fewer than six
    /// plain bytes follow.
    partial: Filter,
    /// Bit `b` is set when an alias starts with byte `b` (either ASCII case).
    firsts: [u64; 4],
    /// Bit `256 * b + c` is set when an alias may start at a byte `b` of the text followed by
    /// a plain ASCII byte `c` (lowercased): one load rules out most words before the six-byte
    /// filters are computed. `b` keeps its case: a small letter may only start the aliases
    /// that may start small.
    pairs: Box<[u64; 1024]>,
    /// Where two ASCII letters and a third ASCII byte start a word: bit `702 * a + 27 * b +
    /// c` (letters counted from `a`, either case; `c` is 26 for any byte but a letter) is set
    /// when an alias may start with them, in `triples_small` for the aliases that may start
    /// with a small letter. Most words of a news text start with a small letter and would pass
    /// `pairs` (contested terms and sports cues start small too); the third byte rules out
    /// most of them ("the", "in", "to").
    triples: Box<[u64; TRIPLE_WORDS]>,
    triples_small: Box<[u64; TRIPLE_WORDS]>,
}

/// 26 × 26 × 27 bits, in 64-bit words.
const TRIPLE_WORDS: usize = (26 * 26 * 27usize).div_ceil(64);

/// The third byte's class in [`triple`] for any ASCII byte but a letter.
const NOT_A_LETTER: usize = 26;

/// The bit of two ASCII letters and an ASCII byte in `Beginnings::triples`, or `None` when
/// one of the first two is not a letter or the third is not ASCII.
#[inline]
fn triple(a: u8, b: u8, c: u8) -> Option<usize> {
    let letter = |x: u8| {
        let x = (x | 0x20).wrapping_sub(b'a');
        (x < 26).then_some(usize::from(x))
    };
    let third = if c < 0x80 { letter(c).unwrap_or(NOT_A_LETTER) } else { return None };
    Some(702 * letter(a)? + 27 * letter(b)? + third)
}

#[derive(Debug)]
struct Filter {
    bits: Vec<u64>,
    /// For each first byte, bit `n` is set when an alias of `n` bytes (1 to 5) starting with it
    /// is in the filter; longer aliases put their first six bytes in.
    short: Box<[u8; 256]>,
}

/// How many leading bytes of an alias the filter keeps.
const BEGINNING: usize = 6;

/// log2 of the number of bits of each filter: 2^16 bits are 8 KiB.
const BEGINNING_BITS: u32 = 16;

impl Filter {
    fn new() -> Filter {
        Filter { bits: vec![0; 1 << (BEGINNING_BITS - 6)], short: Box::new([0; 256]) }
    }

    /// The slot of the first `n` bytes of `prefix` (little-endian, the rest ignored).
    #[inline]
    fn slot(prefix: u64, n: usize) -> (usize, u64) {
        let masked = prefix & (u64::MAX >> (64 - 8 * n.clamp(1, 8)));
        let hash = (masked ^ (n as u64) << 56).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            >> (64 - BEGINNING_BITS);
        ((hash >> 6) as usize, 1 << (hash & 63))
    }

    /// Puts the first `n` bytes of `key` (at most [`BEGINNING`]) in the filter.
    fn insert(&mut self, key: &[u8], n: usize) {
        if n == 0 {
            return;
        }
        let (word, bit) = Filter::slot(prefix_of(key), n);
        if let Some(w) = self.bits.get_mut(word) {
            *w |= bit;
        }
        if n < BEGINNING {
            if let Some(first) =
                key.first().and_then(|&b| self.short.get_mut(usize::from(b.to_ascii_lowercase())))
            {
                *first |= 1 << n;
            }
        }
    }

    /// True when the first `n` bytes of `prefix` may have been inserted.
    #[inline]
    fn contains_exactly(&self, prefix: u64, n: usize) -> bool {
        let (word, bit) = Filter::slot(prefix, n);
        self.bits.get(word).is_some_and(|w| w & bit != 0)
    }

    /// True when an alias may start with `prefix`, of which `available` bytes are known.
    #[inline]
    fn contains(&self, prefix: u64, available: usize) -> bool {
        if available >= BEGINNING && self.contains_exactly(prefix, BEGINNING) {
            return true;
        }
        let first = (prefix & 0xff) as usize;
        let mut lengths =
            self.short.get(first).copied().unwrap_or(0) & !(u8::MAX << (available.min(7) + 1));
        while lengths != 0 {
            let n = lengths.trailing_zeros() as usize;
            lengths &= lengths - 1;
            if self.contains_exactly(prefix, n) {
                return true;
            }
        }
        false
    }
}

/// The first eight bytes of `bytes` as a little-endian number, ASCII lowercased, zeros past
/// the end.
#[inline]
fn prefix_of(bytes: &[u8]) -> u64 {
    let mut eight = [0u8; 8];
    for (slot, b) in eight.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    u64::from_le_bytes(eight)
}

/// ASCII-lowercases the bytes of `w` up to its first byte of 0x80 or more (the bytes after
/// that one may come out wrong).
#[inline]
fn lowercase8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // 0x80 in each byte that is at least 'A' (0x41), then at least 'Z' + 1 (0x5b).
    let at_least_a = w.wrapping_add(ONES * (0x80 - 0x41)) & (ONES * 0x80);
    let past_z = w.wrapping_add(ONES * (0x80 - 0x5b)) & (ONES * 0x80);
    w | ((at_least_a & !past_z) >> 2)
}

/// How many of the bytes of `w` (little-endian), from the first, are plain: below 0x80, not a
/// control character, and not a space followed by another space.
#[inline]
fn plain_bytes(w: u64) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let high = w & HIGH;
    // Bytes below 0x20 (for bytes below 0x80: subtracting 0x20 borrows into the high bit).
    let control = (w.wrapping_sub(ONES * 0x20) & !w) & HIGH;
    // Spaces, and spaces followed by a space.
    let x = w ^ (ONES * 0x20);
    let space = (x.wrapping_sub(ONES) & !x) & HIGH;
    // (A borrow can only mark bytes after a byte that is already not plain.)
    let double = space & (space >> 8);
    let not_plain = high | control | double;
    (not_plain.trailing_zeros() / 8) as usize
}

impl Beginnings {
    /// The filters for `keys` (folded aliases); `small` says of each whether it may start
    /// with a small letter, `open` whether it may be followed by a word character.
    fn of(
        keys: &[String],
        small: &[bool],
        open: &[bool],
        include: impl Fn(usize) -> bool,
    ) -> Beginnings {
        let mut set = Beginnings {
            any: Filter::new(),
            small: Filter::new(),
            partial: Filter::new(),
            firsts: [0; 4],
            pairs: Box::new([0; 1024]),
            triples: Box::new([0; TRIPLE_WORDS]),
            triples_small: Box::new([0; TRIPLE_WORDS]),
        };
        for (i, ((key, &small), &open)) in keys.iter().zip(small).zip(open).enumerate() {
            if !include(i) {
                continue;
            }
            set.add(key.as_bytes(), small, open);
        }
        set
    }

    /// Adds the key `k` (see [`Beginnings::of`]).
    // Not inlined: see `Keys::add_folded`.
    #[inline(never)]
    fn add(&mut self, k: &[u8], small: bool, open: bool) {
        if let Some(&b) = k.first() {
            for b in [b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
                if let Some(w) = self.firsts.get_mut(usize::from(b >> 6)) {
                    *w |= 1 << (b & 63);
                }
            }
            // A capital may start any alias, a small letter only those that may start
            // small; other bytes are the same either way.
            let starts = [b.to_ascii_uppercase(), b.to_ascii_lowercase()];
            let starts = if small || !b.is_ascii_alphabetic() { &starts[..] } else { &starts[..1] };
            for &first in starts {
                match k.get(1) {
                    Some(&c) => self.add_pair(first, c.to_ascii_lowercase()),
                    // A one-byte alias: any byte may follow.
                    None => (0..=255u8).for_each(|c| self.add_pair(first, c)),
                }
            }
        }
        // Two letters and a third ASCII byte of a text fold to themselves (but for case and
        // white space), so they can only start an alias with the same two letters and:
        // the same third letter; or no third byte or one that is not a letter (any
        // ASCII byte but a letter stands for all of those). A text's third letter never
        // ends an alias of two bytes that must end a word; one that need not (none does
        // today) may be followed by any letter, as may one of a single letter.
        let mut mark = |bit: usize| {
            for (table, add) in [(&mut self.triples, true), (&mut self.triples_small, small)] {
                if let Some(w) = table.get_mut(bit / 64).filter(|_| add) {
                    *w |= 1 << (bit % 64);
                }
            }
        };
        let (first, second, third) = (k.first(), k.get(1), k.get(2));
        match (first, second, third) {
            (Some(&a), Some(&b), Some(&c)) if c.is_ascii_alphabetic() => {
                triple(a, b, c).into_iter().for_each(&mut mark);
            }
            (Some(&a), Some(&b), _) => {
                triple(a, b, b'.').into_iter().for_each(&mut mark);
                if open && third.is_none() {
                    (b'a'..=b'z').filter_map(|c| triple(a, b, c)).for_each(&mut mark);
                }
            }
            (Some(&a), None, _) if open => {
                for b in b'a'..=b'z' {
                    for c in (b'a'..=b'z').chain([b'.']) {
                        triple(a, b, c).into_iter().for_each(&mut mark);
                    }
                }
            }
            _ => {}
        }
        let n = k.len().min(BEGINNING);
        for shorter in 1..=n {
            self.partial.insert(k, shorter);
        }
        self.any.insert(k, n);
        if small {
            self.small.insert(k, n);
        }
    }

    fn add_pair(&mut self, b: u8, c: u8) {
        let bit = usize::from(b) << 8 | usize::from(c);
        if let Some(w) = self.pairs.get_mut(bit >> 6) {
            *w |= 1 << (bit & 63);
        }
    }

    /// False when no alias can start at byte `at` of `bytes`, judging by its first bytes:
    /// three when they are two letters and an ASCII byte, else two when the second is plain
    /// ASCII (it then folds to itself but for case), else one.
    #[inline]
    fn first_bytes(&self, bytes: &[u8], at: usize) -> bool {
        let b = bytes.get(at).copied().unwrap_or(0);
        if let Some(&[_, c, d]) = bytes.get(at..at + 3) {
            if let Some(bit) = triple(b, c, d) {
                let set = if b.is_ascii_lowercase() { &self.triples_small } else { &self.triples };
                return set.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0);
            }
        }
        match bytes.get(at + 1) {
            Some(&c) if (0x20..0x80).contains(&c) => {
                let bit = usize::from(b) << 8 | usize::from(c.to_ascii_lowercase());
                self.pairs.get(bit >> 6).is_some_and(|w| w & (1 << (bit & 63)) != 0)
            }
            _ => self.first(b),
        }
    }

    /// False when no alias starts with byte `b`.
    #[inline]
    fn first(&self, b: u8) -> bool {
        self.firsts.get(usize::from(b >> 6)).is_some_and(|w| w & (1 << (b & 63)) != 0)
    }

    fn memory_usage(&self) -> usize {
        (self.any.bits.len() + self.small.bits.len() + self.partial.bits.len()) * 8
            + 3 * 256
            + self.pairs.len() * 8
            + (self.triples.len() + self.triples_small.len()) * 8
    }

    /// False when no alias can start at byte `at` of `bytes`, an ASCII character. Only the
    /// plain ASCII bytes from there (which fold to themselves but for case) are compared.
    #[inline]
    fn may_start(&self, bytes: &[u8], at: usize) -> bool {
        let (w, available) = match bytes.get(at..at + 8) {
            Some(eight) => (u64::from_le_bytes(eight.try_into().unwrap_or([0x80; 8])), 8),
            None => {
                let rest = bytes.get(at..).unwrap_or(&[]);
                let mut eight = [0u8; 8];
                eight.iter_mut().zip(rest).for_each(|(s, b)| *s = *b);
                // Past the end counts as a control character: not plain.
                if let Some(s) = eight.get_mut(rest.len()) {
                    *s = 1;
                }
                (u64::from_le_bytes(eight), rest.len())
            }
        };
        let plain = plain_bytes(w).min(available);
        let first = (w & 0xff) as u8;
        let filter = if first.is_ascii_lowercase() { &self.small } else { &self.any };
        let prefix = lowercase8(w);
        if plain >= BEGINNING {
            return filter.contains(prefix, BEGINNING);
        }
        // What follows the plain bytes folds to something else, or the text ends: aliases no
        // longer than them are checked as usual; a longer one must at least begin with them.
        plain > 0
            && (filter.contains(prefix, plain) || self.partial.contains_exactly(prefix, plain))
    }
}

/// For eight ASCII bytes (little-endian): which are part of a word (letters, digits, `_`),
/// and which may start an alias (anything but white space and control characters), as bit
/// masks with bit `i` for byte `i`.
#[inline]
fn classes8(w: u64) -> (u8, u8) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // 0x80 in each byte that is at least `k` (bytes below 0x80, so nothing carries).
    let at_least = |x: u64, k: u64| (x + ONES * (0x80 - k)) & HIGH;
    // Setting bit 5 maps capitals to small letters and nothing else into a..z.
    let folded = w | (ONES * 0x20);
    let letter = at_least(folded, u64::from(b'a')) & !at_least(folded, u64::from(b'z') + 1);
    let digit = at_least(w, u64::from(b'0')) & !at_least(w, u64::from(b'9') + 1);
    let x = w ^ (ONES * u64::from(b'_'));
    let underscore = !(((x & !HIGH) + !HIGH) | x) & HIGH;
    let word = letter | digit | underscore;
    let first = at_least(w, 0x21);
    // Gathers the high bit of byte i into bit 56 + i.
    let gather = |m: u64| ((m >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8;
    (gather(word), gather(first))
}

/// True for the ASCII characters that are part of a word (letters, digits, `_`), as
/// [`is_word_char`].
#[inline]
fn ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// ASCII white space, which folds to a space.
#[inline]
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// The character of `text` before byte `at`, skipping invisible ones, and where it starts.
fn char_before(text: &str, at: usize) -> Option<(usize, char)> {
    text.get(..at)?
        .char_indices()
        .rev()
        .find(|&(_, c)| !matches!(classify(c), Fold::Drop) || is_space(c))
}

/// The character of `text` from byte `at`, skipping invisible ones.
fn char_after(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().find(|&c| !matches!(classify(c), Fold::Drop) || is_space(c))
}

/// True for the characters that fold to an apostrophe.
fn is_apostrophe(c: char) -> bool {
    c == '\'' || matches!(classify(c), Fold::To("'"))
}

/// The text must not continue a word across either end of a match that starts or ends with a
/// letter or digit: "occupation" is not found in "preoccupation", nor "Israel" in "Israeli".
/// An apostrophe joins words ("O'Brien"), except after the elided articles of French, Italian
/// and Catalan ("l'Iran", "d'Israël"); at the end it starts a possessive ("Israel's").
fn boundaries_ok(text: &str, start: usize, end: usize, p: &Pattern) -> bool {
    if p.starts_word {
        match char_before(text, start) {
            Some((_, c)) if is_word_char(c) => return false,
            Some((apostrophe, c)) if is_apostrophe(c) => {
                // The word before the apostrophe, folded: at most a few letters long.
                let before = text.get(..apostrophe).unwrap_or("");
                let tail_start = before
                    .char_indices()
                    .rev()
                    .take_while(|&(_, c)| is_word_char(c) || matches!(classify(c), Fold::Drop))
                    .last()
                    .map_or(apostrophe, |(i, _)| i);
                let word = fold(before.get(tail_start..).unwrap_or("")).as_str().to_lowercase();
                if !word.is_empty() && !ELIDED.contains(&word.as_str()) {
                    return false;
                }
            }
            _ => {}
        }
    }
    if p.ends_word && char_after(text, end).is_some_and(is_word_char) {
        return false;
    }
    true
}

/// Elided articles and pronouns that attach to the next word with an apostrophe.
const ELIDED: &[&str] =
    &["l", "d", "j", "m", "n", "s", "t", "c", "qu", "dall", "dell", "nell", "all", "sull"];

/// Checks the alias's case rule against `cases`, the case of the text's character behind each
/// folded byte of the match.
fn case_ok(cases: Cases<'_>, p: &Pattern) -> bool {
    if p.case == CaseRule::Ignore {
        return true;
    }
    p.letters.iter().all(|&(offset, capital)| {
        let Some(case) = cases.get(offset as usize) else { return false };
        match (capital, p.case) {
            (true, _) => case == Case::Capital,
            (false, CaseRule::Exact) => case != Case::Capital,
            (false, _) => true,
        }
    })
}

#[cfg(test)]
mod tests {
    //! The matcher against a plain statement of what it must find: fold the whole text, find
    //! every occurrence of every folded alias ignoring ASCII case, keep those with word
    //! boundaries and the right case. The matcher's filters, its lazy folding and its word
    //! starts must change nothing.
    use super::*;
    use crate::fold::Folded;
    use proptest::prelude::*;

    fn reference(m: &Matcher, keys: &[String], text: &str) -> Vec<(usize, usize, usize)> {
        let folded = fold(text);
        let hay = folded.as_str().to_ascii_lowercase();
        let mut out = Vec::new();
        for (id, key) in keys.iter().enumerate() {
            let p = &m.patterns[id];
            if p.trigger || p.cue.is_some() || key.is_empty() {
                continue;
            }
            let mut from = 0;
            while let Some(i) = hay.get(from..).and_then(|h| h.find(key.as_str())) {
                let (start, end) = (from + i, from + i + key.len());
                from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
                if words_ok(&hay, start, end, p) && cases_ok(text, &folded, start, p) {
                    out.push((folded.original_start(start), folded.original_end(end), id));
                }
            }
        }
        out.sort();
        out
    }

    fn words_ok(hay: &str, start: usize, end: usize, p: &Pattern) -> bool {
        if p.starts_word {
            let mut before = hay[..start].chars().rev();
            match before.next() {
                Some(c) if is_word_char(c) => return false,
                Some('\'') => {
                    let word: String = before.take_while(|c| is_word_char(*c)).collect();
                    let word: String = word.chars().rev().collect::<String>().to_lowercase();
                    if !word.is_empty() && !ELIDED.contains(&word.as_str()) {
                        return false;
                    }
                }
                _ => {}
            }
        }
        !(p.ends_word && hay[end..].chars().next().is_some_and(is_word_char))
    }

    fn cases_ok(text: &str, folded: &Folded<'_>, start: usize, p: &Pattern) -> bool {
        p.case == CaseRule::Ignore
            || p.letters.iter().all(|&(offset, capital)| {
                let at = folded.original_start(start + offset as usize);
                let c = text[at..].chars().next().unwrap();
                match (capital, p.case) {
                    (true, _) => c.is_uppercase(),
                    (false, CaseRule::Exact) => !c.is_uppercase(),
                    (false, _) => true,
                }
            })
    }

    #[test]
    fn the_first_of_keys_that_lowercase_alike_is_kept_even_when_hashes_collide() {
        let mut seen = Seen::default();
        let mut keys: Vec<String> = Vec::new();
        let mut take = |key: &str, keys: &mut Vec<String>| {
            let first = seen.first(key, keys);
            if first {
                keys.push(key.to_ascii_lowercase());
            }
            first
        };
        assert!(take("Paris", &mut keys));
        assert!(!take("PARIS", &mut keys));
        assert!(!take("paris", &mut keys));
        assert!(take("Rome", &mut keys));
        // A key whose hash an earlier, different key had is still new, and only once.
        let mut seen = Seen::default();
        let keys = vec!["paris".to_string()];
        seen.first.insert(Seen::hash("Lima"), 0);
        assert!(seen.first("Lima", &keys));
        let keys = vec!["paris".to_string(), "lima".to_string()];
        assert!(!seen.first("LIMA", &keys));
    }

    #[test]
    fn the_filter_with_framing_phrases_is_built_when_framing_is_first_searched() {
        let m = Matcher::new(&Catalog::builtin().unwrap()).unwrap();
        let text = "According to officials, the talks in Paris went on.";
        let framing = |m: &Matcher, categories| {
            let (found, _, _) = m.candidates(text, categories);
            found.iter().filter(|c| c.category == Category::Framing).count()
        };
        let at_start = m.memory_usage();
        assert_eq!(framing(&m, CategorySet::all_except(Category::Framing)), 0);
        assert_eq!(m.memory_usage(), at_start, "not built for the default categories");
        assert_eq!(framing(&m, CategorySet::all()), 1, "\"According to\"");
        assert!(m.memory_usage() > at_start, "built now");
    }

    fn matcher() -> &'static (Matcher, Vec<String>) {
        static M: std::sync::OnceLock<(Matcher, Vec<String>)> = std::sync::OnceLock::new();
        M.get_or_init(|| {
            let catalog = Catalog::builtin().unwrap();
            let m = Matcher::new(&catalog).unwrap();
            // The keys again, in pattern order, as the matcher built them.
            let mut keys = Vec::new();
            let mut seen = std::collections::HashSet::new();
            let aliases =
                catalog.entries().iter().flat_map(|e| e.aliases.iter().map(|a| a.text.as_str()));
            for text in aliases.chain(catalog.stop_phrases().iter().map(String::as_str)) {
                let key = fold(text).as_str().to_ascii_lowercase();
                if !key.is_empty() && seen.insert(key.clone()) {
                    keys.push(key);
                }
            }
            keys.extend(DOCUMENT_TRIGGERS.iter().map(|t| t.to_string()));
            keys.extend(
                cue_words(catalog.context())
                    .iter()
                    .map(|(c, _)| fold(c).as_str().to_ascii_lowercase()),
            );
            assert_eq!(keys.len(), m.patterns.len());
            (m, keys)
        })
    }

    fn check(text: &str) {
        let (m, keys) = matcher();
        let (found, _, _) = m.candidates(text, CategorySet::all());
        let mut found: Vec<_> = found.iter().map(|c| (c.start, c.end, c.order)).collect();
        found.sort();
        assert_eq!(found, reference(m, keys, text), "in {text:?}");
    }

    #[test]
    fn agrees_with_the_reference_on_the_test_pages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
        for page in std::fs::read_dir(dir).unwrap() {
            let path = page.unwrap().path();
            if path.extension().is_some_and(|x| x == "html") {
                let blocks = crate::html::text_blocks(&std::fs::read_to_string(&path).unwrap());
                check(&blocks.join("\0"));
            }
        }
    }

    #[test]
    fn agrees_with_the_reference_on_odd_text() {
        for text in [
            "Israel’s \u{ad}Israel Is\u{ad}rael pre\u{ad}occupation l’Israël d'Israël O'Israel",
            "MOUNT  HERMON Mount\u{a0}\u{200b}Hermon mount hermon Mount\nHermon",
            "Ma\u{304}ori MĀORI Māori\u{301} Straße STRASSE Æthelred İstanbul",
            "“Israel” \"Israel\" «Israel» U.S. US us Us EU eu UN un",
            "\0Syria\0\0Golan Heights\0",
            "😀Syria😀 Syria😀 🇸🇾 جبل الشيخ دمشق",
            "Hermon",
            "H",
            "",
            "\u{ad}",
            "  Golan  ",
        ] {
            check(text);
        }
    }

    /// Word starts are ruled out by their first two letters and the kind of byte after them
    /// (`Beginnings::triples`): every alias's first two letters, and every short alias, meet
    /// here every kind of third byte and every case.
    #[test]
    fn the_three_byte_table_keeps_every_alias_whatever_follows_its_first_two_letters() {
        let (_, keys) = matcher();
        let mut stems: Vec<&str> = keys
            .iter()
            .filter(|k| {
                k.as_bytes().get(..2).is_some_and(|t| t.iter().all(u8::is_ascii_alphabetic))
            })
            .flat_map(|k| [&k[..2], if k.len() <= 4 { k.as_str() } else { &k[..2] }])
            .collect();
        stems.sort_unstable();
        stems.dedup();
        assert!(stems.len() > 100, "{} stems", stems.len());
        // No byte, white space, punctuation, an apostrophe that may fold, a letter, a digit,
        // a letter that folds, an invisible character, a block separator.
        let after = ["", " ", ".", "'", "’", "a", "1", "é", "\u{ad}", "\0"];
        for stem in stems {
            let capital = format!("{}{}", stem[..1].to_ascii_uppercase(), &stem[1..]);
            for cased in [stem.to_string(), stem.to_ascii_uppercase(), capital] {
                for a in after {
                    check(&format!("{cased}{a}"));
                }
            }
        }
    }

    /// Short keys that need no word boundary after them (none in the knowledge base today)
    /// are let through before any letter; those that do are not.
    #[test]
    fn the_three_byte_table_lets_short_open_keys_through_before_a_letter() {
        let keys: Vec<String> = ["ab", "x", "cd", "efg"].map(String::from).to_vec();
        let small = [true, true, true, false];
        let open = [true, true, false, false];
        let b = Beginnings::of(&keys, &small, &open, |_| true);
        let may = |text: &str| b.first_bytes(text.as_bytes(), 0);
        for text in ["abz", "ab.", "Abz", "xyz", "xy ", "Xyz", "cd.", "CD ", "Efg", "EFG"] {
            assert!(may(text), "{text:?} may start a key");
        }
        for text in ["cdz", "CDz", "efg", "efh", "eft", "zzz", "yab"] {
            assert!(!may(text), "{text:?} starts no key");
        }
    }

    /// Pieces of text that matter to folding and matching, to build texts from.
    const PIECES: &[&str] = &[
        "Israel",
        "israel",
        "ISRAEL",
        "Mount",
        "Hermon",
        "Golan",
        "Heights",
        "Syria",
        "US",
        "us",
        "U.S.",
        "EU",
        "New",
        "Zealand",
        "Mexico",
        "Māori",
        "Ma\u{304}ori",
        "Paris",
        "Saint",
        "Germain",
        "occupation",
        "occupied",
        "the",
        "Fed",
        "Resolution",
        "242",
        "al-Assad",
        "Assad",
        "Straße",
        "Æ",
        "İ",
        "l",
        "d",
        "qu",
        "O",
        "s",
        "'",
        "’",
        "‘",
        "“",
        "”",
        "\"",
        "-",
        "‑",
        "–",
        " ",
        "  ",
        "\u{a0}",
        "\n",
        "\t",
        "\u{ad}",
        "\u{200b}",
        "\u{301}",
        "\0",
        ".",
        ",",
        "😀",
        "🇸🇾",
        "دمشق",
        "Ω",
        "x",
        "9",
        "_",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn agrees_with_the_reference(pieces in proptest::collection::vec(0..PIECES.len(), 0..24)) {
            let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
            check(&text);
        }
    }

    /// Leftmost-longest as first written: every candidate sorted, then taken in turn.
    fn select_plainly(
        mut candidates: Vec<Candidate>,
    ) -> (Vec<(Finding, Option<usize>)>, Vec<Span>) {
        candidates.sort_unstable_by(|a, b| {
            a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.order.cmp(&b.order))
        });
        let (mut out, mut stops, mut reached) = (Vec::new(), Vec::new(), 0);
        for c in candidates {
            if c.start < reached {
                continue;
            }
            reached = c.end;
            match c.entry {
                None => stops.push(Span::new(c.start, c.end)),
                Some(entry) => out.push((
                    Finding { span: Span::new(c.start, c.end), entry, category: c.category },
                    c.alias,
                )),
            }
        }
        (out, stops)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        /// `select` skips the full sort when the candidates come by start (as the matcher
        /// reports them) and merges appended runs; either way it must choose what a full sort
        /// would. Orders are distinct, as pattern numbers are.
        #[test]
        fn select_chooses_what_a_full_sort_would(
            runs in proptest::collection::vec(
                proptest::collection::vec((0usize..40, 1usize..8, proptest::bool::ANY), 0..12),
                1..4,
            ),
        ) {
            let mut candidates = Vec::new();
            for run in runs {
                let mut run: Vec<Candidate> = run
                    .into_iter()
                    .map(|(start, len, stop)| Candidate {
                        start,
                        end: start + len,
                        order: 0,
                        entry: (!stop).then_some(EntryIndex(start as u32)),
                        category: Category::Place,
                        alias: Some(len),
                    })
                    .collect();
                run.sort_by_key(|c| c.start);
                candidates.extend(run);
            }
            for (k, c) in candidates.iter_mut().enumerate() {
                c.order = (k * 7919) % 1009;
            }
            let mut stops = Vec::new();
            let chosen = select(candidates.clone(), &mut stops);
            prop_assert_eq!((chosen, stops), select_plainly(candidates));
        }
    }
}
