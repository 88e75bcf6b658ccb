//! A full service visit through the real webview, real server and real SQLite (issue 14):
//! the first stop is an installation with a three-item checklist and 45 minutes planned. The
//! stop card shows the kind and the duration; the driver starts the visit, answers the
//! checklist (one item not done, with a note), adds a photo, writes the customer's name and
//! has them sign; finishing with an item unanswered and then without the signature is refused
//! and says why. The stop is done on the stop screen, the tour list and the summary, and after
//! the upload the station lead's service-visits view shows the visit with its answers, the
//! customer and the proof arrived. Screenshots at 360x800 in English, German and Arabic, and of
//! the panel scrolled into view in English and German (`*-panel-*`), go to
//! `target/e2e-artifacts/service/`.

use std::time::Duration;

use lastmile_protocol::service::{ServiceItemDto, ServiceVisitView};
use lastmile_protocol::tour::StopKindDto;
use lastmile_tests::ui::{self, Setup};

use crate::common::{WAIT, every_language, http, seed, set_lang, station_lead};

/// The service panel itself (below the stop card and the guidance on a phone), scrolled into
/// view, in English and German: `name-panel-en`, `name-panel-de`.
async fn panel_shots(s: &lastmile_tests::ui::App, name: &str) -> anyhow::Result<()> {
    for code in ["de", "en"] {
        set_lang(s, code).await?;
        s.scroll_to("[data-testid=service-panel]").await?;
        s.screenshot(&format!("{name}-panel-{code}")).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_service_visit_with_checklist_and_sign_off_reaches_dispatch() -> anyhow::Result<()> {
    let mut tour = crate::driver_day::small_tour()?;
    let visit = &mut tour.stops[0];
    visit.kind = StopKindDto::Service;
    visit.service_seconds = 45 * 60;
    visit.parcels.clear();
    visit.checklist = [
        ("mount", "Mount the washing machine"),
        ("connect", "Connect water and power"),
        ("explain", "Explain it to the customer"),
    ]
    .iter()
    .map(|(id, label)| ServiceItemDto {
        item_id: (*id).into(),
        label: (*label).into(),
    })
    .collect();
    let stop_id = visit.stop_id.clone();
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("service", setup, async |s| {
        crate::common::phone_at_first_stop(s).await?;
        s.wait_for(
            &format!("[data-testid=stop][data-stop-id='{stop_id}'] [data-testid=stop-kind][data-kind=service]"),
            WAIT,
        )
        .await?;
        s.wait_for_text("[data-testid=service-duration]", WAIT, |t| t.contains("45 min"))
            .await?;
        s.wait_for("[data-testid=service-visit][data-state=planned]", WAIT)
            .await?;
        every_language(s, "01-service-planned").await?;
        panel_shots(s, "01-service-planned").await?;

        s.click("[data-testid=service-start]").await?;
        s.wait_for("[data-testid=service-visit][data-state=started]", WAIT)
            .await?;
        s.wait_for_text("[data-testid=service-started]", WAIT, |t| t.contains("Started"))
            .await?;
        let item = |id: &str, what: &str| format!("[data-testid=service-item][data-item={id}] [data-testid={what}]");
        s.click(&item("mount", "service-done")).await?;
        s.click(&item("connect", "service-not-done")).await?;
        s.fill(&item("connect", "service-note"), "No socket near the sink")
            .await?;
        s.fill("[data-testid=service-customer]", "Ada Weber").await?;
        // One item left unanswered: refused, saying so.
        s.scroll_to("[data-testid=service-finish]").await?;
        s.click("[data-testid=service-finish]").await?;
        s.wait_for(
            "[data-testid=service-panel] [data-testid=error][data-code='service.item_unanswered']",
            WAIT,
        )
        .await?;
        every_language(s, "02-service-item-unanswered").await?;
        panel_shots(s, "02-service-item-unanswered").await?;
        s.click(&item("explain", "service-done")).await?;
        s.wait_for("[data-testid=service-item][data-item=explain][data-answer=done]", WAIT)
            .await?;
        s.choose_file(
            "[data-testid=service-photo]",
            &crate::driver_day::camera_picture(&s.artifacts)?,
        )
        .await?;
        s.wait_for("[data-testid=service-panel] [data-testid=photo-preview]", WAIT)
            .await?;
        // No signature yet: refused.
        s.click("[data-testid=service-finish]").await?;
        s.wait_for(
            "[data-testid=service-panel] [data-testid=error][data-code='service.signature_missing']",
            WAIT,
        )
        .await?;
        s.draw(
            "[data-testid=service-panel] [data-testid=signature-pad]",
            &crate::driver_day::scribble(),
        )
        .await?;
        every_language(s, "03-service-signed").await?;
        panel_shots(s, "03-service-signed").await?;
        s.click("[data-testid=service-finish]").await?;
        s.wait_for("[data-testid=service-visit][data-state=finished]", WAIT)
            .await?;
        s.wait_for(
            &format!("[data-testid=stop][data-stop-id='{stop_id}'][data-state=done]"),
            WAIT,
        )
        .await?;
        s.wait_for_text("[data-testid=service-signed-by]", WAIT, |t| t.contains("Ada Weber"))
            .await?;
        s.wait_for(
            "[data-testid=service-item][data-item=connect][data-answer=not_done] [data-testid=service-item-note]",
            WAIT,
        )
        .await?;
        every_language(s, "04-service-finished").await?;
        panel_shots(s, "04-service-finished").await?;

        // Done on the tour list and in the summary.
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for(
            &format!("[data-testid=stop-line][data-stop-id='{stop_id}'][data-state=done]"),
            WAIT,
        )
        .await?;
        s.click("[data-testid=nav-summary]").await?;
        s.wait_for("[data-testid=summary-stops][data-done='1'][data-total='5']", WAIT)
            .await?;

        // Dispatch sees the visit once the phone has sent it and its proof.
        s.click("[data-testid=sync-now]").await?;
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let deadline = std::time::Instant::now() + Duration::from_secs(40);
        loop {
            let seen: Vec<ServiceVisitView> = http(
                &format!("{base}/v1/dispatch/tours/{tour_id}/service-visits"),
                Some(&lead.access_token),
                None,
            )?;
            anyhow::ensure!(seen.len() == 1, "{seen:?}");
            let v = &seen[0];
            if v.status == "finished" && v.proof_received {
                assert_eq!(v.stop_id, stop_id);
                assert_eq!(v.customer_name.as_deref(), Some("Ada Weber"));
                assert!(v.started_at.is_some() && v.finished_at >= v.started_at);
                let answers: Vec<(&str, Option<bool>, Option<&str>)> = v
                    .items
                    .iter()
                    .map(|i| (i.item_id.as_str(), i.done, i.note.as_deref()))
                    .collect();
                assert_eq!(
                    answers,
                    [
                        ("mount", Some(true), None),
                        ("connect", Some(false), Some("No socket near the sink")),
                        ("explain", Some(true), None)
                    ]
                );
                assert_eq!(v.proof.len(), 3, "photo, signature strokes and image");
                break;
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the visit did not reach dispatch: {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Ok(())
    })
    .await
}
