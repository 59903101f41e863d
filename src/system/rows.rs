//! The table's rows as values: each cell of a known column read as an id,
//! a number or one of the words a column takes (`正向`, `二级指标`,
//! `geometric` …), or a problem at that cell.

use crate::data::number::{Commas, parse_cell_in};
use crate::definition::{Aggregate, Direction, Normalize};
use crate::limits::MAX_TREE_LEVELS;

use super::cells::{Cell, Grid, Line, Source};
use super::columns::{Field, Header, echo};
use super::error::TableError;

/// A value with the column it was read from.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Spot<T> {
    /// The value.
    pub value: T,
    /// Its column, from 0.
    pub column: usize,
}

impl<T> Spot<T> {
    /// `value`, read from `column`.
    fn at(value: T, column: usize) -> Spot<T> {
        Spot { value, column }
    }
}

/// A weight as written: its value, and whether it was a percentage (`25%`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Weight {
    pub value: f64,
    pub percent: bool,
}

/// One row of the table (one node of the tree), as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Entry {
    /// Its line (CSV) or row (sheet).
    pub number: u64,
    pub id: Option<Spot<String>>,
    pub name: Option<Spot<String>>,
    pub parent: Option<Spot<String>>,
    pub level: Option<Spot<usize>>,
    pub weight: Option<Spot<Weight>>,
    pub direction: Option<Spot<Direction>>,
    pub lo: Option<Spot<f64>>,
    pub hi: Option<Spot<f64>>,
    pub unit: Option<Spot<String>>,
    pub normalize: Option<Spot<Normalize>>,
    pub aggregate: Option<Spot<Aggregate>>,
    /// The fields written but not readable (already reported): neither
    /// blank nor a value, for the checks that compare siblings.
    pub unreadable: Vec<Field>,
}

impl Entry {
    /// True when the row has something in `field`, readable or not.
    pub fn gives(&self, field: Field) -> bool {
        self.unreadable.contains(&field)
            || match field {
                Field::Id => self.id.is_some(),
                Field::Name => self.name.is_some(),
                Field::Parent => self.parent.is_some(),
                Field::Level => self.level.is_some(),
                Field::Weight => self.weight.is_some(),
                Field::Direction => self.direction.is_some(),
                Field::Lo => self.lo.is_some(),
                Field::Hi => self.hi.is_some(),
                Field::Unit => self.unit.is_some(),
                Field::Normalize => self.normalize.is_some(),
                Field::Aggregate => self.aggregate.is_some(),
            }
    }
}

/// The rows below the header, blank ones left out, each cell of a known
/// column read; a cell that cannot be read is an error at that cell.
pub(super) fn entries(grid: &Grid, header: &Header, errors: &mut Vec<TableError>) -> Vec<Entry> {
    grid.lines[header.index + 1..]
        .iter()
        .filter_map(|line| entry(line, header, &grid.source, errors))
        .collect()
}

/// One row; `None` when every known column is blank in it.
fn entry(
    line: &Line,
    header: &Header,
    source: &Source,
    errors: &mut Vec<TableError>,
) -> Option<Entry> {
    let mut entry = Entry {
        number: line.number,
        ..Entry::default()
    };
    let mut any = false;
    for field in Field::ALL {
        let Some(cell) = header.column(field).and_then(|c| line.get(c)) else {
            continue;
        };
        any = true;
        let at = || source.cell(line.number, cell.column);
        let item = match &entry.id {
            Some(id) => format!("row `{}`, {}", echo(&id.value), field.key()),
            None => field.key().to_string(),
        };
        if let Some(why) = &cell.unusable {
            errors.push(TableError::at(
                at(),
                item,
                format!("the cell {why}"),
                "write the value as text or a plain number",
            ));
            entry.unreadable.push(field);
            continue;
        }
        let text = clean(&cell.text);
        if text.is_empty() {
            continue;
        }
        if let Err((message, hint)) = read_field(&mut entry, field, cell, text, source.commas) {
            errors.push(TableError::at(at(), item, message, hint));
            entry.unreadable.push(field);
        }
    }
    any.then_some(entry)
}

