//! What the server's benches share (`mod common;` in each): the bench station and its
//! tours, delivery events, enrolment and sign-in over HTTP, percentiles and the load
//! average. Each bench uses only some of it.
#![allow(dead_code)]

use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::{EnrolResponse, Role, Session};
use lastmile_protocol::events::{BlobRefDto, DeliveryMethodDto, EventBody, EventEnvelope};
use lastmile_protocol::tour::{
    AddressDto, LatLon, ParcelDto, StationDto, StopDto, StopKindDto, TourSnapshot,
};
use serde_json::json;

/// Whether to run: `cargo bench` passes `--bench`; `cargo test --benches` (and `cargo xtask
/// test`) runs a bench only at a size asked for in `size_env`.
pub fn should_run(size_env: &str) -> bool {
    std::env::args().any(|a| a == "--bench") || std::env::var_os(size_env).is_some()
}

/// The number in `env`, or `default`.
pub fn env_or<T: std::str::FromStr>(env: &str, default: T) -> T {
    std::env::var(env)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The 1-minute load average (the machine is shared; every number comes with it).
pub fn load() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(-1.0)
}

/// p50 and p99 of latencies in ms, rounded to 0.01.
pub fn percentiles(mut ms: Vec<f64>) -> serde_json::Value {
    ms.sort_by(f64::total_cmp);
    let p = |q: f64| {
        let v = ms
            .get(((ms.len().max(1) - 1) as f64 * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN);
        (v * 100.0).round() / 100.0
    };
    json!({ "p50_ms": p(0.5), "p99_ms": p(0.99), "requests": ms.len() })
}

pub const STATION: &str = "B1";

pub fn position() -> LatLon {
    LatLon {
        lat: 52.5,
        lon: 13.4,
    }
}

/// A tour of `stops` delivery stops `S1…`, one parcel each, named by `parcel(i)`.
pub fn plan(
    tour_id: &str,
    driver_id: &str,
    date: chrono::NaiveDate,
    stops: u32,
    parcel: impl Fn(u32) -> String,
) -> TourSnapshot {
    let stops = (1..=stops)
        .map(|i| StopDto {
            stop_id: format!("S{i}"),
            sequence: i,
            kind: StopKindDto::Delivery,
            address: AddressDto {
                street: "Weg".into(),
                house_number: i.to_string(),
                postcode: "1".into(),
                city: "X".into(),
                name: None,
            },
            position: position(),
            access_notes: None,
            time_window: None,
            service_seconds: 60,
            parcels: vec![ParcelDto {
                tracking_id: parcel(i),
                time_window: None,
                dimensions: None,
                flags: Default::default(),
                is_return: false,
            }],
            route: None,
            checklist: Vec::new(),
        })
        .collect();
    TourSnapshot {
        tour_id: tour_id.into(),
        station: StationDto {
            station_id: STATION.into(),
            name: "Bench".into(),
            position: position(),
        },
        driver_id: driver_id.into(),
        date,
        departure: None,
        stops,
        cursor: 0,
        card_stacks: Vec::new(),
    }
}

/// The bench station with enrolment code `BENCH`, `users` (PIN `1234`) and `tours`.
pub fn seed(users: &[(&str, Role)], tours: Vec<TourSnapshot>) -> Seed {
    Seed {
        stations: vec![SeedStation {
            station_id: STATION.into(),
            name: "Bench".into(),
            position: position(),
            enrolment_codes: vec![SeedEnrolmentCode {
                code: "BENCH".into(),
                max_uses: 1000,
                expires_at: None,
            }],
        }],
        users: users
            .iter()
            .map(|(id, role)| SeedUser {
                user_id: (*id).into(),
                role: *role,
                station_id: STATION.into(),
                pin: "1234".into(),
                name: None,
                rides_with: vec![],
            })
            .collect(),
        tours,
        ..Seed::default()
    }
}

/// A delivery to the safe place, recorded at `at`.
pub fn delivery(
    device_id: &str,
    seq: u64,
    tour_id: &str,
    (stop_id, tracking_id): (String, String),
    at: chrono::DateTime<chrono::Utc>,
    blobs: Vec<BlobRefDto>,
) -> EventEnvelope {
    EventEnvelope {
        event_id: uuid::Uuid::now_v7(),
        device_id: device_id.into(),
        seq,
        tour_id: tour_id.into(),
        recorded_at: at,
        position: None,
        app_version: "bench".into(),
        recorded_by: None,
        body: EventBody::ParcelDelivered {
            stop_id,
            tracking_id,
            method: DeliveryMethodDto::SafePlace {
                description: "porch".into(),
            },
            card: None,
            id_checked: false,
            blobs,
        },
    }
}

/// A device enrolled with `BENCH`.
pub async fn enrol(http: &reqwest::Client, url: &str) -> anyhow::Result<EnrolResponse> {
    Ok(http
        .post(format!("{url}/v1/devices/enrol"))
        .json(&json!({ "enrolment_code": "BENCH", "device_name": "bench" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

/// `user` signed in as `role` on `dev` with PIN `1234`.
pub async fn sign_in(
    http: &reqwest::Client,
    url: &str,
    dev: &EnrolResponse,
    role: Role,
    user: &str,
) -> anyhow::Result<Session> {
    Ok(http
        .post(format!("{url}/v1/session"))
        .json(&json!({ "device_id": dev.device_id, "device_token": dev.device_token, "role": role, "user_id": user, "pin": "1234" }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?)
}

/// A new device with `user` signed in: its id and access token.
pub async fn device_with(
    http: &reqwest::Client,
    url: &str,
    role: Role,
    user: &str,
) -> anyhow::Result<(String, String)> {
    let dev = enrol(http, url).await?;
    let session = sign_in(http, url, &dev, role, user).await?;
    Ok((dev.device_id, session.access_token))
}

/// The server (`lastmile_server::serve`, the binary's own loop) on a loopback port.
pub struct Running {
    pub url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

pub async fn start(state: lastmile_server::ServerState) -> anyhow::Result<Running> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(lastmile_server::serve(listener, state, async {
        if stopped.await.is_err() {
            eprintln!("bench ended without stopping the server");
        }
    }));
    Ok(Running { url, stop, task })
}

impl Running {
    /// Drains and stops the server.
    pub async fn stop(self) -> anyhow::Result<()> {
        if self.stop.send(()).is_err() {
            eprintln!("server already stopped");
        }
        Ok(self.task.await??)
    }
}

/// `n` authorised GETs of `url` one after the other, each answer read as a `T` and checked
/// by `check` (a wrong answer fails the bench): their latencies in ms.
pub async fn timed_gets<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    n: usize,
    check: impl Fn(&T) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<f64>> {
    let mut ms = Vec::with_capacity(n);
    for _ in 0..n {
        let t = std::time::Instant::now();
        let answer: T = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        check(&answer)?;
    }
    Ok(ms)
}
