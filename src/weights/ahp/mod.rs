//! The analytic hierarchy process (AHP, 层次分析法; Saaty 1980): weights
//! from a matrix of pairwise judgements a_ij ("how much more important is
//! i than j", on Saaty's 1–9 scale), with the consistency check.
//!
//! Weights w (sum 1) by `eigen` (the principal right eigenvector),
//! `sum` (和积法: columns normalised to sum 1, then row means) or `root`
//! (方根法: row geometric means, normalised). λmax is the eigenvalue for
//! `eigen` and mean((Aw)_i / w_i) for the others; CI = (λmax − n)/(n − 1);
//! CR = CI / RI(n); consistent when CR < 0.10. A matrix of one or two
//! items is consistent by definition (CI = CR = 0).

mod csv;
mod matrix;
pub mod output;
mod priority;
mod ri;

pub use csv::{MatrixFile, parse_matrix, read_matrix};
pub use matrix::{Entry, JudgementMatrix};
pub use ri::RiTable;

use crate::weights::{WeightError, WeightWarning};

/// CR must be below this for a matrix to count as consistent.
pub const CONSISTENT_BELOW: f64 = 0.10;

/// How the weights are derived from the judgements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The principal right eigenvector (Saaty's method).
    #[default]
    Eigen,
    /// 和积法: column-normalised row means.
    Sum,
    /// 方根法: normalised row geometric means.
    Root,
}

impl Method {
    /// The method's name, as a definition and the command line spell it.
    pub fn name(self) -> &'static str {
        match self {
            Method::Eigen => "eigen",
            Method::Sum => "sum",
            Method::Root => "root",
        }
    }

    /// The method named `name`.
    pub fn from_name(name: &str) -> Option<Method> {
        [Method::Eigen, Method::Sum, Method::Root]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// The judgement most worth revising in an inconsistent matrix: the cell
/// whose judgement lies farthest from the ratio of the weights,
/// |a_ij − w_i/w_j| largest over every cell off the diagonal.
#[derive(Debug, Clone, PartialEq)]
pub struct Revision {
    /// Row, from 0.
    pub row: usize,
    /// Column, from 0.
    pub column: usize,
    /// The judgement as it is.
    pub current: f64,
    /// w_i / w_j: the judgement the weights imply.
    pub suggested: f64,
    /// The value of Saaty's scale (1/9 … 1/2, 1, 2 … 9) nearest to the
    /// suggested one, on a logarithmic scale.
    pub saaty: f64,
    /// CR with a_ij set to the Saaty value (and a_ji to its reciprocal).
    pub cr_after: f64,
}

/// The weights of one judgement matrix and its consistency.
#[derive(Debug, Clone, PartialEq)]
pub struct Ahp {
    /// One weight per item, summing to 1.
    pub weights: Vec<f64>,
    /// λmax.
    pub lambda_max: f64,
    /// CI = (λmax − n)/(n − 1); 0 for n ≤ 2.
    pub ci: f64,
    /// RI(n) of the table used.
    pub ri: f64,
    /// CR = CI / RI; 0 for n ≤ 2.
    pub cr: f64,
    /// CR < 0.10.
    pub consistent: bool,
    /// The method used.
    pub method: Method,
    /// The RI table used.
    pub ri_table: RiTable,
    /// For an inconsistent matrix, the judgement most worth revising.
    pub revise: Option<Revision>,
}

impl Ahp {
    /// The warning an inconsistent matrix deserves, naming the judgement
    /// most worth revising; `None` when the matrix is consistent.
    pub fn warning(&self, matrix: &JudgementMatrix) -> Option<WeightWarning> {
        if self.consistent {
            return None;
        }
        let labels = matrix.label_texts();
        let revise = self.revise.as_ref().map(|r| {
            format!(
                "revise the judgement of `{}` over `{}` (row {}, column {}): it is {}, the weights imply {}; {} on Saaty's scale would give CR = {:.4}",
                crate::error::echo(&labels[r.row]),
                crate::error::echo(&labels[r.column]),
                r.row + 1,
                r.column + 1,
                scale_text(r.current),
                round4(r.suggested),
                scale_text(r.saaty),
                r.cr_after
            )
        });
        Some(WeightWarning::Inconsistent {
            matrix: matrix.name().to_string(),
            cr: self.cr,
            revise,
        })
    }
}

/// Weights and consistency of `matrix` by `method`, CR on `table`.
pub fn ahp(
    matrix: &JudgementMatrix,
    method: Method,
    table: RiTable,
) -> Result<Ahp, Vec<WeightError>> {
    let n = matrix.len();
    let ri = table.ri(n, matrix.name()).map_err(|e| vec![e])?;
    let (weights, lambda) = priority::priorities(matrix.values(), method).map_err(|e| vec![e])?;
    let (lambda_max, ci, cr) = consistency(n, lambda, ri);
    let consistent = cr < CONSISTENT_BELOW;
    let revise = if consistent {
        None
    } else {
        Some(revision(matrix, &weights, method, ri).map_err(|e| vec![e])?)
    };
    Ok(Ahp {
        weights,
        lambda_max,
        ci,
        ri,
        cr,
        consistent,
        method,
        ri_table: table,
        revise,
    })
}

/// (λmax, CI, CR). λmax is at least n in exact arithmetic (for every
/// positive reciprocal matrix, by all three estimates); rounding below it
/// is taken as n, so that a consistent matrix has CI and CR exactly 0.
fn consistency(n: usize, lambda: f64, ri: f64) -> (f64, f64, f64) {
    let lambda_max = lambda.max(n as f64);
    if n <= 2 {
        return (lambda_max, 0.0, 0.0);
    }
    let ci = (lambda_max - n as f64) / (n as f64 - 1.0);
    (lambda_max, ci, ci / ri)
}

fn revision(
    matrix: &JudgementMatrix,
    weights: &[f64],
    method: Method,
    ri: f64,
) -> Result<Revision, WeightError> {
    let a = matrix.values();
    let n = a.len();
    let cells = || (0..n).flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)));
    let deviation = |(i, j): (usize, usize)| (a[i][j] - weights[i] / weights[j]).abs();
    let largest = cells().map(deviation).fold(0.0, f64::max);
    // Deviations equal but for rounding are a tie, which the first cell in
    // row order wins: the choice must not hang on the last bit of a weight.
    let (row, column) = cells()
        .find(|&cell| deviation(cell) >= largest * (1.0 - 1e-9))
        .unwrap_or((0, 1));
    let suggested = weights[row] / weights[column];
    let saaty = nearest_saaty(suggested);
    let revised = matrix.with_judgement(row, column, saaty);
    let (_, lambda) = priority::priorities(revised.values(), method)?;
    let (_, _, cr_after) = consistency(n, lambda, ri);
    Ok(Revision {
        row,
        column,
        current: a[row][column],
        suggested,
        saaty,
        cr_after,
    })
}

