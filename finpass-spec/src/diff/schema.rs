//! The schema half of `finpass-spec diff`: two versions of one schema compared in a direction
//! (request or response).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Side;
use super::shape::{Flat, flatten_at, join, known_enum, required, types};
use super::walk::{Ctx, Dir, Walker, str_at};
use crate::gate::Severity;

impl Walker<'_> {
    pub(super) fn schema(&mut self, dir: Dir, ctx: &Ctx, old: &Value, new: &Value) {
        let refs = (str_at(old, "$ref"), str_at(new, "$ref"));
        if !refs.0.is_empty() && !refs.1.is_empty() && !self.seen.insert(refs) {
            return;
        }
        let ctx = self.follow(ctx, old, new);
        let old = flatten_at(self.old, &ctx.old, old);
        let new = flatten_at(self.new, &ctx.new, new);
        self.types(dir, &ctx, &old.value, &new.value);
        self.enums(dir, &ctx, &old.value, &new.value);
        self.constraints(dir, &ctx, &old.value, &new.value);
        self.properties(dir, &ctx, &old, &new);
        if let (Some(i_old), Some(i_new)) = (old.value.get("items"), new.value.get("items")) {
            self.schema(dir, &ctx.key("[]", "/items"), i_old, i_new);
        }
        if let (Some(a_old @ Value::Object(_)), Some(a_new @ Value::Object(_))) = (
            old.value.get("additionalProperties"),
            new.value.get("additionalProperties"),
        ) {
            self.schema(dir, &ctx.key(".*", "/additionalProperties"), a_old, a_new);
        }
        self.unions(dir, &ctx, &old.value, &new.value);
    }

    /// Plain (non-enum) unions: a response that may take a new shape, or a request that accepts one
    /// fewer, breaks; branches are compared one by one while the shape is unchanged.
    fn unions(&mut self, dir: Dir, ctx: &Ctx, old: &Value, new: &Value) {
        if known_enum(old).is_some() || known_enum(new).is_some() {
            return;
        }
        for key in ["oneOf", "anyOf"] {
            let (b_old, b_new) = (
                old.get(key).and_then(Value::as_array),
                new.get(key).and_then(Value::as_array),
            );
            let (Some(b_old), Some(b_new)) = (b_old, b_new) else {
                continue;
            };
            if b_old.len() == b_new.len() {
                for (i, (o, n)) in b_old.iter().zip(b_new).enumerate() {
                    self.schema(
                        dir,
                        &ctx.child(
                            "",
                            format!("{}/{key}/{i}", ctx.old),
                            format!("{}/{key}/{i}", ctx.new),
                        ),
                        o,
                        n,
                    );
                }
                continue;
            }
            let grew = b_new.len() > b_old.len();
            let breaking = matches!((dir, grew), (Dir::Response, true) | (Dir::Request, false));
            let severity = if breaking {
                Severity::Breaking
            } else {
                Severity::Info
            };
            let detail = format!(
                "`{key}` has {} branches instead of {}",
                b_new.len(),
                b_old.len()
            );
            self.push(
                severity,
                "changed-union",
                &ctx.key("", &format!("/{key}")),
                Side::New,
                &detail,
            );
        }
    }

    fn types(&mut self, dir: Dir, ctx: &Ctx, old: &Value, new: &Value) {
        let (Some(mut t_old), Some(mut t_new)) = (types(old), types(new)) else {
            return;
        };
        if t_old == t_new {
            return;
        }
        let (n_old, n_new) = (t_old.remove("null"), t_new.remove("null"));
        let ctx = ctx.key(
            "",
            if new.get("type").is_some() {
                "/type"
            } else {
                ""
            },
        );
        // Safe directions: a request may accept more types, a response may send fewer.
        let widens = |from: &BTreeSet<String>, to: &BTreeSet<String>| {
            from.iter()
                .all(|t| to.contains(t) || (t == "integer" && to.contains("number")))
        };
        if t_old != t_new {
            let breaking = match dir {
                Dir::Request => !widens(&t_old, &t_new),
                Dir::Response => !widens(&t_new, &t_old),
            };
            let severity = if breaking {
                Severity::Breaking
            } else {
                Severity::Info
            };
            let detail = format!(
                "type of `{}` {} → {}",
                field(&ctx),
                join(&t_old),
                join(&t_new)
            );
            self.push(severity, "changed-type", &ctx, Side::New, &detail);
        }
        if n_old != n_new {
            let breaking = match dir {
                Dir::Request => n_old && !n_new,
                Dir::Response => n_new && !n_old,
            };
            let severity = if breaking {
                Severity::Breaking
            } else {
                Severity::Info
            };
            let detail = if n_new {
                format!("`{}` may now be null", field(&ctx))
            } else {
                format!("`{}` may no longer be null", field(&ctx))
            };
            self.push(severity, "changed-nullability", &ctx, Side::New, &detail);
        }
    }

    fn enums(&mut self, dir: Dir, ctx: &Ctx, old: &Value, new: &Value) {
        let (e_old, e_new) = (known_enum(old), known_enum(new));
        let name = field(ctx);
        match (dir, e_old, e_new) {
            (Dir::Request, None, Some(_)) => self.push(
                Severity::Breaking,
                "narrowed-request-enum",
                ctx,
                Side::New,
                &format!("`{name}` is now restricted to an enum"),
            ),
            (dir, Some(e_old), Some(e_new)) => {
                let removed: Vec<String> = e_old.difference(&e_new).cloned().collect();
                let added: Vec<String> = e_new.difference(&e_old).cloned().collect();
                if !removed.is_empty() {
                    let rule = if dir == Dir::Request {
                        "narrowed-request-enum"
                    } else {
                        "removed-response-enum-value"
                    };
                    self.push(
                        Severity::Breaking,
                        rule,
                        ctx,
                        Side::New,
                        &format!("enum value(s) of `{name}` removed: {}", removed.join(", ")),
                    );
                }
                if !added.is_empty() {
                    // A closed response enum decodes into a closed Rust enum: a new value fails decoding.
                    let closed_response =
                        dir == Dir::Response && new.get("x-finpass-open-enum").is_none();
                    let (severity, rule) = if closed_response {
                        (Severity::Warning, "added-response-enum-value")
                    } else {
                        (Severity::Info, "added-enum-value")
                    };
                    self.push(
                        severity,
                        rule,
                        ctx,
                        Side::New,
                        &format!("enum value(s) of `{name}` added: {}", added.join(", ")),
                    );
                }
            }
            _ => {}
        }
    }

    fn properties(&mut self, dir: Dir, ctx: &Ctx, old: &Flat, new: &Flat) {
        let (r_old, r_new) = (required(&old.value), required(&new.value));
        let props = |s: &Value| {
            s.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (p_old, p_new) = (props(&old.value), props(&new.value));
        for (name, s_old) in &p_old {
            let label = format!(".{name}");
            let old_ptr = old.props.get(name).cloned().unwrap_or_default();
            match p_new.get(name) {
                None => {
                    let c = ctx.child(&label, old_ptr, ctx.new.clone());
                    if dir == Dir::Response {
                        self.push(
                            Severity::Breaking,
                            "removed-response-field",
                            &c,
                            Side::Old,
                            &format!("response field `{name}` is gone"),
                        );
                    } else {
                        self.push(Severity::Warning, "removed-request-field", &c, Side::Old,
                            &format!("request field `{name}` is no longer documented: its generated builder method disappears"));
                    }
                }
                Some(s_new) => {
                    let c = ctx.child(
                        &label,
                        old_ptr,
                        new.props.get(name).cloned().unwrap_or_default(),
                    );
                    if dir == Dir::Response && r_old.contains(name) && !r_new.contains(name) {
                        self.push(
                            Severity::Breaking,
                            "response-field-now-optional",
                            &c,
                            Side::New,
                            &format!("response field `{name}` may now be absent"),
                        );
                    }
                    self.schema(dir, &c, s_old, s_new);
                }
            }
        }
        for name in p_new.keys().filter(|n| !p_old.contains_key(*n)) {
            let c = ctx.child(
                &format!(".{name}"),
                ctx.old.clone(),
                new.props.get(name).cloned().unwrap_or_default(),
            );
            match dir {
                Dir::Response => self.push(
                    Severity::Info,
                    "added-response-field",
                    &c,
                    Side::New,
                    &format!("new response field `{name}`"),
                ),
                Dir::Request if !r_new.contains(name) => self.push(
                    Severity::Info,
                    "added-request-field",
                    &c,
                    Side::New,
                    &format!("new optional request field `{name}`"),
                ),
                Dir::Request => {}
            }
        }
        if dir == Dir::Request {
            for name in r_new.difference(&r_old) {
                let detail = if p_old.contains_key(name) {
                    format!("request field `{name}` became required")
                } else {
                    format!("new required request field `{name}`")
                };
                // Point at the entry of `required` (own entries come first in the merged list).
                let index = new.value["required"]
                    .as_array()
                    .and_then(|l| l.iter().position(|n| n == name.as_str()));
                let ptr = format!("{}/required/{}", ctx.new, index.unwrap_or_default());
                let c = ctx.child(&format!(".{name}"), ctx.old.clone(), ptr);
                self.push(
                    Severity::Breaking,
                    "newly-required-request-field",
                    &c,
                    Side::New,
                    &detail,
                );
            }
        }
    }
}

/// The last name in a place (`data.client_id` → `client_id`), for details that name the field.
pub(super) fn field(ctx: &Ctx) -> String {
    let at = ctx.at.trim();
    let tail = at.rsplit(['.', ' ']).next().unwrap_or(at);
    if tail == "$" || tail.is_empty() || tail.ends_with("[]") && tail.len() == 2 {
        at.to_owned()
    } else {
        tail.to_owned()
    }
}
