//! What progenitor generated, read back with `syn` as typed data: each operation's builder setters and
//! success type, the client methods' doc comments, and the shapes of the generated types. The facade,
//! the envelope rules and the dispatch table are rendered from this model with `quote!`; nothing here
//! looks at printed tokens, so a printing change in progenitor or typify cannot change a decision.

use anyhow::{Context, Result, bail};
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, FnArg, GenericArgument, ImplItem, Item, ItemImpl, PathArguments, ReturnType, Type,
};

/// One operation method of progenitor's `Client`, as its builder exposes it.
pub struct OperationShape {
    /// `operationId`, also the method name.
    pub id: String,
    /// The client method's doc attributes, minus progenitor's `ignore` usage sample.
    pub docs: Vec<Attribute>,
    /// The builder's setters, in declaration order.
    pub setters: Vec<Setter>,
    /// `T` of `send() -> Result<ResponseValue<T>, _>`.
    pub success: Type,
}

/// One setter of a progenitor builder (`client_id`, `body`, …).
pub struct Setter {
    pub name: syn::Ident,
    /// `T` of the setter's `V: TryInto<T>` bound: what the argument must convert into.
    pub target: Type,
    /// The setter's generics (one type parameter, its `TryInto` bounds).
    pub generics: syn::Generics,
}

impl Setter {
    /// The setter's generics with its single type parameter renamed to `to` (a `syn` rewrite of every
    /// path that names the parameter, so bounds such as `<V as TryInto<T>>::Error` follow).
    pub fn generics_as(&self, to: &syn::Ident) -> Result<syn::Generics> {
        let params: Vec<_> = self.generics.type_params().collect();
        let [param] = params.as_slice() else {
            bail!(
                "setter `{}` has {} type parameters; expected exactly one",
                self.name,
                params.len()
            );
        };
        let mut renamed = self.generics.clone();
        RenameTypeParam {
            from: param.ident.clone(),
            to: to.clone(),
        }
        .visit_generics_mut(&mut renamed);
        Ok(renamed)
    }

    /// The name the setter's target goes by (`AaInitializeRequest`, `String`), for the message of a
    /// failed conversion.
    pub fn target_name(&self) -> Result<String> {
        last_segment(&self.target)
            .map(|segment| segment.ident.to_string())
            .with_context(|| format!("setter `{}`: its target is not a path", self.name))
    }

    /// Whether the setter's bounds make the conversion's error `Display` (`<V as TryInto<T>>::Error:
    /// Display`), so that a failed conversion can say why.
    pub fn error_displayed(&self) -> bool {
        let Some(clause) = &self.generics.where_clause else {
            return false;
        };
        clause.predicates.iter().any(|predicate| {
            let syn::WherePredicate::Type(bound) = predicate else {
                return false;
            };
            let names_error = last_segment(&bound.bounded_ty).is_some_and(|s| s.ident == "Error");
            names_error
                && bound.bounds.iter().any(|b| {
                    matches!(b, syn::TypeParamBound::Trait(t)
                        if t.path.segments.last().is_some_and(|s| s.ident == "Display"))
                })
        })
    }
}

struct RenameTypeParam {
    from: syn::Ident,
    to: syn::Ident,
}

impl VisitMut for RenameTypeParam {
    fn visit_ident_mut(&mut self, ident: &mut syn::Ident) {
        if *ident == self.from {
            *ident = self.to.clone();
        }
    }
}

/// How a success type reports `success: false`, read from its `success` field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessFlag {
    /// `success: bool`.
    Required,
    /// `success: Option<bool>`.
    Optional,
    /// No `success` field, but unknown members are kept in `extra` (the flag may sit there).
    InExtraMembers,
    /// Nothing can say failure.
    Absent,
}

/// The generated types that may grow with the spec: structs and unit-only (known-value) enums.
pub fn growable_types(file: &syn::File) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for item in types_module(file)? {
        match item {
            Item::Struct(s) => out.push(s.ident.to_string()),
            Item::Enum(e) if e.variants.iter().all(|v| v.fields.is_empty()) => {
                out.push(e.ident.to_string())
            }
            _ => {}
        }
    }
    out.sort();
    Ok(out)
}

