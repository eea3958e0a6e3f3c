//! Runs the cases of `tests/data/matching.toml` against a catalog built from the same file.

use footnote::kb::{Alias, CaseRule, Category, Entry, Source, SourceKind, Verification};
use footnote::{Annotator, Catalog, CategorySet};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    entity: Vec<Entity>,
    test: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entity {
    id: String,
    category: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    exact: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    #[serde(default)]
    categories: Option<Vec<String>>,
    matches: Vec<(usize, usize, String)>,
}

/// A minimal valid entry: the matcher needs only ids, categories and aliases.
fn entry(e: &Entity) -> Entry {
    let category = Category::parse(&e.category).expect("known category");
    let mut aliases: Vec<Alias> = e
        .aliases
        .iter()
        .map(|t| Alias { text: t.clone(), case: category.default_case(), deliberate: false })
        .collect();
    aliases.extend(e.exact.iter().map(|t| Alias {
        text: t.clone(),
        case: CaseRule::Exact,
        deliberate: true,
    }));
    Entry {
        id: e.id.clone(),
        category,
        name: e.id.clone(),
        aliases,
        summary: "A test entry.".into(),
        usages: vec![],
        alternatives: vec![],
        sources: vec![Source {
            key: "s".into(),
            title: "t".into(),
            publisher: "p".into(),
            date: None,
            url: "https://example.org/".into(),
            kind: SourceKind::Primary,
            verified: Verification::Seen,
        }],
        reviewed: "2026-01-01".into(),
        generated: false,
    }
}

#[test]
fn matching_cases() {
    let cases: Cases = toml::from_str(include_str!("data/matching.toml")).expect("valid test file");
    let annotator = Annotator::new(Catalog::new(cases.entity.iter().map(entry).collect())).unwrap();
    let mut failures = Vec::new();
    let mut names = std::collections::HashSet::new();
    for case in &cases.test {
        assert!(names.insert(&case.name), "test name {} is used twice", case.name);
        let categories = match &case.categories {
            Some(names) => CategorySet::from_names(names).unwrap(),
            None => CategorySet::all(),
        };
        let got: Vec<(usize, usize, String)> = annotator
            .annotate(&case.text, categories)
            .iter()
            .map(|f| (f.span.start, f.span.end, annotator.entry(f.entry).unwrap().id.clone()))
            .collect();
        if got != case.matches {
            failures.push(format!(
                "{}: text {:?}\n  expected {:?}\n  got      {:?}",
                case.name, case.text, case.matches, got
            ));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Findings never depend on where a text is cut into pieces that are searched together: a
/// block is searched whole, so splitting it into text nodes (as pages do) must not matter.
/// Here: every finding of a text is also found, at the same place, when the text is embedded
/// in longer text on both sides.
#[test]
fn findings_do_not_depend_on_surrounding_text() {
    let annotator = Annotator::builtin().unwrap();
    let text = "Israeli troops remain on Mount Hermon, Reuters reported from Damascus.";
    let alone = annotator.annotate(text, CategorySet::all());
    assert!(alone.len() >= 4, "{alone:?}");
    let padded = format!("Before. {text} After.");
    let shifted: Vec<_> = annotator
        .annotate(&padded, CategorySet::all())
        .iter()
        .map(|f| (f.span.start - 8, f.span.end - 8, f.entry))
        .collect();
    let expected: Vec<_> = alone.iter().map(|f| (f.span.start, f.span.end, f.entry)).collect();
    assert_eq!(shifted, expected);
}
