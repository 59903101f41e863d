//! A judgement matrix as a spreadsheet saves it: the first row and the
//! first column name the items (the top-left cell is anything), the cells
//! are numbers or fractions. UTF-8 (with or without BOM), UTF-16 with a
//! BOM, or the GB18030 (GBK) of Chinese-language Excel; `,` `;` tab or `|`
//! between fields, whichever the first line has most of.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::matrix::{Entry, JudgementMatrix};
use crate::error::Location;
use crate::weights::WeightError;

/// A judgement matrix larger than this is not one (a 15 × 15 matrix is a
/// few hundred bytes).
const MAX_BYTES: u64 = 16 << 20;

/// A matrix read from a file, and the encoding its text was read in when
/// that was not UTF-8.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixFile {
    /// The checked matrix; its name is empty (the file names it).
    pub matrix: JudgementMatrix,
    /// `Some("GB18030 (GBK)")` or `Some("UTF-16")` when not UTF-8.
    pub encoding: Option<&'static str>,
}

/// Reads the matrix in the file at `path`, shown in messages as `shown`.
pub fn read_matrix(path: &Path, shown: &str) -> Result<MatrixFile, Vec<WeightError>> {
    let error = |reason: String, hint: Option<&str>| {
        vec![WeightError::Read {
            path: shown.to_string(),
            reason,
            hint: hint.map(str::to_string),
        }]
    };
    let file = File::open(path).map_err(|e| {
        error(
            format!("cannot read the matrix: {e}"),
            Some("check the path"),
        )
    })?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(error(
            "this is a folder, not a matrix file".into(),
            Some("name the .csv file itself"),
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(format!("cannot read the matrix: {e}"), None))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(error(
            format!(
                "the file is larger than {MAX_BYTES} bytes, too large to be a judgement matrix"
            ),
            Some("check that the path names the matrix, not data"),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(error(
            "this is a spreadsheet workbook, not CSV text".into(),
            Some("save the sheet as CSV (Excel: File › Save As › CSV UTF-8) and pass that file"),
        ));
    }
    let (text, encoding) = decode(bytes).ok_or_else(|| {
        error(
            "the text is neither UTF-8 nor GB18030 (GBK)".into(),
            Some("save the matrix as CSV UTF-8"),
        )
    })?;
    Ok(MatrixFile {
        matrix: parse_matrix(&text, shown)?,
        encoding,
    })
}

/// UTF-8 (a BOM dropped), UTF-16 with a BOM, else clean GB18030.
fn decode(bytes: Vec<u8>) -> Option<(String, Option<&'static str>)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).ok().map(|t| (t, None));
    }
    for (bom, encoding) in [
        (&[0xFF, 0xFE], encoding_rs::UTF_16LE),
        (&[0xFE, 0xFF], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, malformed) = encoding.decode_without_bom_handling(&bytes[2..]);
            return (!malformed).then(|| (text.into_owned(), Some("UTF-16")));
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some((text, None)),
        Err(error) => encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(error.as_bytes())
            .map(|text| (text.into_owned(), Some("GB18030 (GBK)"))),
    }
}

/// The separator the first non-blank line has most of (`,` on a tie or
/// when it has none).
fn sniff(text: &str) -> u8 {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .rev()
        .max_by_key(|&d| line.bytes().filter(|&b| b == d).count())
        .unwrap_or(b',')
}

/// Reads a matrix from CSV text; `shown` names the file in messages.
pub fn parse_matrix(text: &str, shown: &str) -> Result<JudgementMatrix, Vec<WeightError>> {
    let records = records(text, shown)?;
    let Some(((header_line, header), rows)) = records.split_first() else {
        return Err(vec![WeightError::EmptyMatrix {
            matrix: String::new(),
            at: Some(Location::file(shown)),
        }]);
    };
    let mut items: Vec<String> = header
        .iter()
        .skip(1)
        .map(|c| c.trim().to_string())
        .collect();
    while items.last().is_some_and(String::is_empty) {
        items.pop();
    }
    let read_error = |reason: &str, hint: &str| {
        vec![WeightError::Read {
            path: Location::line(shown, *header_line).to_string(),
            reason: reason.to_string(),
            hint: Some(hint.to_string()),
        }]
    };
    let labels_hint = "the first row and the first column name the items, in the same order; the top-left cell may be empty";
    if items.is_empty() {
        return Err(read_error("the first row names no items", labels_hint));
    }
    let looks_numeric = |cell: &String| {
        let cell = cell.trim();
        !cell.is_empty()
            && cell
                .replace(['/', '.'], "")
                .chars()
                .all(|c| c.is_ascii_digit())
    };
    if header.first().is_some_and(looks_numeric)
        && header.iter().skip(1).take(items.len()).all(looks_numeric)
    {
        return Err(read_error(
            "the first row holds judgements, not the items' labels",
            labels_hint,
        ));
    }
    let n = items.len();
    if rows.len() != n {
        let at = rows.last().map_or(*header_line, |(line, _)| *line);
        return Err(vec![WeightError::RowCount {
            matrix: String::new(),
            found: rows.len(),
            expected: n,
            at: Some(Location::line(shown, at)),
        }]);
    }
    let mut errors = Vec::new();
    let mut labels = Vec::with_capacity(n);
    let mut entries = Vec::with_capacity(n);
    for (i, (line, fields)) in rows.iter().enumerate() {
        let label = row_label(
            i,
            &items[i],
            fields,
            Location::cell(shown, *line, 1),
            &mut errors,
        );
        if let Some(label) = &label
            && labels.contains(label)
        {
            errors.push(WeightError::BadLabel {
                matrix: String::new(),
                index: i,
                label: label.clone(),
                at: Some(Location::cell(shown, *line, 1)),
            });
        }
        labels.push(label.unwrap_or_default());
        let mut cells: Vec<&String> = fields.iter().skip(1).collect();
        // Spreadsheets leave empty cells past the last column.
        while cells.len() > n && cells.last().is_some_and(|c| c.trim().is_empty()) {
            cells.pop();
        }
        entries.push(
            cells
                .iter()
                .enumerate()
                .map(|(j, text)| {
                    Entry::text(text.as_str(), Some(Location::cell(shown, *line, j + 2)))
                })
                .collect::<Vec<_>>(),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    JudgementMatrix::new("", Some(labels), &entries)
}

/// The label of row `i`: the first column's, the first row's where the
/// first column is empty; an error when both are empty or they differ.
fn row_label(
    i: usize,
    item: &str,
    fields: &[String],
    at: Location,
    errors: &mut Vec<WeightError>,
) -> Option<String> {
    let own = fields.first().map(|c| c.trim()).unwrap_or("");
    match (own.is_empty(), item.is_empty()) {
        (true, true) => {
            errors.push(WeightError::BadLabel {
                matrix: String::new(),
                index: i,
                label: String::new(),
                at: Some(at),
            });
            None
        }
        (true, false) => Some(item.to_string()),
        (false, true) => Some(own.to_string()),
        (false, false) if own == item => Some(own.to_string()),
        (false, false) => {
            errors.push(WeightError::LabelMismatch {
                matrix: String::new(),
                index: i,
                column_label: item.to_string(),
                row_label: own.to_string(),
                at: Some(at),
            });
            None
        }
    }
}

/// The non-blank records of the text with the line each starts on.
fn records(text: &str, shown: &str) -> Result<Vec<(u64, Vec<String>)>, Vec<WeightError>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff(text))
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line());
            vec![WeightError::Read {
                path: Location::line(shown, line).to_string(),
                reason: "this line is not CSV a spreadsheet would write (an unclosed quote?)"
                    .into(),
                hint: Some("close the quote, or save the sheet again as CSV".into()),
            }]
        })?;
        let line = record.position().map_or(1, |p| p.line());
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        if fields.iter().any(|f| !f.trim().is_empty()) {
            records.push((line, fields));
        }
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spreadsheet_matrix_reads_with_labels() {
        let text = "\u{feff},服务,环境\n服务,1,3\n环境,1/3,1\n";
        let m = parse_matrix(text, "m.csv").unwrap();
        assert_eq!(m.labels().unwrap(), ["服务", "环境"]);
        assert_eq!(m.values()[1][0], 1.0 / 3.0);
        // Semicolons, trailing empty cells and blank lines.
        let text = "x;a;b;;\n\na;1;2;;\nb;0.5;1;;\n\n";
        let m = parse_matrix(text, "m.csv").unwrap();
        assert_eq!(m.values()[0][1], 2.0);
    }

    #[test]
    fn a_bad_cell_is_named_by_line_and_column() {
        let text = ",a,b,c\na,1,2,x\nb,1/2,1,1\nc,3,5,1\n";
        let errors = parse_matrix(text, "m.csv").unwrap_err();
        let texts: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            texts[0],
            "m.csv:2:4: row 1 (`a`), column 3 (`c`): `x` is not a number or a fraction such as 1/3"
        );
        assert_eq!(
            texts[1],
            "m.csv:4:3: row 3 (`c`), column 2 (`b`): `5` is not the reciprocal of the mirror judgement `1` (row 2, column 3)"
        );
    }

    #[test]
    fn layout_problems_say_what_a_matrix_looks_like() {
        let missing_row = ",a,b,c\na,1,2,3\nb,1/2,1,1\n";
        assert!(matches!(
            &parse_matrix(missing_row, "m.csv").unwrap_err()[0],
            WeightError::RowCount {
                found: 2,
                expected: 3,
                ..
            }
        ));
        let no_labels = "1,3\n1/3,1\n";
        let error = &parse_matrix(no_labels, "m.csv").unwrap_err()[0];
        assert!(
            error
                .to_string()
                .contains("holds judgements, not the items' labels"),
            "{error}"
        );
        let mismatch = ",a,b\na,1,2\nc,1/2,1\n";
        assert!(matches!(
            &parse_matrix(mismatch, "m.csv").unwrap_err()[0],
            WeightError::LabelMismatch { index: 1, .. }
        ));
        assert!(matches!(
            &parse_matrix("\n\n", "m.csv").unwrap_err()[0],
            WeightError::EmptyMatrix { .. }
        ));
        let short_row = ",a,b\na,1,2\nb,1/2\n";
        assert!(matches!(
            &parse_matrix(short_row, "m.csv").unwrap_err()[0],
            WeightError::NotSquare {
                row: 1,
                found: 1,
                ..
            }
        ));
    }

    #[test]
    fn gbk_and_utf16_decode() {
        let (gbk, _, _) = encoding_rs::GB18030.encode(",服务,环境\n服务,1,3\n环境,1/3,1\n");
        let (text, encoding) = decode(gbk.into_owned()).unwrap();
        assert!(text.starts_with(",服务"));
        assert_eq!(encoding, Some("GB18030 (GBK)"));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in ",a\na,1\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(
            decode(utf16).unwrap(),
            (",a\na,1\n".to_string(), Some("UTF-16"))
        );
        assert_eq!(decode(vec![0xFF, 0xFF, 0x80]), None);
    }
}
