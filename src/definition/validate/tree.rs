//! The tree of dimensions and indicators. Each node has an id, a name and a
//! weight relative to its siblings, checked by one function
//! ([`Validator::node`]) that dimensions and indicators share; the weights of
//! a group of siblings become shares by another ([`Validator::shares`]). A
//! new level of the tree is one more [`Kind`] and one more call of each.

use std::collections::HashMap;

use toml::Spanned;

use super::weights::Place;
use super::{MAX_MAGNITUDE, Validator, data_columns, show};
use crate::definition::raw::{RawDimension, RawGroup, RawIndicator};
use crate::definition::{
    Children, Columns, DIMENSION_COLUMN_SUFFIXES, Dimension, Direction, Goalposts, Group,
    Indicator, Method, Normalize, OUTPUT_COLUMNS, Parent,
};
use crate::error::Location;
use crate::limits::MAX_TREE_LEVELS;

/// Ids already given, as compared (folded the way the reader folds data
/// names), with the line and spelling of each.
type Seen = HashMap<String, (u64, String)>;

/// The ids of the tree. A group's id is unique across the whole tree; a
/// dimension and an indicator may share one, as two-level definitions
/// always could (a one-indicator dimension named like its indicator).
#[derive(Default)]
struct Ids {
    /// Dimensions and groups: the score columns.
    nodes: Seen,
    /// Indicators: the data columns.
    indicators: Seen,
    /// Groups alone, which indicators may not share either.
    groups: Seen,
}

impl Ids {
    /// Records an id of `noun`'s kind; the earlier node with it, if any.
    fn insert(&mut self, noun: &str, key: String, place: (u64, String)) -> Option<(u64, String)> {
        let (own, other) = match noun {
            "indicator" => (&mut self.indicators, &self.groups),
            "group" => (&mut self.nodes, &self.indicators),
            _ => (&mut self.nodes, &Seen::new()),
        };
        let earlier = other.get(&key).cloned();
        let earlier = own.insert(key.clone(), place.clone()).or(earlier);
        if noun == "group" {
            self.groups.insert(key, place);
        }
        earlier
    }
}

/// How one kind of node (a dimension, an indicator) is named and advised on.
struct Kind<'k> {
    /// The item without its id: `dimension`, ``dimension `a`, indicator``.
    label: String,
    /// The kind in one word, for hints.
    noun: &'static str,
    /// What to do about an empty id.
    empty_hint: &'static str,
    /// What to do about an id used twice.
    twice_hint: &'static str,
    /// Ids this kind may not take: the `[data]` columns, for a CSV column.
    reserved: &'k [&'k str],
}

/// Where the children being checked hang, and what they inherit.
#[derive(Clone, Copy)]
struct Context<'c> {
    method: &'c Method,
    /// Ids an indicator may not take: the `[data]` columns.
    reserved: &'c [&'c str],
    dimension: usize,
    parent: Parent,
    /// The parent's level: 1 for a dimension.
    level: usize,
}

/// What every node has, checked.
struct Node {
    /// The id, trimmed.
    id: String,
    /// The display name (the id when none is given).
    name: String,
    /// The weight as written (0 when out of range).
    raw_weight: f64,
    /// Where the id is written.
    at: Location,
    /// The node as named in messages: ``dimension `a`, indicator `x` ``.
    item: String,
    /// Where the weight is written, else where the id is.
    weight_at: Location,
}

/// The tree under construction: the groups so far (depth first) and the
/// indicators so far, both in definition order.
#[derive(Default)]
struct Tree {
    groups: Vec<Group>,
    indicators: usize,
    /// Where each group's id is written, for the reserved-id check.
    group_places: Vec<Location>,
}

/// What a node holds as written: indicators and groups (one of the two must
/// be empty), with the node as named in messages.
struct Holding<'r> {
    indicators: Vec<RawIndicator>,
    groups: Vec<RawGroup>,
    /// ``dimension `a` `` or ``group `g` ``.
    item: &'r str,
    at: &'r Location,
    /// The TOML table of its children, without the last part: `dimension`,
    /// `dimension.group`.
    table: String,
}

