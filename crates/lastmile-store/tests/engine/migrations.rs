//! Upgrades with data: a database is built at every past schema version (and the latest, as
//! a check of the fixture itself), filled with the
//! rows a driver's day leaves at that version (written with that version's SQL, as the old
//! app wrote them), then opened by this build. Every row is still there and the screens'
//! queries show it; recording goes on with the next sequence number.

use lastmile_domain::{DeliveryMethod, ParcelState};
use lastmile_store::migrations::{latest_version, migrate_to};
use lastmile_store::queries::StopStatus;
use lastmile_store::{Delivery, Store};
use rusqlite::{Connection, params};

use crate::assert_log_consistent;

const TOUR: &str = "T-OLD";
const PHOTO: &[u8] = b"an old photo of a porch, kept across upgrades";

fn event(seq: u64, id: &str, time: &str, body: &str) -> String {
    format!(
        r#"{{"event_id":"{id}","device_id":"DEV-OLD","seq":{seq},"tour_id":"{TOUR}","recorded_at":"{time}","position":{{"lat":52.52,"lon":13.405,"accuracy_m":6.0}},"app_version":"0.0.1","body":{body}}}"#
    )
}

/// What the rows written at `version` must look like after the upgrade.
struct Seeded {
    events: u64,
    photo_hash: Option<String>,
    /// Stop B has a route leg (schema 3 and later).
    route: bool,
    /// The enrolment is kept in the store and events name their person (schema 4 and later).
    identity: bool,
}

