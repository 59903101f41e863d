//! Weights: each in range, and each group's as shares of its sum, refusing a
//! group that weighs nothing and a share too small to count.

use toml::Spanned;

use super::{MAX_MAGNITUDE, Validator, show};
use crate::error::Location;

/// The smallest positive weight: the mirror of the largest, [`MAX_MAGNITUDE`].
const MIN_WEIGHT: f64 = 1e-100;

/// An item as named in messages, and where its weight is written (else
/// where the item is): what a message about its share of a group points at.
pub(super) type Place = (String, Location);

impl Validator<'_> {
    /// Each weight's share of its group's sum, with the group's problems: a
    /// sum of zero, a share too small to count.
    pub(super) fn shares(
        &mut self,
        weights: &[f64],
        what: &str,
        at: &Location,
        places: &[Place],
    ) -> Vec<f64> {
        let shares = self.normalise_weights(weights, what, at);
        self.negligible_weights(weights, &shares, places);
        shares
    }

    /// A weight as written, 1 when absent; 0 (after saying why) when it is
    /// neither 0 nor within 1e-100 to 1e100.
    pub(super) fn weight(&mut self, weight: Option<&Spanned<f64>>, item: &str) -> f64 {
        let Some(weight) = weight else { return 1.0 };
        let value = *weight.get_ref();
        // Below 1e-100 a weight nears the numbers a computer holds only
        // approximately (1e-316 and 3e-316 are not in the ratio 1 : 3).
        if value != 0.0 && !(MIN_WEIGHT..=MAX_MAGNITUDE).contains(&value) {
            let at = self.at(weight);
            self.invalid(
                at,
                item.to_string(),
                format!(
                    "weight {} is not 0 or a number from 1e-100 to 1e100",
                    show(value)
                ),
                "weights are relative: use 0 or a positive number such as 1",
            );
            return 0.0;
        }
        value
    }

    /// Where a weight is written, else where its item is.
    pub(super) fn weight_at(&self, weight: Option<&Spanned<f64>>, item_at: &Location) -> Location {
        weight.map_or_else(|| item_at.clone(), |w| self.at(w))
    }

    /// A positive weight whose share of its group is below the precision of
    /// a sum (or underflows to 0) counts for nothing, though the user gave it
    /// weight: refuse rather than compute as if the item were absent.
    fn negligible_weights(&mut self, raw: &[f64], shares: &[f64], places: &[Place]) {
        for ((weight, share), (item, at)) in raw.iter().zip(shares).zip(places) {
            if *weight <= 0.0 || *share >= f64::EPSILON {
                continue;
            }
            self.invalid(
                at.clone(),
                item.clone(),
                format!(
                    "its weight is {} of its group's total, too small to count next to the others \
                     (the weights differ by more than 15 orders of magnitude)",
                    show(*share)
                ),
                "give weights of comparable size; only their ratios matter (1 and 3, not 1e-90 and 1); \
                 to leave an item out, set its weight to 0",
            );
        }
    }

    /// Divides by the sum; reports a zero sum (the group would weigh nothing).
    fn normalise_weights(&mut self, weights: &[f64], what: &str, at: &Location) -> Vec<f64> {
        let sum: f64 = weights.iter().sum();
        if weights.is_empty() {
            return Vec::new();
        }
        if sum <= 0.0 || !sum.is_finite() {
            if weights.iter().all(|w| w.is_finite() && *w >= 0.0) {
                self.invalid(
                    at.clone(),
                    what.to_string(),
                    "sum to zero".into(),
                    "give at least one item a positive weight",
                );
            }
            return vec![0.0; weights.len()];
        }
        weights.iter().map(|w| w / sum).collect()
    }
}
