//! The offline map (issue 17) through the real webview: the driver signs in, the station's
//! archive (built from the north-Bayreuth extract with `xtask tiles`, the demo tour's area)
//! comes with the tour; then the server is stopped and the map still draws from the device's
//! copy: WebGL is there (MapLibre, not the fallback), the tour map's pins are the stops at
//! their positions with the current one highlighted, a tap on a pin opens its stop, whose
//! map draws the route leg from dispatch, the parcel count and the driver; the map
//! collapses without taking the list or the buttons; away from the archive it says "not
//! downloaded". On the 360x800 stop screen the map strip, the stop's pin and "Arrive" are on
//! screen unscrolled; the map's canvas follows its container when the window or the container
//! is resized. Screenshots at 360x800 and 1280x800 in both themes.

use std::path::Path;

use anyhow::Context;
use lastmile_protocol::tour::{LatLon, ManeuverDto, RouteLegDto, TourSnapshot};
use lastmile_tests::ui::{self, Setup, UiSession};

use crate::common::{WAIT, seed, sign_in_new_device};

/// The demo tour for D1, its first stops, the first with a route leg from the station.
fn tour() -> anyhow::Result<TourSnapshot> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/north-bayreuth-tour.json");
    let mut tour = lastmile_import::own::read_tour(&path)?;
    tour.driver_id = "D1".into();
    tour.stops.truncate(6);
    let from = tour.station.position;
    let to = tour.stops[0].position;
    let mid = LatLon {
        lat: from.lat,
        lon: to.lon,
    };
    let step = |kind: &str, at: LatLon| ManeuverDto {
        location: at,
        kind: kind.into(),
        modifier: None,
        street: None,
        instruction: None,
        exit: None,
        distance_m: 500.0,
        duration_s: 60.0,
    };
    // The path along the roads has more points than the maneuvers: the map draws the path.
    let between = |a: LatLon, b: LatLon| LatLon {
        lat: (a.lat + b.lat) / 2.0,
        lon: (a.lon + b.lon) / 2.0,
    };
    tour.stops[0].route = Some(RouteLegDto {
        distance_m: 1000.0,
        duration_s: 120.0,
        maneuvers: vec![step("depart", from), step("turn", mid), step("arrive", to)],
        shape: vec![from, between(from, mid), mid, between(mid, to), to],
    });
    Ok(tour)
}

/// Builds the station's archive with `xtask tiles` into `dir/<station>.mbtiles`.
fn archive(dir: &Path, station: &str) -> anyhow::Result<()> {
    let xtask = lastmile_tests::bin_dir().join("xtask");
    anyhow::ensure!(
        xtask.is_file(),
        "{} is missing: build it (cargo build --workspace --bins)",
        xtask.display()
    );
    let out = dir.join(format!("{station}.mbtiles"));
    let status = std::process::Command::new(&xtask)
        .args(["tiles", "north-bayreuth"])
        .arg(&out)
        .status()
        .context("running xtask tiles")?;
    anyhow::ensure!(status.success(), "xtask tiles failed ({status})");
    Ok(())
}

/// Waits until the map on screen has drawn its tiles (MapLibre is idle).
async fn map_ready(s: &UiSession) -> anyhow::Result<()> {
    if let Err(e) = s
        .wait_for("[data-testid=map-canvas][data-map-ready=true]", WAIT)
        .await
    {
        let errors = s
            .script("return window.lastmileMap ? window.lastmileMap.errors : 'no lastmileMap';")
            .await?;
        anyhow::bail!("{e:#}; the map's errors: {errors}");
    }
    Ok(())
}

/// How far (px) each pin's tip is from where the map projects its stop, and its id.
async fn pin_offsets(s: &UiSession) -> anyhow::Result<Vec<(String, f64)>> {
    let v = s
        .script(
            "const map = window.lastmileMap.maps[window.lastmileMap.maps.length - 1];
             const box = map.getContainer().getBoundingClientRect();
             return [...document.querySelectorAll('[data-testid=map-pin]')].map(p => {
               const at = map.project([Number(p.dataset.lon), Number(p.dataset.lat)]);
               const r = p.getBoundingClientRect();
               const dx = (r.left + r.right) / 2 - (box.left + at.x);
               const dy = r.bottom - (box.top + at.y);
               return [p.dataset.stopId, Math.hypot(dx, dy)];
             });",
        )
        .await?;
    Ok(serde_json::from_value(v)?)
}

