//! Quotations: checked against the primary texts stored in the knowledge base, or, when short
//! and unattributed, reported as scare quotes.
//!
//! A quotation is the text between a pair of quotation marks (“…”, "…", «…», ‘…’) inside one
//! block. It is compared with a stored text word by word, ignoring case, punctuation and the
//! ways [`crate::fold`] folds; ellipses (… or ...) split it into parts that are looked up one
//! by one. A quotation is checked against a text when one of its parts of three words or more
//! appears there, or when the page quotes that text elsewhere and the quotation's sentence
//! names one of the text's speakers ("the statement said"): only then can "not found in the
//! source" be said fairly.
//!
//! Offsets are UTF-8 bytes of the text searched, or of the stored text, as each name says.

use crate::fold::fold;
use crate::kb::{Catalog, EntryIndex, PrimaryText};
use crate::span::Span;

/// Entry indices with this bit (and not bit 31, which resolutions use) stand for a quotation
/// of the document entry in the low bits.
const QUOTE_BIT: u32 = 1 << 30;
const DOCUMENT_BIT: u32 = 1 << 31;

/// The entry index that stands for "a quotation of `document`".
pub fn encode(document: EntryIndex) -> EntryIndex {
    EntryIndex(QUOTE_BIT | document.0)
}

/// The document a quotation index stands for, if it stands for one.
pub fn decode(index: EntryIndex) -> Option<EntryIndex> {
    (index.0 & DOCUMENT_BIT == 0 && index.0 & QUOTE_BIT != 0)
        .then_some(EntryIndex(index.0 & !QUOTE_BIT))
}

/// How a quotation compares with its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Word for word (letter case and punctuation aside).
    Verbatim,
    /// Words left out, marked with ellipses; every part is in one sentence of the source, in
    /// order.
    Shortened,
    /// Parts from separate sentences (or out of order), joined with ellipses.
    Joined,
    /// Some parts are in the source, others are not.
    Partial,
    /// None of it is in the source.
    NotFound,
}

impl Verdict {
    /// The verdict's name at the WebAssembly boundary.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Verbatim => "verbatim",
            Verdict::Shortened => "shortened",
            Verdict::Joined => "joined",
            Verdict::Partial => "partial",
            Verdict::NotFound => "not-found",
        }
    }
}

/// A word: its folded, lowercased form and where it is.
#[derive(Debug, Clone)]
struct Word {
    key: String,
    /// UTF-8 bytes of the text it came from.
    span: Span,
}

/// A stored text, split into words and sentences for lookups.
#[derive(Debug)]
pub(crate) struct Reference {
    /// The document entry.
    pub entry: EntryIndex,
    text: String,
    words: Vec<Word>,
    /// For each word, the index of its sentence.
    sentence_of: Vec<u32>,
    /// Sentences, in bytes of `text`.
    sentences: Vec<Span>,
    speakers: Vec<Vec<String>>,
    /// Where each word occurs, by key.
    positions: std::collections::HashMap<String, Vec<usize>>,
}

impl Reference {
    fn new(entry: EntryIndex, t: &PrimaryText) -> Reference {
        let all = words(&t.text, 0);
        let sentences = sentences(&t.text);
        let sentence_of = all
            .iter()
            .map(|w| {
                let i = sentences.partition_point(|s| s.end <= w.span.start);
                u32::try_from(i).unwrap_or(u32::MAX)
            })
            .collect();
        let speakers =
            t.speakers.iter().map(|s| words(s, 0).into_iter().map(|w| w.key).collect()).collect();
        let mut positions: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, w) in all.iter().enumerate() {
            positions.entry(w.key.clone()).or_default().push(i);
        }
        Reference {
            entry,
            text: t.text.clone(),
            words: all,
            sentence_of,
            sentences,
            speakers,
            positions,
        }
    }

    /// The first place at or after word `from` where `keys` appear in a row.
    fn find(&self, keys: &[&str], from: usize) -> Option<usize> {
        let first = keys.first()?;
        self.positions.get(*first)?.iter().copied().filter(|&i| i >= from).find(|&i| {
            self.words
                .get(i..i + keys.len())
                .is_some_and(|ws| ws.iter().zip(keys).all(|(w, k)| w.key == *k))
        })
    }
}

