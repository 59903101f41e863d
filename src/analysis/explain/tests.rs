//! Tests of explain on small hand-checked cases.
