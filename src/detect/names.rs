//! Names the knowledge base lacks: the `names` category, found only when asked for.
//!
//! A name is a run of capitalised words in a block, joined by spaces or by connectors ("of",
//! "al", "van": `data/context.toml`, `[names]`). It is reported as an unknown person,
//! organisation or place only with evidence of which, and never where a knowledge-base finding
//! or a stop phrase is:
//! - an organisation: one of its words is an organisation word, last or before "of" or "for"
//!   ("Quneitra Provincial Council", "Ministry of Energy");
//! - a place: the same with place words ("Whangārei Harbour", "Bay of Islands"), a place head
//!   first ("Mount Kenya"), or a dateline (a paragraph that opens with words in capitals before
//!   a comma or a dash: "DEBRECEN, Hungary —");
//! - a person: a title right before it ("Gen. Saleh al-Wadei", "Foreign Minister Ayman
//!   Safadi"), a known first name first ("Rami al-Najjar"), or a particle inside that only
//!   people's names have ("Pieter van Dijkhuizen"); later in the same block, the person's last
//!   name alone ("Najjar").
//!
//! So that sentence starts, headlines and text in capitals do not flood the category: a
//! title-case block has no names; words in capitals are never part of one (but in a dateline);
//! a lone capitalised word is never a name but as the last name of a person found before; words
//! that only start a sentence ("The", "After") are left out. Like the context rules, everything
//! here looks only at the name's own block.

use crate::detect::Finding;
use crate::detect::context::{is_title_case, key};
use crate::detect::words::{Key, Words};
use crate::kb::{Category, ContextRules, EntryIndex, WordList};
use crate::span::Span;

/// What kind of name a long-tail finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A person the knowledge base lacks.
    Person,
    /// An organisation the knowledge base lacks.
    Organisation,
    /// A place the knowledge base lacks.
    Place,
}

/// The first of the entry indices that stand for long-tail names (one per kind). No catalog
/// entry and no generated resolution entry has an index this high.
const NAME_BASE: u32 = 0xffff_ff00;

impl NameKind {
    /// Every kind, in index order.
    pub const ALL: [NameKind; 3] = [NameKind::Person, NameKind::Organisation, NameKind::Place];

    /// The kind's name at the WebAssembly boundary and in `footnote annotate`.
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Person => "unknown-person",
            NameKind::Organisation => "unknown-organisation",
            NameKind::Place => "unknown-place",
        }
    }

    /// The entry index a finding of this kind carries.
    pub fn index(self) -> EntryIndex {
        EntryIndex(NAME_BASE + self as u32)
    }

    /// The kind an entry index stands for, if it stands for one.
    pub fn of_index(index: EntryIndex) -> Option<NameKind> {
        let i = index.0.checked_sub(NAME_BASE)?;
        NameKind::ALL.get(usize::try_from(i).ok()?).copied()
    }

    /// The category of the same kind of thing.
    pub fn category(self) -> Category {
        match self {
            NameKind::Person => Category::Person,
            NameKind::Organisation => Category::Organisation,
            NameKind::Place => Category::Place,
        }
    }
}

/// The rules, ready to apply.
#[derive(Debug, Default)]
pub(crate) struct Names {
    connectors: Words,
    cue_connectors: Words,
    not_names: Words,
    adjectives: Words,
    particles: Words,
    organisations: Words,
    places: Words,
    place_heads: Words,
    titles: Words,
    demonyms: Words,
    sentence_words: Words,
    after_names: Words,
    /// As written.
    first_names: WordList,
}

/// One word of a block.
#[derive(Debug)]
struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    /// Starts with a capital (after a lowercase "al-" or "el-"), has a small letter.
    capitalised: bool,
    /// Two letters or more, all capitals.
    capitals: bool,
    /// Only spaces separate it from the word before.
    joined: bool,
    /// Ends with a possessive ("’s"), which is not part of `text`.
    possessive: bool,
    /// One capital and a full stop after it ("C." in "C. Eugene Steuerle").
    initial: bool,
}

