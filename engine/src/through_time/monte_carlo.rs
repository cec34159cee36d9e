//! Monte Carlo: the same configurations run on many seeded random markets, each metric
//! summarized by its median and its 5th and 95th percentiles.
//!
//! Path `k` of a run draws its market with seed [`path_seed`]`(seed, k)`: path 0 is the
//! market's own seed (the path a single run with that seed shows), the others are spread
//! by SplitMix64, so a run is the same natively and in wasm, and the first `n` paths of a
//! longer run are the paths of a shorter one.
//!
//! Each configuration is also compared path by path with every other ([`Paired`]), and
//! [`versus_words`] says how one does against a baseline.

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::check::check_cost_bps;
use crate::error::{Error, Result};
use crate::money::format_dollars;
use crate::scenario::Scenario;
use crate::through_time::grid::{run_variant, Variant};
use crate::through_time::paired::Paired;
use crate::through_time::path::MarketPath;
use crate::through_time::random_market::RandomMarket;
use crate::through_time::simulate::Metrics;
use crate::through_time::spread::Spread;

/// The most paths one run may draw.
pub const MAX_PATHS: usize = 100_000;

/// The seed of path `k` of a Monte Carlo run seeded with `seed`.
///
/// # Examples
///
/// ```
/// assert_eq!(uma_engine::path_seed(42, 0), 42);
/// assert_ne!(uma_engine::path_seed(42, 1), uma_engine::path_seed(43, 1));
/// ```
pub fn path_seed(seed: u64, k: u64) -> u64 {
    if k == 0 {
        return seed;
    }
    // SplitMix64's finalizer over the k-th element of its sequence from `seed`.
    let mut z = seed.wrapping_add(k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Path `k` of a Monte Carlo run over `market`.
///
/// # Errors
///
/// As [`MarketPath::random`].
pub fn sample_path(market: &RandomMarket, k: u64) -> Result<MarketPath> {
    MarketPath::random(&RandomMarket { seed: path_seed(market.seed, k), ..market.clone() })
}

/// Every metric of [`Metrics`] summarized over the paths of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricSpreads {
    /// Number of rebalances.
    pub rebalances: Spread,
    /// One-way turnover per year, as a fraction.
    pub turnover_per_year: Spread,
    /// Dollars traded.
    pub total_traded: Spread,
    /// Trading cost.
    pub trading_cost: Spread,
    /// Time-averaged largest drift, points.
    pub average_drift: Spread,
    /// Largest drift, points.
    pub max_drift: Spread,
    /// Annualized tracking error.
    pub tracking_error: Spread,
    /// Annualized return, over the paths where it is a finite number.
    pub annualized_return: Spread,
    /// Annualized volatility.
    pub annualized_volatility: Spread,
    /// Maximum drawdown.
    pub max_drawdown: Spread,
    /// Ending value.
    pub final_value: Spread,
}

impl MetricSpreads {
    /// Summarizes the metrics of many runs.
    pub fn of(runs: &[Metrics]) -> MetricSpreads {
        let money = |x: Decimal| x.to_f64().unwrap_or(0.0);
        let spread = |read: &dyn Fn(&Metrics) -> f64| Spread::of(runs.iter().map(read).collect());
        MetricSpreads {
            rebalances: spread(&|m| m.rebalances as f64),
            turnover_per_year: spread(&|m| m.turnover_per_year),
            total_traded: spread(&|m| money(m.total_traded)),
            trading_cost: spread(&|m| money(m.trading_cost)),
            average_drift: spread(&|m| m.average_drift),
            max_drift: spread(&|m| m.max_drift),
            tracking_error: spread(&|m| m.tracking_error),
            annualized_return: Spread::of(runs.iter().filter_map(|m| m.annualized_return).collect()),
            annualized_volatility: spread(&|m| m.annualized_volatility),
            max_drawdown: spread(&|m| m.max_drawdown),
            final_value: spread(&|m| money(m.final_value)),
        }
    }
}

/// One configuration's results over every path of a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonteCarloRow {
    /// The configuration.
    pub variant: Variant,
    /// The configuration in words.
    pub label: String,
    /// How many paths were run.
    pub paths: usize,
    /// Each metric's spread over the paths.
    pub spreads: MetricSpreads,
    /// This configuration against each configuration of the run (in the run's order, its
    /// own place included), path by path on the same paths.
    #[serde(default)]
    pub against: Vec<Paired>,
}

