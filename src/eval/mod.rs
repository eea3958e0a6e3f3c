//! `footnote eval`: how well the core finds what the labelled texts say a reader needs
//! explained (the labels are described in `tests/eval/README.md`).
//!
//! Every finding in a text's evaluated region is compared with the labelled occurrences there:
//! a finding is right when an occurrence has exactly its span and (for a knowledge-base label)
//! its entry. Labelled occurrences that overlap one another (a person inside a contested term,
//! a name inside scare quotes) form one *mention*: the findings of a text never overlap, so at
//! most one of them can be found, and any one of them satisfies the reader. A mention is
//! *covered* by the knowledge base when one of its labels names an entry; recall is measured
//! over covered mentions. Labels without an entry (names the base lacks) and framing labels
//! are classes the core does not detect yet: they are counted, never held against the
//! knowledge base, and a finding that lands exactly on one is not a false positive.

pub mod compare;
pub mod labels;
pub mod run;

use crate::span::Span;
use crate::{Annotator, Category, CategorySet};
use labels::{Kind, Labelled, Occurrence};
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a finding or a labelled occurrence is scored as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// A knowledge-base entry of this category.
    Kb(Category),
    /// A name of this kind that the knowledge base lacks (the long-tail category).
    LongTail(Kind),
    /// A framing or sourcing device (one of [`labels::FRAMING`]).
    Framing(&'static str),
}

impl Class {
    /// The class's name in reports.
    pub fn name(self) -> String {
        match self {
            Class::Kb(c) => c.as_str().to_string(),
            Class::LongTail(k) => format!("long-tail {}", k.as_str()),
            Class::Framing(f) => f.to_string(),
        }
    }
}

/// One finding of a system in a text: where, what, and which entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Where, in UTF-8 bytes of the labelled text.
    pub span: Span,
    /// What the finding says it is.
    pub class: Class,
    /// The entry it points at (for knowledge-base findings).
    pub entry: Option<String>,
}

/// The findings of the core in `text`, searched block by block (one block per line), as the
/// extension searches a page, long-tail names included.
pub fn core_findings(annotator: &Annotator, text: &str) -> Vec<Found> {
    let blocks = text.replace('\n', &crate::BLOCK_SEPARATOR.to_string());
    // Framing is asked for on its own, as a reader switches it on: its quotations would hide
    // the names inside them from the entity scores.
    let framing = annotator
        .annotate(&blocks, CategorySet::all())
        .into_iter()
        .filter(|f| f.category == Category::Framing)
        .filter_map(|f| {
            let entry = annotator.entry(f.entry)?;
            // Quotations checked against a stored text are scored by their own tests
            // (tests/data/quotes.toml), not by labels.
            let device = labels::FRAMING.iter().find(|d| **d == entry.id)?;
            Some(Found {
                span: f.span,
                class: Class::Framing(device),
                entry: Some(entry.id.clone()),
            })
        });
    annotator
        .annotate(&blocks, CategorySet::all_except(Category::Framing).with_names())
        .into_iter()
        .filter_map(|f| {
            if let Some(kind) = f.unknown() {
                let kind = match kind {
                    crate::NameKind::Person => Kind::Person,
                    crate::NameKind::Organisation => Kind::Organisation,
                    crate::NameKind::Place => Kind::Place,
                };
                return Some(Found { span: f.span, class: Class::LongTail(kind), entry: None });
            }
            let entry = annotator.entry(f.entry)?;
            Some(Found {
                span: f.span,
                class: Class::Kb(f.category),
                entry: Some(entry.id.clone()),
            })
        })
        .chain(framing)
        .collect()
}

/// Precision and recall counts of one class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Findings that are right.
    pub right: usize,
    /// Findings that are wrong.
    pub wrong: usize,
    /// Labelled mentions that were found.
    pub found: usize,
    /// Labelled mentions that were missed.
    pub missed: usize,
}

