//! kmgov's derived weights against an independent reference: the fixtures
//! that tests/reference/weights.py (numpy and scipy, written from the
//! documented formulas) computed for the Kunming sample, the Handbook's
//! Technology Achievement Index, a synthetic set with gaps and a constant
//! column, and a set of judgement matrices. Every number agrees to 1e-9.

use kmgov::definition::Direction;
use kmgov::weights::ahp::{self, JudgementMatrix, Method, RiTable};
use kmgov::weights::pca::{self, Retention};
use kmgov::weights::{Column, WeightError, critic, cv, entropy, topsis};
use serde_json::Value;

const TOLERANCE: f64 = 1e-9;

fn fixtures() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/weights_fixtures.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A dataset's columns: names, directions and values (null → missing).
struct Dataset {
    names: Vec<String>,
    directions: Vec<Direction>,
    values: Vec<Vec<f64>>,
}

impl Dataset {
    fn of(value: &Value) -> Dataset {
        let columns = value.as_array().unwrap();
        Dataset {
            names: columns
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect(),
            directions: columns
                .iter()
                .map(|c| match c["direction"].as_str().unwrap() {
                    "lower" => Direction::Lower,
                    _ => Direction::Higher,
                })
                .collect(),
            values: columns
                .iter()
                .map(|c| {
                    c["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap_or(f64::NAN))
                        .collect()
                })
                .collect(),
        }
    }

    fn columns(&self) -> Vec<Column<'_>> {
        (0..self.names.len())
            .map(|j| Column {
                name: &self.names[j],
                values: &self.values[j],
                direction: self.directions[j],
            })
            .collect()
    }
}

fn numbers(value: &Value) -> Vec<Option<f64>> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(Value::as_f64)
        .collect()
}

fn assert_close(what: &str, actual: &[f64], expected: &Value) {
    let expected = numbers(expected);
    assert_eq!(actual.len(), expected.len(), "{what}");
    for (i, (a, e)) in actual.iter().zip(&expected).enumerate() {
        let e = e.unwrap();
        assert!(
            (a - e).abs() <= TOLERANCE,
            "{what}[{i}]: kmgov {a}, reference {e}"
        );
    }
}

fn close(what: &str, actual: f64, expected: &Value) {
    let e = expected.as_f64().unwrap();
    assert!(
        (actual - e).abs() <= TOLERANCE,
        "{what}: kmgov {actual}, reference {e}"
    );
}

fn error_name(errors: &[WeightError]) -> String {
    let debug = format!("{:?}", errors[0]);
    debug.split([' ', '{', '(']).next().unwrap().to_string()
}

