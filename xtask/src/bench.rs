//! `cargo xtask bench`: the issue-6 metrics in one run. The client metrics come from the
//! `finpass-client` bench target `metrics` (built in the bench profile, i.e. release); generation is
//! timed here, in-process, because this binary is exactly what `cargo xtask generate` runs.
//! Prints `name: value` lines and rewrites the results block of `BENCHMARKS.md`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{codegen, paths};

pub const OUTPUT: &str = "BENCHMARKS.md";
const START: &str = "<!-- bench:start (written by `cargo xtask bench`) -->";
const END: &str = "<!-- bench:end -->";

/// The metrics, in its order, with their goals.
const GOALS: &[(&str, Goal)] = &[
    ("call_overhead_ratio", Goal::AtMost(1.05)),
    // Client-thread instructions per call against raw reqwest (only when valgrind is installed).
    ("call_instructions_ratio", Goal::AtMost(1.10)),
    ("concurrent_throughput_ratio", Goal::AtLeast(0.95)),
    ("decode_ratio", Goal::AtMost(0.8)),
    ("decode_peak_rss_ratio", Goal::AtMost(3.0)),
    ("validation_per_sec", Goal::AtLeast(50_000.0)),
    ("generate_seconds", Goal::AtMost(0.5)),
    // A loopback 200 that streams 4 GiB without a length (the client runs in a child process, whose
    // own peak RSS is measured): the default 64 MiB cap + 16 MiB, and an error within a second.
    ("hostile_body_peak_rss_mb", Goal::AtMost(64.0 + 16.0)),
    ("hostile_body_seconds", Goal::Below(1.0)),
];

#[derive(Clone, Copy)]
enum Goal {
    AtMost(f64),
    AtLeast(f64),
    Below(f64),
}

impl Goal {
    fn met(self, value: f64) -> bool {
        match self {
            Goal::AtMost(limit) => value <= limit,
            Goal::AtLeast(limit) => value >= limit,
            Goal::Below(limit) => value < limit,
        }
    }
    fn text(self) -> String {
        match self {
            Goal::AtMost(limit) => format!("≤ {limit}"),
            Goal::AtLeast(limit) => format!("≥ {limit}"),
            Goal::Below(limit) => format!("< {limit}"),
        }
    }
}

/// The bench command, without the harness flag. It must build cold in well under 5 minutes on 2 cores:
/// no default features (the loopback server speaks plain HTTP, so rustls/aws-lc are not needed), and
/// the dev-dependencies no benchmark runs (test-only crates) are built unoptimised.
const CARGO_ARGS: &[&str] = &[
    "bench",
    "-p",
    "finpass-client",
    "--no-default-features",
    "--bench",
    "metrics",
    "--config",
    "profile.bench.package.httpmock.opt-level=0",
    "--config",
    "profile.bench.package.proptest.opt-level=0",
    "--config",
    "profile.bench.package.similar.opt-level=0",
];

/// Runs everything, prints the metrics, and writes `BENCHMARKS.md`. `full` runs longer rounds.
pub fn run(full: bool) -> Result<()> {
    let root = paths::root();
    let harness_flag = if full { None } else { Some("--quick") };
    let started = Instant::now();
    let mut metrics = client_metrics(&root, harness_flag)?;
    match crate::callgrind::call_instructions(&bench_binary(&root)?)? {
        Some(counts) => metrics.extend(counts),
        None => eprintln!("valgrind is not installed: no instruction counts this run"),
    }
    let runs = if full { 7 } else { 3 };
    metrics.push(("generate_seconds".into(), generate_seconds(&root, runs)?));
    let total = started.elapsed().as_secs_f64();

    let headline = |name: &str| metrics.iter().find(|(n, _)| n == name);
    for (name, _) in GOALS {
        let optional = *name == "call_instructions_ratio";
        match headline(name) {
            Some((_, value)) => println!("{name}: {}", number(*value)),
            None if optional => {}
            None => bail!("no `{name}` measured"),
        }
    }
    for (name, value) in &metrics {
        if !GOALS.iter().any(|(goal, _)| goal == name) {
            println!("{name}: {}", number(*value));
        }
    }

    let command = match harness_flag {
        Some(flag) => format!("cargo {} -- {flag}", CARGO_ARGS.join(" ")),
        None => format!("cargo {}", CARGO_ARGS.join(" ")),
    };
    let block = results_block(&metrics, &command, full, total);
    let path = root.join(OUTPUT);
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, splice(&existing, &block))
        .with_context(|| format!("writing {OUTPUT}"))?;
    eprintln!("wrote {OUTPUT} ({total:.0} s)");
    Ok(())
}

/// Builds (bench profile) and runs the `metrics` harness; parses its `name: value` lines.
fn client_metrics(root: &Path, flag: Option<&str>) -> Result<Vec<(String, f64)>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args(CARGO_ARGS);
    if let Some(flag) = flag {
        cmd.args(["--", flag]);
    }
    let output = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo bench")?;
    if !output.status.success() {
        bail!("`cargo bench --bench metrics` failed ({})", output.status);
    }
    let stdout = String::from_utf8(output.stdout).context("bench output is not UTF-8")?;
    let metrics: Vec<_> = stdout.lines().filter_map(parse_line).collect();
    if metrics.is_empty() {
        bail!("`cargo bench --bench metrics` printed no metrics:\n{stdout}");
    }
    Ok(metrics)
}

