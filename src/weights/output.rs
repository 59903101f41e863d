//! The weights a definition's method gives, as `kmgov weights` shows them:
//! a table for people (dimension by dimension, groups indented), tidy CSV
//! and JSON for scripts. Freezing them into the definition is
//! [`super::freeze`].
//!
//! Every indicator's weight is shown three ways: its global weight under
//! the definition as written (`manual`), its derived share of its dimension
//! (`weight` = global ÷ the dimension's global weight) and its derived
//! global weight.

use std::ops::Range;

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, ContentArrangement, Table};
use serde_json::{Map, Value, json};

use super::derive::{MatrixResult, Resolved};
use super::{Derived, critic, pca};
use crate::definition::{Children, Definition, Parent, WeightMethod};
use crate::export::text::terminal_safe;
use crate::export::{fixed, push_field};

/// The CSV header: one row per indicator, `weight` its share of its
/// dimension.
pub const CSV_HEADER: &str = "dimension,indicator,weight,global_weight";

/// What a line of the weights stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A dimension (一级指标).
    Dimension,
    /// A group below a dimension (二级指标 …).
    Group,
    /// An indicator.
    Indicator,
}

/// One dimension, group or indicator with its weights, in tree order.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What it is.
    pub kind: Kind,
    /// 0 for a dimension, 1 for its children, 2 for theirs …
    pub depth: usize,
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Its index among the definition's dimensions, groups or indicators.
    pub index: usize,
    /// Its dimension's index.
    pub dimension: usize,
    /// The id of the node it hangs under; `None` for a dimension.
    pub parent: Option<String>,
    /// Its global weight under the definition as written.
    pub manual: f64,
    /// Its derived share of its dimension (1 for a dimension).
    pub weight: f64,
    /// Its derived share among its siblings: what the frozen definition writes.
    pub share: f64,
    /// Its derived global weight.
    pub global: f64,
}

/// The weights of a definition by one method, ready to show.
#[derive(Debug, Clone)]
pub struct WeightsReport<'a> {
    /// The definition as written (for the manual weights).
    pub original: &'a Definition,
    /// What the method gave.
    pub resolved: &'a Resolved,
    /// The data file the weights were derived from, as named; `None` when
    /// the method reads no data.
    pub data: Option<&'a str>,
    /// Every dimension, group and indicator, in tree order.
    pub lines: Vec<Line>,
}

impl<'a> WeightsReport<'a> {
    /// Lays out `resolved`, the weights `original` gives by its method (or
    /// another), derived from `data` when the method reads data.
    pub fn new(original: &'a Definition, resolved: &'a Resolved, data: Option<&'a str>) -> Self {
        WeightsReport {
            original,
            resolved,
            data,
            lines: lines(original, resolved),
        }
    }

