//! Blocks for independent (flex) drivers on the server (issue 15), on both backends: a lead
//! publishes blocks and a round; flex drivers request during the window; the close draws
//! and publishes a seed matching its commitment and an input anyone can recompute; one
//! winner confirms, the other releases and the block goes to a second round; a block not
//! confirmed in time does too; the worked block shows in the earnings with its tour's stops
//! and parcels; bad input and polling are refused with clear codes.

use axum::http::{Method, StatusCode};
use chrono::Duration;
use lastmile_protocol::admin::{Seed, SeedUser};
use lastmile_protocol::auth::Role;
use lastmile_protocol::offers::{
    self, AwardStatus, AwardView, DrawView, Earnings, MyOffers, OffersView, RequestReceipt,
    RoundState, RoundView,
};
use lastmile_protocol::sync::BatchAck;
use serde_json::{Value, json};

use crate::both;
use crate::harness::*;

both!(
    a_round_runs_from_publish_to_earnings,
    an_unconfirmed_block_goes_to_a_second_round,
    bad_offer_input_is_refused_with_clear_codes,
    polling_is_rate_limited_per_account_and_per_device,
);

pub(crate) fn flex(id: &str) -> SeedUser {
    SeedUser {
        user_id: id.into(),
        role: Role::Flex,
        station_id: "S1".into(),
        pin: format!("{id}-pin"),
        name: None,
        rides_with: Vec::new(),
    }
}

/// The fixture plus flex drivers F1, F2, F3 at S1 and a tour TF1 of F1 today.
async fn seeded(app: &App) {
    app.seed().await;
    app.seed_with(&Seed {
        users: vec![flex("F1"), flex("F2"), flex("F3")],
        tours: vec![tour("TF1", "F1", "S1", app.now().date_naive())],
        ..Seed::default()
    })
    .await;
}

/// A server whose sessions outlive the days these stories span.
async fn long_app(b: Backend) -> App {
    app_with(b, |c| {
        c.access_ttl = std::time::Duration::from_secs(30 * 24 * 3600)
    })
    .await
}

async fn put(app: &App, path: &str, token: &str, body: Value) -> Resp {
    app.call(Method::PUT, path, Some(token), Some(body)).await
}

/// Blocks `ids` (one driver each, 4 h from `start_h` hours from now, 64 EUR) in a round that
/// opens in `opens_min` minutes for 30 minutes.
async fn publish(app: &App, lead: &Login, ids: &[&str], start_h: i64, opens_min: i64) -> Resp {
    let start = app.now() + Duration::hours(start_h);
    let blocks: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"block_id": id, "start": start, "end": start + Duration::hours(4),
                   "pay_cents": 6400, "drivers": 1})
        })
        .collect();
    app.post(
        offers::PUBLISH,
        Some(lead.token()),
        json!({"blocks": blocks, "opens_at": app.now() + Duration::minutes(opens_min),
               "window_minutes": 30, "confirm_hours": 4}),
    )
    .await
}

async fn ask(app: &App, who: &Login, round: &str, ranking: &[&str]) -> Resp {
    app.post(
        &offers::request_path(round),
        Some(who.token()),
        json!({ "ranking": ranking }),
    )
    .await
}

async fn mine(app: &App, who: &Login) -> MyOffers {
    app.get(offers::MINE, who.token()).await.ok()
}

