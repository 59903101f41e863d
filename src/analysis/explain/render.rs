//! An [`Explanation`] as JSON, CSV, a terminal table or Markdown. JSON and
//! CSV keep full precision; the table and Markdown round to the index's
//! decimals and list the indicators by obstacle degree.

use comfy_table::presets::{ASCII_FULL_CONDENSED, UTF8_FULL_CONDENSED};
use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};
use serde_json::{Map, Value, json};
use unicode_width::UnicodeWidthStr;

use super::{Explanation, Kind};
use crate::export::text::{NAME_WIDTH, TITLE_WIDTH, fit as fit_text};
use crate::export::{NO_VALUE, fixed, markdown_escape, push_field, signed};

/// How the table and Markdown look; never the numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Look {
    /// Show only the first N indicators by obstacle degree (all when `None`).
    pub top: Option<usize>,
    /// Table: plain ASCII borders and symbols.
    pub ascii: bool,
    /// Table: the terminal's width, to wrap names within.
    pub width: Option<u16>,
}

/// How many indicators the summary line names as holding back most.
const NAMED_OBSTACLES: usize = 3;

fn number(x: Option<f64>) -> Value {
    x.filter(|x| x.is_finite())
        .map_or(Value::Null, |x| json!(x))
}

/// The JSON document: the composite, then the tree — each dimension with
/// its groups nested (`groups`) and every indicator below it (`indicators`,
/// flat, whatever the depth) — then the indicators ranked by obstacle
/// degree (`obstacles`, shortened by `top`) and the notes.
pub fn json(explanation: &Explanation, top: Option<usize>) -> Value {
    let e = explanation;
    let root = &e.lines[0];
    let mut doc = Map::new();
    doc.insert("kmgov_version".into(), json!(env!("CARGO_PKG_VERSION")));
    doc.insert("index".into(), json!(e.title));
    doc.insert(
        "unit".into(),
        e.unit.as_ref().map_or(Value::Null, |u| json!(u)),
    );
    doc.insert("period".into(), json!(e.period));
    doc.insert("previous_period".into(), json!(e.previous_period));
    doc.insert("composite".into(), number(root.score));
    doc.insert("previous_composite".into(), number(root.previous_score));
    doc.insert("change".into(), number(root.change));
    doc.insert("changes".into(), json!(e.changes.as_str()));
    if e.split {
        doc.insert("own_change".into(), number(root.own_change));
        doc.insert("others_moved".into(), number(root.others_moved));
    }
    if let Some(rule) = e.total_rule {
        doc.insert("total".into(), json!(rule.to_string()));
        doc.insert("composition_change".into(), number(root.composition));
    }
    let dimensions: Vec<Value> = e.tree.nodes[0]
        .children
        .iter()
        .map(|&d| Value::Object(node_json(e, d)))
        .collect();
    doc.insert("dimensions".into(), Value::Array(dimensions));
    let ranked = e.ranked_obstacles();
    let obstacles: Vec<Value> = ranked
        .iter()
        .take(top.unwrap_or(usize::MAX))
        .map(|&n| {
            json!({
                "rank": e.lines[n].obstacle_rank,
                "id": e.tree.nodes[n].id,
                "name": e.tree.nodes[n].name,
                "dimension": dimension_id(e, n),
                "obstacle": number(e.lines[n].obstacle),
            })
        })
        .collect();
    doc.insert("obstacles".into(), Value::Array(obstacles));
    doc.insert("notes".into(), json!(e.notes));
    Value::Object(doc)
}

fn dimension_id(e: &Explanation, node: usize) -> &str {
    e.tree
        .dimension_of(node)
        .map_or("", |d| e.tree.nodes[d].id.as_str())
}

