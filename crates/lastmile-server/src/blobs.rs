//! Photos and signatures, named by SHA-256, uploaded beside the event stream.
//!
//! `PUT /v1/blobs/{sha256}` is idempotent: a blob the server has is answered "complete"
//! whatever the body. Large blobs upload in pieces with `Content-Range: bytes S-E/TOTAL`;
//! `HEAD` answers how many bytes the server holds (`upload-offset`), so a cut upload resumes
//! there. A piece that overlaps what the server has is fine (only the new tail is kept); a
//! piece beyond it is refused (409). Size is capped, the content type must be one of
//! [`BLOB_CONTENT_TYPES`] and the first bytes must match it. The blob becomes visible only
//! after its bytes hash to its name, in the transaction that stores it; a mismatch discards
//! the upload (422) so the device starts over. Blobs live in the database, so several server
//! instances on one PostgreSQL see the same uploads.

use axum::http::HeaderMap;
use lastmile_protocol::auth::Role;
use lastmile_protocol::sync::{BLOB_CONTENT_TYPES, BlobStatus};
use sha2::{Digest, Sha256};

use crate::ServerState;
use crate::auth::Principal;
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

/// `bytes START-END/TOTAL` → (start, end inclusive, total).
fn parse_content_range(v: &str) -> Option<(u64, u64, u64)> {
    let rest = v.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    Some((
        start.trim().parse().ok()?,
        end.trim().parse().ok()?,
        total.trim().parse().ok()?,
    ))
}

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

async fn status_in(tx: &mut Tx, sha256: &str) -> ApiResult<BlobStatus> {
    if let Some(r) = tx
        .one(
            "SELECT size FROM blobs WHERE sha256 = $1",
            &[V::from(sha256)],
        )
        .await?
    {
        let size = r.i(0)? as u64;
        return Ok(BlobStatus {
            sha256: sha256.to_owned(),
            complete: true,
            received: size,
            total: Some(size),
        });
    }
    if let Some(r) = tx
        .one(
            "SELECT received, total FROM blob_uploads WHERE sha256 = $1",
            &[V::from(sha256)],
        )
        .await?
    {
        return Ok(BlobStatus {
            sha256: sha256.to_owned(),
            complete: false,
            received: r.i(0)? as u64,
            total: Some(r.i(1)? as u64),
        });
    }
    Ok(BlobStatus {
        sha256: sha256.to_owned(),
        complete: false,
        received: 0,
        total: None,
    })
}

pub async fn status(state: &ServerState, sha256: &str) -> ApiResult<BlobStatus> {
    check_name(sha256)?;
    let mut tx = state.db.begin().await?;
    status_in(&mut tx, sha256).await
}

