//! The driver's day through the real webview, real server and real SQLite: sign in on a new
//! device (enrolment), download a tour built from real Amazon LMRRC data, deliver a parcel to
//! its recipient, undo that and record it again, fail the next parcel with a notification
//! card from the driver's stack — then the station lead's dispatch views on the server show
//! exactly those outcomes and that card. Screenshots of every screen at 360x800 in English
//! and German go to `target/e2e-artifacts/driver_day/`.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use lastmile_protocol::auth::{EnrolResponse, Session};
use lastmile_protocol::dispatch::{CardView, OutcomeKind, OutcomeView};
use lastmile_protocol::events::{DeliveryMethodDto, FailureReasonDto};
use lastmile_protocol::tour::{ParcelFlagsDto, StopKindDto, TourSnapshot};
use lastmile_tests::ui::{self, Setup, UiSession};

const WAIT: Duration = Duration::from_secs(20);

/// The first LMRRC route of `train_10`, cut to 5 stops with one plain parcel each, for D1.
fn small_tour() -> anyhow::Result<TourSnapshot> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/amazon_lmrrc2021_sample/train_10");
    let mut tour = lastmile_import::lmrrc::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .into_iter()
        .find(|t| t.stops.iter().filter(|s| !s.parcels.is_empty()).count() >= 5)
        .context("no LMRRC route with 5 stops")?;
    tour.driver_id = "D1".into();
    tour.stops.retain(|s| !s.parcels.is_empty());
    tour.stops.truncate(5);
    for (i, stop) in tour.stops.iter_mut().enumerate() {
        stop.sequence = i as u32 + 1;
        stop.kind = StopKindDto::Delivery;
        stop.time_window = None;
        stop.parcels.truncate(1);
        for p in &mut stop.parcels {
            p.is_return = false;
            p.flags = ParcelFlagsDto::default();
            p.time_window = None;
        }
    }
    Ok(tour)
}