/// The value of Saaty's scale nearest to `x` in ratio: 1/9 … 1/2, 1, 2 … 9.
fn nearest_saaty(x: f64) -> f64 {
    let scale = (1..=9).map(f64::from).flat_map(|k| [k, 1.0 / k]);
    scale
        .min_by(|a, b| (a / x).ln().abs().total_cmp(&(b / x).ln().abs()))
        .unwrap_or(1.0)
}

/// A judgement as a person writes it: `3`, `1/3`, else 4 decimals.
fn scale_text(x: f64) -> String {
    for k in 1..=9 {
        let k = f64::from(k);
        if (x - k).abs() < 1e-9 {
            return format!("{k}");
        }
        if (x - 1.0 / k).abs() < 1e-9 {
            return format!("1/{k}");
        }
    }
    round4(x)
}

fn round4(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(values: &[&[f64]]) -> JudgementMatrix {
        let rows: Vec<Vec<f64>> = values.iter().map(|r| r.to_vec()).collect();
        JudgementMatrix::from_values("m", &rows).unwrap()
    }

    #[test]
    fn the_leader_example() {
        // The criteria of the "choosing a leader" example of the AHP
        // literature (Experience, Education, Charisma, Age), as in the
        // Wikipedia article "Analytic hierarchy process – leader example":
        // priorities 0.547, 0.127, 0.270, 0.056 and CR 0.044.
        let m = from(&[
            &[1.0, 4.0, 3.0, 7.0],
            &[1.0 / 4.0, 1.0, 1.0 / 3.0, 3.0],
            &[1.0 / 3.0, 3.0, 1.0, 5.0],
            &[1.0 / 7.0, 1.0 / 3.0, 1.0 / 5.0, 1.0],
        ]);
        let result = ahp(&m, Method::Eigen, RiTable::Saaty).unwrap();
        for (w, p) in result.weights.iter().zip([0.547, 0.127, 0.270, 0.056]) {
            assert!((w - p).abs() <= 0.0011, "{w} vs {p}");
        }
        assert!((result.cr - 0.044).abs() < 0.0005, "{}", result.cr);
        assert!(result.consistent);
        assert_eq!(result.revise, None);
        assert_eq!(result.ri, 0.90);
        assert!((result.ci - (result.lambda_max - 4.0) / 3.0).abs() < 1e-15);
    }

    #[test]
    fn hand_checked_three_by_three() {
        // A = [[1, 2, 4], [1/2, 1, 2], [1/4, 1/2, 1]] is consistent:
        // w = (4/7, 2/7, 1/7), λmax = 3, CR = 0 by every method.
        let m = from(&[&[1.0, 2.0, 4.0], &[0.5, 1.0, 2.0], &[0.25, 0.5, 1.0]]);
        for method in [Method::Eigen, Method::Sum, Method::Root] {
            let result = ahp(&m, method, RiTable::Chinese).unwrap();
            for (w, e) in result.weights.iter().zip([4.0 / 7.0, 2.0 / 7.0, 1.0 / 7.0]) {
                assert!((w - e).abs() < 1e-15, "{method:?}");
            }
            assert_eq!((result.ci, result.cr), (0.0, 0.0), "{method:?}");
            assert_eq!(result.ri, 0.52);
        }
    }

    #[test]
    fn an_inconsistent_matrix_names_the_judgement_to_revise() {
        // A prefers 1 to 2 (3×) and 2 to 3 (3×) but 3 to 1 (3×): a cycle.
        let m = from(&[
            &[1.0, 3.0, 1.0 / 3.0],
            &[1.0 / 3.0, 1.0, 3.0],
            &[3.0, 1.0 / 3.0, 1.0],
        ]);
        let result = ahp(&m, Method::Eigen, RiTable::Saaty).unwrap();
        assert!(!result.consistent);
        // A circulant matrix: w = (⅓, ⅓, ⅓), λmax = its row sum 1 + 3 + ⅓ = 13/3,
        // CI = (13/3 − 3)/2 = ⅔, CR = ⅔ / 0.58 = 1.1494.
        assert!((result.lambda_max - 13.0 / 3.0).abs() < 1e-12);
        assert!((result.cr - (2.0 / 3.0) / 0.58).abs() < 1e-12);
        let revise = result.revise.clone().unwrap();
        // Every weight is 1/3, so w_i/w_j = 1 everywhere; the first 3 in
        // row order deviates most.
        assert_eq!((revise.row, revise.column), (0, 1));
        assert!((revise.suggested - 1.0).abs() < 1e-12);
        assert_eq!(revise.saaty, 1.0);
        assert!(revise.cr_after < result.cr);
        let warning = result.warning(&m).unwrap().problem();
        assert!(
            warning.message.contains("CR = 1.1494"),
            "{}",
            warning.message
        );
        assert!(
            warning
                .hint
                .unwrap()
                .contains("row 1, column 2): it is 3, the weights imply 1")
        );
    }

    #[test]
    fn one_or_two_items_are_consistent_by_definition() {
        let one = from(&[&[1.0]]);
        let result = ahp(&one, Method::Eigen, RiTable::Saaty).unwrap();
        assert_eq!(result.weights, vec![1.0]);
        assert_eq!((result.cr, result.consistent), (0.0, true));
        let two = from(&[&[1.0, 9.0], &[1.0 / 9.0, 1.0]]);
        let result = ahp(&two, Method::Sum, RiTable::Saaty).unwrap();
        assert!((result.weights[0] - 0.9).abs() < 1e-15);
        assert_eq!(result.cr, 0.0);
    }

    #[test]
    fn beyond_the_table_is_an_error_naming_the_matrix() {
        let n = 11;
        let values: Vec<Vec<f64>> = vec![vec![1.0; n]; n];
        let m = JudgementMatrix::from_values("dimensions", &values).unwrap();
        let errors = ahp(&m, Method::Eigen, RiTable::Saaty).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "matrix `dimensions` compares 11 items, but the saaty random-index table stops at 10"
        );
    }

    #[test]
    fn saaty_scale() {
        assert_eq!(nearest_saaty(2.4), 2.0);
        assert_eq!(nearest_saaty(2.5), 3.0);
        // In ratio 0.4 is nearer 1/3 (×1.2) than 1/2 (×1.25).
        assert_eq!(nearest_saaty(0.4), 1.0 / 3.0);
        assert_eq!(nearest_saaty(0.45), 0.5);
        assert_eq!(nearest_saaty(100.0), 9.0);
        assert_eq!(scale_text(1.0 / 3.0), "1/3");
        assert_eq!(scale_text(2.345678), "2.3457");
        for method in [Method::Eigen, Method::Sum, Method::Root] {
            assert_eq!(Method::from_name(method.name()), Some(method));
        }
    }
}
