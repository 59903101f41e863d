//! Finding the definition's columns in a wide-form header: each one's
//! position, an error (with a suggestion) for each missing one, one error
//! for a file made for another definition, and warnings for ignored columns.

use std::collections::HashMap;

use crate::definition::Definition;
use crate::error::{DataError, Error, Location, Problem, echo};

/// True when so many indicator columns are absent that the file is for
/// another definition: more than half of them (and at least two), or more
/// than [`MISSING_COLUMNS_LISTED`] whatever the share. Then one message says
/// that the data and the definition do not match, rather than one per column.
pub(super) fn most_columns_absent(absent: usize, total: usize) -> bool {
    (absent >= 2 && absent * 2 > total) || absent > MISSING_COLUMNS_LISTED
}

/// The most absent indicator columns that get a message each.
pub(super) const MISSING_COLUMNS_LISTED: usize = 200;

/// Positions (from 0) of the columns the definition needs.
pub(super) struct Columns {
    pub(super) unit: usize,
    pub(super) period: usize,
    pub(super) population: Option<usize>,
    pub(super) indicators: Vec<usize>,
    /// The `[data] groups` columns, then the `[data] code` column.
    pub(super) labels: Vec<usize>,
}

impl Columns {
    pub(super) fn find(
        header: &[String],
        name: &str,
        definition: &Definition,
    ) -> Result<Columns, Error> {
        let (position, mut duplicates) = header_positions(header, name);
        let mut errors = Vec::new();
        if let Some(error) = super::population_is_key(definition, name) {
            errors.push(error);
        }
        // A definition's names are matched as the header's are folded.
        let find = |column: &str| -> Option<usize> {
            position
                .get(column)
                .or_else(|| position.get(super::intern::normalize_label(column).as_ref()))
                .copied()
        };
        let found = Found {
            unit: find(&definition.columns.unit),
            period: find(&definition.columns.period),
            indicators: definition
                .indicators()
                .map(|(_, indicator)| find(&indicator.id))
                .collect(),
            population: definition.columns.population.as_deref().and_then(find),
            labels: definition.columns.labels().map(find).collect(),
        };
        let taken = found.taken(header.len());
        errors.extend(found.missing(header, &taken, name, definition));
        // Duplicate names matter only where kmgov reads the column.
        duplicates.retain(|error| match error {
            DataError::DuplicateColumn { first, .. } => taken[first - 1],
            _ => true,
        });
        duplicates.append(&mut errors);
        let errors = duplicates;
        let Found {
            unit,
            period,
            population,
            indicators,
            labels,
        } = found;
        match (
            unit,
            period,
            indicators.iter().copied().collect::<Option<Vec<usize>>>(),
            labels.iter().copied().collect::<Option<Vec<usize>>>(),
        ) {
            (Some(unit), Some(period), Some(indicators), Some(labels)) if errors.is_empty() => {
                Ok(Columns {
                    unit,
                    period,
                    population,
                    indicators,
                    labels,
                })
            }
            _ => Err(Error::Data(errors)),
        }
    }

    /// A warning for each header column the definition does not read, up
    /// to [`IGNORED_LISTED`], then one with the count of the rest.
    pub(super) fn ignored_warnings(&self, header: &[String], name: &str) -> Vec<Problem> {
        let mut used = vec![false; header.len()];
        for i in [Some(self.unit), Some(self.period), self.population]
            .into_iter()
            .flatten()
            .chain(self.indicators.iter().copied())
            .chain(self.labels.iter().copied())
        {
            used[i] = true;
        }
        let mut ignored = header
            .iter()
            .enumerate()
            .filter(|&(i, cell)| !used[i] && !cell.is_empty());
        let mut warnings: Vec<Problem> = ignored
            .by_ref()
            .take(IGNORED_LISTED)
            .map(|(i, cell)| {
                Problem::warning(
                    Location::cell(name, 1, i + 1),
                    format!(
                        "column `{}` is not an indicator of the definition and is ignored",
                        echo(cell)
                    ),
                )
                .with_hint("check its spelling against the indicator ids, or remove the column")
            })
            .collect();
        let more = ignored.count();
        if more > 0 {
            warnings.push(
                Problem::warning(
                    name.to_string(),
                    format!(
                        "{more} more columns are not indicators of the definition and are ignored"
                    ),
                )
                .with_hint("check that the definition (--config) is the one for this file"),
            );
        }
        warnings
    }
}

