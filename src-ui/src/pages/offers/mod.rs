//! The flex driver's screens (issue 15): **Offers** (the rounds and their blocks, the ranked
//! request while a round is open, each result with the phone's own check of the draw —
//! "verified" or, loudly, "does not match" — and the won blocks to confirm or release) and
//! **Earnings** (the week's worked blocks, totals, CSV and printable export).

pub mod api;

use lastmile_protocol::offers::ui::{DrawCheck, OfferRequestArgs, OffersUi};
use lastmile_protocol::offers::{AwardStatus, AwardView, RoundState, RoundView};
use leptos::prelude::*;

use crate::app::{Nav, Screen};
use crate::components::error_box::ErrorBox;
use crate::format;
use crate::i18n::{I18n, use_i18n};
use crate::pages::signed_in_as;

fn euros(cents: i64) -> String {
    format!("{}.{:02} €", cents / 100, (cents % 100).abs())
}

/// The flex mode's own navigation: offers, earnings, and the day's tour.
#[component]
fn FlexTabs() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    view! {
        <nav class="tabs">
            <button data-testid="nav-offers" class:active=move || nav.screen.get() == Screen::Offers
                on:click=move |_| nav.screen.set(Screen::Offers)>{move || i18n.t("offers-nav-offers")}</button>
            <button data-testid="nav-earnings" class:active=move || nav.screen.get() == Screen::Earnings
                on:click=move |_| nav.screen.set(Screen::Earnings)>{move || i18n.t("offers-nav-earnings")}</button>
            <button data-testid="nav-flex-tour"
                on:click=move |_| nav.screen.set(Screen::Tour)>{move || i18n.t("offers-nav-tour")}</button>
        </nav>
    }
}

fn state_key(s: RoundState) -> &'static str {
    match s {
        RoundState::Upcoming => "offers-state-upcoming",
        RoundState::Open => "offers-state-open",
        RoundState::Closed => "offers-state-closed",
    }
}

fn state_attr(s: RoundState) -> &'static str {
    match s {
        RoundState::Upcoming => "upcoming",
        RoundState::Open => "open",
        RoundState::Closed => "closed",
    }
}

#[component]
pub fn OffersPage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let version = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        nav.changed.track();
        version.get();
        api::load()
    });
    let reload = move || version.update(|v| *v += 1);
    view! {
        <section data-testid="offers-home">
            <FlexTabs />
            <h2>{move || i18n.t("offers-title")}</h2>
            {signed_in_as()}
            <button class="secondary" data-testid="offers-reload" on:click=move |_| reload()>
                {move || i18n.t("offers-reload")}</button>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || loaded.get().map(|r| match r {
                    Ok(ui) => view! { <OffersBody ui=ui reload=Callback::new(move |_| reload()) /> }.into_any(),
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                })}
            </Transition>
            <p class="muted" data-testid="offers-how">{move || i18n.t("offers-how")}</p>
        </section>
    }
}

#[component]
fn OffersBody(ui: OffersUi, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let rounds = ui.offers.rounds.clone();
    let mine = ui.mine.clone();
    let checks = ui.checks.clone();
    let requests = mine.requests.clone();
    view! {
        <p class="muted" data-testid="offers-credit" data-credit=mine.credit.to_string()>
            {move || i18n.tf("offers-credit", &[("n", mine.credit.into())])}</p>
        {(rounds.is_empty()).then(|| view! { <p class="muted" data-testid="offers-none">{move || i18n.t("offers-none")}</p> })}
        {rounds.into_iter().map(|r| {
            let held = requests.iter().find(|q| q.round_id == r.round_id).map(|q| q.ranking.clone());
            view! { <RoundCard round=r held=held reload=reload /> }
        }).collect_view()}
        <h3>{move || i18n.t("offers-results")}</h3>
        {mine.results.clone().into_iter().map(|res| {
            let check = checks.iter().find(|c| c.round_id == res.round_id).map_or(DrawCheck::Unchecked, |c| c.check);
            let (attr, key, class) = match check {
                DrawCheck::Verified => ("verified", "offers-verified", "ok"),
                DrawCheck::Mismatch => ("mismatch", "offers-mismatch", "error-box"),
                DrawCheck::Unchecked => ("unchecked", "offers-unchecked", "muted"),
            };
            let won = res.won.join(", ");
            let won_attr = won.clone();
            let pseudonym = res.pseudonym.clone();
            let lost = res.won.is_empty();
            view! {
                <div class="card" data-testid="offer-result" data-round=res.round_id>
                    <p class=class data-testid="draw-check" data-check=attr><strong>{move || i18n.t(key)}</strong></p>
                    {if lost {
                        view! { <p data-testid="result-lost">{move || i18n.t("offers-lost")}</p> }.into_any()
                    } else {
                        view! { <p data-testid="result-won" data-blocks=won_attr.clone()>{move || i18n.tf("offers-won", &[("blocks", won.clone().into())])}</p> }.into_any()
                    }}
                    <p class="muted">{move || i18n.tf("offers-pseudonym", &[("name", pseudonym.clone().into())])}</p>
                </div>
            }
        }).collect_view()}
        <h3>{move || i18n.t("offers-my-blocks")}</h3>
        {mine.awards.into_iter().map(|a| view! { <AwardCard award=a reload=reload /> }).collect_view()}
    }
}

