//! Data-driven tests of the engine: each test is a script of timed inputs and an
//! `expect-test` snapshot of the instructions it produced, one line per step. Time is
//! explicit ([`Millis`]); nothing sleeps.

use chrono::{TimeZone, Utc};
use expect_test::{Expect, expect};
use lastmile_protocol::events::{EventBody, EventEnvelope};
use lastmile_protocol::sync::{BatchAck, ChangesPage, Rejection};
use lastmile_protocol::tour::{ChangeSet, TourChange};

use super::*;

fn cfg() -> Config {
    Config {
        max_batch_events: 1000,
        max_batch_bytes: 1 << 20,
        backoff_base: Duration::from_millis(1000),
        backoff_max: Duration::from_millis(60_000),
        poll_interval: Duration::from_millis(30_000),
        commit_delay: Duration::from_millis(200),
        offline_probe: Duration::from_millis(120_000),
        seed: 7,
        fetches_tour: true,
    }
}

fn event(seq: u64) -> EventEnvelope {
    EventEnvelope {
        event_id: uuid::Uuid::from_u128(seq as u128),
        device_id: "dev-1".into(),
        seq,
        tour_id: "T1".into(),
        recorded_at: Utc.with_ymd_and_hms(2025, 5, 6, 9, 0, 0).unwrap(),
        position: None,
        app_version: "0.1.0".into(),
        recorded_by: None,
        body: EventBody::StopArrived {
            stop_id: format!("S{seq}"),
        },
    }
}

fn events(range: std::ops::RangeInclusive<u64>) -> Vec<EventEnvelope> {
    range.map(event).collect()
}

fn blob(name: &str, bytes: u64) -> BlobInfo {
    BlobInfo {
        sha256: name.into(),
        kind: "photo".into(),
        bytes,
    }
}

fn summary(last_seq: u64, acked_seq: u64, blobs: &[BlobInfo], cursor: Option<u64>) -> Input {
    Input::Outbox(OutboxSummary {
        last_seq,
        acked_seq,
        oldest_unsent: (last_seq > acked_seq)
            .then(|| Utc.with_ymd_and_hms(2025, 5, 6, 9, 0, 0).unwrap()),
        blobs: blobs.to_vec(),
        cursor,
        rejected: 0,
    })
}

fn ack(op: u64, acked_seq: u64, rejected: &[u64]) -> Input {
    Input::BatchAcked {
        op: OpId(op),
        ack: BatchAck {
            acked_seq,
            rejections: rejected
                .iter()
                .map(|&seq| Rejection {
                    seq,
                    code: "unknown_parcel".into(),
                    message: String::new(),
                })
                .collect(),
            server_time: Utc.with_ymd_and_hms(2025, 5, 6, 9, 0, 1).unwrap(),
            missing_blobs: vec![],
        },
    }
}

fn failed(op: u64, failure: Failure) -> Input {
    Input::Failed {
        op: OpId(op),
        failure,
    }
}

fn unreachable() -> Failure {
    Failure::Unreachable {
        detail: "connection refused".into(),
    }
}

fn applied_ack(n: u64) -> Input {
    Input::Applied(Applied::Ack { acked_seq: n })
}

fn page(cursor: u64, sets: &[u64]) -> ChangesPage {
    ChangesPage {
        change_sets: sets
            .iter()
            .map(|&c| ChangeSet {
                tour_id: "T1".into(),
                cursor: c,
                changes: vec![TourChange::StopRemoved {
                    stop_id: "S9".into(),
                }],
            })
            .collect(),
        cursor,
    }
}

fn show_input(input: &Input) -> String {
    match input {
        Input::Outbox(s) => format!(
            "outbox last={} acked={} blobs={} cursor={:?}",
            s.last_seq,
            s.acked_seq,
            s.blobs.len(),
            s.cursor
        ),
        Input::EventsLoaded { events } => match (events.first(), events.last()) {
            (Some(a), Some(b)) => format!("loaded {}..={}", a.seq, b.seq),
            _ => "loaded none".into(),
        },
        Input::BatchAcked { op, ack } if ack.missing_blobs.is_empty() => format!(
            "acked #{} {} rejected {:?}",
            op.0,
            ack.acked_seq,
            ack.rejections.iter().map(|r| r.seq).collect::<Vec<_>>()
        ),
        Input::BatchAcked { op, ack } => format!(
            "acked #{} {} missing {:?}",
            op.0, ack.acked_seq, ack.missing_blobs
        ),
        Input::Failed { op, failure } => format!("failed #{} {}", op.0, failure.code()),
        Input::ChangesFetched { op, page } => format!(
            "changes #{} sets {:?} cursor {}",
            op.0,
            page.change_sets
                .iter()
                .map(|c| c.cursor)
                .collect::<Vec<_>>(),
            page.cursor
        ),
        Input::TourFetched { op, snapshot } => format!("tour #{} cursor {}", op.0, snapshot.cursor),
        Input::Authenticated { op } => format!("authenticated #{}", op.0),
        Input::BlobUploaded { op, sha256 } => format!("uploaded #{} {sha256}", op.0),
        Input::Applied(a) => format!("applied {a:?}"),
        other => format!("{other:?}"),
    }
}

