//! Tests of reading progenitor's output back: setters, their bounds, the envelope rule.

use super::*;

#[test]
fn renaming_a_setter_parameter_follows_every_bound() {
    let generics: syn::Generics = syn::parse_quote!(<V>);
    let mut generics = generics;
    generics.where_clause = Some(syn::parse_quote!(
        where V: TryInto<types::Request>, <V as TryInto<types::Request>>::Error: std::fmt::Display
    ));
    let setter = Setter {
        name: syn::parse_quote!(body),
        target: syn::parse_quote!(types::Request),
        generics,
    };
    let renamed = setter.generics_as(&syn::parse_quote!(V3)).unwrap();
    let where_clause = &renamed.where_clause;
    let printed = quote::quote!(#renamed #where_clause).to_string();
    assert!(
        !printed
            .split(|c: char| !c.is_alphanumeric())
            .any(|t| t == "V"),
        "{printed}"
    );
    assert_eq!(printed.matches("V3").count(), 3, "{printed}");
}

#[test]
fn a_setter_says_whether_its_conversion_error_can_be_shown() {
    let setter = |clause: syn::WhereClause, target: Type| {
        let mut generics: syn::Generics = syn::parse_quote!(<V>);
        generics.where_clause = Some(clause);
        Setter {
            name: syn::parse_quote!(field),
            target,
            generics,
        }
    };
    let body = setter(
        syn::parse_quote!(where V: TryInto<types::Request>, <V as TryInto<types::Request>>::Error: std::fmt::Display),
        syn::parse_quote!(types::Request),
    );
    assert!(body.error_displayed());
    assert_eq!(body.target_name().unwrap(), "Request");
    let client_id = setter(
        syn::parse_quote!(where V: std::convert::TryInto<::std::string::String>),
        syn::parse_quote!(::std::string::String),
    );
    assert!(!client_id.error_displayed());
    assert_eq!(client_id.target_name().unwrap(), "String");
}

#[test]
fn the_envelope_rule_reads_the_field_type_not_its_printing() {
    let file: syn::File = syn::parse_quote! {
        pub mod types {
            pub struct A { pub success: bool }
            pub struct B { pub success: ::std::option::Option<bool> }
            pub struct C { pub extra: Map }
            pub struct D { pub data: String }
            pub struct E { pub success: OptionalFlag }
        }
    };
    let flag =
        |name: &str| success_flag(&file, &syn::parse_str(&format!("types::{name}")).unwrap());
    assert_eq!(flag("A").unwrap(), SuccessFlag::Required);
    assert_eq!(flag("B").unwrap(), SuccessFlag::Optional);
    assert_eq!(flag("C").unwrap(), SuccessFlag::InExtraMembers);
    assert_eq!(flag("D").unwrap(), SuccessFlag::Absent);
    // A type whose printing contains "Option" is not an Option: it is refused, not guessed.
    assert!(flag("E").is_err());
}
