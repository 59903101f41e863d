//! A Markdown table per period, rounded to `decimals`, to paste into reports.
//!
//! Names are text, never markup: a unit called `<script>…` or
//! `[x](javascript:…)` shows as written instead of running or linking when
//! the Markdown is rendered to HTML, and one called `https://…`, `www.…` or
//! `user@host.com` does not become a GitHub-style autolink.

use super::{Lang, Words};
use std::io::{self, Write};

use super::layout::{self, Cell, Heading};
use super::text::{NAME_WIDTH, TITLE_WIDTH, fit};
use super::{Exporter, NO_VALUE, arrow};
use crate::report::Report;

/// Renders a heading and a pipe table per period, the total in bold.
pub struct MarkdownExporter {
    /// The language of headings and labels.
    pub lang: Lang,
}

impl Exporter for MarkdownExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        let words = self.lang.words();
        let headings = layout::headings(report, self.lang);
        let header: Vec<String> = headings.iter().map(|h| heading_text(*h, words)).collect();
        let rule: Vec<String> = headings
            .iter()
            .map(|h| if h.is_numeric() { "---:" } else { ":---" }.to_string())
            .collect();
        let mut text = String::new();
        for (i, period) in report.periods.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&format!(
                "### {} — {}\n\n",
                escape(&report.title, TITLE_WIDTH),
                escape(&period.period, NAME_WIDTH)
            ));
            push_row(&mut text, &header);
            push_row(&mut text, &rule);
            for row in layout::rows(report, period) {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .zip(&headings)
                    .map(|(cell, heading)| {
                        let shown = cell_text(*cell, report.decimals, words);
                        if row.total && *heading == Heading::Composite && !shown.is_empty() {
                            format!("**{shown}**")
                        } else {
                            shown
                        }
                    })
                    .collect();
                push_row(&mut text, &cells);
            }
            if let Some(by) = report.by.as_deref().filter(|_| !period.areas.is_empty()) {
                push_area_table(&mut text, report, period, by, self.lang);
            }
            out.write_all(text.as_bytes())?;
            text.clear();
        }
        Ok(())
    }
}

/// The areas' table of a period (`score --by`), under its own heading.
fn push_area_table(
    text: &mut String,
    report: &Report,
    period: &crate::report::PeriodReport,
    by: &str,
    lang: super::Lang,
) {
    let words = lang.words();
    let headings = layout::area_headings(report, by, lang);
    text.push_str(&format!(
        "\n### {} — {} — {}\n\n",
        escape(&report.title, TITLE_WIDTH),
        escape(&period.period, NAME_WIDTH),
        escape(&words.by.replace("{}", lang.unit_heading(by)), NAME_WIDTH)
    ));
    let header: Vec<String> = headings.iter().map(|h| heading_text(*h, words)).collect();
    let rule: Vec<String> = headings
        .iter()
        .map(|h| if h.is_numeric() { "---:" } else { ":---" }.to_string())
        .collect();
    push_row(text, &header);
    push_row(text, &rule);
    for row in layout::area_rows(period) {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|cell| cell_text(*cell, report.decimals, words))
            .collect();
        push_row(text, &cells);
    }
}

fn heading_text(heading: Heading<'_>, words: &Words) -> String {
    match heading {
        Heading::Rank => capitalised(words.rank),
        Heading::Unit(name) | Heading::Dimension(name) | Heading::Group(name) => {
            escape(name, NAME_WIDTH)
        }
        Heading::Composite => capitalised(words.composite),
        Heading::Grade => capitalised(words.grade),
        Heading::DimensionGrade(name) => format!("{}{}", escape(name, NAME_WIDTH), words.grade_of),
        Heading::Change => capitalised(words.change),
        Heading::PctChange => words.pct_change.into(),
        Heading::RankChange => capitalised(words.rank_change),
        Heading::DimensionRank(name) => format!("{}{}", escape(name, NAME_WIDTH), words.rank_of),
        Heading::DimensionChange(name) => {
            format!("{}{}", escape(name, NAME_WIDTH), words.change_of)
        }
        Heading::RankP05 => "Rank p05".into(),
        Heading::RankP95 => "Rank p95".into(),
        Heading::Code => capitalised(words.code),
        Heading::Units => capitalised(words.units),
        Heading::Area(name) => escape(name, NAME_WIDTH),
        Heading::AreaRank(name) => format!("{}{}", escape(name, NAME_WIDTH), words.rank_within),
    }
}

