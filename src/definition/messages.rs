//! TOML and type errors, explained in the words of the definition format.
//!
//! The TOML reader reports what its parser and serde expected (`expected f64`,
//! `invalid type: map, expected a sequence`). A person editing a definition
//! needs to hear which key is wrong, what kind of value it takes, and an
//! example of the right spelling. This module finds the key at the error's
//! position (in the parsed document when the text is valid TOML, else on the
//! line) and words the message and hint for it.

use serde::de::{DeserializeOwned, IntoDeserializer};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::DefinitionError;
use super::text::LineIndex;
use super::{Aggregate, Direction, Missing, Normalize, Scope, Total};
use crate::error::Location;

/// One step into the document: a key of a table or an element of a list.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Element(usize),
}

/// What the TOML reader said, and where.
struct Found<'a> {
    text: &'a str,
    message: String,
    span: Option<std::ops::Range<usize>>,
}

/// Turns a TOML reader error into a located message and hint in the user's terms.
pub fn explain(
    error: &toml::de::Error,
    text: &str,
    lines: &LineIndex,
    origin: &str,
) -> DefinitionError {
    let found = Found {
        text,
        message: error
            .message()
            .trim()
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
        span: error.span(),
    };
    let at = match &found.span {
        Some(span) => lines.locate(text, span.start, origin),
        None => Location::file(origin),
    };
    let (message, hint) = match DeTable::parse(text) {
        Ok(document) => schema(&found, document.get_ref()),
        Err(_) => syntax(&found),
    };
    DefinitionError::Syntax { at, message, hint }
}

// ---------------------------------------------------------------- syntax

/// A text that is not TOML: say what is wrong with the line in plain words.
fn syntax(found: &Found) -> (String, String) {
    let start = found
        .span
        .as_ref()
        .map_or(0, |s| s.start)
        .min(found.text.len());
    let end = found
        .span
        .as_ref()
        .map_or(start, |s| s.end)
        .clamp(start, found.text.len());
    let snippet = found.text.get(start..end).unwrap_or("").trim();
    let line = line_at(found.text, start);
    let key = line
        .split_once('=')
        .map(|(key, _)| key.trim().trim_matches('"'))
        .unwrap_or("");
    let value = line.split_once('=').map_or("", |(_, v)| v.trim());
    let next = found.text.get(start..).and_then(|t| t.chars().next());
    let message = found.message.as_str();

    if message.starts_with("string values must be quoted") {
        return unquoted(key, value, snippet);
    }
    if message.contains("overflow") {
        return (
            format!("`{snippet}` is too large to be a number"),
            "kmgov takes numbers from -1e100 to 1e100; weights are relative, so small ones do"
                .into(),
        );
    }
    if message.starts_with("duplicate key") {
        let header = line.trim();
        return if header.starts_with('[') {
            (
                format!("the table {header} appears twice, or clashes with a list of that name"),
                "keep one; a list of dimensions or indicators is written with double brackets, \
                 [[dimension]] and [[dimension.indicator]]"
                    .into(),
            )
        } else {
            (
                format!("`{snippet}` is set twice in the same table"),
                "keep one of the two lines".into(),
            )
        };
    }
    if message.starts_with("unexpected key or value") {
        if next == Some(',') && key_kind(key) == Kind::Number {
            return (
                format!("`{value}` is not a number: a decimal comma?"),
                format!("write the decimal point as a dot, e.g. {key} = 0.6"),
            );
        }
        return (
            "something follows the value on this line".into(),
            "write one key = value per line; text goes in quotes, and a comment starts with #"
                .into(),
        );
    }
    if message.starts_with("key with no value") {
        let hint = if line.contains('＝') {
            "use the ASCII = sign, not the full-width ＝"
        } else if line.contains(':') {
            "TOML writes key = value, with = where YAML and JSON use :"
        } else {
            "write key = value, such as name = \"My index\""
        };
        return (format!("`{}` is not key = value", line.trim()), hint.into());
    }
    let (what, hint) = if message.starts_with("extra `=`") {
        (
            "there is more than one = on this line",
            "write key = value with a single =",
        )
    } else if message.starts_with("invalid basic string")
        || message.starts_with("invalid literal string")
    {
        (
            "the quoted text is not closed",
            "end the text with the same quote it starts with, on the same line",
        )
    } else if message.starts_with("unclosed table") {
        (
            "the table header is not closed",
            "write the header with its closing bracket, such as [index] or [[dimension]]",
        )
    } else if message.starts_with("unclosed array") {
        (
            "the list is not closed",
            "end the list with ], such as goalposts = [0, 100]",
        )
    } else if message.starts_with("invalid mantissa") || message.starts_with("invalid float") {
        (
            "this number is not written in full",
            "write a digit on both sides of the decimal point, such as 0.5 rather than .5 or 5.",
        )
    } else if message.starts_with("missing escaped value") || message.starts_with("invalid escape")
    {
        (
            "a backslash in double quotes starts an escape such as \\n",
            "write the text in single quotes, 'C:\\data', or double each backslash",
        )
    } else if message.starts_with("invalid unquoted key") {
        (
            "this key is not a word kmgov can read",
            "keys are ASCII letters, digits, - and _ (such as weight); Chinese text goes in a \
             quoted value, such as name = \"社会活力\"",
        )
    } else {
        return (
            format!(
                "this line is not valid TOML ({})",
                plain_parser_words(message)
            ),
            "compare the line with the examples in the README; `kmgov init DIR` writes a \
             complete definition to start from"
                .into(),
        );
    };
    (what.to_string(), hint.to_string())
}

