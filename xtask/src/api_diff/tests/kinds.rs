//! One synthetic crate change per rule: each asserts the verdict and the item it names.

use super::{assert_breaks, assert_compatible, assert_same, diff, diff_files, files, lines};
use crate::api_diff::api_of;

#[test]
fn removed_and_renamed_types_break_and_name_the_old_path() {
    let report = diff("pub struct Gone; pub struct Kept;", "pub struct Kept;");
    assert_breaks(&report, "removed", "Gone");
    let report = diff(
        "pub struct Old { pub id: String }",
        "pub struct New { pub id: String }",
    );
    assert_breaks(&report, "removed", "Old");
    let removed = report.findings.iter().find(|f| f.item == "Old").unwrap();
    assert!(removed.detail.contains("`New`"), "{}", removed.detail);
    // Public to the compiler but not to outside code: pub(crate) is a removal.
    assert_breaks(
        &diff("pub struct A;", "pub(crate) struct A;"),
        "removed",
        "A",
    );
    assert_breaks(
        &diff("pub mod m { pub struct A; }", "pub mod n { pub struct A; }"),
        "removed",
        "m::A",
    );
    assert_breaks(&diff("pub struct A;", "pub enum A {}"), "kind-changed", "A");
}

#[test]
fn struct_fields_removed_retyped_or_hidden_break() {
    let old = "pub struct A { pub x: u8, pub y: Option<String>, z: u8 }";
    assert_breaks(
        &diff(old, "pub struct A { pub y: Option<String>, z: u8 }"),
        "field-removed",
        "A.x",
    );
    assert_breaks(
        &diff(old, "pub struct A { x: u8, pub y: Option<String>, z: u8 }"),
        "field-removed",
        "A.x",
    );
    let retyped = diff(
        old,
        "pub struct A { pub x: u16, pub y: Option<String>, z: u8 }",
    );
    assert_breaks(&retyped, "field-type-changed", "A.x");
    assert_breaks(
        &diff("pub struct T(pub u8);", "pub struct T(pub u8, pub u8);"),
        "field-added",
        "T.1",
    );
}

#[test]
fn a_new_field_breaks_only_a_struct_outside_code_can_build() {
    let old = "pub struct A { pub x: u8 }";
    assert_breaks(
        &diff(old, "pub struct A { pub x: u8, pub y: u8 }"),
        "field-added",
        "A.y",
    );
    assert_breaks(
        &diff(old, "pub struct A { pub x: u8, y: u8 }"),
        "private-field-added",
        "A",
    );
    let sealed = "#[non_exhaustive] pub struct A { pub x: u8 }";
    let grown = "#[non_exhaustive] pub struct A { pub x: u8, pub y: Option<u8> }";
    assert_compatible(&diff(sealed, grown), "field-added", "A.y");
    let private = "pub struct A { pub x: u8, secret: u8 }";
    let grown = "pub struct A { pub x: u8, pub y: u8, secret: u8 }";
    assert_compatible(&diff(private, grown), "field-added", "A.y");
}

#[test]
fn becoming_non_exhaustive_breaks_where_literals_or_matches_worked() {
    let report = diff(
        "pub struct A { pub x: u8 }",
        "#[non_exhaustive] pub struct A { pub x: u8 }",
    );
    assert_breaks(&report, "became-non-exhaustive", "A");
    let report = diff("pub enum E { A }", "#[non_exhaustive] pub enum E { A }");
    assert_breaks(&report, "became-non-exhaustive", "E");
    // A struct with a private field could not be built or matched exhaustively anyway.
    let report = diff(
        "pub struct A { x: u8 }",
        "#[non_exhaustive] pub struct A { x: u8 }",
    );
    assert!(!report.is_breaking(), "{:#?}", lines(&report));
}

#[test]
fn enum_variants_removed_added_or_changed() {
    let old = "pub enum E { A, B(u8), C { x: u8 } }";
    assert_breaks(
        &diff(old, "pub enum E { A, B(u8) }"),
        "variant-removed",
        "E::C",
    );
    assert_breaks(
        &diff(old, "pub enum E { A, B(u8), C { x: u8 }, D }"),
        "variant-added",
        "E::D",
    );
    assert_breaks(
        &diff(old, "pub enum E { A, B(u16), C { x: u8 } }"),
        "field-type-changed",
        "E::B.0",
    );
    assert_breaks(
        &diff(old, "pub enum E { A, B(u8), C { x: u8, y: u8 } }"),
        "field-added",
        "E::C.y",
    );
    let open = "#[non_exhaustive] pub enum E { A }";
    assert_compatible(
        &diff(open, "#[non_exhaustive] pub enum E { A, B }"),
        "variant-added",
        "E::B",
    );
}

