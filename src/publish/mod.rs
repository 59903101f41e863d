//! Report → one self-contained HTML file (`kmgov report`): the index and its
//! method, the city and its dimensions over time, the ranked table, a ranked
//! bar chart, a heat map, rank changes, and a profile of every unit.
//!
//! Everything is inline — the style sheet and every chart as SVG — and the
//! page refers to nothing outside itself, so it opens offline and prints to
//! PDF from any browser (each unit's profile starts a page). The charts are
//! hand-written SVG rather than a plotting crate: they are a few shapes each,
//! their labels stay SVG text drawn in the reader's fonts (Chinese included,
//! with no font to embed or find at build time), and every text from the
//! data goes through one escaping writer ([`html`]).

mod charts;
mod html;
pub mod obstacles;
mod svg;
mod words;

use std::collections::HashMap;
use std::io::{self, Write};

use self::charts::{Bar, HeatRow, Series, Slope};
use self::html::Html;
use self::words::ReportWords;
use crate::error::Error;
use crate::export::{Exporter, Lang, NO_VALUE, arrow, fixed};
use crate::report::{PeriodReport, Report, UnitRow};

/// The style sheet, inlined in every report.
const STYLE: &str = include_str!("report.css");
/// Obstacles listed in each profile.
const TOP_OBSTACLES: usize = 5;

/// Renders a report as one HTML file.
pub struct HtmlReport {
    /// The language of headings and labels.
    pub lang: Lang,
}

impl Exporter for HtmlReport {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(render(report, self.lang).as_bytes())
    }
}

