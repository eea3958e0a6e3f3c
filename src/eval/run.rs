//! The whole evaluation: loads the corpus, scores the core (and compromise), checks the
//! thresholds and renders the report `footnote eval` prints.

use super::compare::{self, KINDS, NameScore};
use super::labels::{self, Kind, LabelError, Labelled};
use super::{Class, Counts, Found, Miss, Score, Thresholds, core_findings, not_names, probe_code};
use crate::{Annotator, Category};
use std::fmt::Write;
use std::path::Path;

/// The name put inside code blocks to check that nothing there is found, and its entry.
const PROBE: (&str, &str) = ("Mount Hermon", "mount-hermon");

/// What the evaluation measured.
#[derive(Debug, Default)]
pub struct Evaluation {
    /// The texts, with their labels.
    pub texts: Vec<Labelled>,
    /// The core's score.
    pub score: Score,
    /// Findings that a text not in English must not have: (text, words, class).
    pub not_names: Vec<(String, String, String)>,
    /// Code elements probed, and probes found in them.
    pub code: (usize, usize),
    /// Names side by side: the core's and compromise's, when it ran.
    pub names: (NameScore, Option<NameScore>),
    /// The thresholds checked, as (passed, sentence).
    pub checks: Vec<(bool, String)>,
    /// The thresholds not met.
    pub failures: Vec<String>,
}

