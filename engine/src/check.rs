//! The checks every input number and name passes before the engine computes with it, and
//! the bounds they enforce. A leaf: every module that validates a field uses these, so a
//! rule such as "a percentage has at most six decimals" is written once.
//!
//! Field paths are passed as closures ([`Field`]) and formatted only when a check fails:
//! validation runs before every rebalance, and on every drag in the web app.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::error::{Error, Result};
use crate::money::PRICE_DECIMALS;

/// The largest account total the engine handles, so that its decimal arithmetic stays
/// exact: one quadrillion.
pub const MAX_ACCOUNT_VALUE: Decimal = dec!(1_000_000_000_000_000);

/// The largest number (in size) an input file may write: above it a number is refused as
/// it is read, before any field's own bound (every field's bound is lower).
pub(crate) const MAX_READ: Decimal = dec!(1_000_000_000_000_000_000_000_000_000);

/// The most decimal places a percentage may carry.
pub const MAX_PERCENT_DECIMALS: u32 = 6;

/// The most shares a holding, a lot or a model unit may count.
pub(crate) const MAX_SHARES: Decimal = dec!(1_000_000_000_000_000);

/// The highest price a security may have.
pub(crate) const MAX_PRICE: Decimal = dec!(1_000_000_000_000);

/// The most decimals of a share count or a price.
pub(crate) const MAX_SHARE_DECIMALS: u32 = PRICE_DECIMALS;

/// A field's JSON path, formatted only when an error needs it.
pub(crate) type Field<'a> = &'a dyn Fn() -> String;

/// Checks that a percentage is at least 0 (and at most `max`, else at most 1,000) with at
/// most [`MAX_PERCENT_DECIMALS`] decimals.
pub(crate) fn check_percent(field: Field<'_>, value: Decimal, max: Option<Decimal>) -> Result<()> {
    match max {
        Some(max) if max == Decimal::ONE_HUNDRED => {
            check_between(field, value, Decimal::ZERO, max, "it must be from 0 to 100")?
        }
        _ => check_between(field, value, Decimal::ZERO, dec!(1000), "it must be from 0 to 1,000")?,
    }
    check_scale(field, value)
}

/// Checks that `value` lies in `[min, max]`; `expected` says so in words.
pub(crate) fn check_between(
    field: Field<'_>,
    value: Decimal,
    min: Decimal,
    max: Decimal,
    expected: &'static str,
) -> Result<()> {
    if value < min || value > max {
        return Err(Error::OutOfRange { field: field(), value: value.normalize(), expected });
    }
    Ok(())
}

/// Checks that a percentage has at most [`MAX_PERCENT_DECIMALS`] decimals.
pub(crate) fn check_scale(field: Field<'_>, value: Decimal) -> Result<()> {
    if value.normalize().scale() > MAX_PERCENT_DECIMALS {
        return Err(Error::TooPrecise { field: field(), value, max: MAX_PERCENT_DECIMALS });
    }
    Ok(())
}

/// Checks an amount of money: not negative, at most [`MAX_ACCOUNT_VALUE`], whole cents.
pub(crate) fn check_money(field: Field<'_>, value: Decimal) -> Result<()> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::OutOfRange { field: field(), value, expected: "an amount must not be negative" });
    }
    if value > MAX_ACCOUNT_VALUE {
        return Err(Error::AboveCap { field: field(), value, cap: MAX_ACCOUNT_VALUE });
    }
    if value.normalize().scale() > 2 {
        return Err(Error::SubCent { field: field(), value });
    }
    Ok(())
}

/// Checks a number of shares: 0 to [`MAX_SHARES`], at most [`MAX_SHARE_DECIMALS`] decimals.
pub(crate) fn check_shares(field: Field<'_>, shares: Decimal) -> Result<()> {
    check_between(field, shares, Decimal::ZERO, MAX_SHARES, "a number of shares runs from 0 to a quadrillion")?;
    if shares.normalize().scale() > MAX_SHARE_DECIMALS {
        return Err(Error::TooPrecise { field: field(), value: shares, max: MAX_SHARE_DECIMALS });
    }
    Ok(())
}

/// Checks a price: above 0, at most [`MAX_PRICE`], at most [`MAX_SHARE_DECIMALS`] decimals.
pub(crate) fn check_price(field: Field<'_>, price: Decimal) -> Result<()> {
    if price <= Decimal::ZERO || price > MAX_PRICE {
        return Err(Error::OutOfRange {
            field: field(),
            value: price,
            expected: "a price is more than 0 and at most a trillion",
        });
    }
    if price.normalize().scale() > MAX_SHARE_DECIMALS {
        return Err(Error::TooPrecise { field: field(), value: price, max: MAX_SHARE_DECIMALS });
    }
    Ok(())
}

/// Checks a security's symbol: not blank, and as [`check_id`] says.
pub(crate) fn check_symbol(field: Field<'_>, symbol: &str) -> Result<()> {
    if symbol.trim().is_empty() {
        return Err(Error::EmptySymbol { field: field() });
    }
    check_id(field, symbol)
}

/// Checks an id or a symbol: no spaces around it, no control characters, no comma or
/// quote (it is a column of CSV files), at most 64 characters. The message quotes it as
/// Rust does (`"a\u{0}"`, `"bonds "`), so that what is wrong can be seen.
pub(crate) fn check_id(field: Field<'_>, id: &str) -> Result<()> {
    let clean = !id.is_empty()
        && id.trim() == id
        && id.chars().count() <= 64
        && !id.chars().any(|c| c.is_control() || c == ',' || c == '"');
    if clean {
        Ok(())
    } else {
        Err(Error::BadId { field: field(), id: id.to_owned() })
    }
}

/// A number as the engine reads one in a file: an optional sign, digits, at most one
/// point and digits after it; nothing else (no exponent, no `_`, no spaces inside).
/// `None` when `text` is not such a number, or does not fit a decimal.
pub(crate) fn parse_number(text: &str) -> Option<Decimal> {
    if !is_number_text(text) {
        return None;
    }
    std::str::FromStr::from_str(text.trim_start_matches('+')).ok()
}

/// Whether `text` is written as [`parse_number`] reads a number, whatever its size.
pub(crate) fn is_number_text(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// The most a trading cost may be, in basis points of the amount traded: all of it.
pub(crate) const MAX_COST_BPS: Decimal = dec!(10000);

/// Checks a trading cost in basis points: 0 to 10,000 (100%), at most six decimals.
pub(crate) fn check_cost_bps(field: Field<'_>, bps: Decimal) -> Result<()> {
    check_between(field, bps, Decimal::ZERO, MAX_COST_BPS, "a cost runs from 0 to 10,000 basis points (100%)")?;
    check_scale(field, bps)
}

/// Checks a deposit (positive) or withdrawal (negative) against an account worth `total`.
pub(crate) fn check_flow(total: Decimal, flow: Decimal) -> Result<()> {
    if flow.normalize().scale() > 2 {
        return Err(Error::SubCent { field: "flow".into(), value: flow });
    }
    if flow > MAX_ACCOUNT_VALUE - total {
        return Err(Error::AccountTooLarge { total: total + flow, max: MAX_ACCOUNT_VALUE });
    }
    if flow.is_sign_negative() && -flow >= total {
        return Err(Error::WithdrawalTooLarge { withdrawal: -flow, total });
    }
    Ok(())
}
