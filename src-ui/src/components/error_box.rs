//! An error as the driver reads it: what happened and what to do next, translated from the
//! stable code; the English detail stays small underneath for support.

use lastmile_protocol::ui::UiError;
use leptos::prelude::*;

use crate::i18n::use_i18n;

/// `error`: the failure to explain.
#[component]
pub fn ErrorBox(error: UiError) -> impl IntoView {
    let i18n = use_i18n();
    let what = format!("err.{}", error.code);
    let hint = format!("hint.{}", error.code);
    let code = error.code.clone();
    view! {
        <section class="card error-box" data-testid="error" data-code=code>
            <p class="error">{move || if i18n.has(&what) { i18n.t(&what) } else { i18n.t("err.unknown") }}</p>
            <p>{move || if i18n.has(&hint) { i18n.t(&hint) } else { i18n.t("hint.generic") }}</p>
            <p class="muted">{error.message}</p>
        </section>
    }
}