impl Counts {
    /// Right findings among all findings, when there are findings.
    pub fn precision(&self) -> Option<f64> {
        let all = self.right + self.wrong;
        (all > 0).then(|| self.right as f64 / all as f64)
    }

    /// Found mentions among all labelled mentions, when there are any.
    pub fn recall(&self) -> Option<f64> {
        let all = self.found + self.missed;
        (all > 0).then(|| self.found as f64 / all as f64)
    }

    fn add(&mut self, other: &Counts) {
        self.right += other.right;
        self.wrong += other.wrong;
        self.found += other.found;
        self.missed += other.missed;
    }
}

/// A wrong finding or a missed mention, for the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    /// The text's name.
    pub text: String,
    /// Where.
    pub span: Span,
    /// The words there.
    pub words: String,
    /// What was expected there ("place syria", "nothing").
    pub expected: String,
    /// What was found there ("person bashar-al-assad", "nothing").
    pub found: String,
    /// A little of the text around it, on one line.
    pub context: String,
}

/// The score of one system over texts.
#[derive(Clone, Debug, Default)]
pub struct Score {
    /// Counts by class.
    pub classes: BTreeMap<Class, Counts>,
    /// Wrong findings.
    pub false_positives: Vec<Miss>,
    /// Missed knowledge-base mentions.
    pub false_negatives: Vec<Miss>,
    /// Findings exactly on a label that names no entry, of the finding's kind: the base has an
    /// entry the label lacks (or the entry is wrong): check the label.
    pub unlabelled_entries: Vec<Miss>,
}

impl Score {
    /// The counts of every knowledge-base class together.
    pub fn knowledge_base(&self) -> Counts {
        let mut all = Counts::default();
        for (class, counts) in &self.classes {
            if matches!(class, Class::Kb(_)) {
                all.add(counts);
            }
        }
        all
    }

    /// The counts of every long-tail class together.
    pub fn long_tail(&self) -> Counts {
        let mut all = Counts::default();
        for (class, counts) in &self.classes {
            if matches!(class, Class::LongTail(_)) {
                all.add(counts);
            }
        }
        all
    }

    fn class(&mut self, class: Class) -> &mut Counts {
        self.classes.entry(class).or_default()
    }
}

/// Maps an entry id to its category (the labels name entries by id).
pub type CategoryOf<'a> = &'a dyn Fn(&str) -> Option<Category>;

/// The class a labelled occurrence is scored in: its entry's category for knowledge-base
/// labels, its device for framing, else the long-tail class of its kind.
fn class_of(o: &Occurrence, category_of: CategoryOf<'_>) -> Class {
    if o.kind == Kind::Framing {
        let device = labels::FRAMING.iter().find(|f| Some(**f) == o.entry.as_deref());
        return Class::Framing(device.copied().unwrap_or("framing"));
    }
    match o.entry.as_deref().and_then(category_of) {
        Some(c) => Class::Kb(c),
        None => Class::LongTail(o.kind),
    }
}

/// The kind of name a class of finding is, for matching it with labels without an entry.
fn kind_of(class: Class) -> Option<Kind> {
    match class {
        Class::Kb(Category::Person) => Some(Kind::Person),
        Class::Kb(Category::Organisation) => Some(Kind::Organisation),
        Class::Kb(Category::Place) => Some(Kind::Place),
        Class::Kb(Category::Document) => Some(Kind::Document),
        Class::Kb(Category::Term) => Some(Kind::Term),
        Class::Kb(Category::Framing) => Some(Kind::Framing),
        Class::LongTail(k) => Some(k),
        Class::Framing(_) => Some(Kind::Framing),
    }
}

