//! Photos and signatures, named by SHA-256, uploaded beside the event stream.
//!
//! **Uploads** (`PUT /v1/blobs/{sha256}`) are resumable and belong to the device that sends
//! them: each device has its own partial upload of a hash (`blob_uploads` keyed by hash and
//! device), so another device (or a wrong `Content-Range` total) cannot block it. Pieces carry
//! `Content-Range: bytes S-E/TOTAL`; `HEAD` answers how many bytes the server holds of the
//! caller's upload (`upload-offset`). A piece that overlaps what the server has is fine (only
//! the new tail is kept); a piece beyond it is refused (409 `offset_mismatch`). A piece cut
//! off mid-way (the link dropped) is kept as far as it arrived, and the resume continues from
//! there. A piece from offset 0 with another total starts the device's upload over; a partial
//! upload untouched for [`ServerConfig::blob_upload_ttl`](crate::ServerConfig) is discarded.
//! Size is capped, the content type must be one of [`BLOB_CONTENT_TYPES`] and the first bytes
//! must match it. The blob becomes visible only after its bytes hash to its name, in the
//! transaction that stores it; a mismatch discards the upload (422) so the device starts over.
//!
//! **Who may upload:** a device whose events reference the hash, or any recording device
//! within a bounded quota of unreferenced bytes (a blob may arrive before its event); station
//! sessions record nothing and upload nothing.
//!
//! **Who may read** (`GET`, and the complete state in `HEAD`/`status`): whoever may see a tour
//! whose events reference the blob — a driver their own tours, a station lead their station's,
//! a supervisor those of the drivers they ride with — judged by the person, not the device.
//! The device that references or uploaded a blob also sees whether the server has it (it has
//! the bytes anyway); anyone else sees only their own partial upload, or 403, whatever the
//! server holds, so knowing a hash tells nothing.
//!
//! Blobs live in the database, so several server instances on one PostgreSQL see the same
//! uploads.

use axum::body::{Body, HttpBody};
use axum::http::HeaderMap;
use lastmile_protocol::auth::Role;
use lastmile_protocol::sync::{BLOB_CONTENT_TYPES, BlobStatus};
use sha2::{Digest, Sha256};

use crate::ServerState;
use crate::auth::{Principal, may_see};
use crate::db::{Tx, V};
use crate::error::{ApiError, ApiResult};
use crate::events::is_sha256_hex;

fn check_name(sha256: &str) -> ApiResult<()> {
    if is_sha256_hex(sha256) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "bad_blob_hash",
            "blob names are 64 lowercase hex digits (SHA-256)",
        ))
    }
}

/// The longest magic prefix [`magic_ok`] looks at.
const MAGIC_LEN: usize = 8;

fn magic_ok(content_type: &str, first: &[u8]) -> bool {
    match content_type {
        "image/jpeg" => first.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => first.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "application/json" => matches!(
            first.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'[') | Some(b'{')
        ),
        _ => false,
    }
}

fn not_yours() -> ApiError {
    ApiError::forbidden("not_your_blob", "no event you may see references this blob")
}