/// The stored texts of a catalog, ready for lookups.
#[derive(Debug, Default)]
pub(crate) struct References(Vec<Reference>);

impl References {
    pub fn new(catalog: &Catalog) -> References {
        References(
            catalog
                .texts()
                .iter()
                .filter_map(|t| catalog.find(&t.entry).map(|i| Reference::new(i, t)))
                .collect(),
        )
    }

    fn of(&self, document: EntryIndex) -> Option<&Reference> {
        self.0.iter().find(|r| r.entry == document)
    }
}

/// A pair of quotation marks and what is between them, in bytes of the text searched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Quotation {
    /// From the opening mark to after the closing one.
    pub outer: Span,
    /// Between the marks.
    pub inner: Span,
}

/// Longest quotation considered, in bytes between the marks.
const MAX_QUOTATION_BYTES: usize = 4000;

/// The quotations of `text`. No quotation crosses a U+0000 (a block separator) or a line
/// break.
pub(crate) fn quotations(text: &str) -> Vec<Quotation> {
    // Only these bytes can start a quotation mark ('"', and the UTF-8 lead bytes of “ ” „ ‘ ’
    // « ») or end a block: the scan jumps from one to the next.
    let interesting = |b: &u8| matches!(*b, b'"' | 0xE2 | 0xC2 | 0 | b'\n' | b'\r');
    let mut out = Vec::new();
    let mut open: Option<(usize, char, usize)> = None; // (start, closer, inner start)
    let mut i = 0;
    while let Some(off) = text.as_bytes().get(i..).and_then(|r| r.iter().position(interesting)) {
        let at = i + off;
        let Some(c) = text.get(at..).and_then(|r| r.chars().next()) else { break };
        i = at + c.len_utf8();
        if open.is_some_and(|(_, _, inner)| at - inner > MAX_QUOTATION_BYTES) {
            open = None;
        }
        if c == '\0' || c == '\n' || c == '\r' {
            open = None;
            continue;
        }
        let prev = text.get(..at).and_then(|r| r.chars().next_back());
        let next = text.get(i..).and_then(|r| r.chars().next());
        if let Some((start, closer, inner)) = open {
            let closes = c == closer
                && match c {
                    // An apostrophe ends a quotation only where no word goes on.
                    '’' => !next.is_some_and(char::is_alphanumeric),
                    '"' => !prev.is_some_and(char::is_whitespace),
                    _ => true,
                };
            if closes {
                out.push(Quotation { outer: Span::new(start, i), inner: Span::new(inner, at) });
                open = None;
            } else if closer != '’' && opener(c, prev, next).is_some_and(|k| k == closer) {
                // A second opening mark of the same kind: the first was never closed.
                open = Some((at, closer, i));
            }
        } else if let Some(closer) = opener(c, prev, next) {
            open = Some((at, closer, i));
        }
    }
    out
}

/// The closing mark for `c` when `c` opens a quotation here.
fn opener(c: char, prev: Option<char>, next: Option<char>) -> Option<char> {
    let after_gap = prev.is_none_or(|p| p.is_whitespace() || "([{-–—/".contains(p));
    let before_text = next.is_some_and(|n| !n.is_whitespace());
    match c {
        '“' => Some('”'),
        '„' => Some('“'),
        '«' => Some('»'),
        '"' if after_gap && before_text => Some('"'),
        '‘' if after_gap && before_text => Some('’'),
        _ => None,
    }
}