/// The fields every node has, then what it holds.
fn node_json(e: &Explanation, at: usize) -> Map<String, Value> {
    let node = &e.tree.nodes[at];
    let line = &e.lines[at];
    let mut object = Map::new();
    object.insert("id".into(), json!(node.id));
    object.insert("name".into(), json!(node.name));
    if let Kind::Indicator(_) = node.kind {
        object.insert("dimension".into(), json!(dimension_id(e, at)));
        let parent = node.parent.map_or("", |p| e.tree.nodes[p].id.as_str());
        object.insert("parent".into(), json!(parent));
        object.insert("raw".into(), number(line.raw));
        object.insert("previous_raw".into(), number(line.previous_raw));
    }
    object.insert("score".into(), number(line.score));
    object.insert("previous_score".into(), number(line.previous_score));
    object.insert("change".into(), number(line.change));
    object.insert("global_weight".into(), json!(line.global_weight));
    object.insert("contribution".into(), number(line.contribution));
    object.insert(
        "change_contribution".into(),
        number(line.change_contribution),
    );
    if e.split {
        object.insert("own_change_contribution".into(), number(line.own_change));
        object.insert(
            "others_change_contribution".into(),
            number(line.others_moved),
        );
    }
    if e.total_rule.is_some() {
        object.insert(
            "composition_change_contribution".into(),
            number(line.composition),
        );
    }
    object.insert("obstacle".into(), number(line.obstacle));
    match node.kind {
        Kind::Indicator(_) => {
            object.insert("obstacle_rank".into(), json!(line.obstacle_rank));
            object.insert(
                "filled".into(),
                line.filled
                    .map_or(Value::Null, |rule| json!(rule.to_string())),
            );
        }
        Kind::Dimension(_) => {
            if holds_groups(e, at) {
                object.insert("groups".into(), children_json(e, at));
            }
            let every: Vec<Value> = indicators_below(e, at)
                .into_iter()
                .map(|i| Value::Object(node_json(e, i)))
                .collect();
            object.insert("indicators".into(), Value::Array(every));
        }
        Kind::Group(_) => {
            let key = if holds_groups(e, at) {
                "groups"
            } else {
                "indicators"
            };
            object.insert(key.into(), children_json(e, at));
        }
        Kind::Composite => {}
    }
    object
}

fn holds_groups(e: &Explanation, at: usize) -> bool {
    e.tree.nodes[at]
        .children
        .iter()
        .any(|&c| matches!(e.tree.nodes[c].kind, Kind::Group(_)))
}

fn children_json(e: &Explanation, at: usize) -> Value {
    Value::Array(
        e.tree.nodes[at]
            .children
            .iter()
            .map(|&c| Value::Object(node_json(e, c)))
            .collect(),
    )
}

