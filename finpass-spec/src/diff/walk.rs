//! The operation half of `finpass-spec diff`: the walk over one operation pair, its responses and
//! media types. Security is in `security.rs`, parameters and bodies in `request.rs`, schemas in
//! `schema.rs`.

use std::collections::HashSet;

use finpass_contract::Spec;
use serde_json::{Map, Value};

use super::Side;
use crate::gate::Severity;
use crate::yaml_pos::token;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Dir {
    Request,
    Response,
}

/// Where the walk is: the operation-relative label, the node's pointer on each side, and the
/// innermost shared node (component) both sides reach through the same `$ref`.
#[derive(Clone, Debug)]
pub(super) struct Ctx {
    pub at: String,
    pub old: String,
    pub new: String,
    /// (`schema InitResponse`, path below it).
    pub shared: Option<(String, String)>,
}

impl Ctx {
    /// A child node: `label` extends the place, the pointers are the child's on each side.
    pub fn child(&self, label: &str, old: String, new: String) -> Ctx {
        Ctx {
            at: format!("{}{label}", self.at),
            old,
            new,
            shared: self
                .shared
                .as_ref()
                .map(|(node, below)| (node.clone(), format!("{below}{label}"))),
        }
    }

    /// The same child key on both sides (`/properties/email`).
    pub fn key(&self, label: &str, suffix: &str) -> Ctx {
        self.child(
            label,
            format!("{}{suffix}", self.old),
            format!("{}{suffix}", self.new),
        )
    }
}

/// A change as the walker records it, before copies from several operations are merged.
pub(super) struct Raw {
    pub severity: Severity,
    pub rule: &'static str,
    pub operation: String,
    pub op_key: String,
    pub location: String,
    pub shared: Option<String>,
    pub detail: String,
    pub side: Side,
    pub pointer: String,
}

pub(super) struct Walker<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    pub operation: String,
    op: Ctx,
    pub out: Vec<Raw>,
    /// `$ref` pairs already compared under this body, so recursive schemas terminate.
    pub seen: HashSet<(String, String)>,
}

