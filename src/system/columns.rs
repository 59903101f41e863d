//! The table's columns: the header row found, each cell of it recognised by
//! its English or Chinese name (ignoring case, spaces, `_`, `-`, full-width
//! letters and a unit in brackets, as in `权重（%）`).

use std::collections::HashMap;

use crate::error::{Problem, list_some};

use super::cells::{Grid, Line, Source, letters};
use super::error::TableError;

/// A column of the indicator table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The node's id: a dimension's or group's key, an indicator's data column.
    Id,
    /// The display name.
    Name,
    /// The id (or name) of the node above; blank for a dimension.
    Parent,
    /// 1 for a dimension (一级指标), 2, 3 … below; 0 for the index itself.
    Level,
    /// The weight among siblings.
    Weight,
    /// Higher or lower is better.
    Direction,
    /// The goalpost that scores 0 (for a higher-is-better indicator).
    Lo,
    /// The goalpost that scores 100.
    Hi,
    /// The measurement unit.
    Unit,
    /// An indicator's own normalization.
    Normalize,
    /// A dimension's or group's own aggregator.
    Aggregate,
}

impl Field {
    /// Every column, in the order the table is written.
    pub const ALL: [Field; 11] = [
        Field::Id,
        Field::Name,
        Field::Parent,
        Field::Level,
        Field::Weight,
        Field::Direction,
        Field::Lo,
        Field::Hi,
        Field::Unit,
        Field::Normalize,
        Field::Aggregate,
    ];

    /// The column's name as kmgov writes it.
    pub fn key(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Name => "name",
            Field::Parent => "parent",
            Field::Level => "level",
            Field::Weight => "weight",
            Field::Direction => "direction",
            Field::Lo => "goalpost_lo",
            Field::Hi => "goalpost_hi",
            Field::Unit => "unit",
            Field::Normalize => "normalize",
            Field::Aggregate => "aggregate",
        }
    }

    /// The other names the column is known by.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["code", "指标", "指标代码", "代码", "编码", "指标编码"],
            Field::Name => &["名称", "指标名称", "名字"],
            Field::Parent => &[
                "parent id",
                "上级",
                "上级指标",
                "上级代码",
                "父级",
                "父节点",
                "所属指标",
            ],
            Field::Level => &["层级", "级别", "层次", "指标层级"],
            Field::Weight => &["权重", "指标权重", "权数", "权重系数"],
            Field::Direction => &["polarity", "方向", "指标方向", "指标属性", "正负向"],
            Field::Lo => &["lo", "lower", "下限", "下限值"],
            Field::Hi => &["hi", "upper", "上限", "上限值"],
            Field::Unit => &["单位", "计量单位"],
            Field::Normalize => &[
                "normalise",
                "normalization",
                "标准化",
                "标准化方法",
                "无量纲化",
            ],
            Field::Aggregate => &["aggregation", "聚合", "聚合方法", "合成方法"],
        }
    }
}

/// Every accepted name of every column, for hints.
pub(super) fn accepted_names(fields: &[Field]) -> String {
    let each: Vec<String> = fields
        .iter()
        .map(|field| {
            let names: Vec<&str> = std::iter::once(field.key())
                .chain(field.aliases().iter().copied())
                .collect();
            names.join("/")
        })
        .collect();
    format!("the columns read are {}", each.join(", "))
}

