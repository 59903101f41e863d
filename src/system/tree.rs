//! The rows as a tree: each row's parent found (by id, else by a name that
//! only one row has), the index's own row (目标层) recognised, and every
//! problem that keeps the rows from being one tree reported at its cell:
//! a cycle, an unknown parent, a duplicate id, a node holding both
//! indicators and groups, a level that disagrees with the depth, siblings
//! weighted half-way, goalposts given by halves.
//!
//! Parent chains are walked with loops, never recursion, so that a table of
//! any shape stays within the stack; every walk visits a row once.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::data::Suggester;
use crate::error::{Location, list_some, number_text};
use crate::limits::MAX_TREE_LEVELS;
use crate::names::normalize_label;

use super::cells::{Source, letters};
use super::columns::{Field, Header, echo};
use super::error::TableError;
use super::rows::Entry;

/// The tree the rows make, by row index.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    /// The row of the index itself, when the table has one.
    pub root: Option<usize>,
    /// The dimensions (一级指标), in table order.
    pub dimensions: Vec<usize>,
    /// Each row's children, in table order.
    pub children: Vec<Vec<usize>>,
    /// Each row's level: 1 for a dimension, 0 for the index's own row.
    pub depth: Vec<usize>,
}

impl Plan {
    /// True when the row is an indicator (a leaf).
    pub fn is_indicator(&self, row: usize) -> bool {
        self.children[row].is_empty() && Some(row) != self.root
    }
}

/// What a row is, in messages.
fn noun(depth: usize, leaf: bool, root: bool) -> &'static str {
    if root {
        "the index"
    } else if leaf {
        "indicator"
    } else if depth == 1 {
        "dimension"
    } else {
        "group"
    }
}

/// An id or a name as compared: folded as the data reader folds names.
fn key(text: &str) -> String {
    normalize_label(text.trim()).into_owned()
}

/// The first row an id was seen on, and its spelling.
type Seen = HashMap<String, (usize, String)>;

/// The row an id was first seen on, or `None` after recording this one.
fn seen_before(seen: &mut Seen, key: &str, place: &(usize, String)) -> Option<(usize, String)> {
    match seen.get(key) {
        Some(first) => Some(first.clone()),
        None => {
            seen.insert(key.to_string(), place.clone());
            None
        }
    }
}

/// Builds the tree, or reports why the rows do not make one.
pub(super) struct Builder<'a> {
    entries: &'a [Entry],
    source: &'a Source,
    header: &'a Header,
    errors: &'a mut Vec<TableError>,
    notes: &'a mut Vec<String>,
    /// Rows left out of the later checks: their problem is reported, and
    /// the rows below them would only repeat it.
    broken: Vec<bool>,
}

