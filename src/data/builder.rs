//! The panel builder: collects rows from either reader (wide or long),
//! then merges spellings, sorts units, periods and rows, and checks them.

use std::collections::HashMap;
use std::ops::Range;

use super::order::{permute_in_place, sorted_order, sorted_positions};
use super::{CellLines, Keys, MAX_ERRORS, Panel, ReadOptions, Row, echo_invisible, intern, period};
use crate::definition::Definition;
use crate::error::{DataError, Error, Problem, echo};

/// Collects rows from either reader, then sorts and checks them.
pub(super) struct Builder {
    pub(super) name: String,
    pub(super) units: intern::Interner,
    pub(super) periods: intern::Interner,
    pub(super) rows: Vec<Row>,
    pub(super) values: Vec<Vec<f64>>,
    pub(super) population: Option<Vec<f64>>,
    pub(super) errors: Vec<DataError>,
    pub(super) more_errors: usize,
    pub(super) warnings: Vec<Problem>,
    pub(super) keep_going: bool,
    /// The row count at which [`Builder::compact_if_repeated`] looks again.
    pub(super) next_compaction: usize,
    /// The label columns (`[data] groups`, then `code`): each row's text.
    pub(super) labels: Vec<Labels>,
}

/// One label column as it is read: its texts interned, an id per row.
#[derive(Default)]
pub(super) struct Labels {
    pub(super) texts: intern::Interner,
    pub(super) ids: Vec<u32>,
}

impl Labels {
    /// The id of a cell's text, trimmed and normalised; [`super::NO_LABEL`] when blank.
    pub(super) fn id(&mut self, text: &str) -> u32 {
        let text = text.trim();
        if text.is_empty() {
            super::NO_LABEL
        } else {
            self.texts.id(&intern::normalize(text))
        }
    }

    /// The text of an id (not [`super::NO_LABEL`]).
    pub(super) fn text(&self, id: u32) -> &str {
        &self.texts.names[id as usize]
    }
}

impl Builder {
    pub(super) fn new(
        name: &str,
        indicators: usize,
        with_population: bool,
        options: ReadOptions,
    ) -> Builder {
        Builder {
            name: name.to_string(),
            units: intern::Interner::default(),
            periods: intern::Interner::default(),
            rows: Vec::new(),
            values: vec![Vec::new(); indicators],
            population: with_population.then(Vec::new),
            errors: Vec::new(),
            more_errors: 0,
            warnings: Vec::new(),
            keep_going: options.keep_going,
            next_compaction: 0,
            labels: Vec::new(),
        }
    }

    /// Reads `count` label columns beside the rows.
    pub(super) fn with_labels(mut self, count: usize) -> Builder {
        self.labels = (0..count).map(|_| Labels::default()).collect();
        self
    }