/// The words of `text` (letters and digits, with apostrophes and hyphens inside a word),
/// folded and lowercased; spans are in bytes of `text` plus `base`.
fn words(text: &str, base: usize) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let inner_joiner = start.is_some()
            && matches!(c, '\'' | '’' | '-' | '‐' | '‑')
            && next.is_some_and(char::is_alphanumeric);
        if c.is_alphanumeric() || inner_joiner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push(word(text, s, i, base));
        }
    }
    if let Some(s) = start {
        out.push(word(text, s, text.len(), base));
    }
    out
}

fn word(text: &str, start: usize, end: usize, base: usize) -> Word {
    let raw = text.get(start..end).unwrap_or("");
    let key =
        if raw.is_ascii() { raw.to_ascii_lowercase() } else { fold(raw).as_str().to_lowercase() };
    Word { key, span: Span::new(base + start, base + end) }
}

/// Sentences of a stored text, in bytes: a full stop, question or exclamation mark followed by
/// a space ends one, except after a single capital letter (an initial, "Donald J. Trump"); a
/// line break always does.
fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let ends = match b {
            b'\n' => Some(i),
            b'.' | b'!' | b'?' => {
                let spaced = bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace());
                let initial = i >= 1
                    && bytes.get(i - 1).is_some_and(u8::is_ascii_uppercase)
                    && (i < 2 || !bytes.get(i - 2).is_some_and(u8::is_ascii_alphanumeric));
                (spaced && !initial).then_some(i + 1)
            }
            _ => None,
        };
        if let Some(end) = ends {
            if text.get(start..end).is_some_and(|s| !s.trim().is_empty()) {
                out.push(trimmed(text, start, end));
            }
            start = end;
        }
    }
    if text.get(start..).is_some_and(|s| !s.trim().is_empty()) {
        out.push(trimmed(text, start, text.len()));
    }
    out
}

fn trimmed(text: &str, start: usize, end: usize) -> Span {
    let s = text.get(start..end).unwrap_or("");
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    Span::new(start + lead, end - trail)
}

/// The parts of a quotation between ellipses, each as its words (bytes of the text the
/// quotation is in), and whether there was an ellipsis at all.
fn parts(text: &str, inner: Span) -> (Vec<Vec<Word>>, bool) {
    let body = text.get(inner.start..inner.end).unwrap_or("");
    let mut parts = Vec::new();
    let mut ellipsis = false;
    let mut from = 0;
    let mut i = 0;
    let bytes = body.as_bytes();
    while i < bytes.len() {
        let len = if body.get(i..).is_some_and(|r| r.starts_with('…')) {
            '…'.len_utf8()
        } else if body.get(i..).is_some_and(|r| r.starts_with("...")) {
            3
        } else if body.get(i..).is_some_and(|r| r.starts_with(". . .")) {
            5
        } else {
            0
        };
        if len > 0 {
            ellipsis = true;
            parts.push(words(body.get(from..i).unwrap_or(""), inner.start + from));
            i += len;
            from = i;
        } else {
            i += 1;
        }
    }
    parts.push(words(body.get(from..).unwrap_or(""), inner.start + from));
    parts.retain(|p| !p.is_empty());
    (parts, ellipsis)
}

/// Where each part of a quotation is in a reference: word ranges, `None` where absent.
fn locate(r: &Reference, parts: &[Vec<Word>]) -> Vec<Option<(usize, usize)>> {
    let mut next = 0;
    parts
        .iter()
        .map(|p| {
            let keys: Vec<&str> = p.iter().map(|w| w.key.as_str()).collect();
            let at = r.find(&keys, next).or_else(|| r.find(&keys, 0))?;
            next = at + keys.len();
            Some((at, at + keys.len()))
        })
        .collect()
}

fn verdict(r: &Reference, places: &[Option<(usize, usize)>], ellipsis: bool) -> Verdict {
    let found: Vec<(usize, usize)> = places.iter().flatten().copied().collect();
    if found.is_empty() {
        return Verdict::NotFound;
    }
    if found.len() < places.len() {
        return Verdict::Partial;
    }
    if !ellipsis {
        return Verdict::Verbatim;
    }
    let sentence = |w: usize| r.sentence_of.get(w).copied();
    let one_sentence = found
        .iter()
        .all(|&(s, e)| sentence(s) == sentence(found[0].0) && sentence(e - 1) == sentence(s));
    let in_order = found.windows(2).all(|w| w[0].1 <= w[1].0);
    if one_sentence && in_order { Verdict::Shortened } else { Verdict::Joined }
}