/// The `success` flag rule of the generated type named by `ty` (`types::Name`).
pub fn success_flag(file: &syn::File, ty: &Type) -> Result<SuccessFlag> {
    let name = last_segment(ty).context("success type is not a path")?;
    let fields = types_module(file)?.iter().find_map(|item| match item {
        Item::Struct(s) if s.ident == name.ident => Some(&s.fields),
        _ => None,
    });
    let Some(fields) = fields else {
        return Ok(SuccessFlag::Absent);
    };
    let named = |want: &str| {
        fields
            .iter()
            .find(|f| f.ident.as_ref().is_some_and(|i| i == want))
    };
    Ok(match named("success").map(|f| &f.ty) {
        Some(ty) if is_path_named(ty, "bool") => SuccessFlag::Required,
        Some(ty)
            if last_segment(ty).is_some_and(|s| s.ident == "Option")
                && first_type_argument(ty).is_some_and(|inner| is_path_named(inner, "bool")) =>
        {
            SuccessFlag::Optional
        }
        Some(other) => bail!(
            "`{}.success` has a type the envelope rule does not know: {}",
            name.ident,
            quote::quote!(#other)
        ),
        None if named("extra").is_some() => SuccessFlag::InExtraMembers,
        None => SuccessFlag::Absent,
    })
}

/// Every generated operation (in progenitor's order), with the shape of its builder.
pub fn operations(file: &syn::File) -> Result<Vec<OperationShape>> {
    let builders = builder_impls(file)?;
    let mut out = Vec::new();
    for item in &file.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some()
            || !matches!(&*imp.self_ty, Type::Path(p) if p.path.is_ident("Client"))
        {
            continue;
        }
        for item in &imp.items {
            let ImplItem::Fn(f) = item else { continue };
            let id = f.sig.ident.to_string();
            let builder_name = to_pascal(&id);
            let Some(builder) = builders
                .iter()
                .find(|(n, _)| *n == builder_name)
                .map(|(_, b)| *b)
            else {
                continue; // not an operation (e.g. `new`, `baseurl`)
            };
            let (setters, success) = inspect_builder(builder)
                .with_context(|| format!("reading progenitor's builder for {id}"))?;
            let docs = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .filter_map(without_usage_sample)
                .collect();
            out.push(OperationShape {
                id,
                docs,
                setters,
                success,
            });
        }
    }
    Ok(out)
}

/// The items of progenitor's `types` module.
pub fn types_module(file: &syn::File) -> Result<&[Item]> {
    file.items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|c| c.1.as_slice()),
            _ => None,
        })
        .context("progenitor output has no `types` module")
}

/// `impl Builder` blocks inside `pub mod builder`, by type name.
fn builder_impls(file: &syn::File) -> Result<Vec<(String, &ItemImpl)>> {
    let module = file
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .context("progenitor output has no `builder` module")?;
    Ok(module
        .1
        .iter()
        .filter_map(|item| match item {
            Item::Impl(imp) if imp.trait_.is_none() => {
                Some((last_segment(&imp.self_ty)?.ident.to_string(), imp))
            }
            _ => None,
        })
        .collect())
}

/// The setters (in declaration order) and the success type of `send()`.
fn inspect_builder(imp: &ItemImpl) -> Result<(Vec<Setter>, Type)> {
    let mut setters = Vec::new();
    let mut success = None;
    for item in &imp.items {
        let ImplItem::Fn(f) = item else { continue };
        let name = f.sig.ident.to_string();
        if name == "send" {
            let ReturnType::Type(_, result) = &f.sig.output else {
                bail!("`send` returns nothing")
            };
            let response_value =
                first_type_argument(result).context("`send` does not return a Result")?;
            let payload = first_type_argument(response_value)
                .context("`send` does not return a ResponseValue")?;
            success = Some(payload.clone());
        } else if name != "new"
            && !name.ends_with("_map")
            && f.sig.inputs.iter().any(|a| matches!(a, FnArg::Typed(_)))
        {
            setters.push(Setter {
                name: f.sig.ident.clone(),
                target: try_into_target(&f.sig.generics)
                    .with_context(|| format!("setter `{name}`"))?,
                generics: f.sig.generics.clone(),
            });
        }
    }
    Ok((setters, success.context("builder has no `send`")?))
}

/// `V: TryInto<T>` → `T`, from a setter's where-clause.
fn try_into_target(generics: &syn::Generics) -> Result<Type> {
    let clause = generics
        .where_clause
        .as_ref()
        .context("setter has no where-clause")?;
    for predicate in &clause.predicates {
        let syn::WherePredicate::Type(pt) = predicate else {
            continue;
        };
        for bound in &pt.bounds {
            let syn::TypeParamBound::Trait(tb) = bound else {
                continue;
            };
            let Some(last) = tb.path.segments.last() else {
                continue;
            };
            if last.ident != "TryInto" {
                continue;
            }
            if let PathArguments::AngleBracketed(a) = &last.arguments
                && let Some(GenericArgument::Type(t)) = a.args.first()
            {
                return Ok(t.clone());
            }
        }
    }
    bail!("setter bound has no `TryInto<T>`")
}

/// A doc attribute without progenitor's `ignore` usage sample (it would not compile as a doctest).
pub fn without_usage_sample(attr: &Attribute) -> Option<Attribute> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(s),
        ..
    }) = &nv.value
    else {
        return None;
    };
    let text = s.value();
    let kept = match text.find("```ignore") {
        Some(at) => text[..at].trim_end().to_owned(),
        None => text,
    };
    Some(syn::parse_quote!(#[doc = #kept]))
}

/// The name a generated type is known by (`types::Name` → `Name`).
pub fn type_name(ty: &Type) -> Result<String> {
    Ok(last_segment(ty)
        .context("not a type path")?
        .ident
        .to_string())
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

fn first_type_argument(ty: &Type) -> Option<&Type> {
    let PathArguments::AngleBracketed(args) = &last_segment(ty)?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

fn is_path_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.is_ident(name))
}

/// `aa_initialize` → `AaInitialize`: progenitor's builder name for an operation.
pub fn to_pascal(id: &str) -> String {
    id.split('_')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests;
