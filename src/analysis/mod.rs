//! Analyses built on the scores: why a score is what it is and why it changed.

pub mod explain;
