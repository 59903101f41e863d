//! Scores → [`Report`]: per period, units in rank order with their change on
//! the unit's nearest earlier period, and the total with its change.

use std::ops::Range;
use std::sync::Arc;

use crate::definition::{Definition, Method};
use crate::error::Error;
use crate::pipeline::Scores;

/// A dimension as shown in output.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionInfo {
    /// Key in CSV and JSON.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Weight, divided by the sum of dimension weights.
    pub weight: f64,
}

/// One unit in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// 1 is the highest composite; `None` without a composite.
    pub rank: Option<u32>,
    /// The unit's name.
    pub unit: Arc<str>,
    /// The composite score.
    pub composite: Option<f64>,
    /// Dimension scores, in definition order.
    pub dimensions: Vec<Option<f64>>,
    /// composite − the unit's previous composite.
    pub change: Option<f64>,
    /// 100·change / previous composite.
    pub pct_change: Option<f64>,
    /// previous rank − rank: positive means the unit moved up.
    pub rank_change: Option<i64>,
}

/// One period: its units in rank order and its total.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReport {
    /// The period label.
    pub period: String,
    /// The total (mean or population-weighted mean of composites).
    pub total: Option<f64>,
    /// total − the previous period's total.
    pub total_change: Option<f64>,
    /// 100·total_change / previous total.
    pub total_pct_change: Option<f64>,
    /// Units in rank order; ties and unranked units by name.
    pub units: Vec<UnitRow>,
}

/// Which periods to report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    /// The latest period.
    #[default]
    Latest,
    /// One named period.
    Period(String),
    /// Every period.
    All,
}

/// The finished result, ready for an exporter.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The index name.
    pub name: String,
    /// The display title (label or name).
    pub title: String,
    /// Digits for table and Markdown output.
    pub decimals: usize,
    /// Column name of the unit, as a heading (such as `district`).
    pub unit_heading: String,
    /// The settings that shaped the numbers.
    pub method: Method,
    /// Indicators whose normalization differs from `[method]`, with theirs.
    pub overrides: Vec<(String, String)>,
    /// The dimensions, in definition order.
    pub dimensions: Vec<DimensionInfo>,
    /// The periods reported, in ascending order.
    pub periods: Vec<PeriodReport>,
}

impl Report {
    /// Builds the report for every period.
    pub fn build(definition: &Definition, scores: &Scores) -> Report {
        let keys = &scores.keys;
        let names: Vec<Arc<str>> = keys.units.iter().map(|u| Arc::from(u.as_str())).collect();

        // Each row's previous row: the same unit's row in its nearest earlier
        // period. Rows run in period order and a unit has one row per period,
        // so the last row seen for the unit is that row.
        let mut last_row: Vec<Option<usize>> = vec![None; keys.units.len()];
        let before: Vec<Option<usize>> = keys
            .rows
            .iter()
            .enumerate()
            .map(|(row, r)| last_row[r.unit as usize].replace(row))
            .collect();

        // Periods depend on each other only through `before`, so they are
        // built in parallel on large inputs.
        let threads = crate::pipeline::parallel::threads_for(keys.rows.len());
        let units_by_period =
            crate::pipeline::parallel::map(threads, &keys.period_ranges, |range| {
                period_units(scores, &names, &before, range.clone())
            });

        let mut previous_total: Option<f64> = None;
        let mut periods = Vec::with_capacity(keys.periods.len());
        for (p, units) in units_by_period.into_iter().enumerate() {
            let total = scores.totals[p];
            let total_change = total.zip(previous_total).map(|(now, then)| now - then);
            periods.push(PeriodReport {
                period: keys.periods[p].clone(),
                total,
                total_change,
                total_pct_change: total_change
                    .zip(previous_total)
                    .and_then(|(c, then)| percent(c, then)),
                units,
            });
            // As for a unit: the change is on the previous period, and a
            // missing total there means no change, not a reach further back.
            previous_total = total;
        }

        Report {
            name: definition.name.clone(),
            title: definition.title().to_string(),
            decimals: definition.decimals,
            unit_heading: definition.columns.unit.clone(),
            method: definition.method,
            overrides: definition
                .indicators()
                .filter(|(_, i)| {
                    i.normalize_overridden && i.normalize != definition.method.normalize
                })
                .map(|(_, i)| (i.id.clone(), i.normalize.to_string()))
                .collect(),
            dimensions: definition
                .dimensions
                .iter()
                .map(|d| DimensionInfo {
                    id: d.id.clone(),
                    name: d.name.clone(),
                    weight: d.weight,
                })
                .collect(),
            periods,
        }
    }

