//! Folding text for matching.
//!
//! News text writes the same name many ways: "Israel’s" and "Israel's", "Māori" and "Maori",
//! "Mount\u{a0}Hermon" and "Mount\n   Hermon", "de‑escalation" with a non-breaking hyphen, a
//! soft hyphen inside a long word. Aliases and page text are both *folded* with [`fold`] so that
//! one literal search finds all of them, and every folded offset maps back to the original text.
//!
//! Folding:
//! - turns every run of white space (any Unicode space, line breaks, tabs) into one `' '`;
//! - drops invisible characters (soft hyphen, zero-width spaces and joiners, bidirectional
//!   controls, variation selectors) and combining marks (so decomposed accents fold too);
//! - maps curly and other apostrophes to `'`, curly and angle quotes to `"`, and hyphens and
//!   dashes to `-`;
//! - maps Latin letters with diacritics to their base letters, keeping case (`Ā` → `A`,
//!   `ß` → `ss`), and lowercases other non-ASCII letters; ASCII case is kept: the matcher
//!   ignores it, but uses it to skip places where only a capitalised name could start.
//!
//! Offsets are UTF-8 byte offsets into the folded or the original string, as each name says.

use std::borrow::Cow;

/// Text folded for matching, with the map back to the text it came from.
#[derive(Debug)]
pub struct Folded<'a> {
    text: Cow<'a, str>,
    /// Every place where folded and original bytes do not correspond one to one, sorted by
    /// `folded`. Between two edits, folded byte `f` is original byte `f + shift`, where
    /// `shift` is what the edits before it added or removed.
    edits: Vec<Edit>,
}

/// One character (or run of white space) of the original that was folded to something else.
#[derive(Debug, Clone, Copy)]
struct Edit {
    /// Byte offset in the folded text where the replacement starts.
    folded: u32,
    /// Length in bytes of the replacement (0 when the character was dropped).
    folded_len: u32,
    /// Byte offset in the original text of the replaced character or run.
    original: u32,
    /// Length in bytes of the replaced character or run.
    original_len: u32,
}

impl<'a> Folded<'a> {
    /// The folded text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte offset at a character boundary of the folded text to the byte offset in the
    /// original text where the character that produced it starts.
    pub fn original_start(&self, folded: usize) -> usize {
        // The last edit at or before `folded`. Several edits can share a folded offset
        // (dropped characters followed by a replaced one): the last one is the one that
        // produced the byte at `folded`.
        let i = self.edits.partition_point(|e| e.folded as usize <= folded);
        match i.checked_sub(1).and_then(|i| self.edits.get(i)) {
            None => folded,
            Some(e) => {
                let (ef, efl, eo, eol) = e.widths();
                if folded < ef + efl { eo } else { eo + eol + (folded - (ef + efl)) }
            }
        }
    }

    /// Maps an exclusive end offset of the folded text to the exclusive end, in the original
    /// text, of the last character that produced the folded bytes before it. Characters that
    /// were dropped right at the end are not included.
    pub fn original_end(&self, folded: usize) -> usize {
        let i = self.edits.partition_point(|e| (e.folded as usize) < folded);
        match i.checked_sub(1).and_then(|i| self.edits.get(i)) {
            None => folded,
            Some(e) => {
                let (ef, efl, eo, eol) = e.widths();
                if folded <= ef + efl { eo + eol } else { eo + eol + (folded - (ef + efl)) }
            }
        }
    }
}

impl Edit {
    fn widths(&self) -> (usize, usize, usize, usize) {
        (
            self.folded as usize,
            self.folded_len as usize,
            self.original as usize,
            self.original_len as usize,
        )
    }
}

/// What one character folds to (see [`classify`]).
pub(crate) enum Fold {
    /// The character itself, byte for byte.
    Keep,
    /// Nothing: the character is invisible for matching.
    Drop,
    /// A replacement.
    To(&'static str),
    /// Its lowercase form (for letters outside ASCII and the Latin table).
    Lower,
}

/// Folds `text` for matching. Returns the text itself, without copying, when nothing in it
/// needs folding (plain ASCII with single spaces), which is the common case for short blocks.
pub fn fold(text: &str) -> Folded<'_> {
    if !needs_folding(text.as_bytes()) {
        return Folded { text: Cow::Borrowed(text), edits: Vec::new() };
    }
    fold_copy(text)
}