/// Every indicator below a node, in tree order.
fn indicators_below(e: &Explanation, at: usize) -> Vec<usize> {
    e.tree
        .indicators
        .iter()
        .copied()
        .filter(|&i| e.tree.path(i).any(|n| n == at))
        .collect()
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: [&str; 22] = [
    "unit",
    "period",
    "previous_period",
    "level",
    "depth",
    "parent",
    "id",
    "name",
    "raw",
    "previous_raw",
    "score",
    "previous_score",
    "change",
    "global_weight",
    "contribution",
    "change_contribution",
    "own_change_contribution",
    "others_change_contribution",
    "composition_change_contribution",
    "obstacle",
    "obstacle_rank",
    "filled",
];

/// CSV: one row per node in tree order, the composite first; `level` says
/// what the row is and `parent` where it hangs. Cells that do not apply are
/// empty; text cells are written as the score CSV writes them (a `'` before
/// a formula unless `raw`).
pub fn csv(explanation: &Explanation, raw: bool) -> String {
    let e = explanation;
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    let text = |out: &mut String, t: &str| {
        push_field(out, t, raw);
        out.push(',');
    };
    let value = |out: &mut String, x: Option<f64>| {
        if let Some(x) = x.filter(|x| x.is_finite()) {
            out.push_str(&x.to_string());
        }
        out.push(',');
    };
    for (node, line) in e.tree.nodes.iter().zip(&e.lines) {
        text(&mut out, e.unit.as_deref().unwrap_or(""));
        text(&mut out, &e.period);
        text(&mut out, e.previous_period.as_deref().unwrap_or(""));
        text(&mut out, node.kind.as_str());
        out.push_str(&format!("{},", node.depth));
        text(
            &mut out,
            node.parent.map_or("", |p| e.tree.nodes[p].id.as_str()),
        );
        text(&mut out, &node.id);
        text(&mut out, &node.name);
        for x in [
            line.raw,
            line.previous_raw,
            line.score,
            line.previous_score,
            line.change,
            Some(line.global_weight),
            line.contribution,
            line.change_contribution,
            line.own_change,
            line.others_moved,
            line.composition,
            line.obstacle,
        ] {
            value(&mut out, x);
        }
        if let Some(rank) = line.obstacle_rank {
            out.push_str(&rank.to_string());
        }
        out.push(',');
        if let Some(rule) = line.filled {
            out.push_str(&rule.to_string());
        }
        out.push('\n');
    }
    out
}

/// The characters a style draws with.
struct Symbols {
    dash: &'static str,
    ellipsis: &'static str,
    no_value: &'static str,
    delta: &'static str,
}

const UNICODE: Symbols = Symbols {
    dash: "—",
    ellipsis: "…",
    no_value: NO_VALUE,
    delta: "Δ",
};

const ASCII: Symbols = Symbols {
    dash: "-",
    ellipsis: "...",
    no_value: "n/a",
    delta: "chg",
};

/// One row of the node or indicator table, before a format lays it out.
struct Columns {
    headings: Vec<String>,
    rows: Vec<Vec<String>>,
    /// Which columns hold text (aligned left); the others hold numbers.
    text: Vec<bool>,
    /// The rows whose name to highlight: the largest obstacle degrees.
    highlight: Vec<bool>,
    /// The columns that may be hidden to fit the terminal, the first to go first.
    hide: Vec<usize>,
}

/// The summary above the tables: composite, change and its parts, the
/// indicators that hold back most, and what the changes compare.
fn summary(e: &Explanation, symbols: &Symbols, name: &dyn Fn(&str) -> String) -> Vec<String> {
    let d = e.decimals;
    let shown = |x: Option<f64>| x.map_or(symbols.no_value.to_string(), |x| fixed(x, d));
    let root = &e.lines[0];
    let what = if e.unit.is_some() {
        "composite"
    } else {
        "total"
    };
    let mut lines = Vec::new();
    let mut first = format!("{what} {} in {}", shown(root.score), name(&e.period));
    if let Some(previous) = &e.previous_period {
        first.push_str(&format!(
            ", {} in {}: change {}",
            shown(root.previous_score),
            name(previous),
            root.change
                .map_or(symbols.no_value.to_string(), |c| signed(c, d))
        ));
    }
    lines.push(first);
    if e.split {
        lines.push(format!(
            "of which own change {}, others moved {}",
            signed(root.own_change.unwrap_or(0.0), d),
            signed(root.others_moved.unwrap_or(0.0), d)
        ));
    }
    if let (Some(_), Some(composition), Some(change)) =
        (e.total_rule, root.composition, root.change_contribution)
    {
        lines.push(format!(
            "of which the units' scores {}, population shares and units entering or leaving {}",
            signed(change - composition, d),
            signed(composition, d)
        ));
    }
    let ranked: Vec<usize> = e
        .ranked_obstacles()
        .into_iter()
        .filter(|&n| e.lines[n].obstacle.is_some_and(|o| o > 0.0))
        .collect();
    if !ranked.is_empty() {
        let named: Vec<String> = ranked
            .iter()
            .take(NAMED_OBSTACLES)
            .map(|&n| {
                format!(
                    "{} {}%",
                    name(&e.tree.nodes[n].name),
                    fixed(e.lines[n].obstacle.unwrap_or(0.0), d)
                )
            })
            .collect();
        lines.push(format!("held back most by: {}", named.join(", ")));
    }
    if e.changes == crate::report::Changes::Relative && e.previous_period.is_some() {
        lines.push(if e.split {
            "changes compare relative positions: own change scores the new values against the previous period's statistics".into()
        } else {
            "changes compare relative positions: the decomposition is relative, a part can move although the value did not".into()
        });
    }
    lines
}

/// The nodes above the indicators, indented by depth.
fn node_columns(
    e: &Explanation,
    symbols: &Symbols,
    name: &dyn Fn(&str) -> String,
    indent: &str,
) -> Columns {
    let mut headings = vec![
        "node".to_string(),
        "score".into(),
        symbols.delta.into(),
        "weight %".into(),
        "points".into(),
        format!("{} points", symbols.delta),
    ];
    if e.split {
        headings.push("own".into());
        headings.push("others".into());
    }
    headings.push("obstacle %".into());
    let rows = e
        .tree
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| !matches!(n.kind, Kind::Indicator(_)))
        .map(|(at, node)| {
            let label = if at == 0 {
                if e.unit.is_some() {
                    "composite".to_string()
                } else {
                    "total".into()
                }
            } else {
                format!("{}{}", indent.repeat(node.depth - 1), name(&node.name))
            };
            let mut row = vec![label];
            row.extend(numbers(e, at, symbols));
            row
        })
        .collect();
    let mut text = vec![false; headings.len()];
    text[0] = true;
    Columns {
        headings,
        rows,
        text,
        highlight: Vec::new(),
        // points, weight %, Δ.
        hide: vec![4, 3, 2],
    }
}

