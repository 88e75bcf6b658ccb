//! The board: every driver of the day and where they are, with load-out progress. It asks
//! again every few seconds, so it follows the drivers' phones as they sync; a tap opens the
//! driver's day.

use lastmile_protocol::station::{BoardRow, StationBoardUi};
use leptos::prelude::*;

use super::{Here, StationError, Step, api, freshness, state_key};
use crate::i18n::use_i18n;

const REFRESH: std::time::Duration = std::time::Duration::from_secs(4);

#[component]
pub(crate) fn BoardScreen() -> impl IntoView {
    let i18n = use_i18n();
    let here = expect_context::<RwSignal<Here>>();
    let tick = RwSignal::new(0u32);
    let board = LocalResource::new(move || {
        tick.track();
        api::board()
    });
    match set_interval_with_handle(move || tick.update(|t| *t += 1), REFRESH) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("the board cannot refresh itself: {e:?}"),
    }
    view! {
        <section data-testid="station-board">
            <div class="station-bar">
                <h3>{move || i18n.t("station-board-title")}</h3>
                <button class="primary station-big" data-testid="station-check-in"
                    on:click=move |_| here.set(Here::CheckIn)>{move || i18n.t("station-check_in-open")}</button>
                <button class="station-big" data-testid="audit-open"
                    on:click=move |_| here.set(Here::Audit)>{move || i18n.t("audit-open")}</button>
            </div>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || board.get().map(|r| match r {
                    Ok(b) => view! { <Rows board=b /> }.into_any(),
                    Err(e) => view! { <StationError error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Rows(board: StationBoardUi) -> impl IntoView {
    let i18n = use_i18n();
    let n = board.board.rows.len() as u32;
    view! {
        {freshness(board.offline, board.pending)}
        <p class="muted" data-testid="station-board-count">{move || i18n.tf("station-board-count", &[("n", n.into())])}</p>
        <div class="board" role="table">
            {board.board.rows.into_iter().map(|row| view! { <Row row=row /> }).collect_view()}
        </div>
    }
}

#[component]
fn Row(row: BoardRow) -> impl IntoView {
    let i18n = use_i18n();
    let here = expect_context::<RwSignal<Here>>();
    let (key, attr) = state_key(row.state);
    let driver = row.driver_id.clone();
    let open = {
        let driver = driver.clone();
        let state = row.state;
        move |_| here.set(Here::Day(driver.clone(), Step::for_state(state)))
    };
    let name = row.name.clone().unwrap_or_else(|| row.driver_id.clone());
    let plate = row.plate.clone().unwrap_or_default();
    let (loaded, expected) = (row.parcels_loaded, row.parcels_expected);
    view! {
        <button class="boardrow" role="row" data-testid="station-row" data-driver={let v = driver.clone(); move || v.clone()}
            data-state=move || attr data-loaded=move || loaded data-expected=move || expected on:click=open>
            <span class="who"><strong>{name}</strong> " " <code>{row.tour_id.clone()}</code></span>
            <span class=format!("pill state-{attr}")>{move || i18n.t(key)}</span>
            <span class="ltr plate">{plate}</span>
            <span class="progress">{move || i18n.tf("station-board-loaded", &[
                ("loaded", loaded.into()), ("expected", expected.into())])}</span>
        </button>
    }
}
