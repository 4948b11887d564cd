//! The spec a command reads: the `--spec` file when one is given; otherwise `openapi/finpass.yaml` of
//! the current directory or the nearest parent that has one (a checkout of finpass-rs, or another
//! repository that keeps the spec the same way); otherwise the spec embedded in this build
//! (`finpass_contract::SPEC_YAML`), so an installed `finpass-spec` works anywhere.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::paths::SPEC;
use crate::spec_check::{self, LoadedSpec, SpecError};

/// The spec a command reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecSource {
    /// A file: `--spec`, or the checkout's `openapi/finpass.yaml`.
    File(PathBuf),
    /// The spec embedded in this build of finpass-spec.
    Embedded,
}

impl SpecSource {
    /// `--spec` when given, else the checkout's spec (see [`find_spec`]), else the embedded one.
    pub fn locate(given: Option<PathBuf>) -> Result<SpecSource> {
        Ok(match given {
            Some(path) => SpecSource::File(path),
            None => find_spec()?.map_or(SpecSource::Embedded, SpecSource::File),
        })
    }

    /// Reads and checks the spec (see [`spec_check`]).
    pub fn load(&self) -> Result<LoadedSpec, SpecError> {
        match self {
            SpecSource::File(path) => spec_check::load(path),
            SpecSource::Embedded => {
                spec_check::from_text(&self.to_string(), finpass_contract::SPEC_YAML.to_owned())
            }
        }
    }

    /// The file, when the spec is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            SpecSource::File(path) => Some(path),
            SpecSource::Embedded => None,
        }
    }
}

impl std::fmt::Display for SpecSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpecSource::File(path) => write!(f, "{}", path.display()),
            SpecSource::Embedded => write!(
                f,
                "finpass.yaml (embedded in finpass-spec {})",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// `openapi/finpass.yaml` of the current directory, or, inside a git checkout, of the nearest parent
/// up to the checkout's root that has one (so a command also works from a subdirectory); `None`
/// otherwise. A stray `openapi/` folder above the checkout, or in the temp directory, is never taken.
pub fn find_spec() -> Result<Option<PathBuf>> {
    if Path::new(SPEC).is_file() {
        // Relative, so annotations name it as the repository does.
        return Ok(Some(PathBuf::from(SPEC)));
    }
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let Some(checkout) = cwd.ancestors().find(|dir| dir.join(".git").exists()) else {
        return Ok(None);
    };
    Ok(cwd
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(checkout))
        .map(|dir| dir.join(SPEC))
        .find(|candidate| candidate.is_file()))
}
