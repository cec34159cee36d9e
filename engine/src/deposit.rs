//! Deposits instead of trades: the smallest deposit that brings every model back inside
//! its band with purchases only, no sale.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::check::MAX_ACCOUNT_VALUE;
use crate::error::Result;
use crate::money::{cents, percent_of, share, ToCent};
use crate::scenario::Scenario;

/// The smallest deposit that puts every model in band without a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositPlan {
    /// The deposit; zero when every model is already in band and no cash is short.
    pub deposit: Decimal,
    /// Each model's purchase (zero or more), in strategy order.
    pub buys: Vec<DepositBuy>,
    /// Cash after the deposit and the purchases.
    pub cash_after: Decimal,
}

/// One model's purchase in a [`DepositPlan`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositBuy {
    /// The model's id.
    pub model: String,
    /// Dollars bought: up to the model's lower band edge, or nothing.
    pub amount: Decimal,
    /// The model's weight after, percent.
    pub weight_after: Decimal,
}

/// The smallest deposit, to the cent, after which buying each model under its band up to
/// its lower edge puts every model in band (models over their band are diluted back
/// into it, never sold) and leaves cash at or above its target. `None` when no deposit
/// can: a model over a band whose upper edge is 0%, or lower edges and cash target that
/// take up the whole account.
///
/// Cash needed grows more slowly than the deposit (lower edges and the cash target add up
/// to at most 100%), so whether a deposit suffices is monotone in its size and a binary
/// search over cents finds the smallest.
///
/// # Errors
///
/// Any error of [`Scenario::validate`].
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
/// use rust_decimal_macros::dec;
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// // Large Cap at $35,000 is within a 33% upper edge once the account is $106,060.58.
/// let plan = uma_engine::smallest_deposit(&scenario)?.unwrap();
/// assert_eq!(plan.deposit, dec!(6060.58));
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn smallest_deposit(scenario: &Scenario) -> Result<Option<DepositPlan>> {
    let book = Book::new(scenario)?;
    let headroom = MAX_ACCOUNT_VALUE - book.total;
    let fits = |deposit: Decimal| plan_for(scenario, &book, deposit);
    if let Some(plan) = fits(Decimal::ZERO) {
        return Ok(Some(plan));
    }
    if fits(headroom).is_none() {
        return Ok(None);
    }
    // Invariant: `low` does not fit, `high` does; both in cents.
    let (mut low, mut high) = (0i128, cents(headroom).mantissa());
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if fits(Decimal::from_i128_with_scale(mid, 2)).is_some() {
            high = mid;
        } else {
            low = mid;
        }
    }
    Ok(fits(Decimal::from_i128_with_scale(high, 2)))
}

/// The buys after `deposit`, if they put every model in band with cash at or above its
/// target.
fn plan_for(scenario: &Scenario, book: &Book, deposit: Decimal) -> Option<DepositPlan> {
    let total = book.total + deposit;
    let cash_target = share(scenario.cash_target(), total, ToCent::Up);
    let mut cash = book.cash + deposit;
    let mut buys = Vec::with_capacity(book.rows.len());
    for row in &book.rows {
        if row.value > share(row.upper, total, ToCent::Up) {
            return None;
        }
        let amount = (share(row.lower, total, ToCent::Down) - row.value).max(Decimal::ZERO);
        cash -= amount;
        let weight_after = percent_of(row.value + amount, total);
        buys.push(DepositBuy { model: row.id.to_owned(), amount, weight_after });
    }
    (cash >= cash_target).then_some(DepositPlan { deposit: cents(deposit), buys, cash_after: cash })
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;
    use crate::money::{share, ToCent};

    #[test]
    fn the_account_cash_target_is_the_one_kept() {
        // The paper's case with an account cash target of 10% instead of the strategy's 0%:
        // the deposit must also leave 10% of the account in cash.
        let text = include_str!("../../tests/scenarios/paper-three-models.json");
        let mut scenario = Scenario::from_json(text).unwrap();
        let without = smallest_deposit(&scenario).unwrap().unwrap();
        scenario.version = 2;
        scenario.account.mandates.cash_target = Some(dec!(10));
        scenario.validate().unwrap();
        let plan = smallest_deposit(&scenario).unwrap().unwrap();
        let total = dec!(100000) + plan.deposit;
        assert!(plan.cash_after >= share(dec!(10), total, ToCent::Up), "{plan:?}");
        assert!(plan.deposit > without.deposit);
        // One cent less is not enough.
        let less = plan.deposit - dec!(0.01);
        let total = dec!(100000) + less;
        let book = Book::new(&scenario).unwrap();
        let fits = plan_for(&scenario, &book, less);
        assert!(fits.is_none() || fits.unwrap().cash_after < share(dec!(10), total, ToCent::Up));
    }
}
