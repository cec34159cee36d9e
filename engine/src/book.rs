//! The account priced against its strategy: the total value, and each model's value,
//! target, band edges and rebalance points in currency.
//!
//! Everything the rebalance compares is a whole number of cents, so that the cash pool
//! ends at exactly zero:
//!
//! - target values are the exact `t · V / 100` apportioned to cents by largest remainder
//!   (the cash target takes part), so they add up to `V` exactly;
//! - band edges are rounded outward (a weight within a cent of an edge is in band);
//! - rebalance points are rounded toward the target and never cross it.

use rust_decimal::Decimal;

use crate::check::{check_flow, MAX_PERCENT_DECIMALS};
use crate::error::Result;
use crate::money::{cents, percent_of, share, ToCent, CENT};
use crate::scenario::{Checks, Scenario};

/// Where a model's weight stands against its band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Below the lower band edge.
    Under,
    /// Inside the band, edges included.
    InBand,
    /// Above the upper band edge.
    Over,
}

impl Status {
    /// The status in words: `under`, `in band`, `over`.
    pub fn words(self) -> &'static str {
        match self {
            Status::Under => "under",
            Status::InBand => "in band",
            Status::Over => "over",
        }
    }
}

/// One model of the book.
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Target weight, percent.
    pub target: Decimal,
    /// Band edges and rebalance points, percent.
    pub lower: Decimal,
    pub upper: Decimal,
    pub point_below: Decimal,
    pub point_above: Decimal,
    /// The same in cents.
    pub target_value: Decimal,
    pub lower_value: Decimal,
    pub upper_value: Decimal,
    pub point_below_value: Decimal,
    pub point_above_value: Decimal,
    /// The sleeve's value now.
    pub value: Decimal,
}

impl Row<'_> {
    /// The status of this model if its sleeve held `value`.
    pub fn status(&self, value: Decimal) -> Status {
        if value < self.lower_value {
            Status::Under
        } else if value > self.upper_value {
            Status::Over
        } else {
            Status::InBand
        }
    }
}

/// A validated scenario priced in currency.
#[derive(Debug, Clone)]
pub(crate) struct Book<'a> {
    pub total: Decimal,
    pub cash: Decimal,
    pub cash_target_value: Decimal,
    /// One incremental pass, in cents (at least one cent).
    pub step_value: Decimal,
    pub rows: Vec<Row<'a>>,
}