fn block_line(
    i18n: I18n,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
    pay: i64,
) -> String {
    let lang = i18n.lang.get();
    format!(
        "{} {} · {}",
        format::date(start.date_naive(), lang),
        format::window(start, end, lang),
        euros(pay)
    )
}

#[component]
fn RoundCard(round: RoundView, held: Option<Vec<String>>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let open = round.state == RoundState::Open;
    // The ranking being built: blocks in the order they were tapped.
    let ranking = RwSignal::new(held.clone().unwrap_or_default());
    let send = Action::new_local(|args: &OfferRequestArgs| api::request(args.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            reload.run(());
        }
    });
    let error = move || send.value().get().and_then(Result::err);
    let round_id = round.round_id.clone();
    let closes = round.closes_at;
    let opens = round.opens_at;
    let state = round.state;
    view! {
        <div class="card" data-testid="offer-round" data-round=round.round_id.clone()
            data-state=state_attr(state) data-number=round.number.to_string()>
            <h3>{move || i18n.tf("offers-round", &[("n", round.number.into())])}
                " · "{move || i18n.t(state_key(state))}</h3>
            <p class="muted">{move || i18n.tf("offers-window", &[
                ("opens", format::time(opens, i18n.lang.get()).into()),
                ("closes", format::time(closes, i18n.lang.get()).into()),
            ])}</p>
            <p class="muted ltr" data-testid="round-commitment">{move || i18n.tf("offers-commitment", &[("hash", round.commitment[..16].to_owned().into())])}</p>
            <ul class="list">
                {round.blocks.into_iter().map(|b| {
                    let id = b.block_id.clone();
                    let id2 = id.clone();
                    let id3 = id.clone();
                    let line = block_line(i18n, b.start, b.end, b.pay_cents);
                    let rank = Memo::new(move |_| ranking.get().iter().position(|x| *x == id2).map(|p| (p + 1).to_string()));
                    view! {
                        <li data-testid="offer-block" data-block=id.clone()>
                            <button type="button" class="secondary" data-testid="offer-pick" disabled=!open
                                aria-pressed=move || rank.get().is_some().to_string()
                                on:click=move |_| ranking.update(|r| {
                                    if let Some(p) = r.iter().position(|x| *x == id3) { r.remove(p); } else { r.push(id3.clone()); }
                                })>
                                <span data-testid="offer-rank">{move || rank.get()}</span>" "{line}
                                {b.qualification.clone().map(|q| view! { <span class="warn">" "{q}</span> })}
                                " "{move || i18n.tf("offers-places", &[("n", b.places.into())])}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {held.map(|h| {
                let shown = h.join(", ");
                view! { <p data-testid="offer-held" data-ranking=h.join(",")>{move || i18n.tf("offers-held", &[("blocks", shown.clone().into())])}</p> }
            })}
            {open.then(|| view! {
                <button data-testid="offer-send" disabled=move || send.pending().get() || ranking.get().is_empty()
                    on:click=move |_| { send.dispatch(OfferRequestArgs { round_id: round_id.clone(), ranking: ranking.get_untracked() }); }>
                    {move || i18n.t("offers-send")}</button>
                <p class="muted">{move || i18n.t("offers-fair")}</p>
            })}
            {move || error().map(|e| view! { <ErrorBox error=e /> })}
        </div>
    }
}

fn status_attr(s: AwardStatus) -> &'static str {
    match s {
        AwardStatus::Won => "won",
        AwardStatus::Confirmed => "confirmed",
        AwardStatus::Released => "released",
        AwardStatus::Expired => "expired",
    }
}

fn status_key(s: AwardStatus) -> &'static str {
    match s {
        AwardStatus::Won => "offers-status-won",
        AwardStatus::Confirmed => "offers-status-confirmed",
        AwardStatus::Released => "offers-status-released",
        AwardStatus::Expired => "offers-status-expired",
    }
}

#[component]
fn AwardCard(award: AwardView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let confirm = Action::new_local(|id: &String| api::confirm(id.clone()));
    let release = Action::new_local(|id: &String| api::release(id.clone()));
    Effect::new(move |_| {
        if matches!(confirm.value().get(), Some(Ok(_)))
            || matches!(release.value().get(), Some(Ok(_)))
        {
            reload.run(());
        }
    });
    let error = move || {
        confirm
            .value()
            .get()
            .and_then(Result::err)
            .or_else(|| release.value().get().and_then(Result::err))
    };
    let status = award.status;
    let (id1, id2) = (award.block.block_id.clone(), award.block.block_id.clone());
    let line = block_line(
        i18n,
        award.block.start,
        award.block.end,
        award.block.pay_cents,
    );
    let busy = move || confirm.pending().get() || release.pending().get();
    let by = award.confirm_by;
    view! {
        <div class="card" data-testid="award" data-block=award.block.block_id.clone() data-status=status_attr(status)>
            <p><strong>{award.block.block_id.clone()}</strong>" · "{line}</p>
            <p>{move || i18n.t(status_key(status))}</p>
            {(status == AwardStatus::Won).then(|| view! {
                <p class="muted">{move || i18n.tf("offers-confirm-by", &[("time", format::time(by, i18n.lang.get()).into())])}</p>
                <button data-testid="award-confirm" disabled=busy on:click=move |_| { confirm.dispatch(id1.clone()); }>
                    {move || i18n.t("offers-confirm")}</button>
            })}
            {matches!(status, AwardStatus::Won | AwardStatus::Confirmed).then(|| view! {
                <button class="secondary" data-testid="award-release" disabled=busy on:click=move |_| { release.dispatch(id2.clone()); }>
                    {move || i18n.t("offers-release")}</button>
            })}
            {move || error().map(|e| view! { <ErrorBox error=e /> })}
        </div>
    }
}

#[component]
pub fn EarningsPage() -> impl IntoView {
    let i18n = use_i18n();
    let nav = expect_context::<Nav>();
    let loaded = LocalResource::new(move || {
        nav.changed.track();
        api::earnings()
    });
    let export = Action::new_local(|_: &()| api::export());
    view! {
        <section data-testid="earnings-home">
            <FlexTabs />
            <h2>{move || i18n.t("offers-earnings-title")}</h2>
            <Transition fallback=|| view! { <p class="muted">"…"</p> }>
                {move || loaded.get().map(|r| match r {
                    Ok(ui) => {
                        let e = ui.earnings;
                        let lang = i18n.lang.get();
                        view! {
                            <p data-testid="earnings-week">{i18n.tf("offers-week", &[("date", format::date(e.week_start, lang).into())])}</p>
                            {e.blocks.is_empty().then(|| view! { <p class="muted" data-testid="earnings-none">{i18n.t("offers-earnings-none")}</p> })}
                            <ul class="list">
                                {e.blocks.iter().map(|b| view! {
                                    <li data-testid="earned-block" data-block=b.block_id.clone()
                                        data-stops=b.stops.to_string() data-parcels=b.parcels.to_string()>
                                        <strong>{b.block_id.clone()}</strong>" · "{block_line(i18n, b.start, b.end, b.pay_cents)}
                                        <br />{i18n.tf("offers-earned-line", &[
                                            ("hours", format!("{:.1}", b.hours).into()),
                                            ("stops", b.stops.into()),
                                            ("parcels", b.parcels.into()),
                                        ])}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <p data-testid="earnings-total" data-cents=e.total_pay_cents.to_string()>
                                {i18n.tf("offers-total", &[("pay", euros(e.total_pay_cents).into()), ("hours", format!("{:.1}", e.total_hours).into())])}</p>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorBox error=e /> }.into_any(),
                })}
            </Transition>
            <button data-testid="earnings-export" disabled=move || export.pending().get()
                on:click=move |_| { export.dispatch(()); }>{move || i18n.t("offers-export")}</button>
            {move || export.value().get().map(|r| match r {
                Ok(x) => view! { <p data-testid="earnings-exported" class="ltr">{x.csv_path}<br />{x.html_path}</p> }.into_any(),
                Err(e) => view! { <ErrorBox error=e /> }.into_any(),
            })}
        </section>
    }
}
