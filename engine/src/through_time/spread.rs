//! A metric over many paths: its median and its 5th and 95th percentiles.
//!
//! Percentiles interpolate linearly between the two nearest order statistics (the
//! "type 7" definition of R and NumPy's default): with `n` sorted values the `p`
//! percentile sits at position `(n − 1)·p/100`.

use serde::{Deserialize, Serialize};

/// A metric over many paths: its median and its 5th and 95th percentiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Spread {
    /// The 5th percentile.
    pub p5: f64,
    /// The median.
    pub median: f64,
    /// The 95th percentile.
    pub p95: f64,
}

impl Spread {
    /// The spread of `values` (in any order); all zero when there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// let spread = uma_engine::Spread::of(vec![3.0, 1.0, 2.0, 5.0, 4.0]);
    /// assert_eq!((spread.p5, spread.median, spread.p95), (1.2, 3.0, 4.8));
    /// ```
    pub fn of(mut values: Vec<f64>) -> Spread {
        values.sort_by(f64::total_cmp);
        Spread { p5: percentile(&values, 5.0), median: percentile(&values, 50.0), p95: percentile(&values, 95.0) }
    }
}

/// The `p` percentile of sorted `values`, interpolated linearly.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else { return 0.0 };
    let position = last as f64 * p / 100.0;
    let below = position.floor() as usize;
    let above = (below + 1).min(last);
    sorted[below] + (position - below as f64) * (sorted[above] - sorted[below])
}
