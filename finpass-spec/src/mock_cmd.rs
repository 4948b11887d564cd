//! `finpass-spec mock [--port N]`: the spec's examples on loopback, for teams testing a client generated
//! in another language. It is the engine finpass-client's test kit embeds (`finpass_mock::MockServer`),
//! so every client is tested against the same answers: the `401` example without credentials, the `422`
//! example for a body that breaks the schema, `Prefer: code=NNN` / `example=NAME` to pick another.

use std::io::Write;
use std::net::SocketAddr;

use anyhow::{Context, Result};
use finpass_mock::{MockAuth, MockServer};

use crate::source::SpecSource;

/// Starts the mock of `spec` on `127.0.0.1:port` (0 = any free port).
///
/// A spec file is read from disk, so the mock serves exactly the file being edited; a spec that fails
/// the checks is refused with its file and line.
pub async fn start(spec: &SpecSource, port: u16) -> Result<MockServer> {
    let loaded = spec.load()?;
    MockServer::start_with(
        loaded.spec,
        MockAuth::default(),
        SocketAddr::from(([127, 0, 0, 1], port)),
    )
    .await
    .with_context(|| format!("binding 127.0.0.1:{port}"))
}

/// Runs the mock until Ctrl-C.
pub fn run(spec: &SpecSource, port: u16) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = start(spec, port).await?;
        // Written, not `println!`: a caller that stops reading after the address must not stop the mock.
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "Finpass mock serving {spec} examples on {}",
            server.base_url()
        );
        let _ = writeln!(
            out,
            "send any non-empty x-api-key and x-api-secret headers; Ctrl-C stops it"
        );
        tokio::signal::ctrl_c()
            .await
            .context("waiting for Ctrl-C")?;
        drop(server);
        Ok(())
    })
}
