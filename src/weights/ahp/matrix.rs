//! Judgement matrices: cells read from numbers or text (`3`, `1/3`,
//! `0.333`), checked to be square, positive, 1 on the diagonal and
//! reciprocal, and stored exactly reciprocal so that `1/3` and `0.333`
//! opposite a 3 give the same weights.

use crate::error::Location;
use crate::weights::{CellRef, WeightError};

/// Judgements outside [1e-100, 1e100] are refused: far beyond any pairwise
/// scale, and the bound keeps every product in the methods finite.
const LIMIT: f64 = 1e100;

/// a_ij · a_ji may differ from 1 by this much (rounding in a file).
const RECIPROCAL: f64 = 1e-9;

/// One cell as written: its text (a number in a definition is written as
/// its shortest decimal, `0.333`) and where, when known.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The cell's text.
    pub text: String,
    /// Where the cell was written.
    pub at: Option<Location>,
}

impl Entry {
    /// A cell written as text, such as `1/3`.
    pub fn text(text: impl Into<String>, at: Option<Location>) -> Entry {
        Entry {
            text: text.into(),
            at,
        }
    }

    /// A cell written as a number, such as `0.333` in TOML: its shortest
    /// decimal is what was typed, so its decimals count as written.
    pub fn number(value: f64, at: Option<Location>) -> Entry {
        Entry::text(value.to_string(), at)
    }
}

/// One judgement read from its text.
#[derive(Debug, Clone, PartialEq)]
struct Judgement {
    value: f64,
    /// Digits after the point of a plain decimal (`0.333` → 3); `None` for
    /// whole numbers, fractions and exponents, which are taken as exact.
    decimals: Option<u32>,
}

impl Judgement {
    /// Reads `3`, `0.333`, `1/3`, ` 1 / 3 `, full-width `１／３`; the reason
    /// when the text is none of these.
    fn parse(text: &str) -> Result<Judgement, &'static str> {
        let folded: String = text.trim().chars().map(fold).collect();
        if folded.is_empty() {
            return Err("is empty: every pair needs a judgement");
        }
        let judgement = match folded.split_once('/') {
            Some((top, bottom)) => Judgement {
                value: plain(top)? / plain(bottom)?,
                decimals: None,
            },
            None => Judgement {
                value: plain(&folded)?,
                decimals: decimals(&folded),
            },
        };
        if !(judgement.value.is_finite() && (1.0 / LIMIT..=LIMIT).contains(&judgement.value)) {
            return Err("is out of range: judgements lie between 1e-100 and 1e100");
        }
        Ok(judgement)
    }

    /// True when this is a plain decimal that equals `exact` rounded half
    /// away from zero to the decimals written (`0.33` or `0.333` for 1/3,
    /// `0.13` for 1/8).
    fn rounds(&self, exact: f64) -> bool {
        let Some(decimals) = self.decimals.filter(|d| (1..=15).contains(d)) else {
            return false;
        };
        let scale = 10f64.powi(decimals as i32);
        let scaled = exact * scale;
        let floor = scaled.floor();
        // A tie within rounding noise of .5 (0.125 · 100) rounds up.
        let rounded = if (scaled - floor - 0.5).abs() <= 1e-9 {
            floor + 1.0
        } else {
            scaled.round()
        };
        (self.value * scale).round() == rounded
    }
}

/// Full-width digits and signs as a Chinese input method types them.
fn fold(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '／' => '/',
        '．' => '.',
        '＋' => '+',
        _ => c,
    }
}

/// A positive number without a fraction bar.
fn plain(text: &str) -> Result<f64, &'static str> {
    let text = text.trim();
    let value: f64 = text
        .parse()
        .map_err(|_| "is not a number or a fraction such as 1/3")?;
    if value.is_nan() {
        return Err("is not a number or a fraction such as 1/3");
    }
    if value <= 0.0 {
        return Err("is not positive: judgements are ratios of importance, above 0");
    }
    Ok(value)
}

