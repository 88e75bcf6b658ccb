//! Lanes: the test phase of `cargo xtask test` as two sequences of commands run side by
//! side, each writing to its own log in `target/ci-logs/`.
//!
//! Most of the test phase waits rather than computes: the simulator's fault tests sit out
//! retries and back-offs, the E2E tests wait for a webview to draw. Run one after another
//! they took 17 minutes of a cold CI run on this 2-core machine; side by side the waits
//! overlap with the work of the other lanes. Every command was built before (the build
//! step), so no lane compiles and none waits on cargo's lock of the target folder.
//!
//! A failing command does not stop its lane (the rest still runs, as `--no-fail-fast`);
//! the phase fails at the end, printing the tail of each failed lane's log and its path.
//! On success each lane's test summaries (`test result:` lines) and fuzz lines are printed.

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, bail};

/// Commands run one after another.
pub struct Lane {
    pub name: &'static str,
    pub steps: Vec<(String, Command)>,
}

impl Lane {
    pub fn new(name: &'static str) -> Self {
        Lane {
            name,
            steps: Vec::new(),
        }
    }

    pub fn then(mut self, what: impl Into<String>, cmd: Command) -> Self {
        self.steps.push((what.into(), cmd));
        self
    }
}

/// What a lane did: its log, and the steps that failed.
struct Outcome {
    name: &'static str,
    log: PathBuf,
    failed: Vec<String>,
}

/// Runs `lanes` side by side and waits for all of them.
pub fn run(lanes: Vec<Lane>) -> anyhow::Result<()> {
    let dir = crate::util::target_dir().join("ci-logs");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let started = Instant::now();
    let handles: Vec<_> = lanes
        .into_iter()
        .map(|lane| {
            let dir = dir.clone();
            std::thread::spawn(move || run_lane(lane, &dir))
        })
        .collect();
    let mut outcomes = Vec::new();
    for h in handles {
        match h.join() {
            Ok(outcome) => outcomes.push(outcome?),
            Err(_) => bail!("a test lane's thread panicked"),
        }
    }
    eprintln!("<== test lanes: {:.0} s", started.elapsed().as_secs_f64());
    let mut failed = Vec::new();
    for o in &outcomes {
        if o.failed.is_empty() {
            summarize(o)?;
        } else {
            eprintln!(
                "\n---- lane {} failed ({}); the last lines of {}:",
                o.name,
                o.failed.join(", "),
                o.log.display()
            );
            eprintln!("{}", tail(&o.log, 150)?);
            failed.push(format!("{} ({})", o.name, o.failed.join(", ")));
        }
    }
    if !failed.is_empty() {
        bail!(
            "failed: {}; the whole logs are in {}",
            failed.join("; "),
            dir.display()
        );
    }
    Ok(())
}

fn run_lane(lane: Lane, dir: &Path) -> anyhow::Result<Outcome> {
    let log_path = dir.join(format!("{}.log", lane.name));
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {}", log_path.display()))?;
    let mut failed = Vec::new();
    for (what, mut cmd) in lane.steps {
        eprintln!("==> [{}] {what}", lane.name);
        let started = Instant::now();
        writeln!(&log, "==> {what}")?;
        let status = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log.try_clone()?)
            .status()
            .with_context(|| format!("{what}: could not start {:?}", cmd.get_program()))?;
        let secs = started.elapsed().as_secs_f64();
        writeln!(&log, "<== {what}: {secs:.0} s ({status})")?;
        if status.success() {
            eprintln!("<== [{}] {what}: {secs:.0} s", lane.name);
        } else {
            eprintln!(
                "<== [{}] {what}: FAILED after {secs:.0} s ({status})",
                lane.name
            );
            failed.push(what);
        }
    }
    Ok(Outcome {
        name: lane.name,
        log: log_path,
        failed,
    })
}

/// The lane's test summaries and fuzz results, so a green run still shows what it ran.
fn summarize(o: &Outcome) -> anyhow::Result<()> {
    let file = std::fs::File::open(&o.log)?;
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line?;
        let t = line.trim_start();
        if t.starts_with("test result:") || t.starts_with("==> ") || t.starts_with("{\"target\"") {
            lines.push(t.to_owned());
        }
    }
    eprintln!("---- lane {} ({}):", o.name, o.log.display());
    for l in lines {
        eprintln!("  {l}");
    }
    Ok(())
}

fn tail(path: &Path, n: usize) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let lines: Vec<&str> = text.lines().collect();
    Ok(lines[lines.len().saturating_sub(n)..].join("\n"))
}
