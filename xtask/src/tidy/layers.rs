//! Layers point one way: the top-level modules of each crate's `src/` form a DAG, counting uses
//! through `lib.rs` re-exports and the `types` alias (the same rule as the before-stop hook).

use std::path::Path;

use super::module_graph::{cycles, module_graph};

fn assert_no_cycle(src: &str) {
    let graph = module_graph(&crate::paths::root().join(src)).unwrap();
    assert!(graph.len() >= 2, "{src}: found only {graph:?}");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "{src}: modules import each other in a circle (layers must point one way):\n{}",
        found
            .iter()
            .map(|c| c.join(" → "))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_client_modules_form_a_dag() {
    assert_no_cycle("finpass-client/src");
}

#[test]
fn the_modules_of_every_other_crate_form_a_dag() {
    for src in [
        "xtask/src",
        "finpass-spec/src",
        "finpass-mock/src",
        "finpass-contract/src",
    ] {
        assert_no_cycle(src);
    }
}

#[test]
fn generated_code_reaches_handwritten_code_only_through_generator_settings() {
    let graph = module_graph(&crate::paths::root().join("finpass-client/src")).unwrap();
    // The typify replacements (xtask/src/codegen.rs), the redaction wrappers the redacting `Debug`
    // impls use (xtask/src/personal_debug.rs), and what the builders' setters accept
    // (xtask/src/builder_setters.rs); nothing else: progenitor has no inner type or hooks (its
    // builders only build requests).
    let allowed = ["bureau", "field", "ids", "personal", "secret", "statement"];
    let uses = &graph["generated"];
    let extra: Vec<_> = uses
        .iter()
        .filter(|m| !allowed.contains(&m.as_str()))
        .collect();
    assert!(extra.is_empty(), "generated.rs reaches {extra:?}");
    // The modules progenitor's output uses are leaves below it: none of them reaches generated code.
    for module in uses {
        assert!(
            !graph[module].contains("generated"),
            "{module} imports generated code"
        );
    }
}

/// The checker itself: a crate whose modules import each other is reported, through a re-export too.
#[test]
fn a_cycle_is_reported() {
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    let write = |p: &str, text: &str| std::fs::write(src.join(p), text).unwrap();
    write("lib.rs", "mod a; mod b; mod c; pub use b::Thing;\n");
    write("a.rs", "// crate::c is only a comment\nuse crate::Thing;\n");
    write("b/mod.rs", "pub struct Thing; mod inner;\n");
    write("b/inner.rs", "fn f() -> crate::a::X { todo() }\n");
    write("c.rs", "pub struct Free;\n");
    let graph = module_graph(Path::new(&src)).unwrap();
    assert_eq!(graph["a"].iter().collect::<Vec<_>>(), ["b"]);
    assert_eq!(graph["b"].iter().collect::<Vec<_>>(), ["a"]);
    assert!(graph["c"].is_empty());
    let found = cycles(&graph);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(found, vec![vec!["a".to_owned(), "b".into(), "a".into()]]);
}

/// Tooling (drift capture, dispatch by operation id, the test kit) is behind features that the default
/// build does not enable: their modules carry `#[cfg(feature = …)]` in lib.rs, and `default` lists
/// none of them, not even through another feature. The test kit's mock dependency is optional.
#[test]
fn the_default_build_does_not_compile_the_tooling() {
    let root = crate::paths::root();
    let metadata = super::cargo_metadata(&["--no-deps", "--offline"]);
    let client = metadata["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "finpass-client")
        .unwrap();
    let default = client["features"]["default"].as_array().unwrap().clone();

    let lib =
        syn::parse_file(&std::fs::read_to_string(root.join("finpass-client/src/lib.rs")).unwrap())
            .unwrap();
    for tooling in ["capture", "dispatch", "test_util"] {
        let module = lib
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == tooling => Some(m),
                _ => None,
            })
            .unwrap_or_else(|| panic!("lib.rs declares no `{tooling}` module"));
        let feature = module
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .find_map(|a| {
                let nv: syn::MetaNameValue = a.parse_args().ok()?;
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = nv.value
                else {
                    return None;
                };
                nv.path.is_ident("feature").then(|| s.value())
            })
            .unwrap_or_else(|| panic!("`mod {tooling}` is compiled in every build"));
        assert!(
            client["features"][&feature].is_array(),
            "feature `{feature}` is not declared"
        );
        assert!(
            !enabled_by_default(&client["features"], &default).contains(&feature),
            "the default features enable `{feature}` ({tooling})"
        );
    }
    let mock = client["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "finpass-mock" && d["kind"].is_null())
        .expect("feature `test-util` needs finpass-mock as a normal dependency");
    assert_eq!(mock["optional"], true, "finpass-mock must be optional");
    assert!(
        !enabled_by_default(&client["features"], &default).contains("dep:finpass-mock"),
        "the default features pull in the mock"
    );
}

/// Every feature (and `dep:` entry) the default features turn on, following features that enable
/// other features.
fn enabled_by_default(
    features: &serde_json::Value,
    default: &[serde_json::Value],
) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    let mut todo: Vec<String> = default
        .iter()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect();
    while let Some(feature) = todo.pop() {
        if seen.insert(feature.clone())
            && let Some(more) = features[&feature].as_array()
        {
            todo.extend(more.iter().filter_map(|f| f.as_str().map(str::to_owned)));
        }
    }
    seen
}
