//! Repository rules, run as plain tests (`cargo test -p xtask`): the layering, a compiled example on
//! every public method, the MSRV of what the published crates link, shipped text that points only
//! where its readers can follow, and no test skipped silently for want of a feature.

mod doc_examples;
mod feature_gated_tests;
mod layers;
mod module_graph;
mod msrv;
mod shipped_text;
