//! A Markdown table per period, rounded to `decimals`, to paste into reports.

use super::{Exporter, arrow, fixed, signed};
use crate::report::Report;

/// Renders a heading and a pipe table per period, the total in bold.
pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn render(&self, report: &Report) -> Vec<u8> {
        let d = report.decimals;
        let mut out = String::new();
        for (i, period) in report.periods.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!(
                "### {} — {}\n\n",
                escape(&report.title),
                escape(&period.period)
            ));
            let mut header = vec![
                "Rank".to_string(),
                escape(&report.unit_heading),
                "Composite".to_string(),
            ];
            header.extend(report.dimensions.iter().map(|d| escape(&d.name)));
            header.extend([
                "Change".to_string(),
                "% change".to_string(),
                "Rank Δ".to_string(),
            ]);
            push_row(&mut out, &header);
            let mut rule = vec!["---:".to_string(), ":---".to_string()];
            rule.extend(std::iter::repeat_n("---:".to_string(), header.len() - 2));
            push_row(&mut out, &rule);

            let or_blank =
                |x: Option<f64>, f: fn(f64, usize) -> String| x.map_or(String::new(), |x| f(x, d));
            for unit in &period.units {
                let mut row = vec![
                    unit.rank.map_or(String::new(), |r| r.to_string()),
                    escape(&unit.unit),
                    or_blank(unit.composite, fixed),
                ];
                row.extend(unit.dimensions.iter().map(|s| or_blank(*s, fixed)));
                row.push(or_blank(unit.change, signed));
                row.push(or_blank(unit.pct_change, signed));
                row.push(unit.rank_change.map_or(String::new(), arrow));
                push_row(&mut out, &row);
            }
            if let Some(total) = period.total {
                let mut row = vec![
                    String::new(),
                    "**Total**".to_string(),
                    format!("**{}**", fixed(total, d)),
                ];
                row.extend(report.dimensions.iter().map(|_| String::new()));
                row.push(or_blank(period.total_change, signed));
                row.push(or_blank(period.total_pct_change, signed));
                row.push(String::new());
                push_row(&mut out, &row);
            }
        }
        out.into_bytes()
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(cell);
        out.push_str(" |");
    }
    out.push('\n');
}

/// Text safe inside a table cell: pipes escaped, line breaks as spaces.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}
