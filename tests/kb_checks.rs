//! Every knowledge-base check, proven by a bad file that it must catch: each file of
//! `tests/data/kb-bad/` starts with `# expect: <part of the message>`.

use footnote::kb::lint::Neutrality;
use footnote::kb::schema::{check_entries, load_base, load_dir, parse_file};
use std::path::Path;

fn problems_of(path: &Path) -> Vec<String> {
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let text = std::fs::read_to_string(path).unwrap();
    match parse_file(&name, &text) {
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
        Ok(entries) => {
            let lint = Neutrality::builtin().unwrap();
            let mut problems = Vec::new();
            for e in &entries {
                problems.extend(
                    lint.check(e).into_iter().map(|m| format!("{name}: entry `{}`: {m}", e.id)),
                );
            }
            let tagged: Vec<_> = entries.into_iter().map(|e| (name.clone(), e)).collect();
            problems.extend(check_entries(&tagged).iter().map(ToString::to_string));
            problems
        }
    }
}

#[test]
fn every_bad_file_is_caught_with_a_clear_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb-bad");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 20, "expected a bad file per check, found {}", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} lacks its '# expect:' line", path.display()));
        let problems = problems_of(path);
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if !problems.iter().any(|p| p.contains(expect) && p.starts_with(&file)) {
            failures.push(format!(
                "{file}: expected a problem containing {expect:?}, got {problems:#?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_problem_names_its_entry() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb-bad");
    let problems = problems_of(&dir.join("http-url.toml"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("http-url.toml: entry `x`: source `s`: URL"),
        "{}",
        problems[0]
    );
}

#[test]
fn a_good_knowledge_base_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kb-good");
    let entries = load_dir(&dir).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(entries.len(), 2);
    // Multi-line summaries are collapsed to single spaces.
    assert!(entries[0].summary.contains("area of separation on the Golan. The 1974"));
}

#[test]
fn the_shipped_knowledge_base_passes() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let base = load_base(&data).unwrap_or_else(|p| panic!("{p:#?}"));
    let hand = base.entries.iter().filter(|e| !e.generated).count();
    let terms = base
        .entries
        .iter()
        .filter(|e| !e.generated && e.category == footnote::Category::Term)
        .count();
    assert!(hand >= 400, "{hand} hand-written entries");
    assert!(terms >= 60, "{terms} contested terms");
}

#[test]
fn generated_entries_yield_to_hand_written_ones() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let base = load_base(&data).unwrap();
    let syria: Vec<_> = base.entries.iter().filter(|e| e.id == "syria").collect();
    assert_eq!(syria.len(), 1);
    assert!(!syria[0].generated, "the hand-written Syria entry wins");
    assert!(base.overridden.iter().any(|id| id == "syria"));
    // UN members and the two observer States without a hand-written entry are generated.
    let generated: Vec<&str> =
        base.entries.iter().filter(|e| e.generated).map(|e| e.id.as_str()).collect();
    assert!(generated.contains(&"uruguay") && generated.contains(&"holy-see"), "{generated:?}");
    assert_eq!(base.entries.iter().filter(|e| e.generated).count() + base.overridden.len(), 195);
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = std::env::temp_dir().join(format!("footnote-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let problems = load_dir(&dir).unwrap_err();
    std::fs::remove_dir_all(&dir).ok();
    assert!(problems[0].message.contains("no .toml files"), "{problems:?}");
}
