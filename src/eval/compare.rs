//! Side by side: the core and the `compromise` library (npm, run in Node by
//! `scripts/eval-compromise.mjs`) on the same labelled texts, for the three kinds of names both
//! find: people, places and organisations.
//!
//! Both systems are scored the same way: a finding is right when a labelled occurrence of the
//! same kind has exactly its span (for the core, a label with an entry must also name the
//! entry it found). Recall is given over every labelled name, and over the names the knowledge
//! base covers.

use super::labels::{Kind, Labelled};
use super::{Class, Counts, Found};
use crate::Category;
use crate::span::Span;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// The kinds compared.
pub const KINDS: [Kind; 3] = [Kind::Person, Kind::Place, Kind::Organisation];

/// A system's counts by kind: over every labelled name, and over those the knowledge base
/// covers (only `found` and `missed` are meaningful there).
#[derive(Clone, Debug, Default)]
pub struct NameScore {
    /// Every labelled name.
    pub all: BTreeMap<Kind, Counts>,
    /// Names whose label has an entry.
    pub covered: BTreeMap<Kind, Counts>,
}

impl NameScore {
    /// The counts of the three kinds together.
    pub fn total(map: &BTreeMap<Kind, Counts>) -> Counts {
        let mut c = Counts::default();
        for counts in map.values() {
            c.right += counts.right;
            c.wrong += counts.wrong;
            c.found += counts.found;
            c.missed += counts.missed;
        }
        c
    }
}

/// The kind of name a finding is, if it is one of [`KINDS`].
fn name_kind(f: &Found) -> Option<Kind> {
    match f.class {
        Class::Kb(Category::Person) | Class::LongTail(Kind::Person) => Some(Kind::Person),
        Class::Kb(Category::Place) | Class::LongTail(Kind::Place) => Some(Kind::Place),
        Class::Kb(Category::Organisation) | Class::LongTail(Kind::Organisation) => {
            Some(Kind::Organisation)
        }
        _ => None,
    }
}

/// Scores the name findings `found` of one system in `text`, adding to `score`.
pub fn score_names(text: &Labelled, found: &[Found], score: &mut NameScore) {
    let region = text.region;
    let names: Vec<_> = text.occurrences.iter().filter(|o| KINDS.contains(&o.kind)).collect();
    let mut hit = vec![false; names.len()];
    for f in found {
        let Some(kind) = name_kind(f) else { continue };
        if f.span.start < region.start || f.span.end > region.end {
            continue;
        }
        let mut right = false;
        for (i, o) in names.iter().enumerate() {
            let entry_ok = o.entry.is_none() || f.entry.is_none() || o.entry == f.entry;
            // The core's entry decides its kind where a label files a name under another
            // kind than its entry's category.
            let kind_ok = o.kind == kind || (o.entry.is_some() && o.entry == f.entry);
            if o.span == f.span && entry_ok && kind_ok {
                right = true;
                if let Some(h) = hit.get_mut(i) {
                    *h = true;
                }
            }
        }
        let counts = score.all.entry(kind).or_default();
        if right {
            counts.right += 1;
        } else {
            counts.wrong += 1;
        }
    }
    for (o, hit) in names.iter().zip(hit) {
        let mut maps = vec![&mut score.all];
        if o.entry.is_some() {
            maps.push(&mut score.covered);
        }
        for map in maps {
            let counts = map.entry(o.kind).or_default();
            if hit {
                counts.found += 1;
            } else {
                counts.missed += 1;
            }
        }
    }
}

