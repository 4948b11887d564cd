//! Workspace automation for finpass-rs: `cargo xtask <command>` (see `cargo xtask --help`).
//! The commands live in the library (`lib.rs`); this file parses arguments and maps results to exit
//! codes: 0 = fine, 1 = the check found something (stale file, breaking change, drift), 2 = could not run.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use xtask::{api_diff, bench, codegen, diff, drift, export, mock_cmd, paths};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate, check, export, diff, drift-check and mock the Finpass spec"
)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate finpass-client/src/generated.rs from openapi/finpass.yaml.
    Generate,
    /// Fail (with a diff) when a checked-in generated file or openapi/dist is stale. Writes nothing.
    Check,
    /// Write openapi/dist/ (finpass.json, finpass.yaml, finpass.3.1.json): sorted, self-contained.
    Export,
    /// Breaking changes between two spec versions. Exit 1 when there is one.
    Diff {
        /// Old side: a file, `REV:PATH`, or a git revision (meaning openapi/finpass.yaml at that revision).
        old: String,
        /// New side, same forms; defaults to the working-tree openapi/finpass.yaml.
        new: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
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
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Serve the spec's examples on 127.0.0.1 until Ctrl-C (checks auth headers and request bodies).
    Mock {
        #[arg(long, default_value_t = 4010)]
        port: u16,
    },
    /// Breaking changes to the public Rust API of finpass-client since BASE. Exit 1 when there is one.
    ApiDiff {
        /// Git revision to compare the working tree with.
        #[arg(default_value = "HEAD")]
        base: String,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Benchmarks: build and run the client metrics (release), time generation, write BENCHMARKS.md.
    Bench {
        /// Longer rounds than the default quick run.
        #[arg(long)]
        full: bool,
    },
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
            // Run both so one invocation lists every stale file.
            let results = [
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
        Task::Diff { old, new, format } => {
            let (old_label, old_spec) = diff::load_side(&old)?;
            let (new_label, new_spec) = diff::load_side(new.as_deref().unwrap_or(paths::SPEC))?;
            let changes = diff::compare(&old_spec, &new_spec);
            match format {
                Format::Human => print!("{}", diff::render_human(&old_label, &new_label, &changes)),
                Format::Json => {
                    println!("{:#}", diff::render_json(&old_label, &new_label, &changes))
                }
            }
            Ok(!changes.iter().any(|c| c.breaking))
        }
        Task::Drift {
            recorded,
            live,
            args,
            format,
        } => {
            let spec = finpass_contract::Spec::from_yaml(&std::fs::read_to_string(
                paths::root().join(paths::SPEC),
            )?)?;
            let dir = if live {
                let dir =
                    std::env::temp_dir().join(format!("finpass-live-drift-{}", std::process::id()));
                let plan = xtask::live::plan(&spec, args.as_deref())?;
                eprintln!(
                    "calling {} live-drift operations; captures (redacted) in {}",
                    plan.len(),
                    dir.display()
                );
                xtask::live::capture(&plan, &dir)?
            } else {
                recorded.expect("clap requires --recorded without --live")
            };
            let report = drift::check_dir(&spec, &dir)?;
            match format {
                Format::Human => print!("{}", drift::render_human(&report)),
                Format::Json => println!("{:#}", drift::render_json(&report)),
            }
            Ok(!report.has_drift())
        }
        Task::ApiDiff { base, format } => {
            let report = api_diff::run(&base)?;
            match format {
                Format::Human => print!("{}", api_diff::render_human(&base, &report)),
                Format::Json => println!("{:#}", api_diff::render_json(&base, &report)),
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
        Task::Mock { port } => mock_cmd::run(port).map(|()| true),
        Task::Bench { full } => bench::run(full).map(|()| true),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
