//! Server ingest throughput: 10,000 delivery events posted over loopback HTTP in batches
//! (1,000 and 100 per request), on SQLite (WAL, synchronous=FULL) and on a throwaway
//! PostgreSQL with fsync on; the baseline is a raw `COPY` of the very rows the server wrote
//! into a fresh database of the same schema, one `COPY` and commit per batch. Prints one JSON
//! line with every run and the ratio PostgreSQL ingest / `COPY` per batch size.
//!
//! `cargo xtask bench ingest` (`LASTMILE_BENCH_EVENTS`: fewer events; with it set,
//! `cargo test --bench ingest` runs it too, as `cargo xtask test` does at a small size).

use std::time::Instant;

use lastmile_protocol::auth::Role;
use lastmile_protocol::events::EventEnvelope;
use lastmile_protocol::sync::BatchAck;
use lastmile_server::testing::PgCluster;
use lastmile_server::{ServerConfig, ServerState};
use serde_json::json;

mod common;

fn events_to_send() -> u64 {
    common::env_or("LASTMILE_BENCH_EVENTS", 10_000)
}

/// One driver `D` with a 250-stop tour `BT` of today.
fn seed() -> lastmile_protocol::admin::Seed {
    let today = chrono::Utc::now().date_naive();
    let tour = common::plan("BT", "D", today, 250, |i| format!("P{i}"));
    common::seed(&[("D", Role::Driver)], vec![tour])
}

async fn run(backend: &str, state: ServerState, batch: usize) -> anyhow::Result<serde_json::Value> {
    let events_n = events_to_send();
    lastmile_server::seed::apply(&state, &seed())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let server = common::start(state).await?;
    let url = server.url.clone();
    let http = reqwest::Client::new();
    let (device_id, token) = common::device_with(&http, &url, Role::Driver, "D").await?;
    let now = chrono::Utc::now();
    let events: Vec<EventEnvelope> = (1..=events_n)
        .map(|seq| {
            let i = (seq - 1) % 250 + 1;
            let place = (format!("S{i}"), format!("P{i}"));
            common::delivery(&device_id, seq, "BT", place, now, vec![])
        })
        .collect();
    let mut latencies = Vec::new();
    let mut bytes = 0usize;
    let start = Instant::now();
    for chunk in events.chunks(batch) {
        let body = serde_json::to_vec(&json!({ "device_id": device_id, "events": chunk }))?;
        bytes += body.len();
        let t = Instant::now();
        let ack: BatchAck = http
            .post(format!("{url}/v1/events"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await?
            .json()
            .await?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            ack.acked_seq == chunk.last().map_or(0, |e| e.seq),
            "ack {}",
            ack.acked_seq
        );
    }
    let wall = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let p = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    let out = json!({
        "backend": backend,
        "batch": batch,
        "requests": latencies.len(),
        "wall_s": (wall * 1000.0).round() / 1000.0,
        "events_per_s": (events_n as f64 / wall).round(),
        "p50_batch_ms": (p(0.5) * 100.0).round() / 100.0,
        "p99_batch_ms": (p(0.99) * 100.0).round() / 100.0,
        "uncompressed_bytes_per_event": bytes as u64 / events_n,
    });
    server.stop().await?;
    Ok(out)
}

/// The baseline: the rows the server wrote to `events` in `from`, copied raw with
/// `COPY … FROM STDIN` into a fresh database of the same schema (`to`), `batch` rows per
/// `COPY`, each in its own transaction (a batch's commit, as the server does).
async fn copy_baseline(from: &str, to: &str, batch: usize) -> anyhow::Result<serde_json::Value> {
    use futures_util::SinkExt;
    let (src, conn) = tokio_postgres::connect(from, tokio_postgres::NoTls).await?;
    tokio::spawn(conn);
    let mut text = Vec::new();
    {
        let stream = src
            .copy_out("COPY (SELECT * FROM events ORDER BY device_id, seq) TO STDOUT")
            .await?;
        let mut stream = std::pin::pin!(stream);
        while let Some(piece) = futures_util::StreamExt::next(&mut stream).await {
            text.extend_from_slice(&piece?);
        }
    }
    let columns: Vec<String> = src
        .query(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' ORDER BY ordinal_position",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let rows: Vec<&[u8]> = text.split_inclusive(|b| *b == b'\n').collect();
    // The same schema (the server's migrations), empty.
    drop(ServerState::open_postgres(to, ServerConfig::default()).await?);
    let (mut dst, conn) = tokio_postgres::connect(to, tokio_postgres::NoTls).await?;
    tokio::spawn(conn);
    let sql = format!("COPY events ({}) FROM STDIN", columns.join(", "));
    let start = Instant::now();
    for chunk in rows.chunks(batch) {
        let tx = dst.transaction().await?;
        let sink = tx.copy_in(&sql).await?;
        let mut sink = std::pin::pin!(sink);
        sink.send(bytes::Bytes::from(chunk.concat())).await?;
        sink.as_mut().finish().await?;
        tx.commit().await?;
    }
    let wall = start.elapsed().as_secs_f64();
    Ok(json!({
        "backend": "postgres_raw_copy",
        "batch": batch,
        "rows": rows.len(),
        "wall_s": (wall * 1000.0).round() / 1000.0,
        "events_per_s": (rows.len() as f64 / wall).round(),
    }))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    if !common::should_run("LASTMILE_BENCH_EVENTS") {
        return Ok(());
    }
    let load_start = common::load();
    let pg = PgCluster::start(true)?;
    let mut runs = Vec::new();
    let mut ratios = serde_json::Map::new();
    for batch in [1000, 100] {
        let dir = tempfile::tempdir()?;
        runs.push(run("sqlite", ServerState::open_sqlite(dir.path())?, batch).await?);
        let url = pg.new_database().await?;
        let ours = run(
            "postgres",
            ServerState::open_postgres(&url, ServerConfig::default()).await?,
            batch,
        )
        .await?;
        let copy = copy_baseline(&url, &pg.new_database().await?, batch).await?;
        let ratio = ours["events_per_s"].as_f64().unwrap_or(0.0)
            / copy["events_per_s"].as_f64().unwrap_or(f64::MAX);
        ratios.insert(
            format!("postgres_over_copy_batch_{batch}"),
            json!((ratio * 100.0).round() / 100.0),
        );
        runs.push(ours);
        runs.push(copy);
    }
    println!(
        "{}",
        json!({
            "bench": "server_ingest",
            "events": events_to_send(),
            "runs": runs,
            "ratios": ratios,
            "load_start": load_start,
            "load_end": common::load(),
        })
    );
    Ok(())
}
