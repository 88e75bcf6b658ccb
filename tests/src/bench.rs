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
