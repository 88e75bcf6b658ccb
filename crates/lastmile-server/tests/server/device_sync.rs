//! A real device (store + sync engine + transport) against the server on a loopback port,
//! with faults injected where the network is: a refresh whose answer is lost, a photo the
//! server lost, a slow link that cuts uploads. Plus the blob rules a device of another
//! driver or station runs into (who may upload, resume, read and ask about which blob).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::http::{Method, StatusCode};
use lastmile_domain::DeliveryMethod;
use lastmile_protocol::auth::{REFRESH, Role, Session};
use lastmile_protocol::sync::{BLOBS, BatchAck, BlobStatus};
use lastmile_store::{BlobInput, BlobKind, Delivery, Store};
use lastmile_sync::engine::{Config, Engine};
use lastmile_sync::runner::{Credentials, RunError, Runner};
use lastmile_sync::transport::{FaultInjector, FaultPoint, Link, ServerClient};
use serde_json::json;

use crate::both;
use crate::harness::*;
use crate::route_legs::{Live, live};
use crate::stories::blob_put_req;

both!(
    a_lost_refresh_answer_is_retried_and_the_driver_stays_signed_in,
    a_refresh_token_reused_after_the_grace_period_revokes_the_session,
    a_refresh_token_from_another_device_revokes_the_session,
    a_photo_the_server_lost_is_sent_again,
    photos_go_through_a_slow_link_that_cuts_uploads,
    another_device_cannot_block_or_read_a_photo,
    unreferenced_uploads_are_bounded_and_stale_ones_expire,
    an_event_too_large_to_send_is_parked_and_the_events_behind_it_arrive,
);

