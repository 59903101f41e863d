//! `kmgov init`: a definition to edit and a CSV template that matches it.

use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::definition::{KUNMING_TOML, TextEncoding, read_text};
use kmgov::error::{init_command, list_some};
use kmgov::export::{is_formula, push_field};
use kmgov::system::{ImportOptions, TABLE_FILE};
use kmgov::{Definition, Problem};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into (created if needed)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Start from this definition instead of the built-in Kunming one
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Write the template in long form: unit, period, indicator, value
    #[arg(long, conflicts_with = "table")]
    long: bool,
    /// Write kmgov.toml from an indicator table (.csv, .xlsx, .xls or .ods, one row per
    /// dimension, group and indicator); with --from FILE only the tree comes from the table
    #[arg(long, value_name = "TABLE", conflicts_with = "table")]
    from_table: Option<PathBuf>,
    /// Write the indicator table of the definition (built-in, or --from) as
    /// DIR/indicator-table.csv; DIR `-` prints it
    #[arg(long)]
    table: bool,
    /// With --from-table: the index name (else the table's row for the index itself, else
    /// the table's file name)
    #[arg(long, value_name = "NAME", requires = "from_table")]
    name: Option<String>,
    /// With --from-table: the sheet of a workbook to read (default: the first)
    #[arg(long, value_name = "SHEET", requires = "from_table")]
    sheet: Option<String>,
}

/// The template's file name.
const TEMPLATE: &str = "data-template.csv";

/// The unit and period of the long template's example rows.
const EXAMPLE_UNIT: &str = "example";
const EXAMPLE_PERIOD: &str = "2019";

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    if args.table {
        return write_table(&args);
    }
    if let Some(table) = &args.from_table {
        return from_table(&args, table);
    }
    let (definition, text, encoding) = starting_point(args.from.as_deref())?;
    let config = args.dir.join("kmgov.toml");
    let template = args.dir.join(TEMPLATE);
    // `init --from DIR/kmgov.toml DIR`: the definition is already in place.
    let config_is_source = args
        .from
        .as_deref()
        .is_some_and(|from| same_file(from, &config));
    let kept = config_is_source.then_some(&config);
    refuse_existing(&[&config, &template], kept, args.from.as_deref())?;
    fs::create_dir_all(&args.dir).map_err(|source| InitError::Folder {
        path: args.dir.clone(),
        source,
    })?;
    let csv = if args.long {
        long_template(&definition)
    } else {
        wide_template(&definition)
    }?;
    if !config_is_source {
        write_new(&config, text.as_bytes())?;
    }
    if let Err(error) = write_new(&template, &csv) {
        if !config_is_source {
            // Nothing half-done: the folder is as it was.
            let _ = fs::remove_file(&config);
        }
        return Err(error.into());
    }
    let mut stderr = io::stderr().lock();
    let _ = writeln!(
        stderr,
        "{} {} ({} indicators in {} dimensions) and wrote {}{}",
        if config_is_source { "kept" } else { "wrote" },
        config.display(),
        definition.indicator_count(),
        definition.dimensions.len(),
        template.display(),
        if args.long { " (long form)" } else { "" },
    );
    if encoding == TextEncoding::Gb18030 {
        let _ = writeln!(
            stderr,
            "note: {} was read as GB18030 (GBK); {} is its UTF-8 copy",
            definition.origin,
            config.display()
        );
    }
    drop(stderr);
    warn_formulas(&definition, &template, &config);
    next_step(&config, &template);
    Ok(super::exit::Exit::Success.into())
}

/// What to do after `init`: fill in the template, then check it.
fn next_step(config: &Path, template: &Path) {
    let _ = writeln!(
        io::stderr().lock(),
        "  next: fill in the template, then `kmgov check --config {} {}`",
        config.display(),
        template.display()
    );
}

