//! A change of the composite between two states of a unit, shared among
//! every node of the tree so that at every node the children's parts add up
//! to the node's part, and the composite's part is the whole change
//! (docs/METHODOLOGY.md, "Explaining a score").
//!
//! Each node's aggregator is linear in some transform x of its children's
//! scores — x = s (arithmetic), ln s (geometric), 1/s (harmonic) — so its
//! change in x is a sum over its children, and a factor g turns it into
//! points of the node: g = 1, the logarithmic mean L(Nₜ, Nₚ) = ΔN / Δln N
//! (the log-share decomposition), and −Nₜ·Nₚ (since Δ(1/N) = −ΔN / (Nₜ·Nₚ)).
//! With renormalised weights a (each state's own) and X the node's x:
//!
//! - a child present in both states: own change g·aₜ·Δx, which is k·Δs with
//!   k = aₜ, aₜ·L(Nₜ, Nₚ)/L(sₜ, sₚ) or aₜ·Nₜ·Nₚ/(sₜ·sₚ); and re-weighting
//!   g·(aₜ − aₚ)·(xₚ − Xₚ), zero when the same children are present;
//! - a child present only now: g·aₜ·(xₜ − Xₚ); only before: −g·aₚ·(xₚ − Xₚ).
//!
//! Since the weights sum to 1 in each state, the parts add up to g·ΔX = ΔN.
//! A node's own change passes down through k; the re-weighting, entry and
//! exit parts are not any child's own change, and pass down in proportion to
//! how the child's score is made up ([`Tree::shares`]).

use super::tree::{State, Tree};
use crate::definition::Aggregate;

/// Each node's part of the composite's change from `from` to `to`, in
/// composite points; the composite's part (index 0) is the whole change, and
/// each node's children's parts sum to its own. Both states must have a
/// composite.
pub fn decompose(tree: &Tree, from: &State, to: &State) -> Vec<f64> {
    let n = tree.nodes.len();
    // Composite points per point of each node's own change, and each node's
    // part that is not its own change (re-weighting, entry, exit).
    let mut own = vec![0.0; n];
    let mut other = vec![0.0; n];
    let mut parts = vec![0.0; n];
    own[0] = 1.0;
    for at in 0..n {
        let both = !from[at].is_nan() && !to[at].is_nan();
        let change = if both { to[at] - from[at] } else { 0.0 };
        parts[at] = if own[at] == 0.0 {
            other[at]
        } else {
            own[at] * change + other[at]
        };
        let children = &tree.nodes[at].children;
        if children.is_empty() || (own[at] == 0.0 && other[at] == 0.0) {
            continue;
        }
        let split = if both {
            local(tree, at, from, to)
        } else {
            vec![(0.0, 0.0); children.len()]
        };
        let shares = level_shares(tree, at, from, to);
        for (k, &child) in children.iter().enumerate() {
            own[child] = own[at] * split[k].0;
            other[child] = own[at] * split[k].1 + other[at] * shares[k];
        }
    }
    parts
}

/// For each child of a node present in both states: (k, ℓ), its own-change
/// factor and its other part in points of the node, so that
/// Σ k·Δs + ℓ = ΔN (the module's formulas).
fn local(tree: &Tree, at: usize, from: &State, to: &State) -> Vec<(f64, f64)> {
    let node = &tree.nodes[at];
    let (now, before) = (to[at], from[at]);
    let (a_now, a_before) = (tree.renormalised(to, at), tree.renormalised(from, at));
    let (x, g): (fn(f64) -> f64, f64) = match node.aggregate {
        Aggregate::Arithmetic | Aggregate::Topsis => (|s| s, 1.0),
        Aggregate::Geometric => (f64::ln, log_mean(now, before)),
        Aggregate::Harmonic => (|s| 1.0 / s, -now * before),
    };
    let reference = x(before);
    node.children
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let (s_now, s_before) = (to[c], from[c]);
            match (a_now[k] > 0.0, a_before[k] > 0.0) {
                (true, true) => {
                    let factor = match node.aggregate {
                        Aggregate::Arithmetic | Aggregate::Topsis => a_now[k],
                        Aggregate::Geometric => {
                            a_now[k] * log_mean(now, before) / log_mean(s_now, s_before)
                        }
                        Aggregate::Harmonic => a_now[k] * now * before / (s_now * s_before),
                    };
                    let reweighting = g * (a_now[k] - a_before[k]) * (x(s_before) - reference);
                    (factor, reweighting)
                }
                (true, false) => (0.0, g * a_now[k] * (x(s_now) - reference)),
                (false, true) => (0.0, -g * a_before[k] * (x(s_before) - reference)),
                (false, false) => (0.0, 0.0),
            }
        })
        .collect()
}

