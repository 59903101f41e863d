//! Text from the data or the definition made safe for a person's screen.
//!
//! Unit names, labels and messages come from files anyone may have written.
//! A terminal runs the control characters in them (ESC sequences can recolour
//! the screen, set the window title or hide text; BEL rings), and bidi
//! overrides reorder what is shown, so every human-facing output shows them
//! escaped instead, as `\u{1b}`. Names are also cut to a display width, so a
//! huge name neither wrecks the layout nor costs time to lay out.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::UnicodeWidthChar;

/// Display columns a unit or dimension name may take in the table and Markdown.
pub const NAME_WIDTH: usize = 40;

/// Display columns a title may take.
pub const TITLE_WIDTH: usize = 80;

/// True for a character that must not reach a terminal as is: a C0 or C1
/// control (ESC, BEL, CR, DEL, …) or a bidi embedding, override or isolate.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as `\u{…}` (its code in hex).
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_safe(&mut out, c);
    }
    Cow::Owned(out)
}

/// Pushes `c`, escaped when unsafe; returns the display columns pushed.
fn push_safe(out: &mut String, c: char) -> usize {
    if is_unsafe(c) {
        let before = out.len();
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        out.len() - before
    } else {
        out.push(c);
        c.width().unwrap_or(0)
    }
}

/// `text` made terminal-safe and cut to at most `max` display columns (CJK
/// characters count 2), ending in `ellipsis` when cut. Reads only as much
/// of `text` as it shows, so a name of any length costs the same.
pub fn fit(text: &str, max: usize, ellipsis: &str) -> String {
    let room = max.saturating_sub(ellipsis.chars().filter_map(|c| c.width()).sum());
    // Zero-width characters (combining marks) add no columns; a cap on the
    // characters read keeps a run of them from making the work unbounded.
    let limit = max.saturating_mul(8).max(16);
    let mut out = String::new();
    let mut width = 0;
    // Where the text stood while it still left room for the ellipsis.
    let mut cut = 0;
    for (read, c) in text.chars().enumerate() {
        if read == limit || width > max {
            out.truncate(cut);
            out.push_str(ellipsis);
            return out;
        }
        width += push_safe(&mut out, c);
        if width <= room {
            cut = out.len();
        }
    }
    if width > max {
        out.truncate(cut);
        out.push_str(ellipsis);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(terminal_safe("a\u{1b}[31mb\u{7}"), "a\\u{1b}[31mb\\u{7}");
        assert_eq!(
            terminal_safe("\u{1b}]0;title\u{7}"),
            "\\u{1b}]0;title\\u{7}"
        );
        assert_eq!(terminal_safe("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert_eq!(terminal_safe("五华区, plain"), "五华区, plain");
        assert!(matches!(terminal_safe("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_are_cut_to_a_display_width() {
        assert_eq!(fit("short", 10, "…"), "short");
        assert_eq!(fit("abcdefghijk", 10, "…"), "abcdefghi…");
        assert_eq!(fit("abcdefghij", 10, "…"), "abcdefghij");
        assert_eq!(fit("abcdefghijk", 10, "..."), "abcdefg...");
        // Two columns per CJK character: 4 fit in 9 columns with the ellipsis.
        assert_eq!(fit("五华区盘龙区官渡区", 9, "…"), "五华区盘…");
        assert_eq!(fit("a\u{1b}b", 40, "…"), "a\\u{1b}b");
        assert_eq!(fit("\u{1b}\u{1b}\u{1b}", 10, "…"), "\\u{1b}…");
    }

    #[test]
    fn a_huge_name_costs_no_more_than_a_short_one() {
        let huge = "x".repeat(50_000_000);
        let started = std::time::Instant::now();
        assert_eq!(fit(&huge, 5, "…").chars().count(), 5);
        assert!(started.elapsed().as_secs() < 1);
        let marks = format!("a{}", "\u{301}".repeat(1_000_000));
        assert!(fit(&marks, 5, "…").ends_with('…'));
    }
}
