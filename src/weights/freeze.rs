//! Freezing derived weights (`kmgov weights --format toml`): the whole
//! definition as written, comments and layout kept, with every dimension's,
//! group's and indicator's `weight` set to its derived share among its
//! siblings and `[method] weights = "manual"`, so that an annual assessment
//! scores with the weights of the year they were derived in.
//!
//! The text is edited, not regenerated, and the result is read back before
//! it is returned: it must be a valid definition whose weights are the
//! derived ones, or it is an error, never a file that scores otherwise.

use toml_edit::{DocumentMut, Item, TableLike, Value};

use super::WeightError;
use super::derive::Resolved;
use super::output::{number, source};
use crate::definition::{Children, Definition, Parent, WeightMethod};
use crate::error::Error;

/// Read-back weights may differ from the derived ones by rounding only.
const READ_BACK: f64 = 1e-12;

/// `text`, the definition `resolved` was derived from as written, with the
/// derived weights in place as manual weights, `weights_period` and
/// `entropy_shift` removed (manual weights take neither), and a comment
/// above `[method]` (else at the top) saying how they were derived and from
/// which data. `[ahp]` and `[combined]` stay as a record of the derivation.
pub fn freeze(text: &str, resolved: &Resolved, data: Option<&str>) -> Result<String, Error> {
    let definition = &resolved.definition;
    let failed = |reason: String| {
        Error::Weights(vec![WeightError::Read {
            path: definition.origin.clone(),
            reason: format!("cannot write the weights into this definition: {reason}"),
            hint: Some(
                "write the weights in by hand from `kmgov weights --format csv`, or simplify the layout of the file (one [[dimension]] table per dimension)"
                    .into(),
            ),
        }])
    };
    let mut document: DocumentMut = text.parse().map_err(|e| failed(format!("{e}")))?;
    set_tree(&mut document, definition).map_err(failed)?;
    let comment = comment(resolved, data);
    let placed = set_method(&mut document, &comment);
    let mut out = document.to_string();
    if !placed {
        out = format!("{comment}\n{out}");
    }
    read_back(&out, definition).map_err(failed)?;
    Ok(out)
}

/// What the frozen file says about itself, as TOML comment lines.
fn comment(resolved: &Resolved, data: Option<&str>) -> String {
    let how = source(resolved, data).unwrap_or_else(|| "as written, as shares".to_string());
    let mut text = format!(
        "Weights derived by kmgov {} with weights = \"{}\", {how}, and frozen here as \
         manual weights: each `weight` below is the share of its dimension, group or \
         indicator among its siblings.",
        env!("CARGO_PKG_VERSION"),
        resolved.method
    );
    let definition = &resolved.definition;
    if definition.ahp.is_some() || definition.combined.is_some() {
        text.push_str(
            " [ahp] and [combined] are kept as a record of how; manual weights do not use them.",
        );
    }
    wrap(&text, COMMENT_WIDTH)
        .into_iter()
        .map(|line| format!("# {line}\n"))
        .collect()
}

/// The width of the comment's lines, `# ` included.
const COMMENT_WIDTH: usize = 86;

/// `text` in lines of at most `width` characters, broken at spaces (a
/// word longer than that, such as a long path, has a line of its own).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `[method] weights = "manual"` without `weights_period` and
/// `entropy_shift`, the comment above the table; false when there is no
/// `[method]` header to put it above (no table, an inline or dotted one).
fn set_method(document: &mut DocumentMut, comment: &str) -> bool {
    let Some(item) = document.get_mut("method") else {
        return false;
    };
    let with_header = item
        .as_table()
        .is_some_and(|t| !t.is_dotted() && !t.is_implicit());
    let Some(method) = item.as_table_like_mut() else {
        return false;
    };
    method.remove("weights_period");
    method.remove("entropy_shift");
    set_value(method, "weights", Value::from("manual"));
    if !with_header {
        return false;
    }
    let Some(table) = item.as_table_mut() else {
        return false;
    };
    let decor = table.decor_mut();
    let before = decor
        .prefix()
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string();
    decor.set_prefix(above(&before, comment));
    true
}

/// The text above `[method]` with the comment in it: after the blank
/// lines that separate the table from the one before, before any comment
/// of the user's (which stays next to what it is about), with a blank line
/// between the two.
fn above(before: &str, comment: &str) -> String {
    let white = before.len() - before.trim_start().len();
    let lines = before[..white].rfind('\n').map_or(0, |i| i + 1);
    let (space, rest) = before.split_at(lines);
    let space = if space.contains('\n') { space } else { "\n" };
    if rest.is_empty() {
        format!("{space}{comment}")
    } else {
        format!("{space}{comment}\n{rest}")
    }
}