fn ms(d: std::time::Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// May `p` read the blob: an applied event on a tour `p` may see references it.
async fn may_read(tx: &mut Tx, p: &Principal, sha256: &str) -> ApiResult<bool> {
    Ok(seen_on(tx, p, sha256).await?.is_some())
}

/// The station and driver of a tour `p` may see whose events reference the blob (the
/// caller's own tour first, for the audit trail), if any.
async fn seen_on(tx: &mut Tx, p: &Principal, sha256: &str) -> ApiResult<Option<(String, String)>> {
    let refs = tx
        .query(
            "SELECT DISTINCT t.station_id AS station_id, t.driver_id AS driver_id FROM event_blobs eb JOIN tours t ON t.tour_id = eb.tour_id
             WHERE eb.sha256 = $1",
            &[V::from(sha256)],
        )
        .await?;
    let mut seen = None;
    for r in &refs {
        let (station_id, driver_id): (String, String) = (r.get("station_id")?, r.get("driver_id")?);
        if may_see(tx, p, &station_id, &driver_id).await? {
            if driver_id == p.user_id {
                return Ok(Some((station_id, driver_id)));
            }
            seen.get_or_insert((station_id, driver_id));
        }
    }
    Ok(seen)
}

/// Does an event recorded on `device_id` reference the blob?
async fn device_references(tx: &mut Tx, device_id: &str, sha256: &str) -> ApiResult<bool> {
    Ok(tx
        .one(
            "SELECT 1 FROM event_blobs WHERE sha256 = $1 AND device_id = $2 LIMIT 1",
            &[V::from(sha256), V::from(device_id)],
        )
        .await?
        .is_some())
}

/// The complete blob's size, if the server has it.
async fn complete_size(tx: &mut Tx, sha256: &str) -> ApiResult<Option<(u64, String)>> {
    tx.one(
        "SELECT size, uploaded_by FROM blobs WHERE sha256 = $1",
        &[V::from(sha256)],
    )
    .await?
    .map(|r| Ok((r.get::<i64>("size")? as u64, r.get("uploaded_by")?)))
    .transpose()
}

/// The caller's device's partial upload of a hash (not yet expired).
struct Partial {
    content_type: String,
    total: u64,
    received: u64,
}

async fn own_partial(
    tx: &mut Tx,
    state: &ServerState,
    device_id: &str,
    sha256: &str,
    lock: bool,
) -> ApiResult<Option<Partial>> {
    let sql = format!(
        "SELECT content_type, total, received, updated_at FROM blob_uploads WHERE sha256 = $1 AND device_id = $2{}",
        if lock { state.db.for_update() } else { "" }
    );
    let Some(r) = tx.one(&sql, &[V::from(sha256), V::from(device_id)]).await? else {
        return Ok(None);
    };
    if r.get::<i64>("updated_at")? < state.now_ms() - ms(state.config.blob_upload_ttl) {
        return Ok(None);
    }
    Ok(Some(Partial {
        content_type: r.get("content_type")?,
        total: r.get::<i64>("total")? as u64,
        received: r.get::<i64>("received")? as u64,
    }))
}

/// Drops the partial upload of a hash, with its pieces: one device's, or (`None`) every
/// device's.
async fn forget_upload(tx: &mut Tx, sha256: &str, device_id: Option<&str>) -> ApiResult<()> {
    let (chunks, uploads, params) = match device_id {
        Some(d) => (
            "DELETE FROM blob_chunks WHERE sha256 = $1 AND device_id = $2",
            "DELETE FROM blob_uploads WHERE sha256 = $1 AND device_id = $2",
            vec![V::from(sha256), V::from(d)],
        ),
        None => (
            "DELETE FROM blob_chunks WHERE sha256 = $1",
            "DELETE FROM blob_uploads WHERE sha256 = $1",
            vec![V::from(sha256)],
        ),
    };
    tx.exec(chunks, &params).await?;
    tx.exec(uploads, &params).await?;
    Ok(())
}

fn complete(sha256: &str, size: u64) -> BlobStatus {
    BlobStatus {
        sha256: sha256.to_owned(),
        complete: true,
        received: size,
        total: Some(size),
    }
}

fn partial_status(sha256: &str, partial: Option<&Partial>) -> BlobStatus {
    BlobStatus {
        sha256: sha256.to_owned(),
        complete: false,
        received: partial.map_or(0, |u| u.received),
        total: partial.map(|u| u.total),
    }
}

/// Whether `p` is told that the server holds the complete blob: a reader of it, or the device
/// that references or uploaded it.
async fn sees_complete(
    tx: &mut Tx,
    p: &Principal,
    sha256: &str,
    uploaded_by: &str,
) -> ApiResult<bool> {
    Ok(uploaded_by == p.device_id
        || device_references(tx, &p.device_id, sha256).await?
        || may_read(tx, p, sha256).await?)
}

/// `HEAD` and `status`: the state of the blob as `p` may know it.
pub async fn status(state: &ServerState, p: &Principal, sha256: &str) -> ApiResult<BlobStatus> {
    check_name(sha256)?;
    // Reads only: a read connection, which waits for no writer.
    let mut tx = state.db.read().await?;
    let result = status_in(&mut tx, state, p, sha256).await;
    tx.commit().await?;
    result
}

async fn status_in(
    tx: &mut Tx,
    state: &ServerState,
    p: &Principal,
    sha256: &str,
) -> ApiResult<BlobStatus> {
    if let Some((size, uploaded_by)) = complete_size(tx, sha256).await?
        && sees_complete(tx, p, sha256, &uploaded_by).await?
    {
        return Ok(complete(sha256, size));
    }
    let partial = own_partial(tx, state, &p.device_id, sha256, false).await?;
    if partial.is_none()
        && !device_references(tx, &p.device_id, sha256).await?
        && !may_read(tx, p, sha256).await?
    {
        return Err(not_yours());
    }
    Ok(partial_status(sha256, partial.as_ref()))
}

/// May `p`'s device upload `total` bytes for this hash? Referenced by its own events: yes.
/// Otherwise only within the quota of unreferenced bytes per device.
async fn authorize_upload(
    tx: &mut Tx,
    state: &ServerState,
    p: &Principal,
    sha256: &str,
    total: u64,
) -> ApiResult<()> {
    if device_references(tx, &p.device_id, sha256).await? {
        return Ok(());
    }
    // The tablet uploads the files of its own station events (inspection photos, the
    // close-out's signatures) and nothing else: no quota of unreferenced bytes for it.
    if p.role == Role::Station {
        return Err(ApiError::forbidden(
            "role_cannot_upload",
            "a station tablet uploads only the files its own events name",
        ));
    }
    let fresh = state.now_ms() - ms(state.config.blob_upload_ttl);
    let partial = tx
        .one(
            "SELECT CAST(COALESCE(SUM(u.total), 0) AS BIGINT) AS bytes FROM blob_uploads u
             WHERE u.device_id = $1 AND u.sha256 <> $2 AND u.updated_at >= $3
               AND NOT EXISTS (SELECT 1 FROM event_blobs eb WHERE eb.sha256 = u.sha256 AND eb.device_id = u.device_id)",
            &[V::from(&p.device_id), V::from(sha256), V::I(fresh)],
        )
        .await?
        .map_or(Ok(0), |r| r.get("bytes"))?;
    let done = tx
        .one(
            "SELECT CAST(COALESCE(SUM(b.size), 0) AS BIGINT) AS bytes FROM blobs b
             WHERE b.uploaded_by = $1 AND NOT EXISTS (SELECT 1 FROM event_blobs eb WHERE eb.sha256 = b.sha256)",
            &[V::from(&p.device_id)],
        )
        .await?
        .map_or(Ok(0), |r| r.get("bytes"))?;
    let held = u64::try_from(partial.saturating_add(done)).unwrap_or(0);
    if held.saturating_add(total) > state.config.unreferenced_blob_quota {
        return Err(ApiError::forbidden(
            "blob_not_referenced",
            format!(
                "no event of this device references this blob, and the device already holds {held} of \
                 {} bytes allowed in blobs no event references; send the event first",
                state.config.unreferenced_blob_quota
            ),
        ));
    }
    Ok(())
}

/// What a `PUT` announces in its headers.
struct Piece {
    content_type: String,
    start: u64,
    /// Bytes the body announces (the piece's length).
    len: u64,
    total: u64,
}

fn piece_of(headers: &HeaderMap, max_blob_bytes: u64) -> ApiResult<Piece> {
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if !BLOB_CONTENT_TYPES.contains(&content_type.as_str()) {
        return Err(ApiError::unsupported(
            "unsupported_media_type",
            format!("blob content type must be one of {BLOB_CONTENT_TYPES:?}"),
        ));
    }
    let content_length = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let (start, len, total) = match headers.get(axum::http::header::CONTENT_RANGE) {
        Some(v) => {
            let (s, e, t) = v
                .to_str()
                .ok()
                .and_then(lastmile_protocol::sync::parse_content_range)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "bad_content_range",
                        "Content-Range: bytes START-END/TOTAL",
                    )
                })?;
            let len = e.checked_sub(s).and_then(|d| d.checked_add(1));
            match len {
                Some(len) if e < t && content_length.is_none_or(|cl| cl == len) => (s, len, t),
                _ => {
                    return Err(ApiError::bad_request(
                        "bad_content_range",
                        "Content-Range does not match the body",
                    ));
                }
            }
        }
        // The whole blob in one body: its length is the total. Without Content-Length the
        // body is read first and its length taken (see `put`).
        None => {
            let len = content_length.unwrap_or(0);
            (0, len, len)
        }
    };
    if total > max_blob_bytes || len > max_blob_bytes {
        return Err(ApiError::too_large(
            "blob_too_large",
            format!("blobs are at most {max_blob_bytes} bytes"),
        ));
    }
    Ok(Piece {
        content_type,
        start,
        len,
        total,
    })
}

