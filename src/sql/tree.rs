//! Aggregation: the tree bottom-up, one CTE per level (docs/METHODOLOGY.md
//! §3), or TOPSIS on the raw values for `aggregate = "topsis"`.

use super::input::{NOTE, comma_lines};
use super::{Cte, Gen};
use crate::definition::{Aggregate, Children, Direction, Missing, Parent, Scope};

/// One child of a node: its column, its weight among its siblings, and
/// how a message names it.
struct Child {
    column: String,
    weight: f64,
    named: String,
}

impl Gen<'_> {
    /// One CTE per level of groups (deepest first), then the dimensions,
    /// then the composite.
    pub(super) fn tree_ctes(&self, scored: &str) -> Vec<Cte> {
        let mut ctes = Vec::new();
        let mut from = scored.to_string();
        let deepest = self.def.groups.iter().map(|g| g.level).max().unwrap_or(1);
        for level in (2..=deepest).rev() {
            let columns: Vec<String> = (0..self.def.groups.len())
                .filter(|&g| self.def.groups[g].level == level)
                .map(|g| self.node_column(Parent::Group(g)))
                .collect();
            let name = format!("kmgov_level_{level}");
            ctes.push(Cte {
                name: name.clone(),
                comment: format!(
                    "The groups at level {level} of the tree, from their children's scores."
                ),
                body: format!("SELECT s.*,\n{}\nFROM {from} s", comma_lines(&columns)),
            });
            from = name;
        }
        let mut columns = self.key_columns("s.");
        columns
            .extend((0..self.def.dimensions.len()).map(|d| self.node_column(Parent::Dimension(d))));
        ctes.push(Cte {
            name: "kmgov_dimensions".into(),
            comment: "The dimensions, from their children's scores.".into(),
            body: format!("SELECT\n{}\nFROM {from} s", comma_lines(&columns)),
        });
        let children: Vec<Child> = self
            .def
            .dimensions
            .iter()
            .map(|d| Child {
                column: self.q(&d.id),
                weight: d.weight,
                named: format!("dimension `{}`", d.id),
            })
            .collect();
        let composite = self.aggregate(self.def.method.aggregate, &children);
        ctes.push(Cte {
            name: "kmgov_composite".into(),
            comment: format!(
                "The composite: {} aggregation of the dimensions.",
                self.def.method.aggregate
            ),
            body: format!("SELECT d.*,\n  {composite} AS kmgov_composite\nFROM kmgov_dimensions d"),
        });
        ctes
    }

    /// `<aggregate of the children> AS "node" -- name: method`.
    fn node_column(&self, node: Parent) -> String {
        let (id, name) = match node {
            Parent::Dimension(d) => (&self.def.dimensions[d].id, &self.def.dimensions[d].name),
            Parent::Group(g) => (&self.def.groups[g].id, &self.def.groups[g].name),
        };
        let children: Vec<Child> = match self.def.children(node) {
            Children::Indicators(range) => range
                .clone()
                .map(|i| Child {
                    column: self.q(&self.indicators[i].id),
                    weight: self.indicators[i].weight,
                    named: format!("indicator `{}`", self.indicators[i].id),
                })
                .collect(),
            Children::Groups(groups) => groups
                .iter()
                .map(|&g| Child {
                    column: self.q(&self.def.groups[g].id),
                    weight: self.def.groups[g].weight,
                    named: format!("group `{}`", self.def.groups[g].id),
                })
                .collect(),
        };
        let method = self.def.aggregate_of(node);
        let label = if name == id {
            String::new()
        } else {
            format!("{}: ", self.comment(name))
        };
        format!(
            "{} AS {}{NOTE}-- {label}{method}",
            self.aggregate(method, &children),
            self.q(id)
        )
    }

    /// The children's aggregate, their weights renormalised over those
    /// present (under `missing = "skip"`; otherwise every child is present).
    /// Children that weigh nothing take no part.
    fn aggregate(&self, method: Aggregate, children: &[Child]) -> String {
        let children: Vec<&Child> = children.iter().filter(|c| c.weight > 0.0).collect();
        let skip = self.def.method.missing == Missing::Skip;
        let w = |c: &Child| self.num(c.weight);
        let guarded = |c: &Child| self.positive(method, c);
        // Σ w over the children present, in order, as kmgov adds them.
        let weight_sum = if skip {
            let terms: Vec<String> = children
                .iter()
                .map(|c| format!("CASE WHEN {} IS NULL THEN 0 ELSE {} END", c.column, w(c)))
                .collect();
            format!("NULLIF({}, 0)", terms.join(" + "))
        } else {
            self.num(children.iter().fold(0.0, |sum, c| sum + c.weight))
        };
        let sum = |term: &dyn Fn(&Child) -> String| -> String {
            children
                .iter()
                .map(|c| {
                    if skip {
                        format!("COALESCE({}, 0)", term(c))
                    } else {
                        term(c)
                    }
                })
                .collect::<Vec<_>>()
                .join(" + ")
        };
        match method {
            Aggregate::Arithmetic | Aggregate::Topsis => {
                format!(
                    "({}) / {weight_sum}",
                    sum(&|c| format!("{} * {}", w(c), c.column))
                )
            }
            Aggregate::Geometric => format!(
                "EXP(({}) / {weight_sum})",
                sum(&|c| format!("{} * LN({})", w(c), guarded(c)))
            ),
            Aggregate::Harmonic => {
                let reciprocals = sum(&|c| format!("{} / {}", w(c), guarded(c)));
                if skip {
                    format!("{weight_sum} / NULLIF({reciprocals}, 0)")
                } else {
                    format!("{weight_sum} / ({reciprocals})")
                }
            }
        }
    }

    /// A child's score as geometric or harmonic aggregation takes it: the
    /// query fails, naming the child, unit, period and score, when it is 0
    /// or below (where `LN` would fail or give a wrong answer), or, under
    /// harmonic, so close to 0 that weight/score overflows (the aggregate
    /// would collapse to 0).
    fn positive(&self, method: Aggregate, child: &Child) -> String {
        let c = &child.column;
        let message = |why: &str| {
            [
                self.text(&format!("kmgov: {}, unit ", child.named)),
                "kmgov_unit".into(),
                self.text(", period "),
                "kmgov_period".into(),
                self.text(": score "),
                self.d.as_text(c),
                self.text(&format!(" {why}")),
            ]
            .join(" || ")
        };
        let not_positive = message(&format!(
            "is not above zero, which {method} aggregation cannot take"
        ));
        if method == Aggregate::Harmonic {
            let tiny = message("is so close to zero that harmonic aggregation cannot take it");
            // weight/score overflows below weight/MAX; compared that way
            // round, since PostgreSQL fails on the overflow itself.
            format!(
                "CASE WHEN {c} IS NULL OR ({c} > 0 AND {c} >= {}) THEN {c} WHEN {c} > 0 THEN {} ELSE {} END",
                self.num(child.weight / f64::MAX),
                self.d.fail(&tiny),
                self.d.fail(&not_positive)
            )
        } else {
            format!(
                "CASE WHEN {c} IS NULL OR {c} > 0 THEN {c} ELSE {} END",
                self.d.fail(&not_positive)
            )
        }
    }

    /// `aggregate = "topsis"`: every dimension and the composite scored by
    /// TOPSIS on the raw values of the indicators below it (vector
    /// normalisation within the scope group, the indicators' global
    /// weights, distances to the ideal and anti-ideal).
    pub(super) fn topsis_ctes(&self, source: &str) -> Vec<Cte> {
        let period = self.def.method.scope == Scope::Period;
        let group_by = if period { "\nGROUP BY kmgov_order" } else { "" };
        let group_by_row = if period {
            "\nGROUP BY r.kmgov_order"
        } else {
            ""
        };
        let join_kw = if period { "JOIN" } else { "CROSS JOIN" };
        let mut largest = Vec::new();
        let mut norms = Vec::new();
        let mut unit_values = self.key_columns("r.");
        let mut extremes = Vec::new();
        for indicator in &self.indicators {
            let x = self.q(&indicator.id);
            let stat = |s: &str| self.q(&format!("{s}({})", indicator.id));
            largest.push(format!("MAX(ABS({x})) AS {}", stat("largest")));
            norms.push(format!(
                "SQRT(SUM(({x} / NULLIF(s.{l}, 0)) * ({x} / NULLIF(s.{l}, 0)))) AS {}",
                stat("norm"),
                l = stat("largest")
            ));
            unit_values.push(format!(
                "CASE WHEN r.{x} IS NULL THEN NULL WHEN s.{l} = 0 THEN 0 ELSE (r.{x} / s.{l}) / n.{n} END AS {x}",
                l = stat("largest"),
                n = stat("norm")
            ));
            extremes.push(format!("MAX({x}) AS {}", stat("max")));
            extremes.push(format!("MIN({x}) AS {}", stat("min")));
        }
        // The columns per scope group: per period, or one row for all.
        let group_select = |key: &str, columns: &[String]| {
            let key = if period {
                format!("  {key}kmgov_order,\n")
            } else {
                String::new()
            };
            format!("SELECT\n{key}{}", comma_lines(columns))
        };
        let mut ctes = vec![
            Cte {
                name: "kmgov_topsis_largest".into(),
                comment: "TOPSIS: each indicator's largest magnitude in the scope group (the norm is taken on values divided by it).".into(),
                body: format!("{}\nFROM {source}{group_by}", group_select("", &largest)),
            },
            Cte {
                name: "kmgov_topsis_norms".into(),
                comment: "TOPSIS: each indicator's vector norm in the scope group.".into(),
                body: format!(
                    "{}\nFROM {source} r\n{join_kw} kmgov_topsis_largest{}{group_by_row}",
                    group_select("r.", &norms),
                    if period { " s ON s.kmgov_order = r.kmgov_order" } else { " s" },
                ),
            },
            Cte {
                name: "kmgov_topsis_values".into(),
                comment: "TOPSIS: each value divided by its indicator's norm (0 for an indicator of zeros).".into(),
                body: format!(
                    "SELECT\n{}\nFROM {source} r\n{join_kw} kmgov_topsis_largest{}\n{join_kw} kmgov_topsis_norms n{}",
                    comma_lines(&unit_values),
                    if period { " s ON s.kmgov_order = r.kmgov_order" } else { " s" },
                    if period { " ON n.kmgov_order = r.kmgov_order" } else { "" },
                ),
            },
            Cte {
                name: "kmgov_topsis_extremes".into(),
                comment: "TOPSIS: the best and worst normalised value of each indicator in the scope group.".into(),
                body: format!("{}\nFROM kmgov_topsis_values{group_by}", group_select("", &extremes)),
            },
        ];
        let mut nodes = self.key_columns("r.");
        for (d, range) in self.def.dimension_ranges().into_iter().enumerate() {
            let dimension = &self.def.dimensions[d];
            nodes.push(format!(
                "{} AS {}{}",
                self.topsis_node(range),
                self.q(&dimension.id),
                self.name_note(&dimension.id, &dimension.name)
            ));
        }
        nodes.push(format!(
            "{} AS kmgov_composite",
            self.topsis_node(0..self.indicators.len())
        ));
        ctes.push(Cte {
            name: "kmgov_composite".into(),
            comment: "TOPSIS scores of every dimension and of the composite: 100·D⁻/(D⁺ + D⁻), 50 where both are 0.".into(),
            body: format!(
                "SELECT\n{}\nFROM kmgov_topsis_values r\n{join_kw} kmgov_topsis_extremes{}",
                comma_lines(&nodes),
                if period { " e ON e.kmgov_order = r.kmgov_order" } else { " e" },
            ),
        });
        ctes
    }

    /// The TOPSIS score of the node holding the indicators in `range`.
    fn topsis_node(&self, range: std::ops::Range<usize>) -> String {
        let global = self.def.global_weights();
        let mut weights: Vec<f64> = global[range.clone()].to_vec();
        // A node whose indicators all weigh nothing scores as if they
        // weighed alike, as kmgov does.
        if weights.iter().all(|w| *w <= 0.0) {
            weights.fill(1.0);
        }
        let mut best = Vec::new();
        let mut worst = Vec::new();
        let mut present = Vec::new();
        for (i, w) in range.zip(weights) {
            let indicator = self.indicators[i];
            let x = format!("r.{}", self.q(&indicator.id));
            let (hi, lo) = (
                format!("e.{}", self.q(&format!("max({})", indicator.id))),
                format!("e.{}", self.q(&format!("min({})", indicator.id))),
            );
            let (ideal, anti) = match indicator.direction {
                Direction::Higher => (hi, lo),
                Direction::Lower => (lo, hi),
            };
            let w = self.num(w);
            let gap = |target: &str| {
                let g = format!("({w} * {x} - {w} * {target})");
                format!("COALESCE({g} * {g}, 0)")
            };
            best.push(gap(&ideal));
            worst.push(gap(&anti));
            present.push(format!("{x} IS NOT NULL"));
        }
        let d_best = format!("SQRT({})", best.join(" + "));
        let d_worst = format!("SQRT({})", worst.join(" + "));
        format!(
            "CASE WHEN NOT ({}) THEN NULL WHEN {d_best} + {d_worst} > 0 THEN 100 * ({d_worst} / ({d_best} + {d_worst})) ELSE 50 END",
            present.join(" OR ")
        )
    }
}