impl<'a> Builder<'a> {
    /// A builder over the rows.
    pub fn new(
        entries: &'a [Entry],
        source: &'a Source,
        header: &'a Header,
        errors: &'a mut Vec<TableError>,
        notes: &'a mut Vec<String>,
    ) -> Builder<'a> {
        Builder {
            entries,
            source,
            header,
            errors,
            notes,
            broken: vec![false; entries.len()],
        }
    }

    /// The tree; `None` when the rows do not make one (the errors say why).
    pub fn build(mut self) -> Option<Plan> {
        if self.entries.is_empty() {
            self.push(
                self.source.whole(),
                String::new(),
                "the table has a header but no rows".into(),
                "add a row for each dimension, group and indicator",
            );
            return None;
        }
        let parents = self.parents();
        self.cycles(&parents);
        let mut children = vec![Vec::new(); self.entries.len()];
        let mut tops = Vec::new();
        for (row, parent) in parents.iter().enumerate() {
            if self.broken[row] {
                continue;
            }
            match parent {
                Some(p) => children[*p].push(row),
                None => tops.push(row),
            }
        }
        if tops.is_empty() {
            return None;
        }
        let root = self.root(&tops, &children);
        // The dimensions: the rows under the index's own row and any other
        // rows without a parent, in table order.
        let mut dimensions: Vec<usize> =
            tops.iter().copied().filter(|&t| Some(t) != root).collect();
        if let Some(r) = root {
            dimensions.extend(children[r].iter().copied());
            dimensions.sort_unstable();
        }
        if dimensions.is_empty() {
            self.push(
                self.source.whole(),
                String::new(),
                "the table has no dimension (一级指标): no row hangs under the index".into(),
                "add a row for each dimension, with the index's row (or nothing) as its parent",
            );
            return None;
        }
        let depth = self.depths(root, &dimensions, &children);
        let plan = Plan {
            root,
            dimensions,
            children,
            depth,
        };
        if self.flat(&plan) {
            return None;
        }
        self.empty_dimensions(&plan);
        self.mixed(&plan);
        self.levels(&plan);
        self.placement(&plan);
        self.goalposts(&plan);
        self.sibling_weights(&plan);
        self.duplicates(&plan);
        self.missing_ids(&plan);
        Some(plan)
    }

    /// The row as named in messages, as `what`: ``indicator `x` ``.
    fn named(&self, row: usize, what: &str) -> String {
        let entry = &self.entries[row];
        match (&entry.id, &entry.name) {
            (Some(id), _) => format!("{what} `{}`", echo(&id.value)),
            (None, Some(name)) => format!("{what} named `{}`", echo(&name.value)),
            (None, None) => what.to_string(),
        }
    }

    /// The row as named in messages before its kind is known.
    fn item(&self, row: usize) -> String {
        self.named(row, "row")
    }

    /// The row as named in messages, by its kind in the tree.
    fn kind_item(&self, row: usize, plan: &Plan) -> String {
        let what = noun(
            plan.depth[row],
            plan.is_indicator(row),
            plan.root == Some(row),
        );
        self.named(row, what)
    }

    /// A row by its id (else its line), for lists in messages.
    fn short(&self, row: usize) -> String {
        let entry = &self.entries[row];
        entry.id.as_ref().map_or_else(
            || self.source.row_name(entry.number),
            |id| format!("`{}`", echo(&id.value)),
        )
    }

    /// Rows by their line (CSV) or row (sheet) numbers: `lines 3, 5`.
    fn numbers(&self, rows: &[usize]) -> String {
        let numbers: Vec<String> = rows
            .iter()
            .map(|&r| self.entries[r].number.to_string())
            .collect();
        let word = if self.source.sheet.is_some() {
            "row"
        } else {
            "line"
        };
        let plural = if rows.len() == 1 { "" } else { "s" };
        format!("{word}{plural} {}", list_some(&numbers, 5))
    }

    /// Where a row's `field` is, else where the row is.
    fn at(&self, row: usize, field: Field) -> Location {
        let number = self.entries[row].number;
        match self.header.column(field) {
            Some(column) => self.source.cell(number, column),
            None => self.source.row(number),
        }
    }

    fn push(&mut self, at: Location, item: String, message: String, hint: &str) {
        self.errors.push(TableError::at(at, item, message, hint));
    }

    /// The row each row's parent names: by id, else by a name.
    fn parents(&mut self) -> Vec<Option<usize>> {
        let mut by_id: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (row, entry) in self.entries.iter().enumerate() {
            if let Some(id) = &entry.id {
                by_id.entry(key(&id.value)).or_default().push(row);
            }
            if let Some(name) = &entry.name {
                by_name.entry(key(&name.value)).or_default().push(row);
            }
        }
        let entries = self.entries;
        let mut suggester = Suggester::new(
            entries
                .iter()
                .filter_map(|e| e.id.as_ref().map(|id| id.value.as_str())),
        );
        let mut ambiguous_said = HashSet::new();
        let mut by_name_rows = Vec::new();
        let mut parents = vec![None; entries.len()];
        for row in 0..entries.len() {
            let Some(parent) = &entries[row].parent else {
                continue;
            };
            let wanted = key(&parent.value);
            let others = |rows: Option<&Vec<usize>>| -> Vec<usize> {
                rows.into_iter()
                    .flatten()
                    .copied()
                    .filter(|&r| r != row)
                    .collect()
            };
            let with_id = others(by_id.get(&wanted));
            let found = if with_id.is_empty() {
                let with_name = others(by_name.get(&wanted));
                let found = self.choose(row, &with_name);
                if matches!(found, Ok(Some(_))) {
                    by_name_rows.push(row);
                }
                found
            } else {
                self.choose(row, &with_id)
            };
            match found {
                Ok(Some(p)) => parents[row] = Some(p),
                Ok(None) => {
                    self.broken[row] = true;
                    let itself = by_id.get(&wanted).is_some_and(|rows| rows == &[row]);
                    self.unknown_parent(row, itself, &mut suggester);
                }
                Err(candidates) => {
                    self.broken[row] = true;
                    if ambiguous_said.insert(wanted) {
                        self.ambiguous(row, &candidates);
                    }
                }
            }
        }
        if !by_name_rows.is_empty() {
            self.notes.push(format!(
                "{}: the parent of {} row(s) ({}) is another row's name rather than its id: read as that row",
                self.source.shown(),
                by_name_rows.len(),
                self.numbers(&by_name_rows)
            ));
        }
        parents
    }

    /// The one row among `candidates` a parent names: the only one, else the
    /// only one without a parent itself (a dimension and an indicator may
    /// share an id, and only the dimension can be a parent), else the only
    /// one a level above. `Err` with the candidates when several remain.
    fn choose(&self, row: usize, candidates: &[usize]) -> Result<Option<usize>, Vec<usize>> {
        match candidates {
            [] => return Ok(None),
            [one] => return Ok(Some(*one)),
            _ => {}
        }
        let tops: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&c| self.entries[c].parent.is_none())
            .collect();
        if let [one] = tops.as_slice() {
            return Ok(Some(*one));
        }
        if let Some(level) = &self.entries[row].level {
            let above: Vec<usize> = candidates
                .iter()
                .copied()
                .filter(|&c| {
                    self.entries[c]
                        .level
                        .as_ref()
                        .is_some_and(|l| l.value + 1 == level.value)
                })
                .collect();
            if let [one] = above.as_slice() {
                return Ok(Some(*one));
            }
        }
        Err(candidates.to_vec())
    }

    fn unknown_parent(&mut self, row: usize, itself: bool, suggester: &mut Suggester) {
        let parent = self.entries[row]
            .parent
            .as_ref()
            .map(|p| p.value.clone())
            .unwrap_or_default();
        let (message, hint) = if itself {
            (
                format!("names itself (`{}`) as its parent", echo(&parent)),
                "give the row its parent's id, or leave the parent blank for a dimension (一级指标)"
                    .to_string(),
            )
        } else {
            let hint = match suggester.suggest(&parent) {
                Some(close) => format!(
                    "did you mean `{}`? The parent is the id (or name) of another row",
                    echo(close)
                ),
                None => "the parent is the id (or name) of another row of the table; leave it blank for a dimension (一级指标)".to_string(),
            };
            (
                format!("the parent `{}` is no row's id or name", echo(&parent)),
                hint,
            )
        };
        let item = self.item(row);
        let at = self.at(row, Field::Parent);
        self.push(at, item, message, &hint);
    }

    fn ambiguous(&mut self, row: usize, candidates: &[usize]) {
        let parent = self.entries[row]
            .parent
            .as_ref()
            .map(|p| p.value.clone())
            .unwrap_or_default();
        let item = self.item(row);
        let at = self.at(row, Field::Parent);
        let message = format!(
            "the parent `{}` could be any of the rows on {}",
            echo(&parent),
            self.numbers(candidates)
        );
        self.push(
            at,
            item,
            message,
            "give each row its own id (a level column also tells a dimension from a group)",
        );
    }

    /// Rows whose chain of parents comes back to them, each cycle once;
    /// they and the rows below them are left out of the later checks.
    fn cycles(&mut self, parents: &[Option<usize>]) {
        const NEW: u8 = 0;
        const WALKING: u8 = 1;
        const REACHES_TOP: u8 = 2;
        const CUT_OFF: u8 = 3;
        let mut state = vec![NEW; parents.len()];
        for start in 0..parents.len() {
            let mut path = Vec::new();
            let mut row = start;
            let reaches_top = loop {
                match state[row] {
                    REACHES_TOP => break true,
                    CUT_OFF => break false,
                    WALKING => {
                        let from = path.iter().position(|&r| r == row).unwrap_or(0);
                        self.cycle(&path[from..]);
                        break false;
                    }
                    _ => {}
                }
                if self.broken[row] {
                    break false;
                }
                state[row] = WALKING;
                path.push(row);
                match parents[row] {
                    Some(parent) => row = parent,
                    None => break true,
                }
            };
            for &r in &path {
                state[r] = if reaches_top { REACHES_TOP } else { CUT_OFF };
                self.broken[r] |= !reaches_top;
            }
        }
    }

    /// One cycle, told from its first row in the table.
    fn cycle(&mut self, rows: &[usize]) {
        let start = (0..rows.len()).min_by_key(|&i| rows[i]).unwrap_or(0);
        let order: Vec<usize> = rows[start..]
            .iter()
            .chain(&rows[..start])
            .copied()
            .collect();
        let first = order[0];
        // A long cycle is shown by its start: every id would be a page.
        const SHOWN: usize = 6;
        let mut chain: Vec<String> = order.iter().take(SHOWN).map(|&r| self.short(r)).collect();
        if order.len() > SHOWN {
            chain.push(format!("… ({} more)", order.len() - SHOWN));
        }
        chain.push(self.short(first));
        let message = format!(
            "its parents go round in a circle: {} ({})",
            chain.join(" → "),
            self.numbers(&order)
        );
        let item = self.item(first);
        let at = self.at(first, Field::Parent);
        self.push(
            at,
            item,
            message,
            "one of them must have another parent, or none if it is a dimension (一级指标)",
        );
    }

    /// The row of the index itself (目标层): the one row without a parent
    /// that says so (level 0, 目标层), or, in a table without levels, the
    /// only row without a parent when every row under it holds rows and it
    /// has no weight (said in a note: a dimension would have a weight, and
    /// the composite is the same either way, as one dimension's score is
    /// the composite).
    fn root(&mut self, tops: &[usize], children: &[Vec<usize>]) -> Option<usize> {
        let zero: Vec<usize> = (0..self.entries.len())
            .filter(|&r| !self.broken[r])
            .filter(|&r| self.entries[r].level.as_ref().is_some_and(|l| l.value == 0))
            .collect();
        let root = match (zero.as_slice(), tops) {
            ([only], _) if tops.contains(only) => Some(*only),
            // Taken as the index only when each row under it holds rows
            // in turn: they are then dimensions that hold something.
            ([], [top])
                if !children[*top].is_empty()
                    && children[*top].iter().all(|&c| !children[c].is_empty())
                    && !self.entries[*top].gives(Field::Level) =>
            {
                self.only_top(*top, children[*top].len())
            }
            _ => None,
        };
        for row in zero {
            if Some(row) != root {
                let item = self.item(row);
                let at = self.at(row, Field::Level);
                self.push(
                    at,
                    item,
                    "level 0 is the index itself (目标层): one row, without a parent".into(),
                    "give dimensions level 1, with the index's row (or nothing) as their parent",
                );
                self.broken[row] = true;
            }
        }
        let root = root?;
        let misplaced: Vec<Field> = [
            Field::Weight,
            Field::Direction,
            Field::Lo,
            Field::Hi,
            Field::Unit,
            Field::Normalize,
            Field::Aggregate,
        ]
        .into_iter()
        .filter(|&f| self.entries[root].gives(f))
        .collect();
        for field in misplaced {
            let item = self.item(root);
            let at = self.at(root, field);
            let hint = if field == Field::Aggregate {
                "the index's own aggregation is [method] aggregate in kmgov.toml; clear it here"
            } else {
                "clear it, or give the row level 1 to make it the one dimension"
            };
            self.push(
                at,
                item,
                format!("is the index itself (目标层), which has no {}", field.key()),
                hint,
            );
        }
        Some(root)
    }

    /// The only row without a parent, in a table without a level: the
    /// index itself when it has no weight, else the one dimension.
    fn only_top(&mut self, top: usize, under: usize) -> Option<usize> {
        let at = self.at(top, Field::Id);
        let item = self.item(top);
        if self.entries[top].gives(Field::Weight) {
            self.notes.push(format!(
                "{at}: {item} is the only row without a parent, and has a weight: it is taken as the one dimension (一级指标) of the index; if it is the index itself (目标层), clear its weight or give it level 0"
            ));
            return None;
        }
        self.notes.push(format!(
            "{at}: {item} has no parent, no weight and every other row under it: it is taken as the index itself (目标层), which names the index, and the {under} row(s) under it as the dimensions (一级指标); give it a weight or level 1 to make it the one dimension instead"
        ));
        Some(top)
    }

    /// Each row's level from the top, walked breadth first; a row deeper
    /// than the limit is an error (once per branch), not walked further.
    fn depths(
        &mut self,
        root: Option<usize>,
        dimensions: &[usize],
        children: &[Vec<usize>],
    ) -> Vec<usize> {
        let mut depth = vec![0; self.entries.len()];
        for &d in dimensions {
            depth[d] = 1;
        }
        if let Some(r) = root {
            depth[r] = 0;
        }
        let mut queue: VecDeque<usize> = dimensions.iter().copied().collect();
        while let Some(row) = queue.pop_front() {
            for &child in &children[row] {
                depth[child] = depth[row] + 1;
                if depth[child] <= MAX_TREE_LEVELS {
                    queue.push_back(child);
                    continue;
                }
                let item = self.item(child);
                let at = self.at(child, Field::Parent);
                self.push(
                    at,
                    item,
                    format!(
                        "is level {}, deeper than the {MAX_TREE_LEVELS} levels kmgov reads (indicators included)",
                        depth[child]
                    ),
                    "published indicator systems have three or four levels: merge some levels",
                );
                self.broken[child] = true;
            }
        }
        depth
    }

    /// A table in which no row has a parent: a list, not a tree. One error
    /// rather than one per row.
    fn flat(&mut self, plan: &Plan) -> bool {
        let flat = plan.root.is_none()
            && plan.dimensions.len() > 1
            && plan.dimensions.iter().all(|&d| plan.children[d].is_empty());
        if flat {
            let column = self.header.column(Field::Parent).unwrap_or(0);
            self.push(
                self.source.whole(),
                String::new(),
                format!(
                    "no row has a parent (column {}), so every row would be a dimension with nothing in it",
                    letters(column)
                ),
                "fill in the parent column: each indicator names its dimension or group, each group its dimension; dimensions (一级指标) leave it blank",
            );
        }
        flat
    }

    /// A dimension must hold something.
    fn empty_dimensions(&mut self, plan: &Plan) {
        for &d in &plan.dimensions {
            if self.broken[d] || !plan.children[d].is_empty() {
                continue;
            }
            let under_root = plan.root.is_some() && self.entries[d].parent.is_some();
            let (message, hint) = if under_root {
                (
                    "hangs directly under the index, so it is a dimension (一级指标), but no row names it as its parent",
                    "an indicator belongs under a dimension or a group: give it one as its parent",
                )
            } else {
                (
                    "has no parent, so it is a dimension (一级指标), but no row names it as its parent",
                    "if it is an indicator, give it its dimension or group as parent; if it is a dimension, name it in the parent column of its indicators",
                )
            };
            let item = self.named(d, "dimension");
            let at = self.at(d, Field::Parent);
            self.push(at, item, message.into(), hint);
        }
    }

    /// A dimension or group holds indicators or groups, not both.
    fn mixed(&mut self, plan: &Plan) {
        for row in 0..self.entries.len() {
            if self.broken[row] || Some(row) == plan.root {
                continue;
            }
            let (leaves, nodes): (Vec<usize>, Vec<usize>) = plan.children[row]
                .iter()
                .partition(|&&c| plan.children[c].is_empty());
            if leaves.is_empty() || nodes.is_empty() {
                continue;
            }
            let list = |rows: &[usize]| {
                let names: Vec<String> = rows.iter().map(|&r| self.short(r)).collect();
                list_some(&names, 3)
            };
            let message = format!(
                "holds both indicators ({}) and groups ({}); a dimension or group holds one kind or the other",
                list(&leaves),
                list(&nodes)
            );
            let item = self.kind_item(row, plan);
            let at = self.at(row, Field::Id);
            self.push(
                at,
                item,
                message,
                "put its indicators in a group of their own (a row naming it as parent, and the indicators naming that row), or give the groups' indicators to it directly",
            );
        }
    }

    /// A level, where given, must agree with the depth.
    fn levels(&mut self, plan: &Plan) {
        for row in 0..self.entries.len() {
            if self.broken[row] {
                continue;
            }
            let Some(level) = &self.entries[row].level else {
                continue;
            };
            let (given, column) = (level.value, level.column);
            let expected = plan.depth[row];
            if given == expected {
                continue;
            }
            let place = match expected {
                0 => "it is the index itself (目标层, level 0)".to_string(),
                1 => "it is a dimension (一级指标, level 1)".to_string(),
                _ => format!(
                    "under `{}` (level {}) it is level {expected}",
                    self.parent_of(plan, row),
                    expected - 1
                ),
            };
            let at = self.source.cell(self.entries[row].number, column);
            let item = self.kind_item(row, plan);
            self.push(
                at,
                item,
                format!("level {given} does not match its place in the tree: {place}"),
                "correct the level or the parent: level 1 is a dimension (一级指标), 2 a row under a dimension (二级指标), and so on",
            );
        }
    }

    /// The id of a row's parent, for messages.
    fn parent_of(&self, plan: &Plan, row: usize) -> String {
        (0..self.entries.len())
            .find(|&p| plan.children[p].contains(&row))
            .and_then(|p| self.entries[p].id.as_ref().map(|id| echo(&id.value)))
            .unwrap_or_default()
    }

    /// Indicators' columns on a dimension or group, and a node's on an
    /// indicator: a sign that a parent names the wrong row.
    fn placement(&mut self, plan: &Plan) {
        for row in 0..self.entries.len() {
            if self.broken[row] || Some(row) == plan.root {
                continue;
            }
            let indicator = plan.is_indicator(row);
            let fields: &[Field] = if indicator {
                &[Field::Aggregate]
            } else {
                &[
                    Field::Direction,
                    Field::Lo,
                    Field::Hi,
                    Field::Unit,
                    Field::Normalize,
                ]
            };
            for &field in fields {
                if !self.entries[row].gives(field) {
                    continue;
                }
                let item = self.kind_item(row, plan);
                let at = self.at(row, field);
                let (message, hint) = if indicator {
                    (
                        format!(
                            "has {}, which is for a dimension or group (how its children combine), not an indicator",
                            field.key()
                        ),
                        "clear it, or if this row holds other rows, name it as their parent",
                    )
                } else {
                    let under: Vec<String> =
                        plan.children[row].iter().map(|&c| self.short(c)).collect();
                    (
                        format!(
                            "has {}, which is for indicators, but rows name it as their parent ({})",
                            field.key(),
                            list_some(&under, 3)
                        ),
                        "direction, goalposts, unit and normalize belong on indicator rows; if this row is an indicator, correct the parent of the rows under it",
                    )
                };
                self.push(at, item, message, hint);
            }
        }
    }

    /// Goalposts come in pairs, the lower first.
    fn goalposts(&mut self, plan: &Plan) {
        for row in 0..self.entries.len() {
            if self.broken[row] || !plan.is_indicator(row) {
                continue;
            }
            let entry = &self.entries[row];
            let item = self.kind_item(row, plan);
            match (&entry.lo, &entry.hi) {
                (Some(lo), Some(hi)) if lo.value >= hi.value => {
                    let at = self.source.cell(entry.number, hi.column);
                    let message = format!(
                        "goalposts {} and {} need goalpost_lo below goalpost_hi",
                        number_text(lo.value),
                        number_text(hi.value)
                    );
                    self.push(
                        at,
                        item,
                        message,
                        "goalpost_lo is the value that scores 0 and goalpost_hi the one that scores 100 for a higher-is-better indicator; for a lower-is-better one keep lo below hi and set direction lower",
                    );
                }
                (Some(_), None) | (None, Some(_))
                    if !entry.gives(Field::Lo) || !entry.gives(Field::Hi) =>
                {
                    let (given, missing) = if entry.lo.is_some() {
                        (Field::Lo, Field::Hi)
                    } else {
                        (Field::Hi, Field::Lo)
                    };
                    let at = self.at(row, missing);
                    self.push(
                        at,
                        item,
                        format!("gives {} but no {}", given.key(), missing.key()),
                        "give both goalposts, or neither",
                    );
                }
                _ => {}
            }
        }
    }

    /// Siblings are weighted all or none, and all alike: a percentage
    /// (`25%`, read as 25) among plain numbers (`0.3`) is a slip.
    fn sibling_weights(&mut self, plan: &Plan) {
        let mut sets: Vec<Vec<usize>> = vec![plan.dimensions.clone()];
        sets.extend(
            (0..self.entries.len())
                .filter(|&r| Some(r) != plan.root && !plan.children[r].is_empty())
                .map(|r| plan.children[r].clone()),
        );
        for set in sets {
            let set: Vec<usize> = set.into_iter().filter(|&r| !self.broken[r]).collect();
            let (given, blank): (Vec<usize>, Vec<usize>) = set
                .iter()
                .partition(|&&r| self.entries[r].gives(Field::Weight));
            if !given.is_empty() {
                let names: Vec<String> = given.iter().map(|&r| self.short(r)).collect();
                for &row in &blank {
                    let item = self.kind_item(row, plan);
                    let at = self.at(row, Field::Weight);
                    self.push(
                        at,
                        item,
                        format!(
                            "has no weight, while its siblings {} have one",
                            list_some(&names, 3)
                        ),
                        "give every sibling a weight (weights are relative among siblings), or none for equal weights",
                    );
                }
            }
            let weight = |r: usize| self.entries[r].weight.as_ref();
            let percent = set
                .iter()
                .copied()
                .find(|&r| weight(r).is_some_and(|w| w.value.percent));
            let plain = set
                .iter()
                .copied()
                .find(|&r| weight(r).is_some_and(|w| !w.value.percent));
            if let (Some(percent), Some(plain)) = (percent, plain) {
                let item = self.kind_item(percent, plan);
                let at = self.at(percent, Field::Weight);
                let message = format!(
                    "its weight is a percentage, while that of its sibling {} is a plain number; 25% is read as 25, not 0.25",
                    self.short(plain)
                );
                self.push(
                    at,
                    item,
                    message,
                    "write the weights of siblings alike: all as percentages (25%) or all as plain numbers",
                );
            }
        }
    }

    /// Ids as the definition has them: a dimension's or group's unique
    /// among dimensions and groups, a group's also among indicators, an
    /// indicator's among indicators (a dimension and an indicator may
    /// share one). Compared as the data reader compares names.
    fn duplicates(&mut self, plan: &Plan) {
        let mut nodes = Seen::new();
        let mut indicators = Seen::new();
        let mut groups = Seen::new();
        for row in 0..self.entries.len() {
            if self.broken[row] || Some(row) == plan.root {
                continue;
            }
            let Some(id) = &self.entries[row].id else {
                continue;
            };
            let k = key(&id.value);
            let place = (row, id.value.clone());
            let earlier = if plan.is_indicator(row) {
                seen_before(&mut indicators, &k, &place).or_else(|| groups.get(&k).cloned())
            } else if plan.depth[row] > 1 {
                let earlier =
                    seen_before(&mut nodes, &k, &place).or_else(|| indicators.get(&k).cloned());
                groups.entry(k).or_insert(place);
                earlier
            } else {
                seen_before(&mut nodes, &k, &place)
            };
            let Some((first, spelling)) = earlier else {
                continue;
            };
            let line = self.source.row_name(self.entries[first].number);
            let message = if spelling.trim() == id.value.trim() {
                format!("the id is used twice (first on {line})")
            } else {
                format!(
                    "the id is `{}` ({line}) spelt another way: the data reader folds full-width letters, invisible characters and Unicode forms, so both would read one column",
                    echo(&spelling)
                )
            };
            let item = self.kind_item(row, plan);
            let at = self.source.cell(self.entries[row].number, id.column);
            self.push(
                at,
                item,
                message,
                "give each row its own id (only a dimension and an indicator may share one)",
            );
        }
    }

    /// Every row needs an id: a dimension's or group's names its score
    /// column, an indicator's its data column.
    fn missing_ids(&mut self, plan: &Plan) {
        for row in 0..self.entries.len() {
            if self.broken[row] || self.entries[row].gives(Field::Id) || Some(row) == plan.root {
                continue;
            }
            let (message, hint) = if plan.is_indicator(row) {
                (
                    "has no id: an indicator's id is the name of its column in the data",
                    "fill in the id with the indicator's column name in the data, such as volunteer_rate",
                )
            } else {
                (
                    "has no id: a dimension's or group's id names its column in the scores",
                    "fill in a short id such as vitality",
                )
            };
            let item = self.kind_item(row, plan);
            let at = self.at(row, Field::Id);
            self.push(at, item, message.into(), hint);
        }
    }
}
