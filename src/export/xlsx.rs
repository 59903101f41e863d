//! An Excel workbook a report can use as it is (`--format xlsx`): one sheet
//! per period with the ranked table, a `total` sheet with the city and
//! dimension figures by period, a `method` sheet with the definition as used
//! and, with `--detail indicators`, an `indicators` sheet (the long table).
//!
//! Numbers are stored at full precision and shown to the definition's
//! decimals by a number format, so that a reader who sums or charts them
//! works on the numbers of the JSON, not on rounded text. Names are written
//! as text cells, never as formulas, so a unit called `=1+2` stays a name.

use std::io::{self, Write};

use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, Format as Style, FormatBorder,
    Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::layout::{self, Cell, Heading};
use super::{ExportError, Exporter, Lang, Words, arrow, fixed, signed};
use crate::definition::GradeTarget;
use crate::report::{PeriodReport, Report};

/// Rows in one Excel sheet, the header included.
pub const MAX_ROWS: usize = 1_048_576;
/// Columns in one Excel sheet.
pub const MAX_COLUMNS: usize = 16_384;
/// Characters (UTF-16 units) in one Excel cell.
pub const MAX_TEXT: usize = 32_767;
/// Characters (UTF-16 units) in a sheet name.
const SHEET_NAME: usize = 31;
/// The sheets after the periods' (in English whatever `--lang`: scripts
/// look them up by name).
const FIXED_SHEETS: [&str; 3] = ["total", "method", "indicators"];
/// The widest a column is made, in Excel's character units.
const MAX_WIDTH: usize = 60;

/// Renders the report as an `.xlsx` workbook.
pub struct XlsxExporter {
    /// The language of headings and labels (sheet names stay English).
    pub lang: Lang,
}

impl Exporter for XlsxExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let bytes = workbook(report, self.lang).map_err(io::Error::other)?;
        out.write_all(&bytes)
    }

    fn check(&self, report: &Report) -> Result<(), ExportError> {
        check_limits(report, self.lang)
    }
}

/// The workbook's bytes.
fn workbook(report: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new(report.decimals);
    let mut book = Workbook::new();
    // The fixed names are kept for their sheets: a period called `Total`
    // gets `Total (2)`, so scripts always find the `total` sheet.
    let mut names = SheetNames {
        taken: FIXED_SHEETS.iter().map(|s| s.to_string()).collect(),
    };
    for period in &report.periods {
        let sheet = book.add_worksheet();
        sheet.set_name(names.claim(&period.period))?;
        period_sheet(sheet, report, period, lang, &styles)?;
    }
    let [total, method, indicators] = FIXED_SHEETS;
    let sheet = book.add_worksheet();
    sheet.set_name(total)?;
    total_sheet(sheet, report, lang, &styles)?;
    let sheet = book.add_worksheet();
    sheet.set_name(method)?;
    method_sheet(sheet, report, lang, &styles)?;
    if report.detail.indicators {
        let sheet = book.add_worksheet();
        sheet.set_name(indicators)?;
        indicator_sheet(sheet, report, lang, &styles)?;
    }
    book.save_to_buffer()
}

/// Refuses a report that does not fit Excel's limits (rows, columns, text
/// in a cell), before anything is written.
fn check_limits(report: &Report, lang: Lang) -> Result<(), ExportError> {
    let too_big = |what: String| Err(ExportError::TooBigForExcel { what });
    let columns = layout::headings(report, lang).len();
    if columns > MAX_COLUMNS {
        return too_big(format!(
            "the ranked table has {columns} columns, more than Excel's {MAX_COLUMNS}"
        ));
    }
    for period in &report.periods {
        let rows = period.units.len() + 2 + period.areas.len() + 2;
        if rows > MAX_ROWS {
            return too_big(format!(
                "period {} has {} units, more than an Excel sheet's {MAX_ROWS} rows hold",
                period.period,
                period.units.len()
            ));
        }
        if let Some(unit) = period
            .units
            .iter()
            .find(|u| u.unit.encode_utf16().count() > MAX_TEXT)
        {
            let start: String = unit.unit.chars().take(20).collect();
            return too_big(format!(
                "the unit name beginning `{start}` is longer than the {MAX_TEXT} characters an Excel cell holds"
            ));
        }
    }
    if report.detail.indicators {
        let rows: usize = report
            .periods
            .iter()
            .map(|p| p.units.len().saturating_mul(report.indicators.len()))
            .fold(1, usize::saturating_add);
        if rows > MAX_ROWS {
            return too_big(format!(
                "the indicator sheet would have {rows} rows, more than Excel's {MAX_ROWS}"
            ));
        }
    }
    Ok(())
}

