//! Workspace automation for finpass-rs: `cargo xtask <command>` (see `cargo xtask --help`).
//! The commands live in the library (`lib.rs`); this file parses arguments and maps results to exit
//! codes: 0 = fine, 1 = the check found something (stale file, breaking change, drift), 2 = could not run
//! (bad arguments, a spec that fails the checks, an unreadable file; never a panic).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use xtask::gate::{self, FailOn, Format};
use xtask::{api_diff, bench, codegen, diff, drift, export, mock_cmd, paths, spec_check};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate, check, export, diff, drift-check and mock the Finpass spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate finpass-client/src/generated.rs from openapi/finpass.yaml.
    Generate,
    /// Fail (with a diff) when a checked-in generated file or openapi/dist is stale. Writes nothing.
    Check,
    /// Write openapi/dist/ (finpass.json, finpass.yaml, finpass.3.1.json): sorted, self-contained.
    Export,
    /// Breaking changes between two spec versions. Exit 1 when one fails the run (see --fail-on).
    Diff {
        /// Old side: a file, `REV:PATH`, or a git revision (meaning the --spec file at that revision).
        old: String,
        /// New side, same forms; defaults to the --spec file.
        new: Option<String>,
        /// The spec file (default: openapi/finpass.yaml of the current directory or a parent).
        #[arg(long)]
        spec: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// The least severe finding that fails the run.
        #[arg(long, value_enum, default_value = "breaking")]
        fail_on: FailOn,
        /// YAML list of `{fingerprint, reason}`: agreed changes that do not fail the run.
        #[arg(long)]
        accept: Option<PathBuf>,
    },
    /// Compare captured (or live) API responses with the spec. Exit 1 on drift. Never prints values.
    Drift {
        /// Directory of captures: JSON files {"method","path","status","body"[,"operation_id"]}.
        #[arg(long, required_unless_present = "live")]
        recorded: Option<PathBuf>,
        /// Call the operations marked `x-finpass.live-drift: true` (needs FINPASS_API_KEY/FINPASS_API_SECRET).
        #[arg(long, conflicts_with = "recorded")]
        live: bool,
        /// With --live: JSON object of arguments per operationId (e.g. a real `client_id`).
        #[arg(long, requires = "live")]
        args: Option<PathBuf>,
        /// The spec file (default: openapi/finpass.yaml of the current directory or a parent).
        #[arg(long)]
        spec: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// The least severe finding that fails the run.
        #[arg(long, value_enum, default_value = "breaking")]
        fail_on: FailOn,
        /// Findings listed in this file (written by --write-baseline) do not fail the run.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Write every finding of this run to FILE as the new baseline (0600), then report against it.
        #[arg(long, conflicts_with = "baseline")]
        write_baseline: Option<PathBuf>,
    },
    /// Serve the spec's examples on 127.0.0.1 until Ctrl-C (checks auth headers and request bodies).
    Mock {
        #[arg(long, default_value_t = 4010)]
        port: u16,
        /// The spec file (default: openapi/finpass.yaml of the current directory or a parent).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Breaking changes to the public Rust API of finpass-client since BASE. Exit 1 when there is one.
    ApiDiff {
        /// Git revision to compare the working tree with.
        #[arg(default_value = "HEAD")]
        base: String,
        #[arg(long, value_enum, default_value = "human")]
        format: ApiFormat,
    },
    /// Benchmarks: build and run the client metrics (release), time generation, write BENCHMARKS.md.
    Bench {
        /// Longer rounds than the default quick run.
        #[arg(long)]
        full: bool,
    },
}

/// Output of `api-diff`.
#[derive(Clone, Copy, ValueEnum)]
enum ApiFormat {
    Human,
    Json,
}

