//! The warning shown on every screen while the app keeps its keys in files instead of the
//! platform keystore (test and demo mode, `LASTMILE_KEY_DIR`; issue 16).

use leptos::prelude::*;

use crate::api;
use crate::i18n::use_i18n;

#[component]
pub fn KeysInFiles() -> impl IntoView {
    let i18n = use_i18n();
    let status = LocalResource::new(api::app_status);
    let on = move || {
        status
            .get()
            .and_then(Result::ok)
            .is_some_and(|s| s.keys_in_files)
    };
    view! {
        <Transition fallback=|| ()>
            <Show when=on>
                <p class="warn keys-in-files" data-testid="privacy-keys-in-files">
                    {move || i18n.t("privacy-keys-in-files")}
                </p>
            </Show>
        </Transition>
    }
}
