//! The canonical form of entry files, written by `footnote fmt`: entries sorted by id, fields in
//! a fixed order, summaries wrapped at 100 columns. CI runs `footnote fmt --check`, so every
//! change to the knowledge base reviews as a small, regular diff.
//!
//! Only the comment lines at the top of a file are kept; put notes there, or in an alias's
//! `why`.

use super::schema::{
    CaseRule, Diagnostic, RawAlias, RawEntry, SourceKind, Verification, parse_raw,
};

/// Widest line the formatter writes.
const WIDTH: usize = 100;

/// The canonical text of an entry file, or the problem that stops formatting it.
pub fn format_file(file: &str, text: &str) -> Result<String, Diagnostic> {
    let raw = parse_raw(file, text)?;
    let mut out = String::new();
    let header = header_of(text);
    out.push_str(&header);
    let mut entries: Vec<&RawEntry> = raw.entry.iter().collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    for (i, e) in entries.iter().enumerate() {
        if i > 0 || !header.is_empty() {
            out.push('\n');
        }
        write_entry(&mut out, e);
    }
    Ok(out)
}

/// True when `text` has comment lines after its header, which formatting would drop.
pub fn has_inner_comments(text: &str) -> bool {
    let header_lines = header_of(text).lines().count();
    text.lines().skip(header_lines).any(|l| l.trim_start().starts_with('#'))
}

/// The leading comment block (and the blank lines inside it), without trailing blank lines.
fn header_of(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('#') || t.is_empty() {
            lines.push(line.trim_end());
        } else {
            break;
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn write_entry(out: &mut String, e: &RawEntry) {
    out.push_str("[[entry]]\n");
    kv(out, "id", &e.id);
    kv(out, "category", &e.category);
    kv(out, "name", &e.name);
    if let Some(case) = e.case {
        kv(out, "case", case_name(case));
    }
    if !e.aliases.is_empty() {
        array(out, "aliases", &e.aliases);
    }
    out.push_str("summary = \"\"\"\n");
    for line in wrap(&e.summary.split_whitespace().collect::<Vec<_>>().join(" "), WIDTH) {
        out.push_str(&escape_multiline(&line));
        out.push('\n');
    }
    out.push_str("\"\"\"\n");
    if !e.alternatives.is_empty() {
        array(out, "alternatives", &e.alternatives);
    }
    kv(out, "reviewed", &e.reviewed);
    for a in &e.alias {
        write_alias(out, a);
    }
    for u in &e.usage {
        out.push_str("\n[[entry.usage]]\n");
        kv(out, "by", &u.by);
        kv(out, "meaning", &u.meaning);
        kv(out, "source", &u.source);
    }
    for s in &e.source {
        out.push_str("\n[[entry.source]]\n");
        kv(out, "key", &s.key);
        kv(out, "title", &s.title);
        kv(out, "publisher", &s.publisher);
        if let Some(date) = &s.date {
            kv(out, "date", date);
        }
        kv(out, "url", &s.url);
        kv(
            out,
            "kind",
            match s.kind {
                SourceKind::Primary => "primary",
                SourceKind::Secondary => "secondary",
            },
        );
        kv(
            out,
            "verified",
            match s.verified {
                Verification::Seen => "seen",
                Verification::Cited => "cited",
                Verification::Pattern => "pattern",
            },
        );
    }
}

fn write_alias(out: &mut String, a: &RawAlias) {
    out.push_str("\n[[entry.alias]]\n");
    kv(out, "text", &a.text);
    kv(out, "case", case_name(a.case));
    kv(out, "why", &a.why);
}

fn case_name(case: CaseRule) -> &'static str {
    match case {
        CaseRule::Ignore => "ignore",
        CaseRule::Capitals => "capitals",
        CaseRule::Exact => "exact",
    }
}

fn kv(out: &mut String, key: &str, value: &str) {
    out.push_str(key);
    out.push_str(" = ");
    out.push_str(&quote(value));
    out.push('\n');
}

/// `key = ["a", "b"]` on one line when it fits, else wrapped with two-space indentation.
fn array(out: &mut String, key: &str, items: &[String]) {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    let one_line = format!("{key} = [{}]", quoted.join(", "));
    if one_line.chars().count() <= WIDTH {
        out.push_str(&one_line);
        out.push('\n');
        return;
    }
    out.push_str(key);
    out.push_str(" = [\n");
    let mut line = String::from(" ");
    for q in quoted {
        if line.chars().count() + 1 + q.chars().count() + 1 > WIDTH && line.trim() != "" {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(" ");
        }
        line.push(' ');
        line.push_str(&q);
        line.push(',');
    }
    if line.trim() != "" {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str("]\n");
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One line inside a `"""` string: backslashes escaped, and no `"""` or trailing `"`.
fn escape_multiline(line: &str) -> String {
    let escaped = line.replace('\\', "\\\\").replace("\"\"\"", "\"\"\\\"");
    match escaped.strip_suffix('"') {
        // A quote just before the closing """ would merge with it.
        Some(rest) if line.ends_with('"') => format!("{rest}\\\""),
        _ => escaped,
    }
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::schema::parse_file;

    #[test]
    fn formatting_keeps_meaning_and_is_stable() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/entries");
        for path in std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()) {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let once = format_file(&name, &text).unwrap();
            let twice = format_file(&name, &once).unwrap();
            assert_eq!(once, twice, "{name}: formatting is not stable");
            let mut before = parse_file(&name, &text).unwrap();
            before.sort_by(|a, b| a.id.cmp(&b.id));
            assert_eq!(
                parse_file(&name, &once).unwrap(),
                before,
                "{name}: formatting changed an entry"
            );
        }
    }

    #[test]
    fn tricky_strings_survive() {
        let text = "[[entry]]\nid = \"x\"\ncategory = \"term\"\nname = \"\\\"Israel\\\" in quotes\"\naliases = [\"\\\"Israel\\\"\"]\n\
            summary = \"It ends with a \\\"quote\\\"\"\nreviewed = \"2026-01-01\"\n";
        let once = format_file("t.toml", text).unwrap();
        assert_eq!(format_file("t.toml", &once).unwrap(), once);
        let e = &parse_file("t.toml", &once).unwrap_err()[0]; // invalid entry (no sources), but it parses
        assert!(!e.message.contains("not a valid entry file"), "{}", e.message);
    }
}
