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
        _ => in_plain_words(bare),
    };
    Error::Format { path, message, position }
}

/// The parser's message in the words of a file's reader, not of the program's types:
/// `expected struct BandRepr` is `expected an object`, `expected u32` is `expected a whole
/// number`; one line always.
fn in_plain_words(message: &str) -> String {
    // What serde says it expected, and the words a reader of the file knows; a type's
    // own name (after `struct`, `enum`) is dropped.
    const NAMED: [(&str, &str); 3] =
        [("tuple struct ", "a list"), ("struct ", "an object"), ("enum ", "one of the documented words")];
    const PLAIN: [(&str, &str); 15] = [
        ("a sequence", "a list"),
        ("sequence", "a list"),
        ("a map", "an object"),
        ("map", "an object"),
        ("u8", "a whole number"),
        ("u16", "a whole number"),
        ("u32", "a whole number"),
        ("u64", "a whole number"),
        ("usize", "a whole number"),
        ("i8", "a whole number"),
        ("i16", "a whole number"),
        ("i32", "a whole number"),
        ("i64", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
    ];
    let Some(at) = message.find("expected ") else { return one_line(message) };
    let (head, expected) = message.split_at(at + "expected ".len());
    let named = NAMED.iter().find_map(|(prefix, plain)| {
        let rest = expected.strip_prefix(prefix)?;
        Some((*plain, rest.split_once(' ').map_or("", |(_, tail)| tail)))
    });
    let plain = || {
        PLAIN.iter().find_map(|(prefix, plain)| {
            let rest = expected.strip_prefix(prefix)?;
            (rest.is_empty() || rest.starts_with(' ')).then(|| (*plain, rest.trim_start()))
        })
    };
    match named.or_else(plain) {
        Some((plain, "")) => one_line(&format!("{head}{plain}")),
        Some((plain, rest)) => one_line(&format!("{head}{plain} {rest}")),
        None => one_line(message),
    }
}

/// `text` on one line: line breaks and tabs become spaces.
fn one_line(text: &str) -> String {
    text.split(['\n', '\r', '\t']).filter(|part| !part.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The parser's path as a reader writes it: no `?` (a segment the parser could not name,
/// inside an enum or a key), nothing for the top level.
fn clean_path(path: String) -> String {
    path.split('.').filter(|segment| *segment != "?" && !segment.is_empty()).collect::<Vec<_>>().join(".")
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

/// A fraction of a market file (a return, a volatility) read as [`decimal`] reads
/// (the same grammar, the same cap), as a float.
///
/// # Errors
///
/// As [`decimal`].
pub(crate) fn float<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<f64, D::Error> {
    decimal(deserializer).map(crate::money::to_f64)
}

/// [`float`] for each cell of a matrix (a market's correlations).
///
/// # Errors
///
/// As [`decimal`].
pub(crate) fn float_matrix<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<Vec<f64>>, D::Error> {
    let rows = Vec::<Vec<Strict>>::deserialize(deserializer)?;
    Ok(rows.into_iter().map(|row| row.into_iter().map(|cell| crate::money::to_f64(cell.0)).collect()).collect())
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
        assert_eq!(err.to_string(), "a[1]: invalid type: string \"x\", expected a whole number at line 1 column 13");
        assert_eq!(err.without_position().to_string(), "a[1]: invalid type: string \"x\", expected a whole number");
        assert!(read::<Doc>("\u{feff}{\"a\": []}").is_ok());
        assert!(read::<Doc>("{\"a\": []} x").unwrap_err().to_string().starts_with("not valid JSON: trailing"));
        assert!(read::<Doc>("").unwrap_err().to_string().starts_with("not valid JSON: EOF"));
        assert!(looks_like_object(" \u{feff} {") && !looks_like_object("[]"));
    }

    #[test]
    fn paths_have_no_unnamed_segment() {
        assert_eq!(clean_path("?".into()), "");
        assert_eq!(clean_path(".".into()), "");
        assert_eq!(clean_path("strategy.?.band".into()), "strategy.band");
        assert_eq!(clean_path("a[1].?".into()), "a[1]");
        assert_eq!(clean_path("account.sleeves[0].value".into()), "account.sleeves[0].value");
    }

    #[test]
    fn messages_use_the_words_of_the_file_not_of_the_types() {
        let cases = [
            ("invalid type: integer `3`, expected struct BandRepr", "invalid type: integer `3`, expected an object"),
            ("invalid type: string \"x\", expected a sequence", "invalid type: string \"x\", expected a list"),
            ("invalid type: map, expected tuple struct Pair", "invalid type: map, expected a list"),
            ("invalid type: null, expected enum Kind", "invalid type: null, expected one of the documented words"),
            ("invalid type: string \"0.07\", expected f64", "invalid type: string \"0.07\", expected a number"),
            ("invalid value: integer `-1`, expected usize", "invalid value: integer `-1`, expected a whole number"),
            ("unknown variant `x`, expected `a` or `b`", "unknown variant `x`, expected `a` or `b`"),
            ("two\nlines", "two lines"),
        ];
        for (serde, plain) in cases {
            assert_eq!(in_plain_words(serde), plain);
        }
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
