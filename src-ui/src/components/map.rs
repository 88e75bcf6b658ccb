//! The offline map (issue 17) on the tour and stop screens: MapLibre GL JS drawing the
//! device's archive (`static/map.js` is the glue), pins as DOM elements, collapsible, with
//! the OpenStreetMap credit. Without an archive, or outside it, it says "not downloaded"
//! instead of showing a grey box; while the archive downloads it shows the progress.

use std::time::Duration;

use lastmile_protocol::ui::{MapPinUi, MapStatusUi, StopState, StopView};
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::api;
use crate::app::{Nav, Screen, Settings};
use crate::i18n::use_i18n;
use crate::pages::tour::state_attr;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = lastmileMap, js_name = show, catch)]
    fn lm_show(
        el: &web_sys::Element,
        spec: &JsValue,
        on_pin: &js_sys::Function,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = lastmileMap, js_name = hide, catch)]
    fn lm_hide(el: &web_sys::Element) -> Result<(), JsValue>;
}

/// How often the map asks where its download stands while one runs, and where the
/// driver is on the stop screen.
const POLL: Duration = Duration::from_secs(2);

#[derive(Serialize, Clone, PartialEq)]
struct Pin {
    id: String,
    seq: u32,
    lat: f64,
    lon: f64,
    state: &'static str,
    current: bool,
    label: String,
    /// The parcel-count label (stop screen).
    count: Option<String>,
}

#[derive(Serialize, Clone, PartialEq)]
struct Me {
    lat: f64,
    lon: f64,
    heading: f64,
}

#[derive(Serialize, Clone, PartialEq)]
struct LatLonJs {
    lat: f64,
    lon: f64,
}

/// What `lastmileMap.show` draws.
#[derive(Serialize, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Spec {
    pins: Vec<Pin>,
    /// The route leg, `[lon, lat]` points.
    route: Vec<[f64; 2]>,
    me: Option<Me>,
    bounds: Option<[f64; 4]>,
    focus: Option<LatLonJs>,
    contrast: bool,
    /// Changes when the map should frame its content again (tap to re-centre).
    recenter: u32,
    not_downloaded: String,
    no_webgl: String,
}

/// The map status, asked again every POLL while a download runs (started here when the
/// device has none).
fn map_status() -> LocalResource<Result<MapStatusUi, lastmile_protocol::ui::UiError>> {
    let tick = Trigger::new();
    let fetched = StoredValue::new(false);
    let status = LocalResource::new(move || {
        tick.track();
        async move {
            let s = api::map_status().await?;
            if !fetched.get_value() && matches!(s.state.as_str(), "none" | "failed") {
                fetched.set_value(true);
                return api::map_fetch().await;
            }
            Ok(s)
        }
    });
    match set_interval_with_handle(
        move || {
            if status
                .get_untracked()
                .and_then(Result::ok)
                .is_some_and(|s| s.state == "downloading")
            {
                tick.notify();
            }
        },
        POLL,
    ) {
        Ok(timer) => on_cleanup(move || timer.clear()),
        Err(e) => leptos::logging::warn!("the map cannot follow its download: {e:?}"),
    }
    status
}

/// The map frame: the header with the collapse button, the map or what stands in for it,
/// the credit. `spec` is what to draw; `on_pin` gets the tapped stop's id.
#[component]
fn MapFrame(
    spec: Signal<Option<Spec>>,
    status: LocalResource<Result<MapStatusUi, lastmile_protocol::ui::UiError>>,
    on_pin: Callback<String>,
    /// A re-centre button (the stop screen).
    recenter: Option<RwSignal<u32>>,
    /// `strip`: the stop screen's lower map under the address (below 900 px wide).
    class: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(true);
    let el = NodeRef::<leptos::html::Div>::new();
    let ready = move || {
        status
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.state == "ready")
    };
    let pin_fn = Closure::<dyn Fn(String)>::new(move |id: String| on_pin.run(id));
    let pin_fn: js_sys::Function = pin_fn.into_js_value().unchecked_into();
    let pin_fn = StoredValue::new_local(pin_fn);
    Effect::new(move |_| {
        let Some(div) = el.get() else { return };
        let Some(spec) = spec.get() else { return };
        let Ok(js) = serde_wasm_bindgen::to_value(&spec) else {
            return;
        };
        let div: web_sys::Element = div.into();
        if let Err(e) = pin_fn.with_value(|f| lm_show(&div, &js, f)) {
            leptos::logging::warn!("the map cannot be drawn: {e:?}");
        }
    });
    on_cleanup(move || {
        if let Some(div) = el.get_untracked() {
            let div: web_sys::Element = div.into();
            if let Err(e) = lm_hide(&div) {
                leptos::logging::warn!("the map was not removed: {e:?}");
            }
        }
    });
    let progress = move || {
        status.get().and_then(Result::ok).map(|s| match s.state.as_str() {
            "downloading" => {
                let percent = (s.done * 100).checked_div(s.total).unwrap_or(0);
                view! {
                    <p class="muted" data-testid="map-downloading" data-done=s.done data-total=s.total>
                        {move || i18n.tf("map-downloading", &[("percent", percent.into())])}
                        <progress max=s.total.max(1) value=s.done></progress>
                    </p>
                }
                .into_any()
            }
            "ready" => ().into_any(),
            _ => view! {
                <p class="map-plain" data-testid="map-not-downloaded">{move || i18n.t("map-not-downloaded")}</p>
            }
            .into_any(),
        })
    };
    // `LASTMILE_MAP=off`: no map at all.
    let off = move || {
        status
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.state == "off")
    };
    view! {
        <Show when=move || !off()>
        <section class=format!("card mapcard {class}") data-testid="map">
            <div class="maphead">
                <strong>{move || i18n.t("map-title")}</strong>
                {recenter.map(|r| view! {
                    <Show when=move || open.get() && ready()>
                        <button class="secondary" data-testid="map-recenter"
                            on:click=move |_| r.update(|n| *n += 1)>{move || i18n.t("map-recenter")}</button>
                    </Show>
                })}
                <button class="secondary" data-testid="map-toggle" aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { i18n.t("map-hide") } else { i18n.t("map-show") }}
                </button>
            </div>
            <Show when=move || open.get()>
                // The body keeps the map's height from the first paint, whatever the status
                // says yet: the buttons below never move under a finger (or a test's click).
                <div class="mapbody">
                    {progress}
                    <Show when=ready>
                        <div class="mapbox" node_ref=el data-testid="map-canvas"></div>
                    </Show>
                </div>
                <p class="map-credit" data-testid="map-credit">{move || i18n.t("map-credit")}</p>
            </Show>
        </section>
        </Show>
    }
}

