//! Suggestions for misspelt column and indicator names: the candidate equal
//! ignoring case, spaces and punctuation, or the nearest within a small edit
//! distance.

use std::collections::HashMap;

/// Finds the name a misspelt column or indicator name probably stands for:
/// one equal to it ignoring case, spaces and punctuation (`PM2.5` for
/// `pm25`), or within a small edit distance of it, and closer than any
/// other candidate.
///
/// Candidates are prepared once, so that many lookups against many names
/// stay fast: an exact match (ignoring case, spaces and punctuation) is one
/// hash lookup, and the edit distance is computed only against candidates of
/// a length within the distance allowed, with at most [`SUGGESTION_BUDGET`]
/// comparisons in all. A file with thousands of unknown names is for another
/// definition, and a "do not match" message serves it better than thousands
/// of guesses.
pub struct Suggester<'a> {
    /// Squashed candidate → the candidate, `None` when two squash alike.
    exact: HashMap<Vec<char>, Option<&'a str>>,
    /// Squashed candidates by length (in characters).
    by_length: HashMap<usize, Vec<(Vec<char>, &'a str)>>,
    /// Edit-distance comparisons left.
    budget: usize,
}

/// The most edit-distance comparisons one [`Suggester`] makes.
pub(super) const SUGGESTION_BUDGET: usize = 1_000_000;

/// A name as compared for suggestions: letters and digits only, lowercase.
pub(super) fn squash(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl<'a> Suggester<'a> {
    /// Prepares the candidates for lookups.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Suggester<'a> {
        let mut exact: HashMap<Vec<char>, Option<&'a str>> = HashMap::new();
        let mut by_length: HashMap<usize, Vec<(Vec<char>, &'a str)>> = HashMap::new();
        for candidate in candidates {
            let squashed = squash(candidate);
            if squashed.is_empty() {
                continue;
            }
            exact
                .entry(squashed.clone())
                .and_modify(|found| {
                    if *found != Some(candidate) {
                        *found = None;
                    }
                })
                .or_insert(Some(candidate));
            by_length
                .entry(squashed.len())
                .or_default()
                .push((squashed, candidate));
        }
        Suggester {
            exact,
            by_length,
            budget: SUGGESTION_BUDGET,
        }
    }

    /// The candidate `wanted` is probably a misspelling of, if any.
    pub fn suggest(&mut self, wanted: &str) -> Option<&'a str> {
        let target = squash(wanted);
        if target.is_empty() {
            return None;
        }
        if let Some(&found) = self.exact.get(&target) {
            // Two candidates equal to it but for case or punctuation: no guess.
            return found;
        }
        let allowed = match target.len() {
            0..=3 => return None,
            4..=7 => 1,
            _ => 2,
        };
        let mut best: Option<(usize, &'a str)> = None;
        let mut tied = false;
        for length in target.len() - allowed..=target.len() + allowed {
            for (squashed, candidate) in self.by_length.get(&length).into_iter().flatten() {
                if self.budget == 0 {
                    return None;
                }
                self.budget -= 1;
                let Some(distance) = edit_distance_within(&target, squashed, allowed) else {
                    continue;
                };
                match best {
                    Some((d, _)) if d < distance => {}
                    Some((d, found)) if d == distance => tied |= found != *candidate,
                    _ => {
                        best = Some((distance, candidate));
                        tied = false;
                    }
                }
            }
        }
        best.filter(|_| !tied).map(|(_, found)| found)
    }
}

/// The Levenshtein distance of `a` and `b` when it is at most `limit`:
/// only the diagonal band of width 2 × `limit` + 1 is computed (and its
/// two edges set), since a path outside it costs more than the limit, so
/// the time is the length times the band, even for very long names.
pub(super) fn edit_distance_within(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let far = limit + 1;
    let mut previous: Vec<usize> = (0..=b.len()).map(|j| j.min(far)).collect();
    let mut current = vec![far; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        let row = i + 1;
        let (from, to) = (row.saturating_sub(limit), (row + limit).min(b.len()));
        // The cells just outside the band read as too far.
        let mut smallest = far;
        if from == 0 {
            current[0] = row.min(far);
            smallest = current[0];
        } else {
            current[from - 1] = far;
        }
        if let Some(next) = current.get_mut(to + 1) {
            *next = far;
        }
        for j in from.max(1)..=to {
            let substitution = previous[j - 1] + usize::from(*ca != b[j - 1]);
            let value = substitution
                .min(previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(far);
            current[j] = value;
            smallest = smallest.min(value);
        }
        if smallest > limit {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suggest<'a>(wanted: &str, candidates: &[&'a str]) -> Option<&'a str> {
        Suggester::new(candidates.iter().copied()).suggest(wanted)
    }

    #[test]
    fn suggestions_ignore_case_spaces_and_punctuation() {
        assert_eq!(suggest("pm25", &["PM2.5", "year"]), Some("PM2.5"));
        assert_eq!(suggest("pm25", &["PM25"]), Some("PM25"));
        assert_eq!(
            suggest("forest_cover", &["forrest_cover"]),
            Some("forrest_cover")
        );
        assert_eq!(suggest("forest_cover", &["population"]), None);
        assert_eq!(suggest("x", &["y"]), None);
        assert_eq!(suggest("abcd", &["abce", "abcf"]), None);
        assert_eq!(suggest("pm25", &["PM2.5", "pm_25"]), None);
        assert_eq!(
            suggest("abcdefgh", &["abcdefgx", "abcdxxgh"]),
            Some("abcdefgx")
        );
    }

    /// The banded distance agrees with the full one wherever it answers.
    #[test]
    fn banded_edit_distance_is_the_edit_distance() {
        fn full(a: &[char], b: &[char]) -> usize {
            let mut previous: Vec<usize> = (0..=b.len()).collect();
            for (i, ca) in a.iter().enumerate() {
                let mut current = vec![i + 1; b.len() + 1];
                for (j, cb) in b.iter().enumerate() {
                    let substitution = previous[j] + usize::from(ca != cb);
                    current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
                }
                previous = current;
            }
            previous[b.len()]
        }
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "forest", "forrest", "frost", "kitten", "sitting",
            "abcdefgh", "bcdefghi", "xbcdefgy",
        ];
        for a in words {
            for b in words {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                let distance = full(&a, &b);
                for limit in 0..4 {
                    let expected = (distance <= limit).then_some(distance);
                    assert_eq!(
                        edit_distance_within(&a, &b, limit),
                        expected,
                        "{a:?} {b:?} {limit}"
                    );
                }
            }
        }
        // Half a million characters each: the band, not the square.
        let long: Vec<char> = "kunming".chars().cycle().take(500_000).collect();
        let mut other = long.clone();
        other[250_000] = 'x';
        other.remove(10);
        assert_eq!(edit_distance_within(&long, &other, 2), Some(2));
        assert_eq!(edit_distance_within(&long, &other, 1), None);
    }

    /// Thousands of names against thousands of candidates: the comparisons
    /// stop at the budget instead of taking minutes.
    #[test]
    fn suggestions_are_bounded() {
        let names: Vec<String> = (0..20_000).map(|i| format!("indicator_{i:05}")).collect();
        let mut suggester = Suggester::new(names.iter().map(String::as_str));
        let mut found = 0;
        for i in 0..20_000 {
            found += usize::from(suggester.suggest(&format!("unknown_{i:05}")).is_some());
        }
        assert_eq!(found, 0);
        assert_eq!(suggester.budget, 0);
        // An exact match (but for case and punctuation) needs no budget.
        assert_eq!(
            suggester.suggest("INDICATOR-00042"),
            Some("indicator_00042")
        );
    }
}
