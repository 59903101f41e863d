//! CSV at full precision: `period,rank,unit,composite,<dimension ids>,change,pct_change,rank_change`.
//!
//! One row per unit and period, nothing else by default, so scripts can read
//! it as a plain table; `--total-row` adds each period's total (unit `total`,
//! no rank) after its units, and `--detail dimensions` adds
//! `<dimension id>_rank,<dimension id>_change` per dimension at the end.
//! `--detail indicators` writes the long indicator table instead:
//! `period,rank,unit,dimension,indicator,raw,score,global_weight,filled`,
//! where `global_weight` is the indicator's share of that unit's composite
//! (renormalised over the cells present) and `filled` names the rule that
//! filled the cell, if one did.
//!
//! The output is written period by period, and a large period renders in
//! parallel: its rows are cut into one contiguous run per core, each
//! rendered into its own buffer, and the buffers written in order, so the
//! bytes are those of a single pass and only one period's text is held. Numbers are written as
//! the shortest text that reads back as the same f64 (`{}`, or `{:e}` for a
//! very large or small one), which is most of the time; the rest avoids the
//! formatting machinery.
//!
//! A text cell (unit, period, dimension id) that a spreadsheet would run as a
//! formula — one beginning with `=`, `+`, `-`, `@`, tab or carriage return —
//! is written with a `'` before it, as OWASP recommends against CSV
//! injection, unless it is a plain number; a cell holding `;` (the separator
//! in many locales) is quoted so that no part of it becomes a cell of its
//! own. Numbers are never touched. `raw` writes text exactly as read.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::Exporter;
use super::error::ExportError;
use crate::parallel;
use crate::report::{PeriodReport, Report, UnitRow};

/// Renders CSV; absent values (and any that are not finite numbers) are
/// empty fields.
pub struct CsvExporter {
    /// Write text cells exactly as read, without neutralising formulas.
    pub raw: bool,
    /// Add each period's total as a row after its units.
    pub total_row: bool,
}

/// The label of the total row in the unit column.
const TOTAL_LABEL: &str = "total";

impl Exporter for CsvExporter {
    /// With the total row, a unit named `total` would give a period two rows
    /// labelled `total`, and a script reading by unit the wrong one.
    fn check(&self, report: &Report) -> Result<(), ExportError> {
        report
            .periods
            .iter()
            .try_for_each(|period| self.check_period(report, period))
    }

    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        // Never an ambiguous file, also for a caller that did not check.
        self.check(report)
            .map_err(|e| io::Error::other(e.problem().message))?;
        self.write_each(report, report.periods.iter().map(Cow::Borrowed), out)
    }

    fn streams(&self) -> bool {
        true
    }

    /// A unit named `total` beside a total or area row is refused when its
    /// period comes, after the periods before it were written: callers
    /// writing to standard output check for such a unit first.
    fn write_periods(
        &self,
        report: &Report,
        periods: &mut dyn Iterator<Item = PeriodReport>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        self.write_each(report, periods.map(Cow::Owned), out)
    }
}

