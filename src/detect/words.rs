//! Words as the context and name rules compare them, looked up without allocating.
//!
//! The rules ask a handful of questions about the words around every finding ("is the word
//! before a title?", "is the next one a verb of sports copy?"). Each used to build a lowercased
//! `String` and hash it with SipHash; on news text that was most of the rules' time. A [`Key`]
//! is built on the stack for any word of up to [`Key::INLINE`] bytes, and [`Words`] hashes with
//! a multiply-rotate hash (no denial-of-service concern: the sets hold only the rules' own
//! words, and a page only chooses what is looked up).

use crate::fold::fold;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A set keyed by the rules' own words (or entries), with the fast hash.
pub(crate) type RuleSet<T> = HashSet<T, BuildHasherDefault<WordHasher>>;

/// A map keyed by the rules' own words (or entries), with the fast hash.
pub(crate) type RuleMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A word as rules compare it: folded, lowercased, without a final full stop.
pub(crate) struct Key {
    inline: [u8; Key::INLINE],
    len: usize,
    /// For long or non-ASCII words.
    long: Option<String>,
}

impl Key {
    /// Words up to this many bytes (almost all) are kept on the stack.
    pub const INLINE: usize = 40;

    pub fn of(word: &str) -> Key {
        let word = word.strip_suffix('.').unwrap_or(word);
        let mut key = Key { inline: [0; Key::INLINE], len: 0, long: None };
        if word.is_ascii() {
            if let Some(slot) = key.inline.get_mut(..word.len()) {
                slot.copy_from_slice(word.as_bytes());
                slot.make_ascii_lowercase();
                key.len = word.len();
                return key;
            }
            key.long = Some(word.to_ascii_lowercase());
            return key;
        }
        let folded = fold(word).as_str().to_lowercase();
        key.long = Some(folded.strip_suffix('.').unwrap_or(&folded).to_string());
        key
    }

    pub fn as_str(&self) -> &str {
        match &self.long {
            Some(s) => s,
            // Only ASCII bytes are copied inline.
            None => std::str::from_utf8(self.inline.get(..self.len).unwrap_or(&[])).unwrap_or(""),
        }
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A set of keys (see [`Key`]).
#[derive(Debug, Default)]
pub(crate) struct Words(RuleSet<Box<str>>);

impl Words {
    /// The keys of `words`.
    pub fn of(words: &[String]) -> Words {
        Words(words.iter().map(|w| Box::from(Key::of(w).as_str())).collect())
    }

    /// True when `key` (already a key) is in the set.
    #[inline]
    pub fn contains(&self, key: &str) -> bool {
        !self.0.is_empty() && self.0.contains(key)
    }
}

/// Several word lists in one map: each word with a bit for every list it is on, so that one
/// lookup answers every question the rules ask about a word ("a title? a nationality? a word
/// that starts sentences?").
#[derive(Debug, Default)]
pub(crate) struct WordLists(RuleMap<Box<str>, u16>);

impl WordLists {
    /// Puts the keys of `words` on list `bit`.
    pub fn add(&mut self, words: &[String], bit: u16) {
        for w in words {
            *self.0.entry(Box::from(Key::of(w).as_str())).or_default() |= bit;
        }
    }

    /// The lists `key` (already a key) is on, one bit each.
    #[inline]
    pub fn of(&self, key: &str) -> u16 {
        if self.0.is_empty() {
            return 0;
        }
        self.0.get(key).copied().unwrap_or(0)
    }
}

/// A fast hash for short strings: eight bytes at a time, multiplied and rotated.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last.iter_mut().zip(rest).for_each(|(s, b)| *s = *b);
        let w = u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59);
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_lowercase_and_drop_a_final_full_stop() {
        assert_eq!(Key::of("Gen.").as_str(), "gen");
        assert_eq!(Key::of("PRESIDENT").as_str(), "president");
        assert_eq!(Key::of("Māori").as_str(), "maori");
        assert_eq!(Key::of("Ministère.").as_str(), "ministere");
        let long = "a".repeat(Key::INLINE + 3);
        assert_eq!(Key::of(&long.to_uppercase()).as_str(), long);
        assert_eq!(Key::of("").as_str(), "");
        assert_eq!(Key::of(".").as_str(), "");
    }

    #[test]
    fn sets_find_exactly_their_words() {
        let set = Words::of(&["President".into(), "Gen.".into(), "Ministre".into()]);
        for word in ["president", "gen", "ministre"] {
            assert!(set.contains(word), "{word}");
        }
        for word in ["presiden", "presidents", "", "gen.", "Gen"] {
            assert!(!set.contains(word), "{word}");
        }
        assert!(set.contains(&Key::of("GEN.")));
        assert!(!Words::default().contains("x"));
    }

    #[test]
    fn a_word_on_several_lists_has_each_list_s_bit() {
        let mut lists = WordLists::default();
        lists.add(&["President".into(), "Gen.".into()], 1);
        lists.add(&["said".into(), "President".into()], 4);
        assert_eq!(lists.of("president"), 1 | 4);
        assert_eq!(lists.of("gen"), 1);
        assert_eq!(lists.of("said"), 4);
        assert_eq!(lists.of("presiden"), 0);
        assert_eq!(WordLists::default().of("said"), 0);
    }
}