/// The cell formats of the workbook, made once.
struct Styles {
    header: Style,
    text: Style,
    rank: Style,
    score: Style,
    change: Style,
    rank_change: Style,
    weight: Style,
    number: Style,
    total_text: Style,
    total_score: Style,
    total_change: Style,
    section: Style,
    up: Style,
    down: Style,
}

impl Styles {
    fn new(decimals: usize) -> Styles {
        let (fixed, signed) = number_formats(decimals);
        let total = Style::new().set_bold().set_border_top(FormatBorder::Thin);
        Styles {
            header: Style::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            text: Style::new(),
            rank: Style::new().set_num_format("0"),
            score: Style::new().set_num_format(&fixed),
            change: Style::new().set_num_format(&signed),
            rank_change: Style::new().set_num_format("\"↑\"0;\"↓\"0;\"=\""),
            weight: Style::new().set_num_format("0.0000"),
            number: Style::new(),
            total_text: total.clone(),
            total_score: total.clone().set_num_format(&fixed),
            total_change: total.set_num_format(&signed),
            section: Style::new().set_bold(),
            up: Style::new().set_font_color(Color::RGB(0x1A7F37)),
            down: Style::new().set_font_color(Color::RGB(0xC62828)),
        }
    }
}

/// The number formats of a score and of a change shown to `decimals`
/// (Excel shows at most 30).
fn number_formats(decimals: usize) -> (String, String) {
    let fixed = if decimals == 0 {
        "0".to_string()
    } else {
        format!("0.{}", "0".repeat(decimals.min(30)))
    };
    // Positive; negative; zero — the sign as the table shows it.
    let signed = format!("+{fixed};-{fixed};{fixed}");
    (fixed, signed)
}

/// Sheet names as Excel takes them: at most 31 characters, none of
/// `[ ] : * ? / \`, no `'` at either end, unique without regard to case.
struct SheetNames {
    /// The names given so far, in lower case.
    taken: Vec<String>,
}

impl SheetNames {
    /// A valid sheet name for `wanted`, not yet taken; marks it taken.
    fn claim(&mut self, wanted: &str) -> String {
        let base = sheet_name(wanted);
        let mut name = base.clone();
        let mut n = 2;
        while self.is_taken(&name) {
            let suffix = format!(" ({n})");
            name = format!(
                "{}{suffix}",
                cut_utf16(&base, SHEET_NAME - suffix.encode_utf16().count())
            );
            n += 1;
        }
        self.taken.push(name.to_lowercase());
        name
    }

    fn is_taken(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        // Excel keeps `History` for itself.
        lower == "history" || self.taken.contains(&lower)
    }
}

/// `wanted` with the characters Excel refuses in a sheet name replaced by
/// `_` and cut to 31 characters; `_` for an empty name.
fn sheet_name(wanted: &str) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cut = cut_utf16(cleaned.trim(), SHEET_NAME);
    let trimmed = cut.trim_matches('\'');
    if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The longest start of `text` of at most `max` UTF-16 units, as Excel counts.
fn cut_utf16(text: &str, max: usize) -> String {
    let mut used = 0;
    text.chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= max
        })
        .collect()
}

/// Column widths that fit what the column shows, a CJK character counting 2.
#[derive(Default)]
struct Widths(Vec<usize>);

impl Widths {
    fn fit(&mut self, column: usize, shown: &str) {
        if self.0.len() <= column {
            self.0.resize(column + 1, 0);
        }
        let width = shown.lines().map(UnicodeWidthStr::width).max().unwrap_or(0);
        self.0[column] = self.0[column].max(width);
    }

    fn apply(&self, sheet: &mut Worksheet) -> Result<(), XlsxError> {
        for (column, &width) in self.0.iter().enumerate() {
            let width = (width + 2).clamp(6, MAX_WIDTH);
            sheet.set_column_width(column as u16, width as f64)?;
        }
        Ok(())
    }
}

