//! Repository rules, run as plain tests (`cargo test -p xtask`): the layering, a compiled example on
//! every public method, the MSRV of what the published crates link, shipped text that points only
//! where its readers can follow, and the call value as a crate outside the workspace uses it.

mod doc_examples;
mod layers;
mod module_graph;
mod msrv;
mod outside_crate;
mod shipped_text;
