//! Per-operation rules: "when this operation is called with these fields, answer that".
//!
//! The last rule added wins: rules are tried newest first and the first one that matches answers, so
//! a test's own rule overrides one added before it (by a shared fixture, say). A rule limited with
//! [`Rule::times`] stops matching once used up, and the next older matching rule (or the spec-driven
//! answer) takes over; [`MockServer::remove`](super::MockServer::remove) takes a rule out.

use std::time::Duration;

use serde_json::Value;

use hyper::header::{HeaderName, HeaderValue};

use super::lookup::{header_value, query_value};
use super::{MockServer, lock};

/// One rule: which requests it matches and how it answers. Build it with [`Rule::new`] and add it with
/// [`MockServer::add`](super::MockServer::add).
#[derive(Debug, Clone)]
pub struct Rule {
    pub(crate) operation: String,
    body: Vec<(String, Value)>,
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    pub(crate) reply: Reply,
    pub(crate) uses: Option<usize>,
}

impl Rule {
    /// A rule for the operation with this `operationId` that answers with the spec-driven default
    /// (see the [module docs](super)) until a reply is set with [`Rule::reply`].
    pub fn new(operation_id: impl Into<String>) -> Rule {
        Rule {
            operation: operation_id.into(),
            body: Vec::new(),
            headers: Vec::new(),
            query: Vec::new(),
            reply: Reply::spec_default(),
            uses: None,
        }
    }

    /// Matches only when the JSON body has `value` at the JSON pointer `pointer` (`/mobile_number`,
    /// `/bureaus/0`). Several conditions must all hold.
    pub fn body_field(mut self, pointer: impl Into<String>, value: impl Into<Value>) -> Rule {
        self.body.push((pointer.into(), value.into()));
        self
    }

    /// Matches only when the request carries header `name` (any case) with exactly `value`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Rule {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// Matches only when the query has parameter `name` equal to `value` (percent-decoded).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Rule {
        self.query.push((name.into(), value.into()));
        self
    }

    /// How the rule answers.
    pub fn reply(mut self, reply: Reply) -> Rule {
        self.reply = reply;
        self
    }

    /// Answers at most `n` requests, then stops matching.
    pub fn times(mut self, n: usize) -> Rule {
        self.uses = Some(n);
        self
    }

    /// The `operationId` the rule is for.
    pub fn operation_id(&self) -> &str {
        &self.operation
    }

    /// Whether a request to this rule's operation with these parts matches its conditions.
    pub(crate) fn matches(
        &self,
        headers: &[(String, String)],
        query: &str,
        json: Option<&Value>,
    ) -> bool {
        self.body
            .iter()
            .all(|(pointer, want)| json.and_then(|j| j.pointer(pointer)) == Some(want))
            && self
                .headers
                .iter()
                .all(|(name, want)| header_value(headers, name) == Some(want.as_str()))
            && self
                .query
                .iter()
                .all(|(name, want)| query_value(query, name).as_deref() == Some(want.as_str()))
    }
}

/// How a rule answers. Build it with one of the constructors, then optionally [`Reply::header`] and
/// [`Reply::after`].
#[derive(Debug, Clone)]
pub struct Reply {
    pub(crate) kind: ReplyKind,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) delay: Option<Duration>,
}

#[derive(Debug, Clone)]
pub(crate) enum ReplyKind {
    /// The spec-driven answer, as if no rule had matched.
    SpecDefault,
    /// A named example of the operation's responses, with its status.
    Example(String),
    /// A status and an optional JSON body.
    Json(u16, Option<Value>),
    /// An error envelope.
    Error(ErrorEnvelope),
    /// Close the connection without answering.
    Drop,
}

impl Reply {
    fn of(kind: ReplyKind) -> Reply {
        Reply {
            kind,
            headers: Vec::new(),
            delay: None,
        }
    }

    /// The spec-driven answer (credentials, request validation, `Prefer`, first `2xx` example), as if
    /// no rule had matched: with [`Rule::times`] and a delay it paces or counts normal answers.
    pub fn spec_default() -> Reply {
        Reply::of(ReplyKind::SpecDefault)
    }

    /// The operation's documented example called `name` (the key under `examples:` in the spec), with
    /// the status it is documented under. [`MockServer::add`](super::MockServer::add) refuses a name
    /// the operation does not have.
    pub fn example(name: impl Into<String>) -> Reply {
        Reply::of(ReplyKind::Example(name.into()))
    }

    /// `200` with this JSON body.
    pub fn json(body: Value) -> Reply {
        Reply::of(ReplyKind::Json(200, Some(body)))
    }

    /// This status with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply::of(ReplyKind::Json(status, None))
    }

    /// This status with this JSON body.
    pub fn status_json(status: u16, body: Value) -> Reply {
        Reply::of(ReplyKind::Json(status, Some(body)))
    }

    /// A Finpass error envelope (see [`ErrorEnvelope`]).
    pub fn error(envelope: ErrorEnvelope) -> Reply {
        Reply::of(ReplyKind::Error(envelope))
    }

    /// Closes the connection without answering: the client sees a dropped connection.
    pub fn drop_connection() -> Reply {
        Reply::of(ReplyKind::Drop)
    }

    /// Adds a response header (`x-request-id`, `retry-after`, …).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Waits `delay` before answering (or dropping). The wait is a tokio sleep, so under
    /// `tokio::time::pause()` it passes without real time passing.
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = Some(delay);
        self
    }
}

