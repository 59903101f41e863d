//! Names as compared: the folding that makes one name of the spellings a
//! spreadsheet gives it (invisible characters, full-width letters and digits,
//! Unicode NFC). Used by the reader for units, periods and headers, and by
//! the definition for its ids, so that both fold alike.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Maps full-width ASCII (U+FF01–U+FF5E) and the ideographic space to ASCII.
pub fn fold_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '。' => '.',
            _ => c,
        })
        .collect()
}

/// Characters that are invisible (or nearly: a soft hyphen shows only at a
/// line break) and dropped from names, so that a name pasted with one is the
/// same name: zero-width space, non-joiner and joiner, the left-to-right and
/// right-to-left marks, the bidi embeddings, overrides and isolates, the word
/// joiner and the invisible operators, the Mongolian vowel separator, the
/// combining grapheme joiner, the variation selectors, the soft hyphen, and
/// the BOM as a zero-width no-break space.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
    )
}

/// A full-width letter or digit (`ｋ`, `２`) as its ASCII self.
fn fold_alphanumeric(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// A name as compared: invisible characters removed, full-width letters and
/// digits folded to ASCII, then Unicode NFC, so that `é` typed as one
/// character or as `e` and a combining accent, `ｋ` typed with a Chinese
/// input method, or a name with an invisible character pasted in, is one
/// name. ASCII text (and any text already so) is returned as it is, without
/// copying.
pub fn normalize(name: &str) -> Cow<'_, str> {
    if name.is_ascii() {
        return Cow::Borrowed(name);
    }
    let changed = name
        .chars()
        .any(|c| is_invisible(c) || fold_alphanumeric(c).is_some());
    let stripped: Cow<'_, str> = if changed {
        Cow::Owned(
            name.chars()
                .filter(|&c| !is_invisible(c))
                .map(|c| fold_alphanumeric(c).unwrap_or(c))
                .collect(),
        )
    } else {
        Cow::Borrowed(name)
    };
    if is_nfc_quick(stripped.chars()) == IsNormalized::Yes {
        return stripped;
    }
    Cow::Owned(stripped.nfc().collect())
}

/// A period label, header cell or long-form indicator name as compared: as
/// [`normalize`], with every full-width character (letters, digits,
/// punctuation, the ideographic space) folded to ASCII and the ends trimmed
/// (`２０１９` is 2019, ` ｘ１ ` is `x1`). Headers and indicator names are
/// folded alike so that the wide and the long form match the same names.
pub fn normalize_label(label: &str) -> Cow<'_, str> {
    if label.is_ascii() {
        return Cow::Borrowed(label.trim());
    }
    let folded = fold_full_width(label.trim());
    Cow::Owned(normalize(folded.trim()).trim().to_string())
}
