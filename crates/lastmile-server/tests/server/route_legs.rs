//! Route legs from real router responses (`shared/data/osrm_valhalla_route_fixtures`), put
//! on a tour over real HTTP (the server on a loopback port), and what follows: the snapshot
//! carries them, the change feed carries `RouteChanged`, and a real device (store + sync
//! engine) that had the tour before gets them. Responses that do not fit the tour are refused
//! with their reason and change nothing.

use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use lastmile_protocol::auth::Role;
use lastmile_protocol::dispatch::{ImportReport, RouteReport};
use lastmile_protocol::sync::ChangesPage;
use lastmile_protocol::tour::{LatLon, RouteLegDto, TourChange, TourSnapshot};
use lastmile_store::Store;
use lastmile_sync::engine::{Config, Engine};
use lastmile_sync::runner::{Credentials, Runner};
use lastmile_sync::transport::ServerClient;
use serde_json::{Value, json};

use crate::both;
use crate::harness::*;
use crate::stories::gzip;

both!(
    route_legs_reach_the_snapshot_the_feed_and_a_device,
    route_uploads_that_do_not_fit_are_refused_and_change_nothing,
    valhalla_native_and_a_long_osrm_route_are_accepted,
);

/// A router response from the shared fixtures, verbatim.
fn fixture(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/osrm_valhalla_route_fixtures")
        .join(relative);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("shared route fixture {}: {e}", path.display()))
}

/// The points the route was asked for: OSRM's `waypoints[].location` (`[lon, lat]`) or
/// Valhalla's `trip.locations[]`.
fn waypoints(response: &str) -> Vec<LatLon> {
    let json: Value = serde_json::from_str(response).expect("fixture is JSON");
    if let Some(points) = json["waypoints"].as_array() {
        return points
            .iter()
            .map(|w| LatLon {
                lat: w["location"][1].as_f64().expect("lat"),
                lon: w["location"][0].as_f64().expect("lon"),
            })
            .collect();
    }
    json["trip"]["locations"]
        .as_array()
        .expect("waypoints or trip.locations")
        .iter()
        .map(|l| LatLon {
            lat: l["lat"].as_f64().expect("lat"),
            lon: l["lon"].as_f64().expect("lon"),
        })
        .collect()
}

/// `p` moved `metres` due north.
fn north(p: LatLon, metres: f64) -> LatLon {
    LatLon {
        lat: p.lat + metres / 111_195.0,
        lon: p.lon,
    }
}

/// A tour of `driver` at station S1 with one parcel per stop, the stops at `stops`.
fn routed_tour(tour_id: &str, driver: &str, app: &App, stops: &[(&str, LatLon)]) -> TourSnapshot {
    let mut t = tour(tour_id, driver, "S1", app.now().date_naive());
    t.stops = stops
        .iter()
        .enumerate()
        .map(|(i, (id, position))| {
            let mut s = stop(id, i as u32 + 1, &[&format!("{id}-P")]);
            s.position = *position;
            s
        })
        .collect();
    t
}

/// The standard people and stations, without the standard tours (each story imports its own).
async fn seed_without_tours(app: &App) {
    let mut seed = fixture_seed(app.now().date_naive());
    seed.tours.clear();
    app.seed_with(&seed).await;
}

