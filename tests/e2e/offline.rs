//! A day without a connection: the driver signs in and downloads the tour, then the server
//! goes away. The driver completes three stops anyway; the status bar shows the queue growing
//! and says the device is offline. When the server is back (same address, same database),
//! everything arrives exactly once and the bar says "All sent".

use std::time::Duration;

use lastmile_tests::process::ServerProc;
use lastmile_tests::ui::{self, Setup};

use crate::common::{
    WAIT, both_languages, outcomes, parcel, seed, sign_in_new_device, station_lead,
};
use crate::driver_day::small_tour;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stops_done_offline_arrive_once_when_the_server_is_back() -> anyhow::Result<()> {
    let mut tour = small_tour()?;
    // Plain parcels only: this test is about the queue, not the proof.
    for stop in &mut tour.stops {
        stop.parcels.truncate(1);
        stop.parcels[0].flags = Default::default();
    }
    let ids: Vec<String> = tour
        .stops
        .iter()
        .map(|s| s.parcels[0].tracking_id.clone())
        .collect();
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        env: vec![],
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
            s.wait_for(&parcel(id, "pending"), WAIT).await?;
            s.click(&format!("{} [data-testid=deliver]", parcel(id, "pending")))
                .await?;
            s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
            s.click("[data-testid=method-recipient]").await?;
            s.fill("[data-testid=recipient-name]", &format!("Offline {n}"))
                .await?;
            s.click("[data-testid=confirm-deliver]").await?;
            s.wait_for(&parcel(id, "delivered"), WAIT).await?;
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
        both_languages(s, "01-offline-queue").await?;

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
        both_languages(s, "02-back-online").await?;

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