/// `init --from-table TABLE [--from FILE] DIR`: kmgov.toml from the
/// indicator table (the settings from FILE, when given) and its template.
fn from_table(args: &InitArgs, table: &Path) -> anyhow::Result<ExitCode> {
    let config = args.dir.join("kmgov.toml");
    let template = args.dir.join(TEMPLATE);
    let again = format!("kmgov init --from-table {} DIR", shell_word(table));
    refuse_existing_as(&[&config, &template], &again)?;
    let base = match args.from.as_deref() {
        Some(from) => Some(starting_point(Some(from))?.0),
        None => None,
    };
    let origin = config.display().to_string();
    let options = ImportOptions {
        name: args.name.as_deref(),
        sheet: args.sheet.as_deref(),
        base: base.as_ref(),
        origin: Some(&origin),
    };
    let imported = kmgov::system::import(table, &options)?;
    for text in &imported.notes {
        super::note(text);
    }
    if !imported.warnings.is_empty() {
        super::print_problems(&imported.warnings, None);
    }
    let definition = &imported.definition;
    fs::create_dir_all(&args.dir).map_err(|source| InitError::Folder {
        path: args.dir.clone(),
        source,
    })?;
    let csv = if args.long {
        long_template(definition)
    } else {
        wide_template(definition)
    }?;
    write_new(&config, imported.toml.as_bytes())?;
    if let Err(error) = write_new(&template, &csv) {
        // Nothing half-done: the folder is as it was.
        let _ = fs::remove_file(&config);
        return Err(error.into());
    }
    let _ = writeln!(
        io::stderr().lock(),
        "wrote {} from {} ({}) and wrote {}{}",
        config.display(),
        imported.table,
        shape(definition),
        template.display(),
        if args.long { " (long form)" } else { "" },
    );
    warn_formulas(definition, &template, &config);
    next_step(&config, &template);
    Ok(super::exit::Exit::Success.into())
}

/// `46 indicators in 9 groups under 3 dimensions, 4 levels`.
fn shape(definition: &Definition) -> String {
    let groups = match definition.groups.len() {
        0 => String::new(),
        1 => " in 1 group".to_string(),
        n => format!(" in {n} groups"),
    };
    format!(
        "{} indicators{groups} under {} dimensions, {} levels",
        definition.indicator_count(),
        definition.dimensions.len(),
        definition.depth()
    )
}

/// `init --table [--from FILE] DIR`: the definition's indicator table as
/// DIR/indicator-table.csv, or on standard output for DIR `-`.
fn write_table(args: &InitArgs) -> anyhow::Result<ExitCode> {
    let (definition, _, _) = starting_point(args.from.as_deref())?;
    let csv = kmgov::system::to_csv(&definition);
    if args.dir.as_os_str() == "-" {
        super::check_stdout()?;
        let mut stdout = io::stdout().lock();
        stdout
            .write_all(&csv)
            .and_then(|()| stdout.flush())
            .map_err(|source| {
                kmgov::Error::from(kmgov::error::ExportError::Io {
                    path: "<stdout>".into(),
                    source,
                })
            })?;
        return Ok(super::exit::Exit::Success.into());
    }
    let path = args.dir.join(TABLE_FILE);
    let again = match args.from.as_deref() {
        Some(from) => format!("kmgov init --table --from {} DIR", shell_word(from)),
        None => "kmgov init --table DIR".to_string(),
    };
    refuse_existing_as(&[&path], &again)?;
    fs::create_dir_all(&args.dir).map_err(|source| InitError::Folder {
        path: args.dir.clone(),
        source,
    })?;
    write_new(&path, &csv)?;
    let _ = writeln!(
        io::stderr().lock(),
        "wrote {} from {} ({} rows: the index and {})\n  next: review it in a spreadsheet; `kmgov init --from-table {} NEWDIR` makes a definition of it",
        path.display(),
        definition.origin,
        1 + definition.dimensions.len() + definition.groups.len() + definition.indicator_count(),
        shape(&definition),
        shell_word(&path),
    );
    Ok(super::exit::Exit::Success.into())
}

