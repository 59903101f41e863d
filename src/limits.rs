//! The limits that bound what kmgov accepts and keeps, in one place at the
//! lowest layer, so that the definition and the data check against the same
//! numbers. The environment variables that override some of them are read
//! where the limit is applied.

/// The largest magnitude kmgov accepts, in data, goalposts and weights.
///
/// Far beyond any real indicator, and small enough that every difference,
/// square and sum the methods form stays finite: (x − min)² for values within
/// ±1e100 is at most 4e200, and a million of them sum to about 4e206, where an
/// f64 overflows only past 1.8e308.
pub const MAX_MAGNITUDE: f64 = 1e100;

/// The largest definition read unless `KMGOV_MAX_DEFINITION_BYTES` says otherwise:
/// 64 MiB, a thousand times the size of a large real definition.
pub const MAX_DEFINITION_BYTES: u64 = 64 * 1024 * 1024;

/// The environment variable that overrides [`MAX_DEFINITION_BYTES`].
pub const MAX_DEFINITION_BYTES_VAR: &str = "KMGOV_MAX_DEFINITION_BYTES";

/// The default longest row of the data: 1 MiB, a thousand times a typical
/// row; `KMGOV_MAX_RECORD_BYTES` overrides it.
pub const MAX_RECORD_BYTES: u64 = 1 << 20;

/// The environment variable that overrides [`MAX_RECORD_BYTES`].
pub const MAX_RECORD_BYTES_VAR: &str = "KMGOV_MAX_RECORD_BYTES";

/// The most fields a header may have.
pub const MAX_HEADER_FIELDS: usize = 100_000;

/// The most errors kept from one file; the rest are counted.
pub const MAX_ERRORS: usize = 1000;

/// The deepest indicator system read: dimension, groups and indicator
/// together. Published systems have three or four levels; a limit keeps a
/// pathological file from exhausting the stack.
pub const MAX_TREE_LEVELS: usize = 16;