/// Scores `found` (findings anywhere in the text) against the labels of `text`, adding to
/// `score`.
pub fn score_text(
    text: &Labelled,
    found: &[Found],
    category_of: CategoryOf<'_>,
    score: &mut Score,
) {
    let region = text.region;
    let found: Vec<&Found> =
        found.iter().filter(|f| f.span.start >= region.start && f.span.end <= region.end).collect();
    let occurrences = &text.occurrences;
    let mut hit = vec![false; occurrences.len()];
    let describe_labels = |span: Span| -> String {
        let over: Vec<String> = occurrences
            .iter()
            .filter(|o| o.span.start < span.end && span.start < o.span.end)
            .map(|o| {
                let what = o.entry.clone().unwrap_or_else(|| "no entry".into());
                format!("\"{}\" {} {what}", o.label, o.kind.as_str())
            })
            .collect();
        if over.is_empty() { "nothing".into() } else { over.join("; ") }
    };
    let describe_found = |span: Span| -> String {
        let over: Vec<String> = found
            .iter()
            .filter(|f| f.span.start < span.end && span.start < f.span.end)
            .map(|f| {
                let entry = f.entry.clone().unwrap_or_default();
                format!("\"{}\" {} {entry}", words(&text.text, f.span), f.class.name())
            })
            .collect();
        if over.is_empty() { "nothing".into() } else { over.join("; ") }
    };
    let miss = |span: Span, expected: String, found: String| Miss {
        text: text.name.clone(),
        span,
        words: words(&text.text, span),
        expected,
        found,
        context: context(&text.text, span),
    };
    for f in &found {
        let kind = kind_of(f.class);
        let mut right = false;
        let mut unlabelled = false;
        for (i, o) in occurrences.iter().enumerate() {
            if o.span != f.span {
                continue;
            }
            let matches = match (o.kind, &o.entry, class_of(o, category_of)) {
                // A device: any finding exactly on it explains it (such as the term entry
                // for "Israel" in quotation marks).
                (Kind::Framing, _, _) => true,
                (_, Some(_), Class::Kb(_)) => o.entry == f.entry,
                (_, _, Class::LongTail(k)) if Some(k) == kind => {
                    unlabelled = f.entry.is_some();
                    true
                }
                _ => false,
            };
            if matches {
                if let Some(h) = hit.get_mut(i) {
                    *h = true;
                }
                right = true;
            }
        }
        if unlabelled && matches!(f.class, Class::Kb(_)) {
            // Neither right nor wrong: the label has to say.
            score.unlabelled_entries.push(miss(
                f.span,
                describe_labels(f.span),
                describe_found(f.span),
            ));
            continue;
        }
        let counts = score.class(f.class);
        if right {
            counts.right += 1;
        } else {
            counts.wrong += 1;
            score.false_positives.push(miss(
                f.span,
                describe_labels(f.span),
                describe_found(f.span),
            ));
        }
    }
    // Mentions: occurrences that overlap one another, transitively.
    let mut i = 0;
    while i < occurrences.len() {
        let mut end = occurrences.get(i).map_or(0, |o| o.span.end);
        let mut j = i + 1;
        while let Some(o) = occurrences.get(j) {
            if o.span.start >= end {
                break;
            }
            end = end.max(o.span.end);
            j += 1;
        }
        let members: Vec<usize> = (i..j).collect();
        i = j;
        let kb: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| {
                occurrences.get(m).is_some_and(|o| matches!(class_of(o, category_of), Class::Kb(_)))
            })
            .collect();
        let any_hit = members.iter().any(|&m| hit.get(m).copied().unwrap_or(false));
        if let Some(&first) =
            kb.iter().max_by_key(|&&m| occurrences.get(m).map_or(0, |o| o.span.end - o.span.start))
        {
            // Scored in the class of the knowledge-base label that was found, else of the
            // longest one.
            let shown =
                kb.iter().copied().find(|&m| hit.get(m).copied().unwrap_or(false)).unwrap_or(first);
            let Some(o) = occurrences.get(shown) else { continue };
            let class = class_of(o, category_of);
            if any_hit {
                score.class(class).found += 1;
            } else {
                score.class(class).missed += 1;
                let expected = format!("{} {}", class.name(), o.entry.clone().unwrap_or_default());
                score.false_negatives.push(miss(o.span, expected, describe_found(o.span)));
            }
        } else {
            // Classes the core does not detect yet: each occurrence on its own.
            for m in members {
                let Some(o) = occurrences.get(m) else { continue };
                let counts = score.class(class_of(o, category_of));
                if hit.get(m).copied().unwrap_or(false) {
                    counts.found += 1;
                } else {
                    counts.missed += 1;
                }
            }
        }
    }
}

