//! The contract suite: one test binary, one module per concern. Snapshots live in `it/snapshots/`
//! and are named explicitly, so moving a test does not rename them.

mod aa_initialize;
mod collection;
mod consumer_kit;
mod decisions;
mod downloads;
mod examples;
mod forward_compat;
mod inputs;
mod personal_debug;
mod required_headers;
mod schemars;
mod spec_source;
mod support;
mod upload;
mod waiters;
