//! Random numbers for the Monte Carlo: one independent stream per run,
//! derived from the seed and the run's number only, so that a run draws the
//! same numbers whichever thread computes it and in whatever order.
//!
//! The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable
//! pseudorandom number generators", OOPSLA 2014): a 64-bit counter stepped
//! by the golden ratio and passed through a bijective mixing function. A
//! stream's starting counter is the mix of the seed and the stream number,
//! so neighbouring streams start far apart.

/// The golden-ratio increment of SplitMix64.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: a bijection of 64-bit words that spreads every
/// input bit over the output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One stream of uniform numbers.
#[derive(Debug, Clone)]
pub struct Stream(u64);

impl Stream {
    /// Stream number `id` of `seed`.
    pub fn new(seed: u64, id: u64) -> Stream {
        Stream(mix(seed ^ mix(id.wrapping_add(GOLDEN))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// Uniform in [0, 1), on the grid of multiples of 2⁻⁵³.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform among 0..n (n > 0), without the bias of a plain modulo.
    pub fn below(&mut self, n: usize) -> usize {
        // Lemire's multiply-shift: the high word of a 64×64 product.
        let n = n as u64;
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(n);
            if (product as u64) >= threshold {
                return (product >> 64) as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_depends_on_the_seed_and_its_number_only() {
        let draw = |seed, id| {
            let mut s = Stream::new(seed, id);
            (0..4).map(|_| s.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1, 7), draw(1, 7));
        assert_ne!(draw(1, 7), draw(1, 8));
        assert_ne!(draw(1, 7), draw(2, 7));
    }

    #[test]
    fn uniforms_lie_in_the_unit_interval_with_the_right_mean() {
        let mut s = Stream::new(42, 0);
        let n = 100_000;
        let mut sum = 0.0;
        for _ in 0..n {
            let u = s.uniform();
            assert!((0.0..1.0).contains(&u));
            sum += u;
        }
        // sd of the mean: sqrt(1/12/n) ≈ 0.0009.
        assert!((sum / n as f64 - 0.5).abs() < 0.005);
    }

    #[test]
    fn below_covers_every_value_evenly() {
        let mut s = Stream::new(3, 1);
        let mut counts = [0usize; 5];
        for _ in 0..50_000 {
            counts[s.below(5)] += 1;
        }
        for count in counts {
            assert!((9_500..10_500).contains(&count), "{counts:?}");
        }
    }
}
