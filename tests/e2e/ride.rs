//! The supervisor ride-along on two real apps at once against one real server (issue #13):
//! the supervisor V1 starts a ride-along with D1 on their own phone; D1 completes stops on
//! theirs while V1 records observations at two stops, marks one stop assisted and grades the
//! checklist; V1's connection is cut (the server stopped) for part of the tour and V1 keeps
//! recording; when the server is back everything arrives exactly once. V1 signs; D1 reads the
//! record on their phone, comments (disagreeing) and signs; the server's record has both
//! signatures and the comment; the pace shows the figures with and without the assisted
//! stop; D1 exports the copy and the test reads the file. Every ride-along screen is
//! screenshot at 360×800 in English, German and Arabic (and checked in all seven languages).

use std::time::Duration;

use anyhow::Context;
use lastmile_protocol::ride::{PaceView, RideAlongRecord, RideAlongSummary, RideStatusDto};
use lastmile_tests::process::ServerProc;
use lastmile_tests::ui::{self, App, Setup};

use crate::common::{
    self, WAIT, deliver_to_recipient, every_language, http, seed, sign_in_new_device, station_lead,
};
use crate::driver_day::scribble;
use crate::offline::plain_tour;

/// Long waits: two apps and a server share two cores.
const SLOW: Duration = Duration::from_secs(60);

/// Clicks `css` after scrolling it to the middle of the screen (the sticky status bar covers
/// the top of a long screen).
async fn tap(app: &App, css: &str) -> anyhow::Result<()> {
    app.scroll_to(css).await?;
    app.click(css).await
}

/// Waits until the app's queue is empty (everything acknowledged by the server).
async fn all_sent(app: &App) -> anyhow::Result<()> {
    app.click("[data-testid=sync-now]").await?;
    app.wait_for("[data-testid=sync-bar][data-pending='0']", SLOW)
        .await
        .map(|_| ())
}

