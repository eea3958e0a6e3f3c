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
