//! One app, three modes: the role chosen at sign-in decides what the app is, on two real
//! apps at once against one server (a station tablet and a supervisor's phone), and the mode
//! survives a restart.

use lastmile_tests::ui;

use crate::common::{self, WAIT};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_role_chosen_at_sign_in_is_the_mode_the_app_runs_in() -> anyhow::Result<()> {
    let tour = crate::driver_day::small_tour()?;
    let setup = ui::Setup {
        seed: Some(common::seed(&tour)),
        ..ui::Setup::default()
    };
    ui::run_with("modes", setup, async |s| {
        let phone = s.peer("supervisor", &[]).await?;

        // The tablet: station lead L1. No driver tabs, no tour download: the station's screen.
        common::sign_in_as(s, "station", "L1", "4321").await?;
        s.wait_for("[data-testid=station-home]", WAIT).await?;
        assert_eq!(
            s.attr("[data-testid=signed-in-as]", "data-user")
                .await?
                .as_deref(),
            Some("L1")
        );
        assert_eq!(
            s.count("[data-testid=nav-tour]").await?,
            0,
            "no driver tabs on the tablet"
        );

        // At the same time, the supervisor's own phone: V1 lands on the ride-along.
        common::sign_in_as(&phone, "supervisor", "V1", "8765").await?;
        phone.wait_for("[data-testid=ride-home]", WAIT).await?;
        assert_eq!(
            phone
                .attr("[data-testid=signed-in-as]", "data-user")
                .await?
                .as_deref(),
            Some("V1")
        );
        phone.screenshot("ride-home").await?;

        // The tablet restarts into its mode, still signed in.
        s.restart_app().await?;
        s.wait_for("[data-testid=station-home]", WAIT).await?;
        s.screenshot("station-home-after-restart").await?;

        phone.close().await;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_id_signed_in_as_station_lead_is_refused_and_nothing_changes() -> anyhow::Result<()>
{
    let tour = crate::driver_day::small_tour()?;
    let setup = ui::Setup {
        seed: Some(common::seed(&tour)),
        ..ui::Setup::default()
    };
    ui::run_with("modes-wrong-role", setup, async |s| {
        common::sign_in_as(s, "station", "D1", "1234").await?;
        s.wait_for("[data-testid=error]", WAIT).await?;
        s.wait_for("[data-testid=sign-in-form]", WAIT).await?;
        assert_eq!(s.count("[data-testid=station-home]").await?, 0);
        s.screenshot("wrong-role").await?;
        // The same person as a driver is let in, to the driver's day.
        s.click("[data-testid=mode-driver]").await?;
        s.fill("[data-testid=pin]", "1234").await?;
        s.click("[data-testid=sign-in]").await?;
        common::download_if_needed(s).await
    })
    .await
}
