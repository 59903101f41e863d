//! The areas a unit lies in (`[data] groups`: a street's district, say) and
//! its division code (`[data] code`, 区划代码): each unit's labels, each
//! area's total per period with its change and rank among areas
//! (`score --by`), units ranked within their area, the table ordered by
//! code, and the units that move from one area to another.

use std::collections::HashMap;
use std::sync::Arc;

use super::rows::Percent;
use super::{Report, UnitRow};
use crate::data::Keys;
use crate::definition::Definition;
use crate::error::{Error, Location, Problem, echo};
use crate::pipeline::{Scores, rank, total_by_rule};

/// A unit's areas and code in one period.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UnitLabels {
    /// The division code, when the data gives one.
    pub code: Option<Arc<str>>,
    /// The area in each `[data] groups` column, outermost first (`None` where blank).
    pub areas: Vec<Option<Arc<str>>>,
    /// With `score --by`: the unit's rank among the units of its area.
    pub area_rank: Option<u32>,
}

/// One area's figures in one period (`score --by`).
#[derive(Debug, Clone, PartialEq)]
pub struct AreaTotal {
    /// The area's name, as the data writes it.
    pub area: Arc<str>,
    /// The areas it lies in (the `[data] groups` columns before the `--by`
    /// one), outermost first: two towns of one name in two counties are two
    /// areas.
    pub within: Vec<Option<Arc<str>>>,
    /// The name shown: the enclosing areas and the area, `宜良县 / 城关镇`.
    pub label: Arc<str>,
    /// The units of the area in the period (with or without a composite).
    pub units: usize,
    /// 1 is the area with the highest total; `None` without a total.
    pub rank: Option<u32>,
    /// The area's total by the city total's rule, over its units.
    pub total: Option<f64>,
    /// total − the area's total in the previous period.
    pub change: Option<f64>,
    /// 100·change / the previous total.
    pub pct_change: Option<f64>,
    /// previous rank − rank: positive means the area moved up.
    pub rank_change: Option<i64>,
    /// Each dimension's figure for the area, by the same rule.
    pub dimensions: Vec<Option<f64>>,
}

/// The rows' label texts, shared: one allocation per distinct text.
pub(super) struct LabelTexts {
    areas: Vec<Vec<Arc<str>>>,
    code: Option<Vec<Arc<str>>>,
}

fn shared(texts: &[String]) -> Vec<Arc<str>> {
    texts.iter().map(|t| Arc::from(t.as_str())).collect()
}

impl LabelTexts {
    pub(super) fn of(keys: &Keys) -> LabelTexts {
        LabelTexts {
            areas: keys.groups.iter().map(|g| shared(&g.texts)).collect(),
            code: keys.code.as_ref().map(|c| shared(&c.texts)),
        }
    }

    /// A row's labels; `None` when the definition reads none.
    pub(super) fn of_row(&self, keys: &Keys, row: usize) -> Option<Box<UnitLabels>> {
        if self.areas.is_empty() && self.code.is_none() {
            return None;
        }
        let text = |texts: &[Arc<str>], id: u32| {
            (id != crate::data::NO_LABEL).then(|| texts[id as usize].clone())
        };
        Some(Box::new(UnitLabels {
            code: self
                .code
                .as_ref()
                .zip(keys.code.as_ref())
                .and_then(|(texts, column)| text(texts, column.ids[row])),
            areas: self
                .areas
                .iter()
                .zip(&keys.groups)
                .map(|(texts, column)| text(texts, column.ids[row]))
                .collect(),
            area_rank: None,
        }))
    }
}

/// The `--by` column's position among the definition's `[data] groups`, or
/// a usage error naming the columns there are.
fn by_column(keys: &Keys, column: &str) -> Result<usize, Error> {
    keys.group_column(column).ok_or_else(|| {
        let names: Vec<String> = keys.groups.iter().map(|g| g.name.clone()).collect();
        unknown_area_column(&names, column)
    })
}

/// The usage error for `--by COLUMN` when `COLUMN` is not one of `groups`,
/// the definition's area columns: it names them, or says how to add one.
pub fn unknown_area_column(groups: &[String], column: &str) -> Error {
    Error::Request {
        message: format!(
            "--by {column}: `{column}` is not one of the definition's area columns ([data] groups)"
        ),
        hint: if groups.is_empty() {
            format!(
                "add groups = [\"{column}\"] to the definition's [data] section, naming the data's column of enclosing areas"
            )
        } else {
            format!("choose one of: {}", groups.join(", "))
        },
    }
}

/// Each area's figures period after period (`score --by`): an area's change
/// needs its total and rank in the period before, so periods are walked in
/// order, every one of them, also those not reported.
pub(super) struct AreaWalk<'s> {
    scores: &'s Scores,
    /// The `--by` column's position among the `[data] groups`.
    column: usize,
    /// The texts of the `--by` column and the columns outside it.
    names: Vec<Vec<Arc<str>>>,
    percent: Percent,
    /// Each area's total and rank in the period walked last, by its path
    /// (the ids of its column and those outside it).
    previous: HashMap<Vec<u32>, (Option<f64>, Option<u32>)>,
    /// The next period to walk.
    next: usize,
}

