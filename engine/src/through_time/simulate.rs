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

use crate::account::{Account, Sleeve};
use crate::book::Book;
use crate::check::{check_cost_bps, MAX_ACCOUNT_VALUE};
use crate::date::Date;
use crate::error::{Error, Result};
use crate::money::{round_cent, to_f64, ToCent};
use crate::outcome::Rebalance;
use crate::scenario::Scenario;
use crate::strategic::{run, run_to_target, Explain};
use crate::through_time::calendar::Look;
use crate::through_time::path::MarketPath;
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Annualized (geometric) return.
    pub annualized_return: f64,
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

/// A simulated amount to the cent, halves away from zero.
fn cents(x: Decimal) -> Decimal {
    round_cent(x, ToCent::Nearest)
}

/// Runs `scenario`'s strategy from its account through `path`. A scenario that lists its
/// sleeves' securities runs by its sleeves' values ([`Scenario::by_values`]): the
/// simulator moves dollars between sleeves, not shares.
///
/// # Errors
///
/// Any error of [`Scenario::validate`]; [`Error::Format`] when the path has no column
/// for a model of the strategy; [`Error::OutOfRange`] for a negative cost.
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
/// use uma_engine::{Look, MarketPath, Policy, SimulationConfig};
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// // Growth doubles while Value stays flat: 77/23 drifts further out of band.
/// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
/// let config = SimulationConfig { look: Look::Monthly, policy: Policy::Full, ..Default::default() };
/// let run = uma_engine::simulate(&scenario, &path, &config)?;
/// assert_eq!(run.rebalances.len(), 2);
/// assert_eq!(run.final_value, rust_decimal_macros::dec!(170000));
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn simulate(scenario: &Scenario, path: &MarketPath, config: &SimulationConfig) -> Result<Simulation> {
    scenario.validate()?;
    // Through time the account is its sleeves' values (a scenario listing securities too).
    let scenario = &scenario.by_values();
    let book = Book::new(scenario)?;
    check_cost_bps(&|| "cost_bps".into(), config.cost_bps)?;
    let columns: Vec<usize> = book
        .rows
        .iter()
        .map(|row| {
            path.models.iter().position(|m| *m == row.id).ok_or_else(|| Error::Format {
                path: "prices".into(),
                message: format!("no column for model {:?} (the columns are {})", row.id, path.models.join(", ")),
                position: None,
            })
        })
        .collect::<Result<_>>()?;
    let mut run = Walk::new(scenario, &book, path, config, columns);
    for (t, &mark) in config.look.marks(&path.dates).iter().enumerate() {
        run.value(t);
        run.within_bounds(t)?;
        if mark && run.triggered(t) {
            run.rebalance(t)?;
        }
        run.record(t);
    }
    Ok(run.finish())
}

/// How close (in points) an f64 weight may come to a band edge before the exact Decimal
/// check decides.
const NEAR_EDGE: f64 = 1e-6;

/// A simulation under way. Daily valuation runs in f64 for speed (prices converted once);
/// every trade, and every trigger decision near a band edge, is made on exact Decimal
/// values.
struct Walk<'a> {
    scenario: &'a Scenario,
    book: &'a Book,
    path: &'a MarketPath,
    config: &'a SimulationConfig,
    columns: Vec<usize>,
    /// The prices as f64, one flat row-major table: `prices[t * n + i]`.
    prices: Vec<f64>,
    targets: Vec<f64>,
    bounds: Vec<(Decimal, Decimal)>,
    bounds_f: Vec<(f64, f64)>,
    cost_rate: Decimal,
    explain: Explain,
    units: Vec<Decimal>,
    units_f: Vec<f64>,
    cash: Decimal,
    cash_f: f64,
    values: Vec<Decimal>,
    weights: Vec<f64>,
    events: Vec<RebalanceEvent>,
    series: Option<Series>,
    count: usize,
    total_traded: Decimal,
    trading_cost: Decimal,
    drift_sum: f64,
    max_drift: f64,
    one_way: f64,
    returns: Vec<f64>,
    excess: Vec<f64>,
    previous: f64,
    peak: f64,
    max_drawdown: f64,
    start_value: f64,
}

