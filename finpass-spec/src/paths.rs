//! Where a repository keeps its spec, and bounded, private file access.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The handwritten spec, relative to a repository root.
pub const SPEC: &str = "openapi/finpass.yaml";

/// The largest spec, accept file or baseline read (the spec is ~150 KB).
pub const MAX_SPEC_BYTES: u64 = 16 << 20;

/// Reads a UTF-8 file of at most `limit` bytes; a larger file is an error naming the limit.
pub fn read_bounded(path: &Path, limit: u64) -> Result<String> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", path.display()))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{} is larger than the {} limit for this file",
            path.display(),
            size(limit)
        );
    }
    String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8", path.display()))
}

/// A byte count as people read it.
pub fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Writes `bytes` to `path` readable by the owner only (0600 on Unix): for files that may name
/// customer data (capture plans, baselines of live traffic). An existing file is replaced.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let _ = std::fs::remove_file(path);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("writing {}", path.display()))
}

/// A new directory under the system temp dir, created like `mkdtemp`: a random name, created
/// exclusively (an existing path, or a symlink planted there, is never reused), 0700 on Unix.
pub fn private_temp_dir(prefix: &str) -> Result<PathBuf> {
    let base = std::env::temp_dir();
    for _ in 0..16 {
        let name: String = (0..12).map(|_| fastrand::alphanumeric()).collect();
        let dir = base.join(format!("{prefix}{name}"));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("creating {}", dir.display())),
        }
    }
    bail!(
        "could not create a fresh directory under {}",
        base.display()
    )
}
