//! `lastmile-server [--listen ADDR] [--data-dir DIR] [--database-url-file F] [--admin-token-file F]`
//! serves the API; `lastmile-server seed --file seed.json [--data-dir DIR | --database-url-file F]`
//! loads stations, enrolment codes, people and tours (see `lastmile_protocol::admin::Seed`).
//! Secrets (the admin token, a database URL with its password) are best given in a file or
//! the environment: the command line is visible to every user of the machine (`ps`).
//! SIGTERM and Ctrl-C stop the server gracefully (requests in flight finish).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lastmile_server::limits::RateLimits;
use lastmile_server::{NetLimits, ServerConfig, ServerState};

#[derive(Debug, Parser)]
#[command(name = "lastmile-server", version, about = "Lastmile sync server")]
struct Args {
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long, env = "LASTMILE_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Serve HTTPS with this certificate chain (PEM file); needs `--tls-key-file`.
    #[arg(long, env = "LASTMILE_TLS_CERT_FILE", requires = "tls_key_file")]
    tls_cert_file: Option<PathBuf>,
    /// The private key of `--tls-cert-file` (PEM file: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "LASTMILE_TLS_KEY_FILE", requires = "tls_cert_file")]
    tls_key_file: Option<PathBuf>,
    /// Folder for the embedded database.
    #[arg(
        long,
        env = "LASTMILE_DATA_DIR",
        default_value = ".lastmile/server",
        global = true
    )]
    data_dir: PathBuf,
    /// Run on PostgreSQL instead of the embedded SQLite database. Prefer the environment
    /// or --database-url-file for a URL with a password.
    #[arg(long, env = "LASTMILE_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// A file holding the PostgreSQL URL (first line).
    #[arg(
        long,
        env = "LASTMILE_DATABASE_URL_FILE",
        global = true,
        conflicts_with = "database_url"
    )]
    database_url_file: Option<PathBuf>,
    /// Enables POST /v1/admin/seed for requests bearing this token. Prefer the environment
    /// or --admin-token-file.
    #[arg(long, env = "LASTMILE_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// A file holding the admin token (first line).
    #[arg(
        long,
        env = "LASTMILE_ADMIN_TOKEN_FILE",
        conflicts_with = "admin_token"
    )]
    admin_token_file: Option<PathBuf>,
    /// Folder of the stations' offline maps: `<station_id>.mbtiles` each, built with
    /// `cargo xtask tiles` and served at GET /v1/map.
    #[arg(long, env = "LASTMILE_MAP_DIR")]
    map_dir: Option<PathBuf>,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "LASTMILE_ACCESS_TTL_SECS", default_value_t = 15 * 60)]
    access_ttl_secs: u64,
    /// Lifetime of refresh tokens (how long a device may be offline without the PIN), in seconds.
    #[arg(long, env = "LASTMILE_REFRESH_TTL_SECS", default_value_t = 14 * 3600)]
    refresh_ttl_secs: u64,
    /// A connection must send a whole request head within this (also between keep-alive
    /// requests), in seconds.
    #[arg(long, env = "LASTMILE_HEADER_READ_TIMEOUT_SECS", default_value_t = 10)]
    header_read_timeout_secs: u64,
    /// A request body that sends nothing for this long is cut off, in seconds.
    #[arg(long, env = "LASTMILE_BODY_IDLE_TIMEOUT_SECS", default_value_t = 30)]
    body_idle_timeout_secs: u64,
    /// Open connections at most (keep it below the file descriptor limit).
    #[arg(long, env = "LASTMILE_MAX_CONNECTIONS", default_value_t = 768)]
    max_connections: usize,
    /// Open connections from one IP address at most.
    #[arg(long, env = "LASTMILE_MAX_CONNECTIONS_PER_IP", default_value_t = 128)]
    max_connections_per_ip: usize,
    /// Requests handled at once at most; more are answered 503 overloaded.
    #[arg(long, env = "LASTMILE_MAX_IN_FLIGHT", default_value_t = 256)]
    max_in_flight: usize,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take to finish, in seconds.
    #[arg(long, env = "LASTMILE_DRAIN_TIMEOUT_SECS", default_value_t = 30)]
    drain_timeout_secs: u64,
    /// Enrolments per minute from one IP address.
    #[arg(long, env = "LASTMILE_ENROL_PER_MIN_PER_IP", default_value_t = 60)]
    enrol_per_min_per_ip: u32,
    /// Sign-ins per minute from one IP address.
    #[arg(long, env = "LASTMILE_SIGN_IN_PER_MIN_PER_IP", default_value_t = 120)]
    sign_in_per_min_per_ip: u32,
    /// Sign-ins per minute on one device.
    #[arg(
        long,
        env = "LASTMILE_SIGN_IN_PER_MIN_PER_DEVICE",
        default_value_t = 20
    )]
    sign_in_per_min_per_device: u32,
    /// How long the previous refresh token, presented again by the same device, still gets
    /// the same new pair (a lost answer retried), in seconds.
    #[arg(long, env = "LASTMILE_REFRESH_GRACE_SECS", default_value_t = 10 * 60)]
    refresh_grace_secs: u64,
    /// Offers calls per minute of one flex driver's account.
    #[arg(
        long,
        env = "LASTMILE_OFFERS_PER_MIN_PER_ACCOUNT",
        default_value_t = 30
    )]
    offers_per_min_per_account: u32,
    /// Offers calls per minute from one device.
    #[arg(long, env = "LASTMILE_OFFERS_PER_MIN_PER_DEVICE", default_value_t = 30)]
    offers_per_min_per_device: u32,
    /// Blocks lottery: most hours of blocks per driver and local day.
    #[arg(long, env = "LASTMILE_OFFERS_MAX_HOURS_PER_DAY", default_value_t = 10)]
    offers_max_hours_per_day: u32,
    /// Blocks lottery: most hours of blocks per driver and local week.
    #[arg(long, env = "LASTMILE_OFFERS_MAX_HOURS_PER_WEEK", default_value_t = 48)]
    offers_max_hours_per_week: u32,
    /// Blocks lottery: the station's offset from UTC in minutes (which local day a block is on).
    #[arg(
        long,
        env = "LASTMILE_OFFERS_UTC_OFFSET_MINUTES",
        default_value_t = 60,
        allow_hyphen_values = true
    )]
    offers_utc_offset_minutes: i32,
    /// Days after which proof (photos, signatures) and personal fields of events and tours
    /// are purged; hashes, times and outcomes stay for audits.
    #[arg(long, env = "LASTMILE_PROOF_RETENTION_DAYS", default_value_t = 90)]
    proof_retention_days: u64,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// Upsert stations, enrolment codes, people (PINs hashed) and tours from a JSON file.
    Seed {
        #[arg(long)]
        file: PathBuf,
    },
}

