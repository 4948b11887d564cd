//! The gate every command passes before it trusts a spec (generate, check, export, diff, drift, mock).
//!
//! A spec that is not YAML, has a dangling or external `$ref`, a schema `type` that does not exist, a
//! duplicate operationId, or breaks the official OpenAPI 3.0/3.1 JSON Schema is refused here with its
//! file, line and column, before a generator panics on it or a comparison quietly reads it as "no
//! change". Generators that still panic are wrapped by [`without_panics`].

use std::fmt;
use std::path::Path;

use finpass_contract::Spec;
use serde_json::Value;

use crate::paths;
use crate::yaml_pos::{Pos, Positions};

mod meta;
pub mod personal;
mod rules;

pub use meta::validate_document;

/// A spec that passed every check, with what the commands need from it.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// The file as messages and annotations name it.
    pub file: String,
    /// The text as read.
    pub text: String,
    /// The document as JSON.
    pub doc: Value,
    /// Where each node sits in `text`.
    pub positions: Positions,
    /// The contract walks over `doc`.
    pub spec: Spec,
}

impl LoadedSpec {
    /// Line and column of the node at `pointer` (or of its nearest ancestor in the file).
    pub fn pos(&self, pointer: &str) -> Pos {
        self.positions.nearest(pointer)
    }
}

/// Why a spec was refused: every problem found, each with its place in the file.
#[derive(Debug, Clone)]
pub struct SpecError {
    /// The spec as the command named it.
    pub file: String,
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
}

/// One problem in a spec.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Where, when the problem has a place in the file.
    pub pos: Option<Pos>,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} cannot be used as a spec:", self.file)?;
        for p in &self.problems {
            match p.pos {
                Some(pos) => write!(
                    f,
                    "\n  {}:{}:{}: {}",
                    self.file, pos.line, pos.col, p.message
                )?,
                None => write!(f, "\n  {}: {}", self.file, p.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

impl SpecError {
    fn one(file: &str, pos: Option<Pos>, message: String) -> SpecError {
        SpecError {
            file: file.to_owned(),
            problems: vec![Problem { pos, message }],
        }
    }
}

/// Reads and checks the spec at `path` (at most [`paths::MAX_SPEC_BYTES`]). The one call every
/// command makes before it uses a spec.
pub fn load(path: &Path) -> Result<LoadedSpec, SpecError> {
    let file = path.display().to_string();
    let text = paths::read_bounded(path, paths::MAX_SPEC_BYTES)
        .map_err(|e| SpecError::one(&file, None, format!("{e:#}")))?;
    from_text(&file, text)
}

/// Checks spec text read from elsewhere (a git revision); `file` names it in messages.
pub fn from_text(file: &str, text: String) -> Result<LoadedSpec, SpecError> {
    let doc: Value = serde_yaml::from_str(&text).map_err(|e| {
        let pos = e.location().map(|l| Pos {
            line: l.line(),
            col: l.column(),
        });
        SpecError::one(file, pos, format!("not valid YAML: {e}"))
    })?;
    let positions = Positions::index(&text)
        .map_err(|e| SpecError::one(file, Some(e.pos), format!("not valid YAML: {}", e.message)))?;
    // serde_yaml keeps the last of two equal keys silently: a reader would see another spec.
    let mut problems: Vec<Problem> = positions
        .duplicates
        .iter()
        .map(|(pointer, pos)| Problem {
            pos: Some(*pos),
            message: format!(
                "key `{}` is written twice in one mapping (first at line {}); YAML readers keep only one",
                pointer.rsplit('/').next().unwrap_or_default(),
                positions.nearest(pointer).line
            ),
        })
        .collect();
    let mut found = rules::check(&doc);
    if found.is_empty() && problems.is_empty() {
        // The meta-schema's messages are vaguer; they matter only once the precise checks pass.
        found = validate_document(&doc);
    }
    problems.extend(found.into_iter().map(|(pointer, message)| Problem {
        pos: Some(positions.nearest(&pointer)),
        message: if pointer.is_empty() {
            message
        } else {
            format!("{message} (at {pointer})")
        },
    }));
    if !problems.is_empty() {
        return Err(SpecError {
            file: file.to_owned(),
            problems,
        });
    }
    let spec = Spec::from_yaml(&text).map_err(|e| SpecError::one(file, None, e.to_string()))?;
    Ok(LoadedSpec {
        file: file.to_owned(),
        text,
        doc,
        positions,
        spec,
    })
}

/// The personal-data classification of a loaded spec (`cargo xtask check`; [`personal`]): every
/// problem with its line.
pub fn check_personal(loaded: &LoadedSpec) -> Result<(), SpecError> {
    let problems: Vec<Problem> = personal::check(&loaded.doc)
        .into_iter()
        .map(|(pointer, message)| Problem {
            pos: Some(loaded.pos(&pointer)),
            message: format!("{message} (at {pointer})"),
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SpecError {
            file: loaded.file.clone(),
            problems,
        })
    }
}

/// Runs `work` (e.g. progenitor's `generate_tokens`) and turns a panic inside it into a
/// [`SpecError`] for `file`, naming `what` panicked, without the default hook printing a backtrace.
/// Meant for a single-threaded command: the panic hook is process-wide while `work` runs.
pub fn without_panics<T>(file: &str, what: &str, work: impl FnOnce() -> T) -> Result<T, SpecError> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    std::panic::set_hook(hook);
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        SpecError::one(
            file,
            None,
            format!(
                "{what} panicked (\"{message}\") on a spec that passed the OpenAPI checks: a shape it \
                 cannot handle"
            ),
        )
    })
}

