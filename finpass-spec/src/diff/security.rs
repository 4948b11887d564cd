//! Security: which credentials an operation needs. A changed scheme definition (the API secret moved to
//! another header) is one change of the shared scheme, naming the header; renaming a scheme is none.

use std::collections::BTreeSet;

use finpass_contract::Spec;
use serde_json::{Value, json};

use super::Side;
use super::walk::{Ctx, Walker};
use crate::gate::Severity;
use crate::yaml_pos::token;

/// The operation's alternatives of scheme names (`[{ApiKey, ApiSecret}]`), and where they are written.
fn requirements(spec: &Spec, op: &Value, op_ptr: &str) -> (Vec<BTreeSet<String>>, String) {
    let (list, ptr) = match op.get("security") {
        Some(list) => (list.clone(), format!("{op_ptr}/security")),
        None => (
            spec.doc().get("security").cloned().unwrap_or(json!([])),
            "/security".to_owned(),
        ),
    };
    let alternatives = list
        .as_array()
        .into_iter()
        .flatten()
        .map(|req| {
            req.as_object()
                .into_iter()
                .flatten()
                .map(|(name, _)| name.clone())
                .collect()
        })
        .collect();
    (alternatives, ptr)
}

fn scheme(spec: &Spec, name: &str) -> Value {
    let raw = spec
        .doc()
        .pointer(&format!("/components/securitySchemes/{}", token(name)))
        .cloned()
        .unwrap_or(Value::Null);
    let mut scheme = crate::export::canonical(spec.resolve(&raw));
    if let Some(map) = scheme.as_object_mut() {
        map.remove("description");
    }
    scheme
}

/// What a scheme asks of the caller, in words: `header x-api-key`, `http bearer`.
fn describe(scheme: &Value) -> String {
    let get = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or("");
    match get("type") {
        "apiKey" => format!("{} `{}`", get("in"), get("name")),
        "http" => format!("http {}", get("scheme")),
        "" => "an undefined scheme".into(),
        other => other.to_owned(),
    }
}

fn credentials(spec: &Spec, alternatives: &[BTreeSet<String>]) -> BTreeSet<BTreeSet<String>> {
    alternatives
        .iter()
        .map(|alt| alt.iter().map(|n| scheme(spec, n).to_string()).collect())
        .collect()
}

fn words(spec: &Spec, alternatives: &[BTreeSet<String>]) -> String {
    if alternatives.is_empty() {
        return "no credentials".into();
    }
    alternatives
        .iter()
        .map(|alt| {
            alt.iter()
                .map(|n| describe(&scheme(spec, n)))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

impl Walker<'_> {
    pub(super) fn security(&mut self, op: &Ctx, old: &Value, new: &Value) {
        let (alt_old, ptr_old) = requirements(self.old, old, &op.old);
        let (alt_new, ptr_new) = requirements(self.new, new, &op.new);
        if credentials(self.old, &alt_old) == credentials(self.new, &alt_new) {
            return;
        }
        if alt_old == alt_new {
            // Same scheme names, different definitions: a change of each shared scheme.
            let names: BTreeSet<&String> = alt_new.iter().flatten().collect();
            for name in names {
                let (s_old, s_new) = (scheme(self.old, name), scheme(self.new, name));
                if s_old == s_new {
                    continue;
                }
                let at = format!("/components/securitySchemes/{}", token(name));
                let ctx = Ctx {
                    at: format!("security scheme `{name}`"),
                    old: at.clone(),
                    new: format!(
                        "{at}{}",
                        if s_new.get("name") != s_old.get("name") {
                            "/name"
                        } else {
                            ""
                        }
                    ),
                    shared: Some((format!("security scheme {name}"), String::new())),
                };
                let detail = format!("{} → {}", describe(&s_old), describe(&s_new));
                self.push(
                    Severity::Breaking,
                    "changed-security",
                    &ctx,
                    Side::New,
                    &detail,
                );
            }
            return;
        }
        let ctx = op.child("security", ptr_old, ptr_new);
        let detail = format!(
            "credentials {} → {}",
            words(self.old, &alt_old),
            words(self.new, &alt_new)
        );
        // Dropping every requirement cannot break a caller that still sends its credentials.
        let severity = if alt_new.is_empty() || alt_new.iter().any(|a| a.is_empty()) {
            Severity::Info
        } else {
            Severity::Breaking
        };
        self.push(severity, "changed-security", &ctx, Side::New, &detail);
    }
}
