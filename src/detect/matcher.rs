//! Finding aliases in text.
//!
//! All aliases are folded (see [`crate::fold`]) and searched at once with one Aho-Corasick
//! automaton over the folded text, ignoring ASCII case. Every candidate it reports, overlapping
//! ones included, is then checked for word boundaries and for its alias's case rule, and the
//! survivors are chosen leftmost-longest: a shorter or later candidate that a rejected one hid
//! is still found.

use crate::detect::{CategorySet, Finding};
use crate::error::Error;
use crate::fold::{Folded, fold, is_word_char};
use crate::kb::{CaseRule, Catalog, Category, EntryIndex};
use crate::span::Span;
use aho_corasick::{AhoCorasick, MatchKind};

/// The automaton over every alias of a catalog, and what each pattern stands for.
#[derive(Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
}

#[derive(Debug)]
struct Pattern {
    /// `None` for a stop phrase: matched to be skipped.
    entry: Option<EntryIndex>,
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

/// A candidate finding in folded text, before choosing among overlapping ones: an alias match
/// or a document mention (see documents.rs).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate {
    /// Span in bytes of the folded text.
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

/// Chooses leftmost-longest among `candidates` and maps them back to the original text: the
/// findings, sorted and not overlapping, each with the alias that matched (if any).
pub(crate) fn select(
    mut candidates: Vec<Candidate>,
    folded: &Folded<'_>,
) -> Vec<(Finding, Option<usize>)> {
    // Leftmost first; at the same start the longest; then the lower order.
    candidates.sort_unstable_by(|a, b| {
        a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.order.cmp(&b.order))
    });
    let mut out = Vec::new();
    let mut reached = 0;
    for c in candidates {
        if c.start < reached {
            continue;
        }
        reached = c.end;
        let Some(entry) = c.entry else { continue };
        let span = Span::new(folded.original_start(c.start), folded.original_end(c.end));
        out.push((Finding { span, entry, category: c.category }, c.alias));
    }
    out
}

impl Matcher {
    /// Builds the automaton for every alias of `catalog`. When two aliases fold to the same
    /// text (which the knowledge-base checks forbid), the first one wins.
    pub fn new(catalog: &Catalog) -> Result<Matcher, Error> {
        let mut keys: Vec<String> = Vec::new();
        let mut lowered: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut patterns = Vec::new();
        for (i, entry) in catalog.entries().iter().enumerate() {
            let index = EntryIndex(
                u32::try_from(i).map_err(|_| Error::matcher("too many entries".into()))?,
            );
            for (alias_index, alias) in entry.aliases.iter().enumerate() {
                let folded = fold(&alias.text);
                let key = folded.as_str();
                if key.is_empty() || !lowered.insert(key.to_ascii_lowercase()) {
                    continue;
                }
                let letters = key
                    .char_indices()
                    .filter_map(|(offset, _)| {
                        let c = alias.text.get(folded.original_start(offset)..)?.chars().next()?;
                        let cased = c.is_uppercase() || c.is_lowercase();
                        cased.then(|| (u32::try_from(offset).unwrap_or(u32::MAX), c.is_uppercase()))
                    })
                    .collect();
                patterns.push(Pattern {
                    entry: Some(index),
                    alias: alias_index,
                    category: entry.category,
                    case: alias.case,
                    letters,
                    starts_word: key.chars().next().is_some_and(is_word_char),
                    ends_word: key.chars().next_back().is_some_and(is_word_char),
                });
                keys.push(key.to_string());
            }
        }
        // Stop phrases come last: where a phrase and an alias match the same span, the alias
        // wins (it has the lower order); where the phrase is longer, it takes the span.
        for phrase in catalog.stop_phrases() {
            let folded = fold(phrase);
            let key = folded.as_str();
            if key.is_empty() || !lowered.insert(key.to_ascii_lowercase()) {
                continue;
            }
            let letters = key
                .char_indices()
                .filter_map(|(offset, _)| {
                    let c = phrase.get(folded.original_start(offset)..)?.chars().next()?;
                    (c.is_uppercase() || c.is_lowercase())
                        .then(|| (u32::try_from(offset).unwrap_or(u32::MAX), c.is_uppercase()))
                })
                .collect();
            patterns.push(Pattern {
                entry: None,
                alias: 0,
                category: Category::Place,
                case: CaseRule::Capitals,
                letters,
                starts_word: key.chars().next().is_some_and(is_word_char),
                ends_word: key.chars().next_back().is_some_and(is_word_char),
            });
            keys.push(key.to_string());
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .map_err(|e| Error::matcher(e.to_string()))?;
        Ok(Matcher { automaton, patterns })
    }

    /// Number of patterns (distinct folded aliases).
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The alias matches in `folded` (the folding of `text`) for entries of `categories`:
    /// every candidate that passes the word-boundary and case checks, overlapping ones
    /// included.
    pub(crate) fn candidates(
        &self,
        text: &str,
        folded: &Folded<'_>,
        categories: CategorySet,
    ) -> Vec<Candidate> {
        let haystack = folded.as_str();
        let Ok(iter) = self.automaton.try_find_overlapping_iter(haystack) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for m in iter {
            let Some(p) = self.patterns.get(m.pattern().as_usize()) else { continue };
            if (p.entry.is_some() && !categories.contains(p.category))
                || !boundaries_ok(haystack, m.start(), m.end(), p)
                || !case_ok(text, folded, m.start(), p)
            {
                continue;
            }
            out.push(Candidate {
                start: m.start(),
                end: m.end(),
                order: m.pattern().as_usize(),
                entry: p.entry,
                category: p.category,
                alias: Some(p.alias),
            });
        }
        out
    }
}

/// The text must not continue a word across either end of a match that starts or ends with a
/// letter or digit: "occupation" is not found in "preoccupation", nor "Israel" in "Israeli".
/// An apostrophe joins words ("O'Brien"), except after the elided articles of French, Italian
/// and Catalan ("l'Iran", "d'Israël"); at the end it starts a possessive ("Israel's").
fn boundaries_ok(haystack: &str, start: usize, end: usize, p: &Pattern) -> bool {
    if p.starts_word {
        let before = haystack.get(..start).unwrap_or("");
        let mut rev = before.chars().rev();
        match rev.next() {
            Some(c) if is_word_char(c) => return false,
            Some('\'') => {
                let word: String = rev.take_while(|c| is_word_char(*c)).collect();
                let word: String = word.chars().rev().collect::<String>().to_lowercase();
                if !word.is_empty() && !ELIDED.contains(&word.as_str()) {
                    return false;
                }
            }
            _ => {}
        }
    }
    if p.ends_word {
        let after = haystack.get(end..).unwrap_or("");
        if after.chars().next().is_some_and(is_word_char) {
            return false;
        }
    }
    true
}

/// Elided articles and pronouns that attach to the next word with an apostrophe.
const ELIDED: &[&str] =
    &["l", "d", "j", "m", "n", "s", "t", "c", "qu", "dall", "dell", "nell", "all", "sull"];

/// Checks the alias's case rule against the original (unfolded) text of the match.
fn case_ok(text: &str, folded: &Folded<'_>, start: usize, p: &Pattern) -> bool {
    if p.case == CaseRule::Ignore {
        return true;
    }
    p.letters.iter().all(|&(offset, capital)| {
        let at = folded.original_start(start + offset as usize);
        let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else { return false };
        match (capital, p.case) {
            (true, _) => c.is_uppercase(),
            (false, CaseRule::Exact) => !c.is_uppercase(),
            (false, _) => true,
        }
    })
}
