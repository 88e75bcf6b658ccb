//! The outcome dialogs: "Delivered" (the methods the parcel allows, with the proof each
//! needs), "Not delivered" (reason, notification card, what the card says, its photo) and
//! "Picked up" (a return). On success they close, offer undo and make the screens reload.

use lastmile_protocol::ui::{
    CardMessageDto, CorrectArgs, CorrectionUi, DeliverArgs, FailArgs, FailureReasonDto, MethodUi,
    ParcelLine, ParcelStateUi, PickupArgs, RecordedUi, UiError,
};
use leptos::prelude::*;

use crate::api;
use crate::app::{Nav, Undoable};
use crate::components::error_box::ErrorBox;
use crate::components::photo::PhotoInput;
use crate::components::signature::{PadHandle, SignaturePad};
use crate::i18n::use_i18n;
use crate::pages::stop::Dialog;

fn method_key(m: MethodUi) -> &'static str {
    match m {
        MethodUi::Recipient => "method-recipient",
        MethodUi::Neighbour => "method-neighbour",
        MethodUi::SafePlace => "method-safe_place",
        MethodUi::ParcelShop => "method-parcel_shop",
        MethodUi::Locker => "method-locker",
    }
}

/// The test id of a method's button.
fn method_testid(m: MethodUi) -> &'static str {
    match m {
        MethodUi::Recipient => "method-recipient",
        MethodUi::Neighbour => "method-neighbour",
        MethodUi::SafePlace => "method-safe_place",
        MethodUi::ParcelShop => "method-parcel_shop",
        MethodUi::Locker => "method-locker",
    }
}

/// Whether the recipient gets a card saying where the parcel is: a neighbour, a parcel shop
/// or a locker took it.
fn leaves_card(m: MethodUi) -> bool {
    matches!(
        m,
        MethodUi::Neighbour | MethodUi::ParcelShop | MethodUi::Locker
    )
}

/// What a dialog records.
#[derive(Debug, Clone)]
enum Outcome {
    Deliver(DeliverArgs),
    Fail(FailArgs),
    PickUp(PickupArgs),
    Correct(CorrectArgs, String),
}

impl Outcome {
    /// The undo banner's text and the number it names; `None` for a correction (it is not
    /// undone but corrected again).
    fn banner(&self) -> Option<(&'static str, String)> {
        match self {
            Outcome::Deliver(a) => Some(("undo-delivered", a.tracking_id.clone())),
            Outcome::Fail(a) => Some(("undo-failed", a.tracking_id.clone())),
            Outcome::PickUp(a) => Some(("undo-picked_up", a.label.clone())),
            Outcome::Correct(..) => None,
        }
    }

    /// The parcel a correction is about.
    fn corrected(&self) -> Option<String> {
        match self {
            Outcome::Correct(_, tracking_id) => Some(tracking_id.clone()),
            _ => None,
        }
    }

    async fn record(self) -> Result<RecordedUi, UiError> {
        match self {
            Outcome::Deliver(a) => api::deliver(a).await,
            Outcome::Fail(a) => api::fail(a).await,
            Outcome::PickUp(a) => api::pick_up(a).await,
            Outcome::Correct(a, _) => api::correct_outcome(a).await,
        }
    }
}

/// What every dialog does with its outcome (a Leptos action): one at a time, close and offer
/// undo on success, keep the dialog open with the refusal otherwise.
#[derive(Clone, Copy)]
struct Submit {
    dialog: RwSignal<Option<Dialog>>,
    action: Action<Outcome, Result<(), UiError>>,
}

impl Submit {
    fn new(dialog: RwSignal<Option<Dialog>>) -> Self {
        let nav = expect_context::<Nav>();
        let i18n = use_i18n();
        let action = Action::new_local(move |outcome: &Outcome| {
            let outcome = outcome.clone();
            async move {
                let banner = outcome.banner();
                let corrected = outcome.corrected();
                let r = outcome.record().await?;
                dialog.set(None);
                nav.notice
                    .set(corrected.map(|id| i18n.tf("correct-done", &[("id", id.into())])));
                nav.undo.set(banner.map(|(text_key, tracking_id)| Undoable {
                    event_id: r.event_id,
                    text_key,
                    tracking_id,
                    warnings: r.warnings,
                }));
                nav.bump();
                Ok(())
            }
        });
        Self { dialog, action }
    }

