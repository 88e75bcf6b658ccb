//! The end-to-end harness: real processes over loopback and the real webview.
//!
//! A [`UiSession`] starts, each on its own: an Xvfb on a free display, a real `lastmile-server`
//! on port 0 with a temp database, `tauri-driver` + `WebKitWebDriver` on free ports, and the
//! built app with a temp data folder. Every child runs in its own process group and is killed
//! as a group on drop; every WebDriver call runs under a timeout, so a wedged driver fails the
//! test instead of hanging CI. Screenshots go to `target/e2e-artifacts/<test>/`.

pub mod bench;
pub mod process;
pub mod tls;
pub mod ui;

use std::path::PathBuf;

/// The cargo target profile folder the tests were built into (`target/debug`), where the
/// server and app binaries are (built by `cargo xtask test` before the tests run).
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    // target/debug/deps/e2e-<hash>  ->  target/debug
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps layout")
        .to_owned()
}

/// Path of a workspace binary, or an error that says how to build it.
pub fn binary(name: &str) -> anyhow::Result<PathBuf> {
    let path = bin_dir().join(name);
    anyhow::ensure!(
        path.exists(),
        "{} is missing: build it first (`cargo xtask test` does; or `cargo xtask build-app`)",
        path.display()
    );
    Ok(path)
}

/// Folder for screenshots and logs of one test: `target/e2e-artifacts/<test>/`, emptied first
/// so that nothing in it (a `failure.png` above all) is left from an earlier run.
pub fn artifacts_dir(test: &str) -> PathBuf {
    let dir = bin_dir()
        .parent()
        .expect("target dir")
        .join("e2e-artifacts")
        .join(test);
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("emptying {}: {e}", dir.display()),
    }
    std::fs::create_dir_all(&dir).expect("creating the artifacts folder");
    dir
}

/// A `lastmile-server seed` of `tour`'s station with `enrolment_code` (10 uses), the users
/// given as `(user_id, role, pin)` at that station, and the tour.
pub fn station_seed(
    tour: &lastmile_protocol::tour::TourSnapshot,
    enrolment_code: &str,
    users: &[(&str, &str, &str)],
) -> serde_json::Value {
    let station = &tour.station;
    // The station hands out notification cards (#12); a tour without a stack gets one.
    let mut tour = tour.clone();
    if tour.card_stacks.is_empty() {
        tour.card_stacks
            .push(lastmile_protocol::station::CardRange {
                first: "K000001".into(),
                last: "K000020".into(),
            });
    }
    let users: Vec<serde_json::Value> = users
        .iter()
        .map(|(user_id, role, pin)| {
            serde_json::json!({
                "user_id": user_id, "role": role, "station_id": station.station_id, "pin": pin,
            })
        })
        .collect();
    serde_json::json!({
        "stations": [{
            "station_id": station.station_id,
            "name": station.name,
            "position": {"lat": station.position.lat, "lon": station.position.lon},
            "enrolment_codes": [{"code": enrolment_code, "max_uses": 10}],
        }],
        "users": users,
        "tours": [tour],
    })
}
