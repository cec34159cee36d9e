//! Numbers between the engine's decimals and what the page draws, sorts or edits: the
//! only conversions between [`Decimal`] and `f64` or an integer in the web crate (the
//! Decimal-to-f64 one is the engine's).

use std::str::FromStr;

use uma_engine::Decimal;

/// A decimal as a float (a coordinate of a chart, a sort key, a random market's
/// assumption): the engine's one conversion.
pub use uma_engine::to_f64;

/// A float as a decimal of at most `places` decimals (0 when it is not finite).
pub fn to_decimal(x: f64, places: u32) -> Decimal {
    Decimal::try_from(x).unwrap_or_default().round_dp(places)
}

/// A decimal's whole part as an integer, when it fits one.
pub fn whole<T: FromStr>(x: Decimal) -> Option<T> {
    x.trunc().to_string().parse().ok()
}

/// A fraction (a return, a turnover, a tracking error) as a percentage: `0.0421` is
/// `4.21%` (the engine's).
pub use uma_engine::format_fraction as fraction_percent;

/// A fraction that may be absent (an annualized return too large to be a number): `n/a`
/// when it is.
pub fn optional_fraction_percent(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_owned(), fraction_percent)
}
