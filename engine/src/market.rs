//! Moving the market by hand: what-if edits of an account's sleeve values.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::{Error, Result};
use crate::scenario::{Scenario, Sleeve};

fn sleeve_mut<'a>(scenario: &'a mut Scenario, model: &str) -> Result<&'a mut Sleeve> {
    if !scenario.strategy.models.iter().any(|m| m.id == model) {
        let known = scenario.strategy.models.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ");
        return Err(Error::UnknownModel { field: "model".into(), id: model.to_owned(), known });
    }
    let index = match scenario.account.sleeves.iter().position(|s| s.model == model) {
        Some(index) => index,
        None => {
            scenario.account.sleeves.push(Sleeve { model: model.to_owned(), value: Decimal::ZERO });
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
    let total: Decimal = next.account.cash + next.account.sleeves.iter().map(|s| s.value).sum::<Decimal>();
    let sleeve = sleeve_mut(&mut next, model)?;
    let others = total - sleeve.value;
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
    sleeve.value = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Ok(next)
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
    let sleeve = sleeve_mut(&mut next, model)?;
    let grown = sleeve.value * (Decimal::ONE + percent / Decimal::ONE_HUNDRED);
    sleeve.value = grown.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    Ok(next)
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
            let report = crate::drift(&moved).unwrap();
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
