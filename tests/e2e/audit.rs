//! The audit trail on the station tablet (issue 16): the supervisor who rides with D1 reads
//! D1's day from the server; the station lead signs in on the tablet, opens the audit trail
//! and sees who read what of which driver, in every language. Screenshots in
//! `target/e2e-artifacts/audit/`.

use lastmile_protocol::auth::{EnrolResponse, Session};
use lastmile_tests::ui::{self, Setup};

use crate::common::{WAIT, every_language, http, seed, sign_in_as};

/// `user` signed in as `role` on a device of its own enrolled with CODE-E2E (over curl).
fn session(base: &str, role: &str, user: &str, pin: &str) -> anyhow::Result<Session> {
    let device: EnrolResponse = http(
        &format!("{base}/v1/devices/enrol"),
        None,
        Some(
            serde_json::json!({"enrolment_code": "CODE-E2E", "device_name": format!("{user}-phone")}),
        ),
    )?;
    http(
        &format!("{base}/v1/session"),
        None,
        Some(serde_json::json!({
            "device_id": device.device_id, "device_token": device.device_token,
            "role": role, "user_id": user, "pin": pin,
        })),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_station_lead_sees_who_read_a_drivers_day() -> anyhow::Result<()> {
    let tour = crate::driver_day::small_tour()?;
    let date = tour.date;
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("audit", setup, async |s| {
        let base = s.server.url.clone();
        let supervisor = session(&base, "supervisor", "V1", "8765")?;
        let _day: serde_json::Value = http(
            &format!("{base}/v1/station/days/D1?date={date}"),
            Some(&supervisor.access_token),
            None,
        )?;

        s.set_size(800, 1280).await?;
        sign_in_as(s, "station", "L1", "4321").await?;
        s.click("[data-testid=audit-open]").await?;
        s.wait_for(
            "[data-testid=audit-entry][data-actor=V1][data-driver=D1][data-what=day]",
            WAIT,
        )
        .await?;
        let line = s.rendered_text("[data-testid=audit-entry]").await?;
        anyhow::ensure!(
            line.contains("V1") && line.contains("supervisor") && line.contains(&date.to_string()),
            "the entry says who, in which role, and which day: {line:?}"
        );
        every_language(s, "audit").await?;
        s.click("[data-testid=audit-back]").await?;
        s.wait_for("[data-testid=station-board]", WAIT).await?;
        Ok(())
    })
    .await
}
