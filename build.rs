//! Checks the knowledge base (`data/entries/*.toml`) and embeds it: a file with a problem fails
//! the build, naming the file, the entry and what is wrong.

use std::path::{Path, PathBuf};

// The same checks as `footnote check`: these files are shared with the library.
#[path = "src/fold.rs"]
#[allow(dead_code)]
mod fold;
#[path = "src/kb/schema.rs"]
#[allow(dead_code, unused_imports)]
mod schema;

fn main() {
    let dir = Path::new("data/entries");
    println!("cargo::rerun-if-changed={}", dir.display());
    println!("cargo::rerun-if-changed=src/kb/schema.rs");
    println!("cargo::rerun-if-changed=src/fold.rs");
    let entries = match schema::load_dir(dir) {
        Ok(entries) => entries,
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
    let bytes = match postcard::to_allocvec(&entries) {
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
