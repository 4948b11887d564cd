//! What the spec says about each operation beyond its types: how safe it is to repeat, how much of its
//! documentation survives, which statuses are success, the file part of an upload. The table itself
//! is generated from the spec (`operation/generated.rs`); this module imports nothing else of the
//! crate, so everything may consult it.

// The operation table (`cargo xtask generate`).
mod generated;

/// How an operation may be retried, from the spec's `x-finpass.retry` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryClass {
    /// Repeating it changes nothing (status, result, lookup, report fetch): retried on connect
    /// errors, timeouts, 408, 429, 500, 502, 503 and 504.
    Read,
    /// Repeating it may start a second journey or a second paid bureau pull: retried only when the
    /// request provably did not run (connect failure, 429).
    SideEffecting,
    /// Repeating it changes nothing, but every call is (probably) charged, like the corporate lookups:
    /// by default retried only when the request provably did not run (connect failure, 429), as
    /// [`SideEffecting`](RetryClass::SideEffecting); retried as a [`Read`](RetryClass::Read) when the
    /// client opts in with [`RetryConfig::retry_billed_as_read`](crate::RetryConfig::retry_billed_as_read)
    /// (for contracts under which these calls are free).
    Billed,
}

/// How much of an operation's public documentation is known, from `x-finpass.docs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocsCoverage {
    /// The whole page is known.
    Complete,
    /// Most request and response fields are known.
    Partial,
    /// Only part of the page survives; large parts of the response are open objects.
    Fragmentary,
}

/// One operation of the Finpass API as described by `openapi/finpass.yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The spec's `operationId`, also the Rust method name.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path below the base URL.
    pub path: &'static str,
    /// Retry class.
    pub retry: RetryClass,
    /// Documentation coverage.
    pub docs: DocsCoverage,
    /// The 2xx statuses the spec declares; only these decode as success.
    pub(crate) success: &'static [u16],
    /// For a multipart upload, its file part.
    pub(crate) file_part: Option<FilePart>,
    /// Headers the page requires that OpenAPI cannot declare (`x-finpass.required-headers`), as
    /// lower-case names and their values; the call path (`facade/calls.rs`) sets them on every
    /// call.
    pub(crate) required_headers: &'static [(&'static str, &'static str)],
}

/// The file part of a `multipart/form-data` operation, from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FilePart {
    /// The form field's name.
    pub field: &'static str,
    /// Lower-case file name extensions the spec allows (`x-finpass-allowed-extensions`).
    pub extensions: &'static [&'static str],
}

/// Every operation in the spec, in spec order.
///
/// ```
/// use finpass_client::operation::{self, RetryClass};
///
/// for op in operation::all().iter().filter(|op| op.retry == RetryClass::SideEffecting) {
///     println!("{} {} {}: never retried blindly", op.id, op.method, op.path);
/// }
/// assert!(operation::all().iter().any(|op| op.id == "aa_initialize"));
/// ```
pub fn all() -> &'static [Operation] {
    generated::OPERATIONS
}

/// The operation with this `operationId`, if the spec has it.
///
/// ```
/// use finpass_client::operation::{self, RetryClass};
///
/// let pull = operation::find("multi_bureau_fetch").expect("in the spec");
/// assert_eq!((pull.method, pull.retry), ("POST", RetryClass::SideEffecting));
/// assert!(operation::find("no_such_operation").is_none());
/// ```
pub fn find(id: &str) -> Option<&'static Operation> {
    all().iter().find(|op| op.id == id)
}