/// The path of the `metrics` bench binary that [`client_metrics`] just built.
fn bench_binary(root: &Path) -> Result<std::path::PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(CARGO_ARGS)
        .args(["--no-run", "--message-format=json-render-diagnostics"])
        .stderr(Stdio::inherit())
        .output()
        .context("locating the metrics bench binary")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "metrics")
        .find_map(|m| m["executable"].as_str().map(std::path::PathBuf::from))
        .context("cargo reported no `metrics` bench executable")
}

fn parse_line(line: &str) -> Option<(String, f64)> {
    let (name, value) = line.split_once(": ")?;
    let name = name.trim();
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    valid.then_some((name.to_owned(), value.trim().parse().ok()?))
}

/// Median wall time of `codegen::render` (parse, progenitor, prettyplease, rustfmt passes), after one
/// warm-up run. Nothing is written.
fn generate_seconds(root: &Path, runs: usize) -> Result<f64> {
    let spec = root.join(paths::SPEC);
    codegen::render(&spec)?;
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        std::hint::black_box(codegen::render(&spec)?);
        samples.push(started.elapsed().as_secs_f64());
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}

fn number(value: f64) -> String {
    if value.abs() >= 1000.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.3}")
    }
}

fn results_block(metrics: &[(String, f64)], command: &str, full: bool, total: f64) -> String {
    let mut out = format!("{START}\n\n");
    out.push_str(&format!(
        "Measured {} on {}; `cargo xtask bench{}` took {total:.0} s including the build.\n\n",
        shell("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        machine(),
        if full { " --full" } else { "" },
    ));
    out.push_str(&format!(
        "Client metrics: `{command}`. `generate_seconds`: `codegen::render` in the xtask binary \
         (what `cargo xtask generate` runs), median of {} runs. Commit `{}`, {}.\n\n",
        if full { 7 } else { 3 },
        shell("git", &["describe", "--always", "--dirty"]),
        shell("rustc", &["--version"]),
    ));
    out.push_str("| metric | value | goal | verdict |\n|---|---|---|---|\n");
    for (name, goal) in GOALS {
        if let Some((_, value)) = metrics.iter().find(|(n, _)| n == name) {
            let verdict = if goal.met(*value) { "met" } else { "missed" };
            out.push_str(&format!(
                "| `{name}` | {} | {} | {verdict} |\n",
                number(*value),
                goal.text()
            ));
        }
    }
    out.push_str("\nContext (same run):\n\n| measurement | value |\n|---|---|\n");
    for (name, value) in metrics {
        if !GOALS.iter().any(|(goal, _)| goal == name) {
            out.push_str(&format!("| `{name}` | {} |\n", number(*value)));
        }
    }
    out.push_str(&format!("\n{END}"));
    out
}

/// Replaces the results block, keeping the handwritten analysis around it.
fn splice(existing: &str, block: &str) -> String {
    match (existing.find(START), existing.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!(
                "{}{block}{}",
                &existing[..start],
                &existing[end + END.len()..]
            )
        }
        _ => format!("# Benchmarks\n\n{block}\n"),
    }
}

/// `nproc`, CPU model and memory, from the standard library and /proc.
fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = proc_field(&cpuinfo, "model name").unwrap_or("unknown CPU");
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = proc_field(&meminfo, "MemTotal")
        .and_then(|v| v.trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or_else(
            || "unknown".into(),
            |kb| format!("{:.1}", kb / 1024.0 / 1024.0),
        );
    format!(
        "{cpus} CPUs ({model}), {mem_gib} GiB RAM, {}",
        std::env::consts::OS
    )
}

fn proc_field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim() == key))
        .map(|(_, v)| v.trim())
}

fn shell(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "unknown".into(), |s| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_lines_parse_and_other_lines_do_not() {
        assert_eq!(
            parse_line("decode_ratio: 0.2500"),
            Some(("decode_ratio".into(), 0.25))
        );
        assert_eq!(parse_line("   Compiling foo v1: 2"), None);
        assert_eq!(parse_line("decode_ratio: fast"), None);
    }

    #[test]
    fn below_is_strict() {
        assert!(Goal::Below(1.0).met(0.999));
        assert!(!Goal::Below(1.0).met(1.0));
        assert_eq!(Goal::Below(1.0).text(), "< 1");
    }

    #[test]
    fn splice_keeps_the_handwritten_text() {
        let old = format!("# B\n\nintro\n\n{START}\nold\n{END}\n\n## Analysis\nkept\n");
        let new = splice(&old, &format!("{START}\nnew\n{END}"));
        assert_eq!(
            new,
            format!("# B\n\nintro\n\n{START}\nnew\n{END}\n\n## Analysis\nkept\n")
        );
        assert!(splice("", "X").contains('X'));
    }
}
