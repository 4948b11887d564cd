//! finpass-client's black-box suite: one test binary, one module per concern, all against loopback
//! servers (`support`: a scripted fault server, streamed bodies, log capture).
//!
//! Some modules need a feature of the client (`gzip`, `capture`, `test-util`): the workspace's test
//! run turns them on (through the contract suite's dev-dependency), and `cargo test -p
//! finpass-client --all-features` does too.

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
mod waiters;