/// A heading word with its first letter in upper case, as Markdown tables
/// here have always been written.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn cell_text(cell: Cell<'_>, decimals: usize, words: &Words) -> String {
    if let Some(number) = cell.number(decimals, NO_VALUE) {
        return number;
    }
    match cell {
        Cell::Name(name) => escape(name, NAME_WIDTH),
        Cell::TotalLabel => format!("**{}**", capitalised(words.total)),
        Cell::RankChange(change) => arrow(change),
        _ => String::new(),
    }
}

fn push_row(out: &mut String, cells: &[String]) {
    out.push('|');
    for cell in cells {
        out.push(' ');
        out.push_str(cell);
        out.push_str(" |");
    }
    out.push('\n');
}

/// U+2060 WORD JOINER as an entity: shows as nothing, and breaks a text
/// pattern that a renderer would turn into a link.
///
/// Backslash escapes are not enough: GitHub (cmark-gfm) finds email
/// addresses after escapes are resolved, so `user\@host.com` is still a
/// link, and remark-gfm links `https\://…` and `www\.…` too.
const WORD_JOINER: &str = "&#8288;";

/// Text safe inside a table cell or heading, cut to `max` display columns:
/// line breaks as spaces, other control characters escaped, `|` and Markdown
/// punctuation backslash-escaped, and `<`, `>`, `&` as HTML entities, so that
/// neither a link, an image, emphasis nor raw HTML can form; a word joiner
/// after `@`, between `:` and `//` and between `www` and `.`, so that no
/// autolink (email, `https://`, `www.`) can form either.
pub fn escape(text: &str, max: usize) -> String {
    let cut = fit(&text.replace(['\n', '\r'], " "), max, "…");
    let mut out = String::with_capacity(cut.len());
    for (at, c) in cut.char_indices() {
        match c {
            '@' => {
                out.push('@');
                out.push_str(WORD_JOINER);
            }
            ':' if cut[at + 1..].starts_with("//") => {
                out.push(':');
                out.push_str(WORD_JOINER);
            }
            '.' if ends_with_www(&cut[..at]) => {
                out.push_str(WORD_JOINER);
                out.push('.');
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '[' | ']' | '(' | ')' | '*' | '_' | '`' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// True when `text` ends in `www`, in any letter case.
fn ends_with_www(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 3 && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b"www")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_become_html_links_or_images() {
        assert_eq!(
            escape("<script>alert(1)</script>", 80),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        assert_eq!(
            escape("<img src=x onerror=alert(1)>", 80),
            "&lt;img src=x onerror=alert\\(1\\)&gt;"
        );
        assert_eq!(
            escape("[x](javascript:alert(1))", 80),
            "\\[x\\]\\(javascript:alert\\(1\\)\\)"
        );
        assert_eq!(
            escape("![i](http://e/x.png)", 80),
            "\\!\\[i\\]\\(http:&#8288;//e/x.png\\)"
        );
        assert_eq!(escape("a|b\\c", 80), "a\\|b\\\\c");
        assert_eq!(escape("R&D", 80), "R&amp;D");
        assert_eq!(
            escape("line\nbreak\u{1b}[2J", 80),
            "line break\\\\u{1b}\\[2J"
        );
        assert_eq!(escape("五华区, plain", 80), "五华区, plain");
    }

    #[test]
    fn names_cannot_become_autolinks() {
        let cases = [
            ("https://evil.example/x", "https:&#8288;//evil.example/x"),
            ("HTTP://evil.example", "HTTP:&#8288;//evil.example"),
            ("ftp://x.com", "ftp:&#8288;//x.com"),
            ("www.evil.com", "www&#8288;.evil.com"),
            ("go to WwW.evil.com", "go to WwW&#8288;.evil.com"),
            ("user@evil.com", "user@&#8288;evil.com"),
            ("mailto:a@b.com", "mailto:a@&#8288;b.com"),
            ("xmpp:a@b.com/x", "xmpp:a@&#8288;b.com/x"),
        ];
        for (name, shown) in cases {
            let escaped = escape(name, 80);
            assert_eq!(escaped, shown);
            // None of the patterns GFM links is left in the text.
            let lower = escaped.to_ascii_lowercase();
            assert!(
                !lower.contains("://") && !lower.contains("www."),
                "{escaped}"
            );
            assert!(!escaped.contains("@") || escaped.contains("@&#8288;"));
        }
        // Ordinary colons, dots and names are left as they were.
        assert_eq!(escape("Ratio: 1.5, a.www", 80), "Ratio: 1.5, a.www");
        assert_eq!(escape("五华区:东", 80), "五华区:东");
    }
}
