//! The tree of dimensions and indicators. Each node has an id, a name and a
//! weight relative to its siblings, checked by one function
//! ([`Validator::node`]) that dimensions and indicators share; the weights of
//! a group of siblings become shares by another ([`Validator::shares`]). A
//! new level of the tree is one more [`Kind`] and one more call of each.

use std::collections::HashMap;

use toml::Spanned;

use super::weights::Place;
use super::{MAX_MAGNITUDE, Validator, data_columns, show};
use crate::definition::raw::{RawDimension, RawIndicator};
use crate::definition::{
    Columns, DIMENSION_COLUMN_SUFFIXES, Dimension, Direction, Goalposts, Indicator, Method,
    Normalize, OUTPUT_COLUMNS,
};
use crate::error::Location;

/// Ids already given to one kind of node, as compared (folded the way the
/// reader folds data names), with the line and spelling of each.
type Ids = HashMap<String, (u64, String)>;

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

impl Validator<'_> {
    /// Every dimension with its indicators, the weights of each group as
    /// shares of its sum, and no id that would name an output column twice.
    pub(super) fn dimensions(
        &mut self,
        raw: Vec<RawDimension>,
        method: &Method,
        columns: &Columns,
    ) -> Vec<Dimension> {
        if raw.is_empty() {
            self.invalid(
                Location::file(self.origin),
                "[[dimension]]".into(),
                "the definition has no dimension".into(),
                "add at least one [[dimension]] with one [[dimension.indicator]]",
            );
        }
        let reserved = data_columns(columns);
        let mut dimension_ids = Ids::new();
        let mut indicator_ids = Ids::new();
        let mut dimensions = Vec::with_capacity(raw.len());
        let mut places = Vec::with_capacity(raw.len());
        let mut id_places = Vec::with_capacity(raw.len());
        for raw_dimension in raw {
            let (dimension, place, at) = self.dimension(
                raw_dimension,
                method,
                &reserved,
                &mut dimension_ids,
                &mut indicator_ids,
            );
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
        self.reserved_ids(&dimensions, &id_places, columns);
        dimensions
    }

    /// One dimension and its indicators, their weights as shares of their
    /// sum; with where the dimension's weight and id are written.
    fn dimension(
        &mut self,
        raw: RawDimension,
        method: &Method,
        reserved: &[&str],
        ids: &mut Ids,
        indicator_ids: &mut Ids,
    ) -> (Dimension, Place, Location) {
        let kind = Kind {
            label: "dimension".into(),
            noun: "dimension",
            empty_hint: "give every dimension a short id such as \"vitality\"",
            twice_hint: "give each dimension its own id",
            // Checked once every dimension is known: see `reserved_ids`.
            reserved: &[],
        };
        let node = self.node(&raw.id, raw.name, raw.weight.as_ref(), &kind, ids);
        if raw.indicators.is_empty() {
            self.invalid(
                node.at.clone(),
                node.item.clone(),
                "has no indicator".into(),
                "add [[dimension.indicator]] entries after it, or remove the dimension",
            );
        }
        let kind = Kind {
            label: format!("dimension `{}`, indicator", node.id),
            noun: "indicator",
            empty_hint: "the id is the CSV column name of the indicator",
            twice_hint: "give each indicator its own id; it is the CSV column name",
            reserved,
        };
        let (mut indicators, places): (Vec<Indicator>, Vec<Place>) = raw
            .indicators
            .into_iter()
            .map(|raw| self.indicator(raw, &kind, method, indicator_ids))
            .unzip();
        let weights: Vec<f64> = indicators.iter().map(|i| i.raw_weight).collect();
        let what = format!("the indicator weights of dimension `{}`", node.id);
        let shares = self.shares(&weights, &what, &node.at, &places);
        for (indicator, share) in indicators.iter_mut().zip(shares) {
            indicator.weight = share;
        }
        let dimension = Dimension {
            id: node.id,
            name: node.name,
            raw_weight: node.raw_weight,
            weight: 0.0,
            indicators,
        };
        (dimension, (node.item, node.weight_at), node.at)
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
                "the id is also the unit, period or population column".into(),
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
    /// columns `<dimension>_rank` / `<dimension>_change`.
    fn reserved_ids(&mut self, dimensions: &[Dimension], places: &[Location], columns: &Columns) {
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
            "reserved ids are {}, the [data] columns ({}), and <dimension id>_rank, <dimension id>_change",
            OUTPUT_COLUMNS.join(", "),
            data_columns.join(", ")
        );
        for (dimension, at) in dimensions.iter().zip(places) {
            let id = dimension.id.as_str();
            let item = format!("dimension `{id}`");
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
                    item,
                    message,
                    &format!("rename the dimension; {reserved_list}"),
                );
            }
            for indicator in &dimension.indicators {
                if let Some(owner) = detail.get(&indicator.id) {
                    let at = indicator.line.map_or_else(
                        || Location::file(self.origin),
                        |line| Location::line(self.origin, line),
                    );
                    self.invalid(
                        at,
                        format!("dimension `{id}`, indicator `{}`", indicator.id),
                        format!("the id `{}` is taken by {owner}", indicator.id),
                        &format!("rename the indicator; {reserved_list}"),
                    );
                }
            }
        }
    }
}