/// A value without quotes that is not a number, boolean or list.
fn unquoted(key: &str, value: &str, snippet: &str) -> (String, String) {
    let shown = short(if snippet.is_empty() { value } else { snippet });
    let shown = shown.as_str();
    if shown.is_empty() {
        return (
            format!("`{key}` has no value after ="),
            format!("give it a value, or delete the line; {}", example(key)),
        );
    }
    if key_kind(key) == Kind::Text {
        return (
            format!("`{shown}` needs quotes: text values are written in quotes"),
            format!("write {key} = \"{shown}\""),
        );
    }
    if let Some(number) = shown.strip_suffix('%') {
        let number = number.trim();
        return (
            format!("`{shown}` is not a number kmgov reads here: write percentages without %"),
            if key == "weight" {
                format!(
                    "write weight = {number} (or {}); weights are relative, so only their ratios matter",
                    as_fraction(number)
                )
            } else {
                format!("write {number}, without %")
            },
        );
    }
    if shown.chars().any(|c| ('０'..='９').contains(&c)) {
        return (
            format!("`{shown}` uses full-width digits"),
            "write numbers with ASCII digits, such as 2 or 0.5".into(),
        );
    }
    match key_kind(key) {
        Kind::Number | Kind::Whole | Kind::Pair => (
            format!(
                "{} must be {}, not `{shown}`",
                key,
                kind_words(key_kind(key))
            ),
            example(key),
        ),
        _ => (
            format!("`{shown}` needs quotes: text values are written in quotes"),
            format!("write {key} = \"{shown}\""),
        ),
    }
}

/// `60` → `0.6`, for the percentage hint.
fn as_fraction(number: &str) -> String {
    match number.parse::<f64>() {
        Ok(x) => (x / 100.0).to_string(),
        Err(_) => "a fraction".into(),
    }
}

fn line_at(text: &str, offset: usize) -> &str {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text[start..end].trim_end_matches('\r')
}

/// The parser's own words, without its "expected nothing" and the like.
fn plain_parser_words(message: &str) -> String {
    let message = message.split(", expected").next().unwrap_or(message);
    message.trim().to_string()
}

// ---------------------------------------------------------------- schema

/// Valid TOML that does not fit the definition format.
fn schema(found: &Found, document: &DeTable) -> (String, String) {
    let offset = found.span.as_ref().map_or(0, |s| s.start);
    let (path, value) = path_at(document, offset);
    let message = found.message.as_str();
    if message.starts_with("unknown field") {
        return unknown_key(&path, value, message);
    }
    if message.starts_with("unknown variant") {
        return unknown_choice(&path, value, message);
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return missing_key(&path, field.trim_matches('`'));
    }
    if message.contains("overflow") {
        let key = path.iter().rev().find_map(|step| match step {
            Step::Key(key) => Some(key.as_str()),
            _ => None,
        });
        return (
            format!("{} is too large to be a number", key.unwrap_or("the value")),
            "kmgov takes numbers from -1e100 to 1e100; weights are relative, so small ones do"
                .into(),
        );
    }
    if message.starts_with("invalid type")
        || message.starts_with("wanted string or table")
        || message.starts_with("invalid value")
    {
        return wrong_type(&path, value);
    }
    (
        format!("{}: {}", table_name(&path), rust_words_out(message)),
        "compare with the examples in the README; `kmgov init DIR` writes a complete definition"
            .into(),
    )
}

