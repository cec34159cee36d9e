//! Long lines drawn with few points.

/// Indices and values tracing `values` in at most `buckets` buckets: each bucket's lowest
/// and highest, in date order, so that a line of thousands of dates draws with a few
/// hundred points and loses no excursion.
pub fn envelope(values: &[f64], buckets: usize) -> Vec<(usize, f64)> {
    let n = values.len();
    if n <= buckets * 2 {
        return values.iter().copied().enumerate().collect();
    }
    let mut out = Vec::with_capacity(buckets * 2);
    for b in 0..buckets {
        let (from, to) = (b * n / buckets, ((b + 1) * n / buckets).max(b * n / buckets + 1));
        let slice = &values[from..to];
        let (mut lo, mut hi) = (0, 0);
        for (k, v) in slice.iter().enumerate() {
            if *v < slice[lo] {
                lo = k;
            }
            if *v > slice[hi] {
                hi = k;
            }
        }
        let (first, second) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        out.push((from + first, slice[first]));
        if second != first {
            out.push((from + second, slice[second]));
        }
    }
    out
}
