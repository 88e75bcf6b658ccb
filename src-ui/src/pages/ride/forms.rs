//! The supervisor's forms: an observation, the graded checklist, the end with coaching notes
//! and signature.

use lastmile_protocol::ride::ui::{RideGradeArgs, RideObserveArgs, RideSignArgs};
use lastmile_protocol::ride::{GradeDto, ObservationCategoryDto, RideStatusDto, localized};
use leptos::prelude::*;

use super::api;
use super::{RideNav, RideView};
use crate::components::error_box::ErrorBox;
use crate::components::photo::PhotoInput;
use crate::components::signature::{PadHandle, SignaturePad};
use crate::i18n::{I18n, use_i18n};

pub fn category_key(c: ObservationCategoryDto) -> &'static str {
    match c {
        ObservationCategoryDto::Safety => "ride-cat-safety",
        ObservationCategoryDto::CustomerContact => "ride-cat-customer_contact",
        ObservationCategoryDto::ProofQuality => "ride-cat-proof_quality",
        ObservationCategoryDto::Driving => "ride-cat-driving",
        ObservationCategoryDto::Handling => "ride-cat-handling",
        ObservationCategoryDto::Other => "ride-cat-other",
    }
}

pub fn category_label(i18n: I18n, c: ObservationCategoryDto) -> String {
    i18n.t(category_key(c))
}

pub fn grade_key(g: GradeDto) -> &'static str {
    match g {
        GradeDto::Trained => "ride-grade-trained",
        GradeDto::Proficient => "ride-grade-proficient",
        GradeDto::NeedsPractice => "ride-grade-needs_practice",
        GradeDto::NotObserved => "ride-grade-not_observed",
    }
}

