//! The core's error type.

use std::fmt;

/// An error from the core. Its kinds are private; callers show it with `Display`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ErrorKind {
    CorruptBuiltin(String),
    Matcher(String),
    UnknownCategory(String),
    TooLarge { what: &'static str, len: usize, max: usize },
}

impl Error {
    pub(crate) fn corrupt_builtin(why: String) -> Error {
        Error { kind: ErrorKind::CorruptBuiltin(why) }
    }

    pub(crate) fn matcher(why: String) -> Error {
        Error { kind: ErrorKind::Matcher(why) }
    }

    pub(crate) fn unknown_category(name: &str) -> Error {
        let shown: String = name.chars().take(40).collect();
        Error { kind: ErrorKind::UnknownCategory(shown) }
    }

    pub(crate) fn too_large(what: &'static str, len: usize, max: usize) -> Error {
        Error { kind: ErrorKind::TooLarge { what, len, max } }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::CorruptBuiltin(why) => {
                write!(f, "the embedded knowledge base cannot be read: {why}")
            }
            ErrorKind::Matcher(why) => write!(f, "the name matcher cannot be built: {why}"),
            ErrorKind::UnknownCategory(name) => write!(f, "unknown category \"{name}\""),
            ErrorKind::TooLarge { what, len, max } => {
                write!(f, "{what} is too large: {len}, at most {max}")
            }
        }
    }
}

impl std::error::Error for Error {}