    /// Keeps the selected periods; an unknown period is a usage error listing the known ones.
    pub fn select(mut self, selection: &Selection) -> Result<Report, Error> {
        match selection {
            Selection::All => {}
            Selection::Latest => {
                let last = self.periods.pop();
                self.periods = last.into_iter().collect();
            }
            Selection::Period(wanted) => {
                let known: Vec<String> = self.periods.iter().map(|p| p.period.clone()).collect();
                self.periods.retain(|p| p.period == wanted.trim());
                if self.periods.is_empty() {
                    return Err(Error::Request {
                        message: format!("the data has no period `{wanted}`"),
                        hint: format!("choose one of: {}", known.join(", ")),
                    });
                }
            }
        }
        Ok(self)
    }

    /// Keeps the first `n` units of each period; totals stay those of all units.
    pub fn top(mut self, n: usize) -> Report {
        for period in &mut self.periods {
            period.units.truncate(n);
        }
        self
    }
}

/// The rows of one period as [`UnitRow`]s, in rank order: by rank, then
/// (rows being in unit-name order) by name, unranked rows last.
fn period_units(
    scores: &Scores,
    names: &[Arc<str>],
    before: &[Option<usize>],
    range: Range<usize>,
) -> Vec<UnitRow> {
    let present = |x: f64| (!x.is_nan()).then_some(x);
    // Each row's place in rank order, found before any row is built: ranks
    // run from 1 to the number of rows n, so a stable counting sort (n + 1
    // standing for "no rank") does it in linear time; ranks past n, which the
    // pipeline never gives, take a stable sort. Rows are then built in row
    // order, reading the score columns sequentially, and each is put in its
    // place: cheaper than building rows and sorting them, or building them
    // in rank order with a random read for every field.
    let start = range.start;
    let n = range.len();
    let ranks = &scores.ranks[range.clone()];
    let mut place = vec![0usize; n];
    if ranks
        .iter()
        .all(|rank| rank.is_none_or(|r| r as usize <= n))
    {
        let slot = |rank: &Option<u32>| rank.map_or(n + 1, |r| r as usize);
        let mut next = vec![0usize; n + 3];
        for rank in ranks {
            next[slot(rank) + 1] += 1;
        }
        for i in 1..next.len() {
            next[i] += next[i - 1];
        }
        for (i, rank) in ranks.iter().enumerate() {
            let at = &mut next[slot(rank)];
            place[i] = *at;
            *at += 1;
        }
    } else {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| ranks[i].unwrap_or(u32::MAX));
        for (at, i) in order.into_iter().enumerate() {
            place[i] = at;
        }
    }

    // The dimension lists are allocated in rank order, so that they lie in
    // memory in the order the report is read and, above all, freed: freeing
    // a million of them in an order unrelated to their addresses misses the
    // cache on each one.
    let width = scores.dimension_scores.len();
    let mut dimension_lists: Vec<Vec<Option<f64>>> =
        (0..n).map(|_| Vec::with_capacity(width)).collect();
    let mut placed: Vec<Option<UnitRow>> = vec![None; n];
    for row in range {
        let at = place[row - start];
        let mut dimensions = std::mem::take(&mut dimension_lists[at]);
        dimensions.extend(scores.dimension_scores.iter().map(|d| present(d[row])));
        let unit = scores.keys.rows[row].unit as usize;
        let composite = present(scores.composite[row]);
        let rank = scores.ranks[row];
        let before = before[row];
        let previous = before.and_then(|r| present(scores.composite[r]));
        let change = composite.zip(previous).map(|(now, then)| now - then);
        placed[at] = Some(UnitRow {
            rank,
            unit: names[unit].clone(),
            composite,
            dimensions,
            change,
            pct_change: change.zip(previous).and_then(|(c, then)| percent(c, then)),
            rank_change: rank
                .zip(before.and_then(|r| scores.ranks[r]))
                .map(|(now, then)| i64::from(then) - i64::from(now)),
        });
    }
    placed
        .into_iter()
        .map(|row| row.expect("every place is filled once"))
        .collect()
}

