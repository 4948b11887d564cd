//! The MSRV (`rust-version`) holds for what the published crates link: no normal dependency of
//! `finpass-client`, `finpass-contract`, `finpass-mock` or `finpass-spec` (any feature) declares a newer
//! `rust-version`. CI cannot download the MSRV
//! toolchain to build with it (README, MSRV); this and clippy's `incompatible_msrv` lint stand in.

use std::collections::{BTreeSet, VecDeque};

fn version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[test]
fn no_dependency_of_a_published_crate_needs_a_newer_rust_than_its_msrv() {
    let root = crate::paths::root();
    // This machine's platform only: the other platforms' crates (Windows consoles) are not linked
    // here. Not `--offline`: on a fresh machine cargo downloads the manifests this reads (the test
    // build itself only fetched the crates of the features it uses), and never passes by skipping.
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .unwrap();
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
        .expect("rustc -vV names the host");
    let metadata =
        super::cargo_metadata(&["--all-features", "--locked", "--filter-platform", &host]);
    let packages = metadata["packages"].as_array().unwrap();
    let package = |id: &str| packages.iter().find(|p| p["id"] == id).unwrap();
    let client = packages
        .iter()
        .find(|p| p["name"] == "finpass-client")
        .unwrap();
    let msrv = version(client["rust_version"].as_str().expect("a declared MSRV"));
    let readme = std::fs::read_to_string(root.join("finpass-client/README.md")).unwrap();
    let stated = format!("MSRV: Rust {}.{}", msrv.0, msrv.1);
    assert!(readme.contains(&stated), "README must state `{stated}`");

    let nodes = metadata["resolve"]["nodes"].as_array().unwrap();
    let node = |id: &str| nodes.iter().find(|n| n["id"] == id).unwrap();
    // Normal (and build) dependencies only: dev-dependencies are not linked into users' builds.
    let published = [
        "finpass-client",
        "finpass-contract",
        "finpass-mock",
        "finpass-spec",
    ]
    .map(|name| {
        let pkg = packages.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(
            pkg["rust_version"], client["rust_version"],
            "{name} declares the same MSRV"
        );
        pkg["id"].as_str().unwrap().to_owned()
    });
    let mut queue = VecDeque::from(published);
    let mut seen = BTreeSet::new();
    let mut too_new = Vec::new();
    while let Some(id) = queue.pop_front() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let pkg = package(&id);
        if let Some(declared) = pkg["rust_version"].as_str()
            && version(declared) > msrv
        {
            too_new.push(format!(
                "{} {} needs {declared}",
                pkg["name"], pkg["version"]
            ));
        }
        for dep in node(&id)["deps"].as_array().unwrap() {
            let linked = dep["dep_kinds"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build");
            if linked {
                queue.push_back(dep["pkg"].as_str().unwrap().to_owned());
            }
        }
    }
    assert!(seen.len() > 20, "walked only {} packages", seen.len());
    assert!(too_new.is_empty(), "above the MSRV: {too_new:?}");
}
