//! The indicator system (指标体系) as a table, the way analysts keep it in
//! Excel: one row per dimension, group and indicator, each naming its
//! parent, like COINr's iMeta.
//!
//! [`import`] reads such a table — CSV in any encoding and separator the
//! data reader takes, or the first sheet of an .xlsx, .xls or .ods workbook
//! (recognised by content, not by name) — builds the tree, writes the
//! equivalent kmgov.toml and reads that back with [`Definition::from_toml`],
//! so that what is returned is exactly what the file says. Every problem is
//! reported at once, at its cell (`指标体系.xlsx[Sheet1]!C7`, `t.csv:7:3`).
//! [`to_csv`] writes a definition back as a table.
//!
//! ```
//! use kmgov::system::{self, ImportOptions};
//!
//! let table = "id,name,parent,weight,direction,goalpost_lo,goalpost_hi\n\
//!              vitality,社会活力,,1,,,\n\
//!              volunteering,志愿服务,vitality,2,,,\n\
//!              volunteer_rate,志愿者活跃度,volunteering,1,正向,20,80\n";
//! let imported = system::import_bytes(table.as_bytes().to_vec(), "指标体系.csv", &ImportOptions::default())?;
//! assert_eq!(imported.definition.groups[0].id, "volunteering");
//! assert!(imported.toml.contains("[[dimension.group.indicator]]"));
//! # Ok::<(), kmgov::Error>(())
//! ```

mod cells;
mod columns;
mod error;
mod rows;
pub mod sheets;
mod table;
mod toml_text;
mod tree;
mod workbook;

#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use crate::definition::{Columns, Definition, Method, Normalize};
use crate::error::DefinitionError;
use crate::error::{Error, Problem, list_some};
use crate::limits::MAX_ERRORS;

pub use columns::Field;
pub use error::TableError;
pub use table::{TableRow, rows, to_csv};
pub use workbook::{MAX_CELLS, MAX_UNZIPPED_BYTES};

use cells::{Grid, Source};
use columns::Header;
use rows::Entry;
use toml_text::{Settings, Written};
use tree::Plan;

/// The file name `kmgov init --table` writes.
pub const TABLE_FILE: &str = "indicator-table.csv";

/// How to read an indicator table, and what to take from elsewhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions<'a> {
    /// The index name; else the name of the table's row for the index
    /// itself (目标层), else the file's name.
    pub name: Option<&'a str>,
    /// The sheet of a workbook to read; the first when `None`.
    pub sheet: Option<&'a str>,
    /// A definition whose `[index]`, `[data]` and `[method]` are kept:
    /// only the tree comes from the table.
    pub base: Option<&'a Definition>,
    /// How the definition's `origin` reads (the file it will be written
    /// to); the table's name when `None`.
    pub origin: Option<&'a str>,
}

/// A definition made from an indicator table.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The kmgov.toml text.
    pub toml: String,
    /// The definition that text reads as.
    pub definition: Definition,
    /// The table as named in messages: the file, and the sheet of a workbook.
    pub table: String,
    /// What was assumed, each a sentence for a `note:` line.
    pub notes: Vec<String>,
    /// Warnings: ignored columns, the encoding assumed, goalposts left unused.
    pub warnings: Vec<Problem>,
}

/// Reads the indicator table at `path` into a definition.
pub fn import(path: &Path, options: &ImportOptions) -> Result<Imported, Error> {
    let name = path.display().to_string();
    let bytes = read_bytes(path, &name)?;
    import_bytes(bytes, &name, options)
}

