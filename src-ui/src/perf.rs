//! Timing marks for the app benchmarks (`cargo xtask bench app`).
//!
//! A mark stores, under `window.__lastmile_perf[name]`, `{epoch_ms, page_ms}`: the wall clock
//! (`Date.now()`, comparable with a timestamp taken outside the page, e.g. just before the app
//! process was spawned) and `performance.now()` (page-relative, sub-millisecond). The page's
//! own origin is kept as `window.__lastmile_perf.time_origin_ms` (`performance.timeOrigin`).
//! The first mark of a name wins, so a later re-render does not move it. Each mark is also
//! sent to the shell, which logs it (`ui mark <name> at epoch_ms=<ms>`), so a start can be
//! timed from the outside without WebDriver. Marks cost a few property writes and one IPC
//! call each (two per app start); they are always on.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
    #[wasm_bindgen(js_namespace = performance, js_name = timeOrigin, thread_local_v2)]
    static TIME_ORIGIN: f64;
    #[wasm_bindgen(js_name = requestAnimationFrame)]
    fn request_animation_frame(callback: &JsValue) -> i32;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &JsValue, ms: i32) -> i32;
    #[wasm_bindgen(js_namespace = document, js_name = querySelector)]
    fn query_selector(selector: &str) -> JsValue;

    type MutationObserver;
    #[wasm_bindgen(constructor)]
    fn new(callback: &JsValue) -> MutationObserver;
    #[wasm_bindgen(method)]
    fn observe(this: &MutationObserver, target: &JsValue, options: &JsValue);
    #[wasm_bindgen(method)]
    fn disconnect(this: &MutationObserver);
}

const KEY: &str = "__lastmile_perf";

/// Records the mark `name` now (if it was not recorded before).
pub fn mark(name: &str) {
    let window = js_sys::global();
    let key = JsValue::from_str(KEY);
    let marks = match js_sys::Reflect::get(&window, &key) {
        Ok(m) if m.is_object() => m,
        _ => {
            let m = js_sys::Object::new();
            set(&m, "time_origin_ms", TIME_ORIGIN.with(|t| *t).into());
            js_sys::Reflect::set(&window, &key, &m).ok();
            m.into()
        }
    };
    if js_sys::Reflect::has(&marks, &JsValue::from_str(name)).unwrap_or(true) {
        return;
    }
    let entry = js_sys::Object::new();
    let epoch_ms = js_sys::Date::now();
    // The shell logs it too: a start measured without WebDriver reads the app's log. (The
    // first mark comes before Leptos's executor exists, so not `leptos::task::spawn_local`.)
    let logged = name.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        crate::api::perf_mark(&logged, epoch_ms).await.ok();
    });
    set(&entry, "epoch_ms", epoch_ms.into());
    set(&entry, "page_ms", performance_now().into());
    set(&marks, name, entry.into());
}

fn set(target: &JsValue, name: &str, value: JsValue) {
    js_sys::Reflect::set(target, &JsValue::from_str(name), &value).ok();
}

/// Records `name` once the next frame is painted: a `requestAnimationFrame` callback runs just
/// before the paint, a zero timeout queued from it runs just after.
pub fn mark_after_paint(name: &str) {
    let name = name.to_owned();
    let after_paint = Closure::once_into_js(move || mark(&name));
    let before_paint = Closure::once_into_js(move |_: f64| {
        set_timeout(&after_paint, 0);
    });
    request_animation_frame(&before_paint);
}

/// Records `name` after the first paint in which an element matching `selector` is on the
/// page (watched with a MutationObserver, which is then disconnected). Screens add their
/// event handlers while they build their elements, so an element on screen is one a driver
/// can tap.
pub fn mark_when_shown(name: &'static str, selector: &'static str) {
    if !query_selector(selector).is_null() {
        mark_after_paint(name);
        return;
    }
    let on_change = Closure::<dyn FnMut(JsValue, MutationObserver)>::new(
        move |_records: JsValue, observer: MutationObserver| {
            if !query_selector(selector).is_null() {
                observer.disconnect();
                mark_after_paint(name);
            }
        },
    );
    let observer = MutationObserver::new(on_change.as_ref());
    // The observer lives as long as the page; its closure must too.
    on_change.forget();
    let options = js_sys::Object::new();
    set(&options, "childList", true.into());
    set(&options, "subtree", true.into());
    observer.observe(&query_selector("body"), &options);
}
