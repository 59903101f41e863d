//! The model a Monte Carlo run evaluates: the uncertain inputs read from the
//! definition and the data, everything a run does not change computed once
//! (the normalised scores of every normalisation and missing-value rule
//! drawn, the weights of every weighting method drawn), and one run: a point
//! of the unit hypercube → weights and methods → composite → ranks.

use std::borrow::Cow;
use std::ops::Range;

use super::sobol::Design;
use super::{Periods, Settings, Vary};
use crate::data::Panel;
use crate::definition::{
    Aggregate, Children, Definition, Missing, Normalize, Parent, WeightMethod,
};
use crate::error::{Error, Problem};
use crate::pipeline;
use crate::pipeline::reuse::{NodeWeights, Tree, normalised_scores};
use crate::weights::derive;

/// How indicators are normalised in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormalizeChoice {
    /// As the definition says, indicator by indicator.
    AsDefined,
    /// One method for every indicator.
    Every(Normalize),
}

/// How nodes are aggregated in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateChoice {
    /// As the definition says, node by node.
    AsDefined,
    /// One aggregator for every node and the composite.
    Every(Aggregate),
}

/// What one uncertain input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// The weights among a node's children (`None`: among the dimensions),
    /// each perturbed by ± the fraction: one coordinate per child.
    Weights(Option<Parent>),
    /// The normalisation: one coordinate.
    Normalize,
    /// The aggregator: one coordinate.
    Aggregate,
    /// The missing-value rule: one coordinate.
    Missing,
    /// The weighting method: one coordinate.
    WeightMethod,
}

/// One uncertain input, as named in output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Its name: `dimension weights`, `weights under <node id>`,
    /// `normalize`, `aggregate`, `missing`, `weighting method`.
    pub name: String,
    /// What it varies.
    pub kind: InputKind,
    /// How many coordinates of a point it takes.
    pub width: usize,
}

/// The normalised scores of one (normalisation, missing-value rule) pair
/// for the rows analysed, and the aggregators that can take them.
struct Combo {
    /// `scores[indicator][row]` over the rows analysed.
    scores: Vec<Vec<f64>>,
    /// The aggregator choices valid on these scores; the first is used when
    /// the aggregator does not vary.
    aggregates: Vec<AggregateChoice>,
}

/// The rows analysed: one or more periods' units.
#[derive(Debug, Clone)]
pub struct Target {
    /// The period labels.
    pub periods: Vec<String>,
    /// Each period's rows, as indices into the rows analysed.
    pub ranges: Vec<Range<usize>>,
    /// The unit of each row analysed.
    pub units: Vec<String>,
    /// The panel rows analysed, in order.
    rows: Vec<usize>,
}

impl Target {
    /// How many rows are analysed.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// True when there is no row to analyse.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }
}

/// What one run gives.
pub struct Run {
    /// The rank of each row analysed; 0 where the row has no composite.
    pub ranks: Vec<u32>,
    /// The mean absolute rank shift from the nominal ranks over the rows
    /// ranked in both; NaN when there is none.
    pub shift: f64,
    /// Node scores the aggregator could not form (their rows unranked).
    pub failures: usize,
}

/// Everything a run needs, computed once.
pub struct Model {
    /// The definition with its weights as scored (derived ones resolved).
    nominal: Definition,
    /// The rows analysed.
    pub target: Target,
    /// The normalisations drawn among; the first is the nominal.
    normalize: Vec<NormalizeChoice>,
    /// The missing-value rules drawn among; the first is the nominal.
    missing: Vec<Missing>,
    /// The weighting methods drawn among, with their weights; the first is the nominal.
    weights: Vec<(WeightMethod, NodeWeights)>,
    /// `combos[n * missing.len() + m]`.
    combos: Vec<Combo>,
    /// The uncertain inputs, in point order.
    pub inputs: Vec<Input>,
    /// The layout of a point.
    pub design: Design,
    /// The weight perturbation: each weight times 1 ± this.
    fraction: f64,
    /// The nominal rank of each row analysed; 0 where unranked.
    pub nominal_ranks: Vec<u32>,
    /// What was assumed or left out, for the user.
    pub notes: Vec<String>,
    /// The derived weights' warnings.
    pub warnings: Vec<Problem>,
}

