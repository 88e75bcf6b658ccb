//! `lastmile-sim`: the headless fleet simulator.
//!
//! `lastmile-sim --server URL --admin-token T --devices N --seed S --drop-rate P --tours DIR`
//! seeds the server with real LMRRC tours from `DIR` (one per simulated driver), enrols N
//! devices, and runs N drivers through their tours with real device stores (SQLite in temp
//! folders) and the real sync engine — deliveries with photos, failed attempts with cards,
//! returns — while a fault injector drops requests and answers at rate P, cuts upload bodies
//! mid-way, adds latency, cuts the network for stretches and (optionally) slows the link to a
//! bandwidth and round-trip time. The devices keep no PIN: like the app they live on their
//! refresh tokens, through lost answers. It keeps going when the server dies and comes back, as a
//! device would. At the end it drains every device, checks the server through its dispatch
//! views and prints ONE JSON line; it exits 1 if anything was lost, duplicated or attached
//! to the wrong stop or parcel.
//!
//! `--bench-events N` instead measures one device uploading N queued events (JSON line with
//! time, requests and bytes per event); `--herd` brings `--devices` devices back at once,
//! each with a day recorded offline (time to ack, 429s/503s, lost). With `--server` given
//! more than once (server processes sharing one PostgreSQL), the devices are spread over them.

mod fleet;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

/// Command line of the simulator.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "lastmile-sim",
    version,
    about = "Lastmile headless fleet simulator"
)]
pub struct Args {
    /// Base URL of the server, e.g. http://127.0.0.1:8080. Give it more than once for several
    /// server processes on one PostgreSQL database: device i talks to the (i mod k)-th, as
    /// phones behind a load balancer would. Seeding goes through the first; the herd reads
    /// its final check from the last.
    #[arg(long, required = true)]
    pub server: Vec<String>,
    /// The server's admin token (its `--admin-token`), used to seed drivers and tours.
    #[arg(long, env = "LASTMILE_ADMIN_TOKEN", default_value = "sim-admin")]
    pub admin_token: String,
    #[arg(long, default_value_t = 4)]
    pub devices: usize,
    /// Seed of every random choice (printed in the summary; same seed, same run).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Share of requests and answers dropped (0.0..1.0): half before the server sees the
    /// request, half after it committed.
    #[arg(long, default_value_t = 0.0)]
    pub drop_rate: f64,
    /// An LMRRC folder (route_data.json, package_data.json, ...).
    #[arg(long)]
    pub tours: PathBuf,
    /// Stops per driver (taken from the start of the route).
    #[arg(long, default_value_t = 25)]
    pub stops: usize,
    /// Added latency per request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// A slow link: request bodies go out at this many bytes per second (0: unlimited).
    #[arg(long, default_value_t = 0)]
    pub link_bytes_per_s: u64,
    /// Round-trip time of the slow link, in milliseconds (with `--link-bytes-per-s`).
    #[arg(long, default_value_t = 1500)]
    pub link_rtt_ms: u64,
    /// Largest photo, in KB (each is a quarter to all of it).
    #[arg(long, default_value_t = 12)]
    pub photo_kb: u64,
    /// Chance per stop that the device loses the network for a stretch.
    #[arg(long, default_value_t = 0.05)]
    pub offline_rate: f64,
    /// Length of an offline stretch, in milliseconds.
    #[arg(long, default_value_t = 1500)]
    pub offline_ms: u64,
    /// Driver think time between actions, in milliseconds (upper bound; uniform from 0).
    #[arg(long, default_value_t = 20)]
    pub think_ms: u64,
    /// How long the final drain may take, in seconds.
    #[arg(long, default_value_t = 120)]
    pub settle_s: u64,
    /// Measure uploading this many queued events from one device instead.
    #[arg(long)]
    pub bench_events: Option<usize>,
    /// The herd instead: `--devices` drivers record their day (`--stops`) offline, then all
    /// reconnect at the same moment; prints time to ack, requests, 429s/503s and `lost`.
    #[arg(long)]
    pub herd: bool,
    /// The herd's devices in this many simulator processes (0: one per 2,500 devices). Each
    /// device keeps its store open (five file descriptors with the checkpointer's connection)
    /// and a connection, and one process may hold 20,000 descriptors at most.
    #[arg(long, default_value_t = 0)]
    pub processes: usize,
    /// Internal: run the herd's devices `I` (mod `P`) as part `I/P` of a herd whose parent
    /// process seeded the server and will say "go" on stdin (see `fleet::herd`).
    #[arg(long, hide = true)]
    pub herd_part: Option<String>,
}

impl Args {
    /// The server device `i` talks to (round robin over `--server`).
    pub fn server_for(&self, i: usize) -> &str {
        &self.server[i % self.server.len()]
    }

    /// The server that seeding, setup and checks go through.
    pub fn first_server(&self) -> &str {
        &self.server[0]
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LASTMILE_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lastmile-sim: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(async {
        match args.bench_events {
            Some(n) => fleet::bench(&args, n).await.map(|line| (line, true)),
            None if args.herd => fleet::herd(&args).await.map(|line| {
                let ok = line["lost"] == 0 && line["unsettled_devices"] == 0;
                (line, ok)
            }),
            None => fleet::simulate(&args).await.map(|s| {
                let ok = s.lost == 0
                    && s.duplicates_on_server == 0
                    && s.misattached == 0
                    && s.unsettled_devices == 0
                    && s.signed_out_devices == 0;
                (serde_json::to_value(&s).unwrap_or_default(), ok)
            }),
        }
    });
    match result {
        Ok((line, ok)) => {
            println!("{line}");
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("lastmile-sim: {e:#}");
            ExitCode::from(2)
        }
    }
}
