//! Turns progenitor's operation builders into request builders: a `syn` pass over progenitor's output
//! that replaces each builder's `send()` with `request()`, made of the statements `send()` runs
//! before its hooks (body conversion, URL, query, the `reqwest::RequestBuilder` chain) and returning
//! the built `reqwest::Request`. The URL is `request()`'s parameter: the caller parses each
//! operation's URL once per client, where progenitor formats a string that reqwest parses on every
//! request.
//!
//! progenitor's `send()` would go on to run the hooks, read the body and decode it; the client does
//! all of that in its own runtime (attempts, the bounded read, one decode: `finpass-client/src/
//! exchange.rs` and `decode.rs`), so nothing of it is kept: no generated code runs whose result is
//! ignored. The `api-version` header progenitor adds to every request (Finpass documents none) is
//! left out at the same time, with the header map that held only it, and so is progenitor's empty
//! `ClientHooks` impl, which nothing calls any more.

use anyhow::{Context, Result, bail};
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Expr, ImplItem, ImplItemFn, Item, Local, Pat, Stmt};

/// The local progenitor binds the built request to.
const REQUEST: &str = "request";
/// The local progenitor binds the operation's URL to, a `String` it formats from the base URL: the
/// caller passes it instead, as a parsed `reqwest::Url` (`finpass-client/src/endpoint.rs`).
const URL: &str = "url";
/// The local holding progenitor's extra headers.
const HEADER_MAP: &str = "header_map";

/// Rewrites every builder's `send()` into `request()`; returns how many were rewritten.
pub fn rewrite(file: &mut syn::File) -> Result<usize> {
    let builders = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
            _ => None,
        })
        .context("progenitor output has no `builder` module")?;
    let mut rewritten = 0;
    for item in builders.1.iter_mut() {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        for member in &mut block.items {
            let ImplItem::Fn(f) = member else { continue };
            if f.sig.ident == "send" {
                let owner = quote::ToTokens::to_token_stream(&block.self_ty).to_string();
                request_only(f).with_context(|| format!("rewriting `{owner}::send`"))?;
                rewritten += 1;
            }
        }
    }
    drop_usage_samples(file);
    drop_hooks_impl(file)?;
    Ok(rewritten)
}

/// progenitor's default `impl ClientHooks<()> for &Client {}`: without `send()` nothing calls a hook.
fn drop_hooks_impl(file: &mut syn::File) -> Result<()> {
    let before = file.items.len();
    file.items.retain(|item| {
        !matches!(item, Item::Impl(block) if block.trait_.as_ref().is_some_and(|(path, _)| {
            path.segments.last().is_some_and(|s| s.ident == "ClientHooks")
        }))
    });
    if file.items.len() + 1 != before {
        bail!("expected one `impl ClientHooks for &Client` in progenitor's output");
    }
    Ok(())
}

