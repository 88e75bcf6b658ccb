//! The one typed wrapper around the shell's `invoke`. Every call returns the protocol's
//! `UiError` on failure, including "not running inside the app" (e.g. opened in a browser).

use lastmile_protocol::ui::{
    AppStatus, ConflictUi, CorrectArgs, DeliverArgs, FailArgs, FixUi, GuidanceUi, PickupArgs,
    RecordedUi, ScanArgs, ScanUi, ServerReach, SessionState, SignInArgs, StopView, SyncView,
    TourView, UiError, WaitingItemUi,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["window", "__TAURI__", "core"], js_name = invoke)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// True when the page runs inside the Tauri shell (the global API is injected).
pub fn inside_app() -> bool {
    let Some(window) = web_sys_window() else {
        return false;
    };
    js_sys::Reflect::get(&window, &JsValue::from_str("__TAURI__"))
        .map(|v| !v.is_undefined())
        .unwrap_or(false)
}

fn web_sys_window() -> Option<JsValue> {
    js_sys::global()
        .dyn_into::<js_sys::Object>()
        .ok()
        .map(JsValue::from)
}

pub(crate) async fn invoke<A: Serialize, T: DeserializeOwned>(
    cmd: &str,
    args: &A,
) -> Result<T, UiError> {
    if !inside_app() {
        return Err(UiError {
            code: "ui.not_in_app".into(),
            message: "not running inside the Lastmile app".into(),
        });
    }
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| UiError {
        code: "ui.encode".into(),
        message: e.to_string(),
    })?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| UiError {
            code: "ui.decode".into(),
            message: format!("{cmd}: {e}"),
        }),
        Err(err) => Err(
            serde_wasm_bindgen::from_value::<UiError>(err.clone()).unwrap_or_else(|_| UiError {
                code: "ui.invoke".into(),
                message: err.as_string().unwrap_or_else(|| format!("{cmd} failed")),
            }),
        ),
    }
}

#[derive(Serialize)]
pub(crate) struct NoArgs {}

pub async fn app_status() -> Result<AppStatus, UiError> {
    invoke("app_status", &NoArgs {}).await
}

pub async fn check_server() -> Result<ServerReach, UiError> {
    invoke("check_server", &NoArgs {}).await
}

pub async fn session_state() -> Result<SessionState, UiError> {
    invoke("session_state", &NoArgs {}).await
}

#[derive(Serialize)]
pub(crate) struct Args<T: Serialize> {
    pub(crate) args: T,
}

pub async fn sign_in(args: SignInArgs) -> Result<SessionState, UiError> {
    invoke("sign_in", &Args { args }).await
}

pub async fn download_tour() -> Result<TourView, UiError> {
    invoke("download_tour", &NoArgs {}).await
}

pub async fn tour_overview() -> Result<Option<TourView>, UiError> {
    invoke("tour_overview", &NoArgs {}).await
}

pub async fn current_stop() -> Result<Option<StopView>, UiError> {
    invoke("current_stop", &NoArgs {}).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StopId<'a> {
    stop_id: &'a str,
}

pub async fn stop_detail(stop_id: &str) -> Result<Option<StopView>, UiError> {
    invoke("stop_detail", &StopId { stop_id }).await
}

pub async fn unused_cards() -> Result<Vec<String>, UiError> {
    invoke("unused_cards", &NoArgs {}).await
}

pub async fn deliver(args: DeliverArgs) -> Result<RecordedUi, UiError> {
    invoke("deliver", &Args { args }).await
}