/// 100·change / previous; `None` when the previous value is zero.
fn percent(change: f64, previous: f64) -> Option<f64> {
    (previous != 0.0).then(|| 100.0 * change / previous)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::tests::{close, run};

    const DEF: &str = "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";

    fn report(csv: &str) -> Report {
        let definition = Definition::from_toml(DEF, "t.toml").unwrap();
        Report::build(&definition, &run(DEF, csv).unwrap())
    }

    #[test]
    fn change_is_on_the_units_nearest_earlier_period() {
        let r = report("unit,period,x\nA,2017,80\nB,2017,90\nA,2018,95\nB,2018,85\nA,2019,90\n");
        let a2018 = &r.periods[1].units[0];
        assert_eq!(&*a2018.unit, "A");
        assert_eq!(a2018.change, Some(15.0));
        close(a2018.pct_change.unwrap(), 18.75);
        assert_eq!(a2018.rank_change, Some(1));
        let b2018 = &r.periods[1].units[1];
        assert_eq!(b2018.rank_change, Some(-1));
        assert_eq!(r.periods[0].units[0].change, None);
        assert_eq!(r.periods[1].total_change, Some(5.0));
        assert_eq!(r.periods[2].units[0].change, Some(-5.0));
    }

    #[test]
    fn total_change_is_on_the_previous_period_even_without_a_total_there() {
        // Period 2 has no composite, so no total: period 3's total has no change,
        // just as a unit's change is null after a period without its composite.
        let def = "[index]\nname='T'\n[method]\nnormalize='none'\nmissing='skip'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
        let definition = Definition::from_toml(def, "t.toml").unwrap();
        let scores = run(def, "unit,period,x\nA,1,5\nA,2,\nA,3,7\n").unwrap();
        let r = Report::build(&definition, &scores);
        assert_eq!(r.periods[1].total, None);
        assert_eq!(r.periods[2].total, Some(7.0));
        assert_eq!(r.periods[2].total_change, None);
        assert_eq!(r.periods[2].units[0].change, None);
    }

    #[test]
    fn ties_are_listed_by_unit_name() {
        let r = report("unit,period,x\nC,1,5\nB,1,7\nA,1,5\n");
        let order: Vec<(&str, Option<u32>)> = r.periods[0]
            .units
            .iter()
            .map(|u| (&*u.unit, u.rank))
            .collect();
        assert_eq!(order, [("B", Some(1)), ("A", Some(2)), ("C", Some(2))]);
    }

    #[test]
    fn selection_keeps_the_latest_by_default() {
        let r = report("unit,period,x\nA,2019,1\nA,2018,2\n");
        assert_eq!(
            r.clone().select(&Selection::Latest).unwrap().periods[0].period,
            "2019"
        );
        assert_eq!(r.clone().select(&Selection::All).unwrap().periods.len(), 2);
        let error = r.select(&Selection::Period("2030".into())).unwrap_err();
        assert!(error.is_usage());
        assert!(
            error.problems()[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("2018, 2019")
        );
    }

    #[test]
    fn top_keeps_the_total_of_all_units() {
        let r = report("unit,period,x\nA,1,10\nB,1,20\nC,1,30\n").top(1);
        assert_eq!(r.periods[0].units.len(), 1);
        assert_eq!(r.periods[0].total, Some(20.0));
    }
}
