//! The last stages: ranks, changes on the unit's previous period, the
//! result's columns, the totals, and the listing of missing cells.

use super::input::comma_lines;
use super::{Cte, Gen, Periods, Statement};
use crate::definition::{Normalize, Total};

impl Gen<'_> {
    /// Ranks within each period, then changes on the unit's previous period.
    pub(super) fn rank_ctes(&self) -> Vec<Cte> {
        vec![
            Cte {
                name: "kmgov_ranked".into(),
                comment: "Competition ranks within each period: 1 is the highest composite, ties share the lowest rank.".into(),
                body: "SELECT c.*,\n  CASE WHEN kmgov_composite IS NULL THEN NULL\n    ELSE RANK() OVER (PARTITION BY kmgov_order ORDER BY kmgov_composite DESC NULLS LAST) END AS kmgov_rank\nFROM kmgov_composite c".into(),
            },
            Cte {
                name: "kmgov_changes".into(),
                comment: "Each unit's previous period in the data, and rounding noise: 1e-12 of the largest composite.".into(),
                body: format!(
                    "SELECT r.*,\n  LAG(kmgov_composite) OVER (PARTITION BY kmgov_unit ORDER BY kmgov_order) AS kmgov_previous,\n  LAG(kmgov_rank) OVER (PARTITION BY kmgov_unit ORDER BY kmgov_order) AS kmgov_previous_rank,\n  {} * MAX(ABS(kmgov_composite)) OVER () AS kmgov_noise\nFROM kmgov_ranked r",
                    self.num(1e-12)
                ),
            },
        ]
    }

    /// True when a percentage change means something: never under z-scores.
    fn percentages(&self) -> bool {
        !self
            .indicators
            .iter()
            .any(|i| i.normalize == Normalize::Zscore)
    }

    /// The periods asked for, as a condition on the rows.
    fn period_filter(&self) -> String {
        match &self.request.periods {
            Periods::Latest => {
                "\n  AND kmgov_order = (SELECT MAX(kmgov_order) FROM kmgov_periods)".into()
            }
            Periods::One(period) => format!(
                "\n  AND kmgov_period = {}",
                self.text(&crate::data::period_label(period))
            ),
            Periods::All => String::new(),
        }
    }

    /// `100·change/previous`, null where kmgov leaves it null.
    fn percent(&self, now: &str, previous: &str, noise: &str) -> String {
        if self.percentages() {
            format!(
                "CASE WHEN {previous} > {noise} THEN 100 * ({now} - {previous}) / {previous} END"
            )
        } else {
            format!(
                "{}  -- null: a percentage of a z-score means nothing",
                self.d.as_double("NULL")
            )
        }
    }

    /// The result: the columns of `kmgov score --format csv`.
    pub(super) fn final_select(&self) -> String {
        let columns = self.result_columns(
            "kmgov_rank",
            "kmgov_unit",
            "kmgov_composite",
            "kmgov_previous_rank - kmgov_rank",
        );
        format!(
            "SELECT\n{}\nFROM kmgov_changes\nCROSS JOIN kmgov_check c\nWHERE {}{}\nORDER BY kmgov_order, kmgov_rank NULLS LAST, {}",
            comma_lines(&columns),
            self.guard("c"),
            self.period_filter(),
            self.d.binary("kmgov_unit"),
        )
    }

    /// period, rank, unit, composite, the dimensions, change, pct_change,
    /// rank_change: from the expressions given and `kmgov_previous`.
    fn result_columns(
        &self,
        rank: &str,
        unit: &str,
        composite: &str,
        rank_change: &str,
    ) -> Vec<String> {
        let named = |expr: &str, name: &str| format!("{expr} AS {}", self.q(name));
        let mut columns = vec![
            named("kmgov_period", "period"),
            named(rank, "rank"),
            named(unit, "unit"),
            named(composite, "composite"),
        ];
        columns.extend(self.def.dimensions.iter().map(|d| self.q(&d.id)));
        columns.push(named(&format!("{composite} - kmgov_previous"), "change"));
        let percent = self.percent(composite, "kmgov_previous", "kmgov_noise");
        columns.push(match percent.split_once("  -- ") {
            Some((code, note)) => format!(
                "{}{}-- {note}",
                named(code, "pct_change"),
                super::input::NOTE
            ),
            None => named(&percent, "pct_change"),
        });
        columns.push(named(rank_change, "rank_change"));
        columns
    }

    /// Each period's total and each dimension's, by the `total` rule.
    pub(super) fn total_ctes(&self) -> Vec<Cte> {
        let figure = |column: &str| -> String {
            match self.def.method.total {
                Total::None => self.d.as_double("NULL"),
                Total::Mean => format!("AVG({column})"),
                Total::Population => format!(
                    "SUM(CASE WHEN {column} IS NULL THEN NULL ELSE kmgov_population * {column} END) / SUM(CASE WHEN {column} IS NULL THEN NULL ELSE kmgov_population END)"
                ),
            }
        };
        let mut columns = vec![
            "kmgov_order".to_string(),
            "MIN(kmgov_period) AS kmgov_period".into(),
            format!("{} AS kmgov_total", figure("kmgov_composite")),
        ];
        for dimension in &self.def.dimensions {
            let id = self.q(&dimension.id);
            columns.push(format!("{} AS {id}", figure(&id)));
        }
        vec![
            Cte {
                name: "kmgov_totals".into(),
                comment: format!(
                    "Each period's total and dimension totals (total = \"{}\").",
                    self.def.method.total
                ),
                body: format!(
                    "SELECT\n{}\nFROM kmgov_composite\nGROUP BY kmgov_order",
                    comma_lines(&columns)
                ),
            },
            Cte {
                name: "kmgov_total_changes".into(),
                comment: "The previous period's total, and rounding noise as for the units.".into(),
                body: format!(
                    "SELECT t.*,\n  LAG(kmgov_total) OVER (ORDER BY kmgov_order) AS kmgov_previous,\n  (SELECT {} * MAX(ABS(kmgov_composite)) FROM kmgov_composite) AS kmgov_noise\nFROM kmgov_totals t",
                    self.num(1e-12)
                ),
            },
        ]
    }

    /// The total rows: the columns of the result, unit `total`.
    pub(super) fn total_select(&self) -> String {
        let none = "CAST(NULL AS BIGINT)";
        let columns = self.result_columns(none, "'total'", "kmgov_total", none);
        // Under total = "none" there is no total, and `kmgov score
        // --total-row` writes no total row: no row here either.
        let no_total = if self.def.method.total == Total::None {
            "\n  AND 1 = 0  -- total = \"none\""
        } else {
            ""
        };
        format!(
            "SELECT\n{}\nFROM kmgov_total_changes\nCROSS JOIN kmgov_check c\nWHERE {}{}{no_total}\nORDER BY kmgov_order",
            comma_lines(&columns),
            self.guard("c"),
            self.period_filter(),
        )
    }

    /// Under `missing = "error"`: the missing cells, to run first; it
    /// returns no row when the scores can be computed.
    pub(super) fn missing_cells_statement(&self) -> Statement {
        let ctes = self.input_ctes();
        // One pass over the rows against a list of the indicators, rather
        // than one pass per indicator.
        let list: Vec<String> = self
            .indicators
            .iter()
            .enumerate()
            .map(|(i, indicator)| format!("({i}, {})", self.text(&indicator.id)))
            .collect();
        let tests: Vec<String> = self
            .indicators
            .iter()
            .enumerate()
            .map(|(i, indicator)| format!("WHEN {i} THEN r.{} IS NULL", self.q(&indicator.id)))
            .collect();
        let select = format!(
            "SELECT r.kmgov_unit AS {}, r.kmgov_period AS {}, i.kmgov_indicator AS {}\nFROM kmgov_rows r\nCROSS JOIN {}\nWHERE CASE i.kmgov_position\n  {}\nEND\nORDER BY r.kmgov_order, {}, i.kmgov_position",
            self.q("unit"),
            self.q("period"),
            self.q("indicator"),
            self.d.values(&list, "i", "kmgov_position, kmgov_indicator"),
            tests.join("\n  "),
            self.d.binary("r.kmgov_unit"),
        );
        Statement {
            purpose: "the missing cells (missing = \"error\"): run first; no row means the scores can be computed".into(),
            text: self.statement(&ctes, &select),
        }
    }
}