/// The app served on a loopback port, for as long as this lives.
pub(crate) struct Live {
    pub(crate) url: String,
    http: reqwest::Client,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Drop for Live {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(crate) async fn live(app: &App) -> Live {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let task = tokio::spawn(lastmile_server::serve(
        listener,
        app.state.clone(),
        std::future::pending(),
    ));
    Live {
        url,
        http: reqwest::Client::new(),
        task,
    }
}

impl Live {
    /// `PUT /v1/dispatch/tours/{tour_id}/route[?first_stop=]`: status and JSON answer.
    async fn put_route(
        &self,
        token: &str,
        tour_id: &str,
        first_stop: Option<&str>,
        body: Vec<u8>,
        gzipped: bool,
    ) -> (u16, Value) {
        let mut req = self
            .http
            .put(format!("{}/v1/dispatch/tours/{tour_id}/route", self.url))
            .bearer_auth(token)
            .header("content-type", "application/json");
        if let Some(first) = first_stop {
            req = req.query(&[("first_stop", first)]);
        }
        if gzipped {
            req = req.header("content-encoding", "gzip");
        }
        let resp = req.body(body).send().await.expect("PUT route");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let resp = self
            .http
            .post(format!("{}{path}", self.url))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("POST");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn get<T: serde::de::DeserializeOwned>(&self, token: &str, path: &str) -> T {
        let resp = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET");
        assert!(resp.status().is_success(), "GET {path}: {}", resp.status());
        resp.json().await.expect("protocol type")
    }

    async fn import(&self, lead: &Login, tours: &[TourSnapshot]) {
        let (status, json) = self
            .post(
                lead.token(),
                "/v1/dispatch/import/own",
                serde_json::to_value(tours).expect("json"),
            )
            .await;
        assert_eq!(status, 200, "import: {json}");
        let report: ImportReport = serde_json::from_value(json).expect("report");
        assert_eq!(report.tour_ids.len(), tours.len());
    }

    async fn plan(&self, lead: &Login, tour_id: &str) -> TourSnapshot {
        self.get(lead.token(), &format!("/v1/dispatch/tours/{tour_id}"))
            .await
    }
}

/// A driver's phone: its store in a temp folder, its enrolment and current session (the
/// sync engine rotates the session's tokens as the app would).
struct Phone {
    store: Store,
    login: Login,
    _dir: tempfile::TempDir,
}

async fn phone(app: &App, driver: &str) -> Phone {
    let dir = tempfile::tempdir().expect("temp dir");
    Phone {
        store: Store::open(&dir.path().join("device.db")).expect("device store"),
        login: app.login("S1", Role::Driver, driver).await,
        _dir: dir,
    }
}

impl Phone {
    /// Syncs with the live server through the real sync engine and transport until nothing
    /// is outstanding: the first time it downloads the tour, later it pulls change sets.
    async fn sync(self, live: &Live) -> Self {
        let Phone {
            store,
            mut login,
            _dir,
        } = self;
        let client = ServerClient::new(&live.url, Duration::from_secs(10)).expect("client");
        let creds = Credentials {
            device_id: login.device_id.clone(),
            device_token: login.dev.device_token.clone(),
            role: Role::Driver,
            user_id: login.session.user_id.clone(),
            pin: None,
        };
        let mut runner = Runner::new(Engine::new(Config::default()), client, store, creds)
            .with_session(login.session.clone());
        runner
            .sync_until_settled(Duration::from_secs(30))
            .await
            .expect("device syncs");
        login.session = runner.sessions().borrow().clone().expect("still signed in");
        Phone {
            store: runner.into_outbox(),
            login,
            _dir,
        }
    }

    fn route(&self, stop_id: &str) -> Option<RouteLegDto> {
        self.store
            .stop_detail(stop_id)
            .expect("read stop")
            .unwrap_or_else(|| panic!("stop {stop_id} on the device"))
            .route
    }
}

fn route_of(plan: &TourSnapshot, stop_id: &str) -> Option<RouteLegDto> {
    plan.stops
        .iter()
        .find(|s| s.stop_id == stop_id)
        .unwrap_or_else(|| panic!("stop {stop_id} on the plan"))
        .route
        .clone()
}

/// A route upload that must be refused: who sends what for which tour, and the answer.
struct Refusal<'a> {
    what: &'a str,
    who: &'a Login,
    tour_id: &'a str,
    first_stop: Option<&'a str>,
    body: Vec<u8>,
    status: u16,
    code: &'a str,
    /// Words the message must contain.
    says: &'a [&'a str],
}

const ROUNDABOUTS: &str = "valhalla_osrm_compatible/valhalla_osrm_with_roundabouts.json";

async fn route_legs_reach_the_snapshot_the_feed_and_a_device(b: Backend) {
    let app = app(b).await;
    seed_without_tours(&app).await;
    let live = live(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    // The driver's view from another device (the phones' sync engines rotate their tokens).
    let d1 = app.login("S1", Role::Driver, "D1").await;
    // Manchester, 3 waypoints, 2 legs. The tour has a stop before the routed part (at the
    // route's start) and one after it.
    let response = fixture(ROUNDABOUTS);
    let raw: Value = serde_json::from_str(&response).expect("json");
    let wp = waypoints(&response);
    assert_eq!(wp.len(), 3);
    let tour = routed_tour(
        "R1",
        "D1",
        &app,
        &[
            ("R1-PRE", wp[0]),
            ("R1-A", wp[1]),
            ("R1-B", wp[2]),
            ("R1-C", north(wp[2], 1000.0)),
        ],
    );
    live.import(&lead, std::slice::from_ref(&tour)).await;

    // The driver's phone downloads the tour before any route exists.
    let phone1 = phone(&app, "D1").await.sync(&live).await;
    let before = phone1.store.tour_cursor().expect("cursor").expect("a tour");
    assert_eq!(phone1.route("R1-A"), None);

    let (status, json) = live
        .put_route(
            lead.token(),
            "R1",
            Some("R1-A"),
            response.clone().into_bytes(),
            false,
        )
        .await;
    assert_eq!(status, 200, "{json}");
    let report: RouteReport = serde_json::from_value(json).expect("report");
    assert_eq!(report.stops, ["R1-A", "R1-B"]);
    assert!(report.cursor > before, "{} > {before}", report.cursor);

    // The snapshot: leg k on the k-th stop from R1-A, as the router measured it.
    let plan = live.plan(&lead, "R1").await;
    assert_eq!(plan.cursor, report.cursor);
    for (k, stop_id) in ["R1-A", "R1-B"].into_iter().enumerate() {
        let leg = route_of(&plan, stop_id).unwrap_or_else(|| panic!("{stop_id} has a leg"));
        let raw_leg = &raw["routes"][0]["legs"][k];
        assert_eq!(
            leg.distance_m,
            raw_leg["distance"].as_f64().expect("distance")
        );
        assert_eq!(
            leg.maneuvers.len(),
            raw_leg["steps"].as_array().expect("steps").len()
        );
        let end = leg.maneuvers.last().expect("maneuvers");
        assert_eq!(end.kind, "arrive");
        assert_eq!(end.location, wp[k + 1], "leg {k} ends at its stop");
    }
    assert_eq!(
        route_of(&plan, "R1-PRE"),
        None,
        "before first_stop: untouched"
    );
    assert_eq!(route_of(&plan, "R1-C"), None, "no leg left for it");
    assert!(
        route_of(&plan, "R1-A")
            .expect("leg")
            .maneuvers
            .iter()
            .any(|m| m.kind.contains("roundabout")),
        "the roundabouts of the response are there"
    );
    let driver_view: TourSnapshot = live.get(d1.token(), "/v1/tour").await;
    assert_eq!(driver_view, plan, "the driver downloads the same plan");

    // The change feed: one change set, a RouteChanged per assigned stop.
    let page: ChangesPage = live
        .get(d1.token(), &format!("/v1/changes?after={before}"))
        .await;
    assert_eq!(page.change_sets.len(), 1);
    let set = &page.change_sets[0];
    assert_eq!((set.tour_id.as_str(), set.cursor), ("R1", report.cursor));
    assert_eq!(
        set.changes,
        [
            TourChange::RouteChanged {
                stop_id: "R1-A".into(),
                route: route_of(&plan, "R1-A"),
            },
            TourChange::RouteChanged {
                stop_id: "R1-B".into(),
                route: route_of(&plan, "R1-B"),
            },
        ]
    );

    // The phone that had the tour gets the legs through sync.
    let phone1 = phone1.sync(&live).await;
    assert_eq!(
        phone1.store.tour_cursor().expect("cursor"),
        Some(report.cursor)
    );
    assert_eq!(phone1.route("R1-A"), route_of(&plan, "R1-A"));
    assert_eq!(phone1.route("R1-B"), route_of(&plan, "R1-B"));
    assert_eq!(phone1.route("R1-PRE"), None);
    // A phone that downloads the tour only now finds them in its snapshot.
    let phone2 = phone(&app, "D1").await.sync(&live).await;
    assert_eq!(phone2.route("R1-B"), route_of(&plan, "R1-B"));

    // Dispatch's own edits: a leg for the wrong stop is refused like an upload; a route
    // dropped by hand and a stop moved 500 m (its leg led to the old door) both lose their leg,
    // on the server and on the device alike.
    let (status, json) = live
        .post(
            lead.token(),
            "/v1/dispatch/tours/R1/changes",
            json!({ "changes": [{ "type": "route_changed", "stop_id": "R1-C", "route": route_of(&plan, "R1-B") }] }),
        )
        .await;
    assert_eq!(
        (status, json["code"].as_str()),
        (422, Some("leg_far_from_stop")),
        "{json}"
    );
    // A new stop arriving with a leg that leads 2 km away from it is refused the same way.
    let mut far_stop = tour.stops[2].clone();
    far_stop.stop_id = "R1-NEW".into();
    far_stop.position = north(wp[2], 2000.0);
    far_stop.route = route_of(&plan, "R1-B");
    let (status, json) = live
        .post(
            lead.token(),
            "/v1/dispatch/tours/R1/changes",
            json!({ "changes": [{ "type": "stop_added", "stop": far_stop }] }),
        )
        .await;
    assert_eq!(
        (status, json["code"].as_str()),
        (422, Some("leg_far_from_stop")),
        "{json}"
    );
    assert!(
        json["message"]
            .as_str()
            .is_some_and(|m| m.contains("new stop R1-NEW")),
        "{json}"
    );
    assert_eq!(
        live.plan(&lead, "R1").await,
        plan,
        "a refused change set changes nothing"
    );
    let moved = north(wp[2], 500.0);
    let (status, json) = live
        .post(
            lead.token(),
            "/v1/dispatch/tours/R1/changes",
            json!({ "changes": [
                { "type": "route_changed", "stop_id": "R1-A", "route": null },
                { "type": "address_corrected", "stop_id": "R1-B", "address": tour.stops[2].address, "position": moved },
            ] }),
        )
        .await;
    assert_eq!(status, 200, "{json}");
    let plan = live.plan(&lead, "R1").await;
    assert_eq!(route_of(&plan, "R1-A"), None, "dropped by hand");
    assert_eq!(route_of(&plan, "R1-B"), None, "moved: the old leg is gone");
    let phone1 = phone1.sync(&live).await;
    assert_eq!(
        phone1.store.tour_cursor().expect("cursor"),
        Some(plan.cursor)
    );
    assert_eq!(phone1.route("R1-A"), None);
    assert_eq!(phone1.route("R1-B"), None);
}

async fn route_uploads_that_do_not_fit_are_refused_and_change_nothing(b: Backend) {
    let app = app(b).await;
    seed_without_tours(&app).await;
    let live = live(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let other_lead = app.login("S2", Role::Station, "L2").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let response = fixture(ROUNDABOUTS);
    let wp = waypoints(&response);
    let r1 = routed_tour(
        "R1",
        "D1",
        &app,
        &[("R1-PRE", wp[0]), ("R1-A", wp[1]), ("R1-B", wp[2])],
    );
    // R2's second stop sits 2 km north of where the second leg ends.
    let r2 = routed_tour(
        "R2",
        "D2",
        &app,
        &[("R2-A", wp[1]), ("R2-B", north(wp[2], 2000.0))],
    );
    live.import(&lead, &[r1, r2]).await;
    let plans_before = [live.plan(&lead, "R1").await, live.plan(&lead, "R2").await];
    let feed_after = plans_before[0].cursor.max(plans_before[1].cursor);

    let body = || response.clone().into_bytes();
    let cases = [
        Refusal {
            what: "a stop 2 km off the second leg's end",
            who: &lead,
            tour_id: "R2",
            first_stop: None,
            body: body(),
            status: 422,
            code: "leg_far_from_stop",
            says: &["leg 2 of 2", "stop R2-B", "250 m"],
        },
        Refusal {
            what: "the legs start one stop too early (leg 1 ends at R1-A, not at R1-PRE)",
            who: &lead,
            tour_id: "R1",
            first_stop: None,
            body: body(),
            status: 422,
            code: "leg_far_from_stop",
            says: &["leg 1 of 2", "stop R1-PRE"],
        },
        Refusal {
            what: "more legs than stops from first_stop",
            who: &lead,
            tour_id: "R1",
            first_stop: Some("R1-B"),
            body: body(),
            status: 422,
            code: "too_many_legs",
            says: &["2 legs", "1 stop(s) from R1-B"],
        },
        Refusal {
            what: "an unknown first_stop",
            who: &lead,
            tour_id: "R1",
            first_stop: Some("NOPE"),
            body: body(),
            status: 400,
            code: "unknown_stop",
            says: &["NOPE"],
        },
        Refusal {
            what: "a body that is no route",
            who: &lead,
            tour_id: "R1",
            first_stop: None,
            body: b"{\"hello\": \"world\"}".to_vec(),
            status: 400,
            code: "bad_route",
            says: &["neither `routes`"],
        },
        Refusal {
            what: "a body that is not JSON",
            who: &lead,
            tour_id: "R1",
            first_stop: None,
            body: b"<html>502 Bad Gateway</html>".to_vec(),
            status: 400,
            code: "bad_route",
            says: &["route response"],
        },
        Refusal {
            what: "the router's error answer",
            who: &lead,
            tour_id: "R1",
            first_stop: None,
            body: br#"{"error_code": 171, "error": "No suitable edges near location", "status_code": 400}"#.to_vec(),
            status: 400,
            code: "bad_route",
            says: &["No suitable edges"],
        },
        Refusal {
            what: "an OSRM answer without turn-by-turn steps",
            who: &lead,
            tour_id: "R1",
            first_stop: None,
            body: fixture("osrm_native/standard_osrm_polyline6_response.json").into_bytes(),
            status: 400,
            code: "bad_route",
            says: &["steps=true"],
        },
        Refusal {
            what: "a tour of another station",
            who: &other_lead,
            tour_id: "R1",
            first_stop: None,
            body: body(),
            status: 403,
            code: "not_your_tour",
            says: &[],
        },
        Refusal {
            what: "a driver",
            who: &d1,
            tour_id: "R1",
            first_stop: Some("R1-A"),
            body: body(),
            status: 403,
            code: "dispatch_only",
            says: &[],
        },
        Refusal {
            what: "a tour that does not exist",
            who: &lead,
            tour_id: "NO-SUCH-TOUR",
            first_stop: None,
            body: body(),
            status: 404,
            code: "no_tour",
            says: &["NO-SUCH-TOUR"],
        },
    ];
    for Refusal {
        what,
        who,
        tour_id,
        first_stop,
        body,
        status,
        code,
        says,
    } in cases
    {
        let (got, json) = live
            .put_route(who.token(), tour_id, first_stop, body, false)
            .await;
        assert_eq!(
            (got, json["code"].as_str()),
            (status, Some(code)),
            "{what}: {json}"
        );
        let message = json["message"].as_str().unwrap_or("");
        for &words in says {
            assert!(
                message.contains(words),
                "{what}: {message:?} lacks {words:?}"
            );
        }
    }
    // The 2 km are measured, not guessed.
    let (_, json) = live
        .put_route(lead.token(), "R2", None, body(), false)
        .await;
    let message = json["message"].as_str().expect("message");
    let metres: f64 = message
        .split(" ends ")
        .nth(1)
        .and_then(|rest| rest.split(" m ").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a distance in {message:?}"));
    assert!((1990.0..=2010.0).contains(&metres), "{metres} m: {message}");

    // A body over the limit gets the limit's error (in process: a server may close the
    // connection before a client finishes sending a body it will not read).
    let mut huge = response.clone().into_bytes();
    huge.resize(app.state.config.max_route_bytes + 1, b' ');
    let r = app
        .raw(
            Request::builder()
                .method(Method::PUT)
                .uri("/v1/dispatch/tours/R1/route?first_stop=R1-A")
                .header("authorization", format!("Bearer {}", lead.token()))
                .body(Body::from(huge))
                .expect("request"),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large"),
        "{}",
        r.json
    );

    // Nothing changed: not the plans, not the feed.
    assert_eq!(
        [live.plan(&lead, "R1").await, live.plan(&lead, "R2").await],
        plans_before
    );
    let page: ChangesPage = live
        .get(lead.token(), &format!("/v1/changes?after={feed_after}"))
        .await;
    assert!(page.change_sets.is_empty(), "{:?}", page.change_sets);
    // The same response fits R1 from R1-A on: the refusals were about fit, not the file.
    let (status, json) = live
        .put_route(lead.token(), "R1", Some("R1-A"), body(), false)
        .await;
    assert_eq!(status, 200, "{json}");
}

async fn valhalla_native_and_a_long_osrm_route_are_accepted(b: Backend) {
    let app = app(b).await;
    seed_without_tours(&app).await;
    let live = live(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    // Valhalla's native format: Berlin-Friedrichshain, one leg; the default first stop.
    let berlin = fixture("valhalla_native/route.json");
    let raw: Value = serde_json::from_str(&berlin).expect("json");
    let locations = waypoints(&berlin);
    let r3 = routed_tour("R3", "D1", &app, &[("R3-A", locations[1])]);
    // OSRM's stock format, 13,445 km and 422 steps in 1.2 MB, sent gzip-compressed; the tour
    // has a stop before the one the leg leads to.
    let long = fixture("osrm_native/portugal_to_korea.json");
    assert!(long.len() > 1_000_000);
    let ends = waypoints(&long);
    let r4 = routed_tour(
        "R4",
        "D2",
        &app,
        &[("R4-START", ends[0]), ("R4-END", ends[1])],
    );
    live.import(&lead, &[r3, r4]).await;

    let (status, json) = live
        .put_route(lead.token(), "R3", None, berlin.into_bytes(), false)
        .await;
    assert_eq!(status, 200, "{json}");
    let report: RouteReport = serde_json::from_value(json).expect("report");
    assert_eq!(report.stops, ["R3-A"]);
    let leg = route_of(&live.plan(&lead, "R3").await, "R3-A").expect("leg");
    let raw_leg = &raw["trip"]["legs"][0];
    assert_eq!(
        leg.maneuvers.len(),
        raw_leg["maneuvers"].as_array().expect("maneuvers").len()
    );
    assert!(
        (leg.distance_m - raw_leg["summary"]["length"].as_f64().expect("km") * 1000.0).abs() < 1e-6
    );
    assert_eq!(leg.maneuvers.last().expect("end").kind, "arrive");

    let (status, json) = live
        .put_route(
            lead.token(),
            "R4",
            Some("R4-END"),
            gzip(long.as_bytes()),
            true,
        )
        .await;
    assert_eq!(status, 200, "{json}");
    let report: RouteReport = serde_json::from_value(json).expect("report");
    assert_eq!(report.stops, ["R4-END"]);
    let plan = live.plan(&lead, "R4").await;
    let leg = route_of(&plan, "R4-END").expect("leg");
    assert_eq!(leg.maneuvers.len(), 422);
    assert!(
        (leg.distance_m - 13_444_776.2).abs() < 1.0,
        "{}",
        leg.distance_m
    );
    assert_eq!(route_of(&plan, "R4-START"), None);
}