fn show_instruction(i: &Option<Instruction>) -> String {
    let Some(i) = i else { return "-".into() };
    match i {
        Instruction::Authenticate { op } => format!("authenticate #{}", op.0),
        Instruction::FetchTour { op } => format!("fetch tour #{}", op.0),
        Instruction::ApplyTour { snapshot } => format!("apply tour {}", snapshot.cursor),
        Instruction::LoadEvents {
            after_seq,
            max_events,
            max_bytes,
        } => {
            format!("load after {after_seq} max {max_events} / {max_bytes} B")
        }
        Instruction::SendBatch { op, batch } => {
            let stand_ins: Vec<String> = batch
                .events
                .iter()
                .filter_map(|e| match &e.body {
                    EventBody::TooLarge { original_type, .. } => {
                        Some(format!("{} as too_large({original_type})", e.seq))
                    }
                    _ => None,
                })
                .collect();
            format!(
                "send #{} seq {}..={}{}",
                op.0,
                batch.events.first().map_or(0, |e| e.seq),
                batch.events.last().map_or(0, |e| e.seq),
                if stand_ins.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", stand_ins.join(", "))
                }
            )
        }
        Instruction::ApplyAck {
            acked_seq,
            rejections,
        } => format!(
            "apply ack {acked_seq} rejections {:?}",
            rejections.iter().map(|r| r.seq).collect::<Vec<_>>()
        ),
        Instruction::UploadBlob { op, blob } => format!("upload #{} {}", op.0, blob.sha256),
        Instruction::MarkBlobUploaded { sha256 } => format!("mark uploaded {sha256}"),
        Instruction::RequeueBlobs { sha256s } => format!("requeue {sha256s:?}"),
        Instruction::CheckBlobs { op } => format!("check blobs #{}", op.0),
        Instruction::PullChanges { op, after } => format!("pull #{} after {after}", op.0),
        Instruction::ApplyChanges { page } => format!(
            "apply changes {:?}",
            page.change_sets
                .iter()
                .map(|c| c.cursor)
                .collect::<Vec<_>>()
        ),
        Instruction::Idle { until: Some(t) } => format!("idle until {}", t.0),
        Instruction::Idle { until: None } => "idle until an outside input".into(),
    }
}

/// Runs a script against a fresh engine and snapshots the trace.
fn check_with(cfg: Config, script: Vec<(u64, Input)>, expect: Expect) {
    let mut engine = Engine::new(cfg);
    check_engine(&mut engine, script, expect);
}

fn check_engine(engine: &mut Engine, script: Vec<(u64, Input)>, expect: Expect) {
    let mut trace = String::new();
    for (t, input) in script {
        let line = show_input(&input);
        let out = engine.handle(Millis(t), input);
        trace.push_str(&format!(
            "t={t:<6} {line:<40} -> {}\n",
            show_instruction(&out)
        ));
    }
    expect.assert_eq(&trace);
}

fn check(script: Vec<(u64, Input)>, expect: Expect) {
    check_with(cfg(), script, expect);
}