impl Validator<'_> {
    /// Every dimension with its indicators and groups, the weights of each
    /// set of siblings as shares of its sum, and no id that would name an
    /// output column twice.
    pub(super) fn dimensions(
        &mut self,
        raw: Vec<RawDimension>,
        method: &Method,
        columns: &Columns,
    ) -> (Vec<Dimension>, Vec<Group>) {
        if raw.is_empty() {
            self.invalid(
                Location::file(self.origin),
                "[[dimension]]".into(),
                "the definition has no dimension".into(),
                "add at least one [[dimension]] with one [[dimension.indicator]]",
            );
        }
        let reserved = data_columns(columns);
        let mut ids = Ids::default();
        let mut tree = Tree::default();
        let mut dimensions = Vec::with_capacity(raw.len());
        let mut places = Vec::with_capacity(raw.len());
        let mut id_places = Vec::with_capacity(raw.len());
        for raw_dimension in raw {
            let index = dimensions.len();
            let (dimension, place, at) =
                self.dimension(raw_dimension, index, method, &reserved, &mut ids, &mut tree);
            dimensions.push(dimension);
            places.push(place);
            id_places.push(at);
        }
        let weights: Vec<f64> = dimensions.iter().map(|d| d.raw_weight).collect();
        let whole = Location::file(self.origin);
        let shares = self.shares(&weights, "the dimension weights", &whole, &places);
        for (dimension, share) in dimensions.iter_mut().zip(shares) {
            dimension.weight = share;
        }
        self.reserved_ids(&dimensions, &id_places, &tree, columns);
        (dimensions, tree.groups)
    }

    /// One dimension and everything below it; with where the dimension's
    /// weight and id are written.
    fn dimension(
        &mut self,
        raw: RawDimension,
        index: usize,
        method: &Method,
        reserved: &[&str],
        ids: &mut Ids,
        tree: &mut Tree,
    ) -> (Dimension, Place, Location) {
        let kind = Kind {
            label: "dimension".into(),
            noun: "dimension",
            empty_hint: "give every dimension a short id such as \"vitality\"",
            twice_hint: "give each dimension its own id (and each group its own)",
            // Checked once every dimension is known: see `reserved_ids`.
            reserved: &[],
        };
        let node = self.node(&raw.id, raw.name, raw.weight.as_ref(), &kind, ids);
        let first = tree.indicators;
        let mut indicators = Vec::new();
        let holding = Holding {
            indicators: raw.indicators,
            groups: raw.groups,
            item: &node.item,
            at: &node.at,
            table: "dimension".into(),
        };
        let context = Context {
            method,
            reserved,
            dimension: index,
            parent: Parent::Dimension(index),
            level: 1,
        };
        let children = self.children(holding, &context, ids, tree, &mut indicators);
        debug_assert_eq!(tree.indicators - first, indicators.len());
        let dimension = Dimension {
            id: node.id,
            name: node.name,
            raw_weight: node.raw_weight,
            weight: 0.0,
            indicators,
            aggregate: raw.aggregate,
            children,
        };
        (dimension, (node.item, node.weight_at), node.at)
    }

    /// A node's children: its indicators, or its groups (each with what is
    /// below it), their weights as shares of their sum. A node must hold
    /// one kind or the other, and something.
    fn children(
        &mut self,
        holding: Holding,
        context: &Context,
        ids: &mut Ids,
        tree: &mut Tree,
        indicators: &mut Vec<Indicator>,
    ) -> Children {
        let Holding {
            indicators: raw_indicators,
            groups: raw_groups,
            item,
            at,
            table,
        } = holding;
        if raw_indicators.is_empty() && raw_groups.is_empty() {
            self.invalid(
                at.clone(),
                item.to_string(),
                "has no indicator".into(),
                &format!(
                    "add [[{table}.indicator]] entries after it (or [[{table}.group]] entries to nest them), or remove it"
                ),
            );
        } else if !raw_indicators.is_empty() && !raw_groups.is_empty() {
            self.invalid(
                at.clone(),
                item.to_string(),
                format!(
                    "holds both indicators ({}) and groups ({}); a node holds one kind or the other",
                    raw_indicators.len(),
                    raw_groups.len()
                ),
                &format!(
                    "put its indicators in a [[{table}.group]] of their own, or move the groups' indicators up into it"
                ),
            );
        }
        if !raw_groups.is_empty() && context.level + 1 >= MAX_TREE_LEVELS {
            self.invalid(
                at.clone(),
                item.to_string(),
                format!(
                    "its groups would make the tree deeper than {MAX_TREE_LEVELS} levels (indicators included)"
                ),
                "published indicator systems have three or four levels: merge some levels",
            );
            return Children::Groups(Vec::new());
        }
        if raw_groups.is_empty() {
            self.indicators(raw_indicators, item, at, context, ids, tree, indicators)
        } else {
            self.groups(raw_groups, item, at, &table, context, ids, tree, indicators)
        }
    }

    /// A node's indicators, their weights as shares of their sum.
    #[allow(clippy::too_many_arguments)]
    fn indicators(
        &mut self,
        raw: Vec<RawIndicator>,
        parent_item: &str,
        parent_at: &Location,
        context: &Context,
        ids: &mut Ids,
        tree: &mut Tree,
        indicators: &mut Vec<Indicator>,
    ) -> Children {
        let kind = Kind {
            label: format!("{parent_item}, indicator"),
            noun: "indicator",
            empty_hint: "the id is the CSV column name of the indicator",
            twice_hint: "give each indicator its own id (one no group has); it is the CSV column name",
            reserved: context.reserved,
        };
        let (mut own, places): (Vec<Indicator>, Vec<Place>) = raw
            .into_iter()
            .map(|raw| self.indicator(raw, &kind, context.method, ids))
            .unzip();
        let weights: Vec<f64> = own.iter().map(|i| i.raw_weight).collect();
        let what = format!("the indicator weights of {parent_item}");
        let shares = self.shares(&weights, &what, parent_at, &places);
        for (indicator, share) in own.iter_mut().zip(shares) {
            indicator.weight = share;
        }
        let range = tree.indicators..tree.indicators + own.len();
        tree.indicators = range.end;
        indicators.extend(own);
        Children::Indicators(range)
    }

    /// A node's groups, depth first, their weights as shares of their sum.
    #[allow(clippy::too_many_arguments)]
    fn groups(
        &mut self,
        raw: Vec<RawGroup>,
        parent_item: &str,
        parent_at: &Location,
        table: &str,
        context: &Context,
        ids: &mut Ids,
        tree: &mut Tree,
        indicators: &mut Vec<Indicator>,
    ) -> Children {
        let kind = Kind {
            label: format!("{parent_item}, group"),
            noun: "group",
            empty_hint: "give every group a short id such as \"volunteering\"",
            twice_hint: "give each group its own id; ids are unique across dimensions, groups and indicators",
            reserved: &[],
        };
        let table = format!("{table}.group");
        let mut own = Vec::with_capacity(raw.len());
        let mut places = Vec::with_capacity(raw.len());
        for raw_group in raw {
            let node = self.node(
                &raw_group.id,
                raw_group.name,
                raw_group.weight.as_ref(),
                &kind,
                ids,
            );
            let index = tree.groups.len();
            let first = tree.indicators;
            tree.groups.push(Group {
                id: node.id.clone(),
                name: node.name,
                raw_weight: node.raw_weight,
                weight: 0.0,
                aggregate: raw_group.aggregate,
                parent: context.parent,
                dimension: context.dimension,
                level: context.level + 1,
                children: Children::Groups(Vec::new()),
                indicators: first..first,
                line: node.at.line,
            });
            tree.group_places.push(node.at.clone());
            // Named by its own id below, as the unique id makes it unambiguous.
            let item = format!("group `{}`", node.id);
            let holding = Holding {
                indicators: raw_group.indicators,
                groups: raw_group.groups,
                item: &item,
                at: &node.at,
                table: table.clone(),
            };
            let below = Context {
                parent: Parent::Group(index),
                level: context.level + 1,
                ..*context
            };
            let children = self.children(holding, &below, ids, tree, indicators);
            let group = &mut tree.groups[index];
            group.children = children;
            group.indicators = first..tree.indicators;
            own.push(index);
            places.push((node.item, node.weight_at));
        }
        let weights: Vec<f64> = own.iter().map(|&g| tree.groups[g].raw_weight).collect();
        let what = format!("the group weights of {parent_item}");
        let shares = self.shares(&weights, &what, parent_at, &places);
        for (&g, share) in own.iter().zip(shares) {
            tree.groups[g].weight = share;
        }
        Children::Groups(own)
    }

    /// One indicator: the node, its normalization and goalposts.
    fn indicator(
        &mut self,
        raw: RawIndicator,
        kind: &Kind,
        method: &Method,
        ids: &mut Ids,
    ) -> (Indicator, Place) {
        let node = self.node(&raw.id, raw.name, raw.weight.as_ref(), kind, ids);
        let normalize = raw.normalize.unwrap_or(method.normalize);
        let goalposts = match &raw.goalposts {
            Some(spanned) => self.goalposts(spanned, &node.item),
            None => None,
        };
        if normalize == Normalize::Goalposts && raw.goalposts.is_none() {
            self.invalid(
                node.at.clone(),
                node.item.clone(),
                "normalize is \"goalposts\" but no goalposts are given".into(),
                "add goalposts = [lo, hi], or give the indicator another normalize",
            );
        }
        let indicator = Indicator {
            id: node.id,
            name: node.name,
            unit: raw.unit.filter(|u| !u.trim().is_empty()),
            raw_weight: node.raw_weight,
            weight: 0.0,
            direction: raw.direction.unwrap_or(Direction::Higher),
            goalposts,
            normalize,
            normalize_overridden: raw.normalize.is_some(),
            line: node.at.line,
        };
        (indicator, (node.item, node.weight_at))
    }

    /// What every node of the tree has: an id (not empty, not used twice by
    /// its kind, not reserved), a name, a weight in range. Problems in that
    /// order, each naming the node as `kind` does.
    fn node(
        &mut self,
        id: &Spanned<String>,
        name: Option<String>,
        weight: Option<&Spanned<f64>>,
        kind: &Kind,
        ids: &mut Ids,
    ) -> Node {
        let at = self.at(id);
        let id = id.get_ref().trim().to_string();
        let item = format!("{} `{id}`", kind.label);
        self.id(&id, &at, &item, kind, ids);
        let raw_weight = self.weight(weight, &item);
        Node {
            name: name.unwrap_or_else(|| id.clone()),
            id,
            raw_weight,
            weight_at: self.weight_at(weight, &at),
            at,
            item,
        }
    }

    /// One check of an id for every kind of node: empty, used twice, reserved.
    fn id(&mut self, id: &str, at: &Location, item: &str, kind: &Kind, ids: &mut Ids) {
        if id.is_empty() {
            self.invalid(
                at.clone(),
                kind.label.clone(),
                "has an empty id".into(),
                kind.empty_hint,
            );
        } else if let Some((first, spelling)) = ids.insert(
            kind.noun,
            crate::names::normalize_label(id).into_owned(),
            (at.line.unwrap_or(0), id.to_string()),
        ) {
            // `x1` and `ｘ１` (or a copy with an invisible character) read
            // one data column: both would weigh in with the same values.
            let message = if spelling == id {
                format!("the id is used twice (first on line {first})")
            } else {
                format!(
                    "the id is `{spelling}` (line {first}) spelt another way: the data reader folds full-width letters, invisible characters and Unicode forms, so both would read one column"
                )
            };
            self.invalid(at.clone(), item.to_string(), message, kind.twice_hint);
        } else if kind.reserved.contains(&id) {
            self.invalid(
                at.clone(),
                item.to_string(),
                "the id is also a [data] column (unit, period, population, groups or code)".into(),
                &format!("rename the {} or the [data] column", kind.noun),
            );
        }
    }

    /// `goalposts = [lo, hi]`: two numbers within ±1e100, `lo` below `hi`.
    fn goalposts(&mut self, spanned: &Spanned<Vec<f64>>, item: &str) -> Option<Goalposts> {
        let values = spanned.get_ref();
        let (message, hint) = match values.as_slice() {
            [lo, hi] if lo.abs() <= MAX_MAGNITUDE && hi.abs() <= MAX_MAGNITUDE && lo < hi => {
                return Some(Goalposts { lo: *lo, hi: *hi });
            }
            [lo, hi] => (
                format!(
                    "goalposts [{}, {}] need lo < hi, both within ±1e100",
                    show(*lo),
                    show(*hi)
                ),
                "write goalposts = [lo, hi] with the worst plausible value first for a higher-is-better indicator; direction handles lower-is-better",
            ),
            _ => (
                format!("goalposts need two numbers, found {}", values.len()),
                "write goalposts = [lo, hi]",
            ),
        };
        let at = self.at(spanned);
        self.invalid(at, item.to_string(), message, hint);
        None
    }

    /// Ids that would name the same output column as something else: the
    /// fixed output columns, the `[data]` columns, and the per-dimension detail
    /// columns `<dimension>_rank` / `<dimension>_change`. Dimensions and
    /// groups are columns of the score outputs; indicators of the detail.
    fn reserved_ids(
        &mut self,
        dimensions: &[Dimension],
        places: &[Location],
        tree: &Tree,
        columns: &Columns,
    ) {
        let mut detail: HashMap<String, String> = HashMap::new();
        for dimension in dimensions {
            for suffix in DIMENSION_COLUMN_SUFFIXES {
                detail.insert(
                    format!("{}{suffix}", dimension.id),
                    format!(
                        "the {} column of dimension `{}`",
                        &suffix[1..],
                        dimension.id
                    ),
                );
            }
        }
        let data_columns = data_columns(columns);
        let reserved_list = format!(
            "reserved ids are {}, the [data] columns ({}), and <dimension id>_rank, _change, _grade",
            OUTPUT_COLUMNS.join(", "),
            data_columns.join(", ")
        );
        let columns_of_output = dimensions
            .iter()
            .zip(places)
            .map(|(d, at)| ("dimension", d.id.as_str(), at))
            .chain(
                tree.groups
                    .iter()
                    .zip(&tree.group_places)
                    .map(|(g, at)| ("group", g.id.as_str(), at)),
            );
        for (noun, id, at) in columns_of_output {
            let clash = if OUTPUT_COLUMNS.contains(&id) {
                Some(format!(
                    "the id `{id}` is reserved: it names a column of every score output"
                ))
            } else if data_columns.contains(&id) {
                Some(format!("the id `{id}` is also a [data] column"))
            } else {
                detail
                    .get(id)
                    .map(|owner| format!("the id `{id}` is taken by {owner}"))
            };
            if let Some(message) = clash {
                self.invalid(
                    at.clone(),
                    format!("{noun} `{id}`"),
                    message,
                    &format!("rename the {noun}; {reserved_list}"),
                );
            }
        }
        for (dimension, indicator) in dimensions
            .iter()
            .flat_map(|d| d.indicators.iter().map(move |i| (d, i)))
        {
            if let Some(owner) = detail.get(&indicator.id) {
                let at = indicator.line.map_or_else(
                    || Location::file(self.origin),
                    |line| Location::line(self.origin, line),
                );
                self.invalid(
                    at,
                    format!("dimension `{}`, indicator `{}`", dimension.id, indicator.id),
                    format!("the id `{}` is taken by {owner}", indicator.id),
                    &format!("rename the indicator; {reserved_list}"),
                );
            }
        }
    }
}
