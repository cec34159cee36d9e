//! Market paths: one price (or total-return index) per model per date, read from a CSV
//! file or drawn from a seeded random market.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::{check_id, check_price, parse_number};
use crate::csv_rows;
use crate::date::Date;
use crate::error::{Error, Result};

/// Prices of each model through time: `levels[t][i]` is model `models[i]`'s price on
/// `dates[t]`. Dates ascend strictly; prices are positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarketPath {
    /// The model ids, in the order of the columns.
    pub models: Vec<String>,
    /// The dates, ascending.
    pub dates: Vec<Date>,
    /// The prices, one row per date and one column per model.
    pub levels: Vec<Vec<Decimal>>,
}

/// The most prices a path holds (its dates times its models): 200,000 dates of 25
/// models. It bounds what a 10 KB market file can ask of memory and time.
pub const MAX_PATH_PRICES: usize = 5_000_000;

/// The message of a path with more than [`MAX_PATH_PRICES`] prices.
pub(crate) const TOO_MANY_PRICES: &str = "what a path holds: at most 5,000,000 prices, its dates times its models";

fn csv_error(line: usize, message: String) -> Error {
    csv_rows::fail("prices", line, message)
}

impl MarketPath {
    /// Reads a CSV of prices or total-return indices: a header `date,<model id>,…`, then
    /// one row per date (`YYYY-MM-DD`, or `YYYY-MM` for monthly data) with a positive
    /// number per model. Blank lines are skipped; dates must ascend.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the line and the problem: a missing header, a row with
    /// the wrong number of cells, a date that does not parse or does not ascend, a price
    /// that is not a positive number, fewer than two dates.
    ///
    /// # Examples
    ///
    /// ```
    /// let path = uma_engine::MarketPath::from_csv("date,a,b\n2024-01-31,100,50\n2024-02-29,110,50\n")?;
    /// assert_eq!(path.models, ["a", "b"]);
    /// assert_eq!(path.dates.len(), 2);
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn from_csv(text: &str) -> Result<MarketPath> {
        let rows = csv_rows::read(text, "prices")?;
        let mut columns = rows.header.iter();
        if !columns.next().is_some_and(|c| c.eq_ignore_ascii_case("date")) {
            let header = rows.header.join(",");
            return Err(csv_error(1, format!("the header must start with `date`, found {header:?}")));
        }
        let models: Vec<String> = columns.cloned().collect();
        if models.is_empty() || models.iter().any(String::is_empty) {
            return Err(csv_error(1, "the header must name a model id in every column after `date`".into()));
        }
        for (k, model) in models.iter().enumerate() {
            check_id(&|| format!("prices line 1, column {}", k + 2), model)?;
            if models[..k].contains(model) {
                return Err(csv_error(1, format!("the column {model:?} is named twice; give each model one column")));
            }
        }
        if rows.records.len().saturating_mul(models.len()) > MAX_PATH_PRICES {
            let found = format!("{} dates of {} models", rows.records.len(), models.len());
            return Err(Error::NumberOutOfRange { field: "prices".into(), value: found, expected: TOO_MANY_PRICES });
        }
        let mut dates: Vec<Date> = Vec::new();
        let mut levels = Vec::new();
        for (line, cells) in rows.records {
            let date: Date = cells[0].parse().map_err(|e| csv_error(line, format!("{e}")))?;
            if dates.last().is_some_and(|last| *last >= date) {
                return Err(csv_error(line, format!("{date} does not come after the previous date")));
            }
            if cells.len() - 1 != models.len() {
                return Err(csv_error(line, format!("expected {} prices, found {}", models.len(), cells.len() - 1)));
            }
            let prices = cells[1..]
                .iter()
                .zip(&models)
                .map(|(cell, model)| {
                    let price = parse_number(cell)
                        .filter(|p| *p > Decimal::ZERO)
                        .ok_or_else(|| csv_error(line, format!("{cell:?} is not a positive price")))?;
                    check_price(&|| format!("prices line {line}, {model}"), price)?;
                    Ok(price)
                })
                .collect::<Result<Vec<Decimal>>>()?;
            dates.push(date);
            levels.push(prices);
        }
        if dates.len() < 2 {
            return Err(csv_error(1, "a path needs at least two dates".into()));
        }
        Ok(MarketPath { models, dates, levels })
    }

    /// The path as CSV, as [`MarketPath::from_csv`] reads it.
    pub fn to_csv(&self) -> String {
        self.csv_lines().collect()
    }

    /// [`MarketPath::to_csv`] a line at a time (each ending in a line break), the header
    /// first: how a long path is written out without a second copy of it in memory.
    ///
    /// # Examples
    ///
    /// ```
    /// let path = uma_engine::MarketPath::from_csv("date,a\n2024-01-31,100\n2024-02-29,110\n")?;
    /// let lines: Vec<String> = path.csv_lines().collect();
    /// assert_eq!(lines, ["date,a\n", "2024-01-31,100\n", "2024-02-29,110\n"]);
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn csv_lines(&self) -> impl Iterator<Item = String> + '_ {
        let header = std::iter::once(format!("date,{}\n", self.models.join(",")));
        header.chain(self.dates.iter().zip(&self.levels).map(|(date, row)| {
            let mut line = date.to_string();
            for price in row {
                line.push(',');
                line.push_str(&price.to_string());
            }
            line.push('\n');
            line
        }))
    }
}

