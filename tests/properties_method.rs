//! Invariants of the methods added for trustworthy year-on-year figures:
//! base scope, percentage changes and dimension totals, on generated panels.

use std::io::Cursor;

use kmgov::data::{self, ReadOptions};
use kmgov::pipeline;
use kmgov::report::{Detail, Report};
use kmgov::{Definition, Scores};
use proptest::prelude::*;

/// `values[period][unit]`, two indicators (x higher-is-better, y lower).
fn csv(values: &[Vec<(f64, f64)>]) -> String {
    let mut text = String::from("unit,period,x,y\n");
    for (p, units) in values.iter().enumerate() {
        for (u, (x, y)) in units.iter().enumerate() {
            text.push_str(&format!("u{u},{},{x},{y}\n", 2017 + p));
        }
    }
    text
}

fn definition(normalize: &str, scope: &str) -> Definition {
    let text = format!(
        "[index]\nname='P'\n[method]\nnormalize='{normalize}'\nscope='{scope}'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='y'\ndirection='lower'\n"
    );
    Definition::from_toml(&text, "p.toml").expect("generated definitions are valid")
}

fn score(definition: &Definition, csv: &str) -> Scores {
    try_score(definition, csv).expect("generated data score")
}

/// `None` only where base scope refuses an indicator constant in the base period.
fn try_score(definition: &Definition, csv: &str) -> Option<Scores> {
    let panel = data::read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "p.csv",
        definition,
        ReadOptions::default(),
    )
    .expect("generated data read");
    match pipeline::score(definition, panel) {
        Ok(scores) => Some(scores),
        Err(error) => {
            let text = error.to_string();
            assert!(text.contains("for every unit in the base period"), "{text}");
            None
        }
    }
}

fn value() -> impl Strategy<Value = f64> {
    (0u32..=10_000).prop_map(|v| f64::from(v) / 100.0)
}

/// 2–6 units over 2–3 periods.
fn panels() -> impl Strategy<Value = Vec<Vec<(f64, f64)>>> {
    (2usize..7, 2usize..4).prop_flat_map(|(units, periods)| {
        prop::collection::vec(prop::collection::vec((value(), value()), units), periods)
    })
}

fn methods() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["minmax", "zscore", "efficacy", "rank"])
}

proptest! {
    /// The Handbook's fixed reference year: adding a period moves no earlier score.
    #[test]
    fn base_scope_scores_do_not_move_when_a_period_is_added(
        panel in panels(), extra in prop::collection::vec((value(), value()), 6), method in methods()
    ) {
        let definition = definition(method, "base");
        let before = try_score(&definition, &csv(&panel));
        prop_assume!(before.is_some());
        let before = before.unwrap();
        let mut more = panel.clone();
        more.push(extra[..panel[0].len()].to_vec());
        let after = score(&definition, &csv(&more));
        let rows = before.composite.len();
        prop_assert_eq!(&before.composite[..], &after.composite[..rows]);
    }

    /// Under base scope a unit that improves on every indicator never falls.
    #[test]
    fn base_scope_changes_follow_the_units_own_values(
        panel in panels(), steps in prop::collection::vec((0u32..500, 0u32..500), 6), method in methods()
    ) {
        let definition = definition(method, "base");
        let mut grown = panel.clone();
        let last = grown.len() - 1;
        let improved: Vec<(f64, f64)> = grown[last]
            .iter()
            .zip(&steps)
            .map(|(&(x, y), &(dx, dy))| (x + f64::from(dx) / 100.0, y - f64::from(dy) / 100.0))
            .collect();
        grown.push(improved);
        let scores = try_score(&definition, &csv(&grown));
        prop_assume!(scores.is_some());
        let scores = scores.unwrap();
        let units = panel[0].len();
        let then = &scores.composite[last * units..(last + 1) * units];
        let now = &scores.composite[(last + 1) * units..];
        for (a, b) in then.iter().zip(now) {
            prop_assert!(b >= a, "{} fell to {}", a, b);
        }
    }

    /// A percentage change never contradicts the change it comes from.
    #[test]
    fn pct_change_has_the_sign_of_change(panel in panels(), method in methods(), scope in prop::sample::select(vec!["period", "pooled", "base"])) {
        let definition = definition(method, scope);
        let scores = try_score(&definition, &csv(&panel));
        prop_assume!(scores.is_some());
        let scores = scores.unwrap();
        let report = Report::build(&definition, &scores);
        for period in &report.periods {
            for unit in &period.units {
                if let Some(pct) = unit.pct_change {
                    let change = unit.change.expect("a percentage comes from a change");
                    prop_assert!(pct == 0.0 || pct.signum() == change.signum(), "{} vs {}", pct, change);
                    prop_assert!(pct.is_finite());
                }
            }
        }
    }

    /// A dimension's city figure lies between its units' scores, and its
    /// change is the difference of consecutive figures.
    #[test]
    fn dimension_totals_lie_between_the_units(panel in panels(), method in methods()) {
        let definition = definition(method, "period");
        let scores = score(&definition, &csv(&panel));
        let report = Report::build_with(&definition, &scores, Detail { dimensions: true, ..Detail::default() });
        for (p, period) in report.periods.iter().enumerate() {
            for d in 0..2 {
                let values: Vec<f64> = period.units.iter().filter_map(|u| u.dimensions[d]).collect();
                let total = period.total_dimensions[d].unwrap();
                let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(total >= lo - 1e-9 && total <= hi + 1e-9);
                if p > 0 {
                    let previous = report.periods[p - 1].total_dimensions[d].unwrap();
                    prop_assert_eq!(period.total_dimension_changes[d], Some(total - previous));
                }
                for unit in &period.units {
                    let rank = unit.dimension_detail()[d].rank.unwrap() as usize;
                    let better = values.iter().filter(|&&v| v > unit.dimensions[d].unwrap()).count();
                    prop_assert_eq!(rank, better + 1);
                }
            }
        }
    }
}
