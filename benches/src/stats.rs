//! Repeated measurements and how they are reported: the median, with the spread as
//! min–max and the interquartile range.

use std::time::{Duration, Instant};

/// Samples of one quantity (seconds, requests per second, …).
#[derive(Debug, Clone)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn new(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        Samples(values)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The value at quantile `q` (0–1), interpolated between neighbours.
    pub fn quantile(&self, q: f64) -> f64 {
        let v = &self.0;
        match v.len() {
            0 => f64::NAN,
            1 => v[0],
            n => {
                let at = q * (n - 1) as f64;
                let (lo, frac) = (at.floor() as usize, at.fract());
                let hi = (lo + 1).min(n - 1);
                v[lo] + (v[hi] - v[lo]) * frac
            }
        }
    }

    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    pub fn min(&self) -> f64 {
        self.0.first().copied().unwrap_or(f64::NAN)
    }

    pub fn max(&self) -> f64 {
        self.0.last().copied().unwrap_or(f64::NAN)
    }

    /// `median (min–max)`, for numbers shown with [`num`].
    pub fn spread_short(&self) -> String {
        format!(
            "{} ({}–{})",
            num(self.median()),
            num(self.min()),
            num(self.max())
        )
    }

    /// `median (min–max, IQR a–b)` with each value shown by `show`.
    pub fn spread(&self, show: impl Fn(f64) -> String) -> String {
        format!(
            "{} ({}–{}, IQR {}–{}, n={})",
            show(self.median()),
            show(self.min()),
            show(self.max()),
            show(self.quantile(0.25)),
            show(self.quantile(0.75)),
            self.len()
        )
    }
}

/// Runs `f` `runs` times (after one unmeasured warm-up, when `warm_up`) and returns
/// the seconds each run took.
pub fn time_runs(runs: usize, warm_up: bool, mut f: impl FnMut()) -> Samples {
    if warm_up {
        f();
    }
    let mut out = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f();
        out.push(started.elapsed().as_secs_f64());
    }
    Samples::new(out)
}

/// How many runs fit in `budget` given that one takes `once`, within `min..=max`.
pub fn runs_within(budget: Duration, once: Duration, min: usize, max: usize) -> usize {
    let fit = budget.as_secs_f64() / once.as_secs_f64().max(1e-9);
    (fit as usize).clamp(min, max)
}

/// A duration in seconds shown with a unit that keeps 3 significant digits.
pub fn secs(s: f64) -> String {
    if !s.is_finite() {
        "–".to_owned()
    } else if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else if s >= 1e-6 {
        format!("{:.2} µs", s * 1e6)
    } else {
        format!("{:.0} ns", s * 1e9)
    }
}

/// A plain number with a thousands-friendly precision.
pub fn num(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let s = Samples::new(vec![4.0, 1.0, 3.0, 2.0]);
        assert_eq!((s.min(), s.max()), (1.0, 4.0));
        assert!((s.median() - 2.5).abs() < 1e-12);
        assert!((s.quantile(0.25) - 1.75).abs() < 1e-12);
        assert_eq!(Samples::new(vec![7.0]).median(), 7.0);
    }

    #[test]
    fn units() {
        assert_eq!(secs(1.5), "1.50 s");
        assert_eq!(secs(0.012_34), "12.34 ms");
        assert_eq!(secs(0.000_002), "2.00 µs");
        assert_eq!(num(1234.4), "1234");
    }
}