/// Folds `text` into a new string.
// Not inlined into `fold`: most aliases fold to themselves, so at start-up (where `fold` runs
// for each of them) the browser's optimising compiler then compiles only the short check
// above, not this.
#[inline(never)]
fn fold_copy(text: &str) -> Folded<'_> {
    let bytes = text.as_bytes();
    // Built as bytes: ASCII runs are copied whole, everything else is pushed as whole
    // characters, so the result is UTF-8 (checked once at the end).
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut edits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Most of a news text folds to itself: copy such runs whole.
        let plain = plain_run(bytes, i);
        if plain > i {
            out.extend_from_slice(bytes.get(i..plain).unwrap_or(&[]));
            i = plain;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
        let mut next = i + c.len_utf8();
        if is_space(c) {
            // A run of white space (with any invisible characters inside it) becomes one space.
            while let Some(d) = text.get(next..).and_then(|rest| rest.chars().next()) {
                if is_space(d) || matches!(classify(d), Fold::Drop) {
                    next += d.len_utf8();
                } else {
                    break;
                }
            }
            if !(c == ' ' && next == i + 1) {
                edits.push(edit(out.len(), 1, i, next - i));
            }
            out.push(b' ');
            i = next;
            continue;
        }
        match classify(c) {
            Fold::Keep => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            Fold::Drop => edits.push(edit(out.len(), 0, i, c.len_utf8())),
            Fold::To(s) => {
                edits.push(edit(out.len(), s.len(), i, c.len_utf8()));
                out.extend_from_slice(s.as_bytes());
            }
            Fold::Lower => {
                let start = out.len();
                for l in c.to_lowercase() {
                    out.extend_from_slice(l.encode_utf8(&mut [0; 4]).as_bytes());
                }
                let len = out.len() - start;
                // Lowercasing may change the length ("İ" is 2 bytes, its lowercase 3): then
                // the bytes no longer correspond one to one and need an edit.
                if len != c.len_utf8()
                    || out.get(start..) != Some(c.encode_utf8(&mut [0; 4]).as_bytes())
                {
                    edits.push(edit(start, len, i, c.len_utf8()));
                }
            }
        }
        i = next;
    }
    // Only whole characters and ASCII bytes were pushed.
    let text = String::from_utf8(out)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Folded { text: Cow::Owned(text), edits }
}

fn edit(folded: usize, folded_len: usize, original: usize, original_len: usize) -> Edit {
    // Blocks are capped far below 4 GiB by the callers; saturate rather than wrap.
    let c = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Edit {
        folded: c(folded),
        folded_len: c(folded_len),
        original: c(original),
        original_len: c(original_len),
    }
}

/// The end of the run of bytes from `from` that fold to themselves: ASCII other than white
/// space, and single spaces followed by such a byte or by the end of the text.
fn plain_run(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        let plain = match b {
            b' ' => bytes.get(i + 1).is_none_or(|&n| n < 0x80 && !is_ascii_space(n)),
            _ => b < 0x80 && !is_ascii_space(b),
        };
        if !plain {
            break;
        }
        i += 1;
    }
    i
}

fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// True when folding could change `bytes`: any non-ASCII byte, any white space other than a
/// single space.
fn needs_folding(bytes: &[u8]) -> bool {
    let mut previous_space = false;
    for &b in bytes {
        if b >= 0x80 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            return true;
        }
        let space = b == b' ';
        if space && previous_space {
            return true;
        }
        previous_space = space;
    }
    false
}

/// True for characters that count as white space between words.
#[inline]
pub fn is_space(c: char) -> bool {
    if c.is_ascii() {
        // Tab, line feed, vertical tab, form feed, carriage return.
        return c == ' ' || ('\t'..='\r').contains(&c);
    }
    matches!(
        c,
        '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// True for characters that are part of a word for the purpose of word boundaries.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(crate) fn classify(c: char) -> Fold {
    if c.is_ascii() {
        return Fold::Keep;
    }
    match c {
        // Apostrophes and primes.
        '\u{2018}' | '\u{2019}' | '\u{201b}' | '\u{02bc}' | '\u{2032}' | '\u{2039}'
        | '\u{203a}' | '\u{ff07}' => Fold::To("'"),
        // Double quotation marks, including guillemets.
        '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}' | '\u{2033}'
        | '\u{ff02}' => Fold::To("\""),
        // Hyphens, dashes and the minus sign.
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}' => {
            Fold::To("-")
        }
        // Invisible: soft hyphen, zero-width space, joiners, direction marks and embeddings,
        // word joiner and invisible operators, isolates, byte order mark, variation
        // selectors, combining diacritical marks, Arabic tatweel and vowel marks.
        '\u{ad}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{0300}'..='\u{036f}'
        | '\u{0640}'
        | '\u{064b}'..='\u{065f}'
        | '\u{0670}' => Fold::Drop,
        '\u{c0}'..='\u{17f}' => latin(c),
        '\u{218}' => Fold::To("S"),
        '\u{219}' => Fold::To("s"),
        '\u{21a}' => Fold::To("T"),
        '\u{21b}' => Fold::To("t"),
        '\u{18f}' => Fold::To("E"),
        '\u{259}' => Fold::To("e"),
        '\u{1a0}' => Fold::To("O"),
        '\u{1a1}' => Fold::To("o"),
        '\u{1af}' => Fold::To("U"),
        '\u{1b0}' => Fold::To("u"),
        _ if c.is_uppercase() => Fold::Lower,
        _ => Fold::Keep,
    }
}

