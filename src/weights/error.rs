//! Problems in deriving weights: errors that stop a method, and warnings a
//! method returns beside its weights (it never prints them). Each becomes a
//! [`Problem`] that names the indicator, or the matrix and cell, and says
//! what to do.

use std::fmt;

use crate::error::{Location, Problem, number_text};

/// A cell of a judgement matrix: its row and column (from 0), their labels
/// when the matrix has them, and where it was written when known.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CellRef {
    /// Row, from 0.
    pub row: usize,
    /// Column, from 0.
    pub column: usize,
    /// The row's label, if the matrix has labels.
    pub row_label: Option<String>,
    /// The column's label, if the matrix has labels.
    pub column_label: Option<String>,
    /// Where the cell was written (file, line, column), when known.
    pub at: Option<Location>,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = |index: usize, label: &Option<String>| match label {
            Some(label) => format!("{} (`{}`)", index + 1, crate::error::echo(label)),
            None => (index + 1).to_string(),
        };
        write!(
            f,
            "row {}, column {}",
            part(self.row, &self.row_label),
            part(self.column, &self.column_label)
        )
    }
}

/// Why weights could not be derived.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightError {
    /// No indicator was given.
    NoIndicators {
        /// The method, as a definition names it (`entropy`).
        method: &'static str,
    },
    /// The indicators do not all have the same number of values.
    UnequalLengths {
        /// The indicator whose length differs from the first one's.
        column: String,
        /// The first indicator's number of values.
        expected: usize,
        /// This indicator's number of values.
        found: usize,
    },
    /// A value that is infinite or beyond ±1e100.
    OutOfRange {
        /// The indicator.
        column: String,
        /// The row, from 0.
        row: usize,
        /// The value.
        value: f64,
    },
    /// Too few values (or complete rows) to derive weights from.
    TooFewValues {
        /// The method.
        method: &'static str,
        /// The indicator, when values are counted per indicator.
        column: Option<String>,
        /// How many there are.
        found: usize,
        /// How many are needed.
        needed: usize,
    },
    /// Every indicator is constant, or none varies enough to carry weight.
    NoVariation {
        /// The method.
        method: &'static str,
    },
    /// `cv`: an indicator whose mean is zero, or within rounding of it.
    MeanNearZero {
        /// The indicator.
        column: String,
        /// Its mean.
        mean: f64,
    },
    /// `entropy_shift` is negative or not a finite number.
    BadShift {
        /// The value given.
        value: f64,
    },
    /// `alpha` is not a number from 0 to 1.
    BadAlpha {
        /// The value given.
        value: f64,
    },
    /// A weight given to TOPSIS or `combined` is negative or not finite.
    BadWeight {
        /// Which weights (`subjective`, `objective`, `TOPSIS`).
        which: &'static str,
        /// The indicator (or its position, from 1, when it has no name).
        item: String,
        /// The value.
        value: f64,
    },
    /// Weights that sum to zero.
    WeightsSumToZero {
        /// Which weights.
        which: &'static str,
    },
    /// A vector of weights whose length is not the number of indicators.
    LengthMismatch {
        /// Which weights.
        which: &'static str,
        /// The number of indicators.
        expected: usize,
        /// The number of weights.
        found: usize,
    },
    /// `pca`: no principal component has an eigenvalue above 1.
    NoCommonFactor {
        /// The largest eigenvalue.
        largest: f64,
    },
    /// An iteration (eigenvector, varimax rotation) did not settle.
    NoConvergence {
        /// What did not converge.
        what: &'static str,
        /// The iterations tried.
        iterations: usize,
    },
    /// A judgement matrix with no row.
    EmptyMatrix {
        /// The matrix's name.
        matrix: String,
        /// Where it is, when known.
        at: Option<Location>,
    },
    /// A row whose number of judgements is not the number of items.
    NotSquare {
        /// The matrix's name.
        matrix: String,
        /// The row, from 0.
        row: usize,
        /// The row's label, when the matrix has labels.
        label: Option<String>,
        /// Judgements in that row.
        found: usize,
        /// Items in the matrix.
        expected: usize,
        /// Where the row is, when known.
        at: Option<Location>,
    },
    /// A cell that is not a positive number or fraction.
    BadJudgement {
        /// The matrix's name.
        matrix: String,
        /// The cell.
        cell: CellRef,
        /// The text as written.
        text: String,
        /// Why it is refused (`is not a number`).
        reason: String,
    },
    /// A diagonal cell that is not 1.
    Diagonal {
        /// The matrix's name.
        matrix: String,
        /// The cell.
        cell: CellRef,
        /// The value written.
        value: f64,
    },
    /// a_ij · a_ji is not 1.
    NotReciprocal {
        /// The matrix's name.
        matrix: String,
        /// The cell below the diagonal (i > j).
        cell: CellRef,
        /// Its text.
        text: String,
        /// The text of the mirror cell (j, i).
        mirror: String,
    },
    /// The first row and the first column name the items differently.
    LabelMismatch {
        /// The matrix's name.
        matrix: String,
        /// The item, from 0.
        index: usize,
        /// The label in the first row.
        column_label: String,
        /// The label in the first column.
        row_label: String,
        /// Where, when known.
        at: Option<Location>,
    },
    /// Two items share a label, or an item has none.
    BadLabel {
        /// The matrix's name.
        matrix: String,
        /// The item, from 0.
        index: usize,
        /// The label (empty when there is none).
        label: String,
        /// Where, when known.
        at: Option<Location>,
    },
    /// A matrix larger than the random-index table goes.
    BeyondRiTable {
        /// The matrix's name.
        matrix: String,
        /// Items in the matrix.
        n: usize,
        /// The table's name.
        table: &'static str,
        /// The largest n the table has.
        max: usize,
    },
    /// A random-index table kmgov does not ship.
    RiTableUnavailable {
        /// The table's name.
        table: &'static str,
    },
    /// A matrix with more or fewer rows than items.
    RowCount {
        /// The matrix's name.
        matrix: String,
        /// Rows of judgements.
        found: usize,
        /// Items named.
        expected: usize,
        /// Where, when known.
        at: Option<Location>,
    },
    /// A definition's matrix with CR ≥ 0.10 while inconsistency is not allowed.
    TooInconsistent {
        /// The matrix's name.
        matrix: String,
        /// The consistency ratio.
        cr: f64,
        /// The judgement most worth revising, in words.
        revise: Option<String>,
        /// Where the matrix is written.
        at: Location,
    },
    /// Objective weights asked for on a period the data lacks.
    UnknownWeightsPeriod {
        /// The period as written.
        period: String,
        /// The periods the data has.
        known: Vec<String>,
        /// Where `weights_period` is written (the definition).
        at: Location,
    },
    /// The matrix file could not be read, decoded or laid out as a matrix.
    Read {
        /// The file as named.
        path: String,
        /// What went wrong, in words.
        reason: String,
        /// What to do.
        hint: Option<String>,
    },
}

