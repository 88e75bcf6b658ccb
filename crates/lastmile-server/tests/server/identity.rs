//! Device identity: a shared handheld sends the previous driver's queued work as theirs (and
//! only for people who signed in on it), and a device that lost its credentials re-binds to
//! its event stream with the stream key — nobody else can.

use axum::http::StatusCode;
use lastmile_protocol::auth::{EnrolResponse, RebindResponse, Role, Session};
use lastmile_protocol::events::Person;
use lastmile_protocol::sync::BatchAck;
use serde_json::json;

use crate::{Backend, Login, app, both, delivered, event};

both!(
    a_shared_handheld_sends_the_previous_drivers_queued_work_as_theirs,
    a_device_cannot_record_for_a_person_who_never_signed_in_on_it,
    a_lost_enrolment_re_binds_to_its_stream_only_with_the_stream_key,
);

/// (seq, code) of each refused event.
fn refused(ack: &BatchAck) -> Vec<(u64, &str)> {
    ack.rejections
        .iter()
        .map(|r| (r.seq, r.code.as_str()))
        .collect()
}

fn by(user: &str, role: Role) -> Option<Person> {
    Some(Person {
        user_id: user.into(),
        role,
    })
}

/// `POST /v1/devices/rebind`: `dev` takes over `old_id`'s stream with `key`.
async fn rebind(app: &crate::App, dev: &EnrolResponse, old_id: &str, key: &str) -> crate::Resp {
    app.post(
        "/v1/devices/rebind",
        None,
        json!({ "device_id": dev.device_id, "device_token": dev.device_token,
                "old_device_id": old_id, "stream_key": key }),
    )
    .await
}

async fn sign_in_on(app: &crate::App, dev: &EnrolResponse, user: &str) -> Login {
    let session: Session = app
        .sign_in(dev, Role::Driver, user, &format!("{user}-pin"))
        .await
        .ok();
    Login {
        device_id: dev.device_id.clone(),
        dev: dev.clone(),
        session,
    }
}

