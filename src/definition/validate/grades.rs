//! `[[grade]]` bands: a label each, numbers in range, what they apply to;
//! for each thing graded, bands that cover every score once (no gap, no
//! overlap).

use toml::Spanned;

use super::{MAX_MAGNITUDE, Validator, show};
use crate::definition::raw::RawGrade;
use crate::definition::{Dimension, Grade, GradeTarget};
use crate::error::Location;

impl Validator<'_> {
    /// The bands, sorted from the highest down, each checked.
    pub(super) fn grades(
        &mut self,
        raw: Vec<Spanned<RawGrade>>,
        dimensions: &[Dimension],
        node_ids: &[(&str, &str)],
    ) -> Vec<Grade> {
        let mut grades = Vec::with_capacity(raw.len());
        // A band already refused would only make the coverage check speak of
        // gaps and overlaps it does not have.
        let mut any_broken = false;
        for spanned in raw {
            let at = self.at(&spanned);
            let errors_before = self.errors.len();
            let raw = spanned.into_inner();
            let label = raw.label.get_ref().trim().to_string();
            if label.is_empty() {
                let at = self.at(&raw.label);
                self.invalid(
                    at,
                    "[[grade]]".into(),
                    "has an empty label".into(),
                    "write label = \"优秀\" (what the band is called)",
                );
            }
            let item = format!("[[grade]] `{label}`");
            let mut bound = |value: &Option<Spanned<f64>>, key: &str| -> Option<f64> {
                let spanned = value.as_ref()?;
                let x = *spanned.get_ref();
                if !x.is_finite() || x.abs() > MAX_MAGNITUDE {
                    let at = self.at(spanned);
                    self.invalid(
                        at,
                        item.clone(),
                        format!("{key} {} is not a usable score", show(x)),
                        "write a score such as 80",
                    );
                    return None;
                }
                Some(x)
            };
            let min = bound(&raw.min, "min");
            let max = bound(&raw.max, "max");
            if let (Some(lo), Some(hi)) = (min, max)
                && lo >= hi
            {
                self.invalid(
                    at.clone(),
                    item.clone(),
                    format!("min {} is not below max {}", show(lo), show(hi)),
                    "a band holds the scores from min up to (not including) max",
                );
            }
            let applies_to = self.grade_targets(raw.applies_to.as_ref(), dimensions, &item);
            if grades.iter().any(|g: &Grade| g.label == label) && !label.is_empty() {
                self.invalid(
                    at.clone(),
                    item.clone(),
                    "the label is used by another band".into(),
                    "give each band its own label; JSON counts units per label",
                );
            }
            let broken = self.errors.len() > errors_before;
            grades.push(Grade {
                label,
                min,
                max,
                applies_to,
                line: at.line,
            });
            if broken {
                any_broken = true;
            }
        }
        // Highest first: the order a reader scans a grading scale in.
        grades.sort_by(|a, b| {
            b.min
                .unwrap_or(f64::NEG_INFINITY)
                .total_cmp(&a.min.unwrap_or(f64::NEG_INFINITY))
        });
        if !any_broken {
            self.grades_cover(&grades, dimensions);
        }
        self.grade_column_free(&grades, node_ids);
        grades
    }

    /// With grades, the score outputs have a `grade` column: no dimension
    /// or group (columns too) may be called so.
    fn grade_column_free(&mut self, grades: &[Grade], node_ids: &[(&str, &str)]) {
        if grades.is_empty() {
            return;
        }
        for (noun, _) in node_ids.iter().filter(|(_, id)| *id == "grade") {
            self.invalid(
                Location::file(self.origin),
                format!("{noun} `grade`"),
                "the id `grade` is the grade column of every score output once [[grade]] bands are defined".into(),
                "rename it",
            );
        }
    }

    /// `applies_to`: `composite`, `dimensions` (every one) or dimension ids;
    /// the composite when not written.
    fn grade_targets(
        &mut self,
        raw: Option<&Spanned<Vec<String>>>,
        dimensions: &[Dimension],
        item: &str,
    ) -> Vec<GradeTarget> {
        let Some(spanned) = raw else {
            return vec![GradeTarget::Composite];
        };
        let mut targets = Vec::new();
        for word in spanned.get_ref() {
            match word.trim() {
                "composite" => targets.push(GradeTarget::Composite),
                "dimensions" => targets.extend((0..dimensions.len()).map(GradeTarget::Dimension)),
                id => match dimensions.iter().position(|d| d.id == id) {
                    Some(d) => targets.push(GradeTarget::Dimension(d)),
                    None => {
                        let at = self.at(spanned);
                        let ids: Vec<&str> = dimensions.iter().map(|d| d.id.as_str()).collect();
                        self.invalid(
                            at,
                            item.to_string(),
                            format!("applies_to names `{id}`, which is not composite, dimensions or a dimension id"),
                            &format!("write applies_to = [\"composite\"], [\"dimensions\"] or dimension ids: {}", ids.join(", ")),
                        );
                    }
                },
            }
        }
        targets.dedup();
        targets
    }

    /// For the composite and each dimension graded: the bands, lowest
    /// first, must each end where the next begins, the lowest reach down to
    /// every score, the highest up to every score.
    fn grades_cover(&mut self, grades: &[Grade], dimensions: &[Dimension]) {
        let targets = std::iter::once(GradeTarget::Composite)
            .chain((0..dimensions.len()).map(GradeTarget::Dimension));
        for target in targets {
            let mut bands: Vec<&Grade> = grades
                .iter()
                .filter(|g| g.applies_to.contains(&target))
                .collect();
            if bands.is_empty() {
                continue;
            }
            bands.reverse(); // lowest first
            let what = match target {
                GradeTarget::Composite => "the composite".to_string(),
                GradeTarget::Dimension(d) => format!("dimension `{}`", dimensions[d].id),
            };
            let origin = self.origin;
            let place = move |g: &Grade| {
                g.line
                    .map_or_else(|| Location::file(origin), |l| Location::line(origin, l))
            };
            let lowest = bands[0];
            if let Some(min) = lowest.min {
                let at = place(lowest);
                self.invalid(
                    at,
                    format!("[[grade]] `{}`", lowest.label),
                    format!("scores of {what} below {} get no grade", show(min)),
                    "give the lowest band no min (it then takes every score below the next band), or add one for the lowest scores",
                );
            }
            for pair in bands.windows(2) {
                let (below, above) = (pair[0], pair[1]);
                let start = above.min;
                match (below.max, start) {
                    (_, None) => {
                        let at = place(above);
                        self.invalid(
                            at,
                            format!("[[grade]] `{}`", above.label),
                            format!(
                                "overlaps `{}` for {what}: only the lowest band may leave out min",
                                below.label
                            ),
                            "give every band but the lowest its min",
                        );
                    }
                    (None, Some(_)) => {}
                    (Some(end), Some(start)) if end == start => {}
                    (Some(end), Some(start)) => {
                        let (message, hint) = if end < start {
                            (
                                format!(
                                    "leaves scores of {what} from {} to {} without a grade",
                                    show(end),
                                    show(start)
                                ),
                                "make each band's max the next band's min, or leave max out",
                            )
                        } else {
                            (
                                format!(
                                    "overlaps `{}` for {what}: {} to {}",
                                    below.label,
                                    show(start),
                                    show(end)
                                ),
                                "make each band's max the next band's min, or leave max out",
                            )
                        };
                        let at = place(above);
                        self.invalid(at, format!("[[grade]] `{}`", above.label), message, hint);
                    }
                }
                if below.min.is_some() && below.min == start {
                    let at = place(above);
                    self.invalid(
                        at,
                        format!("[[grade]] `{}`", above.label),
                        format!("has the same min as `{}` for {what}", below.label),
                        "give each band its own min",
                    );
                }
            }
            let highest = bands[bands.len() - 1];
            if let Some(max) = highest.max {
                let at = place(highest);
                self.invalid(
                    at,
                    format!("[[grade]] `{}`", highest.label),
                    format!("scores of {what} from {} up get no grade", show(max)),
                    "leave max out of the highest band",
                );
            }
        }
    }
}
