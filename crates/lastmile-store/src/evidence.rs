//! The driver's own record of a day on this device ([`DayRecord`]), for the evidence bundle:
//! the tour's stops and every event the signed-in driver recorded for it, with the proof
//! files they reference. Another person's events on a shared handheld are never in it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use lastmile_protocol::events::{BlobKindDto, EventEnvelope};
use lastmile_protocol::evidence::{
    DAY_FORMAT, DayRecord, EventRecord, Gap, ParcelRecord, ProofFile, StopRecord, WorkTime,
};
use lastmile_protocol::tour::LatLon;

use crate::{Store, StoreError};

/// A gap between two actions at least this long counts as a break in the record.
pub const BREAK_MINUTES: i64 = 15;

/// A proof file's bytes (decrypted and checked against its name).
#[derive(Debug, Clone)]
pub struct ProofBytes {
    pub file: ProofFile,
    pub bytes: Vec<u8>,
}

/// A tour on this device that the signed-in person drove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayOnDevice {
    pub tour_id: String,
    pub date: NaiveDate,
    pub events: u32,
}

fn kind_code(kind: BlobKindDto) -> (&'static str, &'static str) {
    match kind {
        BlobKindDto::Photo => ("photo", "jpg"),
        BlobKindDto::SignatureImage => ("signature_image", "png"),
        BlobKindDto::SignatureStrokes => ("signature_strokes", "json"),
        BlobKindDto::CardPhoto => ("card_photo", "jpg"),
    }
}

/// The breaks in a day: gaps of [`BREAK_MINUTES`] or more between consecutive actions.
pub fn breaks(times: &[DateTime<Utc>]) -> Vec<Gap> {
    times
        .windows(2)
        .filter_map(|w| {
            let minutes = (w[1] - w[0]).num_minutes();
            (minutes >= BREAK_MINUTES).then_some(Gap {
                from: w[0],
                to: w[1],
                minutes,
            })
        })
        .collect()
}

impl Store {
    fn signed_in_user(&self) -> Result<String, StoreError> {
        self.person()
            .map(|p| p.user_id.clone())
            .ok_or_else(|| StoreError::NotYours("nobody is signed in".into()))
    }

