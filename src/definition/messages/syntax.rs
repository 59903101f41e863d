//! Text that is not TOML: what is wrong with the line, in plain words, and
//! how to write it.

use super::keys::{Kind, example, key_kind, kind_words};
use super::{Found, TOO_LARGE_HINT, as_fraction, short};

/// The line a syntax error is on, taken apart.
struct Line<'a> {
    /// The whole line.
    text: &'a str,
    /// The text the reader pointed at, trimmed.
    snippet: &'a str,
    /// Left of the first `=`, unquoted: the key, when there is one.
    key: &'a str,
    /// Right of the first `=`, trimmed.
    value: &'a str,
    /// The character the reader stopped at.
    next: Option<char>,
}

/// Mistakes recognised by the start of the reader's message alone: the
/// message starts, what is wrong, and what to do.
const PLAIN: [(&[&str], &str, &str); 7] = [
    (
        &["extra `=`"],
        "there is more than one = on this line",
        "write key = value with a single =",
    ),
    (
        &["invalid basic string", "invalid literal string"],
        "the quoted text is not closed",
        "end the text with the same quote it starts with, on the same line",
    ),
    (
        &["unclosed table"],
        "the table header is not closed",
        "write the header with its closing bracket, such as [index] or [[dimension]]",
    ),
    (
        &["unclosed array"],
        "the list is not closed",
        "end the list with ], such as goalposts = [0, 100]",
    ),
    (
        &["invalid mantissa", "invalid float"],
        "this number is not written in full",
        "write a digit on both sides of the decimal point, such as 0.5 rather than .5 or 5.",
    ),
    (
        &["missing escaped value", "invalid escape"],
        "a backslash in double quotes starts an escape such as \\n",
        "write the text in single quotes, 'C:\\data', or double each backslash",
    ),
    (
        &["invalid unquoted key"],
        "this key is not a word kmgov can read",
        "keys are ASCII letters, digits, - and _ (such as weight); Chinese text goes in a \
         quoted value, such as name = \"社会活力\"",
    ),
];

/// A text that is not TOML: say what is wrong with the line in plain words.
pub(super) fn syntax(found: &Found) -> (String, String) {
    let line = line_of(found);
    let message = found.message.as_str();
    if message.starts_with("string values must be quoted") {
        return unquoted(line.key, line.value, line.snippet);
    }
    if message.contains("overflow") {
        return (
            format!("`{}` is too large to be a number", line.snippet),
            TOO_LARGE_HINT.into(),
        );
    }
    if message.starts_with("duplicate key") {
        return duplicate(&line);
    }
    if message.starts_with("unexpected key or value") {
        return after_value(&line);
    }
    if message.starts_with("key with no value") {
        return no_value(&line);
    }
    let plain = PLAIN
        .iter()
        .find(|(starts, _, _)| starts.iter().any(|start| message.starts_with(start)));
    match plain {
        Some((_, what, hint)) => (what.to_string(), hint.to_string()),
        None => (
            format!(
                "this line is not valid TOML ({})",
                plain_parser_words(message)
            ),
            "compare the line with the examples in the README; `kmgov init DIR` writes a \
             complete definition to start from"
                .into(),
        ),
    }
}

/// The line of the reader's error, and its key and value when it has an `=`.
fn line_of<'a>(found: &Found<'a>) -> Line<'a> {
    let text = found.text;
    let start = found.span.as_ref().map_or(0, |s| s.start).min(text.len());
    let end = found
        .span
        .as_ref()
        .map_or(start, |s| s.end)
        .clamp(start, text.len());
    let line = line_at(text, start);
    Line {
        text: line,
        snippet: text.get(start..end).unwrap_or("").trim(),
        key: line
            .split_once('=')
            .map(|(key, _)| key.trim().trim_matches('"'))
            .unwrap_or(""),
        value: line.split_once('=').map_or("", |(_, v)| v.trim()),
        next: text.get(start..).and_then(|t| t.chars().next()),
    }
}

/// A table header or a key written twice.
fn duplicate(line: &Line) -> (String, String) {
    let header = line.text.trim();
    if header.starts_with('[') {
        (
            format!("the table {header} appears twice, or clashes with a list of that name"),
            "keep one; a list of dimensions or indicators is written with double brackets, \
             [[dimension]] and [[dimension.indicator]]"
                .into(),
        )
    } else {
        (
            format!("`{}` is set twice in the same table", line.snippet),
            "keep one of the two lines".into(),
        )
    }
}

/// Something after a value: a decimal comma, or a second value.
fn after_value(line: &Line) -> (String, String) {
    if line.next == Some(',') && key_kind(line.key) == Kind::Number {
        return (
            format!("`{}` is not a number: a decimal comma?", line.value),
            format!("write the decimal point as a dot, e.g. {} = 0.6", line.key),
        );
    }
    (
        "something follows the value on this line".into(),
        "write one key = value per line; text goes in quotes, and a comment starts with #".into(),
    )
}

/// A key without `= value`: often a full-width ＝, or YAML's `:`.
fn no_value(line: &Line) -> (String, String) {
    let hint = if line.text.contains('＝') {
        "use the ASCII = sign, not the full-width ＝"
    } else if line.text.contains(':') {
        "TOML writes key = value, with = where YAML and JSON use :"
    } else {
        "write key = value, such as name = \"My index\""
    };
    (
        format!("`{}` is not key = value", line.text.trim()),
        hint.into(),
    )
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

/// The line holding byte `offset`, without its line break.
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