/// The words of `text` at `span`, on one line.
fn words(text: &str, span: Span) -> String {
    text.get(span.start..span.end).unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Up to 40 characters on either side of `span`, on one line, the span in brackets.
fn context(text: &str, span: Span) -> String {
    let before: String = {
        let b = text.get(..span.start).unwrap_or("");
        let start = b.char_indices().rev().nth(39).map_or(0, |(i, _)| i);
        b.get(start..).unwrap_or("").to_string()
    };
    let after: String = text.get(span.end..).unwrap_or("").chars().take(40).collect();
    let line = format!("{before}[{}]{after}", text.get(span.start..span.end).unwrap_or(""));
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What CI requires of the core (`tests/eval/thresholds.toml`).
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Knowledge-base entities: precision of findings, recall of covered mentions.
    pub knowledge_base: Minimum,
    /// Long-tail names, once the core detects them.
    pub long_tail: Option<Minimum>,
    /// On texts not in English, only proper names may be found (no terms, no framing).
    pub only_names_unless_english: bool,
    /// Nothing may be found inside code or preformatted blocks of a page.
    pub nothing_in_code: bool,
    /// The core's precision and recall of names must be higher than compromise's.
    pub beat_compromise: bool,
}

/// Lowest acceptable precision and recall.
#[derive(Deserialize, Debug, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct Minimum {
    /// Lowest precision.
    pub precision: Option<f64>,
    /// Lowest recall.
    pub recall: Option<f64>,
}

impl Minimum {
    /// The failures of `counts` against this minimum, as sentences.
    pub fn check(&self, what: &str, counts: &Counts) -> Vec<String> {
        let mut out = Vec::new();
        for (name, min, value) in [
            ("precision", self.precision, counts.precision()),
            ("recall", self.recall, counts.recall()),
        ] {
            match (min, value) {
                (Some(min), Some(v)) if v < min => {
                    out.push(format!("{what} {name} {v:.3} is below {min:.2}"));
                }
                (Some(min), None) => {
                    out.push(format!("{what} {name} cannot be measured (nothing found or labelled); it must be at least {min:.2}"));
                }
                _ => {}
            }
        }
        out
    }
}

/// Findings that a text in another language than English must not have: anything but a
/// proper name (a person, an organisation, a place, a document).
pub fn not_names<'a>(text: &Labelled, found: &'a [Found]) -> Vec<&'a Found> {
    if text.language == "en" {
        return Vec::new();
    }
    found
        .iter()
        .filter(|f| {
            !matches!(
                f.class,
                Class::Kb(
                    Category::Person
                        | Category::Organisation
                        | Category::Place
                        | Category::Document
                ) | Class::LongTail(
                    Kind::Person | Kind::Organisation | Kind::Place | Kind::Document
                )
            )
        })
        .collect()
}

/// Elements whose content is code or preformatted text.
const CODE: [&str; 4] = ["pre", "code", "kbd", "samp"];

/// Checks that nothing inside code or preformatted blocks of `html` is found: puts a name the
/// knowledge base knows (`probe`, found `probe_entry`) at the start of every such element and
/// annotates the page as `footnote annotate` does. Returns the number of such elements and
/// the number of probes found (which must be 0).
pub fn probe_code(
    annotator: &Annotator,
    html: &str,
    probe: &str,
    probe_entry: &str,
) -> (usize, usize) {
    let count = |page: &str| {
        let text = crate::html::text_blocks(page).join("\n");
        core_findings(annotator, &text)
            .iter()
            .filter(|f| f.entry.as_deref() == Some(probe_entry))
            .count()
    };
    let (probed, elements) = insert_after_open_tags(html, &CODE, &format!(" {probe} "));
    if elements == 0 {
        return (0, 0);
    }
    (elements, count(&probed).saturating_sub(count(html)))
}