    pub(super) fn error(&mut self, error: DataError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.more_errors += 1;
        }
        if !self.keep_going {
            // Scoring fails now whatever follows: the values will never be
            // used, so they are let go, and no more are kept; rows are still
            // read, for the errors they have.
            for column in self.values.iter_mut().chain(self.population.as_mut()) {
                *column = Vec::new();
            }
        }
    }

    /// False once the values read can no longer be used: when scoring
    /// (not under [`ReadOptions::keep_going`]) has met an error.
    pub(super) fn keeps_values(&self) -> bool {
        self.keep_going || (self.errors.is_empty() && self.more_errors == 0)
    }

    /// Takes out repeated rows (reporting each) as soon as there must be
    /// some: when there are more rows than units × periods. The memory then
    /// stays within twice the panel, however many times a file repeats its
    /// rows, instead of growing with the file until the duplicates are found
    /// at the end. A file without repeats never gets here.
    pub(super) fn compact_if_repeated(&mut self, report: impl FnOnce(&mut Builder)) {
        let rows = self.rows.len();
        if rows < self.next_compaction {
            return;
        }
        let cells = self
            .units
            .names
            .len()
            .saturating_mul(self.periods.names.len());
        if rows <= cells {
            return;
        }
        report(self);
        // Each look costs a pass over the rows: the next waits until they
        // have doubled, so the passes cost a constant per row.
        self.next_compaction = 2 * self.rows.len() + 1024;
    }

    pub(super) fn unit_id(&mut self, unit: &str) -> u32 {
        self.units.id(unit)
    }

    pub(super) fn period_id(&mut self, period: &str) -> u32 {
        self.periods.id(period)
    }

    /// Makes units (and periods) that differ only in invisible characters,
    /// Unicode normalisation or (for periods) full-width digits one, with a
    /// warning for each name spelt more than one way.
    pub(super) fn merge_spellings(&mut self) {
        let units = self.units.normalize(intern::normalize);
        let periods = self.periods.normalize(intern::normalize_period);
        for (what, merged) in [("unit", &units), ("period", &periods)] {
            if let Some((_, pairs)) = merged {
                self.spelt_two_ways(what, pairs);
            }
        }
        if units.is_none() && periods.is_none() {
            return;
        }
        for row in &mut self.rows {
            if let Some((remap, _)) = &units {
                row.unit = remap[row.unit as usize];
            }
            if let Some((remap, _)) = &periods {
                row.period = remap[row.period as usize];
            }
        }
    }

    /// A warning for each `what` (unit or period) spelt more than one way,
    /// as (first spelling, other spelling); at most 20.
    pub(super) fn spelt_two_ways(&mut self, what: &str, pairs: &[(String, String)]) {
        for (first, other) in pairs.iter().take(20) {
            self.warnings.push(
                Problem::warning(
                    self.name.clone(),
                    format!(
                        "{what} `{}` is also written `{}`, which differs only in invisible \
                         characters, Unicode normalisation or full-width characters; both \
                         are read as one {what}",
                        echo(first),
                        echo_invisible(other)
                    ),
                )
                .with_hint("nothing to do if they are the same; otherwise rename one"),
            );
        }
    }

    /// Sorts units, periods and rows; fails with every error collected.
    pub(super) fn finish(
        mut self,
        definition: &Definition,
        mut cells: CellLines,
    ) -> Result<Panel, Error> {
        let recovered = self.recovered()?;
        let periods = self.sorted_periods();
        let units = self.renumber(&periods);
        let mut rows = self.rows;
        let mut values = self.values;
        let mut population = self.population;
        let mut label_ids: Vec<Vec<u32>> = self
            .labels
            .iter_mut()
            .map(|l| std::mem::take(&mut l.ids))
            .collect();
        put_in_order(
            &mut rows,
            &mut values,
            population.as_mut(),
            &mut label_ids,
            &mut cells,
            (units.len(), periods.len()),
        );
        let period_ranges = period_ranges(&rows, periods.len());
        let mut labels = definition
            .columns
            .labels()
            .zip(self.labels.into_iter().zip(label_ids))
            .map(|(name, (labels, ids))| super::LabelColumn {
                name: name.to_string(),
                texts: labels.texts.names,
                ids,
            });
        let groups = labels
            .by_ref()
            .take(definition.columns.groups.len())
            .collect();
        let code = labels.next();
        Ok(Panel {
            keys: Keys {
                source: self.name,
                units,
                periods,
                rows,
                period_ranges,
                groups,
                code,
                cells,
            },
            indicators: definition.indicators().map(|(_, i)| i.id.clone()).collect(),
            values,
            population,
            warnings: self.warnings,
            recovered,
        })
    }

    /// The errors collected, as problems kept beside a panel read past them
    /// ([`ReadOptions::keep_going`]); otherwise they, or the want of rows,
    /// are the result.
    fn recovered(&mut self) -> Result<Vec<Problem>, Error> {
        if self.more_errors > 0 {
            self.errors.push(DataError::TooMany {
                path: self.name.clone(),
                more: self.more_errors,
            });
        }
        let read_past = self.keep_going && !self.rows.is_empty();
        if !self.errors.is_empty() && !read_past {
            return Err(Error::Data(std::mem::take(&mut self.errors)));
        }
        if self.rows.is_empty() {
            return Err(DataError::NoRows {
                path: self.name.clone(),
            }
            .into());
        }
        Ok(self.errors.iter().map(DataError::problem).collect())
    }

    /// The periods in order, with a warning for labels that look like two
    /// spellings of one period and for an order that may not be meant.
    fn sorted_periods(&mut self) -> Vec<String> {
        let mut periods = self.periods.names.clone();
        period::sort_periods(&mut periods);
        for (first, other) in period::same_period_pairs(&periods).iter().take(20) {
            self.warnings.push(
                Problem::warning(
                    self.name.clone(),
                    format!(
                        "periods `{}` and `{}` look like two spellings of the same period, but \
                         are read as two periods",
                        echo(first),
                        echo(other)
                    ),
                )
                .with_hint("spell every period the same way (for example 2019-01 throughout)"),
            );
        }
        for warning in period::order_warnings(&periods) {
            self.warnings
                .push(Problem::warning(self.name.clone(), warning.message).with_hint(warning.hint));
        }
        periods
    }

    /// Renumbers rows' units and periods to their sorted positions
    /// (`periods` is already sorted); returns the units in order.
    fn renumber(&mut self, periods: &[String]) -> Vec<String> {
        let unit_order = sorted_order(&self.units.names);
        let period_position: HashMap<&str, u32> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| (p.as_str(), i as u32))
            .collect();
        let period_order: Vec<u32> = self
            .periods
            .names
            .iter()
            .map(|p| period_position[p.as_str()])
            .collect();
        let mut units = vec![String::new(); self.units.names.len()];
        for (old, unit) in std::mem::take(&mut self.units.names)
            .into_iter()
            .enumerate()
        {
            units[unit_order[old] as usize] = unit;
        }
        for row in &mut self.rows {
            row.unit = unit_order[row.unit as usize];
            row.period = period_order[row.period as usize];
        }
        units
    }
}

