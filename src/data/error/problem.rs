//! Each data problem as shown to a person: where, what, and what to do.

use super::DataError;
use crate::error::{Location, Problem, echo, init_command, too_many};

/// `FF 0A` for a hint about bytes.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl DataError {
    /// The problem as shown to a person.
    // One arm per kind of problem, each a message and its hint: splitting it would scatter them.
    pub fn problem(&self) -> Problem {
        match self {
            DataError::Io { path, source } => {
                Problem::error(path.clone(), format!("cannot read the data: {source}"))
                    .with_hint("check the path, or use `-` to read standard input")
            }
            DataError::ReadFailed { at, message } => Problem::error(
                at.clone(),
                format!("the data could not be read past this line: {}", echo(message)),
            )
            .with_hint(
                "check that the file is complete and can be read to its end (not still being \
                 written, nor on a drive that went away), then run again",
            ),
            DataError::Empty { path, definition } => {
                Problem::error(path.clone(), "the file is empty").with_hint(format!(
                    "`{}` writes a CSV template with the right header",
                    init_command(definition)
                ))
            }
            DataError::NoRows { path } => {
                Problem::error(path.clone(), "the file has a header but no data rows")
                    .with_hint("add one row per unit and period below the header")
            }
            DataError::Encoding { at, encoding } => Problem::error(
                at.clone(),
                format!("the text is not valid {encoding}"),
            )
            .with_hint(
                "re-type the text in this cell, or re-save the file as CSV UTF-8; if the whole \
                 file was saved by Chinese-language Excel, pass --encoding gb18030",
            ),
            DataError::Csv { at, message } => {
                Problem::error(at.clone(), format!("malformed CSV: {}", echo(message)))
                    .with_hint("check the quotes on this line: a field with a comma or quote must be quoted, and quotes inside it doubled")
            }
            DataError::Ragged {
                at,
                expected,
                found,
            } => Problem::error(
                at.clone(),
                format!("this row has {found} fields but the header has {expected}"),
            )
            .with_hint("every row needs one field per header column; quote a field that contains a comma"),
            DataError::MissingColumn {
                path,
                column,
                role,
                suggestion,
            } => {
                let column = echo(column);
                let problem =
                    Problem::error(path.clone(), format!("no column `{column}` for {role}"));
                match suggestion {
                    Some(found) => problem.with_hint(format!(
                        "did you mean `{}`? rename that column to `{column}`, or change the definition to match the file",
                        echo(found)
                    )),
                    None => problem.with_hint(format!(
                        "add a `{column}` column to the header, or change the definition to match the file"
                    )),
                }
            }
            DataError::MissingColumns {
                path,
                columns,
                total,
                definition,
            } => {
                let named: Vec<String> =
                    columns.iter().take(5).map(|c| format!("`{}`", echo(c))).collect();
                let more = match columns.len().saturating_sub(named.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                Problem::error(
                    path.clone(),
                    format!(
                        "the data and {} do not match: {} of its {total} indicator columns \
                         are not in the header: {}{more}",
                        definition_name(definition),
                        columns.len(),
                        named.join(", ")
                    ),
                )
                .with_hint(format!(
                    "is this file for another definition? pass it with --config, or run `{}` for a template with the right header",
                    init_command(definition)
                ))
            }
            DataError::MissingIndicators {
                path,
                indicators,
                total,
                definition,
            } => {
                let named: Vec<String> =
                    indicators.iter().take(5).map(|c| format!("`{}`", echo(c))).collect();
                let more = match indicators.len().saturating_sub(named.len()) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                Problem::error(
                    path.clone(),
                    format!(
                        "the data and {} do not match: {} of its {total} indicators have no \
                         rows: {}{more}",
                        definition_name(definition),
                        indicators.len(),
                        named.join(", ")
                    ),
                )
                .with_hint(format!(
                    "is this file for another definition? pass it with --config, or run `{} --long` for a template",
                    init_command(definition)
                ))
            }
            DataError::NoIndicatorRows {
                path,
                indicator,
                dimension,
            } => Problem::error(
                path.clone(),
                format!("no row for indicator `{indicator}` of dimension `{dimension}`"),
            )
            .with_hint(format!(
                "add rows `<unit>,<period>,{indicator},<value>`, or change the definition to match the file"
            )),
            DataError::DuplicateColumn { at, column, first } => Problem::error(
                at.clone(),
                format!("column `{}` appears twice (first as column {first})", echo(column)),
            )
            .with_hint("rename or remove one of the two columns"),
            DataError::EmptyKey { at, column } => {
                Problem::error(at.clone(), format!("the `{}` cell is empty", echo(column)))
                    .with_hint("every row needs a unit and a period; delete the row if it is not data")
            }
            DataError::NotANumber {
                at,
                column,
                unit,
                period,
                text,
                reason,
            } => Problem::error(
                at.clone(),
                format!(
                    "`{}`, unit {}, period {}: `{}` {reason}",
                    echo(column),
                    echo(unit),
                    echo(period),
                    echo(text)
                ),
            )
            .with_hint(
                "write a plain decimal such as 70.2, or leave the cell empty (or NA) to mark it missing",
            ),
            DataError::DuplicateRow {
                at,
                unit,
                period,
                what,
                first_line,
            } => Problem::error(
                at.clone(),
                format!(
                    "unit {}, period {}{what} appears again (first on line {first_line})",
                    echo(unit),
                    echo(period)
                ),
            )
            .with_hint("keep one row per unit and period; delete or correct the repeated one"),
            DataError::LabelIsLongColumn {
                path,
                column,
                setting,
            } => Problem::error(
                path.clone(),
                format!(
                    "[data] {setting} names `{}`, the long form's own column of indicator names or values, so they would be read as areas or codes",
                    echo(column)
                ),
            )
            .with_hint("name the column that holds each row's area (or code) in [data]"),
            DataError::LabelConflict(conflict) => {
                let super::LabelConflict {
                    at,
                    column,
                    unit,
                    period,
                    first,
                    other,
                    first_line,
                } = conflict.as_ref();
                Problem::error(
                at.clone(),
                format!(
                    "unit {} in period {} has {} {} here but {} on line {first_line}",
                    echo(unit),
                    echo(period),
                    echo(column),
                    echo(other),
                    echo(first)
                ),
            )
            .with_hint("a unit lies in one area (and has one code) per period: correct one of the two lines")
            }
            DataError::TooMany { path, more } => too_many(path, *more),
            DataError::BadBytes {
                at,
                offset,
                bytes,
                encoding,
                detected,
            } => {
                let how = if *detected { " (detected)" } else { "" };
                Problem::error(
                    at.clone(),
                    format!(
                        "bytes {} at byte offset {offset} are not valid {encoding}{how}",
                        hex(bytes)
                    ),
                )
                .with_hint(if encoding == "UTF-8" {
                    "re-type the text on this line, or re-save the whole file as CSV UTF-8; if \
                     the whole file is from Chinese-language Excel, pass --encoding gb18030"
                } else if encoding.contains(" or ") {
                    "re-type the text on this line (its bytes are corrupted in every encoding \
                     kmgov reads), or re-save the whole file as CSV UTF-8"
                } else {
                    "re-type the text on this line (a corrupted character), or re-save the \
                     whole file as CSV UTF-8; if the file is UTF-8, pass --encoding utf-8"
                })
            }
            DataError::AmbiguousEncoding { at, utf8, gb18030 } => Problem::error(
                at.clone(),
                format!(
                    "cannot tell the text encoding: as UTF-8 this reads `{}`, as GB18030 (GBK) `{}`",
                    echo(utf8),
                    echo(gb18030)
                ),
            )
            .with_hint("pass --encoding gb18030 or --encoding utf-8, whichever reads right"),
            DataError::MixedEncoding {
                path,
                utf8_line,
                gb18030_line,
            } => Problem::error(
                path.clone(),
                format!(
                    "the file mixes encodings: line {utf8_line} is UTF-8 but line {gb18030_line} \
                     is GB18030 (GBK)"
                ),
            )
            .with_hint(
                "re-save the whole file in one encoding (CSV UTF-8); rows pasted from another \
                 file often bring theirs along",
            ),
            DataError::LateGb18030 { at, text } => Problem::error(
                at.clone(),
                format!(
                    "this line is GB18030 (GBK) text (`{}`), but the lines before it gave no sign \
                     of GB18030, so the file was being read as UTF-8",
                    echo(text)
                ),
            )
            .with_hint(
                "if the file was saved as GBK (by Chinese-language Excel, say), pass --encoding \
                 gb18030; otherwise re-type the text on this line, or re-save the whole file as \
                 CSV UTF-8",
            ),
            DataError::NotChinese { at, text, language } => Problem::error(
                at.clone(),
                format!(
                    "this text reads as GB18030 (GBK) Chinese `{}`, but it looks like {language} \
                     text, which kmgov does not read",
                    echo(text)
                ),
            )
            .with_hint(
                "convert the file to UTF-8 (in Excel: File › Save As › CSV UTF-8; or iconv -f \
                 EUC-KR -t UTF-8 for Korean, -f EUC-JP for Japanese); if it is Chinese GBK \
                 after all, pass --encoding gb18030",
            ),
            DataError::ReadAs {
                path,
                encoding,
                flag,
                why,
            } => Problem::warning(path.clone(), format!("read as {encoding} ({why})")).with_hint(
                format!(
                    "pass --encoding {flag} to say so, or --encoding utf-8 if the names look wrong"
                ),
            ),
            DataError::NotText { path, what } => {
                Problem::error(path.clone(), format!("this is {what}, not CSV text")).with_hint(
                    "save it as CSV (in Excel: File › Save As › CSV UTF-8), or export the sheet \
                     as CSV, and pass that file",
                )
            }
            DataError::RecordTooLong { at, limit } => Problem::error(
                at.clone(),
                format!("the row starting here is longer than {limit} bytes"),
            )
            .with_hint(
                "look for a quote `\"` that is opened on this line and never closed; if the row \
                 is really this long, raise the limit with KMGOV_MAX_RECORD_BYTES",
            ),
            DataError::UnclosedQuote { at, end_line } => Problem::error(
                at.clone(),
                format!("a quoted field opened on this line runs on to line {end_line}"),
            )
            .with_hint(
                "close the quote `\"` on this line; a quote inside a quoted field is written twice (\"\")",
            ),
            DataError::TooManyFields { path, limit } => Problem::error(
                Location::line(path.as_str(), 1),
                format!("the header has more than {limit} fields"),
            )
            .with_hint(format!(
                "check that this is the CSV data file: kmgov reads at most {limit} columns"
            )),
            DataError::OneFieldHeader {
                path,
                header,
                separator,
            } => Problem::error(
                Location::line(path.as_str(), 1),
                format!(
                    "the header is one field, `{}`, which contains {separator}",
                    echo(header)
                ),
            )
            .with_hint(format!(
                "if the fields are separated by {separator}, pass --delimiter with it; if the \
                 header is quoted whole, remove the quotes"
            )),
            DataError::FullWidthSeparator { path, separator } => {
                let ascii = if *separator == '，' { ',' } else { ';' };
                Problem::error(
                    Location::line(path.as_str(), 1),
                    format!(
                        "the header's fields are separated by the full-width `{separator}` of a \
                         Chinese input method, which is not a CSV separator"
                    ),
                )
                .with_hint(format!(
                    "save the file with ASCII separators: replace every `{separator}` between \
                     fields with `{ascii}` (or in Excel: File › Save As › CSV UTF-8)"
                ))
            }
            DataError::AmbiguousDelimiter {
                path,
                first,
                second,
                count,
            } => Problem::error(
                Location::line(path.as_str(), 1),
                format!(
                    "cannot tell the field separator: the header has {count} of {first} and as many of {second}"
                ),
            )
            .with_hint("pass --delimiter with the separator (`,` `;` `tab` or `|`)"),
            DataError::TooSparse {
                path,
                rows,
                indicators,
                present,
            } => Problem::error(
                path.clone(),
                format!(
                    "the long-form data has {present} values for {rows} unit-period pairs × \
                     {indicators} indicators: almost every value would be missing"
                ),
            )
            .with_hint(
                "check that the unit and period columns hold units and periods, and that the \
                 definition (--config) is the one for this file",
            ),
            DataError::PopulationIsKey {
                path,
                definition,
                column,
                role,
            } => Problem::error(
                path.clone(),
                format!(
                    "[data] population in {definition} names the column `{column}`, which is \
                     also {role}"
                ),
            )
            .with_hint("set [data] population to the column that holds the population"),
        }
    }
}

/// `the definition k.toml`, or `the built-in definition`.
fn definition_name(origin: &str) -> String {
    if origin == "built-in" {
        "the built-in definition".to_string()
    } else {
        format!("the definition {origin}")
    }
}