/// Words that, right before or after a short quotation, attribute it to someone: such a
/// quotation is a quote, not a scare quote.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "calls",
    "called",
    "call",
    "calling",
    "dubbed",
    "termed",
    "described",
    "describes",
    "describing",
    "wrote",
    "writes",
    "declared",
    "warned",
    "added",
    "insisted",
    "stated",
    "statement",
    "according",
    "named",
    "titled",
    "entitled",
    "headlined",
    "slogan",
    "chanted",
    "read",
    "reads",
    "word",
    "words",
    "phrase",
    "known",
];

/// A quotation found in a text: checked against a stored text, or a scare quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    /// A quotation of the document entry; the verdict is worked out when it is shown
    /// ([`check`]).
    Checked(EntryIndex),
    /// A short quotation with no speaker: quotation marks that distance the writer from a word.
    Scare,
}

/// What the knowledge base knows a quoted span to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Known {
    /// A person, organisation or place: quoted, it is always a scare quote.
    Name,
    /// Another entry (a contested term): its own entry explains the quoted words.
    Other,
}

/// The quotations of `text` worth marking. `known(span)` says what, if anything, a span that is
/// exactly a knowledge-base match is.
pub(crate) fn find(
    text: &str,
    references: &References,
    known: impl Fn(Span) -> Option<Known>,
) -> Vec<(Span, Found)> {
    let all = quotations(text);
    if all.is_empty() {
        return Vec::new();
    }
    struct Seen {
        q: Quotation,
        parts: Vec<Vec<Word>>,
        /// The reference and how many words were found there, for a direct match.
        direct: Option<(usize, usize)>,
    }
    let mut cited = vec![false; references.0.len()];
    let mut seen = Vec::with_capacity(all.len());
    for q in all {
        let (parts, _) = parts(text, q.inner);
        let mut direct = None;
        for (ri, r) in references.0.iter().enumerate() {
            let places = locate(r, &parts);
            let long_found = parts.iter().zip(&places).any(|(p, at)| at.is_some() && p.len() >= 3);
            let words: usize = parts
                .iter()
                .zip(&places)
                .filter(|(_, at)| at.is_some())
                .map(|(p, _)| p.len())
                .sum();
            if long_found && direct.is_none_or(|(_, best)| words > best) {
                direct = Some((ri, words));
            }
        }
        if let Some((ri, _)) = direct {
            if let Some(c) = cited.get_mut(ri) {
                *c = true;
            }
        }
        seen.push(Seen { q, parts, direct });
    }
    let any_cited = cited.iter().any(|c| *c);
    let mut out = Vec::new();
    for s in &seen {
        let n_words: usize = s.parts.iter().map(Vec::len).sum();
        if let Some((ri, _)) = s.direct {
            if let Some(r) = references.0.get(ri) {
                out.push((s.q.outer, Found::Checked(r.entry)));
            }
            continue;
        }
        // Most quotations are neither: the sentence around one is read only when a text is
        // quoted in this request, or when the quotation is short enough to be a scare quote.
        if n_words >= 2 && any_cited {
            let context = sentence_around(text, s.q);
            let speaker = references.0.iter().enumerate().find(|(ri, r)| {
                cited.get(*ri).copied().unwrap_or(false)
                    && r.speakers.iter().any(|sp| contains(&context, sp))
            });
            if let Some((_, r)) = speaker {
                out.push((s.q.outer, Found::Checked(r.entry)));
                continue;
            }
        }
        if n_words >= 1 && is_scare(text, s.q, &known) {
            out.push((s.q.outer, Found::Scare));
        }
    }
    out
}