/// `matrix `x`, ` before a cell, or nothing when the caller gave no name.
fn matrix_prefix(matrix: &str) -> String {
    if matrix.is_empty() {
        String::new()
    } else {
        format!("matrix `{}`, ", crate::error::echo(matrix))
    }
}

/// `matrix `x`` as the subject of a sentence, or `the matrix`.
fn matrix_subject(matrix: &str) -> String {
    if matrix.is_empty() {
        "the matrix".to_string()
    } else {
        format!("matrix `{}`", crate::error::echo(matrix))
    }
}

impl WeightError {
    /// The problem as shown to a person: where, what and what to do.
    pub fn problem(&self) -> Problem {
        let (location, message, hint) = self.parts();
        let problem = Problem::error(location, message);
        match hint {
            Some(hint) => problem.with_hint(hint),
            None => problem,
        }
    }

    fn parts(&self) -> (Location, String, Option<String>) {
        let indicator = |name: &str| format!("indicator `{}`", crate::error::echo(name));
        let nowhere = Location::nowhere;
        match self {
            WeightError::NoIndicators { method } => (
                nowhere(),
                format!("{method} weights need at least one indicator"),
                None,
            ),
            WeightError::UnequalLengths {
                column,
                expected,
                found,
            } => (
                nowhere().with_item(indicator(column)),
                format!("has {found} values, but the first indicator has {expected}"),
                Some("give every indicator one value per row, empty (missing) where unknown".into()),
            ),
            WeightError::OutOfRange { column, row, value } => (
                nowhere().with_item(indicator(column)),
                format!(
                    "row {}: {} is not a number weights can be derived from (finite, within ±1e100)",
                    row + 1,
                    number_text(*value)
                ),
                Some("correct the value, or leave the cell empty to mark it missing".into()),
            ),
            WeightError::TooFewValues {
                method,
                column: Some(column),
                found,
                needed,
            } => (
                nowhere().with_item(indicator(column)),
                format!(
                    "{found} value(s) present; {method} weights need at least {needed} per indicator"
                ),
                Some("derive the weights on more data (all periods pooled, or more units)".into()),
            ),
            WeightError::TooFewValues {
                method,
                column: None,
                found,
                needed,
            } => (
                nowhere(),
                format!(
                    "{method} weights use the rows where every indicator is present: {found} such row(s), at least {needed} needed"
                ),
                Some(
                    "derive the weights on more data (all periods pooled, or more units), or fill the missing values"
                        .into(),
                ),
            ),
            WeightError::NoVariation { method } => (
                nowhere(),
                format!("no indicator varies in the data used, so {method} weights are undefined"),
                Some("derive the weights on data where the indicators vary (all periods pooled?), or use equal or manual weights".into()),
            ),
            WeightError::MeanNearZero { column, mean } => (
                nowhere().with_item(indicator(column)),
                format!(
                    "its mean is {}, zero next to its values, so its coefficient of variation (sd / |mean|) is undefined",
                    number_text(*mean)
                ),
                Some("cv weights suit indicators measured from a true zero (counts, rates, amounts); use entropy or critic weights for this data".into()),
            ),
            WeightError::BadShift { value } => (
                Location::nowhere().with_item("entropy_shift"),
                format!("{} is not a shift: it must be 0 or a positive number", number_text(*value)),
                Some("papers use 0.0001 to 0.01; 0 (the default) adds nothing".into()),
            ),
            WeightError::BadAlpha { value } => (
                Location::nowhere().with_item("alpha"),
                format!("{} is not a number from 0 to 1", number_text(*value)),
                Some("alpha is the share of the subjective weights, such as 0.5".into()),
            ),
            WeightError::BadWeight { which, item, value } => (
                nowhere(),
                format!(
                    "the {which} weight of {item} is {}: weights must be 0 or positive numbers",
                    number_text(*value)
                ),
                None,
            ),
            WeightError::WeightsSumToZero { which } => (
                nowhere(),
                format!("the {which} weights sum to zero"),
                Some("give at least one indicator a positive weight".into()),
            ),
            WeightError::LengthMismatch {
                which,
                expected,
                found,
            } => (
                nowhere(),
                format!("{found} {which} weights were given for {expected} indicators"),
                None,
            ),
            WeightError::NoCommonFactor { largest } => (
                nowhere(),
                format!(
                    "no principal component has an eigenvalue above 1 (the largest is {}): the indicators are uncorrelated, so PCA finds no common factor to weight by",
                    number_text(*largest)
                ),
                Some("use entropy, critic or equal weights for indicators that do not move together".into()),
            ),
            WeightError::NoConvergence { what, iterations } => (
                nowhere(),
                format!("the {what} did not settle in {iterations} iterations"),
                Some("the data is nearly degenerate (factors or items that are almost interchangeable); use another weighting method".into()),
            ),
            WeightError::EmptyMatrix { matrix, at } => (
                at.clone().unwrap_or_default(),
                format!("{} has no judgements", matrix_subject(matrix)),
                Some("write the pairwise judgements as a square table, 1 on the diagonal".into()),
            ),
            WeightError::NotSquare {
                matrix,
                row,
                label,
                found,
                expected,
                at,
            } => {
                let row = match label {
                    Some(label) => format!("row {} (`{}`)", row + 1, crate::error::echo(label)),
                    None => format!("row {}", row + 1),
                };
                (
                    at.clone().unwrap_or_default(),
                    format!(
                        "{}{row} has {found} judgement(s), but the matrix compares {expected} items",
                        matrix_prefix(matrix)
                    ),
                    Some("a judgement matrix is square: one row and one column per item, 1 on the diagonal".into()),
                )
            }
            WeightError::BadJudgement {
                matrix,
                cell,
                text,
                reason,
            } => (
                cell.at.clone().unwrap_or_default(),
                format!(
                    "{}{cell}: `{}` {reason}",
                    matrix_prefix(matrix),
                    crate::error::echo(text)
                ),
                Some("write a positive number or fraction on Saaty's 1–9 scale, such as 3, 1/3 or 0.5".into()),
            ),
            WeightError::Diagonal {
                matrix,
                cell,
                value,
            } => (
                cell.at.clone().unwrap_or_default(),
                format!(
                    "{}{cell}: the diagonal compares an item with itself and must be 1, not {}",
                    matrix_prefix(matrix),
                    number_text(*value)
                ),
                Some("write 1 on the diagonal; the judgement belongs in another cell".into()),
            ),
            WeightError::NotReciprocal {
                matrix,
                cell,
                text,
                mirror,
            } => (
                cell.at.clone().unwrap_or_default(),
                format!(
                    "{}{cell}: `{}` is not the reciprocal of the mirror judgement `{}` (row {}, column {})",
                    matrix_prefix(matrix),
                    crate::error::echo(text),
                    crate::error::echo(mirror),
                    cell.column + 1,
                    cell.row + 1
                ),
                Some("a_ji must be 1/a_ij: write `1/3` (or 0.333) opposite a 3".into()),
            ),
            WeightError::LabelMismatch {
                matrix,
                index,
                column_label,
                row_label,
                at,
            } => (
                at.clone().unwrap_or_default(),
                format!(
                    "{}item {}: the first row names it `{}` but the first column `{}`",
                    matrix_prefix(matrix),
                    index + 1,
                    crate::error::echo(column_label),
                    crate::error::echo(row_label)
                ),
                Some("the first row and the first column must name the same items in the same order".into()),
            ),
            WeightError::BadLabel {
                matrix,
                index,
                label,
                at,
            } => (
                at.clone().unwrap_or_default(),
                if label.is_empty() {
                    format!("{}item {} has no label", matrix_prefix(matrix), index + 1)
                } else {
                    format!(
                        "{}item {}: the label `{}` names another item too",
                        matrix_prefix(matrix),
                        index + 1,
                        crate::error::echo(label)
                    )
                },
                Some("give every item its own label in the first row and the first column".into()),
            ),
            WeightError::BeyondRiTable {
                matrix,
                n,
                table,
                max,
            } => (
                nowhere(),
                format!(
                    "{} compares {n} items, but the {table} random-index table stops at {max}",
                    matrix_subject(matrix)
                ),
                Some(format!(
                    "split the items into groups of at most {max} under a common parent (a hierarchy): fewer judgements per matrix are also easier to make consistent"
                )),
            ),
            WeightError::TooInconsistent {
                matrix,
                cr,
                revise,
                at,
            } => (
                at.clone(),
                format!(
                    "{} is not consistent enough: CR = {cr:.4} is not below 0.10",
                    matrix_subject(matrix)
                ),
                Some(match revise {
                    Some(revise) => format!(
                        "{revise}; or set allow_inconsistent = true under [ahp] to use it as it is"
                    ),
                    None => "revise the judgements, or set allow_inconsistent = true under [ahp] to use them as they are".into(),
                }),
            ),
            WeightError::UnknownWeightsPeriod { period, known, at } => (
                at.clone().with_item("[method] weights_period".to_string()),
                format!("the data has no period `{}`", crate::error::echo(period)),
                Some(format!(
                    "choose one of: {}, or remove weights_period to pool every period",
                    crate::error::list_some(known, 10)
                )),
            ),
            WeightError::RiTableUnavailable { table } => (
                nowhere(),
                format!("the {table} random-index table is not built into this version of kmgov"),
                Some("use the saaty or chinese table".into()),
            ),
            WeightError::RowCount {
                matrix,
                found,
                expected,
                at,
            } => (
                at.clone().unwrap_or_default(),
                format!(
                    "{} has {found} row(s) of judgements for {expected} items",
                    matrix_subject(matrix)
                ),
                Some("a judgement matrix is square: one row and one column per item, 1 on the diagonal".into()),
            ),
            WeightError::Read { path, reason, hint } => {
                (Location::file(path.as_str()), reason.clone(), hint.clone())
            }
        }
    }
}

