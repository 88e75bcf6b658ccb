//! The offline map (issue 17): each station's vector-tile archive (one MBTiles file, built by
//! `cargo xtask tiles`), served to the station's devices in resumable pieces.
//!
//! The archives live in the folder `--map-dir` names, one per station: `<station_id>.mbtiles`.
//! `GET /v1/map` with `Range: bytes=START-` answers `206` with at most
//! [`MAP_PIECE_BYTES`](lastmile_protocol::sync::MAP_PIECE_BYTES) and `Content-Range`; the
//! `ETag` is the archive's SHA-256 (computed once per file version, by size and mtime), so a
//! device resumes with `If-Range` and checks the whole file at the end. A replaced archive
//! makes `If-Range` fail and the piece start at byte 0 again; `If-None-Match` with the
//! current ETag answers `304` (the device's copy is still the station's map).

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lastmile_protocol::sync::MAP_PIECE_BYTES;
use sha2::{Digest, Sha256};

use crate::ServerState;
use crate::auth::Principal;
use crate::error::{ApiError, ApiResult};

/// The archive file of `station_id` in `dir`; `None` for an id that is not a plain name.
fn archive_path(dir: &Path, station_id: &str) -> Option<PathBuf> {
    let plain = !station_id.is_empty()
        && station_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !station_id.starts_with('.');
    plain.then(|| dir.join(format!("{station_id}.mbtiles")))
}

/// SHA-256 (hex) of each archive version seen, by path, size and modification time.
type Digests = Mutex<HashMap<PathBuf, (u64, SystemTime, String)>>;

fn digests() -> &'static Digests {
    static DIGESTS: OnceLock<Digests> = OnceLock::new();
    DIGESTS.get_or_init(Default::default)
}

/// What one request asks of the archive: the first byte it wants, if ranged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub start: u64,
    pub end: Option<u64>,
}

/// `bytes=START-` or `bytes=START-END` (one range; that is all a device sends).
pub fn parse_range(v: &str) -> Option<Wanted> {
    let (start, end) = v.trim().strip_prefix("bytes=")?.split_once('-')?;
    let start = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        e => Some(e.parse().ok()?),
    };
    if end.is_some_and(|e| e < start) {
        return None;
    }
    Some(Wanted { start, end })
}

/// A piece of the archive read from disk: `[start, start + bytes.len())` of `total`.
struct Piece {
    total: u64,
    etag: String,
    start: u64,
    bytes: Vec<u8>,
}

