//! Period labels read as dates: years, quarters, months and days in the
//! spellings a spreadsheet gives them (`2019-03`, `2019年3月`, `Mar-2019`,
//! `2019M3`, `2019Q1`, `2019-3-1`, …).

/// A period as a date: kind, year, and the part of the year (0 for a
/// year, the quarter, the month, or month × 32 + day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Key {
    pub(super) kind: Kind,
    pub(super) year: i64,
    pub(super) part: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Kind {
    Year,
    Quarter,
    Month,
    Day,
}

/// A four-digit year.
pub(super) fn year(text: &str) -> Option<i64> {
    (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// A two-digit year, as Excel reads one: 00–29 are 2000–2029, 30–99 are
/// 1930–1999.
fn short_year(text: &str) -> Option<i64> {
    let yy: i64 = (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()?;
    Some(if yy < 30 { 2000 + yy } else { 1900 + yy })
}

/// A month, 1–12, in one or two digits.
pub(super) fn month(text: &str) -> Option<i64> {
    number_in(text, 1..=12)
}

/// A number of one or two digits within `range`.
fn number_in(text: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    let ok = (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok())
        .flatten()
        .filter(|n| range.contains(n))
}

/// A day of `month` in `year`, in one or two digits.
fn day(text: &str, year: i64, month: i64) -> Option<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let last = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    number_in(text, 1..=last)
}

/// English month names and their abbreviations, by month.
const MONTHS: [(&str, &str); 12] = [
    ("january", "jan"),
    ("february", "feb"),
    ("march", "mar"),
    ("april", "apr"),
    ("may", "may"),
    ("june", "jun"),
    ("july", "jul"),
    ("august", "aug"),
    ("september", "sep"),
    ("october", "oct"),
    ("november", "nov"),
    ("december", "dec"),
];

/// An English month name or abbreviation (`Jan`, `Jan.`, `January`,
/// `Sept`), any case.
fn month_name(text: &str) -> Option<i64> {
    let text = text.strip_suffix('.').unwrap_or(text);
    let is = |name: &str| text.eq_ignore_ascii_case(name);
    MONTHS
        .iter()
        .position(|&(full, short)| is(full) || is(short))
        .or_else(|| is("sept").then_some(8))
        .map(|m| m as i64 + 1)
}

/// `Q1`…`Q4`, or 1–4 and 一 to 四 before `季度`, with an optional `第`.
fn quarter(text: &str) -> Option<i64> {
    if let Some(q) = text.strip_prefix(['Q', 'q']) {
        return number_in(q, 1..=4);
    }
    let q = text.strip_suffix("季度")?;
    let q = q.strip_prefix('第').unwrap_or(q);
    match q {
        "一" => Some(1),
        "二" => Some(2),
        "三" => Some(3),
        "四" => Some(4),
        _ => number_in(q, 1..=4),
    }
}

/// A label as a date, when it is one of the spellings of rule 3.
pub(super) fn parse(label: &str, dotted_months: bool) -> Option<Key> {
    parse_with_century(label, dotted_months).map(|(key, _)| key)
}

/// [`parse`], and whether the century was assumed (a two-digit year).
pub(super) fn parse_with_century(label: &str, dotted_months: bool) -> Option<(Key, bool)> {
    let text = label.trim();
    let key = |kind, year, part| Some((Key { kind, year, part }, false));
    if let Some(y) = year(text) {
        return key(Kind::Year, y, 0);
    }
    // Byte slices: only on ASCII text, where every byte is a character.
    if text.len() == 6
        && text.is_ascii()
        && let (Some(y), Some(m)) = (year(&text[..4]), month(&text[4..]))
    {
        return key(Kind::Month, y, m);
    }
    if text.len() == 8
        && text.is_ascii()
        && let (Some(y), Some(m)) = (year(&text[..4]), month(&text[4..6]))
        && let Some(d) = day(&text[6..], y, m)
    {
        return key(Kind::Day, y, m * 32 + d);
    }
    if let Some(found) = chinese(text) {
        return Some(found);
    }
    if let Some(found) = month_named(text) {
        return Some(found);
    }
    if let Some(q) = text
        .split_at_checked(2)
        .filter(|(q, _)| q.starts_with(['Q', 'q']))
        .and_then(|(q, rest)| Some((quarter(q)?, rest.strip_prefix([' ', '-', '/'])?)))
        .and_then(|(q, rest)| Some((q, year(rest)?)))
    {
        return key(Kind::Quarter, q.1, q.0);
    }
    let (y, rest) = text.split_at_checked(4)?;
    let y = year(y)?;
    if let Some(found) = numeric_date(y, rest, dotted_months) {
        return key(found.0, y, found.1);
    }
    if let Some(m) = rest
        .trim_start_matches(['-', ' '])
        .strip_prefix(['M', 'm'])
        .and_then(month)
    {
        return key(Kind::Month, y, m);
    }
    let q = rest.trim_start_matches(['-', ' ']);
    if let Some(q) = quarter(q) {
        return key(Kind::Quarter, y, q);
    }
    None
}

/// After a four-digit year: `-01`, `/1`, `.1` (a month, dotted only when
/// `dotted_months`) or `-01-31`, `/1/31`, `.1.31` (a day), with one
/// separator throughout. The kind and the part of the year.
fn numeric_date(y: i64, rest: &str, dotted_months: bool) -> Option<(Kind, i64)> {
    let separator = rest
        .chars()
        .next()
        .filter(|c| ['-', '/', '.'].contains(c))?;
    let mut parts = rest[1..].split(separator);
    let m = month(parts.next()?)?;
    match (parts.next(), parts.next()) {
        (None, _) if separator != '.' || dotted_months => Some((Kind::Month, m)),
        (Some(d), None) => Some((Kind::Day, m * 32 + day(d, y, m)?)),
        _ => None,
    }
}

/// `2019年`, `2019年1月`, `2019年1月31日`, `2019年第1季度`, `2019年一季度`,
/// `2019年Q1`, and the same with a two-digit year (`19年1月`).
fn chinese(text: &str) -> Option<(Key, bool)> {
    let (y, rest) = text.split_once('年')?;
    let (y, guessed) = match year(y) {
        Some(y) => (y, false),
        None => (short_year(y)?, true),
    };
    let key = |kind, part| {
        Some((
            Key {
                kind,
                year: y,
                part,
            },
            guessed,
        ))
    };
    if rest.is_empty() {
        return key(Kind::Year, 0);
    }
    if let Some(q) = quarter(rest) {
        return key(Kind::Quarter, q);
    }
    let (m, rest) = rest.split_once('月')?;
    let m = month(m)?;
    if rest.is_empty() {
        return key(Kind::Month, m);
    }
    let d = day(rest.strip_suffix('日')?, y, m)?;
    key(Kind::Day, m * 32 + d)
}

/// `Jan 2019`, `Jan-2019`, `January 2019`, `Jan. 2019`, `2019-Jan`,
/// `2019 January`, and `Jan-19` (Excel's month format, a two-digit year).
/// `19-Jan` is Excel's day-month format, and is not read as a year.
fn month_named(text: &str) -> Option<(Key, bool)> {
    let letters = text.find(|c: char| !c.is_ascii_alphabetic() && c != '.')?;
    let month_key = |m: i64, y: i64, guessed: bool| {
        Some((
            Key {
                kind: Kind::Month,
                year: y,
                part: m,
            },
            guessed,
        ))
    };
    if letters > 0 {
        let m = month_name(&text[..letters])?;
        let rest = separated(&text[letters..])?;
        if let Some(y) = year(rest) {
            return month_key(m, y, false);
        }
        return month_key(m, short_year(rest)?, true);
    }
    let (y, rest) = text.split_at_checked(4)?;
    let y = year(y)?;
    month_key(month_name(separated(rest)?)?, y, false)
}

/// `text` after one separator (`-`, `/`, `.`, `_` or spaces), or none.
fn separated(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(['-', '/', '.', '_']).unwrap_or(text);
    let rest = rest.trim_start_matches(' ');
    (!rest.is_empty()).then_some(rest)
}