/// Every node's `weight` set to its share among its siblings, walking the
/// text's tables alongside the definition's tree.
fn set_tree(document: &mut DocumentMut, definition: &Definition) -> Result<(), String> {
    let shares: Vec<f64> = definition.indicators().map(|(_, i)| i.weight).collect();
    let dimensions = entries(
        document.as_table_mut(),
        "dimension",
        definition.dimensions.len(),
    )?;
    for (d, table) in dimensions.into_iter().enumerate() {
        set_weight(table, definition.dimensions[d].weight);
        set_children(table, definition, &shares, Parent::Dimension(d))?;
    }
    Ok(())
}

/// The weights of a node's children, and theirs.
fn set_children(
    table: &mut dyn TableLike,
    definition: &Definition,
    shares: &[f64],
    node: Parent,
) -> Result<(), String> {
    match definition.children(node) {
        Children::Indicators(range) => {
            let indicators = entries(table, "indicator", range.len())?;
            for (table, i) in indicators.into_iter().zip(range.clone()) {
                set_weight(table, shares[i]);
            }
        }
        Children::Groups(list) => {
            let groups = entries(table, "group", list.len())?;
            for (table, &g) in groups.into_iter().zip(list) {
                set_weight(table, definition.groups[g].weight);
                set_children(table, definition, shares, Parent::Group(g))?;
            }
        }
    }
    Ok(())
}

/// The tables under `key` (`[[dimension]]`, or an array of inline tables),
/// which must be as many as the definition has.
fn entries<'t>(
    table: &'t mut dyn TableLike,
    key: &str,
    expected: usize,
) -> Result<Vec<&'t mut dyn TableLike>, String> {
    let found: Vec<&'t mut dyn TableLike> = match table.get_mut(key) {
        Some(Item::ArrayOfTables(array)) => {
            array.iter_mut().map(|t| t as &mut dyn TableLike).collect()
        }
        Some(Item::Value(Value::Array(array))) => array
            .iter_mut()
            .filter_map(|v| v.as_inline_table_mut())
            .map(|t| t as &mut dyn TableLike)
            .collect(),
        _ => Vec::new(),
    };
    if found.len() != expected {
        return Err(format!(
            "found {} `{key}` table(s) where the definition has {expected}",
            found.len()
        ));
    }
    Ok(found)
}

/// `weight = share`, the shortest decimal that reads back as it, in place
/// of the weight written (keeping its comment) or added. A share too small
/// to count next to its siblings (below 2.2e-16, which the definition
/// refuses as written) is written 0: it adds nothing to any score.
fn set_weight(table: &mut dyn TableLike, share: f64) {
    let share = if share < f64::EPSILON { 0.0 } else { share };
    let value: Value = number(share).parse().unwrap_or_else(|_| Value::from(share));
    set_value(table, "weight", value);
}