/// The file's bytes, within the definition size limit.
fn read_bytes(path: &Path, name: &str) -> Result<Vec<u8>, Error> {
    let limit = crate::definition::byte_limit()?;
    let io = |source| TableError::Io {
        path: name.to_string(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    if file.metadata().map_err(io)?.is_dir() {
        return Err(TableError::Folder {
            path: name.to_string(),
        }
        .into());
    }
    // One byte past the limit tells "too large" from "exactly the limit".
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(TableError::TooLarge {
            path: name.to_string(),
            limit,
        }
        .into());
    }
    Ok(bytes)
}

/// Reads an indicator table from its bytes; `name` is the file as the user
/// named it (its stem names the index when nothing else does).
pub fn import_bytes(
    bytes: Vec<u8>,
    name: &str,
    options: &ImportOptions,
) -> Result<Imported, Error> {
    let mut grid = match workbook::kind(&bytes, name)? {
        Some(kind) => workbook::read(&bytes, kind, name, options.sheet)?,
        None => {
            let mut grid = cells::read_csv(bytes, name)?;
            if let Some(sheet) = options.sheet {
                grid.notes.push(format!(
                    "{name} is a text table, which has no sheets: the sheet `{sheet}` asked for is not looked for"
                ));
            }
            grid
        }
    };
    let mut errors = Vec::new();
    let mut warnings = std::mem::take(&mut grid.warnings);
    let mut notes = std::mem::take(&mut grid.notes);
    let header = match columns::header(&grid, &mut errors, &mut warnings, &mut notes) {
        Ok(header) => header,
        Err(error) => return Err(failed(vec![error], warnings, notes, &grid.source)),
    };
    let entries = rows::entries(&grid, &header, &mut errors);
    let plan = tree::Builder::new(&entries, &grid.source, &header, &mut errors, &mut notes).build();
    let Some(plan) = plan.filter(|_| errors.is_empty()) else {
        return Err(failed(errors, warnings, notes, &grid.source));
    };
    let settings = settings(
        &grid,
        &header,
        &entries,
        &plan,
        options,
        &mut notes,
        &mut warnings,
    );
    goalposts_needed(
        &grid.source,
        &header,
        &entries,
        &plan,
        &settings.method,
        options,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(failed(errors, warnings, notes, &grid.source));
    }
    let table = grid.source.shown();
    let written = toml_text::write(&plan, &entries, &settings, &table);
    let origin = options.origin.unwrap_or(name);
    let definition = Definition::from_toml(&written.text, origin)
        .map_err(|error| located(error, &written, &entries, &header, &grid.source))?;
    Ok(Imported {
        toml: written.text,
        definition,
        table,
        notes,
        warnings,
    })
}

/// The errors as one, in the table's order, at most [`MAX_ERRORS`] of them
/// listed; then the warnings and what was assumed (as warnings), since an
/// ignored column, the encoding or the sheet read may be their cause.
fn failed(
    mut errors: Vec<TableError>,
    warnings: Vec<Problem>,
    notes: Vec<String>,
    source: &Source,
) -> Error {
    errors.sort_by_key(error::order);
    if errors.len() > MAX_ERRORS {
        let count = errors.len() - MAX_ERRORS;
        errors.truncate(MAX_ERRORS);
        errors.push(TableError::More {
            path: source.shown(),
            count,
        });
    }
    errors.extend(warnings.into_iter().map(TableError::Warning));
    let assumed = notes.into_iter().map(|note| Problem::warning("", note));
    errors.extend(assumed.map(TableError::Warning));
    Error::Table(errors)
}

/// `[index]`, `[data]` and `[method]`: the base definition's, or the
/// index named (by `--name`, the index's own row, else the file) with
/// kmgov's defaults, normalised with goalposts when every indicator has them.
fn settings(
    grid: &Grid,
    header: &Header,
    entries: &[Entry],
    plan: &Plan,
    options: &ImportOptions,
    notes: &mut Vec<String>,
    warnings: &mut Vec<Problem>,
) -> Settings {
    assumed_directions(grid, header, entries, plan, notes);
    if header.column(columns::Field::Weight).is_none() {
        notes.push(format!(
            "{}: the table has no weight column: siblings weigh equally",
            grid.source.shown()
        ));
    }
    if let Some(base) = options.base {
        return Settings {
            name: options.name.unwrap_or(&base.name).to_string(),
            label: base.label.clone(),
            decimals: Some(base.decimals),
            columns: base.columns.clone(),
            method: base.method.clone(),
            default_columns: false,
        };
    }
    let indicators: Vec<&Entry> = (0..entries.len())
        .filter(|&r| plan.is_indicator(r))
        .map(|r| &entries[r])
        .collect();
    let with_goalposts = |e: &&Entry| e.lo.is_some() && e.hi.is_some();
    let all_goalposts = indicators.iter().all(with_goalposts);
    let mut method = Method::default();
    if all_goalposts {
        method.normalize = Normalize::Goalposts;
    } else {
        unused_goalposts(grid, &indicators, method.normalize, warnings);
    }
    Settings {
        name: index_name(grid, entries, plan, options, notes),
        label: None,
        decimals: None,
        columns: Columns {
            unit: "unit".into(),
            period: "period".into(),
            population: None,
            groups: Vec::new(),
            code: None,
        },
        method,
        default_columns: true,
    }
}

/// `--name`, else the index's own row (its name, else its id), else the
/// file's stem, with a note.
fn index_name(
    grid: &Grid,
    entries: &[Entry],
    plan: &Plan,
    options: &ImportOptions,
    notes: &mut Vec<String>,
) -> String {
    if let Some(name) = options.name.filter(|n| !n.trim().is_empty()) {
        return name.trim().to_string();
    }
    let own = plan.root.and_then(|r| {
        let entry = &entries[r];
        entry
            .name
            .as_ref()
            .or(entry.id.as_ref())
            .map(|s| s.value.clone())
    });
    if let Some(own) = own {
        return own;
    }
    let stem = Path::new(&grid.source.file)
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "index".to_string());
    notes.push(format!(
        "the index is named `{stem}` after the file, as the table has no row for the index itself (目标层); --name NAME names it"
    ));
    stem
}