/// Start, authenticate, send, apply, upload, pull, rest.
#[test]
fn a_full_cycle_sends_events_then_blobs_then_pulls() {
    check(
        vec![
            (0, summary(3, 0, &[blob("aa", 1000)], Some(4))),
            (0, Input::Started),
            (5, Input::Authenticated { op: OpId(1) }),
            (
                6,
                Input::EventsLoaded {
                    events: events(1..=3),
                },
            ),
            (9, ack(2, 3, &[])),
            (10, applied_ack(3)),
            (
                20,
                Input::BlobUploaded {
                    op: OpId(3),
                    sha256: "aa".into(),
                },
            ),
            (
                21,
                Input::Applied(Applied::Blob {
                    sha256: "aa".into(),
                }),
            ),
            (
                25,
                Input::ChangesFetched {
                    op: OpId(4),
                    page: page(4, &[]),
                },
            ),
            (30_025, Input::Tick),
        ],
        expect![[r#"
            t=0      outbox last=3 acked=0 blobs=1 cursor=Some(4) -> idle until an outside input
            t=0      Started                                  -> authenticate #1
            t=5      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=6      loaded 1..=3                             -> send #2 seq 1..=3
            t=9      acked #2 3 rejected []                   -> apply ack 3 rejections []
            t=10     applied Ack { acked_seq: 3 }             -> upload #3 aa
            t=20     uploaded #3 aa                           -> mark uploaded aa
            t=21     applied Blob { sha256: "aa" }            -> pull #4 after 4
            t=25     changes #4 sets [] cursor 4              -> idle until 30025
            t=30025  Tick                                     -> check blobs #5
        "#]],
    );
}

/// Signed-in engine with `last` events recorded and nothing acknowledged, about to load.
fn started(cfg: Config, last: u64, blobs: &[BlobInfo]) -> Engine {
    let mut e = Engine::new(cfg);
    e.handle(Millis(0), summary(last, 0, blobs, Some(0)));
    assert!(matches!(
        e.handle(Millis(0), Input::Started),
        Some(Instruction::Authenticate { op: OpId(1) })
    ));
    e
}

#[test]
fn batches_are_bounded_by_count_and_by_bytes() {
    let one = serde_json::to_vec(&event(1)).unwrap().len() + 1;
    for (max_events, max_bytes, want) in [
        (2, 1 << 20, "send #2 seq 1..=2"),
        (1000, 1 << 20, "send #2 seq 1..=5"),
        (1000, 2 * one, "send #2 seq 1..=2"),
        (1000, 2 * one - 1, "send #2 seq 1..=1"),
        // An event larger than the byte bound still goes, alone: the queue never jams.
        (1000, 10, "send #2 seq 1..=1"),
    ] {
        let mut e = started(
            Config {
                max_batch_events: max_events,
                max_batch_bytes: max_bytes,
                ..cfg()
            },
            5,
            &[],
        );
        let load = e.handle(Millis(1), Input::Authenticated { op: OpId(1) });
        assert_eq!(
            load,
            Some(Instruction::LoadEvents {
                after_seq: 0,
                max_events,
                max_bytes
            }),
            "{max_events} {max_bytes}"
        );
        // The store may hand back more than asked; the engine still cuts.
        let send = e.handle(
            Millis(2),
            Input::EventsLoaded {
                events: events(1..=5),
            },
        );
        assert_eq!(
            show_instruction(&send),
            want,
            "max_events {max_events}, max_bytes {max_bytes}"
        );
    }
}

#[test]
fn a_batch_is_contiguous_from_the_acknowledged_sequence() {
    let mut e = started(cfg(), 6, &[]);
    e.handle(Millis(1), Input::Authenticated { op: OpId(1) });
    // A stale read brings already-acknowledged events and a gap; neither is sent.
    let mut loaded = events(1..=3);
    loaded.extend(events(5..=6));
    check_engine(
        &mut e,
        vec![(2, Input::EventsLoaded { events: loaded })],
        expect![[r#"
            t=2      loaded 1..=6                             -> send #2 seq 1..=3
        "#]],
    );
}

#[test]
fn a_rejected_event_does_not_block_the_ones_behind_it() {
    check_engine(
        &mut started(cfg(), 4, &[]),
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=4),
                },
            ),
            // The server refused seq 2 and applied 1, 3, 4: all acknowledged.
            (3, ack(2, 4, &[2])),
            (4, summary(4, 4, &[], Some(0))),
            (4, applied_ack(4)),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=2      loaded 1..=4                             -> send #2 seq 1..=4
            t=3      acked #2 4 rejected [2]                  -> apply ack 4 rejections [2]
            t=4      outbox last=4 acked=4 blobs=0 cursor=Some(0) -> -
            t=4      applied Ack { acked_seq: 4 }             -> pull #3 after 0
        "#]],
    );
}

#[test]
fn an_expired_token_is_refreshed_and_the_same_batch_resent() {
    check_engine(
        &mut started(cfg(), 2, &[]),
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=2),
                },
            ),
            (
                3,
                failed(
                    2,
                    Failure::Unauthorized {
                        code: "token_expired".into(),
                    },
                ),
            ),
            (4, Input::Authenticated { op: OpId(3) }),
            (
                5,
                Input::EventsLoaded {
                    events: events(1..=2),
                },
            ),
            (6, ack(4, 2, &[])),
            (7, applied_ack(2)),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=2      loaded 1..=2                             -> send #2 seq 1..=2
            t=3      failed #2 token_expired                  -> authenticate #3
            t=4      authenticated #3                         -> load after 0 max 1000 / 1048576 B
            t=5      loaded 1..=2                             -> send #4 seq 1..=2
            t=6      acked #4 2 rejected []                   -> apply ack 2 rejections []
            t=7      applied Ack { acked_seq: 2 }             -> pull #5 after 0
        "#]],
    );
}

