//! Rounding and formatting of money and weights.
//!
//! Every amount the engine trades is a whole number of cents. Each rounding below names
//! its [`RoundingStrategy`] and says why.

use std::fmt::{self, Write as _};

use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;

/// One cent, the smallest amount the engine trades.
pub const CENT: Decimal = dec!(0.01);

/// How an amount is rounded to the cent: one named rounding per purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToCent {
    /// Toward negative infinity: a target's floor before apportionment, a lower band edge
    /// rounded outward, a rebalance point above the target rounded toward it.
    Down,
    /// Toward positive infinity: an upper band edge rounded outward, a rebalance point
    /// below the target rounded toward it.
    Up,
    /// To the nearest cent, halves away from zero as a person would: the size of a pass,
    /// a sleeve value typed or dragged, a simulated trade and its cost.
    Nearest,
    /// To the nearest cent, halves to the even cent (banker's rounding, as custodians
    /// round): a holding's value, an order's amount, a sale's proceeds and cost basis, a
    /// tax estimate.
    NearestEven,
}

impl ToCent {
    fn strategy(self) -> RoundingStrategy {
        match self {
            ToCent::Down => RoundingStrategy::ToNegativeInfinity,
            ToCent::Up => RoundingStrategy::ToPositiveInfinity,
            ToCent::Nearest => RoundingStrategy::MidpointAwayFromZero,
            ToCent::NearestEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// `x` rounded to the cent as `how` says, written with exactly two decimals.
pub(crate) fn round_cent(x: Decimal, how: ToCent) -> Decimal {
    cents(round_cent_as_written(x, how))
}

/// `x` rounded to the cent as `how` says, keeping fewer decimals when it has fewer (so a
/// value written `35000` is stored, and exported, as it was written).
pub(crate) fn round_cent_as_written(x: Decimal, how: ToCent) -> Decimal {
    x.round_dp_with_strategy(2, how.strategy())
}

/// `x` half-even to the cent with two decimals: an order's amount, a sale's proceeds or
/// cost basis, a tax estimate ([`ToCent::NearestEven`]).
pub(crate) fn to_cent(x: Decimal) -> Decimal {
    round_cent(x, ToCent::NearestEven)
}

/// Percentage points for a sentence: two decimals, half-even, trailing zeros dropped
/// (`1.5`, `0.25`).
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::round_points(dec!(1.4567)).to_string(), "1.46");
/// assert_eq!(uma_engine::round_points(dec!(2.125)).to_string(), "2.12");
/// ```
pub fn round_points(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven).normalize()
}

/// A price moved by a what-if edit: to a millionth (the most decimals a price may have),
/// half-even.
pub(crate) fn round_price(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(PRICE_DECIMALS, RoundingStrategy::MidpointNearestEven)
}

/// The most decimals of a price (and of a number of shares).
pub(crate) const PRICE_DECIMALS: u32 = 6;

/// A decimal as the nearest `f64`, for charts and the simulator's daily valuation (never
/// for money that is traded). Prices (to a millionth) and most amounts have a mantissa
/// under 2^53: those divide an exactly converted integer by an exact power of ten, one
/// correctly rounded operation, several times faster than the general conversion, which
/// the rest take.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::to_f64(dec!(31.5)), 31.5);
/// assert_eq!(uma_engine::to_f64(dec!(-0.25)), -0.25);
/// ```
pub fn to_f64(x: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    const POWERS: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    let mantissa = x.mantissa();
    match (i64::try_from(mantissa), POWERS.get(x.scale() as usize)) {
        (Ok(m), Some(power)) if m.unsigned_abs() < 1 << 53 => m as f64 / power,
        _ => x.to_f64().unwrap_or(0.0),
    }
}

/// `percent` percent of `total` (an amount in cents), rounded to the cent as `rounding`
/// says.
///
/// The work is done on the decimals' integer mantissas when they fit in an `i128` (they
/// always do for validated scenarios): the same exact result as `Decimal` arithmetic,
/// several times faster, which matters because a rebalance prices every model.
pub(crate) fn share(percent: Decimal, total: Decimal, rounding: ToCent) -> Decimal {
    share_by_mantissa(percent, total, rounding)
        .unwrap_or_else(|| round_cent(percent * total / Decimal::ONE_HUNDRED, rounding))
}

fn share_by_mantissa(percent: Decimal, total: Decimal, rounding: ToCent) -> Option<Decimal> {
    if total.scale() != 2 {
        return None;
    }
    // percent = p·10^-s and total = T cents, so the share is p·T / 10^(s+2) cents.
    let numerator = percent.mantissa().checked_mul(total.mantissa())?;
    let denominator = pow10(percent.scale() + 2)?;
    let (quotient, remainder) = (numerator.div_euclid(denominator), numerator.rem_euclid(denominator));
    let up = match rounding {
        ToCent::Down => false,
        ToCent::Up => remainder != 0,
        // div_euclid rounds toward negative infinity, so a negative half is already away
        // from zero.
        ToCent::Nearest if numerator >= 0 => 2 * remainder >= denominator,
        ToCent::Nearest => 2 * remainder > denominator,
        // Halves go to the even cent.
        ToCent::NearestEven => 2 * remainder > denominator || (2 * remainder == denominator && quotient % 2 != 0),
    };
    Decimal::try_from_i128_with_scale(quotient + i128::from(up), 2).ok()
}

/// `10^n` as an `i128`, from a table (a power is asked for every share and weight), or
/// `None` past `10^38`.
fn pow10(n: u32) -> Option<i128> {
    const POWERS: [i128; 39] = {
        let mut table = [1i128; 39];
        let mut i = 1;
        while i < 39 {
            table[i] = table[i - 1] * 10;
            i += 1;
        }
        table
    };
    POWERS.get(n as usize).copied()
}

/// An amount already in whole cents, written with exactly two decimals (`35000` becomes
/// `35000.00`) so that every amount in a report reads alike. Validation guarantees at most
/// two decimals, so nothing is rounded here.
pub(crate) fn cents(x: Decimal) -> Decimal {
    let mut x = x;
    x.rescale(2);
    x
}

/// `x · part / whole`: exact when the product fits a decimal, as it does for every
/// account of ordinary size; else `x · (part / whole)`, to 28 significant digits, which
/// cannot overflow when `part` is at most `whole` (a share of an amount). Zero when
/// `whole` is zero.
pub(crate) fn pro_rata(x: Decimal, part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    match x.checked_mul(part) {
        Some(product) => product / whole,
        None => x * (part / whole),
    }
}

/// `part` as a percentage of `whole`, rounded half-even to four decimals (hundredths of a
/// basis point) for reports; zero when `whole` is zero.
///
/// The work is done on the integer mantissas when they fit in an `i128` (always, for
/// amounts under the engine's caps): the quotient rounded exactly, which is what the
/// decimal division (to 28 significant digits) then rounded gives for any whole under
/// 10^21, several times faster; a rebalance weighs every model twice.
pub(crate) fn percent_of(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    percent_by_mantissa(part, whole).unwrap_or_else(|| {
        (part * Decimal::ONE_HUNDRED / whole)
            .round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven)
            .normalize()
    })
}

