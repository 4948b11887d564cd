//! The Finpass spec as a tool: the library behind the `finpass-spec` command.
//!
//! - [`spec_check`]: the checks every command runs before it trusts a spec (YAML, `$ref`s, schema
//!   types, the official OpenAPI 3.0/3.1 JSON Schema, the `x-finpass` rules), with file and line.
//! - [`export`]: the spec as other languages' generators want it (sorted, self-contained; 3.0 and 3.1).
//! - [`diff`]: which changes between two spec versions break code that uses a client of it.
//! - `drift` (feature `drift`, on by default): whether real Finpass responses still match the spec.
//! - [`gate`]: what `diff` and `drift` share as CI gates (severities, fingerprints, accept files,
//!   baselines, output formats).
//! - [`mock_cmd`]: the spec-driven mock on loopback (`finpass-mock`).
//!
//! Every command reads the spec named by `--spec`, else the `openapi/finpass.yaml` of the checkout
//! it runs in, else the spec embedded in this build ([`source::SpecSource`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod diff;
#[cfg(feature = "drift")]
pub mod drift;
pub mod export;
pub mod freshness;
pub mod gate;
#[cfg(feature = "drift")]
pub mod live;
pub mod mock_cmd;
pub mod paths;
pub mod source;
pub mod spec_check;
pub mod yaml_out;
pub mod yaml_pos;
