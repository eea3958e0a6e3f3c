//! Label files: what a careful reader would want explained in a text, written by hand (the
//! format is described in `tests/eval/README.md`).
//!
//! Loading a label file reads the text it labels (a plain text, or an HTML page reduced to its
//! visible text as [`crate::html::text_blocks`] extracts it, one block per line), finds the
//! evaluated region between the `from` and `to` markers, and turns every `[[mention]]` into the
//! occurrences it stands for. Every problem is reported with the file, the mention and what is
//! wrong: a label that does not say what its writer meant would make every score after it wrong.

use crate::span::Span;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The framing and sourcing devices a `framing` mention may name.
pub const FRAMING: [&str; 4] =
    ["framing-scare-quotes", "framing-so-called", "framing-unnamed-source", "framing-attribution"];

/// What a mention is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A named person or community.
    Person,
    /// A named organisation.
    Organisation,
    /// A named place.
    Place,
    /// A named document or agreement.
    Document,
    /// A contested or loaded term (always in the knowledge base).
    Term,
    /// A framing or sourcing device.
    Framing,
}

impl Kind {
    /// Every kind, in the order reports show them.
    pub const ALL: [Kind; 6] =
        [Kind::Person, Kind::Organisation, Kind::Place, Kind::Document, Kind::Term, Kind::Framing];

    /// The kind's name in label files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Organisation => "organisation",
            Kind::Place => "place",
            Kind::Document => "document",
            Kind::Term => "term",
            Kind::Framing => "framing",
        }
    }

    fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// One labelled occurrence in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    /// Where, in UTF-8 bytes of [`Labelled::text`].
    pub span: Span,
    /// What it is.
    pub kind: Kind,
    /// The knowledge-base entry (for framing: the device's id), when the label names one.
    pub entry: Option<String>,
    /// The mention's `text`, as written in the label file.
    pub label: String,
}

/// A text with its labels, ready to be scored.
#[derive(Clone, Debug)]
pub struct Labelled {
    /// A short name: the label file's name without `.labels.toml`.
    pub name: String,
    /// The text's language, as the label file gives it (`en`, `fr`, …).
    pub language: String,
    /// The whole text: a plain text as it is, a page's visible text one block per line.
    pub text: String,
    /// The evaluated region of `text`.
    pub region: Span,
    /// Every labelled occurrence in the region, sorted by start.
    pub occurrences: Vec<Occurrence>,
}

/// A problem with a label file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelError {
    /// The label file.
    pub file: String,
    /// The mention's text, when the problem is one mention's.
    pub mention: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for LabelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.mention {
            Some(m) => write!(f, "{}: mention \"{}\": {}", self.file, m, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    source: String,
    language: String,
    from: Option<String>,
    to: Option<String>,
    #[serde(default)]
    mention: Vec<RawMention>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMention {
    text: String,
    kind: String,
    entry: Option<String>,
    which: Option<Vec<i64>>,
}

/// What the loader needs to know of the knowledge base: the category of an entry id, if the
/// base has it.
pub trait Entries {
    /// The category (as in data files: "person", "term", …) of entry `id`.
    fn category_of(&self, id: &str) -> Option<&'static str>;
}

impl Entries for crate::Annotator {
    fn category_of(&self, id: &str) -> Option<&'static str> {
        self.find(id).and_then(|i| self.entry(i)).map(|e| e.category.as_str())
    }
}

/// The label files of the evaluation corpus under `root` (the repository):
/// `tests/fixtures/pages/*.labels.toml` and `tests/eval/texts/*.labels.toml`, sorted by path.
pub fn corpus_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["tests/fixtures/pages", "tests/eval/texts"] {
        let Ok(read) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut here: Vec<PathBuf> = read
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_str().is_some_and(|s| s.ends_with(".labels.toml")))
            .collect();
        here.sort();
        files.extend(here);
    }
    files
}

/// Reads the label file at `path` and the text it labels.
pub fn load(path: &Path, entries: &dyn Entries) -> Result<Labelled, Vec<LabelError>> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![LabelError { file: file.clone(), mention: None, message: format!("cannot read: {e}") }]
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.trim_end_matches(".labels.toml").to_string())
        .unwrap_or_default();
    parse(&file, &name, &text, entries, &|source| {
        std::fs::read_to_string(dir.join(source)).map_err(|e| e.to_string())
    })
}

