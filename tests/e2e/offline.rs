//! A day without a connection: the driver signs in and downloads the tour, then the server
//! goes away. The driver completes three stops anyway; the status bar shows the queue growing
//! and says the device is offline. When the server is back (same address, same database),
//! everything arrives exactly once and the bar says "All sent".

use std::time::Duration;

use lastmile_tests::process::ServerProc;
use lastmile_tests::ui::{self, Setup};

use crate::common::{
    WAIT, deliver_to_recipient, every_language, outcomes, seed, sign_in_new_device, station_lead,
};
use crate::driver_day::small_tour;

/// A tour of plain parcels (one per stop) and their tracking ids: these tests are about the
/// queue and the session, not the proof.
pub(crate) fn plain_tour() -> anyhow::Result<(lastmile_protocol::tour::TourSnapshot, Vec<String>)> {
    let mut tour = small_tour()?;
    for stop in &mut tour.stops {
        stop.parcels.truncate(1);
        stop.parcels[0].flags = Default::default();
    }
    let ids = tour
        .stops
        .iter()
        .map(|s| s.parcels[0].tracking_id.clone())
        .collect();
    Ok((tour, ids))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_done_offline_arrive_once_when_the_server_is_back() -> anyhow::Result<()> {
    let (tour, ids) = plain_tour()?;
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("offline", setup, async |s| {
        s.set_size(360, 800).await?;
        s.wait_for("[data-testid=server-status] [data-state=connected]", WAIT)
            .await?;
        sign_in_new_device(s).await?;
        s.wait_for("[data-testid=sync-bar][data-pending='0']", WAIT)
            .await?;

        // The server goes away.
        let addr = s.server.addr().to_owned();
        let data_dir = s.server.data_dir.clone();
        s.server.kill();

        s.click("[data-testid=go-current]").await?;
        for (n, id) in ids.iter().take(3).enumerate() {
            deliver_to_recipient(s, id, &format!("Offline {n}")).await?;
            // The queue holds every outcome so far (nothing could be sent).
            let want = (n + 1).to_string();
            s.wait_for(
                &format!("[data-testid=sync-bar][data-pending='{want}']"),
                WAIT,
            )
            .await?;
            s.click("[data-testid=next-stop]").await?;
        }
        s.click("[data-testid=sync-now]").await?;
        s.wait_for_text("[data-testid=sync-bar]", WAIT, |t| {
            t.contains("offline") && t.contains("3 to send")
        })
        .await?;
        every_language(s, "01-offline-queue").await?;

        // How old the queue is, and what is in it: the three deliveries, with their stops.
        s.wait_for("[data-testid=sync-oldest][data-stale=false]", WAIT)
            .await?;
        s.click("[data-testid=sync-waiting-toggle]").await?;
        s.wait_for(
            "[data-testid=sync-waiting] [data-testid=waiting-item]",
            WAIT,
        )
        .await?;
        assert_eq!(
            s.count("[data-testid=waiting-item][data-kind=parcel_delivered]")
                .await?,
            3,
            "the list shows each queued delivery"
        );
        let first = s
            .rendered_text("[data-testid=waiting-item]:first-child")
            .await?;
        assert!(
            first.starts_with("Delivered · stop 1 · "),
            "kind, stop and size in words: {first}"
        );
        every_language(s, "01b-what-is-waiting").await?;
        s.click("[data-testid=sync-waiting-toggle]").await?;

        // Back online on the same address and database.
        let log = s.artifacts.join("server-restarted.log");
        s.server = ServerProc::start_on(&data_dir, &log, &addr)?;
        s.click("[data-testid=sync-now]").await?;
        s.wait_for(
            "[data-testid=sync-bar][data-pending='0']",
            Duration::from_secs(60),
        )
        .await?;
        s.wait_for_text("[data-testid=sync-pending]", WAIT, |t| t == "All sent")
            .await?;
        every_language(s, "02-back-online").await?;

        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let got: Vec<String> = outcomes(&base, &lead, &tour_id)?
            .iter()
            .filter_map(|o| o.tracking_id.clone())
            .collect();
        assert_eq!(
            got,
            ids[..3].to_vec(),
            "each offline outcome arrived exactly once"
        );
        Ok(())
    })
    .await
}

/// The refresh token the app keeps (in its keystore: the file-mode key folder here).
fn saved_refresh_token(s: &lastmile_tests::ui::UiSession) -> anyhow::Result<String> {
    let path = s.key_dir().join("credentials");
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
    saved["session"]["refresh_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow::anyhow!("no session in {}: {saved}", path.display()))
}

/// Access tokens live 2 seconds here, so a sync after a pause refreshes the session, which
/// spends its refresh token (the server revokes a session whose spent token comes back). The
/// driver closes and reopens the app mid-tour: it must still be signed in and keep sending.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reopened_after_a_token_refresh_the_driver_is_still_signed_in() -> anyhow::Result<()> {
    let (tour, ids) = plain_tour()?;
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        server_env: vec![("LASTMILE_ACCESS_TTL_SECS".into(), "2".into())],
        ..Setup::default()
    };
    ui::run_with("session_refresh", setup, async |s| {
        s.set_size(360, 800).await?;
        sign_in_new_device(s).await?;
        s.wait_for("[data-testid=sync-bar][data-pending='0']", WAIT)
            .await?;
        let signed_in_with = saved_refresh_token(s)?;

        // The access token expires; the next send refreshes the session.
        tokio::time::sleep(Duration::from_secs(3)).await;
        s.click("[data-testid=go-current]").await?;
        deliver_to_recipient(s, &ids[0], "Before restart").await?;
        s.wait_for("[data-testid=sync-bar][data-pending='0']", WAIT)
            .await?;
        let deadline = std::time::Instant::now() + WAIT;
        while saved_refresh_token(s)? == signed_in_with {
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the refreshed session was never written to the keystore"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }

        // Still signed in: it reopens on the next stop, not on the sign-in screen. Twice: the
        // loop refreshes at every start, so the second start needs the first one's token.
        for (n, id) in ids[1..3].iter().enumerate() {
            s.restart_app().await?;
            deliver_to_recipient(s, id, &format!("After restart {n}")).await?;
            s.wait_for("[data-testid=sync-bar][data-pending='0']", WAIT)
                .await?;
            assert_eq!(
                s.count("[data-testid=sync-needs-sign-in]").await?,
                0,
                "after reopening ({n}), the bar asks for a sign-in"
            );
        }

        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let got: Vec<String> = outcomes(&base, &lead, &tour_id)?
            .iter()
            .filter_map(|o| o.tracking_id.clone())
            .collect();
        assert_eq!(got, ids[..3].to_vec(), "every outcome arrived, once each");
        Ok(())
    })
    .await
}