impl fmt::Display for WeightError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for WeightError {}

/// Something a method did that deserves a look, returned beside the weights.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightWarning {
    /// A constant indicator, given weight 0.
    Constant {
        /// The method.
        method: &'static str,
        /// The indicator.
        column: String,
    },
    /// Rows with a missing value were left out (CRITIC and PCA use complete rows).
    RowsLeftOut {
        /// The method.
        method: &'static str,
        /// Rows used.
        used: usize,
        /// Rows given.
        total: usize,
    },
    /// CRITIC: the indicators that vary are perfectly correlated, so none
    /// conflicts with another; they share the weight equally.
    NoConflict {
        /// The indicators that share the weight.
        columns: Vec<String>,
    },
    /// CV: an indicator with both negative and positive values.
    MixedSigns {
        /// The indicator.
        column: String,
    },
    /// TOPSIS: rows as close to the ideal as to the anti-ideal on every
    /// indicator they have (all rows alike), scored 50.
    TopsisTies {
        /// How many rows.
        rows: usize,
    },
    /// AHP: CR ≥ 0.10.
    Inconsistent {
        /// The matrix's name.
        matrix: String,
        /// The consistency ratio.
        cr: f64,
        /// The judgement most worth revising, with the value it should move to.
        revise: Option<String>,
    },
}