/// [`percent_of`] on mantissas: `part = a·10^-sa`, `whole = b·10^-sb`, so the weight in
/// ten-thousandths of a percent is `a · 10^(6 + sb − sa) / b`, rounded half-even.
fn percent_by_mantissa(part: Decimal, whole: Decimal) -> Option<Decimal> {
    let (a, b) = (part.mantissa(), whole.mantissa());
    if b.unsigned_abs() >= 10u128.pow(21) {
        return None;
    }
    let shift = (6 + whole.scale()).checked_sub(part.scale())?;
    let numerator = a.checked_mul(pow10(shift)?)?;
    let negative = (numerator < 0) != (b < 0);
    let (n, d) = (numerator.unsigned_abs(), b.unsigned_abs());
    let (q, r) = (n / d, n % d);
    let up = 2 * r > d || (2 * r == d && q % 2 == 1);
    let magnitude = i128::try_from(q + u128::from(up)).ok()?;
    let value = Decimal::try_from_i128_with_scale(if negative { -magnitude } else { magnitude }, 4).ok()?;
    Some(value.normalize())
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
    Money(amount).to_string()
}

/// Formats a projected amount (a simulated ending value, a Monte Carlo percentile) in
/// whole dollars, halves away from zero: cents on a projection are noise. `140956389.72`
/// becomes `$140,956,390`.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::format_dollars(dec!(140956389.72)), "$140,956,390");
/// assert_eq!(uma_engine::format_dollars(dec!(-0.5)), "-$1");
/// assert_eq!(uma_engine::format_dollars(dec!(-0.4)), "$0");
/// ```
pub fn format_dollars(amount: Decimal) -> String {
    let whole = amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    // -0.4 rounds to a negative zero, which is written as no sign.
    let text = format_money(if whole.is_zero() { Decimal::ZERO } else { whole });
    match text.strip_suffix(".00") {
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

/// Formats a fraction (a return, a turnover, a drawdown) as a percentage with two
/// decimals: `0.0421` becomes `4.21%`.
///
/// # Examples
///
/// ```
/// assert_eq!(uma_engine::format_fraction(0.0421), "4.21%");
/// ```
pub fn format_fraction(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
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
    Percent(value).to_string()
}

/// Formats a signed difference in percentage points with two decimals, halves away from
/// zero as every report prints them: `-2.5` becomes `-2.50`, `1` becomes `+1.00`,
/// `1.4567` becomes `+1.46`.
///
/// # Examples
///
/// ```
/// use rust_decimal_macros::dec;
/// assert_eq!(uma_engine::format_points(dec!(1.4567)), "+1.46");
/// assert_eq!(uma_engine::format_points(dec!(-2.5)), "-2.50");
/// ```
pub fn format_points(value: Decimal) -> String {
    Points(value).to_string()
}

/// `x` in hundredths, rounded half away from zero: the digits that two-decimal formats
/// print. Formatting through the integer avoids Decimal's slower string conversion.
fn hundredths(x: Decimal) -> i128 {
    let mut rounded = x.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(2);
    rounded.mantissa()
}

/// Writes `hundredths` as `[sign]whole.ff`, the whole part grouped by thousands when
/// `grouped`, with `prefix` between the sign and the digits (`$` for money).
fn write_fixed(f: &mut fmt::Formatter<'_>, hundredths: i128, plus: bool, prefix: &str, grouped: bool) -> fmt::Result {
    let magnitude = hundredths.unsigned_abs();
    if hundredths < 0 {
        f.write_str("-")?;
    } else if plus {
        f.write_str("+")?;
    }
    f.write_str(prefix)?;
    let whole = magnitude / 100;
    // u128::MAX has 39 digits.
    let mut digits = [0u8; 39];
    let mut len = 0;
    let mut rest = whole;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        f.write_char(char::from(digits[i]))?;
        if grouped && i > 0 && i % 3 == 0 {
            f.write_char(',')?;
        }
    }
    let fraction = magnitude % 100;
    f.write_char('.')?;
    f.write_char(char::from(b'0' + (fraction / 10) as u8))?;
    f.write_char(char::from(b'0' + (fraction % 10) as u8))
}

/// Displays an amount as [`format_money`] does, without an intermediate string.
pub(crate) struct Money(pub Decimal);

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed(f, hundredths(self.0), false, "$", true)
    }
}