#[test]
fn functions_and_methods_removed_or_with_a_new_required_argument() {
    assert_breaks(&diff("pub fn f() {}", ""), "removed", "f");
    let report = diff("pub fn f(a: u8) {}", "pub fn f(a: u8, b: u8) {}");
    assert_breaks(&report, "signature-changed", "f");
    let old = "pub struct S; impl S { pub fn m(&self, a: u8) -> u8 { a } }";
    assert_breaks(
        &diff(old, "pub struct S; impl S {}"),
        "method-removed",
        "S::m",
    );
    let more = "pub struct S; impl S { pub fn m(&self, a: u8, b: &str) -> u8 { a } }";
    assert_breaks(&diff(old, more), "method-signature-changed", "S::m");
    let private = "pub struct S; impl S { pub(crate) fn m(&self, a: u8) -> u8 { a } }";
    assert_breaks(&diff(old, private), "method-removed", "S::m");
    assert_compatible(
        &diff(
            old,
            "pub struct S; impl S { pub fn m(&self, a: u8) -> u8 { a } pub fn n(&self) {} }",
        ),
        "method-added",
        "S::n",
    );
}

#[test]
fn methods_of_a_type_are_found_in_impl_blocks_anywhere_in_the_crate() {
    let root = "mod client; mod facade; pub use client::Finpass;";
    let old = [
        ("lib.rs", root),
        ("client.rs", "pub struct Finpass;"),
        ("facade.rs", "mod generated;"),
        (
            "facade/generated.rs",
            "impl crate::Finpass { pub async fn call<V0: Into<u8>>(&self, body: V0) {} }",
        ),
    ];
    // Moved into the handwritten module, written through `super::`, generic renamed, argument
    // renamed: the same API.
    let moved = [
        ("lib.rs", root),
        (
            "client.rs",
            "pub struct Finpass; mod methods { impl super::Finpass { pub async fn call<V1: Into<u8>>(&self, payload: V1) {} } }",
        ),
        ("facade.rs", ""),
    ];
    assert_same(&diff_files(&old, &moved));
    let gone = [
        ("lib.rs", root),
        ("client.rs", "pub struct Finpass;"),
        ("facade.rs", ""),
    ];
    assert_breaks(&diff_files(&old, &gone), "method-removed", "Finpass::call");
}

#[test]
fn trait_impls_derived_or_written_are_api() {
    let old = "#[derive(Clone, Debug)] pub struct S; impl std::fmt::Display for S { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } } impl TryFrom<&str> for S { type Error = (); fn try_from(_: &str) -> Result<S, ()> { Ok(S) } }";
    let no_display = "#[derive(Clone, Debug)] pub struct S; impl TryFrom<&str> for S { type Error = (); fn try_from(_: &str) -> Result<S, ()> { Ok(S) } }";
    assert_breaks(
        &diff(old, no_display),
        "impl-removed",
        "S: impl std::fmt::Display",
    );
    let no_try_from = "#[derive(Clone, Debug)] pub struct S; impl std::fmt::Display for S { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }";
    assert_breaks(
        &diff(old, no_try_from),
        "impl-removed",
        "S: impl TryFrom<&str>",
    );
    let no_clone = old.replace("Clone, ", "");
    assert_breaks(&diff(old, &no_clone), "impl-removed", "S: impl Clone");
    // A derive and a written impl are the same fact; an impl of a private trait is not API.
    let written = "#[derive(Debug)] pub struct S; impl Clone for S { fn clone(&self) -> S { S } } trait Hidden {} impl Hidden for S {}";
    let derived = "#[derive(Clone, Debug)] pub struct S;";
    assert_same(&diff(written, derived));
    // `Debug` and `Hash` derive the traits of `std::fmt` and `std::hash` (a redacting `Debug`
    // written by hand replaces a derive without changing the API).
    let redacting = "#[derive(Clone, Hash)] pub struct S; impl std::fmt::Debug for S { fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { Ok(()) } }";
    assert_same(&diff(
        "#[derive(Clone, Debug, std::hash::Hash)] pub struct S;",
        redacting,
    ));
    assert_compatible(
        &diff("pub struct S;", "#[derive(Default)] pub struct S;"),
        "impl-added",
        "S: impl Default",
    );
}