/// The most specific key or element whose span holds `offset`.
fn path_at<'d>(
    document: &'d DeTable<'d>,
    offset: usize,
) -> (Vec<Step>, Option<&'d Spanned<DeValue<'d>>>) {
    let mut best: (usize, Vec<Step>, Option<&Spanned<DeValue>>) = (usize::MAX, Vec::new(), None);
    let mut path = Vec::new();
    search_table(document, offset, &mut path, &mut best);
    (best.1, best.2)
}

type Best<'d> = (usize, Vec<Step>, Option<&'d Spanned<DeValue<'d>>>);

fn search_table<'d>(
    table: &'d DeTable<'d>,
    offset: usize,
    path: &mut Vec<Step>,
    best: &mut Best<'d>,
) {
    for (key, value) in table.iter() {
        path.push(Step::Key(key.get_ref().to_string()));
        for span in [key.span(), value.span()] {
            consider(span, offset, path, Some(value), best);
        }
        search_value(value, offset, path, best);
        path.pop();
    }
}

fn search_value<'d>(
    value: &'d Spanned<DeValue<'d>>,
    offset: usize,
    path: &mut Vec<Step>,
    best: &mut Best<'d>,
) {
    match value.get_ref() {
        DeValue::Table(table) => search_table(table, offset, path, best),
        DeValue::Array(array) => {
            for (i, element) in array.iter().enumerate() {
                path.push(Step::Element(i));
                consider(element.span(), offset, path, Some(element), best);
                search_value(element, offset, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Keeps the narrowest span holding the offset; on a tie, the deeper path.
fn consider<'d>(
    span: std::ops::Range<usize>,
    offset: usize,
    path: &[Step],
    value: Option<&'d Spanned<DeValue<'d>>>,
    best: &mut Best<'d>,
) {
    let holds = span.contains(&offset) || (span.is_empty() && span.start == offset);
    let width = span.len();
    if holds && (width < best.0 || (width == best.0 && path.len() > best.1.len())) {
        *best = (width, path.to_vec(), value);
    }
}

/// `[index]`, `[[dimension]] 2`, `[[dimension.indicator]]`, or "the top of the file".
fn table_name(path: &[Step]) -> String {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|step| match step {
            Step::Key(key) => Some(key.as_str()),
            Step::Element(_) => None,
        })
        .collect();
    let in_list = matches!(path.last(), Some(Step::Element(_)));
    match keys.as_slice() {
        [] => "the top of the file (before any [table])".into(),
        keys if in_list => format!("[[{}]]", keys.join(".")),
        keys => format!("[{}]", keys.join(".")),
    }
}

/// The path to the table holding the last key.
fn parent(path: &[Step]) -> &[Step] {
    match path.split_last() {
        Some((Step::Key(_), rest)) => rest,
        _ => path,
    }
}

fn last_key(path: &[Step]) -> &str {
    path.iter()
        .rev()
        .find_map(|step| match step {
            Step::Key(key) => Some(key.as_str()),
            Step::Element(_) => None,
        })
        .unwrap_or("")
}

fn unknown_key(path: &[Step], value: Option<&Spanned<DeValue>>, message: &str) -> (String, String) {
    let key = last_key(path);
    let allowed = expected_list(message);
    let table = parent(path);
    let top = table.is_empty();
    let is_table = matches!(value.map(|v| v.get_ref()), Some(DeValue::Table(_)));
    let what = if top && is_table { "table" } else { "key" };
    let shown = if top && is_table {
        format!("[{key}]")
    } else {
        format!("`{key}`")
    };
    let mut hint = match did_you_mean(key, &allowed) {
        Some(close) if top => format!("did you mean [{close}]? "),
        Some(close) => format!("did you mean `{close}`? "),
        None => String::new(),
    };
    if top && ["name", "label", "decimals"].contains(&key) {
        hint.push_str(&format!(
            "{key} belongs under [index]: move it below that line; "
        ));
    }
    let list = allowed.join(", ");
    if top {
        hint.push_str(&format!("the tables are: {list}"));
    } else {
        hint.push_str(&format!("the keys of {} are: {list}", table_name(table)));
    }
    hint.push_str(&format!(
        "; an unknown {what} is an error so that a typo cannot silently change the index"
    ));
    let place = if top && is_table {
        String::new()
    } else if top {
        " at the top of the file, before any [table]".to_string()
    } else {
        format!(" in {}", table_name(table))
    };
    (format!("unknown {what} {shown}{place}"), hint)
}

fn unknown_choice(
    path: &[Step],
    value: Option<&Spanned<DeValue>>,
    message: &str,
) -> (String, String) {
    let key = last_key(path);
    let choices = expected_list(message);
    let written = value
        .and_then(|v| v.get_ref().as_str().map(str::to_string))
        .unwrap_or_default();
    let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
    let hint = match did_you_mean(&written, &choices) {
        Some(close) => format!("did you mean {key} = \"{close}\"?"),
        None => format!(
            "write one of them, such as {key} = \"{}\"",
            choices.first().map_or("", |c| c)
        ),
    };
    (
        format!(
            "{key} = \"{written}\" is not one of the choices: {}",
            quoted.join(", ")
        ),
        hint,
    )
}

fn missing_key(path: &[Step], field: &str) -> (String, String) {
    let table = table_name(path);
    let hint = match field {
        "index" => "start the definition with [index] and a line name = \"My index\"".to_string(),
        "name" => format!("add name = \"My index\" under {table}; it heads every output"),
        "id" if table.contains("indicator") => {
            format!("add id = \"<column>\" under {table}: the CSV column of the indicator")
        }
        "id" => format!("add id = \"<short id>\" under {table}, such as id = \"vitality\""),
        other => format!("add {other} = … under {table}"),
    };
    let message = if field == "index" {
        "the definition has no [index] table".to_string()
    } else {
        format!("{table} has no `{field}`")
    };
    (message, hint)
}

fn wrong_type(path: &[Step], value: Option<&Spanned<DeValue>>) -> (String, String) {
    let key = last_key(path);
    let value = value.map(|v| v.get_ref());
    let is_table = matches!(value, Some(DeValue::Table(_)));
    if is_table && (key == "dimension" || key == "indicator") {
        let list = if key == "dimension" {
            "[[dimension]]"
        } else {
            "[[dimension.indicator]]"
        };
        let single = list.replace("[[", "[").replace("]]", "]");
        return (
            format!("{single} declares a single table, but a definition has a list of them"),
            format!("write {list}, with double brackets, once before each of them"),
        );
    }
    if ["index", "data", "method", "dimension", "indicator"].contains(&key) {
        return (
            format!("`{key}` must be a table"),
            format!(
                "write [{key}] on a line of its own, then its keys below it{}",
                if key == "dimension" || key == "indicator" {
                    " (double brackets for a list: [[dimension]], [[dimension.indicator]])"
                } else {
                    ""
                }
            ),
        );
    }
    let kind = key_kind(key);
    if let Kind::Choice(choices) = &kind {
        let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
        return (
            format!("{key} must be one of {}, in quotes", quoted.join(", ")),
            format!("write {key} = \"{}\"", choices.first().map_or("", |c| c)),
        );
    }
    if let (Kind::Number, Some(DeValue::String(text))) = (&kind, value) {
        let text = text.trim();
        if let Some(number) = text.strip_suffix('%') {
            return (
                format!("{key} must be a number; \"{text}\" is text"),
                format!(
                    "write {key} = {} (or {}), without quotes or %; weights are relative",
                    number.trim(),
                    as_fraction(number.trim())
                ),
            );
        }
        if text.parse::<f64>().is_ok() {
            return (
                format!("{key} must be a number, e.g. {key} = {text}"),
                "write numbers without quotes".into(),
            );
        }
    }
    let found = value.map_or_else(|| "nothing".to_string(), describe);
    let hint = match (&kind, literal(value)) {
        (Kind::Text, Some(written)) if path.len() > 2 => {
            format!("put it in quotes: {key} = \"{written}\"")
        }
        _ => example(key),
    };
    (
        format!("{key} must be {}, not {found}", kind_words(kind)),
        hint,
    )
}

/// What a TOML value is, in words, with the value when it is short.
fn describe(value: &DeValue) -> String {
    match value {
        DeValue::String(text) => format!("the text \"{}\"", short(text)),
        DeValue::Integer(n) => format!("the number {}", n.as_str()),
        DeValue::Float(x) => format!("the number {}", x.as_str()),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

fn short(text: &str) -> String {
    if text.chars().count() > 40 {
        text.chars().take(40).chain("…".chars()).collect()
    } else {
        text.to_string()
    }
}

/// The literal of a number, to put in quotes in a hint.
fn literal(value: Option<&DeValue>) -> Option<String> {
    match value? {
        DeValue::Integer(n) => Some(n.as_str().to_string()),
        DeValue::Float(x) => Some(x.as_str().to_string()),
        DeValue::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------- keys

/// What a key takes.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Number,
    Whole,
    Pair,
    Text,
    Choice(Vec<String>),
    Unknown,
}

fn key_kind(key: &str) -> Kind {
    match key {
        "weight" => Kind::Number,
        "decimals" => Kind::Whole,
        "goalposts" => Kind::Pair,
        "name" | "label" | "id" | "unit" | "period" | "population" | "base_period" => Kind::Text,
        "normalize" => Kind::Choice(choices::<Normalize>()),
        "scope" => Kind::Choice(choices::<Scope>()),
        "aggregate" => Kind::Choice(choices::<Aggregate>()),
        "missing" => Kind::Choice(choices::<Missing>()),
        "total" => Kind::Choice(choices::<Total>()),
        "direction" => Kind::Choice(choices::<Direction>()),
        _ => Kind::Unknown,
    }
}

fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Number => "a number",
        Kind::Whole => "a whole number",
        Kind::Pair => "two numbers in brackets",
        Kind::Text => "text in quotes",
        Kind::Choice(_) => "one of the listed words, in quotes",
        Kind::Unknown => "another kind of value",
    }
}

/// A correct line for the key.
fn example(key: &str) -> String {
    match key {
        "weight" => "write weight = 2 (weights are relative: only their ratios matter)".into(),
        "decimals" => "write decimals = 2".into(),
        "base_period" => {
            "write base_period = \"2017\", in quotes (unquoted, 2019.10 would be the number 2019.1)"
                .into()
        }
        "goalposts" => {
            "write goalposts = [0, 100]: the worst and the best plausible value, without quotes"
                .into()
        }
        "id" => {
            "write id = \"forest_cover\" (for an indicator, its CSV column name), in quotes".into()
        }
        "unit" => "write the CSV column name in quotes, such as unit = \"district\"".into(),
        "period" => "write the CSV column name in quotes, such as period = \"year\"".into(),
        "population" => {
            "write the CSV column name in quotes, such as population = \"population\"".into()
        }
        "name" | "label" => format!("write {key} = \"社会活力\" or any text, in quotes"),
        _ => "write key = value; text in quotes, numbers without".into(),
    }
}

/// The variant names of a config enum, as serde spells them; asking serde
/// keeps the list right when a choice is added.
fn choices<T: DeserializeOwned>() -> Vec<String> {
    let probe: serde::de::value::StrDeserializer<serde::de::value::Error> =
        "\u{0}".into_deserializer();
    match T::deserialize(probe) {
        Ok(_) => Vec::new(),
        Err(error) => expected_list(&error.to_string()),
    }
}

/// The names listed after "expected" in a serde message, such as
/// "unknown variant `x`, expected one of `a`, `b`" or "expected `a` or `b`".
fn expected_list(message: &str) -> Vec<String> {
    let Some((_, list)) = message.rsplit_once("expected ") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The one choice close to what was written: the same word up to case, `-`,
/// `_` and spaces, or at most a couple of letters off.
fn did_you_mean(written: &str, choices: &[String]) -> Option<String> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let written = squash(written);
    if written.is_empty() {
        return None;
    }
    let limit = (written.chars().count() / 3).clamp(1, 2);
    choices
        .iter()
        .map(|choice| (distance(&written, &squash(choice)), choice))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, choice)| choice.clone())
}

/// Edit distance where swapping two neighbouring letters counts once.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// serde's words for types, in the definition's words.
fn rust_words_out(message: &str) -> String {
    message
        .replace("f64", "a number")
        .replace("i64", "a whole number")
        .replace("a sequence", "a list in brackets")
        .replace("map", "table")
}

#[cfg(test)]
mod tests {
    use crate::Definition;

    const BASE: &str =
        "[index]\nname = \"T\"\n[[dimension]]\nid = \"d\"\n[[dimension.indicator]]\nid = \"x\"\n";

    /// The first problem as `location: message`, and its hint.
    fn explained(text: &str) -> (String, String) {
        let error = Definition::from_toml(text, "t.toml").expect_err("the definition is wrong");
        let problem = error.problems().remove(0);
        (problem.to_string(), problem.hint.unwrap_or_default())
    }

    /// Broken definitions, each with the start of its message and a part of its hint.
    fn cases() -> Vec<(String, &'static str, &'static str)> {
        let with = |extra: &str| format!("{BASE}{extra}\n");
        vec![
            (
                with("weight = \"2\""),
                "t.toml:7:10: weight must be a number, e.g. weight = 2",
                "without quotes",
            ),
            (
                with("weight = 60%"),
                "t.toml:7:10: `60%` is not a number",
                "weight = 60 (or 0.6); weights are relative",
            ),
            (
                with("weight = \"60%\""),
                "t.toml:7:10: weight must be a number",
                "weight = 60 (or 0.6)",
            ),
            (
                with("weight = heavy"),
                "t.toml:7:10: weight must be a number, not `heavy`",
                "weight = 2",
            ),
            (
                with("weight = 0,6"),
                "t.toml:7:11: `0,6` is not a number: a decimal comma?",
                "weight = 0.6",
            ),
            (
                with("weight = .5"),
                "t.toml:7:10: this number is not written in full",
                "0.5",
            ),
            (
                BASE.replace("id = \"x\"", "id = 2019"),
                "t.toml:6:6: id must be text in quotes, not the number 2019",
                "id = \"2019\"",
            ),
            (
                format!("[data]\nperiod = 2019\n{BASE}"),
                "t.toml:2:10: period must be text in quotes, not the number 2019",
                "period = \"year\"",
            ),
            (
                with("goalposts = [\"a\", \"b\"]"),
                "t.toml:7:14: goalposts must be two numbers in brackets, not the text \"a\"",
                "goalposts = [0, 100]",
            ),
            (
                with("goalposts = 5"),
                "t.toml:7:13: goalposts must be two numbers in brackets, not the number 5",
                "goalposts = [0, 100]",
            ),
            (
                with("goalposts = [1]"),
                "t.toml:7:13: dimension `d`, indicator `x`: goalposts need two numbers, found 1",
                "goalposts = [lo, hi]",
            ),
            (
                with("wieght = 2"),
                "t.toml:7:1: unknown key `wieght` in [[dimension.indicator]]",
                "did you mean `weight`? the keys of [[dimension.indicator]] are: id, name, unit, weight",
            ),
            (
                format!("[method]\nnormalize = \"min-max\"\n{BASE}"),
                "t.toml:2:13: normalize = \"min-max\" is not one of the choices: \"minmax\", \"zscore\"",
                "did you mean normalize = \"minmax\"?",
            ),
            (
                with("direction = \"up\""),
                "t.toml:7:13: direction = \"up\" is not one of the choices: \"higher\", \"lower\"",
                "direction = \"higher\"",
            ),
            (
                format!("{BASE}[method]\nmissing = true\n"),
                "t.toml:8:11: missing must be one of \"error\", \"skip\", \"mean\", \"carry\", in quotes",
                "missing = \"error\"",
            ),
            (
                BASE.replace("name = \"T\"", "label = \"T\""),
                "t.toml:1:1: [index] has no `name`",
                "add name = \"My index\" under [index]",
            ),
            (
                "[[dimension]]\nid = \"d\"\n".to_string(),
                "t.toml:1:1: the definition has no [index] table",
                "start the definition with [index]",
            ),
            (
                BASE.replace("[[dimension]]", "[dimension]"),
                "t.toml:3:1: [dimension] declares a single table",
                "write [[dimension]], with double brackets",
            ),
            (
                with("[dimension.indicator]\nid = \"y\""),
                "t.toml:7:12: the table [dimension.indicator] appears twice",
                "[[dimension.indicator]]",
            ),
            (
                BASE.replace("[index]", "[Index]"),
                "t.toml:1:2: unknown table [Index]",
                "did you mean [index]?",
            ),
            (
                format!("name = \"T\"\n{BASE}"),
                "t.toml:1:1: unknown key `name` at",
                "name belongs under [index]",
            ),
            (
                with("decimals = 2"),
                "t.toml:7:1: unknown key `decimals` in [[dimension.indicator]]",
                "the keys of",
            ),
            (
                BASE.replace("name = \"T\"", "name = \"T\"\ndecimals = 2.5"),
                "t.toml:3:12: decimals must be a whole number, not the number 2.5",
                "decimals = 2",
            ),
            (
                with("x = "),
                "t.toml:7:5: `x` has no value after =",
                "delete the line",
            ),
            (
                with("name = \"abc"),
                "t.toml:7:12: the quoted text is not closed",
                "same quote",
            ),
            (
                with("name: \"x\""),
                "t.toml:7:7: `name: \"x\"` is not key = value",
                "YAML",
            ),
            (
                with("name ＝ \"x\""),
                "t.toml:7:6: `name ＝ \"x\"` is not key = value",
                "full-width",
            ),
            (
                with("weight = 1\nweight = 2"),
                "t.toml:8:1: `weight` is set twice in the same table",
                "keep one",
            ),
            (
                with("名称 = \"x\""),
                "t.toml:7:1: this key is not a word kmgov can read",
                "name = \"社会活力\"",
            ),
            (
                with("unit = %"),
                "t.toml:7:8: `%` needs quotes",
                "unit = \"%\"",
            ),
            (
                with("goalposts = [0, 100"),
                "t.toml:7:20: the list is not closed",
                "goalposts = [0, 100]",
            ),
            (
                with("[index"),
                "t.toml:7:7: the table header is not closed",
                "[index]",
            ),
            (
                with("weight = 1e999"),
                "t.toml:7:10: weight is too large to be a number",
                "-1e100 to 1e100",
            ),
            (
                BASE.replace(
                    "[[dimension]]",
                    "[method]\nscope = \"base\"\nbase_period = 2019.10\n[[dimension]]",
                ),
                "t.toml:5:15: base_period must be text in quotes",
                "base_period = \"2017\"",
            ),
            (
                BASE.replace(
                    "[[dimension]]",
                    "[method]\nscope = \"base\"\nbase_period = [2019]\n[[dimension]]",
                ),
                "t.toml:5:15: base_period must be text in quotes",
                "in quotes",
            ),
            (
                with("path = \"C:\\data\""),
                "t.toml:7:12: a backslash in double quotes",
                "single quotes",
            ),
        ]
    }

    #[test]
    fn each_common_mistake_gets_a_located_message_and_a_fitting_hint() {
        for (text, message, hint) in cases() {
            let (found, found_hint) = explained(&text);
            assert!(
                found.starts_with(message),
                "{text}\n  got:  {found}\n  want: {message}"
            );
            assert!(
                found_hint.contains(hint),
                "{text}\n  got hint: {found_hint}\n  want: {hint}"
            );
        }
    }

    #[test]
    fn no_message_speaks_rust_or_serde() {
        let words = [
            "f64",
            "i64",
            "u64",
            "expected nothing",
            "sequence",
            "map",
            "variant",
            "field",
            "invalid type",
            "serde",
            "struct",
            "literal string",
            "docs/",
        ];
        for (text, _, _) in cases() {
            let (message, hint) = explained(&text);
            for word in words {
                assert!(
                    !message.contains(word) && !hint.contains(word),
                    "`{word}` in:\n{message}\n{hint}"
                );
            }
        }
    }

    #[test]
    fn choices_come_from_the_config_words() {
        assert_eq!(
            super::choices::<super::Direction>(),
            vec!["higher".to_string(), "lower".to_string()]
        );
        assert!(super::choices::<super::Normalize>().contains(&"efficacy".to_string()));
    }

    #[test]
    fn did_you_mean_forgives_case_dashes_and_small_typos() {
        let choices: Vec<String> = ["minmax", "zscore", "rank"].map(String::from).to_vec();
        assert_eq!(
            super::did_you_mean("Min-Max", &choices).as_deref(),
            Some("minmax")
        );
        assert_eq!(
            super::did_you_mean("z_score", &choices).as_deref(),
            Some("zscore")
        );
        assert_eq!(
            super::did_you_mean("rnak", &choices).as_deref(),
            Some("rank")
        );
        assert_eq!(super::did_you_mean("percentile", &choices), None);
        assert_eq!(super::distance("wieght", "weight"), 1);
    }
}
