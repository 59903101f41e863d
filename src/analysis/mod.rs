//! Analyses of a scored index beyond the ranked table.

pub mod sensitivity;
