//! Matching, order (the last added wins), removal and error envelopes.
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

fn status(reply: Reply) -> u16 {
    match reply.kind {
        ReplyKind::Json(status, _) => status,
        _ => 0,
    }
}

#[test]
fn the_last_added_match_wins_and_used_up_rules_stop_matching() {
    let mut set = RuleSet::default();
    let always = set.push(Rule::new("op").reply(Reply::status(503)));
    let once = set.push(Rule::new("op").reply(Reply::status(500)).times(1));
    let other = set.push(Rule::new("other"));
    let mut take = || set.take("op", &[], "", None).map(|(id, r)| (id, status(r)));
    assert_eq!(take(), Some((once, 500)), "the newer rule first");
    assert_eq!(take(), Some((always, 503)), "then the older one");
    assert_eq!(take(), Some((always, 503)));
    assert_eq!(
        (set.hits(once), set.hits(always), set.hits(other)),
        (1, 2, 0)
    );
    assert!(set.take("unknown", &[], "", None).is_none());
}

#[test]
fn a_later_rule_overrides_and_a_removed_one_stops_answering() {
    let mut set = RuleSet::default();
    let fixture = set.push(Rule::new("op").reply(Reply::status(200)));
    let narrow = set.push(
        Rule::new("op")
            .header("x-case", "a")
            .reply(Reply::status(409)),
    );
    let override_ = set.push(Rule::new("op").reply(Reply::status(503)));
    let case_a = [("x-case".to_owned(), "a".to_owned())];
    let mut take = |headers: &[(String, String)]| {
        set.take("op", headers, "", None)
            .map(|(id, r)| (id, status(r)))
    };
    assert_eq!(take(&[]), Some((override_, 503)));
    assert_eq!(
        take(&case_a),
        Some((override_, 503)),
        "newer wins over narrower"
    );
    assert!(set.remove(override_));
    assert!(!set.remove(override_), "already out");
    let mut take = |headers: &[(String, String)]| {
        set.take("op", headers, "", None)
            .map(|(id, r)| (id, status(r)))
    };
    assert_eq!(take(&case_a), Some((narrow, 409)));
    assert_eq!(take(&[]), Some((fixture, 200)));
    assert_eq!(set.hits(override_), 2, "a removed rule keeps its count");
    assert!(!set.remove(RuleId(99)));
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
