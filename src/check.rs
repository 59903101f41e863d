//! `kmgov check`: every problem in a definition and its data, in one pass.
//!
//! Errors are what would stop `kmgov score`; warnings are what would let it
//! run but deserve a look before the numbers go into a report.

mod series;

use std::collections::HashSet;

use crate::data::{Input, Panel, ReadOptions};
use crate::definition::{Aggregate, Children, Definition, Direction, Normalize, Parent};
use crate::error::{Error, Location, Problem, Severity, number_text};
use crate::pipeline::{self, Scores, normalize::Stats};
use crate::report::Changes;
use crate::system::sheets::SheetOptions;

/// How far from the period's median, in robust standard deviations
/// (1.4826·MAD), a value must lie to be called an outlier.
pub const OUTLIER_Z: f64 = 5.0;

/// What `check` found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Every problem, errors first, each group in the order found.
    pub problems: Vec<Problem>,
    /// Data rows read (0 when the data could not be read).
    pub rows: usize,
    /// Distinct units.
    pub units: usize,
    /// Distinct periods.
    pub periods: usize,
    /// What was assumed on the way (which sheet of a workbook was read).
    pub notes: Vec<String>,
}

impl CheckReport {
    /// How many problems have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }

    /// True when `score` would fail.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// Checks a definition (already loaded, or the error loading it) against data.
pub fn check(
    definition: Result<Definition, Error>,
    input: &Input,
    options: ReadOptions,
) -> CheckReport {
    check_sheets(definition, input, options, &SheetOptions::default())
}

/// [`check`], with data that may be a workbook's sheets.
pub fn check_sheets(
    definition: Result<Definition, Error>,
    input: &Input,
    options: ReadOptions,
    sheets: &SheetOptions,
) -> CheckReport {
    let mut report = CheckReport::default();
    let definition = match definition {
        Ok(definition) => definition,
        Err(error) => {
            report.problems = error.problems();
            return report;
        }
    };
    report.problems.extend(definition_warnings(&definition));
    let options = ReadOptions {
        keep_going: true,
        ..options
    };
    match crate::system::sheets::read_data(input, &definition, options, sheets) {
        Err(error) => report.problems.extend(error.problems()),
        Ok((panel, notes)) => {
            report.notes = notes;
            report.rows = panel.keys.rows.len();
            report.units = panel.keys.units.len();
            report.periods = panel.keys.periods.len();
            let bad_cells: HashSet<Location> =
                panel.recovered.iter().map(|p| p.location.clone()).collect();
            report.problems.extend(panel.recovered.iter().cloned());
            report.problems.extend(panel.warnings.iter().cloned());
            report.problems.extend(data_warnings(&definition, &panel));
            report
                .problems
                .extend(series::series_warnings(&definition, &panel));
            if report.periods > 1 {
                report.problems.extend(relative_changes(&definition));
            }
            // Derived weights are part of the index: their errors stop
            // `score`, and their warnings deserve the same look.
            let definition = match crate::weights::derive::resolve(&definition, Some(&panel)) {
                Ok(resolved) => {
                    report.problems.extend(resolved.warnings);
                    resolved.definition
                }
                Err(error) => {
                    report.problems.extend(error.problems());
                    report.problems.sort_by_key(|p| p.severity);
                    return report;
                }
            };
            match pipeline::score(&definition, panel) {
                // A cell that was not a number reads as missing: say so once.
                Err(error) => report.problems.extend(
                    error
                        .problems()
                        .into_iter()
                        .filter(|p| !bad_cells.contains(&p.location)),
                ),
                Ok(scores) => report.problems.extend(filled_cells(&scores)),
            }
        }
    }
    report.problems.sort_by_key(|p| p.severity);
    report
}

/// Inputs up to this many rows get the data warnings counted by `score`;
/// beyond it the count would cost a noticeable share of a large run, and
/// `score` says to run `check` instead.
pub const SUMMARY_ROWS: usize = 200_000;

/// The warnings `check` would give about this definition and data, for the
/// one-line summary `score` prints: not the reader's own warnings (such as
/// ignored columns), which `score` prints in full, nor the relative-changes
/// warning, which it prints as a note. `None` past [`SUMMARY_ROWS`].
pub fn summary_warnings(definition: &Definition, panel: &Panel) -> Option<Vec<Problem>> {
    if panel.keys.rows.len() > SUMMARY_ROWS {
        return None;
    }
    let mut warnings = definition_warnings(definition);
    warnings.extend(data_warnings(definition, panel));
    warnings.extend(series::series_warnings(definition, panel));
    Some(warnings)
}

/// The warning that year-on-year changes compare relative positions, when
/// they do: `score` prints the same as a note.
pub fn relative_changes(definition: &Definition) -> Option<Problem> {
    if Changes::of(definition) != Changes::Relative {
        return None;
    }
    if definition.method.aggregate == Aggregate::Topsis {
        return Some(
            Problem::warning(
                definition.origin.clone(),
                "changes compare relative positions, not levels: TOPSIS with scope = \"period\" measures each unit against its period's best and worst, so a unit that improves on every indicator can still fall",
            )
            .with_hint("for changes on one scale, set [method] scope = \"pooled\" (every period against the best and worst of all of them); see docs/METHODOLOGY.md"),
        );
    }
    let methods: Vec<String> = definition
        .indicators()
        .map(|(_, i)| i.normalize)
        .filter(|n| n.is_data_driven())
        .map(|n| n.to_string())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Some(
        Problem::warning(
            definition.origin.clone(),
            format!(
                "changes compare relative positions, not levels: {} with scope = \"period\" rescales every period on its own units, so a unit that improves on every indicator can still fall",
                methods.join(", ")
            ),
        )
        .with_hint("for changes in level, set [method] scope = \"base\" (every period on the first period's scale) or use goalposts; see docs/METHODOLOGY.md"),
    )
}

/// One warning per cell that `missing = "mean"` or `"carry"` filled, so the
/// report can say which values were not in the data.
fn filled_cells(scores: &Scores) -> Vec<Problem> {
    let keys = &scores.keys;
    scores
        .filled
        .iter()
        .map(|cell| {
            let source = match cell.rule {
                crate::definition::Missing::Carry => "the unit's nearest earlier period",
                _ => "the mean of the period's units",
            };
            Problem::warning(
                keys.locate(cell.row, Some(cell.indicator)),
                format!(
                    "indicator `{}`, unit {}, period {}: missing, filled with {} ({source})",
                    scores.indicators[cell.indicator],
                    keys.unit_of(cell.row),
                    keys.period_of(cell.row),
                    cell.value
                ),
            )
            .with_hint("enter the real value if it is known; the report lists filled cells")
        })
        .collect()
}

/// Warnings about the definition alone.
pub fn definition_warnings(definition: &Definition) -> Vec<Problem> {
    let mut warnings = Vec::new();
    if let Some(ahp) = &definition.ahp
        && !ahp_in_use(definition)
    {
        let at = ahp
            .dimensions
            .as_ref()
            .map(|m| m.at.clone())
            .or_else(|| ahp.nodes.first().map(|(_, m)| m.at.clone()))
            .unwrap_or_else(|| Location::file(&definition.origin));
        warnings.push(
            Problem::warning(
                at.with_item("[ahp]".to_string()),
                format!(
                    "the judgement matrices are not used: weights = \"{}\"",
                    definition.method.weights
                ),
                )
                .with_hint("set weights = \"ahp\" (or combined with subjective = \"ahp\") to use them; nothing to do if they are kept as a record"),
        );
    }
    let origin = &definition.origin;
    let item_at = |line: Option<u64>| match line {
        Some(line) => Location::line(origin, line),
        None => Location::file(origin),
    };
    let dimension_weights: Vec<f64> = definition.dimensions.iter().map(|d| d.raw_weight).collect();
    if let Some(note) = weights_note(origin, "the dimension weights", &dimension_weights) {
        warnings.push(note);
    }
    // Every set of siblings: each dimension's and each group's children.
    let nodes = (0..definition.dimensions.len())
        .map(Parent::Dimension)
        .chain((0..definition.groups.len()).map(Parent::Group));
    let all_indicators: Vec<&crate::definition::Indicator> =
        definition.indicators().map(|(_, i)| i).collect();
    for node in nodes {
        let (kind, weights): (&str, Vec<f64>) = match definition.children(node) {
            Children::Indicators(range) => (
                "indicator",
                all_indicators[range.clone()]
                    .iter()
                    .map(|i| i.raw_weight)
                    .collect(),
            ),
            Children::Groups(groups) => (
                "group",
                groups
                    .iter()
                    .map(|&g| definition.groups[g].raw_weight)
                    .collect(),
            ),
        };
        let noun = match node {
            Parent::Dimension(_) => "dimension",
            Parent::Group(_) => "group",
        };
        let what = format!(
            "the {kind} weights of {noun} `{}`",
            definition.node_id(node)
        );
        if let Some(note) = weights_note(origin, &what, &weights) {
            warnings.push(note);
        }
    }
    for ((_, indicator), parent) in definition.indicators().zip(definition.indicator_parents()) {
        if indicator.normalize == Normalize::None && indicator.direction == Direction::Lower {
            warnings.push(
                Problem::warning(
                    item_at(indicator.line),
                    format!(
                        "indicator `{}`: direction is \"lower\" but normalize \"none\" uses the value as given",
                        indicator.id
                    ),
                )
                .with_hint("give it a normalization that can reverse it, or supply values where higher is better"),
            );
        }
        let above = aggregators_above(definition, parent);
        if indicator.normalize == Normalize::Zscore
            && let Some(aggregate) = above.into_iter().find(|a| *a != Aggregate::Arithmetic)
        {
            warnings.push(
                Problem::warning(
                    item_at(indicator.line),
                    format!(
                        "indicator `{}`: z-scores are negative for half the units, which {aggregate} aggregation cannot take",
                        indicator.id
                    ),
                )
                .with_hint("use aggregate = \"arithmetic\" with z-scores (in [method], and on any dimension or group that sets its own)"),
            );
        }
    }
    warnings
}

/// The aggregators a score meets on its way up from `node` to the
/// composite: the node's own, each ancestor's, then `[method]`'s.
fn aggregators_above(definition: &Definition, mut node: Parent) -> Vec<Aggregate> {
    let mut found = vec![definition.aggregate_of(node)];
    while let Parent::Group(g) = node {
        node = definition.groups[g].parent;
        found.push(definition.aggregate_of(node));
    }
    found.push(definition.method.aggregate);
    found
}

/// True when the `[ahp]` matrices give weights.
fn ahp_in_use(definition: &Definition) -> bool {
    use crate::definition::{Subjective, WeightMethod};
    match definition.method.weights {
        WeightMethod::Ahp => true,
        WeightMethod::Combined => definition
            .combined
            .is_some_and(|c| c.subjective == Subjective::Ahp),
        _ => false,
    }
}

/// A note when unequal weights do not sum to 1: they still work (they are
/// relative), but a reviewer reading the file cannot see the shares at a glance.
/// Equal weights are plainly equal shares whatever they sum to.
fn weights_note(origin: &str, what: &str, weights: &[f64]) -> Option<Problem> {
    let sum: f64 = weights.iter().sum();
    let all_equal = weights.iter().all(|w| *w == weights[0]);
    if all_equal || (sum - 1.0).abs() <= 1e-9 {
        return None;
    }
    Some(
        Problem::warning(
            origin,
            format!(
                "{what} sum to {}, not 1; they are relative and are divided by their sum",
                number_text(sum)
            ),
        )
        .with_hint("nothing to do if this is intended; write them to sum to 1 to make the shares plain to reviewers"),
    )
}

/// Indicators whose every value lies between 0 and 1 while their goalposts
/// span a larger scale: shares entered as fractions (0.6821 for 68.21 %)
/// would all score near the bottom. `score` prints these in full.
pub fn scale_warnings(definition: &Definition, panel: &Panel) -> Vec<Problem> {
    let keys = &panel.keys;
    let mut warnings = Vec::new();
    for (i, (_, indicator)) in definition.indicators().enumerate() {
        let Some(posts) = indicator
            .goalposts
            .filter(|_| indicator.normalize == Normalize::Goalposts)
        else {
            continue;
        };
        let column = &panel.values[i];
        let present: Vec<f64> = column.iter().copied().filter(|x| !x.is_nan()).collect();
        let fractions = present.len() >= 2
            && present.iter().all(|x| (0.0..=1.0).contains(x))
            && present.iter().any(|&x| x > 0.0);
        if fractions && posts.hi - posts.lo > 5.0 {
            let first = (0..column.len())
                .find(|&r| !column[r].is_nan())
                .unwrap_or(0);
            warnings.push(
                Problem::warning(
                    keys.locate(first, Some(i)),
                    format!(
                        "indicator `{}`: every value lies between 0 and 1, but its goalposts are [{}, {}]: if these are shares written as fractions (0.6821 for 68.21 %), every unit scores near {}",
                        indicator.id,
                        posts.lo,
                        posts.hi,
                        if indicator.direction == Direction::Lower { "the top" } else { "the bottom" }
                    ),
                )
                .with_hint("write the values on the goalposts' scale (68.21), or give goalposts on the values' scale ([0.2, 0.8])"),
            );
        }
    }
    warnings
}

/// Warnings about data that scores but looks suspicious.
pub fn data_warnings(definition: &Definition, panel: &Panel) -> Vec<Problem> {
    let keys = &panel.keys;
    let mut warnings = scale_warnings(definition, panel);
    warnings.extend(crate::report::areas::moved_units(keys, 20));
    for (i, (_, indicator)) in definition.indicators().enumerate() {
        let column = &panel.values[i];
        let described = |row: usize, value: f64| {
            format!(
                "{} {} = {}",
                keys.unit_of(row),
                keys.period_of(row),
                number_text(value)
            )
        };

        if let Some(posts) = indicator
            .goalposts
            .filter(|_| indicator.normalize == Normalize::Goalposts)
        {
            let outside: Vec<usize> = (0..column.len())
                .filter(|&r| column[r] < posts.lo || column[r] > posts.hi)
                .collect();
            if let Some(&first) = outside.first() {
                warnings.push(
                    Problem::warning(
                        keys.locate(first, Some(i)),
                        format!(
                            "indicator `{}`: {} value(s) outside the goalposts [{}, {}], such as {}; they score 0 or 100",
                            indicator.id,
                            outside.len(),
                            posts.lo,
                            posts.hi,
                            described(first, column[first])
                        ),
                    )
                    .with_hint("check the value and its unit (a share written as 0.68 instead of 68?), or widen the goalposts"),
                );
            }
        }

        let data_driven = !matches!(indicator.normalize, Normalize::None | Normalize::Goalposts);
        for (p, range) in keys.period_ranges.iter().enumerate() {
            let values = &column[range.clone()];
            let stats = Stats::of(values.iter().copied());
            if data_driven && stats.is_constant() && stats.n > 1 {
                warnings.push(
                    Problem::warning(
                        Location::file(&keys.source)
                            .with_item(format!("indicator `{}`", indicator.id)),
                        format!(
                            "every unit has {} in period {}, so the indicator carries no information there",
                            stats.min, keys.periods[p]
                        ),
                    )
                    .with_hint("check the column was filled in; a constant scores the midpoint (see docs/METHODOLOGY.md)"),
                );
            }
            for (row, z) in robust_outliers(values) {
                let row = range.start + row;
                warnings.push(
                    Problem::warning(
                        keys.locate(row, Some(i)),
                        format!(
                            "indicator `{}`: {} lies {:.1} robust standard deviations from the period's median",
                            indicator.id,
                            described(row, column[row]),
                            z
                        ),
                    )
                    .with_hint("check for a typing or unit error; if the value is right, nothing to do"),
                );
            }
        }
    }
    warnings.extend(units_missing_from_periods(panel));
    warnings
}

/// Values more than [`OUTLIER_Z`] robust standard deviations from the median:
/// the modified z-score of Iglewicz and Hoaglin (*How to Detect and Handle
/// Outliers*, 1993), with 1.4826·MAD as the robust standard deviation, so
/// that one wild value cannot hide itself by inflating the spread as it
/// would an ordinary standard deviation.
fn robust_outliers(values: &[f64]) -> Vec<(usize, f64)> {
    let mut present: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if present.len() < 5 {
        return Vec::new();
    }
    let median = median(&mut present);
    let mut deviations: Vec<f64> = present.iter().map(|x| (x - median).abs()).collect();
    let mad = 1.4826 * self::median(&mut deviations);
    if mad.is_nan() || mad <= 0.0 {
        return Vec::new();
    }
    values
        .iter()
        .enumerate()
        .filter(|(_, x)| !x.is_nan())
        .map(|(row, x)| (row, (x - median).abs() / mad))
        .filter(|&(_, z)| z > OUTLIER_Z)
        .collect()
}

/// The median, by selection (linear time); NaN for no values.
fn median(values: &mut [f64]) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let (_, &mut upper, _) = values.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        upper
    } else {
        // The lower middle is the largest value below the upper one.
        let lower = values[..n / 2]
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

/// How many absent periods a warning names before it counts the rest.
const ABSENT_SHOWN: usize = 10;

/// A warning per unit absent from some period. Linear in rows and in the
/// warnings written, whatever the number of periods: a panel where every unit
/// has its own period must not need units × periods memory.
fn units_missing_from_periods(panel: &Panel) -> Vec<Problem> {
    let keys = &panel.keys;
    if keys.periods.len() < 2 {
        return Vec::new();
    }
    let mut present: Vec<Vec<u32>> = vec![Vec::new(); keys.units.len()];
    // Rows run in period order, so each unit's periods arrive ascending.
    for row in &keys.rows {
        present[row.unit as usize].push(row.period);
    }
    present
        .iter()
        .enumerate()
        .filter(|(_, periods)| periods.len() < keys.periods.len())
        .map(|(unit, periods)| {
            let absent_count = keys.periods.len() - periods.len();
            let mut here = periods.iter().peekable();
            let absent: Vec<&str> = (0..keys.periods.len() as u32)
                .filter(|p| {
                    if here.peek() == Some(&p) {
                        here.next();
                        false
                    } else {
                        true
                    }
                })
                .take(ABSENT_SHOWN)
                .map(|p| keys.periods[p as usize].as_str())
                .collect();
            let more = match absent_count - absent.len() {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            Problem::warning(
                keys.source.clone(),
                format!(
                    "unit {} has no row for period(s) {}{more}",
                    keys.units[unit],
                    absent.join(", ")
                ),
            )
            .with_hint(
                "add the missing rows; its change is taken against its nearest earlier period",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn check_text(definition: &str, csv: &str) -> CheckReport {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(csv.as_bytes()).unwrap();
        check(
            Definition::from_toml(definition, "t.toml"),
            &Input::Path(file.path().to_path_buf()),
            ReadOptions::default(),
        )
    }

    const DEF: &str = "[index]\nname='T'\n[method]\nnormalize='goalposts'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\ngoalposts=[0,100]\n[[dimension.indicator]]\nid='y'\nnormalize='minmax'\n";

    #[test]
    fn errors_and_warnings_are_found_in_one_pass() {
        let report = check_text(DEF, "unit,period,x,y\nA,1,120,5\nB,1,bad,5\nC,2,,5\n");
        let messages: Vec<String> = report.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(report.count(Severity::Error), 2, "{messages:?}");
        assert!(
            messages[0].contains("`bad` is not a number"),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("the value is missing")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("outside the goalposts [0, 100]")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("carries no information")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("unit C has no row for period(s) 1")),
            "{messages:?}"
        );
    }

    #[test]
    fn outliers_are_measured_robustly() {
        let values = [10.0, 11.0, 9.0, 10.5, 9.5, 10.0, 500.0];
        let found = robust_outliers(&values);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 6);
    }

    #[test]
    fn unequal_weights_not_summing_to_one_are_noted() {
        let def = DEF.replace("id='y'\n", "id='y'\nweight=3\n");
        let warnings = definition_warnings(&Definition::from_toml(&def, "t.toml").unwrap());
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("sum to 4, not 1")),
            "{warnings:?}"
        );
    }

    #[test]
    fn relative_changes_are_a_warning_only_with_several_periods() {
        let def = "[index]\nname='T'\n[[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n";
        let two = check_text(def, "unit,period,x\nA,1,1\nB,1,2\nA,2,3\nB,2,4\n");
        assert!(
            two.problems.iter().any(|p| p
                .message
                .starts_with("changes compare relative positions, not levels: minmax")),
            "{:?}",
            two.problems
        );
        let one = check_text(def, "unit,period,x\nA,1,1\nB,1,2\n");
        assert!(
            !one.problems
                .iter()
                .any(|p| p.message.contains("relative positions"))
        );
        let base = def.replace("[[dimension]]", "[method]\nscope='base'\n[[dimension]]");
        let fixed = check_text(&base, "unit,period,x\nA,1,1\nB,1,2\nA,2,3\nB,2,4\n");
        assert!(
            !fixed
                .problems
                .iter()
                .any(|p| p.message.contains("relative positions"))
        );
    }

    #[test]
    fn every_filled_cell_is_listed() {
        let def = DEF.replace(
            "normalize='goalposts'",
            "normalize='goalposts'\nmissing='mean'",
        );
        let report = check_text(&def, "unit,period,x,y\nA,1,10,5\nB,1,,6\nC,1,30,\n");
        let filled: Vec<String> = report
            .problems
            .iter()
            .filter(|p| p.message.contains("filled with"))
            .map(|p| p.to_string())
            .collect();
        assert_eq!(filled.len(), 2, "{:?}", report.problems);
        assert!(
            filled[0].contains(
                ":3:3: indicator `x`, unit B, period 1: missing, filled with 20 (the mean"
            ),
            "{filled:?}"
        );
        assert!(
            filled[1].contains("indicator `y`, unit C, period 1: missing, filled with 5.5"),
            "{filled:?}"
        );
    }

    #[test]
    fn absent_periods_are_named_up_to_a_limit() {
        let mut csv = String::from("unit,period,x,y\n");
        for p in 0..30 {
            csv += &format!("U{p},{p},50,5\n");
        }
        let report = check_text(DEF, &csv);
        let absent: Vec<&Problem> = report
            .problems
            .iter()
            .filter(|p| p.message.contains("has no row for period(s)"))
            .collect();
        assert_eq!(absent.len(), 30);
        assert!(
            absent[0]
                .message
                .ends_with("1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 19 more"),
            "{}",
            absent[0].message
        );
    }

    #[test]
    fn an_unreadable_cell_is_one_problem_however_many_there_are() {
        let mut csv = String::from("unit,period,x,y\n");
        for row in 0..3000 {
            csv += &format!("U{row},1,bad,worse\n");
        }
        let report = check_text(DEF, &csv);
        let missing = report
            .problems
            .iter()
            .filter(|p| p.message.contains("the value is missing"))
            .count();
        assert_eq!(missing, 0);
        let unreadable = report
            .problems
            .iter()
            .filter(|p| p.message.contains("is not a number"))
            .count();
        assert_eq!(unreadable, crate::data::MAX_ERRORS);
    }
}
