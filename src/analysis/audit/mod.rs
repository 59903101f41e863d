//! `kmgov audit`: whether the indicators hold up — the OECD/JRC Handbook's
//! statistical audit. Per indicator its distribution (and the JRC flag for
//! one that needs treatment, with a preview of the treatment), its
//! correlation with its dimension and the composite, each dimension's
//! internal consistency, and how well the dimensions are coordinated
//! (耦合协调度). docs/METHODOLOGY.md, "The statistical audit".

pub mod render;
pub mod stats;
mod treat;

use crate::definition::Definition;
use crate::error::Error;
use crate::pipeline::Scores;

pub use treat::{Change, Treat, Treatment};

/// One indicator's distribution in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorAudit {
    /// The indicator id.
    pub id: String,
    /// Its dimension's id.
    pub dimension: String,
    /// Missing cells in the data (before any filling).
    pub missing: usize,
    /// The raw values' moments.
    pub moments: stats::Moments,
    /// |skewness| > 2 and kurtosis > 3.5.
    pub outlier: bool,
    /// With `--treat`, what the treatment would do.
    pub treatment: Option<Treatment>,
}

/// One indicator's correlations, on its normalised scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// The indicator id.
    pub indicator: String,
    /// Its dimension's id.
    pub dimension: String,
    /// Pearson with its dimension's score.
    pub pearson_dimension: f64,
    /// Spearman with its dimension's score.
    pub spearman_dimension: f64,
    /// Pearson with the composite.
    pub pearson_composite: f64,
    /// Spearman with the composite.
    pub spearman_composite: f64,
    /// Negatively correlated with its own dimension: it pulls against it.
    pub negative: bool,
}

/// Two indicators of one dimension so correlated that one says what the
/// other says (|r| > 0.92).
#[derive(Debug, Clone, PartialEq)]
pub struct Collinear {
    /// The first indicator.
    pub a: String,
    /// The second.
    pub b: String,
    /// Pearson's r on their scores.
    pub r: f64,
}

/// One dimension's internal consistency.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionAudit {
    /// The dimension id.
    pub id: String,
    /// Cronbach's alpha of its indicators' scores.
    pub cronbach_alpha: f64,
    /// The first principal component's share of their variance.
    pub pc1_share: f64,
}

/// Coupling coordination of one set of dimension scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Coupling {
    /// The unit, or `None` for the total's dimension figures.
    pub unit: Option<String>,
    /// Coupling degree C.
    pub c: f64,
    /// Comprehensive index T.
    pub t: f64,
    /// Coordination degree D = √(C·T).
    pub d: f64,
    /// D's grade, 极度失调 … 优质协调.
    pub level: &'static str,
}

/// The whole audit of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    /// The period audited.
    pub period: String,
    /// Units in the period.
    pub units: usize,
    /// Per indicator, in definition order.
    pub indicators: Vec<IndicatorAudit>,
    /// Per indicator, in definition order.
    pub correlations: Vec<Correlation>,
    /// Pairs within a dimension with |r| > 0.92.
    pub collinear: Vec<Collinear>,
    /// Per dimension.
    pub dimensions: Vec<DimensionAudit>,
    /// The total's coupling coordination (dimension figures of the city).
    pub coupling: Option<Coupling>,
    /// Each unit's, in unit order.
    pub unit_coupling: Vec<Coupling>,
}

/// |r| above this between two indicators of a dimension is collinearity.
pub const COLLINEAR: f64 = 0.92;

