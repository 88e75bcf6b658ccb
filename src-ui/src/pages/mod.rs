//! One module per screen.

pub mod about;
pub mod offers;
pub mod ride;
pub mod sign_in;
pub mod station;
pub mod stop;
pub mod summary;
pub mod tour;

use leptos::prelude::*;

use crate::api;
use crate::i18n::use_i18n;

/// "Signed in as …" for the modes' first screens (the person the device's events name).
pub fn signed_in_as() -> impl IntoView {
    let i18n = use_i18n();
    let session = LocalResource::new(api::session_state);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"…"</p> }>
            {move || session.get().and_then(Result::ok).and_then(|s| s.user_id).map(|who| {
                let user = who.clone();
                view! {
                    <p data-testid="signed-in-as" data-user=user>
                        {move || i18n.tf("signin-signed_in_as", &[("user", who.clone().into())])}
                    </p>
                }
            })}
        </Suspense>
    }
}
