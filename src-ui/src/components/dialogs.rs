//! The two outcome dialogs: "Delivered" (recipient or neighbour, as the parcel allows) and
//! "Not delivered" (reason, notification card from the driver's stack, what the card says).
//! On success they close, offer undo and make the screens reload.

use lastmile_protocol::ui::{
    CardMessageDto, DeliverArgs, FailArgs, FailureReasonDto, MethodUi, ParcelLine, RecordedUi,
    UiError,
};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::app::{Nav, Undoable};
use crate::components::error_box::ErrorBox;
use crate::i18n::use_i18n;
use crate::pages::stop::Dialog;

fn method_key(m: MethodUi) -> &'static str {
    match m {
        MethodUi::Recipient => "method.recipient",
        MethodUi::Neighbour => "method.neighbour",
        MethodUi::SafePlace => "method.safe_place",
        MethodUi::ParcelShop => "method.parcel_shop",
    }
}

fn recorded(nav: Nav, r: RecordedUi, text_key: &'static str, tracking_id: String) {
    nav.notice.set(None);
    nav.undo.set(Some(Undoable {
        event_id: r.event_id,
        text_key,
        tracking_id,
        warnings: r.warnings,
    }));
    nav.bump();
}

/// `stop_id`/`parcel`: what is delivered; `dialog`: set to `None` to close.
#[component]
pub fn DeliverDialog(
    stop_id: String,
    parcel: ParcelLine,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    // Safe place and parcel shop need a photo / shop scan, which this dialog does not offer yet.
    let methods: Vec<MethodUi> = parcel
        .allowed_methods
        .iter()
        .copied()
        .filter(|m| matches!(m, MethodUi::Recipient | MethodUi::Neighbour))
        .collect();
    let method = RwSignal::new(methods.first().copied().unwrap_or(MethodUi::Recipient));
    let name = RwSignal::new(String::new());
    let house = RwSignal::new(String::new());
    let error = RwSignal::new(None::<UiError>);
    let busy = RwSignal::new(false);
    let tracking_id = parcel.tracking_id.clone();

    let confirm = move |_| {
        busy.set(true);
        let args = DeliverArgs {
            stop_id: stop_id.clone(),
            tracking_id: tracking_id.clone(),
            method: method.get_untracked(),
            name: name.get_untracked(),
            house_number: Some(house.get_untracked()),
        };
        spawn_local(async move {
            let id = args.tracking_id.clone();
            match api::deliver(args).await {
                Ok(r) => {
                    dialog.set(None);
                    recorded(nav, r, "undo.delivered", id);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <div class="overlay">
            <section class="card dialog" data-testid="deliver-dialog" role="dialog">
                <h2>{move || i18n.tf("deliver.title", &[("id", parcel.tracking_id.clone())])}</h2>
                <div class="choices">
                    {methods.into_iter().map(|m| view! {
                        <button class="choice" data-testid=format!("method-{}", &method_key(m)[7..])
                            class:selected=move || method.get() == m
                            on:click=move |_| method.set(m)>{move || i18n.t(method_key(m))}</button>
                    }).collect_view()}
                </div>
                <label>{move || i18n.t("deliver.name")}
                    <input data-testid="recipient-name" prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <Show when=move || method.get() == MethodUi::Neighbour>
                    <label>{move || i18n.t("deliver.house_number")}
                        <input data-testid="house-number" prop:value=move || house.get()
                            on:input=move |ev| house.set(event_target_value(&ev)) />
                    </label>
                </Show>
                {move || error.get().map(|e| view! { <ErrorBox error=e /> })}
                <button class="primary" data-testid="confirm-deliver" disabled=move || busy.get() on:click=confirm.clone()>
                    {move || i18n.t("deliver.confirm")}
                </button>
                <button class="secondary big" data-testid="cancel" on:click=move |_| dialog.set(None)>{move || i18n.t("dialog.cancel")}</button>
            </section>
        </div>
    }
}

const REASONS: [(FailureReasonDto, &str); 7] = [
    (FailureReasonDto::NobodyHome, "nobody_home"),
    (FailureReasonDto::Refused, "refused"),
    (FailureReasonDto::Damaged, "damaged"),
    (FailureReasonDto::AddressNotFound, "address_not_found"),
    (FailureReasonDto::NoAccess, "no_access"),
    (FailureReasonDto::BusinessClosed, "business_closed"),
    (FailureReasonDto::OutOfTime, "out_of_time"),
];

/// `stop_id`/`parcel`: what could not be delivered; `dialog`: set to `None` to close.
#[component]
pub fn FailDialog(
    stop_id: String,
    parcel: ParcelLine,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let reason = RwSignal::new("nobody_home".to_owned());
    let cards = RwSignal::new(Vec::<String>::new());
    let card = RwSignal::new(String::new());
    let says = RwSignal::new("next_attempt".to_owned());
    let error = RwSignal::new(None::<UiError>);
    let busy = RwSignal::new(false);
    let tracking_id = parcel.tracking_id.clone();

    spawn_local(async move {
        match api::unused_cards().await {
            Ok(list) => {
                if let Some(first) = list.first() {
                    card.set(first.clone());
                }
                cards.set(list);
            }
            Err(e) => error.set(Some(e)),
        }
    });

    let confirm = move |_| {
        busy.set(true);
        let code = reason.get_untracked();
        let reason = REASONS
            .iter()
            .find(|(_, c)| *c == code)
            .map_or(FailureReasonDto::NobodyHome, |(r, _)| *r);
        let number = card.get_untracked();
        let args = FailArgs {
            stop_id: stop_id.clone(),
            tracking_id: tracking_id.clone(),
            reason,
            card_says: (!number.is_empty()).then(|| match says.get_untracked().as_str() {
                "pick_up_at_station" => CardMessageDto::PickUpAtStation,
                _ => CardMessageDto::NextAttempt,
            }),
            card_number: Some(number).filter(|n| !n.is_empty()),
        };
        spawn_local(async move {
            let id = args.tracking_id.clone();
            match api::fail(args).await {
                Ok(r) => {
                    dialog.set(None);
                    recorded(nav, r, "undo.failed", id);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };

    view! {
        <div class="overlay">
            <section class="card dialog" data-testid="fail-dialog" role="dialog">
                <h2>{move || i18n.tf("fail.title", &[("id", parcel.tracking_id.clone())])}</h2>
                <label>{move || i18n.t("fail.reason")}
                    <select data-testid="fail-reason" prop:value=move || reason.get()
                        on:change=move |ev| reason.set(event_target_value(&ev))>
                        {REASONS.iter().map(|(_, code)| view! {
                            <option value=*code selected=move || reason.get() == *code>
                                {move || i18n.t(&format!("reason.{code}"))}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t("fail.card")}
                    <select data-testid="card-number" prop:value=move || card.get()
                        on:change=move |ev| card.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t("fail.no_card")}</option>
                        {move || cards.get().into_iter().map(|n| view! {
                            <option value=n.clone() selected={let n = n.clone(); move || card.get() == n}>{n.clone()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{move || i18n.t("fail.says")}
                    <select data-testid="card-says" prop:value=move || says.get()
                        on:change=move |ev| says.set(event_target_value(&ev))>
                        <option value="next_attempt">{move || i18n.t("says.next_attempt")}</option>
                        <option value="pick_up_at_station">{move || i18n.t("says.pick_up_at_station")}</option>
                    </select>
                </label>
                {move || error.get().map(|e| view! { <ErrorBox error=e /> })}
                <button class="danger" data-testid="confirm-fail" disabled=move || busy.get() on:click=confirm.clone()>
                    {move || i18n.t("fail.confirm")}
                </button>
                <button class="secondary big" data-testid="cancel" on:click=move |_| dialog.set(None)>{move || i18n.t("dialog.cancel")}</button>
            </section>
        </div>
    }
}
