//! The repository the xtask was built in: every file it generates and checks is found from here,
//! never from the current directory.

use std::path::PathBuf;

pub use finpass_spec::paths::SPEC;

/// The root of the checkout the xtask was built from.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the repository root")
        .to_path_buf()
}

/// `openapi/dist/`, where `cargo xtask export` writes.
pub fn dist() -> PathBuf {
    root().join("openapi/dist")
}