/// Reads the body up to `limit` bytes. `Ok((bytes, false))`: all of it; `Ok((bytes, true))`:
/// the connection was cut after `bytes`. Longer than `limit`: `too_long`.
async fn read_body(
    body: Body,
    limit: u64,
    too_long: impl Fn() -> ApiError,
) -> ApiResult<(Vec<u8>, bool)> {
    let mut body = std::pin::pin!(body);
    let mut buf = Vec::new();
    loop {
        match std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
            None => return Ok((buf, false)),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    buf.extend_from_slice(&data);
                    if buf.len() as u64 > limit {
                        return Err(too_long());
                    }
                }
            }
            Some(Err(e)) => {
                tracing::debug!(error = %e, received = buf.len(), "blob body cut off");
                return Ok((buf, true));
            }
        }
    }
}

#[tracing::instrument(skip_all, err, fields(sha256 = %sha256))]
pub async fn put(
    state: &ServerState,
    p: &Principal,
    sha256: &str,
    headers: &HeaderMap,
    body: Body,
) -> ApiResult<BlobStatus> {
    check_name(sha256)?;
    let max = state.config.max_blob_bytes;
    let mut piece = piece_of(headers, max)?;
    let ranged = headers.contains_key(axum::http::header::CONTENT_RANGE);
    let announced = ranged || headers.contains_key(axum::http::header::CONTENT_LENGTH);
    // Before reading a byte: answer what is known, refuse what will not be taken. No
    // transaction is held while a slow body arrives.
    {
        // Reads only: a read connection, which waits for no writer (`store_piece` checks
        // again under the writer).
        let mut tx = state.db.read().await?;
        let early = precheck(&mut tx, state, p, sha256, &piece, announced).await;
        tx.commit().await?;
        if let Some(status) = early? {
            return Ok(status);
        }
    }
    let too_large =
        || ApiError::too_large("blob_too_large", format!("blobs are at most {max} bytes"));
    let (bytes, cut) = if announced {
        read_body(body, piece.len, || {
            ApiError::bad_request(
                "bad_content_range",
                "the body is longer than its Content-Range or Content-Length",
            )
        })
        .await?
    } else {
        read_body(body, max, too_large).await?
    };
    if !announced {
        piece.len = bytes.len() as u64;
        piece.total = piece.len;
    }
    if piece.total == 0 {
        return Err(ApiError::bad_request(
            "empty_blob",
            "a blob has at least one byte",
        ));
    }
    let cut_off = || {
        ApiError::bad_request(
            "body_cut_off",
            "the body ended before its announced length; what arrived is kept",
        )
    };
    if cut && (!announced || bytes.is_empty()) {
        return Err(cut_off());
    }
    if !cut && bytes.len() as u64 != piece.len {
        return Err(ApiError::bad_request(
            "bad_content_range",
            "Content-Range does not match the body",
        ));
    }
    if piece.start == 0 {
        if cut && bytes.len() < MAGIC_LEN {
            return Err(cut_off());
        }
        if !magic_ok(&piece.content_type, &bytes) {
            return Err(ApiError::unsupported(
                "content_mismatch",
                format!("the bytes are not {}", piece.content_type),
            ));
        }
    }
    let status = store_piece(state, p, sha256, &piece, bytes).await?;
    if cut { Err(cut_off()) } else { Ok(status) }
}

