//! Spans of text, and their conversion to the units JavaScript counts in.
//!
//! Inside the core every span is a half-open range of **UTF-8 byte offsets** into the text it
//! was found in. JavaScript strings, DOM `Text.data` and `Range` offsets count **UTF-16 code
//! units**; the conversion happens once, at the WebAssembly boundary, with [`BlockOffsets`].

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

/// Converts increasing UTF-8 byte offsets of a text made of blocks joined by U+0000 (see
/// [`crate::BLOCK_SEPARATOR`]) to a block index and a UTF-16 offset within that block, which
/// is how the extension addresses its text nodes. Each call counts only the bytes since the
/// last one, with loops simple enough to run many bytes at a time.
///
/// A character outside the Basic Multilingual Plane (most emoji, some CJK) is 4 bytes and 2
/// code units; Arabic letters are 2 bytes and 1 unit; a lone surrogate in a JavaScript string
/// arrives in Rust as U+FFFD (3 bytes), which is 1 unit, as the surrogate was, so offsets on
/// both sides stay equal.
pub struct BlockOffsets<'a> {
    bytes: &'a [u8],
    /// Byte offset reached so far (a character boundary).
    byte: usize,
    /// Index of the block `byte` is in.
    block: usize,
    /// UTF-16 offset of `byte` within its block.
    unit: usize,
}

impl<'a> BlockOffsets<'a> {
    /// Starts at the beginning of `text`, in block 0.
    pub fn new(text: &'a str) -> Self {
        BlockOffsets { bytes: text.as_bytes(), byte: 0, block: 0, unit: 0 }
    }

    /// The block and UTF-16 offset within it of byte offset `byte`, a character boundary not
    /// before the last one asked for (an earlier one restarts the count from the beginning).
    pub fn at(&mut self, byte: usize) -> (usize, usize) {
        if byte < self.byte {
            *self = BlockOffsets::new(std::str::from_utf8(self.bytes).unwrap_or(""));
        }
        let target = byte.min(self.bytes.len());
        let segment = self.bytes.get(self.byte..target).unwrap_or(&[]);
        // Eight bytes at a time: most of a text is between findings, and this walks all of it.
        let mut chunks = segment.chunks_exact(8);
        for chunk in &mut chunks {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            let zeros = zero_bytes(w);
            if zeros == 0 {
                self.unit += utf16_units8(w, HIGH);
            } else {
                // A separator: a new block starts after the last one in these eight bytes.
                self.block += zeros.count_ones() as usize;
                let last = (63 - zeros.leading_zeros()) / 8;
                let after = if last >= 7 { 0 } else { HIGH << (8 * (last + 1)) };
                self.unit = utf16_units8(w, after);
            }
        }
        for &b in chunks.remainder() {
            if b == 0 {
                self.block += 1;
                self.unit = 0;
            } else {
                self.unit += usize::from((b & 0xc0) != 0x80) + usize::from(b >= 0xf0);
            }
        }
        self.byte = target;
        (self.block, self.unit)
    }
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each zero byte of `w`.
fn zero_bytes(w: u64) -> u64 {
    !(((w & !HIGH) + !HIGH) | w) & HIGH
}

/// The UTF-16 length of the bytes of `w` whose high bit is in `mask`, counting whole UTF-8
/// characters: one unit for each byte that starts a character, one more for each 4-byte one.
fn utf16_units8(w: u64, mask: u64) -> usize {
    // Continuation bytes are 10xxxxxx; 4-byte characters start with 11110xxx. (Shifting left
    // by up to 3 only moves bits within each byte's top half, so bytes do not mix.)
    let continuation = w & !(w << 1) & HIGH;
    let starts = !continuation & HIGH;
    let four = w & (w << 1) & (w << 2) & (w << 3) & HIGH;
    ((starts & mask).count_ones() + (four & mask).count_ones()) as usize
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
            let mut conv = BlockOffsets::new(text);
            for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
                assert_eq!(conv.at(byte), (0, reference(text, byte)), "{text:?} at {byte}");
            }
            // Going backwards restarts and stays correct.
            let mut conv = BlockOffsets::new(text);
            for (byte, _) in text.char_indices().rev() {
                assert_eq!(conv.at(byte), (0, reference(text, byte)), "{text:?} at {byte}");
            }
        }
    }

    #[test]
    fn block_offsets_count_from_each_block() {
        let blocks = ["Mount Hermon", "", "🇸🇾 and جبل الشيخ, then Golan", "é\u{301}😀 x"];
        check_blocks(&blocks);
        let text = blocks.join("\0");
        let mut conv = BlockOffsets::new(&text);
        conv.at(text.len());
        // Asking for an earlier offset starts over and is still right.
        assert_eq!(conv.at(0), (0, 0));
        assert_eq!(conv.at(text.len()), (3, reference(blocks[3], blocks[3].len())));
        // Long blocks, separators at every position within eight bytes.
        let long: Vec<String> =
            (0..40).map(|n| "ab😀é".repeat(n % 7) + &"x".repeat(n % 9)).collect();
        check_blocks(&long);
    }

    /// Every character boundary of every block, in order, against `encode_utf16`.
    fn check_blocks<S: AsRef<str>>(blocks: &[S]) {
        let text = blocks.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("\0");
        let mut conv = BlockOffsets::new(&text);
        let mut start = 0;
        for (b, block) in blocks.iter().map(AsRef::as_ref).enumerate() {
            for (i, _) in block.char_indices().chain([(block.len(), ' ')]) {
                assert_eq!(conv.at(start + i), (b, reference(block, i)), "block {b} byte {i}");
            }
            start += block.len() + 1;
        }
    }

    #[test]
    fn utf16_length() {
        assert_eq!(utf16_len("😀a"), 3);
        assert_eq!(utf16_len("جبل"), 3);
    }
}