impl Names {
    /// The name rules of `rules`.
    pub(crate) fn new(rules: &ContextRules) -> Names {
        let set = Words::of;
        Names {
            connectors: set(&rules.names.connectors),
            cue_connectors: set(&rules.names.cue_connectors),
            not_names: set(&rules.names.not_names),
            adjectives: set(&rules.names.adjective_endings),
            particles: set(&rules.names.person_particles),
            organisations: set(&rules.names.organisations),
            places: set(&rules.names.places),
            place_heads: set(&rules.names.place_heads),
            titles: set(&rules.titles),
            demonyms: set(&rules.demonyms),
            sentence_words: set(&rules.sentence_words),
            after_names: set(&rules.after_names),
            first_names: rules.first_names.clone(),
        }
    }

    /// The long-tail names of `text` (blocks joined by the block separator), outside `taken`
    /// (sorted, disjoint spans: findings and stop phrases), sorted by start.
    pub(crate) fn find(&self, text: &str, taken: &[Span]) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut t = 0;
        let mut start = 0;
        for block in text.split(crate::detect::BLOCK_SEPARATOR) {
            let end = start + block.len();
            let first = t;
            while taken.get(t).is_some_and(|s| s.start < end) {
                t += 1;
            }
            let spans: Vec<(usize, usize)> = taken
                .get(first..t)
                .unwrap_or(&[])
                .iter()
                .map(|s| (s.start.saturating_sub(start), s.end.saturating_sub(start)))
                .collect();
            for (s, e, kind) in self.find_in_block(block, &spans) {
                out.push(Finding {
                    span: Span::new(start + s, start + e),
                    entry: kind.index(),
                    category: kind.category(),
                });
            }
            start = end + crate::detect::BLOCK_SEPARATOR.len_utf8();
        }
        out
    }

    fn find_in_block(
        &self,
        block: &str,
        taken: &[(usize, usize)],
    ) -> Vec<(usize, usize, NameKind)> {
        let mut out = Vec::new();
        if block.trim().is_empty() || is_title_case(block) {
            return out;
        }
        let tokens = self.tokens(block);
        let free = |tok: &Token<'_>| !taken.iter().any(|&(s, e)| s < tok.end && tok.start < e);
        if let Some(end) = dateline(block, &tokens) {
            if tokens.first().is_some_and(&free) && !taken.iter().any(|&(s, _)| s < end) {
                let start = tokens.first().map_or(0, |t| t.start);
                out.push((start, end, NameKind::Place));
            }
        }
        // Last names of the people found, for later mentions.
        let mut surnames: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let Some(tok) = tokens.get(i) else { break };
            if !(self.starts_name(tok) || tok.initial)
                || !free(tok)
                || out.iter().any(|&(_, e, _)| tok.start < e)
            {
                i += 1;
                continue;
            }
            // Extend over capitalised words and connectors followed by one; "of", "for" and
            // the like only after an organisation or place word.
            let mut last = i;
            let mut cued = self.is_cue(tok);
            let mut organisation = self.organisations.contains(&key(tok.text));
            let mut of = false;
            let mut j = i + 1;
            while tokens.get(j - 1).is_some_and(|t| !t.possessive) {
                match tokens.get(j) {
                    Some(t) if t.joined && (self.starts_name(t) || t.initial) && free(t) => {
                        cued |= self.is_cue(t);
                        organisation |= self.organisations.contains(&key(t.text));
                        last = j;
                        j += 1;
                    }
                    Some(t) if t.joined && self.is_connector(t) => {
                        let mut k = j;
                        let mut needs_cue = false;
                        let mut needs_organisation = false;
                        let mut and = false;
                        while let Some(c) = tokens
                            .get(k)
                            .filter(|t| t.joined && !t.possessive && self.is_connector(t))
                        {
                            let ck = key(c.text);
                            needs_cue |= self.cue_connectors.contains(&ck);
                            // "for", "on" and "and" only in organisations' names: "Whangārei
                            // Harbour for Mount Taranaki" is two names.
                            needs_organisation |= matches!(ck.as_str(), "for" | "on" | "and");
                            and |= &*ck == "and";
                            k += 1;
                        }
                        // "and" only inside what "of", "for" or "on" started ("Committee on
                        // Intelligence and Security"); else it joins two names ("North Island
                        // and South Island").
                        match tokens.get(k) {
                            Some(n)
                                if n.joined
                                    && self.starts_name(n)
                                    && free(n)
                                    && (cued || !needs_cue)
                                    && (organisation || !needs_organisation)
                                    && (!and || of) =>
                            {
                                of |= (j..k).any(|c| {
                                    tokens.get(c).is_some_and(|t| {
                                        matches!(key(t.text).as_str(), "of" | "for" | "on")
                                    })
                                });
                                cued |= self.is_cue(n);
                                organisation |= self.organisations.contains(&key(n.text));
                                last = k;
                                j = k + 1;
                            }
                            _ => break,
                        }
                    }
                    _ => break,
                }
            }
            let words = tokens.get(i..=last).unwrap_or(&[]);
            let found = self
                .judge(&tokens, i, words, &surnames)
                .filter(|&(s, e, kind)| !self.is_credit(block, &tokens, i, (s, e), kind));
            if let Some((s, e, kind)) = found {
                if kind == NameKind::Person {
                    if let Some(w) = words.last().filter(|w| words.len() > 1 && w.start >= s) {
                        surnames.push(w.text);
                    }
                }
                out.push((s, e, kind));
            }
            i = last + 1;
        }
        out.sort_unstable_by_key(|&(s, _, _)| s);
        out
    }

    /// A word that may be part of a name: capitalised, not in capitals, no digit, not a day
    /// or month.
    fn starts_name(&self, t: &Token<'_>) -> bool {
        t.capitalised
            && !t.capitals
            && !t.text.rsplit_once('-').is_some_and(|(_, end)| self.adjectives.contains(&key(end)))
            && !t.text.chars().any(|c| c.is_ascii_digit())
            && !self.after_names.contains(&key(t.text))
    }

    fn is_connector(&self, t: &Token<'_>) -> bool {
        let k = key(t.text);
        self.connectors.contains(&k) || self.cue_connectors.contains(&k)
    }

    /// An organisation, place or place-head word.
    fn is_cue(&self, t: &Token<'_>) -> bool {
        let k = key(t.text);
        self.organisations.contains(&k) || self.places.contains(&k) || self.place_heads.contains(&k)
    }

    /// A credit rather than a mention: a name beside a slash ("Ellen Banner / The Seattle
    /// Times"), after a hash or an at sign, after a capitalised possessive that is no finding
    /// ("Hawke's Bay Province": unsure where the name starts); a person after "By" or "by:"
    /// (a byline) or before a role in brackets ("Adrian Malloch (photography)").
    fn is_credit(
        &self,
        block: &str,
        tokens: &[Token<'_>],
        at: usize,
        (start, end): (usize, usize),
        kind: NameKind,
    ) -> bool {
        let before = block.get(..start).unwrap_or("");
        let after = block.get(end..).unwrap_or("");
        if before.trim_end().ends_with('/') || after.trim_start().starts_with('/') {
            return true;
        }
        if before.ends_with(['#', '@']) {
            return true;
        }
        // Alone in its block: a byline, a credit or a menu item, not prose that mentions it.
        let punctuation = |t: &str| t.chars().all(|c| !c.is_alphanumeric());
        if punctuation(before) && punctuation(after) {
            return true;
        }
        // Followed by a possessive and another capitalised word: unsure where the name ends
        // ("Hermon Farmers' Party").
        let last = tokens.iter().find(|t| t.end == end);
        if last.is_some_and(|t| t.possessive)
            && tokens
                .iter()
                .find(|t| t.start > end)
                .is_some_and(|t| t.joined && self.starts_name(t))
        {
            return true;
        }
        let previous = at.checked_sub(1).and_then(|p| tokens.get(p));
        if previous.is_some_and(|p| p.joined_to(tokens, at) && p.possessive && p.capitalised) {
            return true;
        }
        if kind != NameKind::Person {
            return false;
        }
        let word_before = before.trim_end().rsplit(crate::fold::is_space).next().unwrap_or("");
        if matches!(word_before, "By" | "Par" | "by:" | "By:") {
            return true;
        }
        let rest = after.trim_start();
        rest.strip_prefix('(').is_some_and(|r| r.chars().next().is_some_and(char::is_lowercase))
    }

    /// What the run `words` (from token `at` of `tokens`) names, if the evidence says: its
    /// span and kind.
    fn judge(
        &self,
        tokens: &[Token<'_>],
        at: usize,
        words: &[Token<'_>],
        surnames: &[&str],
    ) -> Option<(usize, usize, NameKind)> {
        // Words that only start a sentence, and connectors, are not part of the name.
        let lead = words
            .iter()
            .take_while(|w| {
                let k = key(w.text);
                self.sentence_words.contains(&k)
                    || self.connectors.contains(&k)
                    || self.cue_connectors.contains(&k)
            })
            .count();
        let words = words.get(lead..)?;
        let first = words.first()?;
        let last = words.last()?;
        let keys: Vec<Key> = words.iter().map(|w| key(w.text)).collect();
        if keys.iter().any(|k| self.not_names.contains(k)) {
            return None;
        }
        let span = (first.start, last.end);
        // A cue word last, or before "of", "for" or "on" (then a name follows).
        let cued = |set: &Words| {
            keys.iter().enumerate().any(|(n, k)| {
                set.contains(k)
                    && (n + 1 == keys.len()
                        || keys
                            .get(n + 1)
                            .is_some_and(|next| matches!(next.as_str(), "of" | "for" | "on")))
            })
        };
        if words.len() >= 2 {
            if cued(&self.organisations) {
                return Some((span.0, span.1, NameKind::Organisation));
            }
            if cued(&self.places) || keys.first().is_some_and(|k| self.place_heads.contains(k)) {
                return Some((span.0, span.1, NameKind::Place));
            }
        }
        // A person: titles and nationalities are left out of the name; what comes before the
        // last of them is an office ("Federal Police Commissioner Andrew Colvin").
        let is_title = |k: &Key| {
            self.titles.contains(k)
                || k.split('-').any(|p| self.titles.contains(p))
                || self.demonyms.contains(k)
        };
        let titled = keys.iter().rposition(is_title).map_or(0, |p| p + 1);
        let mut name = words.get(titled..)?;
        while name.last().is_some_and(|w| w.initial) {
            name = name.get(..name.len() - 1)?;
        }
        let (first, last) = (name.first()?, name.last()?);
        if self.is_connector(first) {
            return None;
        }
        let names: Vec<Key> = name.iter().map(|w| key(w.text)).collect();
        // A title before the run, outside it: "said Gen. Saleh al-Wadei" has "Gen" in the run,
        // "the minister, Ayman Safadi" does not count.
        let before = at.checked_sub(1).and_then(|p| tokens.get(p));
        let title_before = titled > 0
            || before.is_some_and(|b| {
                first.joined && b.end <= first.start && self.titles.contains(&key(b.text))
            });
        // The first name is the first word that is not an initial.
        let given = name.iter().find(|w| !w.initial)?;
        let particle = names.iter().any(|k| self.particles.contains(k.as_str()));
        let first_name = self.first_names.contains(given.text);
        let whole = name.iter().filter(|w| !w.initial).count();
        let person = if whole == 1 && name.len() == 1 {
            // Alone, only the last name of someone named before in the block: a title and one
            // word ("Chief Executive", "Director General") is too often not a name.
            surnames.contains(&first.text)
        } else {
            whole >= 2 && name.len() <= 5 && (title_before || first_name || particle)
        };
        person.then_some((first.start, last.end, NameKind::Person))
    }

    /// The words of `block`, with what the name rules need to know about each.
    fn tokens<'a>(&self, block: &'a str) -> Vec<Token<'a>> {
        let mut out: Vec<Token<'a>> = Vec::new();
        let mut joined = false;
        let mut chars = block.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphanumeric() {
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_alphanumeric() || matches!(d, '-' | '\'' | '’' | '\u{2011}') {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let raw = block.get(i..end).unwrap_or("");
                let mut word = raw.trim_end_matches(['-', '\'', '’', '\u{2011}']);
                let mut possessive = false;
                for p in ["'s", "’s"] {
                    if let Some(w) = word.strip_suffix(p) {
                        word = w;
                        possessive = true;
                    }
                }
                if raw.len() > word.len() && !possessive && raw.ends_with(['\'', '’']) {
                    possessive = true;
                }
                let base = ["al-", "el-", "ad-", "as-", "ash-", "at-", "az-"]
                    .iter()
                    .find_map(|p| word.strip_prefix(p))
                    .unwrap_or(word);
                let capitalised = base.chars().next().is_some_and(char::is_uppercase)
                    && word.chars().any(char::is_lowercase);
                let letters = word.chars().filter(|c| c.is_alphabetic()).count();
                let capitals = letters >= 2 && !word.chars().any(char::is_lowercase);
                let initial = letters == 1
                    && word.chars().count() == 1
                    && word.chars().all(char::is_uppercase)
                    && block.get(end..).is_some_and(|r| r.starts_with('.'));
                out.push(Token {
                    text: word,
                    start: i,
                    end: i + word.len(),
                    capitalised,
                    capitals,
                    joined,
                    possessive,
                    initial,
                });
                joined = true;
            } else {
                // A full stop after a title ("Gen. Saleh") keeps the words together.
                let after_title = c == '.'
                    && out.last().is_some_and(|t| {
                        t.end == i && (t.initial || self.titles.contains(&key(t.text)))
                    });
                if !(crate::fold::is_space(c) || after_title) {
                    joined = false;
                }
                chars.next();
            }
        }
        out
    }
}

