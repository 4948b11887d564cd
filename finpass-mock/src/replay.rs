//! Replay of responses captured with finpass-client's `ClientBuilder::capture_responses` (feature
//! `capture`): one JSON file per call, `{"operation_id", "method", "path", "status", "body"}`.
//!
//! Each file becomes a rule for its operation that answers once with the captured status and body.
//! Files are read in file-name order, which for the client's `{operation}-{time}-{n}.json` names is
//! the order of the calls per operation: a polled status replays as it was captured.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use super::rules::{Reply, Rule};
use super::{MockServer, lock};

/// Most capture files one `replay_captures` reads (each is capped in size too).
pub const MAX_CAPTURE_FILES: usize = 10_000;

/// Largest capture file read: the client's default response cap (64 MiB) with room for pretty-printing.
pub const MAX_CAPTURE_FILE: u64 = 96 * 1024 * 1024;

/// A capture that could not be replayed, naming the file.
#[derive(Debug)]
pub struct ReplayError {
    /// The file (or directory) concerned.
    pub path: PathBuf,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "capture {}: {}", self.path.display(), self.reason)
    }
}

impl std::error::Error for ReplayError {}

#[derive(Deserialize)]
struct Capture {
    operation_id: String,
    method: String,
    path: String,
    status: u16,
    body: Value,
}

/// One rule per `*.json` file of `dir`, in file-name order; `known(operation_id)` gives the method and
/// path the spec has for an operation, which the capture must agree with.
pub(crate) fn load<'a>(
    dir: &Path,
    known: impl Fn(&str) -> Option<(String, &'a str)>,
) -> Result<Vec<Rule>, ReplayError> {
    let failed = |path: &Path, reason: String| ReplayError {
        path: path.to_owned(),
        reason,
    };
    let mut files = std::fs::read_dir(dir)
        .map_err(|e| failed(dir, format!("cannot list the directory: {e}")))?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| failed(dir, format!("cannot list the directory: {e}")))?;
    // Regular files only: a symlink could point anywhere, a loop anywhere else.
    files.retain(|p| {
        p.extension().is_some_and(|e| e == "json")
            && std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file())
    });
    if files.len() > MAX_CAPTURE_FILES {
        return Err(failed(
            dir,
            format!(
                "{} capture files; at most {MAX_CAPTURE_FILES} are replayed at once",
                files.len()
            ),
        ));
    }
    files.sort();
    let mut rules = Vec::with_capacity(files.len());
    for file in files {
        let text = read_bounded(&file).map_err(|reason| failed(&file, reason))?;
        let capture: Capture = serde_json::from_slice(&text).map_err(|e| {
            failed(
                &file,
                format!(
                    "not a capture (`operation_id`, `method`, `path`, `status`, `body`): {}",
                    value_free(&e)
                ),
            )
        })?;
        let Some((method, path)) = known(&capture.operation_id) else {
            return Err(failed(
                &file,
                format!("operation `{}` is not in the spec", capture.operation_id),
            ));
        };
        if !capture.method.eq_ignore_ascii_case(&method) || capture.path != path {
            return Err(failed(
                &file,
                format!(
                    "`{}` is {method} {path} in the spec, the capture says {} {}",
                    capture.operation_id, capture.method, capture.path
                ),
            ));
        }
        if !(100..=599).contains(&capture.status) {
            return Err(failed(
                &file,
                format!("status {} is not an HTTP status", capture.status),
            ));
        }
        let reply = Reply::status_json(capture.status, capture.body);
        rules.push(Rule::new(capture.operation_id).reply(reply).times(1));
    }
    Ok(rules)
}

/// Captures are answered again by a running mock.
impl MockServer {
    /// Adds one single-use rule per response captured with finpass-client's `capture_responses` in
    /// `dir`; returns how many were added. Files are read in file-name order, which for the client's
    /// `{operation}-{time}-{n}.json` names is the order of the calls: a status polled several times
    /// replays in the order it was captured. Like any rule added later, the replayed responses answer
    /// before the rules already added. Each file is read bounded ([`MAX_CAPTURE_FILE`]); a file that
    /// is not a capture of an operation of the spec is an error naming it, and then no rule is added.
    pub fn replay_captures(&self, dir: impl AsRef<Path>) -> Result<usize, ReplayError> {
        let spec = &self.engine.spec;
        let rules = load(dir.as_ref(), |id| {
            spec.operation(id).map(|op| (op.method, op.path))
        })?;
        let count = rules.len();
        let mut set = lock(&self.engine.rules);
        // The newest rule answers first: the first capture is added last.
        for rule in rules.into_iter().rev() {
            set.push(rule);
        }
        Ok(count)
    }
}

