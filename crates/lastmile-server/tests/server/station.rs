//! The station tablet (issue 12), on both backends: a driver's whole day from check-in to
//! the co-signed close-out, holds that keep the tour from the phone, card stacks and
//! not-loaded parcels by sync, bad input refused with a code and nothing changed, and the
//! authorization matrix (a lead only their station, a driver only their own day, a
//! supervisor reads the days of the drivers they ride with).

use axum::http::{Method, StatusCode};
use lastmile_protocol::admin::Seed;
use lastmile_protocol::auth::Role;
use lastmile_protocol::events::{
    BlobKindDto, BlobRefDto, CardMessageDto, EventBody, FailureReasonDto, NotificationCardDto,
};
use lastmile_protocol::station::{
    Board, CardRange, CloseOutSummary, CloseOutView, DayState, DefectView, DriverDay,
    HoldResolution, InspectionItemResult, InspectionPhase, InspectionTemplate, NotLoadedReason,
    SignatureDto, Vehicle,
};
use lastmile_protocol::sync::{BatchAck, ChangesPage};
use lastmile_protocol::tour::{TourChange, TourSnapshot};
use serde_json::json;

use crate::both;
use crate::harness::*;

both!(
    a_station_day_from_check_in_to_the_co_signed_close_out,
    bad_station_input_is_refused_with_a_code_and_changes_nothing,
    each_person_sees_and_records_only_what_is_theirs,
    the_tablet_checks_a_driver_pin_without_signing_them_in,
    a_flex_driver_checks_in_at_the_tablet_for_the_tour_of_a_won_block,
    wrong_pins_of_some_drivers_throttle_the_tablet_but_never_lock_out_the_others,
    a_driver_checks_in_by_the_pass_their_phone_shows,
);

/// A signed-in device that numbers its events.
struct Dev<'a> {
    app: &'a App,
    login: Login,
    seq: u64,
}

