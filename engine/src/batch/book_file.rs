//! The book file: the strategies of a book of business, each a strategy exactly as in
//! scenario files plus an `id` (what each account names) and a `name` (for people).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::band::Band;
use crate::check::check_id;
use crate::error::{Error, Result};
use crate::json;
use crate::strategy::{default_step, Model, Range, Strategy};

/// The strategies of a book of business.
///
/// # Examples
///
/// ```
/// let text = r#"{"strategies": [{"id": "balanced", "name": "Balanced",
///   "models": [{"id": "stocks", "target": "60"}, {"id": "bonds", "target": "40"}],
///   "band": {"kind": "relative", "width": "20"}, "range": {"mode": "target"}}]}"#;
/// let book = uma_engine::Book::from_json(text)?;
/// assert_eq!(book.strategies[0].strategy.models.len(), 2);
/// assert_eq!(book.find("balanced"), Some(0));
/// # Ok::<(), uma_engine::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The strategies, each with its id.
    pub strategies: Vec<BookStrategy>,
}

/// One strategy of a book: an id and a name beside the fields of a scenario's strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StrategyIn")]
pub struct BookStrategy {
    /// What the accounts under this strategy name in their `strategy` field.
    pub id: String,
    /// The strategy's name, for people; defaults to the id.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The strategy (models, cash target, band, range, step), as in scenario files.
    #[serde(flatten)]
    pub strategy: Strategy,
}

/// A [`BookStrategy`] as a book file writes it: the id and name beside the fields of
/// [`Strategy`] (with its attributes). serde's `flatten` would read it, but loses the
/// path of a bad field and lets unknown fields through.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StrategyIn {
    id: String,
    #[serde(default)]
    name: String,
    models: Vec<Model>,
    #[serde(default, deserialize_with = "crate::json::decimal")]
    cash_target: Decimal,
    band: Band,
    range: Range,
    #[serde(default = "default_step", deserialize_with = "crate::json::decimal")]
    step: Decimal,
}

impl From<StrategyIn> for BookStrategy {
    fn from(s: StrategyIn) -> BookStrategy {
        let StrategyIn { id, name, models, cash_target, band, range, step } = s;
        BookStrategy { id, name, strategy: Strategy { models, cash_target, band, range, step } }
    }
}

impl BookStrategy {
    /// A strategy of a book with id `id` and name `name`.
    pub fn new(id: &str, name: &str, strategy: Strategy) -> BookStrategy {
        BookStrategy { id: id.to_owned(), name: name.to_owned(), strategy }
    }

    /// The name for people: the name, or the id when it has none.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }
}

impl Book {
    /// Reads a book file and checks every strategy's rules.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the JSON path when the text is not a book;
    /// [`Error::EmptyChoice`] for a book without strategies; [`Error::BadId`],
    /// [`Error::EmptyId`] or [`Error::DuplicateModel`] for a strategy's id; and
    /// [`Error::InBookStrategy`] wrapping the first rule a strategy breaks.
    ///
    /// # Examples
    ///
    /// ```
    /// let text = r#"{"strategies": [{"id": "x", "models": [{"id": "a", "target": "90"}],
    ///   "band": {"kind": "relative", "width": "20"}, "range": {"mode": "target"}}]}"#;
    /// let err = uma_engine::Book::from_json(text).unwrap_err().to_string();
    /// assert!(err.starts_with("strategies[0] (\"x\"): "), "{err}");
    /// ```
    pub fn from_json(text: &str) -> Result<Book> {
        if !json::looks_like_object(text) {
            let message = "not a book: a book file is a JSON object, {\"strategies\": […]}".to_owned();
            return Err(Error::Format { path: String::new(), message, position: None });
        }
        let book: Book = json::read(text)?;
        book.validate()?;
        Ok(book)
    }

    /// The book as pretty JSON, decimals as strings.
    pub fn to_json(&self) -> String {
        // Plain structs of strings and decimals always serialize.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks the book: at least one strategy, ids valid and distinct, each strategy's
    /// rules.
    ///
    /// # Errors
    ///
    /// As [`Book::from_json`].
    pub fn validate(&self) -> Result<()> {
        if self.strategies.is_empty() {
            return Err(Error::EmptyChoice { field: "strategies".into(), needs: "a book needs at least one strategy" });
        }
        for (i, s) in self.strategies.iter().enumerate() {
            check_id(&|| format!("strategies[{i}].id"), &s.id)?;
            if let Some(first) = self.strategies[..i].iter().position(|o| o.id == s.id) {
                return Err(Error::DuplicateModel {
                    field: format!("strategies[{i}].id"),
                    id: s.id.clone(),
                    first: format!("strategies[{first}]"),
                });
            }
            s.strategy.validate().map_err(|e| Error::InBookStrategy {
                index: i,
                id: s.id.clone(),
                error: Box::new(e),
            })?;
        }
        Ok(())
    }

    /// The index of the strategy with id `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.strategies.iter().position(|s| s.id == id)
    }

    /// The strategies' ids, joined for a message: `conservative, balanced, growth`.
    pub fn ids(&self) -> String {
        self.strategies.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = r#"{"id": "s", "models": [{"id": "a", "target": "60"}, {"id": "b", "target": "40"}],
        "band": {"kind": "relative", "width": "20"}, "range": {"mode": "target"}}"#;

    fn book(strategies: &str) -> Result<Book> {
        Book::from_json(&format!("{{\"strategies\": [{strategies}]}}"))
    }

    #[test]
    fn errors_name_the_strategy_and_its_field() {
        assert!(book(ONE).is_ok());
        let err = |s: &str| book(s).unwrap_err().without_position().to_string();
        assert_eq!(err(""), "strategies: a book needs at least one strategy");
        assert!(err(&format!("{ONE}, {ONE}")).starts_with("strategies[1].id: "), "{}", err(&format!("{ONE}, {ONE}")));
        let bad_target = ONE.replace("\"60\"", "\"70\"");
        assert!(err(&bad_target).starts_with("strategies[0] (\"s\"): "), "{}", err(&bad_target));
        let unknown = ONE.replace("\"band\"", "\"bands\": 1, \"band\"");
        assert!(err(&unknown).starts_with("strategies[0].bands: unknown field `bands`"), "{}", err(&unknown));
        let not_a_number = ONE.replace("\"60\"", "\"6O\"");
        assert!(err(&not_a_number).starts_with("strategies[0].models[0].target: \"6O\" is not a number"));
        assert!(Book::from_json("[]").unwrap_err().to_string().starts_with("not a book"));
    }
}