/// One period's area figures and each unit's rank within its area.
pub(super) struct PeriodAreas<'s> {
    figures: Vec<AreaTotal>,
    unit_rank: HashMap<&'s str, u32>,
}

impl<'s> AreaWalk<'s> {
    /// A walk by `column`, or a usage error naming the area columns there are.
    pub(super) fn new(
        definition: &Definition,
        scores: &'s Scores,
        column: &str,
    ) -> Result<AreaWalk<'s>, Error> {
        let column = by_column(&scores.keys, column)?;
        Ok(AreaWalk {
            scores,
            column,
            names: scores.keys.groups[..=column]
                .iter()
                .map(|g| shared(&g.texts))
                .collect(),
            percent: Percent::of(definition, scores),
            previous: HashMap::new(),
            next: 0,
        })
    }

    /// The figures of period `p`, walking the periods before it first.
    pub(super) fn period(&mut self, p: usize) -> PeriodAreas<'s> {
        debug_assert!(p >= self.next, "periods are walked in order");
        loop {
            let areas = self.step();
            if self.next > p {
                return areas;
            }
        }
    }

    /// The figures of the next period.
    fn step(&mut self) -> PeriodAreas<'s> {
        let scores = self.scores;
        let keys = &scores.keys;
        let columns = &keys.groups[..=self.column];
        let names = &self.names;
        let text = |c: usize, id: u32| {
            (id != crate::data::NO_LABEL).then(|| names[c][id as usize].clone())
        };
        let population = scores.population.as_deref();
        let range = keys.period_ranges[self.next].clone();
        self.next += 1;
        // The rows of each area, in row (unit name) order, by the area's path.
        let mut members: HashMap<Vec<u32>, Vec<usize>> = HashMap::new();
        for row in range {
            if columns[self.column].ids[row] != crate::data::NO_LABEL {
                let path: Vec<u32> = columns.iter().map(|c| c.ids[row]).collect();
                members.entry(path).or_default().push(row);
            }
        }
        let mut areas: Vec<(Vec<u32>, Vec<usize>)> = members.into_iter().collect();
        let shown = |path: &[u32]| -> Vec<Option<Arc<str>>> {
            path.iter()
                .enumerate()
                .map(|(c, &id)| text(c, id))
                .collect()
        };
        areas.sort_by_cached_key(|(path, _)| shown(path));
        let total_of = |rows: &[usize], column: &[f64]| {
            let values: Vec<f64> = rows.iter().map(|&r| column[r]).collect();
            let people: Option<Vec<f64>> =
                population.map(|pop| rows.iter().map(|&r| pop[r]).collect());
            total_by_rule(scores.total_rule, &values, people.as_deref())
        };
        let totals: Vec<Option<f64>> = areas
            .iter()
            .map(|(_, rows)| total_of(rows, &scores.composite))
            .collect();
        let for_ranking: Vec<f64> = totals.iter().map(|t| t.unwrap_or(f64::NAN)).collect();
        let ranks = rank::competition_ranks(&for_ranking, 0..for_ranking.len());
        let mut figures: Vec<AreaTotal> = Vec::with_capacity(areas.len());
        let mut now = HashMap::new();
        for (((path, rows), total), rank) in areas.iter().zip(&totals).zip(&ranks) {
            let (before_total, before_rank) = self.previous.get(path).copied().unwrap_or_default();
            let change = total.zip(before_total).map(|(a, b)| a - b);
            let mut within = shown(path);
            let area = within.pop().flatten().unwrap_or_else(|| Arc::from(""));
            let label: Vec<&str> = within
                .iter()
                .flatten()
                .map(|a| &**a)
                .chain([&*area])
                .collect();
            figures.push(AreaTotal {
                label: Arc::from(label.join(" / ")),
                area,
                within,
                units: rows.len(),
                rank: *rank,
                total: *total,
                change,
                pct_change: self.percent.of_change(change, before_total),
                rank_change: rank
                    .zip(before_rank)
                    .map(|(r, b)| i64::from(b) - i64::from(r)),
                dimensions: scores
                    .dimension_scores
                    .iter()
                    .map(|column| total_of(rows, column))
                    .collect(),
            });
            now.insert(path.clone(), (*total, *rank));
        }
        // Areas by rank, those without a total last; ties by name.
        figures.sort_by_key(|a| a.rank.unwrap_or(u32::MAX));
        self.previous = now;

        let mut unit_rank: HashMap<&str, u32> = HashMap::new();
        for (_, rows) in &areas {
            let composite: Vec<f64> = rows.iter().map(|&r| scores.composite[r]).collect();
            for (&row, rank) in rows
                .iter()
                .zip(rank::competition_ranks(&composite, 0..rows.len()))
            {
                if let Some(rank) = rank {
                    unit_rank.insert(keys.unit_of(row), rank);
                }
            }
        }
        PeriodAreas { figures, unit_rank }
    }
}

