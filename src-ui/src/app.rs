//! The app frame: which screen shows, the language and high-contrast toggles (kept on the
//! device across restarts), the always-visible sync bar and the undo banner. Screens talk to
//! each other only through [`Nav`] in the context.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::error_box::ErrorBox;
use crate::components::privacy::KeysInFiles;
use crate::components::sync_bar::SyncBar;
use crate::i18n::{I18n, Lang, use_i18n};
use crate::pages::about::AboutPage;
use crate::pages::offers::{EarningsPage, OffersPage};
use crate::pages::ride::RideHome;
use crate::pages::sign_in::SignIn;
use crate::pages::station::StationHome;
use crate::pages::stop::StopPage;
use crate::pages::summary::SummaryPage;
use crate::pages::tour::TourPage;
use lastmile_protocol::auth::Role;
use lastmile_protocol::ui::{UiError, UiSettings};

/// The screens of the driver's day.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Asking the shell who is signed in.
    Starting,
    SignIn,
    Tour,
    /// A stop: `None` = the current one.
    Stop(Option<String>),
    /// The end-of-tour summary.
    Summary,
    /// Version, device, credits and display settings.
    About,
    /// The station tablet (a station lead signed in): its screens live in `pages::station`.
    Station,
    /// The supervisor's ride-along: its screens live in `pages::ride`.
    Ride,
    /// The flex driver's blocks on offer, requests, results (`pages::offers`).
    Offers,
    /// The flex driver's earnings of the week.
    Earnings,
}

impl Screen {
    /// Where a signed-in person lands: the mode follows the role chosen at sign-in.
    pub fn landing(role: Role, has_tour: bool) -> Self {
        match role {
            Role::Driver if has_tour => Screen::Stop(None),
            Role::Driver => Screen::Tour,
            Role::Station => Screen::Station,
            Role::Supervisor => Screen::Ride,
            Role::Flex => Screen::Offers,
        }
    }

    /// A screen of the driver's day (the tabs belong to these).
    fn is_drivers(&self) -> bool {
        matches!(self, Screen::Tour | Screen::Stop(_) | Screen::Summary)
    }
}

/// The screen to return to from About (it is reachable from every screen).
#[derive(Debug, Clone, Copy)]
pub struct Previous {
    screen: RwSignal<Screen>,
    nav: Nav,
}

impl Previous {
    /// Opens About, remembering where the driver was.
    pub fn open_about(&self) {
        let here = self.nav.screen.get_untracked();
        if here != Screen::About {
            self.screen.set(here);
            self.nav.screen.set(Screen::About);
        }
    }

    /// Back to the screen About was opened from.
    pub fn go_back(&self) {
        self.nav.screen.set(self.screen.get_untracked());
    }
}

/// The driver's display settings (the language lives in [`I18n`]), saved on the device
/// through the shell whenever the driver changes one.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub high_contrast: RwSignal<bool>,
    /// Glove mode: larger targets.
    pub gloves: RwSignal<bool>,
    i18n: I18n,
    /// The driver changed something before the saved settings arrived: keep their choice.
    touched: RwSignal<bool>,
}

impl Settings {
    fn new(i18n: I18n) -> Self {
        Self {
            high_contrast: RwSignal::new(false),
            gloves: RwSignal::new(false),
            i18n,
            touched: RwSignal::new(false),
        }
    }

    /// Applies the settings saved on the device (unless the driver was quicker).
    fn apply(&self, saved: &UiSettings) {
        if self.touched.get_untracked() {
            return;
        }
        self.i18n
            .lang
            .set(Lang::from_code(&saved.lang).unwrap_or(Lang::En));
        self.high_contrast.set(saved.high_contrast);
        self.gloves.set(saved.gloves);
    }

    pub fn toggle_gloves(&self) {
        self.gloves.update(|on| *on = !*on);
        self.save();
    }

    pub fn toggle_contrast(&self) {
        self.high_contrast.update(|on| *on = !*on);
        self.save();
    }

    pub fn set_lang(&self, lang: Lang) {
        self.i18n.lang.set(lang);
        self.save();
    }

    fn save(&self) {
        self.touched.set(true);
        let settings = UiSettings {
            lang: self.i18n.lang.get_untracked().code().to_owned(),
            high_contrast: self.high_contrast.get_untracked(),
            gloves: self.gloves.get_untracked(),
        };
        spawn_local(async move {
            if let Err(e) = api::save_ui_settings(settings).await {
                // The choice still applies now; only the next start would not know it.
                leptos::logging::warn!("display settings not saved: {} {}", e.code, e.message);
            }
        });
    }
}

