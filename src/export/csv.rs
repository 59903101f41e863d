//! CSV at full precision: `period,rank,unit,composite,<dimension ids>,change,pct_change,rank_change`.
//!
//! One row per unit and period, nothing else, so scripts can read it as a
//! plain table; the total is in the table, Markdown and JSON outputs.

use std::fmt::Write as _;

use super::Exporter;
use crate::report::Report;

/// Renders CSV; absent values are empty fields.
pub struct CsvExporter;

impl Exporter for CsvExporter {
    fn render(&self, report: &Report) -> Vec<u8> {
        let mut out = String::with_capacity(
            64 * (1 + report.periods.iter().map(|p| p.units.len()).sum::<usize>()),
        );
        out.push_str("period,rank,unit,composite");
        for dimension in &report.dimensions {
            out.push(',');
            push_field(&mut out, &dimension.id);
        }
        out.push_str(",change,pct_change,rank_change\n");
        for period in &report.periods {
            for unit in &period.units {
                push_field(&mut out, &period.period);
                out.push(',');
                if let Some(rank) = unit.rank {
                    let _ = write!(out, "{rank}");
                }
                out.push(',');
                push_field(&mut out, &unit.unit);
                push_number(&mut out, unit.composite);
                for score in &unit.dimensions {
                    push_number(&mut out, *score);
                }
                push_number(&mut out, unit.change);
                push_number(&mut out, unit.pct_change);
                out.push(',');
                if let Some(change) = unit.rank_change {
                    let _ = write!(out, "{change}");
                }
                out.push('\n');
            }
        }
        out.into_bytes()
    }
}

/// `,` then the shortest text that reads back as the same f64.
fn push_number(out: &mut String, value: Option<f64>) {
    out.push(',');
    if let Some(value) = value {
        let _ = write!(out, "{value}");
    }
}

/// A field, quoted when it holds a comma, quote or line break.
fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_and_quotes_are_quoted() {
        let mut out = String::new();
        push_field(&mut out, "A, \"B\"");
        assert_eq!(out, "\"A, \"\"B\"\"\"");
    }
}