#[test]
fn when_nobody_can_sign_in_the_queue_waits_intact_until_someone_does() {
    let mut e = started(cfg(), 2, &[]);
    check_engine(
        &mut e,
        vec![
            (
                1,
                failed(
                    1,
                    Failure::Unauthorized {
                        code: "refresh_expired".into(),
                    },
                ),
            ),
            (500_000, Input::Tick),
            (500_001, Input::LocalCommit),
            (600_000, Input::SignedIn),
        ],
        expect![[r#"
            t=1      failed #1 refresh_expired                -> idle until an outside input
            t=500000 Tick                                     -> idle until an outside input
            t=500001 LocalCommit                              -> idle until an outside input
            t=600000 SignedIn                                 -> load after 0 max 1000 / 1048576 B
        "#]],
    );
    let s = e.status(
        Millis(600_000),
        Utc.with_ymd_and_hms(2025, 5, 6, 10, 0, 0).unwrap(),
    );
    assert_eq!(s.pending_events, 2);
    assert!(!s.needs_sign_in);
}

#[test]
fn duplicate_and_late_answers_are_ignored() {
    let mut e = started(cfg(), 3, &[]);
    check_engine(
        &mut e,
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=3),
                },
            ),
            (3, failed(2, unreachable())),
            // The lost answer arrives after all: op 2 is no longer outstanding.
            (4, ack(2, 3, &[])),
            (1500, Input::Tick),
            (
                1501,
                Input::EventsLoaded {
                    events: events(1..=3),
                },
            ),
            (1502, ack(3, 3, &[])),
            // The same answer twice, while the apply is outstanding: nothing new.
            (1502, ack(3, 3, &[])),
            (1503, applied_ack(3)),
            // An answer to a request that is long done.
            (1504, ack(3, 3, &[])),
            (1505, Input::Applied(Applied::Ack { acked_seq: 3 })),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=2      loaded 1..=3                             -> send #2 seq 1..=3
            t=3      failed #2 unreachable                    -> idle until 518
            t=4      acked #2 3 rejected []                   -> idle until 518
            t=1500   Tick                                     -> load after 0 max 1000 / 1048576 B
            t=1501   loaded 1..=3                             -> send #3 seq 1..=3
            t=1502   acked #3 3 rejected []                   -> apply ack 3 rejections []
            t=1502   acked #3 3 rejected []                   -> -
            t=1503   applied Ack { acked_seq: 3 }             -> pull #4 after 0
            t=1504   acked #3 3 rejected []                   -> -
            t=1505   applied Ack { acked_seq: 3 }             -> -
        "#]],
    );
    assert_eq!(e.acked_seq(), 3);
}

#[test]
fn the_acknowledged_sequence_moves_only_after_the_store_committed_it() {
    let mut e = started(cfg(), 3, &[]);
    e.handle(Millis(1), Input::Authenticated { op: OpId(1) });
    e.handle(
        Millis(2),
        Input::EventsLoaded {
            events: events(1..=3),
        },
    );
    e.handle(Millis(3), ack(2, 3, &[]));
    assert_eq!(e.acked_seq(), 0, "a server answer alone does not move it");
    // The store failed to commit (disk full): the engine backs off and sends again.
    let out = e.handle(
        Millis(4),
        Input::LocalFailed {
            message: "disk full".into(),
        },
    );
    assert!(
        matches!(out, Some(Instruction::Idle { until: Some(_) })),
        "{out:?}"
    );
    assert_eq!(e.acked_seq(), 0);
    let out = e.handle(Millis(10_000), Input::Tick);
    assert_eq!(
        out,
        Some(Instruction::LoadEvents {
            after_seq: 0,
            max_events: 1000,
            max_bytes: 1 << 20
        })
    );

    // A new engine (the app restarted after a crash between answer and commit) starts from
    // what the store holds and resends; the server's exactly-once apply makes that harmless.
    let mut fresh = started(cfg(), 3, &[]);
    let out = fresh.handle(Millis(1), Input::Authenticated { op: OpId(1) });
    assert_eq!(
        out,
        Some(Instruction::LoadEvents {
            after_seq: 0,
            max_events: 1000,
            max_bytes: 1 << 20
        })
    );
}

#[test]
fn blobs_upload_only_after_their_events_are_acknowledged() {
    check_engine(
        &mut started(cfg(), 2, &[blob("p1", 200_000), blob("p2", 300)]),
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=2),
                },
            ),
            (3, ack(2, 2, &[])),
            // The driver recorded another delivery meanwhile: its event goes before any photo.
            (
                4,
                summary(
                    3,
                    2,
                    &[blob("p1", 200_000), blob("p2", 300), blob("p3", 50)],
                    Some(0),
                ),
            ),
            (4, applied_ack(2)),
            (
                5,
                Input::EventsLoaded {
                    events: events(3..=3),
                },
            ),
            (6, ack(3, 3, &[])),
            (7, applied_ack(3)),
            (
                8,
                Input::BlobUploaded {
                    op: OpId(4),
                    sha256: "p1".into(),
                },
            ),
            (
                9,
                Input::Applied(Applied::Blob {
                    sha256: "p1".into(),
                }),
            ),
            // The server refuses p2 for good (e.g. too large): p3 does not wait behind it.
            (
                10,
                failed(
                    5,
                    Failure::Permanent {
                        status: 413,
                        code: "blob_too_large".into(),
                    },
                ),
            ),
            (
                11,
                Input::BlobUploaded {
                    op: OpId(6),
                    sha256: "p3".into(),
                },
            ),
            (
                12,
                Input::Applied(Applied::Blob {
                    sha256: "p3".into(),
                }),
            ),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=2      loaded 1..=2                             -> send #2 seq 1..=2
            t=3      acked #2 2 rejected []                   -> apply ack 2 rejections []
            t=4      outbox last=3 acked=2 blobs=3 cursor=Some(0) -> -
            t=4      applied Ack { acked_seq: 2 }             -> load after 2 max 1000 / 1048576 B
            t=5      loaded 3..=3                             -> send #3 seq 3..=3
            t=6      acked #3 3 rejected []                   -> apply ack 3 rejections []
            t=7      applied Ack { acked_seq: 3 }             -> upload #4 p1
            t=8      uploaded #4 p1                           -> mark uploaded p1
            t=9      applied Blob { sha256: "p1" }            -> upload #5 p2
            t=10     failed #5 blob_too_large                 -> upload #6 p3
            t=11     uploaded #6 p3                           -> mark uploaded p3
            t=12     applied Blob { sha256: "p3" }            -> pull #7 after 0
        "#]],
    );
}

