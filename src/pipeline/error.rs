//! Problems found while scoring: values a method cannot use, settings the
//! data cannot meet. Each becomes a [`Problem`] naming the cell and the fix.

use std::fmt;

use crate::definition::Aggregate;
use crate::error::{Location, Problem, list_some, number_text, too_many};

/// A problem found while scoring: a value the method cannot use.
#[derive(Debug)]
pub enum ScoreError {
    /// A missing value under `missing = "error"`.
    MissingValue {
        /// Where it is.
        at: Location,
        /// The indicator id.
        indicator: String,
        /// The unit's name.
        unit: String,
        /// The period label.
        period: String,
    },
    /// `missing = "mean"` with no value in the period to take a mean of.
    NoMean {
        /// The file as the user named it.
        path: String,
        /// The indicator id.
        indicator: String,
        /// The period label.
        period: String,
    },
    /// `missing = "carry"` with no earlier value to carry.
    NoEarlierValue {
        /// Where it is.
        at: Location,
        /// The indicator id.
        indicator: String,
        /// The unit's name.
        unit: String,
        /// The period label.
        period: String,
    },
    /// Geometric or harmonic aggregation of a score that is not above zero.
    NotPositive {
        /// Where it is.
        at: Location,
        /// The item, in words.
        item: String,
        /// The unit's name.
        unit: String,
        /// The period label.
        period: String,
        /// The score concerned.
        score: f64,
        /// The aggregation that cannot take it.
        aggregate: Aggregate,
    },
    /// `total = "population"` and a unit's population is missing or not usable.
    Population {
        /// Where it is.
        at: Location,
        /// The unit's name.
        unit: String,
        /// The period label.
        period: String,
        /// The text as found (shortened for a message).
        text: String,
    },
    /// `scope = "base"` names a period the data does not have.
    UnknownBasePeriod {
        /// Where the definition came from.
        origin: String,
        /// The period label.
        period: String,
        /// The ones that exist.
        known: Vec<String>,
    },
    /// `scope = "base"` and an indicator has no value in the base period.
    NoBaseValue {
        /// The file as the user named it.
        path: String,
        /// The indicator id.
        indicator: String,
        /// The period label.
        period: String,
    },
    /// `scope = "base"` and an indicator has one value for every unit in the
    /// base period, so there is no scale to score other periods on.
    ConstantBase {
        /// The file as the user named it.
        path: String,
        /// The indicator id.
        indicator: String,
        /// The period label.
        period: String,
        /// The value concerned.
        value: f64,
    },
    /// More problems than are worth keeping in memory.
    TooMany {
        /// The file as the user named it.
        path: String,
        /// How many more were not kept.
        more: usize,
    },
}

impl ScoreError {
    /// The problem as shown to a person.
    // Long by nature: one short arm per variant, each a message and its hint.
    pub fn problem(&self) -> Problem {
        match self {
            ScoreError::MissingValue {
                at,
                indicator,
                unit,
                period,
            } => Problem::error(
                at.clone(),
                format!("indicator `{indicator}`, unit {unit}, period {period}: the value is missing"),
            )
            .with_hint(
                "fill the cell, or set [method] missing = \"skip\", \"mean\" or \"carry\" in the definition",
            ),
            ScoreError::NoMean {
                path,
                indicator,
                period,
            } => Problem::error(
                path.clone(),
                format!("indicator `{indicator}`, period {period}: no unit has a value, so there is no mean to fill with"),
            )
            .with_hint("enter at least one value for the period, or use missing = \"skip\""),
            ScoreError::NoEarlierValue {
                at,
                indicator,
                unit,
                period,
            } => Problem::error(
                at.clone(),
                format!(
                    "indicator `{indicator}`, unit {unit}, period {period}: missing, and the unit has no earlier value to carry forward"
                ),
            )
            .with_hint("fill the cell, or use missing = \"mean\" or \"skip\""),
            ScoreError::NotPositive {
                at,
                item,
                unit,
                period,
                score,
                aggregate,
            } if *score > 0.0 => Problem::error(
                at.clone(),
                format!(
                    "{item}, unit {unit}, period {period}: score {} is so close to zero that {aggregate} aggregation overflows (1/score is too large)",
                    number_text(*score)
                ),
            )
            .with_hint(
                "check the value; use aggregate = \"arithmetic\", or a normalization whose scores stay well above zero (efficacy scores 60–100)",
            ),
            ScoreError::NotPositive {
                at,
                item,
                unit,
                period,
                score,
                aggregate,
            } => Problem::error(
                at.clone(),
                format!(
                    "{item}, unit {unit}, period {period}: score {} is not above zero, which {aggregate} aggregation cannot take",
                    number_text(*score)
                ),
            )
            .with_hint(
                "use aggregate = \"arithmetic\", or a normalization whose scores stay above zero (efficacy scores 60–100)",
            ),
            ScoreError::Population {
                at,
                unit,
                period,
                text,
            } => Problem::error(
                at.clone(),
                format!("unit {unit}, period {period}: population {text}, needed by total = \"population\""),
            )
            .with_hint("enter a positive population, or set [method] total = \"mean\""),
            ScoreError::UnknownBasePeriod {
                origin,
                period,
                known,
            } => Problem::error(
                origin.clone(),
                format!("[method] base_period `{period}` is not a period of the data"),
            )
            .with_hint(format!(
                "choose one of: {}",
                list_some(known, 12)
            )),
            ScoreError::NoBaseValue {
                path,
                indicator,
                period,
            } => Problem::error(
                path.clone(),
                format!("indicator `{indicator}` has no value in the base period {period}, so there is nothing to normalise against"),
            )
            .with_hint("enter the base period's values, choose another base_period, or give the indicator goalposts"),
            ScoreError::ConstantBase {
                path,
                indicator,
                period,
                value,
            } => Problem::error(
                path.clone(),
                format!("indicator `{indicator}` is {value} for every unit in the base period {period}, so base scope has no scale to score the other periods on (every value would score the same)"),
            )
            .with_hint("choose a base_period in which it varies, give the indicator goalposts (normalize = \"goalposts\"), or use scope = \"pooled\""),
            ScoreError::TooMany { path, more } => too_many(path, *more),
        }
    }
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for ScoreError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_positive(score: f64) -> String {
        ScoreError::NotPositive {
            at: Location::cell("d.csv", 3, 3),
            item: "indicator `x`".into(),
            unit: "A".into(),
            period: "2019".into(),
            score,
            aggregate: Aggregate::Harmonic,
        }
        .problem()
        .message
    }

    #[test]
    fn a_score_is_printed_short() {
        assert_eq!(
            not_positive(1e-320),
            "indicator `x`, unit A, period 2019: score 1e-320 is so close to zero that harmonic aggregation overflows (1/score is too large)"
        );
        assert!(not_positive(-1e-300).contains("score -1e-300 is not above zero"));
        assert!(not_positive(-0.0).contains("score 0 is not above zero"));
        assert!(not_positive(-2.5).contains("score -2.5 is not above zero"));
    }
}
