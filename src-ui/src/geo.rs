//! The platform's geolocation, where the webview offers it: every fix goes to the shell,
//! which prefers it over the simulated provider while it is fresh. Where there is none (or
//! permission is refused) nothing happens and the shell's provider speaks for itself.

use lastmile_protocol::ui::FixUi;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::api;

/// Starts watching the position for the lifetime of the page.
pub fn watch() {
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        return;
    };
    let on_fix = Closure::<dyn Fn(JsValue)>::new(|p: JsValue| {
        let Some(fix) = fix_of(&p) else { return };
        spawn_local(async move {
            if let Err(e) = api::report_position(fix).await {
                leptos::logging::warn!("position not taken: {}", e.message);
            }
        });
    });
    let on_error = Closure::<dyn Fn(JsValue)>::new(|_e: JsValue| {});
    let options = web_sys::PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_maximum_age(5_000);
    if geo
        .watch_position_with_error_callback_and_options(
            on_fix.as_ref().unchecked_ref(),
            Some(on_error.as_ref().unchecked_ref()),
            &options,
        )
        .is_err()
    {
        return;
    }
    on_fix.forget();
    on_error.forget();
}

/// `GeolocationPosition.coords` read field by field (the typed binding is unstable in web-sys).
fn fix_of(position: &JsValue) -> Option<FixUi> {
    let coords = js_sys::Reflect::get(position, &JsValue::from_str("coords")).ok()?;
    let number = |name: &str| {
        js_sys::Reflect::get(&coords, &JsValue::from_str(name))
            .ok()?
            .as_f64()
    };
    Some(FixUi {
        lat: number("latitude")?,
        lon: number("longitude")?,
        accuracy_m: number("accuracy"),
    })
}
