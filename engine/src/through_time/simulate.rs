//! A strategy through time: the sleeves drift with their prices along a market path; on
//! look dates the bands are checked and a policy rebalances.
//!
//! # Policies
//!
//! - `strategic`: when any model is out of band, the strategy's own strategic rebalance
//!   (its range mode, the three phases of [`crate::rebalance`]);
//! - `full`: when any model is out of band, every model back to its target (the classic
//!   threshold rebalance of the academic studies);
//! - `calendar`: every model back to its target on every look date;
//! - `never`: buy and hold.
//!
//! Sleeves hold units (value ÷ price at the last trade), so a sleeve's value on any date
//! is its units times that date's price; account cash earns nothing. A trading cost in
//! basis points of the dollars traded is taken from the whole account pro rata.
//!
//! # Metrics
//!
//! Statistics (returns, volatility, tracking error, drawdown, drift) are `f64`: they
//! describe a run and never feed a trade. Money (values, trades, costs) stays `Decimal`.
//!
//! - turnover per year: the one-way turnover (half the dollars traded over the account's
//!   value at each rebalance), summed and divided by the years of the path;
//! - drift: on each date, before any rebalance, the largest |weight − target| among the
//!   models, in points; its time average and maximum;
//! - tracking error: the annualized standard deviation of the difference between the
//!   account's period returns and those of a portfolio rebalanced to the targets every
//!   period (cash at its target, earning nothing);
//! - annualized return and volatility of the account's period returns, and its maximum
//!   drawdown (the largest fall from a previous high, as a fraction).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::outcome::Rebalance;
use crate::scenario::Scenario;
use crate::strategic::{run, run_to_target, Explain};
use crate::through_time::calendar::Look;
use crate::trace::Step;

/// What triggers a rebalance, and how far it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// The strategy's own strategic rebalance when any model is out of band.
    Strategic,
    /// Every model back to target when any model is out of band.
    Full,
    /// Every model back to target on every look date.
    Calendar,
    /// Never rebalance.
    Never,
}

impl Policy {
    /// Every policy.
    pub const ALL: [Policy; 4] = [Policy::Strategic, Policy::Full, Policy::Calendar, Policy::Never];

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Policy::Strategic => "strategic",
            Policy::Full => "full",
            Policy::Calendar => "calendar",
            Policy::Never => "never",
        }
    }

    /// A few words for the policy in a sentence or a legend: `rebalancing at the bands`
    /// is the strategy's own rebalance.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(uma_engine::Policy::Full.short_label(), "rebalancing fully to target at the bands");
    /// ```
    pub fn short_label(self) -> &'static str {
        match self {
            Policy::Strategic => "rebalancing at the bands",
            Policy::Full => "rebalancing fully to target at the bands",
            Policy::Calendar => "rebalancing to target at every look",
            Policy::Never => "never rebalancing",
        }
    }

    /// The policy named `name`.
    pub fn from_name(name: &str) -> Option<Policy> {
        Policy::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// How much of a run [`simulate`] keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// Only the metrics: no rebalance is kept and no sentence is written. What a grid of
    /// configurations or a Monte Carlo run needs.
    Metrics,
    /// The metrics and every rebalance: its trades, the account before it, the weights
    /// before and after, and (for the strategic policy) its steps.
    #[default]
    Rebalances,
    /// All of that, and every model's weight on every date: what a chart through time
    /// draws.
    Series,
}

/// How to run a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationConfig {
    /// When the bands are checked.
    pub look: Look,
    /// What a check does.
    pub policy: Policy,
    /// Trading cost, in basis points of the dollars traded.
    #[serde(deserialize_with = "crate::json::decimal")]
    pub cost_bps: Decimal,
    /// How much of the run to keep; defaults to [`Detail::Rebalances`].
    #[serde(default)]
    pub detail: Detail,
}

impl Default for SimulationConfig {
    fn default() -> Self {
        SimulationConfig {
            look: Look::Daily,
            policy: Policy::Strategic,
            cost_bps: Decimal::ZERO,
            detail: Detail::Rebalances,
        }
    }
}

