//! Uncertainty and sensitivity analysis (OECD/JRC Handbook, step 7): how
//! sure a rank is when the weights and methods, each defensible, could have
//! been chosen otherwise.
//!
//! A Monte Carlo over the uncertain inputs: every weight (of the dimensions,
//! groups and indicators) times 1 ± a fraction, drawn uniformly, its siblings
//! renormalised; and, when asked ([`Vary`]), the normalisation, the
//! aggregator, the missing-value rule and the weighting method, drawn
//! uniformly among the alternatives that can score the data. Each run
//! re-aggregates and ranks; per unit the nominal rank, the median and the
//! 5th–95th percentile rank over the runs, and the mean absolute rank shift.
//! Per input, first-order and total sensitivity indices of the mean absolute
//! rank shift of all units ([`sobol`]).
//!
//! Runs are pure functions of (seed, run number), computed in parallel and
//! collected in order, so a seed gives the same numbers to the bit whatever
//! the thread count. docs/METHODOLOGY.md, "Uncertainty and sensitivity".

pub mod model;
/// Table, CSV, JSON and Markdown of an analysis.
pub mod render;
pub mod rng;
pub mod sobol;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::data::Panel;
use crate::definition::Definition;
use crate::error::{Error, Problem};
use crate::report::{RankInterval, Report};
use model::Model;

/// The seed when none is given.
pub const DEFAULT_SEED: u64 = 1;
/// Base runs when none are given.
pub const DEFAULT_RUNS: usize = 1000;
/// The weight perturbation when none is given: ±25 %.
pub const DEFAULT_WEIGHTS: f64 = 0.25;
/// The most memory the runs' results may take: 4 bytes per rank kept
/// (runs × units analysed) and 8 per output (runs × (k + 2)), 1 GiB in all.
pub const MAX_BYTES: usize = 1 << 30;

/// A method choice the Monte Carlo may vary besides the weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Vary {
    /// The normalisation: minmax, zscore, rank, goalposts (when every
    /// indicator has goalposts) and the definition's own.
    Normalize,
    /// The aggregator: arithmetic, geometric (where every score is above 0)
    /// and the definition's own.
    Aggregate,
    /// The missing-value rule: skip, mean, carry (when the data have gaps).
    Missing,
    /// The weighting method: manual, equal, entropy, critic, cv, pca (where
    /// they succeed on the data) and the definition's own.
    Weights,
}

/// Which periods are analysed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Periods {
    /// The latest.
    Latest,
    /// One, as named on the command line.
    Named(String),
    /// These, by their labels (each ranked on its own).
    Labels(Vec<String>),
}

/// How the analysis runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// N, the base sample: the runs behind the rank percentiles, and N·(k+2)
    /// model evaluations for the indices of k inputs.
    pub runs: usize,
    /// The seed; run j draws from streams 2j and 2j + 1 of it.
    pub seed: u64,
    /// Each weight times 1 ± this, from 0 up to (not including) 1.
    pub weights: f64,
    /// The method choices varied besides the weights.
    pub vary: Vec<Vary>,
    /// Threads for the runs (the results do not depend on it).
    pub threads: usize,
    /// Bootstrap replicates for the intervals of the indices.
    pub bootstrap: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runs: DEFAULT_RUNS,
            seed: DEFAULT_SEED,
            weights: DEFAULT_WEIGHTS,
            vary: Vec::new(),
            threads: crate::parallel::max_threads(),
            bootstrap: sobol::BOOTSTRAP,
        }
    }
}

/// One unit's ranks over the runs.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitResult {
    /// The unit.
    pub unit: String,
    /// The period.
    pub period: String,
    /// Its rank as scored; `None` without a composite.
    pub nominal_rank: Option<u32>,
    /// The median of its ranks over the runs (nearest rank).
    pub median_rank: Option<u32>,
    /// The 5th percentile of its ranks (nearest rank): the best 5 % of runs.
    pub p05: Option<u32>,
    /// The 95th percentile of its ranks (nearest rank).
    pub p95: Option<u32>,
    /// The mean of |rank − nominal rank| over the runs.
    pub mean_abs_shift: Option<f64>,
}

/// One uncertain input's sensitivity indices.
#[derive(Debug, Clone, PartialEq)]
pub struct InputResult {
    /// The input's name.
    pub input: String,
    /// Its indices; NaN where the output does not vary.
    pub indices: sobol::Indices,
}

/// The result of an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// N, the base sample.
    pub runs: usize,
    /// The seed.
    pub seed: u64,
    /// The weight perturbation.
    pub weights: f64,
    /// The periods analysed.
    pub periods: Vec<String>,
    /// Model evaluations made: N with no indices, else N·(k+2).
    pub evaluations: usize,
    /// The units, each period's by nominal rank (unranked last, by name).
    pub units: Vec<UnitResult>,
    /// Per uncertain input, when indices were asked for.
    pub indices: Vec<InputResult>,
    /// What was assumed or left out.
    pub notes: Vec<String>,
    /// The derived weights' warnings.
    pub warnings: Vec<Problem>,
}

