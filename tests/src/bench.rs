//! Helpers for the app benchmarks (`tests/benches/`): one Xvfb and one `tauri-driver` kept for
//! many app starts, each start a new WebDriver session (so a new app process) on a data
//! folder the benchmark prepared; percentiles; the app processes still alive.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use fantoccini::{Client, ClientBuilder};

use crate::process::{Proc, Xvfb, tauri_driver};
use crate::ui::timed;

/// Milliseconds since the Unix epoch, as `Date.now()` counts them in the page.
pub fn epoch_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64() * 1000.0)
        .unwrap_or(0.0)
}

/// The `p`-th percentile (0..=100) of `samples`, nearest rank; `NaN` when empty.
pub fn percentile(samples: &[f64], p: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Rounds to 0.1 ms for the JSON output.
pub fn round(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

/// An Xvfb and a `tauri-driver` (with its `WebKitWebDriver`) that outlive many sessions.
/// The app's environment is fixed when the driver starts (it is inherited down to the app),
/// so the data folder is one path the benchmark refills between starts.
pub struct AppDriver {
    port: u16,
    app: PathBuf,
    _driver: Proc,
    _xvfb: Xvfb,
}

impl std::fmt::Debug for AppDriver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppDriver")
            .field("port", &self.port)
            .field("app", &self.app)
            .finish()
    }
}

impl AppDriver {
    /// Starts Xvfb and tauri-driver; `env` is what every app started through it gets.
    pub fn start(app: &Path, env: &[(&str, &OsStr)], log: &Path) -> anyhow::Result<Self> {
        anyhow::ensure!(app.exists(), "{} is missing: build it first", app.display());
        let xvfb = Xvfb::start()?;
        let (driver, port) = tauri_driver(xvfb.display(), env, log)?;
        let _already_installed = rustls::crypto::ring::default_provider()
            .install_default()
            .is_err();
        Ok(Self {
            port,
            app: app.to_owned(),
            _driver: driver,
            _xvfb: xvfb,
        })
    }

    /// The X display the apps run on.
    pub fn display(&self) -> &str {
        self._xvfb.display()
    }

    /// A new WebDriver session: WebKitWebDriver starts a new app process for it.
    pub async fn session(&self) -> anyhow::Result<Client> {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": self.app.to_string_lossy() }),
        );
        timed(
            "new WebDriver session",
            ClientBuilder::rustls()?
                .capabilities(caps)
                .connect(&format!("http://127.0.0.1:{}", self.port)),
        )
        .await?
        .context("creating the WebDriver session")
    }

    /// Ends `client`'s session and waits until no process of the app binary is left.
    pub async fn end(&self, client: Client) -> anyhow::Result<()> {
        if let Err(e) = timed("close session", client.close()).await {
            eprintln!("closing the WebDriver session: {e:#}");
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = running(&self.app);
            if left.is_empty() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the app ({left:?}) is still running 10 s after its session ended");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Process ids whose executable is `exe` (Linux `/proc`).
pub fn running(exe: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p.as_path() == exe)
        })
        .collect()
}

/// One process of an app's tree and what it holds in memory (`/proc/PID/smaps_rollup`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProcMemory {
    pub pid: u32,
    /// `/proc/PID/comm`, e.g. `WebKitWebProces` (the kernel cuts it at 15 bytes).
    pub name: String,
    /// Proportional set size: private pages plus its share of pages other processes map too,
    /// so the sum over processes counts a shared library once.
    pub pss_kb: u64,
    pub rss_kb: u64,
}

/// The processes `root` spawned, at any depth (their parent chain leads to it).
fn descendants(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_str()?.parse::<u32>().ok()?;
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // After the parenthesised name: state, then the parent's pid.
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            Some((pid, ppid))
        })
        .collect();
    let mut tree = vec![root];
    let mut at = 0;
    while at < tree.len() {
        let parent = tree[at];
        tree.extend(
            parents
                .iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(p, _)| *p),
        );
        at += 1;
    }
    tree
}

/// The memory of `root` and every process under it (the app, WebKit's web and network
/// processes). A process that ended while it was read is left out.
pub fn tree_memory(root: u32) -> Vec<ProcMemory> {
    let field = |text: &str, name: &str| -> Option<u64> {
        text.lines()
            .find_map(|l| l.strip_prefix(name))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    descendants(root)
        .into_iter()
        .filter_map(|pid| {
            let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let name = std::fs::read_to_string(format!("/proc/{pid}/comm")).ok()?;
            Some(ProcMemory {
                pid,
                name: name.trim().to_owned(),
                pss_kb: field(&rollup, "Pss:")?,
                rss_kb: field(&rollup, "Rss:")?,
            })
        })
        .collect()
}

/// Copies the folder `from` (files and subfolders) to `to`, which must not exist.
pub fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to).with_context(|| format!("creating {}", to.display()))?;
    for entry in std::fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)
                .with_context(|| format!("copying {}", entry.path().display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_memory_counts_a_child_once_and_ends_with_it() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("spawning sleep");
        let me = std::process::id();
        let tree = tree_memory(me);
        let ours = tree
            .iter()
            .find(|p| p.pid == me)
            .expect("this process is in its tree");
        assert!(ours.pss_kb > 0 && ours.rss_kb >= ours.pss_kb, "{ours:?}");
        let sleep = tree.iter().filter(|p| p.pid == child.id()).count();
        assert_eq!(sleep, 1, "the child is listed once: {tree:?}");
        child.kill().ok();
        child.wait().ok();
        assert!(
            tree_memory(me).iter().all(|p| p.pid != child.id()),
            "an ended child is not counted"
        );
    }
}