    /// The indicators' lines.
    fn indicators(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.kind == Kind::Indicator)
    }

    /// CSV under [`CSV_HEADER`], full precision; an id a spreadsheet would
    /// run as a formula gets a `'` before it, as in every CSV kmgov writes.
    pub fn csv(&self) -> String {
        let mut out = String::from(CSV_HEADER);
        out.push('\n');
        for line in self.indicators() {
            push_field(
                &mut out,
                &self.resolved.definition.dimensions[line.dimension].id,
                false,
            );
            out.push(',');
            push_field(&mut out, &line.id, false);
            out.push(',');
            out.push_str(&number(line.weight));
            out.push(',');
            out.push_str(&number(line.global));
            out.push('\n');
        }
        out
    }

    /// JSON: the method and its conventions, the rows and period used, the
    /// dimensions, the groups (when there are any) and the indicators, each
    /// with its derived and manual weights and the method's diagnostics.
    pub fn json(&self) -> Value {
        let resolved = self.resolved;
        let mut out = Map::new();
        out.insert("kmgov_version".into(), json!(env!("CARGO_PKG_VERSION")));
        out.insert("index".into(), json!(self.original.name));
        out.insert("definition".into(), json!(self.original.origin));
        out.insert("data".into(), json!(self.data));
        out.insert("method".into(), json!(resolved.method.to_string()));
        for (key, value) in conventions(resolved) {
            out.insert(key.into(), value);
        }
        let (rows, period) = match &resolved.rows {
            Some((rows, period)) => (json!(rows), json!(period)),
            None => (Value::Null, Value::Null),
        };
        out.insert("rows".into(), rows);
        out.insert("period".into(), period);
        let dimensions: Vec<Value> = self
            .lines
            .iter()
            .filter(|l| l.kind == Kind::Dimension)
            .map(|l| {
                json!({
                    "id": l.id,
                    "name": l.name,
                    "weight": l.global,
                    "manual_weight": l.manual,
                })
            })
            .collect();
        out.insert("dimensions".into(), json!(dimensions));
        let groups: Vec<Value> = self
            .lines
            .iter()
            .filter(|l| l.kind == Kind::Group)
            .map(|l| {
                let group = &resolved.definition.groups[l.index];
                json!({
                    "id": l.id,
                    "name": l.name,
                    "dimension": resolved.definition.dimensions[l.dimension].id,
                    "parent": l.parent,
                    "level": group.level,
                    "weight": l.share,
                    "dimension_weight": l.weight,
                    "global_weight": l.global,
                    "manual_weight": l.manual,
                })
            })
            .collect();
        if !groups.is_empty() {
            out.insert("groups".into(), json!(groups));
        }
        let diagnostics = diagnostics(resolved);
        let with_parent = self.original.has_groups();
        let indicators: Vec<Value> = self
            .indicators()
            .map(|l| {
                let mut row = Map::new();
                row.insert(
                    "dimension".into(),
                    json!(resolved.definition.dimensions[l.dimension].id),
                );
                if with_parent {
                    row.insert("parent".into(), json!(l.parent));
                }
                row.insert("indicator".into(), json!(l.id));
                row.insert("name".into(), json!(l.name));
                row.insert("weight".into(), json!(l.weight));
                row.insert("global_weight".into(), json!(l.global));
                row.insert("manual_weight".into(), json!(l.manual));
                for column in &diagnostics {
                    row.insert(column.key.into(), column.json(l.index));
                }
                Value::Object(row)
            })
            .collect();
        out.insert("indicators".into(), json!(indicators));
        Value::Object(out)
    }

    /// The table: per dimension its groups (indented) and indicators, each
    /// with its manual, within-dimension and global weight (4 decimals) and
    /// the method's diagnostics; then the consistency of every judgement
    /// matrix, the rows used and what the columns mean.
    pub fn table(&self, ascii: bool) -> String {
        let diagnostics = diagnostics(self.resolved);
        let named = self.lines.iter().any(|l| l.name != l.id);
        let mut header = vec!["item"];
        if named {
            header.push("name");
        }
        header.extend(["manual", "weight", "global"]);
        header.extend(diagnostics.iter().map(|c| c.header));
        let mut table = Table::new();
        table
            .load_style(if ascii {
                ASCII_FULL_CONDENSED
            } else {
                UTF8_FULL_CONDENSED
            })
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(header.clone());
        for line in &self.lines {
            let mut row = vec![format!(
                "{}{}",
                "  ".repeat(line.depth),
                terminal_safe(&line.id)
            )];
            if named {
                row.push(terminal_safe(&line.name).into_owned());
            }
            row.push(fixed(line.manual, 4));
            row.push(match line.kind {
                Kind::Dimension => String::new(),
                _ => fixed(line.weight, 4),
            });
            row.push(fixed(line.global, 4));
            for column in &diagnostics {
                row.push(match line.kind {
                    Kind::Indicator => column.text(line.index),
                    _ => String::new(),
                });
            }
            table.add_row(row);
        }
        let first_number = if named { 2 } else { 1 };
        for column in first_number..header.len() {
            if let Some(column) = table.column_mut(column) {
                column.set_cell_alignment(CellAlignment::Right);
            }
        }
        let mut out = format!(
            "{} — weights = \"{}\"\n{table}\n",
            terminal_safe(self.original.title()),
            self.resolved.method
        );
        for line in self.notes() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The lines under the table: where the weights came from, each
    /// matrix's consistency, the method's conventions, what the columns are.
    fn notes(&self) -> Vec<String> {
        let resolved = self.resolved;
        let mut notes = Vec::new();
        if let Some(from) = source(resolved, self.data) {
            notes.push(format!("Derived {from}."));
        }
        if let Some(settings) = resolved.definition.combined
            && resolved.method == WeightMethod::Combined
        {
            notes.push(format!(
                "Combined: {} × {} + {} × {}, on global weights.",
                number(settings.alpha),
                subjective_name(resolved),
                number(1.0 - settings.alpha),
                objective_name(resolved).unwrap_or("objective"),
            ));
        }
        match &resolved.objective {
            Some(Derived::Entropy(e)) => notes.push(format!(
                "Entropy: 0·ln0 = 0, shift {}; e is the entropy, d = 1 − e.",
                number(e.shift)
            )),
            Some(Derived::Critic(c)) => notes.push(format!(
                "CRITIC on {} complete rows: sd of the min-max values, Σ(1−r) the conflict, C = sd·Σ(1−r).",
                c.rows
            )),
            Some(Derived::Cv(_)) => {
                notes.push("CV: sd (n − 1) ÷ |mean| of the raw values.".into());
            }
            Some(Derived::Pca(p)) => notes.push(pca_note(p)),
            None => {}
        }
        for matrix in in_tree_order(resolved) {
            notes.push(matrix_note(matrix));
        }
        notes.push(
            "manual: global weight as the definition is written; weight: share of its dimension; global: share of the composite."
                .into(),
        );
        notes
    }
}

