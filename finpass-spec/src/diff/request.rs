//! The request side of an operation: parameters (a removed one, a new or newly required one, their
//! schemas), the headers its page requires beyond them (`x-finpass.required-headers`) and the request
//! body (removed, added, newly required, its media types).

use std::collections::BTreeMap;

use finpass_contract::Spec;
use serde_json::Value;

use super::Side;
use super::walk::{Ctx, Dir, Walker, resolve_at, str_at};
use crate::gate::Severity;

impl Walker<'_> {
    pub(super) fn parameters(&mut self, op: &Ctx, old: &Value, new: &Value) {
        let collect = |spec: &Spec,
                       op_value: &Value,
                       base: &str|
         -> BTreeMap<(String, String), (String, Value)> {
            let mut out = BTreeMap::new();
            for (i, p) in op_value
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let (ptr, _) = resolve_at(spec, &format!("{base}/parameters/{i}"), p);
                let p = spec.resolve(p).clone();
                let place = str_at(&p, "in");
                // Header names are case-insensitive on the wire.
                let name = if place == "header" {
                    str_at(&p, "name").to_lowercase()
                } else {
                    str_at(&p, "name")
                };
                out.insert((place, name), (ptr, p));
            }
            out
        };
        let (old_params, new_params) = (
            collect(self.old, old, &op.old),
            collect(self.new, new, &op.new),
        );
        let required = |p: &Value| p.get("required").and_then(Value::as_bool).unwrap_or(false);
        for ((place, name), (ptr, _)) in &old_params {
            if !new_params.contains_key(&(place.clone(), name.clone())) {
                let ctx = op.child(
                    &format!("{place} parameter `{name}`"),
                    ptr.clone(),
                    op.new.clone(),
                );
                self.push(Severity::Breaking, "removed-parameter", &ctx, Side::Old,
                    &format!("{place} parameter `{name}` is gone: the generated builder method disappears and the server may refuse it"));
            }
        }
        for ((place, name), (new_ptr, p_new)) in &new_params {
            let label = format!("{place} parameter `{name}`");
            match old_params.get(&(place.clone(), name.clone())) {
                None => {
                    let ctx = op.child(&label, op.old.clone(), new_ptr.clone());
                    if required(p_new) {
                        self.push(
                            Severity::Breaking,
                            "newly-required-parameter",
                            &ctx,
                            Side::New,
                            &format!("new required {label}"),
                        );
                    } else {
                        self.push(
                            Severity::Info,
                            "added-parameter",
                            &ctx,
                            Side::New,
                            &format!("new optional {label}"),
                        );
                    }
                }
                Some((old_ptr, p_old)) => {
                    let ctx = op.child(&label, old_ptr.clone(), new_ptr.clone());
                    if required(p_new) && !required(p_old) {
                        self.push(
                            Severity::Breaking,
                            "newly-required-parameter",
                            &ctx.key("", "/required"),
                            Side::New,
                            &format!("{label} became required"),
                        );
                    }
                    if let (Some(s_old), Some(s_new)) = (p_old.get("schema"), p_new.get("schema")) {
                        self.seen.clear();
                        let ctx = ctx.child(
                            " ",
                            format!("{}/schema", ctx.old),
                            format!("{}/schema", ctx.new),
                        );
                        self.schema(Dir::Request, &ctx, s_old, s_new);
                    }
                }
            }
        }
    }

    /// `x-finpass.required-headers`, the headers a page requires that OpenAPI cannot declare: a new or
    /// changed one refuses requests the spec (and the mock) accepted, like a newly required header
    /// parameter, and generated clients do not send it unless told; a dropped one is information.
    pub(super) fn required_headers(&mut self, op: &Ctx, old: &Value, new: &Value) {
        let headers = |op_value: &Value| -> BTreeMap<String, String> {
            let list = op_value.pointer("/x-finpass/required-headers");
            list.and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|h| (str_at(h, "name").to_lowercase(), str_at(h, "value")))
                .collect()
        };
        let (before, after) = (headers(old), headers(new));
        let ctx = op.key("", "/x-finpass/required-headers");
        for (name, value) in &after {
            let detail = match before.get(name) {
                None => format!(
                    "header `{name}: {value}` is now required (`x-finpass.required-headers`; generated clients do not send it)"
                ),
                Some(was) if !was.eq_ignore_ascii_case(value) => {
                    format!(
                        "required header `{name}`: `{was}` → `{value}` (`x-finpass.required-headers`)"
                    )
                }
                Some(_) => continue,
            };
            self.push(
                Severity::Breaking,
                "newly-required-header",
                &ctx,
                Side::New,
                &detail,
            );
        }
        for (name, value) in before.iter().filter(|(name, _)| !after.contains_key(*name)) {
            let detail = format!(
                "header `{name}: {value}` is no longer required (`x-finpass.required-headers`)"
            );
            self.push(
                Severity::Info,
                "no-longer-required-header",
                &ctx,
                Side::Old,
                &detail,
            );
        }
    }

    pub(super) fn request_body(&mut self, ctx: &Ctx, old: Option<&Value>, new: Option<&Value>) {
        let required = |b: &Value| b.get("required").and_then(Value::as_bool).unwrap_or(false);
        match (old, new) {
            (None, None) => {}
            (Some(_), None) => self.push(
                Severity::Breaking,
                "removed-request-body",
                ctx,
                Side::Old,
                "the request body is gone: the generated method no longer takes one",
            ),
            (None, Some(new)) => {
                let ctx = self.follow(ctx, &Value::Null, new);
                if required(self.new.resolve(new)) {
                    self.push(
                        Severity::Breaking,
                        "newly-required-request-body",
                        &ctx,
                        Side::New,
                        "a request body is now required",
                    );
                } else {
                    self.push(
                        Severity::Info,
                        "added-request-body",
                        &ctx,
                        Side::New,
                        "new optional request body",
                    );
                }
            }
            (Some(old), Some(new)) => {
                let ctx = self.follow(ctx, old, new);
                let (old, new) = (self.old.resolve(old).clone(), self.new.resolve(new).clone());
                if required(&new) && !required(&old) {
                    self.push(
                        Severity::Breaking,
                        "newly-required-request-body",
                        &ctx.key("", "/required"),
                        Side::New,
                        "the request body became required",
                    );
                }
                let ctx = Ctx {
                    at: "request".into(),
                    ..ctx
                };
                self.content(Dir::Request, &ctx, &old, &new);
            }
        }
    }
}
