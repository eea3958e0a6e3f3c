//! Properties of the API the extension's background calls (`Core.annotate`, which is
//! [`Annotator::annotate_blocks`] behind the argument checks), on generated text: any Unicode,
//! lone surrogates, the separator itself, names of the knowledge base glued to anything, split
//! into any number of blocks.
//!
//! Texts are built as JavaScript sees them, UTF-16 code units, and go through what the
//! background and wasm-bindgen do to them: `joinBlocks` (extension/src/background/core.ts)
//! replaces U+0000 inside a block by a space and joins the blocks with U+0000; crossing into
//! WebAssembly turns each lone surrogate into U+FFFD. Offsets that come back must then address
//! the *JavaScript* blocks.
//!
//! CI runs a bounded number of cases; `PROPTEST_CASES=20000 cargo test --release --test core
//! properties` runs a longer search (README, "Working on Footnote"). A failing case is shrunk
//! and printed, and written to `proptest-regressions/` so that it runs first next time.

use footnote::kb::EntryIndex;
use footnote::{Annotator, Category, CategorySet, MAX_BOUNDARY_BYTES};
use proptest::prelude::*;
use std::sync::OnceLock;

fn annotator() -> &'static Annotator {
    static A: OnceLock<Annotator> = OnceLock::new();
    A.get_or_init(|| Annotator::builtin().expect("the built-in knowledge base loads"))
}

/// Every alias of the built-in knowledge base, and the triggers of the document linker, so
/// that generated texts contain findings, not just noise.
fn names() -> &'static Vec<String> {
    static N: OnceLock<Vec<String>> = OnceLock::new();
    N.get_or_init(|| {
        let mut names: Vec<String> = annotator()
            .catalog()
            .entries()
            .iter()
            .flat_map(|e| e.aliases.iter().map(|a| a.text.clone()))
            .collect();
        names.extend(
            ["Security Council resolution 242 (1967)", "Resolution 2334", "UNSC Res. 1701"]
                .map(String::from),
        );
        names
    })
}

/// Characters that matter to folding, word boundaries and offsets.
const TRICKY: &[char] = &[
    '\0', ' ', '\u{a0}', '\n', '\t', '\u{ad}', '\u{200b}', '\u{200d}', '\u{200e}', '\u{202e}',
    '\u{2066}', '\u{301}', '\u{304}', '\u{fe0f}', '\'', '’', '“', '”', '"', '-', '‑', '–', '.',
    ',', 'İ', 'ß', 'Æ', 'ſ', 'K', 'ﬁ', '😀', '🇸', '🇾', 'ا', 'ل', 'ש', '\u{fffd}', '\u{feff}',
];

/// One piece of a JavaScript string, as UTF-16 code units.
fn piece() -> impl Strategy<Value = Vec<u16>> {
    let name = (0..names().len()).prop_map(|i| names()[i].encode_utf16().collect::<Vec<u16>>());
    let any_char = any::<char>().prop_map(|c| c.encode_utf16(&mut [0; 2]).to_vec());
    let tricky = prop::sample::select(TRICKY).prop_map(|c| c.encode_utf16(&mut [0; 2]).to_vec());
    let lone = (0xd800u16..=0xdfff).prop_map(|u| vec![u]);
    let word = "[A-Za-z]{1,8}".prop_map(|s| s.encode_utf16().collect::<Vec<u16>>());
    prop_oneof![4 => name, 3 => tricky, 2 => any_char, 2 => word, 1 => lone]
}

/// A JavaScript string: pieces glued together.
fn js_string() -> impl Strategy<Value = Vec<u16>> {
    prop::collection::vec(piece(), 0..24).prop_map(|p| p.concat())
}

fn categories() -> impl Strategy<Value = CategorySet> {
    prop::collection::vec(any::<bool>(), Category::ALL.len()).prop_map(|on| {
        Category::ALL
            .into_iter()
            .zip(on)
            .filter(|&(_, on)| on)
            .fold(CategorySet::empty(), |set, (c, _)| set.with(c))
    })
}

/// What reaches Rust for `blocks`: `joinBlocks`, then wasm-bindgen's string conversion.
fn as_rust(blocks: &[Vec<u16>]) -> String {
    let joined: Vec<u16> = blocks
        .iter()
        .map(|b| b.iter().map(|&u| if u == 0 { 0x20 } else { u }).collect::<Vec<u16>>())
        .collect::<Vec<_>>()
        .join(&0u16);
    String::from_utf16_lossy(&joined)
}

fn is_high(u: u16) -> bool {
    (0xd800..0xdc00).contains(&u)
}

fn is_low(u: u16) -> bool {
    (0xdc00..0xe000).contains(&u)
}

