//! The neutrality lint: loaded words and scare quotes in summaries.
//!
//! The word list is data (`data/neutrality.toml`), embedded at compile time. A summary may use a
//! listed word only inside an attributed quotation, or, for words marked `attributed`, in a
//! sentence that says whose characterisation it is. Only lowercase occurrences count: a
//! capitalised word inside a sentence is part of a name. Like `schema.rs`, this file is also
//! compiled into `build.rs`.

use super::schema::Entry;
use serde::Deserialize;

/// The maintained list, as written in `data/neutrality.toml`.
const LIST: &str = include_str!("../../data/neutrality.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    cues: Vec<String>,
    word: Vec<Word>,
}

/// A loaded word and the forms it is found in.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Word {
    /// The word, as reported.
    pub text: String,
    /// Every form to look for, lowercase.
    pub forms: Vec<String>,
    /// True when a sentence that attributes the word may use it.
    #[serde(default)]
    pub attributed: bool,
    /// Why it is loaded, for the message.
    pub why: String,
}

/// The lint, ready to run.
#[derive(Debug)]
pub struct Neutrality {
    cues: Vec<String>,
    words: Vec<Word>,
}

/// A half-open range of byte offsets in a summary.
type Range = (usize, usize);

impl Neutrality {
    /// The embedded list. Fails only if `data/neutrality.toml` itself is malformed.
    pub fn builtin() -> Result<Neutrality, String> {
        let file: ListFile = toml::from_str(LIST)
            .map_err(|e| format!("data/neutrality.toml: {}", e.to_string().trim_end()))?;
        Ok(Neutrality { cues: file.cues, words: file.word })
    }

    /// The problems in `entry`'s summary, one message each.
    pub fn check(&self, entry: &Entry) -> Vec<String> {
        let text = &entry.summary;
        let mut problems = Vec::new();
        let quotes = quoted_ranges(text);
        for sentence in sentences(text) {
            let s = &text[sentence.0..sentence.1];
            let attributed = self.is_attributed(s);
            for word in &self.words {
                for form in &word.forms {
                    for at in find_lowercase_word(s, form) {
                        let at = sentence.0 + at;
                        let in_quote = quotes.iter().any(|q| q.0 <= at && at < q.1);
                        let allowed = attributed && (in_quote || word.attributed);
                        if !allowed {
                            let how = if word.attributed {
                                "without saying whose word it is"
                            } else {
                                "outside an attributed quotation"
                            };
                            problems.push(format!(
                                "summary uses the loaded word \"{form}\" {how} ({})",
                                word.why
                            ));
                        }
                    }
                }
            }
            for q in quotes.iter().filter(|q| sentence.0 <= q.0 && q.1 <= sentence.1) {
                let inner = &text[q.0..q.1];
                let words = inner.split_whitespace().count();
                if (1..=2).contains(&words) && !attributed {
                    problems.push(format!(
                        "summary puts \"{}\" in quotation marks without saying whose words they are (scare quotes)",
                        inner.trim_matches(|c| QUOTES.contains(&c))
                    ));
                }
            }
        }
        problems.dedup();
        problems
    }

    fn is_attributed(&self, sentence: &str) -> bool {
        let lower = sentence.to_lowercase();
        self.cues.iter().any(|c| lower.contains(c.as_str()))
    }
}

const QUOTES: [char; 3] = ['"', '“', '”'];

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: [&str; 12] =
    ["Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "No", "St", "Jan", "Feb", "Dec"];

/// The ranges of double-quoted passages, quotes included.
fn quoted_ranges(text: &str) -> Vec<Range> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let is_open = c == '“' || (c == '"' && open.is_none());
        let is_close = c == '”' || (c == '"' && open.is_some());
        if is_close {
            if let Some(start) = open.take() {
                out.push((start, i + c.len_utf8()));
            }
        } else if is_open {
            open = Some(i);
        }
    }
    out
}

/// Sentence ranges: cut after `.`, `!` or `?` (and closing quotes) followed by white space and a
/// capital, except after single capitals ("U.S.") and common abbreviations.
fn sentences(text: &str) -> Vec<Range> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        if matches!(c, '.' | '!' | '?') {
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')') {
                j += 1;
            }
            let next_is_capital = chars.get(j).is_some_and(|(_, c)| c.is_whitespace())
                && chars[j..]
                    .iter()
                    .find(|(_, c)| !c.is_whitespace())
                    .is_some_and(|(_, c)| c.is_uppercase());
            let mut word: Vec<char> = chars[..i]
                .iter()
                .rev()
                .map(|(_, c)| *c)
                .take_while(|c| c.is_alphanumeric())
                .collect();
            word.reverse();
            let word: String = word.into_iter().collect();
            let abbreviation = word.chars().count() == 1 || ABBREVIATIONS.contains(&word.as_str());
            if next_is_capital && !(c == '.' && abbreviation) {
                let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
                out.push((start, end));
                start = end;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Byte offsets in `s` where `form` (lowercase) occurs as whole words, written in lowercase.
fn find_lowercase_word(s: &str, form: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = s.get(from..).and_then(|rest| rest.find(form)) {
        let at = from + pos;
        let end = at + form.len();
        let before = s[..at].chars().next_back();
        let after = s[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-'));
        if boundary(before) && boundary(after) {
            out.push(at);
        }
        from = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::schema::{Category, Entry};

    fn entry(summary: &str) -> Entry {
        Entry {
            id: "x".into(),
            category: Category::Place,
            name: "X".into(),
            aliases: vec![],
            summary: summary.into(),
            usages: vec![],
            alternatives: vec![],
            sources: vec![],
            reviewed: "2026-01-01".into(),
            generated: false,
        }
    }

    fn lint(summary: &str) -> Vec<String> {
        Neutrality::builtin().unwrap().check(&entry(summary))
    }

    #[test]
    fn loaded_words() {
        assert_eq!(lint("The regime fell in 2024.").len(), 1);
        assert!(lint("The government fell in 2024.").is_empty());
        // Capitalised inside a sentence: part of a name.
        assert!(lint("It signed with the Palestine Liberation Organization.").is_empty());
        // Attributed words may be used in an attributing sentence.
        assert_eq!(lint("A terrorist group active in Syria.").len(), 1);
        assert!(
            lint("The United States designated it a terrorist organisation in 1997.").is_empty()
        );
        // Not attributable words: only inside an attributed quotation.
        assert_eq!(lint("Critics call it a brutal campaign.").len(), 1);
        assert!(lint("Critics call it \"a brutal campaign\".").is_empty());
        assert!(lint("Its name means heroism.").is_empty(), "whole words only");
    }

    #[test]
    fn scare_quotes() {
        assert_eq!(lint("Israel's \"security\" operations continued.").len(), 1);
        assert!(lint("The statement calls it a \"joint fusion mechanism\".").is_empty());
        assert!(lint("Resolution 497 declared it \"null and void and without international legal effect\".").is_empty());
    }

    #[test]
    fn sentences_split_like_prose() {
        let t = "The U.S. agreed. Then Syria did.";
        assert_eq!(sentences(t).len(), 2);
    }
}
