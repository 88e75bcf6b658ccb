//! Helpers in one place: backends, a seeded fixture (two stations, drivers, a supervisor,
//! station leads, three tours), an in-process HTTP client, and event builders.

use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use chrono::{DateTime, Utc};
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::{EnrolResponse, Role, Session};
use lastmile_protocol::events::{
    BlobKindDto, BlobRefDto, DeliveryMethodDto, EventBody, EventEnvelope,
};
use lastmile_protocol::tour::{
    AddressDto, LatLon, ParcelDto, StationDto, StopDto, StopKindDto, TourSnapshot,
};
use lastmile_server::testing::PgCluster;
use lastmile_server::{ManualClock, ServerConfig, ServerState};
use serde_json::{Value, json};
use tower::ServiceExt;

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static PG: OnceLock<Result<PgCluster, String>> = OnceLock::new();

/// The suite's PostgreSQL cluster, started on first use. Missing binaries fail the test.
pub fn pg() -> &'static PgCluster {
    match PG.get_or_init(|| PgCluster::start(false).map_err(|e| format!("{e:#}"))) {
        Ok(c) => c,
        Err(e) => panic!("cannot start the throwaway PostgreSQL for the server tests: {e}"),
    }
}

/// A server under test: its state, router, manual clock and (for SQLite) temp dir.
pub struct App {
    pub state: ServerState,
    pub clock: Arc<ManualClock>,
    pub _dir: Option<tempfile::TempDir>,
}

pub async fn app(backend: Backend) -> App {
    app_with(backend, |_| {}).await
}

pub async fn app_with(backend: Backend, tweak: impl FnOnce(&mut ServerConfig)) -> App {
    let clock = Arc::new(ManualClock::new(Utc::now()));
    let mut config = ServerConfig {
        clock: clock.clone(),
        admin_token: Some("admin-secret".into()),
        ..ServerConfig::default()
    };
    tweak(&mut config);
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("temp dir");
            let state = ServerState::open_sqlite_with(dir.path(), config).expect("open sqlite");
            App {
                state,
                clock,
                _dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let url = pg().new_database().await.expect("create database");
            let state = ServerState::open_postgres(&url, config)
                .await
                .expect("open postgres");
            App {
                state,
                clock,
                _dir: None,
            }
        }
    }
}

/// An HTTP answer: status, JSON body (Null if none), headers.
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub json: Value,
    pub headers: axum::http::HeaderMap,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or("")
    }
    pub fn ok<T: serde::de::DeserializeOwned>(self) -> T {
        assert!(
            self.status.is_success(),
            "expected success, got {} {}",
            self.status,
            self.json
        );
        serde_json::from_value(self.json).expect("answer matches the protocol type")
    }
}

impl App {
    pub async fn raw(&self, req: Request<Body>) -> Resp {
        let resp = lastmile_server::make_router(self.state.clone())
            .oneshot(req)
            .await
            .expect("router answers");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            json,
            headers,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json")
                .body(Body::from(v.to_string())),
            None => b.body(Body::empty()),
        };
        self.raw(req.expect("request")).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Resp {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.state.now()
    }

    /// Seeds the standard fixture through the admin endpoint.
    pub async fn seed(&self) {
        self.seed_with(&fixture_seed(self.now().date_naive())).await;
    }