/// Digits after the point of a plain decimal.
fn decimals(text: &str) -> Option<u32> {
    if text.contains(['e', 'E']) {
        return None;
    }
    text.split_once('.').map(|(_, after)| after.len() as u32)
}

/// A checked judgement matrix: square, positive, 1 on the diagonal and
/// exactly reciprocal (a_ji = 1 / a_ij).
#[derive(Debug, Clone, PartialEq)]
pub struct JudgementMatrix {
    name: String,
    labels: Option<Vec<String>>,
    values: Vec<Vec<f64>>,
}

impl JudgementMatrix {
    /// Checks the cells and builds the matrix; every problem at once, each
    /// naming `name` and the cell.
    ///
    /// A pair a_ij, a_ji is reciprocal when a_ij·a_ji is 1 within 1e-9, or
    /// when one of them is a decimal equal to the other's reciprocal
    /// rounded (half away from zero) to the decimals written: `0.33` and
    /// `0.333` opposite a 3 are 1/3. The matrix then holds the exact
    /// reciprocal of the judgement that is not a rounding (of the one at or
    /// above 1 when both could be).
    pub fn new(
        name: impl Into<String>,
        labels: Option<Vec<String>>,
        rows: &[Vec<Entry>],
    ) -> Result<JudgementMatrix, Vec<WeightError>> {
        let name = name.into();
        let n = rows.len();
        let mut errors = Vec::new();
        if n == 0 {
            return Err(vec![WeightError::EmptyMatrix {
                matrix: name,
                at: None,
            }]);
        }
        if let Some(labels) = &labels {
            check_labels(&name, labels, n, &mut errors);
        }
        let label = |i: usize| labels.as_ref().and_then(|l| l.get(i).cloned());
        for (i, row) in rows.iter().enumerate() {
            if row.len() != n {
                errors.push(WeightError::NotSquare {
                    matrix: name.clone(),
                    row: i,
                    label: label(i),
                    found: row.len(),
                    expected: n,
                    at: row.first().and_then(|e| e.at.clone()),
                });
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let cell = |i: usize, j: usize| CellRef {
            row: i,
            column: j,
            row_label: label(i),
            column_label: label(j),
            at: rows[i][j].at.clone(),
        };
        let parsed: Vec<Vec<Option<Judgement>>> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                row.iter()
                    .enumerate()
                    .map(|(j, entry)| match Judgement::parse(&entry.text) {
                        Ok(judgement) => Some(judgement),
                        Err(reason) => {
                            errors.push(WeightError::BadJudgement {
                                matrix: name.clone(),
                                cell: cell(i, j),
                                text: entry.text.clone(),
                                reason: reason.to_string(),
                            });
                            None
                        }
                    })
                    .collect()
            })
            .collect();
        let mut values = vec![vec![1.0; n]; n];
        for i in 0..n {
            if let Some(d) = &parsed[i][i]
                && (d.value - 1.0).abs() > RECIPROCAL
            {
                errors.push(WeightError::Diagonal {
                    matrix: name.clone(),
                    cell: cell(i, i),
                    value: d.value,
                });
            }
            for j in (i + 1)..n {
                let (Some(upper), Some(lower)) = (&parsed[i][j], &parsed[j][i]) else {
                    continue;
                };
                match reciprocal_pair(upper, lower) {
                    Some((a, b)) => {
                        values[i][j] = a;
                        values[j][i] = b;
                    }
                    None => errors.push(WeightError::NotReciprocal {
                        matrix: name.clone(),
                        cell: cell(j, i),
                        text: rows[j][i].text.clone(),
                        mirror: rows[i][j].text.clone(),
                    }),
                }
            }
        }
        if errors.is_empty() {
            Ok(JudgementMatrix {
                name,
                labels,
                values,
            })
        } else {
            Err(errors)
        }
    }

