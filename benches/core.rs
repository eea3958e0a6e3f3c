//! Native throughput of the core over news text: the visible text of the real test pages,
//! repeated to about 2 MB, searched block by block as the extension sends it.
//! Run: cargo bench --bench core

use footnote::{Annotator, CategorySet};
use std::time::Instant;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut blocks: Vec<String> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for p in files.iter().filter(|p| p.extension().is_some_and(|x| x == "html")) {
        blocks.extend(footnote::html::text_blocks(&std::fs::read_to_string(p).unwrap()));
    }
    let one: usize = blocks.iter().map(String::len).sum();
    let copies = (2_000_000 / one).max(1);
    let text: Vec<String> = (0..copies).flat_map(|_| blocks.iter().cloned()).collect();
    let bytes: usize = text.iter().map(String::len).sum();
    let t = Instant::now();
    let catalog = footnote::Catalog::builtin().unwrap();
    let decode = t.elapsed();
    if std::env::var_os("BUILD_LOOP").is_some() {
        for _ in 0..50 {
            std::hint::black_box(Annotator::new(footnote::Catalog::builtin().unwrap()).unwrap());
        }
    }
    let annotator = Annotator::new(catalog).unwrap();
    let build = t.elapsed();
    println!(
        "  cold start: knowledge base decoded in {:.1} ms, matcher built in {:.1} ms",
        decode.as_secs_f64() * 1e3,
        (build - decode).as_secs_f64() * 1e3
    );
    println!(
        "core (native): {} entries, {} patterns, automaton {:.1} MB, built in {:.1} ms; {:.2} MB in {} blocks",
        annotator.catalog().len(),
        annotator.pattern_count(),
        annotator.matcher_memory() as f64 / 1e6,
        build.as_secs_f64() * 1e3,
        bytes as f64 / 1e6,
        text.len(),
    );
    let joined = text.join(&footnote::BLOCK_SEPARATOR.to_string());
    if let Some(path) = std::env::var_os("FOOTNOTE_BENCH_TEXT") {
        // The same text for the WebAssembly benchmark (scripts/bench.mjs).
        std::fs::write(path, &joined).unwrap();
    }
    let per_block = if std::env::var_os("ONLY_JOINED").is_some() {
        (vec![1.0], 12586)
    } else {
        measure(|| text.iter().map(|b| annotator.annotate(b, CategorySet::all()).len()).sum())
    };
    report("block by block", bytes, &per_block);
    let whole = measure(|| annotator.annotate(&joined, CategorySet::all()).len());
    report("joined", bytes, &whole);
    report(
        "calibration: scalar word-start count",
        bytes,
        &measure(|| {
            let mut prev = false;
            let mut n = 0;
            for &b in joined.as_bytes() {
                let w = b.is_ascii_alphanumeric();
                n += usize::from(w && !prev);
                prev = w;
            }
            std::hint::black_box(n)
        }),
    );
    report("fold only", bytes, &measure(|| footnote::fold::fold(&joined).as_str().len()));
    report(
        "no categories",
        bytes,
        &measure(|| annotator.annotate(&joined, CategorySet::empty()).len()),
    );
    assert_eq!(per_block.1, whole.1, "joining blocks must not change the findings");
}

/// Seven runs of `f`: sorted times in seconds, and what `f` found.
fn measure(mut f: impl FnMut() -> usize) -> (Vec<f64>, usize) {
    let mut times = Vec::new();
    let mut found = 0;
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(7);
    for _ in 0..runs {
        let t = Instant::now();
        found = f();
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (times, found)
}

fn report(what: &str, bytes: usize, (times, found): &(Vec<f64>, usize)) {
    let median = times[times.len() / 2];
    println!(
        "  {what}: median {:.1} ms = {:.0} MB/s (min {:.1}, max {:.1} ms); {found} findings",
        median * 1e3,
        bytes as f64 / 1e6 / median,
        times[0] * 1e3,
        times[times.len() - 1] * 1e3,
    );
}
