//! Repository automation for finpass-rs: `cargo xtask <command>` (see `cargo xtask --help`).
//!
//! This file parses arguments and maps results to exit codes: 0 = fine, 1 = the check found something
//! (a stale file, a breaking change, drift), 2 = could not run (bad arguments, a spec that fails the
//! checks, an unreadable file; never a panic). `diff`, `drift` and `mock` are the `finpass-spec`
//! tool's, run here as `cargo run -p finpass-spec` with the same arguments.

#![forbid(unsafe_code)]

mod api_diff;
mod bench;
mod builder_setters;
mod callgrind;
mod codegen;
mod coverage;
mod doc_example;
mod docs;
mod enum_values;
/// How an error shows a server `message`, shared with finpass-client by path (its vocabulary is
/// generated here from the spec).
#[path = "../../finpass-client/src/error/message.rs"]
#[allow(
    dead_code,
    reason = "the xtask splits words; the client shows messages"
)]
mod error_message;
mod error_words;
mod facade;
mod json_schema;
mod paths;
mod patterns;
mod personal_debug;
mod personal_map;
mod progenitor_output;
mod request_builders;
mod setter_docs;
mod spec_meta;
#[cfg(test)]
mod tidy;

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use finpass_spec::{export, spec_check};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Generate and check finpass-client from the spec, gate its Rust API, run the benchmarks"
)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the generated files (finpass-client, the embedded spec copy, the README table).
    Generate,
    /// Fail (with a diff) when a generated file or openapi/dist is stale. Writes nothing.
    Check,
    /// Write openapi/dist/ (finpass.json, finpass.yaml, finpass.3.1.json): sorted, self-contained.
    Export,
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
    /// `finpass-spec diff …` (same arguments; `cargo xtask diff --help` shows them).
    #[command(disable_help_flag = true)]
    Diff {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// `finpass-spec drift …` (same arguments).
    #[command(disable_help_flag = true)]
    Drift {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// `finpass-spec mock …` (same arguments).
    #[command(disable_help_flag = true)]
    Mock {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
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
                ("every generated file", codegen::check()),
                (
                    "openapi/dist/",
                    export::check(&loaded, &paths::dist(), "cargo xtask export"),
                ),
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
            let loaded = spec_check::load(&paths::root().join(paths::SPEC))?;
            let changed = export::export(&loaded, &paths::dist())?;
            for file in [export::JSON, export::YAML, export::JSON_31] {
                let verb = if changed.contains(&file) {
                    "wrote"
                } else {
                    "unchanged:"
                };
                println!("{verb} openapi/dist/{file}");
            }
            Ok(true)
        }
        Task::ApiDiff { base, format } => {
            let report = api_diff::run(&base)?;
            match format {
                ApiFormat::Human => print!("{}", api_diff::render_human(&base, &report)),
                ApiFormat::Json => println!("{:#}", api_diff::render_json(&base, &report)),
            }
            if report.is_breaking()
                && let Some(reason) = api_diff::allowed_break(&paths::root(), &base)?
            {
                println!("allowed: {reason}");
                return Ok(true);
            }
            Ok(!report.is_breaking())
        }
        Task::Bench { full } => bench::run(full).map(|()| true),
        Task::Diff { args } => finpass_spec_tool("diff", &args),
        Task::Drift { args } => finpass_spec_tool("drift", &args),
        Task::Mock { args } => finpass_spec_tool("mock", &args),
    }
}

/// Runs `finpass-spec COMMAND ARGS…` from this checkout (built by cargo if needed), in the current
/// directory; its exit 1 is this command's.
fn finpass_spec_tool(command: &str, args: &[String]) -> Result<bool> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let manifest = paths::root().join("finpass-spec/Cargo.toml");
    let status = std::process::Command::new(cargo)
        .args(["run", "--quiet", "--manifest-path"])
        .arg(manifest)
        .args(["--bin", "finpass-spec", "--", command])
        .args(args)
        .status()
        .context("running finpass-spec")?;
    match status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        // It has said why (exit 2); keep its code.
        Some(code) => std::process::exit(code),
        None => anyhow::bail!("finpass-spec {command} was stopped ({status})"),
    }
}

fn main() -> ExitCode {
    let task = Cli::parse().command;
    // A generator panic the spec checks did not foresee still exits 2, without a backtrace.
    spec_check::exit_code("xtask", || run(task))
}
