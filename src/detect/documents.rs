//! The document linker: mentions of UN resolutions, such as "Resolution 2254", "UNSC Resolution
//! 242", "Security Council resolution 2334 (2016)", "resolution 497 of 1981",
//! "General Assembly resolution 67/19" or "resolution 181 (II)", link to the official document
//! at undocs.org, with or without a knowledge-base entry for it.
//!
//! When a Security Council resolution's year is not written, it is derived from its number with
//! the table in `data/un-resolutions.toml` (the first and last resolution of each year, with
//! sources); for numbers in years the table does not cover, a mention without a year is not
//! linked. A General Assembly resolution is linked only when its session is written: from the
//! 31st session (1976) numbers restart each session ("67/19"); before, resolutions were numbered
//! in one sequence with the session in Roman numerals ("181 (II)"), and a bare number does not
//! tell the session.
//!
//! A bare "Resolution 2254" names the Security Council only when the same block mentions the
//! Security Council and not the General Assembly: when unsure, the linker stays silent.

use crate::detect::CategorySet;
use crate::detect::matcher::Candidate;
use crate::kb::schema::YearRange;
use crate::kb::{Catalog, Category, Entry, EntryIndex, Source, SourceKind, Verification};

/// A UN resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// `S/RES/<number> (<year>)`.
    SecurityCouncil {
        /// The resolution's number.
        number: u16,
        /// The year it was adopted.
        year: u16,
    },
    /// `A/RES/<session>/<number>` (from the 31st session) or `A/RES/<number> (<roman session>)`.
    GeneralAssembly {
        /// The session (1 for the first, 1946).
        session: u8,
        /// The resolution's number.
        number: u16,
    },
}

/// Entry indices with this bit set stand for resolutions, not catalog entries.
const DOCUMENT_BIT: u32 = 1 << 31;
const GENERAL_ASSEMBLY_BIT: u32 = 1 << 30;

impl Resolution {
    /// The resolution as an entry index outside the catalog's range.
    pub fn encode(self) -> EntryIndex {
        EntryIndex(match self {
            Resolution::SecurityCouncil { number, year } => {
                DOCUMENT_BIT
                    | (u32::from(year.saturating_sub(1900)) & 0x7f) << 16
                    | u32::from(number)
            }
            Resolution::GeneralAssembly { session, number } => {
                DOCUMENT_BIT
                    | GENERAL_ASSEMBLY_BIT
                    | u32::from(session & 0x7f) << 16
                    | u32::from(number)
            }
        })
    }

    /// The resolution an entry index stands for, if it stands for one.
    pub fn decode(index: EntryIndex) -> Option<Resolution> {
        let v = index.0;
        if v & DOCUMENT_BIT == 0 {
            return None;
        }
        let high = ((v >> 16) & 0x7f) as u16;
        let number = (v & 0xffff) as u16;
        Some(if v & GENERAL_ASSEMBLY_BIT == 0 {
            Resolution::SecurityCouncil { number, year: 1900 + high }
        } else {
            Resolution::GeneralAssembly { session: high as u8, number }
        })
    }

    /// The id of a knowledge-base entry for this resolution, if one were written
    /// ("unsc-resolution-242", "unga-resolution-67-19", "unga-resolution-181").
    pub fn entry_id(self) -> String {
        match self {
            Resolution::SecurityCouncil { number, .. } => format!("unsc-resolution-{number}"),
            Resolution::GeneralAssembly { session, number } if session >= 31 => {
                format!("unga-resolution-{session}-{number}")
            }
            Resolution::GeneralAssembly { number, .. } => format!("unga-resolution-{number}"),
        }
    }

    /// The id of the generated entry ("unsc-resolution-2254-2015", "unga-resolution-67-19",
    /// "unga-resolution-181-ii"): unique, and enough to rebuild the resolution.
    pub fn generated_id(self) -> String {
        match self {
            Resolution::SecurityCouncil { number, year } => {
                format!("unsc-resolution-{number}-{year}")
            }
            Resolution::GeneralAssembly { session, number } if session >= 31 => {
                format!("unga-resolution-{session}-{number}")
            }
            Resolution::GeneralAssembly { session, number } => {
                format!("unga-resolution-{number}-{}", roman(session).to_ascii_lowercase())
            }
        }
    }

