//! The index definition: TOML → [`Definition`], validated.
//!
//! A `Definition` alone fixes the result: which columns are read, how each
//! indicator is normalised, how scores are weighted and aggregated, and how the
//! total is formed. Validation reports every problem it finds at once, each
//! with the line of the item and what to do.
//!
//! Reading the file is in `text` (size, encoding, lines) and `source` (which
//! file); TOML errors are worded for people in `messages`, the checks of the
//! values in `validate`, and the problems they raise are [`error`]'s.

pub mod error;
mod grades;
mod judgements;
mod messages;
mod raw;
mod source;
mod text;
mod tree;
mod validate;

use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::Error;
pub use grades::{Grade, GradeTarget, grade_of};
pub use judgements::{
    AhpMethod, AhpSettings, CombinedSettings, Judgement, Judgements, ObjectiveMethod, RiName,
    Subjective,
};
use raw::RawDefinition;
pub use source::{DefinitionSource, Loaded, lookup};
pub use text::byte_limit;
pub use text::{LineIndex, MAX_DEFINITION_BYTES, MAX_DEFINITION_BYTES_VAR, TextEncoding};
pub use tree::{Children, Group, Parent};

/// The built-in Kunming Social Governance Index, as shipped in `config/kunming.toml`.
pub const KUNMING_TOML: &str = include_str!("../../config/kunming.toml");

/// How raw values become 0–100 scores (docs/METHODOLOGY.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Normalize {
    /// 100·(x−min)/(max−min).
    Minmax,
    /// (x−mean)/sd.
    Zscore,
    /// 100·clamp((x−lo)/(hi−lo), 0, 1) with fixed goalposts.
    Goalposts,
    /// 功效系数法: 60 + 40·(x−min)/(max−min).
    Efficacy,
    /// 100·(r−1)/(n−1) with average ranks.
    Rank,
    /// The raw value as given.
    None,
}

impl Normalize {
    /// True for the methods whose scores depend on the other values in their
    /// scope (min, max, mean, sd or ranks), so that they move when others move.
    pub fn is_data_driven(self) -> bool {
        !matches!(self, Normalize::Goalposts | Normalize::None)
    }
}

/// Which rows the data-driven statistics (min, max, mean, sd, rank) are taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The units of the same period.
    Period,
    /// Every row of every period.
    Pooled,
    /// The rows of one reference period (`base_period`), applied to every
    /// period: the Handbook's fixed reference year.
    Base,
}

/// How weighted scores are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// Σ wᵢ·sᵢ.
    Arithmetic,
    /// Π sᵢ^wᵢ.
    Geometric,
    /// 1 / Σ (wᵢ / sᵢ).
    Harmonic,
    /// TOPSIS on the raw values (vector normalisation, distances to the
    /// ideal and anti-ideal): `[method]` only, never a node's own.
    Topsis,
}

/// The language of headings and labels in the table, Markdown and report
/// outputs (`[index] lang`, or `--lang`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (简体中文).
    Zh,
}

/// Where the weights come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WeightMethod {
    /// As written in the definition.
    Manual,
    /// Every child of a node the same.
    Equal,
    /// Entropy (熵值法) on the data.
    Entropy,
    /// CRITIC on the data.
    Critic,
    /// Coefficient of variation (变异系数法) on the data.
    Cv,
    /// Principal components with varimax rotation, on the data.
    Pca,
    /// The analytic hierarchy process on the `[ahp]` judgement matrices.
    Ahp,
    /// `[combined]`: a subjective and an objective method mixed.
    Combined,
}

impl WeightMethod {
    /// True for the methods that read the data.
    pub fn reads_data(self) -> bool {
        matches!(
            self,
            WeightMethod::Entropy
                | WeightMethod::Critic
                | WeightMethod::Cv
                | WeightMethod::Pca
                | WeightMethod::Combined
        )
    }
}

/// What to do with a missing value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// List every missing cell and stop.
    Error,
    /// Aggregate over the indicators present.
    Skip,
    /// Fill with the indicator's mean over the period's units.
    Mean,
    /// Fill with the unit's value from its nearest earlier period.
    Carry,
}

/// The overall figure per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Total {
    /// The mean of the unit composites.
    Mean,
    /// The population-weighted mean of the unit composites.
    Population,
    /// No total.
    None,
}

