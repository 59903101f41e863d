//! The settings of derived weights as the definition gives them: `[ahp]`
//! judgement matrices (their cells as written, each with its place, so that
//! a bad judgement is named at its line) and `[combined]`. The numbers are
//! read and checked where the weights are derived.

use serde::{Deserialize, Serialize};

use super::Parent;
use crate::error::Location;

/// How AHP turns a judgement matrix into priorities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AhpMethod {
    /// The principal right eigenvector.
    Eigen,
    /// 和积法: column-normalised row means.
    Sum,
    /// 方根法: normalised row geometric means.
    Root,
}

/// Which random-index table gives CR = CI / RI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RiName {
    /// Saaty's.
    Saaty,
    /// 许树柏's, common in Chinese textbooks.
    Chinese,
    /// Tummala and Ling's.
    TummalaLing,
}

/// One cell of a judgement matrix as written: `3`, `0.333`, `"1/3"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The judgement's text (a number as its shortest decimal).
    pub text: String,
    /// Where it is written.
    pub at: Location,
}

/// One judgement matrix of `[ahp]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgements {
    /// The matrix as named in messages: `[ahp] dimensions`,
    /// `[ahp.indicators] vitality`.
    pub name: String,
    /// The rows, as written.
    pub rows: Vec<Vec<Judgement>>,
    /// Where the matrix is written.
    pub at: Location,
}

/// `[ahp]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AhpSettings {
    /// eigen (default), sum or root.
    pub method: AhpMethod,
    /// The random-index table (default saaty).
    pub ri: RiName,
    /// When true, CR ≥ 0.10 is a warning, not an error.
    pub allow_inconsistent: bool,
    /// The dimensions' matrix, in dimension order.
    pub dimensions: Option<Judgements>,
    /// Each node's matrix over its children (indicators or groups), in
    /// their definition order.
    pub nodes: Vec<(Parent, Judgements)>,
}

impl AhpSettings {
    /// The matrix over a node's children, if one is written.
    pub fn matrix_of(&self, node: Parent) -> Option<&Judgements> {
        self.nodes.iter().find(|(n, _)| *n == node).map(|(_, m)| m)
    }
}

/// The subjective side of `weights = "combined"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Subjective {
    /// AHP on `[ahp]`.
    Ahp,
    /// The weights written in the definition.
    Manual,
}

/// The objective side of `weights = "combined"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectiveMethod {
    /// Entropy.
    Entropy,
    /// CRITIC.
    Critic,
    /// Coefficient of variation.
    Cv,
    /// PCA.
    Pca,
}

/// `[combined]`: alpha·subjective + (1 − alpha)·objective, on global weights.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CombinedSettings {
    /// ahp or manual.
    pub subjective: Subjective,
    /// entropy, critic, cv or pca.
    pub objective: ObjectiveMethod,
    /// The subjective side's share, 0 to 1.
    pub alpha: f64,
}