impl<'a> Walk<'a> {
    fn new(
        scenario: &'a Scenario,
        book: &'a Book,
        path: &'a MarketPath,
        config: &'a SimulationConfig,
        columns: Vec<usize>,
    ) -> Walk<'a> {
        let n = columns.len();
        let dates = path.dates.len();
        let units: Vec<Decimal> = (0..n).map(|i| book.rows[i].value / path.levels[0][columns[i]]).collect();
        let bounds: Vec<(Decimal, Decimal)> = book.rows.iter().map(|r| (r.lower, r.upper)).collect();
        Walk {
            prices: path.levels.iter().flat_map(|row| columns.iter().map(|&c| to_f64(row[c]))).collect(),
            targets: book.rows.iter().map(|r| to_f64(r.target)).collect(),
            bounds_f: bounds.iter().map(|&(l, u)| (to_f64(l), to_f64(u))).collect(),
            bounds,
            cost_rate: config.cost_bps / Decimal::from(10_000),
            explain: if config.detail >= Detail::Rebalances { Explain::Yes } else { Explain::No },
            units_f: units.iter().map(|u| to_f64(*u)).collect(),
            units,
            cash: book.cash,
            cash_f: to_f64(book.cash),
            values: vec![Decimal::ZERO; n],
            weights: vec![0.0; n],
            events: Vec::new(),
            series: (config.detail == Detail::Series).then(|| Series {
                dates: path.dates.clone(),
                weights: vec![Vec::with_capacity(dates); n],
                values: Vec::with_capacity(dates),
            }),
            count: 0,
            total_traded: Decimal::ZERO,
            trading_cost: Decimal::ZERO,
            drift_sum: 0.0,
            max_drift: 0.0,
            one_way: 0.0,
            returns: Vec::with_capacity(dates),
            excess: Vec::with_capacity(dates),
            previous: to_f64(book.total),
            peak: to_f64(book.total),
            max_drawdown: 0.0,
            start_value: to_f64(book.total),
            scenario,
            book,
            path,
            config,
            columns,
        }
    }

    /// The f64 prices on date `t`.
    fn prices(&self, t: usize) -> &[f64] {
        let n = self.columns.len();
        &self.prices[t * n..(t + 1) * n]
    }

    /// The exact price of model `i` on date `t`.
    fn price(&self, t: usize, i: usize) -> Decimal {
        self.path.levels[t][self.columns[i]]
    }

    /// The account's f64 value on date `t`.
    fn total_f(&self, t: usize) -> f64 {
        let prices = self.prices(t);
        (0..self.columns.len()).map(|i| self.units_f[i] * prices[i]).sum::<f64>() + self.cash_f
    }

    /// Values the account on date `t`: its return against the targets' and the running
    /// drift and drawdown figures.
    fn value(&mut self, t: usize) {
        let n = self.columns.len();
        let total_f = self.total_f(t);
        if t > 0 {
            let r = total_f / self.previous - 1.0;
            let (now, before) = (self.prices(t), self.prices(t - 1));
            let benchmark: f64 = (0..n).map(|i| self.targets[i] / 100.0 * (now[i] / before[i] - 1.0)).sum();
            self.returns.push(r);
            self.excess.push(r - benchmark);
        }
        self.peak = self.peak.max(total_f);
        if self.peak > 0.0 {
            self.max_drawdown = self.max_drawdown.max(1.0 - total_f / self.peak);
        }
        for i in 0..n {
            let weight = if total_f > 0.0 { self.units_f[i] * self.prices(t)[i] / total_f * 100.0 } else { 0.0 };
            self.weights[i] = weight;
        }
        let drift = (0..n).map(|i| (self.weights[i] - self.targets[i]).abs()).fold(0.0, f64::max);
        self.drift_sum += drift;
        self.max_drift = self.max_drift.max(drift);
        self.previous = total_f;
    }

    /// Fails when the market takes the account, on date `t`, above the largest value the
    /// engine handles or to nothing, whatever the policy.
    fn within_bounds(&self, t: usize) -> Result<()> {
        let total = self.previous;
        let cap = to_f64(MAX_ACCOUNT_VALUE);
        let why = if !total.is_finite() || total > cap {
            "above the cap of $1,000,000,000,000,000.00"
        } else if total <= 0.0 {
            "nothing"
        } else {
            return Ok(());
        };
        Err(Error::PathOutOfRange { date: self.path.dates[t], value: format!("${total:.2}"), why })
    }

    /// Whether the policy rebalances on look date `t`: a calendar policy always, a banded
    /// one when a model is out of band (decided exactly near an edge), never never.
    fn triggered(&mut self, t: usize) -> bool {
        let policy = self.config.policy;
        if policy == Policy::Never {
            return false;
        }
        let n = self.columns.len();
        let near = (0..n).any(|i| {
            self.weights[i] < self.bounds_f[i].0 + NEAR_EDGE || self.weights[i] > self.bounds_f[i].1 - NEAR_EDGE
        });
        if !near && policy != Policy::Calendar {
            return false;
        }
        for i in 0..n {
            self.values[i] = self.units[i] * self.price(t, i);
        }
        let total: Decimal = self.values.iter().copied().sum::<Decimal>() + self.cash;
        let hundred = Decimal::ONE_HUNDRED;
        let (values, bounds) = (&self.values, &self.bounds);
        let out =
            (0..n).any(|i| values[i] * hundred < bounds[i].0 * total || values[i] * hundred > bounds[i].1 * total);
        out || policy == Policy::Calendar
    }

    /// Rebalances the account as it stands on date `t` (its values set by `triggered`).
    fn rebalance(&mut self, t: usize) -> Result<()> {
        let mut now = self.scenario.clone();
        now.account.cash = cents(self.cash);
        now.account.sleeves =
            self.book.rows.iter().zip(&self.values).map(|(row, v)| Sleeve::valued(&row.id, cents(*v))).collect();
        let result = rebalance_by(self.config.policy, &now, self.explain)?;
        if result.traded.is_zero() {
            return Ok(());
        }
        let traded = result.traded;
        let cost = cents(traded * self.cost_rate);
        let account = result.total_value;
        // The cost comes out of the whole account pro rata, so weights are unchanged.
        let keep = if account.is_zero() { Decimal::ONE } else { Decimal::ONE - cost / account };
        for (i, m) in result.models.iter().enumerate() {
            self.units[i] = m.value_after * keep / self.price(t, i);
            self.units_f[i] = to_f64(self.units[i]);
        }
        self.cash = result.cash_after * keep;
        self.cash_f = to_f64(self.cash);
        self.one_way += to_f64(traded) / 2.0 / to_f64(account);
        self.previous = to_f64(account - cost);
        self.count += 1;
        self.total_traded += traded;
        self.trading_cost += cost;
        if self.config.detail >= Detail::Rebalances {
            self.events.push(RebalanceEvent::of(self.path.dates[t], now.account, result, cost));
        }
        Ok(())
    }

    /// Records date `t`'s weights and value, with [`Detail::Series`].
    fn record(&mut self, t: usize) {
        if self.series.is_none() {
            return;
        }
        let total_f = self.total_f(t);
        let weights: Vec<f64> = (0..self.columns.len())
            .map(|i| if total_f > 0.0 { self.units_f[i] * self.prices(t)[i] / total_f * 100.0 } else { 0.0 })
            .collect();
        if let Some(series) = self.series.as_mut() {
            for (line, weight) in series.weights.iter_mut().zip(weights) {
                line.push(weight);
            }
            series.values.push(total_f);
        }
    }

    /// The run's result and metrics.
    fn finish(self) -> Simulation {
        let dates = &self.path.dates;
        let last = dates.len() - 1;
        let n = self.columns.len();
        let final_value = cents((0..n).map(|i| self.units[i] * self.price(last, i)).sum::<Decimal>() + self.cash);
        let years = ((dates[last].days() - dates[0].days()) as f64 / 365.25).max(f64::EPSILON);
        let per_year = self.returns.len() as f64 / years;
        let std = |xs: &[f64]| {
            if xs.len() < 2 {
                return 0.0;
            }
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            (xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (xs.len() - 1) as f64).sqrt()
        };
        let growth = to_f64(final_value) / self.start_value;
        let metrics = Metrics {
            rebalances: self.count,
            years,
            turnover_per_year: self.one_way / years,
            total_traded: self.total_traded,
            trading_cost: self.trading_cost,
            average_drift: self.drift_sum / dates.len() as f64,
            max_drift: self.max_drift,
            tracking_error: std(&self.excess) * per_year.sqrt(),
            annualized_return: if growth > 0.0 { growth.powf(1.0 / years) - 1.0 } else { -1.0 },
            annualized_volatility: std(&self.returns) * per_year.sqrt(),
            max_drawdown: self.max_drawdown,
            final_value,
        };
        let (look, policy) = (self.config.look, self.config.policy);
        Simulation { look, policy, rebalances: self.events, final_value, metrics, series: self.series }
    }
}