    fn run(self, outcome: Outcome) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch(outcome);
        }
    }

    /// Takes the last refusal off the screen once the driver changes what `track` reads: it
    /// answered the dialog as it was ("a photo is needed" must not stay under the photo).
    fn clear_error_on_change(self, track: impl Fn() + 'static) {
        let value = self.action.value();
        Effect::new(move |first_run_done: Option<()>| {
            track();
            if first_run_done.is_some() {
                value.set(None);
            }
        });
    }

    /// The refusal (if any) and the confirm / cancel buttons at the end of a dialog.
    fn footer(
        self,
        class: &'static str,
        testid: &'static str,
        label_key: &'static str,
        confirm: impl Fn() + 'static,
    ) -> impl IntoView {
        let i18n = use_i18n();
        let Submit { dialog, action } = self;
        let error = move || action.value().get().and_then(Result::err);
        view! {
            {move || error().map(|e| view! { <ErrorBox error=e /> })}
            <button class=class data-testid=testid disabled=move || action.pending().get() on:click=move |_| confirm()>
                {move || i18n.t(label_key)}
            </button>
            <button class="secondary big" data-testid="cancel" on:click=move |_| dialog.set(None)>{move || i18n.t("dialog-cancel")}</button>
        }
    }
}

/// A labelled text field bound to `value`.
#[component]
fn Field(label_key: &'static str, testid: &'static str, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>{move || i18n.t(label_key)}
            <input data-testid=testid dir="auto" prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The driver's unused cards, loaded while `wanted` says a card may be left; the first is
/// preselected in `card` (unless the driver typed one already).
fn card_stack(
    wanted: impl Fn() -> bool + 'static,
    card: RwSignal<String>,
) -> LocalResource<Result<Vec<String>, UiError>> {
    let stack = LocalResource::new(move || {
        let wanted = wanted();
        async move {
            if wanted {
                api::unused_cards().await
            } else {
                Ok(Vec::new())
            }
        }
    });
    Effect::new(move |_| {
        let first = stack.with(|s| match s {
            Some(Ok(list)) => list.first().cloned(),
            _ => None,
        });
        if let Some(first) = first
            && card.get_untracked().is_empty()
        {
            card.set(first);
        }
    });
    stack
}

/// The notification card's number: typed (or scanned into the field), the stack offered.
#[component]
fn CardField(
    stack: LocalResource<Result<Vec<String>, UiError>>,
    card: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cards = move || stack.get().and_then(Result::ok).unwrap_or_default();
    let error = move || stack.get().and_then(Result::err);
    view! {
        <label>{move || i18n.t("fail-card")}
            <input data-testid="card-number" dir="ltr" list="card-stack" inputmode="numeric" autocomplete="off"
                placeholder=move || i18n.t("fail-no_card")
                prop:value=move || card.get()
                on:input=move |ev| card.set(event_target_value(&ev)) />
            <datalist id="card-stack">
                {move || cards().into_iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}
            </datalist>
        </label>
        {move || error().map(|e| view! { <ErrorBox error=e /> })}
    }
}

/// `stop_id`/`parcel`: what is delivered; `dialog`: set to `None` to close.
#[component]
pub fn DeliverDialog(
    stop_id: String,
    parcel: ParcelLine,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let submit = Submit::new(dialog);
    let methods = parcel.allowed_methods.clone();
    let method = RwSignal::new(methods.first().copied().unwrap_or(MethodUi::Recipient));
    let name = RwSignal::new(String::new());
    let house = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<String>);
    let id_checked = RwSignal::new(false);
    let shop_name = RwSignal::new(String::new());
    let compartment = RwSignal::new(String::new());
    let pickup_code = RwSignal::new(String::new());
    let card = RwSignal::new(String::new());
    let stack = card_stack(move || leaves_card(method.get()), card);
    let pad = PadHandle::new();
    let (needs_signature, needs_id) = (parcel.signature_required, parcel.id_check);
    let tracking_id = parcel.tracking_id.clone();

    let confirm = move || {
        let m = method.get_untracked();
        let args = DeliverArgs {
            stop_id: stop_id.clone(),
            tracking_id: tracking_id.clone(),
            method: m,
            name: name.get_untracked(),
            house_number: Some(house.get_untracked()),
            place: Some(place.get_untracked()),
            shop_name: Some(shop_name.get_untracked()),
            compartment: Some(compartment.get_untracked()),
            pickup_code: Some(pickup_code.get_untracked()),
            photo: photo.get_untracked(),
            signature: matches!(m, MethodUi::Recipient | MethodUi::Neighbour)
                .then(|| pad.signature())
                .flatten(),
            id_checked: id_checked.get_untracked(),
            card_number: leaves_card(m)
                .then(|| card.get_untracked().trim().to_owned())
                .filter(|n| !n.is_empty()),
        };
        submit.run(Outcome::Deliver(args));
    };
    submit.clear_error_on_change(move || {
        method.track();
        name.track();
        house.track();
        place.track();
        shop_name.track();
        compartment.track();
        pickup_code.track();
        photo.track();
        pad.points.track();
        id_checked.track();
        card.track();
    });
    let in_person = move || matches!(method.get(), MethodUi::Recipient | MethodUi::Neighbour);

    view! {
        <div class="overlay">
            <section class="card dialog" data-testid="deliver-dialog" role="dialog">
                <h2>{move || i18n.tf("deliver-title", &[("id", parcel.tracking_id.clone().into())])}</h2>
                <div class="choices">
                    {methods.into_iter().map(|m| view! {
                        <button class="choice" data-testid=method_testid(m)
                            class:selected=move || method.get() == m
                            on:click=move |_| method.set(m)>{move || i18n.t(method_key(m))}</button>
                    }).collect_view()}
                </div>
                <Show when=in_person>
                    <Field label_key="deliver-name" testid="recipient-name" value=name />
                </Show>
                <Show when=move || method.get() == MethodUi::Neighbour>
                    <Field label_key="deliver-house_number" testid="house-number" value=house />
                    <p class="muted">{move || i18n.t("deliver-neighbour_card")}</p>
                    <CardField stack=stack card=card />
                </Show>
                <Show when=move || method.get() == MethodUi::SafePlace>
                    <Field label_key="deliver-safe_place" testid="safe-place" value=place />
                    <PhotoInput photo=photo label_key="photo-take" testid="photo" />
                </Show>
                <Show when=move || method.get() == MethodUi::ParcelShop>
                    <Field label_key="deliver-shop" testid="parcel-shop" value=place />
                    <Field label_key="deliver-shop_name" testid="shop-name" value=shop_name />
                    <p class="muted">{move || i18n.t("deliver-shop_card")}</p>
                    <CardField stack=stack card=card />
                </Show>
                <Show when=move || method.get() == MethodUi::Locker>
                    <Field label_key="deliver-locker" testid="locker-id" value=place />
                    <Field label_key="deliver-compartment" testid="locker-compartment" value=compartment />
                    <Field label_key="deliver-pickup_code" testid="pickup-code" value=pickup_code />
                    <p class="muted">{move || i18n.t("deliver-locker_card")}</p>
                    <CardField stack=stack card=card />
                </Show>
                {needs_id.then(|| view! {
                    <Show when=move || method.get() == MethodUi::Recipient>
                        <label class="check">
                            <input type="checkbox" data-testid="id-checked" prop:checked=move || id_checked.get()
                                on:change=move |ev| id_checked.set(event_target_checked(&ev)) />
                            {move || i18n.t("deliver-id_checked")}
                        </label>
                    </Show>
                })}
                {needs_signature.then(|| view! {
                    <Show when=in_person>
                        <p class="warn">{move || i18n.t("parcel-signature")}</p>
                        <SignaturePad pad=pad />
                    </Show>
                })}
                {submit.footer("primary", "confirm-deliver", "deliver-confirm", confirm)}
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

/// Why a parcel was not delivered: the reasons, each in the driver's language.
#[component]
fn ReasonSelect(testid: &'static str, reason: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label>{move || i18n.t("fail-reason")}
            <select data-testid=testid prop:value=move || reason.get()
                on:change=move |ev| reason.set(event_target_value(&ev))>
                {REASONS.iter().map(|(_, code)| view! {
                    <option value=*code selected=move || reason.get() == *code>
                        {move || i18n.t(&format!("reason-{code}"))}
                    </option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// The reason chosen in a [`ReasonSelect`].
fn reason_of(code: &str) -> FailureReasonDto {
    REASONS
        .iter()
        .find(|(_, c)| *c == code)
        .map_or(FailureReasonDto::NobodyHome, |(r, _)| *r)
}

const SAYS: [&str; 4] = [
    "next_attempt",
    "pick_up_at_station",
    "with_neighbour",
    "at_parcel_shop",
];

/// `stop_id`/`parcel`: what could not be delivered; `dialog`: set to `None` to close.
#[component]
pub fn FailDialog(
    stop_id: String,
    parcel: ParcelLine,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let submit = Submit::new(dialog);
    let reason = RwSignal::new("nobody_home".to_owned());
    let card = RwSignal::new(String::new());
    let stack = card_stack(|| true, card);
    let says = RwSignal::new("next_attempt".to_owned());
    let shop = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<String>);
    let tracking_id = parcel.tracking_id.clone();
    submit.clear_error_on_change(move || {
        reason.track();
        card.track();
        says.track();
        shop.track();
        photo.track();
    });

    let confirm = move || {
        let reason = reason_of(&reason.get_untracked());
        let number = card.get_untracked().trim().to_owned();
        let card_says = match says.get_untracked().as_str() {
            "pick_up_at_station" => CardMessageDto::PickUpAtStation,
            "at_parcel_shop" => CardMessageDto::AtParcelShop {
                shop: shop.get_untracked().trim().to_owned(),
            },
            _ => CardMessageDto::NextAttempt,
        };
        let args = FailArgs {
            stop_id: stop_id.clone(),
            tracking_id: tracking_id.clone(),
            reason,
            card_says: (!number.is_empty()).then_some(card_says),
            card_number: Some(number).filter(|n| !n.is_empty()),
            card_photo: photo.get_untracked(),
        };
        submit.run(Outcome::Fail(args));
    };

    view! {
        <div class="overlay">
            <section class="card dialog" data-testid="fail-dialog" role="dialog">
                <h2>{move || i18n.tf("fail-title", &[("id", parcel.tracking_id.clone().into())])}</h2>
                <ReasonSelect testid="fail-reason" reason=reason />
                <CardField stack=stack card=card />
                <label>{move || i18n.t("fail-says")}
                    <select data-testid="card-says" prop:value=move || says.get()
                        on:change=move |ev| says.set(event_target_value(&ev))>
                        {SAYS.iter().map(|code| view! {
                            <option value=*code selected=move || says.get() == *code>{move || i18n.t(&format!("says-{code}"))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=move || says.get() == "at_parcel_shop">
                    <Field label_key="deliver-shop" testid="card-shop" value=shop />
                </Show>
                <PhotoInput photo=photo label_key="fail-card_photo" testid="card-photo" />
                {submit.footer("danger", "confirm-fail", "fail-confirm", confirm)}
            </section>
        </div>
    }
}

/// A return handed over at the stop: the planned return `label`, with an optional photo.
#[component]
pub fn PickupDialog(
    stop_id: String,
    label: String,
    dialog: RwSignal<Option<Dialog>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let submit = Submit::new(dialog);
    let photo = RwSignal::new(None::<String>);
    let title_label = label.clone();
    let confirm = move || {
        let args = PickupArgs {
            stop_id: stop_id.clone(),
            label: label.clone(),
            photo: photo.get_untracked(),
        };
        submit.run(Outcome::PickUp(args));
    };
    view! {
        <div class="overlay">
            <section class="card dialog" data-testid="pickup-dialog" role="dialog">
                <h2>{move || i18n.tf("pickup-title", &[("id", title_label.clone().into())])}</h2>
                <p>{move || i18n.t("pickup-hint")}</p>
                <PhotoInput photo=photo label_key="photo-take_optional" testid="pickup-photo" />
                {submit.footer("primary", "confirm-pickup", "pickup-confirm", confirm)}
            </section>
        </div>
    }
}

/// "Correct this": a recorded delivery or failed attempt becomes another outcome, with the
/// driver's reason. No proof is asked for (it cannot be taken afterwards); the original
/// event and its proof stay in history, and the screens show the correction.
#[component]
pub fn CorrectDialog(parcel: ParcelLine, dialog: RwSignal<Option<Dialog>>) -> impl IntoView {
    let i18n = use_i18n();
    let submit = Submit::new(dialog);
    let methods = parcel.allowed_methods.clone();
    // Offer the other outcome first: a wrong button is the usual reason for a correction.
    let delivered = RwSignal::new(parcel.state != ParcelStateUi::Delivered);
    let method = RwSignal::new(methods.first().copied().unwrap_or(MethodUi::Recipient));
    let reason = RwSignal::new("nobody_home".to_owned());
    let (name, house, place, compartment, note) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    submit.clear_error_on_change(move || {
        delivered.track();
        method.track();
        reason.track();
        name.track();
        house.track();
        place.track();
        compartment.track();
        note.track();
    });
    let event_id = parcel.outcome_event_id.clone().unwrap_or_default();
    let tracking_id = parcel.tracking_id.clone();
    let confirm = move || {
        let to = if delivered.get_untracked() {
            CorrectionUi::Delivered {
                method: method.get_untracked(),
                name: name.get_untracked(),
                house_number: Some(house.get_untracked()),
                place: Some(place.get_untracked()),
                compartment: Some(compartment.get_untracked()),
            }
        } else {
            CorrectionUi::Failed {
                reason: reason_of(&reason.get_untracked()),
            }
        };
        let args = CorrectArgs {
            event_id: event_id.clone(),
            to,
            note: note.get_untracked(),
        };
        submit.run(Outcome::Correct(args, tracking_id.clone()));
    };
    let was = parcel.outcome_summary.clone().unwrap_or_default();
    view! {
        <div class="overlay">
            <section class="card dialog" data-testid="correct-dialog" role="dialog">
                <h2>{move || i18n.tf("correct-title", &[("id", parcel.tracking_id.clone().into())])}</h2>
                <p class="muted">{move || i18n.t("correct-recorded")} " " <span data-testid="correct-was" dir="auto">{was.clone()}</span></p>
                <div class="choices">
                    <button class="choice" data-testid="correct-to-delivered" class:selected=move || delivered.get()
                        on:click=move |_| delivered.set(true)>{move || i18n.t("correct-to_delivered")}</button>
                    <button class="choice" data-testid="correct-to-failed" class:selected=move || !delivered.get()
                        on:click=move |_| delivered.set(false)>{move || i18n.t("correct-to_failed")}</button>
                </div>
                <Show when=move || delivered.get()>
                    <div class="choices">
                        {methods.clone().into_iter().map(|m| view! {
                            <button class="choice" data-testid=method_testid(m)
                                class:selected=move || method.get() == m
                                on:click=move |_| method.set(m)>{move || i18n.t(method_key(m))}</button>
                        }).collect_view()}
                    </div>
                    <Show when=move || matches!(method.get(), MethodUi::Recipient | MethodUi::Neighbour)>
                        <Field label_key="deliver-name" testid="recipient-name" value=name />
                    </Show>
                    <Show when=move || method.get() == MethodUi::Neighbour>
                        <Field label_key="deliver-house_number" testid="house-number" value=house />
                    </Show>
                    <Show when=move || method.get() == MethodUi::SafePlace>
                        <Field label_key="deliver-safe_place" testid="safe-place" value=place />
                    </Show>
                    <Show when=move || method.get() == MethodUi::ParcelShop>
                        <Field label_key="deliver-shop" testid="parcel-shop" value=place />
                    </Show>
                    <Show when=move || method.get() == MethodUi::Locker>
                        <Field label_key="deliver-locker" testid="locker-id" value=place />
                        <Field label_key="deliver-compartment" testid="locker-compartment" value=compartment />
                    </Show>
                </Show>
                <Show when=move || !delivered.get()>
                    <ReasonSelect testid="correct-reason" reason=reason />
                </Show>
                <Field label_key="correct-note" testid="correct-note" value=note />
                {submit.footer("primary", "confirm-correct", "correct-confirm", confirm)}
            </section>
        </div>
    }
}