/// The report's periods up to and including `period` (all of them when
/// `None`): the last one is the one reported, the others give the trends.
/// An unknown period is a usage error listing the known ones.
pub fn up_to(mut report: Report, period: Option<&str>) -> Result<Report, Error> {
    let Some(wanted) = period else {
        return Ok(report);
    };
    let label = crate::data::period_label(wanted);
    match report.periods.iter().position(|p| p.period == label) {
        Some(at) => {
            report.periods.truncate(at + 1);
            Ok(report)
        }
        None => Err(Error::Request {
            message: format!("the data has no period `{wanted}`"),
            hint: format!(
                "choose one of: {}",
                report
                    .periods
                    .iter()
                    .map(|p| p.period.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}

/// The whole HTML document of `report`, in `lang`.
pub fn render(report: &Report, lang: Lang) -> String {
    let page = Page::new(report, lang);
    let mut html = Html::new();
    html.trusted("<!DOCTYPE html>\n");
    html.open("html", &[("lang", &page.words.html_lang)]);
    html.open("head", &[]);
    html.void("meta", &[("charset", &"utf-8")]);
    html.void(
        "meta",
        &[
            ("name", &"viewport"),
            ("content", &"width=device-width, initial-scale=1"),
        ],
    );
    html.void(
        "meta",
        &[("name", &"generator"), ("content", &page.generator())],
    );
    html.element("title", &[], &page.heading());
    html.open("style", &[]);
    html.trusted(STYLE);
    html.close();
    html.close();
    html.open("body", &[]);
    html.open("main", &[]);
    page.header(&mut html);
    page.overview(&mut html);
    page.method(&mut html);
    page.trend(&mut html);
    page.ranking(&mut html);
    page.bars(&mut html);
    page.heat_map(&mut html);
    page.slope(&mut html);
    page.profiles(&mut html);
    page.appendix(&mut html);
    html.element("footer", &[], &page.generator());
    html.finish() + "\n"
}

/// What the sections of the page are drawn from.
struct Page<'r> {
    report: &'r Report,
    lang: Lang,
    words: &'static ReportWords,
    /// The period reported: the last one.
    latest: Option<&'r PeriodReport>,
    /// Each unit's composite in every period, by name.
    history: HashMap<&'r str, Vec<Option<f64>>>,
}

impl<'r> Page<'r> {
    fn new(report: &'r Report, lang: Lang) -> Page<'r> {
        let mut history: HashMap<&str, Vec<_>> = HashMap::new();
        let count = report.periods.len();
        for (p, period) in report.periods.iter().enumerate() {
            for unit in &period.units {
                history
                    .entry(&unit.unit)
                    .or_insert_with(|| vec![None; count])[p] = unit.composite;
            }
        }
        Page {
            report,
            lang,
            words: ReportWords::of(lang),
            latest: report.periods.last(),
            history,
        }
    }

    fn decimals(&self) -> usize {
        self.report.decimals
    }

    fn period(&self) -> &str {
        self.latest.map_or("", |p| p.period.as_str())
    }

    fn heading(&self) -> String {
        format!("{} — {}", self.report.title, self.period())
    }

    fn generator(&self) -> String {
        format!("{} {}", self.words.generated, env!("CARGO_PKG_VERSION"))
    }

    fn total_word(&self) -> &'static str {
        self.lang.words().total
    }

    fn unit_word(&self) -> &str {
        self.lang.unit_heading(&self.report.unit_heading)
    }

    fn header(&self, html: &mut Html) {
        html.open("header", &[]);
        html.element("h1", &[], &self.heading());
        if self.report.name != self.report.title {
            html.element("p", &[("class", &"sub")], &self.report.name);
        }
        html.open("nav", &[]);
        let w = self.words;
        let links = [
            ("#overview", w.overview),
            ("#method", w.method),
            ("#trend", w.trend),
            ("#ranking", w.ranking),
            ("#bars", w.bars),
            ("#heat-map", w.heat_map),
            ("#slope", w.slope),
            ("#profiles", w.profiles),
            ("#indicators", w.appendix),
        ];
        for (href, text) in links {
            html.element("a", &[("href", &href)], text);
        }
        html.close();
        html.close();
    }

    fn overview(&self, html: &mut Html) {
        let (w, d) = (self.words, self.decimals());
        html.open("section", &[("id", &"overview")]);
        html.element("h2", &[], w.overview);
        let Some(latest) = self.latest else {
            html.element("p", &[], w.no_data);
            html.close();
            return;
        };
        html.open("div", &[("class", &"cards")]);
        if let Some(total) = latest.total {
            let (change, class) = charts::change_text(latest.total_change, d);
            card(
                html,
                self.total_word(),
                &fixed(total, d),
                Some((&change, class)),
            );
        }
        for (dimension, (value, change)) in self.report.dimensions.iter().zip(
            latest
                .total_dimensions
                .iter()
                .zip(&latest.total_dimension_changes),
        ) {
            if let Some(value) = value {
                let (change, class) = charts::change_text(*change, d);
                card(
                    html,
                    &dimension.name,
                    &fixed(*value, d),
                    Some((&change, class)),
                );
            }
        }
        card(
            html,
            self.unit_word(),
            &latest.units.len().to_string(),
            None,
        );
        card(
            html,
            w.indicators,
            &self.report.indicators.len().to_string(),
            None,
        );
        html.close();
        if latest.total.is_none() {
            html.element("p", &[("class", &"muted")], w.no_total);
        }
        if !self.report.grades.is_empty() && !latest.grade_summary.is_empty() {
            html.element(
                "p",
                &[],
                &format!("{}: {}", w.grade_counts, latest.grade_summary),
            );
        }
        html.close();
    }

    fn method(&self, html: &mut Html) {
        let (w, m) = (self.words, &self.report.method);
        html.open("section", &[("id", &"method")]);
        html.element("h2", &[], w.method);
        html.open("table", &[]);
        let mut rows = vec![
            (w.normalize, w.normalize_name(m.normalize)),
            (w.scope, w.scope_name(m.scope)),
            (w.aggregate, w.aggregate_name(m.aggregate)),
            (w.weights, w.weights_name(m.weights)),
            (w.total_rule, w.total_name(m.total)),
            (w.missing, w.missing_name(m.missing)),
        ];
        if let Some(base) = &m.base_period {
            rows[1].1 = format!("{} {base}", rows[1].1);
        }
        let changes = match self.report.changes {
            crate::report::Changes::Level => w.changes_level,
            crate::report::Changes::Relative => w.changes_relative,
        };
        rows.push((w.changes, changes.to_string()));
        for (key, value) in rows {
            html.open("tr", &[]);
            html.element("th", &[], key);
            html.element("td", &[], &value);
            html.close();
        }
        html.close();
        if !self.report.filled.is_empty() {
            html.element(
                "p",
                &[("class", &"muted")],
                &format!("{} {}", self.report.filled.len(), w.filled),
            );
        }
        html.element("h4", &[], w.dimension_weights);
        html.open("table", &[]);
        html.open("tr", &[]);
        html.element("th", &[], w.dimension);
        html.element("th", &[("class", &"n")], w.weight);
        html.element("th", &[("class", &"n")], w.indicators);
        html.close();
        for dimension in &self.report.dimensions {
            let count = self
                .report
                .indicators
                .iter()
                .filter(|i| i.dimension == dimension.id)
                .count();
            html.open("tr", &[]);
            html.element("td", &[], &dimension.name);
            html.element("td", &[("class", &"n")], &fixed(dimension.weight, 3));
            html.element("td", &[("class", &"n")], &count.to_string());
            html.close();
        }
        html.close();
        html.close();
    }

    fn trend(&self, html: &mut Html) {
        let w = self.words;
        html.open("section", &[("id", &"trend")]);
        html.element("h2", &[], w.trend);
        let periods: Vec<&str> = self
            .report
            .periods
            .iter()
            .map(|p| p.period.as_str())
            .collect();
        let mut series = Vec::new();
        if self.report.periods.iter().any(|p| p.total.is_some()) {
            series.push(Series {
                name: self.total_word(),
                values: self.report.periods.iter().map(|p| p.total).collect(),
                colour: svg::CITY,
                strong: true,
            });
        }
        for (d, dimension) in self.report.dimensions.iter().enumerate() {
            series.push(Series {
                name: &dimension.name,
                values: self
                    .report
                    .periods
                    .iter()
                    .map(|p| p.total_dimensions.get(d).copied().flatten())
                    .collect(),
                colour: svg::PALETTE[d % svg::PALETTE.len()],
                strong: false,
            });
        }
        html.open("figure", &[]);
        charts::line_chart(
            html,
            w.trend,
            &periods,
            &series,
            (charts::WIDTH, 300.0),
            self.decimals(),
        );
        html.close();
        html.close();
    }

    fn ranking(&self, html: &mut Html) {
        let (w, words, d) = (self.words, self.lang.words(), self.decimals());
        html.open("section", &[("id", &"ranking")]);
        html.element("h2", &[], &format!("{} — {}", w.ranking, self.period()));
        let Some(latest) = self.latest else {
            html.close();
            return;
        };
        let grades = self.report.grades_composite();
        html.open("table", &[]);
        html.open("tr", &[]);
        html.element("th", &[("class", &"n")], words.rank);
        html.element("th", &[], self.unit_word());
        if self.report.has_code {
            html.element("th", &[], words.code);
        }
        for column in &self.report.area_columns {
            html.element("th", &[], self.lang.unit_heading(column));
        }
        if let Some(by) = &self.report.by {
            let heading = format!("{}{}", self.lang.unit_heading(by), words.rank_within);
            html.element("th", &[("class", &"n")], &heading);
        }
        html.element("th", &[("class", &"n")], words.composite);
        if grades {
            html.element("th", &[], words.grade);
        }
        for dimension in &self.report.dimensions {
            html.element("th", &[("class", &"n")], &dimension.name);
        }
        html.element("th", &[("class", &"n")], words.change);
        html.element("th", &[("class", &"n")], words.pct_change);
        html.element("th", &[("class", &"n")], words.rank_change);
        html.close();
        for (i, unit) in latest.units.iter().enumerate() {
            html.open("tr", &[]);
            number_cell(html, unit.rank.map(|r| r.to_string()), "");
            html.open("td", &[]);
            html.element("a", &[("href", &format!("#unit-{}", i + 1))], &unit.unit);
            html.close();
            let labels = unit.labels.as_deref();
            if self.report.has_code {
                let code = labels.and_then(|l| l.code.as_deref());
                html.element("td", &[], code.unwrap_or(NO_VALUE));
            }
            for a in 0..self.report.area_columns.len() {
                let area = labels
                    .and_then(|l| l.areas.get(a))
                    .and_then(|a| a.as_deref());
                html.element("td", &[], area.unwrap_or(NO_VALUE));
            }
            if self.report.by.is_some() {
                let rank = labels.and_then(|l| l.area_rank);
                number_cell(html, rank.map(|r| r.to_string()), "");
            }
            number_cell(html, unit.composite.map(|c| fixed(c, d)), "");
            if grades {
                html.element("td", &[], unit.grade(self.report).unwrap_or(NO_VALUE));
            }
            for value in &unit.dimensions {
                number_cell(html, value.map(|v| fixed(v, d)), "");
            }
            change_cells(html, (unit.change, unit.pct_change, unit.rank_change), d);
            html.close();
        }
        if let Some(total) = latest.total {
            html.open("tr", &[("class", &"total")]);
            html.element("td", &[], "");
            html.element("td", &[], self.total_word());
            let label_columns = usize::from(self.report.has_code)
                + self.report.area_columns.len()
                + usize::from(self.report.by.is_some());
            for _ in 0..label_columns {
                html.element("td", &[], "");
            }
            number_cell(html, Some(fixed(total, d)), "");
            if grades {
                html.element("td", &[], &latest.grade_summary);
            }
            for value in &latest.total_dimensions {
                number_cell(html, value.map(|v| fixed(v, d)), "");
            }
            let (change, class) = charts::change_text(latest.total_change, d);
            number_cell(html, Some(change), class);
            let (pct, class) = charts::change_text(latest.total_pct_change, d);
            number_cell(html, Some(pct), class);
            html.element("td", &[], "");
            html.close();
        }
        html.close();
        html.close();
        self.areas(html);
    }

    /// Each area's figures (`report --by`), ranked among areas.
    fn areas(&self, html: &mut Html) {
        let (Some(latest), Some(by)) = (self.latest, self.report.by.as_deref()) else {
            return;
        };
        if latest.areas.is_empty() {
            return;
        }
        let (words, d) = (self.lang.words(), self.decimals());
        let column = self.lang.unit_heading(by);
        html.open("section", &[("id", &"areas")]);
        html.element(
            "h2",
            &[],
            &format!("{} — {}", words.by.replace("{}", column), self.period()),
        );
        html.open("table", &[]);
        html.open("tr", &[]);
        html.element("th", &[("class", &"n")], words.rank);
        html.element("th", &[], column);
        html.element("th", &[("class", &"n")], words.units);
        html.element("th", &[("class", &"n")], words.composite);
        for dimension in &self.report.dimensions {
            html.element("th", &[("class", &"n")], &dimension.name);
        }
        html.element("th", &[("class", &"n")], words.change);
        html.element("th", &[("class", &"n")], words.pct_change);
        html.element("th", &[("class", &"n")], words.rank_change);
        html.close();
        for area in &latest.areas {
            html.open("tr", &[]);
            number_cell(html, area.rank.map(|r| r.to_string()), "");
            html.element("td", &[], &area.label);
            number_cell(html, Some(area.units.to_string()), "");
            number_cell(html, area.total.map(|c| fixed(c, d)), "");
            for value in &area.dimensions {
                number_cell(html, value.map(|v| fixed(v, d)), "");
            }
            change_cells(html, (area.change, area.pct_change, area.rank_change), d);
            html.close();
        }
        html.close();
        html.close();
    }

    fn bars(&self, html: &mut Html) {
        let w = self.words;
        html.open("section", &[("id", &"bars")]);
        html.element("h2", &[], &format!("{} — {}", w.bars, self.period()));
        if let Some(latest) = self.latest {
            let bars: Vec<Bar<'_>> = latest
                .units
                .iter()
                .map(|unit| Bar {
                    name: &unit.unit,
                    value: unit.composite,
                    colour: self.grade_colour(unit),
                })
                .collect();
            let city = latest.total.map(|t| (self.total_word(), t));
            html.open("figure", &[]);
            charts::bar_chart(html, w.bars, &bars, city, self.decimals());
            html.close();
        }
        html.close();
    }

    /// The bar colour of a unit: by its grade when there are grades (the
    /// best band green, the worst red), else one colour.
    fn grade_colour(&self, unit: &UnitRow) -> &'static str {
        const BANDS: [&str; 5] = ["#1a7f37", "#56b4e9", "#e69f00", "#d55e00", "#c62828"];
        let bands = self.report.grades.len();
        match unit.grades.as_ref().and_then(|g| g.composite) {
            Some(g) if bands > 1 => {
                let at = (g as usize * (BANDS.len() - 1)) / (bands - 1);
                BANDS[at.min(BANDS.len() - 1)]
            }
            _ => svg::PALETTE[0],
        }
    }

    fn heat_map(&self, html: &mut Html) {
        let w = self.words;
        html.open("section", &[("id", &"heat-map")]);
        html.element("h2", &[], &format!("{} — {}", w.heat_map, self.period()));
        if let Some(latest) = self.latest {
            let columns: Vec<&str> = self
                .report
                .dimensions
                .iter()
                .map(|d| d.name.as_str())
                .collect();
            let mut rows: Vec<HeatRow<'_>> = latest
                .units
                .iter()
                .map(|unit| HeatRow {
                    name: &unit.unit,
                    values: &unit.dimensions,
                    city: false,
                })
                .collect();
            if latest.total.is_some() {
                rows.push(HeatRow {
                    name: self.total_word(),
                    values: &latest.total_dimensions,
                    city: true,
                });
            }
            html.open("figure", &[]);
            charts::heat_map(html, w.heat_map, &columns, &rows, self.decimals());
            html.close();
        }
        html.close();
    }

    fn slope(&self, html: &mut Html) {
        let w = self.words;
        html.open("section", &[("id", &"slope")]);
        let periods = &self.report.periods;
        let [.., before, after] = periods.as_slice() else {
            html.element("h2", &[], w.slope);
            html.element("p", &[("class", &"muted")], w.slope_needs_two);
            html.close();
            return;
        };
        let title = format!("{} — {} → {}", w.slope, before.period, after.period);
        html.element("h2", &[], &title);
        let mut units: Vec<Slope<'_>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (position, unit) in after.units.iter().enumerate() {
            index.insert(&unit.unit, units.len());
            units.push(Slope {
                name: &unit.unit,
                before: None,
                after: Some((position, unit.rank)),
            });
        }
        for (position, unit) in before.units.iter().enumerate() {
            match index.get(&*unit.unit) {
                Some(&k) => units[k].before = Some((position, unit.rank)),
                None => units.push(Slope {
                    name: &unit.unit,
                    before: Some((position, unit.rank)),
                    after: None,
                }),
            }
        }
        html.open("figure", &[]);
        charts::slope_chart(html, &title, (&before.period, &after.period), &units);
        html.close();
        html.close();
    }

    fn profiles(&self, html: &mut Html) {
        let w = self.words;
        html.open("section", &[("id", &"profiles")]);
        let Some(latest) = self.latest else {
            html.close();
            return;
        };
        for (i, unit) in latest.units.iter().enumerate() {
            html.open(
                "article",
                &[("class", &"profile"), ("id", &format!("unit-{}", i + 1))],
            );
            if i == 0 {
                html.element("h2", &[], w.profiles);
            }
            self.profile(html, latest, unit);
            html.close();
        }
        html.close();
    }

    fn profile(&self, html: &mut Html, latest: &PeriodReport, unit: &UnitRow) {
        let (w, words, d) = (self.words, self.lang.words(), self.decimals());
        html.element("h3", &[], &format!("{} — {}", unit.unit, latest.period));
        html.open("p", &[("class", &"facts")]);
        let rank = unit.rank.map_or(NO_VALUE.to_string(), |r| {
            format!("{r} {} {}", w.rank_of, latest.units.len())
        });
        fact(html, words.rank, &rank, "");
        let composite = unit.composite.map_or(NO_VALUE.to_string(), |c| fixed(c, d));
        fact(html, words.composite, &composite, "");
        if let Some(grade) = unit.grade(self.report) {
            fact(html, words.grade, grade, "");
        }
        let (change, class) = charts::change_text(unit.change, d);
        fact(html, words.change, &change, class);
        if let Some(c) = unit.rank_change {
            let class = if c > 0 {
                "up"
            } else if c < 0 {
                "down"
            } else {
                ""
            };
            fact(html, words.rank_change, &arrow(c), class);
        }
        html.close();

        html.open("div", &[("class", &"pair")]);
        html.open("figure", &[]);
        html.element("h4", &[], w.profile_dimensions);
        let rows: Vec<(&str, Option<f64>, Option<f64>)> = self
            .report
            .dimensions
            .iter()
            .enumerate()
            .map(|(k, dimension)| {
                (
                    dimension.name.as_str(),
                    unit.dimensions.get(k).copied().flatten(),
                    latest.total_dimensions.get(k).copied().flatten(),
                )
            })
            .collect();
        let title = format!("{} — {}", unit.unit, w.profile_dimensions);
        charts::paired_bars(html, &title, &rows, (&unit.unit, self.total_word()), d);
        html.close();
        html.open("figure", &[]);
        html.element("h4", &[], w.profile_trend);
        let periods: Vec<&str> = self
            .report
            .periods
            .iter()
            .map(|p| p.period.as_str())
            .collect();
        let own = self.history.get(&*unit.unit).cloned().unwrap_or_default();
        let mut series = vec![Series {
            name: &unit.unit,
            values: own,
            colour: svg::PALETTE[0],
            strong: true,
        }];
        if self.report.periods.iter().any(|p| p.total.is_some()) {
            series.push(Series {
                name: self.total_word(),
                values: self.report.periods.iter().map(|p| p.total).collect(),
                colour: svg::SAME,
                strong: false,
            });
        }
        let title = format!("{} — {}", unit.unit, w.profile_trend);
        charts::line_chart(html, &title, &periods, &series, (380.0, 190.0), d);
        html.close();
        html.close();

        html.element("h4", &[], w.profile_obstacles);
        self.obstacles(html, unit);
    }

    fn obstacles(&self, html: &mut Html, unit: &UnitRow) {
        let (w, d) = (self.words, self.decimals());
        if !obstacles::meaningful(self.report) {
            html.element("p", &[("class", &"muted")], w.obstacles_not_meaningful);
            return;
        }
        let ranked = obstacles::ranked(unit);
        if ranked.is_empty() {
            html.element("p", &[("class", &"muted")], w.no_obstacles);
            return;
        }
        html.open("table", &[]);
        html.open("tr", &[]);
        html.element("th", &[], w.indicator);
        html.element("th", &[], w.dimension);
        html.element("th", &[("class", &"n")], w.score);
        html.element("th", &[("class", &"n")], w.weight);
        html.element("th", &[("class", &"n")], &format!("{} %", w.obstacle));
        html.close();
        for obstacle in ranked.iter().take(TOP_OBSTACLES) {
            let info = &self.report.indicators[obstacle.indicator];
            let dimension = self
                .report
                .dimensions
                .iter()
                .find(|dim| dim.id == info.dimension)
                .map_or(info.dimension.as_str(), |dim| dim.name.as_str());
            html.open("tr", &[]);
            html.element("td", &[], &info.name);
            html.element("td", &[], dimension);
            number_cell(html, Some(fixed(obstacle.score, d)), "");
            number_cell(html, Some(fixed(obstacle.weight, 4)), "");
            number_cell(html, Some(fixed(obstacle.degree, d)), "");
            html.close();
        }
        html.close();
    }

    fn appendix(&self, html: &mut Html) {
        let w = self.words;
        html.open("section", &[("id", &"indicators"), ("class", &"profile")]);
        html.element("h2", &[], w.appendix);
        html.open("table", &[]);
        html.open("tr", &[]);
        for heading in [
            w.indicator,
            w.dimension,
            w.global_weight,
            w.direction,
            w.goalposts,
        ] {
            html.element("th", &[], heading);
        }
        html.close();
        for info in &self.report.indicators {
            let dimension = self
                .report
                .dimensions
                .iter()
                .find(|dim| dim.id == info.dimension)
                .map_or(info.dimension.as_str(), |dim| dim.name.as_str());
            html.open("tr", &[]);
            html.element("td", &[], &info.name);
            html.element("td", &[], dimension);
            number_cell(html, Some(fixed(info.global_weight, 4)), "");
            html.element("td", &[], w.direction_name(info.direction));
            let goalposts = info
                .goalposts
                .map_or(String::new(), |g| format!("{} – {}", g.lo, g.hi));
            html.element("td", &[("class", &"n")], &goalposts);
            html.close();
        }
        html.close();
        html.close();
    }
}

/// A key figure: its name, its value and, when given, its change.
fn card(html: &mut Html, key: &str, value: &str, change: Option<(&str, &str)>) {
    html.open("div", &[("class", &"card")]);
    html.element("div", &[("class", &"k")], key);
    html.element("div", &[("class", &"v")], value);
    if let Some((text, class)) = change {
        html.element("div", &[("class", &class)], text);
    }
    html.close();
}

/// A right-aligned cell, `–` when absent, coloured by `class`.
/// The change, % change and rank change cells of a ranked row, coloured
/// by direction.
fn change_cells(
    html: &mut Html,
    (change, pct_change, rank_change): (Option<f64>, Option<f64>, Option<i64>),
    decimals: usize,
) {
    let (change, class) = charts::change_text(change, decimals);
    number_cell(html, Some(change), class);
    let (pct, class) = charts::change_text(pct_change, decimals);
    number_cell(html, Some(pct), class);
    let (rank_change, class) = match rank_change {
        Some(c) if c > 0 => (arrow(c), "up"),
        Some(c) if c < 0 => (arrow(c), "down"),
        Some(c) => (arrow(c), ""),
        None => (NO_VALUE.to_string(), ""),
    };
    number_cell(html, Some(rank_change), class);
}

fn number_cell(html: &mut Html, text: Option<String>, class: &str) {
    let class = if class.is_empty() {
        "n".to_string()
    } else {
        format!("n {class}")
    };
    html.element(
        "td",
        &[("class", &class)],
        text.as_deref().unwrap_or(NO_VALUE),
    );
}

/// One fact in a profile's first line.
fn fact(html: &mut Html, key: &str, value: &str, class: &str) {
    html.open("span", &[]);
    html.text(key);
    html.text(" ");
    html.element("b", &[("class", &class)], value);
    html.close();
}
