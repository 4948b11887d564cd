//! Repository rules, run as plain tests (`cargo test -p xtask`): the layering, a compiled example on
//! every public method, the MSRV of what the published crates link, and shipped text that points only
//! where its readers can follow.

mod doc_examples;
mod layers;
mod module_graph;
mod msrv;
mod shipped_text;