impl<'a> Dev<'a> {
    async fn new(app: &'a App, station: &str, role: Role, user: &str) -> Dev<'a> {
        Dev {
            app,
            login: app.login(station, role, user).await,
            seq: 0,
        }
    }

    /// Sends one event; `Err(code, message)` when the server refused it.
    async fn record(&mut self, tour: &str, body: EventBody) -> Result<(), (String, String)> {
        self.seq += 1;
        let ev = event(&self.login, self.seq, tour, self.app.now(), body);
        let ack: BatchAck = self.app.send(&self.login, &[ev]).await.ok();
        assert_eq!(ack.acked_seq, self.seq, "every event is acknowledged");
        match ack.rejections.iter().find(|r| r.seq == self.seq) {
            Some(r) => Err((r.code.clone(), r.message.clone())),
            None => Ok(()),
        }
    }

    async fn ok(&mut self, tour: &str, body: EventBody) {
        if let Err((code, message)) = self.record(tour, body.clone()).await {
            panic!("{body:?} refused: {code} {message}");
        }
    }

    /// The event is refused with `code`; answers the message.
    async fn refused(&mut self, tour: &str, body: EventBody, code: &str) -> String {
        match self.record(tour, body.clone()).await {
            Err((c, m)) if c == code => m,
            other => panic!("{body:?}: expected {code}, got {other:?}"),
        }
    }

    fn token(&self) -> &str {
        self.login.token()
    }

    async fn day(&self, driver: &str) -> DriverDay {
        self.app
            .get(&format!("/v1/station/days/{driver}"), self.token())
            .await
            .ok()
    }

    async fn changes_after(&self, cursor: u64) -> Vec<TourChange> {
        let page: ChangesPage = self
            .app
            .get(&format!("/v1/changes?after={cursor}"), self.token())
            .await
            .ok();
        page.change_sets
            .into_iter()
            .flat_map(|c| c.changes)
            .collect()
    }
}

fn check_in(driver: &str) -> EventBody {
    EventBody::DriverCheckedIn {
        driver_id: driver.into(),
        pass: None,
    }
}

fn check_in_by_pass(driver: &str, pass: &str) -> EventBody {
    EventBody::DriverCheckedIn {
        driver_id: driver.into(),
        pass: Some(pass.into()),
    }
}

fn vehicle(driver: &str, plate: &str) -> EventBody {
    EventBody::VehicleAssigned {
        driver_id: driver.into(),
        plate: plate.into(),
    }
}

/// The default template's items, all ok except `defects` (item, note).
fn inspection(
    driver: &str,
    plate: &str,
    phase: InspectionPhase,
    defects: &[(&str, &str)],
) -> EventBody {
    let t = InspectionTemplate::default_template();
    EventBody::InspectionRecorded {
        driver_id: driver.into(),
        plate: plate.into(),
        phase,
        template_id: t.template_id.clone(),
        template_version: t.version,
        items: t
            .items
            .iter()
            .map(|i| {
                let defect = defects.iter().find(|(id, _)| *id == i.item_id);
                InspectionItemResult {
                    item_id: i.item_id.clone(),
                    ok: defect.is_none(),
                    note: defect.map(|(_, n)| n.to_string()),
                    photo: None,
                }
            })
            .collect(),
    }
}

fn range(first: &str, last: &str) -> CardRange {
    CardRange {
        first: first.into(),
        last: last.into(),
    }
}

fn stack(driver: &str, first: &str, last: &str) -> EventBody {
    EventBody::CardStackIssued {
        driver_id: driver.into(),
        range: range(first, last),
    }
}

fn loaded(driver: &str, tracking: &str) -> EventBody {
    EventBody::ParcelLoaded {
        driver_id: driver.into(),
        tracking_id: tracking.into(),
    }
}

fn returned(driver: &str, tracking: &str) -> EventBody {
    EventBody::ParcelReturned {
        driver_id: driver.into(),
        tracking_id: tracking.into(),
    }
}

fn signature(seed: &str, points: u32) -> SignatureDto {
    SignatureDto {
        strokes: BlobRefDto {
            sha256: sha256(seed.as_bytes()),
            kind: BlobKindDto::SignatureStrokes,
            bytes: 400,
        },
        image: None,
        points,
    }
}

fn close_out(driver: &str, summary: CloseOutSummary, lead_points: u32) -> EventBody {
    EventBody::CloseOutSigned {
        driver_id: driver.into(),
        summary,
        driver_signature: signature("driver", 40),
        lead_signature: signature("lead", lead_points),
    }
}

fn failed_with_card(stop: &str, tracking: &str, card: &str) -> EventBody {
    EventBody::DeliveryFailed {
        stop_id: stop.into(),
        tracking_id: tracking.into(),
        reason: FailureReasonDto::NobodyHome,
        card: Some(NotificationCardDto {
            card_number: card.into(),
            says: CardMessageDto::PickUpAtStation,
        }),
        blobs: vec![],
    }
}

async fn a_station_day_from_check_in_to_the_co_signed_close_out(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let mut tablet = Dev::new(&app, "S1", Role::Station, "L1").await;
    let mut phone = Dev::new(&app, "S1", Role::Driver, "D1").await;
    let board: Board = app.get("/v1/station/board", tablet.token()).await.ok();
    let rows: Vec<(&str, DayState)> = board
        .rows
        .iter()
        .map(|r| (r.driver_id.as_str(), r.state))
        .collect();
    assert_eq!(
        rows,
        [("D1", DayState::Expected), ("D2", DayState::Expected)]
    );
    assert_eq!(
        board.fleet.len(),
        3,
        "the tablet gets the fleet with the board"
    );
    assert_eq!(board.template, InspectionTemplate::default_template());
    let snap: TourSnapshot = app.get("/v1/tour", phone.token()).await.ok();

    // Morning: check-in, a van, an inspection with a safety defect: the tour is held.
    tablet.ok("T1", check_in("D1")).await;
    tablet.ok("T1", vehicle("D1", "B-LM 101")).await;
    tablet
        .ok(
            "T1",
            inspection(
                "D1",
                "B-LM 101",
                InspectionPhase::PreTrip,
                &[("brakes", "pedal soft")],
            ),
        )
        .await;
    let r = app.get("/v1/tour", phone.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "tour_held"),
        "{}",
        r.json
    );
    let message = r.json["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("B-LM 101")
            && message.contains("brakes")
            && message.contains("station lead"),
        "the refusal says why and what to do: {message}"
    );
    let held = phone.changes_after(snap.cursor).await;
    assert!(
        matches!(held.as_slice(), [TourChange::HoldChanged { hold: Some(h) }]
            if h.plate == "B-LM 101" && h.defects.iter().any(|d| d.item_id == "brakes")),
        "a phone that has the tour learns the hold by sync: {held:?}"
    );
    let day = tablet.day("D1").await;
    assert_eq!(day.row.state, DayState::Held);
    assert!(day.hold.is_some());

