//! The report period by period: each period's rows are built, handed to the
//! writer and dropped before the next period's, so output as large as the
//! data is never held whole. The periods are exactly those of
//! [`Report::build_with`] followed by [`Report::by_area`],
//! [`Report::select`], [`Report::top`] and [`Report::sort_by_code`].

use super::areas::{AreaWalk, sort_units_by_code};
use super::rows::period_units;
use super::{Detail, PeriodReport, PreviousRows, Report, RowParts, Selection, period_report};
use crate::definition::{Definition, Grade};
use crate::error::Error;
use crate::pipeline::Scores;

/// What shapes the reported periods besides the details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    /// Which periods to report.
    pub selection: Selection,
    /// The area column to total by (`score --by`), when asked.
    pub by: Option<String>,
    /// Keep only the first N units of each period (`score --top`).
    pub top: Option<usize>,
    /// Order units by division code instead of rank (`score --sort code`).
    pub sort_code: bool,
}

/// The selected periods of a report, built one at a time, in order.
pub struct PeriodStream<'s> {
    scores: &'s Scores,
    grades: Vec<Grade>,
    rows: RowParts,
    /// Each unit's row in the periods walked so far.
    previous: PreviousRows,
    areas: Option<AreaWalk<'s>>,
    /// The selected periods, ascending.
    selected: Vec<usize>,
    /// How many of them were handed out.
    done: usize,
    top: Option<usize>,
    sort_code: bool,
}

impl Report {
    /// The report without its periods (its settings, tree and filled
    /// cells), and its periods to come one at a time.
    ///
    /// Fails as [`Report::by_area`] and [`Report::select`] do: on an
    /// unknown area column or period.
    pub fn stream<'s>(
        definition: &Definition,
        scores: &'s Scores,
        detail: Detail,
        shape: &Shape,
    ) -> Result<(Report, PeriodStream<'s>), Error> {
        let rows = RowParts::of(definition, scores, detail);
        let mut outline = Report::outline(definition, scores, rows.detail);
        let areas = match &shape.by {
            Some(column) => {
                outline.by = Some(column.clone());
                Some(AreaWalk::new(definition, scores, column)?)
            }
            None => None,
        };
        let selected = selected_periods(&scores.keys.periods, &shape.selection)?;
        let stream = PeriodStream {
            scores,
            grades: definition.grades.clone(),
            rows,
            previous: PreviousRows::new(scores.keys.units.len()),
            areas,
            selected,
            done: 0,
            top: shape.top,
            sort_code: shape.sort_code,
        };
        Ok((outline, stream))
    }
}

/// The indices of the periods `selection` keeps, with [`Report::select`]'s
/// error for an unknown period.
fn selected_periods(periods: &[String], selection: &Selection) -> Result<Vec<usize>, Error> {
    match selection {
        Selection::All => Ok((0..periods.len()).collect()),
        Selection::Latest => Ok(periods.len().checked_sub(1).into_iter().collect()),
        Selection::Period(wanted) => {
            let label = crate::data::period_label(wanted);
            let found: Vec<usize> = (0..periods.len())
                .filter(|&p| periods[p] == label)
                .collect();
            if found.is_empty() {
                return Err(Error::Request {
                    message: format!("the data has no period `{wanted}`"),
                    hint: format!("choose one of: {}", periods.join(", ")),
                });
            }
            Ok(found)
        }
    }
}

impl PeriodStream<'_> {
    /// True when some selected period shows a change: its total's, or a
    /// unit's (before `top` keeps the first units).
    pub fn shows_change(&self) -> bool {
        let scores = self.scores;
        let present = |row: usize| !scores.composite[row].is_nan();
        let mut previous = PreviousRows::new(scores.keys.units.len());
        self.selected.iter().any(|&p| {
            let total = p > 0 && scores.totals[p].is_some() && scores.totals[p - 1].is_some();
            let start = scores.keys.period_ranges[p].start;
            total
                || previous
                    .period(&scores.keys, p)
                    .iter()
                    .enumerate()
                    .any(|(i, before)| present(start + i) && before.is_some_and(present))
        })
    }

    /// True when a selected period has a unit named `name`.
    pub fn has_unit_named(&self, name: &str) -> bool {
        let keys = &self.scores.keys;
        self.selected.iter().any(|&p| {
            keys.period_ranges[p]
                .clone()
                .any(|row| keys.unit_of(row) == name)
        })
    }
}

impl Iterator for PeriodStream<'_> {
    type Item = PeriodReport;

    fn next(&mut self) -> Option<PeriodReport> {
        let &p = self.selected.get(self.done)?;
        self.done += 1;
        let scores = self.scores;
        let before = self.previous.period(&scores.keys, p);
        let context = self.rows.context(scores, &self.grades, &before);
        let units = period_units(&context, scores.keys.period_ranges[p].clone());
        let mut period = period_report(scores, p, units, self.rows.percent, &self.grades);
        if let Some(walk) = &mut self.areas {
            walk.period(p).apply(&mut period);
        }
        if let Some(n) = self.top {
            period.units.truncate(n);
        }
        if self.sort_code {
            sort_units_by_code(&mut period.units);
        }
        Some(period)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.selected.len() - self.done;
        (left, Some(left))
    }
}

impl ExactSizeIterator for PeriodStream<'_> {}
