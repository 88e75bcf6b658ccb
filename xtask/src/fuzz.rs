//! `cargo xtask fuzz [--seconds N] [TARGET]`: the coverage-guided fuzz targets of
//! `crates/lastmile-fuzz` under AFL++ for a bounded time each.
//!
//! The engine is AFL++ through cargo-afl (stable Rust: `cargo afl build` instruments with
//! LLVM's SanitizerCoverage flags rustc accepts on stable and links AFL++'s runtime, which
//! `cargo install cargo-afl` builds). Each run starts from the seed corpus in the repository;
//! its findings stay in `target/afl/out/<target>/` and a crash fails the run with the command
//! that replays it.

use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

use crate::util::{self, step};

pub const CARGO_AFL_VERSION: &str = "0.18.2";

/// The fuzz targets: the folders of the seed corpus, named as `lastmile_fuzz::TARGETS`
/// (a test there checks that the two agree).
pub fn targets() -> anyhow::Result<Vec<String>> {
    let dir = util::root().join("crates/lastmile-fuzz/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    Ok(names)
}

/// Installs cargo-afl (which builds its AFL++ and the runtime for this rustc), idempotently.
pub fn setup() -> anyhow::Result<()> {
    let installed = util::output(&mut util::cargo(&["install", "--list"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.starts_with(&format!("cargo-afl v{CARGO_AFL_VERSION}:")))
    {
        step(
            "cargo install cargo-afl",
            util::cargo(&[
                "install",
                "cargo-afl",
                "--version",
                CARGO_AFL_VERSION,
                "--locked",
            ]),
        )?;
    }
    // Builds AFL++ and its runtime for this rustc if they are missing; when they are there it
    // refuses ("already built"), which is fine: `cargo afl build` names anything still wrong.
    let _already_built =
        util::output(util::cargo(&["afl", "config", "--build"]).env("RUST_BACKTRACE", "0"));
    Ok(())
}

fn afl_dir() -> PathBuf {
    util::target_dir().join("afl")
}

/// Builds the instrumented harness and runs `targets` for `seconds` each; one JSON line per
/// target (executions, corpus size, crashes). Fails if any target crashed.
pub fn run(seconds: u64, targets: &[String]) -> anyhow::Result<()> {
    setup()?;
    let mut build = util::cargo(&["afl", "build", "-p", "lastmile-fuzz"]);
    build.env("CARGO_TARGET_DIR", afl_dir());
    step("cargo afl build -p lastmile-fuzz", build)?;
    let harness = afl_dir().join("debug/lastmile-fuzz");
    let mut crashed = Vec::new();
    for target in targets {
        let out = afl_dir().join("out").join(target);
        if out.exists() {
            std::fs::remove_dir_all(&out).with_context(|| format!("clearing {}", out.display()))?;
        }
        std::fs::create_dir_all(&out)?;
        let corpus = util::root()
            .join("crates/lastmile-fuzz/corpus")
            .join(target);
        let log = std::fs::File::create(out.join("afl.log"))?;
        eprintln!("==> fuzz {target} for {seconds} s");
        let status = util::cargo(&["afl", "fuzz", "-V", &seconds.to_string(), "-i"])
            .arg(&corpus)
            .arg("-o")
            .arg(&out)
            .arg("--")
            .arg(&harness)
            .arg(target)
            .env("AFL_NO_UI", "1")
            .env("AFL_SKIP_CPUFREQ", "1")
            .env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1")
            .env("AFL_NO_AFFINITY", "1")
            .stdout(log.try_clone()?)
            .stderr(log)
            .status()
            .context("running cargo afl fuzz")?;
        let stats =
            std::fs::read_to_string(out.join("default/fuzzer_stats")).with_context(|| {
                format!(
                    "AFL++ wrote no statistics for {target} ({status}); see {}",
                    out.join("afl.log").display()
                )
            })?;
        let stat = |key: &str| -> u64 {
            stats
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    (k.trim() == key).then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0)
        };
        let crashes = crash_files(&out.join("default/crashes"));
        println!(
            "{{\"target\":\"{target}\",\"seconds\":{seconds},\"execs\":{},\"execs_per_sec\":{},\"corpus\":{},\"crashes\":{}}}",
            stat("execs_done"),
            stat("execs_done") / seconds.max(1),
            stat("corpus_count"),
            crashes.len()
        );
        for file in &crashes {
            crashed.push(format!(
                "cargo run -p lastmile-fuzz -- {target} {}",
                file.display()
            ));
        }
    }
    if !crashed.is_empty() {
        bail!(
            "fuzzing found {} crash(es); replay each, minimise it (`cargo afl tmin`), fix the parser and keep the file in crates/lastmile-fuzz/crashes/<target>/ with a test:\n{}",
            crashed.len(),
            crashed.join("\n")
        );
    }
    Ok(())
}

fn crash_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("id:"))
        })
        .collect();
    files.sort();
    files
}

/// `cargo xtask fuzz [--seconds N] [TARGET...]` (default: every target, 60 s each).
pub fn command(args: &[&str]) -> anyhow::Result<()> {
    let all = targets()?;
    let mut seconds = 60;
    let mut chosen: Vec<String> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--seconds" => {
                seconds = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .context("--seconds takes a whole number")?;
            }
            t if all.iter().any(|a| a == t) => chosen.push(t.to_owned()),
            other => bail!(
                "unknown fuzz target or flag `{other}` (targets: {})",
                all.join(", ")
            ),
        }
    }
    if chosen.is_empty() {
        chosen = all;
    }
    run(seconds, &chosen)
}
