//! `cargo xtask generate` / `cargo xtask check`: render the generated files of `finpass-client` from
//! the spec.
//!
//! Generation and checking share one path (`render_files`): every file is built in memory, then
//! either written or compared. Each generated file is a leaf of its layer:
//! - `src/generated.rs`: progenitor's output, changed only by typed `syn` passes: setter docs
//!   ([`crate::setter_docs`]), each builder's `send()` cut down to `request()`, which only builds the
//!   request ([`crate::request_builders`]), and `pattern` checks as plain code ([`crate::patterns`]).
//!   Its only references into handwritten code are the type replacements below.
//! - `src/operation/generated.rs`, `src/capture/generated.rs`: tables rendered from the spec model.
//! - `src/facade/generated.rs`, `src/dispatch/generated.rs`: the `Finpass` methods, rendered from
//!   progenitor's output read back with `syn` ([`crate::progenitor_output`]).
//! - `src/json_schema/generated.rs`: `JsonSchema` of the constrained newtypes ([`json_schema`]).
//!
//! Customisation happens only here, through typed data: progenitor/typify settings, a normalised copy
//! of the parsed spec, and `quote!` templates. Nothing edits printed tokens.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl, TypePatch,
};

use crate::{coverage, facade, json_schema, paths, progenitor_output, spec_meta};

/// progenitor's output: the types, their builders and the raw `Client`.
pub const GENERATED: &str = "finpass-client/src/generated.rs";
/// The `Finpass` methods and envelope rules.
pub const GENERATED_FACADE: &str = "finpass-client/src/facade/generated.rs";
/// The operation table.
pub const GENERATED_OPERATIONS: &str = "finpass-client/src/operation/generated.rs";
/// The enum paths the drift capture keeps.
pub const GENERATED_CAPTURE: &str = "finpass-client/src/capture/generated.rs";
/// `call_by_operation_id`.
pub const GENERATED_DISPATCH: &str = "finpass-client/src/dispatch/generated.rs";
/// The copy of the spec `finpass-contract` embeds: a published crate may not read outside its folder.
pub const EMBEDDED_SPEC: &str = "finpass-contract/finpass.yaml";

/// Handwritten types substituted for spec schemas (typify `with_replacement`), with the traits the
/// generated code may rely on. PAN, CIN and LLPIN (`ids.rs`) are upper-cased before validating, so
/// the client always sends upper case, which a generated pattern newtype cannot do; one `Pan` stands for
/// both PAN components (`Pan` accepts either case, `PanUpperCase` only upper case); the bureau list
/// (`bureau.rs`) enforces `minItems`/`uniqueItems`, which typify does not generate (it is generic over
/// the bureau so that `bureau.rs` never imports generated code); an AA-BSA transaction
/// (`statement.rs`) keeps its undocumented members as raw JSON, because a generated flatten map made
/// large statements slower to decode than `Value`; a schema marked `x-finpass-secret` becomes a
/// secret type (`secret.rs`: redacted `Debug`, no `Display`, zeroised on drop).
const REPLACED_TYPES: &[(&str, &str, &[TypeImpl])] = &[
    (
        "Pan",
        "crate::ids::Pan",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "PanUpperCase",
        "crate::ids::Pan",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "Cin",
        "crate::ids::Cin",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "Llpin",
        "crate::ids::Llpin",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "MultiBureauBureaus",
        "crate::bureau::Bureaus<crate::generated::types::MultiBureauBureau>",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "AaBsaStatementTransaction",
        "crate::statement::Transaction",
        &[],
    ),
    (
        "ItrPortalPassword",
        "crate::secret::PortalPassword",
        &[TypeImpl::FromStr],
    ),
];

/// One rendered file: its path relative to the repository root, and its content.
pub struct GeneratedFile {
    pub path: &'static str,
    pub content: String,
}

/// Renders the text of progenitor's file (`src/generated.rs`) for the spec at `spec_path`.
pub fn render(spec_path: &Path) -> Result<String> {
    let (files, _) = render_all(spec_path)?;
    Ok(files
        .into_iter()
        .find(|f| f.path == GENERATED)
        .map(|f| f.content)
        .unwrap_or_default())
}

