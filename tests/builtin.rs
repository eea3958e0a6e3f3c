//! The built-in knowledge base on the test article: what a reader of it must see explained.

use footnote::kb::Category;
use footnote::{Annotator, CategorySet};

const ARTICLE: &str = include_str!("fixtures/articles/joint-fusion-mechanism.txt");

/// The findings of every category but framing, whose quotations would hide the names inside
/// them.
fn findings(text: &str) -> Vec<(String, &'static str, String)> {
    findings_of(text, CategorySet::all_except(Category::Framing))
}

fn findings_of(text: &str, categories: CategorySet) -> Vec<(String, &'static str, String)> {
    let annotator = Annotator::builtin().unwrap();
    annotator
        .annotate(text, categories)
        .iter()
        .map(|f| {
            let e = annotator.entry(f.entry).unwrap();
            (text[f.span.start..f.span.end].to_string(), f.category.as_str(), e.id.clone())
        })
        .collect()
}

#[test]
fn the_article_gets_its_key_terms() {
    let found = findings(ARTICLE);
    let has = |text: &str, category: &str, id: &str| {
        found.iter().any(|(t, c, i)| t == text && *c == category && i == id)
    };
    let expected = [
        ("Mount Hermon", "place", "mount-hermon"),
        ("Paris", "place", "paris"),
        ("Syrian Arab Republic", "place", "syria"),
        ("Jordan", "place", "jordan"),
        ("Damascus", "place", "damascus"),
        ("Gulf states", "place", "gulf-states"),
        ("Bashar al-Assad", "person", "bashar-al-assad"),
        ("Assad", "person", "bashar-al-assad"),
        ("Reuters", "organisation", "reuters"),
        ("United States Department of State", "organisation", "us-department-of-state"),
        ("joint fusion mechanism", "organisation", "joint-fusion-mechanism"),
        ("Israeli forces", "organisation", "israel-defense-forces"),
        ("1974 Disengagement Agreement", "document", "disengagement-agreement-1974"),
        ("occupation", "term", "occupation"),
        ("normalization", "term", "normalization"),
        ("Israeli aggression", "term", "aggression"),
        ("de-escalation", "term", "de-escalation"),
        ("Israeli regime", "term", "israeli-regime"),
        ("“Israel”", "term", "israel-in-quotation-marks"),
        ("“Israel,”", "term", "israel-in-quotation-marks"),
        ("Druze separatism", "term", "druze-separatism"),
        ("sovereignty", "term", "sovereignty"),
        ("security concerns", "term", "security-concerns"),
        ("creeping occupation", "term", "creeping-occupation"),
    ];
    let missing: Vec<_> = expected.iter().filter(|(t, c, i)| !has(t, c, i)).collect();
    assert!(missing.is_empty(), "missing {missing:?}\nfound {found:#?}");
    assert_eq!(found.iter().filter(|(_, _, i)| i == "mount-hermon").count(), 3);
}

#[test]
fn the_article_gets_its_framing_and_sourcing_devices() {
    // The article's lines are its blocks, sent in one call as the extension does.
    let text = ARTICLE.replace('\n', "\0");
    let found = findings_of(&text, CategorySet::empty().with(Category::Framing));
    let has = |text: &str, id: &str| found.iter().any(|(t, _, i)| t == text && i == id);
    let quote = "quote:joint-statement-2026-01-06";
    let expected = [
        ("‘Joint Fusion Mechanism’", quote),
        ("“de-escalation mechanism”", quote),
        ("“joint fusion mechanism,”", quote),
        ("what it calls", "framing-so-called"),
        ("so-called", "framing-so-called"),
        ("critics describe", "framing-attribution"),
        ("According to", "framing-attribution"),
        ("Critics warn", "framing-attribution"),
        ("official told", "framing-unnamed-source"),
        ("the official said", "framing-unnamed-source"),
        ("“technical issues”", "framing-scare-quotes"),
        ("“economic initiatives”", "framing-scare-quotes"),
        ("“Coordination”", "framing-scare-quotes"),
    ];
    let missing: Vec<_> = expected.iter().filter(|(t, i)| !has(t, i)).collect();
    assert!(missing.is_empty(), "missing {missing:?}\nfound {found:#?}");
    assert!(
        found
            .iter()
            .any(|(t, _, i)| t.starts_with("“Israel and the Syrian Arab Republic …") && i == quote)
    );
    // Quotations of other people are not checked against the statement.
    assert!(
        !found.iter().any(|(t, _, _)| t.starts_with("“It would not be possible")),
        "{found:#?}"
    );
    // Every finding is framing.
    assert!(found.iter().all(|(_, c, _)| *c == "framing"));
}

#[test]
fn nothing_is_found_inside_a_word() {
    for (text, _, _) in findings(ARTICLE) {
        assert!(!text.is_empty());
    }
    let found = findings("Preoccupation, Israelis, Syrians and the Jordanian delegation.");
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn every_entry_of_the_builtin_base_is_found_by_each_of_its_aliases() {
    // The matcher alone: some aliases also need evidence around them (data/context.toml),
    // which tests/data/context.toml tests.
    let catalog = footnote::Catalog::builtin().unwrap().with_context(Default::default());
    let annotator = Annotator::new(catalog).unwrap();
    for entry in annotator.catalog().entries() {
        for alias in &entry.aliases {
            let text = format!("Read about {} today.", alias.text);
            let found = annotator.annotate(&text, CategorySet::all());
            let ok = found.iter().any(|f| annotator.entry(f.entry).unwrap().id == entry.id);
            assert!(ok, "alias {:?} of {} is not found in {text:?}", alias.text, entry.id);
        }
    }
}

#[test]
fn stop_phrases_mark_nothing_inside_them() {
    for text in
        ["a rally in New Mexico", "Paris Saint-Germain won", "a statue of the Duke of Wellington"]
    {
        let found = findings(text);
        assert!(found.is_empty(), "{text}: {found:?}");
    }
    // Outside the phrase, the names are found as usual.
    assert!(findings("talks in Mexico and Paris").len() == 2);
}

/// The generated entry of Iceland had the alias "Island", which marked "North Island",
/// "Stewart Island" and "Mercer Island" (in the Wikipedia, Guardian and Seattle Times pages)
/// as Iceland.
#[test]
fn iceland_alias_does_not_mark_north_island() {
    for text in [
        "the North Island and the South Island",
        "whales beaching on Stewart Island",
        "a Mercer Island-based company",
        "ISLAND",
    ] {
        let found = findings(text);
        assert!(found.iter().all(|(_, _, id)| id != "iceland"), "{text}: {found:?}");
    }
    assert_eq!(findings("Iceland and the Republic of Iceland").len(), 2);
}
