//! Normalisation: each indicator's raw value → its score, with the
//! statistics of its scope (docs/METHODOLOGY.md §2).

use super::input::{NOTE, comma_lines};
use super::{Cte, Gen};
use crate::definition::{Direction, Indicator, Normalize, Scope};

impl Gen<'_> {
    /// The CTEs that normalise `source`; returns the name of the one with
    /// the scores (`kmgov_scores`).
    pub(super) fn score_ctes_of(&self, source: &str, ctes: &mut Vec<Cte>) -> String {
        let mut from = source.to_string();
        if self.base_ranks_needed() {
            ctes.push(self.base_ranks_cte(source));
            from = "kmgov_base_ranks".into();
        }
        let stats = self.stats_cte(source);
        let has_stats = stats.is_some();
        ctes.extend(stats);
        let mut columns = self.key_columns("r.");
        for indicator in &self.indicators {
            columns.push(format!(
                "{} AS {}{NOTE}-- {}",
                self.normalized(indicator),
                self.q(&indicator.id),
                self.describe(indicator)
            ));
        }
        let join = match (has_stats, self.def.method.scope) {
            (false, _) => String::new(),
            (true, Scope::Period) => "\nJOIN kmgov_stats s ON s.kmgov_order = r.kmgov_order".into(),
            (true, Scope::Pooled | Scope::Base) => "\nCROSS JOIN kmgov_stats s".into(),
        };
        ctes.push(Cte {
            name: "kmgov_scores".into(),
            comment: "Each indicator's score (normalisation, §2 of docs/METHODOLOGY.md).".into(),
            body: format!("SELECT\n{}\nFROM {from} r{join}", comma_lines(&columns)),
        });
        "kmgov_scores".into()
    }

    /// `name: minmax, lower is better` for a score's comment.
    fn describe(&self, indicator: &Indicator) -> String {
        let name = if indicator.name == indicator.id {
            String::new()
        } else {
            format!("{}: ", self.comment(&indicator.name))
        };
        let method = match (indicator.normalize, indicator.goalposts) {
            (Normalize::Goalposts, Some(g)) => format!("goalposts [{}, {}]", g.lo, g.hi),
            (method, _) => method.to_string(),
        };
        let direction = match indicator.direction {
            Direction::Higher => "higher is better",
            Direction::Lower => "lower is better",
        };
        format!("{name}{method}, {direction}")
    }

    /// The rows whose statistics score every row under base scope.
    fn base_condition(&self) -> String {
        match &self.def.method.base_period {
            Some(base) => format!(
                "kmgov_order = (SELECT kmgov_order FROM kmgov_periods WHERE kmgov_period = {})",
                self.text(&crate::data::period_label(base))
            ),
            None => "kmgov_order = 1".into(),
        }
    }

    /// The statistics each indicator's method needs, per scope group.
    fn stats_cte(&self, source: &str) -> Option<Cte> {
        let scope = self.def.method.scope;
        let mut columns = Vec::new();
        if scope == Scope::Period {
            columns.push("kmgov_order".to_string());
        }
        for indicator in &self.indicators {
            let id = self.q(&indicator.id);
            let named = |stat: &str, expr: String| {
                format!("{expr} AS {}", self.q(&format!("{stat}({})", indicator.id)))
            };
            let base_checks = scope == Scope::Base && indicator.normalize.is_data_driven();
            let extent = base_checks
                || matches!(
                    indicator.normalize,
                    Normalize::Minmax | Normalize::Efficacy | Normalize::Zscore
                );
            if extent {
                columns.push(named("min", format!("MIN({id})")));
                columns.push(named("max", format!("MAX({id})")));
            }
            if indicator.normalize == Normalize::Zscore {
                columns.push(named("mean", format!("AVG({id})")));
                columns.push(named("sd", format!("STDDEV_SAMP({id})")));
            }
            if base_checks {
                columns.push(named("n", format!("COUNT({id})")));
            }
        }
        let has_any = columns.len() > usize::from(scope == Scope::Period);
        if !has_any {
            return None;
        }
        let (filter, group) = match scope {
            Scope::Period => (String::new(), "\nGROUP BY kmgov_order".to_string()),
            Scope::Pooled => (String::new(), String::new()),
            Scope::Base => (format!("\nWHERE {}", self.base_condition()), String::new()),
        };
        let comment = match scope {
            Scope::Period => "The statistics of each period (scope = \"period\").",
            Scope::Pooled => "The statistics of every row of every period (scope = \"pooled\").",
            Scope::Base => {
                "The statistics of the base period, which score every period (scope = \"base\")."
            }
        };
        Some(Cte {
            name: "kmgov_stats".into(),
            comment: comment.into(),
            body: format!(
                "SELECT\n{}\nFROM {source}{filter}{group}",
                comma_lines(&columns)
            ),
        })
    }

    /// A statistic of an indicator, from the stats CTE.
    fn stat(&self, stat: &str, indicator: &Indicator) -> String {
        format!("s.{}", self.q(&format!("{stat}({})", indicator.id)))
    }

    /// The score of one indicator.
    fn normalized(&self, indicator: &Indicator) -> String {
        let x = format!("r.{}", self.q(&indicator.id));
        let higher = indicator.direction == Direction::Higher;
        let (min, max) = (self.stat("min", indicator), self.stat("max", indicator));
        let position = || {
            if higher {
                format!("100 * ({x} - {min}) / ({max} - {min})")
            } else {
                format!("100 * ({max} - {x}) / ({max} - {min})")
            }
        };
        match indicator.normalize {
            Normalize::None => x,
            Normalize::Goalposts => {
                let Some(g) = indicator.goalposts else {
                    return x;
                };
                let share = if higher {
                    format!("({x} - {}) / {}", self.num(g.lo), self.num(g.hi - g.lo))
                } else {
                    format!("({} - {x}) / {}", self.num(g.hi), self.num(g.hi - g.lo))
                };
                format!(
                    "100 * CASE WHEN {share} < 0 THEN 0 WHEN {share} > 1 THEN 1 ELSE {share} END"
                )
            }
            Normalize::Minmax => format!(
                "CASE WHEN {x} IS NULL THEN NULL WHEN {max} = {min} THEN 50 ELSE {} END",
                position()
            ),
            Normalize::Efficacy => format!(
                "CASE WHEN {x} IS NULL THEN NULL WHEN {max} = {min} THEN 80 ELSE 60 + {} * ({}) END",
                self.num(0.4),
                position()
            ),
            Normalize::Zscore => {
                let (mean, sd) = (self.stat("mean", indicator), self.stat("sd", indicator));
                let z = if higher {
                    format!("({x} - {mean}) / {sd}")
                } else {
                    format!("-(({x} - {mean}) / {sd})")
                };
                format!("CASE WHEN {x} IS NULL THEN NULL WHEN {max} = {min} THEN 0 ELSE {z} END")
            }
            Normalize::Rank if self.def.method.scope == Scope::Base => {
                self.base_rank_score(indicator, &x)
            }
            Normalize::Rank => self.own_rank_score(indicator, &x),
        }
    }

    /// Rank among the values of the same scope group, ties sharing the
    /// average of their positions: RANK() + (ties − 1)/2.
    fn own_rank_score(&self, indicator: &Indicator, x: &str) -> String {
        let (group, whole) = match self.def.method.scope {
            Scope::Period => ("r.kmgov_order, ", "PARTITION BY r.kmgov_order"),
            _ => ("", ""),
        };
        let order = if indicator.direction == Direction::Higher {
            x.to_string()
        } else {
            format!("{x} DESC")
        };
        let double = |e: &str| self.d.as_double(e);
        let rank = double(&format!(
            "RANK() OVER (PARTITION BY {group}({x} IS NULL) ORDER BY {order})"
        ));
        let ties = double(&format!("COUNT(*) OVER (PARTITION BY {group}{x}) - 1"));
        let n = format!("COUNT({x}) OVER ({whole})");
        format!(
            "CASE WHEN {x} IS NULL THEN NULL WHEN {n} <= 1 THEN 50 ELSE 100 * ({rank} + {ties} / 2 - 1) / {} END",
            double(&format!("{n} - 1"))
        )
    }

    /// Rank against the base period's values: (#below + #at-or-below + 1)/2,
    /// held between 1 and n.
    fn base_rank_score(&self, indicator: &Indicator, x: &str) -> String {
        let aux = |s: &str| format!("r.{}", self.q(&format!("{s}({})", indicator.id)));
        let (at_or_below, at) = (aux("at_or_below"), aux("at"));
        let n = self.stat("n", indicator);
        let t = format!(
            "{} / 2",
            self.d.as_double(&format!("2 * {at_or_below} - {at} + 1"))
        );
        let held = format!("CASE WHEN {t} < 1 THEN 1 WHEN {t} > {n} THEN {n} ELSE {t} END");
        format!(
            "CASE WHEN {x} IS NULL THEN NULL WHEN {n} <= 1 THEN 50 ELSE 100 * ({held} - 1) / {} END",
            self.d.as_double(&format!("{n} - 1"))
        )
    }

    fn base_ranks_needed(&self) -> bool {
        self.def.method.scope == Scope::Base
            && self
                .indicators
                .iter()
                .any(|i| i.normalize == Normalize::Rank)
    }

    /// Under base scope, for each rank-normalised indicator: how many base
    /// values lie at or below each value, and how many equal it — counted
    /// by running the base rows beside every row in one window.
    fn base_ranks_cte(&self, source: &str) -> Cte {
        let mut columns = vec!["t.*".to_string()];
        for indicator in self
            .indicators
            .iter()
            .filter(|i| i.normalize == Normalize::Rank)
        {
            let x = self.q(&indicator.id);
            let order = match indicator.direction {
                Direction::Higher => x.clone(),
                Direction::Lower => format!("{x} DESC"),
            };
            let count =
                format!("SUM(CASE WHEN kmgov_reference = 1 AND {x} IS NOT NULL THEN 1 ELSE 0 END)");
            columns.push(format!(
                "{count} OVER (ORDER BY {order} RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS {}",
                self.q(&format!("at_or_below({})", indicator.id))
            ));
            columns.push(format!(
                "{count} OVER (PARTITION BY {x}) AS {}",
                self.q(&format!("at({})", indicator.id))
            ));
        }
        Cte {
            name: "kmgov_base_ranks".into(),
            comment: "scope = \"base\", rank: each value placed among the base period's values."
                .into(),
            body: format!(
                "SELECT * FROM (\n  SELECT\n  {}\n  FROM (\n    SELECT r.*, 0 AS kmgov_reference FROM {source} r\n    UNION ALL\n    SELECT r.*, 1 AS kmgov_reference FROM {source} r WHERE {}\n  ) t\n) u\nWHERE kmgov_reference = 0",
                comma_lines(&columns).trim_start(),
                self.base_condition()
            ),
        }
    }
}