/// The file's bytes, refusing one over [`MAX_CAPTURE_FILE`] (declared or read).
fn read_bounded(file: &Path) -> Result<Vec<u8>, String> {
    let opened = std::fs::File::open(file).map_err(|e| format!("cannot open: {e}"))?;
    let too_large = || format!("larger than the {MAX_CAPTURE_FILE}-byte limit for a capture");
    if opened.metadata().is_ok_and(|m| m.len() > MAX_CAPTURE_FILE) {
        return Err(too_large());
    }
    let mut text = Vec::new();
    opened
        .take(MAX_CAPTURE_FILE + 1)
        .read_to_end(&mut text)
        .map_err(|e| format!("cannot read: {e}"))?;
    if text.len() as u64 > MAX_CAPTURE_FILE {
        return Err(too_large());
    }
    Ok(text)
}

/// serde_json's message without the value it quotes (a capture body is redacted, but a file in the
/// directory may not be a capture at all): its category and position only.
fn value_free(e: &serde_json::Error) -> String {
    format!(
        "{:?} error at line {} column {}",
        e.classify(),
        e.line(),
        e.column()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("finpass-replay-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn known(id: &str) -> Option<(String, &'static str)> {
        (id == "aa_initialize").then(|| {
            (
                "POST".to_owned(),
                "/api/v1/services/account-aggregator/init",
            )
        })
    }

    fn capture(status: u16) -> Value {
        json!({"operation_id": "aa_initialize", "method": "POST",
               "path": "/api/v1/services/account-aggregator/init", "status": status, "body": {"success": true}})
    }

    #[test]
    fn one_single_use_rule_per_file_in_name_order() {
        let dir = dir("order");
        std::fs::write(dir.join("aa_initialize-2-0.json"), capture(500).to_string()).unwrap();
        std::fs::write(dir.join("aa_initialize-1-0.json"), capture(200).to_string()).unwrap();
        std::fs::write(dir.join("notes.txt"), "not a capture").unwrap();
        let rules = load(&dir, known).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        let statuses: Vec<_> = rules
            .iter()
            .map(|r| match (&r.reply.kind, r.uses) {
                (crate::rules::ReplyKind::Json(status, Some(_)), Some(1)) => *status,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(statuses, [200, 500]);
    }

    #[test]
    fn a_bad_file_is_named_with_what_is_wrong() {
        let cases = [
            (
                "broken.json",
                "{\"operation_id\": \"9876543210".to_owned(),
                "not a capture",
            ),
            (
                "unknown.json",
                capture(200).to_string().replace("aa_initialize", "nope"),
                "`nope` is not in the spec",
            ),
            (
                "moved.json",
                capture(200).to_string().replace("/init", "/start"),
                "the capture says POST",
            ),
            (
                "status.json",
                capture(200).to_string().replace("200", "1000"),
                "not an HTTP status",
            ),
        ];
        for (name, text, reason) in cases {
            let dir = dir(name);
            std::fs::write(dir.join(name), text).unwrap();
            let error = load(&dir, known).unwrap_err().to_string();
            std::fs::remove_dir_all(&dir).ok();
            assert!(error.contains(name) && error.contains(reason), "{error}");
            assert!(!error.contains("9876543210"), "no value quoted: {error}");
        }
        let missing = std::env::temp_dir().join("finpass-replay-missing-dir");
        let error = load(&missing, known).unwrap_err().to_string();
        assert!(
            error.contains("finpass-replay-missing-dir") && error.contains("cannot list"),
            "{error}"
        );
    }

    #[test]
    fn a_file_over_the_cap_is_refused_before_it_is_read() {
        let dir = dir("large");
        let file = std::fs::File::create(dir.join("big.json")).unwrap();
        file.set_len(MAX_CAPTURE_FILE + 1).unwrap();
        let error = load(&dir, known).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).ok();
        assert!(
            error.contains("big.json") && error.contains("limit"),
            "{error}"
        );
    }

    #[test]
    fn too_many_files_and_symlinks_are_refused_or_skipped() {
        let many = dir("many");
        for i in 0..=MAX_CAPTURE_FILES {
            std::fs::File::create(many.join(format!("{i:05}.json"))).unwrap();
        }
        let error = load(&many, known).unwrap_err().to_string();
        std::fs::remove_dir_all(&many).ok();
        assert!(error.contains("at most 10000"), "{error}");

        // A symlink to a file outside the directory is not read (it would be refused as empty).
        let links = dir("links");
        let outside = std::env::temp_dir().join(format!("outside-{}.json", std::process::id()));
        std::fs::write(&outside, b"not a capture").unwrap();
        std::os::unix::fs::symlink(&outside, links.join("link.json")).unwrap();
        let loaded = load(&links, known);
        std::fs::remove_dir_all(&links).ok();
        std::fs::remove_file(&outside).ok();
        assert!(loaded.is_ok_and(|rules| rules.is_empty()));
    }
}