/// `Ok(true)`: the check passed; `Ok(false)`: it found something (exit 1).
fn run(task: Task) -> Result<bool> {
    match task {
        Task::Generate => {
            let verb = if codegen::generate()? {
                "wrote"
            } else {
                "unchanged:"
            };
            println!("{verb} the generated files of finpass-client and the README coverage table");
            Ok(true)
        }
        Task::Check => {
            // A broken spec is exit 2 with its file and line, before any generator sees it.
            let loaded = spec_check::load(&paths::root().join(paths::SPEC))?;
            // Run them all so one invocation lists every stale file.
            let results = [
                (
                    "the personal-data classification",
                    spec_check::check_personal(&loaded).map_err(anyhow::Error::from),
                ),
                ("the generated files of finpass-client", codegen::check()),
                ("openapi/dist/", export::check()),
            ];
            let mut fresh = true;
            for (what, result) in results {
                match result {
                    Ok(()) => println!("{what} is up to date"),
                    Err(e) => {
                        eprintln!("error: {e:#}\n");
                        fresh = false;
                    }
                }
            }
            Ok(fresh)
        }
        Task::Export => {
            let changed = export::export()?;
            for file in [export::JSON, export::YAML, export::JSON_31] {
                let verb = if changed.contains(&file) {
                    "wrote"
                } else {
                    "unchanged:"
                };
                println!("{verb} {file}");
            }
            Ok(true)
        }
        Task::Diff {
            old,
            new,
            spec,
            format,
            fail_on,
            accept,
        } => {
            // With both sides given, the spec path only matters for a bare revision.
            let spec = match (&new, spec) {
                (Some(_), None) => {
                    paths::default_spec().unwrap_or_else(|_| PathBuf::from(paths::SPEC))
                }
                (_, spec) => spec_or_default(spec)?,
            };
            let old = diff::load_side(&old, &spec)?;
            let new = match new {
                Some(new) => diff::load_side(&new, &spec)?,
                None => diff::load_side(&spec.display().to_string(), &spec)?,
            };
            let entries = match &accept {
                Some(file) => gate::load_entries(file)?,
                None => Vec::new(),
            };
            let changes = diff::compare(&old.spec, &new.spec);
            let subject = format!("comparing {} → {}", old.label, new.label);
            let outcome = gate::Outcome::new(
                "diff",
                subject,
                diff::findings(&old, &new, &changes),
                &entries,
                fail_on,
            );
            let extra = serde_json::json!({"old": old.label, "new": new.label});
            print!(
                "{}",
                gate::render(
                    &outcome,
                    format,
                    "changes",
                    extra.as_object().cloned().unwrap_or_default()
                )
            );
            Ok(outcome.passed())
        }
        Task::Drift {
            recorded,
            live,
            args,
            spec,
            format,
            fail_on,
            baseline,
            write_baseline,
        } => {
            let loaded = spec_check::load(&spec_or_default(spec)?)?;
            let dir = if live {
                let plan = xtask::live::plan(&loaded.spec, args.as_deref())?;
                eprintln!("calling {} live-drift operations", plan.len());
                let dir = xtask::live::capture(&plan)?;
                eprintln!("captures (redacted) in {}", dir.display());
                dir
            } else {
                recorded.context("--recorded DIR or --live is required")?
            };
            let report = drift::check_dir(&loaded.spec, &dir)?;
            let findings = drift::findings(&loaded, &report);
            let entries = match (&baseline, &write_baseline) {
                (Some(file), _) => gate::load_entries(file)?,
                (None, Some(file)) => {
                    let reason = format!("baseline of {}", dir.display());
                    gate::write_baseline(file, &findings, &reason)?;
                    eprintln!("wrote {} finding(s) to {}", findings.len(), file.display());
                    gate::load_entries(file)?
                }
                (None, None) => Vec::new(),
            };
            let subject = format!(
                "drift check of {} capture(s) in {} against {}",
                report.captures,
                dir.display(),
                loaded.file
            );
            let outcome = gate::Outcome::new("drift", subject, findings, &entries, fail_on);
            let mut extra = drift::render_json(&report);
            extra["drift"] = serde_json::json!(!outcome.passed());
            print!(
                "{}",
                gate::render(
                    &outcome,
                    format,
                    "findings",
                    extra.as_object().cloned().unwrap_or_default()
                )
            );
            Ok(outcome.passed())
        }
        Task::ApiDiff { base, format } => {
            let report = api_diff::run(&base)?;
            match format {
                ApiFormat::Human => print!("{}", api_diff::render_human(&base, &report)),
                ApiFormat::Json => println!("{:#}", api_diff::render_json(&base, &report)),
            }
            if report.is_breaking()
                && let Some((old, new)) = api_diff::breaking_bump(&paths::root(), &base)?
            {
                println!(
                    "allowed: finpass-client goes from {old} to {new}, a breaking release (README, Versioning)"
                );
                return Ok(true);
            }
            Ok(!report.is_breaking())
        }
        Task::Mock { port, spec } => mock_cmd::run(&spec_or_default(spec)?, port).map(|()| true),
        Task::Bench { full } => bench::run(full).map(|()| true),
    }
}

/// `--spec`, or the current directory's `openapi/finpass.yaml`.
fn spec_or_default(spec: Option<PathBuf>) -> Result<PathBuf> {
    match spec {
        Some(path) => Ok(path),
        None => paths::default_spec(),
    }
}

fn main() -> ExitCode {
    let task = Cli::parse().command;
    // Whatever happens inside (a generator panic the spec checks did not foresee), the exit code
    // stays 2 and no backtrace reaches the CI log.
    let result = spec_check::without_panics("xtask", "the xtask", || run(task));
    match result {
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
