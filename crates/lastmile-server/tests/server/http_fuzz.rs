//! HTTP-level fuzz of every endpoint against the real binary (issue 16): random and mutated
//! valid requests — every method and path of `/v1/openapi.json` plus others, headers, bodies
//! and the tokens of every role (and of none, a garbage one, the admin's) — a bounded number,
//! from a fixed seed so a failure replays. Asserts that no answer is a 5xx, that every refusal
//! carries an `ErrorBody` code, and that the server's log holds no panic.

use std::process::Command;

use lastmile_protocol::auth::Role;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::process::{db_args, seed_with_binary, sign_in_over_http, start_with};

const REQUESTS: usize = 3000;
const SEED: u64 = 0x1a57_311e;

/// Valid bodies to start from (mutated most of the time).
fn samples() -> Vec<Value> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../lastmile-fuzz/corpus");
    let read = |p: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(corpus.join(p)).expect("a corpus file"))
            .expect("a JSON corpus file")
    };
    let tour = read("tour_json/demo-2-stops.json");
    let lmrrc = std::fs::read_to_string(corpus.join("lmrrc/two-stops")).expect("lmrrc");
    let (routes, packages) = lmrrc.split_once('\0').expect("two parts");
    vec![
        tour.clone(),
        json!({ "tour": tour }),
        read("events/batch.json"),
        read("seed/readme.json"),
        read("route/osrm.json"),
        read("route/valhalla.json"),
        json!({ "route_data": routes, "package_data": packages, "limit": 1 }),
        json!({ "enrolment_code": "CODE-S1", "device_name": "phone" }),
        json!({ "device_id": "d", "device_token": "t", "role": "driver", "user_id": "D1", "pin": "D1-pin" }),
        json!({ "refresh_token": "x", "device_id": "d", "device_secret": "s" }),
        json!({ "stop_id": "T1-A", "sequence": 1, "kind": "delivery" }),
        json!({}),
        json!([]),
    ]
}

fn random_value(rng: &mut StdRng, depth: u32) -> Value {
    match rng.random_range(0..if depth > 2 { 8 } else { 10 }) {
        0 => Value::Null,
        1 => json!(rng.random::<bool>()),
        2 => json!(rng.random::<i64>()),
        3 => json!(rng.random::<u64>()),
        4 => json!(rng.random::<f64>() * 1e300),
        5 => json!(
            [
                "",
                "T1",
                "S1",
                "D1",
                "driver",
                "station",
                "2026-12-01",
                "2026-12-01T08:00:00Z",
                "\u{0}",
                "ä😀"
            ]
            .choose(rng)
            .copied()
        ),
        6 => json!("x".repeat(rng.random_range(0..5000))),
        7 => json!(-1),
        8 => Value::Array(
            (0..rng.random_range(0..4))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.random_range(0..4))
                .map(|i| (format!("k{i}"), random_value(rng, depth + 1)))
                .collect(),
        ),
    }
}

/// Replaces, removes or adds one node somewhere in `v`.
fn mutate(rng: &mut StdRng, v: &mut Value) {
    match v {
        Value::Object(map) if !map.is_empty() && rng.random_bool(0.8) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = keys.choose(rng).expect("a key").clone();
            match rng.random_range(0..4) {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert(key, random_value(rng, 0));
                }
                _ => mutate(rng, map.get_mut(&key).expect("the key")),
            }
        }
        Value::Array(items) if !items.is_empty() && rng.random_bool(0.8) => {
            let i = rng.random_range(0..items.len());
            match rng.random_range(0..4) {
                0 => {
                    items.remove(i);
                }
                1 => items.push(items[i].clone()),
                _ => mutate(rng, &mut items[i]),
            }
        }
        _ => *v = random_value(rng, 0),
    }
}

fn body(rng: &mut StdRng, samples: &[Value]) -> Vec<u8> {
    let mut v = samples.choose(rng).expect("a sample").clone();
    match rng.random_range(0..10) {
        0 => Vec::new(),
        1 => (0..rng.random_range(0..300))
            .map(|_| rng.random())
            .collect(),
        2 => {
            let mut bytes = serde_json::to_vec(&v).expect("json");
            let cut = rng.random_range(0..=bytes.len());
            bytes.truncate(cut);
            bytes
        }
        3 => "[".repeat(rng.random_range(1..3000)).into_bytes(),
        _ => {
            for _ in 0..rng.random_range(0..4) {
                mutate(rng, &mut v);
            }
            serde_json::to_vec(&v).expect("json")
        }
    }
}

