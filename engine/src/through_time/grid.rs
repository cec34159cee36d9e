//! A grid of configurations run on one market: policies by range modes by bands by look
//! frequencies, each with the metrics of its run, so that the trade-off between turnover
//! and tracking error can be seen at a glance.
//!
//! A grid names the values to try along each axis; [`Grid::variants`] crosses them,
//! leaving out the axes a policy ignores: `full` has no range mode (it always goes to
//! target), `calendar` neither range nor band (it rebalances at every look), and `never`
//! is a single run. A variant's band replaces the strategy's band *and* every model's own
//! band, so that the widths compared are the widths run.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::band::Band;
use crate::check::check_cost_bps;
use crate::compare::range_label;
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::strategy::Range;
use crate::through_time::calendar::Look;
use crate::through_time::path::MarketPath;
use crate::through_time::simulate::{Detail, Metrics, Policy, SimulationConfig};
use crate::through_time::walk::simulate;

/// The values to try along each axis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// Policies; see [`Policy`].
    pub policies: Vec<Policy>,
    /// Range modes, for the `strategic` policy.
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Bands, for the `strategic` and `full` policies.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// Look frequencies.
    pub looks: Vec<Look>,
    /// Trading cost of every run, in basis points of the dollars traded.
    #[serde(default, deserialize_with = "crate::json::decimal")]
    pub cost_bps: Decimal,
}

/// One configuration of a [`Grid`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// The policy.
    pub policy: Policy,
    /// The range mode: `Some` for the `strategic` policy only.
    pub range: Option<Range>,
    /// The band every model gets: `Some` for `strategic` and `full` only.
    pub band: Option<Band>,
    /// The look frequency.
    pub look: Look,
}

impl Variant {
    /// The variant in words: `Interior 50% · relative 10% · monthly`, `Full to target ·
    /// absolute 2 pts · daily`, `Calendar · quarterly`, `Never rebalance`.
    pub fn label(&self) -> String {
        let head = match (self.policy, self.range) {
            (Policy::Strategic, Some(range)) => range_label(range),
            (Policy::Strategic, None) => "Strategic".to_owned(),
            (Policy::Full, _) => "Full to target".to_owned(),
            (Policy::Calendar, _) => "Calendar".to_owned(),
            (Policy::Never, _) => return "Never rebalance".to_owned(),
        };
        match self.band {
            Some(band) => format!("{head} · {band} · {}", self.look.name()),
            None => format!("{head} · {}", self.look.name()),
        }
    }

    /// `scenario` with this variant's range mode and band (which replaces every model's
    /// own band).
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut next = scenario.clone();
        if let Some(range) = self.range {
            next.strategy.range = range;
        }
        if let Some(band) = self.band {
            next.strategy.band = band;
            for model in &mut next.strategy.models {
                model.band = None;
            }
        }
        next
    }

    /// The simulation this variant runs, keeping `detail`.
    pub fn config(&self, cost_bps: Decimal, detail: Detail) -> SimulationConfig {
        SimulationConfig { look: self.look, policy: self.policy, cost_bps, detail }
    }
}

impl Grid {
    /// Checks that every axis a chosen policy uses has a value, and every band and range
    /// is valid.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyChoice`] naming an empty axis (`grid.looks`, …), the errors of a band
    /// (`grid.bands[1].width`) or an interior range, [`Error::OutOfRange`] for a negative cost.
    pub fn validate(&self) -> Result<()> {
        let invalid = |field: &str, needs: &'static str| Error::EmptyChoice { field: field.into(), needs };
        if self.policies.is_empty() {
            return Err(invalid("grid.policies", "choose at least one policy"));
        }
        if self.looks.is_empty() {
            return Err(invalid("grid.looks", "choose at least one look frequency"));
        }
        if self.policies.contains(&Policy::Strategic) && self.ranges.is_empty() {
            return Err(invalid("grid.ranges", "the strategic policy needs at least one range mode"));
        }
        let banded = self.policies.iter().any(|p| matches!(p, Policy::Strategic | Policy::Full));
        if banded && self.bands.is_empty() {
            return Err(invalid("grid.bands", "the strategic and full policies need at least one band"));
        }
        for (k, band) in self.bands.iter().enumerate() {
            band.validate(&|| format!("grid.bands[{k}]"))?;
        }
        for (k, range) in self.ranges.iter().enumerate() {
            range.validate(&|| format!("grid.ranges[{k}]"))?;
        }
        check_cost_bps(&|| "grid.cost_bps".into(), self.cost_bps)?;
        Ok(())
    }

