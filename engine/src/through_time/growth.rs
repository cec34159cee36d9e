//! Growth and drawdown of the account under every policy on one path: what rebalancing
//! did to the account's value against never rebalancing, and how far it fell from its
//! highs on the way. The through-time view's growth chart draws it.
//!
//! Each policy is a run of [`simulate`] with [`Detail::Series`] on the same path, look
//! and cost; its values are the series' end-of-date values and its drawdown on a date is
//! [`drawdown`]: the fall from the highest value up to that date, as a fraction.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::book::Book;
use crate::date::Date;
use crate::error::Result;
use crate::money::{format_dollars, format_fraction, round_cent, ToCent};
use crate::scenario::Scenario;
use crate::through_time::calendar::Look;
use crate::through_time::path::MarketPath;
use crate::through_time::simulate::{Detail, Policy, SimulationConfig};
use crate::through_time::walk::simulate;

/// One policy's run, as the growth chart draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyGrowth {
    /// The policy.
    pub policy: Policy,
    /// The account's value at the end of each date of the path.
    pub values: Vec<f64>,
    /// The fall from the highest value so far at each date, as a fraction (0 at a high).
    pub drawdown: Vec<f64>,
    /// The value at the end, to the cent.
    pub final_value: Decimal,
    /// The deepest fall of the run, as a fraction (the run's `max_drawdown`).
    pub max_drawdown: f64,
    /// How many times the policy rebalanced.
    pub rebalances: usize,
}

/// Every policy's growth on one path, [`Policy::ALL`]'s order (never last).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// The path's dates.
    pub dates: Vec<Date>,
    /// The account's value before the first date.
    pub start_value: Decimal,
    /// One run per policy.
    pub policies: Vec<PolicyGrowth>,
}

/// The fall from the running high at each of `values`, as a fraction: `1 − v / max(v₀..v)`,
/// 0 on a new high, and 0 where no positive high was reached yet.
///
/// # Examples
///
/// ```
/// let falls = uma_engine::drawdown(&[100.0, 120.0, 90.0, 130.0]);
/// assert_eq!(falls, vec![0.0, 0.0, 0.25, 0.0]);
/// ```
pub fn drawdown(values: &[f64]) -> Vec<f64> {
    let mut high = f64::NEG_INFINITY;
    values
        .iter()
        .map(|&v| {
            high = high.max(v);
            if high > 0.0 && v.is_finite() {
                (1.0 - v / high).max(0.0)
            } else {
                0.0
            }
        })
        .collect()
}

/// Runs `scenario` through `path` under every policy with the same `look` and
/// `cost_bps`, keeping each run's values and drawdown.
///
/// # Errors
///
/// Any error of [`simulate`], which every policy would meet alike.
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
/// use uma_engine::{Look, MarketPath, Policy};
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
/// let growth = uma_engine::growth(&scenario, &path, Look::Monthly, rust_decimal::Decimal::ZERO)?;
/// let never = growth.policies.iter().find(|p| p.policy == Policy::Never).unwrap();
/// assert_eq!(never.rebalances, 0);
/// assert_eq!(growth.policies.len(), 4);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn growth(scenario: &Scenario, path: &MarketPath, look: Look, cost_bps: Decimal) -> Result<Growth> {
    let mut policies = Vec::with_capacity(Policy::ALL.len());
    let mut dates = Vec::new();
    for policy in Policy::ALL {
        let config = SimulationConfig { look, policy, cost_bps, detail: Detail::Series };
        let run = simulate(scenario, path, &config)?;
        let series = run.series.unwrap_or_default();
        if dates.is_empty() {
            dates = series.dates;
        }
        policies.push(PolicyGrowth {
            policy,
            drawdown: drawdown(&series.values),
            values: series.values,
            final_value: run.final_value,
            max_drawdown: run.metrics.max_drawdown,
            rebalances: run.metrics.rebalances,
        });
    }
    // The runs above validated the scenario and its book.
    let start_value = Book::new(&scenario.by_values()).map(|book| book.total)?;
    Ok(Growth { dates, start_value: round_cent(start_value, ToCent::Nearest), policies })
}

