//! `kmgov sql`: the index definition as one SQL query, so that the index
//! can be computed where the data live (DuckDB, Spark SQL, PostgreSQL).
//!
//! The query reads a table shaped like the CSV kmgov reads — wide (unit,
//! period, population?, one column per indicator) or long (unit, period,
//! `indicator`, `value`) — and returns the columns of `kmgov score --format
//! csv`: period, rank, unit, composite, one column per dimension, change,
//! pct_change, rank_change. It is written as a chain of common table
//! expressions, one per stage of the pipeline (docs/METHODOLOGY.md): the
//! rows as read, the periods in kmgov's order, missing values, normalised
//! scores, one aggregation per level of the tree (deepest first), the
//! composite, ranks and changes. Every check `kmgov score` makes on the data
//! is a row of `kmgov_problems`; the query fails with the first of them
//! rather than return a number kmgov would not.

mod dialect;
pub mod error;
mod guards;
mod input;
mod output;
mod scores;
mod tree;

pub use dialect::Dialect;
pub use error::SqlError;

use crate::definition::{Definition, Indicator, WeightMethod};
use crate::error::echo;

/// How the table holds the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Form {
    /// One row per unit and period, one column per indicator.
    #[default]
    Wide,
    /// One row per unit, period and indicator: `indicator`, `value`.
    Long,
}

/// Which periods the query returns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Periods {
    /// The latest period, as `kmgov score` without `--period`.
    #[default]
    Latest,
    /// One named period.
    One(String),
    /// Every period.
    All,
}

/// What to write: for which engine, over which table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The engine.
    pub dialect: Dialect,
    /// The table, possibly qualified (`schema.table`).
    pub table: String,
    /// Wide or long.
    pub form: Form,
    /// Which periods to return.
    pub periods: Periods,
    /// Add a second statement with each period's total.
    pub total: bool,
}

/// The default `--table`.
pub const DEFAULT_TABLE: &str = "data";

/// One SQL statement, with a line that says what it returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// What the statement returns, for its heading comment.
    pub purpose: String,
    /// The statement, ending with `;`.
    pub text: String,
}

/// The statements `kmgov sql` writes, in the order to run them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The header comment: the index, the engine, the table, the settings.
    pub header: String,
    /// The statements.
    pub statements: Vec<Statement>,
}

/// The first line of every statement's heading, which scripts can split on.
pub const STATEMENT_MARK: &str = "-- kmgov statement";

impl Script {
    /// The whole script as text: the header, then each statement under its
    /// heading (`-- kmgov statement 2 of 3: …`), separated by blank lines.
    pub fn text(&self) -> String {
        let mut out = self.header.clone();
        let count = self.statements.len();
        for (i, statement) in self.statements.iter().enumerate() {
            out.push_str(&format!(
                "\n{STATEMENT_MARK} {} of {count}: {}\n{}\n",
                i + 1,
                statement.purpose,
                statement.text
            ));
        }
        out
    }
}

/// Writes the query for `definition` as `request` asks.
///
/// Fails on what cannot be expressed: weights derived from the data, and
/// names the engine would confuse (case, length) or that the query keeps for
/// itself (`kmgov_…`).
pub fn generate(definition: &Definition, request: &Request) -> Result<Script, crate::Error> {
    let definition = resolved(definition)?;
    let table = table_name(request.dialect, &request.table)?;
    let generator = Gen::new(&definition, request, table);
    generator.check_names()?;
    Ok(generator.script())
}

/// The definition with its weights written in: as is for manual weights,
/// derived for methods that need no data (equal, AHP); refused for methods
/// that read the data.
fn resolved(definition: &Definition) -> Result<Definition, crate::Error> {
    let method = definition.method.weights;
    if method == WeightMethod::Manual {
        return Ok(definition.clone());
    }
    if method.reads_data() {
        return Err(crate::Error::Sql(vec![SqlError::DerivedWeights {
            origin: definition.origin.clone(),
            method: method.to_string(),
        }]));
    }
    Ok(crate::weights::derive::resolve(definition, None)?.definition)
}

