//! State as a replay of the event log. The tables the screens read are a cache of this fold;
//! [`Store::verify_replay`] recomputes it from scratch and lists every difference. Undo uses
//! the per-parcel fold ([`fold_parcel`]) so that undone events drop out exactly as in a replay.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use lastmile_domain::{Outcome, ParcelState};
use lastmile_protocol::events::{CorrectedOutcomeDto, EventBody, EventEnvelope};

use crate::actions::{corrected_summary, corrected_to_summary, state_code};
use crate::convert::{
    card_from_dto, method_from_dto, method_summary, reason_from_dto, reason_summary,
};
use crate::{Store, StoreError};

/// One parcel's state as its outcome events give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded {
    pub state: ParcelState,
    pub attempts: u32,
    pub summary: Option<String>,
    pub last_event_id: Option<String>,
}

fn decode(json: &str) -> Result<EventEnvelope, StoreError> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::Internal(format!("stored event is unreadable: {e}")))
}

/// The domain outcome an event records, with its summary line.
fn outcome_of(body: &EventBody) -> Result<Option<(Outcome, String)>, StoreError> {
    Ok(match body {
        EventBody::ParcelDelivered { method, card, .. } => {
            let method = method_from_dto(method);
            let summary = method_summary(&method);
            let card = card.as_ref().map(card_from_dto).transpose()?;
            Some((Outcome::Delivered { method, card }, summary))
        }
        EventBody::DeliveryFailed { reason, card, .. } => {
            let reason = reason_from_dto(*reason);
            let summary = match card {
                Some(c) => format!(
                    "{}, card {}",
                    reason_summary(reason),
                    card_from_dto(c)?.number
                ),
                None => reason_summary(reason).to_owned(),
            };
            Some((
                Outcome::Failed {
                    reason,
                    card: card.as_ref().map(card_from_dto).transpose()?,
                },
                summary,
            ))
        }
        EventBody::ReturnPickedUp { .. } => {
            Some((Outcome::PickedUp, "Return picked up".to_owned()))
        }
        _ => None,
    })
}

/// The outcome a correction puts in place, with its summary line.
pub(crate) fn corrected_outcome(to: &CorrectedOutcomeDto) -> (Outcome, String) {
    match to {
        CorrectedOutcomeDto::Delivered { method } => {
            let method = method_from_dto(method);
            let summary = method_summary(&method);
            (Outcome::Delivered { method, card: None }, summary)
        }
        CorrectedOutcomeDto::Failed { reason } => {
            let reason = reason_from_dto(*reason);
            (
                Outcome::Failed { reason, card: None },
                reason_summary(reason).to_owned(),
            )
        }
    }
}

fn fold<'a>(
    events: impl IntoIterator<Item = (String, &'a EventBody)>,
) -> Result<Folded, StoreError> {
    let mut folded = Folded {
        state: ParcelState::Pending,
        attempts: 0,
        summary: None,
        last_event_id: None,
    };
    // State and attempts before the latest outcome: a correction to another outcome
    // replaces that outcome as if it had been recorded instead.
    let mut before = (ParcelState::Pending, 0);
    for (event_id, body) in events {
        if let EventBody::OutcomeCorrected {
            corrected_event_id,
            note,
            outcome,
        } = body
        {
            if folded.last_event_id.as_deref() != Some(corrected_event_id.to_string().as_str()) {
                // A correction of a superseded attempt stays in history only.
                continue;
            }
            match outcome.as_ref().map(corrected_outcome) {
                None => folded.summary = Some(corrected_summary(note)),
                Some((to, summary)) => {
                    if let Ok(next) = before.0.then(&to) {
                        folded.state = next;
                        folded.attempts =
                            before.1 + u32::from(matches!(to, Outcome::Failed { .. }));
                        folded.summary = Some(corrected_to_summary(&summary, note));
                    }
                }
            }
            continue;
        }
        let Some((outcome, summary)) = outcome_of(body)? else {
            continue;
        };
        if let Ok(next) = folded.state.then(&outcome) {
            before = (folded.state, folded.attempts);
            folded.state = next;
            if matches!(outcome, Outcome::Failed { .. }) {
                folded.attempts += 1;
            }
            folded.summary = Some(summary);
            folded.last_event_id = Some(event_id);
        }
    }
    Ok(folded)
}

/// Folds the parcel's outcome events that no undo compensated, in sequence order.
pub(crate) fn fold_parcel(
    conn: &rusqlite::Connection,
    tour_id: &str,
    tracking_id: &str,
) -> Result<Folded, StoreError> {
    fold_parcel_then(conn, tour_id, tracking_id, None)
}