/// Every generated file of the client for the spec at `spec_path`.
#[cfg(test)]
pub fn render_files(spec_path: &Path) -> Result<Vec<GeneratedFile>> {
    Ok(render_all(spec_path)?.0)
}

/// The generated files and the README coverage table.
fn render_all(spec_path: &Path) -> Result<(Vec<GeneratedFile>, String)> {
    // A broken spec is an error naming its file and line, before any generator sees it.
    let loaded = finpass_spec::spec_check::load(spec_path)?;
    let text = &loaded.text;
    let mut spec = parse_spec(text).with_context(|| format!("parsing {}", spec_path.display()))?;
    let operations = spec_meta::operations(&spec)?;
    check_secrets(&spec)?;
    let skipped = drop_multipart_operations(&mut spec);

    // Two passes: the first names the types typify generates (inline ones included), the second
    // patches them: the ones that may grow get `#[non_exhaustive]`, so a new optional field or
    // documented enum value does not break consumers (they build values with the builders), and the
    // `schemars` feature's derive goes on each type that needs no constraint ([`json_schema`]).
    // progenitor and typify panic on some shapes the checks above do not know: reported the same way.
    let generate = |patches: &[(String, TypePatch)]| {
        finpass_spec::spec_check::without_panics(&loaded.file, "progenitor", || {
            progenitor(&spec, patches)
        })
        .context("openapi/README.md lists the shapes progenitor 0.15 supports")
    };
    let first = generate(&[])??;
    let growable = progenitor_output::growable_types(&first)?;
    let schemas = json_schema::Plan::new(&first, &loaded.doc)?;
    let mut client = generate(&schemas.patches(&growable))??;
    // The builders' setters carry the spec's field docs (a `syn` pass that only adds `#[doc]`s).
    crate::setter_docs::document(&mut client);
    // Types that hold personal data get a redacting `Debug` (a `syn` pass driven by the spec).
    crate::personal_debug::redact(&mut client, &loaded.doc)?;
    // Enums list their accepted values when they refuse one; open enums compare with their known
    // values and print their wire text. Then setters take text where the field parses from it.
    crate::enum_values::complete(&mut client)?;
    crate::builder_setters::accept_text(&mut client)?;

    let shapes = progenitor_output::operations(&client)?;
    // progenitor's builders only build requests; the client's runtime sends them (`syn` pass).
    crate::request_builders::rewrite(&mut client)?;
    // typify's `pattern` checks as plain code instead of `regress` (`syn` pass).
    crate::patterns::rewrite(&mut client)?;
    let facade = facade::facade(&client, &shapes, &operations, &skipped)?;
    let dispatch = facade::dispatch(&shapes, &operations);
    let table = spec_meta::operations_table(&operations);
    let enum_paths = spec_meta::enum_paths_table(&spec_meta::enum_paths(&loaded.doc));

    let files = vec![
        GeneratedFile {
            path: GENERATED,
            content: format_file(client, "progenitor's output")?,
        },
        GeneratedFile {
            path: GENERATED_FACADE,
            content: format_tokens(facade, "the `Finpass` methods")?,
        },
        GeneratedFile {
            path: GENERATED_OPERATIONS,
            content: format_tokens(table, "the operation table")?,
        },
        GeneratedFile {
            path: GENERATED_CAPTURE,
            content: format_tokens(enum_paths, "the enum paths captures keep")?,
        },
        GeneratedFile {
            path: GENERATED_DISPATCH,
            content: format_tokens(dispatch, "`call_by_operation_id`")?,
        },
        GeneratedFile {
            path: crate::personal_map::MARKDOWN,
            content: crate::personal_map::markdown(&loaded.doc),
        },
        GeneratedFile {
            path: crate::personal_map::JSON,
            content: crate::personal_map::json(&loaded.doc),
        },
        GeneratedFile {
            path: crate::error_words::GENERATED_WORDS,
            content: format_tokens(
                crate::error_words::render(&loaded.doc),
                "the words an error shows of a server message",
            )?,
        },
        GeneratedFile {
            path: json_schema::GENERATED_SCHEMAS,
            content: format_tokens(schemas.render(), "the JSON Schemas of constrained newtypes")?,
        },
    ];
    Ok((files, coverage::table(&operations, &skipped)))
}