/// An acknowledgement that names blobs the server does not have.
fn ack_missing(op: u64, acked_seq: u64, missing: &[&str]) -> Input {
    let Input::BatchAcked { op, mut ack } = ack(op, acked_seq, &[]) else {
        unreachable!("ack() builds a BatchAcked")
    };
    ack.missing_blobs = missing.iter().map(|s| s.to_string()).collect();
    Input::BatchAcked { op, ack }
}

#[test]
fn blobs_the_server_lost_are_queued_again_once_per_run() {
    check_engine(
        &mut started(cfg(), 1, &[blob("new", 500)]),
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=1),
                },
            ),
            // "old" went up long ago (the store counts it uploaded); "new" is still queued.
            (3, ack_missing(2, 1, &["new", "old"])),
            (4, applied_ack(1)),
            (
                5,
                summary(1, 1, &[blob("new", 500), blob("old", 900)], Some(0)),
            ),
            (5, Input::Applied(Applied::Requeued)),
            (
                6,
                Input::BlobUploaded {
                    op: OpId(3),
                    sha256: "new".into(),
                },
            ),
            (7, summary(1, 1, &[blob("old", 900)], Some(0))),
            (
                7,
                Input::Applied(Applied::Blob {
                    sha256: "new".into(),
                }),
            ),
            (
                8,
                Input::BlobUploaded {
                    op: OpId(4),
                    sha256: "old".into(),
                },
            ),
            (9, summary(1, 1, &[], Some(0))),
            (
                9,
                Input::Applied(Applied::Blob {
                    sha256: "old".into(),
                }),
            ),
            (
                10,
                Input::ChangesFetched {
                    op: OpId(5),
                    page: page(0, &[]),
                },
            ),
            // Idle, the poll timer asks the server what it misses: "old" again (it lost it
            // once more, or this device cannot give it). Not again in this run: no loop.
            (30_010, Input::Tick),
            (30_011, ack_missing(6, 1, &["old"])),
            (
                30_012,
                Input::ChangesFetched {
                    op: OpId(7),
                    page: page(0, &[]),
                },
            ),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=2      loaded 1..=1                             -> send #2 seq 1..=1
            t=3      acked #2 1 missing ["new", "old"]        -> apply ack 1 rejections []
            t=4      applied Ack { acked_seq: 1 }             -> requeue ["old"]
            t=5      outbox last=1 acked=1 blobs=2 cursor=Some(0) -> -
            t=5      applied Requeued                         -> upload #3 new
            t=6      uploaded #3 new                          -> mark uploaded new
            t=7      outbox last=1 acked=1 blobs=1 cursor=Some(0) -> -
            t=7      applied Blob { sha256: "new" }           -> upload #4 old
            t=8      uploaded #4 old                          -> mark uploaded old
            t=9      outbox last=1 acked=1 blobs=0 cursor=Some(0) -> -
            t=9      applied Blob { sha256: "old" }           -> pull #5 after 0
            t=10     changes #5 sets [] cursor 0              -> idle until 30010
            t=30010  Tick                                     -> check blobs #6
            t=30011  acked #6 1 missing ["old"]               -> pull #7 after 0
            t=30012  changes #7 sets [] cursor 0              -> idle until 60012
        "#]],
    );
}

#[test]
fn backoff_is_exponential_bounded_and_jittered() {
    let c = Config {
        backoff_base: Duration::from_millis(500),
        backoff_max: Duration::from_secs(60),
        ..cfg()
    };
    for seed in [0, 1, 42, u64::MAX] {
        let mut e = Engine::new(Config { seed, ..c.clone() });
        for failures in 1..=20u32 {
            let nominal = (500u64 << (failures - 1).min(30)).min(60_000);
            for _ in 0..50 {
                let d = e.backoff_delay(failures).as_millis() as u64;
                assert!(
                    (nominal / 2..=nominal).contains(&d),
                    "seed {seed}, {failures} failures: {d} ms not in [{}, {nominal}]",
                    nominal / 2
                );
            }
        }
    }
    // The same seed gives the same delays (reproducible simulations); another seed differs.
    let delays = |seed| {
        let mut e = Engine::new(Config { seed, ..c.clone() });
        (1..=10).map(|f| e.backoff_delay(f)).collect::<Vec<_>>()
    };
    assert_eq!(delays(3), delays(3));
    assert_ne!(delays(3), delays(4));
}

