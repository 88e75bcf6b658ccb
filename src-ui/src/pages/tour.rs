//! The tour overview: stops in planned order with their state and the day's progress; the
//! tour download when none is on the device yet.

use lastmile_protocol::ui::{StopState, TourView, UiError};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;

/// Catalog key of a stop state.
pub fn state_key(s: StopState) -> &'static str {
    match s {
        StopState::Open => "state.open",
        StopState::Arrived => "state.arrived",
        StopState::Done => "state.done",
        StopState::Failed => "state.failed",
        StopState::Skipped => "state.skipped",
    }
}

/// The `data-state` attribute of a stop state.
pub fn state_attr(s: StopState) -> &'static str {
    &state_key(s)[6..]
}

#[component]
pub fn TourPage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let tour = RwSignal::new(None::<Result<Option<TourView>, UiError>>);
    let downloading = RwSignal::new(false);
    let download_error = RwSignal::new(None::<UiError>);

    Effect::new(move |_| {
        nav.changed.track();
        spawn_local(async move { tour.set(Some(api::tour_overview().await)) });
    });

    let download = move |_| {
        downloading.set(true);
        download_error.set(None);
        spawn_local(async move {
            match api::download_tour().await {
                Ok(t) => tour.set(Some(Ok(Some(t)))),
                Err(e) => download_error.set(Some(e)),
            }
            downloading.set(false);
            nav.bump();
        });
    };

    let download_button = move || {
        view! {
            <button class="primary" data-testid="download-tour" disabled=move || downloading.get() on:click=download>
                {move || if downloading.get() { i18n.t("tour.downloading") } else { i18n.t("tour.download") }}
            </button>
            <Show when=move || downloading.get()>
                <progress data-testid="download-progress"></progress>
            </Show>
        }
    };

    view! {
        <section data-testid="tour">
            <h2>{move || i18n.t("tour.title")}</h2>
            {move || download_error.get().map(|e| view! { <ErrorBox error=e /> })}
            {move || match tour.get() {
                None => view! { <p class="muted">"…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                Some(Ok(None)) => view! {
                    <section class="card" data-testid="no-tour">
                        <p>{i18n.t("tour.none")}</p>
                        {download_button()}
                    </section>
                }.into_any(),
                Some(Ok(Some(t))) => {
                    let percent = (t.stops_done * 100).checked_div(t.stops_total).unwrap_or(100);
                    let finished = t.current_stop_id.is_none();
                    view! {
                        <section class="card" data-testid="tour-summary">
                            <p class="muted">{i18n.t("tour.station")} " " {t.station_name.clone()} " · " {t.date.clone()}</p>
                            <p data-testid="tour-progress" data-done=t.stops_done data-total=t.stops_total>
                                {i18n.tf("tour.progress", &[
                                    ("done", t.stops_done.to_string()),
                                    ("total", t.stops_total.to_string()),
                                    ("open", t.parcels_open.to_string()),
                                ])}
                            </p>
                            <div class="bar"><div class="fill" style=format!("width: {percent}%")></div></div>
                            {if finished {
                                view! { <p class="ok" data-testid="tour-finished">{i18n.t("tour.finished")}</p> }.into_any()
                            } else {
                                view! {
                                    <button class="primary" data-testid="go-current" on:click=move |_| nav.screen.set(Screen::Stop(None))>
                                        {i18n.t("tour.start")}
                                    </button>
                                }.into_any()
                            }}
                        </section>
                        <ol class="stops">
                            {t.stops.into_iter().map(|s| {
                                let id = s.stop_id.clone();
                                let current = t.current_stop_id.as_deref() == Some(s.stop_id.as_str());
                                view! {
                                    <li class="stopline" class:current=current data-testid="stop-line"
                                        data-stop-id=s.stop_id.clone() data-state=state_attr(s.state)
                                        on:click=move |_| nav.screen.set(Screen::Stop(Some(id.clone())))>
                                        <span class="seq">{s.sequence}</span>
                                        <span class="addr">
                                            <strong>{s.address.clone()}</strong>
                                            {s.name.clone().map(|n| view! { <br /><span class="muted">{n}</span> })}
                                        </span>
                                        <span class=format!("pill {}", state_attr(s.state))>{i18n.t(state_key(s.state))}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }
            }}
        </section>
    }
}
