//! Commands of the tour overview, the end-of-tour summary and the display settings: each
//! takes the shared state, asks the store (or the settings file) once and maps the error.
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use std::path::{Path, PathBuf};

use lastmile_protocol::ui::{ConflictUi, DaySummaryUi, StopParcelsUi, UiSettings};
use lastmile_store::queries::DaySummary;
use lastmile_store::{Store, StoreError};
use tauri::State;

use crate::AppState;
use crate::commands::store;
use crate::device::lock;
use crate::error::CommandError;

fn day_summary(s: DaySummary) -> DaySummaryUi {
    DaySummaryUi {
        stops_total: s.stops_total,
        stops_done: s.stops_done,
        delivered: s.delivered,
        failed: s.failed,
        not_attempted: s.not_attempted,
        cards_used: s.cards_used,
        cards_unused: s.cards_unused,
        returns_on_board: s.returns_on_board,
        conflicts: s.conflicts,
    }
}

/// The end-of-tour summary: delivered, failed, not attempted, cards, returns, conflicts.
#[tauri::command]
pub async fn end_of_day(state: State<'_, AppState>) -> Result<DaySummaryUi, CommandError> {
    Ok(day_summary(lock(store(&state)?).end_of_day()?))
}

/// Dispatch's changes that clashed with recorded outcomes, the open ones first.
#[tauri::command]
pub async fn conflicts(state: State<'_, AppState>) -> Result<Vec<ConflictUi>, CommandError> {
    Ok(lock(store(&state)?)
        .conflicts()?
        .into_iter()
        .map(|c| ConflictUi {
            id: c.id,
            stop_id: c.stop_id,
            tracking_id: c.tracking_id,
            kind: c.kind,
            detail: c.detail,
            message: c.message,
            address: c.address,
            recorded: c.recorded,
            acknowledged: c.acknowledged,
        })
        .collect())
}

/// The driver has read conflict `id`.
#[tauri::command]
pub async fn acknowledge_conflict(state: State<'_, AppState>, id: i64) -> Result<(), CommandError> {
    Ok(lock(store(&state)?).acknowledge_conflict(id)?)
}

/// Every stop's tracking numbers, in tour order, so the overview can search by parcel.
/// Empty before a tour is loaded.
pub fn parcels_by_stop(store: &Store) -> Result<Vec<StopParcelsUi>, StoreError> {
    Ok(store
        .tracking_ids_by_stop()?
        .into_iter()
        .map(|(stop_id, tracking_ids)| StopParcelsUi {
            stop_id,
            tracking_ids,
        })
        .collect())
}

/// The tracking numbers of every stop (for searching the tour by parcel).
#[tauri::command]
pub async fn tour_parcels(state: State<'_, AppState>) -> Result<Vec<StopParcelsUi>, CommandError> {
    Ok(parcels_by_stop(&lock(store(&state)?))?)
}

fn settings_path(dir: &Path) -> PathBuf {
    dir.join("ui-settings.json")
}

/// The saved display settings; defaults when none were saved or the file is unreadable (a
/// broken settings file must never keep the driver from working).
pub fn load_settings(dir: &Path) -> UiSettings {
    match std::fs::read(settings_path(dir)) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
            tracing::warn!("ignoring the unreadable display settings: {e}");
            UiSettings::default()
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => UiSettings::default(),
        Err(e) => {
            tracing::warn!("cannot read the display settings: {e}");
            UiSettings::default()
        }
    }
}

/// Saves the display settings atomically (temp file + rename).
pub fn save_settings(dir: &Path, settings: &UiSettings) -> Result<(), CommandError> {
    if !lastmile_protocol::ui::UI_LANGS.contains(&settings.lang.as_str()) {
        return Err(CommandError::Input(format!(
            "unknown language {:?}",
            settings.lang
        )));
    }
    let bytes =
        serde_json::to_vec_pretty(settings).map_err(|e| CommandError::Settings(e.to_string()))?;
    let tmp = dir.join("ui-settings.json.tmp");
    std::fs::write(&tmp, bytes).map_err(|e| CommandError::Settings(e.to_string()))?;
    std::fs::rename(&tmp, settings_path(dir)).map_err(|e| CommandError::Settings(e.to_string()))
}

/// The driver's language and theme as last chosen on this device.
#[tauri::command]
pub async fn ui_settings(state: State<'_, AppState>) -> Result<UiSettings, CommandError> {
    Ok(load_settings(&state.data_dir))
}

