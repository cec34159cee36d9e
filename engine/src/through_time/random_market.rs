//! Seeded random markets: correlated geometric Brownian motion for each model, drawn
//! daily (trading days: weekdays but the exchange's holidays), weekly or monthly, and the illustrative assumptions a model's
//! words suggest.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::check_id;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::through_time::path::{words, MarketPath, MAX_PATH_PRICES, TOO_MANY_PRICES};
use crate::through_time::trading_days::trading_days;

impl RandomModel {
    /// Illustrative long-run assumptions for a model, from the words of its id and name:
    /// bonds 4% a year with 6% volatility, cash 2% / 1%, small caps 9% / 22%, emerging
    /// markets 9% / 24%, international 7% / 17%, mid caps 8.5% / 19%, large caps 8% / 16%,
    /// anything else 7% / 15%. A starting point for a what-if, not a forecast.
    ///
    /// # Examples
    ///
    /// ```
    /// let bonds = uma_engine::RandomModel::suggested("bonds", "Core Bonds");
    /// assert_eq!((bonds.expected_return, bonds.volatility), (0.04, 0.06));
    /// ```
    pub fn suggested(id: &str, name: &str) -> RandomModel {
        let mine = words(&format!("{id} {name}"));
        let has = |any: &[&str]| mine.iter().any(|w| any.contains(&w.as_str()));
        let (expected_return, volatility) = if has(&["cash", "money", "bill", "bills"]) && !has(&["bond", "bonds"]) {
            (0.02, 0.01)
        } else if has(&["bond", "bonds", "fixed", "income", "treasury", "treasuries", "credit"]) {
            (0.04, 0.06)
        } else if has(&["emerging", "em"]) {
            (0.09, 0.24)
        } else if has(&["small"]) {
            (0.09, 0.22)
        } else if has(&["intl", "international", "developed", "foreign", "eafe"]) {
            (0.07, 0.17)
        } else if has(&["mid"]) {
            (0.085, 0.19)
        } else if has(&["large", "growth", "value", "equity", "stocks"]) {
            (0.08, 0.16)
        } else {
            (0.07, 0.15)
        };
        RandomModel { id: id.to_owned(), expected_return, volatility }
    }
}

/// A correlation matrix of `n` models with `rho` between every two of them.
///
/// # Examples
///
/// ```
/// assert_eq!(uma_engine::uniform_correlation(2, 0.5), [[1.0, 0.5], [0.5, 1.0]]);
/// ```
pub fn uniform_correlation(n: usize, rho: f64) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { rho }).collect()).collect()
}

/// The step of a random market.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Trading days (Monday to Friday but the exchange's holidays), about 252 a year.
    Daily,
    /// Month ends, 12 a year.
    Monthly,
}

impl Frequency {
    /// How many periods make a year: 252 trading days, or 12 month ends.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(uma_engine::Frequency::Daily.periods_per_year(), 252);
    /// ```
    pub fn periods_per_year(self) -> u32 {
        match self {
            Frequency::Daily => 252,
            Frequency::Monthly => 12,
        }
    }

    /// The first date of a random market when none is chosen: Monday 2000-01-03 for
    /// trading days, 2000-01-31 for month ends.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(uma_engine::Frequency::Monthly.default_start().to_string(), "2000-01-31");
    /// ```
    pub fn default_start(self) -> Date {
        match self {
            Frequency::Daily => Date::from_days(10_959),
            Frequency::Monthly => Date::from_days(10_987),
        }
    }
}

/// One model of a random market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomModel {
    /// The model's id (a column of the path).
    pub id: String,
    /// Expected annual return, as a fraction (0.07 for 7%).
    #[serde(deserialize_with = "crate::json::float")]
    pub expected_return: f64,
    /// Annual volatility, as a fraction (0.18 for 18%).
    #[serde(deserialize_with = "crate::json::float")]
    pub volatility: f64,
}

/// A seeded random market: correlated geometric Brownian motions. The same seed gives the
/// same path natively and in wasm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomMarket {
    /// The models.
    pub models: Vec<RandomModel>,
    /// The correlation matrix (symmetric, 1 on the diagonal, positive definite); empty
    /// for uncorrelated models.
    #[serde(default, deserialize_with = "crate::json::float_matrix")]
    pub correlation: Vec<Vec<f64>>,
    /// Daily or monthly steps.
    pub frequency: Frequency,
    /// The number of steps after the start.
    pub periods: usize,
    /// The first date.
    pub start: Date,
    /// The seed.
    pub seed: u64,
}

impl RandomMarket {
    /// Reads a market file as scenario files are read: field paths in errors, unknown
    /// fields refused (a typo such as `corelation` is caught), a byte-order mark accepted.
    ///
    /// # Errors
    ///
    /// [`Error::Format`] naming the field when the text is not a market.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = uma_engine::RandomMarket::from_json(r#"{"models": [], "corelation": []}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("corelation: unknown field `corelation`"));
    /// ```
    pub fn from_json(text: &str) -> Result<RandomMarket> {
        crate::json::read(text)
    }
}

