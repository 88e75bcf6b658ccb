//! Scanning at a stop: a picture of the label (camera on phones, a chosen photo or webcam
//! frame on desktop) decoded in the shell, or the number typed by hand and checked against
//! the carriers' check digits. A parcel of another stop is refused, naming that stop.

use lastmile_protocol::ui::{ScanArgs, ScanUi, UiError};
use leptos::prelude::*;

use crate::api;
use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::components::photo::chosen_file;
use crate::i18n::use_i18n;

/// What is scanned: a picture chosen in the file input, or a number typed by hand.
#[derive(Debug, Clone)]
enum ScanInput {
    Picture(web_sys::Event),
    Typed(String),
}

/// `stop_id`: the stop on screen; `found`: called with a tracking id of this stop;
/// `take_return`: called with a carrier number the tour does not know (an unplanned return).
#[component]
pub fn ScanPanel(
    stop_id: String,
    found: Callback<String>,
    take_return: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let typed = RwSignal::new(String::new());
    let scan = Action::new_local(move |input: &ScanInput| {
        let (input, stop_id) = (input.clone(), stop_id.clone());
        async move {
            match input {
                ScanInput::Picture(ev) => match chosen_file(&ev).await {
                    Some(Ok((b64, _))) => api::scan_image(ScanArgs {
                        stop_id,
                        input: b64,
                    })
                    .await
                    .map(Some),
                    Some(Err(e)) => Err(e),
                    None => Ok(None),
                },
                ScanInput::Typed(input) => api::check_entry(ScanArgs { stop_id, input })
                    .await
                    .map(Some),
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(Some(ScanUi::ThisStop { tracking_id }))) = scan.value().get() {
            found.run(tracking_id);
        }
    });
    // The last answer; a cancelled file chooser leaves the one before.
    let result = Memo::new(move |before: Option<&Option<Result<ScanUi, UiError>>>| {
        match scan.value().get() {
            Some(Ok(Some(answer))) => Some(Ok(answer)),
            Some(Err(e)) => Some(Err(e)),
            Some(Ok(None)) | None => before.cloned().flatten(),
        }
    });
    let busy = scan.pending();
    let on_image = move |ev: web_sys::Event| {
        scan.dispatch(ScanInput::Picture(ev));
    };
    let check = move || {
        scan.dispatch(ScanInput::Typed(typed.get_untracked()));
    };
    let check_click = check;

    view! {
        <section class="card scan" data-testid="scan">
            <label class="file-button primary-file">
                <span>{move || i18n.t("scan-picture")}</span>
                <input type="file" accept="image/*" capture="environment" data-testid="scan-image" on:change=on_image />
            </label>
            <div class="entry-row">
                <input data-testid="scan-entry" dir="ltr" inputmode="text" autocomplete="off"
                    placeholder=move || i18n.t("scan-placeholder")
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { check() } />
                <button class="secondary" data-testid="scan-check" disabled=move || busy.get()
                    on:click=move |_| check_click()>{move || i18n.t("scan-check")}</button>
            </div>
            {move || result.get().map(|r| match r {
                Ok(ScanUi::ThisStop { tracking_id }) => view! {
                    <p class="ok" data-testid="scan-result" data-kind="this_stop">{i18n.tf("scan-this_stop", &[("id", tracking_id.into())])}</p>
                }.into_any(),
                Ok(ScanUi::OtherStop { tracking_id, stop_id, sequence, address }) => view! {
                    <div class="refused" data-testid="scan-result" data-kind="other_stop">
                        <p class="error">{i18n.tf("scan-other_stop", &[("id", tracking_id.into()), ("n", sequence.into()), ("address", address.into())])}</p>
                        <button class="secondary big" data-testid="scan-go-stop"
                            on:click=move |_| nav.screen.set(Screen::Stop(Some(stop_id.clone())))>
                            {i18n.tf("scan-go_stop", &[("n", sequence.into())])}
                        </button>
                    </div>
                }.into_any(),
                Ok(ScanUi::NotOnTour { tracking_id, courier }) => {
                    let label = tracking_id.clone();
                    view! {
                        <div class="refused" data-testid="scan-result" data-kind="not_on_tour">
                            <p class="warn">{i18n.tf("scan-not_on_tour", &[("id", tracking_id.into()), ("courier", courier.into())])}</p>
                            <button class="secondary big" data-testid="scan-take-return"
                                on:click=move |_| take_return.run(label.clone())>{i18n.t("scan-take_return")}</button>
                        </div>
                    }.into_any()
                }
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            })}
        </section>
    }
}
