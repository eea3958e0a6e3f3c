//! Native throughput of the core over news text: the visible text of the real test pages,
//! repeated to about 2 MB, searched block by block and as one text with the blocks joined by
//! U+0000 (as the extension sends it).
//!
//! Run: `cargo bench --bench core`. With FOOTNOTE_BENCH_OUT=<dir> it also writes, for the
//! browser benchmark (scripts/bench.mjs), `native.json` (the numbers), `text.txt` (the joined
//! text) and `aliases.json` (every alias, for the RegExp baseline).

use footnote::{Annotator, BLOCK_SEPARATOR, Catalog, CategorySet};
use std::time::Instant;

const RUNS: usize = 9;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/pages")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    files.sort();
    let mut blocks: Vec<String> = Vec::new();
    for p in &files {
        let html = std::fs::read_to_string(p).expect("a test page");
        blocks.extend(footnote::html::text_blocks(&html));
    }
    let one: usize = blocks.iter().map(String::len).sum();
    let copies = (2_000_000 / one).max(1);
    let text: Vec<String> = (0..copies).flat_map(|_| blocks.iter().cloned()).collect();
    let bytes: usize = text.iter().map(String::len).sum();
    let joined = text.join(&BLOCK_SEPARATOR.to_string());

    let t = Instant::now();
    let catalog = Catalog::builtin().expect("the built-in knowledge base");
    let decoded = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let annotator = Annotator::new(catalog).expect("the matcher");
    let built = t.elapsed().as_secs_f64() * 1e3;

    let per_block =
        measure(|| text.iter().map(|b| annotator.annotate(b, CategorySet::all()).len()).sum());
    let whole = measure(|| annotator.annotate(&joined, CategorySet::all()).len());
    assert_eq!(per_block.found, whole.found, "joining blocks must not change the findings");

    println!(
        "core (native): {} entries, {} aliases, matcher {:.2} MB; knowledge base read in {decoded:.1} ms, matcher built in {built:.1} ms",
        annotator.catalog().len(),
        annotator.pattern_count(),
        annotator.matcher_memory() as f64 / 1e6,
    );
    println!(
        "  {:.2} MB of news text in {} blocks, {} findings",
        bytes as f64 / 1e6,
        text.len(),
        whole.found
    );
    per_block.print("block by block", bytes);
    whole.print("joined (as the extension sends it)", bytes);

    if let Some(out) = std::env::var_os("FOOTNOTE_BENCH_OUT") {
        let out = std::path::PathBuf::from(out);
        std::fs::create_dir_all(&out).expect("the output folder");
        std::fs::write(out.join("text.txt"), &joined).expect("text.txt");
        let aliases: Vec<&str> = annotator
            .catalog()
            .entries()
            .iter()
            .flat_map(|e| e.aliases.iter().map(|a| a.text.as_str()))
            .collect();
        std::fs::write(out.join("aliases.json"), json_strings(&aliases)).expect("aliases.json");
        let json = format!(
            "{{\"entries\":{},\"aliases\":{},\"matcherBytes\":{},\"decodeMs\":{decoded:.3},\"buildMs\":{built:.3},\"bytes\":{bytes},\"blocks\":{},\"findings\":{},\"perBlockMs\":{},\"joinedMs\":{}}}\n",
            annotator.catalog().len(),
            annotator.pattern_count(),
            annotator.matcher_memory(),
            text.len(),
            whole.found,
            json_numbers(&per_block.times),
            json_numbers(&whole.times),
        );
        std::fs::write(out.join("native.json"), json).expect("native.json");
    }
}

struct Measured {
    /// Milliseconds, sorted.
    times: Vec<f64>,
    found: usize,
}

impl Measured {
    fn print(&self, what: &str, bytes: usize) {
        let median = self.times[self.times.len() / 2];
        println!(
            "  {what}: median {median:.1} ms = {:.0} MB/s (min {:.1}, max {:.1} ms, {} runs)",
            bytes as f64 / 1e3 / median,
            self.times[0],
            self.times[self.times.len() - 1],
            self.times.len(),
        );
    }
}

/// Runs `f` RUNS times after one warm-up run.
fn measure(mut f: impl FnMut() -> usize) -> Measured {
    let mut found = f();
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        found = std::hint::black_box(f());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    Measured { times, found }
}

fn json_numbers(v: &[f64]) -> String {
    let items: Vec<String> = v.iter().map(|x| format!("{x:.3}")).collect();
    format!("[{}]", items.join(","))
}

fn json_strings(v: &[&str]) -> String {
    let items: Vec<String> = v
        .iter()
        .map(|s| {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        })
        .collect();
    format!("[{}]", items.join(","))
}
