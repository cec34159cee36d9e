//! The trade-off between turnover and tracking error across a grid's configurations:
//! which configurations no other beats on both ([`efficient`]), and which sit so far from
//! the rest that a chart drawn to include them squashes everything else ([`outliers`]).

use crate::through_time::grid::GridRow;

/// For each row, whether no other row has both less or equal turnover and less or equal
/// tracking error, and strictly less of one: the configurations on the efficient
/// frontier, the only ones an advisor need choose between.
///
/// # Examples
///
/// ```
/// // (turnover, tracking error): the third is beaten by the first on both.
/// let efficient = uma_engine::efficient_points(&[(0.1, 0.03), (0.3, 0.01), (0.2, 0.04)]);
/// assert_eq!(efficient, [true, true, false]);
/// ```
pub fn efficient_points(points: &[(f64, f64)]) -> Vec<bool> {
    points.iter().map(|&(x, y)| !points.iter().any(|&(ox, oy)| ox <= x && oy <= y && (ox < x || oy < y))).collect()
}

/// [`efficient_points`] of a grid's rows, by their turnover per year and tracking error.
///
/// # Examples
///
/// See [`efficient_points`].
pub fn efficient(rows: &[GridRow]) -> Vec<bool> {
    efficient_points(&points(rows))
}

/// For each row, whether its turnover or its tracking error is more than three times the
/// median of the rows (and above a hundredth of a point), as a never-rebalanced account's
/// tracking error is beside banded ones.
///
/// # Examples
///
/// ```
/// let far = uma_engine::outlier_points(&[(0.1, 0.01), (0.12, 0.012), (0.0, 0.09), (0.11, 0.011)]);
/// assert_eq!(far, [false, false, true, false]);
/// ```
pub fn outlier_points(points: &[(f64, f64)]) -> Vec<bool> {
    let median = |read: fn(&(f64, f64)) -> f64| {
        let mut values: Vec<f64> = points.iter().map(read).collect();
        values.sort_by(f64::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let (mx, my) = (median(|p| p.0), median(|p| p.1));
    let far = |v: f64, m: f64| v > 3.0 * m && v > 0.0001;
    points.iter().map(|&(x, y)| far(x, mx) || far(y, my)).collect()
}

/// [`outlier_points`] of a grid's rows.
///
/// # Examples
///
/// See [`outlier_points`].
pub fn outliers(rows: &[GridRow]) -> Vec<bool> {
    outlier_points(&points(rows))
}

fn points(rows: &[GridRow]) -> Vec<(f64, f64)> {
    rows.iter().map(|r| (r.metrics.turnover_per_year, r.metrics.tracking_error)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frontier_is_never_empty_and_never_dominated() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 40) as f64 / (1u64 << 24) as f64
        };
        for n in 1..60 {
            // Coarse values, so that ties (equal turnover or tracking error) occur.
            let points: Vec<(f64, f64)> = (0..n).map(|_| ((next() * 8.0).floor(), (next() * 8.0).floor())).collect();
            let efficient = efficient_points(&points);
            assert!(efficient.iter().any(|e| *e), "{points:?}");
            for (p, e) in points.iter().zip(&efficient) {
                let beaten = points.iter().any(|o| o.0 <= p.0 && o.1 <= p.1 && (o.0 < p.0 || o.1 < p.1));
                assert_eq!(*e, !beaten);
            }
            // Every point off the frontier is beaten by one on it.
            for (p, _) in points.iter().zip(&efficient).filter(|(_, e)| !**e) {
                assert!(points.iter().zip(&efficient).any(|(o, e)| *e && o.0 <= p.0 && o.1 <= p.1));
            }
        }
    }
}
