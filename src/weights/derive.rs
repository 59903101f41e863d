//! Derived weights for a whole definition, level by level of its tree:
//! `[method] weights` read, the data (or the judgements) turned into one
//! global weight per indicator, and the definition rewritten with them as
//! its weights, so that scoring with the result is scoring with frozen
//! weights. docs/METHODOLOGY.md, "Derived weights".

use super::ahp::{self, JudgementMatrix};
use super::{Column, Derived, Objective, Options, WeightError, WeightWarning};
use crate::data::Panel;
use crate::definition::{
    AhpMethod, AhpSettings, Children, Definition, Judgements, ObjectiveMethod, Parent, RiName,
    Subjective, WeightMethod,
};
use crate::error::{Error, Problem};

/// One judgement matrix of the definition, evaluated.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixResult {
    /// The node whose children it weighs; `None` for the dimensions.
    pub node: Option<Parent>,
    /// Its name in messages: `[ahp.indicators] vitality`.
    pub name: String,
    /// The children's ids, in order.
    pub labels: Vec<String>,
    /// Weights, λmax, CI, RI, CR.
    pub result: ahp::Ahp,
}

/// The weights a definition's method gives, with how they were found.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The method used.
    pub method: WeightMethod,
    /// One global weight per indicator, in definition order; they sum to 1.
    pub global: Vec<f64>,
    /// The objective method's diagnostics (entropy, CRITIC, CV, PCA, or
    /// combined's objective side).
    pub objective: Option<Derived>,
    /// Every judgement matrix evaluated (AHP, or combined's subjective side).
    pub matrices: Vec<MatrixResult>,
    /// Under combined: the subjective and the objective global weights.
    pub sides: Option<(Vec<f64>, Vec<f64>)>,
    /// Rows the objective method read, and the period they came from
    /// (`None`: every period pooled).
    pub rows: Option<(usize, Option<String>)>,
    /// Things worth a look: constant indicators, inconsistent matrices allowed.
    pub warnings: Vec<Problem>,
    /// The definition with these weights in place of its own.
    pub definition: Definition,
}

/// The weights `definition` asks for. Objective methods need the panel; AHP,
/// equal and manual weights do not. Manual weights come back unchanged.
pub fn resolve(definition: &Definition, panel: Option<&Panel>) -> Result<Resolved, Error> {
    resolve_with(definition, definition.method.weights, panel)
}

/// [`resolve`] with another method than the definition's (`--method`).
pub fn resolve_with(
    definition: &Definition,
    method: WeightMethod,
    panel: Option<&Panel>,
) -> Result<Resolved, Error> {
    let mut resolved = Resolved {
        method,
        global: Vec::new(),
        objective: None,
        matrices: Vec::new(),
        sides: None,
        rows: None,
        warnings: Vec::new(),
        definition: definition.clone(),
    };
    resolved.global = match method {
        WeightMethod::Manual => definition.global_weights(),
        WeightMethod::Equal => from_shares(definition, |_, n| vec![1.0 / n as f64; n]),
        WeightMethod::Ahp => ahp_global(definition, &mut resolved)?,
        WeightMethod::Entropy | WeightMethod::Critic | WeightMethod::Cv | WeightMethod::Pca => {
            objective_global(definition, objective_of(method), panel, &mut resolved)?
        }
        WeightMethod::Combined => combined_global(definition, panel, &mut resolved)?,
    };
    if method != WeightMethod::Manual {
        resolved.definition = with_global_weights(definition, &resolved.global, method);
    }
    Ok(resolved)
}

fn objective_of(method: WeightMethod) -> Objective {
    match method {
        WeightMethod::Critic => Objective::Critic,
        WeightMethod::Cv => Objective::Cv,
        WeightMethod::Pca => Objective::Pca,
        _ => Objective::Entropy,
    }
}

/// Global weights from each node's shares among its children:
/// `shares(node, n)` gives n shares for a node (`None`: the dimensions).
fn from_shares(
    definition: &Definition,
    mut shares: impl FnMut(Option<Parent>, usize) -> Vec<f64>,
) -> Vec<f64> {
    let dimension_shares = shares(None, definition.dimensions.len());
    let mut group_global = vec![0.0; definition.groups.len()];
    let mut global = vec![0.0; definition.indicator_count()];
    // Groups come depth first, so a group's parent is done before it.
    let mut visit =
        |node: Parent, weight: f64, group_global: &mut Vec<f64>| match definition.children(node) {
            Children::Indicators(range) => {
                for (i, share) in range.clone().zip(shares(Some(node), range.len())) {
                    global[i] = weight * share;
                }
            }
            Children::Groups(children) => {
                for (&g, share) in children.iter().zip(shares(Some(node), children.len())) {
                    group_global[g] = weight * share;
                }
            }
        };
    for (d, share) in dimension_shares.into_iter().enumerate() {
        visit(Parent::Dimension(d), share, &mut group_global);
    }
    for g in 0..definition.groups.len() {
        let weight = group_global[g];
        visit(Parent::Group(g), weight, &mut group_global);
    }
    global
}

