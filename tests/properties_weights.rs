//! Properties of the derived weights that must hold on any data: weights
//! non-negative and summing to 1; entropy and CRITIC unchanged by a
//! positive affine rescaling of an indicator; CV by a positive scaling;
//! reordering the indicators permutes the weights and nothing else; AHP on
//! a perfectly consistent matrix gives CR 0 and exactly its weights; the
//! same judgements spelled another way give the same weights; TOPSIS
//! scores lie in [0, 100] and do not depend on the scale of the weights.

use kmgov::definition::Direction;
use kmgov::weights::ahp::{self, Entry, JudgementMatrix, Method, RiTable};
use kmgov::weights::pca::Retention;
use kmgov::weights::{Column, Derived, Objective, Options, WeightError, objective, topsis};
use proptest::prelude::*;

const METHODS: [Objective; 4] = [
    Objective::Entropy,
    Objective::Critic,
    Objective::Cv,
    Objective::Pca,
];

/// Columns of equal length: values from a few scales, some missing.
fn data() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<Direction>)> {
    (2usize..6, 6usize..24).prop_flat_map(|(m, n)| {
        let value = prop_oneof![
            8 => 1.0f64..1000.0,
            1 => Just(f64::NAN),
            1 => 0.0f64..1.0,
        ];
        (
            proptest::collection::vec(proptest::collection::vec(value, n), m),
            proptest::collection::vec(
                prop_oneof![Just(Direction::Higher), Just(Direction::Lower)],
                m,
            ),
        )
    })
}

fn columns<'a>(
    values: &'a [Vec<f64>],
    directions: &[Direction],
    names: &'a [String],
) -> Vec<Column<'a>> {
    values
        .iter()
        .zip(directions)
        .zip(names)
        .map(|((v, &direction), name)| Column {
            name,
            values: v,
            direction,
        })
        .collect()
}

fn names(m: usize) -> Vec<String> {
    (0..m).map(|j| format!("x{j}")).collect()
}

fn derive(
    method: Objective,
    values: &[Vec<f64>],
    directions: &[Direction],
) -> Result<Derived, Vec<WeightError>> {
    let names = names(values.len());
    objective(
        method,
        &columns(values, directions, &names),
        &Options::default(),
    )
}

