//! `kmgov init`: a definition to edit and a CSV template that matches it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Args;
use kmgov::Definition;
use kmgov::definition::KUNMING_TOML;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to write into (created if needed)
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// The template's file name.
const TEMPLATE: &str = "data-template.csv";

pub fn run(args: InitArgs) -> anyhow::Result<ExitCode> {
    let config = args.dir.join("kmgov.toml");
    let template = args.dir.join(TEMPLATE);
    for path in [&config, &template] {
        if path.exists() {
            bail!(
                "{} already exists; kmgov init never overwrites a file\n  hint: move it aside, or run `kmgov init` in another folder",
                path.display()
            );
        }
    }
    fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create the folder {}", args.dir.display()))?;
    let definition = Definition::builtin();
    write_new(&config, KUNMING_TOML)?;
    write_new(&template, &template_csv(&definition))?;
    super::streams::say(&format!(
        "wrote {} ({} indicators in {} dimensions) and {}\n  next: fill in the template, then `kmgov check {}`",
        config.display(),
        definition.indicator_count(),
        definition.dimensions.len(),
        template.display(),
        template.display()
    ));
    Ok(ExitCode::SUCCESS)
}

/// The header row the definition reads, and nothing else.
fn template_csv(definition: &Definition) -> String {
    let columns = &definition.columns;
    let mut header = vec![columns.unit.clone(), columns.period.clone()];
    header.extend(columns.population.iter().cloned());
    header.extend(definition.indicators().map(|(_, i)| i.id.clone()));
    header.join(",") + "\n"
}

fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()))
        .with_context(|| format!("cannot write {}", path.display()))
}