/// AHP on every matrix; a node with one child gives it everything.
fn ahp_global(definition: &Definition, resolved: &mut Resolved) -> Result<Vec<f64>, Error> {
    let Some(settings) = &definition.ahp else {
        return Err(Error::Weights(vec![WeightError::Read {
            path: definition.origin.clone(),
            reason: "AHP weights need an [ahp] table".into(),
            hint: Some(
                "add [ahp] with a judgement matrix per set of siblings (see the README)".into(),
            ),
        }]));
    };
    let mut errors = missing_matrices(definition, settings);
    let mut evaluated: Vec<(Option<Parent>, Vec<f64>)> = Vec::new();
    let mut consider = |node: Option<Parent>, matrix: Option<&Judgements>, labels: Vec<String>| {
        let Some(matrix) = matrix else { return };
        match evaluate(settings, matrix, labels) {
            Ok((result, warning)) => {
                if let Some(warning) = warning {
                    resolved.warnings.push(warning.problem());
                }
                evaluated.push((node, result.result.weights.clone()));
                resolved.matrices.push(MatrixResult { node, ..result });
            }
            Err(mut more) => errors.append(&mut more),
        }
    };
    let dimension_ids = definition.dimensions.iter().map(|d| d.id.clone()).collect();
    consider(None, settings.dimensions.as_ref(), dimension_ids);
    for (node, matrix) in &settings.nodes {
        consider(Some(*node), Some(matrix), child_ids(definition, *node));
    }
    if !errors.is_empty() {
        return Err(Error::Weights(errors));
    }
    Ok(from_shares(definition, |node, n| {
        evaluated
            .iter()
            .find(|(m, _)| *m == node)
            .map_or_else(|| vec![1.0 / n as f64; n], |(_, w)| w.clone())
    }))
}

/// Every set of two or more siblings without a judgement matrix. The
/// definition's own check asks for them when it names AHP; this catches
/// AHP asked for another way (`kmgov weights --method ahp`), where equal
/// shares in place of a missing matrix would be a guess.
fn missing_matrices(definition: &Definition, settings: &AhpSettings) -> Vec<WeightError> {
    let missing = |name: String, what: String| {
        WeightError::Read {
        path: definition.origin.clone(),
        reason: format!("{name} is missing: AHP needs a judgement matrix for the {what}"),
        hint: Some(
            "add it, one row per child in definition order (see the README), or choose another method"
                .into(),
        ),
    }
    };
    let mut errors = Vec::new();
    let dimensions = definition.dimensions.len();
    if dimensions > 1 && settings.dimensions.is_none() {
        errors.push(missing(
            "[ahp] dimensions".into(),
            format!("{dimensions} dimensions"),
        ));
    }
    let nodes = (0..dimensions)
        .map(Parent::Dimension)
        .chain((0..definition.groups.len()).map(Parent::Group));
    for node in nodes {
        let (table, count, kind) = match definition.children(node) {
            Children::Indicators(range) => ("[ahp.indicators]", range.len(), "indicators"),
            Children::Groups(list) => ("[ahp.groups]", list.len(), "groups"),
        };
        if count > 1 && settings.matrix_of(node).is_none() {
            let noun = match node {
                Parent::Dimension(_) => "dimension",
                Parent::Group(_) => "group",
            };
            let id = definition.node_id(node);
            errors.push(missing(
                format!("{table} {id}"),
                format!("{count} {kind} of {noun} `{id}`"),
            ));
        }
    }
    errors
}

/// The ids of a node's children, in order.
fn child_ids(definition: &Definition, node: Parent) -> Vec<String> {
    match definition.children(node) {
        Children::Indicators(range) => definition
            .indicators()
            .skip(range.start)
            .take(range.len())
            .map(|(_, i)| i.id.clone())
            .collect(),
        Children::Groups(children) => children
            .iter()
            .map(|&g| definition.groups[g].id.clone())
            .collect(),
    }
}