/// How far, in bytes, the sentence around a quotation is looked at on each side: a speaker
/// further away than this is not taken to attribute it, and a hostile page with no full stops
/// costs no more than this per quotation.
const CONTEXT_BYTES: usize = 400;

/// The words of the sentence around a quotation, outside it: back to the last full stop
/// before it, on to the first after it, at most [`CONTEXT_BYTES`] each way.
fn sentence_around(text: &str, q: Quotation) -> Vec<Word> {
    let lo = floor_boundary(text, q.outer.start.saturating_sub(CONTEXT_BYTES));
    let hi = ceil_boundary(text, q.outer.end.saturating_add(CONTEXT_BYTES));
    let before = text.get(lo..q.outer.start).unwrap_or("");
    let from = before.rfind(['.', '!', '?', '\0', '\n', ':']).map_or(lo, |i| lo + i + 1);
    let after = text.get(q.outer.end..hi).unwrap_or("");
    let to = after.find(['.', '!', '?', '\0', '\n', '“', '"']).map_or(hi, |i| q.outer.end + i);
    let mut w = words(text.get(from..q.outer.start).unwrap_or(""), from);
    w.extend(words(text.get(q.outer.end..to).unwrap_or(""), q.outer.end));
    w
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// True when the block around a quotation has a letter or digit outside it (within
/// [`CONTEXT_BYTES`]; further than that counts as yes).
fn block_has_more(text: &str, q: Quotation) -> bool {
    let lo = floor_boundary(text, q.outer.start.saturating_sub(CONTEXT_BYTES));
    let hi = ceil_boundary(text, q.outer.end.saturating_add(CONTEXT_BYTES));
    let back = text.get(lo..q.outer.start).unwrap_or("").chars().rev();
    let forward = text.get(q.outer.end..hi).unwrap_or("").chars();
    let side = |mut it: Box<dyn Iterator<Item = char> + '_>, bounded: bool| loop {
        match it.next() {
            None => break bounded,
            Some('\0') => break false,
            Some(c) if c.is_alphanumeric() => break true,
            Some(_) => {}
        }
    };
    side(Box::new(back), lo > 0) || side(Box::new(forward), hi < text.len())
}

fn contains(words: &[Word], keys: &[String]) -> bool {
    !keys.is_empty()
        && words.windows(keys.len()).any(|ws| ws.iter().zip(keys).all(|(w, k)| w.key == *k))
}

/// Most words in a scare quote (a quoted knowledge-base name may have more): longer
/// quotations are mostly someone's words, even when the speaker is further away.
const MAX_SCARE_WORDS: usize = 2;
/// How far, in bytes, speech words are looked for around a short quotation: back to the start
/// of its sentence, at most this far.
const SPEECH_WINDOW_BYTES: usize = 240;

fn is_scare(text: &str, q: Quotation, known: &impl Fn(Span) -> Option<Known>) -> bool {
    let inner = text.get(q.inner.start..q.inner.end).unwrap_or("");
    let trimmed = inner.trim_end_matches([',', ';', ':', ' ']);
    let name = trimmed.trim_end_matches('.');
    match known(Span::new(q.inner.start, q.inner.start + name.len())) {
        Some(Known::Name) => return true,
        Some(Known::Other) => return false,
        None => {}
    }
    // A sentence of its own, a question or an exclamation is a quote.
    if trimmed.contains(['.', '!', '?']) {
        return false;
    }
    let ws = words(trimmed, 0);
    if ws.len() > MAX_SCARE_WORDS {
        return false;
    }
    // Titles of works and names of programmes: every word capitalised.
    if ws.len() >= 2
        && ws
            .iter()
            .all(|w| trimmed.get(w.span.start..).is_some_and(|s| s.starts_with(char::is_uppercase)))
    {
        return false;
    }
    // Attributed: a speech word earlier in its sentence or in the three words after it.
    // After "so-called" the label is marked already.
    let lo = floor_boundary(text, q.outer.start.saturating_sub(SPEECH_WINDOW_BYTES));
    let hi = ceil_boundary(text, q.outer.end.saturating_add(SPEECH_WINDOW_BYTES));
    let before = text.get(lo..q.outer.start).unwrap_or("");
    let before = before.rsplit(['\0', '.', '!', '?']).next().unwrap_or("");
    let after = text.get(q.outer.end..hi).unwrap_or("");
    let after = after.split('\0').next().unwrap_or("");
    let before = words(before, 0);
    if before.last().is_some_and(|w| DISTANCING.contains(&w.key.as_str())) {
        return false;
    }
    let near = before
        .iter()
        .chain(words(after, 0).iter().take(3))
        .any(|w| SPEECH.contains(&w.key.as_str()));
    if near {
        return false;
    }
    // A block that is nothing but the quotation (a pull quote) is a quote.
    block_has_more(text, q)
}