/// Moves rows, their values and (long form) their cells' lines into
/// period-then-unit order; `(units, periods)` are the counts of each.
fn put_in_order(
    rows: &mut Vec<Row>,
    values: &mut [Vec<f64>],
    population: Option<&mut Vec<f64>>,
    labels: &mut [Vec<u32>],
    cells: &mut CellLines,
    (units, periods): (usize, usize),
) {
    // Where each input row goes in period-then-unit order.
    let position = sorted_positions(rows, units, periods);
    // Input already in that order (as most exports are) needs no moving.
    let sorted = position.iter().enumerate().all(|(old, &new)| new == old);
    if sorted {
        return;
    }
    // Columns are moved by scattering (`new[position[old]] = old`)
    // rather than gathering: reads are then sequential, and for input
    // sorted by unit then period the writes form one sequential
    // stream per period, where a gather would touch a fresh cache
    // line for every value.
    permute_in_place(rows, &position, &mut Vec::new());
    for ids in labels.iter_mut() {
        permute_in_place(ids, &position, &mut Vec::new());
    }
    // Columns move on every core. One scratch column per thread
    // serves each of its columns in turn, rather than a fresh
    // allocation each (and its page faults): 46 × 8 MB at a million rows.
    let threads = crate::parallel::threads_for(rows.len());
    let mut columns: Vec<&mut Vec<f64>> = values.iter_mut().chain(population).collect();
    crate::parallel::for_each_run_mut(threads, &mut columns, |run| {
        let mut scratch = Vec::new();
        for column in run {
            permute_in_place(column, &position, &mut scratch);
        }
    });
    if let CellLines::Long { lines, population } = cells {
        permute_in_place(population, &position, &mut Vec::new());
        for cell in lines.iter_mut() {
            cell.0 = position[cell.0 as usize] as u32;
        }
        lines.sort_unstable();
    }
}

/// The range of rows of each period, for rows sorted by period.
fn period_ranges(rows: &[Row], periods: usize) -> Vec<Range<usize>> {
    let mut period_ranges = vec![0..0; periods];
    let mut start = 0;
    for (p, range) in period_ranges.iter_mut().enumerate() {
        let end = start + rows[start..].partition_point(|r| r.period as usize == p);
        *range = start..end;
        start = end;
    }
    period_ranges
}
