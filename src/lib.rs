//! kmgov computes composite governance indices — the Kunming Social
//! Governance Index (昆明市社会治理指数) is the worked example — from indicator
//! data, following the OECD/JRC Handbook on Constructing Composite Indicators.
//!
//! The data flows through one module per stage:
//!
//! [`definition`] (TOML → [`Definition`]) → [`data`] (CSV → [`Panel`]) →
//! [`pipeline`] (missing values, normalise, weight, aggregate, rank, total →
//! [`Scores`]) → [`report`] (changes on the previous period → [`Report`]) →
//! [`export`] (table, CSV, JSON, Markdown, xlsx); [`publish`] makes the
//! HTML report. [`check`] runs the same stages to
//! list every problem at once. [`system`] reads the indicator system
//! (指标体系) from a table into a definition, and writes it back as one.
//!
//! ```
//! use kmgov::data::{self, ReadOptions};
//! use kmgov::export::Format;
//! use kmgov::report::{Report, Selection};
//! use kmgov::{pipeline, Definition};
//!
//! let definition = Definition::from_toml(r#"
//!     [index]
//!     name = "Demo"
//!     [method]
//!     normalize = "goalposts"
//!     [[dimension]]
//!     id = "services"
//!     [[dimension.indicator]]
//!     id = "insurance"
//!     goalposts = [80, 100]
//! "#, "demo.toml")?;
//! let csv = "unit,period,insurance\nA,2019,97.65\nB,2019,90\n";
//! let panel = data::read_from(Box::new(csv.as_bytes()), "demo.csv", &definition, ReadOptions::default())?;
//! let scores = pipeline::score(&definition, panel)?;
//! let report = Report::build(&definition, &scores).select(&Selection::Latest)?;
//! // (97.65 − 80) / (100 − 80) = 88.25%
//! let composite = report.periods[0].units[0].composite.unwrap();
//! assert!((composite - 88.25).abs() < 1e-9);
//! let markdown = Format::Markdown.exporter().render(&report);
//! assert!(String::from_utf8(markdown).unwrap().contains("| 1 | A | 88.25 |"));
//! # Ok::<(), kmgov::Error>(())
//! ```

// Errors carry the file, line, column, unit, period and text of a problem so
// that messages can name them; they are a cold path, so their size is fine.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

pub mod analysis;
pub mod check;
pub mod data;
pub mod definition;
pub mod error;
pub mod export;
pub mod limits;
pub mod names;
pub mod parallel;
pub mod pipeline;
pub mod publish;
pub mod report;
pub mod sql;
pub mod sum;
pub mod system;
pub mod weights;

pub use data::Panel;
pub use definition::Definition;
pub use error::{Error, Location, Problem, Severity};
pub use pipeline::Scores;
pub use report::Report;