    /// Seeds `seed` through the admin endpoint.
    pub async fn seed_with(&self, seed: &Seed) {
        let r = self
            .post(
                "/v1/admin/seed",
                Some("admin-secret"),
                serde_json::to_value(seed).expect("seed json"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "seeding: {}", r.json);
    }

    pub async fn enrol(&self, code: &str) -> EnrolResponse {
        self.post(
            "/v1/devices/enrol",
            None,
            json!({ "enrolment_code": code, "device_name": "test phone" }),
        )
        .await
        .ok()
    }

    pub async fn sign_in(&self, dev: &EnrolResponse, role: Role, user: &str, pin: &str) -> Resp {
        self.post(
            "/v1/session",
            None,
            json!({ "device_id": dev.device_id, "device_token": dev.device_token, "role": role, "user_id": user, "pin": pin }),
        )
        .await
    }

    /// Enrols a device at `station` ("S1" or "S2") and signs `user` in on it.
    pub async fn login(&self, station: &str, role: Role, user: &str) -> Login {
        let dev = self.enrol(&format!("CODE-{station}")).await;
        let session: Session = self
            .sign_in(&dev, role, user, &format!("{user}-pin"))
            .await
            .ok();
        Login {
            device_id: dev.device_id.clone(),
            dev,
            session,
        }
    }

    pub async fn send(&self, login: &Login, events: &[EventEnvelope]) -> Resp {
        let batch = json!({ "device_id": login.device_id, "events": events });
        self.post("/v1/events", Some(&login.session.access_token), batch)
            .await
    }
}

#[derive(Debug, Clone)]
pub struct Login {
    pub device_id: String,
    pub dev: EnrolResponse,
    pub session: Session,
}

impl Login {
    pub fn token(&self) -> &str {
        &self.session.access_token
    }
}

fn user(id: &str, role: Role, station: &str, rides_with: &[&str]) -> SeedUser {
    SeedUser {
        user_id: id.into(),
        role,
        station_id: station.into(),
        pin: format!("{id}-pin"),
        name: None,
        rides_with: rides_with.iter().map(|s| s.to_string()).collect(),
    }
}

pub fn stop(stop_id: &str, seq: u32, parcels: &[&str]) -> StopDto {
    StopDto {
        stop_id: stop_id.into(),
        sequence: seq,
        kind: StopKindDto::Delivery,
        address: AddressDto {
            street: "Hauptstraße".into(),
            house_number: seq.to_string(),
            postcode: "10115".into(),
            city: "Berlin".into(),
            name: None,
        },
        position: LatLon {
            lat: 52.5 + f64::from(seq) * 0.001,
            lon: 13.4,
        },
        access_notes: None,
        time_window: None,
        service_seconds: 60,
        parcels: parcels
            .iter()
            .map(|t| ParcelDto {
                tracking_id: t.to_string(),
                time_window: None,
                dimensions: None,
                flags: Default::default(),
                is_return: false,
            })
            .collect(),
        route: None,
        checklist: Vec::new(),
    }
}

/// Tour `T1` of driver `D1` at `S1`: stops `T1-A` (parcels `T1-P1`, `T1-P2`), `T1-B` (`T1-P3`), `T1-C` (`T1-P4`).
pub fn tour(tour_id: &str, driver: &str, station: &str, date: chrono::NaiveDate) -> TourSnapshot {
    TourSnapshot {
        tour_id: tour_id.into(),
        station: StationDto {
            station_id: station.into(),
            name: format!("Station {station}"),
            position: LatLon {
                lat: 52.5,
                lon: 13.4,
            },
        },
        driver_id: driver.into(),
        date,
        departure: None,
        stops: vec![
            stop(
                &format!("{tour_id}-A"),
                1,
                &[&format!("{tour_id}-P1"), &format!("{tour_id}-P2")],
            ),
            stop(&format!("{tour_id}-B"), 2, &[&format!("{tour_id}-P3")]),
            stop(&format!("{tour_id}-C"), 3, &[&format!("{tour_id}-P4")]),
        ],
        cursor: 0,
        card_stacks: Vec::new(),
    }
}

/// Stations S1, S2; drivers D1, D2 (S1), D3 (S2); supervisor SUP1 rides with D1; station
/// leads L1 (S1), L2 (S2); tours T1 (D1), T2 (D2), T3 (D3); vans B-LM 101..103 (S1) and
/// M-LM 201 (S2). Every PIN is `<user>-pin`.
pub fn fixture_seed(date: chrono::NaiveDate) -> Seed {
    let station = |id: &str| SeedStation {
        station_id: id.into(),
        name: format!("Station {id}"),
        position: LatLon {
            lat: 52.5,
            lon: 13.4,
        },
        enrolment_codes: vec![SeedEnrolmentCode {
            code: format!("CODE-{id}"),
            max_uses: 100,
            expires_at: None,
        }],
    };
    Seed {
        stations: vec![station("S1"), station("S2")],
        users: vec![
            user("D1", Role::Driver, "S1", &[]),
            user("D2", Role::Driver, "S1", &[]),
            user("D3", Role::Driver, "S2", &[]),
            user("SUP1", Role::Supervisor, "S1", &["D1"]),
            user("L1", Role::Station, "S1", &[]),
            user("L2", Role::Station, "S2", &[]),
        ],
        tours: vec![
            tour("T1", "D1", "S1", date),
            tour("T2", "D2", "S1", date),
            tour("T3", "D3", "S2", date),
        ],
        vehicles: vec![
            vehicle("S1", "B-LM 101"),
            vehicle("S1", "B-LM 102"),
            vehicle("S1", "B-LM 103"),
            vehicle("S2", "M-LM 201"),
        ],
        ..Seed::default()
    }
}

fn vehicle(station: &str, plate: &str) -> lastmile_protocol::admin::SeedVehicle {
    lastmile_protocol::admin::SeedVehicle {
        station_id: station.into(),
        plate: plate.into(),
        label: format!("Van {plate}"),
    }
}

pub fn event(
    login: &Login,
    seq: u64,
    tour_id: &str,
    recorded_at: DateTime<Utc>,
    body: EventBody,
) -> EventEnvelope {
    EventEnvelope {
        event_id: uuid::Uuid::now_v7(),
        device_id: login.device_id.clone(),
        seq,
        tour_id: tour_id.into(),
        recorded_at,
        position: None,
        app_version: "test".into(),
        recorded_by: None,
        body,
    }
}

pub fn delivered(stop_id: &str, tracking_id: &str, blobs: Vec<BlobRefDto>) -> EventBody {
    EventBody::ParcelDelivered {
        stop_id: stop_id.into(),
        tracking_id: tracking_id.into(),
        method: DeliveryMethodDto::Recipient {
            name: "Frau Müller".into(),
        },
        card: None,
        id_checked: false,
        blobs,
    }
}

pub fn photo_ref(data: &[u8]) -> BlobRefDto {
    BlobRefDto {
        sha256: sha256(data),
        kind: BlobKindDto::Photo,
        bytes: data.len() as u64,
    }
}

pub fn sha256(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(data))
}

/// A small "JPEG": the magic bytes and some filler.
pub fn jpeg(len: usize, fill: u8) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    v.resize(len, fill);
    v
}

/// Generates `mod name { sqlite, postgres }` running `stories::name(backend)`.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { $name(Backend::Sqlite).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { $name(Backend::Postgres).await }
        }
    )*};
}