/// The tour screen's map: every stop numbered in its status colour, the current one
/// highlighted; a tap on a pin opens that stop.
#[component]
pub fn TourMap() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let settings = expect_context::<Settings>();
    let status = map_status();
    let pins = LocalResource::new(move || {
        nav.changed.track();
        api::map_pins()
    });
    let spec = Signal::derive(move || {
        let bounds = status.get().and_then(Result::ok).and_then(|s| s.bounds);
        let pins: Vec<MapPinUi> = pins.get().and_then(Result::ok)?;
        Some(Spec {
            pins: pins
                .into_iter()
                .map(|p| Pin {
                    label: i18n.tf("map-stop", &[("n", p.sequence.into())]),
                    id: p.stop_id,
                    seq: p.sequence,
                    lat: p.lat,
                    lon: p.lon,
                    state: state_attr(p.state),
                    current: p.current,
                    count: None,
                })
                .collect(),
            route: Vec::new(),
            me: None,
            bounds,
            focus: None,
            contrast: settings.high_contrast.get(),
            recenter: 0,
            not_downloaded: i18n.t("map-not-downloaded"),
            no_webgl: i18n.t("map-no-webgl"),
        })
    });
    let on_pin = Callback::new(move |id: String| nav.screen.set(Screen::Stop(Some(id))));
    view! { <MapFrame spec=spec status=status on_pin=on_pin recenter=None class="" /> }
}

/// Compass heading from `a` to `b`, degrees from north.
fn heading(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let y = (lo2 - lo1).sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * (lo2 - lo1).cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

/// The stop screen's map: the stop's pin with its parcel count, where the driver is and
/// which way they move, and the route leg from dispatch; a tap on the pin (or
/// "Re-centre") frames them again.
#[component]
pub fn StopMap(stop: StopView) -> impl IntoView {
    let i18n = use_i18n();
    let settings = expect_context::<Settings>();
    let status = map_status();
    let tick = Trigger::new();
    let stop_id = stop.stop_id.clone();
    let guidance = LocalResource::new(move || {
        tick.track();
        let stop_id = stop_id.clone();
        async move { api::guidance(&stop_id).await }
    });
    match set_interval_with_handle(move || tick.notify(), POLL) {
        Ok(timer) => on_cleanup(move || timer.clear()),
        Err(e) => leptos::logging::warn!("the map cannot follow the driver: {e:?}"),
    }
    // Heading: the way the driver moved between the last two fixes, else towards the stop.
    let me = Memo::new(move |before: Option<&Option<Me>>| {
        let g = guidance.get().and_then(Result::ok).flatten()?;
        let here = (g.position.lat, g.position.lon);
        let moved = before
            .cloned()
            .flatten()
            .filter(|m| (m.lat, m.lon) != here)
            .map(|m| heading((m.lat, m.lon), here));
        Some(Me {
            lat: here.0,
            lon: here.1,
            heading: moved.unwrap_or(g.bearing_deg),
        })
    });
    let recenter = RwSignal::new(0u32);
    // The router's path along the roads; without one, the maneuvers joined.
    let route: Vec<[f64; 2]> = stop
        .route
        .as_ref()
        .map(|r| {
            if r.shape.len() >= 2 {
                r.shape.iter().map(|p| [p.lon, p.lat]).collect()
            } else {
                r.maneuvers
                    .iter()
                    .map(|m| [m.location.lon, m.location.lat])
                    .collect()
            }
        })
        .unwrap_or_default();
    let parcels = stop.parcels.len();
    let state = stop.state;
    let (id, seq, lat, lon) = (stop.stop_id.clone(), stop.sequence, stop.lat, stop.lon);
    let spec = Signal::derive(move || {
        let bounds = status.get().and_then(Result::ok).and_then(|s| s.bounds);
        Some(Spec {
            pins: vec![Pin {
                id: id.clone(),
                seq,
                lat,
                lon,
                state: state_attr(state),
                current: state == StopState::Open || state == StopState::Arrived,
                label: i18n.tf("map-stop", &[("n", seq.into())]),
                count: Some(i18n.tf("map-parcels", &[("n", parcels.into())])),
            }],
            route: route.clone(),
            me: me.get(),
            bounds,
            focus: None,
            contrast: settings.high_contrast.get(),
            recenter: recenter.get(),
            not_downloaded: i18n.t("map-not-downloaded"),
            no_webgl: i18n.t("map-no-webgl"),
        })
    });
    let on_pin = Callback::new(move |_: String| recenter.update(|n| *n += 1));
    view! { <MapFrame spec=spec status=status on_pin=on_pin recenter=Some(recenter) class="strip" /> }
}