async fn a_shared_handheld_sends_the_previous_drivers_queued_work_as_theirs(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let dev = app.enrol("CODE-S1").await;
    // D1 records on the device (offline: nothing sent), then hands it to D2.
    let _d1 = sign_in_on(&app, &dev, "D1").await;
    let d2 = sign_in_on(&app, &dev, "D2").await;
    let now = app.now();
    let mut e1 = event(&d2, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    e1.recorded_by = by("D1", Role::Driver);
    let mut e2 = event(&d2, 2, "T2", now, delivered("T2-A", "T2-P1", vec![]));
    e2.recorded_by = by("D2", Role::Driver);
    // An older app's event names nobody: judged by the uploading session, as before.
    let e3 = event(&d2, 3, "T2", now, delivered("T2-A", "T2-P2", vec![]));
    let e4 = event(&d2, 4, "T1", now, delivered("T1-A", "T1-P2", vec![]));
    let ack: BatchAck = app.send(&d2, &[e1, e2, e3, e4]).await.ok();
    assert_eq!(ack.acked_seq, 4);
    let codes = refused(&ack);
    assert_eq!(
        codes,
        [(4, "not_your_tour")],
        "D1's queued delivery is D1's; only the unnamed one on T1 is judged as D2's"
    );
    let lead = app.login("S1", Role::Station, "L1").await;
    let outcomes = app
        .get("/v1/dispatch/tours/T1/outcomes", lead.token())
        .await;
    assert_eq!(outcomes.status, StatusCode::OK, "{}", outcomes.json);
    let t1 = outcomes.json.as_array().expect("outcomes").clone();
    assert_eq!(t1.len(), 1, "{t1:?}");
    assert_eq!(t1[0]["tracking_id"], "T1-P1");
}

async fn a_device_cannot_record_for_a_person_who_never_signed_in_on_it(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    // D1 signs in on another device only; this device only ever saw D2 (and SUP1 of S1).
    let _elsewhere = app.login("S1", Role::Driver, "D1").await;
    let dev = app.enrol("CODE-S1").await;
    let d2 = sign_in_on(&app, &dev, "D2").await;
    let now = app.now();
    let mut forged = event(&d2, 1, "T1", now, delivered("T1-A", "T1-P1", vec![]));
    forged.recorded_by = by("D1", Role::Driver);
    let mut as_lead = event(&d2, 2, "T2", now, delivered("T2-A", "T2-P1", vec![]));
    as_lead.recorded_by = by("L1", Role::Station);
    // A person with the right id but another role never signed in here either.
    let mut as_supervisor = event(&d2, 3, "T2", now, delivered("T2-A", "T2-P2", vec![]));
    as_supervisor.recorded_by = by("D2", Role::Supervisor);
    let ack: BatchAck = app.send(&d2, &[forged, as_lead, as_supervisor]).await.ok();
    assert_eq!(ack.acked_seq, 3, "refused events are recorded and passed");
    let codes = refused(&ack);
    assert_eq!(
        codes,
        [
            (1, "person_not_on_device"),
            (2, "person_not_on_device"),
            (3, "person_not_on_device")
        ]
    );
    // A station lead who did sign in on the device still cannot record.
    let _l1 = app
        .sign_in(&dev, Role::Station, "L1", "L1-pin")
        .await
        .ok::<Session>();
    let mut lead_event = event(&d2, 4, "T2", now, delivered("T2-A", "T2-P1", vec![]));
    lead_event.recorded_by = by("L1", Role::Station);
    let ack: BatchAck = app.send(&d2, &[lead_event]).await.ok();
    assert_eq!(ack.rejections[0].code, "role_cannot_record");
}

async fn a_lost_enrolment_re_binds_to_its_stream_only_with_the_stream_key(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let key = "a".repeat(64);
    let key_hash = crate::sha256(key.as_bytes());
    let old = app.enrol("CODE-S1").await;
    let register = |dev: &EnrolResponse, hash: &str| json!({ "device_id": dev.device_id, "device_token": dev.device_token, "stream_key_hash": hash });
    let r = app
        .post("/v1/devices/stream-key", None, register(&old, &key_hash))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.json);
    // Registering again is harmless; replacing the key is refused, as is a wrong token.
    let again = app
        .post("/v1/devices/stream-key", None, register(&old, &key_hash))
        .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    let other = app
        .post(
            "/v1/devices/stream-key",
            None,
            register(&old, &crate::sha256(b"another")),
        )
        .await;
    assert_eq!(
        (other.status, other.code()),
        (StatusCode::CONFLICT, "stream_key_set")
    );
    let mut stolen = old.clone();
    stolen.device_token = "lmd_wrong".into();
    let r = app
        .post("/v1/devices/stream-key", None, register(&stolen, &key_hash))
        .await;
    assert_eq!(r.code(), "bad_device_credentials");

    // The old device sends two events, then loses its credentials with more queued.
    let d1 = sign_in_on(&app, &old, "D1").await;
    let now = app.now();
    let queued = [
        event(&d1, 1, "T1", now, delivered("T1-A", "T1-P1", vec![])),
        event(&d1, 2, "T1", now, delivered("T1-A", "T1-P2", vec![])),
        event(&d1, 3, "T1", now, delivered("T1-B", "T1-P3", vec![])),
        event(&d1, 4, "T1", now, delivered("T1-C", "T1-P4", vec![])),
    ];
    let ack: BatchAck = app.send(&d1, &queued[..2]).await.ok();
    assert_eq!(ack.acked_seq, 2);

    let fresh = app.enrol("CODE-S1").await;
    // Refused: a wrong key, an unknown device, a device that never registered a key, another
    // station's enrolment, an enrolment with events of its own.
    let wrong = rebind(&app, &fresh, &old.device_id, &"b".repeat(64)).await;
    assert_eq!(
        (wrong.status, wrong.code()),
        (StatusCode::FORBIDDEN, "rebind_refused")
    );
    let unknown = rebind(&app, &fresh, "dev-nobody", &key).await;
    assert_eq!(unknown.code(), "rebind_refused");
    let keyless = app.enrol("CODE-S1").await;
    let r = rebind(&app, &fresh, &keyless.device_id, &key).await;
    assert_eq!(r.code(), "rebind_refused");
    let foreign = app.enrol("CODE-S2").await;
    let r = rebind(&app, &foreign, &old.device_id, &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "wrong_station")
    );
    let busy_dev = app.enrol("CODE-S1").await;
    let busy = sign_in_on(&app, &busy_dev, "D2").await;
    let _: BatchAck = app
        .send(
            &busy,
            &[event(
                &busy,
                1,
                "T2",
                now,
                delivered("T2-A", "T2-P1", vec![]),
            )],
        )
        .await
        .ok();
    let r = rebind(&app, &busy_dev, &old.device_id, &key).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "rebind_not_fresh")
    );
    let wrong_token = EnrolResponse {
        device_token: "lmd_guess".into(),
        ..fresh.clone()
    };
    let r = rebind(&app, &wrong_token, &old.device_id, &key).await;
    assert_eq!(r.code(), "bad_device_credentials");

    // The right key: the fresh enrolment's token now signs in as the old device id.
    let bound: RebindResponse = rebind(&app, &fresh, &old.device_id, &key).await.ok();
    assert_eq!(
        (
            bound.device_id.as_str(),
            bound.station_id.as_str(),
            bound.acked_seq
        ),
        (old.device_id.as_str(), "S1", 2)
    );
    // A retry (the answer was lost) answers the same.
    let retry: RebindResponse = rebind(&app, &fresh, &old.device_id, &key).await.ok();
    assert_eq!(retry, bound);
    // The old credentials are dead: their session and their token.
    let r = app.send(&d1, &queued[2..]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.json);
    let r = app.sign_in(&old, Role::Driver, "D1", "D1-pin").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The fresh enrolment as itself is gone.
    let r = app.sign_in(&fresh, Role::Driver, "D1", "D1-pin").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // The device carries on under the old id with the new token: all four exactly once.
    let rebound = EnrolResponse {
        device_id: old.device_id.clone(),
        ..fresh.clone()
    };
    let d1_again = sign_in_on(&app, &rebound, "D1").await;
    let ack: BatchAck = app.send(&d1_again, &queued).await.ok();
    assert_eq!(ack.acked_seq, 4);
    assert!(ack.rejections.is_empty(), "{:?}", ack.rejections);
    let lead = app.login("S1", Role::Station, "L1").await;
    let outcomes = app
        .get("/v1/dispatch/tours/T1/outcomes", lead.token())
        .await;
    let seqs: Vec<u64> = outcomes
        .json
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|o| o["seq"].as_u64().expect("seq"))
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
}
