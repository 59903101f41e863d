//! Analyses built on the scores: why a score is what it is and why it
//! changed, how sure a rank is, and whether the indicators hold up.

pub mod audit;
pub mod explain;
pub mod sensitivity;
