//! The analysis on the Kunming sample and on small hand-made indices.

use std::io::Cursor;

use super::*;
use crate::data::{ReadOptions, read_from};

fn kunming() -> (Definition, Panel) {
    let definition = Definition::builtin();
    let csv = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/kunming.csv")).unwrap();
    let panel = read_from(
        Box::new(Cursor::new(csv)),
        "kunming.csv",
        &definition,
        ReadOptions::default(),
    )
    .unwrap();
    (definition, panel)
}

fn small(definition: &str, csv: &str) -> (Definition, Panel) {
    let definition = Definition::from_toml(definition, "t.toml").unwrap();
    let panel = read_from(
        Box::new(Cursor::new(csv.as_bytes().to_vec())),
        "t.csv",
        &definition,
        ReadOptions::default(),
    )
    .unwrap();
    (definition, panel)
}

fn settings(runs: usize) -> Settings {
    Settings {
        runs,
        bootstrap: 50,
        threads: 1,
        ..Settings::default()
    }
}

fn analyse_with(definition: &Definition, panel: Panel, settings: &Settings) -> Analysis {
    analyse(definition, panel, &Periods::Latest, settings, &|_| {}).unwrap()
}

/// The nominal ranks of the latest period as `score` gives them.
fn nominal(definition: &Definition, panel: Panel) -> Vec<(String, u32)> {
    let scores = crate::pipeline::score(definition, panel).unwrap();
    let range = scores.keys.period_ranges.last().unwrap().clone();
    range
        .map(|row| {
            (
                scores.keys.unit_of(row).to_string(),
                scores.ranks[row].unwrap(),
            )
        })
        .collect()
}