/// Every dimension, group and indicator in tree order, with its weights.
fn lines(original: &Definition, resolved: &Resolved) -> Vec<Line> {
    let derived = &resolved.definition;
    let global = &resolved.global;
    let manual = original.global_weights();
    let sum = |range: Range<usize>| global[range].iter().sum::<f64>();
    let dimension_global: Vec<f64> = derived.dimension_ranges().into_iter().map(sum).collect();
    let mut walk = Walk {
        derived,
        global,
        manual: &manual,
        original,
        lines: Vec::new(),
    };
    for (d, dimension) in derived.dimensions.iter().enumerate() {
        walk.lines.push(Line {
            kind: Kind::Dimension,
            depth: 0,
            id: dimension.id.clone(),
            name: dimension.name.clone(),
            index: d,
            dimension: d,
            parent: None,
            manual: original.dimensions[d].weight,
            weight: 1.0,
            share: dimension.weight,
            global: dimension_global[d],
        });
        walk.children(Parent::Dimension(d), d, 1);
    }
    walk.lines
}

/// The state of the walk down the tree in [`lines`].
struct Walk<'w> {
    derived: &'w Definition,
    original: &'w Definition,
    global: &'w [f64],
    manual: &'w [f64],
    lines: Vec<Line>,
}

impl Walk<'_> {
    /// A node's share of its dimension: the derived shares down its path
    /// (equal shares under a parent that weighs nothing), which is its
    /// global weight ÷ its dimension's, computed as `score` computes it.
    fn within(&self, node: Parent, share: f64) -> f64 {
        self.derived.share_of_dimension(node) * share
    }

    fn children(&mut self, node: Parent, dimension: usize, depth: usize) {
        let parent = Some(self.derived.node_id(node).to_string());
        match self.derived.children(node).clone() {
            Children::Indicators(range) => {
                let indicators: Vec<_> = self
                    .derived
                    .indicators()
                    .skip(range.start)
                    .take(range.len())
                    .map(|(_, i)| (i.id.clone(), i.name.clone(), i.weight))
                    .collect();
                for (i, (id, name, share)) in range.zip(indicators) {
                    let global = self.global[i];
                    self.lines.push(Line {
                        kind: Kind::Indicator,
                        depth,
                        id,
                        name,
                        index: i,
                        dimension,
                        parent: parent.clone(),
                        manual: self.manual[i],
                        weight: self.within(node, share),
                        share,
                        global,
                    });
                }
            }
            Children::Groups(list) => {
                for g in list {
                    let group = &self.derived.groups[g];
                    let global: f64 = self.global[group.indicators.clone()].iter().sum();
                    let line = Line {
                        kind: Kind::Group,
                        depth,
                        id: group.id.clone(),
                        name: group.name.clone(),
                        index: g,
                        dimension,
                        parent: parent.clone(),
                        manual: self.original.global_weight_of(Parent::Group(g)),
                        weight: self.within(Parent::Group(g), 1.0),
                        share: group.weight,
                        global,
                    };
                    self.lines.push(line);
                    self.children(Parent::Group(g), dimension, depth + 1);
                }
            }
        }
    }
}

