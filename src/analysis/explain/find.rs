//! Finding what `explain` is asked about: the unit by its exact name (as the
//! reader folds names), the period, and the period to compare with.

use crate::data::Keys;
use crate::error::{Error, echo, list_some};

/// How many of the closest names an unknown unit lists.
const CLOSEST: usize = 5;
/// Characters of each name compared when looking for the closest: enough
/// to tell names apart, and a bound on the time per name.
const COMPARED_CHARS: usize = 32;

/// The index in [`Keys::units`] of the unit named `wanted`: equal once both
/// are folded as the reader folds names (invisible characters, full-width
/// letters and digits, Unicode NFC, the ends trimmed). An unknown name is a
/// usage error listing the closest names.
pub fn unit(keys: &Keys, wanted: &str) -> Result<usize, Error> {
    let folded = crate::names::normalize(wanted.trim());
    if let Ok(found) = keys.units.binary_search_by(|u| u.as_str().cmp(&folded)) {
        return Ok(found);
    }
    let closest = closest(&keys.units, &folded);
    Err(Error::Request {
        message: format!("the data has no unit `{}`", echo(wanted)),
        hint: format!(
            "units are matched by their exact name; the closest of the {} in {}: {}",
            keys.units.len(),
            keys.source,
            list_some(
                &closest.iter().map(|u| echo(u)).collect::<Vec<_>>(),
                CLOSEST
            )
        ),
    })
}

/// Up to [`CLOSEST`] names nearest `wanted`: those containing it (or
/// contained in it) first, then by edit distance, ignoring letter case.
fn closest(names: &[String], wanted: &str) -> Vec<String> {
    let target: Vec<char> = squash(wanted);
    // (rank, name), the best kept sorted; the worst kept rank bounds the
    // distance worth computing.
    let mut best: Vec<(usize, &String)> = Vec::with_capacity(CLOSEST + 1);
    for name in names {
        let candidate = squash(name);
        let bound = if best.len() == CLOSEST {
            best[CLOSEST - 1].0
        } else {
            usize::MAX
        };
        let rank = if contains(&candidate, &target) || contains(&target, &candidate) {
            0
        } else {
            match distance_within(&target, &candidate, bound.saturating_sub(1)) {
                Some(d) => d + 1,
                None => continue,
            }
        };
        if rank >= bound {
            continue;
        }
        let at = best.partition_point(|&(r, _)| r <= rank);
        best.insert(at, (rank, name));
        best.truncate(CLOSEST);
    }
    best.into_iter().map(|(_, name)| name.clone()).collect()
}

fn squash(text: &str) -> Vec<char> {
    text.chars()
        .flat_map(char::to_lowercase)
        .take(COMPARED_CHARS)
        .collect()
}

fn contains(haystack: &[char], needle: &[char]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The edit distance of `a` and `b` when it is below `bound`, else `None`:
/// a row whose smallest cell reaches the bound cannot lead below it.
fn distance_within(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) >= bound {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut smallest = current[0];
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            smallest = smallest.min(current[j + 1]);
        }
        if smallest >= bound {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d < bound)
}

/// The index in [`Keys::periods`] of `wanted` (matched as `--period` is in
/// `score`), or the latest period; an unknown period is a usage error
/// listing the periods.
pub fn period(keys: &Keys, wanted: Option<&str>, flag: &str) -> Result<usize, Error> {
    let Some(wanted) = wanted else {
        return keys
            .periods
            .len()
            .checked_sub(1)
            .ok_or_else(|| Error::Request {
                message: "the data has no period".into(),
                hint: "give data with at least one row".into(),
            });
    };
    let label = crate::data::period_label(wanted);
    keys.periods
        .iter()
        .position(|p| *p == label)
        .ok_or_else(|| Error::Request {
            message: format!("{flag}: the data has no period `{}`", echo(wanted)),
            hint: format!("choose one of: {}", keys.periods.join(", ")),
        })
}

/// The row of unit `unit` in period `period`, if it has one.
pub fn row(keys: &Keys, unit: usize, period: usize) -> Option<usize> {
    let range = keys.period_ranges[period].clone();
    let start = range.start;
    keys.rows[range]
        .binary_search_by_key(&(unit as u32), |r| r.unit)
        .ok()
        .map(|at| start + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_closest_names_come_first() {
        let units = names(&[
            "五华区",
            "盘龙区",
            "官渡区",
            "西山区",
            "呈贡区",
            "安宁市",
            "晋宁区",
        ]);
        assert_eq!(closest(&units, "五华")[0], "五华区");
        let found = closest(&units, "盘龙县");
        assert_eq!(found[0], "盘龙区");
        assert_eq!(found.len(), 5);
        let latin = names(&["Springfield", "Shelbyville", "Ogdenville"]);
        assert_eq!(closest(&latin, "springfeld")[0], "Springfield");
    }

    #[test]
    fn distances_below_a_bound() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            distance_within(&chars("kitten"), &chars("sitting"), 9),
            Some(3)
        );
        assert_eq!(
            distance_within(&chars("kitten"), &chars("sitting"), 3),
            None
        );
        assert_eq!(distance_within(&chars(""), &chars("ab"), 9), Some(2));
    }
}