/// The first line of a secret's file.
fn read_secret(path: &std::path::Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let line = text.lines().next().unwrap_or("").trim().to_owned();
    anyhow::ensure!(!line.is_empty(), "{} is empty", path.display());
    Ok(line)
}

fn secret(
    value: &Option<String>,
    file: &Option<PathBuf>,
    flag: &str,
) -> anyhow::Result<Option<String>> {
    if let Some(path) = file {
        return read_secret(path).map(Some);
    }
    let on_command_line = std::env::args().any(|a| a == flag || a.starts_with(&format!("{flag}=")));
    if value.is_some() && on_command_line {
        tracing::warn!(
            "{flag} on the command line is visible to every user of this machine; use {flag}-file or the environment"
        );
    }
    Ok(value.clone())
}

async fn open(args: &Args, config: ServerConfig) -> anyhow::Result<ServerState> {
    match secret(
        &args.database_url,
        &args.database_url_file,
        "--database-url",
    )? {
        Some(url) => ServerState::open_postgres(&url, config)
            .await
            .context("connecting to PostgreSQL"),
        None => ServerState::open_sqlite_with(&args.data_dir, config)
            .with_context(|| format!("opening the database in {}", args.data_dir.display())),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LASTMILE_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let args = Args::parse();
    let config = ServerConfig {
        access_ttl: Duration::from_secs(args.access_ttl_secs),
        refresh_ttl: Duration::from_secs(args.refresh_ttl_secs),
        admin_token: secret(&args.admin_token, &args.admin_token_file, "--admin-token")?,
        net: NetLimits {
            header_read_timeout: Duration::from_secs(args.header_read_timeout_secs.max(1)),
            body_idle_timeout: Duration::from_secs(args.body_idle_timeout_secs.max(1)),
            max_connections: args.max_connections.max(1),
            max_connections_per_ip: args.max_connections_per_ip.max(1),
            max_in_flight: args.max_in_flight.max(1),
            drain_timeout: Duration::from_secs(args.drain_timeout_secs),
            tls: tls_config(&args)?,
        },
        rates: RateLimits {
            enrol_per_ip: args.enrol_per_min_per_ip,
            sign_in_per_ip: args.sign_in_per_min_per_ip,
            sign_in_per_device: args.sign_in_per_min_per_device,
            offers_per_account: args.offers_per_min_per_account,
            offers_per_device: args.offers_per_min_per_device,
        },
        offer_caps: lastmile_offers::Caps {
            max_minutes_per_day: args.offers_max_hours_per_day.saturating_mul(60),
            max_minutes_per_week: args.offers_max_hours_per_week.saturating_mul(60),
            utc_offset_minutes: args.offers_utc_offset_minutes,
            ..lastmile_offers::Caps::default()
        },
        refresh_grace: Duration::from_secs(args.refresh_grace_secs),
        proof_retention: Duration::from_secs(args.proof_retention_days.saturating_mul(24 * 3600)),
        map_dir: args.map_dir.clone(),
        ..ServerConfig::default()
    };
    let state = open(&args, config).await?;
    if let Some(Cmd::Seed { file }) = &args.command {
        let text =
            std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        let seed =
            serde_json::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
        let report = lastmile_server::seed::apply(&state, &seed)
            .await
            .map_err(|e| anyhow::anyhow!("seeding failed: {e}"))?;
        eprintln!("{}", serde_json::to_string(&report)?);
        return Ok(());
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    // The one line on stdout: scripts and tests read the bound address from it.
    let scheme = if config_is_tls(&args) {
        "https"
    } else {
        "http"
    };
    println!("listening on {scheme}://{}", listener.local_addr()?);
    // Retention: at start, then every hour (a run that fails is logged and tried again).
    let purging = state.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            if let Err(e) = lastmile_server::retention::purge(&purging).await {
                tracing::warn!(error = %e, "retention purge failed");
            }
        }
    });
    let db = state.db.clone();
    lastmile_server::serve(listener, state, stop_signal()).await?;
    // How well the writer's group commit shared its fsyncs (issue 18).
    let stats = db.commit_stats();
    tracing::info!(
        commits = stats.commits,
        group_commits = stats.group_commits,
        grouped_members = stats.grouped_members,
        failed_groups = stats.failed_groups,
        "sqlite writer commits"
    );
    Ok(())
}

fn config_is_tls(args: &Args) -> bool {
    args.tls_cert_file.is_some()
}

/// The rustls configuration of `--tls-cert-file` and `--tls-key-file` (ring, TLS 1.2 and 1.3).
fn tls_config(args: &Args) -> anyhow::Result<Option<Arc<tokio_rustls::rustls::ServerConfig>>> {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let (Some(cert), Some(key)) = (&args.tls_cert_file, &args.tls_key_file) else {
        return Ok(None);
    };
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("reading the certificate chain {}", cert.display()))?;
    anyhow::ensure!(!certs.is_empty(), "no certificate in {}", cert.display());
    let key = PrivateKeyDer::from_pem_file(key)
        .with_context(|| format!("reading the private key {}", key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .context("TLS protocol versions")?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .context("the certificate and key do not make a TLS configuration")?;
    Ok(Some(Arc::new(config)))
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM (what service managers and `kill` send).
async fn stop_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::error!("cannot listen for SIGTERM: {e}");
            None
        }
    };
    let sigterm = async {
        match term.as_mut() {
            Some(t) => {
                t.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C: stopping"),
        () = sigterm => tracing::info!("SIGTERM: stopping"),
    }
}
