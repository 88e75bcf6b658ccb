//! The station mode's calls to the shell (`src-tauri/src/station.rs`), typed.

use lastmile_protocol::events::EventBody;
use lastmile_protocol::station::{
    CheckInArgs, CheckInCodeUi, CloseOutArgs, CloseOutView, ItemPhotoArg, PassInput,
    PhoneStationUi, StationActArgs, StationBoardUi, StationDayUi,
};
use lastmile_protocol::ui::{SignatureUi, UiError};
use serde::Serialize;

use crate::api::invoke;

#[derive(Serialize)]
struct NoArgs {}

#[derive(Serialize)]
struct Args<T: Serialize> {
    args: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    driver_id: String,
}

pub async fn board() -> Result<StationBoardUi, UiError> {
    invoke("station_board", &NoArgs {}).await
}

pub async fn day(driver_id: String) -> Result<StationDayUi, UiError> {
    invoke("station_day", &Driver { driver_id }).await
}

pub async fn check_in(driver_id: String, pin: String) -> Result<StationDayUi, UiError> {
    invoke(
        "station_check_in",
        &Args {
            args: CheckInArgs { driver_id, pin },
        },
    )
    .await
}

pub async fn act(
    tour_id: String,
    body: EventBody,
    photos: Vec<ItemPhotoArg>,
) -> Result<StationDayUi, UiError> {
    invoke(
        "station_act",
        &Args {
            args: StationActArgs {
                tour_id,
                body,
                photos,
            },
        },
    )
    .await
}

pub async fn close_out(
    tour_id: String,
    driver_id: String,
    driver_signature: SignatureUi,
    lead_signature: SignatureUi,
) -> Result<StationDayUi, UiError> {
    invoke(
        "station_close_out",
        &Args {
            args: CloseOutArgs {
                tour_id,
                driver_id,
                driver_signature,
                lead_signature,
            },
        },
    )
    .await
}

/// Checks a driver in by the pass their phone shows (typed by a scanner or photographed).
pub async fn check_in_pass(input: PassInput) -> Result<StationDayUi, UiError> {
    invoke("station_check_in_pass", &Args { args: input }).await
}

/// The driver's check-in code, on the phone.
pub async fn check_in_code() -> Result<CheckInCodeUi, UiError> {
    invoke("phone_check_in_code", &NoArgs {}).await
}

pub async fn phone_station() -> Result<PhoneStationUi, UiError> {
    invoke("phone_station", &NoArgs {}).await
}

pub async fn my_days() -> Result<Vec<CloseOutView>, UiError> {
    invoke("my_days", &NoArgs {}).await
}

/// The audit trail of the lead's station (issue 16).
pub async fn audit() -> Result<Vec<lastmile_protocol::audit::AuditEntry>, UiError> {
    invoke("station_audit", &NoArgs {}).await
}