/// Parses label file `file` (named `name`) with contents `toml`; `read` reads the file its
/// `source` names.
pub fn parse(
    file: &str,
    name: &str,
    toml_text: &str,
    entries: &dyn Entries,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Labelled, Vec<LabelError>> {
    let error = |mention: Option<&str>, message: String| LabelError {
        file: file.to_string(),
        mention: mention.map(str::to_string),
        message,
    };
    let raw: RawFile = toml::from_str(toml_text).map_err(|e| {
        vec![error(None, format!("not a valid label file: {}", e.to_string().trim_end()))]
    })?;
    if raw.source.is_empty() || raw.source.contains(['/', '\\']) {
        return Err(vec![error(
            None,
            format!("source \"{}\" must name a file in the same folder", raw.source),
        )]);
    }
    if raw.language.len() != 2 || !raw.language.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(vec![error(
            None,
            format!("language \"{}\" must be a two-letter code such as \"en\"", raw.language),
        )]);
    }
    let source = read(&raw.source)
        .map_err(|e| vec![error(None, format!("cannot read source \"{}\": {e}", raw.source))])?;
    let text = if raw.source.ends_with(".html") || raw.source.ends_with(".htm") {
        crate::html::text_blocks(&source).join("\n")
    } else {
        source
    };
    let region = region(&text, raw.from.as_deref(), raw.to.as_deref())
        .map_err(|message| vec![error(None, message)])?;
    let mut problems = Vec::new();
    let mut occurrences: Vec<(Occurrence, usize)> = Vec::new();
    for (index, m) in raw.mention.iter().enumerate() {
        let mut problem = |message: String| problems.push(error(Some(&m.text), message));
        let Some(kind) = Kind::parse(&m.kind) else {
            let known: Vec<_> = Kind::ALL.iter().map(|k| k.as_str()).collect();
            problem(format!("unknown kind \"{}\" (known: {})", m.kind, known.join(", ")));
            continue;
        };
        if m.text.trim().is_empty() {
            problem("the text is empty".into());
            continue;
        }
        if m.text.trim() != m.text {
            problem("the text has white space at an end".into());
            continue;
        }
        match (kind, m.entry.as_deref()) {
            (Kind::Framing, Some(id)) if FRAMING.contains(&id) => {}
            (Kind::Framing, _) => {
                problem(format!("a framing mention needs entry = one of {}", FRAMING.join(", ")));
                continue;
            }
            (Kind::Term, None) => {
                problem(
                    "a term needs its knowledge-base entry (terms are always in the base)".into(),
                );
                continue;
            }
            (_, Some(id)) if entries.category_of(id).is_none() => {
                problem(format!("entry \"{id}\" is not in the knowledge base"));
                continue;
            }
            _ => {}
        }
        let within = region.start..region.end;
        let found: Vec<Span> = find_words(&text, &m.text)
            .into_iter()
            .filter(|s| within.contains(&s.start) && s.end <= region.end)
            .collect();
        if found.is_empty() {
            problem("not found in the region (as whole words, with this case)".into());
            continue;
        }
        let chosen: Vec<Span> = match &m.which {
            None => found,
            Some(which) => {
                if which.is_empty() {
                    problem("which is empty: leave it out to mean every occurrence".into());
                    continue;
                }
                if which.windows(2).any(|w| w[0] >= w[1]) {
                    problem(format!(
                        "which = {which:?} must list occurrences in increasing order, each once"
                    ));
                    continue;
                }
                let bad: Vec<i64> =
                    which.iter().copied().filter(|&n| n < 1 || n as usize > found.len()).collect();
                if !bad.is_empty() {
                    problem(format!(
                        "which = {which:?}, but the text occurs {} time(s) in the region ({bad:?} out of range)",
                        found.len()
                    ));
                    continue;
                }
                which.iter().filter_map(|&n| found.get(n as usize - 1).copied()).collect()
            }
        };
        occurrences.extend(chosen.into_iter().map(|span| {
            let occurrence =
                Occurrence { span, kind, entry: m.entry.clone(), label: m.text.clone() };
            (occurrence, index)
        }));
    }
    occurrences.sort_by_key(|(o, i)| (o.span.start, o.span.end, *i));
    // Labels of one kind must not overlap: the region's findings cannot overlap either, so one
    // of the two could never be found. (Different kinds may: a term in scare quotes, a person
    // inside a term.)
    for (i, (a, _)) in occurrences.iter().enumerate() {
        for (b, _) in occurrences.iter().skip(i + 1) {
            if b.span.start >= a.span.end {
                break;
            }
            if a.kind == b.kind {
                let what = if a.span == b.span { "is labelled twice" } else { "overlaps" };
                let (start, end) = (b.span.start, b.span.end);
                problems.push(error(
                    Some(&b.label),
                    format!(
                        "the occurrence at bytes {start}..{end} {what} \"{}\", also a {}; \
                         exclude one with which",
                        a.label,
                        a.kind.as_str()
                    ),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Labelled {
        name: name.to_string(),
        language: raw.language,
        text,
        region,
        occurrences: occurrences.into_iter().map(|(o, _)| o).collect(),
    })
}

/// The region between the markers: from the start of the first occurrence of `from` to the
/// end of the first occurrence of `to` after it. (A page often repeats its headline further
/// down, in a list of related stories: the first copy is the article's.)
fn region(text: &str, from: Option<&str>, to: Option<&str>) -> Result<Span, String> {
    let (from, to) = match (from, to) {
        (None, None) => return Ok(Span::new(0, text.len())),
        (Some(f), Some(t)) => (f, t),
        _ => return Err("give both from and to, or neither".into()),
    };
    let first = |marker: &str, what: &str, after: usize| -> Result<Span, String> {
        if marker.trim().is_empty() {
            return Err(format!("the {what} marker is empty"));
        }
        find_spaced(text, marker).into_iter().find(|s| s.start >= after).ok_or_else(|| {
            if after == 0 {
                format!("the {what} marker \"{marker}\" is not in the text")
            } else {
                format!("the {what} marker \"{marker}\" is not in the text after the from marker")
            }
        })
    };
    let start = first(from, "from", 0)?;
    let end = first(to, "to", start.end)?;
    Ok(Span::new(start.start, end.end))
}

/// Every occurrence of `needle` in `text` where a run of white space in one matches a run of
/// white space in the other, and everything else matches exactly.
fn find_spaced(text: &str, needle: &str) -> Vec<Span> {
    let parts: Vec<&str> = needle.split_whitespace().collect();
    let Some(first) = parts.first() else { return Vec::new() };
    let mut out = Vec::new();
    for (start, _) in text.match_indices(first) {
        let mut at = start + first.len();
        let mut ok = true;
        for part in parts.iter().skip(1) {
            let rest = text.get(at..).unwrap_or("");
            let after_space = rest.trim_start();
            let skipped = rest.len() - after_space.len();
            if skipped == 0 || !after_space.starts_with(part) {
                ok = false;
                break;
            }
            at += skipped + part.len();
        }
        if ok {
            out.push(Span::new(start, at));
        }
    }
    out
}

/// The occurrences of `needle` in `text` as whole words: a needle that starts (ends) with a
/// letter or digit does not continue a word of the text there.
fn find_words(text: &str, needle: &str) -> Vec<Span> {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let starts_word = needle.chars().next().is_some_and(word);
    let ends_word = needle.chars().next_back().is_some_and(word);
    find_spaced(text, needle)
        .into_iter()
        .filter(|s| {
            let before = text.get(..s.start).and_then(|t| t.chars().next_back());
            let after = text.get(s.end..).and_then(|t| t.chars().next());
            let continues_before = starts_word && before.is_some_and(word);
            let continues_after = ends_word && after.is_some_and(word);
            !(continues_before || continues_after)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Base;
    impl Entries for Base {
        fn category_of(&self, id: &str) -> Option<&'static str> {
            match id {
                "syria" => Some("place"),
                "occupation" => Some("term"),
                _ => None,
            }
        }
    }

    const TEXT: &str = "Headline on Syria\nIn Syria, the occupation of Syria’s land.\nSyria footer";

    fn load(labels: &str) -> Result<Labelled, Vec<LabelError>> {
        parse("x.labels.toml", "x", labels, &Base, &|source| {
            if source == "x.txt" { Ok(TEXT.to_string()) } else { Err("no such file".into()) }
        })
    }

    fn messages(labels: &str) -> Vec<String> {
        match load(labels) {
            Ok(_) => panic!("expected errors"),
            Err(e) => e.iter().map(ToString::to_string).collect(),
        }
    }

    const HEAD: &str = "source = \"x.txt\"\nlanguage = \"en\"\n";

    #[test]
    fn region_and_occurrences() {
        let l = load(&format!(
            "{HEAD}from = \"Syria\\nIn\"\nto = \"land.\"\n\
             [[mention]]\ntext = \"Syria\"\nkind = \"place\"\nentry = \"syria\"\nwhich = [1, 3]\n\
             [[mention]]\ntext = \"occupation\"\nkind = \"term\"\nentry = \"occupation\"\n"
        ))
        .unwrap();
        assert_eq!(
            &l.text[l.region.start..l.region.end],
            "Syria\nIn Syria, the occupation of Syria’s land."
        );
        let spans: Vec<&str> =
            l.occurrences.iter().map(|o| &l.text[o.span.start..o.span.end]).collect();
        assert_eq!(spans, ["Syria", "occupation", "Syria"]);
        // The first and the third occurrence in the region: the headline's and "Syria’s".
        assert_eq!(l.occurrences[0].span.start, TEXT.find("Syria\nIn").unwrap());
        assert_eq!(l.occurrences[2].span.start, TEXT.find("Syria’s").unwrap());
    }

    #[test]
    fn markers_take_their_first_occurrence() {
        let l = load(&format!("{HEAD}from = \"Syria\"\nto = \"Syria\"\n")).unwrap();
        assert_eq!(&l.text[l.region.start..l.region.end], "Syria\nIn Syria");
    }

    #[test]
    fn labels_tolerate_white_space_differences_only() {
        let l = load(&format!(
            "{HEAD}[[mention]]\ntext = \"Syria In\"\nkind = \"place\"\n\
             [[mention]]\ntext = \"Headline  on\"\nkind = \"document\"\n"
        ))
        .unwrap();
        assert_eq!(l.occurrences.len(), 2);
        // Case and quotes must match exactly.
        let m = messages(&format!("{HEAD}[[mention]]\ntext = \"syria\"\nkind = \"place\"\n"));
        assert!(m[0].contains("not found in the region"), "{m:?}");
        let m = messages(&format!("{HEAD}[[mention]]\ntext = \"Syria's\"\nkind = \"place\"\n"));
        assert!(m[0].contains("not found"), "{m:?}");
    }

    #[test]
    fn malformed_files_are_reported_with_file_and_mention() {
        let cases: &[(&str, &str)] = &[
            ("source = \"x.txt\"\n", "missing field `language`"),
            ("source = \"x.txt\"\nlanguage = \"english\"\n", "two-letter code"),
            ("source = \"y.txt\"\nlanguage = \"en\"\n", "cannot read source \"y.txt\""),
            ("source = \"../x.txt\"\nlanguage = \"en\"\n", "same folder"),
            (&format!("{HEAD}colour = \"red\"\n"), "unknown field `colour`"),
            (&format!("{HEAD}from = \"Headline\"\n"), "give both from and to"),
            (
                &format!("{HEAD}from = \"Nowhere\"\nto = \"footer\"\n"),
                "from marker \"Nowhere\" is not in the text",
            ),
            (&format!("{HEAD}from = \" \"\nto = \"footer\"\n"), "the from marker is empty"),
            (
                &format!("{HEAD}from = \"In Syria\"\nto = \"Headline\"\n"),
                "not in the text after the from marker",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"country\"\n"),
                "unknown kind \"country\"",
            ),
            (
                &format!(
                    "{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"place\"\nentry = \"sirya\"\n"
                ),
                "entry \"sirya\" is not in the knowledge base",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"occupation\"\nkind = \"term\"\n"),
                "a term needs its knowledge-base entry",
            ),
            (
                &format!(
                    "{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"framing\"\nentry = \"syria\"\n"
                ),
                "a framing mention needs entry",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"Syria \"\nkind = \"place\"\n"),
                "white space at an end",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"place\"\nwhich = [5]\n"),
                "occurs 4 time(s)",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"place\"\nwhich = [2, 1]\n"),
                "increasing order",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"place\"\nwhich = []\n"),
                "which is empty",
            ),
            (
                &format!("{HEAD}[[mention]]\ntext = \"Syr\"\nkind = \"place\"\n"),
                "not found in the region",
            ),
            (
                &format!(
                    "{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"place\"\n[[mention]]\ntext = \"In Syria\"\nkind = \"place\"\n"
                ),
                "overlaps \"In Syria\"",
            ),
            (
                &format!(
                    "{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"place\"\n[[mention]]\ntext = \"Syria\"\nkind = \"place\"\nwhich = [1]\n"
                ),
                "is labelled twice",
            ),
        ];
        for (labels, expected) in cases {
            let m = messages(labels);
            assert!(m.iter().any(|m| m.contains(expected)), "{labels:?}: {m:?}");
            assert!(m.iter().all(|m| m.starts_with("x.labels.toml: ")), "{m:?}");
        }
        // A mention's problem names the mention.
        let m = messages(&format!("{HEAD}[[mention]]\ntext = \"Syria\"\nkind = \"country\"\n"));
        assert!(m[0].starts_with("x.labels.toml: mention \"Syria\": "), "{m:?}");
    }

    #[test]
    fn different_kinds_may_share_a_span() {
        let l = load(&format!(
            "{HEAD}[[mention]]\ntext = \"occupation\"\nkind = \"term\"\nentry = \"occupation\"\n\
             [[mention]]\ntext = \"occupation\"\nkind = \"framing\"\nentry = \"framing-so-called\"\n"
        ))
        .unwrap();
        assert_eq!(l.occurrences.len(), 2);
    }
}
