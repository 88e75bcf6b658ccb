//! A device's event stream and the people on it.
//!
//! - **Stream key.** Each device database holds a random secret, the stream key, beside its
//!   outbox; once enrolled the device registers the key's SHA-256 here (authenticated by its
//!   device token; set once, never replaced).
//! - **Rebind.** A device that lost its credentials but kept its queued events enrols again
//!   and then presents the old device id and the stream key: the new enrolment's token becomes
//!   the old device id's token, the new enrolment disappears, the old id's sessions are
//!   revoked (a copy of the old credentials can no longer send), and the device carries on
//!   sending the old stream at its next sequence. What keeps an attacker out: the key is 256
//!   random bits that exist only in the device's database (the server keeps its hash); the new
//!   enrolment must be of the same station and fresh (no events of its own); a device id
//!   whose key was never registered cannot be claimed at all.
//! - **People on a device.** Every sign-in notes (device, person). An event names the person
//!   who recorded it and is judged by that person's rights — but only if that person had a
//!   session on the uploading device, so a device cannot record for someone who never signed
//!   in on it.

use lastmile_protocol::auth::{RebindRequest, RebindResponse, Role, StreamKeyRequest};
use lastmile_protocol::events::Person;

use crate::ServerState;
use crate::auth::{role_str, token_hash};
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};
use crate::events::is_sha256_hex;

row_struct! {
    /// What the server keeps of an enrolled device's credentials and stream.
    struct DeviceRow {
        token_hash: String,
        station_id: String,
        stream_key_hash: Option<String>,
        last_seq: i64,
    }
}

fn bad_device() -> ApiError {
    ApiError::unauthorized(
        "bad_device_credentials",
        "unknown device or wrong device token",
    )
}

/// Checks a device id and token; returns the device's station, stream-key hash and last seq.
async fn device(
    tx: &mut Tx,
    device_id: &str,
    token: &str,
    lock: &str,
) -> ApiResult<(String, Option<String>, i64)> {
    let sql = format!(
        "SELECT token_hash, station_id, stream_key_hash, last_seq FROM devices WHERE device_id = $1{lock}"
    );
    let row: DeviceRow = tx
        .one_as(&sql, &[V::from(device_id)])
        .await?
        .ok_or_else(bad_device)?;
    if row.token_hash != token_hash(token) {
        return Err(bad_device());
    }
    Ok((row.station_id, row.stream_key_hash, row.last_seq))
}

