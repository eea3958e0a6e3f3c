//! Runs the cases of `tests/data/context.toml` (the evidence rules of `data/context.toml`) and
//! `tests/data/variants.toml` (spelling variants of names) with the built-in knowledge base.

use footnote::{Annotator, CategorySet};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    test: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    found: Vec<(String, String)>,
}

#[test]
fn context_cases() {
    run(include_str!("data/context.toml"));
}

#[test]
fn variant_cases() {
    run(include_str!("data/variants.toml"));
}

fn run(file: &str) {
    let cases: Cases = toml::from_str(file).expect("valid test file");
    let annotator = Annotator::builtin().unwrap();
    let mut names = std::collections::HashSet::new();
    let mut failures = Vec::new();
    for case in &cases.test {
        assert!(names.insert(&case.name), "test name {} is used twice", case.name);
        let got: Vec<(String, String)> = annotator
            .annotate(&case.text, CategorySet::all())
            .iter()
            .map(|f| {
                let id = annotator.entry(f.entry).unwrap().id.clone();
                (case.text[f.span.start..f.span.end].to_string(), id)
            })
            .collect();
        if got != case.found {
            failures.push(format!(
                "{}: {:?}\n  expected {:?}\n  got      {:?}",
                case.name, case.text, case.found, got
            ));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Without rules (a catalog built in code), every match is kept.
#[test]
fn a_catalog_without_rules_keeps_every_match() {
    let catalog = footnote::Catalog::builtin().unwrap().with_context(Default::default());
    let annotator = Annotator::new(catalog).unwrap();
    let found = annotator.annotate("Jordan Henderson", CategorySet::all());
    assert_eq!(found.len(), 1);
}

/// The cases of `tests/data/names.toml`: long-tail names, found only when asked for.
#[test]
fn name_cases() {
    let cases: Cases = toml::from_str(include_str!("data/names.toml")).expect("valid test file");
    let annotator = Annotator::builtin().unwrap();
    let mut failures = Vec::new();
    for case in &cases.test {
        let found = annotator.annotate(&case.text, CategorySet::all().with_names());
        let got: Vec<(String, String)> = found
            .iter()
            .filter_map(|f| {
                let kind = f.unknown()?;
                Some((case.text[f.span.start..f.span.end].to_string(), kind.as_str().to_string()))
            })
            .collect();
        // Never overlapping, and the knowledge-base findings are those found without names.
        let entries: Vec<_> = found.iter().filter(|f| f.unknown().is_none()).copied().collect();
        let without = annotator.annotate(&case.text, CategorySet::all());
        if got != case.found || entries != without {
            failures.push(format!(
                "{}: {:?}\n  expected {:?}\n  got      {:?}",
                case.name, case.text, case.found, got
            ));
        }
        assert!(found.windows(2).all(|w| w[0].span.end <= w[1].span.start), "{}", case.name);
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// Names are found only when asked for, and asking only for them gives no entries.
#[test]
fn names_only_when_asked() {
    let annotator = Annotator::builtin().unwrap();
    let text = "Omar Haddad of the Quneitra Provincial Council met Bashar al-Assad.";
    assert!(annotator.annotate(text, CategorySet::all()).iter().all(|f| f.unknown().is_none()));
    let only = CategorySet::from_names(&["names"]).unwrap();
    let found = annotator.annotate(text, only);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|f| f.unknown().is_some()));
    assert!(annotator.entry(found[0].entry).is_none());
}
