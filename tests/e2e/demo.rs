//! The demo start-up (`cargo xtask demo`): with `LASTMILE_DEMO_DRIVER`/`_PIN` set, the app
//! enrols, signs the driver in and downloads the committed north-Bayreuth demo tour before
//! its first screen, which is then the first stop — never the sign-in form. With a wrong PIN
//! it opens on the sign-in form instead. Screenshots in `target/e2e-artifacts/demo*/`.

use std::path::Path;
use std::time::Duration;

use lastmile_protocol::tour::TourSnapshot;
use lastmile_tests::ui::{self, Setup};

const WAIT: Duration = Duration::from_secs(30);

fn demo_tour() -> anyhow::Result<TourSnapshot> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo/north-bayreuth-tour.json");
    Ok(lastmile_import::own::read_tour(&path)?)
}

fn setup(tour: &TourSnapshot, pin: &str) -> Setup {
    let seed = lastmile_tests::station_seed(
        tour,
        "DEMO-E2E",
        &[(tour.driver_id.as_str(), "driver", "2468")],
    );
    Setup {
        seed: Some(seed),
        env: vec![
            ("LASTMILE_ENROLMENT_CODE".into(), "DEMO-E2E".into()),
            ("LASTMILE_DEMO_DRIVER".into(), tour.driver_id.clone()),
            ("LASTMILE_DEMO_PIN".into(), pin.into()),
        ],
        ..Setup::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_driver_starts_on_the_first_stop_of_the_bayreuth_tour() -> anyhow::Result<()> {
    let tour = demo_tour()?;
    let first = tour.stops[0].clone();
    ui::run_with("demo", setup(&tour, "2468"), async |s| {
        s.set_size(360, 800).await?;
        let stop = format!("[data-testid=stop][data-stop-id='{}']", first.stop_id);
        s.wait_for(&stop, WAIT).await?;
        let address = s
            .wait_for_text("[data-testid=stop-address]", WAIT, |t| !t.is_empty())
            .await?;
        assert!(
            address.contains(&first.address.street)
                && address.contains(&first.address.house_number),
            "the first stop's real address is on screen: {address}"
        );
        assert_eq!(
            s.count("[data-testid=sign-in-form]").await?,
            0,
            "no sign-in form: the demo driver is in"
        );
        let parcels = s.count("[data-testid=parcel]").await?;
        assert_eq!(parcels, first.parcels.len());
        tokio::time::sleep(Duration::from_millis(500)).await;
        s.screenshot("first-stop-en").await?;
        crate::common::set_lang(s, "de").await?;
        s.screenshot("first-stop-de").await?;
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_demo_pin_opens_the_sign_in_form() -> anyhow::Result<()> {
    let tour = demo_tour()?;
    ui::run_with("demo_wrong_pin", setup(&tour, "9999"), async |s| {
        s.wait_for("[data-testid=sign-in-form]", WAIT).await?;
        assert_eq!(s.count("[data-testid=stop]").await?, 0);
        s.screenshot("sign-in").await?;
        Ok(())
    })
    .await
}