/// One matrix of the definition: its weights and consistency, or its
/// errors; inconsistency is an error unless `allow_inconsistent`.
fn evaluate(
    settings: &AhpSettings,
    matrix: &Judgements,
    labels: Vec<String>,
) -> Result<(MatrixResult, Option<WeightWarning>), Vec<WeightError>> {
    let rows: Vec<Vec<ahp::Entry>> = matrix
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| ahp::Entry::text(cell.text.clone(), Some(cell.at.clone())))
                .collect()
        })
        .collect();
    let judgements = JudgementMatrix::new(matrix.name.clone(), Some(labels.clone()), &rows)?;
    let method = match settings.method {
        AhpMethod::Eigen => ahp::Method::Eigen,
        AhpMethod::Sum => ahp::Method::Sum,
        AhpMethod::Root => ahp::Method::Root,
    };
    let table = match settings.ri {
        RiName::Saaty => ahp::RiTable::Saaty,
        RiName::Chinese => ahp::RiTable::Chinese,
        RiName::TummalaLing => ahp::RiTable::TummalaLing,
    };
    let result = ahp::ahp(&judgements, method, table)?;
    let warning = result.warning(&judgements);
    if let Some(WeightWarning::Inconsistent { revise, cr, .. }) = &warning
        && !settings.allow_inconsistent
    {
        return Err(vec![WeightError::TooInconsistent {
            matrix: matrix.name.clone(),
            cr: *cr,
            revise: revise.clone(),
            at: matrix.at.clone(),
        }]);
    }
    Ok((
        MatrixResult {
            node: None,
            name: matrix.name.clone(),
            labels,
            result,
        },
        warning,
    ))
}

/// An objective method on the panel's raw values: every period pooled, or
/// the `weights_period` only.
fn objective_global(
    definition: &Definition,
    method: Objective,
    panel: Option<&Panel>,
    resolved: &mut Resolved,
) -> Result<Vec<f64>, Error> {
    let Some(panel) = panel else {
        return Err(Error::Request {
            message: format!("{} weights are derived from the data", method.name()),
            hint: "give the data file as well".into(),
        });
    };
    let rows = match &definition.method.weights_period {
        None => 0..panel.keys.rows.len(),
        Some(wanted) => {
            let label = crate::data::period_label(wanted);
            match panel.keys.periods.iter().position(|p| *p == label) {
                Some(p) => panel.keys.period_ranges[p].clone(),
                None => {
                    return Err(Error::Weights(vec![WeightError::UnknownWeightsPeriod {
                        period: wanted.clone(),
                        known: panel.keys.periods.clone(),
                        at: crate::error::Location::file(&definition.origin),
                    }]));
                }
            }
        }
    };
    let columns: Vec<Column> = definition
        .indicators()
        .zip(&panel.values)
        .map(|((_, indicator), values)| Column {
            name: &indicator.id,
            values: &values[rows.clone()],
            direction: indicator.direction,
        })
        .collect();
    let options = Options {
        entropy_shift: definition.method.entropy_shift,
        ..Options::default()
    };
    let derived = super::objective(method, &columns, &options).map_err(Error::Weights)?;
    resolved
        .warnings
        .extend(derived.warnings().iter().map(WeightWarning::problem));
    let global = derived.weights().to_vec();
    resolved.objective = Some(derived);
    resolved.rows = Some((rows.len(), definition.method.weights_period.clone()));
    Ok(global)
}

/// alpha·subjective + (1 − alpha)·objective on global weights.
fn combined_global(
    definition: &Definition,
    panel: Option<&Panel>,
    resolved: &mut Resolved,
) -> Result<Vec<f64>, Error> {
    let Some(settings) = definition.combined else {
        return Err(Error::Request {
            message: "combined weights need a [combined] table".into(),
            hint: "add [combined] with subjective, objective and alpha (see the README)".into(),
        });
    };
    let subjective = match settings.subjective {
        Subjective::Ahp => ahp_global(definition, resolved)?,
        Subjective::Manual => definition.global_weights(),
    };
    let objective = match settings.objective {
        ObjectiveMethod::Entropy => Objective::Entropy,
        ObjectiveMethod::Critic => Objective::Critic,
        ObjectiveMethod::Cv => Objective::Cv,
        ObjectiveMethod::Pca => Objective::Pca,
    };
    let objective = objective_global(definition, objective, panel, resolved)?;
    let global =
        super::combined(settings.alpha, &subjective, &objective).map_err(Error::Weights)?;
    resolved.sides = Some((subjective, objective));
    Ok(global)
}

