//! The terminal table, rounded to `decimals`.
//!
//! comfy-table measures display width, so Chinese unit and dimension names
//! (two columns per character) line up. Names are made terminal-safe and cut
//! to [`NAME_WIDTH`](super::text::NAME_WIDTH) columns. Given a terminal width,
//! the table fits it: numbers never wrap, names wrap (never narrower than
//! [`MIN_NAME_COLUMN`]), and when even that is too wide, columns are hidden
//! (and said so): first the dimension ranks and changes, then the dimension
//! scores from the right, then % change, rank change and change.

use super::{Lang, Words};
use std::io::{self, Write};

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::layout::{self, Cell, Heading};
use super::text::{NAME_WIDTH, TITLE_WIDTH, fit};
use super::{Exporter, NO_VALUE, Options, arrow};
use crate::report::Report;

/// Renders one table per period, each ending with the total.
pub struct TableExporter {
    /// Style and width.
    pub options: Options,
}

/// The characters a style draws with, beyond its borders.
struct Symbols {
    dash: &'static str,
    ellipsis: &'static str,
    no_value: &'static str,
    rank_change: &'static str,
    change: &'static str,
    /// Headings and labels in the language asked for.
    words: &'static Words,
}

const UNICODE: Symbols = Symbols {
    dash: "—",
    ellipsis: "…",
    no_value: NO_VALUE,
    rank_change: "rank Δ",
    change: "Δ",
    words: Lang::En.words(),
};

/// Nothing of ambiguous width (— … – Δ ↑ ↓ take one or two columns depending
/// on the terminal), for terminals and fonts that draw them wide.
const ASCII: Symbols = Symbols {
    dash: "-",
    ellipsis: "...",
    no_value: "n/a",
    rank_change: "rank chg",
    change: "chg",
    words: Lang::En.words(),
};

impl Exporter for TableExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let symbols = &Symbols {
            words: self.options.lang.words(),
            ..if self.options.ascii { ASCII } else { UNICODE }
        };
        for (i, period) in report.periods.iter().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            let title = format!(
                "{} {} {}",
                fit(&report.title, TITLE_WIDTH, symbols.ellipsis),
                symbols.dash,
                fit(&period.period, NAME_WIDTH, symbols.ellipsis)
            );
            match self.options.width {
                Some(width) => writeln!(out, "{}", wrap(&title, usize::from(width)))?,
                None => writeln!(out, "{title}")?,
            }
            let headings = layout::headings(report, self.options.lang);
            let rows = layout::rows(report, period);
            let (table, hidden) = period_table(report, &headings, &rows, &self.options, symbols);
            writeln!(out, "{table}")?;
            if let Some(by) = report.by.as_deref().filter(|_| !period.areas.is_empty()) {
                let words = symbols.words;
                let column = self.options.lang.unit_heading(by);
                writeln!(
                    out,
                    "\n{} {} {} {} {}",
                    fit(&report.title, TITLE_WIDTH, symbols.ellipsis),
                    symbols.dash,
                    fit(&period.period, NAME_WIDTH, symbols.ellipsis),
                    symbols.dash,
                    words.by.replace("{}", column)
                )?;
                let headings = layout::area_headings(report, by, self.options.lang);
                let rows = layout::area_rows(period);
                let (table, _) = period_table(report, &headings, &rows, &self.options, symbols);
                writeln!(out, "{table}")?;
            }
            if let (false, Some(width)) = (hidden.is_empty(), self.options.width) {
                let note = format!(
                    "({} hidden to fit {width} columns; widen the window, or use --format csv)",
                    hidden.join(", "),
                );
                writeln!(out, "{}", wrap(&note, usize::from(width)))?;
            }
        }
        Ok(())
    }
}

fn heading_text(heading: Heading<'_>, symbols: &Symbols) -> String {
    let words = symbols.words;
    match heading {
        Heading::Rank => words.rank.into(),
        Heading::Unit(name) | Heading::Dimension(name) | Heading::Group(name) => {
            fit(name, NAME_WIDTH, symbols.ellipsis)
        }
        Heading::Composite => words.composite.into(),
        Heading::Grade => words.grade.into(),
        Heading::DimensionGrade(name) => {
            format!(
                "{}{}",
                fit(name, NAME_WIDTH, symbols.ellipsis),
                words.grade_of
            )
        }
        Heading::Change => words.change.into(),
        Heading::PctChange => words.pct_change.into(),
        // The Chinese words need no symbol of ambiguous width.
        Heading::RankChange if words.rank != "rank" => words.rank_change.into(),
        Heading::RankChange => symbols.rank_change.into(),
        Heading::RankP05 => "rank p05".into(),
        Heading::RankP95 => "rank p95".into(),
        Heading::Code => words.code.into(),
        Heading::Units => words.units.into(),
        Heading::Area(name) => fit(name, NAME_WIDTH, symbols.ellipsis),
        Heading::AreaRank(name) => format!(
            "{}{}",
            fit(name, NAME_WIDTH, symbols.ellipsis),
            words.rank_within
        ),
        Heading::DimensionRank(name) => {
            format!(
                "{}{}",
                fit(name, NAME_WIDTH, symbols.ellipsis),
                words.rank_of
            )
        }
        Heading::DimensionChange(name) if words.rank != "rank" => {
            format!(
                "{}{}",
                fit(name, NAME_WIDTH, symbols.ellipsis),
                words.change_of
            )
        }
        Heading::DimensionChange(name) => {
            format!(
                "{} {}",
                fit(name, NAME_WIDTH, symbols.ellipsis),
                symbols.change
            )
        }
    }
}