/// Words that, right before a quotation, mark it as a label already ("so-called").
const DISTANCING: &[&str] = &["so-called", "called", "self-styled", "self-proclaimed", "dubbed"];

/// What a tooltip shows for a quotation of a stored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteCheck {
    /// How the quotation compares with the text.
    pub verdict: Verdict,
    /// Each part of the quotation (between ellipses) and whether the text has it.
    pub parts: Vec<(String, bool)>,
    /// The sentences of the text that hold the parts found (or, when none is, the sentence
    /// that shares most words with the quotation), in the text's order, each with the byte
    /// spans (of the sentence) of the words the quotation shares with it.
    pub original: Vec<(String, Vec<Span>)>,
    /// The key of the document entry's source the stored text was copied from.
    pub source: String,
}

/// Checks `quotation` (its text, with or without its quotation marks) against the stored
/// text of `document`; `None` when there is no such text.
pub(crate) fn check(
    references: &References,
    catalog: &Catalog,
    document: EntryIndex,
    quotation: &str,
) -> Option<QuoteCheck> {
    let r = references.of(document)?;
    let source = catalog
        .get(document)
        .and_then(|e| catalog.texts().iter().find(|t| t.entry == e.id))
        .map(|t| t.source.clone())
        .unwrap_or_default();
    let trimmed = quotation.trim();
    let (start, end) = strip_marks(trimmed);
    let (parts, ellipsis) = parts(trimmed, Span::new(start, end));
    let places = locate(r, &parts);
    let verdict = verdict(r, &places, ellipsis);
    let shown: Vec<(String, bool)> = parts
        .iter()
        .zip(&places)
        .map(|(p, at)| {
            let (s, e) =
                (p.first().map_or(0, |w| w.span.start), p.last().map_or(0, |w| w.span.end));
            (trimmed.get(s..e).unwrap_or("").to_string(), at.is_some())
        })
        .collect();
    // Words of the text to highlight, grouped by sentence.
    let mut marked: Vec<(usize, usize)> = places.iter().flatten().copied().collect();
    if marked.is_empty() {
        marked = closest(r, &parts);
    }
    let mut by_sentence: Vec<(u32, Vec<Span>)> = Vec::new();
    for (s, e) in marked {
        for w in s..e {
            let (Some(word), Some(&si)) = (r.words.get(w), r.sentence_of.get(w)) else { continue };
            match by_sentence.iter_mut().find(|(i, _)| *i == si) {
                Some((_, spans)) => spans.push(word.span),
                None => by_sentence.push((si, vec![word.span])),
            }
        }
    }
    by_sentence.sort_by_key(|(i, _)| *i);
    let original = by_sentence
        .into_iter()
        .filter_map(|(si, spans)| {
            let sentence = *r.sentences.get(si as usize)?;
            let text = r.text.get(sentence.start..sentence.end)?.to_string();
            let spans = merge(&r.text, sentence, spans);
            Some((text, spans))
        })
        .collect();
    Some(QuoteCheck { verdict, parts: shown, original, source })
}

