//! A definition as an indicator table: one row per dimension, group and
//! indicator, depth first, as CSV that Excel opens with its Chinese intact.

use crate::definition::{
    Aggregate, Children, Definition, Direction, Goalposts, Indicator, Normalize, Parent,
};
use crate::error::number_text;

use super::columns::Field;
use super::rows::guarded;

/// One row of the indicator table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    /// The node's id; empty for the index's own row.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The id of the node above; `None` for a dimension.
    pub parent: Option<String>,
    /// 0 for the index's own row (目标层), 1 for a dimension (一级指标), 2
    /// below it, and so on.
    pub level: usize,
    /// The weight as written, relative among siblings; none for the index.
    pub weight: Option<f64>,
    /// An indicator's direction.
    pub direction: Option<Direction>,
    /// An indicator's goalposts.
    pub goalposts: Option<Goalposts>,
    /// An indicator's measurement unit.
    pub unit: Option<String>,
    /// An indicator's own normalization, when it sets one.
    pub normalize: Option<Normalize>,
    /// A dimension's or group's own aggregator, when it sets one.
    pub aggregate: Option<Aggregate>,
}

/// The definition's tree as table rows: first the index's own row (level
/// 0, without an id, named as the index), then the nodes depth first in
/// definition order, dimensions without a parent.
pub fn rows(definition: &Definition) -> Vec<TableRow> {
    let indicators: Vec<&Indicator> = definition.indicators().map(|(_, i)| i).collect();
    let mut out = vec![TableRow {
        id: String::new(),
        name: definition.name.clone(),
        parent: None,
        level: 0,
        weight: None,
        direction: None,
        goalposts: None,
        unit: None,
        normalize: None,
        aggregate: None,
    }];
    for (d, dimension) in definition.dimensions.iter().enumerate() {
        out.push(TableRow {
            id: dimension.id.clone(),
            name: dimension.name.clone(),
            parent: None,
            level: 1,
            weight: Some(dimension.raw_weight),
            direction: None,
            goalposts: None,
            unit: None,
            normalize: None,
            aggregate: dimension.aggregate,
        });
        below(definition, Parent::Dimension(d), 1, &indicators, &mut out);
    }
    out
}

/// The rows below a node at `level`. Recursive: a valid definition is at
/// most [`crate::limits::MAX_TREE_LEVELS`] deep.
fn below(
    definition: &Definition,
    node: Parent,
    level: usize,
    indicators: &[&Indicator],
    out: &mut Vec<TableRow>,
) {
    let parent = Some(definition.node_id(node).to_string());
    match definition.children(node) {
        Children::Indicators(range) => {
            for indicator in &indicators[range.clone()] {
                out.push(TableRow {
                    id: indicator.id.clone(),
                    name: indicator.name.clone(),
                    parent: parent.clone(),
                    level: level + 1,
                    weight: Some(indicator.raw_weight),
                    direction: Some(indicator.direction),
                    goalposts: indicator.goalposts,
                    unit: indicator.unit.clone(),
                    normalize: indicator
                        .normalize_overridden
                        .then_some(indicator.normalize),
                    aggregate: None,
                });
            }
        }
        Children::Groups(groups) => {
            for &g in groups {
                let group = &definition.groups[g];
                out.push(TableRow {
                    id: group.id.clone(),
                    name: group.name.clone(),
                    parent: parent.clone(),
                    level: level + 1,
                    weight: Some(group.raw_weight),
                    direction: None,
                    goalposts: None,
                    unit: None,
                    normalize: None,
                    aggregate: group.aggregate,
                });
                below(definition, Parent::Group(g), level + 1, indicators, out);
            }
        }
    }
}

/// The indicator table as CSV: UTF-8 with a byte order mark (so that Excel
/// reads the Chinese as Chinese), a header of the column names kmgov reads,
/// and text a spreadsheet would run as a formula written with a `'` before
/// it, which reading the table takes off again.
pub fn to_csv(definition: &Definition) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let header: Vec<&str> = Field::ALL.iter().map(|f| f.key()).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for row in rows(definition) {
        let cells = [
            row.id,
            row.name,
            row.parent.unwrap_or_default(),
            row.level.to_string(),
            row.weight.map(number_text).unwrap_or_default(),
            row.direction.map(|d| d.to_string()).unwrap_or_default(),
            row.goalposts.map(|g| number_text(g.lo)).unwrap_or_default(),
            row.goalposts.map(|g| number_text(g.hi)).unwrap_or_default(),
            row.unit.unwrap_or_default(),
            row.normalize.map(|n| n.to_string()).unwrap_or_default(),
            row.aggregate.map(|a| a.to_string()).unwrap_or_default(),
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_field(&mut out, cell);
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// One CSV field, as the CSV output writes text: quoted when it holds a
/// separator (`,` or `;`), a quote or a line break, or begins or ends with
/// a space; with a `'` before a formula.
pub(super) fn push_field(out: &mut String, text: &str) {
    let special = text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r' | b';'));
    let quote = special || text.starts_with(' ') || text.ends_with(' ');
    if quote {
        out.push('"');
    }
    if guarded(text) {
        out.push('\'');
    }
    if quote {
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> String {
        let mut out = String::new();
        push_field(&mut out, text);
        out
    }

    #[test]
    fn fields_are_written_as_the_csv_output_writes_them() {
        for text in [
            "plain",
            "a,b",
            "say \"hi\"",
            "=SUM(A1)",
            "-x",
            "@a",
            "-1.5",
            "a;b",
            " x",
            "指标",
            "+2",
            "",
        ] {
            let mut ours = String::new();
            push_field(&mut ours, text);
            let mut export = String::new();
            crate::export::push_field(&mut export, text, false);
            assert_eq!(ours, export, "{text}");
        }
        // A text that already begins with `'` before a formula gets one more,
        // so that reading it back takes off exactly the one added.
        assert_eq!(field("'=x"), "''=x");
        assert_eq!(field("'abc"), "'abc");
    }

    #[test]
    fn the_built_in_definition_is_a_table_of_every_node() {
        let definition = Definition::builtin();
        let rows = rows(&definition);
        assert_eq!(rows.len(), 1 + 3 + 46);
        assert_eq!(
            (rows[0].name.as_str(), rows[0].level),
            ("Kunming Social Governance Index", 0)
        );
        assert_eq!(rows[1].id, "vitality");
        assert_eq!(rows[1].parent, None);
        assert_eq!(rows[2].parent.as_deref(), Some("vitality"));
        assert_eq!(rows[2].level, 2);
        assert!(rows.iter().skip(2).all(|r| r.level <= 2));
        let csv = String::from_utf8(to_csv(&definition)).unwrap();
        assert!(csv.starts_with(
            "\u{feff}id,name,parent,level,weight,direction,goalpost_lo,goalpost_hi,unit,normalize,aggregate\n\
             ,Kunming Social Governance Index,,0,,,,,,,\n\
             vitality,社会活力,,1,1,,,,,,\n"
        ));
        assert!(
            csv.contains("\nvolunteer_activity,志愿者活跃度,vitality,2,1,higher,20,80,%,,\n"),
            "{csv}"
        );
    }
}