    /// The tours on this device the signed-in person drove, newest first.
    pub fn exportable_days(&self) -> Result<Vec<DayOnDevice>, StoreError> {
        let user = self.signed_in_user()?;
        let mut stmt = self.conn.prepare(
            "SELECT t.tour_id, t.date, (SELECT count(*) FROM event e WHERE e.tour_id = t.tour_id)
             FROM tour t WHERE t.driver_id = ?1 ORDER BY t.date DESC, t.tour_id",
        )?;
        let rows = stmt.query_map([&user], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
            ))
        })?;
        rows.map(|r| {
            let (tour_id, date, events) = r?;
            Ok(DayOnDevice {
                tour_id,
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                    .map_err(|e| StoreError::Internal(format!("tour date: {e}")))?,
                events,
            })
        })
        .collect()
    }

    /// The record of `tour_id` as the signed-in driver made it, and the proof files its
    /// events reference. Refused (`NotYours`) for a tour another driver drove.
    pub fn day_record(&self, tour_id: &str) -> Result<(DayRecord, Vec<ProofBytes>), StoreError> {
        let user = self.signed_in_user()?;
        let (station_name, driver_id, date): (String, String, String) = self
            .conn
            .query_row(
                "SELECT station_name, driver_id, date FROM tour WHERE tour_id = ?1",
                [tour_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => StoreError::NoTour,
                e => e.into(),
            })?;
        if driver_id != user {
            return Err(StoreError::NotYours(format!(
                "tour {tour_id} was driven by someone else"
            )));
        }
        let stops = self.stop_records(tour_id)?;
        let mut stmt = self
            .conn
            .prepare("SELECT envelope, undone_by FROM event WHERE tour_id = ?1 ORDER BY seq")?;
        let rows = stmt.query_map([tour_id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut events = Vec::new();
        let mut proofs: BTreeMap<String, ProofBytes> = BTreeMap::new();
        for row in rows {
            let (json, undone_by) = row?;
            let envelope: EventEnvelope = serde_json::from_str(&json)
                .map_err(|e| StoreError::Internal(format!("stored event: {e}")))?;
            // Events of another person on a shared handheld are theirs, not this driver's.
            if envelope
                .recorded_by
                .as_ref()
                .is_some_and(|p| p.user_id != user)
            {
                continue;
            }
            let mut proof = Vec::new();
            for blob in envelope.body.blob_refs() {
                let (kind, ext) = kind_code(blob.kind);
                let file = ProofFile {
                    sha256: blob.sha256.clone(),
                    kind: kind.into(),
                    path: format!("proof/{}.{ext}", blob.sha256),
                };
                if !proofs.contains_key(&blob.sha256) {
                    let bytes = self.blob_files().read_verified(&blob.sha256)?;
                    proofs.insert(
                        blob.sha256.clone(),
                        ProofBytes {
                            file: file.clone(),
                            bytes,
                        },
                    );
                }
                proof.push(file);
            }
            events.push(EventRecord {
                envelope,
                undone_by,
                proof,
            });
        }
        let times: Vec<_> = events.iter().map(|e| e.envelope.recorded_at).collect();
        let record = DayRecord {
            format: DAY_FORMAT.into(),
            exported_at: self.clock.now(),
            device_id: self.device_id.clone(),
            exported_by: self.person.clone(),
            tour_id: tour_id.into(),
            date: NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map_err(|e| StoreError::Internal(format!("tour date: {e}")))?,
            station_name,
            work: WorkTime {
                first_action_at: times.first().copied(),
                last_action_at: times.last().copied(),
                breaks: breaks(&times),
            },
            stops,
            events,
        };
        Ok((record, proofs.into_values().collect()))
    }

    fn stop_records(&self, tour_id: &str) -> Result<Vec<StopRecord>, StoreError> {
        let mut parcels: BTreeMap<String, Vec<ParcelRecord>> = BTreeMap::new();
        let mut stmt = self.conn.prepare(
            "SELECT stop_id, tracking_id, state, outcome_summary FROM parcel
             WHERE tour_id = ?1 AND removed = 0 ORDER BY tracking_id",
        )?;
        let rows = stmt.query_map([tour_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ParcelRecord {
                    tracking_id: r.get(1)?,
                    state: r.get(2)?,
                    outcome: r.get(3)?,
                },
            ))
        })?;
        for row in rows {
            let (stop_id, parcel) = row?;
            parcels.entry(stop_id).or_default().push(parcel);
        }
        let mut stmt = self.conn.prepare(
            "SELECT stop_id, sequence, kind, street, house_number, postcode, city, lat, lon,
                    arrived_at, skipped
             FROM stop WHERE tour_id = ?1 AND removed = 0 ORDER BY sequence, stop_id",
        )?;
        let rows = stmt.query_map([tour_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
                format!(
                    "{} {}, {} {}",
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?
                ),
                LatLon {
                    lat: r.get(7)?,
                    lon: r.get(8)?,
                },
                r.get::<_, Option<String>>(9)?,
                r.get::<_, bool>(10)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (stop_id, sequence, kind, address, planned_at, arrived, skipped) = row?;
            let arrived_at = arrived
                .map(|t| {
                    DateTime::parse_from_rfc3339(&t)
                        .map(|t| t.with_timezone(&Utc))
                        .map_err(|e| StoreError::Internal(format!("arrival time: {e}")))
                })
                .transpose()?;
            out.push(StopRecord {
                parcels: parcels.remove(&stop_id).unwrap_or_default(),
                stop_id,
                sequence,
                kind,
                address,
                planned_at,
                arrived_at,
                skipped,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn gaps_of_a_quarter_hour_or_more_are_breaks() {
        let t = |h, m| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).unwrap();
        let gaps = breaks(&[t(8, 0), t(8, 14), t(8, 29), t(9, 10), t(9, 11)]);
        assert_eq!(
            gaps.iter().map(|g| g.minutes).collect::<Vec<_>>(),
            vec![15, 41]
        );
        assert_eq!(gaps[1].from, t(8, 29));
        assert!(breaks(&[t(8, 0)]).is_empty());
    }
}