/// Whether a higher raw value is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
}

macro_rules! display_as_config_word {
    ($($ty:ty),*) => {$(
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let word = serde_json::to_value(self).map_err(|_| fmt::Error)?;
                f.write_str(word.as_str().ok_or(fmt::Error)?)
            }
        }
    )*};
}
display_as_config_word!(
    Normalize,
    Scope,
    Aggregate,
    Missing,
    Total,
    Direction,
    WeightMethod
);

/// The `[method]` settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    /// Default normalization for indicators without their own.
    pub normalize: Normalize,
    /// Scope of data-driven statistics.
    pub scope: Scope,
    /// With `scope = "base"`: the reference period; `None` means the earliest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_period: Option<String>,
    /// Aggregation of indicators into dimensions and dimensions into the composite.
    pub aggregate: Aggregate,
    /// Treatment of missing values.
    pub missing: Missing,
    /// The overall figure per period.
    pub total: Total,
    /// Where the weights come from.
    pub weights: WeightMethod,
    /// The period objective weights are derived on; `None` pools every period.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights_period: Option<String>,
    /// Entropy: added to every min-max value before the shares are taken.
    pub entropy_shift: f64,
}

impl Default for Method {
    fn default() -> Self {
        Method {
            normalize: Normalize::Minmax,
            scope: Scope::Period,
            base_period: None,
            aggregate: Aggregate::Arithmetic,
            missing: Missing::Error,
            total: Total::Mean,
            weights: WeightMethod::Manual,
            weights_period: None,
            entropy_shift: 0.0,
        }
    }
}

/// The names of the CSV columns that identify a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The column naming the assessed unit.
    pub unit: String,
    /// The column naming the period.
    pub period: String,
    /// The optional population column.
    pub population: Option<String>,
    /// Columns naming the areas a unit lies in, outermost first (a street's
    /// district, say): `[data] groups`. Empty when not set.
    pub groups: Vec<String>,
    /// The column holding each unit's administrative division code
    /// (区划代码): `[data] code`.
    pub code: Option<String>,
}

impl Columns {
    /// The columns read as text beside each row: the area columns, then
    /// the code column.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.groups
            .iter()
            .map(String::as_str)
            .chain(self.code.as_deref())
    }

    /// What the `i`-th of [`Columns::labels`] is, for messages.
    pub fn label_role(&self, i: usize) -> &'static str {
        if i < self.groups.len() {
            "an enclosing area ([data] groups)"
        } else {
            "the division code ([data] code)"
        }
    }
}

/// Fixed bounds for goalpost normalization, `lo < hi`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goalposts {
    /// The value that scores 0 (for `higher`).
    pub lo: f64,
    /// The value that scores 100 (for `higher`).
    pub hi: f64,
}

/// One indicator: a CSV column, its normalization and weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Column name in the data.
    pub id: String,
    /// Display name (the id when none is given).
    pub name: String,
    /// Measurement unit, for display.
    pub unit: Option<String>,
    /// Weight as written, relative among its siblings (the indicators of
    /// its dimension or group).
    pub raw_weight: f64,
    /// Weight divided by its siblings' weight sum.
    pub weight: f64,
    /// Whether higher raw values are better.
    pub direction: Direction,
    /// Fixed goalposts, when given.
    pub goalposts: Option<Goalposts>,
    /// The normalization in force: the indicator's own or `[method]`'s.
    pub normalize: Normalize,
    /// True when the indicator sets its own normalization.
    pub normalize_overridden: bool,
    /// Where the indicator is written, for messages.
    pub line: Option<u64>,
}

/// One dimension (一级指标): a weighted set of indicators or of groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    /// Key in output (`dimensions.<id>` in JSON, a column in CSV).
    pub id: String,
    /// Display name (the id when none is given).
    pub name: String,
    /// Weight as written, relative among dimensions.
    pub raw_weight: f64,
    /// Weight divided by the sum of dimension weights.
    pub weight: f64,
    /// Every indicator below the dimension, at any depth, in definition order.
    pub indicators: Vec<Indicator>,
    /// The aggregator for its children, when it sets its own.
    pub aggregate: Option<Aggregate>,
    /// What it holds: indicators, or groups.
    pub children: Children,
}