/// Runs the evaluation of `annotator` over the labelled corpus of the repository at `root`.
/// Wrong label files and a missing comparison system are errors; thresholds not met are
/// [`Evaluation::failures`].
pub fn evaluate(
    root: &Path,
    annotator: &Annotator,
    with_compromise: bool,
) -> Result<Evaluation, String> {
    let thresholds_path = root.join("tests/eval/thresholds.toml");
    let thresholds: Thresholds = std::fs::read_to_string(&thresholds_path)
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string().trim_end().to_string()))
        .map_err(|e| format!("{}: {e}", thresholds_path.display()))?;
    let files = labels::corpus_files(root);
    if files.is_empty() {
        return Err(format!("no label files under {}", root.display()));
    }
    let mut errors: Vec<LabelError> = Vec::new();
    let mut e = Evaluation::default();
    for path in &files {
        match labels::load(path, annotator) {
            Ok(text) => e.texts.push(text),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    if !errors.is_empty() {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(format!("{} problem(s) in the labels:\n{}", lines.len(), lines.join("\n")));
    }
    let category_of =
        |id: &str| annotator.find(id).and_then(|i| annotator.entry(i)).map(|e| e.category);
    let mut ours: Vec<Vec<Found>> = Vec::new();
    let mut our_names = NameScore::default();
    for text in &e.texts {
        let found = core_findings(annotator, &text.text);
        super::score_text(text, &found, &category_of, &mut e.score);
        compare::score_names(text, &found, &mut our_names);
        for f in not_names(text, &found) {
            let words = text.text.get(f.span.start..f.span.end).unwrap_or("").to_string();
            e.not_names.push((text.name.clone(), words, f.class.name()));
        }
        ours.push(found);
    }
    // Code blocks: every HTML page of the corpus.
    for path in &files {
        let Some(dir) = path.parent() else { continue };
        let Ok(raw) = std::fs::read_to_string(path) else { continue };
        let Some(source) = raw.lines().find_map(|l| {
            l.strip_prefix("source = \"").and_then(|r| r.split('"').next()).map(str::to_string)
        }) else {
            continue;
        };
        if source.ends_with(".html") {
            let html =
                std::fs::read_to_string(dir.join(&source)).map_err(|e| format!("{source}: {e}"))?;
            let (elements, found) = probe_code(annotator, &html, PROBE.0, PROBE.1);
            e.code.0 += elements;
            e.code.1 += found;
        }
    }
    let theirs = if with_compromise {
        let found = compare::run_compromise(root, &e.texts)?;
        let mut score = NameScore::default();
        for (text, found) in e.texts.iter().zip(&found) {
            compare::score_names(text, found, &mut score);
        }
        Some(score)
    } else {
        None
    };
    e.names = (our_names, theirs);
    // Thresholds.
    let mut checks: Vec<(bool, String)> = Vec::new();
    let kb = e.score.knowledge_base();
    let mut minimum = |what: &str, min: Option<f64>, value: Option<f64>| {
        if let Some(min) = min {
            let shown = value.map_or("not measured".to_string(), |v| format!("{v:.3}"));
            checks.push((value.is_some_and(|v| v >= min), format!("{what} {shown} >= {min:.2}")));
        }
    };
    minimum("knowledge-base precision", thresholds.knowledge_base.precision, kb.precision());
    minimum("knowledge-base recall", thresholds.knowledge_base.recall, kb.recall());
    if let Some(lt) = thresholds.long_tail {
        let counts = e.score.long_tail();
        minimum("long-tail precision", lt.precision, counts.precision());
        minimum("long-tail recall", lt.recall, counts.recall());
    }
    if thresholds.only_names_unless_english {
        let others: Vec<&str> =
            e.texts.iter().filter(|t| t.language != "en").map(|t| t.name.as_str()).collect();
        checks.push((
            e.not_names.is_empty() && !others.is_empty(),
            format!(
                "only proper names found in texts not in English ({}): {} other finding(s)",
                others.join(", "),
                e.not_names.len()
            ),
        ));
    }
    if thresholds.nothing_in_code {
        checks.push((
            e.code.0 > 0 && e.code.1 == 0,
            format!(
                "nothing found inside code: \"{}\" put in {} code or pre element(s), found {} time(s)",
                PROBE.0, e.code.0, e.code.1
            ),
        ));
    }
    if thresholds.beat_compromise {
        match &e.names.1 {
            None => checks
                .push((false, "compared with compromise: not run (--without-compromise)".into())),
            Some(theirs) => {
                let ours = NameScore::total(&e.names.0.all);
                let theirs = NameScore::total(&theirs.all);
                let higher = |a: Option<f64>, b: Option<f64>| a.unwrap_or(0.0) > b.unwrap_or(0.0);
                for (what, a, b) in [
                    ("precision", ours.precision(), theirs.precision()),
                    ("recall", ours.recall(), theirs.recall()),
                ] {
                    checks.push((
                        higher(a, b),
                        format!(
                            "{what} of names higher than compromise's: {} > {}",
                            ratio(a),
                            ratio(b)
                        ),
                    ));
                }
            }
        }
    }
    e.failures = checks.iter().filter(|(ok, _)| !ok).map(|(_, s)| s.clone()).collect();
    e.checks = checks;
    Ok(e)
}

fn ratio(v: Option<f64>) -> String {
    v.map_or("  -  ".to_string(), |v| format!("{v:.3}"))
}

impl Evaluation {
    /// The report `footnote eval` prints.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let labelled: usize = self.texts.iter().map(|t| t.occurrences.len()).sum();
        let _ = writeln!(
            out,
            "footnote eval: {} labelled texts, {} labelled occurrences\n",
            self.texts.len(),
            labelled
        );
        let _ = writeln!(
            out,
            "{:<28}{:>10}{:>8}{:>8}{:>8}{:>8}{:>8}",
            "knowledge base", "precision", "recall", "right", "wrong", "found", "missed"
        );
        let row = |out: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "  {:<26}{:>10}{:>8}{:>8}{:>8}{:>8}{:>8}",
                name,
                ratio(c.precision()),
                ratio(c.recall()),
                c.right,
                c.wrong,
                c.found,
                c.missed
            );
        };
        for category in Category::ALL {
            let c = self.score.classes.get(&Class::Kb(category)).copied().unwrap_or_default();
            row(&mut out, category.as_str(), &c);
        }
        row(&mut out, "all", &self.score.knowledge_base());
        // Long-tail names (the `names` category): recall is over every labelled name without
        // an entry, which includes many the rules leave out on purpose (no evidence of kind).
        let _ = writeln!(out, "\nlong-tail names (no entry)");
        for kind in [Kind::Person, Kind::Organisation, Kind::Place] {
            let c = self.score.classes.get(&Class::LongTail(kind)).copied().unwrap_or_default();
            row(&mut out, kind.as_str(), &c);
        }
        row(&mut out, "all", &self.score.long_tail());
        let _ = writeln!(out, "\n{:<28}{:>10}{:>8}", "not yet detected", "labelled", "found");
        for (class, c) in &self.score.classes {
            if matches!(
                class,
                Class::Kb(_) | Class::LongTail(Kind::Person | Kind::Organisation | Kind::Place)
            ) {
                continue;
            }
            let _ = writeln!(out, "  {:<26}{:>10}{:>8}", class.name(), c.found + c.missed, c.found);
        }
        // Names side by side.
        let (ours, theirs) = &self.names;
        let _ = writeln!(
            out,
            "\nnames, exact spans: footnote beside compromise {}",
            if theirs.is_some() { "" } else { "(not run)" }
        );
        let _ = writeln!(
            out,
            "{:<16}{:>10}{:>8}{:>12}  |{:>10}{:>8}{:>12}",
            "", "precision", "recall", "recall (kb)", "precision", "recall", "recall (kb)"
        );
        let side =
            |out: &mut String, name: &str, a: (Counts, Counts), b: Option<(Counts, Counts)>| {
                let (ba, bk) = b.map_or((None, None), |(x, y)| (Some(x), Some(y)));
                let _ = writeln!(
                    out,
                    "  {:<14}{:>10}{:>8}{:>12}  |{:>10}{:>8}{:>12}",
                    name,
                    ratio(a.0.precision()),
                    ratio(a.0.recall()),
                    ratio(a.1.recall()),
                    ratio(ba.and_then(|c| c.precision())),
                    ratio(ba.and_then(|c| c.recall())),
                    ratio(bk.and_then(|c| c.recall())),
                );
            };
        for kind in KINDS {
            let get = |s: &NameScore| {
                (
                    s.all.get(&kind).copied().unwrap_or_default(),
                    s.covered.get(&kind).copied().unwrap_or_default(),
                )
            };
            side(&mut out, kind.as_str(), get(ours), theirs.as_ref().map(get));
        }
        let totals = |s: &NameScore| (NameScore::total(&s.all), NameScore::total(&s.covered));
        side(&mut out, "all", totals(ours), theirs.as_ref().map(totals));
        let list = |out: &mut String, title: &str, misses: &[Miss]| {
            let _ = writeln!(out, "\n{title} ({}):", misses.len());
            for m in misses {
                let _ = writeln!(
                    out,
                    "  {}: \"{}\": expected {}; found {}\n      {}",
                    m.text, m.words, m.expected, m.found, m.context
                );
            }
        };
        list(&mut out, "false positives", &self.score.false_positives);
        list(&mut out, "false negatives", &self.score.false_negatives);
        if !self.score.unlabelled_entries.is_empty() {
            list(
                &mut out,
                "found on labels that name no entry (add the entry to the label, or fix the base)",
                &self.score.unlabelled_entries,
            );
        }
        if !self.not_names.is_empty() {
            let _ = writeln!(out, "\nfindings other than proper names in texts not in English:");
            for (text, words, class) in &self.not_names {
                let _ = writeln!(out, "  {text}: \"{words}\" ({class})");
            }
        }
        let _ = writeln!(out, "\nchecks (tests/eval/thresholds.toml):");
        for (ok, what) in &self.checks {
            let _ = writeln!(out, "  {} {what}", if *ok { "ok  " } else { "FAIL" });
        }
        let _ = writeln!(
            out,
            "{} of {} checks met",
            self.checks.len() - self.failures.len(),
            self.checks.len()
        );
        out
    }
}
