//! Runs the cases of `tests/data/quotes.toml` with the built-in knowledge base: which
//! quotations are marked, as what, and how each compares with the stored primary text.

use footnote::kb::Category;
use footnote::{Annotator, CategorySet, Verdict};
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    text: String,
    quotation: String,
    expect: String,
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    parts: Option<Vec<bool>>,
    #[serde(default)]
    original: Option<Vec<String>>,
}

fn annotator() -> &'static Annotator {
    static A: OnceLock<Annotator> = OnceLock::new();
    A.get_or_init(|| Annotator::builtin().expect("the built-in knowledge base loads"))
}

#[test]
fn quotation_cases() {
    let cases: Cases = toml::from_str(include_str!("data/quotes.toml")).expect("valid cases");
    let a = annotator();
    // Every category, as a reader who switched framing on has them: a quoted name is known
    // as a name.
    let mut failures = Vec::new();
    for c in &cases.case {
        let text = c.text.trim_end_matches('\n').replace('\n', "\0");
        let findings = a.annotate(&text, CategorySet::all());
        let marked = findings
            .iter()
            .find(|f| text.get(f.span.start..f.span.end) == Some(c.quotation.as_str()));
        let got = match marked {
            None => "none".to_string(),
            Some(f) => {
                let entry = a.entry(f.entry).expect("the finding's entry exists");
                if entry.id == "framing-scare-quotes" {
                    "scare".to_string()
                } else if let Some(doc) = entry.id.strip_prefix("quote:") {
                    if Some(doc) != c.document.as_deref() {
                        failures.push(format!("{}: checked against {doc}", c.name));
                    }
                    let check =
                        a.check_quote(f.entry, &c.quotation).expect("the document has a text");
                    if let Some(parts) = &c.parts {
                        let found: Vec<bool> = check.parts.iter().map(|(_, f)| *f).collect();
                        if &found != parts {
                            failures.push(format!(
                                "{}: parts found {found:?}, expected {parts:?}",
                                c.name
                            ));
                        }
                    }
                    if let Some(original) = &c.original {
                        let shown: Vec<&str> =
                            check.original.iter().map(|(s, _)| s.as_str()).collect();
                        if shown != original.iter().map(String::as_str).collect::<Vec<_>>() {
                            failures.push(format!("{}: original {shown:#?}", c.name));
                        }
                    }
                    // Every highlight is inside its sentence, on characters.
                    for (sentence, spans) in &check.original {
                        assert!(
                            !spans.is_empty(),
                            "{}: a sentence with nothing highlighted",
                            c.name
                        );
                        for s in spans {
                            assert!(
                                sentence.get(s.start..s.end).is_some_and(|t| !t.is_empty()),
                                "{}",
                                c.name
                            );
                        }
                    }
                    check.verdict.as_str().to_string()
                } else {
                    format!("marked as {}", entry.id)
                }
            }
        };
        if got != c.expect {
            failures.push(format!("{}: expected {}, got {got}", c.name, c.expect));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_joined_quotation_highlights_exactly_the_quoted_words() {
    let a = annotator();
    let doc = a.find("joint-statement-2026-01-06").expect("the statement's entry");
    let check = a
        .check_quote(
            doc,
            "“Israel and the Syrian Arab Republic … under the supervision of the United States”",
        )
        .expect("a text");
    assert_eq!(check.verdict, Verdict::Joined);
    let highlighted: Vec<&str> = check
        .original
        .iter()
        .flat_map(|(s, spans)| spans.iter().map(move |sp| &s[sp.start..sp.end]))
        .collect();
    assert_eq!(
        highlighted,
        ["Israel and the Syrian Arab Republic", "under the supervision of the United States"]
    );
    assert_eq!(check.source, "menafn");
}

#[test]
fn quotations_need_the_framing_category() {
    let a = annotator();
    let text = "The statement said they would set up a “joint fusion mechanism” at once.";
    let without = CategorySet::all_except(Category::Framing);
    assert!(a.annotate(text, without).iter().all(|f| f.category != Category::Framing));
    assert!(a.annotate(text, CategorySet::all()).iter().any(|f| f.category == Category::Framing));
}

#[test]
fn hostile_quotation_marks_do_not_slow_or_break_the_core() {
    // Thousands of unclosed and nested marks, ellipses and apostrophes in one block.
    let text = "“‘\"…".repeat(20_000) + &"word’s “a … b” ".repeat(5_000);
    let findings = annotator().annotate(&text, CategorySet::all());
    for f in &findings {
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    }
    assert!(findings.windows(2).all(|w| w[0].span.end <= w[1].span.start));
}