/// One model's trade at a rebalance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trade {
    /// The model's id.
    pub model: String,
    /// Dollars bought (negative: sold).
    pub amount: Decimal,
}

/// A rebalance made during a simulation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RebalanceEvent {
    /// When.
    pub date: Date,
    /// The account's value before it.
    pub value: Decimal,
    /// Each model's trade (zero trades left out).
    pub trades: Vec<Trade>,
    /// Dollars traded.
    pub traded: Decimal,
    /// Trading cost.
    pub cost: Decimal,
    /// The account just before the rebalance, every amount in cents: what
    /// [`Simulation::replay`] rebalances again.
    pub account: Account,
    /// Each model's weight before the rebalance, percent, in strategy order.
    pub weights_before: Vec<Decimal>,
    /// Each model's weight after it.
    pub weights_after: Vec<Decimal>,
    /// The rebalance's steps: the strategic rebalance's phases, or for `full` and
    /// `calendar` one [`crate::Phase::ToTarget`] step per model traded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
}

/// Every model's weight on every date of a run, kept with [`Detail::Series`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The dates of the path.
    pub dates: Vec<Date>,
    /// `weights[i][t]`: model `i`'s weight (percent) at the end of date `t`, after any
    /// rebalance that day; models in strategy order.
    pub weights: Vec<Vec<f64>>,
    /// The account's value at the end of each date.
    pub values: Vec<f64>,
}

/// Figures of a run; see the module documentation for definitions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of rebalances.
    pub rebalances: usize,
    /// Years from the first date to the last.
    pub years: f64,
    /// One-way turnover per year, as a fraction of the account.
    pub turnover_per_year: f64,
    /// Dollars traded over the run.
    pub total_traded: Decimal,
    /// Trading costs over the run.
    pub trading_cost: Decimal,
    /// Time-averaged largest model drift, in points.
    pub average_drift: f64,
    /// Largest model drift seen, in points.
    pub max_drift: f64,
    /// Annualized tracking error against the continuously rebalanced portfolio.
    pub tracking_error: f64,
    /// Annualized (geometric) return; absent when it is not a finite number (a large move
    /// over a run of a few days annualizes past any float), never `inf` or `NaN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annualized_return: Option<f64>,
    /// Annualized volatility of period returns.
    pub annualized_volatility: f64,
    /// Largest fall from a previous high, as a fraction.
    pub max_drawdown: f64,
    /// The account's value at the end.
    pub final_value: Decimal,
}

/// The result of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Simulation {
    /// The look frequency used.
    pub look: Look,
    /// The policy used.
    pub policy: Policy,
    /// Every rebalance, in date order.
    pub rebalances: Vec<RebalanceEvent>,
    /// The account's value at the end.
    pub final_value: Decimal,
    /// The run's figures.
    pub metrics: Metrics,
    /// Every model's weight on every date, with [`Detail::Series`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series: Option<Series>,
}

/// The rebalance a policy makes of an account: the strategy's own strategic rebalance,
/// or a full one back to target.
pub(crate) fn rebalance_by(policy: Policy, scenario: &Scenario, explain: Explain) -> Result<Rebalance> {
    match policy {
        Policy::Strategic => run(scenario, Decimal::ZERO, explain),
        Policy::Full | Policy::Calendar | Policy::Never => run_to_target(scenario, explain),
    }
}

impl RebalanceEvent {
    /// The event of a rebalance of `account` on `date`, costing `cost`.
    pub(crate) fn of(date: Date, account: Account, result: Rebalance, cost: Decimal) -> RebalanceEvent {
        RebalanceEvent {
            date,
            value: result.total_value,
            trades: result
                .models
                .iter()
                .filter(|m| !m.trade.is_zero())
                .map(|m| Trade { model: m.id.clone(), amount: m.trade })
                .collect(),
            traded: result.traded,
            cost,
            account,
            weights_before: result.models.iter().map(|m| m.weight_before).collect(),
            weights_after: result.models.iter().map(|m| m.weight_after).collect(),
            steps: result.steps,
        }
    }
}