/// One column of per-indicator diagnostics.
struct Diagnostic {
    /// Its key in JSON.
    key: &'static str,
    /// Its heading in the table.
    header: &'static str,
    /// Decimals in the table; `None` for a whole number.
    decimals: Option<usize>,
    /// One value per indicator, in definition order; `None` where the
    /// method has none (a constant indicator's entropy).
    values: Vec<Option<f64>>,
}

impl Diagnostic {
    fn new(
        key: &'static str,
        header: &'static str,
        decimals: Option<usize>,
        values: Vec<Option<f64>>,
    ) -> Self {
        Diagnostic {
            key,
            header,
            decimals,
            values,
        }
    }

    fn json(&self, i: usize) -> Value {
        match (self.values.get(i).copied().flatten(), self.decimals) {
            (None, _) => Value::Null,
            (Some(x), None) => json!(x as u64),
            (Some(x), Some(_)) => json!(x),
        }
    }

    fn text(&self, i: usize) -> String {
        match (self.values.get(i).copied().flatten(), self.decimals) {
            (None, _) => crate::export::NO_VALUE.to_string(),
            (Some(x), None) => format!("{x}"),
            (Some(x), Some(decimals)) => fixed(x, decimals),
        }
    }
}

/// The method's per-indicator diagnostics: under combined the two sides'
/// global weights first, then the objective method's.
fn diagnostics(resolved: &Resolved) -> Vec<Diagnostic> {
    let mut columns = Vec::new();
    if let Some((subjective, objective)) = &resolved.sides {
        let some = |v: &[f64]| v.iter().map(|&x| Some(x)).collect();
        columns.push(Diagnostic::new(
            "subjective_weight",
            "subjective",
            Some(4),
            some(subjective),
        ));
        columns.push(Diagnostic::new(
            "objective_weight",
            "objective",
            Some(4),
            some(objective),
        ));
    }
    match &resolved.objective {
        Some(Derived::Entropy(e)) => {
            columns.push(Diagnostic::new(
                "entropy",
                "e",
                Some(4),
                e.columns.iter().map(|c| c.entropy).collect(),
            ));
            columns.push(Diagnostic::new(
                "divergence",
                "d",
                Some(4),
                e.columns.iter().map(|c| Some(c.divergence)).collect(),
            ));
        }
        Some(Derived::Critic(c)) => columns.extend(critic_columns(c)),
        Some(Derived::Cv(c)) => {
            let of =
                |f: fn(&super::cv::CvColumn) -> f64| c.columns.iter().map(|c| Some(f(c))).collect();
            columns.push(Diagnostic::new("mean", "mean", Some(4), of(|c| c.mean)));
            columns.push(Diagnostic::new("sd", "sd", Some(4), of(|c| c.sd)));
            columns.push(Diagnostic::new("cv", "cv", Some(4), of(|c| c.cv)));
        }
        Some(Derived::Pca(p)) => columns.extend(pca_columns(p)),
        None => {}
    }
    columns
}

fn critic_columns(c: &critic::CriticWeights) -> Vec<Diagnostic> {
    let of = |f: fn(&critic::CriticColumn) -> f64| c.columns.iter().map(|c| Some(f(c))).collect();
    vec![
        Diagnostic::new("sd", "sd", Some(4), of(|c| c.sd)),
        Diagnostic::new("conflict", "Σ(1−r)", Some(4), of(|c| c.conflict)),
        Diagnostic::new("information", "C", Some(4), of(|c| c.information)),
    ]
}