fn cell_text(cell: Cell<'_>, decimals: usize, symbols: &Symbols, ascii: bool) -> String {
    let words = symbols.words;
    if let Some(number) = cell.number(decimals, symbols.no_value) {
        return number;
    }
    match cell {
        Cell::Name(name) => fit(name, NAME_WIDTH, symbols.ellipsis),
        Cell::TotalLabel => words.total.into(),
        Cell::RankChange(0) if ascii => "0".into(),
        Cell::RankChange(change) if ascii => format!("{change:+}"),
        Cell::RankChange(change) => arrow(change),
        _ => String::new(),
    }
}

/// The table, and the names of the columns hidden to fit the width.
fn period_table(
    report: &Report,
    headings: &[Heading<'_>],
    rows: &[layout::Row<'_>],
    options: &Options,
    symbols: &Symbols,
) -> (Table, Vec<String>) {
    let mut table = Table::new();
    table
        .load_style(if options.ascii {
            ASCII_FULL_CONDENSED
        } else {
            UTF8_FULL_CONDENSED
        })
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(headings.iter().map(|h| heading_text(*h, symbols)));
    for row in rows {
        table.add_row(
            row.cells
                .iter()
                .map(|c| cell_text(*c, report.decimals, symbols, options.ascii)),
        );
    }
    for (index, heading) in headings.iter().enumerate() {
        if heading.is_numeric()
            && let Some(column) = table.column_mut(index)
        {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let hidden = match options.width {
        Some(width) => fit_width(&mut table, headings, width, symbols),
        None => Vec::new(),
    };
    (table, hidden)
}

/// The narrowest a wrapped unit column may get, in display columns (or its
/// heading's width, if wider): a name stays readable, and a CJK character
/// (two columns) always fits whole.
const MIN_NAME_COLUMN: usize = 8;

/// Lays the table out within `width` columns; returns the labels of the
/// columns hidden to fit.
fn fit_width(
    table: &mut Table,
    headings: &[Heading<'_>],
    width: u16,
    symbols: &Symbols,
) -> Vec<String> {
    table
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(width);
    let content = table.column_max_content_widths();
    // Numbers take their content; the unit column may wrap down to its floor.
    let narrowest: Vec<usize> = headings
        .iter()
        .zip(&content)
        .map(|(heading, &w)| {
            let w = usize::from(w);
            if heading.is_numeric() {
                w
            } else {
                let label = heading_text(*heading, symbols).width();
                w.min(MIN_NAME_COLUMN.max(label))
            }
        })
        .collect();
    // Each column takes its width, a space either side and a border; the
    // table one more border.
    let needed = |shown: &[bool]| -> usize {
        1 + narrowest
            .iter()
            .zip(shown)
            .filter(|(_, shown)| **shown)
            .map(|(w, _)| 3 + w)
            .sum::<usize>()
    };
    let mut shown = vec![true; headings.len()];
    for index in hiding_order(headings) {
        if needed(&shown) <= usize::from(width) {
            break;
        }
        shown[index] = false;
    }
    for (index, heading) in headings.iter().enumerate() {
        let constraint = if !shown[index] {
            ColumnConstraint::Hidden
        } else if heading.is_numeric() {
            // Numbers never wrap: 85.3 over 7 reads as two numbers.
            ColumnConstraint::ContentWidth
        } else {
            // The bound counts the space either side.
            let floor = u16::try_from(narrowest[index] + 2).unwrap_or(u16::MAX);
            ColumnConstraint::LowerBoundary(Width::Fixed(floor))
        };
        if let Some(column) = table.column_mut(index) {
            column.set_constraint(constraint);
        }
    }
    hidden_labels(headings, &shown, symbols)
}

/// The columns that may be hidden, the first to go first: group scores,
/// dimension ranks and changes, then dimension scores, each from the right,
/// then % change, rank change and change. Rank, unit and composite always stay.
fn hiding_order(headings: &[Heading<'_>]) -> Vec<usize> {
    let from_right = |wanted: fn(&Heading<'_>) -> bool| {
        (0..headings.len())
            .rev()
            .filter(move |&i| wanted(&headings[i]))
    };
    let groups = from_right(|h| matches!(h, Heading::Group(_)));
    let detail =
        from_right(|h| matches!(h, Heading::DimensionRank(_) | Heading::DimensionChange(_)));
    let dimensions = from_right(|h| matches!(h, Heading::Dimension(_)));
    let changes = [Heading::PctChange, Heading::RankChange, Heading::Change]
        .into_iter()
        .filter_map(|wanted| headings.iter().position(|h| *h == wanted));
    groups
        .chain(detail)
        .chain(dimensions)
        .chain(changes)
        .collect()
}

/// What the note under the table names as hidden, in column order; the
/// dimension ranks and changes as one item when all of them are hidden.
fn hidden_labels(headings: &[Heading<'_>], shown: &[bool], symbols: &Symbols) -> Vec<String> {
    let is_detail =
        |h: &Heading<'_>| matches!(h, Heading::DimensionRank(_) | Heading::DimensionChange(_));
    let all_detail_hidden = headings
        .iter()
        .zip(shown)
        .filter(|(h, _)| is_detail(h))
        .all(|(_, shown)| !shown);
    let mut labels = Vec::new();
    let mut detail_named = false;
    for (heading, _) in headings.iter().zip(shown).filter(|(_, shown)| !**shown) {
        if is_detail(heading) && all_detail_hidden {
            if !detail_named {
                labels.push("dimension ranks and changes".to_string());
                detail_named = true;
            }
        } else {
            labels.push(heading_text(*heading, symbols));
        }
    }
    labels
}

/// `text` broken into lines of at most `width` display columns, at spaces
/// where it can, else between characters (never inside one).
fn wrap(text: &str, width: usize) -> String {
    let width = width.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let room = if line.is_empty() {
            width
        } else {
            width.saturating_sub(line.width() + 1)
        };
        if word.width() <= room {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than a whole line is cut between characters.
        for c in word.chars() {
            if line.width() + c.width().unwrap_or(0) > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Method;
    use crate::report::PeriodReport;
    use crate::report::{DimensionInfo, UnitRow};
    use std::sync::Arc;
    use unicode_width::UnicodeWidthStr;

    fn report() -> Report {
        let dimension = |id: &str, name: &str| DimensionInfo {
            id: id.into(),
            name: name.into(),
            weight: 1.0 / 3.0,
            aggregate: None,
        };
        Report {
            name: "K".into(),
            title: "昆明市社会治理指数".into(),
            decimals: 2,
            unit_heading: "district".into(),
            method: Method::default(),
            overrides: Vec::new(),
            dimensions: vec![
                dimension("vitality", "社会活力"),
                dimension("services", "社会服务"),
                dimension("environment", "社会环境"),
            ],
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
                total: Some(81.46),
                total_change: Some(0.35),
                total_pct_change: Some(f64::INFINITY),
                total_dimensions: vec![None, None, None],
                total_dimension_changes: vec![None, None, None],
                total_groups: Vec::new(),
                total_group_changes: Vec::new(),
                grade_counts: Vec::new(),
                grade_summary: String::new(),
                areas: Vec::new(),
                units: vec![UnitRow {
                    rank: Some(1),
                    unit: Arc::from("官渡区 a rather long district name here"),
                    composite: Some(86.74),
                    dimensions: vec![Some(90.93), Some(88.0), Some(81.29)],
                    change: Some(0.96),
                    pct_change: Some(1.12),
                    rank_change: Some(1),
                    grades: None,
                    detail: None,
                    labels: None,
                }],
            }],
        }
    }

    fn render(options: Options) -> String {
        String::from_utf8(TableExporter { options }.render(&report())).unwrap()
    }

    #[test]
    fn the_table_fits_the_terminal_width() {
        let natural = render(Options::default());
        let widest = |text: &str| {
            text.lines()
                .filter(|line| !line.starts_with('('))
                .map(UnicodeWidthStr::width)
                .max()
                .unwrap()
        };
        assert!(widest(&natural) > 100);
        for width in [100u16, 80, 60] {
            let text = render(Options {
                width: Some(width),
                ..Options::default()
            });
            assert!(widest(&text) <= usize::from(width), "{width}:\n{text}");
            // Numbers are never wrapped.
            assert!(text.contains("86.74") && text.contains("+0.96"), "{text}");
        }
        // At 60 columns, dimensions are dropped from the right, and said so.
        let narrow = render(Options {
            width: Some(60),
            ..Options::default()
        });
        assert!(
            narrow.contains("社会环境 hidden to fit 60 columns"),
            "{narrow}"
        );
        assert!(narrow.contains("│ rank ┆ district"), "{narrow}");
        assert!(!narrow.contains("│ 社会环境"), "{narrow}");
    }

    fn render_at(report: &Report, width: u16) -> String {
        let options = Options {
            width: Some(width),
            ..Options::default()
        };
        String::from_utf8(TableExporter { options }.render(report)).unwrap()
    }

    fn widest_line(text: &str) -> usize {
        text.lines().map(UnicodeWidthStr::width).max().unwrap()
    }

    /// The report with `--detail dimensions`.
    fn with_dimension_detail() -> Report {
        let mut report = report();
        report.detail.dimensions = true;
        for unit in &mut report.periods[0].units {
            let dimension = crate::report::DimensionDetail {
                rank: Some(1),
                change: Some(0.5),
            };
            unit.detail = Some(Box::new(crate::report::UnitDetail {
                dimensions: vec![dimension; 3],
                ..Default::default()
            }));
        }
        report
    }

    #[test]
    fn a_narrow_terminal_keeps_the_unit_column_readable() {
        for width in [40u16, 50] {
            let text = render_at(&report(), width);
            // Everything fits, the note under the table too.
            assert!(widest_line(&text) <= usize::from(width), "{width}:\n{text}");
            // The unit column keeps its heading's width: names wrap at
            // spaces, and a CJK name is never cut into single characters.
            assert!(text.contains("┆ district ┆"), "{text}");
            assert!(text.contains("┆ 官渡区 a ┆"), "{text}");
            assert!(text.contains("86.74") && text.contains("+0.96"), "{text}");
        }
        // A long title wraps too.
        let mut long = report();
        long.title = "昆明市社会治理指数 Kunming Social Governance Index, district edition".into();
        let text = render_at(&long, 40);
        assert!(widest_line(&text) <= 40, "{text}");
        assert!(
            text.starts_with("昆明市社会治理指数 Kunming Social\n"),
            "{text}"
        );
        // At 40 columns, the change columns go too, said in a wrapped note.
        let text = render_at(&report(), 40);
        assert!(
            !text.contains("% change ┆") && text.contains("┆ change │"),
            "{text}"
        );
        assert!(
            text.contains(
                "(社会活力, 社会服务, 社会环境, % change,\nrank Δ hidden to fit 40 columns;"
            ),
            "{text}"
        );
    }

    #[test]
    fn dimension_detail_is_hidden_before_dimension_scores() {
        let report = with_dimension_detail();
        let text = render_at(&report, 100);
        assert!(widest_line(&text) <= 100, "{text}");
        assert!(
            text.contains("┆ 社会活力 ┆ 社会服务 ┆ 社会环境 ┆"),
            "{text}"
        );
        assert!(!text.contains(" rank ┆ 社会活力 Δ"), "{text}");
        assert!(
            text.contains("(dimension ranks and changes hidden to fit 100 columns;"),
            "{text}"
        );
        // At 50 columns: detail, then the dimensions, then % change.
        let text = render_at(&report, 50);
        assert!(widest_line(&text) <= 50, "{text}");
        assert!(
            !text.contains("社会活力 rank") && !text.contains("│ 社会活力"),
            "{text}"
        );
        assert!(text.contains("┆ district ┆"), "{text}");
        // Wide enough for everything: nothing hidden, no note.
        let text = render_at(&report, 250);
        assert!(text.contains("┆ 社会环境 rank ┆ 社会环境 Δ │") && !text.contains("hidden"));
    }

    #[test]
    fn notes_wrap_between_words_or_characters() {
        assert_eq!(wrap("ab cd ef", 5), "ab cd\nef");
        assert_eq!(wrap("abcdefgh", 3), "abc\ndef\ngh");
        // Two columns per CJK character: never one cut in half.
        assert_eq!(wrap("社会活力社会服务", 5), "社会\n活力\n社会\n服务");
        assert_eq!(wrap("short", 80), "short");
    }

    #[test]
    fn values_that_are_not_numbers_show_a_mark_in_either_style() {
        assert!(render(Options::default()).contains("        – ┆"));
        let ascii = render(Options {
            ascii: true,
            ..Options::default()
        });
        assert!(
            ascii.contains(" n/a |") && ascii.contains(" +1 |"),
            "{ascii}"
        );
        assert!(ascii.is_ascii() || !ascii.chars().any(|c| "─┆═↑↓–—Δ…".contains(c)));
    }
}