/// The rebalance a policy makes of an account: the strategy's own strategic rebalance,
/// or a full one back to target.
fn rebalance_by(policy: Policy, scenario: &Scenario, explain: Explain) -> Result<Rebalance> {
    match policy {
        Policy::Strategic => run(scenario, Decimal::ZERO, explain),
        Policy::Full | Policy::Calendar | Policy::Never => run_to_target(scenario, explain),
    }
}

impl RebalanceEvent {
    fn of(date: Date, account: Account, result: Rebalance, cost: Decimal) -> RebalanceEvent {
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
}

impl std::fmt::Display for Simulation {
    /// A summary for people: the metrics, then one line per rebalance.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::money::format_money;
        let m = &self.metrics;
        writeln!(f, "Simulation: {} policy, {} looks, {:.1} years", self.policy.name(), self.look.name(), m.years)?;
        writeln!(f, "Final value          {}", format_money(m.final_value))?;
        writeln!(f, "Rebalances           {}", m.rebalances)?;
        writeln!(f, "Total traded         {}", format_money(m.total_traded))?;
        writeln!(f, "Trading cost         {}", format_money(m.trading_cost))?;
        writeln!(f, "Turnover per year    {:.2}%", m.turnover_per_year * 100.0)?;
        writeln!(f, "Drift (avg / max)    {:.2} / {:.2} points", m.average_drift, m.max_drift)?;
        writeln!(f, "Tracking error       {:.2}%", m.tracking_error * 100.0)?;
        writeln!(f, "Return (annualized)  {:.2}%", m.annualized_return * 100.0)?;
        writeln!(f, "Volatility           {:.2}%", m.annualized_volatility * 100.0)?;
        writeln!(f, "Max drawdown         {:.2}%", m.max_drawdown * 100.0)?;
        for event in &self.rebalances {
            let trades: Vec<String> =
                event.trades.iter().map(|t| format!("{} {}", t.model, format_money(t.amount))).collect();
            writeln!(f, "{}  traded {}: {}", event.date, format_money(event.traded), trades.join(", "))?;
        }
        Ok(())
    }
}
