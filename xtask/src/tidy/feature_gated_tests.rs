//! A test that needs a feature is never skipped without a word. Code under `tests/` carries no
//! `#[cfg(feature …)]` (a test compiled out leaves no line in the output): it is marked
//! `#[cfg_attr(not(feature = "…"), ignore = "needs the `…` feature: …")]` instead, which `cargo test`
//! lists as ignored with that reason. A test target's `required-features` (which cargo also skips
//! silently) may name only default features, so a plain `cargo test -p <crate>` runs it.

use std::path::PathBuf;

use quote::ToTokens;

/// The `#[cfg(…feature…)]` / `#![cfg(…feature…)]` attributes of a file, as text (`cfg_attr` is the
/// allowed form). Read with `syn`, so an attribute rustfmt spread over lines counts and a comment
/// does not.
fn feature_gates(source: &str) -> Vec<String> {
    struct Gates(Vec<String>);
    impl<'ast> syn::visit::Visit<'ast> for Gates {
        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            if attr.path().is_ident("cfg") {
                let tokens = attr.meta.to_token_stream();
                if tokens.into_iter().any(|t| names_feature(&t)) {
                    self.0.push(attr.to_token_stream().to_string());
                }
            }
        }
    }
    fn names_feature(tree: &proc_macro2::TokenTree) -> bool {
        match tree {
            proc_macro2::TokenTree::Ident(i) => i == "feature",
            proc_macro2::TokenTree::Group(g) => g.stream().into_iter().any(|t| names_feature(&t)),
            _ => false,
        }
    }
    let Ok(file) = syn::parse_file(source) else {
        return vec!["(the file does not parse)".to_owned()];
    };
    let mut gates = Gates(Vec::new());
    syn::visit::Visit::visit_file(&mut gates, &file);
    gates.0
}

#[test]
fn no_test_is_compiled_out_by_a_feature() {
    let root = crate::paths::root();
    let metadata = super::cargo_metadata(&["--no-deps", "--offline"]);
    let packages = metadata["packages"].as_array().unwrap();
    assert!(packages.len() >= 5, "{} packages", packages.len());
    let mut problems = Vec::new();
    let mut scanned = 0;
    for package in packages {
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
        let dir = manifest.parent().unwrap();
        let test_files = super::files_below(&dir.join("tests"));
        for file in test_files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "rs"))
        {
            scanned += 1;
            let text = std::fs::read_to_string(file).unwrap();
            for gate in feature_gates(&text) {
                let shown = file.strip_prefix(&root).unwrap_or(file).display();
                problems.push(format!(
                    "{shown}: `{gate}` compiles a test out silently; use `#[cfg_attr(not(feature = \"…\"), ignore = \"needs the `…` feature: cargo test -p … --features …\")]`"
                ));
            }
        }
        let defaults: Vec<&str> = package["features"]["default"]
            .as_array()
            .map(|d| d.iter().filter_map(|f| f.as_str()).collect())
            .unwrap_or_default();
        for target in package["targets"].as_array().unwrap() {
            if !target["kind"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k == "test")
            {
                continue;
            }
            for feature in target["required-features"].as_array().into_iter().flatten() {
                let feature = feature.as_str().unwrap();
                if !defaults.contains(&feature) {
                    problems.push(format!(
                        "{}: test target `{}` requires `{feature}`, which is not a default feature: a plain `cargo test -p {}` skips it without a word",
                        package["name"].as_str().unwrap(),
                        target["name"].as_str().unwrap(),
                        package["name"].as_str().unwrap(),
                    ));
                }
            }
        }
    }
    assert!(scanned > 20, "scanned only {scanned} test files");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_rule_catches_what_it_is_for() {
    for gated in [
        "#[cfg(feature = \"gzip\")] mod gzip {}",
        "mod m { #[cfg(all(test,\n    feature = \"capture\"))]\n fn t() {} }",
        "#![cfg(feature = \"test-util\")]",
    ] {
        assert_eq!(feature_gates(gated).len(), 1, "{gated}");
    }
    for allowed in [
        "#[cfg_attr(not(feature = \"gzip\"), ignore = \"needs the `gzip` feature\")] fn t() {}",
        "#[cfg(test)] mod tests {}",
        "// #[cfg(feature = \"gzip\")] in a comment is prose\nfn t() { let _ = cfg!(feature = \"gzip\"); }",
    ] {
        assert!(feature_gates(allowed).is_empty(), "{allowed}");
    }
}
