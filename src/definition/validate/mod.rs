//! Validation: the definition as written → a [`Definition`] in which every
//! id, weight and setting makes sense, or every problem at once, each at the
//! line of its item with what to do.
//!
//! The settings (`[index]`, `[data]`, `[method]`) are checked here; the tree
//! of dimensions and indicators in [`tree`], and the weights of each group of
//! siblings in [`weights`].

mod derived;
mod grades;
mod tree;
mod weights;

use toml::Spanned;

use super::error::DefinitionError;
use super::raw::{RawCombined, RawDefinition, RawIndex, RawMethod};
use super::text::LineIndex;
use super::{Columns, Definition, Method, Scope, Total};
use crate::error::{Error, Location};
use crate::limits::MAX_MAGNITUDE;

/// The most decimals a table will show; more is noise in an f64.
const MAX_DECIMALS: i64 = 12;

/// Validates a parsed definition: `text` and `lines` locate its items in
/// messages, `origin` names the file.
pub(super) fn validate(
    raw: RawDefinition,
    text: &str,
    lines: LineIndex,
    origin: &str,
) -> Result<Definition, Error> {
    Validator {
        text,
        lines,
        origin,
        errors: Vec::new(),
    }
    .validate(raw)
}

/// A number as a person would write it: `1e300`, not three hundred digits.
fn show(x: f64) -> String {
    if x.abs() >= 1e15 || (x != 0.0 && x.abs() < 1e-6) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// Collects every problem while building the definition.
struct Validator<'a> {
    text: &'a str,
    lines: LineIndex,
    origin: &'a str,
    errors: Vec<DefinitionError>,
}

