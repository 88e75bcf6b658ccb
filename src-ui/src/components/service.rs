//! The service panel of a service stop (issue 14): a scheduled job at the customer's home.
//! Start records the start time; then each checklist item is answered done / not done with
//! an optional note, an optional photo is taken, the customer writes their name and signs;
//! Finish records it all (the store refuses a finish with an item unanswered, without the
//! name or without the signature, and the panel says which). Once finished the panel shows
//! what was recorded.

use chrono::{DateTime, Utc};
use lastmile_protocol::service::ui::{
    ServiceAnswerUi, ServiceFinishArgs, ServiceItemUi, ServiceVisitUi,
};
use lastmile_protocol::ui::{RecordedUi, UiError};
use leptos::prelude::*;
use serde::Serialize;

use crate::api::invoke;
use crate::app::Nav;
use crate::components::error_box::ErrorBox;
use crate::components::photo::PhotoInput;
use crate::components::signature::{PadHandle, SignaturePad};
use crate::format::time;
use crate::i18n::use_i18n;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StopArg<'a> {
    stop_id: &'a str,
}

#[derive(Serialize)]
struct FinishArg {
    args: ServiceFinishArgs,
}

async fn visit(stop_id: String) -> Result<ServiceVisitUi, UiError> {
    invoke("service_visit", &StopArg { stop_id: &stop_id }).await
}

async fn start(stop_id: String) -> Result<RecordedUi, UiError> {
    invoke("service_start", &StopArg { stop_id: &stop_id }).await
}

async fn finish(args: ServiceFinishArgs) -> Result<RecordedUi, UiError> {
    invoke("service_finish", &FinishArg { args }).await
}

/// The planned duration in whole minutes (at least one).
pub fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60).max(1)
}