    /// The resolution a generated id names.
    pub fn from_generated_id(id: &str) -> Option<Resolution> {
        if let Some(rest) = id.strip_prefix("unsc-resolution-") {
            let (number, year) = rest.split_once('-')?;
            return Some(Resolution::SecurityCouncil {
                number: number.parse().ok()?,
                year: year.parse().ok()?,
            });
        }
        let rest = id.strip_prefix("unga-resolution-")?;
        let (a, b) = rest.split_once('-')?;
        if let Some(session) = parse_roman(b) {
            return Some(Resolution::GeneralAssembly { session, number: a.parse().ok()? });
        }
        let session: u8 = a.parse().ok().filter(|s| *s >= 31)?;
        Some(Resolution::GeneralAssembly { session, number: b.parse().ok()? })
    }

    /// The official document's address.
    pub fn url(self) -> String {
        match self {
            Resolution::SecurityCouncil { number, year } => {
                format!("https://undocs.org/S/RES/{number}({year})")
            }
            Resolution::GeneralAssembly { session, number } if session >= 31 => {
                format!("https://undocs.org/A/RES/{session}/{number}")
            }
            Resolution::GeneralAssembly { session, number } => {
                format!("https://undocs.org/A/RES/{number}({})", roman(session))
            }
        }
    }

    /// A generated entry: what the resolution is, and its official text as the source.
    pub fn entry(self, reviewed: &str) -> Entry {
        let (name, symbol, body, summary) = match self {
            Resolution::SecurityCouncil { number, year } => (
                format!("UN Security Council resolution {number} ({year})"),
                format!("S/RES/{number} ({year})"),
                "United Nations Security Council",
                format!(
                    "A resolution of the UN Security Council, adopted in {year}. Footnote has no background \
                     note on it yet; the link opens its official text."
                ),
            ),
            Resolution::GeneralAssembly { session, number } => {
                let (symbol, name) = if session >= 31 {
                    (
                        format!("A/RES/{session}/{number}"),
                        format!("UN General Assembly resolution {session}/{number}"),
                    )
                } else {
                    let r = roman(session);
                    (
                        format!("A/RES/{number} ({r})"),
                        format!("UN General Assembly resolution {number} ({r})"),
                    )
                };
                (
                    name,
                    symbol,
                    "United Nations General Assembly",
                    format!(
                        "A resolution of the UN General Assembly, adopted at its {} session. Footnote has no \
                         background note on it yet; the link opens its official text.",
                        ordinal(session)
                    ),
                )
            }
        };
        let date = match self {
            Resolution::SecurityCouncil { year, .. } => Some(year.to_string()),
            Resolution::GeneralAssembly { .. } => None,
        };
        Entry {
            id: self.generated_id(),
            category: Category::Document,
            name,
            aliases: Vec::new(),
            summary,
            usages: Vec::new(),
            alternatives: Vec::new(),
            sources: vec![Source {
                key: "text".into(),
                title: symbol,
                publisher: body.into(),
                date,
                url: self.url(),
                kind: SourceKind::Primary,
                verified: Verification::Pattern,
            }],
            reviewed: reviewed.into(),
            generated: true,
        }
    }
}

/// The year of Security Council resolution `number`, if the table confirms it.
pub fn year_of(table: &[YearRange], number: u16) -> Option<u16> {
    table.iter().find(|r| r.first <= number && number <= r.last).map(|r| r.year)
}

/// Resolutions mentioned in `folded` (text folded by `crate::fold`), as candidates in folded
/// byte offsets. A resolution with a knowledge-base entry points at that entry.
// Not inlined into the annotation: only blocks with a trigger word need it (see
// `Annotator::add_quotations` on why that matters in WebAssembly).
#[inline(never)]
pub(crate) fn candidates(
    folded: &str,
    catalog: &Catalog,
    categories: CategorySet,
) -> Vec<Candidate> {
    if !categories.contains(Category::Document) {
        return Vec::new();
    }
    let lower = folded.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let context = Context::of(&lower);
    let mut from = 0;
    while let Some(found) = next_trigger(&lower, from) {
        from = found.at + 1;
        let Some(mention) = parse_mention(&lower, bytes, found) else { continue };
        let Some(entry) = mention.resolve(catalog, context) else { continue };
        out.push(Candidate {
            start: mention.start,
            end: mention.end,
            order: usize::MAX,
            entry: Some(entry),
            category: Category::Document,
            alias: None,
        });
    }
    out
}

