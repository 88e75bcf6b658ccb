//! Group commit on the SQLite writer (issue 18), through the HTTP API: a fleet's batches and
//! photo uploads arriving at once share COMMITs (fsyncs) on SQLite, each answer comes only
//! once what it acknowledges is committed, and everything is stored exactly once.

use std::sync::Arc;

use axum::http::StatusCode;
use lastmile_protocol::auth::Role;
use lastmile_protocol::sync::{BatchAck, BlobStatus};

use crate::both;
use crate::harness::*;
use crate::stories::blob_put_req;

both!(a_reconnecting_fleet_shares_commits_and_every_answer_is_stored);

/// A device's acknowledged sequence as a reader sees it: committed.
async fn committed_seq(app: &App, device_id: &str) -> i64 {
    let mut tx = app.state.db.read().await.expect("read");
    let row = tx
        .one(
            "SELECT last_seq FROM devices WHERE device_id = $1",
            &[device_id.into()],
        )
        .await
        .expect("select")
        .expect("device row");
    tx.commit().await.expect("end read");
    row.get("last_seq").expect("last_seq")
}

async fn count(app: &App, sql: &str) -> i64 {
    let mut tx = app.state.db.read().await.expect("read");
    let n = tx
        .one(sql, &[])
        .await
        .expect("count")
        .expect("row")
        .get("n")
        .expect("n");
    tx.commit().await.expect("end read");
    n
}

/// 24 phones come back at once, each with two deliveries (one with a photo) and the photo.
async fn a_reconnecting_fleet_shares_commits_and_every_answer_is_stored(b: Backend) {
    let app = Arc::new(app(b).await);
    app.seed().await;
    let mut phones = Vec::new();
    for _ in 0..24 {
        // Each enrolment is a device of its own, with its own sequence.
        phones.push(app.login("S1", Role::Driver, "D1").await);
    }
    let now = app.now();
    let before = app.state.db.commit_stats();
    let mut batches = Vec::new();
    let mut tasks = Vec::new();
    for (i, phone) in phones.iter().enumerate() {
        let photo = jpeg(300, i as u8);
        let batch = vec![
            event(
                phone,
                1,
                "T1",
                now,
                delivered("T1-A", "T1-P1", vec![photo_ref(&photo)]),
            ),
            event(phone, 2, "T1", now, delivered("T1-B", "T1-P3", vec![])),
        ];
        batches.push(batch.clone());
        let (app, phone) = (app.clone(), phone.clone());
        tasks.push(tokio::spawn(async move {
            let ack: BatchAck = app.send(&phone, &batch).await.ok();
            // The answer came: what it acknowledges is committed (a reader sees it).
            let seen = committed_seq(&app, &phone.device_id).await;
            let put = app
                .raw(blob_put_req(
                    &sha256(&photo),
                    "image/jpeg",
                    None,
                    photo,
                    phone.token(),
                ))
                .await;
            (ack, seen, put)
        }));
    }
    for t in tasks {
        let (ack, seen, put) = t.await.expect("join");
        assert_eq!((ack.acked_seq, seen), (2, 2));
        assert_eq!(ack.missing_blobs.len(), 1);
        assert_eq!(put.status, StatusCode::OK, "{}", put.json);
        let status: BlobStatus = put.ok();
        assert!(status.complete);
    }
    let writes = 2 * phones.len() as u64;
    if matches!(b, Backend::Sqlite) {
        let after = app.state.db.commit_stats();
        let commits = after.commits - before.commits;
        assert!(
            commits < writes,
            "{commits} COMMITs for {writes} writes: no group formed"
        );
        assert_eq!(after.failed_groups, 0);
    }
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM events").await, 48);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM blobs").await, 24);
    // Every answer lost: each phone sends its batch again, and nothing changes.
    for (phone, batch) in phones.iter().zip(&batches) {
        let again: BatchAck = app.send(phone, batch).await.ok();
        assert_eq!(again.acked_seq, 2);
        assert!(again.missing_blobs.is_empty());
    }
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM events").await, 48);
}