/// Reads one cell into its field of `entry`, or says why it cannot.
fn read_field(
    entry: &mut Entry,
    field: Field,
    cell: &Cell,
    text: &str,
    commas: Commas,
) -> Result<(), (String, String)> {
    let column = cell.column;
    let words = |accepted: &str| {
        (
            format!(
                "`{}` is not a {} this column takes",
                echo(text),
                field.key()
            ),
            accepted.to_string(),
        )
    };
    match field {
        Field::Id => entry.id = Some(Spot::at(text.to_string(), column)),
        Field::Name => entry.name = Some(Spot::at(text.to_string(), column)),
        Field::Parent => entry.parent = Some(Spot::at(text.to_string(), column)),
        Field::Unit => entry.unit = Some(Spot::at(text.to_string(), column)),
        Field::Level => {
            let level = level(text).ok_or_else(|| {
                words("write 1 (or 一级) for a dimension, 2 (二级) for the rows under it, and so on; 0 (目标层) for the index itself")
            })?;
            entry.level = Some(Spot::at(level, column));
        }
        Field::Weight => {
            let value = number(cell, text, commas)?;
            if value < 0.0 {
                return Err((
                    format!("weight {} is negative", echo(text)),
                    "weights are relative among siblings: use 0 or a positive number such as 1"
                        .into(),
                ));
            }
            let percent = cell.number.is_none() && text.trim_end().ends_with(['%', '％']);
            entry.weight = Some(Spot::at(Weight { value, percent }, column));
        }
        Field::Direction => {
            if moderate(text) {
                return Err((
                    format!(
                        "`{}`: an indicator best within a range (适度指标) is not supported",
                        echo(text)
                    ),
                    "turn it into a distance from the best value in the data, and make it lower-is-better".into(),
                ));
            }
            let direction = direction(text).ok_or_else(|| {
                words("write higher (正向, +, 1, positive, benefit) or lower (负向, 逆向, -, -1, negative, cost)")
            })?;
            entry.direction = Some(Spot::at(direction, column));
        }
        Field::Lo => entry.lo = Some(Spot::at(number(cell, text, commas)?, column)),
        Field::Hi => entry.hi = Some(Spot::at(number(cell, text, commas)?, column)),
        Field::Normalize => {
            let normalize = normalize(text).ok_or_else(|| {
                words("write minmax, zscore, goalposts, efficacy (功效系数), rank or none")
            })?;
            entry.normalize = Some(Spot::at(normalize, column));
        }
        Field::Aggregate => {
            let aggregate = aggregate(text).ok_or_else(|| {
                words("write arithmetic (算术), geometric (几何) or harmonic (调和)")
            })?;
            entry.aggregate = Some(Spot::at(aggregate, column));
        }
    }
    Ok(())
}

/// A number cell: a workbook's number as it is, text as the data reader
/// reads a cell (`25%`, `1,234.5`, full-width digits).
fn number(cell: &Cell, text: &str, commas: Commas) -> Result<f64, (String, String)> {
    if let Some(value) = cell.number {
        return Ok(value);
    }
    match parse_cell_in(text, commas) {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err((
            format!("`{}` is not a number", echo(text)),
            "write a number, or leave the cell blank".into(),
        )),
        Err(reason) => Err((
            format!("`{}` {reason}", echo(text)),
            "write a plain number such as 0.25".into(),
        )),
    }
}

/// A cell's text as read: trimmed, and without the `'` that a table
/// written by kmgov puts before text a spreadsheet would run as a formula.
pub(super) fn clean(text: &str) -> &str {
    let text = text.trim();
    match text.strip_prefix('\'') {
        Some(rest) if guarded(rest) => rest,
        _ => text,
    }
}

/// True when kmgov writes `text` with a `'` before it: a spreadsheet would
/// run it as a formula (it begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return, and is not a plain number such as `-1.5`), possibly
/// after `'`s of its own, so that reading strips exactly the one added.
pub(super) fn guarded(text: &str) -> bool {
    is_formula(text.trim_start_matches('\''))
}

