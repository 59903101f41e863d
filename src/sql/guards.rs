//! The checks `kmgov score` makes on the data, as rows of `kmgov_problems`:
//! the query fails with the first of them (and their count) instead of
//! returning a number kmgov would not.

use super::input::comma_lines;
use super::{Cte, Form, Gen, Periods};
use crate::definition::{Missing, Scope, Total};

impl Gen<'_> {
    /// `kmgov_problems` (one row per problem, each a message) and
    /// `kmgov_check` (their count and the first).
    pub(super) fn guard_ctes(&self, source: &str) -> Vec<Cte> {
        let mut parts = vec![self.unkeyed_rows(), self.repeated_rows()];
        if self.request.form == Form::Long {
            parts.push(self.absent_indicators());
        }
        parts.push(self.odd_periods());
        if self.d == super::Dialect::Spark {
            parts.push(self.not_numbers());
        }
        parts.extend(self.missing_values(source));
        if self.uses_population() {
            parts.push(self.bad_population());
        }
        if self.def.method.scope == Scope::Base {
            parts.extend(self.base_problems());
        }
        if let Periods::One(period) = &self.request.periods {
            parts.push(self.unknown_period(period));
        }
        vec![
            Cte {
                name: "kmgov_problems".into(),
                comment: "Everything that would stop `kmgov score`, one message per problem.".into(),
                body: parts.join("\nUNION ALL\n"),
            },
            Cte {
                name: "kmgov_check".into(),
                comment: "How many problems, and the first.".into(),
                body: "SELECT COUNT(*) AS kmgov_problems, MIN(kmgov_problem) AS kmgov_first\nFROM kmgov_problems".into(),
            },
        ]
    }

    /// The condition that fails the query with the first problem.
    pub(super) fn guard(&self, check: &str) -> String {
        let message = format!(
            "{check}.kmgov_first || ' (' || {} || ' problem(s) in all; `kmgov check` lists them for a CSV)'",
            self.d.as_text(&format!("{check}.kmgov_problems"))
        );
        format!(
            "CASE WHEN {check}.kmgov_problems = 0 THEN 1 ELSE {} END = 1",
            self.d.fail(&message)
        )
    }

    /// `'kmgov: ' || …`: a message from literal text and expressions.
    fn message(&self, parts: &[Part]) -> String {
        let mut out = vec![self.text("kmgov: ")];
        for part in parts {
            out.push(match part {
                Part::Text(text) => self.text(text),
                Part::Expr(expr) => format!("COALESCE({expr}, '')"),
            });
        }
        out.join(" || ")
    }

    fn unkeyed_rows(&self) -> String {
        let message = self.message(&[
            Part::Text(&format!(
                "a row has no unit (column {}) or no period (column {}): ",
                self.def.columns.unit, self.def.columns.period
            )),
            Part::Expr("kmgov_unit"),
            Part::Text(" / "),
            Part::Expr("kmgov_period"),
        ]);
        format!(
            "SELECT {message} AS kmgov_problem\nFROM kmgov_input\nWHERE kmgov_unit IS NULL OR kmgov_unit = '' OR kmgov_period IS NULL OR kmgov_period = ''"
        )
    }

    fn repeated_rows(&self) -> String {
        let count = self.d.as_text("COUNT(*)");
        match self.request.form {
            Form::Wide => {
                let message = self.message(&[
                    Part::Text("unit "),
                    Part::Expr("kmgov_unit"),
                    Part::Text(", period "),
                    Part::Expr("kmgov_period"),
                    Part::Text(" has "),
                    Part::Expr(&count),
                    Part::Text(" rows; keep one row per unit and period"),
                ]);
                format!(
                    "SELECT {message} AS kmgov_problem\nFROM kmgov_input\nGROUP BY kmgov_unit, kmgov_period\nHAVING COUNT(*) > 1"
                )
            }
            Form::Long => {
                let message = self.message(&[
                    Part::Text("indicator "),
                    Part::Expr("kmgov_indicator"),
                    Part::Text(", unit "),
                    Part::Expr("kmgov_unit"),
                    Part::Text(", period "),
                    Part::Expr("kmgov_period"),
                    Part::Text(" has "),
                    Part::Expr(&count),
                    Part::Text(" rows; keep one"),
                ]);
                format!(
                    "SELECT {message} AS kmgov_problem\nFROM kmgov_cells\nWHERE kmgov_indicator IN ({})\nGROUP BY kmgov_unit, kmgov_period, kmgov_indicator\nHAVING COUNT(*) > 1",
                    self.long_names().join(", ")
                )
            }
        }
    }

    /// The names a long table's `indicator` column may hold, as literals.
    fn long_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.indicators.iter().map(|i| self.text(&i.id)).collect();
        if self.uses_population()
            && let Some(population) = &self.def.columns.population
        {
            names.push(self.text(population));
        }
        names
    }

    fn absent_indicators(&self) -> String {
        let cases: Vec<String> = self
            .indicators
            .iter()
            .map(|i| {
                let name = self.text(&i.id);
                format!(
                    "CASE WHEN SUM(CASE WHEN kmgov_indicator = {name} THEN 1 ELSE 0 END) = 0 THEN {name} END"
                )
            })
            .collect();
        let message = self.message(&[
            Part::Text("the table has no row for indicator(s) "),
            Part::Expr("kmgov_absent"),
        ]);
        format!(
            "SELECT {message} AS kmgov_problem\nFROM (\n  SELECT CONCAT_WS(', ',\n  {}) AS kmgov_absent\n  FROM kmgov_cells\n) t\nWHERE kmgov_absent <> ''",
            comma_lines(&cases).trim_start()
        )
    }

    /// Spark (without ANSI mode) casts text that is not a number to NULL,
    /// which would pass for a missing value; kmgov refuses it.
    fn not_numbers(&self) -> String {
        let c = &self.def.columns;
        let bad = |column: &str| {
            let raw = self.q(column);
            format!(
                "{raw} IS NOT NULL AND TRIM({}) <> '' AND {} IS NULL",
                self.d.as_text(&raw),
                self.d.as_double(&raw)
            )
        };
        let (cases, what) = match self.request.form {
            Form::Wide => (
                self.indicators
                    .iter()
                    .map(|i| format!("CASE WHEN {} THEN {} END", bad(&i.id), self.text(&i.id)))
                    .collect::<Vec<_>>(),
                "the value of ",
            ),
            Form::Long => (
                vec![format!(
                    "CASE WHEN {} THEN {} END",
                    bad("value"),
                    self.d.as_text(&self.q("value"))
                )],
                "a value that is not a number: ",
            ),
        };
        let message = self.message(&[
            Part::Text("unit "),
            Part::Expr("kmgov_unit"),
            Part::Text(", period "),
            Part::Expr("kmgov_period"),
            Part::Text(&format!(": {what}")),
            Part::Expr("kmgov_bad"),
            Part::Text(" is not a number"),
        ]);
        format!(
            "SELECT {message} AS kmgov_problem\nFROM (\n  SELECT {} AS kmgov_unit, {} AS kmgov_period, CONCAT_WS(', ',\n  {}) AS kmgov_bad\n  FROM {}\n) t\nWHERE kmgov_bad <> ''",
            self.label_of(&c.unit),
            self.label_of(&c.period),
            super::input::comma_lines(&cases).trim_start(),
            self.table
        )
    }

    fn odd_periods(&self) -> String {
        let message = self.message(&[
            Part::Text("period "),
            Part::Expr("kmgov_period"),
            Part::Text(
                " is a date that kmgov orders by date and this query cannot (a quarter or month named first, a month name, 一季度, a two-digit year); store periods as 2019Q1, 2019-01 or 2019-01-31",
            ),
        ]);
        format!("SELECT {message} AS kmgov_problem\nFROM kmgov_periods\nWHERE kmgov_odd_date = 1")
    }

    /// Cells still missing where the rule does not allow it.
    fn missing_values(&self, source: &str) -> Option<String> {
        let why = match self.def.method.missing {
            Missing::Skip => return None,
            Missing::Error => {
                "missing (missing = \"error\"; fill them, or set [method] missing = \"skip\", \"mean\" or \"carry\")"
            }
            Missing::Mean => {
                "missing, and no unit has a value in that period to take the mean of (missing = \"mean\")"
            }
            Missing::Carry => {
                "missing, and the unit has no earlier value to carry (missing = \"carry\")"
            }
        };
        let cases: Vec<String> = self
            .indicators
            .iter()
            .map(|i| {
                format!(
                    "CASE WHEN {} IS NULL THEN {} END",
                    self.q(&i.id),
                    self.text(&i.id)
                )
            })
            .collect();
        let message = self.message(&[
            Part::Text("unit "),
            Part::Expr("kmgov_unit"),
            Part::Text(", period "),
            Part::Expr("kmgov_period"),
            Part::Text(": the value of "),
            Part::Expr("kmgov_missing"),
            Part::Text(&format!(" is {why}")),
        ]);
        Some(format!(
            "SELECT {message} AS kmgov_problem\nFROM (\n  SELECT kmgov_unit, kmgov_period, CONCAT_WS(', ',\n  {}) AS kmgov_missing\n  FROM {source}\n) t\nWHERE kmgov_missing <> ''",
            comma_lines(&cases).trim_start()
        ))
    }

    fn bad_population(&self) -> String {
        let message = self.message(&[
            Part::Text("unit "),
            Part::Expr("kmgov_unit"),
            Part::Text(", period "),
            Part::Expr("kmgov_period"),
            Part::Text(
                ": the population is missing or not above zero, needed by total = \"population\"",
            ),
        ]);
        debug_assert_eq!(self.def.method.total, Total::Population);
        format!(
            "SELECT {message} AS kmgov_problem\nFROM kmgov_rows\nWHERE kmgov_population IS NULL OR kmgov_population <= 0"
        )
    }

    /// The base period exists; every data-driven indicator has a value in
    /// it, and not the same value for every unit.
    fn base_problems(&self) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(base) = &self.def.method.base_period {
            let label = crate::data::period_label(base);
            let found = self.d.as_text("kmgov_found");
            let message = self.message(&[
                Part::Text(&format!(
                    "base_period `{label}` is not a period of the data ("
                )),
                Part::Expr(&found),
                Part::Text(" rows); set [method] base_period to one of its periods"),
            ]);
            parts.push(format!(
                "SELECT {message} AS kmgov_problem\nFROM (SELECT COUNT(*) AS kmgov_found FROM kmgov_periods WHERE kmgov_period = {}) t\nWHERE kmgov_found = 0",
                self.text(&label)
            ));
        }
        for indicator in self
            .indicators
            .iter()
            .filter(|i| i.normalize.is_data_driven())
        {
            let stat = |s: &str| self.q(&format!("{s}({})", indicator.id));
            let none = self.message(&[Part::Text(&format!(
                "indicator `{}` has no value in the base period",
                indicator.id
            ))]);
            let constant = self.message(&[
                Part::Text(&format!(
                    "indicator `{}` is the same for every unit in the base period (",
                    indicator.id
                )),
                Part::Expr(&self.d.as_text(&stat("min"))),
                Part::Text("), so it gives no scale to score other periods on"),
            ]);
            parts.push(format!(
                "SELECT CASE WHEN {n} = 0 THEN {none} ELSE {constant} END AS kmgov_problem\nFROM kmgov_stats\nWHERE {n} = 0 OR {min} = {max}",
                n = stat("n"),
                min = stat("min"),
                max = stat("max"),
            ));
        }
        parts
    }

    fn unknown_period(&self, period: &str) -> String {
        let label = crate::data::period_label(period);
        let message = self.message(&[
            Part::Text(&format!("the data has no period `{label}` (")),
            Part::Expr(&self.d.as_text("kmgov_found")),
            Part::Text(" rows)"),
        ]);
        format!(
            "SELECT {message} AS kmgov_problem\nFROM (SELECT COUNT(*) AS kmgov_found FROM kmgov_periods WHERE kmgov_period = {}) t\nWHERE kmgov_found = 0",
            self.text(&label)
        )
    }
}

/// A piece of a problem message.
enum Part<'a> {
    /// Literal text.
    Text(&'a str),
    /// An SQL expression of text (a NULL shows as nothing).
    Expr(&'a str),
}
