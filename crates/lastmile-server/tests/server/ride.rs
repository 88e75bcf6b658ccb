//! The supervisor ride-along on the server (issue #13), on both backends: a record from
//! start to both signatures through the exactly-once pipeline, the station's day view, the
//! pace with and without assisted stops, templates as versioned data per station, an
//! amendment as a new record, and bad input refused with a clear code and nothing recorded.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use lastmile_protocol::auth::Role;
use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody, EventEnvelope};
use lastmile_protocol::ride::{
    AssistDto, ChecklistTemplate, GradeDto, ObservationCategoryDto, PaceView, RideAlongRecord,
    RideAlongSummary, RideStatusDto,
};
use lastmile_protocol::sync::BatchAck;
use serde_json::json;
use uuid::Uuid;

use crate::both;
use crate::harness::*;

both!(
    a_ride_along_runs_from_start_to_both_signatures_exactly_once,
    bad_ride_along_input_is_refused_and_nothing_recorded,
    checklist_templates_are_versioned_data_per_station,
    a_declined_record_is_final_and_an_amendment_is_a_new_record,
);

/// Signature blobs as the pad makes them (image and strokes).
pub fn signature(seed: u8) -> Vec<BlobRefDto> {
    vec![
        BlobRefDto {
            sha256: sha256(&[seed, 1]),
            kind: BlobKindDto::SignatureImage,
            bytes: 2400,
        },
        BlobRefDto {
            sha256: sha256(&[seed, 2]),
            kind: BlobKindDto::SignatureStrokes,
            bytes: 300,
        },
    ]
}

/// A sender of one login's events with its own sequence.
pub struct Seq<'a> {
    pub app: &'a App,
    pub login: &'a Login,
    pub tour: &'a str,
    pub next: u64,
}

impl<'a> Seq<'a> {
    pub fn new(app: &'a App, login: &'a Login, tour: &'a str) -> Self {
        Self {
            app,
            login,
            tour,
            next: 1,
        }
    }

    pub fn ev(&mut self, at: DateTime<Utc>, body: EventBody) -> EventEnvelope {
        let e = event(self.login, self.next, self.tour, at, body);
        self.next += 1;
        e
    }

    /// Sends one event as the device's next; its rejection code, if any.
    pub async fn send(&mut self, at: DateTime<Utc>, body: EventBody) -> Option<String> {
        let mut tx = self.app.state.db.begin().await.expect("tx");
        let last: i64 = tx
            .one(
                "SELECT last_seq FROM devices WHERE device_id = $1",
                &[lastmile_server::db::V::from(&self.login.device_id)],
            )
            .await
            .expect("device")
            .expect("row")
            .get("last_seq")
            .expect("last_seq");
        drop(tx);
        self.next = last as u64 + 1;
        let e = self.ev(at, body);
        let ack: BatchAck = self.app.send(self.login, &[e]).await.ok();
        ack.rejections.first().map(|r| r.code.clone())
    }
}

fn started(ride: Uuid, sup: &str, driver: &str) -> EventBody {
    EventBody::RideAlongStarted {
        ride_along_id: ride,
        supervisor_id: sup.into(),
        driver_id: driver.into(),
    }
}

fn observed(ride: Uuid, stop: Option<&str>, text: &str) -> EventBody {
    EventBody::RideObservation {
        ride_along_id: ride,
        stop_id: stop.map(str::to_owned),
        category: ObservationCategoryDto::Safety,
        text: text.into(),
        photo: None,
    }
}

fn graded(ride: Uuid, template: (&str, u32), item: &str, grade: GradeDto) -> EventBody {
    EventBody::RideChecklistGraded {
        ride_along_id: ride,
        template_id: template.0.into(),
        template_version: template.1,
        item_id: item.into(),
        grade,
        note: None,
    }
}

fn sup_signed(ride: Uuid, blobs: Vec<BlobRefDto>) -> EventBody {
    EventBody::RideSupervisorSigned {
        ride_along_id: ride,
        coaching_notes: "Good day; keep the hazard lights habit.".into(),
        signature: blobs,
    }
}

