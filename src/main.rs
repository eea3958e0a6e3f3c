//! `footnote`: the core on the command line.
//!
//! ```text
//! footnote annotate [--html | --text] [FILE]   one JSON object per finding
//! footnote check [DIR]                         check the knowledge-base files
//! ```

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use footnote::kb::schema;
use footnote::{Annotator, CategorySet};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: footnote <command> [arguments]

commands:
  annotate [--html | --text] [FILE]
      Find knowledge-base entries in FILE (standard input when absent or \"-\"). HTML is
      recognised by a leading \"<\" (or forced with --html) and reduced to its visible text,
      one block per line; plain text is searched line by line. Prints one JSON object per
      finding: {\"start\", \"end\", \"text\", \"category\", \"entry\"}, offsets in UTF-8 bytes
      of the extracted text.
  check [DIR]
      Check the knowledge-base files in DIR (default: data/entries) and report every
      problem with its file and entry. Exits 1 when there is one.
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
    for a in args {
        match a.as_str() {
            "--html" => format = Some(true),
            "--text" => format = Some(false),
            f if file.is_none() && (f == "-" || !f.starts_with('-')) => file = Some(f),
            other => return Err(Failure::Usage(format!("unexpected argument \"{other}\""))),
        }
    }
    let input = read_input(file)?;
    let html = format.unwrap_or_else(|| footnote::html::looks_like_html(&input));
    let text = if html { footnote::html::text_blocks(&input).join("\n") } else { input };
    let annotator = Annotator::builtin().map_err(|e| Failure::Run(e.to_string()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut offset = 0;
    // Each line is one block (HTML blocks were joined with line breaks).
    for line in text.split_inclusive('\n') {
        for f in annotator.annotate(line, CategorySet::all()) {
            let Some(entry) = annotator.entry(f.entry) else { continue };
            let (start, end) = (offset + f.span.start, offset + f.span.end);
            let record = Line {
                start,
                end,
                text: text.get(start..end).unwrap_or(""),
                category: f.category.as_str(),
                entry: &entry.id,
            };
            let json = serde_json::to_string(&record).map_err(|e| Failure::Run(e.to_string()))?;
            if writeln!(out, "{json}").is_err() {
                // The reader went away (as with `| head`): stop quietly.
                return Ok(ExitCode::SUCCESS);
            }
        }
        offset += line.len();
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
    let dir = match args {
        [] => default_data_dir(),
        [d] if !d.starts_with('-') => PathBuf::from(d),
        _ => return Err(Failure::Usage("check takes at most one folder".into())),
    };
    match schema::load_dir(&dir) {
        Ok(entries) => {
            let terms = entries.iter().filter(|e| e.category == footnote::Category::Term).count();
            let sources: usize = entries.iter().map(|e| e.sources.len()).sum();
            println!(
                "{}: {} entries ({} contested terms), {} sources: no problems",
                dir.display(),
                entries.len(),
                terms,
                sources
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("{} problem(s) in {}", problems.len(), dir.display());
            Ok(ExitCode::from(1))
        }
    }
}

/// `data/entries` under the current folder, else the one this binary was built from.
fn default_data_dir() -> PathBuf {
    let here = Path::new("data/entries");
    if here.is_dir() {
        return here.to_path_buf();
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/entries")
}
