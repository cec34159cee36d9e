//! The result of a rebalance: each model before and after, the trace, and (when the
//! sleeves list their holdings) the tactical orders inside them; the queries a
//! step-by-step player makes of it, the account it leaves, and its text for people.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::Sleeve;
use crate::holdings::{RecentTrade, TradeSide};
use crate::money::{format_money, format_percent, percent_of};
use crate::orders::{OrderSide, Reason, Tactical};
use crate::scenario::Scenario;
use crate::table::Table;
use crate::trace::{Phase, Step};

/// The result of a strategic rebalance: each model before and after, and the trace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rebalance {
    /// The account's total value `V` (sleeves plus cash), unchanged by the rebalance.
    pub total_value: Decimal,
    /// Account cash before the rebalance (before any deposit or withdrawal).
    pub cash_before: Decimal,
    /// Cash deposited (positive) or withdrawn (negative) with the rebalance; see
    /// [`crate::rebalance_with_flow`].
    #[serde(default, skip_serializing_if = "Decimal::is_zero")]
    pub flow: Decimal,
    /// Account cash after: the cash target's value.
    pub cash_after: Decimal,
    /// The range mode used: `target`, `band` or `interior`; `full` for
    /// [`crate::rebalance_to_target`].
    pub range: String,
    /// The sum of every model's absolute trade.
    pub traded: Decimal,
    /// Each model, in strategy order.
    pub models: Vec<ModelOutcome>,
    /// Every movement, in the order made.
    pub steps: Vec<Step>,
    /// Inside the sleeves: the orders, security by security, when any sleeve lists its
    /// holdings (scenario format 2); see [`crate::Tactical`].
    /// (Read back from JSON it is left out: a rebalance read back is a strategic plan.)
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub tactical: Option<Tactical>,
}

/// One model before and after a rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelOutcome {
    /// The model's id.
    pub id: String,
    /// The model's name.
    pub name: String,
    /// Its target weight, percent.
    pub target: Decimal,
    /// Its target in currency, apportioned to the cent.
    pub target_value: Decimal,
    /// Sleeve value before.
    pub value_before: Decimal,
    /// Sleeve value after.
    pub value_after: Decimal,
    /// Weight before, percent (four decimals).
    pub weight_before: Decimal,
    /// Weight after, percent (four decimals).
    pub weight_after: Decimal,
    /// Net trade: positive bought, negative sold.
    pub trade: Decimal,
}

impl Rebalance {
    /// Whether a model was outside its band (the rebalance condition): the trace has an
    /// `out_of_band` step.
    pub fn triggered(&self) -> bool {
        self.steps.iter().any(|s| s.phase == Phase::OutOfBand)
    }

    /// How many models were bought or sold.
    pub fn model_trades(&self) -> u64 {
        self.models.iter().filter(|m| !m.trade.is_zero()).count() as u64
    }

    /// The largest distance from target, in points, any model is left at.
    pub fn drift_left(&self) -> Decimal {
        self.models.iter().map(|m| (m.weight_after - m.target).abs()).max().unwrap_or_default()
    }

    /// Each model's value after the first `steps` steps of the trace (0: before any, all:
    /// after the rebalance), in strategy order: what a step-by-step player shows.
    pub fn values_at(&self, steps: usize) -> Vec<Decimal> {
        let mut values: Vec<Decimal> = self.models.iter().map(|m| m.value_before).collect();
        for step in self.steps.iter().take(steps) {
            if let Some(i) = self.models.iter().position(|m| m.id == step.model) {
                values[i] += step.amount;
            }
        }
        values
    }

    /// Each model's weight (percent, four decimals) after the first `steps` steps.
    pub fn weights_at(&self, steps: usize) -> Vec<Decimal> {
        self.values_at(steps).into_iter().map(|v| percent_of(v, self.total_value)).collect()
    }

    /// The account after the first `steps` steps of the trace, by its sleeves' values:
    /// `scenario` ([`Scenario::by_values`], whose strategy this rebalance followed) with
    /// each sleeve at [`Rebalance::values_at`] and the account's cash where the steps
    /// leave it. What a page shows at each step of its player, so that the drift table,
    /// the status and the alerts show the same moment as the chart.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let plan = uma_engine::rebalance(&scenario)?;
    /// let after_one = plan.account_at(&scenario, 1);
    /// assert_eq!(uma_engine::drift(&after_one)?.models[0].weight, rust_decimal_macros::dec!(31.5));
    /// assert_eq!(plan.moment_words(1), "After step 1 of 4");
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn account_at(&self, scenario: &Scenario, steps: usize) -> Scenario {
        let mut at = scenario.by_values();
        let values = self.values_at(steps);
        let moved: Decimal = values.iter().zip(&self.models).map(|(v, m)| *v - m.value_before).sum();
        at.account.cash = self.cash_before + self.flow - moved;
        at.account.sleeves = self.models.iter().zip(values).map(|(m, v)| Sleeve::valued(&m.id, v)).collect();
        at
    }