pub async fn fail(args: FailArgs) -> Result<RecordedUi, UiError> {
    invoke("fail", &Args { args }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventId<'a> {
    event_id: &'a str,
}

pub async fn undo(event_id: &str) -> Result<RecordedUi, UiError> {
    invoke("undo", &EventId { event_id }).await
}

pub async fn correct_outcome(args: CorrectArgs) -> Result<RecordedUi, UiError> {
    invoke("correct_outcome", &Args { args }).await
}

pub async fn conflicts() -> Result<Vec<ConflictUi>, UiError> {
    invoke("conflicts", &NoArgs {}).await
}

#[derive(Serialize)]
struct ConflictId {
    id: i64,
}

pub async fn acknowledge_conflict(id: i64) -> Result<(), UiError> {
    invoke("acknowledge_conflict", &ConflictId { id }).await
}

pub async fn sync_status() -> Result<SyncView, UiError> {
    invoke("sync_status", &NoArgs {}).await
}

pub async fn sync_now() -> Result<SyncView, UiError> {
    invoke("sync_now", &NoArgs {}).await
}

pub async fn waiting_items() -> Result<Vec<WaitingItemUi>, UiError> {
    invoke("waiting_items", &NoArgs {}).await
}

pub async fn pick_up(args: PickupArgs) -> Result<RecordedUi, UiError> {
    invoke("pick_up", &Args { args }).await
}

pub async fn arrive(stop_id: &str) -> Result<RecordedUi, UiError> {
    invoke("arrive", &StopId { stop_id }).await
}

pub async fn skip_stop(stop_id: &str) -> Result<RecordedUi, UiError> {
    invoke("skip_stop", &StopId { stop_id }).await
}

pub async fn scan_image(args: ScanArgs) -> Result<ScanUi, UiError> {
    invoke("scan_image", &Args { args }).await
}

pub async fn check_entry(args: ScanArgs) -> Result<ScanUi, UiError> {
    invoke("check_entry", &Args { args }).await
}

#[derive(Serialize)]
struct FixArg {
    fix: FixUi,
}

pub async fn report_position(fix: FixUi) -> Result<(), UiError> {
    invoke("report_position", &FixArg { fix }).await
}

pub async fn guidance(stop_id: &str) -> Result<Option<GuidanceUi>, UiError> {
    invoke("guidance", &StopId { stop_id }).await
}

/// Opens the system's maps app at the stop; answers the `geo:` URI handed over.
pub async fn navigate(stop_id: &str) -> Result<String, UiError> {
    invoke("navigate", &StopId { stop_id }).await
}

/// Tells the shell the UI reached a timing mark (see `perf.rs`), for its log.
pub async fn perf_mark(name: &str, epoch_ms: f64) -> Result<(), UiError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Mark<'a> {
        name: &'a str,
        epoch_ms: f64,
    }
    invoke("perf_mark", &Mark { name, epoch_ms }).await
}

// --- tour overview, end-of-tour summary, display settings -----------------------------------

pub async fn end_of_day() -> Result<lastmile_protocol::ui::DaySummaryUi, UiError> {
    invoke("end_of_day", &NoArgs {}).await
}

pub async fn tour_parcels() -> Result<Vec<lastmile_protocol::ui::StopParcelsUi>, UiError> {
    invoke("tour_parcels", &NoArgs {}).await
}

pub async fn ui_settings() -> Result<lastmile_protocol::ui::UiSettings, UiError> {
    invoke("ui_settings", &NoArgs {}).await
}

#[derive(Serialize)]
struct SettingsArgs {
    settings: lastmile_protocol::ui::UiSettings,
}

pub async fn save_ui_settings(
    settings: lastmile_protocol::ui::UiSettings,
) -> Result<lastmile_protocol::ui::UiSettings, UiError> {
    invoke("save_ui_settings", &SettingsArgs { settings }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportArgs<'a> {
    tour_id: &'a str,
    folder: &'a str,
}

pub async fn evidence_days() -> Result<lastmile_protocol::ui::EvidenceUi, UiError> {
    invoke("evidence_days", &NoArgs {}).await
}

pub async fn evidence_export(
    tour_id: &str,
    folder: &str,
) -> Result<lastmile_protocol::ui::EvidenceExportUi, UiError> {
    invoke("evidence_export", &ExportArgs { tour_id, folder }).await
}

// ---- The offline map (issue 17) ----

pub async fn map_status() -> Result<lastmile_protocol::ui::MapStatusUi, UiError> {
    invoke("map_status", &NoArgs {}).await
}

/// Starts (or resumes) the map's download when online.
pub async fn map_fetch() -> Result<lastmile_protocol::ui::MapStatusUi, UiError> {
    invoke("map_fetch", &NoArgs {}).await
}

pub async fn map_pins() -> Result<Vec<lastmile_protocol::ui::MapPinUi>, UiError> {
    invoke("map_pins", &NoArgs {}).await
}