/// The full analysis: rank percentiles over N runs and the sensitivity
/// indices of every input over N·(k+2) evaluations. `progress` is called
/// with 1 after each base run (and its k + 1 companions).
pub fn analyse(
    definition: &Definition,
    panel: Panel,
    periods: &Periods,
    settings: &Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Analysis, Error> {
    run(definition, panel, periods, settings, true, progress)
}

/// The rank percentiles only, over N runs (the same runs as [`analyse`]
/// with the same settings, so the same percentiles).
pub fn rank_intervals(
    definition: &Definition,
    panel: Panel,
    periods: &Periods,
    settings: &Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Analysis, Error> {
    run(definition, panel, periods, settings, false, progress)
}

/// Refuses settings that cannot run: a perturbation out of range, no run,
/// or more to keep than [`MAX_BYTES`] (each base run keeps the rank of
/// every row analysed and the outputs of its k + 2 evaluations).
fn check(settings: &Settings, rows: usize, inputs: usize) -> Result<(), Error> {
    if !(0.0..1.0).contains(&settings.weights) {
        return Err(Error::Request {
            message: format!(
                "--weights {} is not a fraction from 0 up to 1",
                crate::error::number_text(settings.weights)
            ),
            hint: "give the perturbation as a fraction of each weight, such as 0.25 for ±25 % (below 1, so that every weight stays above 0)".into(),
        });
    }
    if settings.runs == 0 {
        return Err(Error::Request {
            message: "the number of runs is 0".into(),
            hint: "give at least 1 run; 1000 is the default".into(),
        });
    }
    let per_run = 4 * rows + 8 * (inputs + 2);
    if settings.runs.saturating_mul(per_run) > MAX_BYTES {
        return Err(Error::Request {
            message: format!(
                "{} runs of {rows} units would keep {} MiB of ranks and outputs, more than the {} MiB kmgov keeps",
                settings.runs,
                settings.runs.saturating_mul(per_run) >> 20,
                MAX_BYTES >> 20
            ),
            hint: format!(
                "give at most {} runs, or analyse fewer periods",
                (MAX_BYTES / per_run).max(1)
            ),
        });
    }
    Ok(())
}

fn run(
    definition: &Definition,
    panel: Panel,
    periods: &Periods,
    settings: &Settings,
    with_indices: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Analysis, Error> {
    check(settings, 1, 0)?;
    let model = Model::prepare(definition, panel, periods, settings)?;
    check(settings, model.target.len(), model.inputs.len())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads.max(1))
        .build()
        .map_err(|error| Error::Request {
            message: format!("cannot start the threads for the runs: {error}"),
            hint: "set KMGOV_THREADS=1 to run on one thread".into(),
        })?;
    let k = model.inputs.len();
    let evaluated = pool.install(|| evaluate(&model, settings, with_indices, progress));
    let failures = evaluated.failures;
    let mut notes = model.notes.clone();
    if failures > 0 {
        notes.push(format!(
            "{failures} node score(s) could not be formed in the runs (a score of 0 or below under geometric or harmonic aggregation); those units went unranked in those runs"
        ));
    }
    let units = pool.install(|| summarise(&model, &evaluated.ranks));
    let indices = if with_indices {
        let found =
            pool.install(|| sobol::indices(&evaluated.outputs, settings.bootstrap, settings.seed));
        model
            .inputs
            .iter()
            .zip(found)
            .map(|(input, indices)| InputResult {
                input: input.name.clone(),
                indices,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Analysis {
        runs: settings.runs,
        seed: settings.seed,
        weights: settings.weights,
        periods: model.target.periods.clone(),
        evaluations: settings.runs * if with_indices { k + 2 } else { 1 },
        units,
        indices,
        notes,
        warnings: model.warnings.clone(),
    })
}

/// What the runs give: the ranks of every base run on A, run after run
/// (`ranks[j * rows + row]`, 0 where unranked), the outputs for the indices,
/// and how many node scores could not be formed.
struct Evaluated {
    ranks: Vec<u32>,
    outputs: sobol::Outputs,
    failures: usize,
}

/// Every base run: A_j (ranks kept), and with indices B_j and A_B^i_j.
/// Base runs go in batches of about [`POINTS_PER_BATCH`] points, which
/// [`Model::run_many`] evaluates in one pass over the data; each batch
/// writes its ranks and outputs into its own part of flat arrays, so that
/// a run costs no allocation of its own once done.
fn evaluate(
    model: &Model,
    settings: &Settings,
    with_indices: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Evaluated {
    let design = &model.design;
    let seed = settings.seed;
    let rows = model.target.len();
    let k = design.inputs();
    let per_sample = if with_indices { k + 2 } else { 1 };
    let batch = (POINTS_PER_BATCH / per_sample).max(1);
    let samples: Vec<usize> = (0..settings.runs).collect();
    let mut ranks = vec![0u32; settings.runs * rows];
    // Per base run: y on A_B^1 … A_B^k, on B, on A (as the points are made).
    let mut ys = vec![f64::NAN; settings.runs * per_sample];
    let failures: usize = samples
        .par_chunks(batch)
        .zip(ranks.par_chunks_mut((batch * rows).max(1)))
        .zip(ys.par_chunks_mut(batch * per_sample))
        .map_init(
            || model.tree(),
            |tree, ((chunk, ranks), ys)| {
                let mut points = Vec::with_capacity(chunk.len() * per_sample);
                for &j in chunk {
                    let a = design.a_row(seed, j);
                    if with_indices {
                        let b = design.b_row(seed, j);
                        for i in 0..k {
                            points.push(design.mixed(&a, &b, i));
                        }
                        points.push(b);
                    }
                    points.push(a);
                }
                let mut failures = 0;
                for (at, run) in model.run_many(tree, &points).into_iter().enumerate() {
                    ys[at] = run.shift;
                    failures += run.failures;
                    if at % per_sample == per_sample - 1 {
                        let j = at / per_sample;
                        ranks[j * rows..(j + 1) * rows].copy_from_slice(&run.ranks);
                    }
                }
                progress(chunk.len() as u64);
                failures
            },
        )
        .sum();
    let column = |offset: usize| -> Vec<f64> {
        ys.iter()
            .skip(offset)
            .step_by(per_sample)
            .copied()
            .collect()
    };
    let outputs = if with_indices {
        sobol::Outputs {
            a: column(k + 1),
            b: column(k),
            mixed: (0..k).map(column).collect(),
        }
    } else {
        sobol::Outputs {
            a: column(0),
            ..sobol::Outputs::default()
        }
    };
    Evaluated {
        ranks,
        outputs,
        failures,
    }
}

/// Points evaluated together in one pass over the data: enough to share
/// the reading of a large panel, few enough that their composites (8 bytes
/// per unit each) stay small.
const POINTS_PER_BATCH: usize = 32;

/// Each unit's percentiles and mean shift over the runs, each period's
/// units by nominal rank (unranked last; rows are in name order already).
fn summarise(model: &Model, all_ranks: &[u32]) -> Vec<UnitResult> {
    let target = &model.target;
    let rows: Vec<usize> = (0..target.len()).collect();
    let mut units: Vec<UnitResult> = rows
        .par_iter()
        .map(|&row| {
            let mut ranks: Vec<u32> = all_ranks
                .iter()
                .skip(row)
                .step_by(target.len())
                .copied()
                .filter(|&r| r > 0)
                .collect();
            ranks.sort_unstable();
            let nominal = model.nominal_ranks[row];
            let quantile = |p: f64| (!ranks.is_empty()).then(|| sobol::nearest_rank(&ranks, p));
            let shifts: Vec<u32> = ranks.iter().map(|&r| r.abs_diff(nominal)).collect();
            let period = target
                .ranges
                .iter()
                .position(|range| range.contains(&row))
                .map_or_else(String::new, |p| target.periods[p].clone());
            UnitResult {
                unit: target.units[row].clone(),
                period,
                nominal_rank: (nominal > 0).then_some(nominal),
                median_rank: quantile(0.5),
                p05: quantile(0.05),
                p95: quantile(0.95),
                mean_abs_shift: (nominal > 0 && !shifts.is_empty()).then(|| {
                    shifts.iter().map(|&s| f64::from(s)).sum::<f64>() / shifts.len() as f64
                }),
            }
        })
        .collect();
    for range in &target.ranges {
        units[range.clone()].sort_by_key(|u| (u.nominal_rank.is_none(), u.nominal_rank));
    }
    units
}

/// Puts each unit's 5th–95th percentile rank beside it in `report`
/// (`score --uncertainty`): the columns `rank_p05` and `rank_p95`.
pub fn attach(report: &mut Report, analysis: &Analysis) {
    let found: HashMap<(&str, &str), RankInterval> = analysis
        .units
        .iter()
        .filter_map(|u| {
            let interval = RankInterval {
                p05: u.p05?,
                p95: u.p95?,
            };
            Some(((u.period.as_str(), u.unit.as_str()), interval))
        })
        .collect();
    report.detail.rank_intervals = true;
    for period in &mut report.periods {
        for unit in &mut period.units {
            if let Some(&interval) = found.get(&(period.period.as_str(), &*unit.unit)) {
                unit.detail
                    .get_or_insert_with(Default::default)
                    .rank_interval = Some(interval);
            }
        }
    }
}

#[cfg(test)]
mod tests;