/// Brings the driver to the tour list, where the ride-along banner loads afresh.
async fn driver_banner(s: &App) -> anyhow::Result<()> {
    for _ in 0..30 {
        s.click("[data-testid=nav-stop]").await?;
        s.click("[data-testid=nav-tour]").await?;
        if s.count("[data-testid=ride-banner]").await? > 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    anyhow::bail!("no ride-along banner on the driver's phone")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ride_along_on_two_phones_is_recorded_once_and_signed_by_both() -> anyhow::Result<()> {
    let (mut tour, ids) = plain_tour()?;
    // A ride-along is about the driver's tour of today.
    tour.date = chrono::Utc::now().date_naive();
    let tour_id = tour.tour_id.clone();
    let stops: Vec<String> = tour.stops.iter().map(|s| s.stop_id.clone()).collect();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("ride", setup, async |s| {
        s.set_size(360, 800).await?;
        let phone = s.peer("supervisor", &[]).await?;
        phone.set_size(360, 800).await?;
        let result = the_day(s, &phone, &tour_id, &stops, &ids).await;
        if let Err(e) = &result {
            eprintln!("supervisor's phone: {e:#}\n{}", phone.diagnosis());
            if let Err(shot) = phone.screenshot("failure-supervisor").await {
                eprintln!("no screenshot of the supervisor's phone: {shot:#}");
            }
        }
        phone.close().await;
        result
    })
    .await
}

async fn the_day(
    s: &mut ui::UiSession,
    phone: &App,
    tour_id: &str,
    stops: &[String],
    ids: &[String],
) -> anyhow::Result<()> {
    {
        // The driver's phone: D1 with the tour.
        sign_in_new_device(s).await?;
        // The supervisor's phone: V1 picks D1 and starts.
        common::sign_in_as(phone, "supervisor", "V1", "8765").await?;
        phone.wait_for("[data-testid=ride-start-D1]", SLOW).await?;
        every_language(phone, "ride-01-pick").await?;
        tap(phone, "[data-testid=ride-start-D1]").await?;
        phone.wait_for("[data-testid=ride-follow]", SLOW).await?;
        phone
            .wait_for("[data-testid=ride-stop][data-state=current]", WAIT)
            .await?;
        assert_eq!(phone.count("[data-testid=ride-stop]").await?, stops.len());
        every_language(phone, "ride-02-follow").await?;
        all_sent(phone).await?;

        // The driver's phone says who rides along.
        driver_banner(s).await?;
        s.wait_for("[data-testid=ride-running][data-supervisor=V1]", WAIT)
            .await?;
        every_language(s, "ride-03-driver-banner").await?;

        // The driver completes the first two stops.
        s.click("[data-testid=go-current]").await?;
        deliver_to_recipient(s, &ids[0], "Frau Ride 1").await?;
        s.click("[data-testid=next-stop]").await?;
        deliver_to_recipient(s, &ids[1], "Herr Ride 2").await?;
        all_sent(s).await?;

        // The supervisor follows: the first two stops done, the third is current.
        tap(phone, "[data-testid=ride-refresh]").await?;
        phone
            .wait_for(
                &format!(
                    "[data-testid=ride-stop][data-stop='{}'][data-state=current]",
                    stops[2]
                ),
                SLOW,
            )
            .await?;
        // An observation at the first stop.
        tap(
            phone,
            &format!("[data-testid=ride-stop][data-stop='{}']", stops[0]),
        )
        .await?;
        phone
            .wait_for("[data-testid=ride-stop-detail]", WAIT)
            .await?;
        every_language(phone, "ride-04-stop").await?;
        tap(phone, "[data-testid=ride-observe-here]").await?;
        phone.wait_for("[data-testid=ride-observe]", WAIT).await?;
        phone
            .select("[data-testid=ride-category]", "customer_contact")
            .await?;
        phone
            .fill("[data-testid=ride-text]", "Greets the customer by name")
            .await?;
        tap(phone, "[data-testid=ride-save-observation]").await?;
        phone
            .wait_for("[data-testid=ride-observation-saved]", WAIT)
            .await?;
        every_language(phone, "ride-05-observe").await?;
        tap(phone, "[data-testid=ride-back]").await?;
        // The second stop: the supervisor carried the parcels.
        tap(
            phone,
            &format!("[data-testid=ride-stop][data-stop='{}']", stops[1]),
        )
        .await?;
        tap(phone, "[data-testid=ride-assist-carried_parcels]").await?;
        phone.wait_for("[data-testid=ride-assisted]", WAIT).await?;
        tap(phone, "[data-testid=ride-back]").await?;
        // The checklist.
        tap(phone, "[data-testid=ride-nav-checklist]").await?;
        phone.wait_for("[data-testid=ride-checklist]", WAIT).await?;
        tap(phone, "[data-testid=ride-grade-seat_belt-proficient]").await?;
        phone
            .wait_for(
                "[data-testid=ride-grade-seat_belt-proficient].selected",
                WAIT,
            )
            .await?;
        tap(phone, "[data-testid=ride-grade-parking-needs_practice]").await?;
        phone
            .wait_for(
                "[data-testid=ride-grade-parking-needs_practice].selected",
                WAIT,
            )
            .await?;
        every_language(phone, "ride-06-checklist").await?;
        all_sent(phone).await?;

        // The connection goes: the server stops. Both keep working.
        let addr = s.server.addr().to_owned();
        let data_dir = s.server.data_dir.clone();
        s.server.kill();
        s.click("[data-testid=next-stop]").await?;
        deliver_to_recipient(s, &ids[2], "Offline 3").await?;
        tap(phone, "[data-testid=ride-nav-follow]").await?;
        tap(
            phone,
            &format!("[data-testid=ride-stop][data-stop='{}']", stops[2]),
        )
        .await?;
        tap(phone, "[data-testid=ride-observe-here]").await?;
        phone
            .fill(
                "[data-testid=ride-text]",
                "Scanned every parcel before leaving",
            )
            .await?;
        tap(phone, "[data-testid=ride-save-observation]").await?;
        phone
            .wait_for("[data-testid=ride-observation-saved]", WAIT)
            .await?;
        tap(phone, "[data-testid=ride-nav-checklist]").await?;
        tap(phone, "[data-testid=ride-grade-residential_speed-trained]").await?;
        phone
            .wait_for(
                "[data-testid=ride-grade-residential_speed-trained].selected",
                WAIT,
            )
            .await?;
        tap(phone, "[data-testid=sync-now]").await?;
        phone
            .wait_for_text("[data-testid=sync-bar]", WAIT, |t| t.contains("offline"))
            .await?;
        let pending: u32 = phone
            .attr("[data-testid=sync-bar]", "data-pending")
            .await?
            .context("pending")?
            .parse()?;
        assert_eq!(pending, 2, "the offline observation and grade wait");

        // Back: same address, same database. Everything arrives, once.
        let log = s.artifacts.join("server-restarted.log");
        s.server = ServerProc::start_on(&data_dir, &log, &addr)?;
        all_sent(phone)
            .await
            .context("the supervisor's queue after the restart")?;
        all_sent(s)
            .await
            .context("the driver's queue after the restart")?;

        // The supervisor ends with coaching notes and signs.
        tap(phone, "[data-testid=ride-nav-end]")
            .await
            .context("to the end")?;
        phone.wait_for("[data-testid=ride-end]", WAIT).await?;
        phone
            .fill(
                "[data-testid=ride-notes]",
                "Good day. Keep the hazard lights habit.",
            )
            .await?;
        every_language(phone, "ride-07-end").await?;
        phone
            .draw("[data-testid=signature-pad]", &scribble())
            .await?;
        tap(phone, "[data-testid=ride-sign]").await?;
        phone
            .wait_for("[data-testid=ride-last][data-status=awaiting_driver]", SLOW)
            .await?;
        every_language(phone, "ride-08-signed").await?;
        all_sent(phone).await?;

        // The driver reads the whole record on their phone, disagrees in a comment and signs.
        driver_banner(s).await?;
        s.wait_for("[data-testid=ride-waiting]", SLOW).await?;
        tap(s, "[data-testid=ride-my-records]").await?;
        s.wait_for("[data-testid=ride-record]", WAIT).await?;
        every_language(s, "ride-09-my-records").await?;
        tap(s, "[data-testid=ride-record]").await?;
        s.wait_for(
            "[data-testid=ride-record-detail][data-status=awaiting_driver]",
            WAIT,
        )
        .await?;
        assert_eq!(s.count("[data-testid=ride-record-observation]").await?, 2);
        assert_eq!(s.count("[data-testid=ride-record-grade]").await?, 3);
        assert_eq!(s.count("[data-testid=ride-record-assisted]").await?, 1);
        every_language(s, "ride-10-record").await?;
        let comment = "I disagree with the parking grade: there was no space to park.";
        s.fill("[data-testid=ride-comment]", comment).await?;
        s.scroll_to("[data-testid=ride-answer] [data-testid=signature-pad]")
            .await?;
        s.draw(
            "[data-testid=ride-answer] [data-testid=signature-pad]",
            &scribble(),
        )
        .await?;
        tap(s, "[data-testid=ride-driver-sign]").await?;
        s.wait_for("[data-testid=ride-answered][data-signed=true]", SLOW)
            .await?;
        all_sent(s).await?;

        // The server's record: both signatures and the comment; every entry once.
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let day: Vec<RideAlongSummary> = http(
            &format!("{base}/v1/dispatch/ride-alongs"),
            Some(&lead.access_token),
            None,
        )?;
        assert_eq!(day.len(), 1, "{day:?}");
        assert_eq!(day[0].status, RideStatusDto::Signed);
        let record: RideAlongRecord = http(
            &format!("{base}/v1/ride-alongs/{}", day[0].ride_along_id),
            Some(&lead.access_token),
            None,
        )?;
        assert_eq!(record.observations.len(), 2, "{:?}", record.observations);
        assert_eq!(record.grades.len(), 3);
        assert_eq!(record.assisted.len(), 1);
        assert_eq!(record.assisted[0].stop_id, stops[1]);
        assert!(record.supervisor_signature.is_some());
        let answer = record
            .driver_answer
            .as_ref()
            .context("the driver's answer")?;
        assert!(answer.signed && answer.signature.is_some());
        assert_eq!(answer.comment.as_deref(), Some(comment));
        assert_eq!(
            record.coaching_notes.as_deref(),
            Some("Good day. Keep the hazard lights habit.")
        );
        // The pace with and without the assisted stop.
        let pace: PaceView = http(
            &format!("{base}/v1/dispatch/tours/{tour_id}/pace"),
            Some(&lead.access_token),
            None,
        )?;
        assert_eq!(pace.assisted_stops, [stops[1].clone()]);
        assert_eq!((pace.with_assisted.stops, pace.driver.stops), (3, 2));
        assert_eq!((pace.with_assisted.parcels, pace.driver.parcels), (3, 2));

        // The driver exports the copy; the test reads the file.
        tap(s, "[data-testid=ride-export]").await?;
        s.wait_for("[data-testid=ride-export-path]", WAIT).await?;
        let path = s
            .attr("[data-testid=ride-export-path]", "data-path")
            .await?
            .context("the export's path")?;
        let html = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        std::fs::copy(&path, s.artifacts.join("ride-export.html"))?;
        assert!(html.contains("I disagree with the parking grade"), "{html}");
        assert!(html.contains("Greets the customer by name"));
        assert!(html.contains("Including assisted stops"));
        assert!(html.contains("Driver's own pace (assisted stops left out)"));
        assert_eq!(
            html.matches("data:image/png;base64,").count(),
            2,
            "both signatures as images"
        );
        every_language(s, "ride-11-exported").await?;
        Ok(())
    }
}