/// The definition with `global` as its weights: each node's weight among
/// its siblings is its share of its parent's global weight (equal shares
/// under a parent that weighs nothing), so that the product down every path
/// gives back `global`.
pub fn with_global_weights(
    definition: &Definition,
    global: &[f64],
    method: WeightMethod,
) -> Definition {
    let mut out = definition.clone();
    let sum = |range: std::ops::Range<usize>| global[range].iter().sum::<f64>();
    let dimension_global: Vec<f64> = definition.dimension_ranges().into_iter().map(sum).collect();
    let group_global: Vec<f64> = definition
        .groups
        .iter()
        .map(|g| sum(g.indicators.clone()))
        .collect();
    let parent_global = |node: Parent| match node {
        Parent::Dimension(d) => dimension_global[d],
        Parent::Group(g) => group_global[g],
    };
    let total: f64 = dimension_global.iter().sum();
    let share = |own: f64, of: f64, siblings: usize| {
        if of > 0.0 {
            own / of
        } else {
            1.0 / siblings as f64
        }
    };
    let dimensions = out.dimensions.len();
    for (dimension, &g) in out.dimensions.iter_mut().zip(&dimension_global) {
        dimension.weight = share(g, total, dimensions);
        dimension.raw_weight = dimension.weight;
    }
    for (g, group) in out.groups.iter_mut().enumerate() {
        let siblings = match definition.children(group.parent) {
            Children::Groups(list) => list.len(),
            Children::Indicators(range) => range.len(),
        };
        group.weight = share(group_global[g], parent_global(group.parent), siblings);
        group.raw_weight = group.weight;
    }
    let parents = definition.indicator_parents();
    let mut i = 0;
    for dimension in &mut out.dimensions {
        for indicator in &mut dimension.indicators {
            let parent = parents[i];
            let siblings = match definition.children(parent) {
                Children::Indicators(range) => range.len(),
                Children::Groups(list) => list.len(),
            };
            indicator.weight = share(global[i], parent_global(parent), siblings);
            indicator.raw_weight = indicator.weight;
            i += 1;
        }
    }
    out.method.weights = method;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{ReadOptions, read_from};
    use std::io::Cursor;

    const TREE: &str = r#"
[index]
name = "T"
[method]
normalize = "minmax"
weights = "WEIGHTS"
[[dimension]]
id = "a"
[[dimension.group]]
id = "g1"
[[dimension.group.indicator]]
id = "x"
[[dimension.group.indicator]]
id = "y"
[[dimension.group]]
id = "g2"
[[dimension.group.indicator]]
id = "z"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "v"
"#;

    const AHP: &str = r#"
[ahp]
dimensions = [[1, 3], ["1/3", 1]]
[ahp.groups]
a = [[1, 4], [0.25, 1]]
[ahp.indicators]
g1 = [[1, "1/2"], [2, 1]]
"#;

    const DATA: &str = "unit,period,x,y,z,v\nA,2018,1,10,5,3\nB,2018,2,30,5,9\nC,2018,4,20,6,1\nA,2019,2,15,7,4\nB,2019,3,35,5,8\nC,2019,5,25,9,2\n";

    fn definition(weights: &str, extra: &str) -> Definition {
        let text = format!("{}{extra}", TREE.replace("WEIGHTS", weights));
        Definition::from_toml(&text, "t.toml").unwrap()
    }

    fn panel(definition: &Definition) -> Panel {
        read_from(
            Box::new(Cursor::new(DATA.as_bytes().to_vec())),
            "d.csv",
            definition,
            ReadOptions::default(),
        )
        .unwrap()
    }

    fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
        }
    }

    /// Equal: a ½ (g1 ½: x, y ¼ each; g2 ½: z), b ½: x = y = ⅛, z = ¼, v = ½.
    #[test]
    fn equal_weights_split_every_node_evenly() {
        let def = definition("equal", "");
        let resolved = resolve(&def, None).unwrap();
        close(&resolved.global, &[0.125, 0.125, 0.25, 0.5]);
        close(&resolved.definition.global_weights(), &resolved.global);
    }

    /// AHP per node: dimensions ¾ : ¼; a's groups ⅘ : ⅕; g1's indicators ⅓ : ⅔.
    #[test]
    fn ahp_weighs_each_node_by_its_own_matrix() {
        let def = definition("ahp", AHP);
        let resolved = resolve(&def, None).unwrap();
        let a = 0.75;
        close(
            &resolved.global,
            &[a * 0.8 / 3.0, a * 0.8 * 2.0 / 3.0, a * 0.2, 0.25],
        );
        assert_eq!(resolved.matrices.len(), 3);
        assert!(resolved.matrices.iter().all(|m| m.result.cr == 0.0));
        // The rewritten definition has those shares as its own weights.
        let frozen = &resolved.definition;
        assert!((frozen.groups[0].weight - 0.8).abs() < 1e-12);
        assert!((frozen.dimensions[0].indicators[1].weight - 2.0 / 3.0).abs() < 1e-12);
        close(&frozen.global_weights(), &resolved.global);
    }

    #[test]
    fn an_inconsistent_matrix_stops_unless_allowed() {
        let three = r#"
[index]
name = "T"
[method]
weights = "ahp"
[[dimension]]
id = "a"
[[dimension.indicator]]
id = "x"
[[dimension]]
id = "b"
[[dimension.indicator]]
id = "y"
[[dimension]]
id = "c"
[[dimension.indicator]]
id = "z"
[ahp]
dimensions = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]
"#;
        let def = Definition::from_toml(three, "t.toml").unwrap();
        let error = resolve(&def, None).unwrap_err();
        let text = error.messages().join("\n");
        assert!(
            text.contains("[ahp] dimensions") && text.contains("CR ="),
            "{text}"
        );
        let allowed = three.replace("[ahp]\n", "[ahp]\nallow_inconsistent = true\n");
        let def = Definition::from_toml(&allowed, "t.toml").unwrap();
        let resolved = resolve(&def, None).unwrap();
        assert_eq!(resolved.warnings.len(), 1);
    }

    /// Entropy on the tree's indicators equals entropy on the columns
    /// themselves; the nodes then weigh what their indicators weigh.
    #[test]
    fn objective_weights_come_from_the_pooled_columns() {
        let def = definition("entropy", "");
        let panel = panel(&def);
        let resolved = resolve(&def, Some(&panel)).unwrap();
        let columns: Vec<Column> = def
            .indicators()
            .zip(&panel.values)
            .map(|((_, i), values)| Column {
                name: &i.id,
                values,
                direction: i.direction,
            })
            .collect();
        let direct = crate::weights::entropy::entropy(&columns, 0.0).unwrap();
        close(&resolved.global, &direct.weights);
        assert_eq!(resolved.rows, Some((6, None)));
        let frozen = &resolved.definition;
        let a: f64 = resolved.global[..3].iter().sum();
        assert!((frozen.dimensions[0].weight - a).abs() < 1e-12);
        close(&frozen.global_weights(), &resolved.global);
    }

    #[test]
    fn weights_period_picks_the_rows_and_an_unknown_one_is_named() {
        let text = TREE.replace("WEIGHTS", "cv").replace(
            "weights = \"cv\"",
            "weights = \"cv\"\nweights_period = \"2019\"",
        );
        let def = Definition::from_toml(&text, "t.toml").unwrap();
        let resolved = resolve(&def, Some(&panel(&def))).unwrap();
        assert_eq!(resolved.rows, Some((3, Some("2019".into()))));
        let def = Definition::from_toml(&text.replace("\"2019\"", "\"2020\""), "t.toml").unwrap();
        let error = resolve(&def, Some(&panel(&def))).unwrap_err();
        let problem = &error.problems()[0];
        assert!(problem.message.contains("no period `2020`"), "{problem}");
        let hint = problem.hint.as_deref().unwrap_or("");
        assert!(hint.contains("2018, 2019"), "{hint}");
    }

    /// Combined: alpha·AHP + (1 − alpha)·entropy, on global weights.
    #[test]
    fn combined_mixes_the_two_sides() {
        let extra = format!(
            "{AHP}\n[combined]\nsubjective = \"ahp\"\nobjective = \"entropy\"\nalpha = 0.3\n"
        );
        let def = definition("combined", &extra);
        let resolved = resolve(&def, Some(&panel(&def))).unwrap();
        let (subjective, objective) = resolved.sides.clone().unwrap();
        let expected: Vec<f64> = subjective
            .iter()
            .zip(&objective)
            .map(|(s, o)| 0.3 * s + 0.7 * o)
            .collect();
        close(&resolved.global, &expected);
    }

    #[test]
    fn manual_weights_come_back_unchanged() {
        let def = definition("manual", "");
        let resolved = resolve(&def, None).unwrap();
        assert_eq!(resolved.definition, def);
        close(&resolved.global, &def.global_weights());
    }

    #[test]
    fn objective_weights_without_data_are_a_request_error() {
        let def = definition("pca", "");
        let error = resolve(&def, None).unwrap_err();
        assert!(matches!(error, Error::Request { .. }));
    }
}