/// A validated index definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    /// Where the definition came from: a path or `built-in`.
    pub origin: String,
    /// The index name.
    pub name: String,
    /// An optional display label, such as 昆明市社会治理指数.
    pub label: Option<String>,
    /// Digits shown in table and Markdown output.
    pub decimals: usize,
    /// The language of headings, from `[index] lang` (default English).
    pub lang: Lang,
    /// The identifying CSV columns.
    pub columns: Columns,
    /// The `[method]` settings.
    pub method: Method,
    /// The dimensions, in definition order.
    pub dimensions: Vec<Dimension>,
    /// Every group below the dimensions, depth first in definition order
    /// (a group comes before its own groups); empty for a two-level index.
    pub groups: Vec<Group>,
    /// `[ahp]`: the pairwise judgements, when written.
    pub ahp: Option<AhpSettings>,
    /// `[combined]`: which methods `weights = "combined"` mixes, when written.
    pub combined: Option<CombinedSettings>,
    /// `[[grade]]` bands, from the highest `min` down; empty without grades.
    pub grades: Vec<Grade>,
}

/// The columns every score output has besides the dimensions: a dimension
/// with one of these ids would give a CSV two columns of the same name, and
/// a reader by name the wrong one.
pub const OUTPUT_COLUMNS: [&str; 7] = [
    "period",
    "rank",
    "unit",
    "composite",
    "change",
    "pct_change",
    "rank_change",
];

/// Suffixes of per-dimension detail columns (`<dimension>_rank`,
/// `<dimension>_change`, `<dimension>_grade`).
pub const DIMENSION_COLUMN_SUFFIXES: [&str; 3] = ["_rank", "_change", "_grade"];

impl Definition {
    /// The built-in Kunming Social Governance Index.
    pub fn builtin() -> Definition {
        Definition::from_toml(KUNMING_TOML, "built-in")
            .unwrap_or_else(|error| panic!("the built-in definition is invalid: {error}"))
    }

    /// Reads and validates a definition file.
    pub fn load(path: &Path) -> Result<Definition, Error> {
        Definition::read(path).map(|(definition, _)| definition)
    }

    /// Reads and validates a definition file, and says which encoding it was
    /// read in: UTF-8, or GB18030 when the bytes are not UTF-8 but decode
    /// cleanly as that. Refuses folders and files over the size limit
    /// ([`MAX_DEFINITION_BYTES`], or `KMGOV_MAX_DEFINITION_BYTES`).
    pub fn read(path: &Path) -> Result<(Definition, TextEncoding), Error> {
        let (text, encoding) = read_text(path)?;
        let shown = path.display().to_string();
        Ok((Definition::from_toml(&text, &shown)?, encoding))
    }

    /// Parses and validates TOML text; `origin` names it in messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<Definition, Error> {
        let lines = LineIndex::new(text);
        let raw: RawDefinition = toml::from_str(text)
            .map_err(|error| messages::explain(&error, text, &lines, origin))?;
        validate::validate(raw, text, lines, origin)
    }

    /// Every indicator with the index of its dimension, in column order.
    pub fn indicators(&self) -> impl Iterator<Item = (usize, &Indicator)> {
        self.dimensions
            .iter()
            .enumerate()
            .flat_map(|(d, dimension)| dimension.indicators.iter().map(move |i| (d, i)))
    }

    /// How many indicators the definition has.
    pub fn indicator_count(&self) -> usize {
        self.dimensions.iter().map(|d| d.indicators.len()).sum()
    }

    /// For each dimension, the range of its indicators in [`Definition::indicators`] order.
    pub fn dimension_ranges(&self) -> Vec<Range<usize>> {
        let mut start = 0;
        self.dimensions
            .iter()
            .map(|dimension| {
                let range = start..start + dimension.indicators.len();
                start = range.end;
                range
            })
            .collect()
    }

    /// The title shown above tables: the label when there is one.
    pub fn title(&self) -> &str {
        self.label.as_deref().unwrap_or(&self.name)
    }
}