    /// A matrix from numbers, with no labels and no positions (for tests and
    /// callers that hold numbers).
    pub fn from_values(
        name: impl Into<String>,
        values: &[Vec<f64>],
    ) -> Result<JudgementMatrix, Vec<WeightError>> {
        let rows: Vec<Vec<Entry>> = values
            .iter()
            .map(|row| row.iter().map(|&v| Entry::number(v, None)).collect())
            .collect();
        JudgementMatrix::new(name, None, &rows)
    }

    /// The name the caller gave the matrix.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The items' labels, when the matrix has them.
    pub fn labels(&self) -> Option<&[String]> {
        self.labels.as_deref()
    }

    /// The items' labels, or their numbers from 1 when the matrix has none.
    pub fn label_texts(&self) -> Vec<String> {
        match &self.labels {
            Some(labels) => labels.clone(),
            None => (1..=self.len()).map(|i| i.to_string()).collect(),
        }
    }

    /// How many items the matrix compares.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Never true: a matrix has at least one item.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The judgements, row by row, exactly reciprocal.
    pub fn values(&self) -> &[Vec<f64>] {
        &self.values
    }

    /// The same matrix with a_ij set to `value` and a_ji to its reciprocal.
    pub(super) fn with_judgement(&self, i: usize, j: usize, value: f64) -> JudgementMatrix {
        let mut revised = self.clone();
        revised.values[i][j] = value;
        revised.values[j][i] = 1.0 / value;
        revised
    }
}

/// The pair (a_ij, a_ji) made exactly reciprocal, or `None` when it is not
/// reciprocal.
fn reciprocal_pair(upper: &Judgement, lower: &Judgement) -> Option<(f64, f64)> {
    let exact = (upper.value * lower.value - 1.0).abs() <= RECIPROCAL;
    let upper_rounds = upper.rounds(1.0 / lower.value);
    let lower_rounds = lower.rounds(1.0 / upper.value);
    let keep_upper = match (
        exact || (upper_rounds && lower_rounds),
        upper_rounds,
        lower_rounds,
    ) {
        // Either could be the master: the one that is not a rounded decimal,
        // else the one at or above 1.
        (true, _, _) => match (upper.decimals.is_some(), lower.decimals.is_some()) {
            (true, false) => false,
            (false, true) => true,
            _ => upper.value >= 1.0,
        },
        (false, true, false) => false,
        (false, false, true) => true,
        _ => return None,
    };
    Some(if keep_upper {
        (upper.value, 1.0 / upper.value)
    } else {
        (1.0 / lower.value, lower.value)
    })
}

