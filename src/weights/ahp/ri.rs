//! Random-index (RI) tables: the mean consistency index of random
//! reciprocal matrices of each size, which CR divides by.

use crate::weights::WeightError;

/// Saaty's table (Saaty 1980, *The Analytic Hierarchy Process*), n = 1…10.
const SAATY: [f64; 10] = [0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49];

/// The table of 许树柏 (Xu Shubai 1988, 《实用决策方法：层次分析法原理》),
/// used in Chinese textbooks, n = 1…10.
const CHINESE: [f64; 10] = [0.0, 0.0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49];

/// Which random-index table CR uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RiTable {
    /// Saaty's, n ≤ 10.
    #[default]
    Saaty,
    /// 许树柏's, n ≤ 10.
    Chinese,
    /// Tummala & Ling (1998), "A note on the computation of the mean random
    /// consistency index of the analytic hierarchy process", *Theory and
    /// Decision* 44: 221–230. Named so that a definition can ask for it;
    /// its values are not built in (they could not be checked against the
    /// paper), so asking for it is an error.
    TummalaLing,
}

impl RiTable {
    /// The table's name, as a definition and the command line spell it.
    pub fn name(self) -> &'static str {
        match self {
            RiTable::Saaty => "saaty",
            RiTable::Chinese => "chinese",
            RiTable::TummalaLing => "tummala-ling",
        }
    }

    /// The table named `name`.
    pub fn from_name(name: &str) -> Option<RiTable> {
        [RiTable::Saaty, RiTable::Chinese, RiTable::TummalaLing]
            .into_iter()
            .find(|t| t.name() == name)
    }

    fn values(self) -> Option<&'static [f64]> {
        match self {
            RiTable::Saaty => Some(&SAATY),
            RiTable::Chinese => Some(&CHINESE),
            RiTable::TummalaLing => None,
        }
    }

    /// RI for a matrix of `n` items; an error naming `matrix` beyond the table.
    pub fn ri(self, n: usize, matrix: &str) -> Result<f64, WeightError> {
        let values = self
            .values()
            .ok_or(WeightError::RiTableUnavailable { table: self.name() })?;
        values
            .get(n.wrapping_sub(1))
            .copied()
            .ok_or(WeightError::BeyondRiTable {
                matrix: matrix.to_string(),
                n,
                table: self.name(),
                max: values.len(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_as_published() {
        assert_eq!(RiTable::Saaty.ri(3, "m"), Ok(0.58));
        assert_eq!(RiTable::Saaty.ri(10, "m"), Ok(1.49));
        assert_eq!(RiTable::Chinese.ri(3, "m"), Ok(0.52));
        assert_eq!(RiTable::Chinese.ri(6, "m"), Ok(1.26));
        assert_eq!(RiTable::Saaty.ri(1, "m"), Ok(0.0));
        assert!(matches!(
            RiTable::Saaty.ri(11, "m"),
            Err(WeightError::BeyondRiTable { n: 11, max: 10, .. })
        ));
        assert!(RiTable::Saaty.ri(0, "m").is_err());
        assert!(matches!(
            RiTable::TummalaLing.ri(3, "m"),
            Err(WeightError::RiTableUnavailable {
                table: "tummala-ling"
            })
        ));
        for table in [RiTable::Saaty, RiTable::Chinese, RiTable::TummalaLing] {
            assert_eq!(RiTable::from_name(table.name()), Some(table));
        }
    }
}