/// The text of a definition file, decoded, as [`Definition::read`] reads it:
/// within the size limit, UTF-8 or else clean GB18030.
pub fn read_text(path: &Path) -> Result<(String, TextEncoding), Error> {
    let shown = path.display().to_string();
    Ok(text::read(path, &shown, text::byte_limit()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        match Definition::from_toml(text, "t.toml") {
            Ok(_) => vec![],
            Err(error) => error.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    const SMALL: &str = r#"
[index]
name = "Test"

[[dimension]]
id = "a"
weight = 1

[[dimension.indicator]]
id = "x"
weight = 1

[[dimension.indicator]]
id = "y"
weight = 3
direction = "lower"

[[dimension]]
id = "b"
weight = 3

[[dimension.indicator]]
id = "z"
"#;

    #[test]
    fn weights_are_divided_by_their_group_sum() {
        let def = Definition::from_toml(SMALL, "t.toml").unwrap();
        assert_eq!(def.dimensions[0].weight, 0.25);
        assert_eq!(def.dimensions[1].weight, 0.75);
        assert_eq!(def.dimensions[0].indicators[0].weight, 0.25);
        assert_eq!(def.dimensions[0].indicators[1].weight, 0.75);
        assert_eq!(def.dimensions[0].indicators[1].direction, Direction::Lower);
        assert_eq!(def.dimensions[1].indicators[0].weight, 1.0);
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let def = Definition::from_toml(SMALL, "t.toml").unwrap();
        assert_eq!(def.method, Method::default());
        assert_eq!(def.method.normalize, Normalize::Minmax);
        assert_eq!(def.columns.unit, "unit");
        assert_eq!(def.columns.period, "period");
        assert_eq!(def.decimals, 2);
        assert_eq!(def.dimension_ranges(), vec![0..2, 2..3]);
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let text = SMALL.replace("weight = 3\ndirection", "wieght = 3\ndirection");
        let found = problems(&text);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("t.toml:15:1: unknown key `wieght` in [[dimension.indicator]]"),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_method_value_is_an_error() {
        let text = format!("{SMALL}\n[method]\nnormalize = \"minimax\"\n");
        let found = problems(&text);
        assert!(found[0].contains("minimax"), "{found:?}");
    }

    #[test]
    fn negative_weight_names_the_indicator() {
        let text = SMALL.replace("weight = 3\ndirection", "weight = -3\ndirection");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("dimension `a`, indicator `y`: weight -3"),
            "{found:?}"
        );
        assert!(found[0].starts_with("t.toml:15:"), "{found:?}");
    }

    #[test]
    fn absurd_weights_and_goalposts_are_errors() {
        let text = SMALL.replace("weight = 3\ndirection", "weight = 1e300\ndirection");
        assert!(
            problems(&text)[0].contains("weight 1e300 is not 0 or a number from 1e-100 to 1e100")
        );
        let text = SMALL.replace("weight = 3\ndirection", "weight = 3e-316\ndirection");
        assert!(problems(&text)[0].contains("weight 3e-316 is not 0 or a number from 1e-100"));
        let text = SMALL.replace("id = \"z\"", "id = \"z\"\ngoalposts = [-1e308, 1e308]");
        assert!(
            problems(&text)[0].contains("within ±1e100"),
            "{:?}",
            problems(&text)
        );
    }

    #[test]
    fn zero_weight_sum_is_an_error() {
        let text = SMALL
            .replace("id = \"x\"\nweight = 1", "id = \"x\"\nweight = 0")
            .replace("weight = 3\ndirection", "weight = 0\ndirection");
        let found = problems(&text);
        assert!(
            found[0].contains("indicator weights of dimension `a`: sum to zero"),
            "{found:?}"
        );
    }

    #[test]
    fn duplicate_ids_are_errors() {
        let text = SMALL.replace("id = \"z\"", "id = \"x\"");
        let found = problems(&text);
        assert!(
            found[0].contains("indicator `x`: the id is used twice (first on line 10)"),
            "{found:?}"
        );
    }

    #[test]
    fn ids_spelt_two_ways_are_one_id() {
        // The reader folds `ｘ` to `x`: both indicators would read column x.
        let found = problems(&SMALL.replace("id = \"z\"", "id = \"ｘ\""));
        assert!(
            found[0].contains("the id is `x` (line 10) spelt another way"),
            "{found:?}"
        );
        let invisible = problems(&SMALL.replace("id = \"z\"", "id = \"x\u{200B}\""));
        assert!(invisible[0].contains("spelt another way"), "{invisible:?}");
        // A dimension `café` written in NFC, and another in NFD.
        let nfd = format!(
            "{}\n[[dimension]]\nid = \"cafe\u{301}\"\n[[dimension.indicator]]\nid = \"w\"\n",
            SMALL.replacen("id = \"a\"", "id = \"caf\u{e9}\"", 1)
        );
        let found = problems(&nfd);
        assert!(
            found.iter().any(|f| f.contains("spelt another way")),
            "{found:?}"
        );
    }

    #[test]
    fn goalposts_method_needs_goalposts_and_lo_below_hi() {
        let text = format!("{SMALL}\n[method]\nnormalize = \"goalposts\"\n");
        let found = problems(&text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|f| f.contains("no goalposts")));

        let text = SMALL.replace("id = \"z\"", "id = \"z\"\ngoalposts = [5, 5]");
        let found = problems(&text);
        assert!(
            found[0].contains("goalposts [5, 5] need lo < hi"),
            "{found:?}"
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = SMALL
            .replace("weight = 3\ndirection", "weight = -3\ndirection")
            .replace("id = \"z\"", "id = \"x\"");
        assert_eq!(problems(&text).len(), 2);
    }

    #[test]
    fn no_dimension_is_an_error() {
        let found = problems("[index]\nname = \"x\"\n");
        assert!(found[0].contains("no dimension"), "{found:?}");
    }

    #[test]
    fn missing_index_table_is_an_error() {
        let found = problems("[[dimension]]\nid = \"a\"\n");
        assert!(found[0].contains("index"), "{found:?}");
    }

    #[test]
    fn wrong_type_names_the_line() {
        let text = SMALL.replace("weight = 3\n\n", "weight = \"heavy\"\n\n");
        let found = problems(&text);
        assert!(found[0].starts_with("t.toml:20:"), "{found:?}");
    }

    #[test]
    fn population_total_needs_a_population_column() {
        let text = format!("{SMALL}\n[method]\ntotal = \"population\"\n");
        assert!(problems(&text)[0].contains("names no population column"));
    }

    #[test]
    fn builtin_definition_is_valid() {
        let def = Definition::builtin();
        assert_eq!(def.indicator_count(), 46);
        assert_eq!(def.dimensions.len(), 3);
    }

    #[test]
    fn reserved_dimension_ids_are_errors_naming_the_list() {
        for reserved in OUTPUT_COLUMNS {
            let text = SMALL.replace("id = \"b\"", &format!("id = \"{reserved}\""));
            let found = problems(&text);
            assert_eq!(found.len(), 1, "{reserved}: {found:?}");
            assert!(
                found[0].starts_with(&format!(
                    "t.toml:19:6: dimension `{reserved}`: the id `{reserved}` is reserved"
                )),
                "{found:?}"
            );
        }
        let error = Definition::from_toml(&SMALL.replace("id = \"b\"", "id = \"composite\""), "t")
            .unwrap_err();
        let hint = error.problems()[0].hint.clone().unwrap();
        assert!(
            hint.contains("period, rank, unit, composite, change, pct_change, rank_change"),
            "{hint}"
        );
    }

    #[test]
    fn a_dimension_id_that_is_a_data_column_is_an_error() {
        let text = format!("[data]\nunit = \"b\"\n{SMALL}");
        let found = problems(&text);
        assert!(
            found[0].contains("dimension `b`: the id `b` is also a [data] column"),
            "{found:?}"
        );
    }

    #[test]
    fn ids_clashing_with_detail_columns_are_errors() {
        let text = SMALL.replace("id = \"b\"", "id = \"a_rank\"");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains(
                "dimension `a_rank`: the id `a_rank` is taken by the rank column of dimension `a`"
            ),
            "{found:?}"
        );
        let text = SMALL.replace("id = \"z\"", "id = \"a_change\"");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("t.toml:23: dimension `b`, indicator `a_change`: the id `a_change` is taken by the change column of dimension `a`"),
            "{found:?}"
        );
    }

    #[test]
    fn a_weight_too_small_to_count_is_an_error_not_an_absent_item() {
        // 1e-90 / (1 + 1e-90) is a number, but adds nothing to 1: the
        // indicator would weigh exactly nothing in any score.
        let text = SMALL.replace("weight = 3\ndirection", "weight = 1e-90\ndirection");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("t.toml:15:10: dimension `a`, indicator `y`: its weight is 1e-90 of its group's total"),
            "{found:?}"
        );
        // Underflow to 0 between dimensions.
        let text = SMALL
            .replace("id = \"a\"\nweight = 1", "id = \"a\"\nweight = 1e-100")
            .replace("id = \"b\"\nweight = 3", "id = \"b\"\nweight = 1e100");
        let found = problems(&text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("dimension `a`: its weight is"),
            "{found:?}"
        );
        // Small but equal weights are fine: only ratios matter.
        let text = SMALL.replace(
            "weight = 1\n\n[[dimension.indicator]]\nid = \"y\"\nweight = 3",
            "weight = 1e-90\n\n[[dimension.indicator]]\nid = \"y\"\nweight = 3e-90",
        );
        let def = Definition::from_toml(&text, "t.toml").unwrap();
        assert_eq!(def.dimensions[0].indicators[1].weight, 0.75);
    }

    #[test]
    fn population_sharing_a_column_is_an_error_naming_both() {
        let text = format!("[data]\nunit = \"district\"\npopulation = \"district\"\n{SMALL}");
        let found = problems(&text);
        assert!(
            found[0].starts_with(
                "t.toml:3:14: [data]: population and unit name the same column `district`"
            ),
            "{found:?}"
        );
        let text = format!("[data]\npopulation = \"period\"\n{SMALL}");
        assert!(problems(&text)[0].contains("population and period name the same column `period`"));
    }

    #[test]
    fn a_hundred_thousand_indicators_validate() {
        let mut text = String::from("[index]\nname = \"Big\"\n[[dimension]]\nid = \"d\"\n");
        for i in 0..100_000 {
            text.push_str(&format!("[[dimension.indicator]]\nid = \"x{i}\"\n"));
        }
        // One bad item at the very end: located by the line index.
        text.push_str("[[dimension.indicator]]\nid = \"x7\"\n");
        let error = Definition::from_toml(&text, "big.toml").unwrap_err();
        assert_eq!(
            error.problems()[0].to_string(),
            "big.toml:200006:6: dimension `d`, indicator `x7`: the id is used twice (first on line 20)"
        );
    }

    #[test]
    fn decimals_out_of_range_uses_plain_words() {
        let text = SMALL.replace("name = \"Test\"", "name = \"Test\"\ndecimals = 40");
        assert!(
            problems(&text)[0]
                .contains("[index] decimals: 40 is not a number of digits from 0 to 12")
        );
    }

    /// Every problem with its hint, as `location: message | hint`.
    fn problems_and_hints(text: &str) -> Vec<String> {
        let error = Definition::from_toml(text, "t.toml").unwrap_err();
        let problems = error.problems();
        problems
            .iter()
            .map(|p| format!("{p} | {}", p.hint.as_deref().unwrap_or("")))
            .collect()
    }

    #[test]
    fn dimensions_and_indicators_share_one_id_check_worded_for_each() {
        let text = SMALL
            .replace("id = \"b\"", "id = \" \"")
            .replace("id = \"z\"", "id = \"\"");
        assert_eq!(
            problems_and_hints(&text),
            [
                "t.toml:19:6: dimension: has an empty id | give every dimension a short id such as \"vitality\"",
                "t.toml:23:6: dimension ``, indicator: has an empty id | the id is the CSV column name of the indicator",
            ]
        );
        let text = format!(
            "[data]\nperiod = \"y\"\n{}",
            SMALL
                .replace("id = \"b\"", "id = \"a\"")
                .replace("id = \"z\"", "id = \"y\"")
        );
        assert_eq!(
            problems_and_hints(&text),
            [
                "t.toml:16:6: dimension `a`, indicator `y`: the id is also a [data] column (unit, period, population, groups or code) | rename the indicator or the [data] column",
                "t.toml:21:6: dimension `a`: the id is used twice (first on line 8) | give each dimension its own id (and each group its own)",
                // Used twice is said first: a reserved id is reported once.
                "t.toml:25:6: dimension `a`, indicator `y`: the id is used twice (first on line 16) | give each indicator its own id (one no group has); it is the CSV column name",
            ]
        );
        let text = SMALL.replace("\n[[dimension.indicator]]\nid = \"z\"\n", "\n");
        assert_eq!(
            problems_and_hints(&text),
            [
                "t.toml:19:6: dimension `b`: has no indicator | add [[dimension.indicator]] entries after it (or [[dimension.group]] entries to nest them), or remove it",
            ]
        );
    }
}