/// A header cell as compared: folded (full-width, invisible characters,
/// Unicode forms), lowercase, without spaces, `_`, `-` and `.`.
fn squash(text: &str) -> String {
    let folded = crate::names::fold_full_width(&crate::names::normalize_label(text));
    folded
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header cell without a trailing bracketed unit: `权重(%)` → `权重`.
fn without_unit(squashed: &str) -> Option<&str> {
    let open = squashed.rfind(['(', '（', '[', '【'])?;
    let closed = squashed.ends_with([')', '）', ']', '】']);
    (closed && open > 0).then(|| &squashed[..open])
}

/// Every accepted name, squashed, with its column.
fn names() -> HashMap<String, Field> {
    let mut names = HashMap::new();
    for field in Field::ALL {
        names.insert(squash(field.key()), field);
        for alias in field.aliases() {
            names.insert(squash(alias), field);
        }
    }
    names
}

/// The column a header cell names, if any.
pub(super) fn recognise(header: &str) -> Option<Field> {
    let names = names();
    let squashed = squash(header);
    names
        .get(&squashed)
        .or_else(|| without_unit(&squashed).and_then(|bare| names.get(bare)))
        .copied()
}

/// The accepted name an unrecognised header is a slip of: one letter off
/// (two for a long name), or two letters swapped. Only ASCII names: a
/// Chinese header is a word of its own (`指标解释` is not `指标`).
fn near_miss(header: &str) -> Option<Field> {
    let squashed = squash(header);
    if !squashed.is_ascii() || squashed.len() < 4 {
        return None;
    }
    let allowed = if squashed.len() >= 8 { 2 } else { 1 };
    names()
        .into_iter()
        .filter(|(name, _)| name.is_ascii() && name.len() >= 4)
        .filter_map(|(name, field)| {
            let distance = swaps_and_edits(squashed.as_bytes(), name.as_bytes());
            (distance <= allowed).then_some((distance, field))
        })
        .min_by_key(|(distance, field)| (*distance, field.key()))
        .map(|(_, field)| field)
}

/// The optimal string alignment distance: insertions, deletions,
/// substitutions, and swaps of two neighbours, each costing one.
fn swaps_and_edits(a: &[u8], b: &[u8]) -> usize {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The header: where it is and the column of each field it names.
#[derive(Debug, Clone)]
pub(super) struct Header {
    /// Its index in [`Grid::lines`].
    pub index: usize,
    /// The column (from 0) of each field named.
    pub columns: HashMap<Field, usize>,
}

impl Header {
    /// The column of `field`, if the table has it.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).copied()
    }
}

/// How many rows from the top are searched for the header: a title or a
/// note or two may stand above it.
const HEADER_SEARCH_ROWS: usize = 20;

/// Finds the header row: the first row naming both an id and a parent
/// column. Rows above it are skipped with a note; unrecognised columns are
/// warned about, and those that look like a slip of a known name are errors.
pub(super) fn header(
    grid: &Grid,
    errors: &mut Vec<TableError>,
    warnings: &mut Vec<Problem>,
    notes: &mut Vec<String>,
) -> Result<Header, TableError> {
    let source = &grid.source;
    let candidates = grid.lines.iter().take(HEADER_SEARCH_ROWS).enumerate();
    let mut best: Option<(usize, usize)> = None;
    for (index, line) in candidates {
        let fields: Vec<Field> = line
            .cells
            .iter()
            .filter_map(|c| recognise(&c.text))
            .collect();
        if fields.contains(&Field::Id) && fields.contains(&Field::Parent) {
            if index > 0 {
                notes.push(skipped_note(source, &grid.lines[..index], line.number));
            }
            return Ok(columns(source, line, index, errors, warnings));
        }
        if best.is_none_or(|(_, count)| fields.len() > count) {
            best = Some((index, fields.len()));
        }
    }
    let line = best.map(|(index, _)| &grid.lines[index]);
    let found: Vec<Field> = line
        .map(|l| l.cells.iter().filter_map(|c| recognise(&c.text)).collect())
        .unwrap_or_default();
    let missing: Vec<Field> = [Field::Id, Field::Parent]
        .into_iter()
        .filter(|f| !found.contains(f))
        .collect();
    let shown = match line {
        Some(line) => {
            let cells: Vec<String> = line
                .cells
                .iter()
                .map(|c| format!("`{}`", echo(&c.text)))
                .collect();
            format!(
                "{} on {}",
                list_some(&cells, 8),
                source.row_name(line.number)
            )
        }
        None => "nothing: the table is empty".to_string(),
    };
    Err(TableError::NoHeader {
        path: source.shown(),
        missing: missing.iter().map(|f| f.key()).collect(),
        found: shown,
        accepted: accepted_names(&missing),
    })
}

/// The note that says which rows above the header were left out.
fn skipped_note(source: &Source, above: &[Line], header: u64) -> String {
    let first = above[0]
        .cells
        .first()
        .map(|c| echo(&c.text))
        .unwrap_or_default();
    format!(
        "{}: the header is {}; the {} row(s) above it (`{first}` …) are not read",
        source.shown(),
        source.row_name(header),
        above.len()
    )
}

/// The fields of a header row; two cells naming one field, and a cell that
/// looks like a slip of a field's name, are errors; other cells warnings.
fn columns(
    source: &Source,
    line: &Line,
    index: usize,
    errors: &mut Vec<TableError>,
    warnings: &mut Vec<Problem>,
) -> Header {
    let mut columns: HashMap<Field, usize> = HashMap::new();
    let mut ignored = Vec::new();
    for cell in &line.cells {
        let at = source.cell(line.number, cell.column);
        match recognise(&cell.text) {
            Some(field) => {
                if let Some(&first) = columns.get(&field) {
                    errors.push(TableError::at(
                        at,
                        format!("column `{}`", echo(&cell.text)),
                        format!(
                            "names the {} column, as column {} does already",
                            field.key(),
                            letters(first)
                        ),
                        "keep one of the two columns, or rename one",
                    ));
                } else {
                    columns.insert(field, cell.column);
                }
            }
            None => match near_miss(&cell.text) {
                Some(field) if !columns.contains_key(&field) => errors.push(TableError::at(
                    at,
                    format!("column `{}`", echo(&cell.text)),
                    format!(
                        "is not a column of the indicator table; did you mean {}?",
                        field.key()
                    ),
                    format!("rename it {}; {}", field.key(), accepted_names(&Field::ALL)),
                )),
                _ => ignored.push((at, cell.text.clone())),
            },
        }
    }
    if !ignored.is_empty() {
        let names: Vec<String> = ignored
            .iter()
            .map(|(_, n)| format!("`{}`", echo(n)))
            .collect();
        warnings.push(
            Problem::warning(
                ignored[0].0.clone(),
                format!(
                    "{} {} not a column of the indicator table and {} ignored",
                    list_some(&names, 8),
                    if names.len() == 1 { "is" } else { "are" },
                    if names.len() == 1 { "is" } else { "are" },
                ),
            )
            .with_hint(format!(
                "nothing, if they are notes; otherwise rename them: {}",
                accepted_names(&Field::ALL)
            )),
        );
    }
    Header { index, columns }
}

/// Text from the table as echoed in a message.
pub(super) fn echo(text: &str) -> String {
    crate::error::echo(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_known_in_english_and_chinese_however_spelt() {
        for (text, field) in [
            ("id", Field::Id),
            ("ID", Field::Id),
            ("指标代码", Field::Id),
            ("编码", Field::Id),
            ("名称", Field::Name),
            ("Parent", Field::Parent),
            ("上级指标", Field::Parent),
            ("父级", Field::Parent),
            ("层级", Field::Level),
            ("权重", Field::Weight),
            ("权重（%）", Field::Weight),
            ("Weight (%)", Field::Weight),
            ("方向", Field::Direction),
            ("Goalpost Lo", Field::Lo),
            ("goalpost-hi", Field::Hi),
            ("GOALPOST_LO", Field::Lo),
            ("下限", Field::Lo),
            ("上限", Field::Hi),
            ("单位", Field::Unit),
            ("ｕｎｉｔ", Field::Unit),
            ("标准化", Field::Normalize),
            ("聚合", Field::Aggregate),
            (" level ", Field::Level),
        ] {
            assert_eq!(recognise(text), Some(field), "{text}");
        }
        for text in ["说明", "序号", "数据来源", "指标解释", "(%)", ""] {
            assert_eq!(recognise(text), None, "{text}");
        }
    }

    #[test]
    fn slips_of_a_name_are_told_from_other_columns() {
        assert_eq!(near_miss("wieght"), Some(Field::Weight));
        assert_eq!(near_miss("parnet"), Some(Field::Parent));
        assert_eq!(near_miss("goalpost_low"), Some(Field::Lo));
        assert_eq!(near_miss("direciton"), Some(Field::Direction));
        assert_eq!(near_miss("notes"), None);
        assert_eq!(near_miss("source"), None);
        assert_eq!(near_miss("说明"), None);
        assert_eq!(near_miss("ids"), None);
    }

    #[test]
    fn the_distance_counts_a_swap_as_one() {
        assert_eq!(swaps_and_edits(b"wieght", b"weight"), 1);
        assert_eq!(swaps_and_edits(b"abc", b"abc"), 0);
        assert_eq!(swaps_and_edits(b"", b"abc"), 3);
        assert_eq!(swaps_and_edits(b"kitten", b"sitting"), 3);
    }
}