    // The lead gives another van; its inspection passes; the phone gets its tour.
    tablet
        .ok(
            "T1",
            EventBody::HoldCleared {
                driver_id: "D1".into(),
                resolution: HoldResolution::OtherVehicle {
                    plate: "B-LM 102".into(),
                },
            },
        )
        .await;
    tablet
        .ok(
            "T1",
            inspection("D1", "B-LM 102", InspectionPhase::PreTrip, &[]),
        )
        .await;
    let _: TourSnapshot = app.get("/v1/tour", phone.token()).await.ok();
    assert_eq!(
        tablet.day("D1").await.row.plate.as_deref(),
        Some("B-LM 102")
    );
    // The first van's defect carries over to its next inspection until repaired.
    let open: Vec<DefectView> = app
        .get("/v1/station/vehicles/B-LM%20101/defects", tablet.token())
        .await
        .ok();
    assert_eq!(
        open.iter().map(|d| d.item_id.as_str()).collect::<Vec<_>>(),
        ["brakes"]
    );

    // A card stack reaches the phone in the snapshot and on the feed.
    tablet.ok("T1", stack("D1", "K000100", "K000119")).await;
    let snap: TourSnapshot = app.get("/v1/tour", phone.token()).await.ok();
    assert_eq!(snap.card_stacks, [range("K000100", "K000119")]);