/// `key = value`, keeping the spacing and comment of the value it replaces.
fn set_value(table: &mut dyn TableLike, key: &str, mut value: Value) {
    match table.get_mut(key) {
        Some(Item::Value(old)) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        _ => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// The frozen text must read as a definition with manual weights equal to
/// the derived ones, node by node, to rounding.
fn read_back(text: &str, derived: &Definition) -> Result<(), String> {
    let frozen = Definition::from_toml(text, &derived.origin)
        .map_err(|e| format!("the result does not read back: {e}"))?;
    let pairs = |a: &Definition, b: &Definition| -> Vec<(f64, f64)> {
        let dimensions = a.dimensions.iter().zip(&b.dimensions);
        let groups = a.groups.iter().zip(&b.groups);
        let indicators = a.indicators().zip(b.indicators());
        dimensions
            .map(|(x, y)| (x.weight, y.weight))
            .chain(groups.map(|(x, y)| (x.weight, y.weight)))
            .chain(indicators.map(|((_, x), (_, y))| (x.weight, y.weight)))
            .collect()
    };
    let same_shape = frozen.dimensions.len() == derived.dimensions.len()
        && frozen.groups.len() == derived.groups.len()
        && frozen.indicator_count() == derived.indicator_count();
    let same = same_shape
        && frozen.method.weights == WeightMethod::Manual
        && pairs(&frozen, derived)
            .iter()
            .all(|(x, y)| (x - y).abs() <= READ_BACK);
    if same {
        Ok(())
    } else {
        Err("the weights read back differ from those derived".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::derive::resolve_with;

    const COMMENTED: &str = r#"# My index.
[index]
name = "T"

# How it is scored.
[method]
normalize = "minmax"
weights = "equal"   # every child the same

[[dimension]]
id = "a"
weight = 3   # a counts triple

[[dimension.indicator]]
id = "x"

[[dimension.indicator]]
id = "y"
weight = 2

[[dimension]]
id = "b"

[[dimension.indicator]]
id = "z"
"#;

    fn frozen(text: &str) -> String {
        let definition = Definition::from_toml(text, "t.toml").unwrap();
        let resolved = resolve_with(&definition, WeightMethod::Equal, None).unwrap();
        freeze(text, &resolved, None).unwrap()
    }

    #[test]
    fn weights_are_written_in_and_comments_kept() {
        let out = frozen(COMMENTED);
        assert_eq!(
            out,
            format!(
                r#"# My index.
[index]
name = "T"

# Weights derived by kmgov {} with weights = "equal", as equal shares of every node's
# children, and frozen here as manual weights: each `weight` below is the share of its
# dimension, group or indicator among its siblings.

# How it is scored.
[method]
normalize = "minmax"
weights = "manual"   # every child the same

[[dimension]]
id = "a"
weight = 0.5   # a counts triple

[[dimension.indicator]]
id = "x"
weight = 0.5

[[dimension.indicator]]
id = "y"
weight = 0.5

[[dimension]]
id = "b"
weight = 0.5

[[dimension.indicator]]
id = "z"
weight = 1
"#,
                env!("CARGO_PKG_VERSION")
            )
        );
    }

    #[test]
    fn inline_tables_and_a_missing_method_table_are_handled() {
        let text = "dimension = [{ id = \"a\", weight = 3, indicator = [{ id = \"x\" }, { id = \"y\", weight = 3 }] }, { id = \"b\", indicator = [{ id = \"z\" }] }]\n[index]\nname = \"T\"\n";
        let out = frozen(text);
        assert!(out.starts_with("# Weights derived by kmgov"), "{out}");
        // A weight written is replaced in place; one not written is added.
        assert!(
            out.contains("{ id = \"a\", weight = 0.5, indicator = [{ id = \"x\" , weight = 0.5 }, { id = \"y\", weight = 0.5 }] }"),
            "{out}"
        );
        let back = Definition::from_toml(&out, "t").unwrap();
        assert_eq!(back.global_weights(), [0.25, 0.25, 0.5]);
    }

    #[test]
    fn the_method_table_loses_what_manual_weights_do_not_take() {
        let mut document: DocumentMut = "[method]\nweights = \"entropy\"  # from the data\nweights_period = \"2019\"\nentropy_shift = 0.01\nscope = \"pooled\"\n"
            .parse()
            .unwrap();
        assert!(set_method(&mut document, "# how\n"));
        assert_eq!(
            document.to_string(),
            "\n# how\n[method]\nweights = \"manual\"  # from the data\nscope = \"pooled\"\n"
        );
        let mut inline: DocumentMut = "method = { weights = \"cv\" }\n".parse().unwrap();
        assert!(!set_method(&mut inline, "# how\n"));
        assert_eq!(inline.to_string(), "method = { weights = \"manual\" }\n");
    }

    #[test]
    fn the_comment_goes_between_blank_lines_and_the_users_comment() {
        assert_eq!(above("", "# c\n"), "\n# c\n");
        assert_eq!(above("\n", "# c\n"), "\n# c\n");
        assert_eq!(above("\n\n# mine\n", "# c\n"), "\n\n# c\n\n# mine\n");
        assert_eq!(above("\n  # mine\n", "# c\n"), "\n# c\n\n  # mine\n");
    }

    #[test]
    fn long_words_get_a_line_of_their_own() {
        let long = "x".repeat(30);
        assert_eq!(
            wrap(&format!("a b {long} c"), 10),
            ["a b", long.as_str(), "c"]
        );
        assert_eq!(wrap("", 10), Vec::<String>::new());
    }

    #[test]
    fn a_share_too_small_to_count_is_written_as_zero() {
        let mut document: DocumentMut = "weight = 1 # w\n".parse().unwrap();
        set_weight(document.as_table_mut(), 1e-17);
        assert_eq!(document.to_string(), "weight = 0 # w\n");
        set_weight(document.as_table_mut(), 2.5e-10);
        assert_eq!(document.to_string(), "weight = 2.5e-10 # w\n");
    }
}
