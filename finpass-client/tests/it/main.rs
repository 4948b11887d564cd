//! finpass-client's black-box suite: one test binary, one module per concern, all against loopback
//! servers (`support`: a scripted fault server, streamed bodies, log capture).
//!
//! A test that needs a feature of the client is never compiled out: without the feature it is listed
//! as ignored, its reason naming the command that runs it (`cargo test -p finpass-client --features
//! gzip`), so `cargo test -p finpass-client` shows what it did not run. The workspace's test run turns
//! the features on (through the contract suite's dev-dependency) and runs them all; xtask's tidy
//! rules refuse a `#[cfg(feature …)]` on test code.

mod bench_parsing;
mod billed;
mod bodies;
mod call_settings;
mod decoders_prop;
mod downloads;
mod faults;
mod limits;
mod load;
mod options;
mod patterns_prop;
mod personal_data;
mod privacy;
mod privacy_prop;
mod retry_after;
mod security;
mod support;
mod unpolled;
mod waiters;
mod wire;
