//! finpass-spec's tests: one binary, one module per command (the library's API and the installed
//! binary's flags, formats and exit codes). Spec pairs and captures live in `tests/data/`.

mod bad_specs;
mod common;
mod diff;
mod drift;
mod export;
mod gate;
mod live;
mod mock;
mod other_repo;
mod personal_diff;
mod variants;