impl CsvExporter {
    /// Writes the header, then each period's rows as soon as they render.
    fn write_each<'r>(
        &self,
        report: &Report,
        periods: impl Iterator<Item = Cow<'r, PeriodReport>>,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if report.detail.indicators {
            let labels = LabelColumns {
                by: None,
                ..LabelColumns::of(report)
            };
            let mut header = INDICATOR_HEADER.trim_end().to_string();
            labels.push_header(&mut header, report, self.raw);
            header.push('\n');
            out.write_all(header.as_bytes())?;
            for period in periods {
                write_indicator_rows(report, &period, &labels, self.raw, out)?;
            }
            return Ok(());
        }
        out.write_all(self.header(report).as_bytes())?;
        let grades = GradeColumns::of(report);
        let labels = LabelColumns::of(report);
        let columns = Columns {
            raw: self.raw,
            total_row: self.total_row,
            grades: &grades,
            intervals: report.detail.rank_intervals,
            labels: &labels,
            dimension_detail: report.detail.dimensions,
            group_detail: if report.detail.groups {
                report.groups.len()
            } else {
                0
            },
        };
        // Small periods are gathered until there are rows enough for every
        // core: a monthly panel of many small periods renders in parallel too.
        let mut batch: Vec<Cow<'r, PeriodReport>> = Vec::new();
        let mut rows = 0;
        for period in periods {
            self.check_period(report, &period)
                .map_err(|e| io::Error::other(e.problem().message))?;
            rows += period.units.len();
            batch.push(period);
            if rows >= parallel::PARALLEL_ROWS {
                write_batch(&batch, rows, &columns, out)?;
                batch.clear();
                rows = 0;
            }
        }
        write_batch(&batch, rows, &columns, out)?;
        Ok(())
    }

    /// A period whose total or area rows would sit beside a unit named `total`.
    fn check_period(&self, report: &Report, period: &PeriodReport) -> Result<(), ExportError> {
        if !(self.total_row || report.by.is_some()) || report.detail.indicators {
            return Ok(());
        }
        let option = if !period.areas.is_empty() {
            "--by"
        } else if self.total_row && period.total.is_some() {
            "--total-row"
        } else {
            return Ok(());
        };
        if period.units.iter().any(|u| &*u.unit == TOTAL_LABEL) {
            return Err(ExportError::UnitNamedTotal {
                label: TOTAL_LABEL.to_string(),
                period: period.period.clone(),
                option,
            });
        }
        Ok(())
    }

    /// The header line of the ranked table.
    fn header(&self, report: &Report) -> String {
        let raw = self.raw;
        let mut header = String::from("period,rank,unit,composite");
        for dimension in &report.dimensions {
            header.push(',');
            push_field(&mut header, &dimension.id, raw);
        }
        header.push_str(",change,pct_change,rank_change");
        let grades = GradeColumns::of(report);
        if grades.composite {
            header.push_str(",grade");
        }
        for &d in &grades.dimensions {
            header.push(',');
            push_field(
                &mut header,
                &format!("{}_grade", report.dimensions[d].id),
                raw,
            );
        }
        if report.detail.dimensions {
            for dimension in &report.dimensions {
                for suffix in ["_rank", "_change"] {
                    header.push(',');
                    push_field(&mut header, &format!("{}{suffix}", dimension.id), raw);
                }
            }
        }
        if report.detail.groups {
            for group in &report.groups {
                header.push(',');
                push_field(&mut header, &group.id, raw);
            }
        }
        if report.detail.rank_intervals {
            header.push_str(",rank_p05,rank_p95");
        }
        LabelColumns::of(report).push_header(&mut header, report, raw);
        header.push('\n');
        header
    }
}

/// Renders consecutive periods holding `rows` units in all, in one
/// contiguous run per core, and writes the runs in order.
fn write_batch(
    batch: &[Cow<'_, PeriodReport>],
    rows: usize,
    columns: &Columns<'_>,
    out: &mut dyn Write,
) -> io::Result<()> {
    // Each period's label as a field, quoted if need be, once per period.
    let periods: Vec<(String, &PeriodReport)> = batch
        .iter()
        .map(|period| {
            let mut field = String::new();
            push_field(&mut field, &period.period, columns.raw);
            (field, &**period)
        })
        .collect();
    let runs = split(&periods, rows, parallel::threads_for(rows));
    let indices: Vec<usize> = (0..runs.len()).collect();
    let parts = parallel::map(runs.len(), &indices, |&i| {
        render_rows("", &runs[i], columns)
    });
    for part in parts {
        out.write_all(part.as_bytes())?;
    }
    Ok(())
}

/// Which grade columns the CSV has: `grade`, and `<dimension>_grade`.
#[derive(Default)]
struct GradeColumns {
    composite: bool,
    dimensions: Vec<usize>,
    /// The bands' labels, in the report's order.
    labels: Vec<String>,
}

impl GradeColumns {
    fn of(report: &Report) -> GradeColumns {
        GradeColumns {
            composite: report.grades_composite(),
            dimensions: report.graded_dimensions(),
            labels: report.grades.iter().map(|g| g.label.clone()).collect(),
        }
    }

    fn label(&self, band: Option<u16>) -> Option<&str> {
        band.map(|b| self.labels[b as usize].as_str())
    }
}

/// Consecutive rows of the report: (period field, some of its units, the
/// period when these units end it), in order.
type Run<'a> = Vec<(&'a str, &'a [UnitRow], Option<&'a PeriodReport>)>;