/// Each indicator's factor (from 1), its rotated loading on it and its
/// squared loading scaled to unity sum there.
fn pca_columns(p: &pca::PcaWeights) -> Vec<Diagnostic> {
    let on_factor = |values: &[Option<Vec<f64>>]| -> Vec<Option<f64>> {
        values
            .iter()
            .zip(&p.factor)
            .map(|(v, f)| Some(v.as_ref()?[(*f)?]))
            .collect()
    };
    vec![
        Diagnostic::new(
            "factor",
            "factor",
            None,
            p.factor.iter().map(|f| f.map(|f| (f + 1) as f64)).collect(),
        ),
        Diagnostic::new("loading", "loading", Some(4), on_factor(&p.loadings)),
        Diagnostic::new("scaled_loading", "scaled", Some(4), on_factor(&p.scaled)),
    ]
}

/// The line on PCA under the table: the eigenvalues, the factors kept and
/// their weights.
fn pca_note(p: &pca::PcaWeights) -> String {
    let eigen: Vec<String> = p.eigenvalues.iter().map(|l| fixed(*l, 3)).collect();
    let m = p.eigenvalues.len().max(1) as f64;
    let explained: f64 = p.eigenvalues.iter().take(p.retained).sum::<f64>() / m;
    let factors: Vec<String> = p.factor_weights.iter().map(|w| fixed(*w, 4)).collect();
    format!(
        "PCA on {} complete rows: eigenvalues {}; {} factor(s) kept (eigenvalue > 1, then 60% of the variance: {}%), varimax-rotated; factor weights {}.",
        p.rows,
        eigen.join(", "),
        p.retained,
        fixed(100.0 * explained, 1),
        factors.join(", ")
    )
}

/// `[ahp] dimensions: λmax = …, CI = …, RI = …, CR = …: consistent`.
fn matrix_note(matrix: &MatrixResult) -> String {
    let r = &matrix.result;
    let verdict = if r.consistent {
        "consistent (CR < 0.10)"
    } else {
        "NOT consistent (CR ≥ 0.10), used as allow_inconsistent = true says"
    };
    format!(
        "{}: λmax = {}, CI = {}, RI = {}, CR = {}: {verdict}",
        terminal_safe(&matrix.name),
        fixed(r.lambda_max, 4),
        fixed(r.ci, 4),
        fixed(r.ri, 2),
        fixed(r.cr, 4),
    )
}

/// Where the weights came from, in words: `from the 42 rows of
/// samples/kunming.csv, every period pooled`; `None` for manual weights.
pub fn source(resolved: &Resolved, data: Option<&str>) -> Option<String> {
    let data = data.map_or_else(|| "the data".to_string(), crate::error::echo);
    let rows = match &resolved.rows {
        Some((rows, Some(period))) => Some(format!("the {rows} rows of period {period} of {data}")),
        Some((rows, None)) => Some(format!("the {rows} rows of {data}, every period pooled")),
        None => None,
    };
    let judgements = (!resolved.matrices.is_empty()).then(|| "the [ahp] judgements".to_string());
    match resolved.method {
        WeightMethod::Manual => None,
        WeightMethod::Equal => Some("as equal shares of every node's children".into()),
        _ => {
            let parts: Vec<String> = judgements.into_iter().chain(rows).collect();
            Some(format!("from {}", parts.join(" and ")))
        }
    }
}

/// The subjective side of combined weights, by name.
fn subjective_name(resolved: &Resolved) -> &'static str {
    match resolved.definition.combined.map(|c| c.subjective) {
        Some(crate::definition::Subjective::Ahp) => "ahp",
        _ => "manual",
    }
}

/// The objective method used, by name.
fn objective_name(resolved: &Resolved) -> Option<&'static str> {
    Some(match resolved.objective.as_ref()? {
        Derived::Entropy(_) => "entropy",
        Derived::Critic(_) => "critic",
        Derived::Cv(_) => "cv",
        Derived::Pca(_) => "pca",
    })
}

