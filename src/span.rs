//! Spans of text, and their conversion to the units JavaScript counts in.
//!
//! Inside the core every span is a half-open range of **UTF-8 byte offsets** into the text it
//! was found in. JavaScript strings, DOM `Text.data` and `Range` offsets count **UTF-16 code
//! units**; the conversion happens once, at the WebAssembly boundary, with [`Utf16Offsets`].

/// A half-open range `[start, end)` of UTF-8 byte offsets into a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// Byte offset of the first byte (inclusive).
    pub start: usize,
    /// Byte offset one past the last byte (exclusive).
    pub end: usize,
}

impl Span {
    /// The span `[start, end)` in UTF-8 bytes.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Converts UTF-8 byte offsets of one text to UTF-16 code-unit offsets, walking the text once
/// as long as the offsets asked for never decrease.
///
/// A character outside the Basic Multilingual Plane (most emoji, some CJK) is 4 bytes and 2
/// code units; Arabic letters are 2 bytes and 1 unit; a lone surrogate in a JavaScript string
/// arrives in Rust as U+FFFD (3 bytes), which is 1 unit, as the surrogate was, so offsets on
/// both sides stay equal.
pub struct Utf16Offsets<'a> {
    text: &'a str,
    /// Byte offset reached so far (always a character boundary).
    byte: usize,
    /// UTF-16 offset of `byte`.
    unit: usize,
}

impl<'a> Utf16Offsets<'a> {
    /// Starts at the beginning of `text`.
    pub fn new(text: &'a str) -> Self {
        Utf16Offsets { text, byte: 0, unit: 0 }
    }

    /// The UTF-16 offset of byte offset `byte`. If `byte` lies before the last offset asked
    /// for, the walk restarts from the beginning (correct, only slower); if it is not a
    /// character boundary, the offset of the character containing it is returned.
    pub fn to_utf16(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.unit = 0;
        }
        let target = byte.min(self.text.len());
        let rest = self.text.get(self.byte..).unwrap_or("");
        for (i, c) in rest.char_indices() {
            let at = self.byte + i;
            if at + c.len_utf8() > target {
                self.byte = at;
                return self.unit;
            }
            self.unit += c.len_utf16();
        }
        self.byte = self.text.len();
        self.unit
    }
}

/// The UTF-16 length of `text`.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// JavaScript's view of the same offsets: `text.encode_utf16()` up to the byte offset.
    fn reference(text: &str, byte: usize) -> usize {
        text[..byte].encode_utf16().count()
    }

    #[test]
    fn matches_encode_utf16_at_every_boundary() {
        let samples = [
            "plain",
            "emoji 🇸🇾 flag and 😀 face, then Mount Hermon",
            "عربي: جبل الشيخ ثم Mount Hermon",
            "combining: Ma\u{304}ori and e\u{301}",
            "lone \u{fffd} replacement",
            "",
        ];
        for text in samples {
            let mut conv = Utf16Offsets::new(text);
            for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(conv.to_utf16(byte), reference(text, byte), "{text:?} at {byte}");
            }
            // Going backwards restarts and stays correct.
            let mut conv = Utf16Offsets::new(text);
            for (byte, _) in text.char_indices().rev() {
                assert_eq!(conv.to_utf16(byte), reference(text, byte), "{text:?} at {byte}");
            }
        }
    }

    #[test]
    fn utf16_length() {
        assert_eq!(utf16_len("😀a"), 3);
        assert_eq!(utf16_len("جبل"), 3);
    }
}