/// Cuts the rows, in order, into at most `parts` runs of nearly equal length.
fn split<'a>(periods: &'a [(String, &'a PeriodReport)], rows: usize, parts: usize) -> Vec<Run<'a>> {
    let per_part = rows.div_ceil(parts.max(1)).max(1);
    let mut runs = vec![Vec::new()];
    let mut filled = 0;
    for (field, period) in periods {
        let mut units = &period.units[..];
        if units.is_empty() {
            runs.last_mut()
                .expect("one run")
                .push((field.as_str(), units, Some(*period)));
        }
        while !units.is_empty() {
            if filled == per_part {
                runs.push(Vec::new());
                filled = 0;
            }
            let take = units.len().min(per_part - filled);
            let (head, tail) = units.split_at(take);
            let ends = tail.is_empty().then_some(*period);
            runs.last_mut()
                .expect("one run")
                .push((field.as_str(), head, ends));
            filled += take;
            units = tail;
        }
    }
    runs
}

/// The optional columns every row has.
struct Columns<'a> {
    raw: bool,
    total_row: bool,
    grades: &'a GradeColumns,
    /// Each unit's rank interval (empty for the total).
    intervals: bool,
    labels: &'a LabelColumns,
    /// `<dimension>_rank,<dimension>_change` columns (`--detail dimensions`).
    dimension_detail: bool,
    /// Group score columns (`--detail groups`): how many.
    group_detail: usize,
}

/// The code, area and within-area rank columns, at the end of each row.
struct LabelColumns {
    code: bool,
    areas: usize,
    /// The `--by` column's position among the areas.
    by: Option<usize>,
}

impl LabelColumns {
    fn of(report: &Report) -> LabelColumns {
        LabelColumns {
            code: report.has_code,
            areas: report.area_columns.len(),
            by: report
                .by
                .as_ref()
                .and_then(|by| report.area_columns.iter().position(|c| c == by)),
        }
    }

    /// `,code`, a column per area, `,<by>_rank`: as many as the rows have.
    fn push_header(&self, header: &mut String, report: &Report, raw: bool) {
        if self.code {
            header.push_str(",code");
        }
        for column in &report.area_columns {
            header.push(',');
            push_field(header, column, raw);
        }
        if let (Some(by), Some(_)) = (&report.by, self.by) {
            header.push(',');
            push_field(header, &format!("{by}_rank"), raw);
        }
    }

    fn push_unit(&self, out: &mut String, unit: &UnitRow, raw: bool) {
        let labels = unit.labels.as_deref();
        if self.code {
            out.push(',');
            if let Some(code) = labels.and_then(|l| l.code.as_deref()) {
                push_field(out, code, raw);
            }
        }
        for a in 0..self.areas {
            out.push(',');
            if let Some(area) = labels.and_then(|l| l.areas.get(a).cloned().flatten()) {
                push_field(out, &area, raw);
            }
        }
        if self.by.is_some() {
            out.push(',');
            if let Some(rank) = labels.and_then(|l| l.area_rank) {
                push_integer(out, i64::from(rank));
            }
        }
    }

    /// Empty label cells (the city total's), or an area's name (with the
    /// areas it lies in, in their columns) and rank.
    fn push_total(&self, out: &mut String, area: Option<&crate::report::AreaTotal>, raw: bool) {
        if self.code {
            out.push(',');
        }
        for a in 0..self.areas {
            out.push(',');
            let name = area.and_then(|area| match Some(a).cmp(&self.by) {
                std::cmp::Ordering::Less => area.within.get(a).cloned().flatten(),
                std::cmp::Ordering::Equal => Some(area.area.clone()),
                std::cmp::Ordering::Greater => None,
            });
            if let Some(name) = name {
                push_field(out, &name, raw);
            }
        }
        if self.by.is_some() {
            out.push(',');
            if let Some(rank) = area.and_then(|area| area.rank) {
                push_integer(out, i64::from(rank));
            }
        }
    }
}

/// `header`, then the rows of `run` as CSV lines.
fn render_rows(header: &str, run: &Run<'_>, columns: &Columns<'_>) -> String {
    let &Columns {
        raw,
        total_row,
        grades,
        intervals,
        labels,
        ..
    } = columns;
    let rows: usize = run.iter().map(|(_, units, _)| units.len()).sum();
    // A Kunming row is about 135 bytes; growing past this is cheap anyway.
    let mut out = String::with_capacity(header.len() + rows * 136);
    out.push_str(header);
    for &(period, units, ends) in run {
        for unit in units {
            out.push_str(period);
            out.push(',');
            if let Some(rank) = unit.rank {
                push_integer(&mut out, i64::from(rank));
            }
            out.push(',');
            push_field(&mut out, &unit.unit, raw);
            push_number(&mut out, unit.composite);
            for score in &unit.dimensions {
                push_number(&mut out, *score);
            }
            push_number(&mut out, unit.change);
            push_number(&mut out, unit.pct_change);
            out.push(',');
            if let Some(change) = unit.rank_change {
                push_integer(&mut out, change);
            }
            if grades.composite {
                out.push(',');
                let band = unit.grades.as_ref().and_then(|g| g.composite);
                if let Some(label) = grades.label(band) {
                    push_field(&mut out, label, raw);
                }
            }
            for &d in &grades.dimensions {
                out.push(',');
                let band = unit
                    .grades
                    .as_ref()
                    .and_then(|g| g.dimensions.get(d).copied().flatten());
                if let Some(label) = grades.label(band) {
                    push_field(&mut out, label, raw);
                }
            }
            for detail in unit.dimension_detail() {
                out.push(',');
                if let Some(rank) = detail.rank {
                    push_integer(&mut out, i64::from(rank));
                }
                push_number(&mut out, detail.change);
            }
            for group in unit.group_detail() {
                push_number(&mut out, group.score);
            }
            if intervals {
                let interval = unit.rank_interval();
                for rank in [interval.map(|i| i.p05), interval.map(|i| i.p95)] {
                    out.push(',');
                    if let Some(rank) = rank {
                        push_integer(&mut out, i64::from(rank));
                    }
                }
            }
            labels.push_unit(&mut out, unit, raw);
            out.push('\n');
        }
        if let Some(period_report) = ends {
            for area in &period_report.areas {
                push_area(&mut out, period, area, columns);
            }
        }
        if let Some(period_report) = ends.filter(|p| total_row && p.total.is_some()) {
            push_total(&mut out, period, period_report, columns);
            labels.push_total(&mut out, None, raw);
            out.push('\n');
        }
    }
    out
}

/// An area's figures as a row (`score --by`): unit `total`, the area's
/// name in its column and its rank among areas in the `<column>_rank`
/// column; the detail, group and grade columns are empty.
fn push_area(
    out: &mut String,
    period: &str,
    area: &crate::report::AreaTotal,
    columns: &Columns<'_>,
) {
    out.push_str(period);
    out.push_str(",,");
    out.push_str(TOTAL_LABEL);
    push_number(out, area.total);
    for figure in &area.dimensions {
        push_number(out, *figure);
    }
    push_number(out, area.change);
    push_number(out, area.pct_change);
    out.push(',');
    if let Some(change) = area.rank_change {
        push_integer(out, change);
    }
    if columns.grades.composite {
        out.push(',');
    }
    for _ in &columns.grades.dimensions {
        out.push(',');
    }
    let detail_cells = if columns.dimension_detail {
        2 * area.dimensions.len()
    } else {
        0
    };
    for _ in 0..detail_cells + columns.group_detail {
        out.push(',');
    }
    if columns.intervals {
        out.push_str(",,");
    }
    columns.labels.push_total(out, Some(area), columns.raw);
    out.push('\n');
}

/// The period's total as a row: no rank, unit `total`, the city figure and
/// its dimension figures, its changes; dimension detail columns hold the
/// dimension figures' changes (no rank), group columns the group figures;
/// the rank interval columns, when there are any, are empty (no rank).
fn push_total(out: &mut String, period: &str, report: &PeriodReport, columns: &Columns<'_>) {
    let &Columns {
        raw,
        grades,
        intervals,
        dimension_detail,
        group_detail,
        ..
    } = columns;
    out.push_str(period);
    out.push_str(",,");
    out.push_str(TOTAL_LABEL);
    push_number(out, report.total);
    for figure in &report.total_dimensions {
        push_number(out, *figure);
    }
    push_number(out, report.total_change);
    push_number(out, report.total_pct_change);
    out.push(',');
    // The grade column holds the counts per band; dimension grades none.
    if grades.composite {
        out.push(',');
        push_field(out, &report.grade_summary, raw);
    }
    for _ in &grades.dimensions {
        out.push(',');
    }
    if dimension_detail {
        for change in &report.total_dimension_changes {
            out.push(',');
            push_number(out, *change);
        }
    }
    if group_detail > 0 {
        for figure in &report.total_groups {
            push_number(out, *figure);
        }
    }
    if intervals {
        out.push_str(",,");
    }
}

/// The header of the long indicator table.
const INDICATOR_HEADER: &str =
    "period,rank,unit,dimension,indicator,raw,score,global_weight,filled\n";

/// One period of the long indicator table: one row per unit and indicator,
/// written a unit at a time once a megabyte is rendered (a period of the
/// long table is its rows times the indicators: 400 MB for 100,000 units
/// and 46 indicators).
fn write_indicator_rows(
    report: &Report,
    period: &PeriodReport,
    labels: &LabelColumns,
    raw: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    const CHUNK: usize = 1 << 20;
    let mut text = String::with_capacity(CHUNK + 4096);
    let mut field = String::new();
    push_field(&mut field, &period.period, raw);
    for unit in &period.units {
        for (info, cell) in report.indicators.iter().zip(unit.indicator_cells()) {
            text.push_str(&field);
            text.push(',');
            if let Some(rank) = unit.rank {
                push_integer(&mut text, i64::from(rank));
            }
            text.push(',');
            push_field(&mut text, &unit.unit, raw);
            text.push(',');
            push_field(&mut text, &info.dimension, raw);
            text.push(',');
            push_field(&mut text, &info.id, raw);
            push_number(&mut text, cell.raw);
            push_number(&mut text, cell.score);
            push_number(&mut text, Some(cell.weight));
            text.push(',');
            if let Some(rule) = cell.filled {
                text.push_str(&rule.to_string());
            }
            labels.push_unit(&mut text, unit, raw);
            text.push('\n');
        }
        if text.len() >= CHUNK {
            out.write_all(text.as_bytes())?;
            text.clear();
        }
    }
    out.write_all(text.as_bytes())
}

/// `,` then the shortest text that reads back as the same f64: `0` for
/// either zero (never `-0`), nothing for a value that is not finite.
///
/// `{}` never uses an exponent, so 1e-300 would be 300 digits: outside
/// 1e-7 ≤ |x| < 1e21 the exponent form (`1e-300`, `2.5e21`) is written,
/// which spreadsheets and CSV readers read back exactly too.
fn push_number(out: &mut String, value: Option<f64>) {
    out.push(',');
    match value {
        // A float pattern compares with ==, so it matches -0 too.
        Some(0.0) => out.push('0'),
        Some(value) if (1e-7..1e21).contains(&value.abs()) => {
            let _ = write!(out, "{value}");
        }
        Some(value) if value.is_finite() => {
            let _ = write!(out, "{value:e}");
        }
        _ => {}
    }
}

/// An integer as `{}` writes it, without the formatting machinery.
fn push_integer(out: &mut String, value: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = value.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if value < 0 {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&digits[at..]).expect("ASCII digits"));
}