/// The conventions of the method (and, under combined, of both sides), as
/// JSON entries keyed by method name.
fn conventions(resolved: &Resolved) -> Vec<(&'static str, Value)> {
    let mut out = Vec::new();
    if let Some(settings) = &resolved.definition.ahp
        && !resolved.matrices.is_empty()
    {
        let matrices: Vec<Value> = in_tree_order(resolved)
            .into_iter()
            .map(matrix_json)
            .collect();
        out.push((
            "ahp",
            json!({
                "method": settings.method,
                "ri_table": settings.ri,
                "allow_inconsistent": settings.allow_inconsistent,
                "matrices": matrices,
            }),
        ));
    }
    match &resolved.objective {
        Some(Derived::Entropy(e)) => out.push((
            "entropy",
            json!({"zero_log": "0·ln0=0", "shift": whole_or_float(e.shift)}),
        )),
        Some(Derived::Critic(c)) => out.push((
            "critic",
            json!({
                "scale": "min-max with direction",
                "sd": "sample (n-1)",
                "correlation": "pearson",
                "rows": c.rows,
            }),
        )),
        Some(Derived::Cv(_)) => out.push((
            "cv",
            json!({"values": "raw", "sd": "sample (n-1)", "mean": "absolute"}),
        )),
        Some(Derived::Pca(p)) => out.push((
            "pca",
            json!({
                "retention": "eigenvalue > 1, then cumulative variance >= 60%",
                "rotation": "varimax (Kaiser normalisation)",
                "rows": p.rows,
                "eigenvalues": p.eigenvalues,
                "retained": p.retained,
                "factor_variance": p.factor_variance,
                "factor_weights": p.factor_weights,
            }),
        )),
        None => {}
    }
    if let Some(settings) = resolved.definition.combined
        && resolved.method == WeightMethod::Combined
    {
        out.push((
            "combined",
            json!({
                "subjective": settings.subjective,
                "objective": settings.objective,
                "alpha": settings.alpha,
            }),
        ));
    }
    out
}

/// The judgement matrices in the order of the tree: the dimensions', then
/// each dimension's and the groups' below it, as the table lists the nodes.
fn in_tree_order(resolved: &Resolved) -> Vec<&MatrixResult> {
    let definition = &resolved.definition;
    let ranges = definition.dimension_ranges();
    let mut matrices: Vec<&MatrixResult> = resolved.matrices.iter().collect();
    matrices.sort_by_key(|m| match m.node {
        None => (0, 0),
        Some(Parent::Dimension(d)) => (ranges[d].start, 1),
        Some(Parent::Group(g)) => {
            let group = &definition.groups[g];
            (group.indicators.start, group.level)
        }
    });
    matrices
}

/// One judgement matrix as `kmgov ahp` writes one, with its name.
fn matrix_json(matrix: &MatrixResult) -> Value {
    let r = &matrix.result;
    let weights: Map<String, Value> = matrix
        .labels
        .iter()
        .zip(&r.weights)
        .map(|(label, w)| (label.clone(), json!(w)))
        .collect();
    let revise = r.revise.as_ref().map(|v| {
        json!({
            "row": matrix.labels[v.row],
            "column": matrix.labels[v.column],
            "current": v.current,
            "suggested": v.suggested,
            "saaty": v.saaty,
            "cr_after": v.cr_after,
        })
    });
    json!({
        "name": matrix.name,
        "labels": matrix.labels,
        "weights": weights,
        "lambda_max": r.lambda_max,
        "ci": r.ci,
        "ri": r.ri,
        "cr": r.cr,
        "consistent": r.consistent,
        "revise": revise,
    })
}

