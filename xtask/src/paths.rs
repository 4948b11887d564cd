//! Workspace locations, resolved from this crate's manifest directory (never the current directory).

use std::path::PathBuf;

/// The handwritten spec, relative to the workspace root.
pub const SPEC: &str = "openapi/finpass.yaml";

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}