impl Growth {
    /// The run of `policy`.
    ///
    /// # Examples
    ///
    /// ```
    /// let growth = uma_engine::Growth { dates: vec![], start_value: 0.into(), policies: vec![] };
    /// assert!(growth.of(uma_engine::Policy::Never).is_none());
    /// ```
    pub fn of(&self, policy: Policy) -> Option<&PolicyGrowth> {
        self.policies.iter().find(|p| p.policy == policy)
    }

    /// One sentence per policy against never rebalancing: where each ended, by how much
    /// more or less than never, and its deepest fall against never's.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
    /// use uma_engine::{Look, MarketPath};
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
    /// let growth = uma_engine::growth(&scenario, &path, Look::Monthly, rust_decimal::Decimal::ZERO)?;
    /// let words = growth.words();
    /// // The account starts at 77/23, out of its bands: rebalancing sells Growth before
    /// // it doubles, so never rebalancing ends higher.
    /// assert!(words.starts_with("$100,000 became $170,000 with rebalancing at the bands ($7,000 less than never"), "{words}");
    /// assert!(words.ends_with("and $177,000 with no rebalancing (deepest fall 0.00%)."), "{words}");
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn words(&self) -> String {
        let start = format_dollars(self.start_value);
        let Some(never) = self.of(Policy::Never) else {
            return String::new();
        };
        let others: Vec<String> = self
            .policies
            .iter()
            .filter(|p| p.policy != Policy::Never)
            .map(|p| {
                let gap = p.final_value - never.final_value;
                let versus = if gap.is_zero() {
                    "the same as never rebalancing".to_string()
                } else {
                    let word = if gap > Decimal::ZERO { "more" } else { "less" };
                    format!("{} {word} than never rebalancing", format_dollars(gap.abs()))
                };
                format!(
                    "{} with {} ({versus}; deepest fall {})",
                    format_dollars(p.final_value),
                    p.policy.short_label(),
                    format_fraction(p.max_drawdown)
                )
            })
            .collect();
        format!(
            "{start} became {}, and {} with no rebalancing (deepest fall {}).",
            others.join(", "),
            format_dollars(never.final_value),
            format_fraction(never.max_drawdown)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawdown_is_the_fall_from_the_running_high() {
        assert_eq!(drawdown(&[]), Vec::<f64>::new());
        assert_eq!(drawdown(&[0.0, 0.0]), vec![0.0, 0.0]);
        let falls = drawdown(&[100.0, 80.0, 60.0, 90.0, 120.0, 60.0]);
        let expected = [0.0, 0.2, 0.4, 0.1, 0.0, 0.5];
        assert!(falls.iter().zip(expected).all(|(f, e)| (f - e).abs() < 1e-12), "{falls:?}");
        assert!(drawdown(&[100.0, f64::NAN, 50.0]).iter().all(|f| (0.0..=1.0).contains(f)));
    }

    #[test]
    fn every_policy_runs_on_the_same_dates() {
        let scenario = Scenario::from_json(include_str!("../../../tests/scenarios/paper-seventy-thirty.json")).unwrap();
        let csv = "date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n2024-03-29,100,100\n";
        let path = MarketPath::from_csv(csv).unwrap();
        let growth = growth(&scenario, &path, Look::Monthly, Decimal::ZERO).unwrap();
        assert_eq!(growth.dates.len(), 3);
        assert_eq!(growth.policies.iter().map(|p| p.policy).collect::<Vec<_>>(), Policy::ALL.to_vec());
        for p in &growth.policies {
            assert_eq!(p.values.len(), 3, "{:?}", p.policy);
            let deepest = p.drawdown.iter().copied().fold(0.0, f64::max);
            assert!((deepest - p.max_drawdown).abs() < 1e-9, "{:?}: {deepest} against {}", p.policy, p.max_drawdown);
        }
        // Never holds 70/30 of a market that doubles Growth and halves it back: it ends
        // where it started; rebalancing at the top sold Growth high: 59,500 + 51,000.
        let never = growth.of(Policy::Never).unwrap();
        assert_eq!(never.final_value, Decimal::from(100_000));
        assert_eq!(growth.of(Policy::Full).unwrap().final_value, Decimal::from(110_500));
        assert!(growth.words().contains("$10,500 more than never rebalancing"), "{}", growth.words());
    }
}
