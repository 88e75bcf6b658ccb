//! Starts the real `lastmile-server` binary on a loopback port with a temp data folder,
//! for the simulator's tests and benchmark. Builds the binary first (same target folder and
//! profile as the running test), since Cargo builds only this package's binaries for us;
//! `LASTMILE_SERVER_BIN` names one already built instead (`cargo xtask bench` builds the
//! release server alone, not the whole workspace in release).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const ADMIN_TOKEN: &str = "sim-test-admin";

pub fn lmrrc_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/amazon_lmrrc2021_sample/train_10")
}

pub fn server_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("LASTMILE_SERVER_BIN").filter(|b| !b.is_empty()) {
        return PathBuf::from(bin);
    }
    // .../target/<profile>/deps/<test binary>
    let exe = std::env::current_exe().expect("test binary path");
    let profile_dir = exe
        .parent()
        .and_then(|p| p.parent())
        .expect("target/<profile>")
        .to_owned();
    let target_dir = profile_dir.parent().expect("target dir").to_owned();
    let mut build = Command::new(env!("CARGO"));
    // The same selection as `cargo xtask test`'s build step: the same features, so after
    // that step this is a no-op. (`-p lastmile-server` resolved other features, rebuilt the
    // server and its dependencies for minutes under cargo's lock, and replaced the binary the
    // E2E tests were starting.)
    build.args(["build", "-q", "--workspace", "--bins", "--tests"]);
    if profile_dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    let status = build
        .env("CARGO_TARGET_DIR", &target_dir)
        .status()
        .expect("running cargo build");
    assert!(status.success(), "building lastmile-server failed");
    profile_dir.join("lastmile-server")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running server process; killed (SIGKILL) on drop.
pub struct Server {
    pub url: String,
    pub port: u16,
    pub data: tempfile::TempDir,
    binary: PathBuf,
    child: Option<Child>,
    /// More command-line arguments (a database URL, token lifetimes).
    extra: Vec<String>,
}

/// The throwaway PostgreSQL cluster of this test process, started on first use.
static PG: std::sync::OnceLock<lastmile_server::testing::PgCluster> = std::sync::OnceLock::new();

/// A fresh database on the throwaway PostgreSQL cluster.
pub fn postgres_database() -> String {
    let pg = PG.get_or_init(|| {
        lastmile_server::testing::PgCluster::start(false)
            .unwrap_or_else(|e| panic!("cannot start the throwaway PostgreSQL: {e:#}"))
    });
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(pg.new_database())
        .expect("a fresh PostgreSQL database")
}

impl Server {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Starts with more arguments, e.g. `--database-url URL` or `--access-ttl-secs 4`.
    pub fn start_with(extra: &[&str]) -> Self {
        let data = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut s = Server {
            url: format!("http://127.0.0.1:{port}"),
            port,
            data,
            binary: server_binary(),
            child: None,
            extra: extra.iter().map(|a| a.to_string()).collect(),
        };
        s.spawn();
        s
    }

    fn spawn(&mut self) {
        let mut child = Command::new(&self.binary)
            .args([
                "--listen",
                &format!("127.0.0.1:{}", self.port),
                "--admin-token",
                ADMIN_TOKEN,
            ])
            .arg("--data-dir")
            .arg(self.data.path())
            .args(&self.extra)
            .env("LASTMILE_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting lastmile-server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("reading the server's first line");
        assert!(line.starts_with("listening on"), "server said {line:?}");
        assert!(Instant::now() < deadline);
        self.child = Some(child);
    }

    /// The server process's id (for its RSS and CPU time in /proc).
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// SIGKILL, as a crash or a power cut would.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().expect("SIGKILL the server");
            c.wait().expect("reaping the server");
        }
    }

    /// Starts again on the same port and data folder.
    pub fn restart(&mut self) {
        self.kill();
        // The port may linger a moment after the kill.
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpListener::bind(("127.0.0.1", self.port)).is_err()
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        self.spawn();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn sim() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lastmile-sim"))
}
