//! Small helpers for running commands and reporting steps.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_owned()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set (relative to the root), else `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// A `cargo` command run from the workspace root, with the same toolchain as this process.
pub fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args).current_dir(root());
    cmd
}

/// Runs `cmd` with inherited output, naming `what` when it fails.
pub fn step(what: &str, mut cmd: Command) -> anyhow::Result<()> {
    eprintln!("==> {what}");
    let started = std::time::Instant::now();
    let status = cmd
        .status()
        .with_context(|| format!("{what}: could not start {:?}", cmd.get_program()))?;
    // Each step's time, so a slow CI run says which step grew.
    eprintln!("<== {what}: {:.0} s", started.elapsed().as_secs_f64());
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its stdout, or `None` if it cannot run or fails.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A test executable `cargo test --no-run` built: its package's folder, the target's kind
/// (`lib`, `bin`, `test`, `bench`) and name.
#[derive(Debug, Clone)]
pub struct TestExe {
    pub dir: PathBuf,
    pub kind: String,
    pub name: String,
    pub path: PathBuf,
}

impl TestExe {
    /// The executable as `cargo test` runs it: from its package's folder.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.path);
        cmd.current_dir(&self.dir);
        cmd
    }
}

/// Runs `cargo test --no-run` with `args` (diagnostics and progress on stderr) and answers
/// every test executable it built (unit-test harnesses of libraries and binaries, integration
/// tests, benchmarks), not the plain binaries built for the tests to start.
pub fn build_tests(what: &str, args: &[&str]) -> anyhow::Result<Vec<TestExe>> {
    use std::io::BufRead as _;
    eprintln!("==> {what}");
    let started = std::time::Instant::now();
    let mut all = vec![
        "test",
        "--no-run",
        "--message-format=json-render-diagnostics",
    ];
    all.extend_from_slice(args);
    let mut child = cargo(&all)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("{what}: could not start cargo"))?;
    let stdout = child.stdout.take().context("cargo's output")?;
    let mut exes = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line?;
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(path) = msg["executable"].as_str() else {
            continue;
        };
        if msg["reason"] != "compiler-artifact" {
            continue;
        }
        let kind = msg["target"]["kind"][0]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let harness = msg["profile"]["test"].as_bool().unwrap_or(false);
        // A plain binary (`bin` without the test harness) is what a test starts, not a test.
        if !(harness || kind == "test" || kind == "bench") {
            continue;
        }
        let dir = msg["manifest_path"]
            .as_str()
            .map(PathBuf::from)
            .and_then(|p| p.parent().map(PathBuf::from))
            .unwrap_or_else(root);
        exes.push(TestExe {
            dir,
            kind,
            name: msg["target"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            path: PathBuf::from(path),
        });
    }
    let status = child.wait()?;
    eprintln!("<== {what}: {:.0} s", started.elapsed().as_secs_f64());
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(exes)
}