impl Model {
    /// Reads the uncertain inputs of `definition` on `panel` for the periods
    /// asked, and computes what no run changes.
    pub fn prepare(
        definition: &Definition,
        panel: Panel,
        periods: &Periods,
        settings: &Settings,
    ) -> Result<Model, Error> {
        if definition.method.aggregate == Aggregate::Topsis {
            return Err(Error::Request {
                message: "the sensitivity analysis re-aggregates normalised scores, and aggregate = \"topsis\" scores every node from the raw values instead".into(),
                hint: "analyse a copy of the definition with [method] aggregate = \"arithmetic\" (or geometric)".into(),
            });
        }
        let resolved = derive::resolve(definition, Some(&panel))?;
        let nominal = resolved.definition;
        let scores = pipeline::score(&nominal, panel.clone())?;
        let target = target(&scores.keys, periods)?;
        let nominal_ranks = target
            .rows
            .iter()
            .map(|&row| scores.ranks[row].unwrap_or(0))
            .collect();
        drop(scores);

        let mut model = Model {
            target,
            normalize: vec![uniform_normalize(&nominal)],
            missing: vec![nominal.method.missing],
            weights: vec![(nominal.method.weights, NodeWeights::of(&nominal))],
            combos: Vec::new(),
            inputs: Vec::new(),
            design: Design::new(&[]),
            fraction: settings.weights,
            nominal_ranks,
            notes: Vec::new(),
            warnings: resolved.warnings,
            nominal,
        };
        if settings.vary.contains(&Vary::Weights) {
            model.weight_methods(definition, &panel);
        }
        if settings.vary.contains(&Vary::Missing) {
            model.missing_rules(&panel);
        }
        if settings.vary.contains(&Vary::Normalize) {
            model.normalisations(&panel);
        }
        model.compute_combos(&panel, settings.vary.contains(&Vary::Aggregate))?;
        model.inputs = model.list_inputs(settings);
        let widths: Vec<usize> = model.inputs.iter().map(|i| i.width).collect();
        model.design = Design::new(&widths);
        Ok(model)
    }

    /// The weighting methods that succeed on the data, besides the nominal;
    /// a method that gives the same weights as one already drawn among
    /// (equal weights written as manual ones, say) is not drawn twice.
    fn weight_methods(&mut self, definition: &Definition, panel: &Panel) {
        use WeightMethod::*;
        let mut left_out = Vec::new();
        let mut same = Vec::new();
        let mut found = vec![(self.nominal.method.weights, self.nominal.global_weights())];
        for method in [Manual, Equal, Entropy, Critic, Cv, Pca] {
            if found.iter().any(|(m, _)| *m == method) {
                continue;
            }
            match derive::resolve_with(definition, method, Some(panel)) {
                Ok(resolved) => {
                    let global = resolved.definition.global_weights();
                    if let Some((twin, _)) = found.iter().find(|(_, g)| same_weights(g, &global)) {
                        same.push(format!("{method} (as {twin})"));
                        continue;
                    }
                    found.push((method, global));
                    self.weights
                        .push((method, NodeWeights::of(&resolved.definition)));
                }
                Err(error) => left_out.push(format!("{method} ({})", first_problem(&error))),
            }
        }
        if !same.is_empty() {
            self.notes.push(format!(
                "--vary weights: left out the weighting methods that give the same weights as another: {}",
                same.join(", ")
            ));
        }
        if !left_out.is_empty() {
            self.notes.push(format!(
                "--vary weights: left out the weighting methods that cannot weigh these data: {}",
                left_out.join("; ")
            ));
        }
    }

    /// The missing-value rules that can score the data, when it has gaps.
    fn missing_rules(&mut self, panel: &Panel) {
        let gaps = panel.values.iter().any(|c| c.iter().any(|x| x.is_nan()));
        if !gaps {
            self.notes.push(
                "--vary missing: the data have no missing value, so the missing-value rule changes nothing; it is left out".into(),
            );
            return;
        }
        let mut left_out = Vec::new();
        for rule in [Missing::Skip, Missing::Mean, Missing::Carry] {
            if self.missing.contains(&rule) {
                continue;
            }
            let variant = variant(&self.nominal, self.normalize[0], rule);
            match normalised_scores(&variant, panel.clone()) {
                Ok(_) => self.missing.push(rule),
                Err(error) => left_out.push(format!("{rule} ({})", first_problem(&error))),
            }
        }
        if !left_out.is_empty() {
            self.notes.push(format!(
                "--vary missing: left out the rules that cannot fill these data: {}",
                left_out.join("; ")
            ));
        }
    }