fn same_outcome(
    a: &Result<Derived, Vec<WeightError>>,
    b: &Result<Derived, Vec<WeightError>>,
    map: impl Fn(usize) -> usize,
) -> Result<(), TestCaseError> {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            for (j, w) in a.weights().iter().enumerate() {
                let other = b.weights()[map(j)];
                prop_assert!((w - other).abs() < 1e-9, "weight {j}: {w} vs {other}");
            }
        }
        (Err(a), Err(b)) => prop_assert_eq!(
            std::mem::discriminant(&a[0]),
            std::mem::discriminant(&b[0]),
            "{:?} vs {:?}",
            a,
            b
        ),
        _ => prop_assert!(false, "one failed and one did not: {a:?} vs {b:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn weights_are_non_negative_and_sum_to_one((values, directions) in data()) {
        for method in METHODS {
            if let Ok(derived) = derive(method, &values, &directions) {
                let w = derived.weights();
                prop_assert_eq!(w.len(), values.len());
                prop_assert!(w.iter().all(|&x| x.is_finite() && x >= 0.0), "{:?} {:?}", method, w);
                prop_assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{:?} {:?}", method, w);
            }
        }
    }

    #[test]
    fn entropy_and_critic_ignore_a_positive_affine_rescaling(
        (values, directions) in data(),
        which in 0usize..6,
        scale in 0.001f64..1000.0,
        shift in -1000.0f64..1000.0,
    ) {
        let j = which % values.len();
        let mut rescaled = values.clone();
        rescaled[j] = rescaled[j].iter().map(|x| scale * x + shift).collect();
        for method in [Objective::Entropy, Objective::Critic] {
            let before = derive(method, &values, &directions);
            let after = derive(method, &rescaled, &directions);
            same_outcome(&before, &after, |j| j)?;
        }
        // CV measures spread against the mean: a scaling leaves it, a shift not.
        let mut scaled = values.clone();
        scaled[j] = scaled[j].iter().map(|x| scale * x).collect();
        same_outcome(&derive(Objective::Cv, &values, &directions), &derive(Objective::Cv, &scaled, &directions), |j| j)?;
    }

    #[test]
    fn reordering_indicators_permutes_the_weights(
        (values, directions) in data(),
        seed in any::<u64>(),
    ) {
        let m = values.len();
        // A permutation from the seed: order[k] is the old index at new place k.
        let mut order: Vec<usize> = (0..m).collect();
        let mut state = seed;
        for k in (1..m).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            order.swap(k, (state >> 33) as usize % (k + 1));
        }
        let permuted: Vec<Vec<f64>> = order.iter().map(|&j| values[j].clone()).collect();
        let permuted_directions: Vec<Direction> = order.iter().map(|&j| directions[j]).collect();
        let place = |old: usize| order.iter().position(|&j| j == old).unwrap();
        for method in METHODS {
            let before = derive(method, &values, &directions);
            let after = derive(method, &permuted, &permuted_directions);
            same_outcome(&before, &after, place)?;
        }
        // TOPSIS: reordering the columns with their weights changes no score.
        let weights: Vec<f64> = (0..m).map(|j| 1.0 + j as f64).collect();
        let permuted_weights: Vec<f64> = order.iter().map(|&j| weights[j]).collect();
        let names = names(m);
        let permuted_names: Vec<String> = order.iter().map(|&j| names[j].clone()).collect();
        let a = topsis(&columns(&values, &directions, &names), &weights).unwrap();
        let b = topsis(&columns(&permuted, &permuted_directions, &permuted_names), &permuted_weights).unwrap();
        for (x, y) in a.scores.iter().zip(&b.scores) {
            match (x, y) {
                (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-9),
                (None, None) => {}
                _ => prop_assert!(false, "{x:?} vs {y:?}"),
            }
        }
    }

    #[test]
    fn topsis_scores_lie_between_0_and_100_whatever_the_weights_scale(
        (values, directions) in data(),
        factor in 0.001f64..1000.0,
    ) {
        let names = names(values.len());
        let cols = columns(&values, &directions, &names);
        let weights: Vec<f64> = (0..values.len()).map(|j| 1.0 + (j % 3) as f64).collect();
        let scaled: Vec<f64> = weights.iter().map(|w| w * factor).collect();
        let a = topsis(&cols, &weights).unwrap();
        let b = topsis(&cols, &scaled).unwrap();
        for (x, y) in a.scores.iter().zip(&b.scores) {
            if let (Some(x), Some(y)) = (x, y) {
                prop_assert!((0.0..=100.0).contains(x), "{x}");
                prop_assert!((x - y).abs() < 1e-9, "{x} vs {y}");
            }
        }
    }

    #[test]
    fn a_consistent_matrix_gives_cr_zero_and_exactly_its_weights(
        raw in proptest::collection::vec(0.05f64..20.0, 1..=10),
    ) {
        let total: f64 = raw.iter().sum();
        let w: Vec<f64> = raw.iter().map(|x| x / total).collect();
        let values: Vec<Vec<f64>> = w.iter().map(|wi| w.iter().map(|wj| wi / wj).collect()).collect();
        let matrix = JudgementMatrix::from_values("m", &values).unwrap();
        for method in [Method::Eigen, Method::Sum, Method::Root] {
            for table in [RiTable::Saaty, RiTable::Chinese] {
                let result = ahp::ahp(&matrix, method, table).unwrap();
                prop_assert!(result.cr.abs() <= 1e-12, "{method:?} CR {}", result.cr);
                prop_assert!(result.consistent);
                for (a, b) in result.weights.iter().zip(&w) {
                    prop_assert!((a - b).abs() <= 1e-12, "{method:?} {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn reordering_the_items_of_a_matrix_permutes_its_weights(
        upper in proptest::collection::vec(1usize..=17, 10),
        n in 3usize..=6,
        rotate in 1usize..6,
    ) {
        // Judgements from Saaty's scale: 1/9 … 9.
        let scale = |k: usize| if k <= 9 { k as f64 } else { 1.0 / (k - 8) as f64 };
        let mut values = vec![vec![1.0; n]; n];
        let mut next = upper.iter().cycle();
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| ((i + 1)..n).map(move |j| (i, j))).collect();
        for (i, j) in pairs {
            let v = scale(*next.next().unwrap());
            values[i][j] = v;
            values[j][i] = 1.0 / v;
        }
        let order: Vec<usize> = (0..n).map(|k| (k + rotate) % n).collect();
        let permuted: Vec<Vec<f64>> = order.iter().map(|&i| order.iter().map(|&j| values[i][j]).collect()).collect();
        let a = ahp::ahp(&JudgementMatrix::from_values("m", &values).unwrap(), Method::Eigen, RiTable::Saaty).unwrap();
        let b = ahp::ahp(&JudgementMatrix::from_values("m", &permuted).unwrap(), Method::Eigen, RiTable::Saaty).unwrap();
        for (k, &i) in order.iter().enumerate() {
            prop_assert!((b.weights[k] - a.weights[i]).abs() < 1e-12);
        }
        prop_assert!((a.cr - b.cr).abs() < 1e-12);
    }

    #[test]
    fn a_judgement_spelled_another_way_gives_the_same_weights(
        k in 2u32..=9,
        spelling in 0usize..4,
        delimiter in prop::sample::select(vec![",", ";", "\t", "|"]),
    ) {
        // a_12 = k; a_21 written as a fraction, a rounded decimal, a full-width
        // fraction or a long decimal: all are 1/k.
        let reciprocal = 1.0 / f64::from(k);
        let text = match spelling {
            0 => format!("1/{k}"),
            1 => format!("{reciprocal:.3}"),
            2 => format!("１／{}", char::from_u32('０' as u32 + k).unwrap()),
            _ => format!("{reciprocal:.12}"),
        };
        let csv = [
            vec!["", "a", "b", "c"],
            vec!["a", "1", &k.to_string(), "2"],
            vec!["b", &text, "1", "1/3"],
            vec!["c", "1/2", "3", "1"],
        ]
        .iter()
        .map(|row| row.join(delimiter))
        .collect::<Vec<_>>()
        .join("\n");
        let read = ahp::parse_matrix(&csv, "m.csv").unwrap();
        let rows = vec![
            vec![Entry::number(1.0, None), Entry::number(f64::from(k), None), Entry::number(2.0, None)],
            vec![Entry::text("1/".to_string() + &k.to_string(), None), Entry::number(1.0, None), Entry::text("1/3", None)],
            vec![Entry::number(0.5, None), Entry::number(3.0, None), Entry::number(1.0, None)],
        ];
        let reference = JudgementMatrix::new("m", None, &rows).unwrap();
        prop_assert_eq!(read.values(), reference.values());
        let a = ahp::ahp(&read, Method::Root, RiTable::Chinese).unwrap();
        let b = ahp::ahp(&reference, Method::Root, RiTable::Chinese).unwrap();
        prop_assert_eq!(a.weights, b.weights);
    }
}

#[test]
fn pca_retention_rules_differ_only_in_how_many_factors() {
    // A fixed case where Kaiser keeps fewer factors than the 10% rule.
    let rows = 12;
    let base: Vec<f64> = (0..rows).map(|i| (i as f64 * 0.7).sin()).collect();
    let values: Vec<Vec<f64>> = (0..5)
        .map(|j| {
            (0..rows)
                .map(|i| base[i] * (j as f64 + 1.0) + ((i * (j + 3)) % 7) as f64)
                .collect()
        })
        .collect();
    let directions = vec![Direction::Higher; 5];
    let names = names(5);
    let cols = columns(&values, &directions, &names);
    let kaiser = kmgov::weights::pca::pca(&cols, Retention::Kaiser).unwrap();
    let ten = kmgov::weights::pca::pca(&cols, Retention::TenPercent).unwrap();
    assert_eq!(kaiser.eigenvalues, ten.eigenvalues);
    assert!(kaiser.retained <= ten.retained);
}
