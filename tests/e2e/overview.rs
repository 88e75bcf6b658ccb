//! The tour overview, the end-of-tour summary, About and the high-contrast theme through the
//! real webview, real server and real SQLite. The tour is a real LMRRC route (its stops,
//! parcels and tracking numbers) at real German addresses from the OpenStreetMap extract of
//! north Bayreuth, with time windows set relative to now: one passed, one ending in 20 min.
//!
//! The driver searches by tracking number (typed in lower case with spaces) and by address
//! ("strasse" for "Straße"), sees the "no match" state and the window warnings, records two
//! outcomes and reads them in the summary, finishes the tour and is offered the summary,
//! reads the ODbL credit and the install id in About, and switches to high contrast and
//! German — which survive an app restart — then glove mode, in which every control of the
//! tour, stop, summary and About screens measures at least 56x56 CSS px. Every screen is checked for raw keys in all seven
//! languages; screenshots at 360x800 in English, German and Arabic go to
//! `target/e2e-artifacts/overview/`.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chrono::{Local, Utc};
use lastmile_protocol::tour::{
    AddressDto, LatLon, ParcelFlagsDto, StopKindDto, TimeWindowDto, TourSnapshot,
};
use lastmile_tests::ui::{self, Setup, UiSession};

use crate::common::{
    WAIT, every_language, parcel, seed, set_lang, sign_in_new_device, tablet_and_desktop,
};

const STOPS: usize = 5;

/// One address of the OpenStreetMap extract.
struct OsmAddress {
    street: String,
    house_number: String,
    postcode: String,
    city: String,
    lat: f64,
    lon: f64,
}

/// `STOPS` addresses on different streets whose names end in "straße" and do not contain
/// one another (so a street search names exactly one stop).
fn osm_addresses() -> anyhow::Result<Vec<OsmAddress>> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/osm_north_bayreuth_graphhopper/addresses.csv");
    let text =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let mut picked: Vec<OsmAddress> = vec![];
    // osm_id,street,housenumber,postcode,city,country,name,lat,lon
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() != 9 || !f[1].ends_with("straße") || f[2].is_empty() || f[3].is_empty() {
            continue;
        }
        let street = f[1].to_lowercase();
        if picked.iter().any(|p| {
            let other = p.street.to_lowercase();
            other.contains(&street) || street.contains(&other)
        }) {
            continue;
        }
        picked.push(OsmAddress {
            street: f[1].to_owned(),
            house_number: f[2].to_owned(),
            postcode: f[3].to_owned(),
            city: f[4].to_owned(),
            lat: f[7].parse()?,
            lon: f[8].parse()?,
        });
        if picked.len() == STOPS {
            return Ok(picked);
        }
    }
    anyhow::bail!("fewer than {STOPS} distinct streets in {}", file.display())
}

/// The first LMRRC route of `train_10` with a stop of two parcels, cut to `STOPS` stops for
/// D1: stop 3 keeps two parcels, the others one. Stop 1's window has passed, stop 2's ends
/// in 20 minutes, stop 3's is later today.
fn overview_tour() -> anyhow::Result<TourSnapshot> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/amazon_lmrrc2021_sample/train_10");
    let mut tour = lastmile_import::lmrrc::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .into_iter()
        .find(|t| {
            t.stops.iter().filter(|s| !s.parcels.is_empty()).count() >= STOPS
                && t.stops.iter().any(|s| s.parcels.len() >= 2)
        })
        .context("no LMRRC route with a two-parcel stop")?;
    tour.driver_id = "D1".into();
    // The two-parcel stop becomes stop 3.
    let two = tour
        .stops
        .iter()
        .position(|s| s.parcels.len() >= 2)
        .context("two-parcel stop")?;
    let double = tour.stops.remove(two);
    tour.stops.retain(|s| !s.parcels.is_empty());
    tour.stops.truncate(STOPS - 1);
    tour.stops.insert(2, double);
    let now = Utc::now();
    let window = |from_min: i64, to_min: i64| {
        Some(TimeWindowDto {
            start: now + chrono::Duration::minutes(from_min),
            end: now + chrono::Duration::minutes(to_min),
        })
    };
    let addresses = osm_addresses()?;
    for (i, (stop, a)) in tour.stops.iter_mut().zip(addresses).enumerate() {
        stop.sequence = i as u32 + 1;
        stop.kind = StopKindDto::Delivery;
        stop.address = AddressDto {
            street: a.street,
            house_number: a.house_number,
            postcode: a.postcode,
            city: a.city,
            name: None,
        };
        stop.position = LatLon {
            lat: a.lat,
            lon: a.lon,
        };
        stop.time_window = match i {
            0 => window(-180, -60),
            1 => window(-60, 20),
            2 => window(60, 180),
            _ => None,
        };
        stop.parcels.truncate(if i == 2 { 2 } else { 1 });
        for p in &mut stop.parcels {
            p.is_return = false;
            p.flags = ParcelFlagsDto::default();
            p.time_window = None;
        }
    }
    tour.station.position = tour.stops[0].position;
    Ok(tour)
}