/// True when `at` does not fall between the two halves of a surrogate pair of `units`.
fn on_boundary(units: &[u16], at: usize) -> bool {
    match (at.checked_sub(1).and_then(|i| units.get(i)), units.get(at)) {
        (Some(&a), Some(&b)) => !(is_high(a) && is_low(b)),
        _ => true,
    }
}

fn quads(flat: &[u32]) -> Vec<[usize; 4]> {
    flat.chunks(4)
        .map(|q| [0, 1, 2, 3].map(|i| q.get(i).map_or(usize::MAX, |&v| v as usize)))
        .collect()
}

fn config() -> ProptestConfig {
    // PROPTEST_CASES raises the count for a longer search; CI keeps the default.
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    /// Offsets are UTF-16 units of the JavaScript block, on character boundaries, inside the
    /// block; findings are sorted and disjoint; each covers exactly the text the core found.
    #[test]
    fn offsets_address_the_javascript_blocks(
        blocks in prop::collection::vec(js_string(), 0..8),
        categories in categories(),
    ) {
        let text = as_rust(&blocks);
        let flat = annotator().annotate_blocks(&text, categories).expect("small texts are accepted");
        prop_assert_eq!(flat.len() % 4, 0);
        let findings = annotator().annotate(&text, categories);
        let quads = quads(&flat);
        prop_assert_eq!(quads.len(), findings.len());
        let mut last: Option<(usize, usize)> = None;
        for (q, f) in quads.iter().zip(&findings) {
            let [block, start, end, entry] = *q;
            let units = blocks.get(block);
            prop_assert!(units.is_some(), "block {} of {}", block, blocks.len());
            let units = units.map_or(&[][..], Vec::as_slice);
            prop_assert!(start < end && end <= units.len(), "{}..{} in a block of {}", start, end, units.len());
            prop_assert!(on_boundary(units, start) && on_boundary(units, end), "{}..{} splits a surrogate pair", start, end);
            if let Some((b, e)) = last {
                prop_assert!(b < block || (b == block && e <= start), "not sorted or overlapping: {:?} after {:?}", q, (b, e));
            }
            last = Some((block, end));
            // The JavaScript slice is the text the core matched, character for character (a
            // U+0000 inside a block is a space to the core, as joinBlocks made it).
            let js = String::from_utf16_lossy(&units[start..end]).replace('\0', " ");
            prop_assert_eq!(&js, &text[f.span.start..f.span.end]);
            prop_assert_eq!(text[..f.span.start].matches('\0').count(), block, "no finding crosses a separator");
            let e = annotator().entry(EntryIndex(entry as u32));
            prop_assert!(e.is_some(), "entry {} resolves", entry);
            prop_assert!(e.is_some_and(|e| categories.contains(e.category)), "only asked-for categories");
        }
    }

    /// A block's findings do not depend on the blocks around it: annotating all blocks at once
    /// gives, for each, what annotating it alone gives. (Not for framing: whether a quotation
    /// is checked against a stored text depends on whether the request quotes that text
    /// elsewhere.)
    #[test]
    fn blocks_are_independent(blocks in prop::collection::vec(js_string(), 1..6)) {
        let categories = CategorySet::all_except(footnote::Category::Framing);
        let all = quads(&annotator().annotate_blocks(&as_rust(&blocks), categories).expect("accepted"));
        for (i, block) in blocks.iter().enumerate() {
            let alone = quads(&annotator().annotate_blocks(&as_rust(std::slice::from_ref(block)), categories).expect("accepted"));
            let together: Vec<[usize; 4]> = all.iter().filter(|q| q[0] == i).map(|&[_, s, e, n]| [0, s, e, n]).collect();
            prop_assert_eq!(together, alone, "block {}", i);
        }
    }

    /// Every finding made from an alias covers text that folds to that alias.
    #[test]
    fn findings_cover_their_alias(text in js_string()) {
        let text = String::from_utf16_lossy(&text);
        for (f, alias) in annotator().annotate_with_aliases(&text, CategorySet::all()) {
            let found = footnote::fold::fold(&text[f.span.start..f.span.end]).as_str().to_ascii_lowercase();
            let wanted = footnote::fold::fold(alias).as_str().to_ascii_lowercase();
            prop_assert_eq!(found, wanted);
        }
    }
}

#[test]
fn too_much_text_is_an_error_not_a_panic() {
    let text = "x".repeat(MAX_BOUNDARY_BYTES + 1);
    let error = annotator().annotate_blocks(&text, CategorySet::all()).expect_err("refused");
    assert!(error.to_string().contains("too large"), "{error}");
    // Exactly the limit is accepted.
    assert!(annotator().annotate_blocks(&text[1..], CategorySet::all()).is_ok());
}