async fn a_round_runs_from_publish_to_earnings(b: Backend) {
    let app = long_app(b).await;
    seeded(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let f1 = app.login("S1", Role::Flex, "F1").await;
    let f2 = app.login("S1", Role::Flex, "F2").await;
    let f3 = app.login("S1", Role::Flex, "F3").await;

    let round: RoundView = publish(&app, &lead, &["B1", "B2"], 2, 10).await.ok();
    assert_eq!(round.state, RoundState::Upcoming);
    assert_eq!(round.commitment.len(), 64);
    assert_eq!(round.blocks.len(), 2);
    // Every driver sees the same list at the same moment.
    let seen1 = app.get(offers::OFFERS, f1.token()).await.json;
    let seen2 = app.get(offers::OFFERS, f2.token()).await.json;
    assert_eq!(seen1, seen2);
    let seen: OffersView = serde_json::from_value(seen1).unwrap();
    assert_eq!(seen.rounds, vec![round.clone()]);

    // Not before the window; then requests, replaced until the close.
    let early = ask(&app, &f1, &round.round_id, &["B1"]).await;
    assert_eq!(
        (early.status, early.code()),
        (StatusCode::CONFLICT, "round_not_open")
    );
    app.clock.advance(Duration::minutes(10));
    let _: RequestReceipt = ask(&app, &f1, &round.round_id, &["B1", "B2"]).await.ok();
    let _: RequestReceipt = ask(&app, &f2, &round.round_id, &["B1"]).await.ok();
    let got: RequestReceipt = ask(&app, &f2, &round.round_id, &["B2", "B1"]).await.ok();
    assert_eq!(got.ranking, ["B2", "B1"]);
    assert_eq!(mine(&app, &f2).await.requests, vec![got]);
    let not_yet = app
        .get(&offers::draw_path(&round.round_id), f1.token())
        .await;
    assert_eq!(not_yet.code(), "round_not_closed");

    // The window ends: the draw is published, anonymised, and recomputes.
    app.clock.advance(Duration::minutes(30));
    let draw: DrawView = app
        .get(&offers::draw_path(&round.round_id), f1.token())
        .await
        .ok();
    assert_eq!(draw.commitment, round.commitment);
    assert_eq!(
        lastmile_offers::commitment(&draw.input.seed),
        draw.commitment
    );
    assert!(lastmile_offers::verify(
        &draw.input,
        &round.commitment,
        &draw.allocation
    ));
    let published = serde_json::to_string(&draw.input).unwrap();
    assert!(
        !published.contains("F1") && !published.contains("F2"),
        "{published}"
    );
    assert_eq!(draw.input.entrants.len(), 2);
    assert_eq!(draw.allocation.awards.len(), 2, "two places, two drivers");
    let me1 = mine(&app, &f1).await;
    let me2 = mine(&app, &f2).await;
    assert_eq!(me1.results.len(), 1);
    assert_eq!(
        me1.results[0].pseudonym,
        draw.your_pseudonym.clone().unwrap()
    );
    assert_eq!(
        me1.results[0].won,
        draw.allocation.won_by(&me1.results[0].pseudonym)
    );
    let (b1, b2) = (&me1.awards[0], &me2.awards[0]);
    assert_eq!((b1.status, b2.status), (AwardStatus::Won, AwardStatus::Won));
    assert_ne!(b1.block.block_id, b2.block.block_id);
    assert!(app.get(offers::OFFERS, f1.token()).await.json["rounds"][0]["state"] == "closed");

    // F1 confirms, F2 releases: F2's block goes to a second round that opens now.
    let confirmed: AwardView = app
        .post(
            &offers::confirm_path(&b1.block.block_id),
            Some(f1.token()),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(confirmed.status, AwardStatus::Confirmed);
    let released: AwardView = app
        .post(
            &offers::release_path(&b2.block.block_id),
            Some(f2.token()),
            json!({}),
        )
        .await
        .ok();
    assert_eq!(released.status, AwardStatus::Released);
    let again = app
        .post(
            &offers::release_path(&b2.block.block_id),
            Some(f2.token()),
            json!({}),
        )
        .await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::NOT_FOUND, "unknown_award")
    );
    let offered: OffersView = app.get(offers::OFFERS, f3.token()).await.ok();
    let second = offered
        .rounds
        .iter()
        .find(|r| r.number == 2)
        .expect("a second round");
    assert_eq!(second.state, RoundState::Open);
    assert_eq!(second.blocks.len(), 1);
    assert_eq!(second.blocks[0].block_id, b2.block.block_id);
    assert_eq!(second.blocks[0].places, 1);
    assert_ne!(second.commitment, round.commitment);
    // F3 asks for it and wins it at the lead's early close; F1 holds an overlapping block.
    let overlap = ask(&app, &f1, &second.round_id, &[&b2.block.block_id]).await;
    assert_eq!(overlap.code(), "over_caps");
    let _: RequestReceipt = ask(&app, &f3, &second.round_id, &[&b2.block.block_id])
        .await
        .ok();
    let closed: DrawView = app
        .post(
            &offers::close_path(&second.round_id),
            Some(lead.token()),
            json!({}),
        )
        .await
        .ok();
    assert!(lastmile_offers::verify(
        &closed.input,
        &second.commitment,
        &closed.allocation
    ));
    assert_eq!(closed.allocation.awards.len(), 1);
    let me3 = mine(&app, &f3).await;
    assert_eq!(me3.awards[0].block.block_id, b2.block.block_id);
    assert_eq!(me3.awards[0].status, AwardStatus::Won);
    assert_eq!(
        me1.credit + mine(&app, &f1).await.credit,
        0,
        "winners keep no credit"
    );

    // The block is worked: F1 fetches the tour like a driver, and it shows in the earnings.
    let day: lastmile_protocol::tour::TourSnapshot = app.get("/v1/tour", f1.token()).await.ok();
    assert_eq!(day.tour_id, "TF1");
    app.clock.advance(Duration::minutes(90));
    let at = app.now();
    let evs = [
        event(&f1, 1, "TF1", at, delivered("TF1-A", "TF1-P1", vec![])),
        event(&f1, 2, "TF1", at, delivered("TF1-A", "TF1-P2", vec![])),
        event(&f1, 3, "TF1", at, delivered("TF1-B", "TF1-P3", vec![])),
    ];
    let ack: BatchAck = app.send(&f1, &evs).await.ok();
    assert!(ack.rejections.is_empty(), "{:?}", ack.rejections);
    let earned: Earnings = app.get(offers::EARNINGS, f1.token()).await.ok();
    assert_eq!(earned.blocks.len(), 1, "{earned:?}");
    let e = &earned.blocks[0];
    assert_eq!(e.block_id, b1.block.block_id);
    assert_eq!((e.stops, e.parcels, e.pay_cents), (2, 3, 6400));
    assert!((e.hours - 4.0).abs() < 1e-9);
    assert_eq!(earned.total_pay_cents, 6400);
    let none: Earnings = app.get(offers::EARNINGS, f2.token()).await.ok();
    assert!(none.blocks.is_empty(), "a released block earns nothing");
}

