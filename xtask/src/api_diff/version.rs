//! A deliberate break is one that comes with a version bump (README, "Versioning"): while the crate
//! is 0.x a breaking change bumps the minor version, after 1.0 the major. The gate still lists every
//! break; it passes only when the version says the break was meant.

use std::path::Path;

use anyhow::{Context, Result};

const MANIFEST: &str = "finpass-client/Cargo.toml";

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
    fn reads_the_package_version_only() {
        let manifest = "[package]\nname = \"a\"\nversion = \"0.2.0+api.1\"\n\n[dependencies]\nx = { version = \"9\" }\n";
        assert_eq!(package_version(manifest).unwrap(), "0.2.0+api.1");
    }
}