    /// The normalisations that can score the data, besides the nominal.
    fn normalisations(&mut self, panel: &Panel) {
        let mut candidates = vec![Normalize::Minmax, Normalize::Zscore, Normalize::Rank];
        if self
            .nominal
            .indicators()
            .all(|(_, i)| i.goalposts.is_some())
        {
            candidates.push(Normalize::Goalposts);
        } else {
            self.notes.push(
                "--vary normalize: goalposts are left out, since not every indicator has goalposts"
                    .into(),
            );
        }
        let mut left_out = Vec::new();
        for method in candidates {
            let choice = NormalizeChoice::Every(method);
            if self.normalize.contains(&choice) {
                continue;
            }
            let variant = variant(&self.nominal, choice, self.missing[0]);
            match normalised_scores(&variant, panel.clone()) {
                Ok(_) => self.normalize.push(choice),
                Err(error) => left_out.push(format!("{method} ({})", first_problem(&error))),
            }
        }
        if !left_out.is_empty() {
            self.notes.push(format!(
                "--vary normalize: left out the normalisations that cannot score these data: {}",
                left_out.join("; ")
            ));
        }
    }

    /// The scores of every (normalisation, rule) pair over the rows
    /// analysed, and the aggregators each can take.
    fn compute_combos(&mut self, panel: &Panel, vary_aggregate: bool) -> Result<(), Error> {
        let nominal_aggregate = uniform_aggregate(&self.nominal);
        let mut candidates = vec![nominal_aggregate];
        if vary_aggregate {
            for method in [Aggregate::Arithmetic, Aggregate::Geometric] {
                if !candidates.contains(&AggregateChoice::Every(method)) {
                    candidates.push(AggregateChoice::Every(method));
                }
            }
        }
        let tree = Tree::new(&self.nominal);
        let mut fell_back = false;
        let mut left_out_geometric = 0;
        for &normalize in &self.normalize {
            for &rule in &self.missing {
                let variant = variant(&self.nominal, normalize, rule);
                let (_, values) =
                    normalised_scores(&variant, panel.clone()).map_err(|error| Error::Request {
                        message: format!(
                            "normalize {} with missing = \"{rule}\" cannot score these data: {}",
                            normalize_name(normalize),
                            first_problem(&error)
                        ),
                        hint: "leave normalize or missing out of --vary".into(),
                    })?;
                let scores: Vec<Vec<f64>> = values
                    .iter()
                    .map(|column| self.target.rows.iter().map(|&r| column[r]).collect())
                    .collect();
                let columns: Vec<&[f64]> = scores.iter().map(Vec::as_slice).collect();
                let weights = &self.weights[0].1;
                let takes = |choice: &AggregateChoice| {
                    let run = tree.composite(&columns, self.target.len(), weights, |node| {
                        aggregate_of(&self.nominal, *choice, node)
                    });
                    run.failures == 0
                };
                let mut aggregates: Vec<AggregateChoice> =
                    candidates.iter().copied().filter(takes).collect();
                left_out_geometric += candidates.len() - aggregates.len();
                if aggregates.is_empty() {
                    fell_back = true;
                    aggregates.push(AggregateChoice::Every(Aggregate::Arithmetic));
                }
                self.combos.push(Combo { scores, aggregates });
            }
        }
        if fell_back {
            self.notes.push(
                "where a normalisation drawn gives scores of 0 or below, which geometric or harmonic aggregation cannot take, the run aggregates arithmetically".into(),
            );
        } else if vary_aggregate && left_out_geometric > 0 {
            self.notes.push(
                "--vary aggregate: geometric is drawn only with the normalisations under which every score is above 0".into(),
            );
        }
        Ok(())
    }