impl WeightWarning {
    /// The warning as shown to a person.
    pub fn problem(&self) -> Problem {
        let indicator = |name: &str| format!("indicator `{}`", crate::error::echo(name));
        match self {
            WeightWarning::Constant { method, column } => Problem::warning(
                Location::nowhere().with_item(indicator(column)),
                format!("is constant in the data used, so its {method} weight is 0"),
            )
            .with_hint("a constant indicator carries no information; check the data, or drop the indicator"),
            WeightWarning::RowsLeftOut {
                method,
                used,
                total,
            } => Problem::warning(
                Location::nowhere(),
                format!(
                    "{method} weights used {used} of {total} rows: rows with a missing value are left out"
                ),
            )
            .with_hint("fill the missing values to use every row"),
            WeightWarning::NoConflict { columns } => Problem::warning(
                Location::nowhere(),
                format!(
                    "the indicators that vary ({}) are perfectly correlated, so CRITIC finds no conflict between them; they share the weight equally",
                    crate::error::list_some(
                        &columns.iter().map(|c| format!("`{}`", crate::error::echo(c))).collect::<Vec<_>>(),
                        5
                    )
                ),
            )
            .with_hint("indicators that measure the same thing twice are better merged or dropped"),
            WeightWarning::MixedSigns { column } => Problem::warning(
                Location::nowhere().with_item(indicator(column)),
                "has negative and positive values; its coefficient of variation depends on where zero is",
            )
            .with_hint("cv weights suit indicators measured from a true zero; consider entropy or critic weights"),
            WeightWarning::TopsisTies { rows } => Problem::warning(
                Location::nowhere(),
                format!(
                    "{rows} row(s) are as close to the ideal as to the anti-ideal on every indicator they have (the units are alike there), so they score 50"
                ),
            ),
            WeightWarning::Inconsistent { matrix, cr, revise } => {
                let problem = Problem::warning(
                    Location::nowhere(),
                    format!(
                        "{} is not consistent enough: CR = {:.4} is not below 0.10",
                        matrix_subject(matrix),
                        cr
                    ),
                );
                match revise {
                    Some(revise) => problem.with_hint(revise.clone()),
                    None => problem,
                }
            }
        }
    }
}

impl fmt::Display for WeightWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_names_its_row_and_column_with_labels() {
        let cell = CellRef {
            row: 1,
            column: 0,
            row_label: Some("services".into()),
            column_label: Some("vitality".into()),
            at: Some(Location::cell("m.csv", 3, 2)),
        };
        let error = WeightError::BadJudgement {
            matrix: "dimensions".into(),
            cell,
            text: "0".into(),
            reason: "is not positive".into(),
        };
        assert_eq!(
            error.to_string(),
            "m.csv:3:2: matrix `dimensions`, row 2 (`services`), column 1 (`vitality`): `0` is not positive"
        );
        assert!(error.problem().hint.unwrap().contains("1/3"));
    }

    #[test]
    fn an_indicator_error_names_the_indicator() {
        let error = WeightError::MeanNearZero {
            column: "growth".into(),
            mean: 1e-17,
        };
        let text = error.to_string();
        assert!(
            text.starts_with("indicator `growth`: its mean is 1e-17"),
            "{text}"
        );
    }
}