/// Writes the rows a day's work leaves at schema `version`, with that version's SQL only.
fn seed(conn: &Connection, version: u32, blob_dir: &std::path::Path) -> Seeded {
    let mut seeded = Seeded {
        events: 0,
        photo_hash: None,
        route: false,
        identity: false,
    };
    if version >= 1 {
        conn.execute_batch(
            "INSERT INTO meta (key, value) VALUES ('install_id', 'install-old');
             INSERT INTO meta (key, value) VALUES ('device_id', 'DEV-OLD');",
        )
        .unwrap();
    }
    if version >= 2 {
        let hash = lastmile_store::blobs::sha256_hex(PHOTO);
        std::fs::create_dir_all(blob_dir).unwrap();
        std::fs::write(blob_dir.join(&hash), PHOTO).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO tour VALUES ('{TOUR}', 'S1', 'Berlin Mitte', 52.5, 13.4, 'D1', '2024-05-02', '2024-05-02T07:00:00+00:00', 4);
             INSERT INTO stop (tour_id, stop_id, sequence, kind, street, house_number, postcode, city, name, lat, lon,
                               access_notes, tw_start, tw_end, service_seconds, arrived_at, skipped) VALUES
               ('{TOUR}', 'A', 1, 'delivery', 'Ackerstr.', '1', '10115', 'Berlin', 'Ada', 52.531, 13.401, 'Gate 1234',
                NULL, NULL, 120, '2024-05-02T08:00:00+00:00', 0),
               ('{TOUR}', 'B', 2, 'delivery', 'Bergstr.', '22', '10115', 'Berlin', NULL, 52.532, 13.398, NULL,
                '2024-05-02T09:00:00+00:00', '2024-05-02T12:00:00+00:00', 180, NULL, 0),
               ('{TOUR}', 'C', 3, 'pickup', 'Chausseestr.', '3', '10115', 'Berlin', 'Shop C', 52.529, 13.384, NULL,
                NULL, NULL, 60, NULL, 1),
               ('{TOUR}', 'D', 4, 'delivery', 'Dorotheenstr.', '9', '10117', 'Berlin', NULL, 52.519, 13.389, NULL,
                NULL, NULL, 60, NULL, 0);
             INSERT INTO parcel (tour_id, tracking_id, stop_id, tw_start, tw_end, depth_cm, height_cm, width_cm,
                                 no_neighbour, signature_required, id_check, is_return, state, attempts,
                                 outcome_summary, outcome_event_id) VALUES
               ('{TOUR}', 'P-A1', 'A', NULL, NULL, 30.0, 20.0, 10.0, 0, 0, 0, 0, 'delivered', 0,
                'Safe place: porch', '01900000-0000-7000-8000-000000000002'),
               ('{TOUR}', 'P-B1', 'B', NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 'failed', 1,
                'Nobody home, card DE000001', '01900000-0000-7000-8000-000000000003'),
               ('{TOUR}', 'P-B2', 'B', NULL, NULL, NULL, NULL, NULL, 1, 1, 0, 0, 'pending', 0, NULL, NULL),
               ('{TOUR}', 'R-C1', 'C', NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 1, 'pending', 0, NULL, NULL),
               ('{TOUR}', 'P-D1', 'D', NULL, NULL, NULL, NULL, NULL, 0, 0, 1, 0, 'pending', 0, NULL, NULL);
             INSERT INTO unplanned_return VALUES ('01900000-0000-7000-8000-000000000005', '{TOUR}', 'A', 'RET-LABEL-9', 0);
             INSERT INTO blob (sha256, kind, bytes, first_seq, uploaded) VALUES ('{hash}', 'photo', {len}, 2, 0);
             INSERT INTO card (number, issued_at, used_event_id, tracking_id) VALUES
               ('DE000001', '2024-05-02T06:30:00+00:00', '01900000-0000-7000-8000-000000000003', 'P-B1'),
               ('DE000002', '2024-05-02T06:30:00+00:00', NULL, NULL);
             INSERT INTO conflict (tour_id, cursor, stop_id, tracking_id, message, created_at) VALUES
               ('{TOUR}', 4, 'A', NULL, 'dispatch corrected the address after you recorded outcomes here', '2024-05-02T08:30:00+00:00');
             INSERT INTO meta (key, value) VALUES ('active_tour', '{TOUR}');
             INSERT INTO meta (key, value) VALUES ('acked_seq', '1');",
            len = PHOTO.len()
        ))
        .unwrap();
        let events = [
            ("stop_arrived", Some("A"), None, r#"{"type":"stop_arrived","stop_id":"A"}"#.to_owned()),
            (
                "parcel_delivered",
                Some("A"),
                Some("P-A1"),
                format!(
                    r#"{{"type":"parcel_delivered","stop_id":"A","tracking_id":"P-A1","method":{{"to":"safe_place","description":"porch"}},"id_checked":false,"blobs":[{{"sha256":"{hash}","kind":"photo","bytes":{}}}]}}"#,
                    PHOTO.len()
                ),
            ),
            (
                "delivery_failed",
                Some("B"),
                Some("P-B1"),
                r#"{"type":"delivery_failed","stop_id":"B","tracking_id":"P-B1","reason":"nobody_home","card":{"card_number":"DE000001","says":{"type":"next_attempt"}},"blobs":[]}"#.to_owned(),
            ),
            ("stop_skipped", Some("C"), None, r#"{"type":"stop_skipped","stop_id":"C"}"#.to_owned()),
            (
                "return_picked_up",
                Some("A"),
                Some("RET-LABEL-9"),
                r#"{"type":"return_picked_up","stop_id":"A","label":"RET-LABEL-9","blobs":[]}"#.to_owned(),
            ),
        ];
        for (i, (kind, stop, tracking, body)) in events.into_iter().enumerate() {
            let seq = i as u64 + 1;
            let id = format!("01900000-0000-7000-8000-00000000000{seq}");
            let time = format!("2024-05-02T08:0{seq}:00+00:00");
            conn.execute(
                "INSERT INTO event (seq, event_id, tour_id, kind, stop_id, tracking_id, recorded_at, envelope)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![seq as i64, id, TOUR, kind, stop, tracking, time, event(seq, &id, &time, &body)],
            )
            .unwrap();
        }
        seeded.events = 5;
        seeded.photo_hash = Some(hash);
    }
    if version >= 3 {
        conn.execute(
            "UPDATE stop SET route = ?2 WHERE tour_id = ?1 AND stop_id = 'B'",
            params![
                TOUR,
                r#"{"distance_m":412.5,"duration_s":61.0,"maneuvers":[
                    {"location":{"lat":52.531,"lon":13.401},"kind":"depart","street":"Ackerstr.","distance_m":300.0,"duration_s":40.0},
                    {"location":{"lat":52.5315,"lon":13.3995},"kind":"turn","modifier":"left","street":"Bergstr.","distance_m":112.5,"duration_s":21.0},
                    {"location":{"lat":52.532,"lon":13.398},"kind":"arrive","distance_m":0.0,"duration_s":0.0}]}"#
            ],
        )
        .unwrap();
        seeded.route = true;
    }
    if version >= 4 {
        conn.execute_batch(
            "INSERT INTO identity (id, device_id, device_token, saved_at)
               VALUES (1, 'DEV-OLD', 'lmd_old', '2024-05-02T06:00:00+00:00');
             UPDATE event SET recorded_by = 'D1';",
        )
        .unwrap();
        seeded.identity = true;
    }
    seeded
}