/// The rule of the CSV output (`export::is_formula`), which this layer
/// cannot reach: text a spreadsheet runs as a formula.
fn is_formula(text: &str) -> bool {
    let Some(&first) = text.as_bytes().first() else {
        return false;
    };
    if !matches!(first, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') {
        return false;
    }
    let plain_number = matches!(first, b'+' | b'-')
        && text[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && text.parse::<f64>().is_ok();
    !plain_number
}

/// A word as compared: full-width folded, lowercase, no spaces.
fn word(text: &str) -> String {
    crate::names::fold_full_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// `higher`, `正向`, `+`, `1` … or `lower`, `负向`, `-`, `-1` ….
pub(super) fn direction(text: &str) -> Option<Direction> {
    let higher = [
        "higher",
        "high",
        "positive",
        "benefit",
        "+",
        "1",
        "+1",
        "正向",
        "正",
        "正指标",
        "效益型",
        "越大越好",
    ];
    let lower = [
        "lower",
        "low",
        "negative",
        "cost",
        "-",
        "-1",
        "负向",
        "负",
        "逆向",
        "反向",
        "逆指标",
        "负指标",
        "成本型",
        "越小越好",
    ];
    let w = word(text);
    if higher.contains(&w.as_str()) {
        Some(Direction::Higher)
    } else if lower.contains(&w.as_str()) {
        Some(Direction::Lower)
    } else {
        None
    }
}

/// `适度`, `区间`: best in a range, which kmgov does not score.
fn moderate(text: &str) -> bool {
    ["适度", "适度指标", "区间", "区间型", "中性", "moderate"].contains(&word(text).as_str())
}

/// A level: a number (`2`, `2.0`), `二级`/`二级指标`/`第二级`/`二层`, `L2`,
/// `level 2`; `目标`/`目标层`/`总指数`/`指数` for the index itself (0).
pub(super) fn level(text: &str) -> Option<usize> {
    let w = word(text);
    if [
        "目标",
        "目标层",
        "总目标",
        "总指数",
        "指数",
        "index",
        "goal",
    ]
    .contains(&w.as_str())
    {
        return Some(0);
    }
    let bare = w
        .strip_prefix("level")
        .or_else(|| w.strip_prefix('l'))
        .unwrap_or(&w);
    if let Ok(value) = bare.parse::<f64>() {
        let whole = value.fract() == 0.0 && (0.0..=MAX_TREE_LEVELS as f64).contains(&value);
        return whole.then_some(value as usize);
    }
    let bare = bare.strip_prefix('第').unwrap_or(bare);
    let bare = bare
        .strip_suffix("指标")
        .or_else(|| bare.strip_suffix("维度"))
        .unwrap_or(bare);
    let bare = bare.strip_suffix(['级', '层'])?;
    let n = bare
        .parse::<usize>()
        .ok()
        .or_else(|| chinese_number(bare))?;
    (1..=MAX_TREE_LEVELS).contains(&n).then_some(n)
}

/// 一 to 十九 as a number.
fn chinese_number(text: &str) -> Option<usize> {
    const DIGITS: [char; 9] = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |c: char| DIGITS.iter().position(|&d| d == c).map(|i| i + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        ['两'] => Some(2),
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', c] => digit(*c).map(|d| 10 + d),
        _ => None,
    }
}

/// A normalization by its kmgov name or a common other one.
pub(super) fn normalize(text: &str) -> Option<Normalize> {
    Some(match word(text).replace('-', "").as_str() {
        "minmax" | "极差" | "极差法" | "极差标准化" | "极值法" | "最大最小值法" => {
            Normalize::Minmax
        }
        "zscore" | "z" | "标准差标准化" | "z分数" => Normalize::Zscore,
        "goalposts" | "goalpost" | "阈值法" => Normalize::Goalposts,
        "efficacy" | "功效系数" | "功效系数法" => Normalize::Efficacy,
        "rank" | "排名" | "排序" | "排名法" => Normalize::Rank,
        "none" | "无" | "原值" => Normalize::None,
        _ => return None,
    })
}

/// An aggregator by its kmgov name or a Chinese one.
pub(super) fn aggregate(text: &str) -> Option<Aggregate> {
    let w = word(text);
    let w = w.strip_prefix("加权").unwrap_or(&w);
    Some(match w {
        "arithmetic" | "算术" | "算术平均" | "算术平均法" | "线性加权" => {
            Aggregate::Arithmetic
        }
        "geometric" | "几何" | "几何平均" | "几何平均法" => Aggregate::Geometric,
        "harmonic" | "调和" | "调和平均" | "调和平均法" => Aggregate::Harmonic,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_are_read_in_every_spelling() {
        for text in [
            "正向",
            "higher",
            "Positive",
            "+",
            "1",
            "benefit",
            "效益型",
            " 正 ",
        ] {
            assert_eq!(direction(text), Some(Direction::Higher), "{text}");
        }
        for text in [
            "负向",
            "逆向",
            "lower",
            "NEGATIVE",
            "-",
            "-1",
            "cost",
            "成本型",
        ] {
            assert_eq!(direction(text), Some(Direction::Lower), "{text}");
        }
        for text in ["适度", "up", "2", "正反"] {
            assert_eq!(direction(text), None, "{text}");
        }
        assert!(moderate("适度"));
    }

    #[test]
    fn levels_are_read_as_numbers_and_as_words() {
        for (text, level) in [
            ("1", 1),
            ("2.0", 2),
            ("一级", 1),
            ("二级指标", 2),
            ("三级", 3),
            ("第四级", 4),
            ("十二级", 12),
            ("L3", 3),
            ("Level 2", 2),
            ("目标层", 0),
            ("0", 0),
        ] {
            assert_eq!(super::level(text), Some(level), "{text}");
        }
        for text in ["2.5", "-1", "17", "高级", "十七级", "级"] {
            assert_eq!(super::level(text), None, "{text}");
        }
    }

    #[test]
    fn methods_are_read_by_their_names() {
        assert_eq!(normalize("min-max"), Some(Normalize::Minmax));
        assert_eq!(normalize("Z-Score"), Some(Normalize::Zscore));
        assert_eq!(normalize("功效系数法"), Some(Normalize::Efficacy));
        assert_eq!(normalize("goalposts"), Some(Normalize::Goalposts));
        assert_eq!(normalize("minimax"), None);
        assert_eq!(aggregate("几何平均"), Some(Aggregate::Geometric));
        assert_eq!(aggregate("加权算术平均"), Some(Aggregate::Arithmetic));
        assert_eq!(aggregate("Harmonic"), Some(Aggregate::Harmonic));
        assert_eq!(aggregate("median"), None);
    }

    #[test]
    fn the_formula_guard_is_taken_off_once() {
        assert_eq!(clean("'=x"), "=x");
        assert_eq!(clean(" '-x "), "-x");
        assert_eq!(clean("''=x"), "'=x");
        assert_eq!(clean("'abc"), "'abc");
        assert_eq!(clean("'-1.5"), "'-1.5");
        assert!(guarded("=x") && guarded("'=x") && guarded("@a"));
        assert!(!guarded("-1.5") && !guarded("x") && !guarded("") && !guarded("'"));
    }
}
