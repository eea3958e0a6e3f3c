//! The document linker: UN resolution mentions link to the official text at undocs.org.

use footnote::detect::Resolution;
use footnote::{Annotator, Category, CategorySet};

/// (text, expected document findings as (matched text, official URL)); an empty URL accepts
/// any, for resolutions with a knowledge-base entry whose sources may change.
const CASES: &[(&str, &[(&str, &str)])] = &[
    (
        "Under Security Council resolution 2334 (2016), settlements are illegal.",
        &[("Security Council resolution 2334 (2016)", "")],
    ),
    // The year is derived from the number when the text leaves it out.
    (
        "The UN Security Council adopted Resolution 2401 in February.",
        &[("Resolution 2401", "https://undocs.org/S/RES/2401(2018)")],
    ),
    ("UNSCR 2401 demanded a ceasefire.", &[("UNSCR 2401", "https://undocs.org/S/RES/2401(2018)")]),
    (
        "The text of S/RES/2401 (2018) is short.",
        &[("S/RES/2401 (2018)", "https://undocs.org/S/RES/2401(2018)")],
    ),
    (
        "The Security Council met; Resolution 2260 was adopted.",
        &[("Resolution 2260", "https://undocs.org/S/RES/2260(2016)")],
    ),
    // A bare "Resolution N" without the Security Council nearby: not linked.
    ("Resolution 2260 was debated by the city council.", &[]),
    // Both bodies in the block: unsure, not linked.
    ("The Security Council and the General Assembly discussed resolution 2260.", &[]),
    // A written year that contradicts the table: not linked.
    ("The Security Council passed resolution 2260 (2019).", &[]),
    // Years the table does not confirm: linked only with the year written.
    (
        "The Security Council passed resolution 1244 (1999).",
        &[("resolution 1244 (1999)", "https://undocs.org/S/RES/1244(1999)")],
    ),
    ("The Security Council passed resolution 1244 on Kosovo.", &[]),
    (
        "General Assembly resolution 67/19 upgraded Palestine's status.",
        &[("General Assembly resolution 67/19", "")],
    ),
    (
        "The partition plan, resolution 181 (II), of the General Assembly.",
        &[("resolution 181 (II)", "")],
    ),
    (
        "General Assembly resolution 3379 (XXX) was revoked.",
        &[("General Assembly resolution 3379 (XXX)", "https://undocs.org/A/RES/3379(XXX)")],
    ),
    // A General Assembly resolution without its session: the session cannot be derived.
    ("General Assembly resolution 3379 on Zionism.", &[]),
    ("Resolutions 2260 and 2261 of the Security Council.", &[]),
    ("Security Council resolution 12a", &[]),
];

#[test]
fn resolution_mentions() {
    let annotator = Annotator::builtin().unwrap();
    let mut failures = Vec::new();
    for (text, expected) in CASES {
        let found: Vec<(String, String)> = annotator
            .annotate(text, CategorySet::all())
            .into_iter()
            .filter(|f| f.category == Category::Document)
            .map(|f| {
                let e = annotator.entry(f.entry).unwrap();
                let official = e
                    .sources
                    .iter()
                    .find(|s| s.url.starts_with("https://undocs.org/"))
                    .map(|s| s.url.clone());
                (text[f.span.start..f.span.end].to_string(), official.unwrap_or_default())
            })
            .collect();
        let same = found.len() == expected.len()
            && found
                .iter()
                .zip(expected.iter())
                .all(|((ft, fu), (t, u))| ft == t && (u.is_empty() || fu == u));
        if !same {
            failures.push(format!("{text:?}\n  expected {expected:?}\n  found    {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn generated_entries_round_trip_through_their_ids() {
    let annotator = Annotator::builtin().unwrap();
    for r in [
        Resolution::SecurityCouncil { number: 2401, year: 2018 },
        Resolution::GeneralAssembly { session: 70, number: 1 },
        Resolution::GeneralAssembly { session: 2, number: 181 },
    ] {
        let index = r.encode();
        assert_eq!(Resolution::decode(index), Some(r));
        let entry = annotator.entry(index).unwrap();
        assert_eq!(annotator.find(&entry.id), Some(index), "{}", entry.id);
        assert_eq!(entry.category, Category::Document);
        assert_eq!(entry.sources[0].url, r.url());
        assert!(entry.sources[0].url.starts_with("https://undocs.org/"));
    }
}
