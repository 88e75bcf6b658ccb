//! Corrections through the real webview, real server and real SQLite: the driver records a
//! failed attempt, watches the undo banner count down and close, then corrects the outcome
//! from the stop (delivered to the recipient after all, with a reason). The stop shows the
//! correction, the tour list leads back to it, and after the upload the station lead's
//! dispatch view keeps the original failed attempt with the corrected outcome beside it.
//! Screenshots at 360x800 in English, German and Arabic go to
//! `target/e2e-artifacts/corrections/`.

use std::time::Duration;

use lastmile_protocol::dispatch::OutcomeKind;
use lastmile_protocol::events::{CorrectedOutcomeDto, DeliveryMethodDto};
use lastmile_tests::ui::{self, Setup};

use crate::common::{WAIT, every_language, outcomes, parcel, seed, station_lead};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_attempt_corrected_after_the_undo_window_reaches_dispatch() -> anyhow::Result<()> {
    let tour = crate::driver_day::small_tour()?;
    let first = tour.stops[0].parcels[0].tracking_id.clone();
    let first_stop = tour.stops[0].stop_id.clone();
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("corrections", setup, async |s| {
        crate::common::phone_at_first_stop(s).await?;

        // Nobody home: a failed attempt with a card from the stack.
        crate::common::fail_nobody_home(s, &first).await?;

        // The banner says how long undo remains, counts down, and closes.
        s.wait_for_text("[data-testid=undo-left]", WAIT, |t| t.contains("s left"))
            .await?;
        let shown = s.rendered_text("[data-testid=undo-left]").await?;
        every_language(s, "01-undo-countdown").await?;
        s.wait_for_text("[data-testid=undo-left]", WAIT, |t| t != shown)
            .await?;
        s.wait_for_gone("[data-testid=undo-banner]", WAIT).await?;

        // The recipient came to the door after all: correct it from the stop.
        s.click(&format!("{} [data-testid=correct]", parcel(&first, "failed")))
            .await?;
        s.wait_for("[data-testid=correct-dialog]", WAIT).await?;
        s.click("[data-testid=correct-to-delivered]").await?;
        s.click("[data-testid=correct-dialog] [data-testid=method-recipient]")
            .await?;
        s.fill(
            "[data-testid=correct-dialog] [data-testid=recipient-name]",
            "Erika Mustermann",
        )
        .await?;
        // Without a reason it is refused, and says so.
        s.click("[data-testid=confirm-correct]").await?;
        s.wait_for(
            "[data-testid=correct-dialog] [data-testid=error][data-code='rule.correction_reason_missing']",
            WAIT,
        )
        .await?;
        s.fill(
            "[data-testid=correct-note]",
            "She opened the door as I walked back to the van",
        )
        .await?;
        every_language(s, "02-correct-dialog").await?;
        s.click("[data-testid=confirm-correct]").await?;
        s.wait_for(&parcel(&first, "delivered"), WAIT).await?;
        s.wait_for_text(
            &format!("{} [data-testid=outcome]", parcel(&first, "delivered")),
            WAIT,
            |t| t.contains("Erika Mustermann") && t.contains("corrected"),
        )
        .await?;
        s.wait_for_text("[data-testid=notice]", WAIT, |t| t.contains(&first))
            .await?;
        every_language(s, "03-corrected").await?;

        // From the tour list the stop opens again, with the correction and its button.
        s.click("[data-testid=nav-tour]").await?;
        s.click(&format!(
            "[data-testid=stop-line][data-stop-id='{first_stop}']"
        ))
        .await?;
        s.wait_for(
            &format!("{} [data-testid=correct]", parcel(&first, "delivered")),
            WAIT,
        )
        .await?;

        // Dispatch keeps the failed attempt as recorded and shows what it became.
        s.click("[data-testid=sync-now]").await?;
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let deadline = std::time::Instant::now() + Duration::from_secs(40);
        loop {
            let seen = outcomes(&base, &lead, &tour_id)?;
            let attempt = seen
                .iter()
                .find(|o| o.tracking_id.as_deref() == Some(first.as_str()));
            if let Some(o) = attempt
                && o.corrected_to.is_some()
            {
                assert!(matches!(o.kind, OutcomeKind::Failed { .. }), "{o:?}");
                assert_eq!(
                    o.corrected_to,
                    Some(CorrectedOutcomeDto::Delivered {
                        method: DeliveryMethodDto::Recipient {
                            name: "Erika Mustermann".into()
                        }
                    })
                );
                assert_eq!(
                    o.corrections,
                    ["She opened the door as I walked back to the van"]
                );
                break;
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the correction did not reach dispatch: {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    })
    .await
}