/// Checks that need no body. `Some(status)`: the answer (the blob is complete and the caller
/// may know it).
async fn precheck(
    tx: &mut Tx,
    state: &ServerState,
    p: &Principal,
    sha256: &str,
    piece: &Piece,
    announced: bool,
) -> ApiResult<Option<BlobStatus>> {
    if p.role != Role::Station
        && let Some((size, uploaded_by)) = complete_size(tx, sha256).await?
        && sees_complete(tx, p, sha256, &uploaded_by).await?
    {
        return Ok(Some(complete(sha256, size)));
    }
    authorize_upload(tx, state, p, sha256, piece.total).await?;
    if !announced {
        return Ok(None);
    }
    if piece.total == 0 {
        return Err(ApiError::bad_request(
            "empty_blob",
            "a blob has at least one byte",
        ));
    }
    let partial = own_partial(tx, state, &p.device_id, sha256, false).await?;
    offsets_fit(partial.as_ref(), piece)?;
    Ok(None)
}

/// Does the piece continue the device's upload (or start it over from 0)?
fn offsets_fit(partial: Option<&Partial>, piece: &Piece) -> ApiResult<()> {
    if piece.start == 0 {
        return Ok(());
    }
    let Some(u) = partial else {
        return Err(ApiError::conflict(
            "offset_mismatch",
            "the server holds 0 bytes of your upload; resume from there",
        ));
    };
    if u.total != piece.total || u.content_type != piece.content_type {
        return Err(ApiError::conflict(
            "total_mismatch",
            format!(
                "your upload was started with {} bytes of {}; start over from 0",
                u.total, u.content_type
            ),
        ));
    }
    if piece.start > u.received {
        return Err(ApiError::conflict(
            "offset_mismatch",
            format!(
                "the server holds {} bytes of your upload; resume from there",
                u.received
            ),
        ));
    }
    Ok(())
}

