//! `cargo xtask mock [--port N]`: the spec's examples on loopback, for teams testing a client generated
//! in another language. It is the engine the Rust quickstart embeds (finpass_contract::MockServer), so
//! every client is tested against the same answers: the `401` example without credentials, the `422`
//! example for a body that breaks the schema, `Prefer: code=NNN` / `example=NAME` to pick another.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::{Context, Result};
use finpass_contract::{MockAuth, MockServer};

use crate::spec_check;

/// Starts the mock of the spec at `spec_path` on `127.0.0.1:port` (0 = any free port).
///
/// Reads the spec from disk rather than the copy compiled into finpass-contract, so the mock serves
/// exactly the file being edited; a spec that fails the checks is refused with its file and line.
pub async fn start(spec_path: &Path, port: u16) -> Result<MockServer> {
    let loaded = spec_check::load(spec_path)?;
    MockServer::start_with(
        loaded.spec,
        MockAuth::default(),
        SocketAddr::from(([127, 0, 0, 1], port)),
    )
    .await
    .with_context(|| format!("binding 127.0.0.1:{port}"))
}

/// Runs the mock until Ctrl-C.
pub fn run(spec_path: &Path, port: u16) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = start(spec_path, port).await?;
        println!(
            "Finpass mock serving {} examples on {}",
            spec_path.display(),
            server.base_url()
        );
        println!("send any non-empty x-api-key and x-api-secret headers; Ctrl-C stops it");
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        drop(server);
        Ok(())
    })
}