    /// The inputs, in point order: the weight sets in tree order, then the
    /// method choices that have more than one alternative.
    fn list_inputs(&mut self, settings: &Settings) -> Vec<Input> {
        let mut inputs = Vec::new();
        if self.fraction > 0.0 {
            let mut nodes = vec![None];
            for d in 0..self.nominal.dimensions.len() {
                nodes.push(Some(Parent::Dimension(d)));
                nodes.extend(
                    (0..self.nominal.groups.len())
                        .filter(|&g| self.nominal.groups[g].dimension == d)
                        .map(|g| Some(Parent::Group(g))),
                );
            }
            for node in nodes {
                let width = match node {
                    None => self.nominal.dimensions.len(),
                    Some(node) => match self.nominal.children(node) {
                        Children::Indicators(range) => range.len(),
                        Children::Groups(list) => list.len(),
                    },
                };
                // A single child keeps its whole share, whatever its weight.
                if width < 2 {
                    continue;
                }
                let name = match node {
                    None => "dimension weights".to_string(),
                    Some(node) => format!("weights under {}", self.nominal.node_id(node)),
                };
                inputs.push(Input {
                    name,
                    kind: InputKind::Weights(node),
                    width,
                });
            }
        }
        let vary_aggregate = settings.vary.contains(&Vary::Aggregate)
            && self.combos.iter().any(|c| c.aggregates.len() > 1);
        if settings.vary.contains(&Vary::Aggregate) && !vary_aggregate {
            self.notes.push("--vary aggregate: no other aggregator can take these scores (geometric needs every score above 0), so the aggregator is left out".into());
        }
        let choices = [
            ("normalize", InputKind::Normalize, self.normalize.len() > 1),
            ("aggregate", InputKind::Aggregate, vary_aggregate),
            ("missing", InputKind::Missing, self.missing.len() > 1),
            (
                "weighting method",
                InputKind::WeightMethod,
                self.weights.len() > 1,
            ),
        ];
        for (name, kind, varies) in choices {
            if varies {
                inputs.push(Input {
                    name: name.into(),
                    kind,
                    width: 1,
                });
            }
        }
        inputs
    }

    /// What the point `x` (one number per input coordinate) draws: the
    /// scores, the aggregator and the weights of its run.
    fn scenario(&self, x: &[f64]) -> Scenario<'_> {
        let mut normalize = 0;
        let mut rule = 0;
        let mut method = 0;
        let mut aggregate_at = None;
        for (i, input) in self.inputs.iter().enumerate() {
            let u = x[self.design.range(i).start];
            match input.kind {
                InputKind::Normalize => normalize = pick(u, self.normalize.len()),
                InputKind::Missing => rule = pick(u, self.missing.len()),
                InputKind::WeightMethod => method = pick(u, self.weights.len()),
                InputKind::Aggregate => aggregate_at = Some(u),
                InputKind::Weights(_) => {}
            }
        }
        let combo = &self.combos[normalize * self.missing.len() + rule];
        let aggregate = match aggregate_at {
            Some(u) => combo.aggregates[pick(u, combo.aggregates.len())],
            None => combo.aggregates[0],
        };
        let mut weights = Cow::Borrowed(&self.weights[method].1);
        for (i, input) in self.inputs.iter().enumerate() {
            if let InputKind::Weights(node) = input.kind {
                self.perturb(weights.to_mut(), node, &x[self.design.range(i)]);
            }
        }
        Scenario {
            combo,
            aggregate,
            weights,
        }
    }

    /// One run at the point `x`.
    pub fn run(&self, tree: &Tree<'_>, x: &[f64]) -> Run {
        self.run_many(tree, std::slice::from_ref(&x.to_vec()))
            .pop()
            .expect("one run per point")
    }

    /// One run per point, in order. The rows go in blocks small enough to
    /// stay in the cache while every point's run aggregates them, so that a
    /// large panel is read from memory once per batch rather than once per
    /// run; each row sees the same operations as in a run of its own.
    pub fn run_many(&self, tree: &Tree<'_>, points: &[Vec<f64>]) -> Vec<Run> {
        let scenarios: Vec<Scenario<'_>> = points.iter().map(|x| self.scenario(x)).collect();
        let rows = self.target.len();
        let mut composites = vec![vec![f64::NAN; rows]; scenarios.len()];
        let mut failures = vec![0; scenarios.len()];
        for start in (0..rows).step_by(ROWS_PER_BLOCK) {
            let end = rows.min(start + ROWS_PER_BLOCK);
            for (s, scenario) in scenarios.iter().enumerate() {
                let columns: Vec<&[f64]> = scenario
                    .combo
                    .scores
                    .iter()
                    .map(|column| &column[start..end])
                    .collect();
                let composite = tree.composite(&columns, end - start, &scenario.weights, |node| {
                    aggregate_of(&self.nominal, scenario.aggregate, node)
                });
                composites[s][start..end].copy_from_slice(&composite.scores);
                failures[s] += composite.failures;
            }
        }
        composites
            .into_iter()
            .zip(failures)
            .map(|(composite, failures)| {
                let mut ranks = vec![0u32; rows];
                for range in &self.target.ranges {
                    competition_ranks(&composite[range.clone()], &mut ranks[range.clone()]);
                }
                let shift = mean_shift(&ranks, &self.nominal_ranks);
                Run {
                    ranks,
                    shift,
                    failures,
                }
            })
            .collect()
    }

    /// Each child weight of `node` times 1 + fraction·(2u − 1), one u per child.
    fn perturb(&self, weights: &mut NodeWeights, node: Option<Parent>, coords: &[f64]) {
        let factor = |u: f64| 1.0 + self.fraction * (2.0 * u - 1.0);
        match node.map(|node| self.nominal.children(node)) {
            None => {
                for (w, &u) in weights.dimensions.iter_mut().zip(coords) {
                    *w *= factor(u);
                }
            }
            Some(Children::Indicators(range)) => {
                for (w, &u) in weights.indicators[range.clone()].iter_mut().zip(coords) {
                    *w *= factor(u);
                }
            }
            Some(Children::Groups(list)) => {
                for (&g, &u) in list.iter().zip(coords) {
                    weights.groups[g] *= factor(u);
                }
            }
        }
    }

    /// The tree of the nominal definition, for [`Model::run`].
    pub fn tree(&self) -> Tree<'_> {
        Tree::new(&self.nominal)
    }
}