fn line(stop_id: &str) -> String {
    format!("[data-testid=stop-line][data-stop-id='{stop_id}']")
}

/// The stop ids of the stop lines shown, in order.
async fn shown_stops(s: &UiSession) -> anyhow::Result<Vec<String>> {
    let lines = ui::timed(
        "find stop lines",
        s.client()
            .find_all(fantoccini::Locator::Css("[data-testid=stop-line]")),
    )
    .await??;
    let mut ids = vec![];
    for l in lines {
        ids.push(
            ui::timed("stop id", l.attr("data-stop-id"))
                .await??
                .unwrap_or_default(),
        );
    }
    Ok(ids)
}

/// Types `query` into the search box and waits until exactly `expect` stops are listed.
async fn search(s: &UiSession, query: &str, expect: &[&str]) -> anyhow::Result<()> {
    if query.is_empty() {
        // WebDriver cannot type nothing; the box must already be empty.
        assert_eq!(s.value("[data-testid=tour-search]").await?, "");
    } else {
        s.fill("[data-testid=tour-search]", query).await?;
    }
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let shown = shown_stops(s).await?;
        if shown == expect {
            return Ok(());
        }
        anyhow::ensure!(
            std::time::Instant::now() < deadline,
            "searching {query:?}: stops {shown:?} listed, expected {expect:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn deliver(s: &UiSession, tracking_id: &str, name: &str) -> anyhow::Result<()> {
    s.click(&format!(
        "{} [data-testid=deliver]",
        parcel(tracking_id, "pending")
    ))
    .await?;
    s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
    s.click("[data-testid=method-recipient]").await?;
    s.fill("[data-testid=recipient-name]", name).await?;
    s.click("[data-testid=confirm-deliver]").await?;
    s.wait_for(&parcel(tracking_id, "delivered"), WAIT).await?;
    Ok(())
}

/// The `data-value` of a summary figure.
async fn figure(s: &UiSession, id: &str) -> anyhow::Result<u32> {
    s.attr(&format!("[data-testid=summary-{id}]"), "data-value")
        .await?
        .with_context(|| format!("summary-{id} has no value"))?
        .parse()
        .with_context(|| format!("summary-{id}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overview_search_summary_about_and_high_contrast() -> anyhow::Result<()> {
    let tour = overview_tour()?;
    let ids: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    let all: Vec<&str> = ids.iter().map(String::as_str).collect();
    let total_parcels: u32 = tour.stops.iter().map(|s| s.parcels.len() as u32).sum();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("overview", setup, async |s| {
        s.set_size(360, 800).await?;
        sign_in_new_device(s).await?;
        s.wait_for_text("[data-testid=tour-progress]", WAIT, |t| {
            t.contains(&format!("0 of {STOPS} stops"))
        })
        .await?;
        assert_eq!(shown_stops(s).await?, all, "every stop, in planned order");

        // Time windows in local time, with warnings on the open stops that need them.
        let w = tour.stops[0].time_window.context("stop 1 window")?;
        let local = |t: chrono::DateTime<Utc>| t.with_timezone(&Local).format("%H:%M").to_string();
        s.wait_for_text(
            &format!("{} [data-testid=stop-window]", line(&ids[0])),
            WAIT,
            |t| t.contains(&format!("{}–{}", local(w.start), local(w.end))),
        )
        .await?;
        s.wait_for(
            &format!("{} [data-testid=window-warning][data-kind=missed]", line(&ids[0])),
            WAIT,
        )
        .await?;
        s.wait_for(
            &format!("{} [data-testid=window-warning][data-kind=soon]", line(&ids[1])),
            WAIT,
        )
        .await?;
        assert_eq!(
            s.count(&format!("{} [data-testid=window-warning]", line(&ids[2])))
                .await?,
            0,
            "a window later today is no warning"
        );
        assert_eq!(s.count("[data-testid=window-warning]").await?, 2);
        every_language(s, "01-tour-windows").await?;
        tablet_and_desktop(
            s,
            "01-tour-windows",
            (
                "[data-testid=stop-line]:nth-child(1)",
                "[data-testid=stop-line]:nth-child(2)",
            ),
        )
        .await?;

        // Search by tracking number: the second parcel of stop 3, typed as read off a label.
        let tracking = tour.stops[2].parcels[1].tracking_id.clone();
        let typed: String = tracking
            .to_lowercase()
            .chars()
            .collect::<Vec<_>>()
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join(" ");
        search(s, &typed, &[&ids[2]]).await?;
        s.wait_for_text(
            &format!("{} [data-testid=tracking-hit]", line(&ids[2])),
            WAIT,
            |t| t.contains(&tracking),
        )
        .await?;
        s.wait_for_text("[data-testid=search-count]", WAIT, |t| {
            t == format!("1 of {STOPS} stops")
        })
        .await?;
        // The day's progress stays on screen while searching.
        s.wait_for("[data-testid=tour-progress]", WAIT).await?;
        every_language(s, "02-search-tracking").await?;

        // Search by address, German-friendly: "strasse" finds "Straße".
        let street = &tour.stops[3].address.street;
        let typed = street.to_lowercase().replace('ß', "ss");
        search(s, &typed, &[&ids[3]]).await?;
        every_language(s, "03-search-address").await?;

        // No match: said so, with the way back.
        search(s, "zzzz nowhere", &[]).await?;
        s.wait_for_text("[data-testid=no-match]", WAIT, |t| {
            t.contains("No stop matches") && t.contains("zzzz nowhere")
        })
        .await?;
        every_language(s, "04-search-no-match").await?;
        s.click("[data-testid=no-match-clear]").await?;
        search(s, "", &all).await?;

        // Two outcomes: stop 1 delivered, stop 2 not delivered with a card.
        s.click(&line(&ids[0])).await?;
        s.wait_for(
            &format!("[data-testid=stop][data-stop-id='{}']", ids[0]),
            WAIT,
        )
        .await?;
        tablet_and_desktop(
            s,
            "01b-stop",
            ("[data-testid=stop]", "[data-testid=parcel]"),
        )
        .await?;
        deliver(s, &tour.stops[0].parcels[0].tracking_id, "Erika Mustermann").await?;
        s.click("[data-testid=nav-tour]").await?;
        s.click(&line(&ids[1])).await?;
        let second = tour.stops[1].parcels[0].tracking_id.clone();
        crate::common::fail_nobody_home(s, &second).await?;

        // Done stops do not warn any more; the summary counts what was recorded.
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for_text("[data-testid=tour-progress]", WAIT, |t| {
            t.contains(&format!("2 of {STOPS} stops"))
        })
        .await?;
        assert_eq!(
            s.count("[data-testid=window-warning]").await?,
            0,
            "stops 1 and 2 are done: no window warnings left"
        );
        s.click("[data-testid=open-summary]").await?;
        s.wait_for("[data-testid=summary-card]", WAIT).await?;
        let expected = [
            ("delivered", 1),
            ("failed", 1),
            ("not-attempted", total_parcels - 2),
            ("cards-used", 1),
            ("cards-unused", 19),
            ("returns", 0),
            ("conflicts", 0),
        ];
        for (id, value) in expected {
            assert_eq!(figure(s, id).await?, value, "summary: {id}");
        }
        s.wait_for("[data-testid=summary-open]", WAIT).await?;
        s.wait_for_text("[data-testid=summary-handback]", WAIT, |t| {
            t.contains(&format!("Hand back {} parcels", total_parcels - 1))
        })
        .await?;
        every_language(s, "05-summary-open").await?;

        // Finish the tour: the tour screen offers the summary prominently.
        s.click("[data-testid=nav-stop]").await?;
        for stop in &tour.stops[2..] {
            s.wait_for(
                &format!("[data-testid=stop][data-stop-id='{}']", stop.stop_id),
                WAIT,
            )
            .await?;
            for p in &stop.parcels {
                deliver(s, &p.tracking_id, "Max Muster").await?;
            }
            s.click("[data-testid=next-stop]").await?;
        }
        s.wait_for("[data-testid=no-stop]", WAIT).await?;
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for("[data-testid=tour-finished]", WAIT).await?;
        s.wait_for("[data-testid=open-summary].primary", WAIT)
            .await?;
        every_language(s, "06-tour-finished").await?;
        s.click("[data-testid=open-summary]").await?;
        s.wait_for("[data-testid=summary-finished]", WAIT).await?;
        assert_eq!(figure(s, "delivered").await?, total_parcels - 1);
        assert_eq!(figure(s, "not-attempted").await?, 0);
        every_language(s, "07-summary-finished").await?;

        // About: the ODbL credit and this installation's id.
        let install_id: String = crate::common::device_connection(s)?.query_row(
            "SELECT value FROM meta WHERE key = 'install_id'",
            [],
            |r| r.get(0),
        )?;
        s.click("[data-testid=nav-about]").await?;
        s.wait_for_text("[data-testid=about-install-id]", WAIT, |t| t == install_id)
            .await?;
        s.wait_for_text("[data-testid=osm-credit]", WAIT, |t| {
            t == "Addresses and map data © OpenStreetMap contributors, available under the Open Database Licence (ODbL 1.0)"
        })
        .await?;
        s.wait_for_text("[data-testid=about-licence]", WAIT, |t| t.contains("Apache-2.0"))
            .await?;
        s.wait_for_text("[data-testid=about-server]", WAIT, |t| t == s.server.url)
            .await?;
        every_language(s, "08-about").await?;
        s.click("[data-testid=about-back]").await?;
        s.wait_for("[data-testid=summary-card]", WAIT).await?;

        // High contrast from the top bar, German; both survive an app restart.
        assert_eq!(s.count(".frame.contrast").await?, 0);
        s.click("[data-testid=contrast-toggle]").await?;
        s.wait_for(".frame.contrast[data-theme=contrast]", WAIT).await?;
        every_language(s, "09-summary-contrast").await?;
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for("[data-testid=tour-finished]", WAIT).await?;
        every_language(s, "10-tour-contrast").await?;
        set_lang(s, "de").await?;

        s.restart_app().await?;
        s.set_size(360, 800).await?;
        s.wait_for(".frame.contrast[data-theme=contrast]", WAIT).await?;
        s.wait_for("html[lang=de][dir=ltr]", WAIT).await?;
        assert_eq!(s.value("[data-testid=lang-picker]").await?, "de");
        s.wait_for_text("[data-testid=nav-summary]", WAIT, |t| t == "Bilanz")
            .await?;
        s.click("[data-testid=nav-about]").await?;
        s.wait_for_text("[data-testid=osm-credit]", WAIT, |t| {
            t.starts_with("Adressen und Kartendaten © OpenStreetMap-Mitwirkende")
        })
        .await?;
        s.screenshot("11-about-contrast-after-restart-de").await?;

        // Back to normal from the settings on the About screen.
        s.click("[data-testid=about-contrast]").await?;
        s.wait_for(".frame[data-theme=normal]", WAIT).await?;
        assert_eq!(s.count(".frame.contrast").await?, 0);

        // Glove mode: every control of every screen at least 56x56 (every_language measures).
        set_lang(s, "en").await?;
        s.click("[data-testid=about-gloves]").await?;
        s.wait_for(".frame.gloves", WAIT).await?;
        every_language(s, "12-about-gloves").await?;
        s.click("[data-testid=about-back]").await?;
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for("[data-testid=tour-finished]", WAIT).await?;
        every_language(s, "13-tour-gloves").await?;
        s.click("[data-testid=stop-line]").await?;
        s.wait_for("[data-testid=stop]", WAIT).await?;
        every_language(s, "14-stop-gloves").await?;
        s.click("[data-testid=nav-summary]").await?;
        s.wait_for("[data-testid=summary-card]", WAIT).await?;
        every_language(s, "15-summary-gloves").await?;
        // Kept across a restart like the other display settings.
        s.restart_app().await?;
        s.wait_for(".frame.gloves", WAIT).await?;
        Ok(())
    })
    .await
}
