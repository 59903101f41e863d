//! The first stages: the rows as read (wide, or long pivoted to wide), the
//! periods in kmgov's order, and the missing-value rule.

use super::{Cte, Form, Gen};
use crate::definition::Missing;

/// A number as kmgov reads a period label: what Rust's `f64` parser takes
/// (no `inf` or `nan`, which are not finite).
const NUMBER: &str = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$";

/// Rule 1 of the period order: `YYYY.M`, M from 1 to 12.
const YEAR_MONTH: &str = "^[0-9]{4}[.](0?[1-9]|1[0-2])$";

/// Labels kmgov reads as dates whose date order is not their natural order
/// (`Q1 2019`, `Jan 2019`, `2019年第一季度`, two-digit years): the query
/// cannot order them as kmgov does, and refuses them.
const DATE_NOT_NATURAL: &str = "(?i)(^q[1-4]([^0-9]|$))|((^|[^a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[.]?([^a-z]|$))|([一二三四]季度)|(^[0-9]{2}年)";

/// How wide a digit run is padded for the natural order: runs of up to 20
/// significant digits compare by value.
const PAD: usize = 20;

impl Gen<'_> {
    /// The rows as read, the periods and their order, the rows with it.
    pub(super) fn input_ctes(&self) -> Vec<Cte> {
        let mut ctes = Vec::new();
        if self.request.form == Form::Long {
            ctes.push(self.cells_cte());
        }
        ctes.push(self.read_cte());
        ctes.push(self.labels_cte());
        ctes.push(self.periods_cte());
        ctes.push(Cte {
            name: "kmgov_rows".into(),
            comment: "Every row with its period's place in that order.".into(),
            body: "SELECT i.*, p.kmgov_order\nFROM kmgov_input i\nJOIN kmgov_periods p ON p.kmgov_period = i.kmgov_period".into(),
        });
        ctes
    }

    /// A key column read as trimmed text, as kmgov trims labels.
    pub(super) fn label_of(&self, column: &str) -> String {
        self.label(column)
    }

    /// A key column read as trimmed text, as kmgov trims labels.
    fn label(&self, column: &str) -> String {
        format!("TRIM({})", self.d.as_text(&self.q(column)))
    }

    /// Long form: the cells, typed.
    fn cells_cte(&self) -> Cte {
        let c = &self.def.columns;
        Cte {
            name: "kmgov_cells".into(),
            comment: "Long form: one row per unit, period and indicator.".into(),
            body: format!(
                "SELECT\n  {} AS kmgov_unit,\n  {} AS kmgov_period,\n  {} AS kmgov_indicator,\n  {} AS kmgov_value\nFROM {}",
                self.label(&c.unit),
                self.label(&c.period),
                self.label("indicator"),
                self.d.as_double(&self.q("value")),
                self.table
            ),
        }
    }

    /// The rows as read: unit and period as text, each indicator a number.
    fn read_cte(&self) -> Cte {
        let c = &self.def.columns;
        let mut columns = Vec::new();
        let long = self.request.form == Form::Long;
        let value_of = |name: &str| -> String {
            if long {
                format!(
                    "MAX(CASE WHEN kmgov_indicator = {} THEN kmgov_value END)",
                    self.text(name)
                )
            } else {
                self.d.as_double(&self.q(name))
            }
        };
        if long {
            columns.push("kmgov_unit".to_string());
            columns.push("kmgov_period".to_string());
        } else {
            columns.push(format!("{} AS kmgov_unit", self.label(&c.unit)));
            columns.push(format!("{} AS kmgov_period", self.label(&c.period)));
        }
        if self.uses_population() {
            let population = c.population.as_deref().unwrap_or_default();
            columns.push(format!("{} AS kmgov_population", value_of(population)));
        }
        for indicator in &self.indicators {
            columns.push(format!(
                "{} AS {}{}",
                value_of(&indicator.id),
                self.q(&indicator.id),
                self.name_note(&indicator.id, &indicator.name)
            ));
        }
        let from = if long {
            "FROM kmgov_cells\nGROUP BY kmgov_unit, kmgov_period".to_string()
        } else {
            format!("FROM {}", self.table)
        };
        Cte {
            name: "kmgov_input".into(),
            comment: if long {
                "The cells pivoted to one row per unit and period, one column per indicator.".into()
            } else {
                "The rows as read: unit and period as text, indicators as numbers.".into()
            },
            body: format!("SELECT\n{}\n{from}", comma_lines(&columns)),
        }
    }

    /// ` -- name` after a column, when the name says more than the id.
    pub(super) fn name_note(&self, id: &str, name: &str) -> String {
        if name == id {
            String::new()
        } else {
            format!("{NOTE}-- {}", self.comment(name))
        }
    }

    /// Each distinct period label, with what the order needs to know of it.
    fn labels_cte(&self) -> Cte {
        let p = "kmgov_period";
        let d = self.d;
        let pad = "0".repeat(PAD - 1);
        let natural = d.replace_all(
            &d.replace_all(p, "([0-9]+)", &format!("{pad}$1")),
            &format!("0*([0-9]{{{PAD}}})"),
            "$1",
        );
        let flag = |pattern: &str| format!("CASE WHEN {} THEN 1 ELSE 0 END", d.matches(p, pattern));
        Cte {
            name: "kmgov_labels".into(),
            comment:
                "Each period label: a number? a year.month? a date natural order gets wrong?\n\
                      Its natural-order key has every run of digits padded to the same width."
                    .into(),
            body: format!(
                "SELECT\n  {p},\n  {} AS kmgov_number,\n  {} AS kmgov_year_month,\n  {} AS kmgov_odd_date,\n  {natural} AS kmgov_natural\nFROM kmgov_input\nWHERE {p} IS NOT NULL\nGROUP BY {p}",
                flag(NUMBER),
                flag(YEAR_MONTH),
                flag(DATE_NOT_NATURAL),
            ),
        }
    }

    /// The periods in kmgov's order: numerically when every label is a
    /// number (and not every label a year.month), else naturally (runs of
    /// digits by value, the rest by code point); equal keys by plain text.
    fn periods_cte(&self) -> Cte {
        let d = self.d;
        let numeric = "kmgov_all_numbers = 1 AND kmgov_all_year_months = 0";
        Cte {
            name: "kmgov_periods".into(),
            comment: "The periods in kmgov's order (docs/METHODOLOGY.md, \"Periods\").".into(),
            body: format!(
                "SELECT\n  kmgov_period,\n  kmgov_odd_date,\n  ROW_NUMBER() OVER (ORDER BY\n    CASE WHEN {numeric} THEN {} END,\n    CASE WHEN {numeric} THEN {} END,\n    {},\n    {}\n  ) AS kmgov_order\nFROM (\n  SELECT l.*,\n    MIN(kmgov_number) OVER () AS kmgov_all_numbers,\n    MIN(kmgov_year_month) OVER () AS kmgov_all_year_months\n  FROM kmgov_labels l\n) l",
                d.as_double("kmgov_period"),
                d.binary("kmgov_period"),
                d.binary("kmgov_natural"),
                d.binary("kmgov_period"),
            ),
        }
    }

    /// The missing-value rule's CTEs; returns the name of the CTE whose
    /// indicator columns are the values to score.
    pub(super) fn fill_ctes(&self, ctes: &mut Vec<Cte>) -> String {
        match self.def.method.missing {
            Missing::Error | Missing::Skip => "kmgov_rows".into(),
            Missing::Mean => {
                ctes.push(self.filled_cte(
                    "kmgov_rows",
                    "missing = \"mean\": a missing value is the mean of its period's values.",
                    |id| format!("AVG({id}) OVER (PARTITION BY kmgov_order)"),
                ));
                "kmgov_filled".into()
            }
            Missing::Carry => self.carry_ctes(ctes),
        }
    }

    /// `missing = "carry"` with the engine's idiom for the last value that
    /// is not null: `IGNORE NULLS` in DuckDB and Spark, runs counted by
    /// `COUNT` in PostgreSQL, which has no `IGNORE NULLS`.
    fn carry_ctes(&self, ctes: &mut Vec<Cte>) -> String {
        let so_far = "PARTITION BY kmgov_unit ORDER BY kmgov_order ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
        let comment = "missing = \"carry\": a missing value is the unit's value from its nearest earlier period that has one.";
        match self.d {
            super::Dialect::Duckdb => ctes.push(self.filled_cte("kmgov_rows", comment, |id| {
                format!("LAST_VALUE({id} IGNORE NULLS) OVER ({so_far})")
            })),
            super::Dialect::Spark => ctes.push(self.filled_cte("kmgov_rows", comment, |id| {
                format!("LAST({id}, TRUE) OVER ({so_far})")
            })),
            super::Dialect::Postgres => {
                let runs: Vec<String> = self
                    .indicators
                    .iter()
                    .enumerate()
                    .map(|(i, indicator)| {
                        format!(
                            "COUNT({}) OVER ({so_far}) AS kmgov_run_{i}",
                            self.q(&indicator.id)
                        )
                    })
                    .collect();
                ctes.push(Cte {
                    name: "kmgov_runs".into(),
                    comment: "Each value starts a run that the missing values after it belong to."
                        .into(),
                    body: format!("SELECT r.*,\n{}\nFROM kmgov_rows r", comma_lines(&runs)),
                });
                let mut index = 0;
                ctes.push(self.filled_cte("kmgov_runs", comment, |id| {
                    let run =
                        format!("MAX({id}) OVER (PARTITION BY kmgov_unit, kmgov_run_{index})");
                    index += 1;
                    run
                }));
            }
        }
        "kmgov_filled".into()
    }

    /// The rows with each indicator's missing values filled by `fill`.
    fn filled_cte(&self, from: &str, comment: &str, mut fill: impl FnMut(&str) -> String) -> Cte {
        let mut columns = self.key_columns("");
        for indicator in &self.indicators {
            let id = self.q(&indicator.id);
            columns.push(format!("COALESCE({id}, {}) AS {id}", fill(&id)));
        }
        Cte {
            name: "kmgov_filled".into(),
            comment: comment.into(),
            body: format!("SELECT\n{}\nFROM {from}", comma_lines(&columns)),
        }
    }

    /// The key columns every stage carries, each prefixed by `alias`.
    pub(super) fn key_columns(&self, alias: &str) -> Vec<String> {
        let mut keys: Vec<String> = ["kmgov_unit", "kmgov_period", "kmgov_order"]
            .iter()
            .map(|k| format!("{alias}{k}"))
            .collect();
        if self.uses_population() {
            keys.push(format!("{alias}kmgov_population"));
        }
        keys
    }
}

/// Stands between an item of [`comma_lines`] and its comment.
pub(super) const NOTE: char = '\u{1}';

/// Items one per line, indented, separated by commas (a trailing comment
/// stays after its comma).
pub(super) fn comma_lines(items: &[String]) -> String {
    let last = items.len().saturating_sub(1);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let (code, note) = match item.split_once(NOTE) {
                Some((code, note)) => (code, format!("  {note}")),
                None => (item.as_str(), String::new()),
            };
            let comma = if i < last { "," } else { "" };
            format!("  {code}{comma}{note}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
