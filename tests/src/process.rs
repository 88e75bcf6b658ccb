//! Child processes that die with the test: own process group, killed as a group on drop.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// A running child in its own process group. Dropping it kills the whole group.
#[derive(Debug)]
pub struct Proc {
    name: String,
    child: Child,
}

impl Proc {
    /// Spawns `cmd` as the leader of a new process group; stdout/stderr go to `log` if given.
    pub fn spawn(name: &str, mut cmd: Command, log: Option<&Path>) -> anyhow::Result<Self> {
        cmd.process_group(0).stdin(Stdio::null());
        if let Some(log) = log {
            let file = std::fs::File::create(log)
                .with_context(|| format!("creating {}", log.display()))?;
            cmd.stderr(file.try_clone()?);
            cmd.stdout(file);
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {name} ({:?})", cmd.get_program()))?;
        Ok(Self {
            name: name.to_owned(),
            child,
        })
    }

    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.child
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// True while the process has not exited.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Sends `signal` to the whole group.
    pub fn signal_group(&self, signal: Signal) {
        // The group may be gone already; that is the state we want.
        killpg(Pid::from_raw(self.child.id() as i32), signal).ok();
    }

    /// SIGKILL to the group, then reap the leader.
    pub fn kill(&mut self) {
        self.signal_group(Signal::SIGKILL);
        self.child.wait().ok();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.signal_group(Signal::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if !self.is_running() {
                // The leader is gone; make sure nothing of its group lingers.
                self.signal_group(Signal::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!(
            "{} did not stop on SIGTERM; killing its process group",
            self.name
        );
        self.kill();
    }
}

/// A port on 127.0.0.1 for a child to listen on (tauri-driver's two). It lies below the
/// kernel's ephemeral range, so no test server binding `:0` can be handed it before the child
/// binds it, and it differs from every other port this process chose.
pub fn free_port() -> anyhow::Result<u16> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let ephemeral_low = u32::from(ephemeral_low().unwrap_or(32768).max(2048));
    let span = (ephemeral_low - 1024).min(8000);
    let base = ephemeral_low - span;
    let start = std::process::id() % span;
    for _ in 0..span {
        let port = base + (start + NEXT.fetch_add(1, Ordering::Relaxed)) % span;
        let port = u16::try_from(port)?;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return Ok(port);
        }
    }
    bail!("no free port on 127.0.0.1 in {base}..{ephemeral_low}")
}

/// The first port of the kernel's ephemeral range (what a bind to port 0 is handed from).
fn ephemeral_low() -> Option<u16> {
    std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The first line a child writes to `stdout`, waiting at most `timeout`; with the stdout back
/// (to keep the pipe open, or drop it).
fn first_line(stdout: ChildStdout, timeout: Duration) -> anyhow::Result<(String, ChildStdout)> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let read = reader.read_line(&mut line);
        // The receiver may have given up already; nothing else to tell then.
        tx.send(read.map(|_| (line, reader.into_inner()))).ok();
    });
    match rx.recv_timeout(timeout) {
        Ok(read) => Ok(read?),
        Err(_) => bail!("no line within {timeout:?}"),
    }
}

/// Waits until something accepts connections on `port`, or fails after `timeout`.
pub fn wait_for_port(port: u16, timeout: Duration, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    bail!("{what} did not listen on port {port} within {timeout:?}")
}

/// An Xvfb server on a display nobody else uses.
#[derive(Debug)]
pub struct Xvfb {
    _proc: Proc,
    display: String,
    /// Xvfb's stdout, kept open: it wrote the display number there (`-displayfd 1`).
    _stdout: ChildStdout,
}

impl Xvfb {
    /// Starts Xvfb and lets *it* choose a free display (`-displayfd`): it takes the display's
    /// lock file atomically and reports the number once it accepts connections. (Picking a
    /// number here from absent lock files raced: two tests starting together both chose the
    /// same one, the second Xvfb exited, and that test's app ran on the first test's display,
    /// dying silently when the first test ended and killed its Xvfb.)
    pub fn start() -> anyhow::Result<Self> {
        let mut cmd = Command::new("Xvfb");
        cmd.args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x800x24",
            "-nolisten",
            "tcp",
        ]);
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        let mut proc = Proc::spawn("Xvfb", cmd, None)
            .context("is Xvfb installed? `cargo xtask setup` installs it")?;
        let stdout = proc.child_mut().stdout.take().context("Xvfb's stdout")?;
        let (line, stdout) = first_line(stdout, Duration::from_secs(15))
            .context("waiting for Xvfb to report its display")?;
        let number: u32 = line.trim().parse().with_context(|| {
            format!("Xvfb reported no display number (it said {line:?}; did it start?)")
        })?;
        if !proc.is_running() {
            bail!("Xvfb exited right after taking display :{number}");
        }
        Ok(Self {
            _proc: proc,
            display: format!(":{number}"),
            _stdout: stdout,
        })
    }

    pub fn display(&self) -> &str {
        &self.display
    }
}