/// What the whole block says about which body it is about.
#[derive(Clone, Copy)]
struct Context {
    security_council: bool,
    general_assembly: bool,
}

impl Context {
    fn of(lower: &str) -> Context {
        Context {
            security_council: lower.contains("security council") || contains_word(lower, "unsc"),
            general_assembly: lower.contains("general assembly") || contains_word(lower, "unga"),
        }
    }
}

#[derive(Clone, Copy)]
enum Trigger {
    /// "resolution", the start of the word.
    Word,
    /// "unscr" before a number.
    Unscr,
    /// "s/res/" before a number.
    SecurityCouncilSymbol,
    /// "a/res/" before a number.
    AssemblySymbol,
}

#[derive(Clone, Copy)]
struct Found {
    at: usize,
    len: usize,
    kind: Trigger,
}

fn next_trigger(lower: &str, from: usize) -> Option<Found> {
    let rest = lower.get(from..)?;
    let candidates = [
        ("resolution", Trigger::Word),
        ("unscr", Trigger::Unscr),
        ("s/res/", Trigger::SecurityCouncilSymbol),
        ("a/res/", Trigger::AssemblySymbol),
    ];
    candidates
        .iter()
        .filter_map(|(word, kind)| {
            let mut search = 0;
            while let Some(pos) = rest.get(search..)?.find(word) {
                let at = from + search + pos;
                if starts_word(lower, at) {
                    return Some(Found { at, len: word.len(), kind: *kind });
                }
                search += pos + 1;
            }
            None
        })
        .min_by_key(|f| f.at)
}

struct Mention {
    start: usize,
    end: usize,
    body: Option<Body>,
    /// The number, or for "67/19" the session and the number.
    number: u16,
    session: Option<u8>,
    roman: Option<u8>,
    year: Option<u16>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    SecurityCouncil,
    GeneralAssembly,
}

/// Body names written before "resolution", longest first.
const CUES: &[(&str, Body)] = &[
    ("united nations security council ", Body::SecurityCouncil),
    ("u.n. security council ", Body::SecurityCouncil),
    ("un security council ", Body::SecurityCouncil),
    ("security council ", Body::SecurityCouncil),
    ("unsc ", Body::SecurityCouncil),
    ("united nations general assembly ", Body::GeneralAssembly),
    ("u.n. general assembly ", Body::GeneralAssembly),
    ("un general assembly ", Body::GeneralAssembly),
    ("general assembly ", Body::GeneralAssembly),
    ("unga ", Body::GeneralAssembly),
];

fn parse_mention(lower: &str, bytes: &[u8], found: Found) -> Option<Mention> {
    let mut i = found.at + found.len;
    let (mut start, mut body) = (found.at, None);
    match found.kind {
        Trigger::Word => {
            if bytes.get(i) == Some(&b's') {
                return None; // "resolutions 242 and 338": a list, not linked for now
            }
            i = skip(bytes, i, b' ');
            for prefix in ["no. ", "no.", "no ", "number "] {
                if lower.get(i..).is_some_and(|r| r.starts_with(prefix)) {
                    i += prefix.len();
                    break;
                }
            }
            for (cue, b) in CUES {
                if lower.get(..found.at).is_some_and(|before| before.ends_with(cue)) {
                    let cue_start = found.at - cue.len();
                    if starts_word(lower, cue_start) {
                        start = cue_start;
                        body = Some(*b);
                        break;
                    }
                }
            }
        }
        Trigger::Unscr => {
            i = skip(bytes, i, b' ');
            body = Some(Body::SecurityCouncil);
        }
        Trigger::SecurityCouncilSymbol => body = Some(Body::SecurityCouncil),
        Trigger::AssemblySymbol => body = Some(Body::GeneralAssembly),
    }
    let (number, after) = digits(bytes, i)?;
    i = after;
    let mut session = None;
    if bytes.get(i) == Some(&b'/') {
        if let Some((n, after)) = digits(bytes, i + 1) {
            // "67/19": session 67, resolution 19.
            session = Some(u8::try_from(number).ok().filter(|s| *s >= 31)?);
            body = Some(Body::GeneralAssembly);
            i = after;
            return finish(
                lower,
                bytes,
                i,
                Mention { start, end: i, body, number: n, session, roman: None, year: None },
            );
        }
    }
    if bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None; // "resolution 12a", part of another token
    }
    finish(
        lower,
        bytes,
        i,
        Mention { start, end: i, body, number, session, roman: None, year: None },
    )
}