async fn an_unconfirmed_block_goes_to_a_second_round(b: Backend) {
    let app = long_app(b).await;
    seeded(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let f1 = app.login("S1", Role::Flex, "F1").await;
    let f2 = app.login("S1", Role::Flex, "F2").await;
    let round: RoundView = publish(&app, &lead, &["B9"], 30, 0).await.ok();
    let _: RequestReceipt = ask(&app, &f1, &round.round_id, &["B9"]).await.ok();
    app.clock.advance(Duration::minutes(31));
    let me = mine(&app, &f1).await;
    assert_eq!(me.awards[0].status, AwardStatus::Won);
    // Four hours to confirm; nothing moves before.
    app.clock.advance(Duration::hours(3));
    let offered: OffersView = app.get(offers::OFFERS, f2.token()).await.ok();
    assert!(offered.rounds.iter().all(|r| r.number == 1));
    app.clock.advance(Duration::hours(1));
    let offered: OffersView = app.get(offers::OFFERS, f2.token()).await.ok();
    let second = offered
        .rounds
        .iter()
        .find(|r| r.number == 2)
        .expect("a second round");
    assert_eq!(second.blocks[0].block_id, "B9");
    assert_eq!(mine(&app, &f1).await.awards[0].status, AwardStatus::Expired);
    let late = app
        .post(&offers::confirm_path("B9"), Some(f1.token()), json!({}))
        .await;
    assert_eq!(late.code(), "unknown_award");
    // Not first come, first served: nothing is given before the second round's draw.
    let _: RequestReceipt = ask(&app, &f2, &second.round_id, &["B9"]).await.ok();
    assert!(mine(&app, &f2).await.awards.is_empty());
    app.clock.advance(Duration::minutes(31));
    assert_eq!(mine(&app, &f2).await.awards[0].block.block_id, "B9");
}

async fn bad_offer_input_is_refused_with_clear_codes(b: Backend) {
    let app = long_app(b).await;
    seeded(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let lead2 = app.login("S2", Role::Station, "L2").await;
    let f1 = app.login("S1", Role::Flex, "F1").await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let code = |r: &Resp| (r.status, r.code().to_owned());

    // Publishing: only leads, sane windows, new block ids.
    let r = publish(&app, &d1, &["X"], 2, 0).await;
    assert_eq!(code(&r), (StatusCode::FORBIDDEN, "lead_only".into()));
    let r = app
        .post(
            offers::PUBLISH,
            Some(lead.token()),
            json!({"blocks": [], "opens_at": app.now(), "window_minutes": 30, "confirm_hours": 4}),
        )
        .await;
    assert_eq!(code(&r), (StatusCode::BAD_REQUEST, "no_blocks".into()));
    let start = app.now() + Duration::hours(2);
    let long = json!({"block_id": "LONG", "start": start, "end": start + Duration::hours(11),
                      "pay_cents": 9000, "drivers": 1});
    let van = json!({"block_id": "VAN", "start": start + Duration::hours(12), "end": start + Duration::hours(16),
                     "pay_cents": 7000, "drivers": 1, "qualification": "van-7.5t"});
    let r = app
        .post(
            offers::PUBLISH,
            Some(lead.token()),
            json!({"blocks": [long], "opens_at": app.now(), "window_minutes": 0, "confirm_hours": 4}),
        )
        .await;
    assert_eq!(code(&r), (StatusCode::BAD_REQUEST, "bad_window".into()));
    let round: RoundView = app
        .post(
            offers::PUBLISH,
            Some(lead.token()),
            json!({"blocks": [long, van], "opens_at": app.now(), "window_minutes": 30, "confirm_hours": 4}),
        )
        .await
        .ok();
    let r = publish(&app, &lead, &["LONG"], 2, 0).await;
    assert_eq!(code(&r), (StatusCode::CONFLICT, "block_exists".into()));

    // Requests: unknown block, over the caps, missing qualification, not a flex driver,
    // another station's round, no session at all.
    let r = ask(&app, &f1, &round.round_id, &["NOPE"]).await;
    assert_eq!(code(&r), (StatusCode::NOT_FOUND, "unknown_block".into()));
    let r = ask(&app, &f1, &round.round_id, &["LONG"]).await;
    assert_eq!(
        code(&r),
        (StatusCode::UNPROCESSABLE_ENTITY, "over_caps".into())
    );
    assert!(r.json["message"].as_str().unwrap().contains("10 h"));
    let r = ask(&app, &f1, &round.round_id, &["VAN"]).await;
    assert_eq!(
        code(&r),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "missing_qualification".into()
        )
    );
    let r = ask(&app, &f1, &round.round_id, &["VAN", "VAN"]).await;
    assert_eq!(
        code(&r),
        (StatusCode::BAD_REQUEST, "duplicate_block".into())
    );
    let r = ask(&app, &f1, &round.round_id, &[]).await;
    assert_eq!(code(&r), (StatusCode::BAD_REQUEST, "empty_request".into()));
    let r = ask(&app, &d1, &round.round_id, &["VAN"]).await;
    assert_eq!(code(&r), (StatusCode::FORBIDDEN, "flex_only".into()));
    let r = app
        .post(
            &offers::close_path(&round.round_id),
            Some(lead2.token()),
            json!({}),
        )
        .await;
    assert_eq!(code(&r), (StatusCode::NOT_FOUND, "unknown_round".into()));
    let r = app
        .post(
            &offers::request_path(&round.round_id),
            Some("not-a-session-of-any-device"),
            json!({"ranking": ["VAN"]}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "an unknown device cannot request"
    );
    // With the qualification set by the lead, the van block is fine.
    let r: offers::Qualifications = put(
        &app,
        &offers::qualifications_path("F1"),
        lead.token(),
        json!({"qualifications": ["van-7.5t"]}),
    )
    .await
    .ok();
    assert_eq!(r.qualifications, ["van-7.5t"]);
    let r = put(
        &app,
        &offers::qualifications_path("D1"),
        lead.token(),
        json!({"qualifications": ["x"]}),
    )
    .await;
    assert_eq!(code(&r), (StatusCode::NOT_FOUND, "unknown_person".into()));
    let _: RequestReceipt = ask(&app, &f1, &round.round_id, &["VAN"]).await.ok();
    // After the window.
    app.clock.advance(Duration::minutes(30));
    let r = ask(&app, &f1, &round.round_id, &["VAN"]).await;
    assert_eq!(code(&r), (StatusCode::CONFLICT, "round_closed".into()));
    let r = app
        .post(&offers::confirm_path("LONG"), Some(f1.token()), json!({}))
        .await;
    assert_eq!(code(&r), (StatusCode::NOT_FOUND, "unknown_award".into()));
    let won = mine(&app, &f1).await;
    assert_eq!(won.awards[0].block.block_id, "VAN");
}

async fn polling_is_rate_limited_per_account_and_per_device(b: Backend) {
    let app = app_with(b, |c| {
        c.rates.offers_per_account = 3;
        c.rates.offers_per_device = 4;
    })
    .await;
    seeded(&app).await;
    let f1 = app.login("S1", Role::Flex, "F1").await;
    for _ in 0..3 {
        let _: OffersView = app.get(offers::OFFERS, f1.token()).await.ok();
    }
    let r = app.get(offers::OFFERS, f1.token()).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
    );
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // Another account on the same phone has one call left: the device's limit.
    let s: lastmile_protocol::auth::Session =
        app.sign_in(&f1.dev, Role::Flex, "F2", "F2-pin").await.ok();
    let _: OffersView = app.get(offers::OFFERS, &s.access_token).await.ok();
    let r = app.get(offers::OFFERS, &s.access_token).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.json["message"].as_str().unwrap().contains("device"));
    // The lead is not limited.
    let lead = app.login("S1", Role::Station, "L1").await;
    for _ in 0..6 {
        let _: OffersView = app.get(offers::OFFERS, lead.token()).await.ok();
    }
}