impl Validator<'_> {
    /// Where a value is written.
    fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        self.lines
            .locate(self.text, spanned.span().start, self.origin)
    }

    /// Records a problem and goes on, so that every problem is listed at once.
    fn invalid(&mut self, at: Location, item: String, message: String, hint: &str) {
        self.errors.push(DefinitionError::Invalid {
            at,
            item,
            message,
            hint: hint.to_string(),
        });
    }

    /// The definition, or every problem found in it.
    fn validate(mut self, raw: RawDefinition) -> Result<Definition, Error> {
        let method = self.method(&raw.method, raw.combined.as_ref());
        let name = self.name(&raw.index);
        let decimals = self.decimals(&raw.index);
        let columns = self.columns(&raw);
        self.total_needs_population(&method, &columns);
        let (dimensions, groups) = self.dimensions(raw.dimensions, &method, &columns);
        self.label_clashes(&raw.data, &columns, &dimensions, &groups);
        self.topsis_settings(&method, &dimensions, &groups);
        let combined = self.combined(raw.combined.as_ref(), &method);
        let ahp = self.ahp(raw.ahp, &method, combined.as_ref(), &dimensions, &groups);
        let node_ids: Vec<(&str, &str)> = dimensions
            .iter()
            .map(|d| ("dimension", d.id.as_str()))
            .chain(groups.iter().map(|g| ("group", g.id.as_str())))
            .collect();
        let grades = self.grades(raw.grades, &dimensions, &node_ids);
        if !self.errors.is_empty() {
            return Err(Error::Definition(self.errors));
        }
        Ok(Definition {
            origin: self.origin.to_string(),
            name,
            label: raw.index.label.filter(|l| !l.trim().is_empty()),
            decimals,
            lang: raw.index.lang.unwrap_or_default(),
            columns,
            method,
            dimensions,
            groups,
            ahp,
            combined,
            grades,
        })
    }

    /// `[method]`, each setting the default when not written.
    fn method(&mut self, raw: &RawMethod, combined: Option<&Spanned<RawCombined>>) -> Method {
        let default = Method::default();
        let (weights, weights_period, entropy_shift) = self.weight_settings(raw, combined);
        Method {
            weights,
            weights_period,
            entropy_shift,
            normalize: raw.normalize.unwrap_or(default.normalize),
            scope: raw.scope.unwrap_or(default.scope),
            base_period: self.base_period(raw),
            aggregate: raw.aggregate.unwrap_or(default.aggregate),
            missing: raw.missing.unwrap_or(default.missing),
            total: raw.total.unwrap_or(default.total),
        }
    }

    /// `[index] name`, which heads every output and so cannot be blank.
    fn name(&mut self, raw: &RawIndex) -> String {
        let name = raw.name.get_ref().trim().to_string();
        if name.is_empty() {
            let at = self.at(&raw.name);
            self.invalid(
                at,
                "[index] name".into(),
                "is empty".into(),
                "give the index a name; it heads every output",
            );
        }
        name
    }

    /// `[index] decimals`, 2 when not written (or not usable).
    fn decimals(&mut self, raw: &RawIndex) -> usize {
        match &raw.decimals {
            Some(d) if !(0..=MAX_DECIMALS).contains(d.get_ref()) => {
                let at = self.at(d);
                self.invalid(
                    at,
                    "[index] decimals".into(),
                    format!(
                        "{} is not a number of digits from 0 to {MAX_DECIMALS}",
                        d.get_ref()
                    ),
                    "use a number of digits such as 2",
                );
                2
            }
            Some(d) => *d.get_ref() as usize,
            None => 2,
        }
    }

    /// `total = "population"` weighs by a column that `[data]` must name.
    fn total_needs_population(&mut self, method: &Method, columns: &Columns) {
        if method.total == Total::Population && columns.population.is_none() {
            self.invalid(
                Location::file(self.origin),
                "[method] total".into(),
                "is \"population\" but [data] names no population column".into(),
                "add population = \"<column>\" under [data], or use total = \"mean\"",
            );
        }
    }

    /// `base_period`, which only means something with `scope = "base"`.
    fn base_period(&mut self, raw: &RawMethod) -> Option<String> {
        let spanned = raw.base_period.as_ref()?;
        let period = spanned.get_ref().text();
        if raw.scope != Some(Scope::Base) {
            let at = self.at(spanned);
            self.invalid(
                at,
                "[method] base_period".into(),
                "is set but scope is not \"base\"".into(),
                "add scope = \"base\" to normalise every period with this period's statistics, or remove base_period",
            );
        } else if period.is_empty() {
            let at = self.at(spanned);
            self.invalid(
                at,
                "[method] base_period".into(),
                "is empty".into(),
                "name a period of the data, such as base_period = \"2017\", or remove it to use the earliest",
            );
        }
        Some(period)
    }

    /// `[data]`: the unit, period and population columns, each its own.
    fn columns(&mut self, raw: &RawDefinition) -> Columns {
        let mut column =
            |value: &Option<Spanned<String>>, key: &str, default: Option<&str>| match value {
                Some(spanned) if spanned.get_ref().trim().is_empty() => {
                    let at = self.at(spanned);
                    self.invalid(
                        at,
                        format!("[data] {key}"),
                        "is empty".into(),
                        "name the CSV column, as written in the header",
                    );
                    default.map(str::to_string)
                }
                Some(spanned) => Some(spanned.get_ref().trim().to_string()),
                None => default.map(str::to_string),
            };
        let unit = column(&raw.data.unit, "unit", Some("unit")).unwrap_or_default();
        let period = column(&raw.data.period, "period", Some("period")).unwrap_or_default();
        let population = column(&raw.data.population, "population", None);
        if unit == period {
            self.invalid(
                Location::file(self.origin),
                "[data]".into(),
                format!("unit and period name the same column `{unit}`"),
                "the unit and the period need a column each",
            );
        }
        for (other, key) in [(&unit, "unit"), (&period, "period")] {
            if population.as_ref() == Some(other) {
                let at = raw
                    .data
                    .population
                    .as_ref()
                    .map_or_else(|| Location::file(self.origin), |p| self.at(p));
                self.invalid(
                    at,
                    "[data]".into(),
                    format!("population and {key} name the same column `{other}`"),
                    "the population needs a column of its own; name it, or remove population",
                );
            }
        }
        let (groups, code) = self.label_columns(raw, [&unit, &period], population.as_ref());
        Columns {
            unit,
            period,
            population,
            groups,
            code,
        }
    }

    /// `[data] groups` and `[data] code`: columns read as text beside each
    /// row, each its own and none named like a column of the output.
    fn label_columns(
        &mut self,
        raw: &RawDefinition,
        keys: [&String; 2],
        population: Option<&String>,
    ) -> (Vec<String>, Option<String>) {
        let mut named: Vec<(String, Location, String)> = Vec::new();
        if let Some(groups) = &raw.data.groups {
            if groups.get_ref().is_empty() {
                let at = self.at(groups);
                self.invalid(
                    at,
                    "[data] groups".into(),
                    "is an empty list".into(),
                    "name the columns of the enclosing areas, such as groups = [\"district\"], or remove groups",
                );
            }
            for group in groups.get_ref() {
                let at = self.at(group);
                named.push((
                    group.get_ref().trim().to_string(),
                    at,
                    "[data] groups".into(),
                ));
            }
        }
        if let Some(code) = &raw.data.code {
            let at = self.at(code);
            named.push((code.get_ref().trim().to_string(), at, "[data] code".into()));
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut problems = Vec::new();
        for (column, at, item) in &named {
            let problem = if column.is_empty() {
                Some((
                    "is empty".to_string(),
                    "name the CSV column, as written in the header",
                ))
            } else if keys.contains(&column) || population == Some(column) {
                Some((
                    format!("`{column}` is already the unit, period or population column"),
                    "name a column of its own: the one that holds the area (or code) of each row",
                ))
            } else if seen.contains(&column.as_str()) {
                Some((
                    format!("`{column}` is named twice"),
                    "name each column once",
                ))
            } else if (crate::definition::OUTPUT_COLUMNS.contains(&column.as_str())
                || LABEL_OUTPUT_COLUMNS.contains(&column.as_str()))
                && !(item == "[data] code" && column == "code")
            {
                Some((
                    format!(
                        "`{column}` is also a column of kmgov's output, so the output would have it twice"
                    ),
                    "rename the column in the data (for example `district`, `county` or `street`) and here",
                ))
            } else {
                None
            };
            seen.push(column);
            if let Some((message, hint)) = problem {
                problems.push((at.clone(), item.clone(), message, hint));
            }
        }
        for (at, item, message, hint) in problems {
            self.invalid(at, item, message, hint);
        }
        let code = raw
            .data
            .code
            .as_ref()
            .map(|c| c.get_ref().trim().to_string());
        let groups = named
            .into_iter()
            .filter(|(_, _, item)| item == "[data] groups")
            .map(|(column, _, _)| column)
            .collect();
        (groups, code)
    }
}