/// `async fn send(self) -> Result<ResponseValue<T>, Error<E>>` → `fn request(self) ->
/// Result<reqwest::Request, Error>`, keeping the statements before `let info = OperationInfo {..}`.
fn request_only(f: &mut ImplItemFn) -> Result<()> {
    let stmts = &f.block.stmts;
    let hooks_start = stmts
        .iter()
        .position(|s| local_named(s, "info").is_some_and(|l| init_is_struct(l, "OperationInfo")))
        .context("no `let info = OperationInfo { .. }` (progenitor's hook call) found")?;
    let mut kept: Vec<Stmt> = stmts[..hooks_start].to_vec();
    if kept.iter().any(has_await) {
        bail!("a statement before the hooks awaits: the request cannot be built synchronously");
    }
    drop_api_version(&mut kept)?;
    url_from_caller(&mut kept)?;
    let built = kept
        .iter_mut()
        .rev()
        .find_map(|s| match s {
            Stmt::Local(l) if pat_is(&l.pat, REQUEST) => Some(l),
            _ => None,
        })
        .context("no `let mut request = ..` found")?;
    // Bound once and returned: neither `mut` nor its `allow(unused_mut)` is needed any more.
    built.attrs.retain(|a| !a.path().is_ident("allow"));
    if let Pat::Ident(p) = &mut built.pat {
        p.mutability = None;
    }
    let request = syn::Ident::new(REQUEST, proc_macro2::Span::call_site());
    kept.push(Stmt::Expr(syn::parse_quote!(Ok(#request)), None));
    f.block.stmts = kept;
    f.sig.asyncness = None;
    f.sig.ident = syn::Ident::new("request", f.sig.ident.span());
    f.sig.output = syn::parse_quote!(-> Result<::reqwest::Request, Error>);
    let url = syn::Ident::new(URL, proc_macro2::Span::call_site());
    f.sig.inputs.push(syn::parse_quote!(#url: ::reqwest::Url));
    let docs = f
        .attrs
        .iter()
        .filter_map(doc_text)
        .collect::<Vec<_>>()
        .join(" ");
    let what = docs
        .trim()
        .strip_prefix("Sends a")
        .map(|rest| format!("Builds a{rest}"))
        .context("`send` has no \"Sends a … request to …\" doc")?;
    let doc = format!(
        "{what}, without sending it: `Finpass` gives the operation's `url` (parsed once per client), \
         runs the attempts, reads the body (bounded) and decodes it."
    );
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    f.attrs.push(syn::parse_quote!(#[doc = #doc]));
    Ok(())
}

/// Removes `let url = format!("{}/fixed/path", client.baseurl,);`: the URL becomes `request`'s
/// parameter of the same name. A path with parameters is refused: its URL is not fixed per client.
fn url_from_caller(stmts: &mut Vec<Stmt>) -> Result<()> {
    let at = stmts
        .iter()
        .position(|s| local_named(s, URL).is_some())
        .context("no `let url = format!(..)` found")?;
    let Some(Expr::Macro(m)) = local_named(&stmts[at], URL)
        .and_then(|l| l.init.as_ref())
        .map(|init| &*init.expr)
    else {
        bail!("`let url` is not a `format!`");
    };
    let args = m
        .mac
        .parse_body_with(Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .context("`let url = format!(..)`: unreadable arguments")?;
    let mut args = args.iter();
    let (Some(Expr::Lit(template)), Some(Expr::Field(base)), None) =
        (args.next(), args.next(), args.next())
    else {
        bail!("`let url = format!(..)` is not `format!(\"{{}}/path\", client.baseurl)`");
    };
    let syn::Lit::Str(template) = &template.lit else {
        bail!("`let url = format!(..)`: the template is not a string");
    };
    let path = template.value();
    let fixed = path
        .strip_prefix("{}")
        .is_some_and(|p| p.starts_with('/') && !p.contains(['{', '}']));
    let on_base = matches!(&base.member, syn::Member::Named(n) if n == "baseurl");
    if !m.mac.path.is_ident("format") || !fixed || !on_base {
        bail!(
            "`let url = format!({path:?}, ..)`: only a fixed path under `client.baseurl` can be \
             parsed once per client (finpass-client/src/endpoint.rs)"
        );
    }
    stmts.remove(at);
    Ok(())
}

/// Removes `header_map.append(HeaderName::from_static("api-version"), ..)`, and the header map
/// itself when nothing else is appended to it.
fn drop_api_version(stmts: &mut Vec<Stmt>) -> Result<()> {
    let before = stmts.len();
    stmts.retain(|s| !appends_api_version(s));
    if stmts.len() + 1 != before {
        bail!("expected exactly one `api-version` header statement");
    }
    let other_uses = stmts
        .iter()
        .filter(|s| local_named(s, HEADER_MAP).is_none())
        .map(|s| {
            let mut count = IdentUses::new(HEADER_MAP);
            count.visit_stmt(s);
            count.found
        })
        .sum::<usize>();
    // The map's only other use is the chain's `.headers(header_map)`.
    if other_uses == 1 {
        stmts.retain(|s| local_named(s, HEADER_MAP).is_none());
        let mut remover = DropHeadersCall::default();
        for s in stmts.iter_mut() {
            remover.visit_stmt_mut(s);
        }
        if remover.removed != 1 {
            bail!("expected one `.headers(header_map)` in the request chain");
        }
    }
    Ok(())
}

fn appends_api_version(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append"
        && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident(HEADER_MAP))
        && call.args.first().is_some_and(|name| {
            let mut finder = StrLit("api-version", false);
            finder.visit_expr(name);
            finder.1
        })
}

/// Drops the `.headers(header_map)` link of a method chain.
#[derive(Default)]
struct DropHeadersCall {
    removed: usize,
}

impl VisitMut for DropHeadersCall {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && matches!(&call.args[0], Expr::Path(p) if p.path.is_ident(HEADER_MAP))
        {
            *expr = (*call.receiver).clone();
            self.removed += 1;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// Whether a string literal with this value occurs.
struct StrLit(&'static str, bool);

impl<'a> Visit<'a> for StrLit {
    fn visit_lit_str(&mut self, lit: &'a syn::LitStr) {
        self.1 |= lit.value() == self.0;
    }
}

/// How often a path of exactly this one identifier occurs.
struct IdentUses {
    name: &'static str,
    found: usize,
}

impl IdentUses {
    fn new(name: &'static str) -> Self {
        IdentUses { name, found: 0 }
    }
}

impl<'a> Visit<'a> for IdentUses {
    fn visit_expr_path(&mut self, path: &'a syn::ExprPath) {
        self.found += usize::from(path.path.is_ident(self.name));
    }
}

struct Awaits(bool);

impl<'a> Visit<'a> for Awaits {
    fn visit_expr_await(&mut self, _: &'a syn::ExprAwait) {
        self.0 = true;
    }
}

fn has_await(stmt: &Stmt) -> bool {
    let mut awaits = Awaits(false);
    awaits.visit_stmt(stmt);
    awaits.0
}

fn local_named<'a>(stmt: &'a Stmt, name: &str) -> Option<&'a Local> {
    match stmt {
        Stmt::Local(l) if pat_is(&l.pat, name) => Some(l),
        _ => None,
    }
}

fn pat_is(pat: &Pat, name: &str) -> bool {
    matches!(pat, Pat::Ident(p) if p.ident == name)
}

fn init_is_struct(local: &Local, name: &str) -> bool {
    matches!(
        local.init.as_ref().map(|i| &*i.expr),
        Some(Expr::Struct(s)) if s.path.is_ident(name)
    )
}

fn doc_text(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    match &nv.value {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) if nv.path.is_ident("doc") => Some(s.value()),
        _ => None,
    }
}

/// The `Client` methods' docs end in progenitor's ```` ```ignore ```` sample calling `.send().await`,
/// which no longer exists: it is dropped (the `Finpass` methods carry compiled examples).
fn drop_usage_samples(file: &mut syn::File) {
    for item in &mut file.items {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some()
            || !matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
        {
            continue;
        }
        for member in &mut block.items {
            let ImplItem::Fn(f) = member else { continue };
            for attr in &mut f.attrs {
                if let Some(kept) = crate::progenitor_output::without_usage_sample(attr)
                    && doc_text(attr).is_some()
                {
                    *attr = kept;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_statement(init: proc_macro2::TokenStream) -> Vec<Stmt> {
        vec![
            syn::parse_quote!(let url = #init;),
            syn::parse_quote!(let request = client.client.post(url).build()?;),
        ]
    }

    #[test]
    fn a_fixed_path_leaves_the_url_to_the_caller() {
        let mut stmts = url_statement(quote::quote!(format!(
            "{}/api/v1/services/account-aggregator/init",
            client.baseurl,
        )));
        url_from_caller(&mut stmts).expect("a fixed path");
        assert_eq!(stmts.len(), 1);
        assert!(local_named(&stmts[0], REQUEST).is_some());
    }

    #[test]
    fn a_path_with_parameters_or_another_shape_is_refused() {
        for init in [
            quote::quote!(format!("{}/journeys/{}", client.baseurl, encode_path(&id))),
            quote::quote!(format!("{}journeys", client.baseurl)),
            quote::quote!(format!("{}/journeys", other.root)),
            quote::quote!(client.baseurl.clone()),
        ] {
            let mut stmts = url_statement(init.clone());
            let error = url_from_caller(&mut stmts).expect_err(&init.to_string());
            assert_eq!(stmts.len(), 2, "{init}: nothing is removed");
            assert!(error.to_string().contains("url"), "{error}");
        }
    }
}