impl Simulation {
    /// The rebalance of event `index` again, with its whole trace, for a step-by-step
    /// player: the same trades as the event, from the same account. `scenario` is the
    /// one the simulation ran.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] when there is no such event; any error of
    /// [`Scenario::validate`] when `scenario` is not the one simulated.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
    /// use uma_engine::{MarketPath, Policy, SimulationConfig};
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
    /// let config = SimulationConfig { policy: Policy::Strategic, ..Default::default() };
    /// let run = uma_engine::simulate(&scenario, &path, &config)?;
    /// let replay = run.replay(&scenario, 1)?;
    /// assert_eq!(replay.steps, run.rebalances[1].steps);
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn replay(&self, scenario: &Scenario, index: usize) -> Result<Rebalance> {
        let event = self.rebalances.get(index).ok_or_else(|| Error::OutOfRange {
            field: "rebalance".into(),
            value: Decimal::from(index),
            expected: "there is no rebalance with that number in this run",
        })?;
        let now = Scenario { account: event.account.clone(), ..scenario.by_values() };
        rebalance_by(self.policy, &now, Explain::Yes)
    }

    /// The summary's lines before the rebalances: the policy, then the metrics.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
    /// use uma_engine::{MarketPath, SimulationConfig};
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
    /// let run = uma_engine::simulate(&scenario, &path, &SimulationConfig::default())?;
    /// assert!(run.table_head().starts_with("Simulation: strategic policy, daily looks"));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn table_head(&self) -> String {
        use crate::money::format_money;
        use std::fmt::Write;
        let m = &self.metrics;
        let mut f = String::new();
        let _ =
            writeln!(f, "Simulation: {} policy, {} looks, {:.1} years", self.policy.name(), self.look.name(), m.years);
        let _ = writeln!(f, "Final value          {}", format_money(m.final_value));
        let _ = writeln!(f, "Rebalances           {}", m.rebalances);
        let _ = writeln!(f, "Total traded         {}", format_money(m.total_traded));
        let _ = writeln!(f, "Trading cost         {}", format_money(m.trading_cost));
        let _ = writeln!(f, "Turnover per year    {:.2}%", m.turnover_per_year * 100.0);
        let _ = writeln!(f, "Drift (avg / max)    {:.2} / {:.2} points", m.average_drift, m.max_drift);
        let _ = writeln!(f, "Tracking error       {:.2}%", m.tracking_error * 100.0);
        let _ = match m.annualized_return {
            Some(r) => writeln!(f, "Return (annualized)  {:.2}%", r * 100.0),
            None => writeln!(f, "Return (annualized)  n/a (too large to annualize over this run)"),
        };
        let _ = writeln!(f, "Volatility           {:.2}%", m.annualized_volatility * 100.0);
        let _ = writeln!(f, "Max drawdown         {:.2}%", m.max_drawdown * 100.0);
        f
    }
}

impl RebalanceEvent {
    /// The event as one line of the summary: its date, the dollars traded, each trade.
    ///
    /// # Examples
    ///
    /// ```
    /// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
    /// use uma_engine::{MarketPath, SimulationConfig};
    /// let scenario = uma_engine::Scenario::from_json(text)?;
    /// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
    /// let run = uma_engine::simulate(&scenario, &path, &SimulationConfig::default())?;
    /// assert!(run.rebalances[0].table_line().starts_with("2024-01-31  traded $"));
    /// # Ok::<(), uma_engine::Error>(())
    /// ```
    pub fn table_line(&self) -> String {
        use crate::money::format_money;
        let trades: Vec<String> =
            self.trades.iter().map(|t| format!("{} {}", t.model, format_money(t.amount))).collect();
        format!("{}  traded {}: {}\n", self.date, format_money(self.traded), trades.join(", "))
    }
}

impl std::fmt::Display for Simulation {
    /// A summary for people: the metrics, then one line per rebalance.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.table_head())?;
        self.rebalances.iter().try_for_each(|event| f.write_str(&event.table_line()))
    }
}