/// Adds the piece (or as much of it as arrived) to the device's upload; completes the blob
/// when every byte is there.
async fn store_piece(
    state: &ServerState,
    p: &Principal,
    sha256: &str,
    piece: &Piece,
    bytes: Vec<u8>,
) -> ApiResult<BlobStatus> {
    let now = state.now_ms();
    // Uploads arriving together share one fsync; the answer waits for the group's COMMIT.
    let mut tx = state.db.begin_grouped().await?;
    authorize_upload(&mut tx, state, p, sha256, piece.total).await?;
    let key = [V::from(sha256), V::from(&p.device_id)];
    let mut partial = own_partial(&mut tx, state, &p.device_id, sha256, true).await?;
    let restart = piece.start == 0
        && partial
            .as_ref()
            .is_none_or(|u| u.total != piece.total || u.content_type != piece.content_type);
    if restart {
        // A new upload, one started over, or one that expired: begin from nothing. Expired
        // uploads of every device go with it.
        let stale = now - ms(state.config.blob_upload_ttl);
        tx.exec(
            "DELETE FROM blob_chunks WHERE EXISTS (SELECT 1 FROM blob_uploads u WHERE u.sha256 = blob_chunks.sha256
               AND u.device_id = blob_chunks.device_id AND u.updated_at < $1)",
            &[V::I(stale)],
        )
        .await?;
        tx.exec(
            "DELETE FROM blob_uploads WHERE updated_at < $1",
            &[V::I(stale)],
        )
        .await?;
        forget_upload(&mut tx, sha256, Some(&p.device_id)).await?;
        tx.exec(
            "INSERT INTO blob_uploads (sha256, device_id, content_type, total, received, started_at, updated_at)
             VALUES ($1, $2, $3, $4, 0, $5, $5)",
            &[
                V::from(sha256),
                V::from(&p.device_id),
                V::from(&piece.content_type),
                V::I(piece.total as i64),
                V::I(now),
            ],
        )
        .await?;
        partial = Some(Partial {
            content_type: piece.content_type.clone(),
            total: piece.total,
            received: 0,
        });
    }
    if let Err(e) = offsets_fit(partial.as_ref(), piece) {
        tx.commit().await?;
        return Err(e);
    }
    let Some(upload) = partial else {
        return Err(ApiError::Internal("upload row missing".into()));
    };
    let mut received = upload.received;
    let skip = usize::try_from(received - piece.start).unwrap_or(usize::MAX);
    if skip < bytes.len() {
        let tail = &bytes[skip..];
        let room = usize::try_from(upload.total - received).unwrap_or(usize::MAX);
        let tail = &tail[..tail.len().min(room)];
        tx.exec(
            "INSERT INTO blob_chunks (sha256, device_id, start_offset, data) VALUES ($1, $2, $3, $4)",
            &[
                V::from(sha256),
                V::from(&p.device_id),
                V::I(received as i64),
                V::B(tail.to_vec()),
            ],
        )
        .await?;
        received += tail.len() as u64;
    }
    tx.exec(
        "UPDATE blob_uploads SET received = $1, updated_at = $2 WHERE sha256 = $3 AND device_id = $4",
        &[
            V::I(received as i64),
            V::I(now),
            V::from(sha256),
            V::from(&p.device_id),
        ],
    )
    .await?;
    if received < upload.total {
        tx.commit().await?;
        return Ok(partial_status(
            sha256,
            Some(&Partial { received, ..upload }),
        ));
    }
    // Complete: assemble, verify, and only then make it visible.
    let mut data = Vec::with_capacity(usize::try_from(upload.total).unwrap_or(0));
    for r in tx
        .query(
            "SELECT data FROM blob_chunks WHERE sha256 = $1 AND device_id = $2 ORDER BY start_offset",
            &key,
        )
        .await?
    {
        data.extend_from_slice(&r.get::<Vec<u8>>("data")?);
    }
    forget_upload(&mut tx, sha256, Some(&p.device_id)).await?;
    let actual = hex::encode(Sha256::digest(&data));
    if actual != sha256 {
        // Commit the discard: the device must start this blob over.
        tx.commit().await?;
        return Err(ApiError::unprocessable(
            "hash_mismatch",
            format!("the bytes hash to {actual}, not to the name; upload discarded"),
        ));
    }
    tx.exec(
        "INSERT INTO blobs (sha256, content_type, size, data, uploaded_by, completed_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (sha256) DO NOTHING",
        &[
            V::from(sha256),
            V::from(&upload.content_type),
            V::I(upload.total as i64),
            V::B(data),
            V::from(&p.device_id),
            V::I(now),
        ],
    )
    .await?;
    // Other devices' partial uploads of the same bytes are moot now.
    forget_upload(&mut tx, sha256, None).await?;
    tx.commit().await?;
    Ok(complete(sha256, upload.total))
}