/// Byte range (start, end) of the text between a quotation's marks, if it has them.
fn strip_marks(t: &str) -> (usize, usize) {
    let mut start = 0;
    let mut end = t.len();
    if let Some(c) = t.chars().next().filter(|c| "“„«\"‘".contains(*c)) {
        start = c.len_utf8();
    }
    if let Some(c) = t.chars().next_back().filter(|c| "”“»\"’".contains(*c)) {
        end = end.saturating_sub(c.len_utf8()).max(start);
    }
    (start, end)
}

/// For a quotation none of whose parts is in the text: the words it shares with the one
/// sentence that has most of them (words of four letters or more), as word ranges.
fn closest(r: &Reference, parts: &[Vec<Word>]) -> Vec<(usize, usize)> {
    let keys: Vec<&str> =
        parts.iter().flatten().map(|w| w.key.as_str()).filter(|k| k.chars().count() >= 4).collect();
    let mut best: Option<(u32, usize)> = None;
    for si in 0..u32::try_from(r.sentences.len()).unwrap_or(0) {
        let shared = r
            .words
            .iter()
            .zip(&r.sentence_of)
            .filter(|(w, s)| **s == si && keys.contains(&w.key.as_str()))
            .count();
        if shared > 0 && best.is_none_or(|(_, n)| shared > n) {
            best = Some((si, shared));
        }
    }
    let Some((si, _)) = best else { return Vec::new() };
    r.words
        .iter()
        .enumerate()
        .filter(|(i, w)| r.sentence_of.get(*i) == Some(&si) && keys.contains(&w.key.as_str()))
        .map(|(i, _)| (i, i + 1))
        .collect()
}

/// Word spans of the text within `sentence`, made relative to it, with neighbours that only
/// white space or punctuation separates merged into one.
fn merge(text: &str, sentence: Span, mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| s.start);
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        if let Some(last) = out.last_mut() {
            let gap = text.get(last.end..s.start).unwrap_or("x");
            if !gap.chars().any(char::is_alphanumeric) {
                last.end = last.end.max(s.end);
                continue;
            }
        }
        out.push(s);
    }
    out.into_iter()
        .map(|s| {
            Span::new(s.start.saturating_sub(sentence.start), s.end.saturating_sub(sentence.start))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        quotations(text).iter().map(|q| &text[q.inner.start..q.inner.end]).collect()
    }

    #[test]
    fn quotation_marks_pair_up_within_a_block() {
        assert_eq!(spans("a “b c” d ‘e’ and \"f\""), ["b c", "e", "f"]);
        // An apostrophe inside a word does not close a single quotation mark.
        assert_eq!(spans("the ‘Sides’ determination’s ‘x’"), ["Sides", "x"]);
        // A block separator or line break ends an unclosed quotation.
        assert_eq!(spans("“open\0closed”"), Vec::<&str>::new());
        assert_eq!(spans("“a\nb” “c”"), ["c"]);
        // An unclosed mark gives way to the next one.
        assert_eq!(spans("“a “b”"), ["b"]);
        // Straight quotes: inches and other lone marks open nothing.
        assert_eq!(spans("a 12\" screen"), Vec::<&str>::new());
    }

    #[test]
    fn sentences_do_not_end_at_initials() {
        let t = "President Donald J. Trump spoke. Then others.\nNew line";
        let s: Vec<&str> = sentences(t).iter().map(|s| &t[s.start..s.end]).collect();
        assert_eq!(s, ["President Donald J. Trump spoke.", "Then others.", "New line"]);
    }

    #[test]
    fn ellipses_split_parts() {
        let t = "“a b … c d... e. . . f”";
        let q = quotations(t)[0];
        let (p, ellipsis) = parts(t, q.inner);
        let keys: Vec<Vec<&str>> =
            p.iter().map(|p| p.iter().map(|w| w.key.as_str()).collect()).collect();
        assert!(ellipsis);
        assert_eq!(keys, [vec!["a", "b"], vec!["c", "d"], vec!["e"], vec!["f"]]);
    }
}
