//! The service-visit commands (issue 14): the panel of a service stop reads its visit
//! ([`service_visit`]), starts it ([`service_start`]) and finishes it with the checklist, the
//! customer's name and signature and an optional photo ([`service_finish`]). Each is one
//! store action with its event in the common outbox (`commands::record`), so it works
//! offline and is sent exactly once like every outcome.
// `#[tauri::command]` expands to a `let _ = …` on the command's result, which this lint flags.
#![allow(clippy::let_underscore_must_use)]

use lastmile_domain::service::Answer;
use lastmile_protocol::service::ui::{ServiceFinishArgs, ServiceItemUi, ServiceVisitUi};
use lastmile_protocol::ui::RecordedUi;
use lastmile_store::service::{LocalVisit, ServiceFinishInput};
use tauri::State;

use crate::AppState;
use crate::commands::{record, store};
use crate::device::lock;
use crate::error::CommandError;
use crate::proof;

/// The panel's view of a visit: the checklist with what the finish recorded.
fn visit_ui(v: LocalVisit) -> ServiceVisitUi {
    let items = v
        .checklist
        .iter()
        .map(|item| {
            let answer = v.items.iter().find(|a| a.item_id == item.item_id);
            ServiceItemUi {
                item_id: item.item_id.clone(),
                label: item.label.clone(),
                done: answer.map(|a| a.done),
                note: answer.and_then(|a| a.note.clone()),
            }
        })
        .collect();
    ServiceVisitUi {
        stop_id: v.stop_id,
        planned_seconds: v.planned_seconds,
        started_at: v.started_at,
        finished_at: v.finished_at,
        customer_name: v.customer_name,
        items,
        finished_event_id: v.finished_event_id,
    }
}

/// The visit of a service stop of the tour.
#[tauri::command]
pub async fn service_visit(
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<ServiceVisitUi, CommandError> {
    let store = lock(store(&state)?);
    Ok(visit_ui(store.service_visit(&stop_id)?))
}

/// Starts the visit (records the start time).
#[tauri::command]
pub async fn service_start(
    state: State<'_, AppState>,
    stop_id: String,
) -> Result<RecordedUi, CommandError> {
    record(&state, |store, fix| store.service_start(&stop_id, fix)).await
}

/// Finishes the visit: the checklist's answers, the customer's name and signature, the photo.
#[tauri::command]
pub async fn service_finish(
    state: State<'_, AppState>,
    args: ServiceFinishArgs,
) -> Result<RecordedUi, CommandError> {
    let photo = proof::photo_from_b64(args.photo.as_deref())?;
    let signature = proof::signature_of(args.signature.as_ref())?;
    let input = ServiceFinishInput {
        stop_id: args.stop_id.clone(),
        answers: args
            .items
            .iter()
            .map(|a| Answer {
                item_id: a.item_id.clone(),
                done: a.done,
                note: a.note.clone(),
            })
            .collect(),
        customer_name: args.customer_name.clone(),
        photo: photo.as_deref(),
        signature: signature
            .as_ref()
            .map(|s| (s.strokes_json.as_slice(), s.png.as_slice())),
    };
    record(&state, |store, fix| store.service_finish(&input, fix)).await
}