/// tauri-driver on free ports under X `display`, with `env` inherited down to WebKitWebDriver
/// and every app it starts; waits until both its ports accept. Returns it and its port.
pub fn tauri_driver(
    display: &str,
    env: &[(&str, &std::ffi::OsStr)],
    log: &Path,
) -> anyhow::Result<(Proc, u16)> {
    let port = free_port()?;
    let native_port = free_port()?;
    let mut cmd = Command::new("tauri-driver");
    cmd.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &native_port.to_string(),
    ])
    .env("DISPLAY", display)
    .envs(env.iter().copied());
    let driver = Proc::spawn("tauri-driver", cmd, Some(log))
        .context("is tauri-driver installed? `cargo xtask setup` installs it")?;
    wait_for_port(port, Duration::from_secs(15), "tauri-driver")?;
    wait_for_port(native_port, Duration::from_secs(15), "WebKitWebDriver")?;
    Ok((driver, port))
}

/// A real `lastmile-server` on 127.0.0.1:0 with its own temp data folder.
#[derive(Debug)]
pub struct ServerProc {
    proc: Proc,
    pub url: String,
    pub data_dir: PathBuf,
}

impl ServerProc {
    /// Starts the server on `data_dir` and waits for its `listening on` line.
    pub fn start(data_dir: &Path, log: &Path) -> anyhow::Result<Self> {
        Self::start_with(data_dir, log, "127.0.0.1:0", &[])
    }

    /// Like [`start`](Self::start) on a given address (to restart on the same port).
    pub fn start_on(data_dir: &Path, log: &Path, listen: &str) -> anyhow::Result<Self> {
        Self::start_with(data_dir, log, listen, &[])
    }

    /// Like [`start_on`](Self::start_on) with extra environment (e.g. `LASTMILE_ACCESS_TTL_SECS`).
    pub fn start_with(
        data_dir: &Path,
        log: &Path,
        listen: &str,
        env: &[(String, String)],
    ) -> anyhow::Result<Self> {
        let binary = crate::binary("lastmile-server")?;
        let mut cmd = Command::new(&binary);
        cmd.args(["--listen", listen, "--data-dir"])
            .arg(data_dir)
            // The E2E tours are real routes of 2018 (LMRRC): the server's proof retention
            // (90 days by default) would redact their addresses at start. A caller's `env`
            // may set it otherwise.
            .env("LASTMILE_PROOF_RETENTION_DAYS", "36500")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped());
        cmd.stderr(std::fs::File::create(log)?);
        let mut proc = Proc::spawn("lastmile-server", cmd, None)?;
        let stdout = proc.child_mut().stdout.take().context("server stdout")?;
        let line = match first_line(stdout, Duration::from_secs(20)) {
            Ok((line, _)) if line.starts_with("listening on ") => line,
            other => bail!(
                "lastmile-server did not start ({:?}); its log: {}",
                other.map(|(line, _)| line),
                std::fs::read_to_string(log).unwrap_or_default()
            ),
        };
        let url = line.trim().trim_start_matches("listening on ").to_owned();
        Ok(Self {
            proc,
            url,
            data_dir: data_dir.to_owned(),
        })
    }

    /// Loads a seed file into the server database in `data_dir` (`lastmile-server seed`),
    /// before or while a server runs on it.
    pub fn seed(data_dir: &Path, file: &Path) -> anyhow::Result<()> {
        let binary = crate::binary("lastmile-server")?;
        let out = Command::new(&binary)
            .args(["seed", "--data-dir"])
            .arg(data_dir)
            .arg("--file")
            .arg(file)
            .output()
            .context("running lastmile-server seed")?;
        anyhow::ensure!(
            out.status.success(),
            "lastmile-server seed failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(())
    }

    /// `host:port` the server listens on.
    pub fn addr(&self) -> &str {
        self.url
            .trim_start_matches("https://")
            .trim_start_matches("http://")
    }

    /// SIGKILL, as a crash or power cut would.
    pub fn kill(&mut self) {
        self.proc.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_for_children_are_distinct_free_and_below_the_ephemeral_range() {
        let low = ephemeral_low().expect("the kernel's ephemeral port range");
        let ports: Vec<u16> = (0..20).map(|_| free_port().expect("a port")).collect();
        let distinct: std::collections::HashSet<_> = ports.iter().collect();
        assert_eq!(
            distinct.len(),
            ports.len(),
            "a port chosen twice: {ports:?}"
        );
        for port in ports {
            assert!(port < low, "{port} is in the ephemeral range from {low}");
            TcpListener::bind(("127.0.0.1", port)).expect("free to listen on");
        }
        // What a server binding :0 gets is never one of them.
        let ephemeral = TcpListener::bind("127.0.0.1:0").expect("bind :0");
        assert!(ephemeral.local_addr().expect("addr").port() >= low);
    }
}
