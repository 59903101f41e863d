//! Analyses built on the scores: why a score is what it is and why it
//! changed, and whether the indicators hold up.

pub mod audit;
pub mod explain;
