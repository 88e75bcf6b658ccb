//! HTTPS end to end (issue 16): the server serves a certificate of a throwaway test CA, and
//! the app trusts that CA through its development setting (`LASTMILE_DEV_CA_FILE`), never by
//! turning checks off. A driver signs in and a delivery reaches the server over TLS; an app
//! that trusts another CA refuses the server and says why on the sign-in screen.
//! Screenshots in `target/e2e-artifacts/https/` and `https-untrusted/`.

use std::time::Duration;

use anyhow::Context;
use lastmile_tests::ui::{self, Setup, Trust};

use crate::common::{WAIT, catalog, seed, sign_in_as, simple_message};

/// Applied delivery events of `tour_id` in the server's database.
fn delivered_on_server(s: &ui::UiSession, tour_id: &str) -> anyhow::Result<i64> {
    let conn = rusqlite::Connection::open(s.server.data_dir.join("server.db"))?;
    Ok(conn.query_row(
        "SELECT count(*) FROM events WHERE tour_id = ?1 AND kind = 'parcel_delivered' AND status = 'applied'",
        [tour_id],
        |r| r.get(0),
    )?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_signs_in_and_a_delivery_reaches_the_server_over_https() -> anyhow::Result<()> {
    let mut tour = crate::driver_day::small_tour()?;
    // A plain delivery to the recipient (no signature pad).
    tour.stops[0].parcels[0].flags.signature_required = false;
    let first = tour.stops[0].parcels[0].tracking_id.clone();
    let tour_id = tour.tour_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        tls: Some(Trust::TestCa),
        ..Setup::default()
    };
    ui::run_with("https", setup, async |s| {
        anyhow::ensure!(
            s.server.url.starts_with("https://"),
            "the server speaks HTTPS: {}",
            s.server.url
        );
        crate::common::phone_at_first_stop(s).await?;
        crate::common::deliver_to_recipient(s, &first, "Ada Lovelace").await?;
        s.screenshot("delivered").await?;
        // The background sync sends it over TLS: the server has applied it.
        let deadline = std::time::Instant::now() + WAIT;
        while delivered_on_server(s, &tour_id)? < 1 {
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the delivery did not reach the server over HTTPS within {WAIT:?}"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_that_does_not_trust_the_servers_certificate_says_so() -> anyhow::Result<()> {
    let tour = crate::driver_day::small_tour()?;
    let setup = Setup {
        seed: Some(seed(&tour)),
        tls: Some(Trust::OtherCa),
        ..Setup::default()
    };
    ui::run_with("https-untrusted", setup, async |s| {
        s.set_size(360, 800).await?;
        sign_in_as(s, "driver", "D1", "1234").await?;
        s.wait_for("[data-testid=error][data-code='server.untrusted']", WAIT)
            .await?;
        let en = catalog("en")?;
        let said = simple_message(&en, "err-server-untrusted").context("the English message")?;
        let shown = s.rendered_text("[data-testid=error]").await?;
        anyhow::ensure!(shown.contains(said), "the sign-in screen says {shown:?}");
        s.screenshot("untrusted").await?;
        // Nothing was signed in: the sign-in screen stays.
        anyhow::ensure!(s.count("[data-testid=enrolment-code]").await? == 1);
        Ok(())
    })
    .await
}