/// A Monte Carlo run under way: every configuration of `variants` on `paths` random
/// markets drawn from `market`, path `k` with seed [`path_seed`]`(market.seed, k)`.
/// [`MonteCarlo::advance`] runs one path at a time, so that a caller can report progress,
/// yield to a user interface or stop; [`monte_carlo`] runs it all.
#[derive(Debug, Clone)]
pub struct MonteCarlo {
    scenario: Scenario,
    market: RandomMarket,
    variants: Vec<Variant>,
    paths: usize,
    cost_bps: Decimal,
    runs: Vec<Vec<Metrics>>,
}

impl MonteCarlo {
    /// Checks the inputs and prepares the run.
    ///
    /// # Errors
    ///
    /// [`Error::OutOfRange`] for no path or more than [`MAX_PATHS`], or a negative cost;
    /// [`Error::EmptyChoice`] for no variant; the errors of [`Scenario::validate`].
    pub fn new(
        scenario: &Scenario,
        market: &RandomMarket,
        variants: &[Variant],
        paths: usize,
        cost_bps: Decimal,
    ) -> Result<MonteCarlo> {
        if !(1..=MAX_PATHS).contains(&paths) {
            return Err(Error::OutOfRange {
                field: "paths".into(),
                value: Decimal::from(paths),
                expected: "a Monte Carlo run draws from 1 to 100,000 paths",
            });
        }
        check_cost_bps(&|| "cost_bps".into(), cost_bps)?;
        if variants.is_empty() {
            return Err(Error::EmptyChoice { field: "variants".into(), needs: "choose at least one configuration" });
        }
        scenario.validate()?;
        Ok(MonteCarlo {
            scenario: scenario.clone(),
            market: market.clone(),
            variants: variants.to_vec(),
            paths,
            cost_bps,
            runs: vec![Vec::with_capacity(paths); variants.len()],
        })
    }

    /// The number of paths the run draws.
    pub fn total(&self) -> usize {
        self.paths
    }

    /// The number of paths run so far.
    pub fn done(&self) -> usize {
        self.runs.first().map_or(0, Vec::len)
    }

    /// Whether every path has been run.
    pub fn is_finished(&self) -> bool {
        self.done() >= self.paths
    }

    /// Runs the next path through every configuration; does nothing once finished.
    ///
    /// # Errors
    ///
    /// The errors of [`MarketPath::random`] (a market that cannot be drawn) and of
    /// [`simulate`](crate::through_time::walk::simulate) (a model with no column in the market).
    pub fn advance(&mut self) -> Result<()> {
        if self.is_finished() {
            return Ok(());
        }
        let path = sample_path(&self.market, self.done() as u64)?;
        let metrics = self
            .variants
            .iter()
            .map(|variant| run_variant(&self.scenario, &path, variant, self.cost_bps))
            .collect::<Result<Vec<Metrics>>>()?;
        for (run, m) in self.runs.iter_mut().zip(metrics) {
            run.push(m);
        }
        Ok(())
    }

    /// Each configuration's spreads over the paths run so far.
    pub fn rows(&self) -> Vec<MonteCarloRow> {
        self.variants
            .iter()
            .zip(&self.runs)
            .map(|(variant, metrics)| MonteCarloRow {
                variant: *variant,
                label: variant.label(),
                paths: metrics.len(),
                spreads: MetricSpreads::of(metrics),
                against: self.runs.iter().map(|other| Paired::of(metrics, other)).collect(),
            })
            .collect()
    }
}

