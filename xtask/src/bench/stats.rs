//! Summary statistics of repeated timings: the median, and `median (min–max)` for the
//! report.

pub(super) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// `median s (min–max)` of values already sorted by [`median`].
pub(super) fn spread(sorted: &[f64]) -> String {
    let mut v = sorted.to_vec();
    let m = median(&mut v);
    format!(
        "{m:.2} s ({:.2}–{:.2})",
        v.first().copied().unwrap_or(f64::NAN),
        v.last().copied().unwrap_or(f64::NAN)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn spread_is_median_min_and_max() {
        assert_eq!(spread(&[3.0, 1.0, 2.0]), "2.00 s (1.00–3.00)");
    }
}