/// Rows aggregated together for every run of a batch: with 46 indicators,
/// 1,024 rows of scores take 368 KiB, which stays in the cache.
const ROWS_PER_BLOCK: usize = 1024;

/// What a point draws.
struct Scenario<'a> {
    combo: &'a Combo,
    aggregate: AggregateChoice,
    weights: Cow<'a, NodeWeights>,
}

/// Competition ranks of `composite` into `ranks` (0 where NaN), exactly as
/// [`crate::pipeline::rank::competition_ranks`] gives them: highest first, equal composites
/// in row order sharing the lowest rank. Sorts plain integers (an
/// order-preserving key and the row) instead of indices compared through
/// the composites, which is several times faster on large periods.
pub fn competition_ranks(composite: &[f64], ranks: &mut [u32]) {
    let mut order: Vec<u128> = composite
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.is_nan())
        .map(|(row, &x)| (u128::from(descending_key(x)) << 32) | row as u128)
        .collect();
    order.sort_unstable();
    ranks.fill(0);
    let mut previous: Option<(f64, u32)> = None;
    for (position, &entry) in order.iter().enumerate() {
        let row = (entry & u128::from(u32::MAX)) as usize;
        let x = composite[row];
        let rank = match previous {
            Some((before, rank)) if before == x => rank,
            _ => position as u32 + 1,
        };
        ranks[row] = rank;
        previous = Some((x, rank));
    }
}

/// A key that ascends as `x` descends in `f64::total_cmp` order.
fn descending_key(x: f64) -> u64 {
    let bits = x.to_bits();
    // total_cmp's order as unsigned integers: negative numbers flipped
    // whole, positive ones with the sign bit set; then reversed.
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    };
    !ascending
}

/// True when two sets of global weights are the same but for rounding.
fn same_weights(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-12)
}

/// The choice a uniform `u` in [0, 1) picks among `n`.
fn pick(u: f64, n: usize) -> usize {
    ((u * n as f64) as usize).min(n - 1)
}

/// The mean of |rank − nominal| over the rows ranked in both.
fn mean_shift(ranks: &[u32], nominal: &[u32]) -> f64 {
    let (mut sum, mut count) = (0u64, 0u64);
    for (&r, &n) in ranks.iter().zip(nominal) {
        if r > 0 && n > 0 {
            sum += u64::from(r.abs_diff(n));
            count += 1;
        }
    }
    if count == 0 {
        f64::NAN
    } else {
        sum as f64 / count as f64
    }
}

/// The aggregator of `node` (`None`: the composite) under `choice`.
fn aggregate_of(
    definition: &Definition,
    choice: AggregateChoice,
    node: Option<Parent>,
) -> Aggregate {
    match (choice, node) {
        (AggregateChoice::Every(method), _) => method,
        (AggregateChoice::AsDefined, Some(node)) => definition.aggregate_of(node),
        (AggregateChoice::AsDefined, None) => definition.method.aggregate,
    }
}

