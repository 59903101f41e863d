//! TOML and type errors, explained in the words of the definition format.
//!
//! The TOML reader reports what its parser and serde expected (`expected f64`,
//! `invalid type: map, expected a sequence`). A person editing a definition
//! needs to hear which key is wrong, what kind of value it takes, and an
//! example of the right spelling. This module finds the key at the error's
//! position (in the parsed document when the text is valid TOML, else on the
//! line) and words the message and hint for it: [`syntax`] for text that is
//! not TOML, [`shape`] for TOML that does not fit the format, both drawing on
//! what each key takes ([`keys`]).

mod keys;
mod shape;
mod syntax;

use toml::de::DeTable;

use super::error::DefinitionError;
use super::text::LineIndex;
use crate::error::Location;

/// What the TOML reader said, and where.
struct Found<'a> {
    text: &'a str,
    message: String,
    span: Option<std::ops::Range<usize>>,
}

/// The hint for a number too large to read, in TOML or in range.
const TOO_LARGE_HINT: &str =
    "kmgov takes numbers from -1e100 to 1e100; weights are relative, so small ones do";

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
        Ok(document) => shape::schema(&found, document.get_ref()),
        Err(_) => syntax::syntax(&found),
    };
    DefinitionError::Syntax { at, message, hint }
}

/// `60` → `0.6`, for the percentage hint.
fn as_fraction(number: &str) -> String {
    match number.parse::<f64>() {
        Ok(x) => (x / 100.0).to_string(),
        Err(_) => "a fraction".into(),
    }
}

/// At most 40 characters of `text`, the rest elided with `…`.
fn short(text: &str) -> String {
    if text.chars().count() > 40 {
        text.chars().take(40).chain("…".chars()).collect()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::keys::{choices, did_you_mean, distance};
    use crate::Definition;
    use crate::definition::{Direction, Normalize};

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
            choices::<Direction>(),
            vec!["higher".to_string(), "lower".to_string()]
        );
        assert!(choices::<Normalize>().contains(&"efficacy".to_string()));
    }

    #[test]
    fn did_you_mean_forgives_case_dashes_and_small_typos() {
        let choices: Vec<String> = ["minmax", "zscore", "rank"].map(String::from).to_vec();
        assert_eq!(did_you_mean("Min-Max", &choices).as_deref(), Some("minmax"));
        assert_eq!(did_you_mean("z_score", &choices).as_deref(), Some("zscore"));
        assert_eq!(did_you_mean("rnak", &choices).as_deref(), Some("rank"));
        assert_eq!(did_you_mean("percentile", &choices), None);
        assert_eq!(distance("wieght", "weight"), 1);
    }
}