    // Load-out: three parcels scanned, one of another tour refused naming whose, one missing.
    for t in ["T1-P1", "T1-P2"] {
        tablet.ok("T1", loaded("D1", t)).await;
    }
    // The driver scans the third on their phone.
    phone.ok("T1", loaded("D1", "T1-P3")).await;
    let whose = tablet
        .refused("T1", loaded("D1", "T2-P1"), "parcel_of_other_tour")
        .await;
    assert!(whose.contains("T2") && whose.contains("D2"), "{whose}");
    // The tablet can ask before it records (and names whose it is on the spot).
    let owner: lastmile_protocol::station::ParcelOwner = app
        .get("/v1/station/parcels/T2-P1", tablet.token())
        .await
        .ok();
    assert_eq!(
        (owner.driver_id.as_str(), owner.stop_id.as_str()),
        ("D2", "T2-A")
    );
    let r = app.get("/v1/station/parcels/T3-P1", tablet.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_parcel"),
        "S2's parcel"
    );
    let r = app.get("/v1/station/parcels/T2-P1", phone.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "station_only")
    );
    let cursor = snap.cursor;
    tablet
        .ok(
            "T1",
            EventBody::ParcelNotLoaded {
                driver_id: "D1".into(),
                tracking_id: "T1-P4".into(),
                reason: NotLoadedReason::MissingAtStation,
            },
        )
        .await;
    let removed = phone.changes_after(cursor).await;
    assert_eq!(
        removed,
        [
            TourChange::ParcelRemoved {
                stop_id: "T1-C".into(),
                tracking_id: "T1-P4".into()
            },
            TourChange::StopRemoved {
                stop_id: "T1-C".into()
            }
        ],
        "the phone's tour loses the parcel (and its now empty stop) by the feed"
    );
    let board: Board = app.get("/v1/station/board", tablet.token()).await.ok();
    let row = &board.rows[0];
    assert_eq!(
        (
            row.state,
            row.parcels_loaded,
            row.parcels_expected,
            row.parcels_not_loaded
        ),
        (DayState::Loading, 3, 3, 1)
    );

    // The tour: two delivered, one failed with a card of the stack.
    phone.ok("T1", delivered("T1-A", "T1-P1", vec![])).await;
    phone
        .ok("T1", failed_with_card("T1-A", "T1-P2", "K000105"))
        .await;
    phone.ok("T1", delivered("T1-B", "T1-P3", vec![])).await;
    assert_eq!(tablet.day("D1").await.row.state, DayState::OnRoad);

    // Evening: the failed parcel back, the unused cards but one.
    tablet.ok("T1", returned("D1", "T1-P2")).await;
    tablet
        .ok(
            "T1",
            EventBody::CardsReturned {
                driver_id: "D1".into(),
                range: range("K000100", "K000104"),
            },
        )
        .await;
    tablet
        .ok(
            "T1",
            EventBody::CardsReturned {
                driver_id: "D1".into(),
                range: range("K000106", "K000118"),
            },
        )
        .await;
    tablet
        .ok(
            "T1",
            inspection("D1", "B-LM 102", InspectionPhase::PostTrip, &[]),
        )
        .await;
    let day = tablet.day("D1").await;
    assert_eq!(day.row.state, DayState::Back);
    assert_eq!(
        day.discrepancies
            .iter()
            .map(|d| (d.subject.as_str(), d.kind.as_str()))
            .collect::<Vec<_>>(),
        [("K000119", "card_missing")]
    );
    // Not signable while a discrepancy is unexplained.
    tablet
        .refused(
            "T1",
            close_out("D1", day.summary.clone(), 40),
            "unexplained_discrepancies",
        )
        .await;
    tablet
        .ok(
            "T1",
            EventBody::DiscrepancyExplained {
                driver_id: "D1".into(),
                subject: "K000119".into(),
                explanation: "torn, thrown away".into(),
            },
        )
        .await;
    let day = tablet.day("D1").await;
    let expected = CloseOutSummary {
        parcels_planned: 4,
        parcels_loaded: 3,
        parcels_not_loaded: 1,
        delivered: 2,
        failed: 1,
        returns_picked_up: 0,
        parcels_back: 1,
        cards_issued: 20,
        cards_used: 1,
        cards_returned: 18,
        cards_missing: 1,
        discrepancies: 1,
        discrepancies_explained: 1,
        inspections: 3,
        defects_found: 1,
    };
    assert_eq!(day.summary, expected);
    tablet.ok("T1", close_out("D1", expected.clone(), 40)).await;
    let day = tablet.day("D1").await;
    assert_eq!(day.row.state, DayState::Closed);
    let signed = day.close_out.expect("signed");
    assert_eq!((signed.version, &signed.summary), (1, &expected));
    assert_eq!(signed.failed_cards, ["T1-P2: K000105"]);
    assert_eq!(signed.signed_by_lead, "L1");
    // The driver's phone lists it.
    let mine: Vec<CloseOutView> = app.get("/v1/station/my-days", phone.token()).await.ok();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].summary, expected);
    // A correction is a new record; the first stays as signed.
    tablet.ok("T1", close_out("D1", expected.clone(), 41)).await;
    let all: Vec<CloseOutView> = app
        .get("/v1/station/days/D1/close-outs", tablet.token())
        .await
        .ok();
    assert_eq!(all.iter().map(|c| c.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(all[0], signed, "a signed close-out never changes");
}

async fn bad_station_input_is_refused_with_a_code_and_changes_nothing(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let mut tablet = Dev::new(&app, "S1", Role::Station, "L1").await;
    // A check-in by a driver with no tour today (D2's tour named for D1, and no tour at all).
    let m = tablet.refused("T2", check_in("D1"), "no_tour_today").await;
    assert!(m.contains("D1"), "{m}");
    tablet.refused("", check_in("D2"), "no_tour_today").await;
    let mut other_day = tour(
        "T9",
        "D2",
        "S1",
        app.now().date_naive() + chrono::Duration::days(1),
    );
    other_day.stops.truncate(1);
    app.post(
        "/v1/dispatch/import/own",
        Some(tablet.token()),
        serde_json::to_value(&other_day).expect("json"),
    )
    .await
    .ok::<serde_json::Value>();
    tablet.refused("T9", check_in("D2"), "no_tour_today").await;
    assert_eq!(tablet.day("D2").await.row.state, DayState::Expected);

    tablet.ok("T1", check_in("D1")).await;
    tablet.ok("T2", check_in("D2")).await;
    let before = tablet.day("D1").await;
    // An unknown plate, and a van of another station.
    let m = tablet
        .refused("T1", vehicle("D1", "XX-0000"), "unknown_plate")
        .await;
    assert!(m.contains("XX-0000"), "{m}");
    tablet
        .refused("T1", vehicle("D1", "M-LM 201"), "unknown_plate")
        .await;
    assert_eq!(tablet.day("D1").await, before, "nothing changed");

    // A card range overlapping another driver's stack of the day.
    tablet.ok("T2", stack("D2", "K000100", "K000119")).await;
    let m = tablet
        .refused(
            "T1",
            stack("D1", "K000110", "K000129"),
            "card_range_overlaps",
        )
        .await;
    assert!(m.contains("D2") && m.contains("K000100"), "{m}");
    tablet
        .refused("T1", stack("D1", "K000130", "K000120"), "bad_card_range")
        .await;
    assert_eq!(tablet.day("D1").await, before, "nothing changed");
    let snap: TourSnapshot = app.get("/v1/dispatch/tours/T1", tablet.token()).await.ok();
    assert!(snap.card_stacks.is_empty());

    // A parcel scanned twice; a parcel of another tour; one of no tour.
    tablet.ok("T1", loaded("D1", "T1-P1")).await;
    let before = tablet.day("D1").await;
    tablet
        .refused("T1", loaded("D1", "T1-P1"), "parcel_scanned_twice")
        .await;
    let m = tablet
        .refused("T1", loaded("D1", "T2-P3"), "parcel_of_other_tour")
        .await;
    assert!(m.contains("tour T2 of driver D2"), "{m}");
    tablet
        .refused("T1", loaded("D1", "NOPE-1"), "unknown_parcel")
        .await;
    assert_eq!(tablet.day("D1").await, before, "nothing changed");

    // A close-out with a blank pad.
    let summary = before.summary.clone();
    tablet
        .refused("T1", close_out("D1", summary.clone(), 0), "blank_signature")
        .await;
    let mut one_drawing = close_out("D1", summary, 40);
    if let EventBody::CloseOutSigned { lead_signature, .. } = &mut one_drawing {
        *lead_signature = signature("driver", 40);
    }
    tablet.refused("T1", one_drawing, "same_signature").await;
    // A hold cleared that is not there; a defect repaired that nobody found.
    tablet
        .refused(
            "T1",
            EventBody::HoldCleared {
                driver_id: "D1".into(),
                resolution: HoldResolution::Repaired,
            },
            "no_hold",
        )
        .await;
    // An inspection of a van the driver was not given, or with items missing.
    tablet.ok("T1", vehicle("D1", "B-LM 101")).await;
    tablet
        .refused(
            "T1",
            inspection("D1", "B-LM 103", InspectionPhase::PreTrip, &[]),
            "not_assigned_vehicle",
        )
        .await;
    let mut partial = inspection("D1", "B-LM 101", InspectionPhase::PreTrip, &[]);
    if let EventBody::InspectionRecorded { items, .. } = &mut partial {
        items.retain(|i| i.item_id != "brakes");
    }
    let m = tablet.refused("T1", partial, "inspection_incomplete").await;
    assert!(m.contains("brakes"), "{m}");
    let m = tablet
        .refused(
            "T1",
            EventBody::DefectRepaired {
                driver_id: "D1".into(),
                plate: "B-LM 101".into(),
                item_id: "horn".into(),
                note: None,
            },
            "no_open_defect",
        )
        .await;
    assert!(m.contains("horn"), "{m}");
    let day = tablet.day("D1").await;
    assert!(day.inspections.is_empty() && day.close_out.is_none() && day.hold.is_none());
    // A discrepancy explained with nothing.
    tablet
        .refused(
            "T1",
            EventBody::DiscrepancyExplained {
                driver_id: "D1".into(),
                subject: "T1-P2".into(),
                explanation: "  ".into(),
            },
            "blank_explanation",
        )
        .await;
    // Holds and card stacks cannot be edited in through dispatch.
    let r = app
        .post(
            "/v1/dispatch/tours/T1/changes",
            Some(tablet.token()),
            json!({"changes": [{"type": "hold_changed", "hold": null}]}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "station_record"),
        "{}",
        r.json
    );
}

async fn each_person_sees_and_records_only_what_is_theirs(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let mut l1 = Dev::new(&app, "S1", Role::Station, "L1").await;
    let mut l2 = Dev::new(&app, "S2", Role::Station, "L2").await;
    let mut d1 = Dev::new(&app, "S1", Role::Driver, "D1").await;
    let mut d2 = Dev::new(&app, "S1", Role::Driver, "D2").await;
    let mut sup = Dev::new(&app, "S1", Role::Supervisor, "SUP1").await;
    l1.ok("T1", check_in("D1")).await;
    l1.ok("T1", vehicle("D1", "B-LM 101")).await;

    // Reading: the board is the station's; days are the lead's, the driver's own, the
    // supervisor's drivers'.
    let board: Board = app.get("/v1/station/board", l2.token()).await.ok();
    assert_eq!(
        board
            .rows
            .iter()
            .map(|r| r.tour_id.as_str())
            .collect::<Vec<_>>(),
        ["T3"],
        "the lead of S2 sees only S2's drivers"
    );
    for who in [&d1, &sup] {
        let r = app.get("/v1/station/board", who.token()).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "station_only"),
            "{}",
            r.json
        );
    }
    let fine = [
        (&l1, "D1"),
        (&l1, "D2"),
        (&d1, "D1"),
        (&sup, "D1"),
        (&l2, "D3"),
    ];
    for (who, driver) in fine {
        let r = app
            .get(&format!("/v1/station/days/{driver}"), who.token())
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{} reads {driver}'s day: {}",
            who.login.session.user_id,
            r.json
        );
    }
    let forbidden = [
        (&l2, "D1"),
        (&d1, "D2"),
        (&d2, "D1"),
        (&sup, "D2"),
        (&l1, "D3"),
    ];
    for (who, driver) in forbidden {
        for path in [
            format!("/v1/station/days/{driver}"),
            format!("/v1/station/days/{driver}/close-outs"),
        ] {
            let r = app.get(&path, who.token()).await;
            assert_eq!(
                (r.status, r.code()),
                (StatusCode::FORBIDDEN, "not_your_day"),
                "{} must not read {path}: {}",
                who.login.session.user_id,
                r.json
            );
        }
    }
    let r = app.get("/v1/station/my-days", l1.token()).await;
    assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "driver_only"));
    let r = app
        .get("/v1/station/vehicles/B-LM%20101/defects", sup.token())
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "station_only")
    );
    let r = app
        .get("/v1/station/vehicles/B-LM%20101/defects", l2.token())
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "unknown_plate"),
        "another station's van"
    );
    let fleet: Vec<Vehicle> = app.get("/v1/station/fleet", d1.token()).await.ok();
    assert_eq!(fleet.len(), 3, "a driver sees their station's fleet");

    // Recording: the lead of another station acts on nothing here.
    let m = l2
        .refused("T1", vehicle("D1", "B-LM 102"), "not_your_station")
        .await;
    assert!(m.contains("S1"), "{m}");
    // A driver records their own inspection and load-out scans, nothing else, nobody else's.
    d1.ok(
        "T1",
        inspection("D1", "B-LM 101", InspectionPhase::PreTrip, &[]),
    )
    .await;
    d1.ok("T1", loaded("D1", "T1-P1")).await;
    d1.refused("T1", stack("D1", "K1", "K9"), "role_cannot_record")
        .await;
    d1.refused("T1", check_in("D1"), "role_cannot_record").await;
    d1.refused("T2", loaded("D2", "T2-P1"), "not_your_day")
        .await;
    d2.refused("T1", loaded("D1", "T1-P2"), "not_your_day")
        .await;
    // The body must name the tour's driver.
    l1.refused("T1", loaded("D2", "T1-P2"), "not_drivers_tour")
        .await;
    // A supervisor records no station event; the station no driver event.
    sup.refused("T1", loaded("D1", "T1-P2"), "role_cannot_record")
        .await;
    l1.refused(
        "T1",
        delivered("T1-A", "T1-P1", vec![]),
        "role_cannot_record",
    )
    .await;
    let day = l1.day("D1").await;
    assert_eq!(
        (
            day.row.parcels_loaded,
            day.inspections.len(),
            day.card_stacks.len()
        ),
        (1, 1, 0),
        "only the allowed events changed anything"
    );
}