#[test]
fn objective_weights_agree_with_the_reference() {
    let fixtures = fixtures();
    let mut checked = 0;
    for case in fixtures["objective"].as_array().unwrap() {
        let data = case["data"].as_str().unwrap();
        let method = case["method"].as_str().unwrap();
        let what = format!("{data} {method} {}", case["options"]);
        let dataset = Dataset::of(&fixtures["datasets"][data]);
        let columns = dataset.columns();
        let expected = &case["result"];
        let (weights, errors) = match method {
            "entropy" => {
                let shift = case["options"]["shift"].as_f64().unwrap_or(0.0);
                match entropy::entropy(&columns, shift) {
                    Ok(d) => {
                        let entropies: Vec<Option<f64>> =
                            d.columns.iter().map(|c| c.entropy).collect();
                        for (j, (a, e)) in entropies
                            .iter()
                            .zip(numbers(&expected["entropy"]))
                            .enumerate()
                        {
                            match (a, e) {
                                (Some(a), Some(e)) => {
                                    assert!((a - e).abs() <= TOLERANCE, "{what} e[{j}]")
                                }
                                (None, None) => {}
                                other => panic!("{what} e[{j}]: {other:?}"),
                            }
                        }
                        (Some(d.weights), None)
                    }
                    Err(e) => (None, Some(e)),
                }
            }
            "critic" => match critic::critic(&columns) {
                Ok(d) => {
                    assert_eq!(Some(d.rows as u64), expected["rows"].as_u64(), "{what}");
                    (Some(d.weights), None)
                }
                Err(e) => (None, Some(e)),
            },
            "cv" => match cv::cv(&columns) {
                Ok(d) => (Some(d.weights), None),
                Err(e) => (None, Some(e)),
            },
            "pca" => {
                let retention = match case["options"]["retention"].as_str() {
                    Some("ten-percent") => Retention::TenPercent,
                    _ => Retention::Kaiser,
                };
                match pca::pca(&columns, retention) {
                    Ok(d) => {
                        assert_close(
                            &format!("{what} eigenvalues"),
                            &d.eigenvalues,
                            &expected["eigenvalues"],
                        );
                        assert_eq!(
                            Some(d.retained as u64),
                            expected["retained"].as_u64(),
                            "{what}"
                        );
                        // Factors come out in another order by another
                        // rotation algorithm; their variances are the same set.
                        let mut variance = d.factor_variance.clone();
                        variance.sort_by(f64::total_cmp);
                        assert_close(
                            &format!("{what} factor variance"),
                            &variance,
                            &expected["factor_variance"],
                        );
                        (Some(d.weights), None)
                    }
                    Err(e) => (None, Some(e)),
                }
            }
            other => panic!("unknown method {other}"),
        };
        match (weights, errors, expected["error"].as_str()) {
            (Some(w), None, None) => {
                assert_close(&what, &w, &expected["weights"]);
                assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{what}");
            }
            (None, Some(e), Some(name)) => assert_eq!(error_name(&e), name, "{what}"),
            (w, e, name) => panic!("{what}: kmgov {w:?} {e:?}, reference {name:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn ahp_agrees_with_the_reference() {
    let fixtures = fixtures();
    let mut checked = 0;
    for case in fixtures["ahp"].as_array().unwrap() {
        let name = case["matrix"].as_str().unwrap();
        let what = format!("{name} {} {}", case["method"], case["ri_table"]);
        let rows: Vec<Vec<f64>> = fixtures["matrices"][name]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| numbers(row).into_iter().map(Option::unwrap).collect())
            .collect();
        let matrix = JudgementMatrix::from_values(name, &rows).unwrap();
        let method = Method::from_name(case["method"].as_str().unwrap()).unwrap();
        let table = RiTable::from_name(case["ri_table"].as_str().unwrap()).unwrap();
        let result = ahp::ahp(&matrix, method, table).unwrap();
        let expected = &case["result"];
        assert_close(&what, &result.weights, &expected["weights"]);
        close(
            &format!("{what} λmax"),
            result.lambda_max,
            &expected["lambda_max"],
        );
        close(&format!("{what} CI"), result.ci, &expected["ci"]);
        close(&format!("{what} RI"), result.ri, &expected["ri"]);
        close(&format!("{what} CR"), result.cr, &expected["cr"]);
        assert_eq!(
            Some(result.consistent),
            expected["consistent"].as_bool(),
            "{what}"
        );
        match (&result.revise, expected.get("revise")) {
            (None, None) => {}
            (Some(r), Some(e)) => {
                assert_eq!(
                    (r.row as u64, r.column as u64),
                    (e["row"].as_u64().unwrap(), e["column"].as_u64().unwrap()),
                    "{what}"
                );
                close(&format!("{what} suggested"), r.suggested, &e["suggested"]);
                close(&format!("{what} saaty"), r.saaty, &e["saaty"]);
                close(&format!("{what} CR after"), r.cr_after, &e["cr_after"]);
            }
            other => panic!("{what}: {other:?}"),
        }
        checked += 1;
    }
    assert!(checked >= 30, "{checked}");
}

#[test]
fn topsis_agrees_with_the_reference() {
    let fixtures = fixtures();
    for case in fixtures["topsis"].as_array().unwrap() {
        let data = case["data"].as_str().unwrap();
        let dataset = Dataset::of(&fixtures["datasets"][data]);
        let weights: Vec<f64> = numbers(&case["weights"])
            .into_iter()
            .map(Option::unwrap)
            .collect();
        let result = topsis(&dataset.columns(), &weights).unwrap();
        let expected = numbers(&case["result"]["scores"]);
        assert_eq!(result.scores.len(), expected.len(), "{data}");
        for (i, (a, e)) in result.scores.iter().zip(&expected).enumerate() {
            match (a, e) {
                (Some(a), Some(e)) => {
                    assert!((a - e).abs() <= TOLERANCE, "{data}[{i}]: {a} vs {e}")
                }
                (None, None) => {}
                other => panic!("{data}[{i}]: {other:?}"),
            }
        }
    }
}