/// `html` with `insert` after the opening tag of every element named in `names` (ASCII case
/// ignored), and how many there were.
fn insert_after_open_tags(html: &str, names: &[&str], insert: &str) -> (String, usize) {
    let mut out = String::with_capacity(html.len());
    let mut count = 0;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let (before, tag) = rest.split_at(lt);
        out.push_str(before);
        let name_len =
            tag.get(1..).unwrap_or("").find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(0);
        let name = tag.get(1..1 + name_len).unwrap_or("").to_ascii_lowercase();
        let Some(gt) = tag.find('>') else {
            out.push_str(tag);
            return (out, count);
        };
        out.push_str(tag.get(..=gt).unwrap_or(""));
        if names.contains(&name.as_str()) && !tag.get(..gt).unwrap_or("").ends_with('/') {
            out.push_str(insert);
            count += 1;
        }
        rest = tag.get(gt + 1..).unwrap_or("");
    }
    out.push_str(rest);
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use labels::Occurrence;

    fn labelled(text: &str, occurrences: Vec<Occurrence>) -> Labelled {
        Labelled {
            name: "t".into(),
            language: "en".into(),
            text: text.into(),
            region: Span::new(0, text.len()),
            occurrences,
        }
    }

    fn at(text: &str, needle: &str, kind: Kind, entry: Option<&str>) -> Occurrence {
        let start = text.find(needle).unwrap();
        Occurrence {
            span: Span::new(start, start + needle.len()),
            kind,
            entry: entry.map(str::to_string),
            label: needle.into(),
        }
    }

    fn found(text: &str, needle: &str, category: Category, entry: &str) -> Found {
        let start = text.find(needle).unwrap();
        Found {
            span: Span::new(start, start + needle.len()),
            class: Class::Kb(category),
            entry: Some(entry.into()),
        }
    }

    fn category_of(id: &str) -> Option<Category> {
        match id {
            "iran" | "israel" | "jordan" => Some(Category::Place),
            "assad" => Some(Category::Person),
            "regime" | "iran-backed" | "israel-quoted" => Some(Category::Term),
            _ => None,
        }
    }

    #[test]
    fn right_wrong_and_missed() {
        let t = "Iran and Jordan Henderson met Jordan officials.";
        let j = t.rfind("Jordan").unwrap();
        let text = labelled(
            t,
            vec![
                at(t, "Iran", Kind::Place, Some("iran")),
                at(t, "Jordan Henderson", Kind::Person, None),
                // The second "Jordan", in "Jordan officials".
                Occurrence {
                    span: Span::new(j, j + 6),
                    kind: Kind::Place,
                    entry: Some("jordan".into()),
                    label: "Jordan".into(),
                },
            ],
        );
        let findings = vec![
            found(t, "Iran", Category::Place, "iran"),
            found(t, "Jordan", Category::Place, "jordan"), // inside "Jordan Henderson"
        ];
        let mut score = Score::default();
        score_text(&text, &findings, &category_of, &mut score);
        let place = score.classes[&Class::Kb(Category::Place)];
        assert_eq!(place, Counts { right: 1, wrong: 1, found: 1, missed: 1 });
        assert_eq!(score.false_positives.len(), 1);
        assert_eq!(score.false_positives[0].words, "Jordan");
        assert!(
            score.false_positives[0].expected.contains("Jordan Henderson"),
            "{:?}",
            score.false_positives
        );
        assert_eq!(score.false_negatives.len(), 1);
        assert_eq!(score.false_negatives[0].span.start, j);
        // The long-tail person is counted, not held against the knowledge base.
        assert_eq!(score.classes[&Class::LongTail(Kind::Person)].missed, 1);
        assert_eq!(score.knowledge_base(), Counts { right: 1, wrong: 1, found: 1, missed: 1 });
    }

    #[test]
    fn overlapping_labels_are_one_mention() {
        let t = "the Assad regime and Iran-backed groups";
        let text = labelled(
            t,
            vec![
                at(t, "Assad", Kind::Person, Some("assad")),
                at(t, "Assad regime", Kind::Term, Some("regime")),
                at(t, "Iran", Kind::Place, Some("iran")),
                at(t, "Iran-backed groups", Kind::Term, Some("iran-backed")),
            ],
        );
        let mut text = text;
        text.occurrences.sort_by_key(|o| (o.span.start, o.span.end));
        let findings = vec![
            found(t, "Assad regime", Category::Term, "regime"),
            found(t, "Iran", Category::Place, "iran"),
        ];
        let mut score = Score::default();
        score_text(&text, &findings, &category_of, &mut score);
        assert!(score.false_negatives.is_empty(), "{:?}", score.false_negatives);
        assert!(score.false_positives.is_empty(), "{:?}", score.false_positives);
        assert_eq!(score.classes[&Class::Kb(Category::Term)].found, 1);
        assert_eq!(score.classes[&Class::Kb(Category::Place)].found, 1);
        assert_eq!(score.knowledge_base().found, 2);
    }

    #[test]
    fn a_finding_on_a_framing_label_is_not_wrong() {
        let t = "a company that dealt with “Israel” and";
        let mut text = labelled(
            t,
            vec![
                at(t, "“Israel”", Kind::Framing, Some("framing-scare-quotes")),
                at(t, "Israel", Kind::Place, Some("israel")),
            ],
        );
        text.occurrences.sort_by_key(|o| (o.span.start, o.span.end));
        let findings = vec![found(t, "“Israel”", Category::Term, "israel-quoted")];
        let mut score = Score::default();
        score_text(&text, &findings, &category_of, &mut score);
        assert!(score.false_positives.is_empty());
        assert!(score.false_negatives.is_empty());
        assert_eq!(score.knowledge_base().found, 1);
    }

    #[test]
    fn findings_outside_the_region_do_not_count() {
        let t = "Iran. Iran.";
        let mut text = labelled(t, vec![at(t, "Iran", Kind::Place, Some("iran"))]);
        text.region = Span::new(0, 5);
        let findings = vec![
            found(t, "Iran", Category::Place, "iran"),
            Found {
                span: Span::new(6, 10),
                class: Class::Kb(Category::Place),
                entry: Some("iran".into()),
            },
        ];
        let mut score = Score::default();
        score_text(&text, &findings, &category_of, &mut score);
        assert_eq!(score.knowledge_base(), Counts { right: 1, wrong: 0, found: 1, missed: 0 });
    }

    #[test]
    fn a_finding_on_a_label_without_entry_asks_for_the_label() {
        let t = "in Moscow";
        let text = labelled(t, vec![at(t, "Moscow", Kind::Place, None)]);
        let findings = vec![found(t, "Moscow", Category::Place, "moscow")];
        let mut score = Score::default();
        score_text(&text, &findings, &category_of, &mut score);
        assert_eq!(score.knowledge_base(), Counts::default());
        assert_eq!(score.unlabelled_entries.len(), 1);
    }

    #[test]
    fn minimums() {
        let m = Minimum { precision: Some(0.97), recall: Some(0.9) };
        let good = Counts { right: 97, wrong: 3, found: 9, missed: 1 };
        assert!(m.check("kb", &good).is_empty());
        let bad = Counts { right: 96, wrong: 4, found: 8, missed: 2 };
        assert_eq!(m.check("kb", &bad).len(), 2);
        assert_eq!(m.check("kb", &Counts::default()).len(), 2);
    }

    #[test]
    fn probes_go_inside_code_elements() {
        let (html, n) = insert_after_open_tags(
            "<p>a <code class=x>b</code> <PRE>c</PRE><br/><codex>d</codex></p>",
            &CODE,
            "!",
        );
        assert_eq!(n, 2);
        assert_eq!(html, "<p>a <code class=x>!b</code> <PRE>!c</PRE><br/><codex>d</codex></p>");
    }
}
