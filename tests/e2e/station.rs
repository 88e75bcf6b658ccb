//! The station tablet (issue 12): two real apps at once against one real server, the tablet
//! (station lead L1) and driver D1's phone, through a whole day — check-in, an inspection
//! whose safety defect holds the tour on the phone, another van, a card stack the phone uses,
//! load-out with a parcel of another tour refused and one not loaded, the tour, a return to
//! station while the Wi-Fi is down, discrepancies explained, the co-signed close-out whose
//! numbers the server shows, and the phone's "my days". Every station screen is saved at
//! 800×1280 and 1280×800 in German and English.

use std::time::Duration;

use lastmile_protocol::station::{CloseOutSummary, CloseOutView};
use lastmile_protocol::tour::TourSnapshot;
use lastmile_tests::process::ServerProc;
use lastmile_tests::ui::{self, App, Setup};

use crate::common::{self, WAIT, assert_translated, http, set_lang, station_lead};

/// The day's tour of D1 (five stops, one parcel each, a return at the third), a tour of D2
/// with one parcel, and the station's people and vans.
fn station_seed() -> anyhow::Result<(serde_json::Value, TourSnapshot, String)> {
    let mut tour = crate::driver_day::small_tour()?;
    // The station's board is today's.
    lastmile_import::own::redate(&mut tour, chrono::Utc::now().date_naive())?;
    let mut seed = common::seed(&tour);
    let mut other = tour.clone();
    other.tour_id = format!("{}-D2", tour.tour_id);
    other.driver_id = "D2".into();
    other.stops.truncate(1);
    other.card_stacks.clear();
    for stop in &mut other.stops {
        stop.stop_id = format!("{}-D2", stop.stop_id);
        for p in &mut stop.parcels {
            p.tracking_id = format!("OTHER{}", p.tracking_id.len());
        }
    }
    let other_parcel = other.stops[0].parcels[0].tracking_id.clone();
    let station = tour.station.station_id.clone();
    seed["tours"]
        .as_array_mut()
        .expect("tours")
        .push(serde_json::to_value(&other)?);
    let users = seed["users"].as_array_mut().expect("users");
    for (id, pin) in [("D2", "5555"), ("D3", "6666")] {
        users.push(
            serde_json::json!({"user_id": id, "role": "driver", "station_id": station, "pin": pin}),
        );
    }
    seed["vehicles"] = serde_json::json!([
        {"station_id": station, "plate": "B-LM 101", "label": "E-Transporter"},
        {"station_id": station, "plate": "B-LM 102", "label": "E-Transporter"},
    ]);
    Ok((seed, tour, other_parcel))
}

/// The screen at 800×1280 and 1280×800, in English and German (checked for raw keys and
/// missing messages in each); back in English.
async fn both_sizes(s: &App, name: &str) -> anyhow::Result<()> {
    for (w, h) in [(800, 1280), (1280, 800)] {
        s.set_size(w, h).await?;
        for code in ["en", "de"] {
            set_lang(s, code).await?;
            assert_translated(s, code).await?;
            s.screenshot(&format!("{name}-{w}x{h}-{code}")).await?;
        }
    }
    set_lang(s, "en").await
}

fn row(driver: &str, state: &str) -> String {
    format!("[data-testid=station-row][data-driver='{driver}'][data-state='{state}']")
}

