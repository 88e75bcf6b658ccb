//! The real binary over loopback: seeded with its `seed` subcommand, killed with SIGKILL in
//! the middle of a batch, restarted on the same database; the device resends and the server
//! ends with every event exactly once.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use lastmile_protocol::auth::{EnrolResponse, Role, Session};
use lastmile_protocol::events::EventBody;
use lastmile_protocol::sync::BatchAck;
use serde_json::json;

use crate::harness::{Backend, Login, event, fixture_seed, pg};

/// The real binary, running; SIGKILLed when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Err(e) = self.child.kill() {
            eprintln!("server already gone: {e}");
        }
        if let Err(e) = self.child.wait() {
            eprintln!("waiting for the server: {e}");
        }
    }
}

pub fn db_args(dir: &std::path::Path, pg_url: &Option<String>) -> Vec<String> {
    let mut args = vec!["--data-dir".to_owned(), dir.display().to_string()];
    if let Some(url) = pg_url {
        args.extend(["--database-url".to_owned(), url.clone()]);
    }
    args
}

/// Seeds the standard fixture into the database of `dir` (or `pg_url`) with the binary's
/// `seed` subcommand.
pub fn seed_with_binary(dir: &std::path::Path, pg_url: &Option<String>) {
    let seed_file = dir.join("seed.json");
    let seed = fixture_seed(chrono::Utc::now().date_naive());
    std::fs::write(&seed_file, serde_json::to_string(&seed).expect("json")).expect("write seed");
    let status = Command::new(env!("CARGO_BIN_EXE_lastmile-server"))
        .arg("seed")
        .args(["--file", &seed_file.display().to_string()])
        .args(db_args(dir, pg_url))
        .status()
        .expect("run seed");
    assert!(status.success(), "lastmile-server seed failed");
}

fn start(dir: &std::path::Path, pg_url: &Option<String>) -> Server {
    start_with(
        Command::new(env!("CARGO_BIN_EXE_lastmile-server")),
        &db_args(dir, pg_url),
        &[],
    )
}

/// Starts `cmd` (the binary, or a shell that runs it) with `args` after `--listen
/// 127.0.0.1:0` and the environment `env`, and waits for its `listening on` line. Its
/// stderr goes where `cmd` says (inherited unless set).
pub fn start_with(mut cmd: Command, args: &[String], env: &[(&str, String)]) -> Server {
    let mut child = cmd
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env("LASTMILE_LOG", "warn")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn lastmile-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the listening line");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("`listening on http://ADDR`, got {line:?}"))
        .to_owned();
    Server { child, url }
}

/// Enrols a device with `code` and signs `user` in as `role` (PIN `<user>-pin`) over HTTP.
pub async fn sign_in_over_http(
    http: &reqwest::Client,
    url: &str,
    code: &str,
    role: Role,
    user: &str,
) -> Login {
    let dev: EnrolResponse = http
        .post(format!("{url}/v1/devices/enrol"))
        .json(&json!({ "enrolment_code": code, "device_name": "phone" }))
        .send()
        .await
        .expect("enrol")
        .json()
        .await
        .expect("enrol json");
    let session: Session = http
        .post(format!("{url}/v1/session"))
        .json(
            &json!({ "device_id": dev.device_id, "device_token": dev.device_token,
            "role": role, "user_id": user, "pin": format!("{user}-pin") }),
        )
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("session json");
    Login {
        device_id: dev.device_id.clone(),
        dev,
        session,
    }
}

async fn sigkill_mid_batch_then_resend(b: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let pg_url = match b {
        Backend::Sqlite => None,
        Backend::Postgres => Some(pg().new_database().await.expect("database")),
    };
    seed_with_binary(dir.path(), &pg_url);

    let server = start(dir.path(), &pg_url);
    let http = reqwest::Client::new();
    let login = sign_in_over_http(&http, &server.url, "CODE-S1", Role::Driver, "D1").await;
    let now = chrono::Utc::now();
    let events: Vec<_> = (1..=3000u64)
        .map(|i| {
            event(
                &login,
                i,
                "T1",
                now,
                EventBody::StopArrived {
                    stop_id: "T1-A".into(),
                },
            )
        })
        .collect();
    let send = |url: String,
                chunk: Vec<lastmile_protocol::events::EventEnvelope>,
                token: String,
                device: String| {
        let http = http.clone();
        async move {
            http.post(format!("{url}/v1/events"))
                .bearer_auth(token)
                .json(&json!({ "device_id": device, "events": chunk }))
                .send()
                .await
        }
    };
    let token = login.session.access_token.clone();
    let ack: BatchAck = send(
        server.url.clone(),
        events[..1000].to_vec(),
        token.clone(),
        login.device_id.clone(),
    )
    .await
    .expect("first batch")
    .json()
    .await
    .expect("ack");
    assert_eq!(ack.acked_seq, 1000);
    // Second batch in flight when the server dies.
    let inflight = tokio::spawn(send(
        server.url.clone(),
        events[1000..2000].to_vec(),
        token.clone(),
        login.device_id.clone(),
    ));
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    drop(server); // SIGKILL
    let outcome = inflight.await.expect("task");
    eprintln!(
        "in-flight batch during SIGKILL: {:?}",
        outcome.as_ref().map(|r| r.status())
    );

    let server = start(dir.path(), &pg_url);
    // The device does not know what committed: it resends everything unacknowledged.
    for chunk in [&events[1000..2000], &events[1000..3000], &events[..]] {
        let ack: BatchAck = send(
            server.url.clone(),
            chunk.to_vec(),
            token.clone(),
            login.device_id.clone(),
        )
        .await
        .expect("resend")
        .json()
        .await
        .expect("ack");
        assert_eq!(
            ack.acked_seq,
            chunk.last().map_or(0, |e| e.seq).max(ack.acked_seq)
        );
    }
    drop(server);
    let (count, distinct) = match &pg_url {
        None => {
            let conn = rusqlite::Connection::open(dir.path().join("server.db")).expect("open db");
            conn.query_row(
                "SELECT COUNT(*), COUNT(DISTINCT seq) FROM events",
                [],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .expect("count")
        }
        Some(url) => {
            let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
                .await
                .expect("connect");
            tokio::spawn(conn);
            let row = client
                .query_one("SELECT COUNT(*), COUNT(DISTINCT seq) FROM events", &[])
                .await
                .expect("count");
            (row.get(0), row.get(1))
        }
    };
    assert_eq!(
        (count, distinct),
        (3000, 3000),
        "nothing lost, nothing duplicated"
    );
}

crate::both!(sigkill_mid_batch_then_resend);