/// Reads an optional "(2016)", "(II)" or " of 1981" after the number.
fn finish(lower: &str, bytes: &[u8], i: usize, mut m: Mention) -> Option<Mention> {
    let j = skip(bytes, i, b' ');
    if bytes.get(j) == Some(&b'(') {
        if let Some(close) = lower.get(j + 1..).and_then(|r| r.find(')')).map(|k| j + 1 + k) {
            let inner = lower.get(j + 1..close)?.trim();
            if inner.len() == 4 && inner.bytes().all(|b| b.is_ascii_digit()) {
                m.year = inner.parse().ok();
                m.end = close + 1;
            } else if let Some(r) = parse_roman(inner) {
                m.roman = Some(r);
                m.end = close + 1;
            }
        }
    } else if lower.get(j..).is_some_and(|r| r.starts_with("of ")) {
        if let Some((year, after)) = digits(bytes, j + 3) {
            if (1946..=2100).contains(&year) && after - (j + 3) == 4 {
                m.year = Some(year);
                m.end = after;
            }
        }
    }
    Some(m)
}

impl Mention {
    /// The entry the mention stands for: the knowledge base's entry for the resolution when
    /// there is one, else a generated one; `None` when unsure.
    fn resolve(&self, catalog: &Catalog, context: Context) -> Option<EntryIndex> {
        if let Some(session) = self.session.or(self.roman) {
            if self.body == Some(Body::SecurityCouncil) {
                return None;
            }
            let r = Resolution::GeneralAssembly { session, number: self.number };
            return Some(catalog.find(&r.entry_id()).unwrap_or_else(|| r.encode()));
        }
        let body = match self.body {
            Some(b) => b,
            None if context.security_council && !context.general_assembly => Body::SecurityCouncil,
            None => return None,
        };
        if body == Body::GeneralAssembly {
            return None; // the session cannot be derived from a bare number
        }
        let derived = year_of(&catalog.resolutions().security_council, self.number);
        if let (Some(written), Some(derived)) = (self.year, derived) {
            if written != derived {
                return None; // the text contradicts the table: do not guess which is right
            }
        }
        let known = Resolution::SecurityCouncil { number: self.number, year: 0 };
        if let Some(entry) = catalog.find(&known.entry_id()) {
            return Some(entry);
        }
        let year = self.year.or(derived)?;
        Some(Resolution::SecurityCouncil { number: self.number, year }.encode())
    }
}

fn skip(bytes: &[u8], mut i: usize, b: u8) -> usize {
    while bytes.get(i) == Some(&b) {
        i += 1;
    }
    i
}

/// One to four digits at `i`, and the offset after them.
fn digits(bytes: &[u8], i: usize) -> Option<(u16, usize)> {
    let mut j = i;
    while j < bytes.len() && bytes[j].is_ascii_digit() && j - i < 5 {
        j += 1;
    }
    if j == i || j - i > 4 {
        return None;
    }
    let n: u16 = std::str::from_utf8(&bytes[i..j]).ok()?.parse().ok()?;
    (n > 0).then_some((n, j))
}

fn starts_word(lower: &str, at: usize) -> bool {
    lower.get(..at).and_then(|b| b.chars().next_back()).is_none_or(|c| !c.is_alphanumeric())
}

fn contains_word(lower: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = lower.get(from..).and_then(|r| r.find(word)) {
        let at = from + pos;
        let end = at + word.len();
        let after_ok =
            lower.get(end..).and_then(|r| r.chars().next()).is_none_or(|c| !c.is_alphanumeric());
        if starts_word(lower, at) && after_ok {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Roman numerals for sessions I to XXX.
fn roman(n: u8) -> String {
    let mut out = String::new();
    let mut n = n;
    for (value, digits) in [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")] {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

fn parse_roman(s: &str) -> Option<u8> {
    let s = s.trim();
    if s.is_empty()
        || s.len() > 6
        || !s.bytes().all(|b| matches!(b, b'i' | b'v' | b'x' | b'I' | b'V' | b'X'))
    {
        return None;
    }
    let n = (1u8..=30).find(|n| roman(*n).eq_ignore_ascii_case(s))?;
    Some(n)
}

fn ordinal(n: u8) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
