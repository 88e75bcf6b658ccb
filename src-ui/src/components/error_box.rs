//! An error as the driver reads it: what happened and what to do next, translated from the
//! stable code. The English detail is for support: folded away under "technical details"
//! when the code is known, shown when it is all there is to say.

use lastmile_protocol::ui::UiError;
use leptos::prelude::*;

use crate::i18n::{code_key, use_i18n};

/// `error`: the failure to explain.
#[component]
pub fn ErrorBox(error: UiError) -> impl IntoView {
    let i18n = use_i18n();
    let what = code_key("err", &error.code);
    let hint = code_key("hint", &error.code);
    let code = error.code.clone();
    let known = i18n.has(&what);
    let detail = if known {
        view! {
            <details class="muted" data-testid="error-detail">
                <summary>{move || i18n.t("err-details")}</summary>
                <p>{error.message}</p>
            </details>
        }
        .into_any()
    } else {
        view! { <p class="muted" data-testid="error-detail">{error.message}</p> }.into_any()
    };
    view! {
        <section class="card error-box" data-testid="error" data-code=code>
            <p class="error">{move || if known { i18n.t(&what) } else { i18n.t("err-unknown") }}</p>
            <p>{move || if i18n.has(&hint) { i18n.t(&hint) } else { i18n.t("hint-generic") }}</p>
            {detail}
        </section>
    }
}