impl Token<'_> {
    /// Only spaces separate this token (at `at - 1`) from the one at `at`.
    fn joined_to(&self, tokens: &[Token<'_>], at: usize) -> bool {
        tokens.get(at).is_some_and(|t| t.joined)
    }
}

/// A dateline: the block opens with words in capitals (at least three letters) and then a comma
/// or a dash ("DEBRECEN, Hungary", "NEW YORK —"); the end of those words.
fn dateline(block: &str, tokens: &[Token<'_>]) -> Option<usize> {
    let lead = block.len() - block.trim_start().len();
    let first = tokens.first()?;
    if first.start != lead {
        return None;
    }
    let run = tokens.iter().take_while(|t| t.capitals && t.joined == (t.start != first.start));
    let last = run.last()?;
    let letters = block.get(first.start..last.end)?.chars().filter(|c| c.is_alphabetic()).count();
    let rest = block.get(last.end..)?;
    let dash = rest.trim_start().starts_with(['—', '–']) || rest.starts_with(" - ");
    (letters >= 3 && (rest.starts_with(',') || dash)).then_some(last.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_round_trip_and_stay_clear_of_entries() {
        for kind in NameKind::ALL {
            assert_eq!(NameKind::of_index(kind.index()), Some(kind));
            assert!(
                crate::detect::Resolution::decode(kind.index())
                    .is_some_and(|r| { r.encode() != kind.index() })
            );
        }
        assert_eq!(NameKind::of_index(EntryIndex(3)), None);
        assert_eq!(NameKind::of_index(EntryIndex(NAME_BASE + 3)), None);
    }
}