/// An observation at a stop or for the whole day, with an optional photo.
#[component]
pub fn Observe(stop_id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let category = RwSignal::new(ObservationCategoryDto::Safety);
    let text = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<String>);
    let save = Action::new_local(|args: &RideObserveArgs| api::observe(args.clone()));
    let saved = RwSignal::new(0u32);
    Effect::new(move |_| {
        if let Some(Ok(r)) = save.value().get() {
            nav.ride.set(Some(r));
            text.set(String::new());
            photo.set(None);
            saved.update(|n| *n += 1);
        }
    });
    let stop = stop_id.clone();
    let submit = move |_| {
        save.dispatch(RideObserveArgs {
            stop_id: stop.clone(),
            category: category.get_untracked(),
            text: text.get_untracked(),
            photo_b64: photo.get_untracked(),
        });
    };
    let here = stop_id.clone();
    let title = {
        let here = here.clone();
        move || match nav.ride.get().and_then(|r| {
            r.stops
                .into_iter()
                .find(|s| Some(&s.stop_id) == here.as_ref())
        }) {
            Some(s) => i18n.tf("ride-observe_at", &[("n", s.sequence.into())]),
            None => i18n.t("ride-observe_day"),
        }
    };
    let listed = move || {
        nav.ride
            .get()
            .map(|r| {
                r.observations
                    .into_iter()
                    .filter(|o| o.stop_id == here)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <section class="card form" data-testid="ride-observe" data-stop=stop_id.clone().unwrap_or_default()>
            <h3>{title}</h3>
            <label>{move || i18n.t("ride-category")}
                <select data-testid="ride-category" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(c) = ObservationCategoryDto::ALL.into_iter().find(|c| c.as_str() == v) {
                        category.set(c);
                    }
                }>
                    {ObservationCategoryDto::ALL.into_iter().map(|c| view! {
                        <option value=c.as_str() selected=move || category.get() == c>{move || category_label(i18n, c)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{move || i18n.t("ride-text")}
                <textarea data-testid="ride-text" rows="3" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <PhotoInput photo=photo label_key="ride-photo" testid="ride-photo" />
            <button class="primary" data-testid="ride-save-observation" disabled=move || save.pending().get()
                on:click=submit>{move || i18n.t("ride-save_observation")}</button>
            {move || (saved.get() > 0).then(|| view! { <p class="ok" data-testid="ride-observation-saved">{i18n.t("ride-saved")}</p> })}
            {move || save.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
            <ul>
                {move || listed().into_iter().map(|o| view! {
                    <li data-testid="ride-observation">{category_label(i18n, o.category)}": "{o.text}
                        {o.photo.is_some().then_some(" 📷")}</li>
                }).collect_view()}
            </ul>
            {stop_id.is_some().then(|| view! {
                <button class="secondary big" data-testid="ride-back" on:click=move |_| nav.view.set(RideView::Follow)>
                    {move || i18n.t("ride-back")}
                </button>
            })}
        </section>
    }
}

/// The graded checklist from the station's template.
#[component]
pub fn Checklist() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let grade = Action::new_local(|args: &RideGradeArgs| api::grade(args.clone()));
    Effect::new(move |_| {
        if let Some(Ok(r)) = grade.value().get() {
            nav.ride.set(Some(r));
        }
    });
    let lang = move || i18n.lang.get().code().to_owned();
    let current = move |item: &str| {
        nav.ride.get().and_then(|r| {
            r.grades
                .into_iter()
                .find(|g| g.item_id == item)
                .map(|g| g.grade)
        })
    };
    view! {
        <section data-testid="ride-checklist">
            {move || grade.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
            {move || match nav.ride.get().and_then(|r| r.template) {
                None => view! { <p class="muted" data-testid="ride-no-template">{i18n.t("ride-no_template")}</p> }.into_any(),
                Some(t) => {
                    let grades = t.grades.clone();
                    let l = lang();
                    view! {
                        <h3 data-testid="ride-template" data-template=t.template_id.clone() data-version=t.version>
                            {localized(&t.title, &t.titles, &l).to_owned()}
                        </h3>
                        {t.sections.into_iter().map(|s| {
                            let grades = grades.clone();
                            let l = l.clone();
                            view! {
                                <section class="card">
                                    <h3>{localized(&s.title, &s.titles, &l).to_owned()}</h3>
                                    {s.items.into_iter().map(|item| {
                                        let grades = grades.clone();
                                        let id = item.item_id.clone();
                                        view! {
                                            <div class="ride-item" data-testid="ride-item" data-item=id.clone()>
                                                <p>{localized(&item.text, &item.texts, &l).to_owned()}</p>
                                                <div class="choices">
                                                    {grades.into_iter().map(|g| {
                                                        let id = id.clone();
                                                        let selected_id = id.clone();
                                                        let testid = format!("ride-grade-{}-{}", id, g.as_str());
                                                        view! {
                                                            <button class="choice" data-testid=testid
                                                                class:selected=move || current(&selected_id) == Some(g)
                                                                on:click=move |_| { grade.dispatch(RideGradeArgs { item_id: id.clone(), grade: g, note: None }); }>
                                                                {move || i18n.t(grade_key(g))}
                                                            </button>
                                                        }
                                                    }).collect_view()}
                                                </div>
                                            </div>
                                        }
                                    }).collect_view()}
                                </section>
                            }
                        }).collect_view()}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The end: what was recorded, coaching notes and the supervisor's signature.
#[component]
pub fn End() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<RideNav>();
    let notes = RwSignal::new(String::new());
    let pad = PadHandle::new();
    let sign = Action::new_local(|args: &RideSignArgs| api::sign(args.clone()));
    let missing = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(r)) = sign.value().get() {
            nav.ride.set(Some(r));
        }
    });
    let submit = move |_| {
        let Some(signature) = pad.signature() else {
            missing.set(true);
            return;
        };
        missing.set(false);
        sign.dispatch(RideSignArgs {
            coaching_notes: notes.get_untracked(),
            signature,
        });
    };
    view! {
        <section class="card form" data-testid="ride-end">
            {move || nav.ride.get().map(|r| view! {
                <p data-testid="ride-summary">{move || i18n.tf("ride-summary", &[
                    ("observations", r.observations.len().into()),
                    ("grades", r.grades.len().into()),
                    ("assisted", r.assisted.len().into())])}</p>
                {(r.status != RideStatusDto::Running).then(|| view! {
                    <p class="ok" data-testid="ride-signed">{i18n.t("ride-status-awaiting_driver")}</p>
                })}
            })}
            <label>{move || i18n.t("ride-notes")}
                <textarea data-testid="ride-notes" rows="4" prop:value=move || notes.get()
                    on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
            </label>
            <p>{move || i18n.t("ride-sign_hint")}</p>
            <SignaturePad pad=pad />
            {move || missing.get().then(|| view! { <p class="error" data-testid="ride-sign-missing">{i18n.t("ride-sign_missing")}</p> })}
            <button class="primary" data-testid="ride-sign" disabled=move || sign.pending().get() on:click=submit>
                {move || i18n.t("ride-sign")}
            </button>
            {move || sign.value().get().and_then(Result::err).map(|e| view! { <ErrorBox error=e /> })}
        </section>
    }
}