/// A Finpass error body: `success: false`, a `message`, and the machine-readable `message_code`
/// (Account Aggregator family) or `error_code` (ITR family) when set. When the operation's documented
/// error schema has `status_code` (the AA envelope), the status is repeated there too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEnvelope {
    pub(crate) status: u16,
    pub(crate) message: String,
    pub(crate) message_code: Option<String>,
    pub(crate) error_code: Option<String>,
}

impl ErrorEnvelope {
    /// An error answered with HTTP `status` and this `message`.
    pub fn new(status: u16, message: impl Into<String>) -> ErrorEnvelope {
        ErrorEnvelope {
            status,
            message: message.into(),
            message_code: None,
            error_code: None,
        }
    }

    /// Sets `message_code`.
    pub fn message_code(mut self, code: impl Into<String>) -> ErrorEnvelope {
        self.message_code = Some(code.into());
        self
    }

    /// Sets `error_code`.
    pub fn error_code(mut self, code: impl Into<String>) -> ErrorEnvelope {
        self.error_code = Some(code.into());
        self
    }

    /// The JSON body; `status_code` is added when `with_status_code`.
    pub(crate) fn body(&self, with_status_code: bool) -> Value {
        let mut body = serde_json::json!({"success": false, "message": self.message});
        if with_status_code {
            body["status_code"] = self.status.into();
        }
        if let Some(code) = &self.message_code {
            body["message_code"] = code.as_str().into();
        }
        if let Some(code) = &self.error_code {
            body["error_code"] = code.as_str().into();
        }
        body
    }
}

/// Identifies an added rule, to ask [`MockServer::hits`](super::MockServer::hits) how often it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleId(pub(crate) usize);

/// The rules of one mock, in the order they were added, with how often each answered. A removed rule
/// keeps its place (so every [`RuleId`] stays valid) and its count, and never matches again.
#[derive(Debug, Default)]
pub(crate) struct RuleSet {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    rule: Rule,
    hits: usize,
    removed: bool,
}

impl RuleSet {
    pub(crate) fn push(&mut self, rule: Rule) -> RuleId {
        self.entries.push(Entry {
            rule,
            hits: 0,
            removed: false,
        });
        RuleId(self.entries.len() - 1)
    }

    /// Takes the rule out; `false` when it was already out.
    pub(crate) fn remove(&mut self, id: RuleId) -> bool {
        match self.entries.get_mut(id.0) {
            Some(entry) if !entry.removed => {
                entry.removed = true;
                true
            }
            _ => false,
        }
    }

    /// The newest rule that matches and is neither used up nor removed; counts the use.
    pub(crate) fn take(
        &mut self,
        operation: &str,
        headers: &[(String, String)],
        query: &str,
        json: Option<&Value>,
    ) -> Option<(RuleId, Reply)> {
        let (index, entry) = self.entries.iter_mut().enumerate().rev().find(|(_, e)| {
            !e.removed
                && e.rule.operation == operation
                && e.rule.uses.is_none_or(|n| e.hits < n)
                && e.rule.matches(headers, query, json)
        })?;
        entry.hits += 1;
        Some((RuleId(index), entry.rule.reply.clone()))
    }

    pub(crate) fn hits(&self, id: RuleId) -> usize {
        self.entries.get(id.0).map_or(0, |e| e.hits)
    }
}

/// A rule [`MockServer::add`] refused: it names an operation or example the spec does not have, or a
/// reply header that is not valid HTTP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError(String);

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RuleError {}

/// Rules are added to and taken out of a running mock.
impl MockServer {
    /// Adds a rule. A request is answered by the most recently added rule that is for its operation,
    /// whose conditions all hold, and that is neither used up nor removed: the last added wins, so a
    /// test's own rule overrides one a shared fixture added before it, and when a [`Rule::times`]
    /// rule is used up the older ones answer again. Refuses a rule whose operation or example the spec
    /// does not have (a typo would otherwise never match).
    ///
    /// ```
    /// use finpass_mock::{MockServer, Reply, Rule};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mock = MockServer::start().await?;
    /// // A fixture's default for every test…
    /// let default = mock.add(Rule::new("aa_bsa_status").reply(Reply::example("consent_pending")))?;
    /// // …and one test's override: it answers until removed.
    /// let outage = mock.add(Rule::new("aa_bsa_status").reply(Reply::status(503)))?;
    /// assert!(mock.remove(outage));
    /// # let _ = default;
    /// # Ok(())
    /// # }
    /// ```
    pub fn add(&self, rule: Rule) -> Result<RuleId, RuleError> {
        let Some(op) = self.engine.spec.operation(&rule.operation) else {
            return Err(RuleError(format!(
                "the spec has no operation `{}`",
                rule.operation
            )));
        };
        if let ReplyKind::Example(name) = &rule.reply.kind
            && self.engine.spec.named_response_example(&op, name).is_none()
        {
            return Err(RuleError(format!(
                "`{}` has no response example named `{name}`",
                op.id
            )));
        }
        for (name, value) in &rule.reply.headers {
            if HeaderName::try_from(name.as_str()).is_err()
                || HeaderValue::try_from(value.as_str()).is_err()
            {
                return Err(RuleError(format!(
                    "reply header `{name}` is not valid HTTP"
                )));
            }
        }
        Ok(lock(&self.engine.rules).push(rule))
    }

    /// Takes out a rule [`MockServer::add`] returned: it answers no request after this (its
    /// [`MockServer::hits`] stay). Returns `false` when it was already out.
    pub fn remove(&self, rule: RuleId) -> bool {
        lock(&self.engine.rules).remove(rule)
    }

    /// How many requests the rule has answered.
    pub fn hits(&self, rule: RuleId) -> usize {
        lock(&self.engine.rules).hits(rule)
    }
}

#[cfg(test)]
mod tests;