#[test]
fn traits_consts_statics_aliases_and_reexports() {
    let old = "pub trait T { fn a(&self); fn b(&self) {} } pub const C: u8 = 1; pub static S: u8 = 1; pub type A = Vec<u8>; pub use serde_json::Value;";
    let required = old.replace("fn b(&self) {} }", "fn b(&self) {} fn c(&self); }");
    assert_breaks(&diff(old, &required), "trait-item-added", "T::c");
    let provided = old.replace("fn b(&self) {} }", "fn b(&self) {} fn c(&self) {} }");
    assert_compatible(&diff(old, &provided), "trait-item-added", "T::c");
    // (edit, rule, item named)
    let breaks = [
        (("fn a(&self); ", ""), "trait-item-removed", "T::a"),
        (("C: u8", "C: u16"), "type-changed", "C"),
        (("S: u8", "S: u32"), "type-changed", "S"),
        (("Vec<u8>", "Vec<u16>"), "type-changed", "A"),
        (("pub use serde_json::Value;", ""), "removed", "Value"),
    ];
    for ((from, to), rule, item) in breaks {
        assert_breaks(&diff(old, &old.replace(from, to)), rule, item);
    }
    // The value of a const is not its type.
    assert_same(&diff(old, &old.replace("= 1;", "= 2;")));
}

#[test]
fn reexports_globs_and_nested_modules_resolve_to_public_paths() {
    let lib = "mod generated; mod extra; pub use extra::{Plain, Named as Renamed}; pub mod types { pub use crate::generated::types::*; }";
    let generated = "pub mod types { pub struct Data { pub id: String } pub mod builder { pub struct Data { id: String } } struct Private; }";
    let old = [
        ("lib.rs", lib),
        ("generated.rs", generated),
        ("extra.rs", "pub struct Plain; pub struct Named;"),
    ];
    let api = api_of(&files(&old)).unwrap();
    let paths: Vec<&str> = api.items.keys().map(String::as_str).collect();
    assert_eq!(
        paths,
        [
            "Plain",
            "Renamed",
            "types",
            "types::Data",
            "types::builder",
            "types::builder::Data"
        ]
    );
    let renamed = generated.replace("Data", "Record");
    let new = [
        ("lib.rs", lib),
        ("generated.rs", renamed.as_str()),
        ("extra.rs", "pub struct Plain; pub struct Named;"),
    ];
    let report = diff_files(&old, &new);
    assert_breaks(&report, "removed", "types::Data");
    assert_breaks(&report, "removed", "types::builder::Data");
}

#[test]
fn spelling_of_paths_generics_and_argument_names_is_not_api() {
    let old = "pub mod types { pub struct X; } pub fn f<V0: Into<types::X>>(value: V0, n: ::std::option::Option<u8>) -> ::std::vec::Vec<types::X> { vec![] }";
    let new = "pub mod types { pub struct X; } use types::X; pub fn f<T: Into<crate::types::X>>(input: T, m: Option<u8>) -> Vec<X> { vec![] }";
    assert_same(&diff(old, new));
    // rustfmt adds trailing commas when a signature wraps.
    let wrapped = "pub fn g<T,>(a: u8, b: Vec<T,>,) where T: Copy, {}";
    assert_same(&diff(
        "pub fn g<T>(a: u8, b: Vec<T>) where T: Copy {}",
        wrapped,
    ));
}

#[test]
fn doc_hidden_and_private_items_are_not_api() {
    let old = "#[doc(hidden)] pub struct Internal; #[doc(hidden)] pub mod tooling { pub fn run() {} } struct Private; pub struct S { pub x: u8, #[doc(hidden)] pub __y: u8 }";
    assert_same(&diff(
        old,
        "pub struct S { pub x: u8, #[doc(hidden)] pub __y: u16 }",
    ));
}

#[test]
fn feature_gated_items_are_annotated_and_gating_an_item_breaks() {
    let lib =
        "#[cfg(feature = \"capture\")] pub mod capture { pub struct Capture; } pub struct Always;";
    let api = api_of(&files(&[("lib.rs", lib)])).unwrap();
    assert_eq!(api.items["capture::Capture"].cfg, ["feature = \"capture\""]);
    assert!(api.items["Always"].cfg.is_empty());
    let gated = "#[cfg(feature = \"capture\")] pub struct Always;";
    assert_breaks(&diff("pub struct Always;", gated), "cfg-changed", "Always");
    let report = diff(gated, "pub struct Always;");
    assert_compatible(&report, "cfg-changed", "Always");
}

#[test]
fn unparsable_or_missing_files_are_named() {
    let err = api_of(&files(&[
        ("lib.rs", "mod generated;"),
        ("generated.rs", "pub struct {"),
    ]))
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("finpass-client/src/generated.rs: not parsable as Rust"),
        "{err:#}"
    );
    let err = api_of(&files(&[("main.rs", "")])).unwrap_err();
    assert!(
        format!("{err:#}").contains("finpass-client/src/lib.rs is missing"),
        "{err:#}"
    );
}
