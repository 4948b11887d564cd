//! The Finpass API contract as data, for tools that test against it: the spec this crate version was
//! built from ([`SPEC_YAML`], [`Spec::embedded`]), walked into its operations and named examples
//! ([`spec`]), its schemas compiled as JSON Schema validators ([`schema`]), and its personal-data
//! classification (`x-finpass-personal`): which values each operation sends and receives about a
//! person ([`personal`]).
//!
//! ```
//! use finpass_contract::{Spec, Validators};
//!
//! let spec = Spec::embedded();
//! let init = spec.operation("aa_initialize").expect("a documented operation");
//! assert_eq!((init.method.as_str(), init.path), ("POST", "/api/v1/services/account-aggregator/init"));
//!
//! // Every named example of the spec satisfies its schema.
//! let validators = Validators::new(&spec);
//! for example in spec.examples() {
//!     assert_eq!(validators.violations(&example.schema_pointer, example.value), Ok(vec![]));
//! }
//! ```
//!
//! The spec-driven mock server built on this is the `finpass-mock` crate; the command-line tool
//! (check, export, diff, drift, mock) is `finpass-spec`.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod personal;
pub mod schema;
pub mod spec;

pub use schema::{Validators, Violation};
pub use spec::{Example, Operation, SPEC_YAML, Spec};

// The README's examples are compiled and run as doctests, so the crate page cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
