//! Valid TOML that does not fit the definition format: an unknown key or
//! choice, a missing key, a value of the wrong type. The key is found at the
//! error's position in the parsed document.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::keys::{
    Kind, did_you_mean, example, expected_list, key_kind, kind_words, rust_words_out,
};
use super::{Found, TOO_LARGE_HINT, as_fraction, short};

/// One step into the document: a key of a table or an element of a list.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Element(usize),
}

/// Valid TOML that does not fit the definition format.
pub(super) fn schema(found: &Found, document: &DeTable) -> (String, String) {
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
            TOO_LARGE_HINT.into(),
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
    if is_table && ["dimension", "group", "indicator"].contains(&key) {
        let keys: Vec<&str> = path
            .iter()
            .filter_map(|step| match step {
                Step::Key(key) => Some(key.as_str()),
                Step::Element(_) => None,
            })
            .collect();
        let list = format!("[[{}]]", keys.join("."));
        let single = list.replace("[[", "[").replace("]]", "]");
        return (
            format!("{single} declares a single table, but a definition has a list of them"),
            format!("write {list}, with double brackets, once before each of them"),
        );
    }
    if ["index", "data", "method", "dimension", "group", "indicator"].contains(&key) {
        return (
            format!("`{key}` must be a table"),
            format!(
                "write [{key}] on a line of its own, then its keys below it{}",
                if ["dimension", "group", "indicator"].contains(&key) {
                    " (double brackets for a list: [[dimension]], [[dimension.group]], [[dimension.indicator]])"
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

/// The literal of a number, to put in quotes in a hint.
fn literal(value: Option<&DeValue>) -> Option<String> {
    match value? {
        DeValue::Integer(n) => Some(n.as_str().to_string()),
        DeValue::Float(x) => Some(x.as_str().to_string()),
        DeValue::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}
