//! `kmgov init`: a definition to edit and a CSV template that matches it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use kmgov::Definition;
use kmgov::definition::{KUNMING_TOML, TextEncoding, read_text};
use kmgov::error::{init_command, list_some};
use kmgov::export::{is_formula, push_field};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into (created if needed)
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Start from this definition instead of the built-in Kunming one
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Write the template in long form: unit, period, indicator, value
    #[arg(long)]
    long: bool,
}

/// The template's file name.
const TEMPLATE: &str = "data-template.csv";

/// The unit and period of the long template's example rows.
const EXAMPLE_UNIT: &str = "example";
const EXAMPLE_PERIOD: &str = "2019";

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let (definition, text, encoding) = match &args.from {
        Some(path) => {
            let (text, encoding) = read_text(path)?;
            let definition = Definition::from_toml(&text, &path.display().to_string())?;
            (definition, text, encoding)
        }
        None => (
            Definition::builtin(),
            KUNMING_TOML.to_string(),
            TextEncoding::Utf8,
        ),
    };
    let config = args.dir.join("kmgov.toml");
    let template = args.dir.join(TEMPLATE);
    // `init --from DIR/kmgov.toml DIR`: the definition is already in place.
    let config_is_source = args
        .from
        .as_deref()
        .is_some_and(|from| same_file(from, &config));
    let again = init_command(
        &args
            .from
            .as_deref()
            .map_or("built-in".into(), |p| p.display().to_string()),
    );
    for path in [&config, &template] {
        if path.exists() && !(config_is_source && path == &config) {
            bail!(
                "{} already exists; kmgov init never overwrites a file\n  hint: move it aside, or run `{again}` with another folder",
                path.display()
            );
        }
    }
    fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create the folder {}", args.dir.display()))?;
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
        return Err(error);
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
    let mut stderr = io::stderr().lock();
    let _ = writeln!(
        stderr,
        "  next: fill in the template, then `kmgov check --config {} {}`",
        config.display(),
        template.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The header row the definition reads, and nothing else.
fn wide_template(definition: &Definition) -> anyhow::Result<Vec<u8>> {
    let columns = &definition.columns;
    let mut header = vec![columns.unit.as_str(), columns.period.as_str()];
    header.extend(columns.population.as_deref());
    header.extend(definition.indicators().map(|(_, i)| i.id.as_str()));
    csv_of(&[header])
}

/// `<unit>,<period>,indicator,value`, then one row per indicator (and the
/// population) for one example unit and period, the values left empty to fill.
fn long_template(definition: &Definition) -> anyhow::Result<Vec<u8>> {
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
fn csv_of(rows: &[Vec<&str>]) -> anyhow::Result<Vec<u8>> {
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
    let problem = kmgov::Problem::warning(
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
fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .inspect_err(|_| {
            let _ = fs::remove_file(path);
        })
        .with_context(|| format!("cannot write {}; nothing was left behind", path.display()))
}