/// Writes a header row at row 0 and freezes it.
fn header_row(
    sheet: &mut Worksheet,
    headings: &[String],
    styles: &Styles,
    widths: &mut Widths,
) -> Result<(), XlsxError> {
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, heading, &styles.header)?;
        // A heading may wrap once: it need not set the width alone.
        widths.fit(column, &heading_line(heading));
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The part of a heading that sets its column's width: all of it when
/// short, else its first half (the header row wraps).
fn heading_line(heading: &str) -> String {
    let chars: Vec<char> = heading.chars().collect();
    if heading.width() <= 12 {
        return heading.to_string();
    }
    chars[..chars.len().div_ceil(2)].iter().collect()
}

/// One period's ranked table, as the table shows it.
fn period_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    period: &PeriodReport,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let words = lang.words();
    let headings = layout::headings(report, lang);
    let texts: Vec<String> = headings.iter().map(|h| heading_text(*h, words)).collect();
    let mut widths = Widths::default();
    header_row(sheet, &texts, styles, &mut widths)?;
    let rows = layout::rows(report, period);
    let table = TableCells {
        decimals: report.decimals,
        words,
        styles,
    };
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (column, cell) in row.cells.iter().enumerate() {
            let shown = table.cell(sheet, at, column as u16, *cell, row.total)?;
            widths.fit(column, &shown);
        }
    }
    if let Some(by) = report.by.as_deref().filter(|_| !period.areas.is_empty()) {
        // The areas' figures below the units, after an empty row.
        let first = rows.len() as u32 + 2;
        for (column, heading) in layout::area_headings(report, by, lang).iter().enumerate() {
            let text = heading_text(*heading, words);
            sheet.write_string_with_format(first, column as u16, &text, &styles.header)?;
        }
        for (r, row) in layout::area_rows(period).iter().enumerate() {
            for (column, cell) in row.cells.iter().enumerate() {
                let shown = table.cell(sheet, first + 1 + r as u32, column as u16, *cell, false)?;
                widths.fit(column, &shown);
            }
        }
    }
    widths.apply(sheet)?;
    let last = rows.len() as u32;
    if last > 0 {
        for (column, heading) in headings.iter().enumerate() {
            if matches!(
                heading,
                Heading::Change
                    | Heading::PctChange
                    | Heading::RankChange
                    | Heading::DimensionChange(_)
            ) {
                colour_changes(sheet, 1, last, column as u16, styles)?;
            }
        }
    }
    sheet.set_header(format!(
        "&C{} — {}",
        header_footer_text(&report.title),
        header_footer_text(&period.period)
    ));
    sheet.set_landscape();
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Text for a printed page header, where `&` starts a code.
fn header_footer_text(text: &str) -> String {
    cut_utf16(&text.replace('&', "&&"), 100)
}

/// Green for a rise, red for a fall, in rows `first..=last` of `column`.
fn colour_changes(
    sheet: &mut Worksheet,
    first: u32,
    last: u32,
    column: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let up = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::GreaterThan(0))
        .set_format(&styles.up);
    let down = ConditionalFormatCell::new()
        .set_rule(ConditionalFormatCellRule::LessThan(0))
        .set_format(&styles.down);
    sheet.add_conditional_format(first, column, last, column, &up)?;
    sheet.add_conditional_format(first, column, last, column, &down)?;
    Ok(())
}

/// What the cells of a ranked table are written with.
struct TableCells<'a> {
    decimals: usize,
    words: &'a Words,
    styles: &'a Styles,
}

impl TableCells<'_> {
    /// Writes one cell of the ranked table; returns the text it shows, for
    /// the column's width. An absent value is an empty cell, as in CSV.
    fn cell(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        column: u16,
        cell: Cell<'_>,
        total: bool,
    ) -> Result<String, XlsxError> {
        let (decimals, words, styles) = (self.decimals, self.words, self.styles);
        let pick = |plain: &Style, bold: &Style| if total { bold.clone() } else { plain.clone() };
        let (shown, style, number) = match cell {
            Cell::Blank | Cell::Absent => return Ok(String::new()),
            Cell::Name(name) => {
                let style = pick(&styles.text, &styles.total_text);
                sheet.write_string_with_format(row, column, name, &style)?;
                return Ok(name.to_string());
            }
            Cell::TotalLabel => {
                let label = words.total;
                sheet.write_string_with_format(row, column, label, &styles.total_text)?;
                return Ok(label.to_string());
            }
            Cell::Rank(rank) => (rank.to_string(), styles.rank.clone(), f64::from(rank)),
            Cell::Score(x) => (
                fixed(x, decimals),
                pick(&styles.score, &styles.total_score),
                x,
            ),
            Cell::Change(x) => (
                signed(x, decimals),
                pick(&styles.change, &styles.total_change),
                x,
            ),
            Cell::RankChange(change) => (arrow(change), styles.rank_change.clone(), change as f64),
            Cell::Count(count) => (count.to_string(), styles.rank.clone(), count as f64),
        };
        if !number.is_finite() {
            return Ok(String::new());
        }
        sheet.write_number_with_format(row, column, number, &style)?;
        Ok(shown)
    }
}

