//! `lastmile-server [--listen ADDR] [--data-dir DIR] [--database-url postgres://…] [--admin-token T]`
//! serves the API; `lastmile-server seed --file seed.json [--data-dir DIR | --database-url URL]`
//! loads stations, enrolment codes, people and tours (see `lastmile_protocol::admin::Seed`).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use lastmile_server::{ServerConfig, ServerState};

#[derive(Debug, Parser)]
#[command(name = "lastmile-server", version, about = "Lastmile sync server")]
struct Args {
    /// Address to listen on, e.g. 127.0.0.1:8080 (port 0 picks a free port).
    #[arg(long, env = "LASTMILE_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Folder for the embedded database.
    #[arg(
        long,
        env = "LASTMILE_DATA_DIR",
        default_value = ".lastmile/server",
        global = true
    )]
    data_dir: PathBuf,
    /// Run on PostgreSQL instead of the embedded SQLite database.
    #[arg(long, env = "LASTMILE_DATABASE_URL", global = true)]
    database_url: Option<String>,
    /// Enables POST /v1/admin/seed for requests bearing this token.
    #[arg(long, env = "LASTMILE_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "LASTMILE_ACCESS_TTL_SECS", default_value_t = 15 * 60)]
    access_ttl_secs: u64,
    /// Lifetime of refresh tokens (how long a device may be offline without the PIN), in seconds.
    #[arg(long, env = "LASTMILE_REFRESH_TTL_SECS", default_value_t = 14 * 3600)]
    refresh_ttl_secs: u64,
    /// How long the previous refresh token, presented again by the same device, still gets
    /// the same new pair (a lost answer retried), in seconds.
    #[arg(long, env = "LASTMILE_REFRESH_GRACE_SECS", default_value_t = 10 * 60)]
    refresh_grace_secs: u64,
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

async fn open(args: &Args, config: ServerConfig) -> anyhow::Result<ServerState> {
    match &args.database_url {
        Some(url) => ServerState::open_postgres(url, config)
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
        .init();
    let args = Args::parse();
    let config = ServerConfig {
        access_ttl: Duration::from_secs(args.access_ttl_secs),
        refresh_ttl: Duration::from_secs(args.refresh_ttl_secs),
        refresh_grace: Duration::from_secs(args.refresh_grace_secs),
        admin_token: args.admin_token.clone(),
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
    println!("listening on http://{}", listener.local_addr()?);
    lastmile_server::serve(listener, state, async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for Ctrl-C: {e}");
        }
    })
    .await?;
    Ok(())
}
