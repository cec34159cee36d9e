//! The walk along a market path: each date valued (in `f64`, prices converted once), the
//! bands looked at on look dates (decided exactly in `Decimal` near an edge), the policy's
//! rebalance made, and the run's metrics at the end. The rules and the result types are
//! [`simulate`](mod@crate::through_time::simulate)'s.

use rust_decimal::Decimal;

use crate::account::Sleeve;
use crate::book::Book;
use crate::check::{check_cost_bps, MAX_ACCOUNT_VALUE};
use crate::error::{Error, Result};
use crate::money::{round_cent, to_f64, ToCent};
use crate::scenario::Scenario;
use crate::strategic::Explain;
use crate::through_time::path::MarketPath;
use crate::through_time::simulate::{
    rebalance_by, Detail, Metrics, Policy, RebalanceEvent, Series, Simulation, SimulationConfig,
};

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
    let mut rebalances = Vec::new();
    let run = simulate_each(scenario, path, config, &mut |event| rebalances.push(event))?;
    Ok(Simulation { rebalances, ..run })
}

/// [`simulate`], handing each rebalance to `each` as it is made instead of keeping it: the
/// result's `rebalances` is empty. This is how a long run is written out as it goes, in
/// memory that does not grow with the number of rebalances.
///
/// # Errors
///
/// As [`simulate`]; rebalances before the date of an error have been handed out.
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
/// use uma_engine::{Look, MarketPath, Policy, SimulationConfig};
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
/// let config = SimulationConfig { look: Look::Monthly, policy: Policy::Full, ..Default::default() };
/// let mut dates = Vec::new();
/// let run = uma_engine::simulate_each(&scenario, &path, &config, &mut |event| dates.push(event.date))?;
/// assert_eq!((dates.len(), run.rebalances.len(), run.metrics.rebalances), (2, 0, 2));
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn simulate_each(
    scenario: &Scenario,
    path: &MarketPath,
    config: &SimulationConfig,
    each: &mut dyn FnMut(RebalanceEvent),
) -> Result<Simulation> {
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
    let mut run = Walk::new(scenario, &book, path, config, columns, each);
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
    each: &'a mut dyn FnMut(RebalanceEvent),
    book: &'a Book<'a>,
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
        book: &'a Book<'a>,
        path: &'a MarketPath,
        config: &'a SimulationConfig,
        columns: Vec<usize>,
        each: &'a mut dyn FnMut(RebalanceEvent),
    ) -> Walk<'a> {
        let n = columns.len();
        let dates = path.dates.len();
        let units: Vec<Decimal> = (0..n).map(|i| book.rows[i].value / path.levels[0][columns[i]]).collect();
        let bounds: Vec<(Decimal, Decimal)> = book.rows.iter().map(|r| (r.lower, r.upper)).collect();
        Walk {
            each,
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
            self.book.rows.iter().zip(&self.values).map(|(row, v)| Sleeve::valued(row.id, cents(*v))).collect();
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
            (self.each)(RebalanceEvent::of(self.path.dates[t], now.account, result, cost));
        }
        Ok(())
    }

    /// Records date `t`'s weights and value, with [`Detail::Series`].
    fn record(&mut self, t: usize) {
        if self.series.is_none() {
            return;
        }
        let total_f = self.total_f(t);
        let n = self.columns.len();
        let Walk { series, prices, units_f, .. } = self;
        let Some(series) = series.as_mut() else { return };
        for (i, line) in series.weights.iter_mut().enumerate() {
            line.push(if total_f > 0.0 { units_f[i] * prices[t * n + i] / total_f * 100.0 } else { 0.0 });
        }
        series.values.push(total_f);
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
            annualized_return: annualized(growth, years),
            annualized_volatility: std(&self.returns) * per_year.sqrt(),
            max_drawdown: self.max_drawdown,
            final_value,
        };
        let (look, policy) = (self.config.look, self.config.policy);
        Simulation { look, policy, rebalances: Vec::new(), final_value, metrics, series: self.series }
    }
}

/// The geometric yearly return of `growth` over `years`: -100% for an account that went to
/// nothing, and none when the figure is not a finite number (a large move over a few days
/// annualizes past any float).
fn annualized(growth: f64, years: f64) -> Option<f64> {
    let yearly = if growth > 0.0 { growth.powf(1.0 / years) - 1.0 } else { -1.0 };
    yearly.is_finite().then_some(yearly)
}