/// progenitor with our settings and typify `patches` (by type name).
fn progenitor(spec: &OpenAPI, patches: &[(String, TypePatch)]) -> Result<syn::File> {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // No inner type and no hooks: the builders only build requests (see `request_builders`).
        .with_hooks(HooksMode::Optional)
        .with_derive("PartialEq");
    for (schema, rust_type, impls) in REPLACED_TYPES {
        if has_schema(spec, schema) {
            settings.with_replacement(*schema, *rust_type, impls.iter().copied());
        }
    }
    for (name, patch) in patches {
        settings.with_patch(name, patch);
    }
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(spec)
        .map_err(|e| anyhow::anyhow!("progenitor could not generate the client: {e}"))?;
    syn::parse2(tokens).context("progenitor produced unparsable Rust")
}

/// Every schema the spec marks `x-finpass-secret: true` must have a handwritten secret type.
fn check_secrets(spec: &OpenAPI) -> Result<()> {
    let schemas = spec.components.iter().flat_map(|c| c.schemas.iter());
    for (name, schema) in schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let secret = schema.schema_data.extensions.get("x-finpass-secret")
            == Some(&serde_json::Value::Bool(true));
        if secret
            && !REPLACED_TYPES
                .iter()
                .any(|(s, t, _)| s == name && t.starts_with("crate::secret::"))
        {
            bail!(
                "schema `{name}` is marked `x-finpass-secret` but has no secret type in xtask/src/codegen.rs REPLACED_TYPES"
            );
        }
    }
    Ok(())
}

fn format_tokens(tokens: TokenStream, what: &str) -> Result<String> {
    let file: syn::File =
        syn::parse2(tokens).with_context(|| format!("{what}: the template is not valid Rust"))?;
    format_file(file, what)
}

/// prettyplease, then rustfmt to a fixed point, under the DO NOT EDIT header.
fn format_file(mut file: syn::File, what: &str) -> Result<String> {
    crate::docs::split_multiline_docs(&mut file);
    let pretty = prettyplease::unparse(&file);
    // rustfmt moves the closing `*/` of block doc comments on each of its first passes: format to a
    // fixed point so the checked-in file also passes `cargo fmt --check`.
    let mut formatted = rustfmt(&pretty)?;
    for _ in 0..3 {
        let again = rustfmt(&formatted)?;
        if again == formatted {
            break;
        }
        formatted = again;
    }
    Ok(format!(
        "// Code generated by `cargo xtask generate` from openapi/finpass.yaml ({what}). DO NOT EDIT.\n//\n// Regenerate with `cargo xtask generate`; `cargo xtask check` (and `cargo test`) fail when this file is\n// stale. Change the spec or the generator (xtask/src/codegen.rs) instead of this file.\n\n{formatted}"
    ))
}

/// The spec's text as `finpass-contract` embeds it.
fn embedded_spec(root: &Path) -> Result<String> {
    let spec = root.join(paths::SPEC);
    let text =
        std::fs::read_to_string(&spec).with_context(|| format!("reading {}", spec.display()))?;
    Ok(normalise(&text))
}

/// Writes the generated files, the embedded spec copy and the README coverage table; returns whether
/// any changed.
pub fn generate() -> Result<bool> {
    let root = paths::root();
    let (files, table) = render_all(&root.join(paths::SPEC))?;
    let readme_path = root.join(coverage::README);
    let readme = std::fs::read_to_string(&readme_path).context("reading the client README")?;
    let mut changed = false;
    let targets = files
        .into_iter()
        .map(|f| (root.join(f.path), f.content))
        .chain([
            (root.join(EMBEDDED_SPEC), embedded_spec(&root)?),
            (readme_path, coverage::splice(&readme, &table)?),
        ]);
    for (target, rendered) in targets {
        let current = std::fs::read_to_string(&target).unwrap_or_default();
        if normalise(&current) != rendered {
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&target, rendered)
                .with_context(|| format!("writing {}", target.display()))?;
            changed = true;
        }
    }
    Ok(changed)
}