/// One HTTP call with curl (the tests keep a single TLS stack: fantoccini's).
fn http<T: serde::de::DeserializeOwned>(
    url: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> anyhow::Result<T> {
    let mut cmd = std::process::Command::new("curl");
    cmd.args(["-sS", "--fail-with-body", "--max-time", "10", url]);
    if let Some(token) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {token}")]);
    }
    if let Some(body) = body {
        cmd.args([
            "-H",
            "Content-Type: application/json",
            "-d",
            &body.to_string(),
        ]);
    }
    let out = cmd.output().context("running curl")?;
    anyhow::ensure!(
        out.status.success(),
        "{url}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).with_context(|| format!("reading the answer of {url}"))
}

fn seed(tour: &TourSnapshot) -> serde_json::Value {
    serde_json::json!({
        "stations": [{
            "station_id": tour.station.station_id,
            "name": tour.station.name,
            "position": {"lat": tour.station.position.lat, "lon": tour.station.position.lon},
            "enrolment_codes": [{"code": "CODE-E2E", "max_uses": 10}],
        }],
        "users": [
            {"user_id": "D1", "role": "driver", "station_id": tour.station.station_id, "pin": "1234"},
            {"user_id": "L1", "role": "station", "station_id": tour.station.station_id, "pin": "4321"},
        ],
        "tours": [tour],
    })
}

/// Screenshots `name-en` and `name-de` (toggling the language and back).
async fn both_languages(s: &UiSession, name: &str) -> anyhow::Result<()> {
    s.screenshot(&format!("{name}-en")).await?;
    s.click("[data-testid=lang-toggle]").await?;
    s.wait_for_text("[data-testid=lang-toggle]", WAIT, |t| t == "English")
        .await?;
    s.screenshot(&format!("{name}-de")).await?;
    s.click("[data-testid=lang-toggle]").await?;
    s.wait_for_text("[data-testid=lang-toggle]", WAIT, |t| t == "Deutsch")
        .await?;
    Ok(())
}

fn parcel(tracking_id: &str, state: &str) -> String {
    format!("[data-testid=parcel][data-tracking-id='{tracking_id}'][data-state='{state}']")
}

async fn deliver(
    s: &UiSession,
    tracking_id: &str,
    name: &str,
    shot: Option<&str>,
) -> anyhow::Result<()> {
    s.click(&format!(
        "{} [data-testid=deliver]",
        parcel(tracking_id, "pending")
    ))
    .await?;
    s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
    s.click("[data-testid=method-recipient]").await?;
    s.fill("[data-testid=recipient-name]", name).await?;
    if let Some(shot) = shot {
        both_languages(s, shot).await?;
    }
    s.click("[data-testid=confirm-deliver]").await?;
    s.wait_for(&parcel(tracking_id, "delivered"), WAIT).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_day_arrives_on_the_server_exactly_once() -> anyhow::Result<()> {
    let tour = small_tour()?;
    let first = tour.stops[0].parcels[0].tracking_id.clone();
    let second = tour.stops[1].parcels[0].tracking_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        env: vec![],
    };
    let tour_id = tour.tour_id.clone();
    ui::run_with("driver_day", setup, async |s| {
        s.set_size(360, 800).await?;
        // Sign in on a new device: the enrolment code field is there.
        s.wait_for("[data-testid=enrolment-code]", WAIT).await?;
        s.wait_for("[data-testid=server-status] [data-state=connected]", WAIT)
            .await?;
        both_languages(s, "01-sign-in").await?;

        // A wrong PIN says what happened and what to do, in the driver's words.
        s.fill("[data-testid=driver-id]", "D1").await?;
        s.fill("[data-testid=pin]", "9999").await?;
        s.fill("[data-testid=enrolment-code]", "CODE-E2E").await?;
        s.click("[data-testid=sign-in]").await?;
        s.wait_for_text("[data-testid=error]", WAIT, |t| t.contains("PIN is wrong"))
            .await?;
        both_languages(s, "02-sign-in-error").await?;
        s.fill("[data-testid=pin]", "1234").await?;
        s.click("[data-testid=sign-in]").await?;

        // Download the tour: 5 stops, all open. (The sync loop may have fetched it in the
        // background already; then the list is there without the button.)
        s.wait_for(
            "[data-testid=tour] [data-testid=no-tour], [data-testid=tour-progress]",
            WAIT,
        )
        .await?;
        if s.count("[data-testid=download-tour]").await? > 0 {
            both_languages(s, "03-no-tour").await?;
            s.click("[data-testid=download-tour]").await?;
        }
        s.wait_for_text("[data-testid=tour-progress]", WAIT, |t| {
            t.contains("0 of 5 stops")
        })
        .await?;
        assert_eq!(
            s.count("[data-testid=stop-line][data-state=open]").await?,
            5
        );
        both_languages(s, "04-tour").await?;

        // The current stop is the first one.
        s.click("[data-testid=go-current]").await?;
        let stop1 = format!(
            "[data-testid=stop][data-stop-id='{}']",
            tour.stops[0].stop_id
        );
        s.wait_for(&stop1, WAIT).await?;
        s.wait_for(&parcel(&first, "pending"), WAIT).await?;
        both_languages(s, "05-stop").await?;

        // Deliver to the wrong name, undo within the banner's 10 s, deliver again.
        deliver(s, &first, "Max Muster", Some("06-deliver")).await?;
        s.wait_for("[data-testid=undo-banner]", WAIT).await?;
        both_languages(s, "07-undo-banner").await?;
        s.click("[data-testid=undo]").await?;
        s.wait_for(&parcel(&first, "pending"), WAIT).await?;
        s.wait_for_text("[data-testid=notice]", WAIT, |t| t.contains("open again"))
            .await?;
        deliver(s, &first, "Erika Mustermann", None).await?;
        s.wait_for_text(
            &format!("{} [data-testid=outcome]", parcel(&first, "delivered")),
            WAIT,
            |t| t.contains("Erika Mustermann"),
        )
        .await?;

        // Next stop: nobody home, card from the stack.
        s.click("[data-testid=next-stop]").await?;
        s.wait_for(&parcel(&second, "pending"), WAIT).await?;
        s.click(&format!(
            "{} [data-testid=fail]",
            parcel(&second, "pending")
        ))
        .await?;
        s.wait_for("[data-testid=fail-dialog]", WAIT).await?;
        s.select("[data-testid=fail-reason]", "nobody_home").await?;
        s.wait_for("[data-testid=card-number] option:nth-child(2)", WAIT)
            .await?;
        let card = s.value("[data-testid=card-number]").await?;
        assert!(
            !card.is_empty(),
            "the first card of the stack is preselected"
        );
        s.select("[data-testid=card-says]", "next_attempt").await?;
        both_languages(s, "08-not-delivered").await?;
        s.click("[data-testid=confirm-fail]").await?;
        s.wait_for(&parcel(&second, "failed"), WAIT).await?;

        s.click("[data-testid=sync-now]").await?;

        // The station lead sees exactly those outcomes and that card.
        let base = s.server.url.clone();
        let device: EnrolResponse = http(
            &format!("{base}/v1/devices/enrol"),
            None,
            Some(
                serde_json::json!({"enrolment_code": "CODE-E2E", "device_name": "station-tablet"}),
            ),
        )?;
        let lead: Session = http(
            &format!("{base}/v1/session"),
            None,
            Some(serde_json::json!({
                "device_id": device.device_id, "device_token": device.device_token,
                "role": "station", "user_id": "L1", "pin": "4321",
            })),
        )?;
        // Poll until the upload has landed (the app syncs in the background).
        let deadline = std::time::Instant::now() + Duration::from_secs(40);
        let outcomes = loop {
            let outcomes: Vec<OutcomeView> = http(
                &format!("{base}/v1/dispatch/tours/{tour_id}/outcomes"),
                Some(&lead.access_token),
                None,
            )?;
            if outcomes.len() >= 3 || std::time::Instant::now() > deadline {
                break outcomes;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let summary: Vec<(String, bool, String)> = outcomes
            .iter()
            .map(|o| {
                let what = match &o.kind {
                    OutcomeKind::Delivered {
                        method: DeliveryMethodDto::Recipient { name },
                    } => format!("delivered to {name}"),
                    OutcomeKind::Failed {
                        reason: FailureReasonDto::NobodyHome,
                    } => "failed: nobody home".to_owned(),
                    other => format!("{other:?}"),
                };
                (o.tracking_id.clone().unwrap_or_default(), o.undone, what)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (first.clone(), true, "delivered to Max Muster".to_owned()),
                (
                    first.clone(),
                    false,
                    "delivered to Erika Mustermann".to_owned()
                ),
                (second.clone(), false, "failed: nobody home".to_owned()),
            ],
            "the server has exactly the driver's outcomes, the undone one marked"
        );
        let cards: Vec<CardView> = http(
            &format!("{base}/v1/dispatch/tours/{tour_id}/cards"),
            Some(&lead.access_token),
            None,
        )?;
        assert_eq!(cards.len(), 1, "one card: {cards:?}");
        assert_eq!(cards[0].card_number, card);
        assert_eq!(cards[0].tracking_id, second);

        // The driver sees that everything went out, and the day's progress.
        s.wait_for(
            "[data-testid=sync-bar][data-pending='0']",
            Duration::from_secs(40),
        )
        .await?;
        s.wait_for_text("[data-testid=sync-pending]", WAIT, |t| t == "All sent")
            .await?;
        both_languages(s, "09-synced").await?;
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for_text("[data-testid=tour-progress]", WAIT, |t| {
            t.contains("2 of 5 stops")
        })
        .await?;
        s.wait_for(
            &format!(
                "[data-testid=stop-line][data-stop-id='{}'][data-state=failed]",
                tour.stops[1].stop_id
            ),
            WAIT,
        )
        .await?;
        both_languages(s, "10-tour-progress").await?;

        Ok(())
    })
    .await
}
