//! A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a temp dir,
//! `postgres` on a free loopback port, gone when the process that started it ends.
//!
//! Debian's `postgresql-15` binaries refuse to run as root, so as root they run through
//! `runuser -u postgres`. A small shell watchdog kills the cluster and removes its folder
//! once the owning process has exited, so even a test binary that never drops the cluster
//! (it lives in a `static`) leaves nothing behind. `LASTMILE_TEST_DATABASE_URL` skips all
//! of this and uses a server you provide.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// A running throwaway cluster.
#[derive(Debug)]
pub struct PgCluster {
    /// `postgres://postgres@127.0.0.1:PORT` (no database name).
    pub base_url: String,
    external: bool,
    dir: Option<PathBuf>,
    next_db: std::sync::atomic::AtomicUsize,
}

fn bin_dir() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("LASTMILE_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    for v in ["17", "16", "15", "14", "13"] {
        let dir = PathBuf::from(format!("/usr/lib/postgresql/{v}/bin"));
        if dir.join("initdb").exists() && dir.join("postgres").exists() {
            return Ok(dir);
        }
    }
    bail!(
        "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin). \
         Install them with `apt-get install postgresql` (or set LASTMILE_PG_BIN, or \
         LASTMILE_TEST_DATABASE_URL to use a running server)"
    )
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> anyhow::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

/// Runs `program args` as the postgres user when we are root.
fn as_pg_user(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

impl PgCluster {
    /// Starts a cluster (`fsync` on or off) and waits until it accepts connections.
    pub fn start(fsync: bool) -> anyhow::Result<Self> {
        if let Ok(url) = std::env::var("LASTMILE_TEST_DATABASE_URL") {
            return Ok(Self {
                base_url: url,
                external: true,
                dir: None,
                next_db: 0.into(),
            });
        }
        let bin = bin_dir()?;
        let root = is_root();
        let dir = std::env::temp_dir().join(format!(
            "lastmile-pg-{}-{}",
            std::process::id(),
            free_port()?
        ));
        std::fs::create_dir_all(&dir)?;
        if root {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()?;
            if !status.success() {
                bail!(
                    "chown of {} to postgres failed (is there a `postgres` user? apt-get install postgresql)",
                    dir.display()
                );
            }
        }
        let data = dir.join("data");
        let out = as_pg_user(root, &bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
            .stdin(Stdio::null())
            .output()
            .context("running initdb")?;
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let port = free_port()?;
        let fsync = if fsync { "on" } else { "off" };
        // The watchdog: start postgres, wait for our process to go, then stop it and clean up.
        // (`kill -0` cannot probe a root process from the postgres user; /proc can.)
        let script = format!(
            "{postgres} -D {data} -p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync={fsync} \
               -c max_connections=200 -c shared_buffers=64MB >{dir}/log 2>&1 &\n\
             PG=$!\n\
             while [ -d /proc/{owner} ] && kill -0 $PG 2>/dev/null; do sleep 0.5; done\n\
             kill -INT $PG 2>/dev/null; sleep 1; kill -9 $PG 2>/dev/null; wait $PG 2>/dev/null\n\
             rm -rf {dir}\n",
            postgres = bin.join("postgres").display(),
            data = data.display(),
            dir = dir.display(),
            owner = std::process::id(),
        );
        let mut cmd = if root {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", "sh", "-c", &script]);
            c
        } else {
            let mut c = Command::new("sh");
            c.args(["-c", &script]);
            c
        };
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        cmd.spawn().context("starting postgres")?;
        let base_url = format!("postgres://postgres@127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                // Accepting TCP is not yet accepting queries; `pg_isready` knows.
                let ready = Command::new(bin.join("pg_isready"))
                    .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "postgres"])
                    .stdout(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if ready {
                    break;
                }
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
                bail!("postgres did not start within 30 s: {log}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(Self {
            base_url,
            external: false,
            dir: Some(dir),
            next_db: 0.into(),
        })
    }

    /// Creates a fresh, empty database and returns its URL.
    pub async fn new_database(&self) -> anyhow::Result<String> {
        let n = self
            .next_db
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("lastmile_t{}_{n}", std::process::id());
        let admin = if self.external {
            self.base_url.clone()
        } else {
            format!("{}/postgres", self.base_url)
        };
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls).await?;
        tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await?;
        let base = match self.base_url.rsplit_once('/') {
            Some((head, tail)) if self.external && !tail.contains('@') && !tail.contains(':') => {
                head.to_owned()
            }
            _ => self.base_url.clone(),
        };
        Ok(format!("{base}/{name}"))
    }

    /// Where the cluster lives (None for an external server).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }
}