/// A whole number as a JSON integer (`0`, not `0.0`), anything else as it is.
fn whole_or_float(x: f64) -> Value {
    if x == x.trunc() && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// A number in full precision, the shortest text that reads back as the
/// same value: plain from 1e-7 to 1e21, exponent form outside, `0` for
/// either zero. Also how the frozen definition writes weights.
pub fn number(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if (1e-7..1e21).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::derive::resolve_with;

    /// a (1) holds g (3: x 1, y 3) and h (1: z); b (3) holds v.
    pub(crate) const TREE: &str = r#"
[index]
name = "T"
[[dimension]]
id = "a"
[[dimension.group]]
id = "g"
weight = 3
[[dimension.group.indicator]]
id = "x"
[[dimension.group.indicator]]
id = "y"
weight = 3
[[dimension.group]]
id = "h"
[[dimension.group.indicator]]
id = "z"
[[dimension]]
id = "b"
weight = 3
[[dimension.indicator]]
id = "v"
"#;

    fn equal() -> (Definition, Resolved) {
        let definition = Definition::from_toml(TREE, "t.toml").unwrap();
        let resolved = resolve_with(&definition, WeightMethod::Equal, None).unwrap();
        (definition, resolved)
    }

    /// Manual: a ¼ (g ¾ of it: x 3/64, y 9/64; h 1/16: z 1/16), b ¾: v ¾.
    /// Equal: a, b ½; g, h ¼; x, y ⅛; z ¼; v ½.
    #[test]
    fn lines_follow_the_tree_with_manual_and_derived_weights() {
        let (definition, resolved) = equal();
        let report = WeightsReport::new(&definition, &resolved, None);
        let ids: Vec<(&str, usize)> = report
            .lines
            .iter()
            .map(|l| (l.id.as_str(), l.depth))
            .collect();
        assert_eq!(
            ids,
            [
                ("a", 0),
                ("g", 1),
                ("x", 2),
                ("y", 2),
                ("h", 1),
                ("z", 2),
                ("b", 0),
                ("v", 1)
            ]
        );
        let manual: Vec<f64> = report.lines.iter().map(|l| l.manual).collect();
        assert_eq!(
            manual,
            [
                0.25,
                0.1875,
                3.0 / 64.0,
                9.0 / 64.0,
                0.0625,
                0.0625,
                0.75,
                0.75
            ]
        );
        let global: Vec<f64> = report.lines.iter().map(|l| l.global).collect();
        assert_eq!(global, [0.5, 0.25, 0.125, 0.125, 0.25, 0.25, 0.5, 0.5]);
        let within: Vec<f64> = report.lines.iter().map(|l| l.weight).collect();
        assert_eq!(within, [1.0, 0.5, 0.25, 0.25, 0.5, 0.5, 1.0, 1.0]);
        let share: Vec<f64> = report.lines.iter().map(|l| l.share).collect();
        assert_eq!(share, [0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 0.5, 1.0]);
        assert_eq!(report.lines[2].parent.as_deref(), Some("g"));
    }

    #[test]
    fn csv_has_one_row_per_indicator_with_its_dimension() {
        let (definition, resolved) = equal();
        let report = WeightsReport::new(&definition, &resolved, None);
        assert_eq!(
            report.csv(),
            "dimension,indicator,weight,global_weight\na,x,0.25,0.125\na,y,0.25,0.125\na,z,0.5,0.25\nb,v,1,0.5\n"
        );
    }

    #[test]
    fn json_lists_dimensions_groups_and_indicators() {
        let (definition, resolved) = equal();
        let value = WeightsReport::new(&definition, &resolved, None).json();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "kmgov_version",
                "index",
                "definition",
                "data",
                "method",
                "rows",
                "period",
                "dimensions",
                "groups",
                "indicators"
            ]
        );
        assert_eq!(value["method"], "equal");
        assert_eq!(
            value["dimensions"][1],
            json!({"id": "b", "name": "b", "weight": 0.5, "manual_weight": 0.75})
        );
        let g = &value["groups"][0];
        assert_eq!(g["parent"], "a");
        assert_eq!(g["weight"], 0.5);
        assert_eq!(g["global_weight"], 0.25);
        assert_eq!(g["manual_weight"], 0.1875);
        let x = &value["indicators"][0];
        assert_eq!(x["parent"], "g");
        assert_eq!(x["weight"], 0.25);
        assert_eq!(x["manual_weight"], 3.0 / 64.0);
    }

    #[test]
    fn the_table_indents_the_tree_and_explains_the_columns() {
        let (definition, resolved) = equal();
        let text = WeightsReport::new(&definition, &resolved, None).table(true);
        assert!(text.starts_with("T — weights = \"equal\"\n"), "{text}");
        assert!(text.contains("| a "), "{text}");
        assert!(text.contains("|   g "), "{text}");
        assert!(text.contains("|     x "), "{text}");
        assert!(
            text.contains("Derived as equal shares of every node's children."),
            "{text}"
        );
        assert!(text.contains("manual: global weight as the definition is written"));
    }

    #[test]
    fn numbers_are_shortest_round_trip_and_shifts_whole_when_whole() {
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(3e-10), "3e-10");
        assert_eq!(number(1.0), "1");
        assert_eq!(whole_or_float(0.0), json!(0));
        assert_eq!(whole_or_float(0.01), json!(0.01));
    }
}
