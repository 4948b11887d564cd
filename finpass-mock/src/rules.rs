//! Per-operation rules: "when this operation is called with these fields, answer that".
//!
//! Rules are tried in the order they were added and the first one that matches answers; a rule
//! limited with [`Rule::times`] stops matching once used up, and the next matching rule (or the
//! spec-driven answer) takes over.

use std::time::Duration;

use serde_json::Value;

use super::journal::{header_value, query_value};

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

/// The rules of one mock, in the order they were added, with how often each answered.
#[derive(Debug, Default)]
pub(crate) struct RuleSet {
    entries: Vec<(Rule, usize)>,
}

impl RuleSet {
    pub(crate) fn push(&mut self, rule: Rule) -> RuleId {
        self.entries.push((rule, 0));
        RuleId(self.entries.len() - 1)
    }

    /// The first rule that matches and is not used up; counts the use.
    pub(crate) fn take(
        &mut self,
        operation: &str,
        headers: &[(String, String)],
        query: &str,
        json: Option<&Value>,
    ) -> Option<(RuleId, Reply)> {
        let (index, (rule, hits)) =
            self.entries
                .iter_mut()
                .enumerate()
                .find(|(_, (rule, hits))| {
                    rule.operation == operation
                        && rule.uses.is_none_or(|n| *hits < n)
                        && rule.matches(headers, query, json)
                })?;
        *hits += 1;
        Some((RuleId(index), rule.reply.clone()))
    }

    pub(crate) fn hits(&self, id: RuleId) -> usize {
        self.entries.get(id.0).map_or(0, |(_, hits)| *hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers() -> Vec<(String, String)> {
        vec![("x-correlation-id".into(), "c-1".into())]
    }

    #[test]
    fn every_condition_must_hold() {
        let rule = Rule::new("aa_initialize")
            .body_field("/mobile_number", "9999000000")
            .header("X-Correlation-Id", "c-1")
            .query("client_id", "a b");
        let body = json!({"mobile_number": "9999000000"});
        assert!(rule.matches(&headers(), "client_id=a+b", Some(&body)));
        assert!(rule.matches(&headers(), "x=1&client_id=a%20b", Some(&body)));
        assert!(
            !rule.matches(&headers(), "client_id=a", Some(&body)),
            "query differs"
        );
        assert!(
            !rule.matches(&[], "client_id=a+b", Some(&body)),
            "header missing"
        );
        let other = json!({"mobile_number": "9999000001"});
        assert!(
            !rule.matches(&headers(), "client_id=a+b", Some(&other)),
            "body differs"
        );
        assert!(
            !rule.matches(&headers(), "client_id=a+b", None),
            "no JSON body"
        );
    }

    #[test]
    fn body_fields_compare_json_values_not_text() {
        let rule = Rule::new("multi_bureau_fetch").body_field("/bureaus/0", "cibil");
        assert!(rule.matches(&[], "", Some(&json!({"bureaus": ["cibil", "crif"]}))));
        let count = Rule::new("x").body_field("/n", 3);
        assert!(count.matches(&[], "", Some(&json!({"n": 3}))));
        assert!(!count.matches(&[], "", Some(&json!({"n": "3"}))));
    }

    #[test]
    fn first_match_wins_and_used_up_rules_stop_matching() {
        let mut set = RuleSet::default();
        let once = set.push(Rule::new("op").reply(Reply::status(500)).times(1));
        let always = set.push(Rule::new("op").reply(Reply::status(503)));
        let other = set.push(Rule::new("other"));
        let status = |reply: Reply| match reply.kind {
            ReplyKind::Json(status, _) => status,
            _ => 0,
        };
        let mut take = || set.take("op", &[], "", None).map(|(id, r)| (id, status(r)));
        assert_eq!(take(), Some((once, 500)));
        assert_eq!(take(), Some((always, 503)));
        assert_eq!(take(), Some((always, 503)));
        assert_eq!(
            (set.hits(once), set.hits(always), set.hits(other)),
            (1, 2, 0)
        );
        assert!(set.take("unknown", &[], "", None).is_none());
    }

    #[test]
    fn an_error_envelope_has_the_documented_fields() {
        let envelope =
            ErrorEnvelope::new(422, "Invalid Mobile Number").message_code("invalid_mobile_number");
        assert_eq!(
            envelope.body(true),
            json!({"success": false, "message": "Invalid Mobile Number", "status_code": 422, "message_code": "invalid_mobile_number"})
        );
        let itr = ErrorEnvelope::new(400, "bad").error_code("INVALID_INPUT");
        assert_eq!(
            itr.body(false),
            json!({"success": false, "message": "bad", "error_code": "INVALID_INPUT"})
        );
    }
}