async fn a_flex_driver_checks_in_at_the_tablet_for_the_tour_of_a_won_block(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    app.seed_with(&Seed {
        users: vec![crate::offers::flex("F1")],
        tours: vec![tour("TF1", "F1", "S1", app.now().date_naive())],
        ..Seed::default()
    })
    .await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let verify = |pin: &'static str| {
        let (app, token) = (&app, l1.token().to_owned());
        async move {
            app.call(
                Method::POST,
                "/v1/station/verify-driver",
                Some(&token),
                Some(json!({"driver_id": "F1", "pin": pin})),
            )
            .await
        }
    };
    let day: DriverDay = verify("F1-pin").await.ok();
    assert_eq!(
        (day.row.tour_id.as_str(), day.row.state),
        ("TF1", DayState::Expected)
    );
    let r = verify("0000").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );
    // The lead then opens the flex driver's day like any driver's.
    let day: DriverDay = app.get("/v1/station/days/F1", l1.token()).await.ok();
    assert_eq!(day.row.tour_id, "TF1");
}

async fn the_tablet_checks_a_driver_pin_without_signing_them_in(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let verify = |token: String, driver: &'static str, pin: &'static str| {
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/v1/station/verify-driver",
                Some(&token),
                Some(json!({"driver_id": driver, "pin": pin})),
            )
            .await
        }
    };
    let day: DriverDay = verify(l1.token().into(), "D1", "D1-pin").await.ok();
    assert_eq!(
        (day.row.tour_id.as_str(), day.row.state),
        ("T1", DayState::Expected)
    );
    let r = verify(l1.token().into(), "D1", "0000").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );
    let r = verify(l1.token().into(), "D3", "D3-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "wrong_station")
    );
    let r = verify(d1.token().into(), "D2", "D2-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "station_only")
    );
    // Wrong PINs at the tablet count like wrong PINs at sign-in.
    for _ in 0..5 {
        let r = verify(l1.token().into(), "D2", "0000").await;
        assert_eq!(r.code(), "bad_credentials");
    }
    let r = verify(l1.token().into(), "D2", "D2-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "pin_locked"),
        "{}",
        r.json
    );
}