/// Faults for one test: which answers to drop, which bodies to cut, the link.
#[derive(Debug, Default)]
struct Faults {
    /// Drop the answer of the n-th request (1-based) to this path.
    drop_answer: Option<(&'static str, usize)>,
    /// Cut the body of the n-th request to this path after this many bytes.
    cut_body: Option<(&'static str, usize, usize)>,
    link: Option<Link>,
    requests: Mutex<Vec<String>>,
    /// Lengths of the bodies sent, by path.
    bodies: Mutex<Vec<(String, usize)>>,
    answers: AtomicUsize,
}

impl Faults {
    fn count(&self, path: &str) -> usize {
        self.requests
            .lock()
            .expect("lock")
            .iter()
            .filter(|p| *p == path)
            .count()
    }
}

impl FaultInjector for Faults {
    fn drop_here(&self, point: FaultPoint, path: &str) -> bool {
        match point {
            FaultPoint::Request => {
                self.requests.lock().expect("lock").push(path.to_owned());
                false
            }
            FaultPoint::Response => {
                self.answers.fetch_add(1, Ordering::Relaxed);
                self.drop_answer
                    .is_some_and(|(p, n)| p == path && self.count(path) == n)
            }
        }
    }
    fn cut_body(&self, path: &str, len: usize) -> Option<usize> {
        self.bodies
            .lock()
            .expect("lock")
            .push((path.to_owned(), len));
        self.cut_body
            .filter(|(p, n, _)| *p == path && self.count(path) == *n)
            .map(|(_, _, at)| at)
    }
    fn link(&self) -> Option<Link> {
        self.link
    }
}

/// A driver's phone with its own store, enrolled at S1, `driver` signed in.
struct Phone {
    store: Option<Store>,
    login: Login,
    _dir: tempfile::TempDir,
}

async fn phone(app: &App, live: &Live, driver: &str) -> Phone {
    let dir = tempfile::tempdir().expect("temp dir");
    let login = app.login("S1", Role::Driver, driver).await;
    let mut store = Store::open(&dir.path().join("device.db")).expect("device store");
    store.set_device_id(&login.device_id).expect("device id");
    let client = ServerClient::new(&live.url, Duration::from_secs(10)).expect("client");
    let tour = client.fetch_tour(login.token()).await.expect("tour");
    store.apply_snapshot(&tour).expect("tour on the device");
    Phone {
        store: Some(store),
        login,
        _dir: dir,
    }
}

fn quick() -> Config {
    Config {
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        poll_interval: Duration::from_secs(600),
        commit_delay: Duration::from_millis(10),
        ..Config::default()
    }
}

impl Phone {
    fn creds(&self) -> Credentials {
        Credentials {
            device_id: self.login.device_id.clone(),
            device_token: self.login.dev.device_token.clone(),
            role: Role::Driver,
            user_id: self.login.session.user_id.clone(),
            pin: None,
        }
    }

    /// Delivers the parcel with a photo; returns the photo's hash.
    fn deliver(&mut self, stop: &str, parcel: &str, photo: &[u8]) -> String {
        let store = self.store.as_mut().expect("store");
        store
            .deliver(
                &Delivery {
                    stop_id: stop.into(),
                    tracking_id: parcel.into(),
                    method: DeliveryMethod::Recipient { name: "Sam".into() },
                    card: None,
                    id_checked: false,
                    blobs: vec![BlobInput {
                        kind: BlobKind::Photo,
                        bytes: photo,
                    }],
                },
                None,
            )
            .expect("delivered");
        sha256(photo)
    }

    /// Syncs through the real engine and transport (faults injected) until settled; keeps
    /// the session the engine ends with.
    async fn sync(
        &mut self,
        live: &Live,
        faults: std::sync::Arc<Faults>,
        creds: Credentials,
        session: Session,
        limit: Duration,
    ) -> Result<(), RunError> {
        let client = ServerClient::new(&live.url, Duration::from_secs(5))
            .expect("client")
            .with_faults(faults);
        let store = self.store.take().expect("store");
        let mut runner =
            Runner::new(Engine::new(quick()), client, store, creds).with_session(session);
        let result = runner.sync_until_settled(limit).await;
        if let Some(s) = runner.sessions().borrow().clone() {
            self.login.session = s;
        }
        self.store = Some(runner.into_outbox());
        result
    }
}

async fn outcomes_on_server(app: &App, lead: &Login, tour: &str) -> usize {
    app.get(&format!("/v1/dispatch/tours/{tour}/outcomes"), lead.token())
        .await
        .ok::<Vec<serde_json::Value>>()
        .len()
}

async fn blob_complete(app: &App, who: &Login, sha: &str) -> bool {
    let st: BlobStatus = app
        .get(&format!("/v1/blobs/{sha}/status"), who.token())
        .await
        .ok();
    st.complete
}

async fn a_lost_refresh_answer_is_retried_and_the_driver_stays_signed_in(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let live = live(&app).await;
    let mut phone = phone(&app, &live, "D1").await;
    phone.deliver("T1-A", "T1-P1", &jpeg(3000, 1));
    // The access token expires; the engine refreshes, and the server's answer is lost.
    app.clock.advance(chrono::Duration::minutes(16));
    let faults = std::sync::Arc::new(Faults {
        drop_answer: Some((REFRESH, 1)),
        ..Faults::default()
    });
    let (creds, session) = (phone.creds(), phone.login.session.clone());
    phone
        .sync(
            &live,
            faults.clone(),
            creds,
            session.clone(),
            Duration::from_secs(30),
        )
        .await
        .expect("the device is still signed in and sends everything");
    assert_eq!(faults.count(REFRESH), 2, "one lost answer, one retry");
    assert_ne!(phone.login.session.refresh_token, session.refresh_token);
    let lead = app.login("S1", Role::Station, "L1").await;
    assert_eq!(outcomes_on_server(&app, &lead, "T1").await, 1);
    // The pair the retry got is the session's: it works, and rotates on.
    assert_eq!(
        app.get("/v1/tour", phone.login.token()).await.status,
        StatusCode::OK
    );
    let next: Session = app
        .post(
            REFRESH,
            None,
            json!({ "refresh_token": phone.login.session.refresh_token,
                    "device_id": phone.login.device_id, "device_token": phone.login.dev.device_token }),
        )
        .await
        .ok();
    assert_eq!(
        app.get("/v1/tour", &next.access_token).await.status,
        StatusCode::OK
    );
}

async fn a_refresh_token_reused_after_the_grace_period_revokes_the_session(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let live = live(&app).await;
    let mut phone = phone(&app, &live, "D1").await;
    phone.deliver("T1-A", "T1-P1", &jpeg(3000, 1));
    app.clock.advance(chrono::Duration::minutes(16));
    let old = phone.login.session.clone();
    let creds = phone.creds();
    phone
        .sync(
            &live,
            std::sync::Arc::new(Faults::default()),
            creds.clone(),
            old.clone(),
            Duration::from_secs(30),
        )
        .await
        .expect("synced after one refresh");
    let current = phone.login.session.clone();
    assert_ne!(current.refresh_token, old.refresh_token);
    // Later than the grace period, the same device comes back with the old session (an
    // older copy of its credentials): a replay. The session ends, for both copies.
    app.clock.advance(chrono::Duration::minutes(11));
    phone.deliver("T1-A", "T1-P2", &jpeg(3000, 2));
    let result = phone
        .sync(
            &live,
            std::sync::Arc::new(Faults::default()),
            creds,
            old,
            Duration::from_secs(30),
        )
        .await;
    assert!(
        matches!(result, Err(RunError::NeedsSignIn(_))),
        "the replayed token must not sign in: {result:?}"
    );
    let r = app.get("/v1/tour", &current.access_token).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );
}

async fn a_refresh_token_from_another_device_revokes_the_session(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let live = live(&app).await;
    let mut phone = phone(&app, &live, "D1").await;
    let mut thief = self::phone(&app, &live, "D2").await;
    app.clock.advance(chrono::Duration::minutes(16));
    // D1 refreshes; the answer never reaches it.
    let old = phone.login.session.clone();
    let lost: Session = app
        .post(
            REFRESH,
            None,
            json!({ "refresh_token": old.refresh_token,
                    "device_id": phone.login.device_id, "device_token": phone.login.dev.device_token }),
        )
        .await
        .ok();
    // Within the grace period another device presents D1's old token (it copied it).
    let thief_creds = thief.creds();
    let result = thief
        .sync(
            &live,
            std::sync::Arc::new(Faults::default()),
            thief_creds,
            Session {
                access_token: "lma_stolen".into(),
                ..old.clone()
            },
            Duration::from_secs(30),
        )
        .await;
    assert!(
        matches!(result, Err(RunError::NeedsSignIn(_))),
        "another device gets nothing: {result:?}"
    );
    // The token was stolen, so the session is gone for D1 too: its retry gets nothing, and
    // the pair it missed is dead.
    phone.deliver("T1-A", "T1-P1", &jpeg(3000, 1));
    let creds = phone.creds();
    let result = phone
        .sync(
            &live,
            std::sync::Arc::new(Faults::default()),
            creds,
            old,
            Duration::from_secs(30),
        )
        .await;
    assert!(
        matches!(result, Err(RunError::NeedsSignIn(_))),
        "{result:?}"
    );
    let r = app.get("/v1/tour", &lost.access_token).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );
    // D1 signs in again. Another device that copied the new, current refresh token gets
    // nothing either, and ends that session too.
    let fresh: Session = app
        .sign_in(&phone.login.dev, Role::Driver, "D1", "D1-pin")
        .await
        .ok();
    let thief_creds = thief.creds();
    let result = thief
        .sync(
            &live,
            std::sync::Arc::new(Faults::default()),
            thief_creds,
            Session {
                access_token: "lma_stolen".into(),
                ..fresh.clone()
            },
            Duration::from_secs(30),
        )
        .await;
    assert!(
        matches!(result, Err(RunError::NeedsSignIn(_))),
        "{result:?}"
    );
    let r = app.get("/v1/tour", &fresh.access_token).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNAUTHORIZED, "session_revoked")
    );
}

