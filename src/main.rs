//! `footnote`: the core on the command line.
//!
//! ```text
//! footnote annotate [--html | --text] [--categories=LIST] [FILE]   one JSON object per finding
//! footnote check [DIR]                         check the knowledge base
//! footnote fmt [--check] [DIR]                 write the entry files in canonical form
//! footnote stats [DIR]                         what the knowledge base holds, in numbers
//! footnote coverage FILE...                    names in texts that the base lacks
//! footnote eval [--without-compromise]         scores against the labelled texts
//! ```

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use footnote::kb::safety::{self, WordLists};
use footnote::kb::{format, schema};
use footnote::{Annotator, Catalog, CategorySet};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: footnote <command> [arguments]

commands:
  annotate [--html | --text] [--categories=LIST] [--names] [FILE]
      Find knowledge-base entries in FILE (standard input when absent or \"-\"). HTML is
      recognised by a leading \"<\" (or forced with --html) and reduced to its visible text,
      one block per line; plain text is one block per line. The blocks are searched in one
      call, as the extension sends them. LIST names the categories (comma-separated; default,
      as a site shows them until the reader changes them: person,organisation,place,document,
      term; also framing, names). Prints one JSON object per
      finding: {\"start\", \"end\", \"text\", \"category\", \"entry\"}, offsets in UTF-8 bytes
      of the extracted text. With --names, also names the knowledge base lacks, with category
      \"names\" and entry \"unknown-person\", \"unknown-organisation\" or \"unknown-place\".
  check [DIR]
      Check the knowledge base in the data folder DIR (default: data): its entries/ and
      generated/ files, the neutrality lint and alias safety (word lists in DIR/reference,
      reference pages in tests/fixtures/pages). DIR may also be a plain folder of entry files.
      Reports every problem with its file and entry; exits 1 when there is one.
  fmt [--check] [DIR]
      Rewrite the entry files of DIR (default: data) in canonical form. With --check, change
      nothing and exit 1 if a file is not in canonical form.
  stats [DIR]
      Entries per category, sources per entry, the share with a primary source, and how the
      sources were verified.
  coverage FILE...
      The capitalised names in FILEs (text or HTML) that no entry covers, most frequent first.
  eval [--without-compromise]
      Score the core against the labelled texts (tests/fixtures/pages/*.labels.toml and
      tests/eval/texts/*.labels.toml; see tests/eval/README.md): precision and recall per
      category, every false positive and false negative, and compromise's scores on the same
      names beside the core's (needs Node and npm ci). Exits 1 when a label file is wrong or
      a threshold of tests/eval/thresholds.toml is not met. Run it from the repository.
  help
      Show this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "annotate" => annotate(rest),
        "check" => check(rest),
        "fmt" => fmt(rest),
        "stats" => stats(rest),
        "coverage" => coverage(rest),
        "eval" => eval(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(Failure::Usage(format!("unknown command \"{other}\""))),
    };
    match result {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("footnote: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            eprintln!("footnote: {message}");
            ExitCode::from(1)
        }
    }
}

enum Failure {
    /// The command line is wrong.
    Usage(String),
    /// The command could not do its work.
    Run(String),
}

#[derive(Serialize)]
struct Line<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    category: &'a str,
    entry: &'a str,
}

fn annotate(args: &[String]) -> Result<ExitCode, Failure> {
    let mut format: Option<bool> = None; // Some(true): HTML
    let mut file: Option<&str> = None;
    // What a site shows by default: framing and long-tail names are switched on by readers.
    let mut categories = CategorySet::all_except(footnote::Category::Framing);
    for a in args {
        match a.as_str() {
            "--html" => format = Some(true),
            "--names" => categories = categories.with_names(),
            "--text" => format = Some(false),
            c if c.starts_with("--categories=") => {
                let names: Vec<&str> =
                    c["--categories=".len()..].split(',').filter(|n| !n.is_empty()).collect();
                categories =
                    CategorySet::from_names(&names).map_err(|e| Failure::Usage(e.to_string()))?;
            }
            f if file.is_none() && (f == "-" || !f.starts_with('-')) => file = Some(f),
            other => return Err(Failure::Usage(format!("unexpected argument \"{other}\""))),
        }
    }
    let input = read_input(file)?;
    let html = format.unwrap_or_else(|| footnote::html::looks_like_html(&input));
    let text = if html { footnote::html::text_blocks(&input).join("\n") } else { input };
    let annotator = Annotator::builtin().map_err(|e| Failure::Run(e.to_string()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Each line is one block (HTML blocks were joined with line breaks), and the blocks go to
    // the core in one call, as the extension sends them: a line break and the block separator
    // are both one byte, so offsets stay those of `text`.
    let blocks = text.replace('\n', &footnote::BLOCK_SEPARATOR.to_string());
    for f in annotator.annotate(&blocks, categories) {
        let (category, id) = match (f.unknown(), annotator.entry(f.entry)) {
            (Some(kind), _) => (CategorySet::NAMES, kind.as_str().to_string()),
            (None, Some(entry)) => (f.category.as_str(), entry.id.clone()),
            (None, None) => continue,
        };
        let (start, end) = (f.span.start, f.span.end);
        let record =
            Line { start, end, text: text.get(start..end).unwrap_or(""), category, entry: &id };
        let json = serde_json::to_string(&record).map_err(|e| Failure::Run(e.to_string()))?;
        if writeln!(out, "{json}").is_err() {
            // The reader went away (as with `| head`): stop quietly.
            return Ok(ExitCode::SUCCESS);
        }
    }
    if out.flush().is_err() {
        return Ok(ExitCode::SUCCESS);
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads FILE or standard input as text; bytes that are not UTF-8 become U+FFFD, with a
/// warning.
fn read_input(file: Option<&str>) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    match file {
        None | Some("-") => std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| Failure::Run(format!("cannot read standard input: {e}")))?,
        Some(path) => {
            bytes = std::fs::read(path)
                .map_err(|e| Failure::Run(format!("cannot read {path}: {e}")))?;
            bytes.len()
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            eprintln!(
                "footnote: warning: the input is not valid UTF-8; invalid bytes were replaced"
            );
            Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
        }
    }
}

fn check(args: &[String]) -> Result<ExitCode, Failure> {
    let dir = data_dir_arg(args)?;
    let loaded = if dir.join("entries").is_dir() {
        schema::load_base(&dir).map(|b| (b.entries, b.overridden.len()))
    } else {
        schema::load_dir(&dir).map(|e| (e, 0))
    };
    let (entries, overridden) = match loaded {
        Ok(ok) => ok,
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{} problem(s) in {}", problems.len(), dir.display());
            return Ok(ExitCode::from(1));
        }
    };
    let context_file = dir.join("context.toml");
    if context_file.is_file() {
        let problems = match schema::load_context(&context_file) {
            Ok(rules) => {
                schema::check_context(&context_file.display().to_string(), &rules, &entries)
            }
            Err(problems) => problems,
        };
        if !problems.is_empty() {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{} problem(s) in {}", problems.len(), context_file.display());
            return Ok(ExitCode::from(1));
        }
    }
    let hand = entries.iter().filter(|e| !e.generated).count();
    let terms = entries.iter().filter(|e| e.category == footnote::Category::Term).count();
    let sources: usize = entries.iter().map(|e| e.sources.len()).sum();
    println!(
        "{}: {} entries ({} hand-written, {} generated, {} overridden; {} contested terms), {} sources: no problems",
        dir.display(),
        entries.len(),
        hand,
        entries.len() - hand,
        overridden,
        terms,
        sources
    );
    // Alias safety, when the word lists are there (they are in the repository's data folder).
    let lists = match WordLists::read(&dir.join("reference")) {
        Ok(lists) => lists,
        Err(_) => return Ok(ExitCode::SUCCESS),
    };
    let annotator =
        Annotator::new(Catalog::new(entries)).map_err(|e| Failure::Run(e.to_string()))?;
    let pages = reference_pages(&dir);
    let report = safety::check_aliases(&annotator, &lists, &pages);
    for w in &report.warnings {
        println!(
            "warning: entry `{}`: {} ({} matches in {} reference pages)",
            w.entry,
            w.message,
            w.matches,
            pages.len()
        );
    }
    for e in &report.errors {
        eprintln!("entry `{}`: {}", e.entry, e.message);
    }
    println!(
        "alias safety: {} error(s), {} alias(es) to review (confirm each with an [[entry.alias]] block and a why)",
        report.errors.len(),
        report.warnings.len()
    );
    Ok(if report.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The visible text of the reference pages next to the data folder (tests/fixtures/pages).
fn reference_pages(data: &Path) -> Vec<String> {
    let dir = data.parent().unwrap_or(Path::new(".")).join("tests/fixtures/pages");
    let Ok(read) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.retain(|p| p.extension().is_some_and(|x| x == "html"));
    files.sort();
    files
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|html| footnote::html::text_blocks(&html).join("\n"))
        .collect()
}

fn fmt(args: &[String]) -> Result<ExitCode, Failure> {
    let check = args.iter().any(|a| a == "--check");
    let rest: Vec<String> = args.iter().filter(|a| *a != "--check").cloned().collect();
    let dir = data_dir_arg(&rest)?;
    // Generated files are written by their generators (which `--check` in CI), not formatted.
    let folders =
        if dir.join("entries").is_dir() { vec![dir.join("entries")] } else { vec![dir.clone()] };
    let mut files = Vec::new();
    for folder in folders.iter().filter(|f| f.is_dir()) {
        let read = std::fs::read_dir(folder)
            .map_err(|e| Failure::Run(format!("{}: {e}", folder.display())))?;
        files.extend(
            read.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml")),
        );
    }
    files.sort();
    let mut drift = 0;
    for path in &files {
        let name = path.display().to_string();
        let text =
            std::fs::read_to_string(path).map_err(|e| Failure::Run(format!("{name}: {e}")))?;
        let canonical =
            format::format_file(&name, &text).map_err(|d| Failure::Run(d.to_string()))?;
        if format::has_inner_comments(&text) {
            eprintln!(
                "{name}: comments inside entries are not kept; move them to the top of the file or into a why"
            );
        }
        if canonical == text {
            continue;
        }
        drift += 1;
        if check {
            eprintln!("{name}: not in canonical form (run: footnote fmt)");
        } else {
            std::fs::write(path, canonical).map_err(|e| Failure::Run(format!("{name}: {e}")))?;
            println!("formatted {name}");
        }
    }
    if check && drift > 0 {
        eprintln!("{drift} file(s) to format");
        return Ok(ExitCode::from(1));
    }
    if check {
        println!("{} entry files in canonical form", files.len());
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(args: &[String]) -> Result<ExitCode, Failure> {
    let dir = data_dir_arg(args)?;
    match schema::load_base(&dir) {
        Ok(base) => {
            print!("{}", footnote::kb::stats::report(&base.entries, base.overridden.len()));
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            Err(Failure::Run(format!(
                "the knowledge base has {} problem(s); run footnote check",
                problems.len()
            )))
        }
    }
}

fn coverage(args: &[String]) -> Result<ExitCode, Failure> {
    if args.is_empty() {
        return Err(Failure::Usage("coverage needs at least one file".into()));
    }
    let annotator = Annotator::builtin().map_err(|e| Failure::Run(e.to_string()))?;
    let mut blocks = Vec::new();
    for file in args {
        let text = read_input(Some(file))?;
        if footnote::html::looks_like_html(&text) {
            blocks.extend(footnote::html::text_blocks(&text));
        } else {
            blocks.extend(text.lines().map(str::to_string));
        }
    }
    let common = common_words();
    let names = footnote::coverage::uncovered_names(&annotator, &blocks, &common);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (name, count) in names {
        if writeln!(out, "{count}\t{name}").is_err() {
            break;
        }
    }
    let _ = out.flush();
    Ok(ExitCode::SUCCESS)
}

fn eval(args: &[String]) -> Result<ExitCode, Failure> {
    let mut with_compromise = true;
    for a in args {
        match a.as_str() {
            "--without-compromise" => with_compromise = false,
            other => return Err(Failure::Usage(format!("unexpected argument \"{other}\""))),
        }
    }
    let root = repository_root();
    let annotator = Annotator::builtin().map_err(|e| Failure::Run(e.to_string()))?;
    let evaluation =
        footnote::eval::run::evaluate(&root, &annotator, with_compromise).map_err(Failure::Run)?;
    print!("{}", evaluation.render());
    Ok(if evaluation.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The current folder when it is the repository (it has tests/eval), else the one this binary
/// was built from.
fn repository_root() -> PathBuf {
    let here = Path::new(".");
    if here.join("tests/eval").is_dir() {
        return here.to_path_buf();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The common words of data/reference, or none when they are not there.
fn common_words() -> std::collections::HashSet<String> {
    let path = default_data_dir().join("reference/common-words.txt");
    std::fs::read_to_string(path)
        .map(|t| t.lines().filter(|l| !l.starts_with('#')).map(str::to_string).collect())
        .unwrap_or_default()
}

/// The optional data-folder argument (default: data).
fn data_dir_arg(args: &[String]) -> Result<PathBuf, Failure> {
    match args {
        [] => Ok(default_data_dir()),
        [d] if !d.starts_with('-') => Ok(PathBuf::from(d)),
        _ => Err(Failure::Usage("expected at most one folder".into())),
    }
}

/// `data` under the current folder, else the one this binary was built from.
fn default_data_dir() -> PathBuf {
    let here = Path::new("data");
    if here.join("entries").is_dir() {
        return here.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}
