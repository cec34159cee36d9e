//! What-if edits of an account: a sleeve dragged to a weight or a value, a return applied
//! to a sleeve.
//!
//! A sleeve known by its value takes the new value. A sleeve with holdings is revalued
//! through its securities' prices, all scaled by one factor (each price to a millionth):
//! a security it shares with another sleeve moves there too, as a price does.

use rust_decimal::Decimal;

use crate::account::Sleeve;
use crate::error::{Error, Result};
use crate::mandates::{Restriction, TaxSettings};
use crate::money::{round_cent_as_written, round_price, ToCent};
use crate::prices::Prices;
use crate::scenario::Scenario;

/// Sets sleeve `index` to `value` (in cents): its value, or its securities' prices.
fn set_value(scenario: &mut Scenario, index: usize, value: Decimal) {
    let value = round_cent_as_written(value, ToCent::Nearest).max(Decimal::ZERO);
    let prices = Prices::of(&scenario.account);
    let sleeve = &mut scenario.account.sleeves[index];
    if !sleeve.has_holdings() {
        sleeve.value = value;
        return;
    }
    let held: Decimal = sleeve.holdings.iter().filter_map(|h| prices.holding_value(h)).sum();
    if held.is_zero() {
        sleeve.cash = value;
        sleeve.value = value;
        return;
    }
    let factor = (value - sleeve.cash).max(Decimal::ZERO) / held;
    let symbols: Vec<String> = sleeve.holdings.iter().map(|h| h.symbol.clone()).collect();
    let tiny = Decimal::new(1, 6);
    for symbol in symbols {
        let Some(price) = prices.get(&symbol) else { continue };
        let moved = round_price(price.checked_mul(factor).unwrap_or(price)).max(tiny);
        if let Some(p) = scenario.account.prices.get_mut(&symbol) {
            *p = moved;
        }
        for holding in scenario.account.sleeves.iter_mut().flat_map(|s| s.holdings.iter_mut()) {
            if holding.symbol == symbol && holding.price.is_some() {
                holding.price = Some(moved);
            }
        }
    }
    let values = scenario.sleeve_values();
    for (sleeve, v) in scenario.account.sleeves.iter_mut().zip(values) {
        sleeve.value = v;
    }
}

fn sleeve_mut<'a>(scenario: &'a mut Scenario, model: &str) -> Result<&'a mut Sleeve> {
    if !scenario.strategy.models.iter().any(|m| m.id == model) {
        let known = scenario.strategy.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ");
        return Err(Error::UnknownModel { field: "model".into(), id: model.to_owned(), known });
    }
    let index = match scenario.account.sleeves.iter().position(|s| s.model == model) {
        Some(index) => index,
        None => {
            scenario.account.sleeves.push(Sleeve::valued(model, Decimal::ZERO));
            scenario.account.sleeves.len() - 1
        }
    };
    Ok(&mut scenario.account.sleeves[index])
}

/// `scenario` with `model`'s sleeve revalued so that it weighs `weight` percent of the
/// account, every other sleeve and the cash keeping their dollar values: what dragging a
/// model's weight on the band chart means. The value is rounded to the nearest cent.
///
/// # Errors
///
/// [`Error::UnknownModel`] for an unknown id; [`Error::OutOfRange`] for a weight outside
/// `[0, 100)`, or of 100 when the rest of the account holds anything.
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
/// use rust_decimal_macros::dec;
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// // The other sleeves hold $65,000: Large Cap weighs 30% at $27,857.14.
/// let moved = uma_engine::with_weight(&scenario, "large", dec!(30))?;
/// assert_eq!(moved.account.sleeves[0].value, dec!(27857.14));
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn with_weight(scenario: &Scenario, model: &str, weight: Decimal) -> Result<Scenario> {
    let mut next = scenario.clone();
    sleeve_mut(&mut next, model)?;
    let values = next.sleeve_values();
    let index = next.account.sleeves.iter().position(|s| s.model == model).unwrap_or_default();
    let total: Decimal = next.account.cash + values.iter().copied().sum::<Decimal>();
    let others = total - values.get(index).copied().unwrap_or_default();
    let out_of_range = weight.is_sign_negative() && !weight.is_zero()
        || weight > Decimal::ONE_HUNDRED
        || (weight == Decimal::ONE_HUNDRED && !others.is_zero());
    if out_of_range {
        return Err(Error::OutOfRange {
            field: "weight".into(),
            value: weight,
            expected: "a weight runs from 0 to under 100 percent while other sleeves hold anything",
        });
    }
    if weight == Decimal::ONE_HUNDRED {
        return Ok(next);
    }
    // v / (others + v) = w / 100  ⇔  v = w · others / (100 − w).
    let value = weight * others / (Decimal::ONE_HUNDRED - weight);
    set_value(&mut next, index, value);
    Ok(next)
}

/// `scenario` with `model`'s sleeve worth `value`: its value, or with holdings its
/// securities' prices scaled to it (see the module documentation). What typing a sleeve's
/// value means.
///
/// # Errors
///
/// [`Error::UnknownModel`] for an unknown id; [`Error::OutOfRange`] for a negative value.
pub fn with_value(scenario: &Scenario, model: &str, value: Decimal) -> Result<Scenario> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(Error::OutOfRange { field: "value".into(), value, expected: "an amount must not be negative" });
    }
    let mut next = scenario.clone();
    sleeve_mut(&mut next, model)?;
    let index = next.account.sleeves.iter().position(|s| s.model == model).unwrap_or_default();
    set_value(&mut next, index, value);
    Ok(next)
}

