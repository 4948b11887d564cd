//! The shared "is the checked-in file what the generator would write?" comparison.

use anyhow::{Result, bail};
use similar::TextDiff;

/// `Ok` when `current` equals `rendered`; otherwise an error holding a unified diff (checked-in →
/// fresh) and the command that fixes it.
pub fn compare(file: &str, current: &str, rendered: &str, fix: &str) -> Result<()> {
    if current == rendered {
        return Ok(());
    }
    let diff = TextDiff::from_lines(current, rendered)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{file} (checked in)"),
            &format!("{file} (from the spec)"),
        )
        .to_string();
    let shown: String = diff.lines().take(400).collect::<Vec<_>>().join("\n");
    let more = diff.lines().count().saturating_sub(400);
    let tail = if more > 0 {
        format!("\n… {more} more diff lines")
    } else {
        String::new()
    };
    bail!(
        "{file} is stale: it does not match what the spec generates.\n\n{shown}{tail}\n\nrun `{fix}` and commit the result"
    )
}
