//! Reading JSON input files: one reader for every file the engine takes, so that each
//! error names its field's path (`strategy.models[2].target`, via
//! `serde_path_to_error`) and the position where the parser stopped, a byte-order mark is
//! accepted, and trailing text is rejected. And the one grammar of a number in those files
//! ([`decimal`] and its kin, named in each decimal field's `deserialize_with`).

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;

use crate::check::{is_number_text, parse_number, MAX_READ};
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

/// Reads a decimal field: a string in the engine's one grammar of numbers (an optional
/// sign, digits, at most one point; see `check::parse_number`) or a JSON number, at most
/// [`MAX_READ`] in size.
///
/// # Errors
///
/// A message saying what was written and why it is not a number, or that it is above the
/// cap.
pub(crate) fn decimal<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Decimal, D::Error> {
    deserializer.deserialize_any(StrictDecimal)
}

/// [`decimal`] for an optional field (`null` or absent is `None`; give the field
/// `#[serde(default)]`).
///
/// # Errors
///
/// As [`decimal`].
pub(crate) fn optional_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Decimal>, D::Error> {
    Option::<Strict>::deserialize(deserializer).map(|v| v.map(|s| s.0))
}

/// [`decimal`] for each value of a map keyed by name (an account's prices).
///
/// # Errors
///
/// As [`decimal`].
pub(crate) fn decimal_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<BTreeMap<String, Decimal>, D::Error> {
    let map = BTreeMap::<String, Strict>::deserialize(deserializer)?;
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// A decimal read by [`decimal`], for containers of decimals.
struct Strict(Decimal);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        decimal(deserializer).map(Strict)
    }
}

struct StrictDecimal;

impl StrictDecimal {
    fn bounded<E: serde::de::Error>(value: Decimal, written: impl fmt::Display) -> std::result::Result<Decimal, E> {
        if value.abs() > MAX_READ {
            return Err(above_cap(written));
        }
        Ok(value)
    }
}

impl Visitor<'_> for StrictDecimal {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number such as \"30\" or \"12.5\"")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<Decimal, E> {
        match parse_number(text) {
            Some(value) if value.abs() <= MAX_READ => Ok(value),
            Some(_) => Err(above_cap(shown(text))),
            None if is_number_text(text) => Err(above_cap(shown(text))),
            None => Err(not_a_number(shown(text))),
        }
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Decimal, E> {
        Self::bounded(Decimal::from(v), v)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Decimal, E> {
        Self::bounded(Decimal::from(v), v)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Decimal, E> {
        // A JSON number is read as a double; its shortest decimal form is the number meant.
        // (JSON has no NaN; a caller handing one over from JavaScript is told it is none.)
        if v.is_nan() {
            return Err(not_a_number(v));
        }
        match std::str::FromStr::from_str(&v.to_string()) {
            Ok(value) => Self::bounded(value, v),
            Err(_) => Err(above_cap(format_args!("{v:e}"))),
        }
    }
}

/// The message of a number above [`MAX_READ`], as `written`.
fn above_cap<E: serde::de::Error>(written: impl fmt::Display) -> E {
    E::custom(format!("{written} is above the cap of {MAX_READ} that any number in a file has"))
}

/// The message of a value that is not in the grammar of numbers, as `written`.
fn not_a_number<E: serde::de::Error>(written: impl fmt::Display) -> E {
    E::custom(format!(
        "{written} is not a number: write digits with at most one point and an optional sign \
         (no exponent, separator or space)"
    ))
}

/// `text` quoted as typed, cut to 40 characters with its length said.
fn shown(text: &str) -> String {
    let count = text.chars().count();
    if count <= 40 {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(24).collect();
        format!("{:?} ({count} characters)", format!("{head}…"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

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

    #[derive(serde::Deserialize, Debug)]
    struct Num {
        #[serde(deserialize_with = "decimal")]
        n: Decimal,
    }

    fn num(json: &str) -> std::result::Result<Decimal, String> {
        read::<Num>(&format!("{{\"n\": {json}}}")).map(|v| v.n).map_err(|e| e.without_position().to_string())
    }

    #[test]
    fn one_grammar_of_numbers() {
        for ok in ["\"35000\"", "\"-1.5\"", "\"+2\"", "\".5\"", "\"7.\"", "30", "0.07", "-3"] {
            assert!(num(ok).is_ok(), "{ok}");
        }
        assert_eq!(num("0.07"), Ok(dec!(0.07)));
        for bad in
            ["\"35_000\"", "\"3.5E4\"", "\"1e30\"", "\" 5\"", "\"1,000\"", "\"\"", "\"-\"", "\"1.2.3\"", "\"NaN\""]
        {
            let err = num(bad).unwrap_err();
            assert!(err.starts_with("n: ") && err.contains("is not a number: write digits"), "{bad}: {err}");
        }
        let err = num("\"1000000000000000000000000000000\"").unwrap_err();
        assert_eq!(err, "n: \"1000000000000000000000000000000\" is above the cap of 1000000000000000000000000000 that any number in a file has");
        assert!(num("\"2000000000000000000000000000\"").unwrap_err().contains("above the cap"));
        let err = num("1e308").unwrap_err();
        assert_eq!(err, "n: 1e308 is above the cap of 1000000000000000000000000000 that any number in a file has");
        assert!(num("true").unwrap_err().contains("expected a number such as \"30\""));
        let long = format!("\"{}x\"", "9".repeat(300));
        assert!(num(&long).unwrap_err().len() < 160);
    }
}