/// How a part that is not a node's own change passes to its children: in
/// proportion to how its score is made up, the mean of the two states'
/// shares when it has a score in both.
fn level_shares(tree: &Tree, at: usize, from: &State, to: &State) -> Vec<f64> {
    match (!from[at].is_nan(), !to[at].is_nan()) {
        (true, true) => {
            let (a, b) = (tree.shares(from, at), tree.shares(to, at));
            a.iter().zip(&b).map(|(a, b)| (a + b) / 2.0).collect()
        }
        (true, false) => tree.shares(from, at),
        (false, true) => tree.shares(to, at),
        (false, false) => vec![0.0; tree.nodes[at].children.len()],
    }
}

/// The logarithmic mean L(x, y) = (x − y)/(ln x − ln y) of two positive
/// numbers, x itself when they are equal (its limit). When x and y are
/// close, ln x − ln y is computed as ln(1 + (x − y)/y), which stays
/// accurate; when they are far apart as ln(x/y), since (x − y)/y near −1
/// would lose every digit of 1 + (x − y)/y.
pub fn log_mean(x: f64, y: f64) -> f64 {
    if x == y {
        return x;
    }
    let d = x - y;
    let ratio = d / y;
    let logs = if ratio.abs() < 0.5 {
        ratio.ln_1p()
    } else {
        (x / y).ln()
    };
    d / logs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::definition::Definition;
    use crate::pipeline::tests::close;

    fn tree(aggregate: &str) -> Tree {
        let text = format!(
            "[index]\nname='T'\n[method]\nnormalize='none'\naggregate='{aggregate}'\n\
             [[dimension]]\nid='a'\n[[dimension.indicator]]\nid='x'\n\
             [[dimension.indicator]]\nid='y'\nweight=3\n\
             [[dimension]]\nid='b'\n[[dimension.indicator]]\nid='z'\n"
        );
        Tree::of(&Definition::from_toml(&text, "t.toml").unwrap())
    }

    fn parts(tree: &Tree, from: &[f64], to: &[f64]) -> (Vec<f64>, f64) {
        let (from, to) = (
            tree.aggregate_up(from).unwrap(),
            tree.aggregate_up(to).unwrap(),
        );
        (decompose(tree, &from, &to), to[0] - from[0])
    }

    /// a = ¼x + ¾y, composite = ½a + ½z. x 40 → 60, y 80 → 80, z 50 → 40:
    /// x adds ½·¼·20 = 2.5, z takes ½·10 = 5; the change is −2.5.
    #[test]
    fn arithmetic_is_weight_times_change() {
        let tree = tree("arithmetic");
        let (p, change) = parts(&tree, &[40.0, 80.0, 50.0], &[60.0, 80.0, 40.0]);
        assert_eq!(change, -2.5);
        assert_eq!(p, [-2.5, 2.5, 2.5, 0.0, -5.0, -5.0]);
    }

    /// Geometric: x 16 → 81, y 1 → 1, z 4 → 4. a = x^¼·y^¾: 2 → 3;
    /// composite √(a·z): √8 → √12. Only x moved, so x (and a) carry it all.
    #[test]
    fn geometric_gives_an_unmoved_child_nothing() {
        let tree = tree("geometric");
        let (p, change) = parts(&tree, &[16.0, 1.0, 4.0], &[81.0, 1.0, 4.0]);
        close(change, 12f64.sqrt() - 8f64.sqrt());
        close(p[0], change);
        close(p[1], change);
        close(p[2], change);
        assert_eq!(p[3], 0.0);
        assert_eq!(p[5], 0.0);
    }

    /// Log shares: x 16 → 81 (Δln = ln 81/16) and z 4 → 9 (Δln = ln 9/4):
    /// composite = a^½·z^½ with a = x^¼ (y = 1): Δln C = ⅛·ln(81/16) + ½·ln(9/4).
    #[test]
    fn geometric_log_shares_by_hand() {
        let tree = tree("geometric");
        let (p, change) = parts(&tree, &[16.0, 1.0, 4.0], &[81.0, 1.0, 9.0]);
        let (lx, lz) = ((81.0f64 / 16.0).ln() / 8.0, (9.0f64 / 4.0).ln() / 2.0);
        close(p[2], change * lx / (lx + lz));
        close(p[5], change * lz / (lx + lz));
        close(p[2] + p[3] + p[5], change);
    }

    /// Harmonic: the decomposition of 1/N, in points: k = a·Nₜ·Nₚ/(sₜ·sₚ).
    #[test]
    fn harmonic_decomposes_the_reciprocal() {
        let tree = tree("harmonic");
        let (p, change) = parts(&tree, &[20.0, 40.0, 50.0], &[25.0, 40.0, 40.0]);
        let sum: f64 = [2, 3, 5].iter().map(|&i| p[i]).sum();
        close(sum, change);
        assert_eq!(p[3], 0.0);
        // z's part: ½·C·C'/(50·40)·(−10), C and C' the composites.
        let from = tree.aggregate_up(&[20.0, 40.0, 50.0]).unwrap();
        let to = tree.aggregate_up(&[25.0, 40.0, 40.0]).unwrap();
        close(p[5], 0.5 * from[0] * to[0] / 2000.0 * -10.0);
    }

    /// Under skip, y appears: a goes from x alone to ¼x + ¾y. With x 40 → 40
    /// and y new at 80, a rises by 30: y enters at ¾·(80 − 40) = 30, and x's
    /// re-weighting (¼ − 1)·(40 − 40) is 0.
    #[test]
    fn a_child_that_appears_contributes_its_distance_from_the_old_level() {
        let tree = tree("arithmetic");
        let (p, change) = parts(&tree, &[40.0, f64::NAN, 50.0], &[40.0, 80.0, 50.0]);
        assert_eq!(change, 15.0);
        assert_eq!(p[2], 0.0);
        assert_eq!(p[3], 15.0);
        assert_eq!(p[1], 15.0);
    }

    #[test]
    fn every_level_adds_up_whatever_the_aggregator() {
        for aggregate in ["arithmetic", "geometric", "harmonic"] {
            let tree = tree(aggregate);
            let (p, change) = parts(&tree, &[12.0, 55.0, 71.0], &[19.0, 41.0, 70.5]);
            close(p[0], change);
            close(p[1] + p[4], change);
            close(p[2] + p[3], p[1]);
        }
    }

    #[test]
    fn log_mean_by_hand() {
        assert_eq!(log_mean(5.0, 5.0), 5.0);
        close(
            log_mean(std::f64::consts::E, 1.0),
            std::f64::consts::E - 1.0,
        );
        // Close values: the mean of the two, to rounding.
        close(log_mean(80.0 + 1e-12, 80.0), 80.0);
        // Far apart: (x − y)/ln(x/y), not ln(1 + (x − y)/y), which near −1
        // keeps no digit.
        let (x, y) = (7.105427357601002e-15, 60.0);
        close(log_mean(x, y), (x - y) / (x / y).ln());
        assert!((log_mean(x, y) - (x - y) / (x.ln() - y.ln())).abs() < 1e-12);
    }
}
