//! The report's charts as SVG, drawn by hand: a line chart over time, a
//! ranked bar chart, a heat map, a slope chart of ranks and paired bars.
//! Every label is SVG text, so Chinese is drawn in the reader's fonts.

use super::html::{Html, Px};
use super::svg::{
    self, CITY, DOWN, FONT, GRID, PALETTE, SAME, Scale, UP, extent, label, label_class, line, nice,
    rect, short, text_width,
};
use crate::export::{fixed, signed};

/// The width every full-size chart is drawn at (it scales to the page).
pub(super) const WIDTH: f64 = 760.0;
/// Display columns a name may take in a chart.
const NAME_COLUMNS: usize = 24;

/// One line of a line chart.
pub(super) struct Series<'a> {
    pub name: &'a str,
    pub values: Vec<Option<f64>>,
    pub colour: &'static str,
    /// Drawn thicker: the city figure, or the unit in its profile.
    pub strong: bool,
}

/// Values over periods: one line per series, each labelled at its end.
pub(super) fn line_chart(
    html: &mut Html,
    title: &str,
    periods: &[&str],
    series: &[Series<'_>],
    (width, height): (f64, f64),
    decimals: usize,
) {
    let end_labels: Vec<String> = series
        .iter()
        .map(|s| {
            let last = s.values.iter().rev().flatten().next();
            let value = last.map_or(String::new(), |v| fixed(*v, decimals));
            format!("{} {value}", short(s.name, 16))
        })
        .collect();
    let right = end_labels
        .iter()
        .map(|l| text_width(l, FONT))
        .fold(0.0, f64::max)
        + 14.0;
    let (left, top, bottom) = (44.0, 14.0, 28.0);
    let plot_right = (width - right).max(left + 40.0);
    let (lo, hi, ticks) = match extent(series.iter().flat_map(|s| s.values.iter().copied())) {
        Some((lo, hi)) => nice(lo, hi, 5),
        None => nice(0.0, 100.0, 5),
    };
    let y = Scale::new(lo, hi, height - bottom, top);
    let step = (plot_right - left) / (periods.len().max(1)) as f64;
    let x = |i: usize| left + step * (i as f64 + 0.5);

    svg::open(html, width, height, title);
    for &tick in &ticks {
        line(
            html,
            (left, y.at(tick)),
            (plot_right, y.at(tick)),
            GRID,
            1.0,
        );
        label_class(
            html,
            left - 6.0,
            y.at(tick) + 4.0,
            "end",
            "muted",
            &tick_text(tick),
        );
    }
    for (i, period) in periods.iter().enumerate() {
        label_class(
            html,
            x(i),
            height - 8.0,
            "middle",
            "muted",
            &short(period, 12),
        );
    }
    let mut ends: Vec<(f64, usize)> = Vec::new();
    for (k, s) in series.iter().enumerate() {
        let stroke_width = if s.strong { 3.0 } else { 2.0 };
        for segment in segments(&s.values) {
            let points: Vec<String> = segment
                .iter()
                .map(|&(i, v)| format!("{},{}", Px(x(i)), Px(y.at(v))))
                .collect();
            if points.len() > 1 {
                html.shape(
                    "polyline",
                    &[
                        ("points", &points.join(" ")),
                        ("fill", &"none"),
                        ("stroke", &s.colour),
                        ("stroke-width", &Px(stroke_width)),
                    ],
                );
            }
            for &(i, v) in &segment {
                html.shape(
                    "circle",
                    &[
                        ("cx", &Px(x(i))),
                        ("cy", &Px(y.at(v))),
                        ("r", &Px(stroke_width + 0.5)),
                        ("fill", &s.colour),
                    ],
                );
            }
        }
        if let Some(v) = s.values.iter().rev().flatten().next() {
            ends.push((y.at(*v), k));
        }
    }
    // End labels in value order, pushed apart so that none overlap.
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut last = f64::NEG_INFINITY;
    for (at, k) in ends {
        let at = at.max(last + FONT + 2.0);
        last = at;
        html.element(
            "text",
            &[
                ("x", &Px(plot_right + 8.0)),
                ("y", &Px(at + 4.0)),
                // A style, since the style sheet's text colour beats an attribute.
                ("style", &format!("fill:{}", series[k].colour)),
                ("class", &if series[k].strong { "strong" } else { "" }),
            ],
            &end_labels[k],
        );
    }
    html.close();
}

/// The runs of present values, each as (period index, value).
fn segments(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut runs = vec![Vec::new()];
    for (i, value) in values.iter().enumerate() {
        match value.filter(|v| v.is_finite()) {
            Some(v) => runs.last_mut().map_or((), |run| run.push((i, v))),
            None => runs.push(Vec::new()),
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}

/// A tick value without needless decimals.
fn tick_text(tick: f64) -> String {
    let rounded = (tick * 1000.0).round() / 1000.0;
    format!("{rounded}")
}

/// One bar of the ranked bar chart.
pub(super) struct Bar<'a> {
    pub name: &'a str,
    pub value: Option<f64>,
    pub colour: &'static str,
}

/// Horizontal bars from 0 in the order given, each with its value, and a
/// dashed line at the city figure.
pub(super) fn bar_chart(
    html: &mut Html,
    title: &str,
    bars: &[Bar<'_>],
    city: Option<(&str, f64)>,
    decimals: usize,
) {
    let row = 22.0;
    let names: Vec<String> = bars.iter().map(|b| short(b.name, NAME_COLUMNS)).collect();
    let left = names
        .iter()
        .map(|n| text_width(n, FONT))
        .fold(40.0, f64::max)
        + 12.0;
    let top = if city.is_some() { 24.0 } else { 8.0 };
    let height = top + row * bars.len() as f64 + 24.0;
    let values = bars
        .iter()
        .map(|b| b.value)
        .chain(city.map(|(_, v)| Some(v)));
    let (lo, hi) = extent(values).unwrap_or((0.0, 100.0));
    let (lo, hi, ticks) = nice(lo.min(0.0), hi.max(0.0), 5);
    let x = Scale::new(lo, hi, left, WIDTH - 56.0);
    svg::open(html, WIDTH, height, title);
    let bottom = top + row * bars.len() as f64;
    for &tick in &ticks {
        line(html, (x.at(tick), top), (x.at(tick), bottom), GRID, 1.0);
        label_class(
            html,
            x.at(tick),
            bottom + 16.0,
            "middle",
            "muted",
            &tick_text(tick),
        );
    }
    if let Some((name, v)) = city {
        html.shape(
            "line",
            &[
                ("x1", &Px(x.at(v))),
                ("y1", &Px(top - 6.0)),
                ("x2", &Px(x.at(v))),
                ("y2", &Px(bottom)),
                ("stroke", &CITY),
                ("stroke-width", &Px(1.5)),
                ("stroke-dasharray", &"4 3"),
            ],
        );
        let text = format!("{} {}", short(name, 12), fixed(v, decimals));
        label_class(html, x.at(v), top - 10.0, "middle", "strong", &text);
    }
    for (i, (bar, name)) in bars.iter().zip(&names).enumerate() {
        let y = top + row * i as f64;
        label(html, left - 8.0, y + row / 2.0 + 4.0, "end", name);
        if let Some(v) = bar.value.filter(|v| v.is_finite()) {
            let (from, to) = (x.at(0.0_f64.clamp(lo, hi)), x.at(v));
            rect(
                html,
                from.min(to),
                y + 4.0,
                (to - from).abs(),
                row - 8.0,
                bar.colour,
            );
            label(
                html,
                from.max(to) + 4.0,
                y + row / 2.0 + 4.0,
                "start",
                &fixed(v, decimals),
            );
        }
    }
    html.close();
}

/// One row of the heat map.
pub(super) struct HeatRow<'a> {
    pub name: &'a str,
    pub values: &'a [Option<f64>],
    /// The city row, set apart below the units.
    pub city: bool,
}

/// Units × dimensions, each cell shaded by its score on one scale for all
/// (so that columns compare), with the score written in it.
pub(super) fn heat_map(
    html: &mut Html,
    title: &str,
    columns: &[&str],
    rows: &[HeatRow<'_>],
    decimals: usize,
) {
    let names: Vec<String> = rows.iter().map(|r| short(r.name, NAME_COLUMNS)).collect();
    let left = names
        .iter()
        .map(|n| text_width(n, FONT))
        .fold(40.0, f64::max)
        + 12.0;
    let cell_width = ((WIDTH - left) / columns.len().max(1) as f64).clamp(64.0, 160.0);
    let width = left + cell_width * columns.len() as f64;
    let (row, top) = (24.0, 30.0);
    let gap = 6.0;
    let height = top + row * rows.len() as f64 + gap + 4.0;
    let units = rows.iter().filter(|r| !r.city);
    let (lo, hi) = extent(units.flat_map(|r| r.values.iter().copied())).unwrap_or((0.0, 100.0));
    let header_columns = ((cell_width - 8.0) / (FONT * 0.55)) as usize;
    svg::open(html, width, height, title);
    for (c, column) in columns.iter().enumerate() {
        let x = left + cell_width * (c as f64 + 0.5);
        label_class(
            html,
            x,
            top - 10.0,
            "middle",
            "strong",
            &short(column, header_columns.max(4)),
        );
    }
    let mut y = top;
    for (r, (heat, name)) in rows.iter().zip(&names).enumerate() {
        if heat.city && r > 0 {
            y += gap;
        }
        let class = if heat.city { "strong" } else { "" };
        label_class(html, left - 8.0, y + row / 2.0 + 4.0, "end", class, name);
        for (c, value) in heat.values.iter().enumerate() {
            let x = left + cell_width * c as f64;
            let Some(v) = value.filter(|v| v.is_finite()) else {
                rect(
                    html,
                    x + 1.0,
                    y + 1.0,
                    cell_width - 2.0,
                    row - 2.0,
                    "#f4f4f4",
                );
                label_class(
                    html,
                    x + cell_width / 2.0,
                    y + row / 2.0 + 4.0,
                    "middle",
                    "muted",
                    "–",
                );
                continue;
            };
            let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
            rect(
                html,
                x + 1.0,
                y + 1.0,
                cell_width - 2.0,
                row - 2.0,
                &svg::shade(t),
            );
            // Light text on the darker half; no halo inside a cell.
            let ink = match (t > 0.5, heat.city) {
                (true, false) => "light",
                (true, true) => "light strong",
                (false, false) => "cell",
                (false, true) => "cell strong",
            };
            label_class(
                html,
                x + cell_width / 2.0,
                y + row / 2.0 + 4.0,
                "middle",
                ink,
                &fixed(v, decimals),
            );
        }
        y += row;
    }
    html.close();
}

/// A unit in the slope chart: its place in each period's order.
pub(super) struct Slope<'a> {
    pub name: &'a str,
    /// (position in the earlier period's list, its rank).
    pub before: Option<(usize, Option<u32>)>,
    /// (position in the later period's list, its rank).
    pub after: Option<(usize, Option<u32>)>,
}

/// Ranks in two periods, joined per unit: green when it rose, red when it
/// fell, grey when it kept its rank.
pub(super) fn slope_chart(
    html: &mut Html,
    title: &str,
    periods: (&str, &str),
    units: &[Slope<'_>],
) {
    let row = 22.0;
    let count = units
        .iter()
        .flat_map(|u| [u.before.map(|b| b.0), u.after.map(|a| a.0)])
        .flatten()
        .max()
        .map_or(0, |m| m + 1);
    let text = |name: &str, rank: Option<u32>| {
        let rank = rank.map_or("–".to_string(), |r| r.to_string());
        format!("{rank}  {}", short(name, NAME_COLUMNS))
    };
    let widest = units
        .iter()
        .map(|u| text_width(&text(u.name, Some(99)), FONT))
        .fold(60.0, f64::max);
    let (left, right) = (widest + 16.0, WIDTH - widest - 16.0);
    let top = 30.0;
    let height = top + row * count as f64 + 8.0;
    let y = |position: usize| top + row * position as f64 + row / 2.0;
    svg::open(html, WIDTH, height, title);
    label_class(
        html,
        left,
        top - 12.0,
        "middle",
        "strong",
        &short(periods.0, 16),
    );
    label_class(
        html,
        right,
        top - 12.0,
        "middle",
        "strong",
        &short(periods.1, 16),
    );
    for unit in units {
        let colour = match (unit.before, unit.after) {
            (Some((_, Some(b))), Some((_, Some(a)))) if a < b => UP,
            (Some((_, Some(b))), Some((_, Some(a)))) if a > b => DOWN,
            _ => SAME,
        };
        if let (Some((b, _)), Some((a, _))) = (unit.before, unit.after) {
            line(html, (left, y(b)), (right, y(a)), colour, 2.0);
        }
        if let Some((b, rank)) = unit.before {
            dot(html, left, y(b), colour);
            label(html, left - 8.0, y(b) + 4.0, "end", &text(unit.name, rank));
        }
        if let Some((a, rank)) = unit.after {
            dot(html, right, y(a), colour);
            label(
                html,
                right + 8.0,
                y(a) + 4.0,
                "start",
                &text(unit.name, rank),
            );
        }
    }
    html.close();
}

fn dot(html: &mut Html, x: f64, y: f64, fill: &str) {
    html.shape(
        "circle",
        &[
            ("cx", &Px(x)),
            ("cy", &Px(y)),
            ("r", &Px(4.0)),
            ("fill", &fill),
        ],
    );
}

/// Each dimension's score for the unit beside the city's, as paired bars.
pub(super) fn paired_bars(
    html: &mut Html,
    title: &str,
    rows: &[(&str, Option<f64>, Option<f64>)],
    names: (&str, &str),
    decimals: usize,
) {
    let width = 380.0;
    let row = 34.0;
    let labels: Vec<String> = rows.iter().map(|r| short(r.0, 12)).collect();
    let left = labels
        .iter()
        .map(|n| text_width(n, FONT))
        .fold(30.0, f64::max)
        + 10.0;
    let top = 22.0;
    let height = top + row * rows.len() as f64 + 4.0;
    let values = rows.iter().flat_map(|r| [r.1, r.2]);
    let (lo, hi) = extent(values).unwrap_or((0.0, 100.0));
    let (lo, hi, _) = nice(lo.min(0.0), hi.max(0.0), 4);
    let x = Scale::new(lo, hi, left, width - 48.0);
    svg::open(html, width, height, title);
    rect(html, left, 6.0, 10.0, 10.0, PALETTE[0]);
    label(html, left + 14.0, 15.0, "start", &short(names.0, 16));
    let second = left + 24.0 + text_width(&short(names.0, 16), FONT);
    rect(html, second, 6.0, 10.0, 10.0, SAME);
    label(html, second + 14.0, 15.0, "start", &short(names.1, 12));
    for (i, ((_, unit, city), name)) in rows.iter().zip(&labels).enumerate() {
        let y = top + row * i as f64;
        label(html, left - 6.0, y + row / 2.0 + 4.0, "end", name);
        for (k, (value, fill)) in [(unit, PALETTE[0]), (city, SAME)].into_iter().enumerate() {
            let Some(v) = value.filter(|v| v.is_finite()) else {
                continue;
            };
            let bar_y = y + 3.0 + 14.0 * k as f64;
            let (from, to) = (x.at(0.0_f64.clamp(lo, hi)), x.at(v));
            rect(html, from.min(to), bar_y, (to - from).abs(), 12.0, fill);
            label_class(
                html,
                from.max(to) + 4.0,
                bar_y + 10.0,
                "start",
                "small",
                &fixed(v, decimals),
            );
        }
    }
    html.close();
}

/// A change as text with its sign, and the class that colours it.
pub(super) fn change_text(change: Option<f64>, decimals: usize) -> (String, &'static str) {
    match change.filter(|c| c.is_finite()) {
        None => (crate::export::NO_VALUE.to_string(), ""),
        Some(c) => {
            let text = signed(c, decimals);
            let class = if text.starts_with('+') {
                "up"
            } else if text.starts_with('-') {
                "down"
            } else {
                ""
            };
            (text, class)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_split_a_line() {
        let runs = segments(&[Some(1.0), None, Some(2.0), Some(3.0), Some(f64::NAN)]);
        assert_eq!(runs, vec![vec![(0, 1.0)], vec![(2, 2.0), (3, 3.0)]]);
    }

    #[test]
    fn changes_are_coloured_by_their_sign_as_shown() {
        assert_eq!(change_text(Some(0.961), 2), ("+0.96".to_string(), "up"));
        assert_eq!(change_text(Some(-0.2), 2), ("-0.20".to_string(), "down"));
        // Rounds to zero: neither colour.
        assert_eq!(change_text(Some(0.001), 2), ("0.00".to_string(), ""));
        assert_eq!(change_text(None, 2).1, "");
    }

    #[test]
    fn a_chart_escapes_names_and_draws_every_bar() {
        let mut html = Html::new();
        let bars = [
            Bar {
                name: "<b>A</b>",
                value: Some(80.0),
                colour: PALETTE[0],
            },
            Bar {
                name: "B",
                value: None,
                colour: PALETTE[0],
            },
        ];
        bar_chart(&mut html, "t", &bars, Some(("city", 70.0)), 2);
        let svg = html.finish();
        assert!(svg.contains("&lt;b&gt;A&lt;/b&gt;") && !svg.contains("<b>"));
        assert_eq!(
            svg.matches("<rect").count(),
            1,
            "no bar for an absent value"
        );
        assert!(svg.contains(">80.00</text>") && svg.contains(">city 70.00</text>"));
    }
}