fn fill(rng: &mut StdRng, template: &str) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
        let name = &rest[open + 1..close.saturating_sub(1)];
        let value = match rng.random_range(0..6) {
            0 => "%00".to_owned(),
            1 => "x".repeat(rng.random_range(1..400)),
            2 => format!("{:064x}", rng.random::<u128>()),
            3 => "%E2%82".to_owned(),
            _ => match name {
                "tour_id" => ["T1", "T2", "T3"].choose(rng).expect("id").to_string(),
                "stop_id" => "T1-A".to_owned(),
                "sha256" => "a".repeat(64),
                "user_id" | "driver_id" => ["D1", "D3", "L1"].choose(rng).expect("id").to_string(),
                "date" => "2026-12-01".to_owned(),
                _ => rng.random_range(0..5u32).to_string(),
            },
        };
        out.push_str(&value);
        rest = &rest[close..];
    }
    out.push_str(rest);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_and_mutated_requests_get_no_5xx_and_no_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    seed_with_binary(dir.path(), &None);
    let log_path = dir.path().join("server.log");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_lastmile-server"));
    cmd.stderr(std::fs::File::create(&log_path).expect("log file"));
    let server = start_with(
        cmd,
        &db_args(dir.path(), &None),
        &[("LASTMILE_ADMIN_TOKEN", "admin-secret".into())],
    );
    let url = server.url.clone();
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .expect("client");

    let mut tokens = vec![
        None,
        Some("garbage".to_owned()),
        Some("admin-secret".to_owned()),
    ];
    for (role, user, code) in [
        (Role::Driver, "D1", "CODE-S1"),
        (Role::Station, "L1", "CODE-S1"),
        (Role::Supervisor, "SUP1", "CODE-S1"),
        (Role::Driver, "D3", "CODE-S2"),
    ] {
        let login = sign_in_over_http(&http, &url, code, role, user).await;
        tokens.push(Some(login.session.access_token));
    }

    let doc: Value = http
        .get(format!("{url}/v1/openapi.json"))
        .send()
        .await
        .expect("openapi")
        .json()
        .await
        .expect("openapi json");
    let mut endpoints: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if ["get", "post", "put", "delete", "patch", "head"].contains(&method.as_str()) {
                endpoints.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(endpoints.len() > 40, "only {} endpoints", endpoints.len());

    let samples = samples();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for i in 0..REQUESTS {
        let (mut method, template) = endpoints.choose(&mut rng).expect("an endpoint").clone();
        if rng.random_bool(0.15) {
            method = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
                .choose(&mut rng)
                .expect("a method")
                .to_string();
        }
        let mut path = fill(&mut rng, &template);
        match rng.random_range(0..20) {
            0 => path = format!("/v1/{}", "a/".repeat(rng.random_range(0..50))),
            1 => path.push_str("?after=-1&limit=99999999999999999999&date=x"),
            2 => path.push_str("?%zz=%zz"),
            _ => {}
        }
        let body = body(&mut rng, &samples);
        let mut req = http.request(
            reqwest::Method::from_bytes(method.as_bytes()).expect("method"),
            format!("{url}{path}"),
        );
        if let Some(token) = tokens.choose(&mut rng).expect("a token") {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        let content_type = [
            Some("application/json"),
            Some("application/json"),
            Some("image/jpeg"),
            Some("image/png"),
            Some("text/plain"),
            Some("application/json; charset=utf-8"),
            None,
        ]
        .choose(&mut rng)
        .copied()
        .flatten();
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        if rng.random_bool(0.3) {
            let (s, e, t) = (
                rng.random_range(0..300u64),
                rng.random_range(0..300u64),
                rng.random_range(0..300u64),
            );
            let range = [
                format!("bytes {s}-{e}/{t}"),
                format!("bytes {s}-{}/{}", u64::MAX, u64::MAX),
                "bytes */*".to_owned(),
                format!("bytes {s}-{e}/{}", u64::MAX),
                "garbage".to_owned(),
            ];
            req = req.header(
                "content-range",
                range.choose(&mut rng).expect("range").clone(),
            );
        }
        if rng.random_bool(0.1) {
            req = req.header("content-encoding", "gzip");
        }
        if rng.random_bool(0.1) {
            req = req.header(
                "x-lastmile-device-time",
                ["garbage", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"]
                    .choose(&mut rng)
                    .copied()
                    .expect("time"),
            );
        }
        let what = format!("#{i} {method} {path} ({} bytes)", body.len());
        let resp = match req.body(body).send().await {
            Ok(resp) => resp,
            Err(e) => {
                failures.push(format!("{what}: no answer: {e}"));
                continue;
            }
        };
        let status = resp.status();
        *statuses.entry(status.as_u16()).or_default() += 1;
        let text = resp.text().await.unwrap_or_default();
        if status.is_server_error() {
            failures.push(format!("{what}: {status} {text}"));
        } else if status.is_client_error()
            && method != "HEAD"
            && status != reqwest::StatusCode::METHOD_NOT_ALLOWED
        {
            let code = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_owned));
            if code.is_none_or(|c| c.is_empty()) {
                failures.push(format!(
                    "{what}: {status} without an ErrorBody code: {text:.200}"
                ));
            }
        }
    }
    drop(server);
    let log = std::fs::read_to_string(&log_path).expect("server log");
    eprintln!("{REQUESTS} requests, statuses {statuses:?}");
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
    assert!(
        failures.is_empty(),
        "{} failures (seed {SEED:#x}):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