/// Labels: one per item, none empty, no two alike.
fn check_labels(name: &str, labels: &[String], n: usize, errors: &mut Vec<WeightError>) {
    if labels.len() != n {
        errors.push(WeightError::RowCount {
            matrix: name.to_string(),
            found: n,
            expected: labels.len(),
            at: None,
        });
        return;
    }
    for (i, label) in labels.iter().enumerate() {
        if label.trim().is_empty() || labels[..i].contains(label) {
            errors.push(WeightError::BadLabel {
                matrix: name.to_string(),
                index: i,
                label: label.clone(),
                at: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(cells: &[&[&str]]) -> Result<JudgementMatrix, Vec<WeightError>> {
        let rows: Vec<Vec<Entry>> = cells
            .iter()
            .map(|row| row.iter().map(|t| Entry::text(*t, None)).collect())
            .collect();
        JudgementMatrix::new("m", None, &rows)
    }

    #[test]
    fn judgements_read_as_written() {
        let read = |t: &str| Judgement::parse(t).map(|j| j.value);
        assert_eq!(read("3"), Ok(3.0));
        assert_eq!(read(" 1 / 4 "), Ok(0.25));
        assert_eq!(read("１／３"), Ok(1.0 / 3.0));
        assert_eq!(read("0.5"), Ok(0.5));
        assert_eq!(read("2.5/5"), Ok(0.5));
        for bad in [
            "", "x", "0", "-3", "1/0", "inf", "NaN", "1/3/2", "1e200", "1/-2",
        ] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert_eq!(Judgement::parse("0.333").unwrap().decimals, Some(3));
        assert_eq!(Judgement::parse("1/3").unwrap().decimals, None);
        assert_eq!(Judgement::parse("3").unwrap().decimals, None);
    }

    #[test]
    fn a_rounded_decimal_is_the_reciprocal_it_rounds() {
        for third in [
            "1/3",
            "0.33",
            "0.333",
            "0.3333",
            "0.3333333333333333",
            "0.3",
        ] {
            let m = matrix(&[&["1", "3"], &[third, "1"]]).unwrap();
            assert_eq!(m.values()[1][0], 1.0 / 3.0, "{third}");
            assert_eq!(m.values()[0][1], 3.0);
        }
        // 1/8 = 0.125 rounds half away from zero to 0.13.
        let m = matrix(&[&["1", "0.13"], &["8", "1"]]).unwrap();
        assert_eq!(m.values()[0][1], 0.125);
        // Both written as decimals: the one above 1 is kept.
        let m = matrix(&[&["1", "0.4"], &["2.5", "1"]]).unwrap();
        assert_eq!(m.values()[1][0], 2.5);
        assert_eq!(m.values()[0][1], 0.4);
    }

    #[test]
    fn a_pair_that_is_not_reciprocal_names_the_cell() {
        // 0.2 is 1/5, not 1/4 rounded (that would be 0.3).
        for not_a_quarter in ["0.2", "0.34", "1/5", "4"] {
            let errors = matrix(&[&["1", "4"], &[not_a_quarter, "1"]]).unwrap_err();
            assert!(
                matches!(&errors[0], WeightError::NotReciprocal { cell, .. } if cell.row == 1 && cell.column == 0),
                "{not_a_quarter}: {errors:?}"
            );
        }
    }

    #[test]
    fn every_problem_is_listed_at_once() {
        let errors = matrix(&[&["1", "x", "3"], &["2", "1", "0"], &["1/3", "5", "2"]]).unwrap_err();
        let texts: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("row 1, column 2: `x` is not a number")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.contains("row 2, column 3: `0` is not positive")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|t| t.contains("row 3, column 3: the diagonal")),
            "{texts:?}"
        );
        let errors = matrix(&[&["1", "2"], &["1/2"]]).unwrap_err();
        assert!(matches!(
            &errors[0],
            WeightError::NotSquare {
                row: 1,
                found: 1,
                expected: 2,
                ..
            }
        ));
        assert!(matches!(
            &JudgementMatrix::new("m", None, &[]).unwrap_err()[0],
            WeightError::EmptyMatrix { .. }
        ));
    }

    #[test]
    fn labels_are_one_per_item_and_distinct() {
        let rows = vec![
            vec![Entry::text("1", None), Entry::text("2", None)],
            vec![Entry::text("1/2", None), Entry::text("1", None)],
        ];
        let same =
            JudgementMatrix::new("m", Some(vec!["a".into(), "a".into()]), &rows).unwrap_err();
        assert!(matches!(&same[0], WeightError::BadLabel { index: 1, .. }));
        let ok = JudgementMatrix::new("m", Some(vec!["a".into(), "b".into()]), &rows).unwrap();
        assert_eq!(ok.label_texts(), vec!["a", "b"]);
    }

    #[test]
    fn numbers_count_their_decimals_as_written() {
        let m = JudgementMatrix::from_values("m", &[vec![1.0, 3.0], vec![0.333, 1.0]]).unwrap();
        assert_eq!(m.values()[1][0], 1.0 / 3.0);
        assert!(JudgementMatrix::from_values("m", &[vec![1.0, 3.0], vec![0.4, 1.0]]).is_err());
    }
}
