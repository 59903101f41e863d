//! What differs between the engines the SQL is written for: quoting, types,
//! literals, regular expressions, how a query fails on purpose, and the
//! idiom for a unit's last value that is not null.

use std::fmt;

/// An SQL engine `kmgov sql` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// DuckDB (tables from `read_csv_auto`, Parquet …).
    Duckdb,
    /// Spark SQL (and Hive tables read through Spark).
    Spark,
    /// PostgreSQL 12 or later.
    Postgres,
}

impl Dialect {
    /// Every dialect, in the order the command line lists them.
    pub const ALL: [Dialect; 3] = [Dialect::Duckdb, Dialect::Spark, Dialect::Postgres];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Duckdb => "duckdb",
            Dialect::Spark => "spark",
            Dialect::Postgres => "postgres",
        }
    }

    /// The dialect a command-line word names.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// An identifier quoted: `"名称"` (a `"` doubled) or, in Spark, `` `名称` ``.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::Duckdb | Dialect::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// A string literal. Spark reads backslashes in literals as escapes, so
    /// they are doubled there.
    pub fn string(self, text: &str) -> String {
        let quoted = text.replace('\'', "''");
        match self {
            Dialect::Spark => format!("'{}'", quoted.replace('\\', "\\\\")),
            Dialect::Duckdb | Dialect::Postgres => format!("'{quoted}'"),
        }
    }

    /// A number as a literal the engine reads as exactly this double: an
    /// integer below 2⁵³ as an integer, anything else in the shortest
    /// exponent form that reads back to the same double (a DOUBLE literal in
    /// DuckDB and Spark; in PostgreSQL an exact numeric cast to double
    /// precision, which rounds correctly).
    pub fn number(self, x: f64) -> String {
        let x = if x == 0.0 { 0.0 } else { x };
        if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
            return format!("{}", x as i64);
        }
        let text = format!("{x:e}");
        match self {
            Dialect::Postgres => format!("{text}::float8"),
            Dialect::Duckdb | Dialect::Spark => text,
        }
    }

    /// The type of text.
    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::Duckdb => "VARCHAR",
            Dialect::Spark => "STRING",
            Dialect::Postgres => "TEXT",
        }
    }

    /// The type of a double.
    pub fn double_type(self) -> &'static str {
        match self {
            Dialect::Duckdb | Dialect::Spark => "DOUBLE",
            Dialect::Postgres => "DOUBLE PRECISION",
        }
    }

    /// `expr` as text.
    pub fn as_text(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.text_type())
    }

    /// `expr` as a double.
    pub fn as_double(self, expr: &str) -> String {
        format!("CAST({expr} AS {})", self.double_type())
    }

    /// `expr` compared by code point (byte order of UTF-8), as kmgov orders
    /// names; PostgreSQL would otherwise use the database's collation.
    pub fn binary(self, expr: &str) -> String {
        match self {
            Dialect::Postgres => format!("{expr} COLLATE \"C\""),
            Dialect::Duckdb | Dialect::Spark => expr.to_string(),
        }
    }

    /// True when `text` matches the regular expression `pattern` (written
    /// without backslashes, so that it means the same in every engine).
    pub fn matches(self, text: &str, pattern: &str) -> String {
        let pattern = self.string(pattern);
        match self {
            Dialect::Duckdb => format!("regexp_matches({text}, {pattern})"),
            Dialect::Spark => format!("({text} RLIKE {pattern})"),
            Dialect::Postgres => format!("({text} ~ {pattern})"),
        }
    }

    /// Every match of `pattern` in `text` replaced by `replacement`, where
    /// `$1` stands for the first group.
    pub fn replace_all(self, text: &str, pattern: &str, replacement: &str) -> String {
        let (pattern, flags) = (self.string(pattern), ", 'g'");
        match self {
            Dialect::Spark => format!(
                "regexp_replace({text}, {pattern}, {})",
                self.string(replacement)
            ),
            Dialect::Duckdb | Dialect::Postgres => format!(
                "regexp_replace({text}, {pattern}, {}{flags})",
                self.string(&replacement.replace("$1", "\\1"))
            ),
        }
    }

    /// An expression that stops the query with `message` (an expression of
    /// text) when it is evaluated. `message` must read a column: PostgreSQL
    /// folds constant expressions before running the query.
    pub fn fail(self, message: &str) -> String {
        match self {
            Dialect::Duckdb => format!("error({message})"),
            Dialect::Spark => format!("raise_error({message})"),
            // No function raises an error in plain PostgreSQL SQL; a cast of
            // the message to a number does, and the error quotes it.
            Dialect::Postgres => format!("CAST({message} AS DOUBLE PRECISION)"),
        }
    }

    /// An inline table of `rows` (each a list of SQL values) named `alias`
    /// with `columns`, for a `FROM` clause.
    pub fn values(self, rows: &[String], alias: &str, columns: &str) -> String {
        let rows = rows.join(",\n  ");
        match self {
            Dialect::Spark => format!("VALUES\n  {rows}\nAS {alias}({columns})"),
            Dialect::Duckdb | Dialect::Postgres => {
                format!("(VALUES\n  {rows}\n) AS {alias}({columns})")
            }
        }
    }

    /// The most bytes an identifier may have; longer ones are cut short
    /// (PostgreSQL's NAMEDATALEN − 1), which could make two names one.
    pub fn max_ident_bytes(self) -> Option<usize> {
        match self {
            Dialect::Postgres => Some(63),
            Dialect::Duckdb | Dialect::Spark => None,
        }
    }

    /// True when the engine matches identifiers without regard to case,
    /// even quoted (DuckDB always, Spark by default).
    pub fn folds_case(self) -> bool {
        matches!(self, Dialect::Duckdb | Dialect::Spark)
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_quoted_per_dialect() {
        assert_eq!(Dialect::Duckdb.ident("社会活力"), "\"社会活力\"");
        assert_eq!(Dialect::Postgres.ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Dialect::Spark.ident("a`b c"), "`a``b c`");
    }

    #[test]
    fn strings_escape_quotes_and_spark_backslashes() {
        assert_eq!(Dialect::Duckdb.string("it's"), "'it''s'");
        assert_eq!(Dialect::Spark.string("a\\b'"), "'a\\\\b'''");
        assert_eq!(Dialect::Postgres.string("a\\b"), "'a\\b'");
    }

    #[test]
    fn numbers_are_the_shortest_text_that_reads_back_exactly() {
        let d = Dialect::Duckdb;
        assert_eq!(d.number(100.0), "100");
        assert_eq!(d.number(-0.0), "0");
        assert_eq!(d.number(0.25), "2.5e-1");
        assert_eq!(d.number(1.0 / 15.0), "6.666666666666667e-2");
        assert_eq!(d.number(1e300), "1e300");
        assert_eq!(d.number(9_007_199_254_740_992.0), "9.007199254740992e15");
        assert_eq!(Dialect::Postgres.number(0.1), "1e-1::float8");
        for x in [0.1, 1.0 / 3.0, 2.0f64.sqrt(), 5e-324, f64::MAX, -81.46] {
            let text = d.number(x);
            assert_eq!(text.parse::<f64>().unwrap(), x, "{text}");
        }
    }

    #[test]
    fn failing_and_matching_follow_the_engine() {
        assert_eq!(Dialect::Duckdb.fail("m"), "error(m)");
        assert_eq!(Dialect::Spark.fail("m"), "raise_error(m)");
        assert_eq!(Dialect::Postgres.fail("m"), "CAST(m AS DOUBLE PRECISION)");
        assert_eq!(
            Dialect::Spark.replace_all("s", "([0-9]+)", "0$1"),
            "regexp_replace(s, '([0-9]+)', '0$1')"
        );
        assert_eq!(
            Dialect::Duckdb.replace_all("s", "([0-9]+)", "0$1"),
            "regexp_replace(s, '([0-9]+)', '0\\1', 'g')"
        );
        assert_eq!(Dialect::Postgres.matches("s", "^a"), "(s ~ '^a')");
    }
}