impl<'a> Walker<'a> {
    pub fn new(old: &'a Spec, new: &'a Spec, operation: String, pointer: String) -> Walker<'a> {
        Walker {
            old,
            new,
            operation,
            op: Ctx {
                at: String::new(),
                old: pointer.clone(),
                new: pointer,
                shared: None,
            },
            out: Vec::new(),
            seen: HashSet::new(),
        }
    }

    pub fn push(
        &mut self,
        severity: Severity,
        rule: &'static str,
        ctx: &Ctx,
        side: Side,
        detail: &str,
    ) {
        let op_key = self
            .operation
            .rsplit_once(" (")
            .map_or(self.operation.clone(), |(_, k)| {
                k.trim_end_matches(')').to_owned()
            });
        self.out.push(Raw {
            severity,
            rule,
            operation: self.operation.clone(),
            op_key,
            location: ctx.at.trim().to_owned(),
            shared: ctx
                .shared
                .as_ref()
                .map(|(node, below)| format!("{node}{below}")),
            detail: detail.to_owned(),
            side,
            pointer: if side == Side::Old {
                ctx.old.clone()
            } else {
                ctx.new.clone()
            },
        });
    }

    /// A change of the operation as a whole.
    pub fn push_op(&mut self, severity: Severity, rule: &'static str, side: Side, detail: &str) {
        let ctx = self.op.clone();
        self.push(severity, rule, &ctx, side, detail);
    }

    fn node(spec: &Spec, pointer: &str) -> Value {
        spec.doc().pointer(pointer).cloned().unwrap_or(Value::Null)
    }

    pub fn operation_pair(&mut self) {
        let op = self.op.clone();
        let (old, new) = (Self::node(self.old, &op.old), Self::node(self.new, &op.new));
        self.security(&op, &old, &new);
        self.retry_class(&op, &old, &new);
        self.parameters(&op, &old, &new);
        self.required_headers(&op, &old, &new);
        let body = op.key("request body", "/requestBody");
        self.request_body(&body, old.get("requestBody"), new.get("requestBody"));
        self.responses(&op, &old, &new);
    }

    /// `x-finpass.retry` is client behaviour, not the wire: a change breaks no code, but clients built
    /// from the exported spec should follow it. A looser class (a repeat after an attempt that may have
    /// run is now allowed, and may cost money) is worth a look; a stricter one is information.
    fn retry_class(&mut self, op: &Ctx, old: &Value, new: &Value) {
        let class = "/x-finpass/retry";
        let (Some(before), Some(after)) = (
            old.pointer(class).and_then(Value::as_str),
            new.pointer(class).and_then(Value::as_str),
        ) else {
            return;
        };
        if before == after {
            return;
        }
        let strictness = |c: &str| {
            ["read", "billed", "side-effecting"]
                .iter()
                .position(|k| *k == c)
        };
        let severity = if strictness(after) < strictness(before) {
            Severity::Warning
        } else {
            Severity::Info
        };
        let detail = format!(
            "retry class `{before}` → `{after}` (`x-finpass.retry`): when a failed call is repeated, not the wire"
        );
        self.push(severity, "changed-retry-class", op, Side::New, &detail);
    }

    /// Follows `$ref`s on both sides: pointers move to the targets, and when both sides name the same
    /// component the walk is inside that shared node from here on.
    pub fn follow(&self, ctx: &Ctx, old: &Value, new: &Value) -> Ctx {
        let (old_ptr, old_ref) = resolve_at(self.old, &ctx.old, old);
        let (new_ptr, new_ref) = resolve_at(self.new, &ctx.new, new);
        let mut next = ctx.clone();
        next.old = old_ptr;
        next.new = new_ptr;
        if let (Some(a), Some(b)) = (&old_ref, &new_ref) {
            next.shared = (a == b).then(|| (shared_name(a), String::new()));
        }
        next
    }

    fn responses(&mut self, op: &Ctx, old: &Value, new: &Value) {
        let map = |v: &Value| {
            v.get("responses")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (old_map, new_map) = (map(old), map(new));
        let success = |m: &Map<String, Value>| -> Vec<String> {
            m.keys().filter(|s| s.starts_with('2')).cloned().collect()
        };
        let (ok_old, ok_new) = (success(&old_map), success(&new_map));
        // One documented success status replaced by another: callers matching on it break.
        let moved = ok_old.len() == 1 && ok_new.len() == 1 && ok_old != ok_new;
        let at = |c: &Ctx, status: &str| {
            c.key(
                &format!("response {status}"),
                &format!("/responses/{}", token(status)),
            )
        };
        if moved {
            let (s_old, s_new) = (&ok_old[0], &ok_new[0]);
            let ctx = op.child(
                &format!("response {s_new}"),
                format!("{}/responses/{}", op.old, token(s_old)),
                format!("{}/responses/{}", op.new, token(s_new)),
            );
            self.push(
                Severity::Breaking,
                "changed-success-status",
                &ctx,
                Side::New,
                &format!("the success status changed from {s_old} to {s_new}"),
            );
            let ctx = self.follow(&ctx, &old_map[s_old], &new_map[s_new]);
            let (r_old, r_new) = (
                self.old.resolve(&old_map[s_old]).clone(),
                self.new.resolve(&new_map[s_new]).clone(),
            );
            self.content(
                Dir::Response,
                &Ctx {
                    at: format!("response {s_new}"),
                    ..ctx
                },
                &r_old,
                &r_new,
            );
        }
        for (status, r_old) in &old_map {
            if moved && ok_old.contains(status) {
                continue;
            }
            match new_map.get(status) {
                None => self.push(
                    Severity::Breaking,
                    "removed-status",
                    &at(op, status),
                    Side::Old,
                    &format!("status {status} is no longer documented"),
                ),
                Some(r_new) => {
                    let ctx = self.follow(&at(op, status), r_old, r_new);
                    let (r_old, r_new) = (
                        self.old.resolve(r_old).clone(),
                        self.new.resolve(r_new).clone(),
                    );
                    self.content(
                        Dir::Response,
                        &Ctx {
                            at: format!("response {status}"),
                            ..ctx
                        },
                        &r_old,
                        &r_new,
                    );
                }
            }
        }
        for status in new_map.keys().filter(|s| !old_map.contains_key(*s)) {
            if !(moved && ok_new.contains(status)) {
                self.push(
                    Severity::Info,
                    "added-status",
                    &at(op, status),
                    Side::New,
                    &format!("new documented status {status}"),
                );
            }
        }
    }

    /// Media types: a request or response that loses its media type breaks; shared ones compare schemas.
    pub(super) fn content(&mut self, dir: Dir, ctx: &Ctx, old: &Value, new: &Value) {
        let content = |v: &Value| {
            v.get("content")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (c_old, c_new) = (content(old), content(new));
        let gone: Vec<&String> = c_old.keys().filter(|m| !c_new.contains_key(*m)).collect();
        let added: Vec<&String> = c_new.keys().filter(|m| !c_old.contains_key(*m)).collect();
        let media_ctx = |m: &str| ctx.key("", &format!("/content/{}", token(m)));
        if let ([was], [now]) = (gone.as_slice(), added.as_slice()) {
            let c = ctx.child("", media_ctx(was).old, media_ctx(now).new);
            self.push(
                Severity::Breaking,
                "changed-media-type",
                &c,
                Side::New,
                &format!("media type `{was}` → `{now}`"),
            );
        } else {
            for media in &gone {
                self.push(
                    Severity::Breaking,
                    "removed-media-type",
                    &media_ctx(media),
                    Side::Old,
                    &format!("media type `{media}` is gone"),
                );
            }
            for media in &added {
                self.push(
                    Severity::Info,
                    "added-media-type",
                    &media_ctx(media),
                    Side::New,
                    &format!("new media type `{media}`"),
                );
            }
        }
        for (media, m_old) in &c_old {
            let Some(m_new) = c_new.get(media) else {
                continue;
            };
            if let (Some(s_old), Some(s_new)) = (m_old.get("schema"), m_new.get("schema")) {
                self.seen.clear();
                let c = media_ctx(media);
                let c = c.child(
                    " $",
                    format!("{}/schema", c.old),
                    format!("{}/schema", c.new),
                );
                self.schema(dir, &c, s_old, s_new);
            }
        }
    }
}

/// Follows `$ref`s from `value` at `pointer`: the final pointer, and the last `$ref` target.
pub fn resolve_at(spec: &Spec, pointer: &str, value: &Value) -> (String, Option<String>) {
    let (mut pointer, mut value, mut last) = (pointer.to_owned(), value, None);
    for _ in 0..32 {
        let Some(target) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        let Some(next) = spec.doc().pointer(target) else {
            break;
        };
        pointer = target.to_owned();
        last = Some(target.to_owned());
        value = next;
    }
    (pointer, last)
}

/// `schema InitResponse` for `/components/schemas/InitResponse`.
fn shared_name(pointer: &str) -> String {
    let mut parts = pointer.trim_start_matches('/').splitn(3, '/');
    let (_, kind, name) = (
        parts.next(),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(pointer),
    );
    let kind = match kind {
        "schemas" => "schema",
        "responses" => "response",
        "parameters" => "parameter",
        "requestBodies" => "request body",
        "headers" => "header",
        other => other,
    };
    format!("{kind} {}", name.replace("~1", "/").replace("~0", "~"))
}

pub(super) fn str_at(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}