/// The `Retry-After` of an answer, in seconds.
fn retry_after(r: &Resp) -> i64 {
    r.headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("a Retry-After header: {:?}", r.headers))
}

async fn wrong_pins_of_some_drivers_throttle_the_tablet_but_never_lock_out_the_others(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    app.seed_with(&Seed {
        users: vec![lastmile_protocol::admin::SeedUser {
            user_id: "D4".into(),
            role: Role::Driver,
            station_id: "S1".into(),
            pin: "D4-pin".into(),
            name: None,
            rides_with: Vec::new(),
        }],
        tours: vec![tour("T4", "D4", "S1", app.now().date_naive())],
        ..Seed::default()
    })
    .await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let verify = |driver: &'static str, pin: &'static str| {
        let (app, token) = (&app, l1.token().to_owned());
        async move {
            app.call(
                Method::POST,
                "/v1/station/verify-driver",
                Some(&token),
                Some(json!({"driver_id": driver, "pin": pin})),
            )
            .await
        }
    };
    // A morning's typos: five wrong PINs each by D1 and D2 (each is locked, as at sign-in).
    for driver in ["D1", "D2"] {
        for _ in 0..5 {
            let r = verify(driver, "0000").await;
            assert_eq!(r.code(), "bad_credentials", "{}", r.json);
        }
        let right = if driver == "D1" { "D1-pin" } else { "D2-pin" };
        let r = verify(driver, right).await;
        assert_eq!(r.code(), "pin_locked", "{driver} is locked: {}", r.json);
    }
    // The tablet is not: a third driver with the right PIN checks in.
    let day: DriverDay = verify("D4", "D4-pin").await.ok();
    assert_eq!(day.row.tour_id, "T4");
    // D1 stays locked by their own wrong PINs until the lead unlocks them (or time does).
    let r = verify("D1", "D1-pin").await;
    assert_eq!(r.code(), "pin_locked", "{}", r.json);
    // Past ten, each wrong PIN makes the tablet wait, 5 s doubling, with the wait said;
    // a right PIN in between (D4 again) forgives nothing.
    let r = verify("D4", "0000").await;
    assert_eq!(r.code(), "bad_credentials", "{}", r.json);
    let r = verify("D4", "D4-pin").await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "tablet_throttled"),
        "{}",
        r.json
    );
    assert_eq!(retry_after(&r), 5);
    assert!(r.json.to_string().contains("5 s"), "{}", r.json);
    app.clock.advance(chrono::Duration::seconds(5));
    let _: DriverDay = verify("D4", "D4-pin").await.ok();
    let mut waits = Vec::new();
    for i in 0..8 {
        let who = if i % 2 == 0 { "X-nobody" } else { "D4" };
        let r = verify(who, "0000").await;
        assert_eq!(r.code(), "bad_credentials", "{}", r.json);
        let r = verify("D4", "D4-pin").await;
        assert_eq!(r.code(), "tablet_throttled", "{}", r.json);
        let wait = retry_after(&r);
        waits.push(wait);
        app.clock.advance(chrono::Duration::seconds(wait));
    }
    // Guessing over every driver (and unknown ids) stays bounded: at most 2 min a PIN.
    assert_eq!(waits, [10, 20, 40, 80, 120, 120, 120, 120]);
    // The tablet was never locked like a device: the waits were all it took.
    let _: DriverDay = verify("D4", "D4-pin").await.ok();
    // The lead signing the tablet in again (after the wait) starts its count afresh.
    app.clock.advance(chrono::Duration::seconds(5));
    let again = app.sign_in(&l1.dev, Role::Station, "L1", "L1-pin").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.json);
    let r = verify("X-nobody", "0000").await;
    assert_eq!(r.code(), "bad_credentials", "{}", r.json);
    let _: DriverDay = verify("D4", "D4-pin").await.ok();
}

