//! Guidance along a router's route: the driver has the tour on the device when dispatch puts
//! a real Valhalla route (OSRM format, 23 maneuvers through Tallinn) on the first stop. It
//! arrives through sync, the open stop screen shows the maneuvers, and as the simulated
//! position drives along the route the highlighted maneuver moves forward until the driver
//! is at the door.

use std::time::{Duration, Instant};

use anyhow::Context;
use lastmile_protocol::dispatch::RouteReport;
use lastmile_protocol::tour::{AddressDto, LatLon, TourSnapshot};
use lastmile_tests::ui::{self, Setup, UiSession};

use crate::common::{
    WAIT, every_language, seed, set_lang, shared, sign_in_new_device, station_lead,
};
use crate::driver_day::small_tour;

const ROUTE: &str =
    "osrm_valhalla_route_fixtures/valhalla_osrm_compatible/valhalla_osrm_response.json";
/// Maneuvers (steps) of the route's one leg.
const MANEUVERS: usize = 23;

/// The route's start and end, from its `waypoints` (`[lon, lat]`).
fn waypoints(route: &serde_json::Value) -> anyhow::Result<(LatLon, LatLon)> {
    let at = |i: usize| -> anyhow::Result<LatLon> {
        let p = &route["waypoints"][i]["location"];
        Ok(LatLon {
            lat: p[1].as_f64().context("waypoint lat")?,
            lon: p[0].as_f64().context("waypoint lon")?,
        })
    };
    Ok((at(0)?, at(1)?))
}

/// The small E2E tour moved to Tallinn: the station at the route's start, stop 1 at its end
/// (Peetri), the others a few hundred metres on.
fn tallinn_tour(from: LatLon, to: LatLon) -> anyhow::Result<TourSnapshot> {
    let mut tour = small_tour()?;
    tour.station.position = from;
    for (i, stop) in tour.stops.iter_mut().enumerate() {
        stop.position = LatLon {
            lat: to.lat + 0.002 * i as f64,
            lon: to.lon,
        };
        stop.address = AddressDto {
            street: "Peetri".into(),
            house_number: (2 * i + 1).to_string(),
            postcode: "10415".into(),
            city: "Tallinn".into(),
            name: None,
        };
        stop.route = None;
    }
    Ok(tour)
}

/// Index of the highlighted maneuver, if one is.
async fn highlighted(s: &UiSession) -> anyhow::Result<Option<usize>> {
    let marks = ui::timed(
        "highlighted maneuver",
        s.client().execute(
            "return [...document.querySelectorAll('[data-testid=maneuver]')]
                 .findIndex(li => li.dataset.next === 'true');",
            vec![],
        ),
    )
    .await??;
    Ok(marks.as_i64().and_then(|i| usize::try_from(i).ok()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maneuvers_from_dispatch_follow_the_driver_to_the_door() -> anyhow::Result<()> {
    let route_file = shared(ROUTE);
    let route: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&route_file).with_context(|| format!("reading {}", route_file.display()))?,
    )?;
    let (from, to) = waypoints(&route)?;
    let tour = tallinn_tour(from, to)?;
    let (tour_id, first_stop) = (tour.tour_id.clone(), tour.stops[0].stop_id.clone());
    let setup = Setup {
        seed: Some(seed(&tour)),
        // 2.6 km in about 20 s: long enough to watch, short enough for a test.
        env: vec![("LASTMILE_SIM_SPEED_KMH".into(), "450".into())],
        ..Setup::default()
    };
    ui::run_with("guidance", setup, async |s| {
        s.set_size(360, 800).await?;
        sign_in_new_device(s).await?;
        s.click("[data-testid=go-current]").await?;
        s.wait_for(
            &format!("[data-testid=stop][data-stop-id='{first_stop}']"),
            WAIT,
        )
        .await?;
        assert_eq!(
            s.count("[data-testid=maneuver]").await?,
            0,
            "no route yet: no maneuvers"
        );
        // Without a leg the ETA is the straight line's, and says so.
        s.wait_for_text("[data-testid=eta][data-eta-source=straight]", WAIT, |t| {
            t.contains("straight line")
        })
        .await?;

        // Dispatch puts the router's response on the tour; the device gets it through sync
        // and the open screen reloads with it.
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let out = std::process::Command::new("curl")
            .args(["-sS", "--fail-with-body", "--max-time", "10", "-X", "PUT"])
            .arg(format!("{base}/v1/dispatch/tours/{tour_id}/route"))
            .args([
                "-H",
                &format!("Authorization: Bearer {}", lead.access_token),
            ])
            .args(["-H", "Content-Type: application/json", "--data-binary"])
            .arg(format!("@{}", route_file.display()))
            .output()?;
        anyhow::ensure!(
            out.status.success(),
            "PUT route: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        let report: RouteReport = serde_json::from_slice(&out.stdout)?;
        assert_eq!(report.stops, vec![first_stop.clone()]);
        s.click("[data-testid=sync-now]").await?;
        let deadline = Instant::now() + WAIT;
        while s.count("[data-testid=maneuver]").await? != MANEUVERS {
            if Instant::now() >= deadline {
                let cursor = s.attr("[data-testid=sync-bar]", "data-cursor").await?;
                let bar = s.rendered_text("[data-testid=sync-bar]").await?;
                anyhow::bail!(
                    "the route's {MANEUVERS} maneuvers never showed on the open stop (sync bar at cursor {cursor:?}: {bar})"
                );
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }

        // With the leg, the ETA is the router's figures for what is left of it, and says so
        // (its distance left is shown).
        s.wait_for_text("[data-testid=eta][data-eta-source=road]", WAIT, |t| {
            t.contains("by road") && t.contains(" left")
        })
        .await?;

        // In the driver's language, not the router's: its second step is "turn left".
        let second = "[data-testid=maneuver]:nth-child(2)";
        s.wait_for_text(second, WAIT, |t| t.starts_with("Turn left"))
            .await?;
        set_lang(s, "de").await?;
        s.wait_for_text(second, WAIT, |t| t.starts_with("Links abbiegen"))
            .await?;
        set_lang(s, "en").await?;
        s.wait_for_text(second, WAIT, |t| t.starts_with("Turn left"))
            .await?;

        // Drive: the highlight only moves forward, through the route, to the door.
        let mut seen: Vec<usize> = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            if let Some(i) = highlighted(s).await?
                && seen.last() != Some(&i)
            {
                if let Some(&before) = seen.last() {
                    anyhow::ensure!(
                        i > before,
                        "the highlight went back from maneuver {before} to {i} (seen {seen:?})"
                    );
                }
                seen.push(i);
                if seen.len() == 3 {
                    every_language(s, "01-maneuvers-on-the-way").await?;
                }
            }
            let metres: f64 = s
                .attr("[data-testid=distance]", "data-metres")
                .await?
                .unwrap_or_default()
                .parse()
                .unwrap_or(f64::MAX);
            if metres < 30.0 && seen.last() == Some(&(MANEUVERS - 1)) {
                break;
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "never arrived: {metres} m left, highlights seen {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        anyhow::ensure!(
            seen.len() >= 4,
            "the highlight moved through too few maneuvers: {seen:?}"
        );
        s.wait_for_text("[data-testid=distance]", WAIT, |t| {
            t.contains("at the stop")
        })
        .await?;
        every_language(s, "02-arrived").await?;
        Ok(())
    })
    .await
}
