//! `footnote stats`: what the knowledge base holds, in numbers.

use super::schema::{Category, Entry, SourceKind, Verification};
use std::fmt::Write;

/// The report `footnote stats` prints.
pub fn report(entries: &[Entry], overridden: usize) -> String {
    let hand: Vec<&Entry> = entries.iter().filter(|e| !e.generated).collect();
    let generated = entries.len() - hand.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "entries: {} hand-written, {} generated (UN member and observer states; {} more generated ones \
         overridden by hand-written entries)",
        hand.len(),
        generated,
        overridden
    );
    let by_category: Vec<String> = Category::ALL
        .iter()
        .map(|c| format!("{} {}", c.as_str(), hand.iter().filter(|e| e.category == *c).count()))
        .collect();
    let _ = writeln!(out, "hand-written by category: {}", by_category.join(", "));
    let terms: Vec<&&Entry> = hand.iter().filter(|e| e.category == Category::Term).collect();
    let usages: Vec<usize> = terms.iter().map(|e| e.usages.len()).collect();
    let _ = writeln!(
        out,
        "contested terms: {} (attributed usages per term: {})",
        terms.len(),
        spread(&usages)
    );
    let sources: Vec<usize> = hand.iter().map(|e| e.sources.len()).collect();
    let _ = writeln!(
        out,
        "sources (hand-written): {} in all; per entry {}",
        sources.iter().sum::<usize>(),
        spread(&sources)
    );
    let with_primary =
        hand.iter().filter(|e| e.sources.iter().any(|s| s.kind == SourceKind::Primary)).count();
    let _ = writeln!(
        out,
        "entries with a primary source (hand-written): {} of {} ({:.0}%)",
        with_primary,
        hand.len(),
        percent(with_primary, hand.len())
    );
    let all_sources = || entries.iter().flat_map(|e| e.sources.iter());
    let count = |v: Verification| all_sources().filter(|s| s.verified == v).count();
    let _ = writeln!(
        out,
        "source verification (all entries): seen {}, cited {}, pattern {}",
        count(Verification::Seen),
        count(Verification::Cited),
        count(Verification::Pattern)
    );
    let aliases: usize = entries.iter().map(|e| e.aliases.len()).sum();
    let _ = writeln!(out, "aliases: {aliases}");
    out
}

fn spread(values: &[usize]) -> String {
    if values.is_empty() {
        return "none".into();
    }
    let mut v = values.to_vec();
    v.sort_unstable();
    format!("min {}, median {}, max {}", v[0], v[v.len() / 2], v[v.len() - 1])
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 * 100.0 / whole as f64 }
}