/// Indicators without a direction are higher-is-better, as in kmgov.toml:
/// said, since a forgotten 负向 turns an indicator upside down.
fn assumed_directions(
    grid: &Grid,
    header: &Header,
    entries: &[Entry],
    plan: &Plan,
    notes: &mut Vec<String>,
) {
    let blank: Vec<String> = (0..entries.len())
        .filter(|&r| plan.is_indicator(r) && !entries[r].gives(columns::Field::Direction))
        .map(|r| {
            entries[r]
                .id
                .as_ref()
                .map_or_else(String::new, |id| format!("`{}`", columns::echo(&id.value)))
        })
        .collect();
    if blank.is_empty() {
        return;
    }
    let shown = grid.source.shown();
    if header.column(columns::Field::Direction).is_none() {
        notes.push(format!(
            "{shown}: the table has no direction column: every indicator is taken as higher-is-better (正向)"
        ));
    } else {
        notes.push(format!(
            "{shown}: {} indicator(s) without a direction are taken as higher-is-better (正向): {}",
            blank.len(),
            list_some(&blank, 5)
        ));
    }
}

/// Goalposts on some indicators only: the method is then minmax, and
/// those goalposts are not used unless the row's normalize says goalposts.
fn unused_goalposts(
    grid: &Grid,
    indicators: &[&Entry],
    normalize: Normalize,
    warnings: &mut Vec<Problem>,
) {
    let unused: Vec<String> = indicators
        .iter()
        .filter(|e| e.lo.is_some() && e.hi.is_some() && e.normalize.is_none())
        .filter_map(|e| {
            e.id.as_ref()
                .map(|id| format!("`{}`", columns::echo(&id.value)))
        })
        .collect();
    if unused.is_empty() {
        return;
    }
    let without: Vec<String> = indicators
        .iter()
        .filter(|e| e.lo.is_none() || e.hi.is_none())
        .filter_map(|e| {
            e.id.as_ref()
                .map(|id| format!("`{}`", columns::echo(&id.value)))
        })
        .collect();
    warnings.push(
        Problem::warning(
            grid.source.shown(),
            format!(
                "the goalposts of {} are not used: not every indicator has goalposts (none for {}), so they are normalised with {normalize}",
                list_some(&unused, 5),
                list_some(&without, 5)
            ),
        )
        .with_hint("give every indicator goalposts (the index is then normalised with them), or write goalposts in the normalize column of the rows whose goalposts should be used"),
    );
}

/// An indicator normalised with goalposts needs them: said at the table's
/// row rather than in the TOML it would become.
fn goalposts_needed(
    source: &Source,
    header: &Header,
    entries: &[Entry],
    plan: &Plan,
    method: &Method,
    options: &ImportOptions,
    errors: &mut Vec<TableError>,
) {
    for row in (0..entries.len()).filter(|&r| plan.is_indicator(r)) {
        let entry = &entries[row];
        let own = entry.normalize.as_ref().map(|n| n.value);
        if own.unwrap_or(method.normalize) != Normalize::Goalposts
            || (entry.lo.is_some() && entry.hi.is_some())
        {
            continue;
        }
        let why = match (own, options.base) {
            (Some(_), _) => "its normalize column says goalposts".to_string(),
            (None, Some(base)) => format!("[method] normalize of {} is goalposts", base.origin),
            (None, None) => "the index is normalised with goalposts".to_string(),
        };
        let column = header
            .column(columns::Field::Lo)
            .or_else(|| header.column(columns::Field::Id))
            .unwrap_or(0);
        let id = entry.id.as_ref().map_or("", |i| i.value.as_str());
        errors.push(TableError::at(
            source.cell(entry.number, column),
            format!("indicator `{}`", columns::echo(id)),
            format!("{why}, but it has no goalposts"),
            "fill in goalpost_lo and goalpost_hi, or give it another normalize (such as minmax)",
        ));
    }
}

/// The definition's own checks, told at the table's cells: a weight out of
/// range, an id kmgov reserves for its output. A TOML syntax error would be
/// kmgov's own fault.
fn located(
    error: Error,
    written: &Written,
    entries: &[Entry],
    header: &Header,
    source: &Source,
) -> Error {
    let Error::Definition(errors) = error else {
        return error;
    };
    let located = errors
        .into_iter()
        .map(|error| match error {
            DefinitionError::Invalid {
                at,
                item,
                message,
                hint,
            } => {
                let place = at.line.and_then(|line| written.places.get(&line));
                let at = match place {
                    Some(&(row, field)) => {
                        let number = entries[row].number;
                        match header.column(field) {
                            Some(column) => source.cell(number, column),
                            None => source.row(number),
                        }
                    }
                    None => source.whole(),
                };
                TableError::Invalid {
                    at,
                    item,
                    message,
                    hint,
                }
            }
            other => TableError::Unreadable {
                path: source.shown(),
                message: other.to_string(),
            },
        })
        .collect::<Vec<_>>();
    Error::Table(failed_in_order(located))
}

/// Problems in the table's order.
fn failed_in_order(mut errors: Vec<TableError>) -> Vec<TableError> {
    errors.sort_by_key(error::order);
    errors
}