/// `--table` quoted part by part: `schema.table` → `"schema"."table"`.
fn table_name(dialect: Dialect, name: &str) -> Result<String, crate::Error> {
    let parts: Vec<&str> = name.split('.').map(str::trim).collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.chars().any(char::is_control))
    {
        return Err(crate::Error::Sql(vec![SqlError::BadTable {
            name: name.to_string(),
        }]));
    }
    Ok(parts
        .iter()
        .map(|p| dialect.ident(p))
        .collect::<Vec<_>>()
        .join("."))
}

/// One common table expression: its name, what it holds, its body.
struct Cte {
    name: String,
    comment: String,
    body: String,
}

/// What every part of the query is written from.
pub(crate) struct Gen<'a> {
    def: &'a Definition,
    d: Dialect,
    request: &'a Request,
    table: String,
    indicators: Vec<&'a Indicator>,
}

impl<'a> Gen<'a> {
    fn new(def: &'a Definition, request: &'a Request, table: String) -> Gen<'a> {
        Gen {
            def,
            d: request.dialect,
            request,
            table,
            indicators: def.indicators().map(|(_, i)| i).collect(),
        }
    }

    /// An identifier, quoted.
    fn q(&self, name: &str) -> String {
        self.d.ident(name)
    }

    /// A number, exactly.
    fn num(&self, x: f64) -> String {
        self.d.number(x)
    }

    /// A string literal.
    fn text(&self, s: &str) -> String {
        self.d.string(s)
    }

    /// A name for a comment: one line, control characters escaped.
    fn comment(&self, s: &str) -> String {
        echo(s).replace("*/", "* /")
    }

    /// The population is read only when the total is weighted by it.
    fn uses_population(&self) -> bool {
        self.def.method.total == crate::definition::Total::Population
            && self.def.columns.population.is_some()
    }

    /// The statements: the missing cells first under `missing = "error"`,
    /// then the scores, then (with `--total`) the totals.
    fn script(&self) -> Script {
        let mut statements = Vec::new();
        if self.d == Dialect::Spark {
            // Spark infers constraints from every alias of every projection;
            // on a query this wide that inference runs out of memory before
            // the query starts (the Kunming index: a heap of 4 GB). Turning
            // it off changes no result.
            statements.push(Statement {
                purpose: "Spark: no constraint propagation, which runs out of memory on a query this wide".into(),
                text: "SET spark.sql.constraintPropagation.enabled = false;".into(),
            });
        }
        if self.def.method.missing == crate::definition::Missing::Error {
            statements.push(self.missing_cells_statement());
        }
        let ctes = self.score_ctes();
        statements.push(Statement {
            purpose: "the scores, as `kmgov score --format csv` writes them".into(),
            text: self.statement(&ctes, &self.final_select()),
        });
        if self.request.total {
            let mut ctes = ctes;
            ctes.truncate(ctes.len() - 2);
            ctes.extend(self.total_ctes());
            statements.push(Statement {
                purpose: "each period's total, as the `total` row of `kmgov score --total-row`"
                    .into(),
                text: self.statement(&ctes, &self.total_select()),
            });
        }
        Script {
            header: self.header(),
            statements,
        }
    }

    /// The comment at the top: what the query computes, over what.
    fn header(&self) -> String {
        let m = &self.def.method;
        let form = match self.request.form {
            Form::Wide => format!(
                "wide: {}, {}{}, then one column per indicator",
                self.q(&self.def.columns.unit),
                self.q(&self.def.columns.period),
                if self.uses_population() {
                    format!(
                        ", {}",
                        self.q(self.def.columns.population.as_deref().unwrap_or(""))
                    )
                } else {
                    String::new()
                }
            ),
            Form::Long => format!(
                "long: {}, {}, \"indicator\", \"value\"",
                self.q(&self.def.columns.unit),
                self.q(&self.def.columns.period)
            ),
        };
        let periods = match &self.request.periods {
            Periods::Latest => "the latest period".to_string(),
            Periods::One(p) => format!("period {}", self.comment(p)),
            Periods::All => "every period".to_string(),
        };
        format!(
            "-- {title}, written by kmgov {version} from {origin} for {dialect}.\n\
             -- Table {table} ({form}).\n\
             -- normalize = \"{normalize}\", scope = \"{scope}\", aggregate = \"{aggregate}\", \
             missing = \"{missing}\", total = \"{total}\"; {periods}.\n\
             -- The query fails, naming the first problem, where `kmgov score` would stop.\n",
            title = self.comment(self.def.title()),
            version = env!("CARGO_PKG_VERSION"),
            origin = self.comment(&self.def.origin),
            dialect = self.d,
            table = self.table,
            normalize = m.normalize,
            scope = m.scope,
            aggregate = m.aggregate,
            missing = m.missing,
            total = m.total,
        )
    }

    /// `WITH` the CTEs, then the final `SELECT`, ending with `;`.
    fn statement(&self, ctes: &[Cte], select: &str) -> String {
        let mut out = String::from("WITH\n");
        for (i, cte) in ctes.iter().enumerate() {
            for line in cte.comment.lines() {
                out.push_str(&format!("-- {line}\n"));
            }
            // PostgreSQL would otherwise inline a CTE read once into the
            // next, copying a child's whole expression into every place its
            // parent names it: a few references a level, to the power of the
            // tree's depth (minutes and gigabytes for a harmonic tree).
            let materialized = if self.d == Dialect::Postgres {
                "MATERIALIZED "
            } else {
                ""
            };
            out.push_str(&format!("{} AS {materialized}(\n", cte.name));
            for line in cte.body.lines() {
                out.push_str("  ");
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(if i + 1 < ctes.len() { "),\n" } else { ")\n" });
        }
        out.push_str(select);
        out.push(';');
        out
    }

    /// Every CTE of the score statement, in order; the last two are the
    /// ranks and the changes.
    fn score_ctes(&self) -> Vec<Cte> {
        let mut ctes = self.input_ctes();
        let source = self.fill_ctes(&mut ctes);
        if self.def.method.aggregate == crate::definition::Aggregate::Topsis {
            ctes.extend(self.topsis_ctes(&source));
        } else {
            let scored = self.score_ctes_of(&source, &mut ctes);
            ctes.extend(self.tree_ctes(&scored));
        }
        ctes.extend(self.guard_ctes(&source));
        ctes.extend(self.rank_ctes());
        ctes
    }

    /// Names the engine would confuse, or that the query keeps for itself.
    fn check_names(&self) -> Result<(), crate::Error> {
        let origin = &self.def.origin;
        let mut errors = Vec::new();
        let ids = self.column_names();
        for id in &ids {
            if id.to_lowercase().starts_with("kmgov_") {
                errors.push(SqlError::Reserved {
                    origin: origin.clone(),
                    id: id.clone(),
                });
            }
            if let Some(most) = self.d.max_ident_bytes() {
                // The longest name the query makes of an id is `mean(…)`.
                let name = format!("mean({id})");
                if name.len() > most {
                    errors.push(SqlError::TooLong {
                        origin: origin.clone(),
                        bytes: name.len(),
                        name,
                        most,
                    });
                }
            }
        }
        if self.d.folds_case() {
            let mut seen: std::collections::HashMap<String, &String> = Default::default();
            for id in &ids {
                if let Some(first) = seen.insert(id.to_lowercase(), id)
                    && first != id
                {
                    errors.push(SqlError::CaseClash {
                        origin: origin.clone(),
                        first: first.clone(),
                        second: id.clone(),
                        dialect: self.d.name(),
                    });
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Sql(errors))
        }
    }

    /// Every name that becomes a column of the query: the table's columns,
    /// the tree's ids and the output's, each once.
    fn column_names(&self) -> Vec<String> {
        let columns = &self.def.columns;
        let mut names: Vec<String> = vec![columns.unit.clone(), columns.period.clone()];
        names.extend(columns.population.clone());
        names.extend(self.indicators.iter().map(|i| i.id.clone()));
        names.extend(self.def.groups.iter().map(|g| g.id.clone()));
        // A dimension may share its id with an indicator: they never meet in
        // one CTE, so only distinct names are compared.
        for dimension in &self.def.dimensions {
            if !names.contains(&dimension.id) {
                names.push(dimension.id.clone());
            }
        }
        names
    }
}

#[cfg(test)]
mod tests;