fn driver_signed(ride: Uuid, comment: &str) -> EventBody {
    EventBody::RideDriverSigned {
        ride_along_id: ride,
        comment: Some(comment.into()),
        signature: signature(9),
    }
}

async fn record(app: &App, who: &Login, ride: Uuid) -> RideAlongRecord {
    app.get(&format!("/v1/ride-alongs/{ride}"), who.token())
        .await
        .ok()
}

async fn day(app: &App, lead: &Login) -> Vec<RideAlongSummary> {
    app.get("/v1/dispatch/ride-alongs", lead.token()).await.ok()
}

/// How many ride-along records the server holds, however it got them.
async fn ride_rows(app: &App) -> i64 {
    let mut tx = app.state.db.begin().await.expect("tx");
    tx.one("SELECT COUNT(*) AS n FROM ride_alongs", &[])
        .await
        .expect("count")
        .expect("row")
        .get::<i64>("n")
        .expect("n")
}

async fn a_ride_along_runs_from_start_to_both_signatures_exactly_once(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let sup = app.login("S1", Role::Supervisor, "SUP1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let t0 = app.now();
    let min = |m: i64| t0 + chrono::Duration::minutes(m);
    let ride = Uuid::now_v7();

    // The supervisor starts and records; the events go in one batch, sent twice.
    let mut s = Seq::new(&app, &sup, "T1");
    let photo = jpeg(300, 7);
    let batch = vec![
        s.ev(min(0), started(ride, "SUP1", "D1")),
        s.ev(
            min(5),
            EventBody::RideObservation {
                ride_along_id: ride,
                stop_id: Some("T1-A".into()),
                category: ObservationCategoryDto::CustomerContact,
                text: "Greets the customer by name".into(),
                photo: Some(photo_ref(&photo)),
            },
        ),
        s.ev(min(6), observed(ride, None, "Seat belt on every time")),
        s.ev(
            min(7),
            graded(ride, ("default", 1), "seat_belt", GradeDto::Proficient),
        ),
        s.ev(
            min(8),
            graded(ride, ("default", 1), "parking", GradeDto::NeedsPractice),
        ),
        // A later grade of the same item replaces the earlier one.
        s.ev(
            min(9),
            graded(ride, ("default", 1), "seat_belt", GradeDto::Trained),
        ),
        s.ev(
            min(31),
            EventBody::RideStopAssisted {
                ride_along_id: ride,
                stop_id: "T1-B".into(),
                what: AssistDto::CarriedParcels,
            },
        ),
    ];
    for _ in 0..2 {
        let ack: BatchAck = app.send(&sup, &batch).await.ok();
        assert_eq!(ack.acked_seq, 7);
        assert!(ack.rejections.is_empty(), "{:?}", ack.rejections);
        assert_eq!(ack.missing_blobs, [sha256(&photo)], "the photo is awaited");
    }
    // The driver works: T1-A (two parcels) at 0 and 10 minutes, T1-B an hour in.
    let mut d = Seq::new(&app, &d1, "T1");
    assert_eq!(
        d.send(min(0), delivered("T1-A", "T1-P1", vec![])).await,
        None
    );
    assert_eq!(
        d.send(min(10), delivered("T1-A", "T1-P2", vec![])).await,
        None
    );
    assert_eq!(
        d.send(min(60), delivered("T1-B", "T1-P3", vec![])).await,
        None
    );

    // The driver's phone learns that a ride-along runs, and who rides along.
    let mine: Vec<RideAlongRecord> = app.get("/v1/ride-alongs/mine", d1.token()).await.ok();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].summary.supervisor_id, "SUP1");
    assert_eq!(mine[0].summary.status, RideStatusDto::Running);
    let days = day(&app, &l1).await;
    assert_eq!(days.len(), 1);
    assert_eq!(
        (
            days[0].status,
            days[0].observations,
            days[0].grades,
            days[0].assisted_stops
        ),
        (RideStatusDto::Running, 2, 2, 1)
    );

    // The driver cannot answer before the supervisor signed.
    assert_eq!(
        d.send(min(61), driver_signed(ride, "early"))
            .await
            .as_deref(),
        Some("supervisor_not_signed")
    );
    assert_eq!(s.send(min(62), sup_signed(ride, signature(1))).await, None);
    // Signed by the supervisor: no more entries.
    assert_eq!(
        s.send(min(63), observed(ride, None, "one more"))
            .await
            .as_deref(),
        Some("record_signed")
    );
    assert_eq!(
        day(&app, &l1).await[0].status,
        RideStatusDto::AwaitingDriver
    );

    let comment = "I disagree with the parking grade: the street had no space.";
    assert_eq!(d.send(min(70), driver_signed(ride, comment)).await, None);
    let r = record(&app, &sup, ride).await;
    assert_eq!(r.summary.status, RideStatusDto::Signed);
    assert_eq!(r.observations.len(), 2, "sent twice, recorded once");
    assert_eq!(r.observations[0].stop_id.as_deref(), Some("T1-A"));
    assert_eq!(r.observations[0].photo, Some(photo_ref(&photo)));
    let grades: Vec<(&str, GradeDto)> = r
        .grades
        .iter()
        .map(|g| (g.item_id.as_str(), g.grade))
        .collect();
    assert_eq!(
        grades,
        [
            ("seat_belt", GradeDto::Trained),
            ("parking", GradeDto::NeedsPractice)
        ],
        "the latest grade per item, in the template's order"
    );
    assert_eq!(r.template.as_ref().map(|t| t.version), Some(1));
    assert_eq!(r.assisted.len(), 1);
    assert_eq!(r.assisted[0].stop_id, "T1-B");
    assert_eq!(
        r.coaching_notes.as_deref(),
        Some("Good day; keep the hazard lights habit.")
    );
    assert_eq!(
        r.supervisor_signature.as_ref().map(|s| s.blobs.clone()),
        Some(signature(1))
    );
    let answer = r.driver_answer.clone().expect("the driver's answer");
    assert!(answer.signed);
    assert_eq!(answer.comment.as_deref(), Some(comment));
    assert_eq!(answer.signature.map(|s| s.blobs), Some(signature(9)));
    // The driver reads the same record; the station lead too.
    assert_eq!(record(&app, &d1, ride).await, r);
    assert_eq!(record(&app, &l1, ride).await, r);
    assert_eq!(day(&app, &l1).await[0].status, RideStatusDto::Signed);

    // Pace of the day: one hour on the road; T1-B was assisted.
    let pace: PaceView = app.get("/v1/dispatch/tours/T1/pace", l1.token()).await.ok();
    assert_eq!(pace, r.pace);
    assert_eq!(pace.on_road_hours, 1.0);
    assert_eq!(pace.assisted_stops, ["T1-B"]);
    assert_eq!(
        (pace.with_assisted.stops, pace.with_assisted.parcels),
        (2, 3)
    );
    assert_eq!((pace.driver.stops, pace.driver.parcels), (1, 2));
    assert_eq!(pace.driver.stops_per_hour, Some(1.0));
    assert_eq!(pace.with_assisted.parcels_per_hour, Some(3.0));

    // Final: nothing changes it any more.
    assert_eq!(
        d.send(min(71), driver_signed(ride, "again"))
            .await
            .as_deref(),
        Some("record_final")
    );
    assert_eq!(
        s.send(min(72), observed(ride, None, "late"))
            .await
            .as_deref(),
        Some("record_final")
    );
    assert_eq!(record(&app, &d1, ride).await, r);
    // The supervisor's photo reaches the driver and the lead (their tour's blob), nobody else.
    let put: lastmile_protocol::sync::BlobStatus = app
        .raw(crate::stories::blob_put_req(
            &sha256(&photo),
            "image/jpeg",
            None,
            photo.clone(),
            sup.token(),
        ))
        .await
        .ok();
    assert!(put.complete);
    let d2 = app.login("S1", Role::Driver, "D2").await;
    for (who, ok) in [(&d1, true), (&l1, true), (&d2, false)] {
        let r = app
            .get(&format!("/v1/blobs/{}", sha256(&photo)), who.token())
            .await;
        assert_eq!(
            r.status.is_success(),
            ok,
            "{}: {}",
            who.session.user_id,
            r.status
        );
    }
}

