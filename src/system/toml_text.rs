//! The tree written as a kmgov.toml: `[index]`, `[data]`, `[method]`, then
//! `[[dimension]]`, `[[dimension.group]]`, `[[dimension.group.indicator]]` …
//! depth first, nested tables indented by level. Every line that holds a
//! row's value is remembered, so that a problem the definition's own checks
//! find there is told at the table's cell.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::definition::{Columns, Direction, Method};

use super::columns::Field;
use super::rows::Entry;
use super::tree::Plan;

/// The settings written above the tree.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    /// `[index] name`.
    pub name: String,
    /// `[index] label`.
    pub label: Option<String>,
    /// `[index] decimals`.
    pub decimals: Option<usize>,
    /// `[data]`.
    pub columns: Columns,
    /// `[method]`.
    pub method: Method,
    /// True when `[data]` holds kmgov's defaults, to be renamed to the data's columns.
    pub default_columns: bool,
}

/// The TOML text, and the row and column of the table behind each line
/// that holds a row's value.
#[derive(Debug, Clone)]
pub(super) struct Written {
    pub text: String,
    pub places: HashMap<u64, (usize, Field)>,
}

/// A TOML basic string: quotes, backslashes and control characters
/// escaped; everything else (Chinese included) as it is.
pub(super) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML number that reads back as this very number: a whole number as
/// an integer (`20`, which TOML reads into a float exactly below 2^53),
/// else the shortest float (`0.25`, `1e-7`).
pub(super) fn float(x: f64) -> String {
    let x = x + 0.0;
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x}")
    } else {
        format!("{x:?}")
    }
}

/// Text for a comment: on one line, without control characters.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Builds the text line by line, counting lines.
struct Writer<'a> {
    text: String,
    line: u64,
    places: HashMap<u64, (usize, Field)>,
    entries: &'a [Entry],
    plan: &'a Plan,
}

impl Writer<'_> {
    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
        self.line += 1;
    }

    /// `key = value` at `indent`, the line remembered as the row's `field`.
    fn key(&mut self, indent: &str, key: &str, value: &str, row: usize, field: Field) {
        self.places.insert(self.line + 1, (row, field));
        self.line(&format!("{indent}{key} = {value}"));
    }

    /// A node (dimension or group) or an indicator, then what is below it.
    fn node(&mut self, row: usize, table: &str, depth: usize) {
        let (entries, plan) = (self.entries, self.plan);
        let entry = &entries[row];
        let indent = "  ".repeat(depth.saturating_sub(1));
        let indicator = plan.is_indicator(row);
        self.line("");
        self.places.insert(self.line + 1, (row, Field::Id));
        self.line(&format!("{indent}[[{table}]]"));
        let id = entry.id.as_ref().map_or("", |id| id.value.as_str());
        self.key(&indent, "id", &quoted(id), row, Field::Id);
        if let Some(name) = &entry.name {
            self.key(&indent, "name", &quoted(&name.value), row, Field::Name);
        }
        if indicator && let Some(unit) = &entry.unit {
            self.key(&indent, "unit", &quoted(&unit.value), row, Field::Unit);
        }
        if let Some(weight) = &entry.weight {
            self.key(
                &indent,
                "weight",
                &float(weight.value.value),
                row,
                Field::Weight,
            );
        }
        if !indicator {
            if let Some(aggregate) = &entry.aggregate {
                self.key(
                    &indent,
                    "aggregate",
                    &quoted(&aggregate.value.to_string()),
                    row,
                    Field::Aggregate,
                );
            }
            let children = &plan.children[row];
            let below = if children.iter().all(|&c| plan.is_indicator(c)) {
                format!("{table}.indicator")
            } else {
                format!("{table}.group")
            };
            for &child in children {
                self.node(child, &below, depth + 1);
            }
            return;
        }
        let direction = entry
            .direction
            .as_ref()
            .map_or(Direction::Higher, |d| d.value);
        self.key(
            &indent,
            "direction",
            &quoted(&direction.to_string()),
            row,
            Field::Direction,
        );
        if let (Some(lo), Some(hi)) = (&entry.lo, &entry.hi) {
            let value = format!("[{}, {}]", float(lo.value), float(hi.value));
            self.key(&indent, "goalposts", &value, row, Field::Lo);
        }
        if let Some(normalize) = &entry.normalize {
            self.key(
                &indent,
                "normalize",
                &quoted(&normalize.value.to_string()),
                row,
                Field::Normalize,
            );
        }
    }
}

