//! What every chart shares: colours, the width of a label, scales with
//! round ticks, and the `<svg>` element itself.

use unicode_width::UnicodeWidthStr;

use super::html::{Html, Px};
use crate::export::text::fit;

/// Series colours, in order (colour-blind safe, after Okabe–Ito).
pub(super) const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c6d31", "#6c757d",
];
/// The city figure.
pub(super) const CITY: &str = "#1d2330";
/// A rise.
pub(super) const UP: &str = "#1a7f37";
/// A fall.
pub(super) const DOWN: &str = "#c62828";
/// No change, or no comparison.
pub(super) const SAME: &str = "#9aa1ad";
/// Grid lines and axes.
pub(super) const GRID: &str = "#e3e7ee";
/// The font size of chart text, in px.
pub(super) const FONT: f64 = 12.0;

/// About how wide `text` is drawn at `size` px: a CJK character counts two
/// columns of about 0.55 em each. The reader's font decides the real width;
/// the charts leave room for a little more.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.width() as f64 * size * 0.55
}

/// A name cut to `columns` display columns (CJK counting 2) with `…`.
pub(super) fn short(text: &str, columns: usize) -> String {
    fit(text, columns, "…")
}

/// Values mapped linearly onto pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    pub lo: f64,
    pub hi: f64,
    from: f64,
    to: f64,
}

impl Scale {
    /// `lo..hi` onto `from..to` (`to` may be less than `from`, as for a y axis).
    pub(super) fn new(lo: f64, hi: f64, from: f64, to: f64) -> Scale {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        Scale { lo, hi, from, to }
    }

    /// The pixel of `value`.
    pub(super) fn at(&self, value: f64) -> f64 {
        self.from + (value - self.lo) / (self.hi - self.lo) * (self.to - self.from)
    }
}

/// A range that holds `lo..hi` with round ends, and its ticks (about
/// `count` of them).
pub(super) fn nice(lo: f64, hi: f64, count: usize) -> (f64, f64, Vec<f64>) {
    let (lo, hi) = match (lo.is_finite(), hi.is_finite()) {
        (true, true) if hi > lo => (lo, hi),
        (true, true) => (lo - 1.0, lo + 1.0),
        _ => (0.0, 100.0),
    };
    let raw = (hi - lo) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let ticks = (0..)
        .map(|i| start + step * f64::from(i))
        .take_while(|t| *t <= end + step * 1e-9)
        .take(50)
        .collect();
    (start, end, ticks)
}

/// The least and greatest of `values`, ignoring absent and infinite ones.
pub(super) fn extent(values: impl IntoIterator<Item = Option<f64>>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .flatten()
        .filter(|x| x.is_finite())
        .fold(None, |range, x| match range {
            None => Some((x, x)),
            Some((lo, hi)) => Some((f64::min(lo, x), f64::max(hi, x))),
        })
}

/// Opens an `<svg>` of `width`×`height` that scales to its container,
/// titled for screen readers; close it with [`Html::close`].
pub(super) fn open(html: &mut Html, width: f64, height: f64, title: &str) {
    let view_box = format!("0 0 {} {}", Px(width), Px(height));
    html.open(
        "svg",
        &[
            ("viewBox", &view_box),
            ("width", &Px(width)),
            ("height", &Px(height)),
            ("role", &"img"),
            ("aria-label", &title),
            ("font-size", &Px(FONT)),
        ],
    );
    html.element("title", &[], title);
}

/// A text label at (`x`, `y`) anchored `start`, `middle` or `end`.
pub(super) fn label(html: &mut Html, x: f64, y: f64, anchor: &str, text: &str) {
    html.element(
        "text",
        &[("x", &Px(x)), ("y", &Px(y)), ("text-anchor", &anchor)],
        text,
    );
}

/// A text label with a class (`muted`, `strong`, `up`, `down`).
pub(super) fn label_class(html: &mut Html, x: f64, y: f64, anchor: &str, class: &str, text: &str) {
    html.element(
        "text",
        &[
            ("x", &Px(x)),
            ("y", &Px(y)),
            ("text-anchor", &anchor),
            ("class", &class),
        ],
        text,
    );
}

/// A line from (`x1`, `y1`) to (`x2`, `y2`).
pub(super) fn line(
    html: &mut Html,
    (x1, y1): (f64, f64),
    (x2, y2): (f64, f64),
    stroke: &str,
    width: f64,
) {
    html.shape(
        "line",
        &[
            ("x1", &Px(x1)),
            ("y1", &Px(y1)),
            ("x2", &Px(x2)),
            ("y2", &Px(y2)),
            ("stroke", &stroke),
            ("stroke-width", &Px(width)),
        ],
    );
}

/// A filled rectangle.
pub(super) fn rect(html: &mut Html, x: f64, y: f64, width: f64, height: f64, fill: &str) {
    html.shape(
        "rect",
        &[
            ("x", &Px(x)),
            ("y", &Px(y)),
            ("width", &Px(width.max(0.0))),
            ("height", &Px(height.max(0.0))),
            ("fill", &fill),
        ],
    );
}

/// A colour between `#eef4fb` (t = 0) and `#1f4e8c` (t = 1), for the heat map.
pub(super) fn shade(t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(0xee, 0x1f),
        mix(0xf4, 0x4e),
        mix(0xfb, 0x8c)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let (lo, hi, ticks) = nice(78.87, 83.52, 5);
        assert_eq!((lo, hi), (78.0, 84.0));
        assert_eq!(ticks, vec![78.0, 79.0, 80.0, 81.0, 82.0, 83.0, 84.0]);
        let (lo, hi, _) = nice(0.0, 100.0, 5);
        assert_eq!((lo, hi), (0.0, 100.0));
        let (lo, hi, ticks) = nice(5.0, 5.0, 5);
        assert!(lo < 5.0 && hi > 5.0 && !ticks.is_empty());
        let (lo, hi, _) = nice(f64::NAN, 1.0, 5);
        assert_eq!((lo, hi), (0.0, 100.0));
    }

    #[test]
    fn scales_map_ends_to_ends() {
        let y = Scale::new(0.0, 100.0, 200.0, 0.0);
        assert_eq!(y.at(0.0), 200.0);
        assert_eq!(y.at(100.0), 0.0);
        assert_eq!(y.at(25.0), 150.0);
        // An empty range does not divide by zero.
        assert!(Scale::new(3.0, 3.0, 0.0, 10.0).at(3.0).is_finite());
    }

    #[test]
    fn cjk_text_is_twice_as_wide() {
        assert_eq!(text_width("官渡区", 10.0), 2.0 * text_width("abc", 10.0));
    }

    #[test]
    fn shades_run_from_light_to_dark() {
        assert_eq!(shade(0.0), "#eef4fb");
        assert_eq!(shade(1.0), "#1f4e8c");
        assert_eq!(shade(f64::NAN), "#eef4fb");
    }

    #[test]
    fn extent_ignores_absent_values() {
        assert_eq!(
            extent([Some(3.0), None, Some(-1.0), Some(f64::INFINITY)]),
            Some((-1.0, 3.0))
        );
        assert_eq!(extent([None]), None);
    }
}