/// Compares the checked-in generated files and README table with a fresh rendering. `Err` carries a
/// unified diff of each stale file and the fix.
pub fn check() -> Result<()> {
    let root = paths::root();
    let (files, table) = render_all(&root.join(paths::SPEC))?;
    let mut stale = Vec::new();
    for file in files {
        let current = std::fs::read_to_string(root.join(file.path)).unwrap_or_default();
        if let Err(e) = finpass_spec::freshness::compare(
            file.path,
            &normalise(&current),
            &file.content,
            "cargo xtask generate",
        ) {
            stale.push(format!("{e:#}"));
        }
    }
    let copy = std::fs::read_to_string(root.join(EMBEDDED_SPEC)).unwrap_or_default();
    if let Err(e) = finpass_spec::freshness::compare(
        EMBEDDED_SPEC,
        &normalise(&copy),
        &embedded_spec(&root)?,
        "cargo xtask generate",
    ) {
        stale.push(format!("{e:#}"));
    }
    let readme = normalise(
        &std::fs::read_to_string(root.join(coverage::README))
            .context("reading the client README")?,
    );
    if let Err(e) = finpass_spec::freshness::compare(
        coverage::README,
        &readme,
        &coverage::splice(&readme, &table)?,
        "cargo xtask generate",
    ) {
        stale.push(format!("{e:#}"));
    }
    if stale.is_empty() {
        Ok(())
    } else {
        bail!("{}", stale.join("\n\n"))
    }
}

/// Parses the spec as OpenAPI 3.0. YAML errors (including duplicate keys) come from serde_yaml with a
/// line number; openapiv3 panics on some malformed `$ref`s, which is turned into an error here.
fn parse_spec(text: &str) -> Result<OpenAPI> {
    let value: serde_yaml::Value =
        serde_yaml::from_str(text).context("the spec is not valid YAML")?;
    let parsed = std::panic::catch_unwind(|| serde_yaml::from_value::<OpenAPI>(value));
    match parsed {
        Ok(result) => result.context("the spec is not a valid OpenAPI 3.0 document"),
        Err(_) => bail!(
            "the spec is not a valid OpenAPI 3.0 document (a `$ref` or schema is malformed); `finpass-spec check --spec openapi/finpass.yaml` locates it"
        ),
    }
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn has_schema(spec: &OpenAPI, name: &str) -> bool {
    spec.components
        .as_ref()
        .is_some_and(|c| c.schemas.contains_key(name))
}

/// progenitor 0.15 cannot generate `multipart/form-data` bodies; those operations stay in the spec and
/// are written by hand in finpass-client. Returns the operation ids that were left out.
fn drop_multipart_operations(spec: &mut OpenAPI) -> Vec<String> {
    let mut skipped = Vec::new();
    for (_, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for slot in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ] {
            let is_multipart = slot.as_ref().is_some_and(|op| match &op.request_body {
                Some(ReferenceOr::Item(body)) => body.content.contains_key("multipart/form-data"),
                _ => false,
            });
            if is_multipart {
                let op = slot.take().expect("checked above");
                skipped.push(op.operation_id.unwrap_or_default());
            }
        }
    }
    skipped.sort();
    skipped
}

/// Formats with the toolchain's stable rustfmt, so the checked-in file passes `cargo fmt --check`.
fn rustfmt(source: &str) -> Result<String> {
    let rustfmt = std::env::var("RUSTFMT").unwrap_or_else(|_| "rustfmt".into());
    let mut child = Command::new(&rustfmt)
        .args(["--edition", "2024", "--emit", "stdout", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| {
            format!("running {rustfmt}: install it with `rustup component add rustfmt`")
        })?;
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(source.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

#[cfg(test)]
mod tests {
    /// Plain `cargo test` catches a stale client: the same check as `cargo xtask check`.
    #[test]
    fn generated_client_matches_the_spec() {
        if let Err(e) = super::check() {
            panic!("{e:#}");
        }
    }

    #[test]
    fn rendering_is_deterministic() {
        let spec = crate::paths::root().join(crate::paths::SPEC);
        assert_eq!(super::render(&spec).unwrap(), super::render(&spec).unwrap());
    }
}