/// A blob's bytes, for whoever may see a tour whose events reference it (see the module
/// documentation).
pub async fn get(state: &ServerState, p: &Principal, sha256: &str) -> ApiResult<(String, Vec<u8>)> {
    check_name(sha256)?;
    let mut tx = state.db.begin().await?;
    let Some((station_id, driver_id)) = seen_on(&mut tx, p, sha256).await? else {
        tx.commit().await?;
        return Err(not_yours());
    };
    let row = tx
        .one(
            "SELECT content_type, data FROM blobs WHERE sha256 = $1",
            &[V::from(sha256)],
        )
        .await?;
    let Some(row) = row else {
        let purged = crate::retention::is_purged(&mut tx, sha256).await?;
        tx.commit().await?;
        return Err(if purged {
            ApiError::not_found(
                "blob_purged",
                "the blob was deleted after its retention period",
            )
        } else {
            ApiError::not_found("blob_missing", "the blob has not been uploaded yet")
        });
    };
    // The audit trail: a read of a driver's proof by anyone but that driver.
    crate::audit::record(
        &mut tx,
        state,
        p,
        &station_id,
        &driver_id,
        lastmile_protocol::audit::AuditRead::Proof,
        sha256,
    )
    .await?;
    tx.commit().await?;
    Ok((row.get("content_type")?, row.get("data")?))
}
