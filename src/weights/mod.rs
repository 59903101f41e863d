//! Derived weights: objective methods that read the data (entropy, CRITIC,
//! coefficient of variation, PCA), the analytic hierarchy process (AHP) on
//! pairwise judgements, their convex combination, and TOPSIS scores.
//!
//! Every function is pure: columns of raw values in, weights (one per
//! column, non-negative, summing to 1) and per-column diagnostics out, with
//! typed errors ([`WeightError`]) and typed warnings ([`WeightWarning`])
//! that the caller shows. A missing value is `NaN`. The formulas, variants
//! and degenerate cases are in docs/METHODOLOGY.md, "Derived weights".
//!
//! ```
//! use kmgov::definition::Direction;
//! use kmgov::weights::{entropy, Column};
//!
//! let a = [1.0, 2.0, 3.0, 4.0];
//! let b = [10.0, 10.0, 10.0, 11.0];
//! let columns = [
//!     Column { name: "a", values: &a, direction: Direction::Higher },
//!     Column { name: "b", values: &b, direction: Direction::Higher },
//! ];
//! let derived = entropy::entropy(&columns, 0.0)?;
//! // b's information sits in one unit: it is the more "surprising" column.
//! assert!(derived.weights[1] > derived.weights[0]);
//! assert!((derived.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
//! # Ok::<(), Vec<kmgov::weights::WeightError>>(())
//! ```

pub mod ahp;
pub mod combined;
pub mod critic;
pub mod cv;
mod data;
pub mod derive;
pub mod entropy;
pub mod error;
pub mod freeze;
pub mod output;
pub mod pca;
pub mod topsis;
mod varimax;

pub use combined::combined;
pub use error::{CellRef, WeightError, WeightWarning};
pub use topsis::topsis;

use crate::definition::Direction;

/// One indicator's raw values as an objective method reads them: one value
/// per row (unit and period of the scope), `NaN` where missing.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    /// The indicator's id, used in messages.
    pub name: &'a str,
    /// The raw values; `NaN` is missing.
    pub values: &'a [f64],
    /// Whether higher values are better.
    pub direction: Direction,
}

/// The objective (data-driven) weighting methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Entropy (熵值法).
    Entropy,
    /// CRITIC.
    Critic,
    /// Coefficient of variation (变异系数法).
    Cv,
    /// Principal components with varimax rotation (OECD/JRC Handbook).
    Pca,
}

impl Objective {
    /// The method's name, as a definition spells it.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Entropy => "entropy",
            Objective::Critic => "critic",
            Objective::Cv => "cv",
            Objective::Pca => "pca",
        }
    }
}

/// Options of the objective methods.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Options {
    /// Entropy: added to every min-max value before the shares are taken.
    pub entropy_shift: f64,
    /// PCA: how many components to keep.
    pub pca_retention: pca::Retention,
}

/// The weights of one objective method with its diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub enum Derived {
    /// Entropy weights.
    Entropy(entropy::EntropyWeights),
    /// CRITIC weights.
    Critic(critic::CriticWeights),
    /// Coefficient-of-variation weights.
    Cv(cv::CvWeights),
    /// PCA weights.
    Pca(pca::PcaWeights),
}

impl Derived {
    /// One weight per column, non-negative, summing to 1.
    pub fn weights(&self) -> &[f64] {
        match self {
            Derived::Entropy(d) => &d.weights,
            Derived::Critic(d) => &d.weights,
            Derived::Cv(d) => &d.weights,
            Derived::Pca(d) => &d.weights,
        }
    }

    /// What the method did that deserves a look.
    pub fn warnings(&self) -> &[WeightWarning] {
        match self {
            Derived::Entropy(d) => &d.warnings,
            Derived::Critic(d) => &d.warnings,
            Derived::Cv(d) => &d.warnings,
            Derived::Pca(d) => &d.warnings,
        }
    }
}

/// Derives weights by `method` from the columns.
pub fn objective(
    method: Objective,
    columns: &[Column<'_>],
    options: &Options,
) -> Result<Derived, Vec<WeightError>> {
    Ok(match method {
        Objective::Entropy => Derived::Entropy(entropy::entropy(columns, options.entropy_shift)?),
        Objective::Critic => Derived::Critic(critic::critic(columns)?),
        Objective::Cv => Derived::Cv(cv::cv(columns)?),
        Objective::Pca => Derived::Pca(pca::pca(columns, options.pca_retention)?),
    })
}

/// `values` divided by their sum, for non-negative values whose sum is above 0.
fn normalised(values: &[f64]) -> Vec<f64> {
    let total: f64 = values.iter().copied().collect::<crate::sum::Sum>().value();
    values.iter().map(|v| v / total).collect()
}
