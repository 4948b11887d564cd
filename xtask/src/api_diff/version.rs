//! A deliberate break is one that comes with a version bump (CONTRIBUTING.md, "Versioning"): while the
//! crate is 0.x a breaking change bumps the minor version, after 1.0 the major; or one made while the
//! version is still unreleased (its CHANGELOG heading says so), which has promised nothing yet. The gate
//! still lists every break; it passes only when the version says the break was meant.

use std::path::Path;

use anyhow::{Context, Result};

const MANIFEST: &str = "finpass-client/Cargo.toml";
const CHANGELOG: &str = "CHANGELOG.md";

/// Why a break against `rev` is deliberate, or `None` when it is not: the working tree bumps the
/// breaking part of the version, or keeps a version that the CHANGELOG at `rev` lists as unreleased.
pub fn allowed_break(root: &Path, rev: &str) -> Result<Option<String>> {
    if let Some((old, new)) = breaking_bump(root, rev)? {
        return Ok(Some(format!(
            "finpass-client goes from {old} to {new}, a breaking release (CONTRIBUTING.md, Versioning)"
        )));
    }
    let old = package_version(&super::source::show(root, rev, MANIFEST)?)?;
    let new = package_version(&std::fs::read_to_string(root.join(MANIFEST)).context(MANIFEST)?)?;
    let changelog = super::source::show(root, rev, CHANGELOG).unwrap_or_default();
    Ok((core(&old) == core(&new) && is_unreleased(&changelog, core(&old))).then(|| {
        format!("finpass-client {} is unreleased ({CHANGELOG} at {rev}): its breaks are listed there, not bumped again", core(&old))
    }))
}

/// The version without build metadata or pre-release (`0.2.0` of `0.2.0+api.0.1.0`).
fn core(version: &str) -> &str {
    version.split(['+', '-']).next().unwrap_or_default()
}

/// Whether the changelog has a `## [VERSION] - unreleased` heading (any case).
fn is_unreleased(changelog: &str, version: &str) -> bool {
    changelog.lines().any(|line| {
        line.strip_prefix("## [")
            .and_then(|rest| rest.strip_prefix(version))
            .and_then(|rest| rest.strip_prefix(']'))
            .is_some_and(|rest| {
                rest.trim()
                    .trim_start_matches('-')
                    .trim()
                    .eq_ignore_ascii_case("unreleased")
            })
    })
}

/// `(old, new)` versions when the working tree bumps the breaking part of the version against `rev`.
pub fn breaking_bump(root: &Path, rev: &str) -> Result<Option<(String, String)>> {
    let old = super::source::show(root, rev, MANIFEST)?;
    let new = std::fs::read_to_string(root.join(MANIFEST)).context(MANIFEST)?;
    let (old, new) = (package_version(&old)?, package_version(&new)?);
    Ok((breaking_part(&new)? > breaking_part(&old)?).then_some((old, new)))
}

/// The `version = "…"` of the `[package]` table.
fn package_version(manifest: &str) -> Result<String> {
    let package = manifest
        .split("\n[")
        .find(|table| table.trim_start().starts_with("package]") || table.starts_with("[package]"))
        .context("no [package] table")?;
    package
        .lines()
        .find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("version")?
                .trim()
                .strip_prefix('=')?;
            Some(value.trim().trim_matches('"').to_owned())
        })
        .context("no package version")
}

/// `(major, minor)` while the major is 0, else `(major, 0)`: what a breaking change must raise.
fn breaking_part(version: &str) -> Result<(u64, u64)> {
    let core = version.split(['+', '-']).next().unwrap_or_default();
    let mut numbers = core.split('.').map(str::parse::<u64>);
    let major = numbers.next().context("no major version")??;
    let minor = numbers.next().context("no minor version")??;
    Ok(if major == 0 { (0, minor) } else { (major, 0) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_breaking_bump_is_the_minor_before_1_0_and_the_major_after() {
        let part = |v| breaking_part(v).unwrap();
        assert!(part("0.2.0+api.0.1.0") > part("0.1.9+api.0.1.0"));
        assert_eq!(part("0.1.1"), part("0.1.0"));
        assert!(part("2.0.0") > part("1.9.0"));
        assert_eq!(part("1.3.0"), part("1.0.0"));
        assert!(breaking_part("x").is_err());
    }

    #[test]
    fn an_unreleased_heading_is_found_for_its_version_only() {
        let log = "# Changelog\n\n## [0.3.0] - unreleased\n\n## [0.2.0] - 2026-11-30\n";
        assert!(is_unreleased(log, "0.3.0"));
        assert!(!is_unreleased(log, "0.2.0"));
        assert!(!is_unreleased(log, "0.3"));
        assert!(is_unreleased("## [0.2.0] - Unreleased", "0.2.0"));
        assert_eq!(core("0.2.0+api.0.1.0"), "0.2.0");
    }

    #[test]
    fn reads_the_package_version_only() {
        let manifest = "[package]\nname = \"a\"\nversion = \"0.2.0+api.1\"\n\n[dependencies]\nx = { version = \"9\" }\n";
        assert_eq!(package_version(manifest).unwrap(), "0.2.0+api.1");
    }
}
