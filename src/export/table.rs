//! The terminal table, rounded to `decimals`.
//!
//! comfy-table measures display width, so Chinese unit and dimension names
//! (two columns per character) line up.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};

use super::{Exporter, arrow, fixed, signed};
use crate::report::{PeriodReport, Report};

/// Renders one table per period, each ending with the total.
pub struct TableExporter;

impl Exporter for TableExporter {
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut out = String::new();
        for (i, period) in report.periods.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("{} — {}\n", report.title, period.period));
            out.push_str(&period_table(report, period).to_string());
            out.push('\n');
        }
        out.into_bytes()
    }
}

fn period_table(report: &Report, period: &PeriodReport) -> Table {
    let d = report.decimals;
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    let mut header = vec![
        "rank".to_string(),
        report.unit_heading.clone(),
        "composite".to_string(),
    ];
    header.extend(report.dimensions.iter().map(|d| d.name.clone()));
    header.extend([
        "change".to_string(),
        "% change".to_string(),
        "rank Δ".to_string(),
    ]);
    table.set_header(header);

    for unit in &period.units {
        let mut row = vec![
            Cell::new(unit.rank.map_or(String::new(), |r| r.to_string())),
            Cell::new(&*unit.unit),
            Cell::new(unit.composite.map_or(String::new(), |x| fixed(x, d))),
        ];
        row.extend(
            unit.dimensions
                .iter()
                .map(|s| Cell::new(s.map_or(String::new(), |x| fixed(x, d)))),
        );
        row.push(Cell::new(
            unit.change.map_or(String::new(), |x| signed(x, d)),
        ));
        row.push(Cell::new(
            unit.pct_change.map_or(String::new(), |x| signed(x, d)),
        ));
        row.push(Cell::new(unit.rank_change.map_or(String::new(), arrow)));
        table.add_row(row);
    }
    if let Some(total) = period.total {
        let mut row = vec![
            Cell::new(""),
            Cell::new("total"),
            Cell::new(fixed(total, d)),
        ];
        row.extend(report.dimensions.iter().map(|_| Cell::new("")));
        row.push(Cell::new(
            period.total_change.map_or(String::new(), |x| signed(x, d)),
        ));
        row.push(Cell::new(
            period
                .total_pct_change
                .map_or(String::new(), |x| signed(x, d)),
        ));
        row.push(Cell::new(""));
        table.add_row(row);
    }
    let columns = 3 + report.dimensions.len() + 3;
    for index in (0..columns).filter(|&c| c != 1) {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