/// An outcome the driver can still take back.
#[derive(Debug, Clone, PartialEq)]
pub struct Undoable {
    pub event_id: String,
    /// Catalog key of the banner text (`undo-delivered`, `undo-failed`).
    pub text_key: &'static str,
    pub tracking_id: String,
    pub warnings: Vec<String>,
}

/// Navigation and shared signals, provided to every screen.
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    pub screen: RwSignal<Screen>,
    pub undo: RwSignal<Option<Undoable>>,
    /// Fires after every recorded action and when dispatch's edits arrive: the screens'
    /// resources and the sync bar track it and load again.
    pub changed: Trigger,
    /// A message shown once in the banner (e.g. "undone").
    pub notice: RwSignal<Option<String>>,
}

impl Nav {
    pub fn bump(&self) {
        self.changed.notify();
    }
}

/// Seconds the undo banner stays, counting down on screen (the store allows longer; the
/// banner is the quick path, the stop's "Correct" the later one).
const UNDO_SECONDS: u64 = 10;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::provide();
    let nav = Nav {
        screen: RwSignal::new(Screen::Starting),
        undo: RwSignal::new(None),
        changed: Trigger::new(),
        notice: RwSignal::new(None),
    };
    provide_context(nav);
    let previous = Previous {
        screen: RwSignal::new(Screen::Starting),
        nav,
    };
    provide_context(previous);
    let settings = Settings::new(i18n);
    provide_context(settings);
    crate::geo::watch();

    // Language and theme first, so the first screen already shows in the driver's choice;
    // then who is signed in decides the first screen.
    let start =
        LocalResource::new(|| async { (api::ui_settings().await, api::session_state().await) });
    Effect::new(move |_| {
        let Some((saved, session)) = start.get() else {
            return;
        };
        if let Ok(saved) = saved {
            settings.apply(&saved);
        }
        nav.screen.set(match session {
            Ok(s) if s.signed_in => Screen::landing(s.role.unwrap_or(Role::Driver), s.has_tour),
            Ok(_) | Err(_) => Screen::SignIn,
        });
    });
    let start_error = move || start.get().and_then(|(_, session)| session.err());

    // The banner closes by itself after UNDO_SECONDS; a newer outcome restarts the clock.
    Effect::new(move |_| {
        if let Some(u) = nav.undo.get() {
            let id = u.event_id.clone();
            set_timeout(
                move || {
                    if nav.undo.get_untracked().is_some_and(|u| u.event_id == id) {
                        nav.undo.set(None);
                    }
                },
                std::time::Duration::from_secs(UNDO_SECONDS),
            );
        }
    });

    // The document itself speaks the driver's language: `lang` for fonts and screen readers,
    // `dir` so that Arabic mirrors the whole layout (the CSS uses logical properties).
    Effect::new(move |_| {
        let lang = i18n.lang.get();
        if let Some(root) = document().document_element() {
            let set = |name: &str, value: &str| {
                if let Err(e) = root.set_attribute(name, value) {
                    leptos::logging::warn!("<html {name}>: {e:?}");
                }
            };
            set("lang", lang.code());
            set("dir", lang.dir());
        }
    });
    // A flex driver on the tour screens gets a tab back to their offers.
    let who = LocalResource::new(move || {
        nav.screen.track();
        api::session_state()
    });
    let flex = move || matches!(who.get(), Some(Ok(s)) if s.role == Some(Role::Flex));
    // About is reachable before sign-in too; the tabs show only in the driver's mode.
    let drivers_tabs = move || match nav.screen.get() {
        Screen::About => previous.screen.get().is_drivers(),
        here => here.is_drivers(),
    };

    view! {
        <div class="frame" class:contrast=move || settings.high_contrast.get()
            class:gloves=move || settings.gloves.get()
            data-theme=move || if settings.high_contrast.get() { "contrast" } else { "normal" }
            lang=move || i18n.lang.get().code() dir=move || i18n.lang.get().dir()>
            <header class="topbar">
                <h1 data-testid="app-title">{move || i18n.t("app-title")}</h1>
                <div class="topactions">
                    <button class="topbtn" data-testid="contrast-toggle"
                        aria-pressed=move || settings.high_contrast.get().to_string()
                        aria-label=move || i18n.t("theme-contrast") title=move || i18n.t("theme-contrast")
                        on:click=move |_| settings.toggle_contrast()>"☀"</button>
                    <button class="topbtn" data-testid="nav-about"
                        class:active=move || nav.screen.get() == Screen::About
                        on:click=move |_| previous.open_about()>{move || i18n.t("nav-about")}</button>
                    <LangPicker testid="lang-picker" class="lang" />
                </div>
            </header>
            <Show when=drivers_tabs>
                <nav class="tabs">
                    <button data-testid="nav-tour"
                        class:active=move || nav.screen.get() == Screen::Tour
                        on:click=move |_| nav.screen.set(Screen::Tour)>{move || i18n.t("nav-tour")}</button>
                    <button data-testid="nav-stop"
                        class:active=move || matches!(nav.screen.get(), Screen::Stop(_))
                        on:click=move |_| nav.screen.set(Screen::Stop(None))>{move || i18n.t("nav-stop")}</button>
                    <button data-testid="nav-summary"
                        class:active=move || nav.screen.get() == Screen::Summary
                        on:click=move |_| nav.screen.set(Screen::Summary)>{move || i18n.t("nav-summary")}</button>
                    <Show when=flex>
                        <button data-testid="nav-offers-tab"
                            on:click=move |_| nav.screen.set(Screen::Offers)>{move || i18n.t("offers-nav-offers")}</button>
                    </Show>
                </nav>
            </Show>
            // Status on top (sticky), so it never covers the buttons at the end of a screen.
            <div class="status-stack">
                <SyncBar />
                <UndoBanner />
            </div>
            <main class="app">
                <KeysInFiles />
                {move || start_error().map(|e| view! { <ErrorBox error=e /> })}
                {move || match nav.screen.get() {
                    Screen::Starting => view! { <p class="muted">"…"</p> }.into_any(),
                    Screen::SignIn => view! { <SignIn /> }.into_any(),
                    Screen::Tour => view! { <TourPage /> }.into_any(),
                    Screen::Stop(id) => view! { <StopPage stop_id=id /> }.into_any(),
                    Screen::Summary => view! { <SummaryPage /> }.into_any(),
                    Screen::About => view! { <AboutPage /> }.into_any(),
                    Screen::Station => view! { <StationHome /> }.into_any(),
                    Screen::Ride => view! { <RideHome /> }.into_any(),
                    Screen::Offers => view! { <OffersPage /> }.into_any(),
                    Screen::Earnings => view! { <EarningsPage /> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// The language picker: every language in its own name; the choice is saved on the device.
#[component]
pub fn LangPicker(testid: &'static str, class: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let settings = expect_context::<Settings>();
    let pick = move |ev: leptos::ev::Event| {
        if let Some(lang) = Lang::from_code(&event_target_value(&ev)) {
            settings.set_lang(lang);
        }
    };
    view! {
        <select class=class data-testid=testid aria-label=move || i18n.t("lang-label")
            title=move || i18n.t("lang-label") on:change=pick>
            {Lang::ALL.into_iter().map(|l| view! {
                <option value=l.code() lang=l.code() dir=l.dir()
                    selected=move || i18n.lang.get() == l>{l.native_name()}</option>
            }).collect_view()}
        </select>
    }
}

/// "Recorded … — Undo" for a few seconds after each outcome.
#[component]
fn UndoBanner() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let undo = Action::new_local(move |u: &Undoable| {
        let u = u.clone();
        async move {
            api::undo(&u.event_id).await?;
            nav.undo.set(None);
            nav.notice.set(Some(
                i18n.tf("undo-done", &[("id", u.tracking_id.clone().into())]),
            ));
            nav.bump();
            Ok::<(), UiError>(())
        }
    });
    let error = move || undo.value().get().and_then(Result::err);
    // Seconds the banner still offers undo, counted down on screen; each new outcome
    // starts again (after that the stop's "Correct" is the way).
    let left = RwSignal::new(UNDO_SECONDS);
    Effect::new(move |previous: Option<Option<IntervalHandle>>| {
        if let Some(Some(h)) = previous {
            h.clear();
        }
        left.set(UNDO_SECONDS);
        nav.undo.with(Option::is_some).then(|| {
            set_interval_with_handle(
                move || left.update(|s| *s = s.saturating_sub(1)),
                std::time::Duration::from_secs(1),
            )
            .ok()
        })?
    });
    view! {
        {move || nav.undo.get().map(|u| view! {
            <div class="banner" data-testid="undo-banner">
                <span>{i18n.tf(u.text_key, &[("id", u.tracking_id.clone().into())])}</span>
                <span class="left" data-testid="undo-left">{move || i18n.tf("undo-remaining", &[("s", left.get().into())])}</span>
                {u.warnings.iter().map(|w| view! {
                    <span class="warn" data-testid="warning">{i18n.t(&format!("warn-{w}"))}</span>
                }).collect_view()}
                <button class="secondary" data-testid="undo" disabled=move || undo.pending().get()
                    on:click=move |_| if let Some(u) = nav.undo.get_untracked() { undo.dispatch(u); }>{i18n.t("undo-button")}</button>
            </div>
        })}
        {move || nav.undo.get().is_none().then(|| nav.notice.get()).flatten().map(|n| view! {
            <div class="banner notice" data-testid="notice">{n}</div>
        })}
        {move || error().map(|e| view! { <ErrorBox error=e /> })}
    }
}