/// The exit code of a whole command run, the convention every command here keeps: 0 when `work`
/// passed, 1 when it found what fails the run (it has printed the findings), 2 when it could not
/// decide: an error, or a panic turned into one by [`without_panics`]; the message goes to stderr, no
/// backtrace reaches a CI log.
pub fn exit_code(
    program: &str,
    work: impl FnOnce() -> anyhow::Result<bool>,
) -> std::process::ExitCode {
    use std::process::ExitCode;
    match without_panics(program, program, work) {
        Ok(Ok(true)) => ExitCode::SUCCESS,
        Ok(Ok(false)) => ExitCode::FAILURE,
        Ok(Err(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Err(panic) => {
            eprintln!("error: {panic}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: get_x\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {type: integer}\n";

    fn refused(text: &str) -> String {
        from_text("spec.yaml", text.to_owned())
            .expect_err("must be refused")
            .to_string()
    }

    #[test]
    fn a_good_spec_loads_and_the_embedded_one_too() {
        from_text("spec.yaml", GOOD.to_owned()).unwrap();
        from_text("finpass.yaml", finpass_contract::SPEC_YAML.to_owned()).unwrap();
    }

    #[test]
    fn a_dangling_ref_names_file_line_and_target() {
        let err = refused(&GOOD.replace("schemas/A'", "schemas/Missing'"));
        assert!(err.contains("spec.yaml:12:24"), "{err}");
        assert!(err.contains("#/components/schemas/Missing"), "{err}");
    }

    #[test]
    fn an_invalid_type_and_a_duplicate_operation_id_are_named() {
        let err = refused(&GOOD.replace("type: integer", "type: integr"));
        assert!(
            err.contains("spec.yaml:18:13") && err.contains("integr"),
            "{err}"
        );
        let twice = GOOD.replace(
            "components:",
            "  /y:\n    get:\n      operationId: get_x\n      responses:\n        '200': {description: ok}\ncomponents:",
        );
        let err = refused(&twice);
        assert!(
            err.contains("spec.yaml:15:") && err.contains("get_x"),
            "{err}"
        );
    }

    #[test]
    fn meta_schema_and_yaml_errors_have_a_line() {
        let err = refused(&GOOD.replace("description: ok", "descriptio: ok"));
        assert!(err.contains("spec.yaml:8:"), "{err}");
        let err = refused("openapi: 3.0.3\ninfo: [\n");
        assert!(err.contains("spec.yaml:"), "{err}");
    }

    #[test]
    fn a_panic_is_an_error_without_a_backtrace() {
        let err = without_panics("spec.yaml", "typify", || -> u8 { panic!("typify gave up") })
            .unwrap_err()
            .to_string();
        assert!(err.contains("typify gave up"), "{err}");
        assert_eq!(without_panics("spec.yaml", "typify", || 7).unwrap(), 7);
    }
}
