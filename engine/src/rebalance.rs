//! A rebalance as the product runs it: the strategic rebalance moves cash between the
//! sleeves ([`crate::strategic`]), then the tactical rebalance trades inside each sleeve
//! that lists its holdings ([`crate::tactical`]). Each knows only its own inputs; this
//! module composes them.

use rust_decimal::Decimal;

#[cfg(doc)]
use crate::error::Error;
use crate::error::Result;
use crate::outcome::Rebalance;
use crate::scenario::{Checks, Scenario};
use crate::strategic::{self, Explain};
use crate::tactical;

/// Runs the strategic rebalance of `scenario` and, when its sleeves list their holdings
/// (scenario format 2), the tactical rebalance inside them: [`Rebalance::tactical`].
///
/// # Errors
///
/// Any error of [`Scenario::validate`].
///
/// # Examples
///
/// The white paper's worked example: Large Cap is trimmed from 35% to 31.5%, Mid Cap is
/// bought to its rebalance point 47.5%, then two 1% passes take it to 49.5%.
///
/// ```
/// use rust_decimal_macros::dec;
/// # let text = r#"{"strategy": {"models": [
/// #   {"id": "large", "name": "Large Cap", "target": "30"},
/// #   {"id": "mid", "name": "Mid Cap", "target": "50"},
/// #   {"id": "small", "name": "Small Cap", "target": "20"}],
/// #   "band": {"kind": "relative", "width": "10"},
/// #   "range": {"mode": "interior", "percent_to_target": "50"}},
/// #   "account": {"sleeves": [{"model": "large", "value": "35000"},
/// #   {"model": "mid", "value": "46000"}, {"model": "small", "value": "19000"}]}}"#;
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let result = uma_engine::rebalance(&scenario)?;
/// let weights: Vec<_> = result.models.iter().map(|m| m.weight_after).collect();
/// assert_eq!(weights, [dec!(31.5), dec!(49.5), dec!(19)]);
/// assert_eq!(result.steps.len(), 4);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn rebalance(scenario: &Scenario) -> Result<Rebalance> {
    rebalance_with_flow(scenario, Decimal::ZERO)
}

/// Runs the strategic rebalance of `scenario` together with a deposit (`flow` > 0) or a
/// withdrawal (`flow` < 0): the flow changes the account's value and its cash pool, so a
/// deposit is invested and a withdrawal raised by the same three phases. When the sleeves
/// list their holdings, the tactical rebalance inside them then trades with that flow:
/// the sleeves that send cash raise the withdrawal with the rest, and a deposit is
/// invested security by security.
///
/// # Errors
///
/// Any error of [`Scenario::validate`]; [`Error::WithdrawalTooLarge`] when the
/// withdrawal takes the whole account; [`Error::SubCent`] for fractions of a cent.
///
/// # Examples
///
/// ```
/// # let text = r#"{"strategy": {"models": [{"id": "a", "target": "60"}, {"id": "b", "target": "40"}],
/// #   "band": {"kind": "absolute", "width": "5"}, "range": {"mode": "target"}},
/// #   "account": {"sleeves": [{"model": "a", "value": "60000"}, {"model": "b", "value": "40000"}]}}"#;
/// use rust_decimal_macros::dec;
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let result = uma_engine::rebalance_with_flow(&scenario, dec!(-10000))?;
/// let trades: Vec<_> = result.models.iter().map(|m| m.trade).collect();
/// assert_eq!(trades, [dec!(-6000), dec!(-4000)]);
/// assert_eq!(result.cash_after, dec!(0));
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn rebalance_with_flow(scenario: &Scenario, flow: Decimal) -> Result<Rebalance> {
    run(scenario, flow, Explain::Yes, Checks::All)
}

/// [`rebalance_with_flow`], the strategic steps' sentences written or not (a batch of
/// accounts skips them unless asked; the tactical orders always say why).
/// Validation checks what `checks` says: a batch checks its strategies once.
pub(crate) fn run(scenario: &Scenario, flow: Decimal, explain: Explain, checks: Checks) -> Result<Rebalance> {
    let mut result = strategic::run_checking(scenario, flow, explain, checks)?;
    result.tactical = tactical::run(scenario, &result);
    Ok(result)
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_withdrawal_is_raised_inside_the_sleeves() {
        let text = include_str!("../../tests/scenarios/holdings-three-sleeves.json");
        let scenario = Scenario::from_json(text).unwrap();
        let result = rebalance_with_flow(&scenario, dec!(-10000)).unwrap();
        let tactical = result.tactical.as_ref().expect("the sleeves list their holdings");
        // Every sleeve sends its share of the withdrawal through sales, security by security.
        let sold: Decimal =
            tactical.orders().filter(|o| o.side == crate::orders::OrderSide::Sell).map(|o| o.amount).sum();
        assert!(sold >= dec!(10000), "sold {sold}");
        let flows: Decimal = tactical.sleeves.iter().map(|s| s.flow).sum();
        assert_eq!(tactical.account_cash_after, result.cash_before + result.flow - flows);
        // The account after is worth what it was less the withdrawal (to the cents the
        // holdings round to), and its cash does not go below zero.
        let after = result.apply_to(&scenario);
        let worth: Decimal = after.sleeve_values().iter().copied().sum::<Decimal>() + after.account.cash;
        assert!((worth - (result.total_value)).abs() <= dec!(1), "{worth} vs {}", result.total_value);
        assert!(after.account.cash >= Decimal::ZERO);
        // A deposit is invested in the sleeves.
        let result = rebalance_with_flow(&scenario, dec!(5000)).unwrap();
        let bought: Decimal = result.tactical.unwrap().orders().map(|o| o.amount).sum();
        assert!(bought > dec!(0));
    }
}