/// Score, change, weight, points, Δ points, [own, others], obstacle.
fn numbers(e: &Explanation, at: usize, symbols: &Symbols) -> Vec<String> {
    let d = e.decimals;
    let line = &e.lines[at];
    let shown = |x: Option<f64>| x.map_or(symbols.no_value.to_string(), |x| fixed(x, d));
    let change = |x: Option<f64>| x.map_or(symbols.no_value.to_string(), |x| signed(x, d));
    let mut row = vec![
        shown(line.score),
        change(line.change),
        fixed(100.0 * line.global_weight, d),
        shown(line.contribution),
        change(line.change_contribution),
    ];
    if e.split {
        row.push(change(line.own_change));
        row.push(change(line.others_moved));
    }
    row.push(shown(line.obstacle));
    row
}

/// The indicators by obstacle degree (then those without one, in tree order).
fn indicator_columns(
    e: &Explanation,
    look: &Look,
    symbols: &Symbols,
    name: &dyn Fn(&str) -> String,
) -> (Columns, usize) {
    let mut order = e.ranked_obstacles();
    order.extend(
        e.tree
            .indicators
            .iter()
            .copied()
            .filter(|&n| e.lines[n].obstacle_rank.is_none()),
    );
    let all = order.len();
    order.truncate(look.top.unwrap_or(usize::MAX));
    let mut headings = vec![
        "rank".to_string(),
        "indicator".into(),
        "dimension".into(),
        "raw".into(),
    ];
    headings.extend(
        node_columns(e, symbols, name, "")
            .headings
            .into_iter()
            .skip(1),
    );
    let rows = order
        .iter()
        .map(|&n| {
            let line = &e.lines[n];
            let dimension = e.tree.dimension_of(n).map_or("", |d| &e.tree.nodes[d].name);
            let mut row = vec![
                line.obstacle_rank.map_or(String::new(), |r| r.to_string()),
                name(&e.tree.nodes[n].name),
                name(dimension),
                line.raw
                    .map_or(symbols.no_value.to_string(), |x| raw_text(x, e)),
            ];
            row.extend(numbers(e, n, symbols));
            row
        })
        .collect();
    let mut text = vec![false; headings.len()];
    text[1] = true;
    text[2] = true;
    let highlight = order
        .iter()
        .enumerate()
        .map(|(k, &n)| k < NAMED_OBSTACLES && e.lines[n].obstacle.is_some_and(|o| o > 0.0))
        .collect();
    (
        Columns {
            headings,
            rows,
            text,
            highlight,
            // points, weight %, raw, dimension, Δ.
            hide: vec![7, 6, 3, 2, 5],
        },
        all - order.len(),
    )
}

/// A raw value as read, for a unit; rounded when long (the total's means).
fn raw_text(x: f64, e: &Explanation) -> String {
    let text = x.to_string();
    if e.unit.is_some() && text.len() <= 12 {
        text
    } else {
        fixed(x, e.decimals)
    }
}

/// The terminal table: a summary, the nodes above the indicators, then the
/// indicators by obstacle degree.
pub fn table(explanation: &Explanation, look: &Look) -> String {
    let e = explanation;
    let symbols = if look.ascii { &ASCII } else { &UNICODE };
    let name = |t: &str| fit_text(t, NAME_WIDTH, symbols.ellipsis);
    let who = e.unit.as_deref().map_or("total".to_string(), |u| {
        fit_text(u, NAME_WIDTH, symbols.ellipsis)
    });
    let mut out = format!(
        "{} {} {} {} {}\n",
        fit_text(&e.title, TITLE_WIDTH, symbols.ellipsis),
        symbols.dash,
        who,
        symbols.dash,
        name(&e.period)
    );
    for line in summary(e, symbols, &name) {
        out.push_str(&line);
        out.push('\n');
    }
    let (nodes, mut hidden) = draw(&node_columns(e, symbols, &name, "  "), look);
    out.push_str(&nodes);
    out.push('\n');
    let (indicators, more) = indicator_columns(e, look, symbols, &name);
    out.push_str("indicators, the largest obstacle degree (障碍度) first:\n");
    let (drawn, also) = draw(&indicators, look);
    out.push_str(&drawn);
    out.push('\n');
    for heading in also {
        if !hidden.contains(&heading) {
            hidden.push(heading);
        }
    }
    if let (false, Some(width)) = (hidden.is_empty(), look.width) {
        out.push_str(&format!(
            "({} hidden to fit {width} columns; widen the window, or use --format csv)\n",
            hidden.join(", ")
        ));
    }
    if more > 0 {
        out.push_str(&format!("({more} more indicators; --top N shows N)\n"));
    }
    out
}