/// Runs compromise over the evaluated region of every text, one block (line) at a time, and
/// returns its findings per text, with spans in UTF-8 bytes of each text. `root` is the
/// repository, where `scripts/eval-compromise.mjs` and `node_modules/` are.
pub fn run_compromise(root: &Path, texts: &[Labelled]) -> Result<Vec<Vec<Found>>, String> {
    // Every block of every region, with where it starts.
    let mut blocks: Vec<(usize, usize, &str)> = Vec::new();
    for (t, text) in texts.iter().enumerate() {
        let region = text.text.get(text.region.start..text.region.end).unwrap_or("");
        let mut at = text.region.start;
        for line in region.split('\n') {
            blocks.push((t, at, line));
            at += line.len() + 1;
        }
    }
    let input = serde_json::to_string(&blocks.iter().map(|b| b.2).collect::<Vec<_>>())
        .map_err(|e| e.to_string())?;
    let script = root.join("scripts/eval-compromise.mjs");
    let mut child = Command::new("node")
        .arg(&script)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run node (needed for the compromise comparison): {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).map_err(|e| format!("cannot write to node: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("node failed: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{} failed (run npm ci first): {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let per_block: Vec<Vec<(usize, usize, String)>> = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cannot read what compromise found: {e}"))?;
    if per_block.len() != blocks.len() {
        return Err(format!(
            "compromise answered for {} blocks, not {}",
            per_block.len(),
            blocks.len()
        ));
    }
    let mut found: Vec<Vec<Found>> = vec![Vec::new(); texts.len()];
    for ((t, offset, _), spans) in blocks.iter().zip(per_block) {
        for (start, end, kind) in spans {
            let kind = match kind.as_str() {
                "person" => Kind::Person,
                "place" => Kind::Place,
                "organisation" => Kind::Organisation,
                other => return Err(format!("compromise gave an unknown kind \"{other}\"")),
            };
            if let Some(list) = found.get_mut(*t) {
                list.push(Found {
                    span: Span::new(offset + start, offset + end),
                    class: Class::LongTail(kind),
                    entry: None,
                });
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::labels::Occurrence;

    #[test]
    fn both_systems_are_scored_alike() {
        let t = "Jordan Henderson met Ayman Safadi in Amman.";
        let occ = |needle: &str, kind, entry: Option<&str>| {
            let s = t.find(needle).unwrap();
            Occurrence {
                span: Span::new(s, s + needle.len()),
                kind,
                entry: entry.map(str::to_string),
                label: needle.into(),
            }
        };
        let text = Labelled {
            name: "t".into(),
            language: "en".into(),
            text: t.into(),
            region: Span::new(0, t.len()),
            occurrences: vec![
                occ("Jordan Henderson", Kind::Person, None),
                occ("Ayman Safadi", Kind::Person, Some("ayman-safadi")),
                occ("Amman", Kind::Place, Some("amman")),
            ],
        };
        let at = |needle: &str, class, entry: Option<&str>| {
            let s = t.find(needle).unwrap();
            Found { span: Span::new(s, s + needle.len()), class, entry: entry.map(str::to_string) }
        };
        let ours = vec![
            at("Jordan", Class::Kb(Category::Place), Some("jordan")),
            at("Ayman Safadi", Class::Kb(Category::Person), Some("ayman-safadi")),
            at("Amman", Class::Kb(Category::Place), Some("amman")),
        ];
        let theirs = vec![
            at("Jordan Henderson", Class::LongTail(Kind::Person), None),
            at("Ayman Safadi in", Class::LongTail(Kind::Person), None),
        ];
        let (mut a, mut b) = (NameScore::default(), NameScore::default());
        score_names(&text, &ours, &mut a);
        score_names(&text, &theirs, &mut b);
        assert_eq!(NameScore::total(&a.all), Counts { right: 2, wrong: 1, found: 2, missed: 1 });
        assert_eq!(
            NameScore::total(&a.covered),
            Counts { right: 0, wrong: 0, found: 2, missed: 0 }
        );
        assert_eq!(NameScore::total(&b.all), Counts { right: 1, wrong: 1, found: 1, missed: 2 });
        assert_eq!(
            NameScore::total(&b.covered),
            Counts { right: 0, wrong: 0, found: 0, missed: 2 }
        );
    }
}