/// A path as a shell word: as it is when plain, else in single quotes.
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_whitespace() && !"'\"$`\\*?&;|<>()[]{}!#~".contains(c));
    if plain {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Refuses when a file to be written is already there; `again` is the
/// command to run with another folder.
fn refuse_existing_as(paths: &[&PathBuf], again: &str) -> Result<(), InitError> {
    match paths.iter().find(|path| path.exists()) {
        Some(path) => Err(InitError::Exists {
            path: path.to_path_buf(),
            again: again.to_string(),
        }),
        None => Ok(()),
    }
}

/// The definition to start from, its text as written, and how it was read:
/// `--from FILE`, else the built-in one.
fn starting_point(from: Option<&Path>) -> Result<(Definition, String, TextEncoding), kmgov::Error> {
    match from {
        Some(path) => {
            let (text, encoding) = read_text(path)?;
            let definition = Definition::from_toml(&text, &path.display().to_string())?;
            Ok((definition, text, encoding))
        }
        None => Ok((
            Definition::builtin(),
            KUNMING_TOML.to_string(),
            TextEncoding::Utf8,
        )),
    }
}

/// Refuses when a file to be written is already there, except `kept`: the
/// definition given with `--from` that is already in place.
fn refuse_existing(
    paths: &[&PathBuf],
    kept: Option<&PathBuf>,
    from: Option<&Path>,
) -> Result<(), InitError> {
    let Some(path) = paths
        .iter()
        .find(|path| path.exists() && kept != Some(**path))
    else {
        return Ok(());
    };
    let again = init_command(&from.map_or("built-in".into(), |p| p.display().to_string()));
    Err(InitError::Exists {
        path: path.to_path_buf(),
        again,
    })
}

/// The header row the definition reads, and nothing else.
fn wide_template(definition: &Definition) -> Result<Vec<u8>, InitError> {
    let columns = &definition.columns;
    let mut header = vec![columns.unit.as_str(), columns.period.as_str()];
    header.extend(columns.population.as_deref());
    header.extend(definition.indicators().map(|(_, i)| i.id.as_str()));
    csv_of(&[header])
}

/// `<unit>,<period>,indicator,value`, then one row per indicator (and the
/// population) for one example unit and period, the values left empty to fill.
fn long_template(definition: &Definition) -> Result<Vec<u8>, InitError> {
    let columns = &definition.columns;
    let mut rows = vec![vec![
        columns.unit.as_str(),
        columns.period.as_str(),
        "indicator",
        "value",
    ]];
    let names = columns
        .population
        .as_deref()
        .into_iter()
        .chain(definition.indicators().map(|(_, i)| i.id.as_str()));
    rows.extend(names.map(|name| vec![EXAMPLE_UNIT, EXAMPLE_PERIOD, name, ""]));
    csv_of(&rows)
}

/// CSV as `score` writes it: quoted where a name needs it (a comma or a
/// quote in an id), and a `'` before a name a spreadsheet would run as a
/// formula (an id such as `=HYPERLINK(…)`).
fn csv_of(rows: &[Vec<&str>]) -> Result<Vec<u8>, InitError> {
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_field(&mut out, cell, false);
        }
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// Warns when the template has names written with a `'` before them: the
/// data read back would not match the definition until they are renamed.
fn warn_formulas(definition: &Definition, template: &Path, config: &Path) {
    let columns = &definition.columns;
    let names: Vec<String> = [columns.unit.as_str(), columns.period.as_str()]
        .into_iter()
        .chain(columns.population.as_deref())
        .chain(definition.indicators().map(|(_, i)| i.id.as_str()))
        .filter(|name| is_formula(name))
        .map(|name| format!("`{name}`"))
        .collect();
    if names.is_empty() {
        return;
    }
    let problem = Problem::warning(
        template.display().to_string(),
        format!(
            "{} begin with =, +, -, @, a tab or a carriage return, which a spreadsheet runs as a formula: \
             the template has a ' before them, so data that keeps the ' will not match the definition",
            list_some(&names, 5)
        ),
    )
    .with_hint(format!(
        "rename them in {} to begin with a letter or digit, then run kmgov init again",
        config.display()
    ));
    super::print_problems(&[problem], None);
}

/// True when both paths name one existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Writes a file that must not exist yet; on failure, removes what it began.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), InitError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| InitError::Create {
            path: path.to_path_buf(),
            source,
        })?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| {
            let _ = fs::remove_file(path);
            InitError::Write {
                path: path.to_path_buf(),
                source,
            }
        })
}