/// Reads the archive's digest (cached) and the wanted bytes, off the async workers.
fn read_piece(path: &Path, wanted: Option<Wanted>, max: u64) -> std::io::Result<Piece> {
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let (total, mtime) = (meta.len(), meta.modified()?);
    let cached = digests()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(path)
        .filter(|(len, at, _)| *len == total && *at == mtime)
        .map(|(_, _, sha)| sha.clone());
    let sha = match cached {
        Some(sha) => sha,
        None => {
            let mut hasher = Sha256::new();
            std::io::copy(&mut file, &mut hasher)?;
            let sha = hex::encode(hasher.finalize());
            digests()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(path.to_owned(), (total, mtime, sha.clone()));
            sha
        }
    };
    let (start, len) = match wanted {
        None => (0, total),
        Some(w) => {
            let last = w.end.unwrap_or(u64::MAX).min(total.saturating_sub(1));
            (w.start, (last + 1).saturating_sub(w.start).min(max))
        }
    };
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.seek(SeekFrom::Start(start))?;
    file.take(len).read_to_end(&mut bytes)?;
    Ok(Piece {
        total,
        etag: format!("\"{sha}\""),
        start,
        bytes,
    })
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// `GET`/`HEAD /v1/map`: the caller's station's archive, whole or a piece of it.
pub async fn get(
    state: &ServerState,
    p: &Principal,
    headers: &HeaderMap,
    head_only: bool,
) -> ApiResult<Response> {
    let not_here = || {
        ApiError::not_found(
            "map_not_available",
            "this server has no offline map for your station",
        )
    };
    let dir = state.config.map_dir.as_deref().ok_or_else(not_here)?;
    let path = archive_path(dir, &p.station_id).ok_or_else(not_here)?;
    let mut wanted = match header_str(headers, header::RANGE) {
        None => None,
        Some(v) => Some(parse_range(v).ok_or_else(|| {
            ApiError::bad_request("bad_range", "Range: bytes=START- or bytes=START-END")
        })?),
    };
    let if_range = header_str(headers, header::IF_RANGE).map(str::to_owned);
    let if_none_match = header_str(headers, header::IF_NONE_MATCH).map(str::to_owned);
    let read = move |wanted: Option<Wanted>, max: u64| {
        let path = path.clone();
        async move {
            tokio::task::spawn_blocking(move || read_piece(&path, wanted, max))
                .await
                .map_err(|e| ApiError::Internal(format!("map read task: {e}")))?
                .map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => not_here(),
                    _ => ApiError::Internal(format!("reading the map archive: {e}")),
                })
        }
    };
    // HEAD and a conditional request need the digest only.
    let max = if head_only { 0 } else { MAP_PIECE_BYTES };
    let mut piece = read(wanted, max).await?;
    if if_none_match.as_deref() == Some(piece.etag.as_str()) {
        return Ok(with_headers(
            StatusCode::NOT_MODIFIED,
            &piece,
            None,
            Vec::new(),
        ));
    }
    if head_only {
        return Ok(with_headers(StatusCode::OK, &piece, None, Vec::new()));
    }
    if wanted.is_some() && if_range.as_deref().is_some_and(|t| t != piece.etag) {
        // The archive changed since the device's first piece: start over from byte 0.
        wanted = Some(Wanted {
            start: 0,
            end: None,
        });
        piece = read(wanted, max).await?;
    }
    if let Some(w) = wanted {
        if w.start >= piece.total {
            return Err(ApiError::bad_request(
                "bad_range",
                format!("the archive has {} bytes", piece.total),
            ));
        }
        let last = piece.start + piece.bytes.len() as u64 - 1;
        let range = format!("bytes {}-{last}/{}", piece.start, piece.total);
        let bytes = std::mem::take(&mut piece.bytes);
        return Ok(with_headers(
            StatusCode::PARTIAL_CONTENT,
            &piece,
            Some(range),
            bytes,
        ));
    }
    let bytes = std::mem::take(&mut piece.bytes);
    Ok(with_headers(StatusCode::OK, &piece, None, bytes))
}

fn with_headers(
    status: StatusCode,
    piece: &Piece,
    range: Option<String>,
    body: Vec<u8>,
) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.mapbox-vector-tile+sqlite"),
    );
    if let Ok(v) = HeaderValue::from_str(&piece.etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&piece.total.to_string()) {
        h.insert("x-map-bytes", v);
    }
    if let Some(v) = range.and_then(|r| HeaderValue::from_str(&r).ok()) {
        h.insert(header::CONTENT_RANGE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse_as_a_device_sends_them() {
        assert_eq!(
            parse_range("bytes=10-"),
            Some(Wanted {
                start: 10,
                end: None
            })
        );
        assert_eq!(
            parse_range("bytes=0-99"),
            Some(Wanted {
                start: 0,
                end: Some(99)
            })
        );
        assert_eq!(parse_range("bytes=9-3"), None);
        assert_eq!(parse_range("items=0-"), None);
        assert_eq!(parse_range("bytes=-5"), None);
    }

    #[test]
    fn only_plain_station_ids_name_an_archive() {
        let dir = Path::new("/maps");
        assert_eq!(
            archive_path(dir, "S1"),
            Some(PathBuf::from("/maps/S1.mbtiles"))
        );
        assert_eq!(archive_path(dir, "../etc/passwd"), None);
        assert_eq!(archive_path(dir, ".hidden"), None);
        assert_eq!(archive_path(dir, ""), None);
    }
}
