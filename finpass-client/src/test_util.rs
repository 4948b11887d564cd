//! Testing your own code against Finpass with no network (feature `test-util`, never on by default).
//!
//! - [`MockFinpass`]: the spec-driven Finpass mock on loopback (the engine of the contract tests and
//!   `finpass-spec mock`) with a [`Finpass`] client pointed at it. Out of the box it answers every
//!   operation with its first documented `2xx` example, checks credentials first and answers the
//!   documented `422` to a request the spec refuses.
//! - [`Rule`]s per operation: match on the operation and on request fields ([`Rule::body_field`], a
//!   JSON pointer into the body), headers or query parameters, and answer with a documented example,
//!   a JSON body, a status, an [`ErrorEnvelope`], a delay (a tokio sleep: instant under
//!   `tokio::time::pause()`) or a dropped connection. The last matching rule added wins, so a test
//!   overrides a shared default by adding its own; [`Rule::times`] limits a rule to `n` answers and
//!   [`MockServer::remove`] takes one out. See [`MockServer`] for the whole order.
//! - The request journal ([`MockServer::requests`]): what was sent and when it arrived (on tokio's
//!   clock, paused or not), with credential values replaced by [`REDACTED`] and the values the spec
//!   classifies as personal data by `"<redacted: CATEGORY>"` unless the test asks for them
//!   ([`MockServer::keep_personal_data`]).
//! - [`MockServer::replay_captures`]: responses captured with `ClientBuilder::capture_responses`
//!   (feature `capture`) answered again, once each, in the order captured.
//! - [`ErrorBuilder`]: an [`Error`](crate::Error) of any [`ErrorKind`](crate::ErrorKind), for tests
//!   of your error handling.
//!
//! ```rust
//! use finpass_client::test_util::{ErrorEnvelope, MockFinpass, Reply, Rule};
//! use finpass_client::{ErrorKind, types};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let mock = MockFinpass::start().await?;
//!     // This mobile number is refused; any other gets the documented success example.
//!     mock.add(
//!         Rule::new("aa_initialize")
//!             .body_field("/mobile_number", "9999000001")
//!             .reply(Reply::error(
//!                 ErrorEnvelope::new(422, "Invalid Mobile Number")
//!                     .message_code("invalid_mobile_number"),
//!             )),
//!     )?;
//!     let request = |mobile: &str| {
//!         types::AaInitializeRequest::builder()
//!             .mobile_number(mobile)
//!             .consent_type("loan_underwriting")
//!     };
//!
//!     let error = mock.client().aa_initialize(request("9999000001")).await.unwrap_err();
//!     assert_eq!(error.kind(), ErrorKind::Api);
//!     assert_eq!(error.message_code(), Some("invalid_mobile_number"));
//!     let journey = mock.client().aa_initialize(request("9999000000")).await?;
//!     assert!(!journey.data.redirect_url.is_empty());
//!
//!     // What was sent: credential values are never kept, personal data only on request.
//!     let sent = mock.requests_to("aa_initialize");
//!     assert_eq!(sent.len(), 2);
//!     assert_eq!(sent[1].json.as_ref().unwrap()["mobile_number"], "<redacted: contact>");
//!     mock.keep_personal_data(true);
//!     mock.client().aa_initialize(request("9999000000")).await?;
//!     let sent = mock.requests_to("aa_initialize");
//!     assert_eq!(sent[2].json.as_ref().unwrap()["mobile_number"], "9999000000");
//!     Ok(())
//! }
//! ```

use std::ops::Deref;
use std::sync::Arc;

use crate::{ClientBuilder, Finpass};

pub use crate::error::test_kit::ErrorBuilder;
pub use finpass_mock::{
    ErrorEnvelope, JOURNAL_BODY_BUDGET, JOURNAL_CAPACITY, MAX_CAPTURE_FILE, MAX_REQUEST_BODY,
    MockServer, REDACTED, RecordedRequest, ReplayError, Reply, Rule, RuleError, RuleId,
};

