//! The order of periods.
//!
//! Labels are first normalised as names are (full-width digits folded, so
//! `２０１９` is `2019`). Then, in this order of rules:
//!
//! 1. When every label is `YYYY.M` with M from 1 to 12 (`2019.1` … `2019.12`,
//!    as typed in Chinese spreadsheets), they are years and months: `2019.10`
//!    comes after `2019.9`, not before `2019.2`.
//! 2. When every label is a number (`2017`, `2018.5`, `201901`) they sort
//!    numerically.
//! 3. When every label is one kind of date — a year (`2019`, `2019年`), a
//!    month (`2019-01`, `2019/1`, `2019.1`, `201901`, `2019年1月`) or a
//!    quarter (`2019Q1`, `2019-Q1`, `2019年第1季度`) — they sort by date.
//! 4. Otherwise they sort naturally: runs of digits compare as numbers and
//!    the text between them as text, so `2019Q2` < `2019Q10` < `2020Q1`.
//!
//! Equal keys fall back to plain text order so that the order is total and
//! does not depend on input order. Two labels that denote the same period
//! (`2019.1` and `2019-01`, `2019` and `2019.0`) are reported by
//! [`same_period_pairs`], since they stay two periods.

use std::cmp::Ordering;

/// Sorts period labels in place by the rules above.
pub fn sort_periods(periods: &mut [String]) {
    if let Some(keys) = all_keys(periods) {
        let mut keyed: Vec<(Key, String)> = keys.into_iter().zip(periods.iter().cloned()).collect();
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        for (slot, (_, label)) in periods.iter_mut().zip(keyed) {
            *slot = label;
        }
    } else if all_numbers(periods) {
        periods.sort_by(|a, b| {
            let (x, y) = (numeric(a), numeric(b));
            x.total_cmp(&y).then_with(|| a.cmp(b))
        });
    } else {
        periods.sort_by(|a, b| natural_cmp(a, b));
    }
}

/// Pairs of different labels that denote the same period, such as `2019.1`
/// and `2019-01`, or `2019` and `2019.0`; each later label once, with the
/// first label of its period.
pub fn same_period_pairs(periods: &[String]) -> Vec<(String, String)> {
    let year_month = all_year_month(periods);
    let numbers = !year_month && all_numbers(periods);
    // A map, not a list: a panel with a period per row has as many labels as rows.
    let mut seen: std::collections::HashMap<(u8, i64, i64), &String> =
        std::collections::HashMap::new();
    let mut pairs = Vec::new();
    for label in periods {
        let key = if numbers {
            let value = numeric(label);
            Some((0, value.to_bits() as i64, 0))
        } else {
            parse(label, true).map(|k| (k.kind as u8, k.year, k.part))
        };
        let Some(key) = key else { continue };
        match seen.get(&key) {
            Some(first) => pairs.push(((*first).clone(), label.clone())),
            None => {
                seen.insert(key, label);
            }
        }
    }
    pairs
}

/// A period as a date: kind, year, and month or quarter (0 for a year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    kind: Kind,
    year: i64,
    part: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Year,
    Quarter,
    Month,
}

/// Date keys for every label when rule 1 or rule 3 applies.
fn all_keys(periods: &[String]) -> Option<Vec<Key>> {
    if all_year_month(periods) {
        return periods.iter().map(|p| parse(p, true)).collect();
    }
    if all_numbers(periods) {
        return None;
    }
    let keys: Vec<Key> = periods
        .iter()
        .map(|p| parse(p, true))
        .collect::<Option<_>>()?;
    let kind = keys.first()?.kind;
    keys.iter().all(|k| k.kind == kind).then_some(keys)
}

/// Rule 1: every label `YYYY.M`, M from 1 to 12.
fn all_year_month(periods: &[String]) -> bool {
    !periods.is_empty()
        && periods.iter().all(|p| {
            p.trim()
                .split_once('.')
                .is_some_and(|(y, m)| year(y).is_some() && month(m).is_some())
        })
}

fn all_numbers(periods: &[String]) -> bool {
    periods
        .iter()
        .all(|p| p.trim().parse::<f64>().ok().is_some_and(f64::is_finite))
}

/// A four-digit year.
fn year(text: &str) -> Option<i64> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A month, 1–12, in one or two digits.
fn month(text: &str) -> Option<i64> {
    let ok = (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok())
        .flatten()
        .filter(|m| (1..=12).contains(m))
}

