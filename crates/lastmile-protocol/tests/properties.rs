//! Property tests of the wire parsers the server runs on untrusted input (issue 16): the
//! `Content-Range` header, event batches and seed files read back what was written.

use chrono::{TimeZone, Utc};
use lastmile_protocol::admin::{Seed, SeedEnrolmentCode, SeedStation, SeedUser};
use lastmile_protocol::auth::Role;
use lastmile_protocol::events::{BlobKindDto, BlobRefDto, EventBody, EventEnvelope, PositionDto};
use lastmile_protocol::sync::{EventBatch, content_range, parse_content_range};
use lastmile_protocol::tour::LatLon;
use proptest::prelude::*;

fn role() -> impl Strategy<Value = Role> {
    prop_oneof![
        Just(Role::Driver),
        Just(Role::Station),
        Just(Role::Supervisor),
        Just(Role::Flex)
    ]
}

fn body() -> impl Strategy<Value = EventBody> {
    prop_oneof![
        "\\PC{0,10}".prop_map(|stop_id| EventBody::StopArrived { stop_id }),
        "\\PC{0,10}".prop_map(|stop_id| EventBody::StopSkipped { stop_id }),
        ("\\PC{0,10}", "[a-z]{0,10}", any::<u64>()).prop_map(|(stop_id, label, bytes)| {
            EventBody::ReturnPickedUp {
                stop_id,
                label,
                blobs: vec![BlobRefDto {
                    sha256: "a".repeat(64),
                    kind: BlobKindDto::Photo,
                    bytes,
                }],
            }
        }),
        ("[a-z_]{0,12}", any::<u64>()).prop_map(|(original_type, bytes)| EventBody::TooLarge {
            original_type,
            bytes
        }),
    ]
}

fn envelope() -> impl Strategy<Value = EventEnvelope> {
    (
        any::<u128>(),
        any::<u64>(),
        "\\PC{0,10}",
        -62_000_000_000_000i64..200_000_000_000_000,
        proptest::option::of((
            any::<f64>(),
            any::<f64>(),
            proptest::option::of(any::<f32>()),
        )),
        proptest::option::of(("\\PC{0,8}", role())),
        body(),
    )
        .prop_filter_map(
            "finite positions (JSON has no NaN)",
            |(id, seq, tour_id, ms, position, by, body)| {
                let position = match position {
                    Some((lat, lon, acc))
                        if lat.is_finite() && lon.is_finite() && acc.is_none_or(f32::is_finite) =>
                    {
                        Some(PositionDto {
                            lat,
                            lon,
                            accuracy_m: acc,
                        })
                    }
                    Some(_) => return None,
                    None => None,
                };
                Some(EventEnvelope {
                    event_id: uuid::Uuid::from_u128(id),
                    device_id: "dev".into(),
                    seq,
                    tour_id,
                    recorded_at: Utc.timestamp_millis_opt(ms).single()?,
                    position,
                    app_version: "1".into(),
                    recorded_by: by
                        .map(|(user_id, role)| lastmile_protocol::events::Person { user_id, role }),
                    body,
                })
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_content_range_reads_back(start in any::<u64>(), end in any::<u64>(), total in any::<u64>()) {
        prop_assert_eq!(parse_content_range(&content_range(start, end, total)), Some((start, end, total)));
    }

    #[test]
    fn a_content_range_with_spaces_reads_the_same(
        start in any::<u64>(), end in any::<u64>(), total in any::<u64>(),
        pad in proptest::collection::vec(" {0,3}", 5),
    ) {
        let header = format!("{}bytes {start}{}-{}{end}/{}{total}{}", pad[0], pad[1], pad[2], pad[3], pad[4]);
        prop_assert_eq!(parse_content_range(&header), Some((start, end, total)));
    }

    #[test]
    fn anything_else_parses_to_a_range_only_if_it_formats_back(s in "(bytes )?[0-9 +-/*a]{0,30}") {
        if let Some((a, b, c)) = parse_content_range(&s) {
            prop_assert_eq!(parse_content_range(&content_range(a, b, c)), Some((a, b, c)));
        }
    }

    #[test]
    fn an_event_batch_reads_back(events in proptest::collection::vec(envelope(), 0..6)) {
        let batch = EventBatch { device_id: "dev".into(), events };
        let again: EventBatch = serde_json::from_slice(&serde_json::to_vec(&batch).expect("json")).expect("reads");
        prop_assert_eq!(again, batch);
    }

    #[test]
    fn a_seed_reads_back(
        stations in proptest::collection::vec(("\\PC{0,6}", -90.0f64..=90.0, -180.0f64..=180.0, "[A-Z0-9-]{0,12}", any::<u32>()), 0..3),
        users in proptest::collection::vec(("\\PC{0,6}", role(), "\\PC{4,8}", proptest::collection::vec("[A-Z0-9]{1,4}", 0..3)), 0..4),
    ) {
        let seed = Seed {
            stations: stations.into_iter().map(|(id, lat, lon, code, max_uses)| SeedStation {
                station_id: id.clone(), name: id, position: LatLon { lat, lon },
                enrolment_codes: vec![SeedEnrolmentCode { code, max_uses, expires_at: None }],
            }).collect(),
            users: users.into_iter().map(|(user_id, role, pin, rides_with)| SeedUser {
                user_id, role, station_id: "S1".into(), pin, name: None, rides_with,
            }).collect(),
            ..Seed::default()
        };
        let again: Seed = serde_json::from_str(&serde_json::to_string(&seed).expect("json")).expect("reads");
        prop_assert_eq!(again, seed);
    }
}