#[test]
fn transient_failures_back_off_and_connectivity_resets_the_backoff() {
    let mut e = started(cfg(), 1, &[]);
    check_engine(
        &mut e,
        vec![
            (0, failed(1, unreachable())),
            (1000, Input::Tick),
            (
                1001,
                failed(
                    2,
                    Failure::Transient {
                        status: 503,
                        code: "busy".into(),
                        retry_after: None,
                    },
                ),
            ),
            // A tap during backoff does not defeat it.
            (1002, Input::LocalCommit),
            (3000, Input::Tick),
            (3001, failed(3, unreachable())),
            (3002, Input::Connectivity { online: false }),
            (3003, Input::Connectivity { online: true }),
        ],
        expect![[r#"
            t=0      failed #1 unreachable                    -> idle until 515
            t=1000   Tick                                     -> authenticate #2
            t=1001   failed #2 busy                           -> idle until 2308
            t=1002   LocalCommit                              -> idle until 2308
            t=3000   Tick                                     -> authenticate #3
            t=3001   failed #3 unreachable                    -> idle until 5286
            t=3002   Connectivity { online: false }           -> idle until 123002
            t=3003   Connectivity { online: true }            -> authenticate #4
        "#]],
    );
    let s = e.status(
        Millis(3003),
        Utc.with_ymd_and_hms(2025, 5, 6, 9, 10, 0).unwrap(),
    );
    assert_eq!(
        s.last_error.as_ref().map(|e| e.code.as_str()),
        Some("unreachable")
    );
    assert_eq!(s.consecutive_failures, 0);
}

#[test]
fn uploads_start_by_themselves_after_a_commit_on_start_and_on_the_timer() {
    let mut e = Engine::new(cfg());
    check_engine(
        &mut e,
        vec![
            (0, summary(0, 0, &[], Some(0))),
            (0, Input::Started),
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::ChangesFetched {
                    op: OpId(2),
                    page: page(0, &[]),
                },
            ),
            // The driver records: upload after the short commit delay, without a pull.
            (5000, summary(1, 0, &[], Some(0))),
            (5000, Input::LocalCommit),
            (5100, Input::LocalCommit),
            (5200, Input::Tick),
            (
                5201,
                Input::EventsLoaded {
                    events: events(1..=1),
                },
            ),
            (5202, ack(3, 1, &[])),
            (5203, applied_ack(1)),
            // The poll timer pulls dispatch's changes.
            (35_203, Input::Tick),
        ],
        expect![[r#"
            t=0      outbox last=0 acked=0 blobs=0 cursor=Some(0) -> idle until an outside input
            t=0      Started                                  -> authenticate #1
            t=1      authenticated #1                         -> pull #2 after 0
            t=2      changes #2 sets [] cursor 0              -> idle until 30002
            t=5000   outbox last=1 acked=0 blobs=0 cursor=Some(0) -> idle until 30002
            t=5000   LocalCommit                              -> idle until 5200
            t=5100   LocalCommit                              -> idle until 5200
            t=5200   Tick                                     -> load after 0 max 1000 / 1048576 B
            t=5201   loaded 1..=1                             -> send #3 seq 1..=1
            t=5202   acked #3 1 rejected []                   -> apply ack 1 rejections []
            t=5203   applied Ack { acked_seq: 1 }             -> idle until 35203
            t=35203  Tick                                     -> check blobs #4
        "#]],
    );
}

#[test]
fn too_large_batches_shrink() {
    check_engine(
        &mut started(
            Config {
                max_batch_events: 8,
                ..cfg()
            },
            8,
            &[],
        ),
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=8),
                },
            ),
            (
                3,
                failed(
                    2,
                    Failure::Permanent {
                        status: 413,
                        code: "batch_too_large".into(),
                    },
                ),
            ),
            (
                4,
                Input::EventsLoaded {
                    events: events(1..=8),
                },
            ),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 8 / 1048576 B
            t=2      loaded 1..=8                             -> send #2 seq 1..=8
            t=3      failed #2 batch_too_large                -> load after 0 max 4 / 1048576 B
            t=4      loaded 1..=8                             -> send #3 seq 1..=4
        "#]],
    );
}

#[test]
fn one_event_too_large_even_alone_is_sent_as_its_stand_in_and_the_rest_follow() {
    check_engine(
        &mut started(
            Config {
                max_batch_events: 4,
                ..cfg()
            },
            4,
            &[],
        ),
        vec![
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=4),
                },
            ),
            (3, failed(2, too_large())),
            (
                4,
                Input::EventsLoaded {
                    events: events(1..=4),
                },
            ),
            (5, failed(3, too_large())),
            (
                6,
                Input::EventsLoaded {
                    events: events(1..=4),
                },
            ),
            // Event 1 alone is still too large: it is parked, and the stand-in goes first.
            (7, failed(4, too_large())),
            (
                8,
                Input::EventsLoaded {
                    events: events(1..=4),
                },
            ),
            (9, ack(5, 4, &[1])),
        ],
        expect![[r#"
            t=1      authenticated #1                         -> load after 0 max 4 / 1048576 B
            t=2      loaded 1..=4                             -> send #2 seq 1..=4
            t=3      failed #2 body_too_large                 -> load after 0 max 2 / 1048576 B
            t=4      loaded 1..=4                             -> send #3 seq 1..=2
            t=5      failed #3 body_too_large                 -> load after 0 max 1 / 1048576 B
            t=6      loaded 1..=4                             -> send #4 seq 1..=1
            t=7      failed #4 body_too_large                 -> load after 0 max 4 / 1048576 B
            t=8      loaded 1..=4                             -> send #5 seq 1..=4 (1 as too_large(stop_arrived))
            t=9      acked #5 4 rejected [1]                  -> apply ack 4 rejections [1]
        "#]],
    );
}