/// The panel of the service stop `stop_id`.
#[component]
pub fn ServicePanel(stop_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let sid = StoredValue::new(stop_id);
    let loaded = LocalResource::new(move || {
        nav.changed.track();
        visit(sid.get_value())
    });
    // What the driver entered, kept across reloads of the visit.
    let answers = RwSignal::new(Vec::<ServiceAnswerUi>::new());
    let customer = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<String>);
    let pad = PadHandle::new();
    Effect::new(move |_| {
        if let Some(Ok(v)) = loaded.get()
            && answers.with_untracked(Vec::is_empty)
        {
            answers.set(
                v.items
                    .iter()
                    .map(|i| ServiceAnswerUi {
                        item_id: i.item_id.clone(),
                        done: None,
                        note: None,
                    })
                    .collect(),
            );
        }
    });
    let start_action = Action::new_local(|id: &String| start(id.clone()));
    let finish_action = Action::new_local(|args: &ServiceFinishArgs| finish(args.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = start_action.value().get() {
            nav.bump();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = finish_action.value().get() {
            nav.notice.set(Some(i18n.t("service-finished-notice")));
            nav.bump();
        }
    });
    let error = move || {
        finish_action
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| start_action.value().get().and_then(Result::err))
    };
    let set_done = move |id: String, done: bool| {
        answers.update(|list| {
            if let Some(a) = list.iter_mut().find(|a| a.item_id == id) {
                a.done = Some(done);
            }
        });
    };
    let set_note = move |id: String, note: String| {
        answers.update(|list| {
            if let Some(a) = list.iter_mut().find(|a| a.item_id == id) {
                a.note = Some(note);
            }
        });
    };
    let on_finish = move |_| {
        finish_action.dispatch(ServiceFinishArgs {
            stop_id: sid.get_value(),
            items: answers.get_untracked(),
            customer_name: customer.get_untracked(),
            signature: pad.signature(),
            photo: photo.get_untracked(),
        });
    };
    let item_row = move |item: ServiceItemUi| {
        let id = StoredValue::new(item.item_id.clone());
        let done = move || {
            answers.with(|l| {
                l.iter()
                    .find(|a| id.with_value(|i| &a.item_id == i))
                    .and_then(|a| a.done)
            })
        };
        view! {
            <li class="card service-item" data-testid="service-item" data-item=item.item_id.clone()
                data-answer=move || match done() { Some(true) => "done", Some(false) => "not_done", None => "open" }>
                <p dir="auto"><strong>{item.label.clone()}</strong></p>
                <div class="choices">
                    <button class="choice" data-testid="service-done" class:selected=move || done() == Some(true)
                        on:click=move |_| set_done(id.get_value(), true)>{move || i18n.t("service-done")}</button>
                    <button class="choice" data-testid="service-not-done" class:selected=move || done() == Some(false)
                        on:click=move |_| set_done(id.get_value(), false)>{move || i18n.t("service-not-done")}</button>
                </div>
                <label>{move || i18n.t("service-note")}
                    <input type="text" data-testid="service-note"
                        on:input=move |ev| set_note(id.get_value(), event_target_value(&ev)) />
                </label>
            </li>
        }
    };
    let recorded_row = move |item: ServiceItemUi| {
        let (state, key) = match item.done {
            Some(true) => ("done", "service-done"),
            Some(false) => ("not_done", "service-not-done"),
            None => ("open", "service-unanswered"),
        };
        view! {
            <li class="card service-item" data-testid="service-item" data-item=item.item_id.clone() data-answer=state>
                <p dir="auto"><strong>{item.label.clone()}</strong> " · " {move || i18n.t(key)}</p>
                {item.note.clone().map(|n| view! { <p class="muted" dir="auto" data-testid="service-item-note">{n}</p> })}
            </li>
        }
    };
    let at = move |t: DateTime<Utc>| time(t, i18n.lang.get());
    view! {
        <section class="card service" data-testid="service-panel">
            <h3>{move || i18n.t("service-title")}</h3>
            <Suspense fallback=move || view! { <p class="muted">{i18n.t("stop-loading")}</p> }>
                {move || loaded.get().map(|r| match r {
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                    Ok(v) => {
                        let state = match (v.started_at, v.finished_at) {
                            (_, Some(_)) => "finished",
                            (Some(_), None) => "started",
                            _ => "planned",
                        };
                        view! {
                            <div data-testid="service-visit" data-state=state>
                                {v.started_at.map(|t| view! {
                                    <p data-testid="service-started">{move || i18n.tf("service-started-at", &[("time", at(t).into())])}</p>
                                })}
                                {v.finished_at.map(|t| view! {
                                    <p class="ok" data-testid="service-finished">{move || i18n.tf("service-finished-at", &[("time", at(t).into())])}</p>
                                })}
                                {match state {
                                    "planned" => {
                                        let id = v.stop_id.clone();
                                        view! {
                                            <ul class="parcels">{v.items.into_iter().map(recorded_row).collect_view()}</ul>
                                            <button class="primary big" data-testid="service-start"
                                                on:click=move |_| { start_action.dispatch(id.clone()); }>{move || i18n.t("service-start")}</button>
                                        }.into_any()
                                    }
                                    "started" => view! {
                                        <p class="muted">{move || i18n.t("service-checklist-hint")}</p>
                                        <ul class="parcels">{v.items.into_iter().map(item_row).collect_view()}</ul>
                                        <PhotoInput photo=photo label_key="service-photo" testid="service-photo" />
                                        <label>{move || i18n.t("service-customer")}
                                            <input type="text" data-testid="service-customer" autocomplete="off"
                                                prop:value=move || customer.get()
                                                on:input=move |ev| customer.set(event_target_value(&ev)) />
                                        </label>
                                        <p>{move || i18n.t("service-sign")}</p>
                                        <SignaturePad pad=pad />
                                        <button class="primary big" data-testid="service-finish" on:click=on_finish>
                                            {move || i18n.t("service-finish")}</button>
                                    }.into_any(),
                                    _ => view! {
                                        {v.customer_name.clone().map(|n| view! {
                                            <p data-testid="service-signed-by" dir="auto">{move || i18n.tf("service-signed-by", &[("name", n.clone().into())])}</p>
                                        })}
                                        <ul class="parcels">{v.items.into_iter().map(recorded_row).collect_view()}</ul>
                                    }.into_any(),
                                }}
                            </div>
                        }.into_any()
                    }
                })}
            </Suspense>
            {move || error().map(|e| view! { <ErrorBox error=e /> })}
        </section>
    }
}
