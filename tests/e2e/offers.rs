//! Blocks for independent (flex) drivers through two real apps and a real server (issue 15):
//! the lead publishes two blocks (HTTP, as a station tablet would); flex drivers F1 and F2
//! request both on their own phones during the round; the lead closes it; each phone shows
//! its result and "verified" (its own recomputation of the published draw); F1 confirms, F2
//! releases and the block is offered in a second round; F1 delivers on their tour during the
//! block and the Earnings screen shows the worked block.

use std::time::Duration;

use lastmile_tests::ui::{self, App, Setup};

use crate::common::{self, WAIT, deliver_to_recipient, download_if_needed, http, station_lead};
use crate::offline::plain_tour;

/// Two apps and a server share two cores.
const SLOW: Duration = Duration::from_secs(60);

async fn tap(app: &App, css: &str) -> anyhow::Result<()> {
    app.scroll_to(css).await?;
    app.click(css).await
}

/// Reloads the Offers screen until `css` shows (every 2 s: a load is three offers calls,
/// and the server limits them per account).
async fn offers_until(app: &App, css: &str) -> anyhow::Result<()> {
    for _ in 0..30 {
        if app.count(css).await? > 0 {
            return Ok(());
        }
        tap(app, "[data-testid=offers-reload]").await?;
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
    app.wait_for(css, WAIT).await.map(|_| ())
}

/// Ranks EA then EB in the open round and sends the request.
async fn request_both(app: &App) -> anyhow::Result<()> {
    offers_until(app, "[data-testid=offer-round][data-state=open]").await?;
    for b in ["EA", "EB"] {
        tap(
            app,
            &format!("[data-testid=offer-block][data-block={b}] [data-testid=offer-pick]"),
        )
        .await?;
    }
    tap(app, "[data-testid=offer-send]").await?;
    app.wait_for("[data-testid=offer-held][data-ranking='EA,EB']", SLOW)
        .await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_flex_drivers_request_verify_confirm_release_and_see_earnings() -> anyhow::Result<()> {
    let (mut tour, ids) = plain_tour()?;
    tour.driver_id = "F1".into();
    tour.date = chrono::Utc::now().date_naive();
    let mut seed = lastmile_tests::station_seed(
        &tour,
        "CODE-E2E",
        &[
            ("F1", "flex", "1111"),
            ("F2", "flex", "2222"),
            ("L1", "station", "4321"),
        ],
    );
    seed["stations"][0]["enrolment_codes"][0]["max_uses"] = serde_json::json!(20);
    let setup = Setup {
        seed: Some(seed),
        // The screens reload while the test waits; keep the limit above that (the limit
        // itself is tested on the server).
        server_env: vec![("LASTMILE_OFFERS_PER_MIN_PER_ACCOUNT".into(), "120".into())],
        ..Setup::default()
    };
    ui::run_with("offers", setup, async |s| {
        s.set_size(360, 800).await?;
        let phone = s.peer("flex2", &[]).await?;
        phone.set_size(360, 800).await?;
        let base = s.server.url.clone();
        let result = the_round(s, &phone, &base, &ids).await;
        if let Err(e) = &result {
            eprintln!("F2's phone: {e:#}\n{}", phone.diagnosis());
            if let Err(shot) = phone.screenshot("failure-flex2").await {
                eprintln!("no screenshot of F2's phone: {shot:#}");
            }
        }
        phone.close().await;
        result
    })
    .await
}

async fn the_round(s: &App, phone: &App, base: &str, ids: &[String]) -> anyhow::Result<()> {
    common::sign_in_as(s, "flex", "F1", "1111").await?;
    s.wait_for("[data-testid=offers-home]", SLOW).await?;
    common::sign_in_as(phone, "flex", "F2", "2222").await?;
    phone.wait_for("[data-testid=offers-home]", SLOW).await?;

    // The lead publishes two blocks starting in two minutes (a released block is offered
    // again only before it starts; the tour is then worked in it).
    let lead = station_lead(base)?;
    let start = chrono::Utc::now() + chrono::Duration::minutes(2);
    let end = start + chrono::Duration::hours(4);
    let round: serde_json::Value = http(
        &format!("{base}/v1/offers/blocks"),
        Some(&lead.access_token),
        Some(serde_json::json!({
            "blocks": [
                {"block_id": "EA", "start": start, "end": end, "pay_cents": 6400, "drivers": 1},
                {"block_id": "EB", "start": start, "end": end, "pay_cents": 6400, "drivers": 1},
            ],
            "opens_at": chrono::Utc::now(), "window_minutes": 30, "confirm_hours": 4,
        })),
    )?;
    let round_id = round["round_id"].as_str().unwrap_or_default().to_owned();

    request_both(s).await?;
    request_both(phone).await?;
    s.screenshot("offers-01-requested").await?;

    // The round closes (the lead closes it early instead of waiting 30 minutes).
    let _: serde_json::Value = http(
        &format!("{base}/v1/offers/rounds/{round_id}/close"),
        Some(&lead.access_token),
        Some(serde_json::json!({})),
    )?;
    for app in [s, phone] {
        offers_until(app, "[data-testid=draw-check][data-check=verified]").await?;
        app.wait_for("[data-testid=result-won]", WAIT).await?;
        app.wait_for("[data-testid=award][data-status=won]", WAIT)
            .await?;
        anyhow::ensure!(
            app.count("[data-testid=draw-check][data-check=mismatch]")
                .await?
                == 0
        );
    }
    s.screenshot("offers-02-verified").await?;

    // F1 confirms; F2 releases, and the block is offered in a second round.
    tap(
        s,
        "[data-testid=award][data-status=won] [data-testid=award-confirm]",
    )
    .await?;
    s.wait_for("[data-testid=award][data-status=confirmed]", SLOW)
        .await?;
    tap(
        phone,
        "[data-testid=award][data-status=won] [data-testid=award-release]",
    )
    .await?;
    phone
        .wait_for("[data-testid=award][data-status=released]", SLOW)
        .await?;
    offers_until(
        phone,
        "[data-testid=offer-round][data-number='2'][data-state=open]",
    )
    .await?;
    phone.screenshot("offers-03-second-round").await?;

    // F1 works the block once it has started: the tour like any driver's, then the earnings.
    if let Ok(wait) = (start - chrono::Utc::now() + chrono::Duration::seconds(2)).to_std() {
        tokio::time::sleep(wait).await;
    }
    tap(s, "[data-testid=nav-flex-tour]").await?;
    download_if_needed(s).await?;
    s.click("[data-testid=go-current]").await?;
    deliver_to_recipient(s, &ids[0], "Frau Flex").await?;
    s.click("[data-testid=sync-now]").await?;
    s.wait_for("[data-testid=sync-bar][data-pending='0']", SLOW)
        .await?;
    // The undo banner (10 s) covers the top of the screen.
    s.wait_for_gone("[data-testid=undo-banner]", WAIT).await?;
    tap(s, "[data-testid=nav-offers-tab]").await?;
    tap(s, "[data-testid=nav-earnings]").await?;
    s.wait_for("[data-testid=earnings-home]", WAIT).await?;
    s.wait_for(
        "[data-testid=earned-block][data-block][data-parcels='1']",
        SLOW,
    )
    .await?;
    s.screenshot("offers-04-earnings").await?;
    Ok(())
}