async fn bad_ride_along_input_is_refused_and_nothing_recorded(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let d2 = app.login("S1", Role::Driver, "D2").await;
    let sup = app.login("S1", Role::Supervisor, "SUP1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let now = app.now();

    // A ride-along for a driver the supervisor does not ride with (T2 is D2's).
    let mut s2 = Seq::new(&app, &sup, "T2");
    let stray = Uuid::now_v7();
    assert_eq!(
        s2.send(now, started(stray, "SUP1", "D2")).await.as_deref(),
        Some("not_riding_with")
    );
    // ... nor by naming another driver on a tour they may see, nor as someone else.
    let mut s = Seq::new(&app, &sup, "T1");
    assert_eq!(
        s.send(now, started(stray, "SUP1", "D2")).await.as_deref(),
        Some("driver_mismatch")
    );
    assert_eq!(
        s.send(now, started(stray, "SUP9", "D1")).await.as_deref(),
        Some("supervisor_mismatch")
    );
    // A driver does not start ride-alongs.
    let mut d = Seq::new(&app, &d1, "T1");
    assert_eq!(
        d.send(now, started(stray, "D1", "D1")).await.as_deref(),
        Some("supervisor_only")
    );
    assert_eq!(ride_rows(&app).await, 0, "nothing recorded");
    assert!(day(&app, &l1).await.is_empty());

    let ride = Uuid::now_v7();
    assert_eq!(s.send(now, started(ride, "SUP1", "D1")).await, None);
    let before = record(&app, &sup, ride).await;
    // Grades outside the template.
    for (body, code) in [
        (
            graded(ride, ("default", 1), "juggling", GradeDto::Trained),
            "unknown_checklist_item",
        ),
        (
            graded(ride, ("default", 7), "seat_belt", GradeDto::Trained),
            "unknown_template",
        ),
        (
            graded(ride, ("nonesuch", 1), "seat_belt", GradeDto::Trained),
            "unknown_template",
        ),
        (observed(ride, None, "   "), "blank_text"),
        (
            observed(ride, Some("T2-A"), "at another tour's stop"),
            "unknown_stop",
        ),
        // A blank signature: none at all, or only strokes without the image.
        (sup_signed(ride, vec![]), "blank_signature"),
        (
            sup_signed(ride, signature(1).split_off(1)),
            "blank_signature",
        ),
        (
            observed(Uuid::now_v7(), None, "no such record"),
            "unknown_ride_along",
        ),
    ] {
        assert_eq!(
            s.send(now, body.clone()).await.as_deref(),
            Some(code),
            "{body:?}"
        );
    }
    // The driver cannot write the supervisor's entries nor answer early.
    assert_eq!(
        d.send(now, observed(ride, None, "self-assessment"))
            .await
            .as_deref(),
        Some("supervisor_only")
    );
    assert_eq!(
        d.send(now, driver_signed(ride, "ok")).await.as_deref(),
        Some("supervisor_not_signed")
    );
    assert_eq!(s.send(now, sup_signed(ride, signature(1))).await, None);
    // A comment on somebody else's record: D2 on D1's, whichever tour it names.
    let mut other = Seq::new(&app, &d2, "T1");
    assert_eq!(
        other
            .send(now, driver_signed(ride, "not mine"))
            .await
            .as_deref(),
        Some("not_your_record")
    );
    let mut other_own = Seq::new(&app, &d2, "T2");
    assert_eq!(
        other_own
            .send(now, driver_signed(ride, "not mine"))
            .await
            .as_deref(),
        Some("not_your_record")
    );
    // The supervisor does not sign for the driver; the driver's blank answers are refused.
    assert_eq!(
        s.send(now, driver_signed(ride, "forged")).await.as_deref(),
        Some("driver_only")
    );
    assert_eq!(
        d.send(
            now,
            EventBody::RideDriverSigned {
                ride_along_id: ride,
                comment: None,
                signature: vec![],
            }
        )
        .await
        .as_deref(),
        Some("blank_signature")
    );
    assert_eq!(
        d.send(
            now,
            EventBody::RideDriverDeclined {
                ride_along_id: ride,
                comment: " ".into(),
            }
        )
        .await
        .as_deref(),
        Some("blank_comment")
    );
    let after = record(&app, &sup, ride).await;
    assert_eq!(after.summary.status, RideStatusDto::AwaitingDriver);
    assert!(after.observations.is_empty() && after.grades.is_empty());
    assert_eq!(after.driver_answer, None, "nothing the refusals carried");
    assert_eq!(
        after.supervisor_signature.as_ref().map(|s| s.blobs.clone()),
        Some(signature(1))
    );
    assert_eq!(before.summary.ride_along_id, after.summary.ride_along_id);
    assert_eq!(ride_rows(&app).await, 1);
}

fn second_template() -> ChecklistTemplate {
    serde_json::from_value(json!({
        "template_id": "s1-certification",
        "version": 1,
        "title": "Certification ride",
        "titles": {"de": "Zertifizierungsfahrt"},
        "grades": ["trained", "not_observed"],
        "sections": [
            {"section_id": "at_the_stop", "title": "At the stop", "items": [
                {"item_id": "hazard_lights", "text": "Hazard lights on", "texts": {"de": "Warnblinker an"}},
                {"item_id": "scan_before_leaving", "text": "Scans before leaving the van"}
            ]}
        ]
    }))
    .expect("template")
}

async fn checklist_templates_are_versioned_data_per_station(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let sup = app.login("S1", Role::Supervisor, "SUP1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let l2 = app.login("S2", Role::Station, "L2").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    // The default every station starts with.
    let t: ChecklistTemplate = app.get("/v1/ride-alongs/template", sup.token()).await.ok();
    assert_eq!((t.template_id.as_str(), t.version), ("default", 1));
    let sections: Vec<&str> = t.sections.iter().map(|s| s.section_id.as_str()).collect();
    assert_eq!(sections, ["before_departure", "on_the_road", "at_the_door"]);
    assert_eq!(t.grades, GradeDto::ALL);
    assert_eq!(
        t.titles.get("de").map(String::as_str),
        Some("Mitfahrt-Checkliste")
    );

    // S1's lead loads a second template through the dispatch endpoint.
    let path = "/v1/dispatch/checklist-templates";
    let body = serde_json::to_value(second_template()).expect("json");
    let stored: ChecklistTemplate = app.post(path, Some(l1.token()), body.clone()).await.ok();
    assert_eq!(stored.station_id.as_deref(), Some("S1"));
    let _: ChecklistTemplate = app.post(path, Some(l1.token()), body.clone()).await.ok();
    let now: ChecklistTemplate = app.get("/v1/ride-alongs/template", sup.token()).await.ok();
    assert_eq!(now, stored, "S1's current template");
    let s2: ChecklistTemplate = app.get("/v1/ride-alongs/template", l2.token()).await.ok();
    assert_eq!(s2.template_id, "default", "S2 keeps the default");
    // A stored version never changes; other stations and other roles cannot store it.
    let mut changed = second_template();
    changed.sections[0].items.pop();
    let r = app
        .post(
            path,
            Some(l1.token()),
            serde_json::to_value(&changed).expect("json"),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "template_version_exists")
    );
    let r = app.post(path, Some(l2.token()), body.clone()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "template_id_taken")
    );
    for who in [&sup, &d1] {
        let r = app.post(path, Some(who.token()), body.clone()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "dispatch_only")
        );
    }
    let mut empty = second_template();
    empty.template_id = "empty".into();
    empty.sections.clear();
    let r = app
        .post(
            path,
            Some(l1.token()),
            serde_json::to_value(&empty).expect("json"),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "bad_template")
    );
    // Version 2 with the changed items becomes current.
    changed.version = 2;
    let _: ChecklistTemplate = app
        .post(
            path,
            Some(l1.token()),
            serde_json::to_value(&changed).expect("json"),
        )
        .await
        .ok();
    let now: ChecklistTemplate = app.get("/v1/ride-alongs/template", sup.token()).await.ok();
    assert_eq!(now.version, 2);

    // Grades follow the version they name; a record keeps one version.
    let ride = Uuid::now_v7();
    let mut s = Seq::new(&app, &sup, "T1");
    let at = app.now();
    assert_eq!(s.send(at, started(ride, "SUP1", "D1")).await, None);
    let v1 = ("s1-certification", 1);
    assert_eq!(
        s.send(at, graded(ride, v1, "hazard_lights", GradeDto::Proficient))
            .await
            .as_deref(),
        Some("grade_not_in_template"),
        "this template grades only trained / not observed"
    );
    assert_eq!(
        s.send(
            at,
            graded(
                ride,
                ("s1-certification", 2),
                "scan_before_leaving",
                GradeDto::Trained
            )
        )
        .await
        .as_deref(),
        Some("unknown_checklist_item"),
        "version 2 dropped the item"
    );
    assert_eq!(
        s.send(
            at,
            graded(ride, v1, "scan_before_leaving", GradeDto::Trained)
        )
        .await,
        None
    );
    assert_eq!(
        s.send(
            at,
            graded(ride, ("default", 1), "seat_belt", GradeDto::Trained)
        )
        .await
        .as_deref(),
        Some("template_mismatch")
    );
    let r = record(&app, &sup, ride).await;
    assert_eq!(
        r.template.map(|t| (t.template_id, t.version)),
        Some(("s1-certification".to_owned(), 1))
    );
    assert_eq!(r.grades.len(), 1);
}

