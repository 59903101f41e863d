//! A small writer of HTML and inline SVG that cannot emit an unbalanced tag
//! or unescaped text: elements are opened and closed through a stack, and
//! every text and attribute value is escaped on the way in.

use std::fmt::{self, Display, Write as _};

use crate::export::text::terminal_safe;

/// An attribute: its name (always a literal) and its value.
pub(super) type Attr<'a> = (&'static str, &'a dyn Display);

/// HTML being written.
pub(super) struct Html {
    out: String,
    open: Vec<&'static str>,
}

impl Html {
    /// An empty document.
    pub(super) fn new() -> Html {
        Html {
            out: String::with_capacity(1 << 16),
            open: Vec::new(),
        }
    }

    /// Writes markup that comes from kmgov itself, never from the data
    /// (the doctype, the style sheet).
    pub(super) fn trusted(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// Opens `tag`; [`close`](Html::close) closes it.
    pub(super) fn open(&mut self, tag: &'static str, attrs: &[Attr<'_>]) {
        self.start_tag(tag, attrs);
        self.out.push('>');
        self.open.push(tag);
    }

    /// Closes the element opened last.
    pub(super) fn close(&mut self) {
        if let Some(tag) = self.open.pop() {
            let _ = write!(self.out, "</{tag}>");
        }
    }

    /// An element holding only `text`.
    pub(super) fn element(&mut self, tag: &'static str, attrs: &[Attr<'_>], text: &str) {
        self.open(tag, attrs);
        self.text(text);
        self.close();
    }

    /// An HTML void element (`meta`), which has no end tag.
    pub(super) fn void(&mut self, tag: &'static str, attrs: &[Attr<'_>]) {
        self.start_tag(tag, attrs);
        self.out.push('>');
    }

    /// An empty SVG element (`rect`, `line`, `path`), closed by `/>`.
    pub(super) fn shape(&mut self, tag: &'static str, attrs: &[Attr<'_>]) {
        self.start_tag(tag, attrs);
        self.out.push_str("/>");
    }

    /// Text, escaped: markup in it shows as written. Control characters
    /// and bidi overrides show as `\u{…}`, so no name can reorder the text
    /// around it.
    pub(super) fn text(&mut self, text: &str) {
        escape_into(&mut self.out, &terminal_safe(text));
    }

    /// The document; every element still open is closed.
    pub(super) fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }

    fn start_tag(&mut self, tag: &'static str, attrs: &[Attr<'_>]) {
        let _ = write!(self.out, "<{tag}");
        let mut value = String::new();
        for (name, v) in attrs {
            value.clear();
            let _ = write!(value, "{v}");
            let _ = write!(self.out, " {name}=\"");
            escape_into(&mut self.out, &terminal_safe(&value));
            self.out.push('"');
        }
    }
}

/// Pushes `text` with `& < > " '` escaped, safe in text and in a quoted
/// attribute alike.
pub(super) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A coordinate or length in an SVG attribute: one decimal, never `-0.0`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Px(pub f64);

impl Display for Px {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let x = if self.0.is_finite() { self.0 } else { 0.0 };
        let rounded = (x * 10.0).round() / 10.0;
        if rounded == 0.0 {
            return f.write_str("0");
        }
        if rounded.fract() == 0.0 {
            write!(f, "{rounded:.0}")
        } else {
            write!(f, "{rounded:.1}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut html = Html::new();
        html.open("p", &[("title", &"a\"b<c>'d&e")]);
        html.text("<script>alert(1)</script> & more");
        html.close();
        assert_eq!(
            html.finish(),
            "<p title=\"a&quot;b&lt;c&gt;&#39;d&amp;e\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>"
        );
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_shown_not_obeyed() {
        let mut html = Html::new();
        html.text("a\u{202e}b\u{1b}[31m");
        assert_eq!(html.finish(), "a\\u{202e}b\\u{1b}[31m");
    }

    #[test]
    fn elements_left_open_are_closed_in_order() {
        let mut html = Html::new();
        html.open("div", &[]);
        html.open("svg", &[("width", &Px(10.0))]);
        html.shape("rect", &[("x", &Px(-0.04)), ("y", &Px(1.25))]);
        assert_eq!(
            html.finish(),
            "<div><svg width=\"10\"><rect x=\"0\" y=\"1.3\"/></svg></div>"
        );
    }

    #[test]
    fn coordinates_are_short_and_finite() {
        assert_eq!(Px(12.345).to_string(), "12.3");
        assert_eq!(Px(f64::NAN).to_string(), "0");
        assert_eq!(Px(-3.0).to_string(), "-3");
    }
}
