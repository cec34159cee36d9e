//! Rounding and formatting of money and weights.
//!
//! Every amount the engine trades is a whole number of cents. Each rounding below names
//! its [`RoundingStrategy`] and says why.

use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;

/// One cent, the smallest amount the engine trades.
pub const CENT: Decimal = dec!(0.01);

/// Rounds down to the cent (toward negative infinity): used for the floor of a target
/// apportionment and for band edges rounded outward below.
pub(crate) fn floor_cent(x: Decimal) -> Decimal {
    cents(x.round_dp_with_strategy(2, RoundingStrategy::ToNegativeInfinity))
}

/// Rounds up to the cent (toward positive infinity): band edges rounded outward above,
/// rebalance points rounded toward the target from below.
pub(crate) fn ceil_cent(x: Decimal) -> Decimal {
    cents(x.round_dp_with_strategy(2, RoundingStrategy::ToPositiveInfinity))
}

/// Rounds to the nearest cent, halves away from zero as a person would: the size of an
/// incremental pass.
pub(crate) fn round_cent(x: Decimal) -> Decimal {
    cents(x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// An amount already in whole cents, written with exactly two decimals (`35000` becomes
/// `35000.00`) so that every amount in a report reads alike. Validation guarantees at most
/// two decimals, so nothing is rounded here.
pub(crate) fn cents(x: Decimal) -> Decimal {
    let mut x = x;
    x.rescale(2);
    x
}

/// `part` as a percentage of `whole`, rounded half-even to four decimals (hundredths of a
/// basis point) for reports; zero when `whole` is zero.
pub(crate) fn percent_of(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    (part * Decimal::ONE_HUNDRED / whole).round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven).normalize()
}

/// Formats an amount as dollars with thousands separators and two decimals:
/// `3500` becomes `$3,500.00` and `-1000.5` becomes `-$1,000.50`.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::format_money(dec!(3500)), "$3,500.00");
/// assert_eq!(uma_engine::format_money(dec!(-1000.5)), "-$1,000.50");
/// ```
pub fn format_money(amount: Decimal) -> String {
    let cents = hundredths(amount);
    let whole = (cents.unsigned_abs() / 100).to_string();
    let mut out = String::with_capacity(whole.len() + whole.len() / 3 + 5);
    if cents < 0 {
        out.push('-');
    }
    out.push('$');
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out.push('.');
    let fraction = cents.unsigned_abs() % 100;
    out.push(char::from(b'0' + (fraction / 10) as u8));
    out.push(char::from(b'0' + (fraction % 10) as u8));
    out
}

/// `x` in hundredths, rounded half away from zero: the digits that two-decimal formats
/// print. Formatting through the integer avoids Decimal's slower string conversion.
fn hundredths(x: Decimal) -> i128 {
    let mut rounded = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded.mantissa()
}

/// Formats a percentage with two decimals and a percent sign: `31.5` becomes `31.50%`.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::format_percent(dec!(31.5)), "31.50%");
/// ```
pub fn format_percent(value: Decimal) -> String {
    let h = hundredths(value);
    let sign = if h < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}%", h.unsigned_abs() / 100, h.unsigned_abs() % 100)
}

/// Formats a signed difference in percentage points with two decimals: `-2.5` becomes
/// `-2.50`, `1` becomes `+1.00`.
pub(crate) fn format_points(value: Decimal) -> String {
    let h = hundredths(value);
    let sign = if h < 0 { "-" } else { "+" };
    format!("{sign}{}.{:02}", h.unsigned_abs() / 100, h.unsigned_abs() % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_and_signed() {
        let check = |x: Decimal, want: &str| assert_eq!(format_money(x), want, "{x}");
        check(dec!(0), "$0.00");
        check(dec!(-0.001), "$0.00");
        check(dec!(0.5), "$0.50");
        check(dec!(999.999), "$1,000.00");
        check(dec!(123456789.1), "$123,456,789.10");
        check(dec!(-100000), "-$100,000.00");
        check(dec!(-0.005), "-$0.01");
        check(dec!(1000000000000000), "$1,000,000,000,000,000.00");
        assert_eq!(format_percent(dec!(-0.004)), "0.00%");
        assert_eq!(format_percent(dec!(100)), "100.00%");
        assert_eq!(format_percent(dec!(0.125)), "0.13%");
    }

    #[test]
    fn cents_round_as_named() {
        assert_eq!(floor_cent(dec!(1.239)), dec!(1.23));
        assert_eq!(floor_cent(dec!(-1.231)), dec!(-1.24));
        assert_eq!(ceil_cent(dec!(1.231)), dec!(1.24));
        assert_eq!(round_cent(dec!(1.235)), dec!(1.24));
        assert_eq!(percent_of(dec!(1), dec!(3)), dec!(33.3333));
        assert_eq!(percent_of(dec!(1), dec!(0)), dec!(0));
        assert_eq!(format_points(dec!(-2.5)), "-2.50");
        assert_eq!(format_points(dec!(0)), "+0.00");
    }
}
