//! Indicator names in long-form rows that are not the definition's ids as
//! written: unknown names (warned about, with a suggestion) and other
//! spellings of known ones.

use std::collections::HashSet;

use super::super::Suggester;
use crate::definition::Definition;
use crate::error::{Location, Problem, echo};

/// Indicator names that are not in the definition: a warning for each of
/// the first [`UNKNOWN_LISTED`], with a "did you mean" where one is close,
/// and a count of the rest.
pub(super) struct Unknown<'a> {
    seen: HashSet<String>,
    suggester: Suggester<'a>,
    more: usize,
}

/// Unknown indicator names warned about one by one.
const UNKNOWN_LISTED: usize = 20;

impl<'a> Unknown<'a> {
    pub(super) fn new(definition: &'a Definition) -> Unknown<'a> {
        Unknown {
            seen: HashSet::new(),
            suggester: Suggester::new(definition.indicators().map(|(_, i)| i.id.as_str())),
            more: 0,
        }
    }

    /// Notes `indicator` (as compared), found on `line`.
    pub(super) fn note(
        &mut self,
        indicator: &str,
        line: u64,
        name: &str,
        warnings: &mut Vec<Problem>,
    ) {
        if self.seen.contains(indicator) {
            return;
        }
        if self.seen.len() >= UNKNOWN_LISTED {
            // Past the listed ones, only a count: a file of another
            // definition's indicators needs no thousand warnings.
            if self.seen.len() < UNKNOWN_SEEN {
                self.seen.insert(indicator.to_string());
                self.more += 1;
            }
            return;
        }
        self.seen.insert(indicator.to_string());
        let hint = match self.suggester.suggest(indicator) {
            Some(id) => {
                format!("did you mean `{id}`? check its spelling against the indicator ids")
            }
            None => "check its spelling against the indicator ids".to_string(),
        };
        warnings.push(
            Problem::warning(
                Location::line(name, line),
                format!(
                    "indicator `{}` is not in the definition and is ignored",
                    echo(indicator)
                ),
            )
            .with_hint(hint),
        );
    }

    /// The count of the names not listed, if any.
    pub(super) fn finish(self, name: &str, warnings: &mut Vec<Problem>) {
        if self.more == 0 {
            return;
        }
        let at_least = if self.seen.len() >= UNKNOWN_SEEN {
            "at least "
        } else {
            ""
        };
        warnings.push(
            Problem::warning(
                name.to_string(),
                format!(
                    "{at_least}{} more indicator names are not in the definition and are ignored",
                    self.more
                ),
            )
            .with_hint("check that the definition (--config) is the one for this file"),
        );
    }
}

/// The most unknown indicator names remembered (to count each once).
const UNKNOWN_SEEN: usize = 100_000;

/// Indicator names spelt otherwise than their id (`ｘ１` for `x1`), each
/// pair once, in order of appearance; at most 20 are kept, as at most 20
/// are shown.
#[derive(Default)]
pub(super) struct IndicatorSpellings {
    seen: Vec<(u32, String)>,
}

impl IndicatorSpellings {
    /// Notes that the indicator (or population) `target` was spelt `spelt`,
    /// which reads as `normal`.
    pub(super) fn note(&mut self, target: u32, spelt: &str, normal: &str) {
        if spelt != normal
            && self.seen.len() < 20
            && !self.seen.iter().any(|(t, s)| *t == target && s == spelt)
        {
            self.seen.push((target, spelt.to_string()));
        }
    }

    /// (the id, the other spelling).
    pub(super) fn pairs(self, definition: &Definition) -> Vec<(String, String)> {
        let ids: Vec<&str> = definition
            .indicators()
            .map(|(_, i)| i.id.as_str())
            .collect();
        self.seen
            .into_iter()
            .map(|(target, spelt)| {
                let id = ids
                    .get(target as usize)
                    .copied()
                    .or(definition.columns.population.as_deref())
                    .unwrap_or_default();
                (id.to_string(), spelt)
            })
            .collect()
    }
}