/// A column heading in the language's words.
fn heading_text(heading: Heading<'_>, words: &Words) -> String {
    match heading {
        Heading::Rank => words.rank.into(),
        Heading::Unit(name) | Heading::Dimension(name) | Heading::Group(name) => name.into(),
        Heading::Composite => words.composite.into(),
        Heading::Grade => words.grade.into(),
        Heading::DimensionGrade(name) => format!("{name}{}", words.grade_of),
        Heading::Change => words.change.into(),
        Heading::PctChange => words.pct_change.into(),
        Heading::RankChange => words.rank_change.into(),
        Heading::DimensionRank(name) => format!("{name}{}", words.rank_of),
        Heading::DimensionChange(name) => format!("{name}{}", words.change_of),
        Heading::RankP05 => format!("{} p05", words.rank),
        Heading::RankP95 => format!("{} p95", words.rank),
        Heading::Code => words.code.into(),
        Heading::Units => words.units.into(),
        Heading::Area(name) => name.into(),
        Heading::AreaRank(name) => format!("{name}{}", words.rank_within),
    }
}

/// The words of the `total`, `method` and `indicators` sheets.
struct SheetWords {
    period: &'static str,
    setting: &'static str,
    value: &'static str,
    dimensions: &'static str,
    groups: &'static str,
    grades: &'static str,
    indicators: &'static str,
    id: &'static str,
    name: &'static str,
    dimension: &'static str,
    parent: &'static str,
    level: &'static str,
    weight: &'static str,
    global_weight: &'static str,
    aggregate: &'static str,
    direction: &'static str,
    normalize: &'static str,
    goalpost_lo: &'static str,
    goalpost_hi: &'static str,
    grade: &'static str,
    min: &'static str,
    max: &'static str,
    applies_to: &'static str,
    indicator: &'static str,
    raw: &'static str,
    score: &'static str,
    filled: &'static str,
}

const ENGLISH: SheetWords = SheetWords {
    period: "period",
    setting: "setting",
    value: "value",
    dimensions: "dimensions",
    groups: "groups",
    grades: "grades",
    indicators: "indicators",
    id: "id",
    name: "name",
    dimension: "dimension",
    parent: "parent",
    level: "level",
    weight: "weight",
    global_weight: "global weight",
    aggregate: "aggregate",
    direction: "direction",
    normalize: "normalize",
    goalpost_lo: "goalpost lo",
    goalpost_hi: "goalpost hi",
    grade: "grade",
    min: "min",
    max: "max",
    applies_to: "applies to",
    indicator: "indicator",
    raw: "raw value",
    score: "score",
    filled: "filled by",
};

const CHINESE: SheetWords = SheetWords {
    period: "时期",
    setting: "设置",
    value: "值",
    dimensions: "一级指标",
    groups: "中间层指标",
    grades: "等级",
    indicators: "指标",
    id: "代码",
    name: "名称",
    dimension: "一级指标",
    parent: "上级",
    level: "层级",
    weight: "权重",
    global_weight: "全局权重",
    aggregate: "合成方法",
    direction: "方向",
    normalize: "标准化",
    goalpost_lo: "下限",
    goalpost_hi: "上限",
    grade: "等级",
    min: "下界",
    max: "上界",
    applies_to: "适用于",
    indicator: "指标",
    raw: "原始值",
    score: "得分",
    filled: "填补方法",
};

fn sheet_words(lang: Lang) -> &'static SheetWords {
    match lang {
        Lang::En => &ENGLISH,
        Lang::Zh => &CHINESE,
    }
}

/// A row of plain cells on a sheet other than a ranked table.
enum Value<'a> {
    Empty,
    Text(&'a str),
    Owned(String),
    /// A score or figure, shown to the definition's decimals.
    Score(Option<f64>),
    /// A change, shown with its sign.
    Change(Option<f64>),
    /// A weight, shown to four decimals.
    Weight(f64),
    /// Any other number, shown as Excel's General format shows it.
    Number(Option<f64>),
}

