//! `cargo xtask mock [--port N]`: the spec's examples on loopback, for teams testing a client generated
//! in another language. It is the engine the Rust quickstart embeds (finpass_contract::MockServer), so
//! every client is tested against the same answers: the `401` example without credentials, the `422`
//! example for a body that breaks the schema, `Prefer: code=NNN` / `example=NAME` to pick another.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use finpass_contract::{MockAuth, MockServer, Spec};

use crate::paths;

/// Starts the mock of the working-tree spec on `127.0.0.1:port` (0 = any free port).
///
/// Reads the spec from disk rather than the copy compiled into finpass-contract, so the mock serves
/// exactly the file being edited.
pub async fn start(port: u16) -> Result<MockServer> {
    let path = paths::root().join(paths::SPEC);
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let spec = Spec::from_yaml(&text).with_context(|| format!("parsing {}", path.display()))?;
    MockServer::start_with(
        spec,
        MockAuth::default(),
        SocketAddr::from(([127, 0, 0, 1], port)),
    )
    .await
    .with_context(|| format!("binding 127.0.0.1:{port}"))
}

/// Runs the mock until Ctrl-C.
pub fn run(port: u16) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = start(port).await?;
        println!(
            "Finpass mock serving {} examples on {}",
            paths::SPEC,
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