/// Rendered features of `layer` on the map on screen.
async fn rendered(s: &UiSession, layer: &str) -> anyhow::Result<u64> {
    let v = s
        .script(&format!(
            "const map = window.lastmileMap.maps[window.lastmileMap.maps.length - 1];
             return map.queryRenderedFeatures({{layers: ['{layer}']}}).length;"
        ))
        .await?;
    v.as_u64().context("a feature count")
}

/// The map canvas's box and its container's, `[width, height]` each in CSS px, once they
/// agree (MapLibre resizes the canvas a frame or so after the container changes), or as they
/// are after 5 s.
async fn canvas_and_box(s: &UiSession) -> anyhow::Result<([f64; 2], [f64; 2])> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let v = s
            .script(
                "const map = window.lastmileMap.maps[window.lastmileMap.maps.length - 1];
                 const c = map.getCanvas().getBoundingClientRect();
                 const b = map.getContainer().getBoundingClientRect();
                 return [[c.width, c.height], [b.width, b.height]];",
            )
            .await?;
        let (canvas, container): ([f64; 2], [f64; 2]) = serde_json::from_value(v)?;
        let fits = (canvas[0] - container[0]).abs() < 1.0 && (canvas[1] - container[1]).abs() < 1.0;
        if fits || std::time::Instant::now() > deadline {
            return Ok((canvas, container));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Asserts the map canvas fills its container, `what` naming the change before.
async fn assert_canvas_fits(s: &UiSession, what: &str) -> anyhow::Result<()> {
    let (canvas, container) = canvas_and_box(s).await?;
    assert!(
        (canvas[0] - container[0]).abs() < 1.0 && (canvas[1] - container[1]).abs() < 1.0,
        "after {what} the map canvas is {canvas:?} px in a {container:?} px box"
    );
    Ok(())
}

/// The box of `css` (top, bottom, left, right in CSS px) and the viewport's size, with the
/// page scrolled to its top.
async fn box_in_viewport(s: &UiSession, css: &str) -> anyhow::Result<bool> {
    let v = s
        .script(&format!(
            "window.scrollTo(0, 0);
             const r = document.querySelector(\"{css}\").getBoundingClientRect();
             return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight
               && r.right <= window.innerWidth && r.height > 0;"
        ))
        .await?;
    v.as_bool().context("a yes or no")
}

/// Screenshots of the screen in both themes at phone and tablet size.
async fn shots(s: &UiSession, name: &str) -> anyhow::Result<()> {
    for (w, h, size) in [(360, 800, "phone"), (1280, 800, "tablet")] {
        s.set_size(w, h).await?;
        for theme in ["normal", "contrast"] {
            if s.attr(".frame", "data-theme").await?.as_deref() != Some(theme) {
                s.click("[data-testid=contrast-toggle]").await?;
                s.wait_for(&format!(".frame[data-theme={theme}]"), WAIT)
                    .await?;
            }
            map_ready(s).await?;
            tokio::time::sleep(std::time::Duration::from_millis(700)).await;
            s.screenshot(&format!("{name}-{size}-{theme}")).await?;
        }
    }
    s.set_size(360, 800).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_draws_the_tour_and_the_stop_from_the_device_archive_offline() -> anyhow::Result<()>
{
    let tour = tour()?;
    let maps = tempfile::tempdir()?;
    archive(maps.path(), &tour.station.station_id)?;
    let setup = Setup {
        seed: Some(seed(&tour)),
        server_env: vec![("LASTMILE_MAP_DIR".into(), maps.path().display().to_string())],
        ..Setup::default()
    };
    let first = tour.stops[0].stop_id.clone();
    ui::run_with("map", setup, async |s| {
        s.set_size(360, 800).await?;
        sign_in_new_device(s).await?;
        // The archive came with the tour; the tour map draws it.
        map_ready(s).await?;
        assert_eq!(
            s.attr("[data-testid=map-canvas]", "data-webgl").await?.as_deref(),
            Some("true"),
            "WebKitGTK under Xvfb has WebGL: MapLibre draws, not the fallback"
        );
        // The network goes: everything from here comes from the device.
        s.server.kill();
        s.click("[data-testid=map-toggle]").await?;
        s.wait_for_gone("[data-testid=map-canvas]", WAIT).await?;
        assert!(s.count("[data-testid=stop-line]").await? == tour.stops.len());
        assert!(s.count("[data-testid=go-current]").await? == 1, "the buttons stay");
        s.click("[data-testid=map-toggle]").await?;
        map_ready(s).await?;
        assert!(rendered(s, "road").await? > 0, "streets drawn from the archive");
        let offsets = pin_offsets(s).await?;
        let mut ids: Vec<&str> = offsets.iter().map(|(id, _)| id.as_str()).collect();
        ids.sort_unstable();
        let mut want: Vec<&str> = tour.stops.iter().map(|st| st.stop_id.as_str()).collect();
        want.sort_unstable();
        assert_eq!(ids, want, "one pin per stop");
        for (id, off) in &offsets {
            assert!(*off < 4.0, "pin {id} is {off:.1} px from its stop");
        }
        assert_eq!(
            s.attr("[data-testid=map-pin][data-current=true]", "data-stop-id")
                .await?
                .as_deref(),
            Some(first.as_str())
        );
        let credit = s.rendered_text("[data-testid=map-credit]").await?;
        assert!(credit.contains("OpenStreetMap"), "credit: {credit}");
        shots(s, "tour").await?;

        // Away from the archive the map says so instead of showing grey.
        s.script(
            "window.lastmileMap.maps[window.lastmileMap.maps.length - 1].jumpTo({center: [0, 0]}); return null;",
        )
        .await?;
        s.wait_for("[data-testid=map-canvas] [data-testid=map-not-downloaded]:not([hidden])", WAIT)
            .await?;
        let at = tour.stops[0].position;
        s.script(&format!(
            "window.lastmileMap.maps[window.lastmileMap.maps.length - 1].jumpTo({{center: [{}, {}], zoom: 16}}); return null;",
            at.lon, at.lat
        ))
        .await?;
        s.wait_for("[data-testid=map-canvas] [data-testid=map-not-downloaded][hidden]", WAIT)
            .await?;

        // A tap on a pin opens its stop; its map has the leg, the parcels and the driver.
        s.click(&format!("[data-testid=map-pin][data-stop-id='{first}']"))
            .await?;
        s.wait_for(&format!("[data-testid=stop][data-stop-id='{first}']"), WAIT)
            .await?;
        map_ready(s).await?;
        s.wait_for("[data-testid=map-canvas][data-leg-points='5']", WAIT)
            .await?;
        s.wait_for("[data-testid=map-me]", WAIT).await?;
        assert!(rendered(s, "leg-line").await? > 0, "the route leg is drawn");
        let parcels = tour.stops[0].parcels.len();
        let label = s
            .rendered_text(&format!(
                "[data-testid=map-pin][data-stop-id='{first}'] [data-testid=map-parcels]"
            ))
            .await?;
        assert!(label.contains(&parcels.to_string()), "parcel label: {label}");
        s.click("[data-testid=map-recenter]").await?;
        map_ready(s).await?;
        let offsets = pin_offsets(s).await?;
        assert_eq!(offsets.len(), 1);
        assert!(offsets[0].1 < 4.0, "stop pin {:.1} px off", offsets[0].1);
        assert!(s.count("[data-testid=arrive]").await? == 1, "the buttons stay");

        // Above the fold on a phone: the map strip with the stop's pin and the stop's first
        // button ("Arrive") are on the 360x800 screen without scrolling. As a driver's phone
        // shows it: without the test mode's warning (its keys in files), which no real
        // device has.
        s.script(
            "document.querySelector('[data-testid=privacy-keys-in-files]')?.remove(); window.scrollTo(0, 0); return null;",
        )
        .await?;
        s.screenshot("stop-phone-fold").await?;
        for css in [
            "[data-testid=map-canvas]".to_owned(),
            format!("[data-testid=map-pin][data-stop-id='{first}']"),
            "[data-testid=arrive]".to_owned(),
        ] {
            assert!(
                box_in_viewport(s, &css).await?,
                "{css} is not within the 360x800 screen unscrolled"
            );
        }

        // The canvas follows its container: the window resized (the tablet layout's taller
        // map at 1280x800, and back), and the container alone resized by the page.
        assert_canvas_fits(s, "the first paint").await?;
        s.set_size(1280, 800).await?;
        assert_canvas_fits(s, "the window resized to 1280x800").await?;
        s.set_size(360, 800).await?;
        assert_canvas_fits(s, "the window resized back to 360x800").await?;
        s.script(
            "document.querySelector('[data-testid=map-canvas]').style.height = '90px'; return null;",
        )
        .await?;
        assert_canvas_fits(s, "the container alone shrank to 90 px").await?;
        s.script(
            "document.querySelector('[data-testid=map-canvas]').style.height = ''; return null;",
        )
        .await?;
        assert_canvas_fits(s, "the container's height came back").await?;
        shots(s, "stop").await?;
        Ok(())
    })
    .await
}