    /// Every configuration of the grid, policy by policy in the grid's order, then range
    /// by band by look; axes a policy ignores are left out (see the module documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use rust_decimal_macros::dec;
    /// use uma_engine::{Band, Grid, Look, Policy, Range};
    /// let grid = Grid {
    ///     policies: vec![Policy::Strategic, Policy::Full, Policy::Calendar, Policy::Never],
    ///     ranges: vec![Range::Target, Range::Band],
    ///     bands: vec![Band::relative(dec!(10)), Band::relative(dec!(20))],
    ///     looks: vec![Look::Monthly, Look::Quarterly],
    ///     cost_bps: dec!(0),
    /// };
    /// // 2 × 2 × 2 strategic, 2 × 2 full, 2 calendar, 1 never.
    /// assert_eq!(grid.variants().len(), 8 + 4 + 2 + 1);
    /// assert_eq!(grid.variants()[0].label(), "Target · relative 10% · monthly");
    /// ```
    pub fn variants(&self) -> Vec<Variant> {
        let mut out = Vec::new();
        for &policy in &self.policies {
            match policy {
                Policy::Strategic => {
                    for &range in &self.ranges {
                        for &band in &self.bands {
                            for &look in &self.looks {
                                out.push(Variant { policy, range: Some(range), band: Some(band), look });
                            }
                        }
                    }
                }
                Policy::Full => {
                    for &band in &self.bands {
                        for &look in &self.looks {
                            out.push(Variant { policy, range: None, band: Some(band), look });
                        }
                    }
                }
                Policy::Calendar => {
                    for &look in &self.looks {
                        out.push(Variant { policy, range: None, band: None, look });
                    }
                }
                Policy::Never => {
                    let look = self.looks.first().copied().unwrap_or(Look::Daily);
                    out.push(Variant { policy, range: None, band: None, look });
                }
            }
        }
        // A value listed twice on an axis is run once.
        let mut unique: Vec<Variant> = Vec::with_capacity(out.len());
        for variant in out {
            if !unique.contains(&variant) {
                unique.push(variant);
            }
        }
        unique
    }
}

/// One configuration of a grid and the metrics of its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridRow {
    /// The configuration.
    pub variant: Variant,
    /// The configuration in words; see [`Variant::label`].
    pub label: String,
    /// Its run's metrics.
    pub metrics: Metrics,
}

/// Runs one configuration of a grid on `path`, keeping only its metrics.
///
/// # Errors
///
/// As [`simulate`].
pub fn run_variant(scenario: &Scenario, path: &MarketPath, variant: &Variant, cost_bps: Decimal) -> Result<Metrics> {
    simulate(&variant.apply(scenario), path, &variant.config(cost_bps, Detail::Metrics)).map(|run| run.metrics)
}

/// A grid under way: [`GridRun::advance`] runs one configuration at a time, so that a
/// caller can report progress, yield to a user interface or stop; [`run_grid`] runs it
/// all.
#[derive(Debug, Clone)]
pub struct GridRun {
    scenario: Scenario,
    path: MarketPath,
    variants: Vec<Variant>,
    cost_bps: Decimal,
    rows: Vec<GridRow>,
}

impl GridRun {
    /// Checks the inputs and prepares the run.
    ///
    /// # Errors
    ///
    /// [`Grid::validate`]'s errors, then [`Scenario::validate`]'s.
    pub fn new(scenario: &Scenario, path: &MarketPath, grid: &Grid) -> Result<GridRun> {
        grid.validate()?;
        scenario.validate()?;
        let variants = grid.variants();
        Ok(GridRun {
            scenario: scenario.clone(),
            path: path.clone(),
            rows: Vec::with_capacity(variants.len()),
            variants,
            cost_bps: grid.cost_bps,
        })
    }

    /// The number of configurations.
    pub fn total(&self) -> usize {
        self.variants.len()
    }

    /// The number run so far.
    pub fn done(&self) -> usize {
        self.rows.len()
    }

    /// Whether every configuration has been run.
    pub fn is_finished(&self) -> bool {
        self.done() >= self.total()
    }

    /// Runs the next configuration; does nothing once finished.
    ///
    /// # Errors
    ///
    /// As [`simulate`](crate::through_time::walk::simulate) (a model with no column in the market).
    pub fn advance(&mut self) -> Result<()> {
        let Some(&variant) = self.variants.get(self.rows.len()) else { return Ok(()) };
        let metrics = run_variant(&self.scenario, &self.path, &variant, self.cost_bps)?;
        self.rows.push(GridRow { label: variant.label(), variant, metrics });
        Ok(())
    }

    /// The rows run so far, in the grid's order.
    pub fn rows(&self) -> &[GridRow] {
        &self.rows
    }

    /// The rows, once the run is over.
    pub fn into_rows(self) -> Vec<GridRow> {
        self.rows
    }
}

/// Runs every configuration of `grid` on `path`, calling `progress(done, total)` after
/// each, so that a long grid can report how far it is.
///
/// # Errors
///
/// As [`GridRun::new`] and [`GridRun::advance`].
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../../tests/scenarios/paper-seventy-thirty.json");
/// use rust_decimal_macros::dec;
/// use uma_engine::{Band, Grid, Look, MarketPath, Policy, Range};
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let path = MarketPath::from_csv("date,growth,value\n2024-01-31,100,100\n2024-02-29,200,100\n")?;
/// let grid = Grid {
///     policies: vec![Policy::Strategic],
///     ranges: vec![Range::Target, Range::Band],
///     bands: vec![Band::relative(dec!(8))],
///     looks: vec![Look::Monthly],
///     cost_bps: dec!(0),
/// };
/// let rows = uma_engine::run_grid(&scenario, &path, &grid, |_, _| ())?;
/// // Back to target trades more than back to the band edge.
/// assert!(rows[0].metrics.total_traded > rows[1].metrics.total_traded);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn run_grid(
    scenario: &Scenario,
    path: &MarketPath,
    grid: &Grid,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<GridRow>> {
    let mut run = GridRun::new(scenario, path, grid)?;
    while !run.is_finished() {
        run.advance()?;
        progress(run.done(), run.total());
    }
    Ok(run.into_rows())
}
