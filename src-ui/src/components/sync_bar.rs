//! The always-visible sync bar: what still waits to be sent, when the last sync was, the last
//! error, and "Sync now". Polls the shell every two seconds and after every action.

use leptos::prelude::*;

use crate::api;
use crate::app::Nav;
use crate::components::error_box::ErrorBox;
use crate::format;
use crate::i18n::{I18n, code_key, use_i18n};

const POLL: std::time::Duration = std::time::Duration::from_secs(2);
/// Work older than this is flagged: it may be missing from the station's view of the day.
const STALE_AFTER_S: u64 = 30 * 60;

#[component]
pub fn SyncBar() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    // Loads every two seconds and after every action.
    let poll = Trigger::new();
    let status = LocalResource::new(move || {
        nav.changed.track();
        poll.track();
        api::sync_status()
    });
    match set_interval_with_handle(move || poll.notify(), POLL) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(e) => leptos::logging::warn!("sync bar cannot poll: {e:?}"),
    }
    // The tour's change-feed cursor as last seen: when sync moves it, dispatch's edits arrived
    // and every screen reloads (the sync bar with them, which then finds the cursor unchanged).
    // Also the first cursor seen counts: the first answer after a sync may already carry the
    // edits that sync pulled, and the screens loaded before them.
    let cursor = StoredValue::new(None::<u64>);
    Effect::new(move |_| {
        if let Some(Ok(s)) = status.get()
            && s.tour_cursor.is_some()
            && s.tour_cursor != cursor.get_value()
        {
            cursor.set_value(s.tour_cursor);
            nav.bump();
        }
    });
    let sync_now = Action::new_local(move |_: &()| async move {
        // The answer is the status after the nudge; the bar shows it by loading again.
        let answer = api::sync_now().await;
        poll.notify();
        answer
    });
    // "What is waiting": the queue, loaded while the list is open.
    let open = RwSignal::new(false);
    let items = LocalResource::new(move || {
        let open = open.get();
        poll.track();
        async move {
            if open {
                api::waiting_items().await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let pending = move || {
        status
            .get()
            .and_then(Result::ok)
            .map_or(String::new(), |s| s.pending_events.to_string())
    };
    view! {
        <footer class="syncbar" data-testid="sync-bar" data-pending=pending
            data-cursor=move || status.get().and_then(Result::ok).and_then(|s| s.tour_cursor).map(|c| c.to_string()).unwrap_or_default()>
            <div class="syncinfo">
                {move || match status.get() {
                    None => view! { <span>"…"</span> }.into_any(),
                    Some(Err(e)) => view! {
                        <span class="error" data-testid="sync-error">{i18n.t("err-store-failed")} " " {e.message}</span>
                    }.into_any(),
                    Some(Ok(s)) => {
                        let waiting = s.pending_events + s.pending_blobs;
                        let kb = s.pending_blob_bytes.div_ceil(1024);
                        let last = s.last_success_at.map(|t| {
                            let local = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(t.timestamp_millis() as f64));
                            let hm = format!("{:02}:{:02}", local.get_hours(), local.get_minutes());
                            i18n.tf("sync-last", &[("time", hm.into())])
                        }).unwrap_or_else(|| i18n.t("sync-never"));
                        view! {
                            <span class=if waiting == 0 { "ok" } else { "warn" } data-testid="sync-pending">
                                {if waiting == 0 { i18n.t("sync-all_sent") } else { i18n.tf("sync-pending", &[("n", waiting.into())]) }}
                            </span>
                            {(kb > 0).then(|| view! { <span>" · " {i18n.tf("sync-bytes", &[("kb", kb.into())])}</span> })}
                            {s.oldest_unsent_age_s.filter(|_| waiting > 0).map(|oldest| {
                                let stale = oldest >= STALE_AFTER_S;
                                view! {
                                    <span class:warn=stale data-testid="sync-oldest" data-age-s=oldest data-stale=stale.to_string()>" · "
                                        {i18n.tf("sync-oldest", &[("age", age(oldest, i18n).into())])}</span>
                                    <button class="linkish" data-testid="sync-waiting-toggle"
                                        aria-expanded=move || open.get().to_string()
                                        on:click=move |_| open.update(|o| *o = !*o)>{i18n.t("sync-what_waits")}</button>
                                }
                            })}
                            <span class="muted" data-testid="sync-last">" · " {last}</span>
                            {(!s.online && s.running).then(|| view! {
                                <span class="warn" data-testid="sync-offline">" · " {i18n.t("sync-offline")}</span>
                            })}
                            {(s.needs_sign_in).then(|| view! { <span class="warn" data-testid="sync-needs-sign-in">" · " {i18n.t("sync-not_signed_in")}</span> })}
                            // A shared handheld: the previous driver's work is still on its way.
                            {s.others_pending.into_iter().map(|o| {
                                let text = i18n.tf("sync-others_pending", &[("n", o.events.into()), ("driver", o.driver_id.clone().into())]);
                                view! {
                                    <span class="warn" data-testid="sync-others-pending" data-driver=o.driver_id>" · " {text}</span>
                                }
                            }).collect_view()}
                            {(s.rejected_events > 0).then(|| view! {
                                <span class="warn" data-testid="sync-rejected" data-rejected=s.rejected_events>" · "
                                    {i18n.tf("sync-rejected", &[("n", s.rejected_events.into())])}</span>
                            })}
                            // Offline says it all; the failed connection is not a fault to report.
                            {s.last_error.filter(|_| s.online).map(|e| view! {
                                <span class="error" data-testid="sync-last-error">" · "
                                    {if i18n.has(&code_key("err", &e.code)) { i18n.t(&code_key("err", &e.code)) } else { i18n.t("err-server-error") }}
                                    " (" {e.message} ")"</span>
                            })}
                        }.into_any()
                    }
                }}
            </div>
            <button class="secondary" data-testid="sync-now" disabled=move || sync_now.pending().get()
                on:click=move |_| { sync_now.dispatch(()); }>{move || i18n.t("sync-now")}</button>
        </footer>
        <Show when=move || open.get()>
            <section class="card waiting" data-testid="sync-waiting">
                <h3>{move || i18n.t("sync-what_waits")}</h3>
                {move || match items.get() {
                    Some(Err(e)) => view! { <ErrorBox error=e /> }.into_any(),
                    Some(Ok(Some(list))) if !list.is_empty() => view! {
                        <ol class="waiting-list">
                            {list.into_iter().map(|w| {
                                let kind_key = format!("waiting-{}", w.kind);
                                let what = if i18n.has(&kind_key) { i18n.t(&kind_key) } else { w.kind.clone() };
                                let at = w.sequence.map(|n| i18n.tf("waiting-at_stop", &[("n", n.into())]));
                                view! {
                                    <li data-testid="waiting-item" data-kind=w.kind.clone()>
                                        <strong>{what}</strong>
                                        {at.map(|a| view! { " · " {a} })}
                                        " · " <span class="ltr">{format::bytes(w.bytes)}</span>
                                        " · " {age(w.age_s, i18n)}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Some(Ok(_)) => view! { <p class="ok">{i18n.t("sync-all_sent")}</p> }.into_any(),
                    None => view! { <p class="muted">"…"</p> }.into_any(),
                }}
            </section>
        </Show>
    }
}

/// How long something has waited: "2 h 14 min", "5 min", "< 1 min".
fn age(secs: u64, i18n: I18n) -> String {
    let (h, m) = (secs / 3600, secs % 3600 / 60);
    if h > 0 {
        i18n.tf("age-hm", &[("h", h.into()), ("m", m.into())])
    } else if m > 0 {
        i18n.tf("age-m", &[("m", m.into())])
    } else {
        i18n.t("age-under_minute")
    }
}
