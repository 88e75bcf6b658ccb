//! The driver's evidence bundle (issue 14): a day still on the device exported as a ZIP
//! (readable HTML, JSON, the proof files, a manifest of SHA-256 sums signed with the device's
//! Ed25519 key; see `lastmile_evidence`). The key is made on first use and kept in the
//! platform's keystore beside the store key; only its fingerprint is shown. Only the driver
//! who drove a tour can export it, with their own events only.
//!
//! Desktop writes into a folder the driver chooses (their Documents folder by default); a
//! mobile build hands the file to the share sheet instead (ARCHITECTURE.md, "Mobile").
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use std::path::{Path, PathBuf};

use lastmile_evidence::{Proof, Signer};
use lastmile_protocol::ui::{EvidenceDayUi, EvidenceExportUi, EvidenceUi};
use tauri::{Manager, State};

use crate::AppState;
use crate::commands::store;
use crate::device::lock;
use crate::error::CommandError;
use crate::keystore::Keystore;

/// The keystore entry of the device's signing key (hex of its 32 secret bytes).
const SIGNING_KEY: &str = "evidence-signing-key";

fn evidence_error(detail: impl std::fmt::Display) -> CommandError {
    CommandError::Evidence {
        code: "evidence.failed",
        detail: detail.to_string(),
    }
}

/// The device's signing key, made and kept on first use.
pub fn signer(keystore: &Keystore) -> Result<Signer, CommandError> {
    if let Some(hex) = keystore.get(SIGNING_KEY).map_err(evidence_error)? {
        return Signer::from_secret_hex(&hex).map_err(evidence_error);
    }
    let signer = Signer::generate();
    keystore
        .set(SIGNING_KEY, &signer.secret_hex())
        .map_err(evidence_error)?;
    Ok(signer)
}

fn default_folder<R: tauri::Runtime>(app: &tauri::AppHandle<R>, data_dir: &Path) -> PathBuf {
    app.path()
        .document_dir()
        .unwrap_or_else(|_| data_dir.join("exports"))
}

/// The days this driver can export, the key's fingerprint and the folder offered.
#[tauri::command]
pub async fn evidence_days<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<EvidenceUi, CommandError> {
    let days = lock(store(&state)?).exportable_days()?;
    Ok(EvidenceUi {
        days: days
            .into_iter()
            .map(|d| EvidenceDayUi {
                tour_id: d.tour_id,
                date: d.date,
                events: d.events,
            })
            .collect(),
        fingerprint: signer(&state.keystore)?.fingerprint(),
        folder: default_folder(&app, &state.data_dir).display().to_string(),
    })
}

/// Writes the bundle of `tour_id` into `folder` (`lastmile-<date>-<tour>.zip`).
#[tauri::command]
pub async fn evidence_export<R: tauri::Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    tour_id: String,
    folder: Option<String>,
) -> Result<EvidenceExportUi, CommandError> {
    let (record, proofs) = lock(store(&state)?).day_record(&tour_id)?;
    let signer = signer(&state.keystore)?;
    let proof_refs: Vec<Proof<'_>> = proofs
        .iter()
        .map(|p| Proof {
            file: &p.file,
            bytes: &p.bytes,
        })
        .collect();
    let zip =
        lastmile_evidence::write_bundle(&record, &proof_refs, &signer).map_err(evidence_error)?;
    let folder = folder
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .map_or_else(|| default_folder(&app, &state.data_dir), PathBuf::from);
    let safe_tour: String = tour_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = folder.join(format!("lastmile-{}-{safe_tour}.zip", record.date));
    write_new(&path, &zip).map_err(|e| CommandError::Evidence {
        code: "evidence.folder",
        detail: format!("{}: {e}", folder.display()),
    })?;
    Ok(EvidenceExportUi {
        path: path.display().to_string(),
        files: 2 + proofs.len() as u32,
        bytes: zip.len() as u64,
        fingerprint: signer.fingerprint(),
    })
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so a full disk or a
/// crash never leaves half a bundle under the final name.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".{}.part",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
}