impl<'a> Book<'a> {
    /// Validates `scenario` and prices it.
    pub fn new(scenario: &'a Scenario) -> Result<Book<'a>> {
        Book::with_flow(scenario, Decimal::ZERO)
    }

    /// Validates `scenario` and prices it after a cash flow into the account: a deposit
    /// (`flow` > 0) or a withdrawal (`flow` < 0). After a withdrawal larger than the cash,
    /// the book's cash is negative: the amount the rebalance must raise.
    pub fn with_flow(scenario: &'a Scenario, flow: Decimal) -> Result<Book<'a>> {
        Book::checking(scenario, flow, Checks::All)
    }

    /// [`Book::with_flow`], validating as `checks` says.
    pub fn checking(scenario: &'a Scenario, flow: Decimal, checks: Checks) -> Result<Book<'a>> {
        let (sleeve_of, sleeve_values) = scenario.sleeve_index_checking(checks)?;
        let account = &scenario.account;
        check_flow(account.cash + sleeve_values.iter().copied().sum::<Decimal>(), flow)?;
        let strategy = &scenario.strategy;
        let values: Vec<Decimal> =
            sleeve_of.iter().map(|s| cents(s.map_or(Decimal::ZERO, |i| sleeve_values[i]))).collect();
        let cash = cents(account.cash + flow);
        let total = cash + values.iter().copied().sum::<Decimal>();
        let targets = effective_targets(scenario);
        let mut shares = targets.clone();
        shares.push(scenario.cash_target());
        let mut apportioned = apportion(&shares, total);
        let cash_target_value = apportioned.pop().unwrap_or_default();
        let p = strategy.range.fraction();
        let rows = strategy
            .models
            .iter()
            .zip(values)
            .zip(apportioned)
            .zip(targets)
            .map(|(((model, value), target_value), t)| {
                let (lower, upper) = strategy.band_of(model).bounds(t);
                let point_below = t - p * (t - lower);
                let point_above = t + p * (upper - t);
                let lower_value = share(lower, total, ToCent::Down);
                let upper_value = share(upper, total, ToCent::Up);
                Row {
                    id: &model.id,
                    name: model.label(),
                    target: t,
                    lower,
                    upper,
                    point_below,
                    point_above,
                    target_value,
                    lower_value,
                    upper_value,
                    point_below_value: share(point_below, total, ToCent::Up).max(lower_value).min(target_value),
                    point_above_value: share(point_above, total, ToCent::Down).min(upper_value).max(target_value),
                    value,
                }
            })
            .collect();
        let step_value = share(strategy.step, total, ToCent::Nearest).max(CENT);
        Ok(Book { total, cash, cash_target_value, step_value, rows })
    }

    /// Cash above its target: what the rebalance has to invest (negative: to raise).
    pub fn pool(&self) -> Decimal {
        self.cash - self.cash_target_value
    }

    /// `value` as a percent of the account, to four decimals.
    pub fn weight(&self, value: Decimal) -> Decimal {
        percent_of(value, self.total)
    }
}

/// Each model's target, percent: the strategy's, or with an account cash target of its
/// own, scaled to what that leaves (`t · (100 − c′) / (100 − c)`), to
/// [`MAX_PERCENT_DECIMALS`] decimals, the rounding's few millionths going to the largest.
pub(crate) fn effective_targets(scenario: &Scenario) -> Vec<Decimal> {
    let strategy = &scenario.strategy;
    let targets: Vec<Decimal> = strategy.models.iter().map(|m| m.target).collect();
    let own = scenario.cash_target();
    if own == strategy.cash_target || strategy.cash_target == Decimal::ONE_HUNDRED {
        return targets;
    }
    let room = Decimal::ONE_HUNDRED - own;
    let old_room = Decimal::ONE_HUNDRED - strategy.cash_target;
    let mut scaled: Vec<Decimal> = targets
        .iter()
        .map(|t| {
            (t * room / old_room).round_dp_with_strategy(MAX_PERCENT_DECIMALS, rust_decimal::RoundingStrategy::ToZero)
        })
        .collect();
    let left = room - scaled.iter().copied().sum::<Decimal>();
    if let Some(largest) = (0..scaled.len()).max_by(|&a, &b| scaled[a].cmp(&scaled[b]).then(b.cmp(&a))) {
        scaled[largest] += left;
    }
    scaled
}

/// Splits `total` (in cents) into parts proportional to `percents` (which add up to 100),
/// each a whole number of cents, adding up to `total` exactly: each part is floored to
/// the cent, then the cents left over go one each to the largest remainders, earlier
/// parts first on ties.
///
/// Works on integers: validation keeps percents to [`MAX_PERCENT_DECIMALS`] decimals and
/// at most 100, and totals to [`crate::MAX_ACCOUNT_VALUE`], so `p · 10^6 · cents` stays
/// below 10^26, far inside `i128`.
fn apportion(percents: &[Decimal], total: Decimal) -> Vec<Decimal> {
    let denominator = 10i128.pow(MAX_PERCENT_DECIMALS + 2);
    let total_cents = cents(total).mantissa();
    let numerators: Vec<i128> = percents
        .iter()
        .map(|p| {
            let mut p = p.normalize();
            p.rescale(MAX_PERCENT_DECIMALS);
            p.mantissa().saturating_mul(total_cents)
        })
        .collect();
    let mut parts: Vec<i128> = numerators.iter().map(|n| n.div_euclid(denominator)).collect();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // A stable sort keeps earlier parts first on equal remainders.
    order.sort_by_key(|&i| std::cmp::Reverse(numerators[i].rem_euclid(denominator)));
    let left = total_cents - parts.iter().sum::<i128>();
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        parts[i] += 1;
    }
    parts.into_iter().map(|c| Decimal::try_from_i128_with_scale(c, 2).unwrap_or_default()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn apportionment_adds_up() {
        let check = |percents: &[Decimal], total: Decimal, want: &[Decimal]| {
            let got = apportion(percents, total);
            assert_eq!(got, want);
            assert_eq!(got.iter().copied().sum::<Decimal>(), total);
        };
        check(
            &[dec!(30), dec!(50), dec!(20), dec!(0)],
            dec!(100000),
            &[dec!(30000), dec!(50000), dec!(20000), dec!(0)],
        );
        check(&[dec!(33.333333), dec!(33.333333), dec!(33.333334)], dec!(1), &[dec!(0.33), dec!(0.33), dec!(0.34)]);
        check(&[dec!(50), dec!(50)], dec!(0.01), &[dec!(0.01), dec!(0)]);
        check(&[dec!(50), dec!(50)], dec!(0.03), &[dec!(0.02), dec!(0.01)]);
    }
}
