//! The order of periods.
//!
//! When every period is a number (`2017`, `2018.5`) they sort numerically.
//! Otherwise they sort naturally: runs of digits compare as numbers and the
//! text between them as text, so `2019Q2` < `2019Q10` < `2020Q1` and
//! `2019-6` < `2019-06`… < `2019-12`. Equal keys fall back to plain text order
//! so that the order is total and does not depend on input order.

use std::cmp::Ordering;

/// Sorts period labels in place, numerically when all are numbers, else naturally.
pub fn sort_periods(periods: &mut [String]) {
    let numbers: Option<Vec<f64>> = periods
        .iter()
        .map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect();
    if numbers.is_some() {
        periods.sort_by(|a, b| {
            let (x, y) = (numeric(a), numeric(b));
            x.total_cmp(&y).then_with(|| a.cmp(b))
        });
    } else {
        periods.sort_by(|a, b| natural_cmp(a, b));
    }
}

fn numeric(text: &str) -> f64 {
    text.trim().parse::<f64>().unwrap_or(f64::NAN)
}

/// Natural order: digit runs by value, other text by code point.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        match (x.is_empty(), y.is_empty()) {
            (true, true) => return a.cmp(b),
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (run_x, rest_x) = split_run(x);
        let (run_y, rest_y) = split_run(y);
        let x_digits = run_x.starts_with(|c: char| c.is_ascii_digit());
        let y_digits = run_y.starts_with(|c: char| c.is_ascii_digit());
        let order = match (x_digits, y_digits) {
            (true, true) => {
                let (tx, ty) = (run_x.trim_start_matches('0'), run_y.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then_with(|| tx.cmp(ty))
            }
            _ => run_x.cmp(run_y),
        };
        if order != Ordering::Equal {
            return order;
        }
        x = rest_x;
        y = rest_y;
    }
}

/// The leading run of digits, or of non-digits, and the rest.
fn split_run(text: &str) -> (&str, &str) {
    let digits = text.starts_with(|c: char| c.is_ascii_digit());
    let end = text
        .find(|c: char| c.is_ascii_digit() != digits)
        .unwrap_or(text.len());
    text.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(items: &[&str]) -> Vec<String> {
        let mut periods: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        sort_periods(&mut periods);
        periods
    }

    #[test]
    fn numbers_sort_numerically() {
        assert_eq!(sorted(&["2019", "999", "2017"]), ["999", "2017", "2019"]);
    }

    #[test]
    fn quarters_and_months_sort_naturally() {
        assert_eq!(
            sorted(&["2020Q1", "2019Q10", "2019Q2"]),
            ["2019Q2", "2019Q10", "2020Q1"]
        );
        assert_eq!(
            sorted(&["2019-12", "2019-06", "2020-01"]),
            ["2019-06", "2019-12", "2020-01"]
        );
    }

    #[test]
    fn mixed_labels_have_a_total_order() {
        assert_eq!(
            sorted(&["b", "a2", "a10", "2019"]),
            ["2019", "a2", "a10", "b"]
        );
    }
}