/// Runs every configuration of `variants` on `paths` random markets drawn from `market`
/// (see [`MonteCarlo`]), calling `progress(done, paths)` after each path.
///
/// # Errors
///
/// As [`MonteCarlo::new`] and [`MonteCarlo::advance`].
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
/// use uma_engine::{Frequency, Look, Policy, RandomMarket, RandomModel, Variant};
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let model = |id: &str, r, v| RandomModel { id: id.into(), expected_return: r, volatility: v };
/// let market = RandomMarket {
///     models: vec![model("growth", 0.09, 0.2), model("value", 0.06, 0.15)],
///     correlation: vec![vec![1.0, 0.5], vec![0.5, 1.0]],
///     frequency: Frequency::Monthly,
///     periods: 120,
///     start: "2000-01-31".parse().unwrap(),
///     seed: 7,
/// };
/// let never = Variant { policy: Policy::Never, range: None, band: None, look: Look::Monthly };
/// let rows = uma_engine::monte_carlo(&scenario, &market, &[never], 50, Default::default(), |_, _| ())?;
/// assert_eq!(rows[0].paths, 50);
/// assert_eq!(rows[0].spreads.rebalances.p95, 0.0);
/// assert!(rows[0].spreads.final_value.p5 < rows[0].spreads.final_value.p95);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn monte_carlo(
    scenario: &Scenario,
    market: &RandomMarket,
    variants: &[Variant],
    paths: usize,
    cost_bps: Decimal,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<MonteCarloRow>> {
    let mut run = MonteCarlo::new(scenario, market, variants, paths, cost_bps)?;
    while !run.is_finished() {
        run.advance()?;
        progress(run.done(), run.total());
    }
    Ok(run.rows())
}

/// Row `row` of a Monte Carlo run against row `baseline`, in a sentence: the median
/// turnover saved (in percent of the baseline's) for the median tracking error given up,
/// and the median difference of ending value, all paired on the same paths. `None` when
/// either row is missing or the run has no paired results.
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
/// use uma_engine::{Frequency, Look, Policy, RandomMarket, RandomModel, Variant, Range, Band};
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let model = |id: &str, r, v| RandomModel { id: id.into(), expected_return: r, volatility: v };
/// let market = RandomMarket {
///     models: vec![model("growth", 0.09, 0.2), model("value", 0.06, 0.15)],
///     correlation: vec![vec![1.0, 0.5], vec![0.5, 1.0]],
///     frequency: Frequency::Monthly,
///     periods: 120,
///     start: "2000-01-31".parse().unwrap(),
///     seed: 7,
/// };
/// let calendar = Variant { policy: Policy::Calendar, range: None, band: None, look: Look::Quarterly };
/// let band = Variant {
///     policy: Policy::Strategic,
///     range: Some(Range::Band),
///     band: Some(Band::relative(20.into())),
///     look: Look::Monthly,
/// };
/// let rows = uma_engine::monte_carlo(&scenario, &market, &[calendar, band], 40, Default::default(), |_, _| ())?;
/// let words = uma_engine::versus_words(&rows, 1, 0).unwrap();
/// assert!(words.contains("less turnover than Calendar · quarterly"), "{words}");
/// assert_eq!(uma_engine::versus_words(&rows, 0, 0).unwrap(), "Calendar · quarterly: the baseline.");
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn versus_words(rows: &[MonteCarloRow], row: usize, baseline: usize) -> Option<String> {
    let (this, base) = (rows.get(row)?, rows.get(baseline)?);
    if row == baseline {
        return Some(format!("{}: the baseline.", this.label));
    }
    let paired = this.against.get(baseline)?;
    let turnover = paired.turnover_per_year.median;
    let base_turnover = base.spreads.turnover_per_year.median;
    let more_less = |x: f64| if x < 0.0 { "less" } else { "more" };
    let turnover_words = if base_turnover > 0.0 {
        let relative = turnover / base_turnover * 100.0;
        if relative.abs() < 0.5 {
            "the same turnover as".to_owned()
        } else {
            format!("{:.0}% {} turnover than", relative.abs(), more_less(relative))
        }
    } else if turnover.abs() < 0.00005 {
        "the same turnover as".to_owned()
    } else {
        format!("{:.2} points a year {} turnover than", (turnover * 100.0).abs(), more_less(turnover))
    };
    let tracking = paired.tracking_error.median * 100.0;
    let tracking_words = if tracking.abs() < 0.005 {
        "the same tracking error".to_owned()
    } else {
        format!("{:.2} points {} tracking error", tracking.abs(), more_less(tracking))
    };
    let value = Decimal::from_f64(paired.final_value.median).unwrap_or_default();
    let value_words = if value.abs() < Decimal::new(5, 1) {
        "the same ending value".to_owned()
    } else {
        format!(
            "an ending value {} {}",
            format_dollars(value.abs()),
            if value.is_sign_negative() { "lower" } else { "higher" }
        )
    };
    Some(format!(
        "{}: {turnover_words} {} for {tracking_words}, and {value_words} (medians of the differences on the same {} paths).",
        this.label, base.label, this.paths
    ))
}
