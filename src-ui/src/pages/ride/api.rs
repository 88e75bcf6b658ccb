//! The shell's `ride_*` commands, typed (the ride-along's part of `crate::api`).

use lastmile_protocol::ride::ui::{
    MyRecordsUi, RideAnswerArgs, RideAssistArgs, RideDriverUi, RideExportUi, RideGradeArgs,
    RideObserveArgs, RideSignArgs, RideStartArgs, RideUi,
};
use lastmile_protocol::ui::UiError;
use serde::Serialize;

use crate::api::{Args, NoArgs, invoke};

pub async fn drivers() -> Result<Vec<RideDriverUi>, UiError> {
    invoke("ride_drivers", &NoArgs {}).await
}

pub async fn start(args: RideStartArgs) -> Result<RideUi, UiError> {
    invoke("ride_start", &Args { args }).await
}

pub async fn current() -> Result<Option<RideUi>, UiError> {
    invoke("ride_current", &NoArgs {}).await
}

pub async fn refresh() -> Result<Option<RideUi>, UiError> {
    invoke("ride_refresh", &NoArgs {}).await
}

pub async fn observe(args: RideObserveArgs) -> Result<RideUi, UiError> {
    invoke("ride_observe", &Args { args }).await
}

pub async fn grade(args: RideGradeArgs) -> Result<RideUi, UiError> {
    invoke("ride_grade", &Args { args }).await
}

pub async fn assist(args: RideAssistArgs) -> Result<RideUi, UiError> {
    invoke("ride_assist", &Args { args }).await
}

pub async fn sign(args: RideSignArgs) -> Result<RideUi, UiError> {
    invoke("ride_sign", &Args { args }).await
}

pub async fn mine() -> Result<MyRecordsUi, UiError> {
    invoke("ride_mine", &NoArgs {}).await
}

pub async fn answer(args: RideAnswerArgs) -> Result<MyRecordsUi, UiError> {
    invoke("ride_answer", &Args { args }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportArgs {
    ride_along_id: uuid::Uuid,
    lang: String,
}

pub async fn export(ride_along_id: uuid::Uuid, lang: String) -> Result<RideExportUi, UiError> {
    invoke(
        "ride_export",
        &ExportArgs {
            ride_along_id,
            lang,
        },
    )
    .await
}
