//! Configurations of a Monte Carlo run compared pairwise on the same paths: for each
//! path, one configuration's metric minus another's, summarized as a [`Spread`]. Paired
//! differences answer "which band setting is better" far more sharply than two medians
//! side by side, because both configurations met the same markets.

use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::through_time::simulate::Metrics;
use crate::through_time::spread::Spread;

/// One configuration against another over the same paths: the spread of the per-path
/// differences (this one minus the other).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Paired {
    /// One-way turnover per year, as a fraction.
    pub turnover_per_year: Spread,
    /// Annualized tracking error, as a fraction.
    pub tracking_error: Spread,
    /// Ending value, in currency.
    pub final_value: Spread,
}

impl Paired {
    /// The differences of `runs` minus `other` path by path (both in path order).
    pub(crate) fn of(runs: &[Metrics], other: &[Metrics]) -> Paired {
        let diff = |read: &dyn Fn(&Metrics) -> f64| {
            Spread::of(runs.iter().zip(other).map(|(a, b)| read(a) - read(b)).collect())
        };
        let money = |m: &Metrics| m.final_value.to_f64().unwrap_or(0.0);
        Paired {
            turnover_per_year: diff(&|m| m.turnover_per_year),
            tracking_error: diff(&|m| m.tracking_error),
            final_value: diff(&money),
        }
    }
}