/// The pass on the driver's phone checks them in at the tablet (the Wi-Fi may be down: the
/// tablet checks it against the board's hash and sends it later); the server takes only the
/// pass of that driver's tour, and only drivers get one.
async fn a_driver_checks_in_by_the_pass_their_phone_shows(b: Backend) {
    use sha2::Digest as _;
    let app = app(b).await;
    app.seed().await;
    let mut l1 = Dev::new(&app, "S1", Role::Station, "L1").await;
    let d1 = Dev::new(&app, "S1", Role::Driver, "D1").await;
    let d2 = Dev::new(&app, "S1", Role::Driver, "D2").await;
    let sup = Dev::new(&app, "S1", Role::Supervisor, "SUP1").await;
    let pass = |who: &Dev<'_>| {
        let (app, token) = (&app, who.token().to_owned());
        async move {
            app.get(lastmile_protocol::station::CHECK_IN_PASS, &token)
                .await
        }
    };
    let p1: lastmile_protocol::station::CheckInPass = pass(&d1).await.ok();
    let p2: lastmile_protocol::station::CheckInPass = pass(&d2).await.ok();
    assert_eq!((p1.driver_id.as_str(), p1.tour_id.as_str()), ("D1", "T1"));
    assert!(
        p1.code
            .starts_with(lastmile_protocol::station::CHECK_IN_PASS_PREFIX),
        "{}",
        p1.code
    );
    assert_ne!(p1.code, p2.code, "each driver's pass is their own");
    let again: lastmile_protocol::station::CheckInPass = pass(&d1).await.ok();
    assert_eq!(again.code, p1.code, "the pass is the same all day");
    for who in [&l1, &sup] {
        let r = pass(who).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::FORBIDDEN, "driver_only"),
            "{}",
            r.json
        );
    }

    // The board carries the passes' hashes, never a pass.
    let board: Board = app.get("/v1/station/board", l1.token()).await.ok();
    let digest = |code: &str| hex::encode(sha2::Sha256::digest(code.as_bytes()));
    let row = board
        .rows
        .iter()
        .find(|r| r.driver_id == "D1")
        .expect("D1 on the board");
    assert_eq!(row.check_in_pass_sha256, Some(digest(&p1.code)));
    assert!(
        !board_text(&board).contains(&p1.code),
        "no pass on the board"
    );

    // Another driver's pass, a made-up one and an edited one are refused; D1's own checks in.
    for wrong in [
        p2.code.clone(),
        "LMCI1-00000000000000000000000000000000".into(),
        p1.code.to_lowercase(),
    ] {
        l1.refused("T1", check_in_by_pass("D1", &wrong), "bad_check_in_pass")
            .await;
    }
    assert_eq!(
        l1.day("D1").await.checked_in_at,
        None,
        "a refused pass checks no one in"
    );
    l1.ok("T1", check_in_by_pass("D1", &p1.code)).await;
    let day = l1.day("D1").await;
    assert!(day.checked_in_at.is_some());
    assert_eq!(day.row.state, DayState::CheckedIn);
}

fn board_text(board: &Board) -> String {
    serde_json::to_string(board).expect("board as JSON")
}
