//! Workspace automation for finpass-rs: `cargo xtask <command>` (see `cargo xtask --help`).

mod codegen;
mod facade;
mod freshness;
mod paths;
mod spec_meta;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Generate, check and serve the Finpass client from openapi/finpass.yaml")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate finpass-client/src/generated.rs from openapi/finpass.yaml.
    Generate,
    /// Fail (with a diff) when a checked-in generated file is stale. Writes nothing.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Task::Generate => codegen::generate().map(|changed| {
            let verb = if changed { "wrote" } else { "unchanged:" };
            println!("{verb} {}", codegen::GENERATED);
        }),
        Task::Check => codegen::check().map(|()| println!("{} is up to date", codegen::GENERATED)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