#[tracing::instrument(skip_all, err, fields(sha256 = %sha256))]
pub async fn put(
    state: &ServerState,
    p: &Principal,
    sha256: &str,
    headers: &HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<BlobStatus> {
    check_name(sha256)?;
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
    let (start, total) = match headers.get(axum::http::header::CONTENT_RANGE) {
        Some(v) => {
            let (s, e, t) = v
                .to_str()
                .ok()
                .and_then(parse_content_range)
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "bad_content_range",
                        "Content-Range: bytes START-END/TOTAL",
                    )
                })?;
            if e < s || (e - s).checked_add(1) != Some(body.len() as u64) || e >= t {
                return Err(ApiError::bad_request(
                    "bad_content_range",
                    "Content-Range does not match the body",
                ));
            }
            (s, t)
        }
        None => (0, body.len() as u64),
    };
    if total > state.config.max_blob_bytes {
        return Err(ApiError::too_large(
            "blob_too_large",
            format!("blobs are at most {} bytes", state.config.max_blob_bytes),
        ));
    }
    if total == 0 {
        return Err(ApiError::bad_request(
            "empty_blob",
            "a blob has at least one byte",
        ));
    }
    if start == 0 && !magic_ok(&content_type, &body) {
        return Err(ApiError::unsupported(
            "content_mismatch",
            format!("the bytes are not {content_type}"),
        ));
    }
    let mut tx = state.db.begin().await?;
    let lock = format!(
        "SELECT 1 FROM blob_uploads WHERE sha256 = $1{}",
        state.db.for_update()
    );
    tx.one(&lock, &[V::from(sha256)]).await?;
    let current = status_in(&mut tx, sha256).await?;
    if current.complete {
        return Ok(current);
    }
    if let Some(t) = current.total
        && t != total
    {
        return Err(ApiError::conflict(
            "total_mismatch",
            format!("this upload was started with {t} bytes in total"),
        ));
    }
    let received = current.received;
    if start > received {
        return Err(ApiError::conflict(
            "offset_mismatch",
            format!("the server holds {received} bytes; resume from there"),
        ));
    }
    let skip = (received - start) as usize;
    let now = state.now_ms();
    if current.total.is_none() {
        tx.exec(
            "INSERT INTO blob_uploads (sha256, content_type, total, received, started_at) VALUES ($1, $2, $3, 0, $4)",
            &[V::from(sha256), V::from(&content_type), V::I(total as i64), V::I(now)],
        )
        .await?;
    }
    let mut received = received;
    if skip < body.len() {
        let tail = &body[skip..];
        tx.exec(
            "INSERT INTO blob_chunks (sha256, start_offset, data) VALUES ($1, $2, $3)",
            &[V::from(sha256), V::I(received as i64), V::B(tail.to_vec())],
        )
        .await?;
        received += tail.len() as u64;
        tx.exec(
            "UPDATE blob_uploads SET received = $1 WHERE sha256 = $2",
            &[V::I(received as i64), V::from(sha256)],
        )
        .await?;
    }
    if received < total {
        tx.commit().await?;
        return Ok(BlobStatus {
            sha256: sha256.to_owned(),
            complete: false,
            received,
            total: Some(total),
        });
    }
    // Complete: assemble, verify, and only then make it visible.
    let mut data = Vec::with_capacity(total as usize);
    for r in tx
        .query(
            "SELECT data FROM blob_chunks WHERE sha256 = $1 ORDER BY start_offset",
            &[V::from(sha256)],
        )
        .await?
    {
        data.extend_from_slice(&r.b(0)?);
    }
    let upload_type = tx
        .one(
            "SELECT content_type FROM blob_uploads WHERE sha256 = $1",
            &[V::from(sha256)],
        )
        .await?
        .map(|r| r.t(0))
        .transpose()?
        .unwrap_or(content_type);
    tx.exec(
        "DELETE FROM blob_chunks WHERE sha256 = $1",
        &[V::from(sha256)],
    )
    .await?;
    tx.exec(
        "DELETE FROM blob_uploads WHERE sha256 = $1",
        &[V::from(sha256)],
    )
    .await?;
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
        &[V::from(sha256), V::from(upload_type), V::I(total as i64), V::B(data), V::from(&p.device_id), V::I(now)],
    )
    .await?;
    tx.commit().await?;
    Ok(BlobStatus {
        sha256: sha256.to_owned(),
        complete: true,
        received: total,
        total: Some(total),
    })
}

/// A blob's bytes, for dispatch (station, supervisor) or the device that references it.
pub async fn get(state: &ServerState, p: &Principal, sha256: &str) -> ApiResult<(String, Vec<u8>)> {
    check_name(sha256)?;
    let mut tx = state.db.begin().await?;
    let refs = tx
        .query(
            "SELECT t.station_id, t.driver_id, eb.device_id FROM event_blobs eb JOIN tours t ON t.tour_id = eb.tour_id
             WHERE eb.sha256 = $1",
            &[V::from(sha256)],
        )
        .await?;
    let mut allowed = false;
    for r in &refs {
        if r.t(2)? == p.device_id
            || (p.role != Role::Driver
                && crate::auth::may_see(&mut tx, p, &r.t(0)?, &r.t(1)?).await?)
        {
            allowed = true;
            break;
        }
    }
    if !allowed {
        return Err(ApiError::forbidden(
            "not_your_blob",
            "no event you may see references this blob",
        ));
    }
    let row = tx
        .one(
            "SELECT content_type, data FROM blobs WHERE sha256 = $1",
            &[V::from(sha256)],
        )
        .await?
        .ok_or_else(|| ApiError::not_found("blob_missing", "the blob has not been uploaded yet"))?;
    Ok((row.t(0)?, row.b(1)?))
}
