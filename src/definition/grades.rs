//! Grades (等级): bands of scores with a label, such as 优秀 from 90, 良好
//! from 80. Applied to composites, and with `applies_to` to dimension scores.

/// What a band grades.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeTarget {
    /// The composite.
    Composite,
    /// One dimension's score: its index.
    Dimension(usize),
}

/// One band: scores from `min` (inclusive) up to `max` (exclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct Grade {
    /// The label shown, such as 优秀.
    pub label: String,
    /// The lowest score of the band; `None`: every score below the next band.
    pub min: Option<f64>,
    /// The first score above the band; `None`: every score from `min` up.
    pub max: Option<f64>,
    /// What the band grades.
    pub applies_to: Vec<GradeTarget>,
    /// Where the band is written, for messages.
    pub line: Option<u64>,
}

/// How close to a band's edge a score must be to count as on it: a
/// composite that prints as 57.00 but is 56.99999999999999 after summing
/// is graded as 57, not one band lower.
pub const EDGE_NOISE: f64 = 1e-9;

impl Grade {
    /// True when the band holds `score`, a score within rounding noise
    /// ([`EDGE_NOISE`], relative) of an edge counting as on it.
    pub fn holds(&self, score: f64) -> bool {
        let at_least = |edge: f64| score >= edge - EDGE_NOISE * edge.abs().max(1.0);
        self.min.is_none_or(at_least) && self.max.is_none_or(|max| !at_least(max))
    }
}

/// The band of `grades` that holds `score` for `target`, as an index into
/// `grades`; `None` for a missing score or no band for the target.
pub fn grade_of(grades: &[Grade], target: &GradeTarget, score: Option<f64>) -> Option<usize> {
    let score = score.filter(|s| s.is_finite())?;
    grades
        .iter()
        .position(|g| g.applies_to.contains(target) && g.holds(score))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(label: &str, min: Option<f64>, max: Option<f64>) -> Grade {
        Grade {
            label: label.into(),
            min,
            max,
            applies_to: vec![GradeTarget::Composite],
            line: None,
        }
    }

    #[test]
    fn a_score_falls_in_the_band_from_its_min_up_to_the_next() {
        let grades = [
            band("优秀", Some(90.0), None),
            band("良好", Some(80.0), Some(90.0)),
            band("一般", None, Some(80.0)),
        ];
        let of = |s| grade_of(&grades, &GradeTarget::Composite, Some(s));
        assert_eq!(of(90.0), Some(0));
        assert_eq!(of(89.999), Some(1));
        assert_eq!(of(80.0), Some(1));
        assert_eq!(of(-5.0), Some(2));
        // Summing noise below an edge is on the edge.
        assert_eq!(of(56.999_999_999_999_99 + 33.0), Some(0));
        assert_eq!(of(79.999_999_999_999_99), Some(1));
        assert_eq!(grade_of(&grades, &GradeTarget::Composite, None), None);
        assert_eq!(
            grade_of(&grades, &GradeTarget::Dimension(0), Some(95.0)),
            None
        );
    }
}

#[cfg(test)]
mod validation {
    use crate::Definition;

    const BASE: &str = "[index]\nname = \"T\"\n[[dimension]]\nid = \"a\"\n[[dimension.indicator]]\nid = \"x\"\n[[dimension]]\nid = \"b\"\n[[dimension.indicator]]\nid = \"y\"\n";

    fn problems(grades: &str) -> Vec<String> {
        match Definition::from_toml(&format!("{BASE}{grades}"), "t.toml") {
            Ok(_) => Vec::new(),
            Err(error) => error.problems().iter().map(|p| p.to_string()).collect(),
        }
    }

    #[test]
    fn bands_are_read_highest_first_with_their_targets() {
        let text = format!(
            "{BASE}[[grade]]\nlabel = \"一般\"\n[[grade]]\nlabel = \"优秀\"\nmin = 90\napplies_to = [\"composite\", \"b\"]\n[[grade]]\nlabel = \"良好\"\nmin = 80\nmax = 90\napplies_to = [\"composite\", \"b\"]\n"
        );
        let text = text.replacen(
            "label = \"一般\"\n",
            "label = \"一般\"\napplies_to = [\"composite\", \"b\"]\n",
            1,
        );
        let def = Definition::from_toml(&text, "t.toml").unwrap();
        let labels: Vec<&str> = def.grades.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(labels, ["优秀", "良好", "一般"]);
        assert_eq!(
            def.grades[0].applies_to,
            [
                super::GradeTarget::Composite,
                super::GradeTarget::Dimension(1)
            ]
        );
    }

    #[test]
    fn a_gap_an_overlap_and_an_uncovered_bottom_are_located_errors() {
        let gap =
            problems("[[grade]]\nlabel = \"A\"\nmin = 90\n[[grade]]\nlabel = \"B\"\nmax = 85\n");
        assert_eq!(gap.len(), 1, "{gap:?}");
        assert!(
            gap[0].contains("`A`: leaves scores of the composite from 85 to 90 without a grade"),
            "{gap:?}"
        );
        let overlap =
            problems("[[grade]]\nlabel = \"A\"\nmin = 80\n[[grade]]\nlabel = \"B\"\nmax = 85\n");
        assert!(
            overlap[0].contains("overlaps `B` for the composite: 80 to 85"),
            "{overlap:?}"
        );
        let bottom = problems("[[grade]]\nlabel = \"A\"\nmin = 60\n");
        assert!(
            bottom[0].contains("scores of the composite below 60 get no grade"),
            "{bottom:?}"
        );
        assert!(bottom[0].starts_with("t.toml:11"), "{bottom:?}");
        let top = problems("[[grade]]\nlabel = \"A\"\nmax = 60\n");
        assert!(top[0].contains("from 60 up get no grade"), "{top:?}");
        let twice = problems(
            "[[grade]]\nlabel = \"A\"\nmin = 60\n[[grade]]\nlabel = \"B\"\nmin = 60\n[[grade]]\nlabel = \"C\"\n",
        );
        assert!(
            twice.iter().any(|p| p.contains("the same min")),
            "{twice:?}"
        );
    }

    #[test]
    fn applies_to_names_composite_dimensions_or_ids() {
        let found = problems("[[grade]]\nlabel = \"A\"\napplies_to = [\"vitalty\"]\n");
        assert!(found[0].contains("applies_to names `vitalty`"), "{found:?}");
        assert!(problems("[[grade]]\nlabel = \"A\"\napplies_to = [\"dimensions\"]\n").is_empty());
    }
}