async fn a_photo_the_server_lost_is_sent_again(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let live = live(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let mut phone = phone(&app, &live, "D1").await;
    let photo = jpeg(20_000, 3);
    let sha = phone.deliver("T1-A", "T1-P1", &photo);
    let faults = std::sync::Arc::new(Faults::default());
    let (creds, session) = (phone.creds(), phone.login.session.clone());
    phone
        .sync(
            &live,
            faults.clone(),
            creds.clone(),
            session,
            Duration::from_secs(30),
        )
        .await
        .expect("synced");
    assert!(blob_complete(&app, &lead, &sha).await);
    // The server loses the photo (a restore from an older backup, a failover).
    let mut tx = app.state.db.begin().await.expect("tx");
    tx.exec("DELETE FROM blobs", &[]).await.expect("delete");
    tx.commit().await.expect("commit");
    assert!(!blob_complete(&app, &lead, &sha).await);
    // The next batch's answer names it missing; the device sends it again.
    phone.deliver("T1-B", "T1-P3", &jpeg(5_000, 4));
    let session = phone.login.session.clone();
    phone
        .sync(&live, faults, creds, session, Duration::from_secs(30))
        .await
        .expect("synced again");
    assert!(
        blob_complete(&app, &lead, &sha).await,
        "the lost photo is on the server again"
    );
    let ack: BatchAck = app.send(&phone.login, &[]).await.ok();
    assert!(ack.missing_blobs.is_empty(), "{:?}", ack.missing_blobs);
}

async fn photos_go_through_a_slow_link_that_cuts_uploads(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let live = live(&app).await;
    let lead = app.login("S1", Role::Station, "L1").await;
    let mut phone = phone(&app, &live, "D1").await;
    // A photo of 60 KB over 8 KB/s with 1.5 s round trips: 7.5 s on the wire at best, more
    // than any single request may take with a 5 s timeout. The first piece (after the HEAD
    // that asks where to start) is cut after 20,000 bytes, and the server keeps them.
    let photo = jpeg(60_000, 5);
    let sha = phone.deliver("T1-A", "T1-P1", &photo);
    let faults = std::sync::Arc::new(Faults {
        cut_body: Some((BLOBS, 2, 20_000)),
        link: Some(Link {
            bytes_per_s: 8_000,
            rtt: Duration::from_millis(1500),
        }),
        ..Faults::default()
    });
    let (creds, session) = (phone.creds(), phone.login.session.clone());
    let began = std::time::Instant::now();
    phone
        .sync(
            &live,
            faults.clone(),
            creds,
            session,
            Duration::from_secs(60),
        )
        .await
        .expect("the photo goes through the slow link");
    assert!(blob_complete(&app, &lead, &sha).await);
    eprintln!(
        "60 KB photo over 8 KB/s, 1.5 s RTT, one cut: {:.1} s, {} blob requests",
        began.elapsed().as_secs_f64(),
        faults.count(BLOBS)
    );
    // What the server kept of the cut piece was not sent again.
    let pieces: Vec<usize> = faults
        .bodies
        .lock()
        .expect("lock")
        .iter()
        .filter(|(p, _)| p == BLOBS)
        .map(|(_, len)| *len)
        .collect();
    assert_eq!(pieces.first(), Some(&60_000), "one piece first: {pieces:?}");
    // (The slice in flight when the connection broke may be lost with it.)
    let resent = pieces[1..].iter().sum::<usize>();
    assert!(
        (40_000..=42_000).contains(&resent),
        "the resume starts about where the cut piece ended: {pieces:?}"
    );
}

async fn another_device_cannot_block_or_read_a_photo(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let d2 = app.login("S1", Role::Driver, "D2").await;
    let d3 = app.login("S2", Role::Driver, "D3").await;
    let l1 = app.login("S1", Role::Station, "L1").await;
    let l2 = app.login("S2", Role::Station, "L2").await;
    let sup = app.login("S1", Role::Supervisor, "SUP1").await;
    let photo = jpeg(30_000, 6);
    let sha = sha256(&photo);
    let ev = event(
        &d1,
        1,
        "T1",
        app.now(),
        delivered("T1-A", "T1-P1", vec![photo_ref(&photo)]),
    );
    assert_eq!(app.send(&d1, &[ev]).await.ok::<BatchAck>().acked_seq, 1);
    let put = |who: &Login, range: &str, body: Vec<u8>| {
        blob_put_req(&sha, "image/jpeg", Some(range.into()), body, who.token())
    };
    // Another driver's device knows the hash and starts it with a wrong total: that is its
    // own upload, nobody else's.
    let r = app
        .raw(put(&d2, "bytes 0-9/11", photo[..10].to_vec()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // D1's device uploads the photo in two pieces, unhindered.
    let r = app
        .raw(put(&d1, "bytes 0-14999/30000", photo[..15_000].to_vec()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let head = app
        .call(
            Method::HEAD,
            &format!("/v1/blobs/{sha}"),
            Some(d1.token()),
            None,
        )
        .await;
    assert_eq!(head.headers["upload-offset"], "15000");
    let st: BlobStatus = app
        .raw(put(
            &d1,
            "bytes 15000-29999/30000",
            photo[15_000..].to_vec(),
        ))
        .await
        .ok();
    assert!(st.complete, "{st:?}");
    // The lead sees the hash among the missing blobs and tries the same: leads
    // upload nothing.
    let r = app
        .raw(put(&l1, "bytes 0-9/11", photo[..10].to_vec()))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "role_cannot_upload")
    );
    // Reads go by tour and role: the driver, the station's lead, the supervisor riding with
    // D1. Not another driver (of the station or not) nor another station's lead.
    for (who, want) in [
        (&d1, StatusCode::OK),
        (&l1, StatusCode::OK),
        (&sup, StatusCode::OK),
        (&d2, StatusCode::FORBIDDEN),
        (&d3, StatusCode::FORBIDDEN),
        (&l2, StatusCode::FORBIDDEN),
    ] {
        let r = app.get(&format!("/v1/blobs/{sha}"), who.token()).await;
        assert_eq!(r.status, want, "GET as {}", who.session.user_id);
    }
    // HEAD and status tell others nothing about the blob: D2's own upload of it is gone (the
    // blob is complete), so D2 is refused like D3 and L2 (as for any hash, held or not).
    let st = app
        .get(&format!("/v1/blobs/{sha}/status"), d2.token())
        .await;
    assert_eq!(st.status, StatusCode::FORBIDDEN, "{}", st.json);
    let unknown = sha256(b"never uploaded");
    for who in [&d3, &l2] {
        for hash in [&sha, &unknown] {
            let r = app
                .get(&format!("/v1/blobs/{hash}/status"), who.token())
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", who.session.user_id);
            let r = app
                .call(
                    Method::HEAD,
                    &format!("/v1/blobs/{hash}"),
                    Some(who.token()),
                    None,
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", who.session.user_id);
        }
    }
    assert!(blob_complete(&app, &l1, &sha).await);
    // A device may start its own upload over with another total (it re-encoded the photo).
    let other = jpeg(5_000, 8);
    let ev = event(
        &d1,
        2,
        "T1",
        app.now(),
        delivered("T1-A", "T1-P2", vec![photo_ref(&other)]),
    );
    assert_eq!(app.send(&d1, &[ev]).await.ok::<BatchAck>().acked_seq, 2);
    let osha = sha256(&other);
    let r = app
        .raw(blob_put_req(
            &osha,
            "image/jpeg",
            Some("bytes 0-999/9000".into()),
            other[..1000].to_vec(),
            d1.token(),
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .raw(blob_put_req(
            &osha,
            "image/jpeg",
            Some("bytes 1000-1999/5000".into()),
            other[1000..2000].to_vec(),
            d1.token(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "total_mismatch")
    );
    let st: BlobStatus = app
        .raw(blob_put_req(
            &osha,
            "image/jpeg",
            Some("bytes 0-4999/5000".into()),
            other.clone(),
            d1.token(),
        ))
        .await
        .ok();
    assert!(st.complete);
}

async fn unreferenced_uploads_are_bounded_and_stale_ones_expire(b: Backend) {
    let app = app_with(b, |c| {
        c.unreferenced_blob_quota = 10_000;
        c.blob_upload_ttl = Duration::from_secs(600);
    })
    .await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    // Before its event, a blob may come within the quota; beyond it, not.
    let a = jpeg(6_000, 1);
    let st: BlobStatus = app
        .raw(blob_put_req(
            &sha256(&a),
            "image/jpeg",
            None,
            a.clone(),
            d1.token(),
        ))
        .await
        .ok();
    assert!(st.complete);
    let big = jpeg(6_000, 2);
    let r = app
        .raw(blob_put_req(
            &sha256(&big),
            "image/jpeg",
            None,
            big.clone(),
            d1.token(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::FORBIDDEN, "blob_not_referenced")
    );
    // Once an event references the first, it no longer counts.
    let ev = event(
        &d1,
        1,
        "T1",
        app.now(),
        delivered("T1-A", "T1-P1", vec![photo_ref(&a)]),
    );
    app.send(&d1, &[ev]).await.ok::<BatchAck>();
    let st: BlobStatus = app
        .raw(blob_put_req(
            &sha256(&big),
            "image/jpeg",
            Some("bytes 0-2999/6000".into()),
            big[..3000].to_vec(),
            d1.token(),
        ))
        .await
        .ok();
    assert_eq!(st.received, 3000);
    // A partial upload left longer than its time to live is gone: the resume is refused,
    // a restart works.
    app.clock.advance(chrono::Duration::minutes(11));
    let head = app
        .call(
            Method::HEAD,
            &format!("/v1/blobs/{}", sha256(&big)),
            Some(d1.token()),
            None,
        )
        .await;
    assert_eq!(
        head.status,
        StatusCode::FORBIDDEN,
        "expired and unreferenced: nothing to see"
    );
    let r = app
        .raw(blob_put_req(
            &sha256(&big),
            "image/jpeg",
            Some("bytes 3000-5999/6000".into()),
            big[3000..].to_vec(),
            d1.token(),
        ))
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "offset_mismatch")
    );
    let st: BlobStatus = app
        .raw(blob_put_req(
            &sha256(&big),
            "image/jpeg",
            None,
            big.clone(),
            d1.token(),
        ))
        .await
        .ok();
    assert!(st.complete);
}

async fn an_event_too_large_to_send_is_parked_and_the_events_behind_it_arrive(b: Backend) {
    let app = app(b).await;
    app.seed().await;
    let live = live(&app).await;
    let mut phone = phone(&app, &live, "D1").await;
    let deliver = |phone: &mut Phone, stop: &str, parcel: &str, name: String| {
        phone
            .store
            .as_mut()
            .expect("store")
            .deliver(
                &Delivery {
                    stop_id: stop.into(),
                    tracking_id: parcel.into(),
                    method: DeliveryMethod::Recipient { name },
                    card: None,
                    id_checked: false,
                    blobs: vec![],
                },
                None,
            )
            .expect("delivered")
    };
    deliver(&mut phone, "T1-A", "T1-P1", "Sam".into());
    // More than the server takes in one request (4 MiB of JSON), even alone.
    let huge = deliver(&mut phone, "T1-A", "T1-P2", "x".repeat(5 * 1024 * 1024));
    deliver(&mut phone, "T1-B", "T1-P3", "Kim".into());
    let (creds, session) = (phone.creds(), phone.login.session.clone());
    phone
        .sync(
            &live,
            std::sync::Arc::new(Faults::default()),
            creds,
            session,
            Duration::from_secs(30),
        )
        .await
        .expect("the queue drains past the event that is too large");

    let lead = app.login("S1", Role::Station, "L1").await;
    assert_eq!(
        outcomes_on_server(&app, &lead, "T1").await,
        2,
        "the deliveries before and behind it arrived"
    );
    let rejections: Vec<lastmile_protocol::dispatch::RejectionView> = app
        .get("/v1/dispatch/tours/T1/rejections", lead.token())
        .await
        .ok();
    assert_eq!(rejections.len(), 1, "{rejections:?}");
    assert_eq!(rejections[0].seq, 2);
    assert_eq!(rejections[0].code, "event_too_large");
    assert_eq!(rejections[0].event_id, huge.event_id);
    assert!(
        rejections[0].message.contains("parcel_delivered"),
        "{}",
        rejections[0].message
    );

    // On the device: all acknowledged, the refusal recorded, the original kept in the outbox.
    let store = phone.store.as_ref().expect("store");
    let queue = store.queue_state().expect("queue");
    assert_eq!(
        (queue.acked_seq, queue.pending_events, queue.rejected),
        (3, 0, 1)
    );
    let kept: i64 = rusqlite::Connection::open(phone._dir.path().join("device.db"))
        .expect("device db")
        .query_row(
            "SELECT length(envelope) FROM event WHERE seq = 2",
            [],
            |r| r.get(0),
        )
        .expect("the original is in the outbox");
    assert!(kept > 5 * 1024 * 1024, "kept {kept} bytes");
}
