//! Personal data in the journal: the request values the spec classifies (`x-finpass-personal`) are
//! kept as `"<redacted: CATEGORY>"`, the text finpass-client's `Debug` prints for them, unless a test
//! asks for them ([`MockServer::keep_personal_data`](crate::MockServer::keep_personal_data)). A
//! journal is test output: it ends up in failure messages, snapshots and CI logs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use finpass_contract::personal::{self, Field};
use serde_json::Value;

use crate::journal::RecordedRequest;

/// The classified request values of each operation of a spec, and whether a test keeps them.
#[derive(Debug, Default)]
pub(crate) struct Classified {
    /// `operationId` → (place in the body or `name (query)`, label).
    by_operation: BTreeMap<String, Vec<(String, String)>>,
    keep: AtomicBool,
}

impl Classified {
    pub(crate) fn of(doc: &Value) -> Self {
        let by_operation = personal::flows(doc)
            .into_iter()
            .map(|flow| {
                let fields = flow
                    .request
                    .iter()
                    .filter_map(|f: &Field| {
                        let marker = f.marker.as_ref().filter(|m| m.is_personal())?;
                        Some((f.path.clone(), marker.label()))
                    })
                    .collect();
                (flow.operation, fields)
            })
            .collect();
        Classified {
            by_operation,
            keep: AtomicBool::new(false),
        }
    }

    /// Whether later requests keep their personal data in the journal.
    pub(crate) fn keep(&self, keep: bool) {
        self.keep.store(keep, Ordering::Relaxed);
    }

    /// `request` with its classified values replaced by their redaction, unless a test keeps them.
    pub(crate) fn redact(&self, request: &mut RecordedRequest) {
        if self.keep.load(Ordering::Relaxed) {
            return;
        }
        let Some(fields) = request
            .operation_id
            .as_ref()
            .and_then(|id| self.by_operation.get(id))
            .filter(|f| !f.is_empty())
        else {
            return;
        };
        for (place, label) in fields {
            if let Some(name) = place.strip_suffix(" (query)") {
                request.query = redact_query(&request.query, name, label);
            }
        }
        let body_fields: Vec<&(String, String)> =
            fields.iter().filter(|(p, _)| !p.ends_with(')')).collect();
        if body_fields.is_empty() || request.body.is_empty() {
            return;
        }
        match request.json.as_mut() {
            Some(json) => {
                for (place, label) in body_fields {
                    let segments: Vec<&str> = place.split('.').collect();
                    redact_at(json, &segments, label);
                }
                request.body = Bytes::from(serde_json::to_vec(json).unwrap_or_default());
            }
            // A body that is not JSON (a multipart statement, a malformed request) can hold the same
            // values anywhere: only its size is kept.
            None => {
                let mut labels: Vec<&str> = Vec::new();
                for (_, label) in &body_fields {
                    if !labels.contains(&label.as_str()) {
                        labels.push(label);
                    }
                }
                request.body = Bytes::from(format!(
                    "<redacted: {}: {} bytes>",
                    labels.join(", "),
                    request.body.len()
                ));
            }
        }
    }
}

/// Replaces the value at `segments` (`data`, `reports[]`, `account_number`; `*` for every member)
/// below `value`, when it is there.
fn redact_at(value: &mut Value, segments: &[&str], label: &str) {
    let Some((first, rest)) = segments.split_first() else {
        if !value.is_null() {
            *value = Value::String(format!("<redacted: {label}>"));
        }
        return;
    };
    let (name, items) = match first.strip_suffix("[]") {
        Some(name) => (name, true),
        None => (*first, false),
    };
    let Some(object) = value.as_object_mut() else {
        return;
    };
    let children: Vec<&mut Value> = if name == "*" {
        object.values_mut().collect()
    } else {
        object.get_mut(name).into_iter().collect()
    };
    for child in children {
        match (items, child) {
            (true, Value::Array(list)) => list.iter_mut().for_each(|v| redact_at(v, rest, label)),
            (false, child) => redact_at(child, rest, label),
            _ => {}
        }
    }
}

/// `query` with the value of parameter `name` replaced (percent-encoded, so it reads back).
fn redact_query(query: &str, name: &str, label: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if crate::lookup::decode(key) == name => {
                format!("{key}=%3Credacted%3A%20{label}%3E").replace(' ', "%20")
            }
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(operation: &str, body: &str, query: &str) -> RecordedRequest {
        RecordedRequest {
            operation_id: Some(operation.into()),
            method: "POST".into(),
            path: "/".into(),
            query: query.into(),
            headers: Vec::new(),
            body: Bytes::from(body.to_owned()),
            json: serde_json::from_str(body).ok(),
            rule: None,
            received_at: tokio::time::Instant::now(),
        }
    }

    #[test]
    fn classified_values_are_redacted_in_the_json_the_body_and_the_query() {
        let classified = Classified::of(finpass_contract::Spec::embedded().doc());
        let body = r#"{"mobile_number":"9876543210","pan":"ABCDE1234F","name":"Ravi Kumar","consent":"Y","gender":"male","bureaus":["cibil"]}"#;
        let mut sent = request("multi_bureau_fetch", body, "");
        classified.redact(&mut sent);
        let json = sent.json.as_ref().unwrap();
        assert_eq!(json["mobile_number"], "<redacted: contact>");
        assert_eq!(json["name"], "<redacted: name>");
        assert_eq!(json["pan"], "<redacted: identifier>");
        assert_eq!(json["gender"], "<redacted: demographic>");
        assert_eq!(json["consent"], "Y", "not personal data");
        let text = format!("{sent:?}");
        for value in ["9876543210", "ABCDE1234F", "Ravi", "male\""] {
            assert!(!text.contains(value), "{value} in {text}");
        }
        let mut broken = request("aa_initialize", "{\"mobile_number\": \"98765", "");
        classified.redact(&mut broken);
        assert!(!format!("{broken:?}").contains("98765"));

        let mut doc = finpass_contract::Spec::embedded().doc().clone();
        doc["paths"]["/api/v1/aa-bsa-journey/status"]["get"]["parameters"][0]["x-finpass-personal"] =
            json!("identifier");
        let mut polled = request("aa_bsa_status", "", "client_id=bsa%2F1&x=2");
        Classified::of(&doc).redact(&mut polled);
        assert_eq!(
            polled.query_param("client_id").as_deref(),
            Some("<redacted: identifier>")
        );
        assert_eq!(polled.query_param("x").as_deref(), Some("2"));
    }

    #[test]
    fn members_and_array_items_are_followed() {
        let mut value = json!({"data": {"reports": [{"account_number": "1234"}, {"fip_id": "x"}]}});
        redact_at(
            &mut value,
            &["data", "reports[]", "account_number"],
            "identifier",
        );
        assert_eq!(
            value,
            json!({"data": {"reports": [{"account_number": "<redacted: identifier>"}, {"fip_id": "x"}]}})
        );
        let mut open = json!({"data": {"score": 781, "absent": null}});
        redact_at(&mut open, &["data", "*"], "credit");
        assert_eq!(
            open,
            json!({"data": {"score": "<redacted: credit>", "absent": null}})
        );
    }
}
