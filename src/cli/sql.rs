//! `kmgov sql`: the definition → one SQL query that computes what `kmgov
//! score` computes, for DuckDB, Spark SQL or PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use kmgov::export::{self, Source};
use kmgov::sql::{self, Dialect, Form, Periods, Request};

use super::exit::Exit;
use super::values::{Choice, choice};

#[derive(Debug, Args)]
pub struct SqlArgs {
    /// Index definition (TOML); default ./kmgov.toml, else the built-in Kunming index
    #[arg(long, short, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The engine the query is written for
    #[arg(long, short, value_parser = choice::<Dialect>())]
    dialect: Dialect,
    /// The table the data are in, shaped like the CSV; `schema.table` for a qualified name
    #[arg(long, short, value_name = "NAME", default_value = sql::DEFAULT_TABLE)]
    table: String,
    /// How the table holds the data
    #[arg(long, value_parser = choice::<Form>(), default_value = "wide")]
    form: Form,
    /// Return this period instead of the latest
    #[arg(long, short, value_name = "P", conflicts_with = "all_periods")]
    period: Option<String>,
    /// Return every period
    #[arg(long, short)]
    all_periods: bool,
    /// Write to FILE (whole, or not at all) instead of standard output; `-` is standard output
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Add a second statement: each period's total (unit `total`)
    #[arg(long)]
    total: bool,
}

impl Choice for Dialect {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        ("duckdb", Dialect::Duckdb, "DuckDB"),
        (
            "spark",
            Dialect::Spark,
            "Spark SQL (and Hive tables through Spark)",
        ),
        ("postgres", Dialect::Postgres, "PostgreSQL 12 or later"),
    ];
}

impl Choice for Form {
    const VALUES: &'static [(&'static str, Self, &'static str)] = &[
        (
            "wide",
            Form::Wide,
            "unit, period, population?, one column per indicator",
        ),
        ("long", Form::Long, "unit, period, indicator, value"),
    ];
}

/// Runs `kmgov sql`: read the definition, write the query.
pub fn run(args: SqlArgs) -> anyhow::Result<ExitCode> {
    let loaded = super::load_definition(args.config.as_deref())?;
    super::print_notes(&loaded);
    if loaded.definition.columns.labels().next().is_some() {
        super::note(
            "[data] groups and code are not carried into the query: its columns are those of `kmgov score --format csv` without them; join the table's area and code columns on unit and period",
        );
    }
    let config_path = loaded.source.path().map(Path::to_path_buf);
    let periods = match (args.all_periods, &args.period) {
        (true, _) => Periods::All,
        (false, Some(period)) => Periods::One(period.clone()),
        (false, None) => Periods::Latest,
    };
    let request = Request {
        dialect: args.dialect,
        table: args.table,
        form: args.form,
        periods,
        total: args.total,
    };
    let script = sql::generate(&loaded.definition, &request)?;
    let output = args
        .output
        .as_deref()
        .filter(|path| *path != Path::new("-"));
    if output.is_none() {
        super::check_stdout()?;
    }
    let inputs: Vec<Source<'_>> = config_path
        .as_deref()
        .map(Source::Path)
        .into_iter()
        .collect();
    export::write_output_with(output, &inputs, |out| {
        out.write_all(script.text().as_bytes())
    })?;
    Ok(Exit::Success.into())
}