/// Writes `values` as row `row`; returns the next row.
fn plain_row(
    sheet: &mut Worksheet,
    row: u32,
    values: &[Value<'_>],
    styles: &Styles,
    widths: &mut Widths,
    decimals: usize,
) -> Result<u32, XlsxError> {
    for (column, value) in values.iter().enumerate() {
        let c = column as u16;
        let shown = match value {
            Value::Empty => String::new(),
            Value::Text(text) => {
                sheet.write_string_with_format(row, c, *text, &styles.text)?;
                text.to_string()
            }
            Value::Owned(text) => {
                sheet.write_string_with_format(row, c, text, &styles.text)?;
                text.clone()
            }
            Value::Score(x) => number(sheet, row, c, *x, &styles.score, |x| fixed(x, decimals))?,
            Value::Change(x) => number(sheet, row, c, *x, &styles.change, |x| signed(x, decimals))?,
            Value::Weight(x) => number(sheet, row, c, Some(*x), &styles.weight, |x| fixed(x, 4))?,
            Value::Number(x) => number(sheet, row, c, *x, &styles.number, |x| {
                // General shows about 11 significant digits.
                let text = format!("{x}");
                text.chars().take(12).collect()
            })?,
        };
        widths.fit(column, &shown);
    }
    Ok(row + 1)
}

/// Writes a finite number; an absent or infinite one leaves the cell empty.
fn number(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    x: Option<f64>,
    style: &Style,
    shown: impl Fn(f64) -> String,
) -> Result<String, XlsxError> {
    match x.filter(|x| x.is_finite()) {
        Some(x) => {
            sheet.write_number_with_format(row, column, x, style)?;
            Ok(shown(x))
        }
        None => Ok(String::new()),
    }
}

/// The city figure and each dimension's (and group's) by period, with
/// their changes and the number of units in each grade band.
fn total_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (words, sheet_words) = (lang.words(), sheet_words(lang));
    let mut headings = vec![sheet_words.period.to_string(), words.total.to_string()];
    headings.extend(report.dimensions.iter().map(|d| d.name.clone()));
    headings.extend(report.groups.iter().map(|g| g.name.clone()));
    headings.push(words.change.to_string());
    headings.push(words.pct_change.to_string());
    headings.extend(
        report
            .dimensions
            .iter()
            .map(|d| format!("{}{}", d.name, words.change_of)),
    );
    headings.extend(
        report
            .groups
            .iter()
            .map(|g| format!("{}{}", g.name, words.change_of)),
    );
    headings.extend(report.grades.iter().map(|g| g.label.clone()));
    let mut widths = Widths::default();
    header_row(sheet, &headings, styles, &mut widths)?;
    let mut row = 1;
    for period in &report.periods {
        let mut values = vec![Value::Text(&period.period), Value::Score(period.total)];
        values.extend(period.total_dimensions.iter().map(|x| Value::Score(*x)));
        values.extend(period.total_groups.iter().map(|x| Value::Score(*x)));
        values.push(Value::Change(period.total_change));
        values.push(Value::Change(period.total_pct_change));
        let changes = period
            .total_dimension_changes
            .iter()
            .chain(&period.total_group_changes);
        values.extend(changes.map(|x| Value::Change(*x)));
        values.extend(
            period
                .grade_counts
                .iter()
                .map(|&n| Value::Number(Some(n as f64))),
        );
        row = plain_row(sheet, row, &values, styles, &mut widths, report.decimals)?;
    }
    widths.apply(sheet)?;
    // After the period, the total and the figures: the change, the %
    // change, and a change per dimension and group.
    let first_change = 2 + report.dimensions.len() + report.groups.len();
    let changes = 2 + report.dimensions.len() + report.groups.len();
    if row > 1 {
        for column in first_change..first_change + changes {
            colour_changes(sheet, 1, row - 1, column as u16, styles)?;
        }
    }
    Ok(())
}

/// A bold line naming the part of the sheet below it; returns the next row.
fn section(
    sheet: &mut Worksheet,
    row: u32,
    title: &str,
    styles: &Styles,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, title, &styles.section)?;
    Ok(row + 1)
}