impl PeriodAreas<'_> {
    /// Puts the figures into `period` and each unit's rank within its area.
    pub(super) fn apply(self, period: &mut super::PeriodReport) {
        period.areas = self.figures;
        for unit in &mut period.units {
            let labels = unit.labels.get_or_insert_with(Default::default);
            labels.area_rank = self.unit_rank.get(&*unit.unit).copied();
        }
    }
}

impl Report {
    /// Adds each area's total per period (by `column`, one of the
    /// definition's `[data] groups`) and each unit's rank within its area.
    /// Call before [`Report::select`]: an area's change needs the period
    /// before.
    pub fn by_area(
        mut self,
        definition: &Definition,
        scores: &Scores,
        column: &str,
    ) -> Result<Report, Error> {
        let mut walk = AreaWalk::new(definition, scores, column)?;
        for (p, period) in self.periods.iter_mut().enumerate() {
            walk.period(p).apply(period);
        }
        self.by = Some(column.to_string());
        Ok(self)
    }

    /// Orders each period's units by division code, character by character,
    /// so that a code follows the code of the area it lies in (`530102`,
    /// `530102001`, `530102002`, `530103`) as division codes are built;
    /// units without a code last, by rank. Ranks are unchanged.
    pub fn sort_by_code(mut self) -> Report {
        for period in &mut self.periods {
            sort_units_by_code(&mut period.units);
        }
        self
    }
}

/// One period's units by division code, as [`Report::sort_by_code`] orders them.
pub(super) fn sort_units_by_code(units: &mut [UnitRow]) {
    units.sort_by(|a, b| match (code(a), code(b)) {
        (Some(a), Some(b)) => a.cmp(b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

fn code(unit: &UnitRow) -> Option<&str> {
    unit.labels.as_ref().and_then(|l| l.code.as_deref())
}

/// A warning for each unit whose area (in any `[data] groups` column) or
/// code differs from its previous period's, naming both periods, and for
/// each row whose area is blank (counted in the city total but in no
/// area's); at most `limit` of each, then one with the count of the rest.
pub fn moved_units(keys: &Keys, limit: usize) -> Vec<Problem> {
    let mut warnings = blank_areas(keys, limit);
    let mut more = 0usize;
    let limit = warnings.len() + limit;
    let columns = keys.groups.iter().chain(keys.code.as_ref());
    for column in columns {
        let mut last: Vec<Option<usize>> = vec![None; keys.units.len()];
        for (row, r) in keys.rows.iter().enumerate() {
            let id = column.ids[row];
            if id == crate::data::NO_LABEL {
                continue;
            }
            let unit = r.unit as usize;
            if let Some(before) = last[unit].replace(row)
                && column.ids[before] != id
            {
                if warnings.len() >= limit {
                    more += 1;
                    continue;
                }
                warnings.push(
                    Problem::warning(
                        keys.locate_row(row),
                        format!(
                            "unit {} has {} {} in period {} but {} in period {}",
                            echo(keys.unit_of(row)),
                            echo(&column.name),
                            echo(column.of(row).unwrap_or_default()),
                            echo(keys.period_of(row)),
                            echo(column.of(before).unwrap_or_default()),
                            echo(keys.period_of(before)),
                        ),
                    )
                    .with_hint(
                        "nothing to do if the unit really moved (a boundary change); otherwise correct the cell. Area totals count the unit where each period puts it",
                    ),
                );
            }
        }
    }
    if more > 0 {
        warnings.push(Problem::warning(
            Location::file(&keys.source),
            format!("{more} more changes of area or code between periods"),
        ));
    }
    warnings
}

/// A warning for each row whose area cell is blank, at most `limit`, then a count.
fn blank_areas(keys: &Keys, limit: usize) -> Vec<Problem> {
    let mut warnings = Vec::new();
    let mut more = 0usize;
    for column in &keys.groups {
        for (row, &id) in column.ids.iter().enumerate() {
            if id != crate::data::NO_LABEL {
                continue;
            }
            if warnings.len() >= limit {
                more += 1;
                continue;
            }
            warnings.push(
                Problem::warning(
                    keys.locate_row(row),
                    format!(
                        "unit {} has no {} in period {}: it counts in the city total but in no area's",
                        echo(keys.unit_of(row)),
                        echo(&column.name),
                        echo(keys.period_of(row)),
                    ),
                )
                .with_hint("fill in the area, if the unit lies in one"),
            );
        }
    }
    if more > 0 {
        warnings.push(Problem::warning(
            Location::file(&keys.source),
            format!("{more} more rows have no area"),
        ));
    }
    warnings
}
