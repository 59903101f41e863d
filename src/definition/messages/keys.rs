//! What each key of the definition takes, a correct line for it, and the
//! choice closest to a misspelt one.

use serde::de::{DeserializeOwned, IntoDeserializer};

use crate::definition::{Aggregate, Direction, Missing, Normalize, Scope, Total};

/// What a key takes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Number,
    Whole,
    Pair,
    Text,
    Choice(Vec<String>),
    Unknown,
}

pub(super) fn key_kind(key: &str) -> Kind {
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

pub(super) fn kind_words(kind: Kind) -> &'static str {
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
pub(super) fn example(key: &str) -> String {
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
pub(super) fn choices<T: DeserializeOwned>() -> Vec<String> {
    let probe: serde::de::value::StrDeserializer<serde::de::value::Error> =
        "\u{0}".into_deserializer();
    match T::deserialize(probe) {
        Ok(_) => Vec::new(),
        Err(error) => expected_list(&error.to_string()),
    }
}

/// The names listed after "expected" in a serde message, such as
/// "unknown variant `x`, expected one of `a`, `b`" or "expected `a` or `b`".
pub(super) fn expected_list(message: &str) -> Vec<String> {
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
pub(super) fn did_you_mean(written: &str, choices: &[String]) -> Option<String> {
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
pub(super) fn distance(a: &str, b: &str) -> usize {
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
pub(super) fn rust_words_out(message: &str) -> String {
    message
        .replace("f64", "a number")
        .replace("i64", "a whole number")
        .replace("a sequence", "a list in brackets")
        .replace("map", "table")
}
