//! A preview of the treatment the Handbook describes for an indicator the
//! JRC rule flags: winsorise the most extreme values, one at a time on the
//! side of the skew, up to [`MAX_WINSORISED`] of them, until the flag
//! clears; when it does not, take logarithms. Nothing is changed in the
//! scores: the preview says which cells would change, from what to what.

use super::stats::{moments, outlier};

/// The treatment asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treat {
    /// Winsorise, then log when winsorising is not enough.
    Winsorise,
    /// Logarithms straight away.
    Log,
}

/// The most values winsorised (COINr's default `winmax`).
pub const MAX_WINSORISED: usize = 5;

/// One cell the treatment changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The unit.
    pub unit: String,
    /// The value as it is.
    pub old: f64,
    /// The value treated.
    pub new: f64,
}

/// What the treatment would do to one indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Treatment {
    /// `winsorise` or `log`: what was applied in the end.
    pub method: &'static str,
    /// Values winsorised (0 for log).
    pub winsorised: usize,
    /// Skewness and kurtosis after.
    pub skewness: f64,
    /// Kurtosis after.
    pub kurtosis: f64,
    /// True when the flag clears.
    pub cleared: bool,
    /// Every cell changed, in unit order.
    pub changes: Vec<Change>,
}

/// The preview of `treat` on `values` (one per unit, NaN missing).
pub fn preview(treat: Treat, values: &[f64], units: &[String]) -> Treatment {
    if treat == Treat::Winsorise
        && let Some(treated) = winsorise(values, units)
    {
        return treated;
    }
    log(values, units)
}

/// Replaces the most extreme value on the side of the skew by the next
/// one in, until the flag clears; `None` when [`MAX_WINSORISED`] are not
/// enough.
fn winsorise(values: &[f64], units: &[String]) -> Option<Treatment> {
    let mut treated = values.to_vec();
    for count in 1..=MAX_WINSORISED {
        let m = moments(&treated);
        let high = m.skewness > 0.0;
        let mut order: Vec<usize> = (0..treated.len())
            .filter(|&i| !treated[i].is_nan())
            .collect();
        order.sort_by(|&a, &b| treated[a].total_cmp(&treated[b]));
        if high {
            order.reverse();
        }
        let (&extreme, rest) = order.split_first()?;
        // The next value in that is not one of the extreme's equals.
        let next = rest
            .iter()
            .map(|&i| treated[i])
            .find(|&x| x != treated[extreme])?;
        let value = treated[extreme];
        let equals: Vec<usize> = order
            .iter()
            .copied()
            .take_while(|&i| treated[i] == value)
            .collect();
        for i in equals {
            treated[i] = next;
        }
        let after = moments(&treated);
        if !outlier(&after) {
            return Some(Treatment {
                method: "winsorise",
                winsorised: count,
                skewness: after.skewness,
                kurtosis: after.kurtosis,
                cleared: true,
                changes: changes(values, &treated, units),
            });
        }
    }
    None
}

/// ln(x − min + 1) for a right skew, −ln(max − x + 1) for a left one: the
/// order of the values kept, their spread compressed on the long side.
fn log(values: &[f64], units: &[String]) -> Treatment {
    let m = moments(values);
    let treated: Vec<f64> = values
        .iter()
        .map(|&x| {
            if x.is_nan() {
                x
            } else if m.skewness >= 0.0 {
                (x - m.min + 1.0).ln()
            } else {
                -(m.max - x + 1.0).ln()
            }
        })
        .collect();
    let after = moments(&treated);
    Treatment {
        method: "log",
        winsorised: 0,
        skewness: after.skewness,
        kurtosis: after.kurtosis,
        cleared: !outlier(&after),
        changes: changes(values, &treated, units),
    }
}

fn changes(old: &[f64], new: &[f64], units: &[String]) -> Vec<Change> {
    old.iter()
        .zip(new)
        .zip(units)
        .filter(|((a, b), _)| !a.is_nan() && a != b)
        .map(|((a, b), unit)| Change {
            unit: unit.clone(),
            old: *a,
            new: *b,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("u{i}")).collect()
    }

    /// One value far above twenty alike: winsorising it to the next value
    /// clears the flag, and the preview names that one cell.
    #[test]
    fn winsorising_one_far_value_clears_the_flag() {
        let mut values: Vec<f64> = (0..20).map(|i| 10.0 + f64::from(i % 5)).collect();
        values[7] = 500.0;
        assert!(outlier(&moments(&values)));
        let t = preview(Treat::Winsorise, &values, &units(20));
        assert_eq!(t.method, "winsorise");
        assert_eq!(t.winsorised, 1);
        assert!(t.cleared);
        assert_eq!(
            t.changes,
            vec![Change {
                unit: "u7".into(),
                old: 500.0,
                new: 14.0
            }]
        );
    }

    #[test]
    fn log_keeps_the_order_of_the_values() {
        let values = [1.0, 2.0, 4.0, 8.0, 1000.0, f64::NAN];
        let t = preview(Treat::Log, &values, &units(6));
        assert_eq!(t.method, "log");
        let new: Vec<f64> = t.changes.iter().map(|c| c.new).collect();
        assert!(new.windows(2).all(|w| w[0] < w[1]), "{new:?}");
        assert_eq!(t.changes[0].new, 0.0);
    }
}
