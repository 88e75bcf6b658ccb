//! Guidance to the stop on screen: distance and direction from where the device is, ETA,
//! the route's maneuvers with the next one highlighted, and "Navigate", which hands the
//! destination to the system's maps app. Refreshes every few seconds while shown.

use lastmile_protocol::ui::{GuidanceUi, ManeuverDto, RouteLegDto};
use leptos::prelude::*;
use std::time::Duration;

use crate::api;
use crate::components::error_box::ErrorBox;
use crate::format::{distance, time};
use crate::i18n::{I18n, use_i18n};

/// How often the position is asked again.
const REFRESH_MS: u64 = 2_000;

/// The compass point of a bearing (`n` … `nw`), which `guide-distance` turns into a
/// sentence.
fn compass(bearing: f64) -> &'static str {
    const KEYS: [&str; 8] = ["n", "ne", "e", "se", "s", "sw", "w", "nw"];
    KEYS[(((bearing.rem_euclid(360.0) + 22.5) / 45.0) as usize) % 8]
}

/// One maneuver in the driver's words, from the catalog in the driver's language: the
/// router's instruction text is in the router's language, so it is only the fallback for a
/// maneuver kind the catalog does not know.
fn maneuver_text(i18n: I18n, m: &ManeuverDto) -> String {
    let known = |key: &str| i18n.has(key).then(|| i18n.t(key));
    let turn = m
        .modifier
        .as_deref()
        .and_then(|d| known(&format!("turn-{d}")));
    let way = m
        .modifier
        .as_deref()
        .and_then(|d| known(&format!("way-{d}")));
    let what = match m.kind.as_str() {
        // Plain turns: the direction says it all ("Turn left", "Go straight on").
        "turn" | "new_name" | "continue" | "use_lane" => turn.or_else(|| known("turn-continue")),
        "roundabout" | "rotary" | "roundabout_turn" => Some(match m.exit {
            Some(n) => i18n.tf("turn-roundabout_exit", &[("n", n.into())]),
            None => i18n.t("turn-roundabout"),
        }),
        kind => known(&format!("turn-{kind}")).map(|what| match way {
            Some(way) => i18n.tf(
                "turn-with_way",
                &[("what", what.into()), ("way", way.into())],
            ),
            None => what,
        }),
    };
    let what = what
        .or_else(|| m.instruction.clone())
        .unwrap_or_else(|| i18n.t("turn-continue"));
    match &m.street {
        Some(street) => format!("{what} – {street}"),
        None => what,
    }
}

#[component]
pub fn Guidance(stop_id: String, route: Option<RouteLegDto>) -> impl IntoView {
    let i18n = use_i18n();
    // Asked again every REFRESH_MS while the stop is on screen.
    let tick = Trigger::new();
    let guide_stop = stop_id.clone();
    let guidance = LocalResource::new(move || {
        tick.track();
        let stop_id = guide_stop.clone();
        async move { api::guidance(&stop_id).await }
    });
    // The last answer that came; an error keeps the one before on screen.
    let g = Memo::new(
        move |before: Option<&Option<GuidanceUi>>| match guidance.get() {
            Some(Ok(answer)) => answer,
            _ => before.cloned().flatten(),
        },
    );
    match set_interval_with_handle(move || tick.notify(), Duration::from_millis(REFRESH_MS)) {
        Ok(timer) => on_cleanup(move || timer.clear()),
        Err(e) => leptos::logging::warn!("guidance cannot refresh: {e:?}"),
    }

    let navigate = Action::new_local(move |stop_id: &String| {
        let stop_id = stop_id.clone();
        async move { api::navigate(&stop_id).await }
    });
    let nav_done = move || navigate.value().get().and_then(Result::ok);
    let nav_error = move || navigate.value().get().and_then(Result::err);

    let maneuvers = route.map(|r| r.maneuvers).unwrap_or_default();
    view! {
        <section class="card guidance" data-testid="guidance">
            {move || match g.get() {
                None => view! { <p class="muted" data-testid="distance">{i18n.t("guide-no_position")}</p> }.into_any(),
                Some(g) => {
                    let arrow = format!("transform: rotate({:.0}deg)", g.bearing_deg);
                    view! {
                        <div class="guide-row">
                            <span class="arrow" style=arrow aria-hidden="true">"↑"</span>
                            <div>
                                <p class="big" data-testid="distance" data-metres=format!("{:.0}", g.distance_m)>
                                    {if g.inside_geofence {
                                        i18n.t("guide-here")
                                    } else {
                                        i18n.tf("guide-distance", &[
                                            ("d", distance(g.distance_m, i18n.lang.get()).into()),
                                            ("dir", compass(g.bearing_deg).into()),
                                        ])
                                    }}
                                </p>
                                <p class="muted" data-testid="eta" data-eta-source=eta_source_attr(&g.eta_source)>
                                    {i18n.tf("guide-eta", &[("t", time(g.eta_stop, i18n.lang.get()).into()), ("end", time(g.eta_tour_end, i18n.lang.get()).into())])}
                                    " · " {match g.road_m {
                                        Some(m) => i18n.tf("guide-eta-road", &[("d", distance(m, i18n.lang.get()).into())]),
                                        None => i18n.t("guide-eta-straight"),
                                    }}
                                    " · " {i18n.t(&format!("guide-source-{}", g.source))}
                                </p>
                            </div>
                        </div>
                    }.into_any()
                }
            }}
            <button class="primary" data-testid="navigate" on:click=move |_| { navigate.dispatch(stop_id.clone()); }>{move || i18n.t("guide-navigate")}</button>
            {move || nav_done().map(|uri| view! { <p class="muted" data-testid="navigate-uri">{i18n.t("guide-opened")} " " <code>{uri}</code></p> })}
            {move || nav_error().map(|e| view! { <ErrorBox error=e /> })}
            {(!maneuvers.is_empty()).then(|| {
                let list = maneuvers.clone();
                view! {
                    <ol class="maneuvers" data-testid="maneuvers">
                        {list.into_iter().enumerate().map(|(i, m)| {
                            let d = m.distance_m;
                            let text = move || maneuver_text(i18n, &m);
                            view! {
                                <li data-testid="maneuver" class:next=move || g.get().and_then(|g| g.next_maneuver) == Some(i)
                                    data-next=move || (g.get().and_then(|g| g.next_maneuver) == Some(i)).to_string()>
                                    <span>{text}</span>
                                    {(d > 0.0).then(|| view! { <span class="muted">" · " {move || distance(d, i18n.lang.get())}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
            })}
        </section>
    }
}

/// The `data-eta-source` attribute: where the ETA comes from.
fn eta_source_attr(source: &str) -> &'static str {
    if source == "road" { "road" } else { "straight" }
}
