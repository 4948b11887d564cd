//! `finpass-spec`: check, export, diff, drift-check and mock the Finpass spec (see `--help`).
//!
//! This file parses arguments and maps results to exit codes: 0 = fine, 1 = the check found something
//! (stale export, breaking change, drift), 2 = could not run (bad arguments, a spec that fails the
//! checks, an unreadable file; never a panic). The commands live in the library.

#![forbid(unsafe_code)]

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use finpass_spec::gate::{self, FailOn, Format};
use finpass_spec::source::SpecSource;
use finpass_spec::{diff, drift, export, live, mock_cmd, spec_check};

#[derive(Parser)]
#[command(
    name = "finpass-spec",
    version,
    about = "Check, export, diff, drift-check and mock the Finpass spec",
    after_help = "Without --spec, a command reads openapi/finpass.yaml of the current directory (or of \
                  a parent inside the same git checkout), else the spec embedded in this build."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check the spec; in a checkout, also fail (with a diff) when its dist/ export is stale.
    Check {
        /// The spec file (default: see below).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
    /// Write the export (finpass.json, finpass.yaml, finpass.3.1.json): sorted, self-contained.
    Export {
        /// The spec file (default: see below).
        #[arg(long)]
        spec: Option<PathBuf>,
        /// Output directory (default: dist/ beside the spec file; required for the embedded spec).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Breaking changes between two spec versions. Exit 1 when one fails the run (see --fail-on).
    Diff {
        /// Old side: a file, `REV:PATH`, or a git revision (meaning the --spec file at that revision).
        old: String,
        /// New side, same forms; defaults to the spec (--spec, the checkout's, or the embedded one).
        new: Option<String>,
        /// The spec file (default: see below).
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
        /// The spec file (default: see below).
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
        /// The spec file (default: see below).
        #[arg(long)]
        spec: Option<PathBuf>,
    },
}

/// `Ok(true)`: the check passed; `Ok(false)`: it found something (exit 1).
fn run(command: Command) -> Result<bool> {
    match command {
        Command::Check { spec } => {
            let source = SpecSource::locate(spec)?;
            let loaded = source.load()?;
            println!("{source} passes the spec checks");
            // Every value that looks like a person's data is classified (`x-finpass-personal`).
            let classified = match spec_check::check_personal(&loaded) {
                Ok(()) => true,
                Err(e) => {
                    eprintln!("error: {e}\n");
                    false
                }
            };
            let Some(dist) = source.file().map(dist_beside).filter(|d| d.is_dir()) else {
                return Ok(classified);
            };
            match export::check(&loaded, &dist, "finpass-spec export") {
                Ok(()) => {
                    println!("{} is up to date", dist.display());
                    Ok(classified)
                }
                Err(e) => {
                    eprintln!("error: {e:#}\n");
                    Ok(false)
                }
            }
        }
        Command::Export { spec, out } => {
            let source = SpecSource::locate(spec)?;
            let out = match (out, source.file()) {
                (Some(out), _) => out,
                (None, Some(file)) => dist_beside(file),
                (None, None) => anyhow::bail!(
                    "exporting the embedded spec needs --out DIR (there is no spec file to put dist/ beside)"
                ),
            };
            let changed = export::export(&source.load()?, &out)?;
            for file in [export::JSON, export::YAML, export::JSON_31] {
                let verb = if changed.contains(&file) {
                    "wrote"
                } else {
                    "unchanged:"
                };
                println!("{verb} {}", out.join(file).display());
            }
            Ok(true)
        }
        Command::Diff {
            old,
            new,
            spec,
            format,
            fail_on,
            accept,
        } => {
            let source = SpecSource::locate(spec)?;
            let old = diff::load_side(&old, &source)?;
            let new = match new {
                Some(new) => diff::load_side(&new, &source)?,
                None => diff::Loaded {
                    label: source.to_string(),
                    spec: source.load()?,
                },
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
        Command::Drift {
            recorded,
            live,
            args,
            spec,
            format,
            fail_on,
            baseline,
            write_baseline,
        } => {
            let loaded = SpecSource::locate(spec)?.load()?;
            let dir = if live {
                let plan = live::plan(&loaded.spec, args.as_deref())?;
                eprintln!("calling {} live-drift operations", plan.len());
                let dir = live::capture(&plan, finpass_client::Finpass::builder().from_env())?;
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
        Command::Mock { port, spec } => {
            mock_cmd::run(&SpecSource::locate(spec)?, port).map(|()| true)
        }
    }
}

/// `dist/` beside a spec file (`openapi/dist` for `openapi/finpass.yaml`).
fn dist_beside(spec: &std::path::Path) -> PathBuf {
    spec.parent()
        .unwrap_or(std::path::Path::new(""))
        .join("dist")
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    spec_check::exit_code("finpass-spec", || run(command))
}