/// Audits `period` (the latest when `None`) of scores kept with their raw
/// values (`ScoreOptions::keep_raw`).
pub fn audit(
    definition: &Definition,
    scores: &Scores,
    period: Option<&str>,
    treat: Option<Treat>,
) -> Result<Audit, Error> {
    let keys = &scores.keys;
    let p = match period {
        None => keys.periods.len().checked_sub(1),
        Some(wanted) => {
            let label = crate::data::period_label(wanted);
            keys.periods.iter().position(|q| *q == label)
        }
    };
    let Some(p) = p else {
        return Err(Error::Request {
            message: format!("the data has no period `{}`", period.unwrap_or("")),
            hint: format!("choose one of: {}", keys.periods.join(", ")),
        });
    };
    let rows = keys.period_ranges[p].clone();
    let raw = scores.raw.as_ref().ok_or_else(|| Error::Request {
        message: "the audit needs the raw values, which were not kept".into(),
        hint: "score with ScoreOptions { keep_raw: true }".into(),
    })?;
    let filled_in = |i: usize| {
        scores
            .filled
            .iter()
            .filter(|f| f.indicator == i && rows.contains(&f.row))
            .count()
    };
    let dimension_of: Vec<usize> = definition.indicators().map(|(d, _)| d).collect();
    let names: Vec<(String, String)> = definition
        .indicators()
        .map(|(d, i)| (i.id.clone(), definition.dimensions[d].id.clone()))
        .collect();
    let units: Vec<String> = rows.clone().map(|r| keys.unit_of(r).to_string()).collect();

    let mut indicators = Vec::new();
    let mut correlations = Vec::new();
    for (i, (id, dimension)) in names.iter().enumerate() {
        let values = &raw[i][rows.clone()];
        let moments = stats::moments(values);
        let outlier = stats::outlier(&moments);
        let missing = values.iter().filter(|x| x.is_nan()).count() + filled_in(i);
        let treatment = match treat {
            Some(treat) if outlier => Some(treat::preview(treat, values, &units)),
            _ => None,
        };
        indicators.push(IndicatorAudit {
            id: id.clone(),
            dimension: dimension.clone(),
            missing,
            moments,
            outlier,
            treatment,
        });
        let score = &scores.indicator_scores[i][rows.clone()];
        let own = &scores.dimension_scores[dimension_of[i]][rows.clone()];
        let composite = &scores.composite[rows.clone()];
        let pearson_dimension = stats::pearson(score, own);
        correlations.push(Correlation {
            indicator: id.clone(),
            dimension: dimension.clone(),
            pearson_dimension,
            spearman_dimension: stats::spearman(score, own),
            pearson_composite: stats::pearson(score, composite),
            spearman_composite: stats::spearman(score, composite),
            negative: pearson_dimension < 0.0,
        });
    }

    let mut collinear = Vec::new();
    let mut dimensions = Vec::new();
    for (d, range) in definition.dimension_ranges().into_iter().enumerate() {
        let columns: Vec<&[f64]> = range
            .clone()
            .map(|i| &scores.indicator_scores[i][rows.clone()])
            .collect();
        for a in range.clone() {
            for b in a + 1..range.end {
                let r = stats::pearson(
                    &scores.indicator_scores[a][rows.clone()],
                    &scores.indicator_scores[b][rows.clone()],
                );
                if r.abs() > COLLINEAR {
                    collinear.push(Collinear {
                        a: names[a].0.clone(),
                        b: names[b].0.clone(),
                        r,
                    });
                }
            }
        }
        dimensions.push(DimensionAudit {
            id: definition.dimensions[d].id.clone(),
            cronbach_alpha: stats::cronbach_alpha(&columns),
            pc1_share: stats::pc1_share(&columns),
        });
    }

    let weights: Vec<f64> = definition.dimensions.iter().map(|d| d.weight).collect();
    let couple = |unit: Option<String>, figures: Vec<f64>| {
        let scaled: Vec<f64> = figures.iter().map(|x| x / 100.0).collect();
        stats::coupling(&scaled, &weights).map(|(c, t, d)| Coupling {
            unit,
            c,
            t,
            d,
            level: stats::coupling_level(d),
        })
    };
    let total: Vec<f64> = scores.total_dimensions[p]
        .iter()
        .map(|x| x.unwrap_or(f64::NAN))
        .collect();
    let coupling = couple(None, total);
    let unit_coupling = rows
        .clone()
        .filter_map(|r| {
            let figures = scores.dimension_scores.iter().map(|c| c[r]).collect();
            couple(Some(keys.unit_of(r).to_string()), figures)
        })
        .collect();

    Ok(Audit {
        period: keys.periods[p].clone(),
        units: rows.len(),
        indicators,
        correlations,
        collinear,
        dimensions,
        coupling,
        unit_coupling,
    })
}
