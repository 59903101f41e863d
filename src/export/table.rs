//! The terminal table, rounded to `decimals`.
//!
//! comfy-table measures display width, so Chinese unit and dimension names
//! (two columns per character) line up. Names are made terminal-safe and cut
//! to [`NAME_WIDTH`](super::text::NAME_WIDTH) columns. Given a terminal width,
//! the table fits it: numbers never wrap, names wrap, and dimension columns
//! are hidden from the right (and said so) when even that is too wide.

use std::io::{self, Write};

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table};

use super::layout::{self, Cell, Heading};
use super::text::{NAME_WIDTH, TITLE_WIDTH, fit};
use super::{Exporter, NO_VALUE, Options, arrow};
use crate::report::{PeriodReport, Report};

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
}

const UNICODE: Symbols = Symbols {
    dash: "—",
    ellipsis: "…",
    no_value: NO_VALUE,
    rank_change: "rank Δ",
    change: "Δ",
};

/// Nothing of ambiguous width (— … – Δ ↑ ↓ take one or two columns depending
/// on the terminal), for terminals and fonts that draw them wide.
const ASCII: Symbols = Symbols {
    dash: "-",
    ellipsis: "...",
    no_value: "n/a",
    rank_change: "rank chg",
    change: "chg",
};

impl Exporter for TableExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let symbols = if self.options.ascii { &ASCII } else { &UNICODE };
        for (i, period) in report.periods.iter().enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            writeln!(
                out,
                "{} {} {}",
                fit(&report.title, TITLE_WIDTH, symbols.ellipsis),
                symbols.dash,
                fit(&period.period, NAME_WIDTH, symbols.ellipsis)
            )?;
            let (table, hidden) = period_table(report, period, &self.options, symbols);
            writeln!(out, "{table}")?;
            if !hidden.is_empty() {
                writeln!(
                    out,
                    "({} hidden to fit {} columns; widen the window, or use --format csv)",
                    hidden.join(", "),
                    self.options.width.unwrap_or(0)
                )?;
            }
        }
        Ok(())
    }
}

fn heading_text(heading: Heading<'_>, symbols: &Symbols) -> String {
    match heading {
        Heading::Rank => "rank".into(),
        Heading::Unit(name) | Heading::Dimension(name) => fit(name, NAME_WIDTH, symbols.ellipsis),
        Heading::Composite => "composite".into(),
        Heading::Change => "change".into(),
        Heading::PctChange => "% change".into(),
        Heading::RankChange => symbols.rank_change.into(),
        Heading::DimensionRank(name) => format!("{} rank", fit(name, NAME_WIDTH, symbols.ellipsis)),
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
    if let Some(number) = cell.number(decimals, symbols.no_value) {
        return number;
    }
    match cell {
        Cell::Name(name) => fit(name, NAME_WIDTH, symbols.ellipsis),
        Cell::TotalLabel => "total".into(),
        Cell::RankChange(0) if ascii => "0".into(),
        Cell::RankChange(change) if ascii => format!("{change:+}"),
        Cell::RankChange(change) => arrow(change),
        _ => String::new(),
    }
}

/// The table, and the names of the columns hidden to fit the width.
fn period_table(
    report: &Report,
    period: &PeriodReport,
    options: &Options,
    symbols: &Symbols,
) -> (Table, Vec<String>) {
    let headings = layout::headings(report);
    let mut table = Table::new();
    table
        .load_style(if options.ascii {
            ASCII_FULL_CONDENSED
        } else {
            UTF8_FULL_CONDENSED
        })
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(headings.iter().map(|h| heading_text(*h, symbols)));
    for row in layout::rows(report, period) {
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
        Some(width) => fit_width(&mut table, &headings, width, symbols),
        None => Vec::new(),
    };
    (table, hidden)
}

/// The narrowest a wrapped name column may get.
const MIN_NAME_COLUMN: usize = 10;

/// Lays the table out within `width` columns; returns the dimensions hidden.
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
    // Each column takes its content, a space either side and a border; the
    // table one more border. A name column may wrap down to MIN_NAME_COLUMN.
    let needed = |shown: &[bool]| -> usize {
        1 + headings
            .iter()
            .zip(&content)
            .zip(shown)
            .filter(|(_, shown)| **shown)
            .map(|((heading, &w), _)| {
                let w = usize::from(w);
                3 + if heading.is_numeric() {
                    w
                } else {
                    w.min(MIN_NAME_COLUMN)
                }
            })
            .sum::<usize>()
    };
    let mut shown = vec![true; headings.len()];
    let mut hidden = Vec::new();
    for index in (0..headings.len()).rev() {
        if needed(&shown) <= usize::from(width) {
            break;
        }
        if let Heading::Dimension(name) = headings[index] {
            shown[index] = false;
            hidden.insert(0, fit(name, NAME_WIDTH, symbols.ellipsis));
        }
    }
    for (index, heading) in headings.iter().enumerate() {
        let constraint = if !shown[index] {
            Some(ColumnConstraint::Hidden)
        } else if heading.is_numeric() {
            // Numbers never wrap: 85.3 over 7 reads as two numbers.
            Some(ColumnConstraint::ContentWidth)
        } else {
            None
        };
        if let (Some(constraint), Some(column)) = (constraint, table.column_mut(index)) {
            column.set_constraint(constraint);
        }
    }
    hidden
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Method;
    use crate::report::{DimensionInfo, UnitRow};
    use std::sync::Arc;
    use unicode_width::UnicodeWidthStr;

    fn report() -> Report {
        let dimension = |id: &str, name: &str| DimensionInfo {
            id: id.into(),
            name: name.into(),
            weight: 1.0 / 3.0,
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
            indicators: Vec::new(),
            changes: crate::report::Changes::Level,
            detail: crate::report::Detail::default(),
            filled: Vec::new(),
            periods: vec![PeriodReport {
                period: "2019".into(),
                total: Some(81.46),
                total_change: Some(0.35),
                total_pct_change: Some(f64::INFINITY),
                total_dimensions: vec![None, None, None],
                total_dimension_changes: vec![None, None, None],
                units: vec![UnitRow {
                    rank: Some(1),
                    unit: Arc::from("官渡区 a rather long district name here"),
                    composite: Some(86.74),
                    dimensions: vec![Some(90.93), Some(88.0), Some(81.29)],
                    change: Some(0.96),
                    pct_change: Some(1.12),
                    rank_change: Some(1),
                    detail: None,
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
