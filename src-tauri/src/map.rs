//! The offline map on the device (issue 17): the station's MBTiles archive downloaded with
//! the tour in resumable pieces, kept in `<data folder>/map/` across days, and its tiles
//! handed to the webview through a command (never the network).
//!
//! Files: `map.mbtiles` + `map.json` (the ETag, i.e. SHA-256, of the copy in use) and, while
//! a download runs, `map.mbtiles.part` + `map.part.json` (the ETag the piece belongs to). A
//! download cut off resumes from the part's length with `If-Range`; the finished part is
//! checked against its SHA-256 and renamed over the old copy, which stays usable until then.

// `#[tauri::command]` expands to `let _ = ...` on its result.
#![allow(clippy::let_underscore_must_use)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use lastmile_protocol::ui::{MapPinUi, MapStatusUi};
use lastmile_sync::transport::ServerClient;
use sha2::{Digest, Sha256};
use tauri::State;

use crate::AppState;
use crate::commands::store;
use crate::device::lock;
use crate::error::CommandError;

/// The download under way or last tried, for `map_status`.
#[derive(Debug, Default)]
struct Progress {
    running: bool,
    done: u64,
    total: u64,
    error: Option<String>,
}

static PROGRESS: Mutex<Progress> = Mutex::new(Progress {
    running: false,
    done: 0,
    total: 0,
    error: None,
});

/// The open archive (read-only), reopened after a new copy is in place.
static READER: Mutex<Option<rusqlite::Connection>> = Mutex::new(None);

/// `LASTMILE_MAP=off`: the device has no map (no download; `map_status` answers the state
/// `off`, besides `MapStatusUi`'s documented ones, and the screens leave the map out). The
/// cold-start benchmark's runs without the map use it.
fn disabled() -> bool {
    std::env::var_os("LASTMILE_MAP").is_some_and(|v| v == "off")
}

fn progress() -> std::sync::MutexGuard<'static, Progress> {
    PROGRESS.lock().unwrap_or_else(|p| p.into_inner())
}

fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("map")
}

fn archive(data_dir: &Path) -> PathBuf {
    dir(data_dir).join("map.mbtiles")
}

fn read_etag(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["etag"].as_str().map(str::to_owned)
}

fn write_etag(path: &Path, etag: &str) -> std::io::Result<()> {
    std::fs::write(path, serde_json::json!({ "etag": etag }).to_string())
}

fn io(what: &str) -> impl Fn(std::io::Error) -> CommandError + '_ {
    move |e| CommandError::Input(format!("{what}: {e}"))
}

/// Brings the device's copy up to the station's archive: nothing to do when the ETag is the
/// same, else a download (resumed when the part belongs to this ETag).
async fn refresh(server: &ServerClient, token: &str, data_dir: &Path) -> Result<(), CommandError> {
    let (etag, total) = server.map_head(token).await?;
    let folder = dir(data_dir);
    std::fs::create_dir_all(&folder).map_err(io("creating the map folder"))?;
    if archive(data_dir).is_file() && read_etag(&folder.join("map.json")).as_deref() == Some(&etag)
    {
        return Ok(());
    }
    let part = folder.join("map.mbtiles.part");
    let part_meta = folder.join("map.part.json");
    let mut etag = etag;
    if read_etag(&part_meta).as_deref() != Some(&etag) {
        std::fs::write(&part, b"").map_err(io("starting the map download"))?;
        write_etag(&part_meta, &etag).map_err(io("starting the map download"))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&part)
        .map_err(io("opening the map download"))?;
    let mut have = file.metadata().map_err(io("the map download"))?.len();
    {
        let mut p = progress();
        p.done = have;
        p.total = total;
    }
    let mut total = total;
    while have < total {
        let piece = server.map_piece(token, have, &etag).await?;
        if piece.etag != etag || piece.start != have {
            // The station's map was rebuilt meanwhile: the piece starts the new one.
            if piece.start != 0 {
                return Err(CommandError::Input(format!(
                    "map piece at {} while {have} bytes are here",
                    piece.start
                )));
            }
            file.set_len(0).map_err(io("restarting the map download"))?;
            etag.clone_from(&piece.etag);
            write_etag(&part_meta, &etag).map_err(io("restarting the map download"))?;
            have = 0;
        }
        if piece.bytes.is_empty() {
            return Err(CommandError::Input("empty map piece".into()));
        }
        file.write_all(&piece.bytes)
            .map_err(io("writing the map download"))?;
        have += piece.bytes.len() as u64;
        total = piece.total;
        let mut p = progress();
        p.done = have;
        p.total = total;
    }
    file.sync_all().map_err(io("writing the map download"))?;
    drop(file);
    let mut hasher = Sha256::new();
    let mut f = std::fs::File::open(&part).map_err(io("checking the map download"))?;
    std::io::copy(&mut f, &mut hasher).map_err(io("checking the map download"))?;
    let sha = format!("\"{}\"", hex::encode(hasher.finalize()));
    if sha != etag {
        // Start over next time: this part cannot become the map.
        if let Err(e) = std::fs::remove_file(&part_meta) {
            tracing::warn!("the map download's note stays: {e}");
        }
        return Err(CommandError::Input(
            "the downloaded map does not match its digest".into(),
        ));
    }
    *READER.lock().unwrap_or_else(|p| p.into_inner()) = None;
    std::fs::rename(&part, archive(data_dir)).map_err(io("keeping the map"))?;
    write_etag(&folder.join("map.json"), &etag).map_err(io("keeping the map"))?;
    if let Err(e) = std::fs::remove_file(&part_meta) {
        tracing::warn!("the map download's note stays: {e}");
    }
    Ok(())
}

