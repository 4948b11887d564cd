//! The acceptance cases on the real spec: edit a copy, render the generated client in memory, lay
//! it over the working tree's crate and compare.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::api_diff::{Api, api_of, compare};
use serde_json::Value;

use super::{assert_breaks, assert_compatible, assert_same};

/// The files `cargo xtask generate` would write for the spec at `spec`, by repository-relative
/// path.
fn generated_files(spec: &Path) -> Vec<(String, String)> {
    crate::codegen::render_files(spec)
        .expect("the edited spec generates")
        .into_iter()
        .map(|file| (file.path.to_owned(), file.content))
        .collect()
}

/// The working tree's crate with the generated files rendered from `spec` laid over it.
fn api_for_spec(spec: &Path) -> Api {
    let mut files = crate::api_diff::worktree_files().unwrap();
    files.extend(generated_files(spec));
    api_of(&files).unwrap()
}

fn base_api() -> &'static Api {
    static BASE: OnceLock<Api> = OnceLock::new();
    BASE.get_or_init(|| api_for_spec(&crate::paths::root().join(crate::paths::SPEC)))
}

/// A copy of the real spec, edited, in a temporary folder removed on drop.
struct EditedSpec(PathBuf);

impl EditedSpec {
    fn new(name: &str, edit: impl FnOnce(&mut Value)) -> Self {
        let text = std::fs::read_to_string(crate::paths::root().join(crate::paths::SPEC)).unwrap();
        let mut doc: Value = serde_yaml::from_str(&text).unwrap();
        edit(&mut doc);
        let dir = std::env::temp_dir().join(format!("api-diff-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("finpass.yaml");
        std::fs::write(&path, serde_yaml::to_string(&doc).unwrap()).unwrap();
        EditedSpec(path)
    }
}

impl Drop for EditedSpec {
    fn drop(&mut self) {
        if let Some(dir) = self.0.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn schemas(doc: &mut Value) -> &mut serde_json::Map<String, Value> {
    doc["components"]["schemas"]
        .as_object_mut()
        .expect("components.schemas")
}

/// Points every `$ref` at `from` to `to`.
fn retarget_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" && child.as_str() == Some(from) {
                    *child = Value::String(to.to_owned());
                } else {
                    retarget_refs(child, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget_refs(v, from, to)),
        _ => {}
    }
}

#[test]
fn the_real_crate_regenerated_from_the_unchanged_spec_has_the_checked_in_api() {
    let checked_in = api_of(&crate::api_diff::worktree_files().unwrap()).unwrap();
    assert!(checked_in.items.contains_key("Finpass"));
    assert!(checked_in.items.contains_key("types::AaInitializeData"));
    assert!(
        checked_in.items["Finpass"]
            .methods
            .contains_key("aa_initialize")
    );
    assert_same(&compare(&checked_in, base_api()));
}

#[test]
fn a_renamed_schema_keeps_the_wire_but_breaks_the_rust_api_naming_the_old_type() {
    let spec = EditedSpec::new("rename", |doc| {
        let schema = schemas(doc)
            .remove("AaInitializeData")
            .expect("the schema exists");
        schemas(doc).insert("AaInitializeJourney".to_owned(), schema);
        let from = "#/components/schemas/AaInitializeData";
        retarget_refs(doc, from, "#/components/schemas/AaInitializeJourney");
    });
    let checked_in = crate::paths::root().join(crate::paths::SPEC);
    let old_wire = finpass_spec::spec_check::load(&checked_in).unwrap();
    let new_wire = finpass_spec::spec_check::load(&spec.0).unwrap();
    let wire = finpass_spec::diff::compare(&old_wire, &new_wire);
    assert!(
        !wire
            .iter()
            .any(|c| c.severity == finpass_spec::gate::Severity::Breaking),
        "the wire must not change: {wire:#?}"
    );

    let report = compare(base_api(), &api_for_spec(&spec.0));
    assert_breaks(&report, "removed", "types::AaInitializeData");
    assert_breaks(&report, "removed", "types::builder::AaInitializeData");
    let removed = report
        .findings
        .iter()
        .find(|f| f.item == "types::AaInitializeData")
        .unwrap();
    assert!(
        removed.detail.contains("`types::AaInitializeJourney`"),
        "{}",
        removed.detail
    );
}

#[test]
fn an_optional_response_field_is_a_compatible_addition() {
    let spec = EditedSpec::new("optional", |doc| {
        let properties = schemas(doc)["AaInitializeData"]["properties"]
            .as_object_mut()
            .unwrap();
        let field = serde_json::json!({"type": "string", "description": "A later addition."});
        properties.insert("journey_note".to_owned(), field);
    });
    let report = compare(base_api(), &api_for_spec(&spec.0));
    assert_compatible(
        &report,
        "field-added",
        "types::AaInitializeData.journey_note",
    );
}
