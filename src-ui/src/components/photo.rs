//! Photos as proof: the platform's camera or file chooser (`<input type=file accept=image/*>`;
//! on phones it offers the camera). The bytes go to the shell as base64, which downscales
//! them to at most 1600 px JPEG before storing; the screen only keeps a preview.

use base64::Engine;
use lastmile_protocol::ui::UiError;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::use_i18n;

/// The first file of a file input's change event, as base64 and a preview URL.
pub async fn chosen_file(ev: &web_sys::Event) -> Option<Result<(String, String), UiError>> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    let read = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
    Some(match read {
        Ok(buffer) => {
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            let preview = web_sys::Url::create_object_url_with_blob(&file).unwrap_or_default();
            Ok((
                base64::engine::general_purpose::STANDARD.encode(bytes),
                preview,
            ))
        }
        Err(e) => Err(UiError {
            code: "photo.unreadable".into(),
            message: format!("{e:?}"),
        }),
    })
}

/// A photo field: choose or take a picture, see it, take it away again. `photo` holds the
/// base64 the action sends; `testid` names the field for tests.
#[component]
pub fn PhotoInput(
    photo: RwSignal<Option<String>>,
    #[prop(into)] label_key: String,
    #[prop(into)] testid: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let preview = RwSignal::new(None::<String>);
    let read = Action::new_local(|ev: &web_sys::Event| {
        let ev = ev.clone();
        async move { chosen_file(&ev).await }
    });
    Effect::new(move |_| {
        if let Some(Some(Ok((b64, url)))) = read.value().get() {
            photo.set(Some(b64));
            preview.set(Some(url));
        }
    });
    let error = move || read.value().get().flatten().and_then(Result::err);
    let on_change = move |ev: web_sys::Event| {
        read.dispatch(ev);
    };
    view! {
        <div class="photo-field">
            <label class="file-button">
                <span>{move || i18n.t(&label_key)}</span>
                <input type="file" accept="image/*" capture="environment" data-testid=testid on:change=on_change />
            </label>
            {move || preview.get().map(|url| view! {
                <div class="preview">
                    <img src=url alt="" data-testid="photo-preview" />
                    <button class="secondary" on:click=move |_| { photo.set(None); preview.set(None); }>
                        {move || i18n.t("photo-remove")}
                    </button>
                </div>
            })}
            {move || error().map(|e| view! { <crate::components::error_box::ErrorBox error=e /> })}
        </div>
    }
}
