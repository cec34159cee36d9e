//! What each range mode leaves in motion: the same account rebalanced to the target, to
//! the band edge and to an interior point, and the trade-off between dollars traded and
//! drift left over the whole interior range.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::outcome::Rebalance;
use crate::scenario::Scenario;
use crate::strategic::{run, Explain};
use crate::strategy::Range;

/// One range mode's rebalance of an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeOutcome {
    /// The range mode.
    pub range: Range,
    /// The mode in words: `Target`, `Band`, `Interior 50%`.
    pub label: String,
    /// Each model's weight after, percent, in strategy order.
    pub weights_after: Vec<Decimal>,
    /// Dollars traded (the sum of the absolute trades).
    pub traded: Decimal,
    /// Number of steps in the trace.
    pub steps: usize,
    /// Drift left: the sum over models of |weight − target|, in percentage points.
    pub drift_left: Decimal,
    /// Drift left in currency: the sum over models of |value − target value|.
    pub drift_left_value: Decimal,
}

impl ModeOutcome {
    fn of(range: Range, result: &Rebalance) -> ModeOutcome {
        ModeOutcome {
            range,
            label: range_label(range),
            weights_after: result.models.iter().map(|m| m.weight_after).collect(),
            traded: result.traded,
            steps: result.steps.len(),
            drift_left: result.models.iter().map(|m| (m.weight_after - m.target).abs()).sum::<Decimal>().normalize(),
            drift_left_value: result.models.iter().map(|m| (m.value_after - m.target_value).abs()).sum(),
        }
    }
}

/// A range mode in words: `Target`, `Band`, `Interior 50%`.
pub fn range_label(range: Range) -> String {
    match range {
        Range::Target => "Target".to_owned(),
        Range::Band => "Band".to_owned(),
        Range::Interior { percent_to_target } => format!("Interior {}%", percent_to_target.normalize()),
    }
}

/// Rebalances the same account with the target, band and interior (at
/// `percent_to_target`) range modes, whatever the scenario's own mode.
///
/// # Errors
///
/// Any error of [`Scenario::validate`] (an interior percent outside 1–99 included).
///
/// # Examples
///
/// ```
/// # let text = include_str!("../../tests/scenarios/paper-three-models.json");
/// use rust_decimal_macros::dec;
/// let scenario = uma_engine::Scenario::from_json(text)?;
/// let modes = uma_engine::compare_ranges(&scenario, dec!(50))?;
/// let traded: Vec<_> = modes.iter().map(|m| m.traded).collect();
/// assert_eq!(traded, [dec!(10000), dec!(4000), dec!(7000)]);
/// # Ok::<(), uma_engine::Error>(())
/// ```
pub fn compare_ranges(scenario: &Scenario, percent_to_target: Decimal) -> Result<Vec<ModeOutcome>> {
    [Range::Target, Range::Band, Range::Interior { percent_to_target }]
        .into_iter()
        .map(|range| {
            let mut variant = scenario.clone();
            variant.strategy.range = range;
            run(&variant, Decimal::ZERO, Explain::No).map(|result| ModeOutcome::of(range, &result))
        })
        .collect()
}

/// One point of the interior range's trade-off curve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurvePoint {
    /// The interior range's percent to target, 1 to 99.
    pub percent_to_target: u32,
    /// Dollars traded.
    pub traded: Decimal,
    /// Drift left, in percentage points (see [`ModeOutcome::drift_left`]).
    pub drift_left: Decimal,
}

/// Dollars traded against drift left for every interior range from 1% to 99%.
///
/// # Errors
///
/// Any error of [`Scenario::validate`].
pub fn interior_curve(scenario: &Scenario) -> Result<Vec<CurvePoint>> {
    let mut variant = scenario.clone();
    (1..=99u32)
        .map(|percent| {
            let range = Range::Interior { percent_to_target: Decimal::from(percent) };
            variant.strategy.range = range;
            let outcome = ModeOutcome::of(range, &run(&variant, Decimal::ZERO, Explain::No)?);
            Ok(CurvePoint { percent_to_target: percent, traded: outcome.traded, drift_left: outcome.drift_left })
        })
        .collect()
}
