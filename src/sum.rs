//! Compensated summation, so totals do not drift with the number of terms.

/// A running sum with Neumaier's compensation: the rounding error of each
/// addition is kept and added back at the end, so a million terms sum to
/// within an ulp or two of the exact result.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    /// An empty sum.
    pub fn new() -> Sum {
        Sum::default()
    }

    /// Adds a term.
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The sum so far.
    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

impl FromIterator<f64> for Sum {
    fn from_iter<I: IntoIterator<Item = f64>>(iter: I) -> Sum {
        let mut sum = Sum::new();
        for x in iter {
            sum.add(x);
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensation_recovers_what_naive_summation_loses() {
        let terms = [1e16, 1.0, -1e16];
        assert_eq!(terms.iter().sum::<f64>(), 0.0);
        assert_eq!(terms.into_iter().collect::<Sum>().value(), 1.0);
    }

    #[test]
    fn many_small_terms_sum_exactly_enough() {
        let sum: Sum = std::iter::repeat_n(0.1, 1_000_000).collect();
        assert!((sum.value() - 100_000.0).abs() < 1e-9);
    }
}
