//! The columns and cells of the table and Markdown outputs, built once from a
//! report; each of those formats only decides how a heading or a cell looks.
//!
//! A new report field is a new [`Heading`] and a new cell in [`rows`]; the
//! `match`es in the formats then say where it still needs a rendering.

use super::{fixed, signed};
use crate::report::{PeriodReport, Report};

/// A column, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Heading<'a> {
    /// The rank in the period.
    Rank,
    /// The unit; carries the data's unit column name (such as `district`).
    Unit(&'a str),
    /// The composite score.
    Composite,
    /// A dimension score; carries the dimension's display name.
    Dimension(&'a str),
    /// The composite's change on the previous period.
    Change,
    /// The change in percent.
    PctChange,
    /// The change of rank.
    RankChange,
    /// A dimension's rank (with `--detail dimensions`); carries its name.
    DimensionRank(&'a str),
    /// A dimension score's change (with `--detail dimensions`); carries its name.
    DimensionChange(&'a str),
    /// A group score (with `--detail groups`); carries the group's name.
    Group(&'a str),
    /// The composite's grade (with `[[grade]]` bands).
    Grade,
    /// A dimension's grade; carries its name.
    DimensionGrade(&'a str),
    /// The 5th percentile rank over Monte Carlo runs (`score --uncertainty`).
    RankP05,
    /// The 95th percentile rank over Monte Carlo runs.
    RankP95,
    /// The unit's division code (`[data] code`).
    Code,
    /// The area a unit lies in (`[data] groups`); carries the column's name.
    Area(&'a str),
    /// The unit's rank within its area (`score --by`); carries the column's name.
    AreaRank(&'a str),
    /// The number of units in an area (the areas' table).
    Units,
}

impl Heading<'_> {
    /// True for columns of numbers, which read best aligned right.
    pub(super) fn is_numeric(self) -> bool {
        !matches!(
            self,
            Heading::Unit(_)
                | Heading::Grade
                | Heading::DimensionGrade(_)
                | Heading::Code
                | Heading::Area(_)
        )
    }
}

/// One cell, before a format renders it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cell<'a> {
    /// Nothing belongs here (such as the rank of the total row).
    Blank,
    /// A value that could be here but is absent (such as the change in the
    /// first period): shown as the format's no-value mark.
    Absent,
    /// Text from the data, to make safe and fit.
    Name(&'a str),
    /// The label of the total row.
    TotalLabel,
    /// A rank.
    Rank(u32),
    /// A score, rounded to `decimals`.
    Score(f64),
    /// A change, rounded, with its sign.
    Change(f64),
    /// A change of rank: positive is up.
    RankChange(i64),
    /// A count (of units).
    Count(usize),
}

impl Cell<'_> {
    /// The text of a number cell rounded to `decimals`, with `no_value` for a
    /// value that is not a finite number; `None` for the other cells.
    pub(super) fn number(self, decimals: usize, no_value: &str) -> Option<String> {
        let (x, format): (f64, fn(f64, usize) -> String) = match self {
            Cell::Score(x) => (x, fixed),
            Cell::Change(x) => (x, signed),
            Cell::Rank(rank) => return Some(rank.to_string()),
            Cell::Count(count) => return Some(count.to_string()),
            Cell::Absent => return Some(no_value.to_string()),
            _ => return None,
        };
        Some(if x.is_finite() {
            format(x, decimals)
        } else {
            no_value.to_string()
        })
    }
}

/// One row: a unit, or the period's total.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Row<'a> {
    /// True for the total row.
    pub total: bool,
    /// One cell per heading.
    pub cells: Vec<Cell<'a>>,
}

/// The columns of every period's table.
pub(super) fn headings(report: &Report, lang: super::Lang) -> Vec<Heading<'_>> {
    let mut headings = vec![
        Heading::Rank,
        Heading::Unit(lang.unit_heading(&report.unit_heading)),
    ];
    if report.has_code {
        headings.push(Heading::Code);
    }
    for column in &report.area_columns {
        headings.push(Heading::Area(lang.unit_heading(column)));
    }
    if let Some(by) = &report.by {
        headings.push(Heading::AreaRank(lang.unit_heading(by)));
    }
    headings.push(Heading::Composite);
    if report.grades_composite() {
        headings.push(Heading::Grade);
    }
    headings.extend(
        report
            .dimensions
            .iter()
            .map(|d| Heading::Dimension(&d.name)),
    );
    headings.extend([Heading::Change, Heading::PctChange, Heading::RankChange]);
    if report.detail.dimensions {
        for dimension in &report.dimensions {
            headings.push(Heading::DimensionRank(&dimension.name));
            headings.push(Heading::DimensionChange(&dimension.name));
        }
    }
    if report.detail.groups {
        headings.extend(report.groups.iter().map(|g| Heading::Group(&g.name)));
    }
    headings.extend(
        report
            .graded_dimensions()
            .into_iter()
            .map(|d| Heading::DimensionGrade(&report.dimensions[d].name)),
    );
    if report.detail.rank_intervals {
        headings.extend([Heading::RankP05, Heading::RankP95]);
    }
    headings
}

/// The period's rows: its units in rank order, then the total if there is one.
pub(super) fn rows<'a>(report: &'a Report, period: &'a PeriodReport) -> Vec<Row<'a>> {
    let or_blank = |x: Option<f64>, cell: fn(f64) -> Cell<'a>| x.map_or(Cell::Absent, cell);
    let detail = report.detail.dimensions;
    let grades_composite = report.grades_composite();
    let graded = report.graded_dimensions();
    let mut rows: Vec<Row<'a>> = period
        .units
        .iter()
        .map(|unit| {
            let mut cells = vec![
                unit.rank.map_or(Cell::Blank, Cell::Rank),
                Cell::Name(&unit.unit),
            ];
            let labels = unit.labels.as_deref();
            if report.has_code {
                cells.push(
                    labels
                        .and_then(|l| l.code.as_deref())
                        .map_or(Cell::Absent, Cell::Name),
                );
            }
            for a in 0..report.area_columns.len() {
                let area = labels
                    .and_then(|l| l.areas.get(a))
                    .and_then(|a| a.as_deref());
                cells.push(area.map_or(Cell::Absent, Cell::Name));
            }
            if report.by.is_some() {
                cells.push(
                    labels
                        .and_then(|l| l.area_rank)
                        .map_or(Cell::Absent, Cell::Rank),
                );
            }
            cells.push(or_blank(unit.composite, Cell::Score));
            if grades_composite {
                cells.push(unit.grade(report).map_or(Cell::Absent, Cell::Name));
            }
            cells.extend(unit.dimensions.iter().map(|s| or_blank(*s, Cell::Score)));
            cells.extend([
                or_blank(unit.change, Cell::Change),
                or_blank(unit.pct_change, Cell::Change),
                unit.rank_change.map_or(Cell::Absent, Cell::RankChange),
            ]);
            for dimension in unit.dimension_detail() {
                cells.push(dimension.rank.map_or(Cell::Absent, Cell::Rank));
                cells.push(or_blank(dimension.change, Cell::Change));
            }
            for group in unit.group_detail() {
                cells.push(or_blank(group.score, Cell::Score));
            }
            let grades = unit.dimension_grades(report);
            for &d in &graded {
                cells.push(
                    grades
                        .get(d)
                        .copied()
                        .flatten()
                        .map_or(Cell::Absent, Cell::Name),
                );
            }
            if report.detail.rank_intervals {
                let interval = unit.rank_interval();
                cells.push(interval.map_or(Cell::Absent, |i| Cell::Rank(i.p05)));
                cells.push(interval.map_or(Cell::Absent, |i| Cell::Rank(i.p95)));
            }
            Row {
                total: false,
                cells,
            }
        })
        .collect();
    if let Some(total) = period.total {
        let mut cells = vec![Cell::Blank, Cell::TotalLabel];
        let label_columns = usize::from(report.has_code)
            + report.area_columns.len()
            + usize::from(report.by.is_some());
        cells.extend((0..label_columns).map(|_| Cell::Blank));
        cells.push(Cell::Score(total));
        if grades_composite {
            cells.push(Cell::Name(&period.grade_summary));
        }
        cells.extend(
            period
                .total_dimensions
                .iter()
                .map(|x| or_blank(*x, Cell::Score)),
        );
        cells.extend([
            or_blank(period.total_change, Cell::Change),
            or_blank(period.total_pct_change, Cell::Change),
            Cell::Blank,
        ]);
        if detail {
            for change in &period.total_dimension_changes {
                cells.push(Cell::Blank);
                cells.push(or_blank(*change, Cell::Change));
            }
        }
        if report.detail.groups {
            cells.extend(
                period
                    .total_groups
                    .iter()
                    .map(|x| or_blank(*x, Cell::Score)),
            );
        }
        cells.extend(graded.iter().map(|_| Cell::Blank));
        if report.detail.rank_intervals {
            cells.extend([Cell::Blank, Cell::Blank]);
        }
        rows.push(Row { total: true, cells });
    }
    rows
}

/// The columns of the areas' table (`score --by`): rank among areas, the
/// area, its units, its total and dimension figures, their changes.
pub(super) fn area_headings<'a>(
    report: &'a Report,
    by: &'a str,
    lang: super::Lang,
) -> Vec<Heading<'a>> {
    let mut headings = vec![
        Heading::Rank,
        Heading::Unit(lang.unit_heading(by)),
        Heading::Units,
        Heading::Composite,
    ];
    headings.extend(
        report
            .dimensions
            .iter()
            .map(|d| Heading::Dimension(&d.name)),
    );
    headings.extend([Heading::Change, Heading::PctChange, Heading::RankChange]);
    headings
}

/// The areas' rows of a period, in rank order among areas.
pub(super) fn area_rows<'a>(period: &'a PeriodReport) -> Vec<Row<'a>> {
    let or_blank = |x: Option<f64>, cell: fn(f64) -> Cell<'a>| x.map_or(Cell::Absent, cell);
    period
        .areas
        .iter()
        .map(|area| {
            let mut cells = vec![
                area.rank.map_or(Cell::Blank, Cell::Rank),
                Cell::Name(&area.label),
                Cell::Count(area.units),
                or_blank(area.total, Cell::Score),
            ];
            cells.extend(area.dimensions.iter().map(|s| or_blank(*s, Cell::Score)));
            cells.extend([
                or_blank(area.change, Cell::Change),
                or_blank(area.pct_change, Cell::Change),
                area.rank_change.map_or(Cell::Absent, Cell::RankChange),
            ]);
            Row {
                total: false,
                cells,
            }
        })
        .collect()
}