/// Keeps the driver's language and theme for the next start. Synchronous, so Tauri runs
/// the saves one after the other in the order the driver tapped.
#[tauri::command]
pub fn save_ui_settings(
    state: State<'_, AppState>,
    settings: UiSettings,
) -> Result<UiSettings, CommandError> {
    save_settings(&state.data_dir, &settings)?;
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use lastmile_protocol::tour::TourSnapshot;

    use super::*;

    /// A fresh folder under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir().join(format!(
                "lastmile-overview-{}-{name}-{}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            std::fs::remove_dir_all(&self.0).ok();
        }
    }

    #[test]
    fn settings_survive_a_restart_and_a_broken_file_falls_back_to_defaults() {
        let dir = TempDir::new("settings");
        assert_eq!(load_settings(&dir.0), UiSettings::default());
        let chosen = UiSettings {
            lang: "de".into(),
            high_contrast: true,
            gloves: true,
        };
        save_settings(&dir.0, &chosen).unwrap();
        assert_eq!(load_settings(&dir.0), chosen);

        std::fs::write(settings_path(&dir.0), b"{not json").unwrap();
        assert_eq!(load_settings(&dir.0), UiSettings::default());
    }

    #[test]
    fn an_older_settings_file_without_the_theme_still_loads() {
        let dir = TempDir::new("older");
        std::fs::write(settings_path(&dir.0), br#"{"lang": "de"}"#).unwrap();
        assert_eq!(
            load_settings(&dir.0),
            UiSettings {
                lang: "de".into(),
                high_contrast: false,
                gloves: false,
            }
        );
    }

    #[test]
    fn an_unknown_language_is_refused_and_the_saved_one_kept() {
        let dir = TempDir::new("unknown");
        let de = UiSettings {
            lang: "de".into(),
            ..UiSettings::default()
        };
        save_settings(&dir.0, &de).unwrap();
        let err = save_settings(
            &dir.0,
            &UiSettings {
                lang: "xx".into(),
                high_contrast: true,
                gloves: false,
            },
        )
        .unwrap_err();
        assert!(matches!(err, CommandError::Input(_)), "{err:?}");
        assert_eq!(load_settings(&dir.0), de);
    }

    #[test]
    fn every_language_of_the_ui_is_kept() {
        let dir = TempDir::new("langs");
        for lang in lastmile_protocol::ui::UI_LANGS {
            let chosen = UiSettings {
                lang: lang.into(),
                ..UiSettings::default()
            };
            save_settings(&dir.0, &chosen).unwrap_or_else(|e| panic!("{lang}: {e:?}"));
            assert_eq!(load_settings(&dir.0), chosen);
        }
    }

    fn stop(id: &str, seq: u32, street: &str, parcels: &[&str]) -> serde_json::Value {
        serde_json::json!({
            "stop_id": id, "sequence": seq, "kind": "delivery",
            "address": {"street": street, "house_number": "2", "postcode": "95500", "city": "Heinersreuth", "name": null},
            "position": {"lat": 49.98, "lon": 11.51}, "access_notes": null, "time_window": null,
            "service_seconds": 60,
            "parcels": parcels.iter().map(|t| serde_json::json!({
                "tracking_id": t, "time_window": null, "dimensions": null
            })).collect::<Vec<_>>(),
        })
    }

    #[test]
    fn the_search_index_lists_every_stops_parcels_in_tour_order() {
        let dir = TempDir::new("store");
        let mut store = Store::open(&dir.0.join("device.db")).unwrap();
        assert_eq!(parcels_by_stop(&store).unwrap(), vec![]);
        let tour: TourSnapshot = serde_json::from_value(serde_json::json!({
            "tour_id": "T1", "driver_id": "D1", "date": "2026-11-22", "departure": null, "cursor": 1,
            "station": {"station_id": "S1", "name": "Bayreuth", "position": {"lat": 49.95, "lon": 11.57}},
            "stops": [
                stop("B", 2, "Neuenreuther Straße", &["TBA200000002"]),
                stop("A", 1, "Hauptstraße", &["TBA100000001", "TBA100000009"]),
            ],
        }))
        .unwrap();
        store.apply_snapshot(&tour).unwrap();
        let index = parcels_by_stop(&store).unwrap();
        assert_eq!(
            index,
            vec![
                StopParcelsUi {
                    stop_id: "A".into(),
                    tracking_ids: vec!["TBA100000001".into(), "TBA100000009".into()],
                },
                StopParcelsUi {
                    stop_id: "B".into(),
                    tracking_ids: vec!["TBA200000002".into()],
                },
            ]
        );
    }
}