/// Displays a percentage as [`format_percent`] does.
pub(crate) struct Percent(pub Decimal);

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed(f, hundredths(self.0), false, "", false)?;
        f.write_char('%')
    }
}

/// Displays a percentage without its sign: `27.00`, for the first half of a range.
pub(crate) struct Bare(pub Decimal);

impl fmt::Display for Bare {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed(f, hundredths(self.0), false, "", false)
    }
}

/// Displays signed percentage points as [`format_points`] does.
pub(crate) struct Points(pub Decimal);

impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_fixed(f, hundredths(self.0), true, "", false)
    }
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
    fn shares_round_as_named_and_match_decimal_arithmetic() {
        let total = cents(dec!(1234.57));
        for percent in [dec!(0), dec!(12.5), dec!(33.333333), dec!(99.999999), dec!(100), dec!(-7.25), dec!(0.0001)] {
            for rounding in [ToCent::Down, ToCent::Up, ToCent::Nearest, ToCent::NearestEven] {
                let slow = cents((percent * total / dec!(100)).round_dp_with_strategy(2, rounding.strategy()));
                assert_eq!(share(percent, total, rounding), slow, "{percent}% {rounding:?}");
                assert_eq!(share(percent, total, rounding).scale(), 2);
            }
        }
        assert_eq!(share(dec!(10), dec!(0.05), ToCent::Down), dec!(0.00));
        assert_eq!(share(dec!(10), dec!(0.05), ToCent::Up), dec!(0.01));
        assert_eq!(share(dec!(10), dec!(0.05), ToCent::Nearest), dec!(0.01));
        assert_eq!(share(dec!(-10), dec!(0.05), ToCent::Nearest), dec!(-0.01));
        // A total not in cents takes the Decimal path.
        assert_eq!(share(dec!(50), dec!(0.333), ToCent::Down), dec!(0.16));
    }

    #[test]
    fn weights_by_mantissa_are_the_decimal_division_rounded() {
        let slow = |p: Decimal, w: Decimal| {
            (p * Decimal::ONE_HUNDRED / w).round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven).normalize()
        };
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            // xorshift: parts and wholes of every size up to the caps, scales 0 to 6.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let whole = Decimal::new((x % 100_000_000_000_000_000) as i64 + 1, (x % 3) as u32);
            let part = Decimal::new((x >> 7) as i64 % 1_000_000_000_000_000 - (x % 5) as i64, ((x >> 3) % 7) as u32);
            assert_eq!(percent_of(part, whole), slow(part, whole), "{part} of {whole}");
        }
        assert_eq!(percent_of(dec!(1), dec!(3)), dec!(33.3333));
        assert_eq!(percent_of(dec!(-1), dec!(8)), dec!(-12.5));
        assert_eq!(percent_of(dec!(0.00005), dec!(100)), dec!(0));
        assert_eq!(percent_of(dec!(0.00015), dec!(100)), dec!(0.0002));
    }

    #[test]
    fn weights_round_half_even() {
        let w = |part: Decimal, whole: Decimal| percent_of(cents(part), cents(whole));
        assert_eq!(w(dec!(1), dec!(3)), dec!(33.3333));
        assert_eq!(w(dec!(2), dec!(3)), dec!(66.6667));
        assert_eq!(w(dec!(31500), dec!(100000)), dec!(31.5));
        // $1, $3 and $5 of $2,000,000 are 0.5, 1.5 and 2.5 ten-thousandths of a percent.
        assert_eq!(w(dec!(1), dec!(2000000)), dec!(0));
        assert_eq!(w(dec!(3), dec!(2000000)), dec!(0.0002));
        assert_eq!(w(dec!(5), dec!(2000000)), dec!(0.0002));
        assert_eq!(w(dec!(5.01), dec!(2000000)), dec!(0.0003));
        assert_eq!(percent_of(dec!(1), dec!(3)), dec!(33.3333));
        assert_eq!(percent_of(dec!(1), dec!(0)), dec!(0));
        assert_eq!(format_points(dec!(-2.5)), "-2.50");
        assert_eq!(format_points(dec!(0)), "+0.00");
    }
}