    /// Which moment `steps` is, in words: `Before the rebalance`, `After step 2 of 4`,
    /// `After the rebalance`.
    pub fn moment_words(&self, steps: usize) -> String {
        let n = self.steps.len();
        match steps {
            0 => "Before the rebalance".to_owned(),
            k if k >= n => "After the rebalance".to_owned(),
            k => format!("After step {k} of {n}"),
        }
    }

    /// The step that brought the account to the moment after the first `steps` steps
    /// (the `steps`th): `None` before the rebalance (0) and past its end.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
    /// let plan = uma_engine::rebalance(&uma_engine::Scenario::from_json(text)?)?;
    /// assert!(plan.step_at(0).is_none());
    /// assert_eq!(plan.step_at(1).map(|s| s.model.as_str()), Some("large"));
    /// assert!(plan.step_at(5).is_none());
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn step_at(&self, steps: usize) -> Option<&Step> {
        self.steps.get(steps.checked_sub(1)?)
    }

    /// The cash pool after the first `steps` steps: cash above its target (negative:
    /// cash still to raise).
    pub fn pool_at(&self, steps: usize) -> Decimal {
        match self.step_at(steps) {
            Some(step) => step.pool_after,
            None => {
                self.cash_before + self.flow - self.cash_after
                    + self.steps.last().map_or(Decimal::ZERO, |s| s.pool_after)
            }
        }
    }

    /// The account after the rebalance: `scenario` with each sleeve at its new value and
    /// cash at its target; with a tactical rebalance, each sleeve that lists holdings
    /// holds what its orders leave, and a dated account lists the orders' purchases and
    /// sales among its recent trades (the wash-sale window of the next rebalance).
    /// Rebalancing it again makes no strategic trade.
    pub fn apply_to(&self, scenario: &Scenario) -> Scenario {
        let mut next = scenario.clone();
        next.account.cash = self.cash_after;
        next.account.sleeves = self
            .models
            .iter()
            .map(|m| {
                let tactical = self.tactical.as_ref().and_then(|t| t.sleeves.iter().find(|s| s.model == m.id));
                match tactical {
                    Some(t) if t.holdings_listed => Sleeve {
                        model: m.id.clone(),
                        value: t.value_after,
                        cash: t.cash_after,
                        holdings: t.holdings_after.clone(),
                    },
                    _ => Sleeve::valued(&m.id, m.value_after),
                }
            })
            .collect();
        if let Some(t) = &self.tactical {
            next.account.cash = t.account_cash_after;
            // A dated account remembers this rebalance's trades, for the wash-sale window
            // of the next one.
            if let Some(date) = scenario.account.as_of {
                next.account.recent_trades.extend(t.orders().filter_map(|o| {
                    let side = match o.side {
                        OrderSide::Buy => TradeSide::Buy,
                        OrderSide::Sell => TradeSide::Sell,
                        OrderSide::TransferIn | OrderSide::TransferOut => return None,
                    };
                    let gain = o.short_term_gain + o.long_term_gain;
                    let forced = o.reason == Reason::DoNotHold;
                    Some(RecentTrade { symbol: o.symbol.clone(), side, date, gain, forced })
                }));
            }
        }
        next
    }
}

impl fmt::Display for Rebalance {
    /// A plain-text table for people: the models before and after, then the steps.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut table = Table::new(["Model", "Target", "Before", "After", "Trade", "Value after"]);
        for m in &self.models {
            table.row([
                m.name.clone(),
                format_percent(m.target),
                format_percent(m.weight_before),
                format_percent(m.weight_after),
                format_money(m.trade),
                format_money(m.value_after),
            ]);
        }
        table.row([
            "Cash".into(),
            String::new(),
            String::new(),
            String::new(),
            format_money(self.cash_after - self.cash_before - self.flow),
            format_money(self.cash_after),
        ]);
        writeln!(f, "Strategic rebalance ({} range) of {}", self.range, format_money(self.total_value))?;
        if self.flow.is_sign_positive() && !self.flow.is_zero() {
            writeln!(f, "With a deposit of {}.", format_money(self.flow))?;
        } else if self.flow.is_sign_negative() {
            writeln!(f, "With a withdrawal of {}.", format_money(-self.flow))?;
        }
        write!(f, "{table}")?;
        writeln!(f, "Traded {} in {} steps.", format_money(self.traded), self.steps.len())?;
        for (n, step) in self.steps.iter().enumerate() {
            writeln!(f, "{:>3}. [{}] {}", n + 1, step.phase, step.text)?;
        }
        if let Some(tactical) = &self.tactical {
            write!(f, "\n{tactical}")?;
        }
        Ok(())
    }
}
