//! `footnote coverage`: capitalised names in texts that the knowledge base does not cover, most
//! frequent first, so that authors know what to add next.
//!
//! A name is a run of capitalised words, with the connectors of names inside it ("Bank of
//! England", "Bashar al-Assad", "Ursula von der Leyen"). Headlines in title case and text in
//! capitals are skipped, and so is a lone capitalised common word at the start of a sentence.

use crate::{Annotator, CategorySet};
use std::collections::{HashMap, HashSet};

/// Words that join the parts of a name.
const CONNECTORS: &[&str] = &[
    "of", "the", "al", "el", "bin", "bint", "ibn", "abu", "de", "del", "della", "di", "da", "dos",
    "van", "von", "der", "den", "du", "la", "le", "y",
];

/// Counts, over `blocks`, the names no finding covers. `common` holds lowercase common words.
pub fn uncovered_names(
    annotator: &Annotator,
    blocks: &[String],
    common: &HashSet<String>,
) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for block in blocks {
        let covered: Vec<(usize, usize)> = annotator
            .annotate(block, CategorySet::all())
            .iter()
            .map(|f| (f.span.start, f.span.end))
            .collect();
        let mut tokens = tokens(block);
        let words = tokens.iter().filter(|t| t.text.chars().any(char::is_alphabetic)).count();
        let capitalised = tokens.iter().filter(|t| t.capitalised).count();
        if words >= 4 && capitalised * 10 >= words * 8 {
            continue; // a title-case headline or text in capitals
        }
        let mut i = 0;
        while i < tokens.len() {
            if !tokens[i].capitalised || tokens[i].all_caps {
                i += 1;
                continue;
            }
            // "But Hikmat al-Hijri", "The Bank of England": a capitalised common word that only
            // starts the sentence is not part of the name.
            if tokens[i].sentence_start
                && common.contains(&tokens[i].text.to_lowercase())
                && tokens.get(i + 1).is_some_and(|t| t.capitalised && t.joined_to_previous)
            {
                i += 1;
                tokens[i].sentence_start = true;
                continue;
            }
            // Extend over capitalised words and inner connectors.
            let mut j = i + 1;
            let mut end = i;
            while j < tokens.len() {
                if tokens[j].capitalised && !tokens[j].all_caps && tokens[j].joined_to_previous {
                    end = j;
                    j += 1;
                } else if let Some(after) = connectors_then_name(&tokens, j) {
                    j = after;
                } else {
                    break;
                }
            }
            let (start, stop) = (tokens[i].start, tokens[end].end);
            let name = &block[start..stop];
            let single = end == i;
            let skip = single
                && (tokens[i].sentence_start && common.contains(&name.to_lowercase())
                    || name.chars().count() < 3);
            let is_covered = covered.iter().any(|&(s, e)| s < stop && start < e);
            if !skip && !is_covered {
                *counts.entry(name.to_string()).or_default() += 1;
            }
            i = end + 1;
        }
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// If connectors start at `j` and a capitalised word follows them (all joined by spaces), the
/// index of that word.
fn connectors_then_name(tokens: &[Token<'_>], j: usize) -> Option<usize> {
    let mut k = j;
    while let Some(t) = tokens.get(k) {
        if !t.joined_to_previous {
            return None;
        }
        if CONNECTORS.contains(&t.text.to_lowercase().as_str()) {
            k += 1;
        } else {
            return (k > j && t.capitalised && !t.all_caps).then_some(k);
        }
    }
    None
}

struct Token<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    capitalised: bool,
    all_caps: bool,
    sentence_start: bool,
    /// Only spaces (no punctuation) separate it from the previous token.
    joined_to_previous: bool,
}

fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut sentence_start = true;
    let mut only_spaces = false;
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_alphanumeric() {
            let mut end = i;
            while let Some(&(j, d)) = chars.peek() {
                let inner = d == '-' || d == '\'' || d == '’';
                if d.is_alphanumeric() || inner {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let word = text[i..end].trim_end_matches(['-', '\'', '’']);
            let end = i + word.len();
            let first_letter = word.trim_start_matches(|c: char| !c.is_alphabetic());
            // "al-Assad", "el-Sisi": a lowercase prefix before a capitalised name.
            let base = ["al-", "el-", "ad-", "as-", "ash-", "at-", "az-"]
                .iter()
                .find_map(|p| first_letter.strip_prefix(p))
                .unwrap_or(first_letter);
            let capitalised = base.chars().next().is_some_and(char::is_uppercase);
            let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
            let all_caps = letters.len() > 1 && letters.iter().all(|c| c.is_uppercase());
            out.push(Token {
                text: word,
                start: i,
                end,
                capitalised,
                all_caps,
                sentence_start,
                joined_to_previous: only_spaces,
            });
            sentence_start = false;
            only_spaces = true;
        } else {
            if matches!(
                c,
                '.' | '!' | '?' | ':' | ';' | '"' | '“' | '”' | '(' | ')' | '|' | '—' | '–'
            ) {
                if matches!(c, '.' | '!' | '?' | ':' | '"' | '“' | '|' | '—') {
                    sentence_start = true;
                }
                only_spaces = false;
            } else if c != ' ' && c != '\u{a0}' {
                only_spaces = false;
            }
            chars.next();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_names_the_base_lacks() {
        let annotator = Annotator::builtin().unwrap();
        let common: HashSet<String> =
            ["the", "but", "after"].into_iter().map(String::from).collect();
        let blocks = vec![
            "After talks in Paris, Sheikh Farid al-Marwani met the Bank of Ruritania and Hendrika van der Velde.".to_string(),
            "But Farid al-Marwani stayed. The Bank of Ruritania did not.".to_string(),
            "Why The Bank Of Ruritania Matters Now".to_string(),
        ];
        let found = uncovered_names(&annotator, &blocks, &common);
        let names: Vec<(&str, usize)> = found.iter().map(|(n, c)| (n.as_str(), *c)).collect();
        assert_eq!(
            names,
            [
                ("Bank of Ruritania", 2),
                ("Farid al-Marwani", 1),
                ("Hendrika van der Velde", 1),
                ("Sheikh Farid al-Marwani", 1)
            ]
        );
    }
}
