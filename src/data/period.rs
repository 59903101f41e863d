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
//!    quarter (`2019Q1`, `2019-Q1`, `Q1 2019`, `2019年第1季度`,
//!    `2019年一季度`), a month (`2019-01`, `2019/1`, `2019.1`, `201901`,
//!    `2019M01`, `2019年1月`, `Jan 2019`, `Jan-2019`, `January 2019`,
//!    `2019-Jan`) or a day (`2019-01-31`, `2019/1/31`, `2019.1.31`,
//!    `20190131`, `2019年1月31日`) — they sort by date. A two-digit year in
//!    `19年`, `19年1月`, `19年第1季度` or `Jan-19` (as Excel shows months) is
//!    2000–2029 for 00–29 and 1930–1999 for 30–99, as Excel reads it.
//! 4. Otherwise they sort naturally: runs of digits compare as numbers and
//!    the text between them as text, so `2019Q2` < `2019Q10` < `2020Q1`.
//!
//! Equal keys fall back to plain text order so that the order is total and
//! does not depend on input order. Two labels that denote the same period
//! (`2019.1` and `2019-01`, `2019` and `2019.0`) are reported by
//! [`same_period_pairs`], since they stay two periods; labels that make the
//! rules fall back on a worse order (one `2019.13` among year.months), and
//! two-digit years, by [`order_warnings`].

use std::cmp::Ordering;

mod dates;

use dates::{Key, Kind, month, parse, parse_with_century, year};

use crate::error::echo;

/// Sorts period labels in place by the rules above.
pub fn sort_periods(periods: &mut [String]) {
    match rule(periods) {
        Rule::Dates(keys) => {
            let mut keyed: Vec<(Key, String)> =
                keys.into_iter().zip(periods.iter().cloned()).collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
            for (slot, (_, label)) in periods.iter_mut().zip(keyed) {
                *slot = label;
            }
        }
        Rule::Numbers => periods.sort_by(|a, b| {
            let (x, y) = (numeric(a), numeric(b));
            x.total_cmp(&y).then_with(|| a.cmp(b))
        }),
        Rule::Natural => periods.sort_by(|a, b| natural_cmp(a, b)),
    }
}

/// Which rule orders a set of labels.
enum Rule {
    /// Rule 1 or 3, with each label's date.
    Dates(Vec<Key>),
    /// Rule 2.
    Numbers,
    /// Rule 4.
    Natural,
}

