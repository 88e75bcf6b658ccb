//! Retention on the device (issue 16): acknowledged proof and tour data leave after the grace
//! period, nothing unacknowledged, refused or not uploaded ever does, and the sequence of the
//! outbox goes on where it was.

use chrono::{DateTime, Utc};
use lastmile_store::{Retention, Store};

use crate::privacy::record_day;
use crate::{Device, assert_log_consistent, device_with, raw_connection, real_tour};

fn time(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().into()
}

/// A device with the real tour (2018-07-27) that keeps data for `grace_days`.
fn device_keeping(grace_days: u32) -> Device {
    let mut d = device_with(|o| o.retention = Some(Retention { grace_days }));
    d.store.apply_snapshot(&real_tour()).unwrap();
    d
}

fn count(d: &Device, sql: &str) -> i64 {
    raw_connection(&d.path)
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Everything sent: every event acknowledged, every file uploaded.
fn ack_everything(store: &mut Store) {
    let last = store.queue_state().unwrap().last_seq;
    store.mark_acked(last).unwrap();
    for b in store.pending_blobs().unwrap() {
        store.mark_blob_uploaded(&b.sha256).unwrap();
    }
}

#[test]
fn acknowledged_proof_leaves_once_sent_and_past_its_grace_and_the_sequence_goes_on() {
    let mut d = device_keeping(1);
    record_day(&mut d.store, 3);
    let files: Vec<_> = d.store.pending_blobs().unwrap();
    assert_eq!(files.len(), 6, "a photo and a signature per delivery");
    let last = d.store.queue_state().unwrap().last_seq;

    // Three days later nothing has been sent: everything stays.
    d.clock.set(time("2018-07-30T08:00:00Z"));
    let purged = d.store.purge_expired(&Retention::default()).unwrap();
    assert!(purged.tours.is_empty(), "unacknowledged: {purged:?}");
    // Events acknowledged, files not yet uploaded: still everything.
    d.store.mark_acked(last).unwrap();
    assert!(d.store.tour_overview().unwrap().is_some());
    for f in &files[..5] {
        d.store.mark_blob_uploaded(&f.sha256).unwrap();
    }
    assert!(
        d.store.tour_overview().unwrap().is_some(),
        "one file is not uploaded yet"
    );
    assert!(files.iter().all(|f| f.path.exists()));

    // The last upload: the purge after it takes the tour, its events and its files.
    d.store.mark_blob_uploaded(&files[5].sha256).unwrap();
    assert!(d.store.tour_overview().unwrap().is_none());
    assert!(
        files.iter().all(|f| !f.path.exists()),
        "proof files deleted"
    );
    for table in ["stop", "parcel", "blob", "tour"] {
        assert_eq!(
            count(&d, &format!("SELECT count(*) FROM {table}")),
            0,
            "{table}"
        );
    }
    assert_eq!(
        count(
            &d,
            "SELECT count(*) FROM event WHERE kind = 'purged' AND envelope = '' AND tour_id = ''"
        ),
        1,
        "only the newest event stays, emptied"
    );
    assert_eq!(count(&d, "SELECT count(*) FROM event"), 1);
    assert_eq!(count(&d, "SELECT max(seq) FROM event"), last as i64);

    // The next tour's first event continues the sequence the server knows.
    let mut next = real_tour();
    next.tour_id = "next-tour".into();
    next.date = time("2018-07-30T08:00:00Z").date_naive();
    d.store.apply_snapshot(&next).unwrap();
    record_day(&mut d.store, 1);
    let pending = d.store.pending_events(10, usize::MAX).unwrap();
    assert_eq!(pending[0].seq, last + 1);
    assert_log_consistent(&d.store);
    // A later purge of that tour drops the old tombstone for a new one.
    d.clock.set(time("2018-08-02T08:00:00Z"));
    ack_everything(&mut d.store);
    assert_eq!(count(&d, "SELECT count(*) FROM event"), 1);
    assert_eq!(
        count(&d, "SELECT max(seq) FROM event"),
        pending.last().unwrap().seq as i64
    );
}

#[test]
fn the_grace_period_ends_with_the_next_day() {
    let mut d = device_keeping(1);
    record_day(&mut d.store, 1);
    d.clock.set(time("2018-07-28T23:59:59Z"));
    ack_everything(&mut d.store);
    assert!(
        d.store.tour_overview().unwrap().is_some(),
        "the next day still has it"
    );
    d.clock.set(time("2018-07-29T00:00:00Z"));
    d.store.purge_expired(&Retention::default()).unwrap();
    assert!(
        d.store.tour_overview().unwrap().is_none(),
        "gone after the next day"
    );

    // With no grace the day after is enough; the purge also runs when the store opens.
    let mut d = device_keeping(0);
    record_day(&mut d.store, 1);
    ack_everything(&mut d.store);
    d.clock.set(time("2018-07-28T00:00:00Z"));
    let Device {
        store,
        clock,
        path,
        _dir,
    } = d;
    drop(store);
    let store = Store::open_with(
        &path,
        lastmile_store::Options {
            clock,
            retention: Some(Retention { grace_days: 0 }),
            ..crate::keyed()
        },
    )
    .unwrap();
    assert!(store.tour_overview().unwrap().is_none());
}

#[test]
fn a_refused_event_keeps_its_tour_on_the_device() {
    let mut d = device_keeping(1);
    record_day(&mut d.store, 2);
    d.clock.set(time("2018-08-10T08:00:00Z"));
    d.store
        .record_rejection(1, "outcome_conflict", "the server refused it")
        .unwrap();
    ack_everything(&mut d.store);
    let purged = d.store.purge_expired(&Retention::default()).unwrap();
    assert!(purged.tours.is_empty());
    assert!(d.store.tour_overview().unwrap().is_some());
    assert_eq!(count(&d, "SELECT count(*) FROM blob"), 4);
}

#[test]
fn without_a_retention_nothing_is_purged() {
    let mut d = device_with(|_| {});
    d.store.apply_snapshot(&real_tour()).unwrap();
    record_day(&mut d.store, 1);
    d.clock.set(time("2019-01-01T00:00:00Z"));
    ack_everything(&mut d.store);
    assert!(d.store.tour_overview().unwrap().is_some());
}