/// What typing a value for `model`'s sleeve does, in a sentence, where it is more than
/// setting the value: a sleeve that lists its holdings is revalued through its
/// securities' prices, and a security it shares with another sleeve moves there too.
/// `None` for a sleeve known by its value (or an unknown model).
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let words = uma_engine::value_edit_words(&scenario, "large").unwrap();
/// assert!(words.starts_with("This sleeve lists its holdings: a new value scales the prices of its 2 securities"), "{words}");
/// assert_eq!(uma_engine::value_edit_words(&scenario.by_values(), "large"), None);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn value_edit_words(scenario: &Scenario, model: &str) -> Option<String> {
    let sleeves = &scenario.account.sleeves;
    let sleeve = sleeves.iter().find(|s| s.model == model && s.has_holdings())?;
    let count = sleeve.holdings.len();
    let shared: Vec<&str> = sleeve
        .holdings
        .iter()
        .map(|h| h.symbol.as_str())
        .filter(|symbol| sleeves.iter().any(|o| o.model != model && o.holdings.iter().any(|h| h.symbol == *symbol)))
        .collect();
    let securities = if count == 1 { "security".to_owned() } else { format!("{count} securities") };
    let mut words = format!(
        "This sleeve lists its holdings: a new value scales the prices of its {securities} by one factor, and the shares stay."
    );
    if !shared.is_empty() {
        let (is, moves) = if shared.len() == 1 { ("is", "moves") } else { ("are", "move") };
        words.push_str(&format!(" {} {is} held by another sleeve too, and {moves} there as well.", shared.join(", ")));
    }
    Some(words)
}

/// `scenario` with `model`'s sleeve grown by `percent` (a return of −12 takes 12% off),
/// rounded to the nearest cent: what a market move does to one sleeve.
///
/// # Errors
///
/// [`Error::UnknownModel`] for an unknown id; [`Error::OutOfRange`] for a return below
/// −100% or above 1,000%.
pub fn with_return(scenario: &Scenario, model: &str, percent: Decimal) -> Result<Scenario> {
    if percent < -Decimal::ONE_HUNDRED || percent > Decimal::ONE_THOUSAND {
        return Err(Error::OutOfRange {
            field: "return".into(),
            value: percent,
            expected: "a return runs from -100 to 1,000 percent",
        });
    }
    let mut next = scenario.clone();
    sleeve_mut(&mut next, model)?;
    let index = next.account.sleeves.iter().position(|s| s.model == model).unwrap_or_default();
    let value = next.sleeve_values().get(index).copied().unwrap_or_default();
    let grown = value.checked_mul(Decimal::ONE + percent / Decimal::ONE_HUNDRED).unwrap_or(value);
    set_value(&mut next, index, grown);
    Ok(next)
}

/// `scenario` with `symbol` put on (`on`) or taken off the account's `list`; restrictions
/// are scenario format 2, so the result is at least version 2.
///
/// # Examples
///
/// ```
/// use uma_engine::Restriction;
/// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let next = uma_engine::with_restriction(&scenario, Restriction::DoNotSell, "VTI", true);
/// assert_eq!(next.account.mandates.do_not_sell, ["VTI"]);
/// assert_eq!(next.version, 2);
/// assert_eq!(uma_engine::with_restriction(&next, Restriction::DoNotSell, "VTI", false).account.mandates.do_not_sell.len(), 0);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn with_restriction(scenario: &Scenario, list: Restriction, symbol: &str, on: bool) -> Scenario {
    let mut next = scenario.clone();
    next.version = next.version.max(2);
    let entries = next.account.mandates.list_mut(list);
    entries.retain(|s| s != symbol);
    if on {
        entries.push(symbol.to_owned());
    }
    next
}

/// `scenario` with the account's tax settings replaced by `tax` (scenario format 2).
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let mut tax = scenario.account.mandates.tax.minded(true);
/// tax.lots = uma_engine::LotMethod::Fifo;
/// let next = uma_engine::with_tax(&scenario, tax);
/// assert!(next.validate().is_ok() && next.account.mandates.tax.enabled);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn with_tax(scenario: &Scenario, tax: TaxSettings) -> Scenario {
    let mut next = scenario.clone();
    next.version = next.version.max(2);
    next.account.mandates.tax = tax;
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const PAPER: &str = include_str!("../../tests/scenarios/paper-three-models.json");

    #[test]
    fn dragging_a_weight_keeps_other_dollars() {
        let scenario = Scenario::from_json(PAPER).unwrap();
        for (weight, value) in [(dec!(0), dec!(0)), (dec!(35), dec!(35000)), (dec!(50), dec!(65000))] {
            let moved = with_weight(&scenario, "large", weight).unwrap();
            assert_eq!(moved.account.sleeves[0].value, value);
            assert_eq!(moved.account.sleeves[1..], scenario.account.sleeves[1..]);
            let report = crate::drift::drift(&moved).unwrap();
            assert_eq!(report.models[0].weight, weight);
        }
        assert!(with_weight(&scenario, "large", dec!(100)).is_err());
        assert!(with_weight(&scenario, "large", dec!(-1)).is_err());
        assert!(with_weight(&scenario, "nope", dec!(10)).unwrap_err().to_string().contains("nope"));
    }

    #[test]
    fn returns_grow_one_sleeve() {
        let scenario = Scenario::from_json(PAPER).unwrap();
        let moved = with_return(&scenario, "small", dec!(-12)).unwrap();
        assert_eq!(moved.account.sleeves[2].value, dec!(16720));
        assert_eq!(with_return(&scenario, "small", dec!(-100)).unwrap().account.sleeves[2].value, dec!(0));
        assert!(with_return(&scenario, "small", dec!(-101)).is_err());
    }
}