#[test]
fn a_days_data_at_every_past_schema_version_survives_the_upgrade_and_shows_on_every_screen() {
    for version in 0..=latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.db");
        let blob_dir = dir.path().join("device.db.blobs");
        let seeded = {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
            assert_eq!(migrate_to(&mut conn, version).unwrap(), version);
            seed(&conn, version, &blob_dir)
        };
        // Opened with a key: every past version is also encrypted on this first open.
        let mut store = Store::open_with(&path, crate::keyed()).unwrap();
        let at = format!("from schema version {version}");
        assert_eq!(store.schema_version().unwrap(), latest_version(), "{at}");
        if version == 0 {
            // Nothing to keep: a fresh install id, no tour.
            assert!(store.tour_overview().unwrap().is_none(), "{at}");
            continue;
        }
        assert_eq!(store.install_id().unwrap(), "install-old", "{at}");
        assert_eq!(store.device_id(), "DEV-OLD", "{at}");
        assert_eq!(
            store.identity().unwrap().map(|i| i.device_token),
            seeded.identity.then(|| "lmd_old".to_owned()),
            "{at}"
        );
        assert_eq!(store.stream_key().unwrap().len(), 64, "{at}");
        if version == 1 {
            assert!(store.tour_overview().unwrap().is_none(), "{at}");
            continue;
        }

        // Tour list: order, statuses, counts, the current stop, the conflict.
        let overview = store.tour_overview().unwrap().unwrap();
        assert_eq!(overview.tour_id, TOUR, "{at}");
        assert_eq!(overview.station_name, "Berlin Mitte", "{at}");
        let lines: Vec<(&str, StopStatus, u32, u32)> = overview
            .stops
            .iter()
            .map(|s| (s.stop_id.as_str(), s.status, s.parcels, s.open_parcels))
            .collect();
        assert_eq!(
            lines,
            [
                ("A", StopStatus::Done, 1, 0),
                ("B", StopStatus::Open, 2, 1),
                ("C", StopStatus::Skipped, 1, 1),
                ("D", StopStatus::Open, 1, 1),
            ],
            "{at}"
        );
        assert_eq!(overview.stops[0].address_line, "Ackerstr. 1, 10115 Berlin");
        assert!(overview.stops[0].has_access_notes, "{at}");
        assert_eq!(overview.current_stop_id.as_deref(), Some("B"), "{at}");
        assert_eq!(overview.open_conflicts, 1, "{at}");
        assert_eq!(store.conflicts().unwrap().len(), 1, "{at}");

        // Stop card and parcel lookup.
        let b = store.current_stop().unwrap().unwrap();
        assert_eq!(b.stop.stop_id, "B", "{at}");
        assert!(b.stop.time_window.is_some(), "{at}");
        let failed = &b.parcels[0];
        assert_eq!(
            (
                failed.parcel.tracking_id.as_str(),
                failed.state,
                failed.attempts,
                failed.outcome_summary.as_deref()
            ),
            (
                "P-B1",
                ParcelState::Failed,
                1,
                Some("Nobody home, card DE000001")
            ),
            "{at}"
        );
        assert!(b.parcels[1].parcel.flags.signature_required, "{at}");
        let kinds: Option<Vec<String>> = b
            .route
            .as_ref()
            .map(|r| r.maneuvers.iter().map(|m| m.kind.clone()).collect());
        if seeded.route {
            assert_eq!(kinds.unwrap(), ["depart", "turn", "arrive"], "{at}");
        } else {
            assert_eq!(kinds, None, "{at}: no route before schema 3");
        }
        let a1 = store.parcel("P-A1").unwrap().unwrap();
        assert_eq!(a1.state, ParcelState::Delivered, "{at}");
        assert_eq!(a1.outcome_summary.as_deref(), Some("Safe place: porch"));
        assert!(a1.parcel.dimensions.is_some(), "{at}");

        // Outbox, blobs, cards, the day's summary.
        let pending = store.pending_events(100, usize::MAX).unwrap();
        assert_eq!(
            pending.iter().map(|e| e.seq).collect::<Vec<_>>(),
            (2..=seeded.events).collect::<Vec<_>>(),
            "{at}: acknowledged event 1 stays sent"
        );
        let blobs = store.pending_blobs().unwrap();
        assert_eq!(blobs.len(), 1, "{at}");
        assert_eq!(Some(&blobs[0].sha256), seeded.photo_hash.as_ref(), "{at}");
        assert!(blobs[0].path.exists(), "{at}");
        assert_eq!(store.unused_cards(10).unwrap(), ["DE000002"], "{at}");
        let others: Vec<(String, u64)> = store
            .pending_of_others("D2")
            .unwrap()
            .into_iter()
            .map(|o| (o.user_id, o.events))
            .collect();
        let expected: Vec<(String, u64)> = if seeded.identity {
            vec![("D1".into(), seeded.events - 1)]
        } else {
            vec![]
        };
        assert_eq!(others, expected, "{at}: older events name nobody");
        let day = store.end_of_day().unwrap();
        assert_eq!(
            (
                day.delivered,
                day.failed,
                day.cards_used,
                day.cards_unused,
                day.returns_on_board,
                day.conflicts
            ),
            (1, 1, 1, 1, 1, 1),
            "{at}"
        );
        assert_log_consistent(&store);

        // And the driver goes on: the next action gets the next sequence number.
        let rec = store
            .deliver(
                &Delivery {
                    stop_id: "B".into(),
                    tracking_id: "P-B1".into(),
                    method: DeliveryMethod::Recipient { name: "Ada".into() },
                    card: None,
                    id_checked: false,
                    blobs: vec![],
                },
                None,
            )
            .unwrap();
        assert_eq!(rec.seq, seeded.events + 1, "{at}");
        assert_log_consistent(&store);
    }
}