impl Validator<'_> {
    /// Output columns the area and code columns bring that would repeat one
    /// the tree brings, or the reverse: `<area>_rank` (with `--by`) against
    /// node ids and detail columns, an area named like a detail column
    /// (`<dimension>_rank`), a node called `code` beside a code column.
    fn label_clashes(
        &mut self,
        data: &crate::definition::raw::RawData,
        columns: &Columns,
        dimensions: &[crate::definition::Dimension],
        groups: &[crate::definition::Group],
    ) {
        let nodes: Vec<&str> = dimensions
            .iter()
            .map(|d| d.id.as_str())
            .chain(groups.iter().map(|g| g.id.as_str()))
            .collect();
        let detail: Vec<String> = dimensions
            .iter()
            .flat_map(|d| {
                crate::definition::DIMENSION_COLUMN_SUFFIXES
                    .iter()
                    .map(move |suffix| format!("{}{suffix}", d.id))
            })
            .collect();
        let spans: Vec<Location> = data
            .groups
            .iter()
            .flat_map(|g| g.get_ref().iter().map(|s| self.at(s)))
            .collect();
        let mut problems = Vec::new();
        for (i, area) in columns.groups.iter().enumerate() {
            let at = spans
                .get(i)
                .cloned()
                .unwrap_or_else(|| Location::file(self.origin));
            let rank = format!("{area}_rank");
            let message = if detail.contains(area) {
                Some(format!(
                    "`{area}` is also a detail column of a dimension, so the output would have it twice"
                ))
            } else if nodes.contains(&rank.as_str()) || detail.contains(&rank) {
                Some(format!(
                    "`score --by {area}` writes a column `{rank}`, which a dimension or group already names"
                ))
            } else if columns.groups.contains(&rank) {
                Some(format!(
                    "`score --by {area}` writes a column `{rank}`, which is also an area column"
                ))
            } else {
                None
            };
            if let Some(message) = message {
                problems.push((at, message));
            }
        }
        for (at, message) in problems {
            self.invalid(
                at,
                "[data] groups".into(),
                message,
                "rename the column in the data and here, or rename the dimension or group",
            );
        }
        if columns.code.is_some() && nodes.contains(&"code") {
            let at = data
                .code
                .as_ref()
                .map_or_else(|| Location::file(self.origin), |c| self.at(c));
            self.invalid(
                at,
                "[data] code".into(),
                "the outputs carry the code as a column `code`, and a dimension or group is also called `code`".into(),
                "rename that dimension or group",
            );
        }
    }
}

/// Output columns and JSON keys of a unit beside
/// [`crate::definition::OUTPUT_COLUMNS`] that a label column may not be
/// named: its name becomes a CSV column and a key of each unit in JSON.
const LABEL_OUTPUT_COLUMNS: [&str; 15] = [
    "code",
    "grade",
    "total",
    "dimensions",
    "dimension_ranks",
    "dimension_changes",
    "dimension_grades",
    "groups",
    "indicators",
    "rank_p05",
    "rank_p95",
    "area",
    "areas",
    "by",
    "units",
];

/// The `[data]` columns: unit, period, and population when there is one.
fn data_columns(columns: &Columns) -> Vec<&str> {
    [Some(&columns.unit), Some(&columns.period)]
        .into_iter()
        .chain([columns.population.as_ref()])
        .flatten()
        .map(String::as_str)
        .chain(columns.labels())
        .collect()
}