/// The API key [`MockFinpass`]'s client sends (the mock accepts any non-empty key and secret).
pub const MOCK_API_KEY: &str = "finpass-mock-key";
/// The API secret [`MockFinpass`]'s client sends.
pub const MOCK_API_SECRET: &str = "finpass-mock-secret";

/// The Finpass mock on a loopback port, with a client pointed at it. Dereferences to its
/// [`MockServer`] for rules, the journal and replay; dropping it stops the server.
#[derive(Debug)]
pub struct MockFinpass {
    server: MockServer,
    client: Finpass,
}

impl MockFinpass {
    /// Starts the mock on an ephemeral loopback port, with the client of
    /// [`MockFinpass::client_builder`]. Fails only when no loopback port can be bound.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use finpass_client::test_util::MockFinpass;
    ///
    /// let mock = MockFinpass::start().await?;
    /// assert!(mock.client().base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start() -> std::io::Result<MockFinpass> {
        let server = MockServer::start().await?;
        let client = client_builder(&server)
            .build()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(MockFinpass { server, client })
    }

    /// The client: [`MOCK_API_KEY`] / [`MOCK_API_SECRET`], the mock's base URL, the default retries
    /// and timeouts, and waits (a retry's backoff, a waiter's interval) that take no real time: on a
    /// real clock they are skipped, so a test of a retried call does not wait; on a clock paused with
    /// `tokio::time::pause()` they pass on that clock, so the journal's
    /// [`received_at`](RecordedRequest::received_at) shows them.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use finpass_client::test_util::MockFinpass;
    ///
    /// let mock = MockFinpass::start().await?;
    /// let status = mock.client().aa_bsa_status("aa_bsa_123").await?;
    /// assert!(status.success);
    /// # Ok(())
    /// # }
    /// ```
    pub fn client(&self) -> &Finpass {
        &self.client
    }

    /// A builder configured like [`MockFinpass::client`], to change something before building
    /// another client for the same mock (retries, timeouts, `capture_responses`, …).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use finpass_client::test_util::MockFinpass;
    ///
    /// let mock = MockFinpass::start().await?;
    /// let no_retries = mock
    ///     .client_builder()
    ///     .retry(finpass_client::RetryConfig::disabled())
    ///     .build()?;
    /// assert_eq!(no_retries.base_url(), mock.client().base_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_builder(&self) -> ClientBuilder {
        client_builder(&self.server)
    }

    /// The mock itself.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use finpass_client::test_util::MockFinpass;
    ///
    /// let mock = MockFinpass::start().await?;
    /// assert_eq!(mock.server().base_url(), mock.client().base_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn server(&self) -> &MockServer {
        &self.server
    }
}

impl Deref for MockFinpass {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        &self.server
    }
}

fn client_builder(server: &MockServer) -> ClientBuilder {
    Finpass::builder()
        .credentials(MOCK_API_KEY, MOCK_API_SECRET)
        .base_url(server.base_url())
        .sleep_fn(Arc::new(|pause| {
            if clock_is_paused() {
                Box::pin(tokio::time::sleep(pause))
            } else {
                Box::pin(std::future::ready(()))
            }
        }))
}

/// Whether the test paused tokio's clock (`tokio::time::pause()`): it stood still while the real
/// clock moved. tokio has no query for it (tokio-rs/tokio#7700). On a paused clock a wait costs no
/// real time (tokio advances the clock to it) and shows in the journal's `received_at`; on a real
/// clock the kit skips waits, so a retried call or a waiter does not slow the test.
fn clock_is_paused() -> bool {
    let tokio_before = tokio::time::Instant::now();
    let real_before = std::time::Instant::now();
    while std::time::Instant::now() == real_before {
        std::hint::spin_loop();
    }
    tokio::time::Instant::now() == tokio_before
}