/// The definition text for the tree and the settings; `table` names the
/// table in the opening comment.
pub(super) fn write(plan: &Plan, entries: &[Entry], settings: &Settings, table: &str) -> Written {
    let mut writer = Writer {
        text: String::new(),
        line: 0,
        places: HashMap::new(),
        entries,
        plan,
    };
    writer.line(&format!(
        "# The index definition, written by kmgov from the indicator table {}.",
        comment_text(table)
    ));
    writer.line("# The tree (dimensions, groups, indicators) is the table's; weights are");
    writer.line("# relative among siblings. `kmgov init --table` writes it back as a table.");
    writer.line("");
    writer.line("[index]");
    writer.line(&format!("name = {}", quoted(&settings.name)));
    if let Some(label) = &settings.label {
        writer.line(&format!("label = {}", quoted(label)));
    }
    if let Some(decimals) = settings.decimals {
        writer.line(&format!("decimals = {decimals}"));
    }
    writer.line("");
    writer.line("[data]");
    let columns = &settings.columns;
    if settings.default_columns {
        writer.line(&format!(
            "unit = {}      # the data's column naming the unit (a district, a city): rename to yours",
            quoted(&columns.unit)
        ));
        writer.line(&format!(
            "period = {}  # the data's column naming the period (a year)",
            quoted(&columns.period)
        ));
    } else {
        writer.line(&format!("unit = {}", quoted(&columns.unit)));
        writer.line(&format!("period = {}", quoted(&columns.period)));
    }
    if let Some(population) = &columns.population {
        writer.line(&format!("population = {}", quoted(population)));
    }
    if !columns.groups.is_empty() {
        let groups: Vec<String> = columns.groups.iter().map(|g| quoted(g)).collect();
        writer.line(&format!("groups = [{}]", groups.join(", ")));
    }
    if let Some(code) = &columns.code {
        writer.line(&format!("code = {}", quoted(code)));
    }
    writer.line("");
    writer.line("[method]");
    let method = &settings.method;
    writer.line(&format!(
        "normalize = {}",
        quoted(&method.normalize.to_string())
    ));
    writer.line(&format!("scope = {}", quoted(&method.scope.to_string())));
    if let Some(base) = &method.base_period {
        writer.line(&format!("base_period = {}", quoted(base)));
    }
    writer.line(&format!(
        "aggregate = {}",
        quoted(&method.aggregate.to_string())
    ));
    writer.line(&format!(
        "missing = {}",
        quoted(&method.missing.to_string())
    ));
    writer.line(&format!("total = {}", quoted(&method.total.to_string())));
    for &dimension in &plan.dimensions {
        writer.node(dimension, "dimension", 1);
    }
    Written {
        text: writer.text,
        places: writer.places,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_toml_reads_them() {
        for text in [
            "plain",
            "昆明市社会治理指数",
            "a \"quoted\" name",
            "back\\slash",
            "line\nbreak\r\ttab",
            "bell\u{7}del\u{7f}",
            "'single' and `tick`",
            "",
        ] {
            let toml = format!("key = {}\n", quoted(text));
            let table: toml::Table =
                toml::from_str(&toml).unwrap_or_else(|e| panic!("{toml}: {e}"));
            assert_eq!(table["key"].as_str(), Some(text), "{toml}");
        }
    }

    #[test]
    fn floats_read_back_exactly() {
        for x in [
            1.0,
            0.25,
            1e-7,
            1e100,
            1e-100,
            0.1 + 0.2,
            123456.0,
            -5.5,
            3e-90,
            1e21,
        ] {
            let toml = format!("key = {}\n", float(x));
            #[derive(serde::Deserialize)]
            struct Key {
                key: f64,
            }
            let read: Key = toml::from_str(&toml).unwrap_or_else(|e| panic!("{toml}: {e}"));
            assert_eq!(read.key, x, "{toml}");
        }
        assert_eq!(float(-0.0), "0");
        assert_eq!(float(20.0), "20");
    }
}