/// Opens a tab of the driver's day (retried: the day redraws itself as answers arrive).
async fn tab(s: &App, slug: &str) -> anyhow::Result<()> {
    let css = format!("[data-testid=station-tab-{slug}]");
    let mut last = None;
    for _ in 0..5 {
        s.scroll_to(&css).await?;
        match s.click(&css).await {
            Ok(()) => return Ok(()),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Err(last.unwrap_or_else(|| anyhow::anyhow!("no tab {slug}")))
}

async fn scan(s: &App, field: &str, tracking_id: &str) -> anyhow::Result<()> {
    s.fill(&format!("[data-testid={field}]"), tracking_id)
        .await?;
    s.click(&format!("[data-testid={field}-submit]")).await
}

async fn error_code(s: &App, code: &str) -> anyhow::Result<()> {
    let found = s
        .wait_for(
            &format!("[data-testid=station-error][data-code='{code}']"),
            WAIT,
        )
        .await;
    if found.is_err() {
        let shown = s.attr("[data-testid=station-error]", "data-code").await;
        let html = s.attr("[data-testid=station-day]", "outerHTML").await;
        anyhow::bail!("no refusal {code}: the screen shows {shown:?} in {html:?}");
    }
    Ok(())
}

const SIGNATURE: [(f64, f64); 6] = [
    (-120.0, 10.0),
    (-60.0, -20.0),
    (0.0, 15.0),
    (50.0, -25.0),
    (100.0, 10.0),
    (130.0, -5.0),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_station_day_on_the_tablet_and_the_drivers_phone_at_once() -> anyhow::Result<()> {
    let (seed, tour, other_parcel) = station_seed()?;
    let ids: Vec<String> = tour
        .stops
        .iter()
        .map(|s| s.parcels[0].tracking_id.clone())
        .collect();
    let setup = Setup {
        seed: Some(seed),
        ..Setup::default()
    };
    ui::run_with("station", setup, async |s| {
        let phone = s.peer("phone", &[]).await?;
        phone.set_size(360, 800).await?;
        common::sign_in_new_device(&phone).await?;

        // The tablet: the lead signs in once; the board expects D1 and D2.
        common::sign_in_as(s, "station", "L1", "4321").await?;
        s.wait_for(&row("D1", "expected"), WAIT).await?;
        s.wait_for(&row("D2", "expected"), WAIT).await?;
        both_sizes(s, "01-board").await?;

        // Check-in: a driver without a tour today is refused; D2 checks in with their PIN.
        s.click("[data-testid=station-check-in]").await?;
        s.fill("[data-testid=station-driver-id]", "D3").await?;
        s.fill("[data-testid=station-driver-pin]", "6666").await?;
        s.click("[data-testid=station-check-in-submit]").await?;
        error_code(s, "station.no_tour_today").await?;
        s.fill("[data-testid=station-driver-id]", "D2").await?;
        s.fill("[data-testid=station-driver-pin]", "5555").await?;
        both_sizes(s, "02-check-in").await?;
        s.click("[data-testid=station-check-in-submit]").await?;
        s.wait_for("[data-testid=station-day][data-driver=D2]", WAIT).await?;
        assert_eq!(
            s.attr("[data-testid=station-driver-pin]", "value").await.ok().flatten(),
            None,
            "the PIN is not kept on screen"
        );
        s.click("[data-testid=station-to-board]").await?;
        s.wait_for(&row("D2", "checked_in"), WAIT).await?;

        // D1 checks in by the code on their phone while the station Wi-Fi is down: the
        // tablet's camera reads the phone's QR code; the check-in waits on the tablet and
        // reaches the server once.
        phone.click("[data-testid=nav-summary]").await?;
        phone.click("[data-testid=show-check-in-code]").await?;
        phone.wait_for("[data-testid=check-in-qr]", WAIT).await?;
        phone.screenshot("phone-check-in-code").await?;
        let src = phone.attr("[data-testid=check-in-qr]", "src").await?.unwrap_or_default();
        let png = src
            .strip_prefix("data:image/png;base64,")
            .ok_or_else(|| anyhow::anyhow!("the QR code is no PNG: {}", &src[..src.len().min(40)]))?;
        phone.click("[data-testid=nav-tour]").await?;
        let qr = s.artifacts.join("check-in-qr.png");
        {
            use base64::Engine as _;
            std::fs::write(&qr, base64::engine::general_purpose::STANDARD.decode(png)?)?;
        }
        let addr = s.server.addr().to_owned();
        let data_dir = s.server.data_dir.clone();
        s.server.kill();
        s.click("[data-testid=station-check-in]").await?;
        s.fill("[data-testid=station-pass]", "LMCI1-00000000000000000000000000000000").await?;
        s.click("[data-testid=station-pass-submit]").await?;
        s.wait_for("[data-testid=station-error][data-code='station.unknown_pass']", WAIT).await?;
        s.choose_file("[data-testid=station-pass-photo]", &qr).await?;
        s.wait_for("[data-testid=station-day][data-driver=D1]", WAIT).await?;
        s.wait_for("[data-testid=station-day-head][data-state=checked_in]", WAIT).await?;
        s.wait_for("[data-testid=station-pending][data-pending='1']", WAIT).await?;
        both_sizes(s, "02b-checked-in-offline").await?;
        s.server = ServerProc::start_on(&data_dir, &s.artifacts.join("server-after-check-in.log"), &addr)?;
        s.click("[data-testid=sync-now]").await?;
        s.wait_for_gone("[data-testid=station-pending]", Duration::from_secs(60)).await?;
        let lead = station_lead(&s.server.url)?;
        let day: lastmile_protocol::station::DriverDay = http(
            &format!("{}/v1/station/days/D1", s.server.url),
            Some(&lead.access_token),
            None,
        )?;
        assert!(day.checked_in_at.is_some(), "the server has D1's check-in by pass");

        // A van: an unknown plate is refused; then B-LM 101 and its inspection.
        s.fill("[data-testid=station-plate]", "XX-0000").await?;
        s.click("[data-testid=station-assign]").await?;
        error_code(s, "station.unknown_plate").await?;
        s.fill("[data-testid=station-plate]", "B-LM 101").await?;
        s.click("[data-testid=station-assign]").await?;
        s.wait_for("[data-testid=station-inspection][data-phase=pre_trip]", WAIT).await?;
        let brakes = "[data-testid=station-item][data-item=brakes]";
        s.click(&format!("{brakes} [data-testid=station-item-defect]")).await?;
        s.fill(&format!("{brakes} [data-testid=station-item-note]"), "pedal soft").await?;
        s.choose_file(
            &format!("{brakes} [data-testid=station-item-photo]"),
            &crate::driver_day::camera_picture(&s.artifacts)?,
        )
        .await?;
        s.wait_for(&format!("{brakes} [data-testid=station-item-photo-preview]"), WAIT).await?;
        // The Wi-Fi drops with the checklist half done: the day redraws as offline, and what
        // was ticked, typed and photographed stays (it used to start over, blank).
        let addr = s.server.addr().to_owned();
        let data_dir = s.server.data_dir.clone();
        s.server.kill();
        s.wait_for("[data-testid=station-offline]", WAIT).await?;
        let kept = |what: &str| format!("{brakes} {what}");
        let class = s.attr(&kept("[data-testid=station-item-defect]"), "class").await?.unwrap_or_default();
        assert!(class.contains("selected"), "the brakes stay marked as a defect: {class}");
        assert_eq!(
            s.value(&kept("[data-testid=station-item-note]")).await?,
            "pedal soft",
            "the note stays"
        );
        s.wait_for(&kept("[data-testid=station-item-photo-preview]"), WAIT).await?;
        s.server = ServerProc::start_on(&data_dir, &s.artifacts.join("server-after-inspection.log"), &addr)?;
        s.wait_for_gone("[data-testid=station-offline]", Duration::from_secs(30)).await?;
        both_sizes(s, "03-inspection").await?;
        s.click("[data-testid=station-inspect]").await?;
        s.wait_for("[data-testid=station-hold][data-plate='B-LM 101']", WAIT).await?;
        both_sizes(s, "04-hold").await?;

        // The phone learns the hold by sync and shows it instead of the stop.
        phone.click("[data-testid=sync-now]").await?;
        phone.wait_for("[data-testid=phone-hold][data-plate='B-LM 101']", Duration::from_secs(60)).await?;
        phone.screenshot("phone-held").await?;

        // Another van; its inspection passes; the phone gets its tour back.
        s.fill("[data-testid=station-other-plate]", "B-LM 102").await?;
        s.click("[data-testid=station-clear-other]").await?;
        s.wait_for("[data-testid=station-inspection][data-phase=pre_trip]", WAIT).await?;
        s.wait_for_text("[data-testid=station-day-head]", WAIT, |t| t.contains("B-LM 102")).await?;
        s.click("[data-testid=station-inspect]").await?;
        s.wait_for("[data-testid=station-inspection-passed]", WAIT).await?;
        phone.click("[data-testid=sync-now]").await?;
        phone.wait_for_gone("[data-testid=phone-hold]", Duration::from_secs(60)).await?;

        // A card stack; an overlapping one for another driver is refused on D2's day later.
        tab(s, "cards").await?;
        s.fill("[data-testid=station-card-first]", "K000100").await?;
        s.fill("[data-testid=station-card-last]", "K000119").await?;
        s.click("[data-testid=station-issue-cards]").await?;
        s.wait_for("[data-testid=station-stack][data-first=K000100]", WAIT).await?;
        both_sizes(s, "05-cards").await?;

        // Load-out: four parcels, one scanned twice, one of D2's tour refused naming D2, the
        // fifth not loaded (missing at the station).
        tab(s, "loadout").await?;
        for id in &ids[..4] {
            scan(s, "loadscan", id).await?;
        }
        s.wait_for("[data-testid=station-loadout-progress][data-loaded='4']", WAIT).await?;
        scan(s, "loadscan", &ids[1]).await?;
        error_code(s, "station.parcel_scanned_twice").await?;
        scan(s, "loadscan", &other_parcel).await?;
        error_code(s, "station.parcel_of_other_tour").await?;
        let whose = s.rendered_text("[data-testid=station-error]").await?;
        assert!(whose.contains("D2"), "the refusal names whose parcel it is: {whose}");
        both_sizes(s, "06-loadout").await?;
        s.click(&format!(
            "[data-testid=station-missing-parcel][data-tracking='{}'] [data-testid=station-not-loaded-missing]",
            ids[4]
        ))
        .await?;
        s.wait_for(&format!("[data-testid=station-not-loaded][data-tracking='{}']", ids[4]), WAIT).await?;

        // The phone: the parcel not loaded leaves its tour by the feed; the card stack came
        // by sync: a card of it is accepted, one outside it refused.
        phone.click("[data-testid=sync-now]").await?;
        phone.click("[data-testid=nav-tour]").await?;
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while phone.count("[data-testid=stop-line]").await? != 4 {
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the phone's tour still has the parcel not loaded"
            );
            phone.click("[data-testid=sync-now]").await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        phone.click("[data-testid=go-current]").await?;
        let first = common::parcel(&ids[0], "pending");
        phone.click(&format!("{first} [data-testid=fail]")).await?;
        phone.wait_for("[data-testid=fail-dialog]", WAIT).await?;
        phone.select("[data-testid=fail-reason]", "nobody_home").await?;
        phone.fill("[data-testid=card-number]", "K999999").await?;
        phone.click("[data-testid=confirm-fail]").await?;
        phone.wait_for("[data-testid=error][data-code='card.not_issued']", WAIT).await?;
        phone.fill("[data-testid=card-number]", "K000105").await?;
        phone.click("[data-testid=confirm-fail]").await?;
        phone.wait_for(&common::parcel(&ids[0], "failed"), WAIT).await?;
        phone.click("[data-testid=next-stop]").await?;
        common::deliver_to_recipient(&phone, &ids[1], "Frau Lang").await?;
        phone.click("[data-testid=sync-now]").await?;
        phone.wait_for("[data-testid=sync-bar][data-pending='0']", Duration::from_secs(60)).await?;

        // Evening, and the station Wi-Fi drops: the return scans queue on the tablet.
        tab(s, "return").await?;
        s.wait_for(&format!("[data-testid=station-expected][data-tracking='{}']", ids[0]), WAIT).await?;
        both_sizes(s, "07-return").await?;
        let addr = s.server.addr().to_owned();
        let data_dir = s.server.data_dir.clone();
        s.server.kill();
        for id in [&ids[0], &ids[2], &ids[3]] {
            scan(s, "returnscan", id).await?;
            s.wait_for_gone(&format!("[data-testid=station-expected][data-tracking='{id}']"), WAIT).await?;
        }
        s.wait_for("[data-testid=station-pending][data-pending='3']", WAIT).await?;
        s.wait_for("[data-testid=station-offline]", WAIT).await?;
        both_sizes(s, "08-return-offline").await?;
        let log = s.artifacts.join("server-restarted.log");
        s.server = ServerProc::start_on(&data_dir, &log, &addr)?;
        s.click("[data-testid=sync-now]").await?;
        s.wait_for_gone("[data-testid=station-pending]", Duration::from_secs(60)).await?;

        // Unused cards back: all but K000119, which needs an explanation.
        for (a, b) in [("K000001", "K000020"), ("K000100", "K000104"), ("K000106", "K000118")] {
            s.fill("[data-testid=station-cards-back-first]", a).await?;
            s.fill("[data-testid=station-cards-back-last]", b).await?;
            s.click("[data-testid=station-cards-back]").await?;
            s.wait_for("[data-testid=station-pending]", WAIT).await.ok();
        }
        let missing = "[data-testid=station-discrepancy][data-subject=K000119]";
        s.wait_for(missing, Duration::from_secs(30)).await?;
        s.wait_for_text("[data-testid=station-discrepancies]", WAIT, |t| !t.contains("K000118")).await?;
        s.fill(&format!("{missing} [data-testid=station-explanation]"), "torn, thrown away").await?;
        s.click(&format!("{missing} [data-testid=station-explain]")).await?;
        s.wait_for(&format!("{missing}[data-explained=true]"), WAIT).await?;

        // Post-trip inspection, then the close-out: a blank pad is refused, both sign.
        tab(s, "vehicle").await?;
        s.wait_for("[data-testid=station-inspection][data-phase=post_trip]", WAIT).await?;
        s.click("[data-testid=station-inspect]").await?;
        s.wait_for("[data-testid=station-inspection-passed]", WAIT).await?;
        tab(s, "closeout").await?;
        s.wait_for("[data-testid=station-summary]", WAIT).await?;
        s.click("[data-testid=station-sign]").await?;
        error_code(s, "station.blank_signature").await?;
        s.draw("[data-testid=station-sign-driver] [data-testid=signature-pad]", &[SIGNATURE.to_vec()]).await?;
        s.draw("[data-testid=station-sign-lead] [data-testid=signature-pad]", &[SIGNATURE.iter().map(|(x, y)| (*x, -y)).collect()]).await?;
        both_sizes(s, "09-close-out").await?;
        s.click("[data-testid=station-sign]").await?;
        s.click("[data-testid=sync-now]").await?;
        s.wait_for("[data-testid=station-closed][data-version='1']", Duration::from_secs(60)).await?;
        both_sizes(s, "10-closed").await?;

        // The server's close-out shows exactly the numbers of that day.
        let lead = station_lead(&s.server.url)?;
        let signed: Vec<CloseOutView> = http(
            &format!("{}/v1/station/days/D1/close-outs", s.server.url),
            Some(&lead.access_token),
            None,
        )?;
        assert_eq!(signed.len(), 1);
        assert_eq!(
            signed[0].summary,
            CloseOutSummary {
                parcels_planned: 5,
                parcels_loaded: 4,
                parcels_not_loaded: 1,
                delivered: 1,
                failed: 1,
                returns_picked_up: 0,
                parcels_back: 3,
                cards_issued: 40,
                cards_used: 1,
                cards_returned: 38,
                cards_missing: 1,
                discrepancies: 1,
                discrepancies_explained: 1,
                inspections: 3,
                defects_found: 1,
            }
        );
        assert_eq!(signed[0].failed_cards, [format!("{}: K000105", ids[0])]);

        // The photo of the brakes reached the server with the inspection, downscaled.
        let day: lastmile_protocol::station::DriverDay = http(
            &format!("{}/v1/station/days/D1", s.server.url),
            Some(&lead.access_token),
            None,
        )?;
        let photo = day
            .inspections
            .iter()
            .flat_map(|i| &i.items)
            .find(|i| i.item_id == "brakes" && !i.ok)
            .and_then(|i| i.photo.clone())
            .ok_or_else(|| anyhow::anyhow!("no photo with the brakes defect: {:?}", day.inspections))?;
        let bytes = crate::driver_day::http_bytes(
            &format!("{}/v1/blobs/{}", s.server.url, photo.sha256),
            &lead.access_token,
        )?;
        let img = image::load_from_memory(&bytes)?;
        assert_eq!((img.width(), img.height()), (1600, 1200), "the photo, scaled to 1600 px");

        // The board: D1 closed; the phone lists the signed close-out under "my days".
        s.click("[data-testid=station-to-board]").await?;
        s.wait_for(&row("D1", "closed"), WAIT).await?;
        phone.click("[data-testid=nav-summary]").await?;
        phone.wait_for(&format!("[data-testid=my-day][data-tour='{}'][data-version='1']", tour.tour_id), WAIT).await?;
        phone.screenshot("phone-my-days").await?;

        // A card range overlapping D1's stack is refused for D2.
        s.click("[data-testid=station-row][data-driver=D2]").await?;
        s.wait_for("[data-testid=station-day][data-driver=D2]", WAIT).await?;
        tab(s, "cards").await?;
        s.fill("[data-testid=station-card-first]", "K000110").await?;
        s.fill("[data-testid=station-card-last]", "K000129").await?;
        s.click("[data-testid=station-issue-cards]").await?;
        error_code(s, "station.card_range_overlaps").await?;
        phone.close().await;
        Ok(())
    })
    .await
}