impl MarketPath {
    /// The path with one column per model: `assignment` pairs each model id with the
    /// column of this path whose prices it follows (two models may follow one column).
    /// This is how a dataset whose columns are asset classes drives a strategy whose
    /// models have other ids.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming a column the path does not have.
    ///
    /// # Examples
    ///
    /// ```
    /// let data = uma_engine::MarketPath::from_csv("date,stocks,bonds\n2024-01-31,100,50\n2024-02-29,110,51\n")?;
    /// let path = data.select(&[("large".into(), "stocks".into()), ("core".into(), "bonds".into())])?;
    /// assert_eq!(path.models, ["large", "core"]);
    /// assert_eq!(path.levels[1][1].to_string(), "51");
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn select(&self, assignment: &[(String, String)]) -> Result<MarketPath> {
        let columns = assignment
            .iter()
            .map(|(model, column)| {
                self.models.iter().position(|c| c == column).ok_or_else(|| Error::Format {
                    path: format!("market.columns.{model}"),
                    message: format!("no column {column:?} in the prices (the columns are {})", self.models.join(", ")),
                    position: None,
                })
            })
            .collect::<Result<Vec<usize>>>()?;
        Ok(MarketPath {
            models: assignment.iter().map(|(model, _)| model.clone()).collect(),
            dates: self.dates.clone(),
            levels: self.levels.iter().map(|row| columns.iter().map(|&c| row[c]).collect()).collect(),
        })
    }
}

/// The lowercase words of a name: `US Large Cap` gives `us`, `large`, `cap`. Words that
/// mean cash or bonds also give `bills`, so that a bond or cash sleeve finds a T-bill
/// column.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let cashlike = ["cash", "bill", "bills", "money", "bond", "bonds", "fixed", "income", "treasury", "treasuries"];
    if out.iter().any(|w| cashlike.contains(&w.as_str())) {
        out.push("bills".into());
    }
    out
}

/// Suggests which column of `columns` each model follows by default: the column sharing
/// the most words with the model's id and name (`Small Cap Value` follows
/// `small-value`, `Core Bonds` follows `t-bills`), the first such column on a tie, and
/// the model's position (wrapping) when no word matches. A starting point for a person to
/// adjust, not a rule.
///
/// # Examples
///
/// ```
/// let columns = ["large-growth", "large-value", "small-growth", "small-value", "t-bills"].map(String::from);
/// let models = [("growth", "Large Cap Growth"), ("value", "Small Cap Value"), ("bonds", "Core Bonds")];
/// let picks = uma_engine::suggest_columns(&columns, &models);
/// let picks: Vec<&str> = picks.iter().map(|(_, column)| column.as_str()).collect();
/// assert_eq!(picks, ["large-growth", "small-value", "t-bills"]);
/// ```
pub fn suggest_columns(columns: &[String], models: &[(&str, &str)]) -> Vec<(String, String)> {
    let column_words: Vec<Vec<String>> = columns.iter().map(|c| words(c)).collect();
    models
        .iter()
        .enumerate()
        .filter(|_| !columns.is_empty())
        .map(|(i, (id, name))| {
            let mine = words(&format!("{id} {name}"));
            let score = |k: usize| column_words[k].iter().filter(|w| mine.contains(w)).count();
            let best = (0..columns.len()).fold(None, |best: Option<(usize, usize)>, k| match best {
                Some((_, top)) if top >= score(k) => best,
                _ => Some((k, score(k))),
            });
            let column = match best {
                Some((k, score)) if score > 0 => k,
                _ => i % columns.len(),
            };
            ((*id).to_owned(), columns[column].clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_error(text: &str) -> String {
        MarketPath::from_csv(text).unwrap_err().to_string()
    }

    #[test]
    fn csv_errors_name_the_line() {
        let check = |text: &str, want: &str| {
            let got = csv_error(text);
            assert!(got.contains(want), "{text:?}: {got}");
        };
        check("", "the file is empty");
        check("when,a\n2024-01-01,1\n", "line 1: the header must start with `date`");
        check("date\n2024-01-01\n2024-01-02\n", "name a model id");
        check("date,a\n2024-01-01,1\n2024-01-01,2\n", "line 3: 2024-01-01 does not come after");
        check("date,a\n2024-01-01,1\n2024-13-01,2\n", "line 3: \"2024-13-01\" is not a date");
        check("date,a\n2024-01-01,1\n2024-01-02,-2\n", "line 3: \"-2\" is not a positive price");
        check("date,a,b\n2024-01-01,1,2\n2024-01-02,2\n", "line 3: expected 2 prices, found 1");
        check("date,a\n2024-01-01,1\n", "at least two dates");
        // Quoted cells, a blank line, a byte-order mark, CR line endings; "1,000" is one cell.
        check("date,a\n2024-01-01,1\n2024-01-02,1e2\n", "line 3: \"1e2\" is not a positive price");
        check(
            "date,a\n2024-01-01,1\n2024-01-02,0.0000001\n",
            "prices line 3, a: 0.0000001 has more than 6 decimal places",
        );
        check("date,a\n2024-01-01,1\n2024-01-02,1000000000000000000000000000\n", "out of range");
        check("date,a,a\n2024-01-01,1,2\n2024-01-02,1,2\n", "the column \"a\" is named twice");
        check("date,a \u{0}\n2024-01-01,1\n2024-01-02,1\n", "column 2: the id \"a \\0\"");
        check("date,a\r2024-01-01,1\r2024-01-02,\"1,000\"\r", "line 3: \"1,000\" is not a positive price");
        let path = MarketPath::from_csv("\u{feff}\"date\",\"a\"\r\r2024-01,100\r2024-02,\"1015.5\"\r")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(path.levels, [[Decimal::from(100)], [Decimal::new(10155, 1)]]);
        assert_eq!(path.dates[1].to_string(), "2024-02-29");
    }
}