/// Starts a download in the background unless one runs (after the tour's download, and when
/// the map screen finds no copy).
pub(crate) fn start(server: ServerClient, token: String, data_dir: PathBuf) {
    if disabled() {
        return;
    }
    {
        let mut p = progress();
        if p.running {
            return;
        }
        p.running = true;
        p.error = None;
    }
    tauri::async_runtime::spawn(async move {
        let result = refresh(&server, &token, &data_dir).await;
        let mut p = progress();
        p.running = false;
        if let Err(e) = result {
            tracing::warn!("the offline map was not downloaded: {e}");
            p.error = Some(e.code().to_owned());
        }
    });
}

/// The archive's bounds from its metadata (`west,south,east,north`).
fn bounds(conn: &rusqlite::Connection) -> Option<[f64; 4]> {
    let text: String = conn
        .query_row(
            "SELECT value FROM metadata WHERE name = 'bounds'",
            [],
            |r| r.get(0),
        )
        .ok()?;
    let v: Vec<f64> = text
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    <[f64; 4]>::try_from(v).ok()
}

/// Runs `f` on the open archive, opening it first; `None` without a copy.
fn with_reader<T>(data_dir: &Path, f: impl FnOnce(&rusqlite::Connection) -> T) -> Option<T> {
    let mut reader = READER.lock().unwrap_or_else(|p| p.into_inner());
    if reader.is_none() {
        let path = archive(data_dir);
        if !path.is_file() {
            return None;
        }
        match rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        ) {
            Ok(c) => *reader = Some(c),
            Err(e) => {
                tracing::warn!("the offline map cannot be opened: {e}");
                return None;
            }
        }
    }
    reader.as_ref().map(f)
}

/// One vector tile (XYZ numbering), unzipped; `None` outside the archive.
fn tile(data_dir: &Path, z: u8, x: u32, y: u32) -> Option<Vec<u8>> {
    let rows = 1u32.checked_shl(u32::from(z))?;
    if x >= rows || y >= rows {
        return None;
    }
    // MBTiles numbers rows from the south (TMS).
    let tms_y = rows - 1 - y;
    let data: Vec<u8> = with_reader(data_dir, |c| {
        c.query_row(
            "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
            rusqlite::params![z, x, tms_y],
            |r| r.get(0),
        )
        .ok()
    })??;
    if data.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::with_capacity(data.len() * 3);
        flate2::read::GzDecoder::new(data.as_slice())
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    } else {
        Some(data)
    }
}

/// The map's state on the device.
#[tauri::command]
pub async fn map_status(state: State<'_, AppState>) -> Result<MapStatusUi, CommandError> {
    if disabled() {
        return Ok(MapStatusUi {
            state: "off".to_owned(),
            done: 0,
            total: 0,
            bounds: None,
            error: None,
        });
    }
    let bounds = with_reader(&state.data_dir, bounds).flatten();
    let p = progress();
    let ready = archive(&state.data_dir).is_file();
    let status = match (p.running, ready, &p.error) {
        (true, _, _) => "downloading",
        (false, true, _) => "ready",
        (false, false, Some(_)) => "failed",
        (false, false, None) => "none",
    };
    let size = if ready && !p.running {
        std::fs::metadata(archive(&state.data_dir))
            .map(|m| m.len())
            .unwrap_or(0)
    } else {
        p.done
    };
    Ok(MapStatusUi {
        state: status.to_owned(),
        done: size,
        total: if p.running { p.total } else { size },
        bounds,
        error: p.error.clone(),
    })
}

/// Starts (or resumes) the map's download when the device is online; the answer says where
/// it stands.
#[tauri::command]
pub async fn map_fetch(state: State<'_, AppState>) -> Result<MapStatusUi, CommandError> {
    let running = state
        .sync
        .lock()
        .await
        .as_ref()
        .map(crate::device::SyncHandle::session);
    let session = match running {
        Some(session) => session,
        None => state.saved.lock().await.session.clone(),
    };
    if let (Some(server), Some(session)) = (state.server.clone(), session) {
        start(server, session.access_token, state.data_dir.clone());
    }
    map_status(state).await
}

/// One tile of the device's archive as raw protobuf bytes (empty outside the archive).
#[tauri::command]
pub async fn map_tile(
    state: State<'_, AppState>,
    z: u8,
    x: u32,
    y: u32,
) -> Result<tauri::ipc::Response, CommandError> {
    let data_dir = state.data_dir.clone();
    let bytes = tokio::task::spawn_blocking(move || tile(&data_dir, z, x, y))
        .await
        .map_err(|e| CommandError::Input(format!("map tile task: {e}")))?
        .unwrap_or_default();
    Ok(tauri::ipc::Response::new(bytes))
}

/// The tour's stops for the tour map: position, state, parcels, the current one marked.
#[tauri::command]
pub async fn map_pins(state: State<'_, AppState>) -> Result<Vec<MapPinUi>, CommandError> {
    let store = lock(store(&state)?);
    let Some(t) = store.tour_overview()? else {
        return Ok(Vec::new());
    };
    let view = crate::convert::tour_view(&t);
    Ok(t.stops
        .iter()
        .zip(view.stops)
        .map(|(s, line)| MapPinUi {
            current: t.current_stop_id.as_deref() == Some(s.stop_id.as_str()),
            stop_id: line.stop_id,
            sequence: line.sequence,
            lat: s.position.lat,
            lon: s.position.lon,
            state: line.state,
            parcels: line.parcels,
        })
        .collect())
}

#[cfg(test)]
#[path = "map_tests.rs"]
mod tests;