/// A label as a date, when it is one of the spellings of rule 3.
fn parse(label: &str, dotted_months: bool) -> Option<Key> {
    let text = label.trim();
    let key = |kind, year, part| Some(Key { kind, year, part });
    if let Some(y) = year(text) {
        return key(Kind::Year, y, 0);
    }
    if let Some(y) = text.strip_suffix('年').and_then(year) {
        return key(Kind::Year, y, 0);
    }
    if text.len() == 6
        && let (Some(y), Some(m)) = (year(&text[..4]), month(&text[4..]))
    {
        return key(Kind::Month, y, m);
    }
    if let Some((y, rest)) = text.split_at_checked(4) {
        let y = year(y)?;
        let separators: &[char] = if dotted_months {
            &['-', '/', '.']
        } else {
            &['-', '/']
        };
        if let Some(m) = rest.strip_prefix(separators).and_then(month) {
            return key(Kind::Month, y, m);
        }
        if let Some(m) = rest
            .strip_prefix('年')
            .and_then(|r| r.strip_suffix('月'))
            .and_then(month)
        {
            return key(Kind::Month, y, m);
        }
        let quarter = rest
            .trim_start_matches(['-', ' '])
            .strip_prefix(['Q', 'q'])
            .or_else(|| {
                rest.strip_prefix("年第")
                    .and_then(|r| r.strip_suffix("季度"))
            })
            .or_else(|| rest.strip_prefix("年Q"));
        if let Some(q) = quarter
            .and_then(|q| q.parse::<i64>().ok())
            .filter(|q| (1..=4).contains(q))
        {
            return key(Kind::Quarter, y, q);
        }
    }
    None
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

    /// `2019.10` is October, after September, when every label is year.month.
    #[test]
    fn year_dot_month_sorts_by_month() {
        let months: Vec<String> = (1..=12).map(|m| format!("2019.{m}")).collect();
        let mut shuffled = months.clone();
        shuffled.reverse();
        shuffled.swap(0, 5);
        sort_periods(&mut shuffled);
        assert_eq!(shuffled, months);
        assert_eq!(
            sorted(&["2020.1", "2019.12", "2019.2"]),
            ["2019.2", "2019.12", "2020.1"]
        );
        // Not all year.month: numbers.
        assert_eq!(
            sorted(&["2019.5", "2019", "2018.25"]),
            ["2018.25", "2019", "2019.5"]
        );
    }

    #[test]
    fn dates_in_any_one_spelling_sort_by_date() {
        assert_eq!(
            sorted(&["2019年10月", "2019年2月", "2020年1月"]),
            ["2019年2月", "2019年10月", "2020年1月"]
        );
        assert_eq!(
            sorted(&["2019-10", "2019.2", "2019/11"]),
            ["2019.2", "2019-10", "2019/11"]
        );
        assert_eq!(
            sorted(&["201910", "201902", "202001"]),
            ["201902", "201910", "202001"]
        );
        assert_eq!(
            sorted(&["2019年第4季度", "2019Q2", "2020-Q1"]),
            ["2019Q2", "2019年第4季度", "2020-Q1"]
        );
    }

    #[test]
    fn two_spellings_of_one_period_are_found() {
        let pairs = |items: &[&str]| {
            let labels: Vec<String> = items.iter().map(|s| s.to_string()).collect();
            same_period_pairs(&labels)
        };
        assert_eq!(
            pairs(&["2019.1", "2019-01"]),
            [("2019.1".into(), "2019-01".into())]
        );
        assert_eq!(
            pairs(&["2019", "2019.0"]),
            [("2019".into(), "2019.0".into())]
        );
        assert_eq!(pairs(&["2019年1月", "201901", "2019-02"]).len(), 1);
        assert_eq!(pairs(&["2019.1", "2019.01"]).len(), 1);
        assert!(pairs(&["2019.1", "2019.10", "2019.2"]).is_empty());
        assert!(pairs(&["2018", "2019", "2020"]).is_empty());
    }

    #[test]
    fn mixed_labels_have_a_total_order() {
        assert_eq!(
            sorted(&["b", "a2", "a10", "2019"]),
            ["2019", "a2", "a10", "b"]
        );
    }
}
