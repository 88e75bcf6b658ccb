//! A conflict shown and acknowledged, through the real webview, real server and real SQLite:
//! the driver records a failed attempt at the first stop, then dispatch removes that stop on
//! the server. The change reaches the phone through sync; the stop stays (an outcome was
//! recorded there), and the summary lists the conflict: what dispatch changed and what the
//! driver recorded. "Seen" acknowledges it: it stays listed but no longer counts. Screenshots
//! at 360x800 in English, German and Arabic go to `target/e2e-artifacts/conflicts/`.

use lastmile_tests::ui::{self, Setup};

use crate::common::{WAIT, every_language, fail_nobody_home, http, seed, station_lead};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_dispatch_removed_after_an_outcome_is_shown_and_acknowledged() -> anyhow::Result<()>
{
    let tour = crate::driver_day::small_tour()?;
    let first = tour.stops[0].parcels[0].tracking_id.clone();
    let first_stop = tour.stops[0].stop_id.clone();
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("conflicts", setup, async |s| {
        crate::common::phone_at_first_stop(s).await?;
        fail_nobody_home(s, &first).await?;

        // Dispatch removes the stop; the phone learns it at its next sync.
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let _: serde_json::Value = http(
            &format!("{base}/v1/dispatch/tours/{tour_id}/changes"),
            Some(&lead.access_token),
            Some(serde_json::json!({"changes": [{"type": "stop_removed", "stop_id": first_stop}]})),
        )?;
        s.click("[data-testid=sync-now]").await?;
        s.click("[data-testid=nav-summary]").await?;
        let item = format!("[data-testid=conflict][data-stop-id='{first_stop}']");
        s.wait_for(
            &format!("{item}[data-kind=stop_removed][data-state=open]"),
            WAIT,
        )
        .await?;
        s.wait_for_text("[data-testid=summary-conflicts]", WAIT, |t| t.contains('1'))
            .await?;
        s.wait_for_text(&format!("{item} [data-testid=conflict-what]"), WAIT, |t| {
            t.contains("removed this stop")
        })
        .await?;
        s.wait_for_text(
            &format!("{item} [data-testid=conflict-recorded]"),
            WAIT,
            |t| t.contains(&first) && t.contains("Nobody home"),
        )
        .await?;
        every_language(s, "01-conflict").await?;

        // Seen: it stays listed, greyed, and the summary no longer counts it.
        s.click(&format!("{item} [data-testid=conflict-ack]"))
            .await?;
        s.wait_for(&format!("{item}[data-state=acknowledged]"), WAIT)
            .await?;
        s.wait_for("[data-testid=summary-conflicts][data-value='0']", WAIT)
            .await?;
        assert_eq!(s.count("[data-testid=conflict-ack]").await?, 0);
        every_language(s, "02-acknowledged").await?;
        Ok(())
    })
    .await
}