/// Why `kmgov init` wrote nothing. Each is shown as a [`Problem`], like the
/// library's errors.
#[derive(Debug)]
pub enum InitError {
    /// `kmgov.toml` or the template is already in the folder.
    Exists {
        /// The file that is there.
        path: PathBuf,
        /// The command to run again with another folder.
        again: String,
    },
    /// The folder could not be created.
    Folder {
        /// The folder as given.
        path: PathBuf,
        /// Why not.
        source: io::Error,
    },
    /// A file could not be created.
    Create {
        /// The file.
        path: PathBuf,
        /// Why not.
        source: io::Error,
    },
    /// A file was created but could not be written, and was removed again.
    Write {
        /// The file.
        path: PathBuf,
        /// Why not.
        source: io::Error,
    },
}

impl InitError {
    /// The problem as shown to a person. The message names the file itself
    /// (`DIR/kmgov.toml already exists`), so the location is left empty.
    pub fn problem(&self) -> Problem {
        match self {
            InitError::Exists { path, again } => Problem::error(
                "",
                format!(
                    "{} already exists; kmgov init never overwrites a file",
                    path.display()
                ),
            )
            .with_hint(format!(
                "move it aside, or run `{again}` with another folder"
            )),
            InitError::Folder { path, source } => Problem::error(
                "",
                format!("cannot create the folder {}: {source}", path.display()),
            ),
            InitError::Create { path, source } => {
                Problem::error("", format!("cannot write {}: {source}", path.display()))
            }
            InitError::Write { path, source } => Problem::error(
                "",
                format!(
                    "cannot write {}; nothing was left behind: {source}",
                    path.display()
                ),
            ),
        }
    }
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.problem())
    }
}

impl std::error::Error for InitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InitError::Exists { .. } => None,
            InitError::Folder { source, .. }
            | InitError::Create { source, .. }
            | InitError::Write { source, .. } => Some(source),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn an_existing_file_is_a_problem_with_its_hint_apart() {
        let error = InitError::Exists {
            path: PathBuf::from("out/kmgov.toml"),
            again: "kmgov init DIR".into(),
        };
        let problem = error.problem();
        assert_eq!(
            problem.to_string(),
            "out/kmgov.toml already exists; kmgov init never overwrites a file"
        );
        assert_eq!(
            problem.hint.as_deref(),
            Some("move it aside, or run `kmgov init DIR` with another folder")
        );
        assert!(!problem.message.contains("hint"));
        assert!(error.source().is_none());
    }

    #[test]
    fn a_write_failure_keeps_its_io_error_as_the_source() {
        let error = InitError::Write {
            path: PathBuf::from("out/data-template.csv"),
            source: io::Error::new(io::ErrorKind::StorageFull, "no space"),
        };
        assert_eq!(
            error.to_string(),
            "cannot write out/data-template.csv; nothing was left behind: no space"
        );
        let source = error.source().and_then(|e| e.downcast_ref::<io::Error>());
        assert_eq!(
            source.map(io::Error::kind),
            Some(io::ErrorKind::StorageFull)
        );
    }
}
