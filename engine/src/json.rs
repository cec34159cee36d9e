//! Reading JSON input files: one reader for every file the engine takes, so that each
//! error names its field's path (`strategy.models[2].target`, via
//! `serde_path_to_error`) and the position where the parser stopped, a byte-order mark is
//! accepted, and trailing text is rejected.

use serde::de::DeserializeOwned;

use crate::error::{Error, Result, TextPosition};

/// Reads `text` (after an optional byte-order mark) as a `T`.
///
/// # Errors
///
/// [`Error::Format`] with the field's path, the parser's message and its position.
pub(crate) fn read<T: DeserializeOwned>(text: &str) -> Result<T> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(format_error)?;
    deserializer.end().map_err(|e| parser_error(String::new(), e))?;
    Ok(value)
}

/// Whether `text` (after blanks and a byte-order mark) could be a JSON object: empty, or
/// starting with `{`.
pub(crate) fn looks_like_object(text: &str) -> bool {
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    body.is_empty() || body.starts_with('{')
}

fn format_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = clean_path(e.path().to_string());
    parser_error(path, e.into_inner())
}

/// The parser's error as an [`Error::Format`]: its message without the position, which
/// goes in a field of its own.
fn parser_error(path: String, inner: serde_json::Error) -> Error {
    let position = (inner.line() > 0).then(|| TextPosition { line: inner.line(), column: inner.column() });
    let text = inner.to_string();
    // serde_json appends " at line L column C" to every message that has a position.
    let bare = match position {
        Some(p) => text.strip_suffix(&format!(" at line {} column {}", p.line, p.column)).unwrap_or(&text),
        None => &text,
    };
    let message = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => format!("not valid JSON: {bare}"),
        _ => bare.to_owned(),
    };
    Error::Format { path, message, position }
}

fn clean_path(path: String) -> String {
    if path == "." || path == "?" {
        String::new()
    } else {
        path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        a: Vec<u32>,
    }

    #[test]
    fn errors_name_the_path_and_position() {
        let err = read::<Doc>("{\"a\": [1, \"x\"]}").unwrap_err();
        assert_eq!(err.to_string(), "a[1]: invalid type: string \"x\", expected u32 at line 1 column 13");
        assert_eq!(err.without_position().to_string(), "a[1]: invalid type: string \"x\", expected u32");
        assert!(read::<Doc>("\u{feff}{\"a\": []}").is_ok());
        assert!(read::<Doc>("{\"a\": []} x").unwrap_err().to_string().starts_with("not valid JSON: trailing"));
        assert!(read::<Doc>("").unwrap_err().to_string().starts_with("not valid JSON: EOF"));
        assert!(looks_like_object(" \u{feff} {") && !looks_like_object("[]"));
    }
}