/// [`fold_parcel`] with one more event after the recorded ones (an action's own event,
/// folded inside its transaction before it is written).
pub(crate) fn fold_parcel_then(
    conn: &rusqlite::Connection,
    tour_id: &str,
    tracking_id: &str,
    then: Option<(String, &EventBody)>,
) -> Result<Folded, StoreError> {
    let rows: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT event_id, envelope FROM event WHERE tour_id = ?1 AND tracking_id = ?2 AND undone_by IS NULL
             AND kind IN ('parcel_delivered', 'delivery_failed', 'return_picked_up', 'outcome_corrected') ORDER BY seq",
        )?
        .query_map([tour_id, tracking_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let bodies: Vec<(String, EventBody)> = rows
        .into_iter()
        .map(|(id, json)| Ok((id, decode(&json)?.body)))
        .collect::<Result<_, StoreError>>()?;
    fold(bodies.iter().map(|(id, b)| (id.clone(), b)).chain(then))
}

impl Store {
    /// Recomputes the active tour's driver state from the event log alone and compares it with
    /// the tables the screens read. Returns one line per difference; empty means consistent.
    pub fn verify_replay(&self) -> Result<Vec<String>, StoreError> {
        let Some(tour_id) = self.active_tour_id()? else {
            return Ok(vec![]);
        };
        let envelopes: Vec<EventEnvelope> = self
            .conn
            .prepare("SELECT envelope FROM event WHERE tour_id = ?1 ORDER BY seq")?
            .query_map([&tour_id], |r| r.get::<_, String>(0))?
            .map(|json| decode(&json?))
            .collect::<Result<_, _>>()?;
        let undone: HashSet<String> = envelopes
            .iter()
            .filter_map(|e| match &e.body {
                EventBody::OutcomeUndone {
                    undone_event_id, ..
                } => Some(undone_event_id.to_string()),
                _ => None,
            })
            .collect();
        let mut by_parcel: BTreeMap<String, Vec<(String, &EventBody)>> = BTreeMap::new();
        let mut skipped: BTreeMap<String, bool> = BTreeMap::new();
        let mut arrived = BTreeSet::new();
        let mut cards = BTreeSet::new();
        // Outcome event id -> the parcel (or return label) it is about, for corrections.
        let mut parcel_of: HashMap<String, String> = HashMap::new();
        for e in &envelopes {
            let id = e.event_id.to_string();
            match &e.body {
                EventBody::StopArrived { stop_id } => {
                    arrived.insert(stop_id.clone());
                    skipped.insert(stop_id.clone(), false);
                }
                EventBody::StopSkipped { stop_id } => {
                    skipped.insert(stop_id.clone(), true);
                }
                EventBody::ParcelDelivered {
                    tracking_id, card, ..
                }
                | EventBody::DeliveryFailed {
                    tracking_id, card, ..
                } => {
                    if let Some(c) = card {
                        cards.insert(c.card_number.clone());
                    }
                    parcel_of.insert(id.clone(), tracking_id.clone());
                    if !undone.contains(&id) {
                        by_parcel
                            .entry(tracking_id.clone())
                            .or_default()
                            .push((id, &e.body));
                    }
                }
                EventBody::ReturnPickedUp { label, .. } => {
                    parcel_of.insert(id.clone(), label.clone());
                    if !undone.contains(&id) {
                        by_parcel
                            .entry(label.clone())
                            .or_default()
                            .push((id, &e.body));
                    }
                }
                EventBody::OutcomeCorrected {
                    corrected_event_id, ..
                } => {
                    let parcel = parcel_of.get(&corrected_event_id.to_string());
                    if let Some(events) = parcel.and_then(|p| by_parcel.get_mut(p)) {
                        events.push((id, &e.body));
                    }
                }
                // Undos are folded above; station and ride-along events change no parcel here.
                _ => {}
            }
        }
        let mut diffs = Vec::new();
        let parcels: Vec<(String, String, u32, Option<String>)> = self
            .conn
            .prepare(
                "SELECT tracking_id, state, attempts, outcome_summary FROM parcel WHERE tour_id = ?1",
            )?
            .query_map([&tour_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut planned = HashSet::new();
        for (tracking_id, state, attempts, summary) in parcels {
            let events = by_parcel.get(&tracking_id).cloned().unwrap_or_default();
            let folded = fold(events)?;
            if state != state_code(folded.state) || attempts != folded.attempts {
                diffs.push(format!(
                    "parcel {tracking_id}: table says {state} after {attempts} attempt(s), events say {} after {}",
                    state_code(folded.state),
                    folded.attempts
                ));
            }
            if summary != folded.summary {
                diffs.push(format!(
                    "parcel {tracking_id}: table shows {summary:?}, events say {:?}",
                    folded.summary
                ));
            }
            planned.insert(tracking_id);
        }
        let unplanned: BTreeSet<String> = self
            .conn
            .prepare("SELECT label FROM unplanned_return WHERE tour_id = ?1 AND undone = 0")?
            .query_map([&tour_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let replayed_unplanned: BTreeSet<String> = by_parcel
            .keys()
            .filter(|k| !planned.contains(*k))
            .cloned()
            .collect();
        if unplanned != replayed_unplanned {
            diffs.push(format!(
                "unplanned returns: table {unplanned:?}, events {replayed_unplanned:?}"
            ));
        }
        let stops: Vec<(String, bool, bool)> = self
            .conn
            .prepare(
                "SELECT stop_id, arrived_at IS NOT NULL, skipped FROM stop WHERE tour_id = ?1",
            )?
            .query_map([&tour_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        for (stop_id, was_arrived, was_skipped) in stops {
            if was_arrived != arrived.contains(&stop_id)
                || was_skipped != skipped.get(&stop_id).copied().unwrap_or(false)
            {
                diffs.push(format!("stop {stop_id}: arrived/skipped in table ({was_arrived}/{was_skipped}) differ from events"));
            }
        }
        let used: BTreeSet<String> = self
            .conn
            .prepare("SELECT number FROM card WHERE used_event_id IS NOT NULL")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if used != cards {
            diffs.push(format!("cards used: table {used:?}, events {cards:?}"));
        }
        Ok(diffs)
    }
}