fn rule(periods: &[String]) -> Rule {
    if let Some(keys) = all_keys(periods) {
        Rule::Dates(keys)
    } else if all_numbers(periods) {
        Rule::Numbers
    } else {
        Rule::Natural
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

/// A warning about the order of periods: what, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderWarning {
    /// What was found and assumed.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

/// Labels listed by name in a warning.
const LISTED: usize = 5;

/// Warnings about how `periods` (sorted by [`sort_periods`]) were read:
///
/// - most labels are one kind of date (or year.month), but a few are not,
///   so the whole column fell back on an order that puts some of the dates
///   out of date order — `2019.13` among `2019.1` … `2019.12` sorts them
///   all as decimals, `2019.10` before `2019.2`;
/// - labels with a two-digit year, and the century assumed.
pub fn order_warnings(periods: &[String]) -> Vec<OrderWarning> {
    let mut warnings = Vec::new();
    if let Some(warning) = odd_ones_out(periods) {
        warnings.push(warning);
    }
    if let Some(warning) = two_digit_years(periods) {
        warnings.push(warning);
    }
    warnings
}

/// The kinds a label can be read as, for [`odd_ones_out`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    YearMonth,
    Date(Kind),
}

impl Reading {
    fn of(self, label: &str) -> Option<Key> {
        match self {
            Reading::YearMonth => is_year_month(label).then(|| parse(label, true)).flatten(),
            Reading::Date(kind) => parse(label, true).filter(|k| k.kind == kind),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Reading::YearMonth => "a year.month (YYYY.M)",
            Reading::Date(Kind::Year) => "a year",
            Reading::Date(Kind::Quarter) => "a quarter",
            Reading::Date(Kind::Month) => "a month",
            Reading::Date(Kind::Day) => "a date",
        }
    }
}

/// Most labels read as one kind of date but some do not, and the order the
/// rules fell back on puts two of the dates out of date order.
fn odd_ones_out(sorted: &[String]) -> Option<OrderWarning> {
    let how = match rule(sorted) {
        Rule::Dates(_) => return None,
        Rule::Numbers => "as numbers",
        Rule::Natural => "as text (with runs of digits compared as numbers)",
    };
    let readings = [
        Reading::YearMonth,
        Reading::Date(Kind::Year),
        Reading::Date(Kind::Quarter),
        Reading::Date(Kind::Month),
        Reading::Date(Kind::Day),
    ];
    // The first reading of the most labels (year.month before month).
    let (reading, count) = readings
        .iter()
        .map(|&r| (r, sorted.iter().filter(|l| r.of(l).is_some()).count()))
        .fold(None, |best: Option<(Reading, usize)>, (r, n)| match best {
            Some((_, most)) if most >= n => best,
            _ => Some((r, n)),
        })?;
    // All of one kind (years are also numbers, sorted as such): nothing odd.
    if count * 2 <= sorted.len() || count == sorted.len() {
        return None;
    }
    let odd: Vec<&String> = sorted.iter().filter(|l| reading.of(l).is_none()).collect();
    let named: Vec<String> = odd
        .iter()
        .take(LISTED)
        .map(|l| format!("`{}`", echo(l)))
        .collect();
    let more = match odd.len().saturating_sub(LISTED) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let (is, them) = if odd.len() == 1 {
        ("is", "it")
    } else {
        ("are", "them")
    };
    let consequence = match misplaced(sorted, reading) {
        Some((later, earlier)) => format!(
            ", which puts `{}` before `{}`: changes are taken against the wrong period",
            echo(later),
            echo(earlier)
        ),
        None => String::new(),
    };
    Some(OrderWarning {
        message: format!(
            "period {}{more} {is} not {} like the other {count} period labels, so all are \
             sorted {how}{consequence}",
            named.join(", "),
            reading.name(),
        ),
        hint: format!(
            "correct {them} if a slip, or spell every period alike (the period rules are in \
             docs/METHODOLOGY.md)"
        ),
    })
}

/// Two labels that read as dates and that `sorted` puts the wrong way
/// round, as (the later date, the earlier one): the first label that comes
/// after a later date, and the first such later date.
fn misplaced(sorted: &[String], reading: Reading) -> Option<(&String, &String)> {
    let dated: Vec<(Key, &String)> = sorted
        .iter()
        .filter_map(|l| reading.of(l).map(|k| (k, l)))
        .collect();
    let mut latest = dated.first()?.0;
    let &(earlier_key, earlier) = dated.iter().find(|&&(key, _)| {
        latest = latest.max(key);
        key < latest
    })?;
    let &(_, later) = dated.iter().find(|(key, _)| *key > earlier_key)?;
    Some((later, earlier))
}

/// Labels read with a two-digit year.
fn two_digit_years(periods: &[String]) -> Option<OrderWarning> {
    let mut found = periods.iter().filter_map(|label| {
        parse_with_century(label, true)
            .filter(|(_, guessed)| *guessed)
            .map(|(key, _)| (label, key))
    });
    let (first, key) = found.next()?;
    let more = found.count();
    let others = match more {
        0 => String::new(),
        n => format!(" (and {n} more)"),
    };
    Some(OrderWarning {
        message: format!(
            "period `{}`{others} has a two-digit year, read as {}: 00–29 are read as 2000–2029, \
             30–99 as 1930–1999",
            echo(first),
            key.year
        ),
        hint: "write four-digit years (2019年1月, Jan 2019) to be sure".to_string(),
    })
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
    !periods.is_empty() && periods.iter().all(|p| is_year_month(p))
}

/// `YYYY.M`, M from 1 to 12.
fn is_year_month(label: &str) -> bool {
    label
        .trim()
        .split_once('.')
        .is_some_and(|(y, m)| year(y).is_some() && month(m).is_some())
}

fn all_numbers(periods: &[String]) -> bool {
    periods
        .iter()
        .all(|p| p.trim().parse::<f64>().ok().is_some_and(f64::is_finite))
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

    /// Each of these once sorted as text, so that changes were taken
    /// against the wrong period: English months, Eurostat months, two-digit
    /// years, full dates.
    #[test]
    fn more_spellings_sort_by_date() {
        assert_eq!(
            sorted(&["Oct-2019", "Jan-2020", "Feb-2019", "Jan-2019"]),
            ["Jan-2019", "Feb-2019", "Oct-2019", "Jan-2020"]
        );
        assert_eq!(
            sorted(&[
                "October 2019",
                "jan 2020",
                "Feb. 2019",
                "2019-Jan",
                "Sept 2019"
            ]),
            [
                "2019-Jan",
                "Feb. 2019",
                "Sept 2019",
                "October 2019",
                "jan 2020"
            ]
        );
        let eurostat: Vec<String> = (1..=10).map(|m| format!("2019M{m}")).collect();
        let mut shuffled = eurostat.clone();
        shuffled.reverse();
        sort_periods(&mut shuffled);
        assert_eq!(shuffled, eurostat);
        assert_eq!(
            sorted(&["19年10月", "19年2月", "20年1月", "18年12月"]),
            ["18年12月", "19年2月", "19年10月", "20年1月"]
        );
        assert_eq!(
            sorted(&[
                "2019/10/1",
                "2019-1-1",
                "2019/01/02",
                "2018.12.31",
                "20190105"
            ]),
            [
                "2018.12.31",
                "2019-1-1",
                "2019/01/02",
                "20190105",
                "2019/10/1"
            ]
        );
        assert_eq!(
            sorted(&["Q1 2020", "2019年四季度", "2019-Q2", "2019年第一季度"]),
            ["2019年第一季度", "2019-Q2", "2019年四季度", "Q1 2020"]
        );
        assert_eq!(
            sorted(&["2019年10月1日", "2019年2月1日", "2019年2月10日"]),
            ["2019年2月1日", "2019年2月10日", "2019年10月1日"]
        );
        // Not dates: no 30 February, no 13th month, no `19-Jan` as a year.
        for label in [
            "2019-02-30",
            "2019-13",
            "2019M13",
            "19-Jan",
            "Janu 2019",
            "20年1",
            "2019-01/01",
        ] {
            assert_eq!(parse(label, true), None, "{label}");
        }
        assert_eq!(parse("2020-02-29", true).map(|k| k.kind), Some(Kind::Day));
        assert_eq!(parse("2019-02-29", true), None);
    }

    /// Every spelling docs/METHODOLOGY.md lists, as the date it names.
    #[test]
    fn the_documented_spellings_are_read() {
        let cases: &[(Kind, i64, i64, &[&str])] = &[
            (Kind::Year, 2019, 0, &["2019", "2019年", "19年"]),
            (
                Kind::Quarter,
                2019,
                1,
                &[
                    "2019Q1",
                    "2019-Q1",
                    "2019 Q1",
                    "Q1 2019",
                    "Q1-2019",
                    "2019年第1季度",
                    "2019年1季度",
                    "2019年第一季度",
                    "2019年一季度",
                    "2019年Q1",
                    "19年第1季度",
                ],
            ),
            (
                Kind::Month,
                2019,
                1,
                &[
                    "2019-01",
                    "2019/1",
                    "2019.1",
                    "201901",
                    "2019M1",
                    "2019M01",
                    "2019-M01",
                    "2019年1月",
                    "Jan 2019",
                    "Jan-2019",
                    "Jan. 2019",
                    "January 2019",
                    "2019-Jan",
                    "2019 January",
                    "JAN 2019",
                    "19年1月",
                    "Jan-19",
                ],
            ),
            (
                Kind::Month,
                2019,
                9,
                &["Sept 2019", "Sep-2019", "september 2019"],
            ),
            (
                Kind::Day,
                2019,
                32 + 31,
                &[
                    "2019-01-31",
                    "2019-1-31",
                    "2019/01/31",
                    "2019.1.31",
                    "20190131",
                    "2019年1月31日",
                    "19年1月31日",
                ],
            ),
        ];
        for &(kind, year, part, labels) in cases {
            for label in labels {
                assert_eq!(
                    parse(label, true),
                    Some(Key { kind, year, part }),
                    "{label}"
                );
            }
        }
    }

    #[test]
    fn two_digit_years_are_read_as_excel_reads_them_and_said() {
        assert_eq!(parse("19年", true).map(|k| k.year), Some(2019));
        assert_eq!(parse("29年1月", true).map(|k| k.year), Some(2029));
        assert_eq!(parse("30年1月", true).map(|k| k.year), Some(1930));
        assert_eq!(parse("Jan-99", true).map(|k| k.year), Some(1999));
        let labels: Vec<String> = ["19年1月", "19年2月", "19年3月"].map(String::from).to_vec();
        let warnings = order_warnings(&labels);
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].message,
            "period `19年1月` (and 2 more) has a two-digit year, read as 2019: 00–29 are read as \
             2000–2029, 30–99 as 1930–1999"
        );
        let four: Vec<String> = ["2019年1月", "2019年2月"].map(String::from).to_vec();
        assert!(order_warnings(&four).is_empty());
        // The same month written both ways is one month, in two spellings.
        let both: Vec<String> = ["19年1月", "2019-01"].map(String::from).to_vec();
        assert_eq!(same_period_pairs(&both).len(), 1);
    }

    /// One `2019.13` among year.months made the whole column decimals, with
    /// `2019.10` before `2019.2`, silently: now a warning names it.
    #[test]
    fn a_label_that_spoils_the_order_is_named() {
        let mut labels: Vec<String> = (1..=12).map(|m| format!("2019.{m}")).collect();
        labels.push("2019.13".into());
        sort_periods(&mut labels);
        let warnings = order_warnings(&labels);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(
            warnings[0].message,
            "period `2019.13` is not a year.month (YYYY.M) like the other 12 period labels, so \
             all are sorted as numbers, which puts `2019.10` before `2019.2`: changes are taken \
             against the wrong period"
        );
        let mut months: Vec<String> = ["Jan-2019", "Feb-2019", "Oct-2019", "Jan-2020", "Total"]
            .map(String::from)
            .to_vec();
        sort_periods(&mut months);
        let warnings = order_warnings(&months);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0]
                .message
                .starts_with("period `Total` is not a month like the other 4"),
            "{}",
            warnings[0].message
        );
        // Odd labels that leave the dates in order are named, without a
        // consequence; labels of no one kind, or all of one kind, are not.
        for (labels, odd) in [
            (
                &["2018.5", "2019.5", "2020.5", "2021"][..],
                "`2021` is not a year.month (YYYY.M)",
            ),
            (
                &["2017", "2018", "2019", "2019.5"],
                "`2019.5` is not a year like the other 3",
            ),
            (
                &["2019-01", "2019-02", "2019-03", "total"],
                "`total` is not a month",
            ),
        ] {
            let mut labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
            sort_periods(&mut labels);
            let warnings = order_warnings(&labels);
            assert_eq!(warnings.len(), 1, "{labels:?}");
            assert!(warnings[0].message.contains(odd), "{}", warnings[0].message);
            assert!(
                !warnings[0].message.contains("wrong period"),
                "{}",
                warnings[0].message
            );
        }
        for labels in [
            &["2019.25", "2019.5", "2019.75", "2020"][..],
            &["2019", "2019-01", "2019Q1", "x"],
            &["Jan-2019", "2019-02", "2019年3月"],
            &["2019"],
            &["2017", "2018", "2019"],
        ] {
            let mut labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
            sort_periods(&mut labels);
            assert!(order_warnings(&labels).is_empty(), "{labels:?}");
        }
    }

    #[test]
    fn mixed_labels_have_a_total_order() {
        assert_eq!(
            sorted(&["b", "a2", "a10", "2019"]),
            ["2019", "a2", "a10", "b"]
        );
    }
}