/// `POST /v1/devices/stream-key`: keeps the hash of the device's stream key (once).
#[tracing::instrument(skip_all, err, fields(device = %req.device_id))]
pub async fn register_stream_key(state: &ServerState, req: StreamKeyRequest) -> ApiResult<()> {
    if !is_sha256_hex(&req.stream_key_hash) {
        return Err(ApiError::bad_request(
            "bad_stream_key_hash",
            "stream_key_hash is 64 lowercase hex digits",
        ));
    }
    let mut tx = state.db.begin().await?;
    let (_, current, _) = device(
        &mut tx,
        &req.device_id,
        &req.device_token,
        state.db.for_update(),
    )
    .await?;
    match current {
        Some(h) if h == req.stream_key_hash => return Ok(()),
        Some(_) => {
            return Err(ApiError::conflict(
                "stream_key_set",
                "this device registered another stream key; it is never replaced",
            ));
        }
        None => {}
    }
    tx.exec(
        "UPDATE devices SET stream_key_hash = $1 WHERE device_id = $2",
        &[V::from(&req.stream_key_hash), V::from(&req.device_id)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `POST /v1/devices/rebind`: the new enrolment takes over the old device id's stream.
/// Safe to retry: once done, the same request answers the same.
#[tracing::instrument(skip_all, err, fields(new = %req.device_id, old = %req.old_device_id))]
pub async fn rebind(state: &ServerState, req: RebindRequest) -> ApiResult<RebindResponse> {
    let refused = || {
        ApiError::forbidden(
            "rebind_refused",
            "the old device id does not exist, has no stream key, or the key does not match",
        )
    };
    let key_hash = token_hash(&req.stream_key);
    let lock = state.db.for_update();
    let mut tx = state.db.begin().await?;
    let sql = format!(
        "SELECT token_hash, station_id, stream_key_hash, last_seq FROM devices WHERE device_id = $1{lock}"
    );
    let old: DeviceRow = tx
        .one_as(&sql, &[V::from(&req.old_device_id)])
        .await?
        .ok_or_else(refused)?;
    let (old_token, old_station, old_key, old_seq) = (
        old.token_hash,
        old.station_id,
        old.stream_key_hash,
        old.last_seq,
    );
    if old_key.as_deref() != Some(key_hash.as_str()) {
        return Err(refused());
    }
    let answer = RebindResponse {
        device_id: req.old_device_id.clone(),
        station_id: old_station.clone(),
        acked_seq: old_seq as u64,
    };
    if old_token == token_hash(&req.device_token) {
        // Done before (the answer was lost): the same answer again.
        return Ok(answer);
    }
    let (new_station, _, new_seq) =
        device(&mut tx, &req.device_id, &req.device_token, lock).await?;
    if new_station != old_station {
        return Err(ApiError::forbidden(
            "wrong_station",
            "the new enrolment is of another station than the old device",
        ));
    }
    if new_seq != 0 || req.device_id == req.old_device_id {
        return Err(ApiError::conflict(
            "rebind_not_fresh",
            "only a fresh enrolment without events of its own can take over a stream",
        ));
    }
    let now = state.now_ms();
    tx.exec(
        "UPDATE devices SET token_hash = $1 WHERE device_id = $2",
        &[
            V::from(token_hash(&req.device_token)),
            V::from(&req.old_device_id),
        ],
    )
    .await?;
    // Whoever still holds the old credentials can no longer send into the stream.
    tx.exec(
        "UPDATE sessions SET revoked = 1 WHERE device_id = $1 OR device_id = $2",
        &[V::from(&req.old_device_id), V::from(&req.device_id)],
    )
    .await?;
    // People who signed in with the new enrolment did so on this device.
    tx.exec(
        "INSERT INTO device_people (device_id, user_id, role, first_seen_at)
         SELECT $1, user_id, role, first_seen_at FROM device_people WHERE device_id = $2
         ON CONFLICT DO NOTHING",
        &[V::from(&req.old_device_id), V::from(&req.device_id)],
    )
    .await?;
    tx.exec(
        "DELETE FROM device_people WHERE device_id = $1",
        &[V::from(&req.device_id)],
    )
    .await?;
    tx.exec(
        "DELETE FROM devices WHERE device_id = $1",
        &[V::from(&req.device_id)],
    )
    .await?;
    tx.exec(
        "INSERT INTO device_rebinds (old_device_id, new_device_id, rebound_at) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        &[
            V::from(&req.old_device_id),
            V::from(&req.device_id),
            V::I(now),
        ],
    )
    .await?;
    tx.commit().await?;
    tracing::info!(old = %req.old_device_id, new = %req.device_id, "device stream re-bound");
    Ok(answer)
}

/// Notes that `user_id` (as `role`) signed in on `device_id`; called in the sign-in's
/// transaction.
pub async fn note_person(
    tx: &mut Tx,
    device_id: &str,
    user_id: &str,
    role: Role,
    now_ms: i64,
) -> ApiResult<()> {
    tx.exec(
        "INSERT INTO device_people (device_id, user_id, role, first_seen_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        &[
            V::from(device_id),
            V::from(user_id),
            V::from(role_str(role)),
            V::I(now_ms),
        ],
    )
    .await?;
    Ok(())
}

/// Did `person` ever sign in on `device_id`?
pub async fn was_on_device(tx: &mut Tx, device_id: &str, person: &Person) -> ApiResult<bool> {
    Ok(tx
        .one(
            "SELECT 1 FROM device_people WHERE device_id = $1 AND user_id = $2 AND role = $3",
            &[
                V::from(device_id),
                V::from(&person.user_id),
                V::from(role_str(person.role)),
            ],
        )
        .await?
        .is_some())
}
