//! The xtask's commands as a library, so the integration tests in `tests/` can call them directly
//! (the binary in `main.rs` is only argument parsing and exit codes).

pub mod api_diff;
pub mod bench;
pub mod callgrind;
pub mod codegen;
pub mod coverage;
pub mod diff;
pub mod doc_example;
pub mod docs;
pub mod drift;
/// How an error shows a server `message`, shared with finpass-client by path (its vocabulary is
/// generated here from the spec).
#[path = "../../finpass-client/src/error/message.rs"]
pub mod error_message;
pub mod error_words;
pub mod export;
pub mod facade;
pub mod freshness;
pub mod gate;
pub mod json_schema;
pub mod layers;
pub mod live;
pub mod mock_cmd;
pub mod paths;
pub mod personal;
pub mod personal_debug;
pub mod personal_map;
pub mod progenitor_output;
/// The one redaction rule, shared with finpass-client by path: the xtask never links the client, so a
/// broken `generated.rs` cannot stop `cargo xtask generate`.
#[path = "../../finpass-client/src/redact.rs"]
pub mod redact;
pub mod setter_docs;
pub mod spec_check;
pub mod spec_meta;
pub mod yaml_out;
pub mod yaml_pos;