/// A header line inside the method sheet; returns the next row.
fn inner_header(
    sheet: &mut Worksheet,
    row: u32,
    headings: &[&str],
    styles: &Styles,
    widths: &mut Widths,
) -> Result<u32, XlsxError> {
    for (column, heading) in headings.iter().enumerate() {
        sheet.write_string_with_format(row, column as u16, *heading, &styles.header)?;
        widths.fit(column, heading);
    }
    Ok(row + 1)
}

/// The definition as used: the settings, then the dimensions, groups, grade
/// bands and indicators with their weights, directions and goalposts.
fn method_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let w = sheet_words(lang);
    let d = report.decimals;
    let mut widths = Widths::default();
    let method = &report.method;
    let mut settings: Vec<(&str, String)> = vec![
        ("kmgov_version", env!("CARGO_PKG_VERSION").to_string()),
        ("index", report.name.clone()),
        ("label", report.title.clone()),
        ("normalize", method.normalize.to_string()),
        ("scope", method.scope.to_string()),
    ];
    if let Some(base) = &method.base_period {
        settings.push(("base_period", base.clone()));
    }
    settings.extend([
        ("aggregate", method.aggregate.to_string()),
        ("missing", method.missing.to_string()),
        ("total", method.total.to_string()),
        ("weights", method.weights.to_string()),
    ]);
    if let Some(period) = &method.weights_period {
        settings.push(("weights_period", period.clone()));
    }
    if matches!(
        method.weights,
        crate::definition::WeightMethod::Entropy | crate::definition::WeightMethod::Combined
    ) {
        settings.push(("entropy_shift", method.entropy_shift.to_string()));
    }
    settings.push(("changes", report.changes.as_str().to_string()));
    settings.push(("decimals", report.decimals.to_string()));
    let mut row = inner_header(sheet, 0, &[w.setting, w.value], styles, &mut widths)?;
    for (key, value) in settings {
        row = plain_row(
            sheet,
            row,
            &[Value::Text(key), Value::Owned(value)],
            styles,
            &mut widths,
            d,
        )?;
    }

    row = section(sheet, row + 1, w.dimensions, styles)?;
    row = inner_header(
        sheet,
        row,
        &[w.id, w.name, w.weight, w.aggregate],
        styles,
        &mut widths,
    )?;
    for dimension in &report.dimensions {
        let aggregate = dimension.aggregate.unwrap_or(method.aggregate).to_string();
        row = plain_row(
            sheet,
            row,
            &[
                Value::Text(&dimension.id),
                Value::Text(&dimension.name),
                Value::Weight(dimension.weight),
                Value::Owned(aggregate),
            ],
            styles,
            &mut widths,
            d,
        )?;
    }

    if !report.groups.is_empty() {
        row = section(sheet, row + 1, w.groups, styles)?;
        row = inner_header(
            sheet,
            row,
            &[
                w.id,
                w.name,
                w.dimension,
                w.parent,
                w.level,
                w.weight,
                w.global_weight,
                w.aggregate,
            ],
            styles,
            &mut widths,
        )?;
        for group in &report.groups {
            row = plain_row(
                sheet,
                row,
                &[
                    Value::Text(&group.id),
                    Value::Text(&group.name),
                    Value::Text(&group.dimension),
                    Value::Text(&group.parent),
                    Value::Number(Some(group.level as f64)),
                    Value::Weight(group.weight),
                    Value::Weight(group.global_weight),
                    Value::Owned(group.aggregate.to_string()),
                ],
                styles,
                &mut widths,
                d,
            )?;
        }
    }

    if !report.grades.is_empty() {
        row = section(sheet, row + 1, w.grades, styles)?;
        row = inner_header(
            sheet,
            row,
            &[w.grade, w.min, w.max, w.applies_to],
            styles,
            &mut widths,
        )?;
        for grade in &report.grades {
            let applies: Vec<&str> = grade
                .applies_to
                .iter()
                .map(|target| match target {
                    GradeTarget::Composite => "composite",
                    GradeTarget::Dimension(d) => report
                        .dimensions
                        .get(*d)
                        .map_or("", |dimension| dimension.id.as_str()),
                })
                .collect();
            row = plain_row(
                sheet,
                row,
                &[
                    Value::Text(&grade.label),
                    Value::Number(grade.min),
                    Value::Number(grade.max),
                    Value::Owned(applies.join(", ")),
                ],
                styles,
                &mut widths,
                d,
            )?;
        }
    }

    row = section(sheet, row + 1, w.indicators, styles)?;
    row = inner_header(
        sheet,
        row,
        &[
            w.id,
            w.name,
            w.dimension,
            w.parent,
            w.weight,
            w.global_weight,
            w.direction,
            w.normalize,
            w.goalpost_lo,
            w.goalpost_hi,
        ],
        styles,
        &mut widths,
    )?;
    for indicator in &report.indicators {
        row = plain_row(
            sheet,
            row,
            &[
                Value::Text(&indicator.id),
                Value::Text(&indicator.name),
                Value::Text(&indicator.dimension),
                Value::Text(&indicator.parent),
                Value::Weight(indicator.weight),
                Value::Weight(indicator.global_weight),
                Value::Owned(indicator.direction.to_string()),
                Value::Owned(indicator.normalize.to_string()),
                Value::Number(indicator.goalposts.map(|g| g.lo)),
                Value::Number(indicator.goalposts.map(|g| g.hi)),
            ],
            styles,
            &mut widths,
            d,
        )?;
    }
    widths.apply(sheet)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The long table of `--detail indicators`: per period, unit and