#[test]
fn zero_perturbation_reproduces_the_nominal_ranking_in_every_run() {
    let (definition, panel) = kunming();
    let expected = nominal(&definition, panel.clone());
    let zero = Settings {
        weights: 0.0,
        ..settings(200)
    };
    let analysis = analyse_with(&definition, panel, &zero);
    assert_eq!(analysis.units.len(), 14);
    assert!(analysis.indices.is_empty(), "no input varies");
    for unit in &analysis.units {
        let (_, rank) = expected.iter().find(|(u, _)| *u == unit.unit).unwrap();
        let rank = Some(*rank);
        assert_eq!(
            (unit.nominal_rank, unit.p05, unit.median_rank, unit.p95),
            (rank, rank, rank, rank),
            "{unit:?}"
        );
        assert_eq!(unit.mean_abs_shift, Some(0.0));
    }
    // Sorted by nominal rank.
    let ranks: Vec<u32> = analysis
        .units
        .iter()
        .map(|u| u.nominal_rank.unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
}

#[test]
fn a_seed_gives_the_same_result_on_1_2_and_4_threads() {
    let (definition, panel) = kunming();
    let with = |threads| {
        let s = Settings {
            threads,
            vary: vec![Vary::Normalize, Vary::Weights],
            ..settings(64)
        };
        analyse_with(&definition, panel.clone(), &s)
    };
    let one = with(1);
    assert!(!one.indices.is_empty());
    for threads in [2, 4] {
        let many = with(threads);
        assert_eq!(one, many, "{threads} threads");
    }
    // Bit for bit, also where NaN would compare unequal.
    let bits = |a: &Analysis| -> Vec<u64> {
        a.indices
            .iter()
            .flat_map(|i| [i.indices.first_order.to_bits(), i.indices.total.to_bits()])
            .collect()
    };
    assert_eq!(bits(&one), bits(&with(4)));
    let other_seed = analyse_with(
        &definition,
        panel,
        &Settings {
            seed: 2,
            vary: vec![Vary::Normalize, Vary::Weights],
            ..settings(64)
        },
    );
    assert_ne!(one.indices, other_seed.indices);
}

#[test]
fn the_intervals_of_score_are_those_of_the_analysis() {
    let (definition, panel) = kunming();
    let s = settings(100);
    let full = analyse_with(&definition, panel.clone(), &s);
    let only = rank_intervals(&definition, panel, &Periods::Latest, &s, &|_| {}).unwrap();
    assert_eq!(full.units, only.units);
    assert_eq!(only.evaluations, 100);
    // Kunming: the dimension weights and the three dimensions' indicator weights.
    let inputs: Vec<&str> = full.indices.iter().map(|i| i.input.as_str()).collect();
    assert_eq!(
        inputs,
        [
            "dimension weights",
            "weights under vitality",
            "weights under services",
            "weights under environment"
        ]
    );
    assert_eq!(full.evaluations, 100 * 6);
}

#[test]
fn percentiles_bracket_the_median_and_the_shift_is_a_mean_of_distances() {
    let (definition, panel) = kunming();
    let analysis = analyse_with(&definition, panel, &settings(300));
    for unit in &analysis.units {
        let (p05, median, p95) = (
            unit.p05.unwrap(),
            unit.median_rank.unwrap(),
            unit.p95.unwrap(),
        );
        assert!(p05 <= median && median <= p95, "{unit:?}");
        assert!((1..=14).contains(&p05) && (1..=14).contains(&p95));
        let shift = unit.mean_abs_shift.unwrap();
        let nominal = unit.nominal_rank.unwrap();
        assert!(shift <= f64::from(p95.abs_diff(nominal).max(p05.abs_diff(nominal)).max(13)));
    }
    // ±25 % on the weights moves somebody.
    assert!(
        analysis
            .units
            .iter()
            .any(|u| u.mean_abs_shift.unwrap() > 0.0)
    );
}

/// Two units, two indicators: A leads on x, B on y. With equal weights A
/// wins by a hair; ±60 % on the weights turns it over in about half the
/// runs. The only input is the indicator weights.
#[test]
fn a_close_race_turns_over_and_the_weights_carry_all_the_variance() {
    let def = "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n[[dimension.indicator]]\nid='y'\n";
    let (definition, panel) = small(def, "unit,period,x,y\nA,1,60,40\nB,1,39,60\n");
    let s = Settings {
        weights: 0.6,
        ..settings(400)
    };
    let analysis = analyse_with(&definition, panel, &s);
    let a = &analysis.units[0];
    assert_eq!((a.unit.as_str(), a.nominal_rank), ("A", Some(1)));
    assert_eq!((a.p05, a.p95), (Some(1), Some(2)));
    assert_eq!(analysis.indices.len(), 1);
    let index = &analysis.indices[0];
    assert_eq!(index.input, "weights under a");
    assert!(index.indices.total > 0.9, "{index:?}");
}

#[test]
fn varying_the_normalisation_adds_an_input_and_says_what_was_left_out() {
    let (definition, panel) = kunming();
    let s = Settings {
        vary: vec![Vary::Normalize, Vary::Aggregate, Vary::Missing],
        ..settings(50)
    };
    let analysis = analyse_with(&definition, panel, &s);
    let inputs: Vec<&str> = analysis.indices.iter().map(|i| i.input.as_str()).collect();
    assert!(inputs.contains(&"normalize"), "{inputs:?}");
    assert!(!inputs.contains(&"missing"), "{inputs:?}");
    assert!(
        analysis
            .notes
            .iter()
            .any(|n| n.contains("no missing value")),
        "{:?}",
        analysis.notes
    );
}

#[test]
fn bad_settings_are_refused_with_a_hint() {
    let (definition, panel) = kunming();
    for weights in [1.0, -0.1, f64::NAN] {
        let s = Settings {
            weights,
            ..settings(10)
        };
        let error = analyse(&definition, panel.clone(), &Periods::Latest, &s, &|_| {}).unwrap_err();
        assert!(error.is_usage());
        assert!(error.to_string().contains("--weights"), "{error}");
    }
    let error = analyse(
        &definition,
        panel.clone(),
        &Periods::Latest,
        &settings(0),
        &|_| {},
    )
    .unwrap_err();
    assert!(error.to_string().contains("runs is 0"), "{error}");
    let error = analyse(
        &definition,
        panel.clone(),
        &Periods::Latest,
        &settings(MAX_BYTES / 4),
        &|_| {},
    )
    .unwrap_err();
    assert!(error.to_string().contains("MiB kmgov keeps"), "{error}");
    let error = analyse(
        &definition,
        panel,
        &Periods::Named("2016".into()),
        &settings(10),
        &|_| {},
    )
    .unwrap_err();
    assert!(
        error.problems()[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("2017, 2018, 2019")
    );
}

#[test]
fn score_with_intervals_gets_them_beside_each_unit() {
    let (definition, panel) = kunming();
    let scores = crate::pipeline::score(&definition, panel.clone()).unwrap();
    let mut report = Report::build(&definition, &scores)
        .select(&crate::report::Selection::All)
        .unwrap();
    let labels = report.periods.iter().map(|p| p.period.clone()).collect();
    let analysis = rank_intervals(
        &definition,
        panel,
        &Periods::Labels(labels),
        &settings(50),
        &|_| {},
    )
    .unwrap();
    attach(&mut report, &analysis);
    assert!(report.detail.rank_intervals);
    for period in &report.periods {
        for unit in &period.units {
            let interval = unit.rank_interval().unwrap();
            assert!(
                interval.p05 <= interval.p95 && interval.p95 <= 14,
                "{interval:?}"
            );
        }
    }
    let csv = crate::export::Format::Csv.exporter().render(&report);
    let text = String::from_utf8(csv).unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.ends_with(",rank_change,rank_p05,rank_p95"),
        "{header}"
    );
}

#[test]
fn a_weighting_method_that_repeats_the_weights_is_drawn_once() {
    let (definition, panel) = kunming();
    let s = Settings {
        vary: vec![Vary::Weights],
        ..settings(20)
    };
    let analysis = analyse_with(&definition, panel, &s);
    // Kunming's manual weights are equal weights.
    assert!(
        analysis
            .notes
            .iter()
            .any(|n| n.contains("equal (as manual)")),
        "{:?}",
        analysis.notes
    );
    assert!(
        analysis
            .indices
            .iter()
            .any(|i| i.input == "weighting method")
    );
}