/// The definition's normalisation as a choice: one method when every
/// indicator has it.
fn uniform_normalize(definition: &Definition) -> NormalizeChoice {
    let mut methods = definition.indicators().map(|(_, i)| i.normalize);
    match methods.next() {
        Some(first) if methods.all(|m| m == first) => NormalizeChoice::Every(first),
        _ => NormalizeChoice::AsDefined,
    }
}

/// The definition's aggregation as a choice: one aggregator when every
/// node and the composite use it.
fn uniform_aggregate(definition: &Definition) -> AggregateChoice {
    let method = definition.method.aggregate;
    let nodes = (0..definition.dimensions.len())
        .map(Parent::Dimension)
        .chain((0..definition.groups.len()).map(Parent::Group));
    if nodes
        .into_iter()
        .all(|node| definition.aggregate_of(node) == method)
    {
        AggregateChoice::Every(method)
    } else {
        AggregateChoice::AsDefined
    }
}

/// A normalisation's name in messages.
pub fn normalize_name(choice: NormalizeChoice) -> String {
    match choice {
        NormalizeChoice::AsDefined => "as defined".into(),
        NormalizeChoice::Every(method) => method.to_string(),
    }
}

/// `definition` with `normalize` for every indicator (unless as defined)
/// and `rule` for missing values. Its aggregators are not used.
fn variant(definition: &Definition, normalize: NormalizeChoice, rule: Missing) -> Definition {
    let mut variant = definition.clone();
    variant.method.missing = rule;
    if let NormalizeChoice::Every(method) = normalize {
        variant.method.normalize = method;
        for dimension in &mut variant.dimensions {
            for indicator in &mut dimension.indicators {
                indicator.normalize = method;
            }
        }
    }
    variant
}

/// The first problem of an error, as one line.
fn first_problem(error: &Error) -> String {
    error
        .problems()
        .first()
        .map_or_else(|| error.to_string(), |p| p.to_string())
}

/// The rows of the periods asked: the latest, one named, or several by label.
fn target(keys: &crate::data::Keys, periods: &Periods) -> Result<Target, Error> {
    let unknown = |wanted: &str| Error::Request {
        message: format!("the data has no period `{wanted}`"),
        hint: format!("choose one of: {}", keys.periods.join(", ")),
    };
    let find = |wanted: &str| {
        let label = crate::data::period_label(wanted);
        keys.periods
            .iter()
            .position(|p| *p == label)
            .ok_or_else(|| unknown(wanted))
    };
    let chosen: Vec<usize> = match periods {
        Periods::Latest => keys.periods.len().checked_sub(1).into_iter().collect(),
        Periods::Named(wanted) => vec![find(wanted)?],
        Periods::Labels(labels) => labels.iter().map(|l| find(l)).collect::<Result<_, _>>()?,
    };
    let mut target = Target {
        periods: Vec::new(),
        ranges: Vec::new(),
        units: Vec::new(),
        rows: Vec::new(),
    };
    for p in chosen {
        let start = target.rows.len();
        for row in keys.period_ranges[p].clone() {
            target.rows.push(row);
            target.units.push(keys.unit_of(row).to_string());
        }
        target.periods.push(keys.periods[p].clone());
        target.ranges.push(start..target.rows.len());
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sensitivity::rng::Stream;

    /// The fast ranks are the pipeline's, ties, NaN, ±0 and infinities included.
    #[test]
    fn fast_ranks_are_the_pipelines_ranks() {
        let mut stream = Stream::new(9, 0);
        for n in [0, 1, 2, 5, 40, 3000] {
            let composite: Vec<f64> = (0..n)
                .map(|_| match stream.below(12) {
                    0 => f64::NAN,
                    1 => 0.0,
                    2 => -0.0,
                    3 => f64::INFINITY,
                    4 => f64::NEG_INFINITY,
                    5 => 50.0,
                    _ => (stream.uniform() * 200.0 - 100.0).round() / 4.0,
                })
                .collect();
            let expected: Vec<u32> = crate::pipeline::rank::competition_ranks(&composite, 0..n)
                .into_iter()
                .map(|r| r.unwrap_or(0))
                .collect();
            let mut ranks = vec![7; n];
            competition_ranks(&composite, &mut ranks);
            assert_eq!(ranks, expected, "{composite:?}");
        }
    }
}