/// The lower-triangular Cholesky factor of `matrix`, or why there is none.
fn cholesky(matrix: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
    let field = || "market.correlation".to_owned();
    let n = matrix.len();
    let mut lower = vec![vec![0.0; n]; n];
    for i in 0..n {
        if matrix[i].len() != n {
            return Err(Error::CorrelationRow { field: field(), row: i, found: matrix[i].len(), expected: n });
        }
        for (j, &a) in matrix[i].iter().enumerate() {
            let b = matrix[j].get(i).copied().unwrap_or(f64::NAN);
            if !(a - b).abs().le(&1e-12) || !a.is_finite() || a.abs() > 1.0 || (i == j && a != 1.0) {
                let why = "a correlation matrix is symmetric, with 1 on the diagonal and entries from -1 to 1";
                return Err(Error::NotACorrelation { field: field(), why });
            }
        }
        for j in 0..=i {
            let sum: f64 = (0..j).map(|k| lower[i][k] * lower[j][k]).sum();
            if i == j {
                let pivot = matrix[i][i] - sum;
                if pivot <= 1e-12 {
                    return Err(Error::NotACorrelation {
                        field: field(),
                        why: "the correlation matrix is not positive definite",
                    });
                }
                lower[i][j] = libm::sqrt(pivot);
            } else {
                lower[i][j] = (matrix[i][j] - sum) / lower[j][j];
            }
        }
    }
    Ok(lower)
}