/// indicator, the raw value, score and global weight, and the rule that
/// filled the cell.
fn indicator_sheet(
    sheet: &mut Worksheet,
    report: &Report,
    lang: Lang,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (words, w) = (lang.words(), sheet_words(lang));
    let unit = lang.unit_heading(&report.unit_heading);
    let headings: Vec<String> = [
        w.period,
        words.rank,
        unit,
        w.dimension,
        w.indicator,
        w.name,
        w.raw,
        w.score,
        w.global_weight,
        w.filled,
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    let mut widths = Widths::default();
    header_row(sheet, &headings, styles, &mut widths)?;
    let mut row = 1;
    for period in &report.periods {
        for unit in &period.units {
            for (info, cell) in report.indicators.iter().zip(unit.indicator_cells()) {
                let filled = cell.filled.map(|rule| rule.to_string());
                row = plain_row(
                    sheet,
                    row,
                    &[
                        Value::Text(&period.period),
                        Value::Number(unit.rank.map(f64::from)),
                        Value::Text(&unit.unit),
                        Value::Text(&info.dimension),
                        Value::Text(&info.id),
                        Value::Text(&info.name),
                        Value::Number(cell.raw),
                        Value::Score(cell.score),
                        Value::Weight(cell.weight),
                        filled.map_or(Value::Empty, Value::Owned),
                    ],
                    styles,
                    &mut widths,
                    report.decimals,
                )?;
            }
        }
    }
    widths.apply(sheet)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> SheetNames {
        SheetNames {
            taken: FIXED_SHEETS.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn sheet_names_are_made_valid() {
        let mut names = names();
        assert_eq!(names.claim("2019"), "2019");
        assert_eq!(names.claim("2019/Q1"), "2019_Q1");
        assert_eq!(names.claim("[a]:*?\\"), "_a_____");
        assert_eq!(names.claim("'quoted'"), "quoted");
        assert_eq!(names.claim("   "), "_");
        assert_eq!(names.claim("History"), "History (2)");
        let long = "長".repeat(40);
        let cut = names.claim(&long);
        assert_eq!(cut.chars().count(), 31);
        // A character outside the BMP counts 2 towards the 31.
        let emoji = names.claim(&"😀".repeat(20));
        assert_eq!(emoji.encode_utf16().count(), 30);
    }

    #[test]
    fn sheet_names_are_unique_without_regard_to_case() {
        let mut names = names();
        assert_eq!(names.claim("Total"), "Total (2)");
        assert_eq!(names.claim("a"), "a");
        assert_eq!(names.claim("A"), "A (2)");
        assert_eq!(names.claim("a"), "a (3)");
        let long = "x".repeat(31);
        assert_eq!(names.claim(&long), long);
        let second = names.claim(&long);
        assert_eq!(second, format!("{} (2)", "x".repeat(27)));
        assert_eq!(second.len(), 31);
    }

    #[test]
    fn number_formats_follow_the_decimals() {
        assert_eq!(number_formats(0), ("0".into(), "+0;-0;0".into()));
        assert_eq!(
            number_formats(2),
            ("0.00".into(), "+0.00;-0.00;0.00".into())
        );
        assert_eq!(number_formats(99).0.len(), 32);
    }
}
