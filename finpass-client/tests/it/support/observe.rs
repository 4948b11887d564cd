//! What a test can observe of the client from outside: everything an error prints, every tracing
//! event, who a request says sent it.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Everything an error can print: Display, Debug, pretty Debug, and the same for each source.
pub fn everything_shown(err: &finpass_client::Error) -> String {
    let mut shown = format!("{err} | {err:?} | {err:#?}");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        shown.push_str(&format!(" | {s} | {s:?}"));
        source = s.source();
    }
    shown
}

/// Every tracing event of this test binary, at TRACE, formatted as a subscriber would print it.
pub fn trace_log() -> Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOG.get_or_init(|| {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        // `try_init` also routes the `log` crate (which reqwest uses) into the subscriber.
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .try_init()
            .expect("the only subscriber of this binary");
        log
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Asserts that a request head (lower-cased, as the fault server records it) names this SDK and its
/// version in exactly one `User-Agent` line.
pub fn assert_names_the_sdk(head: &str) {
    let sent = format!("user-agent: finpass-rust/{}\r\n", env!("CARGO_PKG_VERSION"));
    assert_eq!(head.matches("user-agent:").count(), 1, "{head}");
    assert!(head.contains(&sent.to_ascii_lowercase()), "{head}");
}