impl MarketPath {
    /// Draws a path from `market`, every model starting at 100.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyChoice`], [`Error::NumberOutOfRange`], [`Error::CorrelationRows`], [`Error::CorrelationRow`] or
    /// [`Error::NotACorrelation`] naming the field: no models, a volatility outside 0–5 or
    /// an expected return outside −1–5, a correlation matrix that is not one, a number of
    /// periods outside 1–200,000.
    ///
    /// # Examples
    ///
    /// ```
    /// use uma_engine::{Date, Frequency, MarketPath, RandomMarket, RandomModel};
    /// let model = |id: &str| RandomModel { id: id.into(), expected_return: 0.07, volatility: 0.18 };
    /// let market = RandomMarket {
    ///     models: vec![model("a"), model("b")],
    ///     correlation: vec![vec![1.0, 0.5], vec![0.5, 1.0]],
    ///     frequency: Frequency::Monthly,
    ///     periods: 12,
    ///     start: "2024-01-31".parse().unwrap(),
    ///     seed: 7,
    /// };
    /// let path = MarketPath::random(&market)?;
    /// assert_eq!(path.dates.len(), 13);
    /// assert_eq!(path, MarketPath::random(&market)?, "a seed gives one path");
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn random(market: &RandomMarket) -> Result<MarketPath> {
        use rand_core::{RngCore, SeedableRng};
        let out_of_range = |field: String, value: String, expected| Error::NumberOutOfRange { field, value, expected };
        let n = market.models.len();
        if n == 0 {
            return Err(Error::EmptyChoice {
                field: "market.models".into(),
                needs: "a market needs at least one model",
            });
        }
        for (i, m) in market.models.iter().enumerate() {
            check_id(&|| format!("market.models[{i}].id"), &m.id)?;
            if let Some(first) = market.models[..i].iter().position(|o| o.id == m.id) {
                return Err(Error::DuplicateModel {
                    field: format!("market.models[{i}].id"),
                    id: m.id.clone(),
                    first: format!("market.models[{first}]"),
                });
            }
            if !(0.0..=5.0).contains(&m.volatility) {
                let field = format!("market.models[{i}].volatility");
                return Err(out_of_range(field, m.volatility.to_string(), "0 to 5"));
            }
            if !(-1.0..=5.0).contains(&m.expected_return) {
                let field = format!("market.models[{i}].expected_return");
                return Err(out_of_range(field, m.expected_return.to_string(), "-1 to 5"));
            }
        }
        if !(1..=200_000).contains(&market.periods) {
            return Err(out_of_range("market.periods".into(), market.periods.to_string(), "1 to 200,000"));
        }
        if (market.periods + 1).saturating_mul(n) > MAX_PATH_PRICES {
            let found = format!("{} ({} dates of {n} models)", market.periods, market.periods + 1);
            return Err(out_of_range("market.periods".into(), found, TOO_MANY_PRICES));
        }
        let identity: Vec<Vec<f64>> =
            (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect();
        let correlation = if market.correlation.is_empty() { &identity } else { &market.correlation };
        if correlation.len() != n {
            return Err(Error::CorrelationRows { field: "market.correlation".into(), expected: n });
        }
        let lower = cholesky(correlation)?;

        let dt = 1.0 / f64::from(market.frequency.periods_per_year());
        let dates = match market.frequency {
            Frequency::Daily => trading_days(market.start, market.periods),
            Frequency::Monthly => month_ends(market.start, market.periods),
        };
        if dates.len() != market.periods + 1 || dates.last().is_some_and(|d| d.year() > 9999) {
            let value = market.periods.to_string();
            return Err(out_of_range(
                "market.periods".into(),
                value,
                "what the calendar holds: the path would end after 9999-12-31",
            ));
        }
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(market.seed);
        // A uniform draw in (0, 1]: 53 random bits, never 0 so its log is finite.
        let mut uniform = move || ((rng.next_u64() >> 11) as f64 + 1.0) * (1.0 / (1u64 << 53) as f64);
        let mut normals = vec![0.0; n];
        let mut prices = vec![100.0f64; n];
        // Prices to a millionth, through an integer: exact, and much faster than a Decimal
        // conversion of the float. A price never rounds to zero.
        let as_decimal = |p: f64| Decimal::new((libm::round(p * 1e6) as i64).max(1), 6);
        let mut levels = Vec::with_capacity(dates.len());
        levels.push(prices.iter().map(|&p| as_decimal(p)).collect());
        for _ in 1..dates.len() {
            // One pair of normals per two models.
            for k in (0..n).step_by(2) {
                let (z1, z2) = normal_pair(&mut uniform);
                normals[k] = z1;
                if k + 1 < n {
                    normals[k + 1] = z2;
                }
            }
            for (i, m) in market.models.iter().enumerate() {
                let z: f64 = (0..=i).map(|k| lower[i][k] * normals[k]).sum();
                let drift = (m.expected_return - m.volatility * m.volatility / 2.0) * dt;
                prices[i] *= libm::exp(drift + m.volatility * libm::sqrt(dt) * z);
            }
            levels.push(prices.iter().map(|&p| as_decimal(p)).collect());
        }
        Ok(MarketPath { models: market.models.iter().map(|m| m.id.clone()).collect(), dates, levels })
    }
}

/// Two independent standard normal draws from two uniform draws in (0, 1] (Box–Muller),
/// with `libm`'s functions, so that a seed gives the same draws natively and in wasm.
pub(crate) fn normal_pair(uniform: &mut impl FnMut() -> f64) -> (f64, f64) {
    let (u1, u2) = (uniform(), uniform());
    let radius = libm::sqrt(-2.0 * libm::log(u1));
    let angle = 2.0 * std::f64::consts::PI * u2;
    (radius * libm::cos(angle), radius * libm::sin(angle))
}

/// `count + 1` month ends from `start`'s month.
fn month_ends(start: Date, count: usize) -> Vec<Date> {
    (0..=count)
        .filter_map(|k| {
            let months = i64::from(start.year()) * 12 + i64::from(start.month()) - 1 + k as i64;
            let (year, month) =
                (i32::try_from(months.div_euclid(12)).ok()?, u8::try_from(months.rem_euclid(12) + 1).ok()?);
            Date::month_end(year, month)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market(correlation: Vec<Vec<f64>>) -> RandomMarket {
        let model = |id: &str| RandomModel { id: id.into(), expected_return: 0.05, volatility: 0.1 };
        RandomMarket {
            models: vec![model("a"), model("b")],
            correlation,
            frequency: Frequency::Monthly,
            periods: 3,
            start: "2024-01-31".parse().unwrap(),
            seed: 1,
        }
    }

    #[test]
    fn random_markets_are_checked() {
        let error = |m: RandomMarket| MarketPath::random(&m).unwrap_err().to_string();
        assert!(error(market(vec![vec![1.0, 0.5], vec![0.4, 1.0]])).contains("symmetric"));
        assert!(error(market(vec![vec![1.0, 1.0], vec![1.0, 1.0]])).contains("not positive definite"));
        assert!(error(market(vec![vec![1.0, 0.0]])).contains("expected 2 rows"));
        assert!(error(market(vec![vec![1.0], vec![0.0, 1.0]])).contains("row 0 has 1 entries"));
        let mut wild = market(Vec::new());
        wild.models[1].volatility = 9.0;
        assert!(error(wild).contains("market.models[1].volatility: 9 is outside 0 to 5"));
        let mut none = market(Vec::new());
        none.periods = 0;
        assert!(error(none).contains("market.periods"));
        let path = MarketPath::random(&market(Vec::new())).unwrap();
        let dates: Vec<String> = path.dates.iter().map(ToString::to_string).collect();
        assert_eq!(dates, ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]);
        assert!(path.levels.iter().flatten().all(|p| *p > Decimal::ZERO));
    }
}
