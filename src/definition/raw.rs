//! The index definition exactly as written in TOML, before validation.
//!
//! Every table denies unknown keys: a misspelt `wieght` must be an error, not
//! an index silently computed with the default weight.

use serde::Deserialize;
use toml::Spanned;

use std::collections::BTreeMap;

use super::{
    Aggregate, AhpMethod, Direction, Lang, Missing, Normalize, ObjectiveMethod, RiName, Scope,
    Subjective, Total, WeightMethod,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefinition {
    pub index: RawIndex,
    #[serde(default)]
    pub data: RawData,
    #[serde(default)]
    pub method: RawMethod,
    #[serde(default, rename = "dimension")]
    pub dimensions: Vec<RawDimension>,
    pub ahp: Option<Spanned<RawAhp>>,
    pub combined: Option<Spanned<RawCombined>>,
    #[serde(default, rename = "grade")]
    pub grades: Vec<Spanned<RawGrade>>,
}

/// A `[[grade]]` band.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGrade {
    pub label: Spanned<String>,
    pub min: Option<Spanned<f64>>,
    pub max: Option<Spanned<f64>>,
    pub applies_to: Option<Spanned<Vec<String>>>,
}

/// A judgement matrix as written: rows of numbers or fractions in quotes.
pub type RawMatrix = Spanned<Vec<Vec<Spanned<RawJudgement>>>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAhp {
    pub method: Option<AhpMethod>,
    pub ri: Option<RiName>,
    pub allow_inconsistent: Option<bool>,
    pub dimensions: Option<RawMatrix>,
    /// Per dimension or group holding indicators, by its id.
    #[serde(default)]
    pub indicators: BTreeMap<Spanned<String>, RawMatrix>,
    /// Per dimension or group holding groups, by its id.
    #[serde(default)]
    pub groups: BTreeMap<Spanned<String>, RawMatrix>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCombined {
    pub subjective: Option<Subjective>,
    pub objective: Option<ObjectiveMethod>,
    pub alpha: Option<Spanned<f64>>,
}

/// A judgement: `3`, `0.333` or `"1/3"`.
#[derive(Debug, Clone)]
pub enum RawJudgement {
    Text(String),
    Number(f64),
}

impl<'de> Deserialize<'de> for RawJudgement {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Judgement;
        impl serde::de::Visitor<'_> for Judgement {
            type Value = RawJudgement;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a judgement such as 3, 0.5 or \"1/3\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawJudgement, E> {
                Ok(RawJudgement::Text(text.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RawJudgement, E> {
                Ok(RawJudgement::Text(n.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<RawJudgement, E> {
                Ok(RawJudgement::Text(n.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<RawJudgement, E> {
                Ok(RawJudgement::Number(x))
            }
        }
        deserializer.deserialize_any(Judgement)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndex {
    pub name: Spanned<String>,
    pub label: Option<String>,
    pub decimals: Option<Spanned<i64>>,
    pub lang: Option<Lang>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawData {
    pub unit: Option<Spanned<String>>,
    pub period: Option<Spanned<String>>,
    pub population: Option<Spanned<String>>,
    pub groups: Option<Spanned<Vec<Spanned<String>>>>,
    pub code: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMethod {
    pub normalize: Option<Normalize>,
    pub scope: Option<Scope>,
    pub base_period: Option<Spanned<RawPeriod>>,
    pub aggregate: Option<Aggregate>,
    pub missing: Option<Missing>,
    pub total: Option<Total>,
    pub weights: Option<WeightMethod>,
    pub weights_period: Option<Spanned<RawPeriod>>,
    pub entropy_shift: Option<Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDimension {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub weight: Option<Spanned<f64>>,
    pub aggregate: Option<Aggregate>,
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<RawIndicator>,
    #[serde(default, rename = "group")]
    pub groups: Vec<RawGroup>,
}

/// A group (`[[dimension.group]]`, `[[dimension.group.group]]` …): a node
/// like a dimension, one level down.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub weight: Option<Spanned<f64>>,
    pub aggregate: Option<Aggregate>,
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<RawIndicator>,
    #[serde(default, rename = "group")]
    pub groups: Vec<RawGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIndicator {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub weight: Option<Spanned<f64>>,
    pub direction: Option<Direction>,
    pub goalposts: Option<Spanned<Vec<f64>>>,
    pub normalize: Option<Normalize>,
}

/// A period as written: `"2017"` or a bare `2017`. A decimal is refused,
/// not read: `2019.10` would become `2019.1`, another month.
#[derive(Debug, Clone)]
pub enum RawPeriod {
    Text(String),
    Number(i64),
}

impl<'de> Deserialize<'de> for RawPeriod {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Period;
        impl serde::de::Visitor<'_> for Period {
            type Value = RawPeriod;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a period in quotes, such as \"2019\"")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<RawPeriod, E> {
                Ok(RawPeriod::Text(text.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<RawPeriod, E> {
                Ok(RawPeriod::Number(n))
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<RawPeriod, E> {
                i64::try_from(n)
                    .map(RawPeriod::Number)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(n), &self))
            }
        }
        deserializer.deserialize_any(Period)
    }
}

impl RawPeriod {
    pub fn text(&self) -> String {
        match self {
            RawPeriod::Text(text) => text.trim().to_string(),
            RawPeriod::Number(n) => n.to_string(),
        }
    }
}