async fn a_declined_record_is_final_and_an_amendment_is_a_new_record(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let sup = app.login("S1", Role::Supervisor, "SUP1").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let now = app.now();
    let ride = Uuid::now_v7();
    let mut s = Seq::new(&app, &sup, "T1");
    let mut d = Seq::new(&app, &d1, "T1");
    assert_eq!(s.send(now, started(ride, "SUP1", "D1")).await, None);
    let amend = |id: Uuid| EventBody::RideAlongAmended {
        ride_along_id: id,
        amends: ride,
        reason: "the parking grade was for another driver".into(),
    };
    assert_eq!(
        s.send(now, amend(Uuid::now_v7())).await.as_deref(),
        Some("record_not_final")
    );
    assert_eq!(s.send(now, sup_signed(ride, signature(1))).await, None);
    assert_eq!(
        d.send(
            now,
            EventBody::RideDriverDeclined {
                ride_along_id: ride,
                comment: "I was not told about item 7".into(),
            }
        )
        .await,
        None
    );
    let r = record(&app, &d1, ride).await;
    assert_eq!(r.summary.status, RideStatusDto::Declined);
    let answer = r.driver_answer.expect("answer");
    assert!(!answer.signed);
    assert_eq!(
        answer.comment.as_deref(),
        Some("I was not told about item 7")
    );
    assert_eq!(
        d.send(now, driver_signed(ride, "changed my mind"))
            .await
            .as_deref(),
        Some("record_final")
    );
    // The amendment is a new record that points at the declined one.
    let new = Uuid::now_v7();
    assert_eq!(s.send(now, amend(new)).await, None);
    let amended = record(&app, &sup, new).await;
    assert_eq!(amended.summary.amends, Some(ride));
    assert_eq!(amended.summary.status, RideStatusDto::Running);
    assert_eq!(amended.summary.driver_id, "D1");
    assert_eq!(record(&app, &l1, ride).await.amended_by, [new]);
    let statuses: Vec<RideStatusDto> = day(&app, &l1).await.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [RideStatusDto::Declined, RideStatusDto::Running]);
    assert_eq!(
        s.send(now, amend(new)).await.as_deref(),
        Some("ride_along_exists")
    );
}