/// The narrowest a wrapped name column may get, in display columns (or its
/// heading's width, if wider), as in `score`'s table.
const MIN_NAME_COLUMN: usize = 8;

/// The table, laid out within the terminal's width when there is one: names
/// wrap, numbers never do, and when even that is too wide, columns are
/// hidden in the order `columns.hide` gives; returns the hidden headings.
fn draw(columns: &Columns, look: &Look) -> (String, Vec<String>) {
    let mut table = Table::new();
    table
        .load_style(if look.ascii {
            ASCII_FULL_CONDENSED
        } else {
            UTF8_FULL_CONDENSED
        })
        .set_content_arrangement(ContentArrangement::Disabled);
    table.set_header(columns.headings.clone());
    for row in &columns.rows {
        table.add_row(row.clone());
    }
    let shown = match look.width {
        Some(width) => {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(width);
            fit_width(columns, usize::from(width))
        }
        None => vec![true; columns.headings.len()],
    };
    for (index, &text) in columns.text.iter().enumerate() {
        let Some(column) = table.column_mut(index) else {
            continue;
        };
        if !text {
            column.set_cell_alignment(CellAlignment::Right);
        }
        let constraint = if !shown[index] {
            ColumnConstraint::Hidden
        } else if text {
            // The bound counts the space either side.
            let floor = narrowest(columns, index) + 2;
            ColumnConstraint::LowerBoundary(Width::Fixed(u16::try_from(floor).unwrap_or(u16::MAX)))
        } else {
            // Numbers never wrap: 85.3 over 7 reads as two numbers.
            ColumnConstraint::ContentWidth
        };
        column.set_constraint(constraint);
    }
    let hidden = columns
        .headings
        .iter()
        .zip(&shown)
        .filter(|(_, shown)| !**shown)
        .map(|(h, _)| h.clone())
        .collect();
    (table.to_string(), hidden)
}

/// The narrowest a column may be: a number's widest cell, a name's heading
/// or [`MIN_NAME_COLUMN`] (its widest cell, if narrower).
fn narrowest(columns: &Columns, index: usize) -> usize {
    let widest = columns
        .rows
        .iter()
        .map(|r| r[index].width())
        .chain(std::iter::once(columns.headings[index].width()))
        .max()
        .unwrap_or(0);
    if columns.text[index] {
        widest.min(MIN_NAME_COLUMN.max(columns.headings[index].width()))
    } else {
        widest
    }
}

/// Which columns to show within `width`: all, unless even the narrowest
/// layout is too wide; then columns go in `columns.hide` order until it fits.
fn fit_width(columns: &Columns, width: usize) -> Vec<bool> {
    let narrowest: Vec<usize> = (0..columns.headings.len())
        .map(|i| narrowest(columns, i))
        .collect();
    // Each column takes its width, a space either side and a border; the
    // table one more border.
    let needed = |shown: &[bool]| -> usize {
        1 + narrowest
            .iter()
            .zip(shown)
            .filter(|(_, shown)| **shown)
            .map(|(w, _)| 3 + w)
            .sum::<usize>()
    };
    let mut shown = vec![true; columns.headings.len()];
    for &index in &columns.hide {
        if needed(&shown) <= width {
            break;
        }
        shown[index] = false;
    }
    shown
}

/// Markdown for a report: the summary, then the two tables; the indicators
/// that hold back most in bold.
pub fn markdown(explanation: &Explanation, look: &Look) -> String {
    let e = explanation;
    let name = |t: &str| markdown_escape(t, NAME_WIDTH);
    let who = e.unit.as_deref().map_or("total".to_string(), name);
    let mut out = format!(
        "## {} — {}, {}\n\n",
        markdown_escape(&e.title, TITLE_WIDTH),
        who,
        name(&e.period)
    );
    for line in summary(e, &UNICODE, &name) {
        out.push_str(&format!("- {line}\n"));
    }
    out.push('\n');
    push_markdown(&mut out, &node_columns(e, &UNICODE, &name, "&emsp;"));
    out.push_str("\nIndicators, the largest obstacle degree (障碍度) first:\n\n");
    let (indicators, more) = indicator_columns(e, look, &UNICODE, &name);
    push_markdown(&mut out, &indicators);
    if more > 0 {
        out.push_str(&format!("\n({more} more indicators)\n"));
    }
    out
}