/// Each header cell's position (the first, for a name written twice), and
/// an error for each name written again.
pub(super) fn header_positions<'h>(
    header: &'h [String],
    name: &str,
) -> (HashMap<&'h str, usize>, Vec<DataError>) {
    let mut position: HashMap<&str, usize> = HashMap::with_capacity(header.len());
    let mut duplicates = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        if cell.is_empty() {
            continue;
        }
        if let Some(&first) = position.get(cell.as_str()) {
            duplicates.push(DataError::DuplicateColumn {
                at: Location::cell(name, 1, i + 1),
                column: cell.clone(),
                first: first + 1,
            });
        } else {
            position.insert(cell, i);
        }
    }
    (position, duplicates)
}

/// Where the definition's columns were found in the header, if they were.
pub(super) struct Found {
    pub(super) unit: Option<usize>,
    pub(super) period: Option<usize>,
    pub(super) indicators: Vec<Option<usize>>,
    pub(super) population: Option<usize>,
    pub(super) labels: Vec<Option<usize>>,
}

impl Found {
    /// For each header cell, whether a column of the definition took it.
    fn taken(&self, width: usize) -> Vec<bool> {
        let mut taken = vec![false; width];
        for found in [self.unit, self.period, self.population]
            .into_iter()
            .chain(self.indicators.iter().copied())
            .chain(self.labels.iter().copied())
            .flatten()
        {
            taken[found] = true;
        }
        taken
    }

    /// An error for each column the definition needs and the header lacks,
    /// suggesting one of the header cells no column took.
    fn missing(
        &self,
        header: &[String],
        taken: &[bool],
        name: &str,
        definition: &Definition,
    ) -> Vec<DataError> {
        let mut errors = Vec::new();
        let population_needed = definition.columns.population.is_some()
            && definition.method.total == crate::definition::Total::Population;
        let mut suggester = super::Suggester::new(
            header
                .iter()
                .zip(taken)
                .filter(|(cell, taken)| !**taken && !cell.is_empty())
                .map(|(cell, _)| cell.as_str()),
        );
        let mut missing = |column: &str, role: String| DataError::MissingColumn {
            path: name.to_string(),
            column: column.to_string(),
            role,
            suggestion: suggester.suggest(column).map(str::to_string),
        };
        if self.unit.is_none() {
            errors.push(missing(
                &definition.columns.unit,
                "the unit ([data] unit)".into(),
            ));
        }
        if self.period.is_none() {
            errors.push(missing(
                &definition.columns.period,
                "the period ([data] period)".into(),
            ));
        }
        let absent: Vec<String> = definition
            .indicators()
            .zip(&self.indicators)
            .filter(|(_, found)| found.is_none())
            .map(|((_, indicator), _)| indicator.id.clone())
            .collect();
        if most_columns_absent(absent.len(), self.indicators.len()) {
            // A file made for another definition: one message, not forty.
            errors.push(DataError::MissingColumns {
                path: name.to_string(),
                columns: absent,
                total: definition.indicator_count(),
                definition: definition.origin.clone(),
            });
        } else {
            for ((dimension, indicator), found) in definition.indicators().zip(&self.indicators) {
                if found.is_none() {
                    let role = format!(
                        "indicator `{}` of dimension `{}`",
                        indicator.id, definition.dimensions[dimension].id
                    );
                    errors.push(missing(&indicator.id, role));
                }
            }
        }
        for (i, (column, found)) in definition.columns.labels().zip(&self.labels).enumerate() {
            if found.is_none() {
                let role = definition.columns.label_role(i);
                errors.push(missing(column, role.into()));
            }
        }
        if self.population.is_none()
            && population_needed
            && let Some(column) = &definition.columns.population
        {
            errors.push(missing(
                column,
                "the population ([data] population, needed by total = \"population\")".into(),
            ));
        }
        errors
    }
}

/// Ignored header columns warned about one by one.
pub(super) const IGNORED_LISTED: usize = 20;