/// Base letters of U+00C0..=U+017F, one byte per code point: a letter, `#` for the letters
/// that fold to two (see [`latin`]), `*` for the two symbols in the range (× and ÷).
const LATIN: &[u8; 192] = b"aaaaaa#ceeeeiiiidnooooo*ouuuuy##\
aaaaaa#ceeeeiiiidnooooo*ouuuuy#y\
aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii##jjkkkllllllllllnnnnnnnnnoooooo##rrrrrrsssssssstttttt\
uuuuuuuuuuuuwwyyyzzzzzzs";

fn latin(c: char) -> Fold {
    match c {
        'Æ' => Fold::To("AE"),
        'æ' => Fold::To("ae"),
        'Þ' => Fold::To("TH"),
        'þ' => Fold::To("th"),
        'ß' => Fold::To("ss"),
        'Ĳ' => Fold::To("IJ"),
        'ĳ' => Fold::To("ij"),
        'Œ' => Fold::To("OE"),
        'œ' => Fold::To("oe"),
        _ => {
            let index = (c as usize).wrapping_sub(0xc0);
            match LATIN.get(index) {
                Some(b'*') | None => Fold::Keep,
                Some(&b) => Fold::To(ascii_str(b, c.is_uppercase())),
            }
        }
    }
}

/// The one-letter string for an ASCII lowercase letter, or for its capital.
fn ascii_str(b: u8, capital: bool) -> &'static str {
    const LETTERS: &str = "abcdefghijklmnopqrstuvwxyz";
    const CAPITALS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let i = usize::from(b.wrapping_sub(b'a'));
    if capital { CAPITALS.get(i..i + 1) } else { LETTERS.get(i..i + 1) }.unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Folds `text` and checks that every folded character maps back into the original.
    fn check(text: &str, expected: &str) {
        let f = fold(text);
        assert_eq!(f.as_str(), expected, "folding {text:?}");
        for (i, _) in f.as_str().char_indices() {
            let o = f.original_start(i);
            assert!(text.is_char_boundary(o), "{text:?}: folded {i} maps to non-boundary {o}");
        }
        assert!(f.original_end(f.as_str().len()) <= text.len());
    }

    #[test]
    fn table_covers_the_whole_range() {
        assert_eq!(LATIN.len(), 0x180 - 0xc0);
        for c in '\u{c0}'..='\u{17f}' {
            match latin(c) {
                Fold::Keep => assert!(c == '×' || c == '÷', "{c} is kept"),
                Fold::To(s) => assert!(!s.is_empty() && s.is_ascii(), "{c} folds to {s:?}"),
                _ => panic!("{c}"),
            }
        }
    }

    #[test]
    fn folds() {
        check("plain ascii", "plain ascii");
        check("Israel’s", "Israel's");
        check("“Israel”", "\"Israel\"");
        check("Māori", "Maori");
        check("Hürriyet", "Hurriyet");
        check("Erdoğan", "Erdogan");
        check("ÉMILE Ōtaki", "EMILE Otaki");
        check("Ma\u{304}ori", "Maori");
        check("Mount\u{a0}Hermon", "Mount Hermon");
        check("Mount\n    Hermon", "Mount Hermon");
        check("Mount  \u{200b} Hermon", "Mount Hermon");
        check("de\u{2011}escalation", "de-escalation");
        check("Syria–Israel", "Syria-Israel");
        check("Her\u{ad}mon", "Hermon");
        check("Straße", "Strasse");
        check("ÆTHELRED Þór Œuvre", "AETHELRED THor OEuvre");
        check("ΑΘΗΝΑ", "αθηνα");
        check("دمشق", "دمشق");
        check("İstanbul", "Istanbul");
    }

    #[test]
    fn offsets_map_back() {
        let text = "The “Golan\u{a0}Heights” and Māori\u{ad}land";
        let f = fold(text);
        let folded = f.as_str();
        let start = folded.find("Golan Heights").unwrap();
        let end = start + "Golan Heights".len();
        assert_eq!(&text[f.original_start(start)..f.original_end(end)], "Golan\u{a0}Heights");
        let start = folded.find("Maori").unwrap();
        let end = start + "Maori".len();
        // The soft hyphen after the name is not part of the match.
        assert_eq!(&text[f.original_start(start)..f.original_end(end)], "Māori");
    }

    #[test]
    fn borrowed_when_nothing_changes() {
        assert!(matches!(fold("Mount Hermon is high").text, Cow::Borrowed(_)));
        assert!(matches!(fold("two  spaces").text, Cow::Owned(_)));
    }
}
