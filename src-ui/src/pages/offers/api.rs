//! The shell's `offers_*` commands, typed (the flex driver's part of `crate::api`).

use lastmile_protocol::offers::ui::{EarningsExportUi, EarningsUi, OfferRequestArgs, OffersUi};
use lastmile_protocol::offers::{AwardView, RequestReceipt};
use lastmile_protocol::ui::UiError;
use serde::Serialize;

use crate::api::{Args, NoArgs, invoke};

pub async fn load() -> Result<OffersUi, UiError> {
    invoke("offers_load", &NoArgs {}).await
}

pub async fn request(args: OfferRequestArgs) -> Result<RequestReceipt, UiError> {
    invoke("offers_request", &Args { args }).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BlockArgs {
    block_id: String,
}

pub async fn confirm(block_id: String) -> Result<AwardView, UiError> {
    invoke("offers_confirm", &BlockArgs { block_id }).await
}

pub async fn release(block_id: String) -> Result<AwardView, UiError> {
    invoke("offers_release", &BlockArgs { block_id }).await
}

#[derive(Serialize)]
struct WeekArgs {
    week: Option<String>,
}

pub async fn earnings() -> Result<EarningsUi, UiError> {
    invoke("offers_earnings", &WeekArgs { week: None }).await
}

pub async fn export() -> Result<EarningsExportUi, UiError> {
    invoke("offers_export", &WeekArgs { week: None }).await
}