/// A Markdown table; the name cells of the rows to highlight in bold.
fn push_markdown(out: &mut String, columns: &Columns) {
    let row = |out: &mut String, cells: &[String]| {
        out.push('|');
        for cell in cells {
            out.push(' ');
            out.push_str(cell);
            out.push_str(" |");
        }
        out.push('\n');
    };
    row(out, &columns.headings);
    let rule: Vec<String> = (0..columns.headings.len())
        .map(|i| if columns.text[i] { ":---" } else { "---:" }.to_string())
        .collect();
    row(out, &rule);
    for (k, cells) in columns.rows.iter().enumerate() {
        let mut cells = cells.clone();
        if columns.highlight.get(k) == Some(&true) {
            cells[1] = format!("**{}**", cells[1]);
        }
        row(out, &cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::explain::{Request, Target, explain};
    use crate::data::{ReadOptions, read_from};
    use crate::definition::Definition;

    fn example() -> Explanation {
        let text = "[index]\nname='T'\n[method]\nnormalize='none'\n[[dimension]]\nid='a'\nname='维度甲'\n[[dimension.group]]\nid='g'\n[[dimension.group.indicator]]\nid='x'\nname='一个名字相当长的指标用来测试换行'\n[[dimension.group.indicator]]\nid='y'\n[[dimension]]\nid='b'\n[[dimension.indicator]]\nid='z'\n";
        let definition = Definition::from_toml(text, "t.toml").unwrap();
        let csv = "unit,period,x,y,z\n=A,2018,40,80,50\n=A,2019,60,80,40\n";
        let panel = read_from(
            Box::new(csv.as_bytes()),
            "t.csv",
            &definition,
            ReadOptions::default(),
        )
        .unwrap();
        let request = Request {
            target: Target::Unit("=A".into()),
            period: None,
            previous: None,
        };
        explain(&definition, panel, &request).unwrap()
    }

    #[test]
    fn the_table_fits_the_width_hiding_what_it_must() {
        let e = example();
        let text = table(
            &e,
            &Look {
                width: Some(60),
                ..Look::default()
            },
        );
        for line in text.lines().filter(|l| l.starts_with(['│', '┌', '└', '╞'])) {
            assert!(line.width() <= 60, "{line}");
        }
        assert!(text.contains("hidden to fit 60 columns"), "{text}");
        let wide = table(&e, &Look::default());
        assert!(!wide.contains("hidden"));
        assert!(wide.contains("composite 55.00 in 2019, 55.00 in 2018: change 0.00"));
        assert!(
            wide.contains("│   g "),
            "a group indented under its dimension:\n{wide}"
        );
    }

    #[test]
    fn csv_neutralises_formulas_and_has_every_column() {
        let text = csv(&example(), false);
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), CSV_COLUMNS.join(","));
        let first = lines.next().unwrap();
        assert!(
            first.starts_with("'=A,2019,2018,composite,0,,composite,T,"),
            "{first}"
        );
        assert_eq!(first.split(',').count(), CSV_COLUMNS.len());
        assert_eq!(text.lines().count(), 1 + 7);
        assert!(csv(&example(), true).contains("\n=A,2019"));
    }

    #[test]
    fn json_nests_groups_and_lists_every_indicator_under_its_dimension() {
        let doc = json(&example(), Some(1));
        let a = &doc["dimensions"][0];
        assert_eq!(a["groups"][0]["id"], "g");
        assert_eq!(a["groups"][0]["indicators"][1]["id"], "y");
        let ids: Vec<&str> = a["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["x", "y"]);
        assert_eq!(a["indicators"][0]["parent"], "g");
        assert_eq!(doc["obstacles"].as_array().unwrap().len(), 1);
        assert_eq!(doc["obstacles"][0]["id"], "z");
        assert!(doc.get("own_change").is_none());
        assert!(doc.get("composition_change").is_none());
    }

    #[test]
    fn markdown_bolds_the_largest_obstacles_and_escapes_names() {
        let text = markdown(&example(), &Look::default());
        assert!(text.starts_with("## T — =A, 2019\n"), "{text}");
        assert!(text.contains("| 1 | **z** | b |"), "{text}");
        assert!(text.contains("| &emsp;g | 70.00 |"), "{text}");
    }
}
