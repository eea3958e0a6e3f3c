//! Checks the knowledge base (`data/entries/*.toml`, `data/generated/*.toml`) and embeds it: a
//! file with a problem fails the build, naming the file, the entry and what is wrong.

use std::path::{Path, PathBuf};

// The same checks as `footnote check`: this mirrors the library's module tree so that the
// shared files resolve their paths the same way in both.
#[allow(dead_code, unused_imports)]
mod src {
    pub mod fold;
    pub mod kb {
        pub mod lint;
        pub mod schema;
    }
}

fn main() {
    let data = Path::new("data");
    for watched in [
        "data/entries",
        "data/generated",
        "data/neutrality.toml",
        "data/un-resolutions.toml",
        "data/stop-phrases.toml",
        "data/texts",
        "data/context.toml",
        "data/reference",
        "src/kb",
        "src/fold.rs",
    ] {
        println!("cargo::rerun-if-changed={watched}");
    }
    let base = match src::kb::schema::load_base(data) {
        Ok(base) => base,
        Err(problems) => {
            for p in &problems {
                println!("cargo::error={p}");
            }
            println!(
                "cargo::error=the knowledge base has {} problem(s); see data/README.md",
                problems.len()
            );
            std::process::exit(1);
        }
    };
    let resolutions =
        match src::kb::schema::load_resolution_table(&data.join("un-resolutions.toml")) {
            Ok(table) => table,
            Err(problems) => {
                for p in &problems {
                    println!("cargo::error={p}");
                }
                std::process::exit(1);
            }
        };
    let stop_phrases = match src::kb::schema::load_stop_phrases(&data.join("stop-phrases.toml")) {
        Ok(phrases) => phrases,
        Err(problems) => {
            for p in &problems {
                println!("cargo::error={p}");
            }
            std::process::exit(1);
        }
    };
    let texts = match src::kb::schema::load_texts(&data.join("texts"), &base.entries) {
        Ok(texts) => texts,
        Err(problems) => {
            for p in &problems {
                println!("cargo::error={p}");
            }
            std::process::exit(1);
        }
    };
    let context_file = data.join("context.toml");
    let first_names = match src::kb::schema::first_names(&data.join("reference")) {
        Ok(names) => names,
        Err(problems) => {
            for p in &problems {
                println!("cargo::error={p}");
            }
            std::process::exit(1);
        }
    };
    let context = match src::kb::schema::load_context(&context_file) {
        Ok(rules) => src::kb::schema::ContextRules {
            first_names: src::kb::schema::WordList::new(first_names),
            ..rules
        },
        Err(problems) => {
            for p in &problems {
                println!("cargo::error={p}");
            }
            std::process::exit(1);
        }
    };
    let problems = src::kb::schema::check_context(
        &context_file.display().to_string(),
        &context,
        &base.entries,
    );
    if !problems.is_empty() {
        for p in &problems {
            println!("cargo::error={p}");
        }
        std::process::exit(1);
    }
    let builtin = src::kb::schema::Builtin {
        entries: base.entries,
        resolutions,
        stop_phrases,
        context,
        texts,
    };
    let bytes = match postcard::to_allocvec(&builtin) {
        Ok(bytes) => bytes,
        Err(e) => {
            println!("cargo::error=cannot encode the knowledge base: {e}");
            std::process::exit(1);
        }
    };
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("kb.postcard");
    if let Err(e) = std::fs::write(&out, bytes) {
        println!("cargo::error=cannot write {}: {e}", out.display());
        std::process::exit(1);
    }
}