fn too_large() -> Failure {
    Failure::Permanent {
        status: 413,
        code: "body_too_large".into(),
    }
}

#[test]
fn a_server_that_applies_nothing_is_not_hammered() {
    check_engine(
        &mut started(cfg(), 8, &[]),
        vec![
            (1, summary(8, 5, &[], Some(0))),
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(6..=8),
                },
            ),
            // The server's database was restored from an old backup: it knows only up to 2.
            (3, ack(2, 2, &[])),
        ],
        expect![[r#"
            t=1      outbox last=8 acked=5 blobs=0 cursor=Some(0) -> -
            t=1      authenticated #1                         -> load after 5 max 1000 / 1048576 B
            t=2      loaded 6..=8                             -> send #2 seq 6..=8
            t=3      acked #2 2 rejected []                   -> idle until 518
        "#]],
    );
}

#[test]
fn tour_changes_are_pulled_page_by_page_and_applied_before_the_cursor_moves() {
    let mut e = Engine::new(cfg());
    check_engine(
        &mut e,
        vec![
            (0, summary(0, 0, &[], Some(4))),
            (0, Input::Started),
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::ChangesFetched {
                    op: OpId(2),
                    page: page(9, &[5, 9]),
                },
            ),
            (3, Input::Applied(Applied::Changes { cursor: 9 })),
            (
                4,
                Input::ChangesFetched {
                    op: OpId(3),
                    page: page(12, &[12]),
                },
            ),
            // The store failed: the cursor stays, the pull is retried later.
            (
                5,
                Input::LocalFailed {
                    message: "database is locked".into(),
                },
            ),
        ],
        expect![[r#"
            t=0      outbox last=0 acked=0 blobs=0 cursor=Some(4) -> idle until an outside input
            t=0      Started                                  -> authenticate #1
            t=1      authenticated #1                         -> pull #2 after 4
            t=2      changes #2 sets [5, 9] cursor 9          -> apply changes [5, 9]
            t=3      applied Changes { cursor: 9 }            -> pull #3 after 9
            t=4      changes #3 sets [12] cursor 12           -> apply changes [12]
            t=5      LocalFailed { message: "database is locked" } -> idle until 520
        "#]],
    );
    assert_eq!(e.cursor(), Some(9));
}

#[test]
fn a_device_without_a_tour_downloads_the_snapshot_first() {
    let snapshot = lastmile_protocol::tour::TourSnapshot {
        tour_id: "T1".into(),
        station: lastmile_protocol::tour::StationDto {
            station_id: "ST".into(),
            name: "Station".into(),
            position: lastmile_protocol::tour::LatLon { lat: 0.0, lon: 0.0 },
        },
        driver_id: "D1".into(),
        date: chrono::NaiveDate::from_ymd_opt(2025, 5, 6).unwrap(),
        departure: None,
        stops: vec![],
        cursor: 7,
        card_stacks: Vec::new(),
    };
    check(
        vec![
            (0, summary(0, 0, &[], None)),
            (0, Input::Started),
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::TourFetched {
                    op: OpId(2),
                    snapshot,
                },
            ),
            (3, Input::Applied(Applied::Tour { cursor: 7 })),
        ],
        expect![[r#"
            t=0      outbox last=0 acked=0 blobs=0 cursor=None -> idle until an outside input
            t=0      Started                                  -> authenticate #1
            t=1      authenticated #1                         -> fetch tour #2
            t=2      tour #2 cursor 7                         -> apply tour 7
            t=3      applied Tour { cursor: 7 }               -> pull #3 after 7
        "#]],
    );
}

#[test]
fn a_station_tablet_or_supervisor_phone_sends_its_events_and_fetches_no_tour() {
    check_with(
        Config {
            fetches_tour: false,
            ..cfg()
        },
        vec![
            (0, summary(1, 0, &[], None)),
            (0, Input::Started),
            (1, Input::Authenticated { op: OpId(1) }),
            (
                2,
                Input::EventsLoaded {
                    events: events(1..=1),
                },
            ),
            (3, ack(2, 1, &[])),
            (4, applied_ack(1)),
        ],
        expect![[r#"
            t=0      outbox last=1 acked=0 blobs=0 cursor=None -> idle until an outside input
            t=0      Started                                  -> authenticate #1
            t=1      authenticated #1                         -> load after 0 max 1000 / 1048576 B
            t=2      loaded 1..=1                             -> send #2 seq 1..=1
            t=3      acked #2 1 rejected []                   -> apply ack 1 rejections []
            t=4      applied Ack { acked_seq: 1 }             -> idle until 30004
        "#]],
    );
}

#[test]
fn status_shows_what_is_pending_and_what_went_wrong() {
    let mut e = started(cfg(), 3, &[blob("p1", 1000), blob("p2", 24)]);
    e.handle(Millis(1000), failed(1, unreachable()));
    let wall = Utc.with_ymd_and_hms(2025, 5, 6, 9, 5, 0).unwrap();
    let s = e.status(Millis(1000), wall);
    assert_eq!(
        (s.pending_events, s.pending_blobs, s.pending_blob_bytes),
        (3, 2, 1024)
    );
    assert_eq!(
        s.oldest_unsent_age_s,
        Some(300),
        "recorded 09:00, now 09:05"
    );
    assert_eq!(s.last_success_at, None);
    assert_eq!(
        s.last_error.map(|e| (e.code, e.at)),
        Some(("unreachable".into(), wall))
    );
    assert_eq!(s.consecutive_failures, 1);
    assert!(
        s.next_attempt_in_ms
            .is_some_and(|ms| (500..=1000).contains(&ms))
    );
    assert!(!e.is_settled());
}

#[test]
fn an_unanswered_server_reads_as_offline_and_a_success_clears_the_error() {
    let mut e = started(cfg(), 1, &[]);
    let wall = Utc.with_ymd_and_hms(2025, 5, 6, 9, 5, 0).unwrap();
    e.handle(Millis(0), failed(1, unreachable()));
    let s = e.status(Millis(0), wall);
    assert!(!s.online, "no answer from the server is offline");
    assert_eq!(s.last_error.map(|e| e.code), Some("unreachable".to_owned()));
    assert!(matches!(
        e.handle(Millis(1000), Input::Tick),
        Some(Instruction::Authenticate { op: OpId(2) })
    ));
    e.handle(Millis(1001), Input::Authenticated { op: OpId(2) });
    assert!(e.status(Millis(1001), wall).online, "the server answered");
    e.handle(Millis(1002), Input::Tick);
    e.handle(
        Millis(1003),
        Input::EventsLoaded {
            events: events(1..=1),
        },
    );
    e.handle(Millis(1004), ack(3, 1, &[]));
    let s = e.status(Millis(1004), wall);
    assert!(s.online);
    assert!(s.last_success_at.is_some());
    assert_eq!(s.last_error, None, "the old failure is history");
}

/// An app reopened with its saved session sends with it straight away: no refresh at every
/// start (each would spend a refresh token and replace the access token the app may be using
/// to download the tour). Only when the server refuses it does the engine re-authenticate.
#[test]
fn an_engine_started_with_a_session_uses_it_until_the_server_refuses_it() {
    let mut e = Engine::new(cfg());
    e.start_signed_in();
    e.handle(Millis(0), summary(2, 0, &[], Some(0)));
    let first = e.handle(Millis(0), Input::Started);
    assert!(
        matches!(first, Some(Instruction::LoadEvents { .. })),
        "{first:?}"
    );
    let send = e.handle(
        Millis(1),
        Input::EventsLoaded {
            events: events(1..=2),
        },
    );
    let Some(Instruction::SendBatch { op, .. }) = send else {
        panic!("expected a send, got {send:?}");
    };
    let refused = e.handle(
        Millis(2),
        failed(
            op.0,
            Failure::Unauthorized {
                code: "invalid_token".into(),
            },
        ),
    );
    assert!(
        matches!(refused, Some(Instruction::Authenticate { .. })),
        "{refused:?}"
    );
}

/// A server shedding load says when to come back: the engine waits at least that long, and
/// a herd told the same delay spreads over the half after it instead of returning at once.
#[test]
fn a_shedding_servers_retry_after_is_honoured_with_jitter() {
    let shed = |retry_after| Failure::Transient {
        status: 503,
        code: "overloaded".into(),
        retry_after,
    };
    let mut dues = Vec::new();
    for seed in 0..200 {
        let mut e = started(Config { seed, ..cfg() }, 1, &[]);
        match e.handle(Millis(0), failed(1, shed(Some(Duration::from_secs(30))))) {
            Some(Instruction::Idle { until: Some(t) }) => dues.push(t.0),
            other => panic!("expected a wait, got {other:?}"),
        }
    }
    assert!(
        dues.iter().all(|&t| (30_000..=45_000).contains(&t)),
        "{dues:?}"
    );
    let (lo, hi) = (dues.iter().min().unwrap(), dues.iter().max().unwrap());
    assert!(hi - lo > 10_000, "not spread: {lo}..{hi}");
    // Without the header the usual backoff (1 s base here) applies.
    let mut e = started(cfg(), 1, &[]);
    match e.handle(Millis(0), failed(1, shed(None))) {
        Some(Instruction::Idle { until: Some(t) }) => assert!(t.0 <= 1000, "{t:?}"),
        other => panic!("expected a wait, got {other:?}"),
    }
    // An absurd header is bounded.
    let mut e = started(cfg(), 1, &[]);
    match e.handle(
        Millis(0),
        failed(1, shed(Some(Duration::from_secs(86_400 * 30)))),
    ) {
        Some(Instruction::Idle { until: Some(t) }) => {
            assert!(t.0 <= MAX_RETRY_AFTER.as_millis() as u64 * 3 / 2, "{t:?}")
        }
        other => panic!("expected a wait, got {other:?}"),
    }
}