/// Pushes `text` as one CSV field, as the CSV output writes text cells:
/// quoted when it holds a comma, quote or line break (or, unless `raw`, a
/// `;`), and unless `raw` with `'` before a formula (see [`is_formula`]).
pub fn push_field(out: &mut String, text: &str, raw: bool) {
    // Bytes, not chars: these ASCII bytes never occur inside a multi-byte
    // UTF-8 sequence, and a byte scan is what a million unit names need.
    let special = text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r') || (b == b';' && !raw));
    let quote = special || text.starts_with(' ') || text.ends_with(' ');
    if quote {
        out.push('"');
    }
    if !raw && is_formula(text) {
        out.push('\'');
    }
    if quote {
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// True when a spreadsheet would take `text` for a formula: it begins with
/// `=`, `+`, `-`, `@`, tab or carriage return and is not a plain number such
/// as `-1.5`. [`push_field`] writes such a text with a `'` before it.
pub fn is_formula(text: &str) -> bool {
    let Some(&first) = text.as_bytes().first() else {
        return false;
    };
    if !matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') {
        return false;
    }
    // `-1.5` and `+2` are numbers, but `-inf` and `+NaN` are text to Excel.
    let plain_number = matches!(first, b'+' | b'-')
        && text[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && text.parse::<f64>().is_ok();
    !plain_number
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let mut out = String::new();
        push_field(&mut out, "A, \"B\"", false);
        assert_eq!(out, "\"A, \"\"B\"\"\"");
    }

    fn field(text: &str, raw: bool) -> String {
        let mut out = String::new();
        push_field(&mut out, text, raw);
        out
    }

    #[test]
    fn formulas_in_text_cells_are_neutralised() {
        assert_eq!(field("=1+2", false), "'=1+2");
        assert_eq!(field("+cmd|' /C calc'!A0", false), "'+cmd|' /C calc'!A0");
        assert_eq!(field("-2+3", false), "'-2+3");
        assert_eq!(field("@SUM(A1)", false), "'@SUM(A1)");
        assert_eq!(field("\t=1", false), "'\t=1");
        assert_eq!(field("\r=1", false), "\"'\r=1\"");
        assert_eq!(
            field("=HYPERLINK(\"x\",\"y\")", false),
            "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""
        );
        assert_eq!(field("-inf", false), "'-inf");
        assert_eq!(field("a;=1+2", false), "\"a;=1+2\"");
        // Plain numbers and ordinary names are left alone.
        assert_eq!(field("-1.5", false), "-1.5");
        assert_eq!(field("+2", false), "+2");
        assert_eq!(field("五华区", false), "五华区");
        assert_eq!(field("a-b", false), "a-b");
        // --raw writes text as read.
        assert_eq!(field("=1+2", true), "=1+2");
        assert_eq!(field("a;b", true), "a;b");
    }

    #[test]
    fn numbers_are_never_negative_zero_or_infinite() {
        let mut out = String::new();
        for value in [
            Some(-0.0),
            Some(0.0),
            Some(-1.5),
            Some(f64::INFINITY),
            Some(f64::NAN),
            None,
        ] {
            push_number(&mut out, value);
        }
        assert_eq!(out, ",0,0,-1.5,,,");
    }

    #[test]
    fn numbers_are_short_at_any_size() {
        let text = |x: f64| {
            let mut out = String::new();
            push_number(&mut out, Some(x));
            out[1..].to_string()
        };
        assert_eq!(text(1e-300), "1e-300");
        assert_eq!(text(-2.5e21), "-2.5e21");
        assert_eq!(text(5e-324), "5e-324");
        assert_eq!(text(f64::MAX), "1.7976931348623157e308");
        // Inside the range, as before.
        assert_eq!(text(1e-7), "0.0000001");
        assert_eq!(text(9.99e20), "999000000000000000000");
        assert_eq!(text(81.46), "81.46");
        for x in [
            1e-300,
            -2.5e21,
            5e-324,
            f64::MAX,
            1e-7,
            9.99e20,
            1.0 / 3.0,
            1e-8,
        ] {
            let shown = text(x);
            assert!(shown.len() <= 24, "{shown}");
            assert_eq!(shown.parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn integers_print_as_display_does() {
        for value in [0, 1, -1, 9, 10, -10, 4_294_967_295, i64::MIN, i64::MAX] {
            let mut out = String::new();
            push_integer(&mut out, value);
            assert_eq!(out, value.to_string());
        }
    }

    fn unit(rank: u32) -> UnitRow {
        UnitRow {
            rank: Some(rank),
            unit: Arc::from(format!("U{rank}").as_str()),
            composite: Some(f64::from(rank) / 3.0),
            dimensions: vec![Some(0.1), None],
            change: None,
            pct_change: Some(-0.0),
            rank_change: Some(-2),
            grades: None,
            detail: None,
            labels: None,
        }
    }

    #[test]
    fn a_unit_named_total_clashes_with_the_total_row() {
        let mut report = Report {
            name: "T".into(),
            title: "T".into(),
            decimals: 2,
            unit_heading: "unit".into(),
            method: crate::definition::Method::default(),
            overrides: Vec::new(),
            dimensions: Vec::new(),
            groups: Vec::new(),
            grades: Vec::new(),
            indicators: Vec::new(),
            changes: crate::report::Changes::Level,
            detail: crate::report::Detail::default(),
            filled: Vec::new(),
            area_columns: Vec::new(),
            has_code: false,
            by: None,
            periods: vec![PeriodReport {
                period: "2019".into(),
                total: Some(1.0),
                total_change: None,
                total_pct_change: None,
                total_dimensions: Vec::new(),
                total_dimension_changes: Vec::new(),
                total_groups: Vec::new(),
                total_group_changes: Vec::new(),
                grade_counts: Vec::new(),
                grade_summary: String::new(),
                areas: Vec::new(),
                units: vec![unit(1), unit(2)],
            }],
        };
        report.periods[0].units[1].unit = Arc::from("total");
        let exporter = |total_row| CsvExporter {
            raw: false,
            total_row,
        };
        let error = exporter(true).check(&report).unwrap_err();
        assert!(matches!(
            &error,
            ExportError::UnitNamedTotal { period, .. } if period == "2019"
        ));
        // write refuses too, so no caller gets an ambiguous file.
        assert!(exporter(true).write(&report, &mut Vec::new()).is_err());
        assert!(exporter(false).check(&report).is_ok());
        // No total, no total row, no clash.
        report.periods[0].total = None;
        assert!(exporter(true).check(&report).is_ok());
    }

    /// The rows, cut into any number of runs, join to the same bytes.
    #[test]
    fn split_keeps_every_row_in_order() {
        let periods: Vec<PeriodReport> = [3u32, 0, 5, 1]
            .iter()
            .enumerate()
            .map(|(p, &n)| PeriodReport {
                period: format!("P,{p}"),
                total: (p % 2 == 0).then_some(50.0),
                total_change: None,
                total_pct_change: None,
                total_dimensions: vec![Some(1.0), None],
                total_dimension_changes: Vec::new(),
                total_groups: Vec::new(),
                total_group_changes: Vec::new(),
                grade_counts: Vec::new(),
                grade_summary: String::new(),
                areas: Vec::new(),
                units: (1..=n).map(unit).collect(),
            })
            .collect();
        let fields: Vec<(String, &PeriodReport)> = periods
            .iter()
            .map(|p| {
                let mut field = String::new();
                push_field(&mut field, &p.period, false);
                (field, p)
            })
            .collect();
        let columns = Columns {
            raw: false,
            total_row: true,
            grades: &GradeColumns::default(),
            intervals: false,
            labels: &LabelColumns {
                code: false,
                areas: 0,
                by: None,
            },
            dimension_detail: false,
            group_detail: 0,
        };
        let whole = render_rows("", &split(&fields, 9, 1)[0], &columns);
        assert!(whole.starts_with("\"P,0\",1,U1,0.3333333333333333,0.1,,,0,-2\n"));
        // Nine units, and the totals of the two periods that have one.
        assert_eq!(whole.lines().count(), 11);
        assert!(
            whole.contains("\n\"P,0\",,total,50,1,,,,\n\"P,2\",1,"),
            "{whole}"
        );
        for parts in 1..=12 {
            let runs = split(&fields, 9, parts);
            assert!(runs.len() <= parts);
            let joined: String = runs
                .iter()
                .map(|run| render_rows("", run, &columns))
                .collect();
            assert_eq!(joined, whole, "{parts} parts");
        }
    }
}
