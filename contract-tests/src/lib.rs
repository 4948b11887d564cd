//! Contract tooling for `openapi/finpass.yaml`, shared by the contract tests, the quickstart's embedded
//! mock and `cargo xtask`: the spec as JSON ([`spec`]), its schemas as JSON Schema validators
//! ([`schema`]), and a mock server that serves the spec's own examples or
//! answers per-operation rules, with a request journal ([`mock`]).
//!
//! The contract tests themselves live in `tests/`.
#![warn(missing_docs)]

pub mod mock;
pub mod schema;
pub mod spec;

pub use mock::{ErrorEnvelope, MockAuth, MockServer, RecordedRequest, Reply, Rule, RuleId};
pub use schema::{Validators, Violation};
pub use spec::{Example, Operation, Spec};
