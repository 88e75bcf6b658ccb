//! At the door, through the real webview, real server and real SQLite: "Navigate" hands the
//! stop's `geo:` URI to the platform's opener (here a stand-in `xdg-open` first on the app's
//! PATH records what it was given); a parcel goes to a neighbour with a card that names them,
//! another to a parcel shop with a card that names the shop, a third into a locker's
//! compartment with a card that names locker and compartment (the pick-up code stays off the
//! card). After the upload the station lead's dispatch views show the three methods and cards. Screenshots at 360x800 in English,
//! German and Arabic go to `target/e2e-artifacts/doorstep/`.

use std::time::Duration;

use lastmile_protocol::dispatch::{CardView, OutcomeKind};
use lastmile_protocol::events::{CardMessageDto, DeliveryMethodDto};
use lastmile_tests::ui::{self, Setup, UiSession};

use crate::common::{
    WAIT, every_language, http, outcomes, parcel, seed, sign_in_new_device, station_lead,
};

/// Opens "Delivered" for `id`, chooses `method` and leaves the first card of the stack.
async fn deliver_with_card(s: &UiSession, id: &str, method: &str) -> anyhow::Result<String> {
    s.click(&format!("{} [data-testid=deliver]", parcel(id, "pending")))
        .await?;
    s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
    s.click(&format!("[data-testid=method-{method}]")).await?;
    s.wait_for("datalist#card-stack option", WAIT).await?;
    let card = s
        .attr("datalist#card-stack option", "value")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(!card.is_empty(), "the card stack is offered for {method}");
    s.fill("[data-testid=card-number]", &card).await?;
    Ok(card)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn navigate_hands_off_geo_and_neighbour_shop_and_locker_leave_cards() -> anyhow::Result<()> {
    let tour = crate::driver_day::small_tour()?;
    let (second, fourth, fifth) = (&tour.stops[1], &tour.stops[3], &tour.stops[4]);
    let (to_neighbour, to_shop, to_locker) = (
        second.parcels[0].tracking_id.clone(),
        fourth.parcels[0].tracking_id.clone(),
        fifth.parcels[0].tracking_id.clone(),
    );
    // The platform's opener, replaced: it writes down the URI it is handed.
    let opener = tempfile::tempdir()?;
    let handed = opener.path().join("handed.txt");
    let script = opener.path().join("xdg-open");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            handed.display()
        ),
    )?;
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))?;
    let path = format!(
        "{}:{}",
        opener.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let setup = Setup {
        seed: Some(seed(&tour)),
        env: vec![("PATH".into(), path)],
        ..Setup::default()
    };
    let tour_id = tour.tour_id.clone();
    let (lat, lon) = (second.position.lat, second.position.lon);
    let (second_id, fourth_id, fifth_id) = (
        second.stop_id.clone(),
        fourth.stop_id.clone(),
        fifth.stop_id.clone(),
    );
    ui::run_with("doorstep", setup, async |s| {
        s.set_size(360, 800).await?;
        sign_in_new_device(s).await?;
        s.click(&format!(
            "[data-testid=stop-line][data-stop-id='{second_id}']"
        ))
        .await?;
        s.wait_for(&parcel(&to_neighbour, "pending"), WAIT).await?;

        // Navigate: the geo: URI of this stop goes to the opener, and the screen says so.
        s.click("[data-testid=navigate]").await?;
        s.wait_for_text("[data-testid=navigate-uri]", WAIT, |t| t.contains("geo:"))
            .await?;
        let deadline = std::time::Instant::now() + WAIT;
        let uri = loop {
            if let Ok(text) = std::fs::read_to_string(&handed)
                && let Some(line) = text.lines().next()
            {
                break line.to_owned();
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "the opener was never called"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        assert!(
            uri.starts_with(&format!("geo:{lat:.6},{lon:.6}?q={lat:.6},{lon:.6}(")),
            "the opener got {uri}, not the stop at {lat},{lon}"
        );
        let shown = s.rendered_text("[data-testid=navigate-uri]").await?;
        assert!(
            shown.contains(&uri),
            "screen says {shown}, the opener got {uri}"
        );

        // A neighbour takes it; the card names them.
        let neighbour_card = deliver_with_card(s, &to_neighbour, "neighbour").await?;
        s.fill("[data-testid=recipient-name]", "Familie Schmidt")
            .await?;
        s.fill("[data-testid=house-number]", "12").await?;
        every_language(s, "01-neighbour").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(&parcel(&to_neighbour, "delivered"), WAIT)
            .await?;

        // A parcel shop takes the other; the card names the shop.
        s.click("[data-testid=nav-tour]").await?;
        s.click(&format!(
            "[data-testid=stop-line][data-stop-id='{fourth_id}']"
        ))
        .await?;
        s.wait_for(&parcel(&to_shop, "pending"), WAIT).await?;
        let shop_card = deliver_with_card(s, &to_shop, "parcel_shop").await?;
        s.fill("[data-testid=parcel-shop]", "PS-4711").await?;
        s.fill("[data-testid=shop-name]", "Kiosk am Markt").await?;
        every_language(s, "02-parcel-shop").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(&parcel(&to_shop, "delivered"), WAIT).await?;

        // A locker takes the last one: without the compartment the app says what is missing.
        s.click("[data-testid=nav-tour]").await?;
        s.click(&format!(
            "[data-testid=stop-line][data-stop-id='{fifth_id}']"
        ))
        .await?;
        s.wait_for(&parcel(&to_locker, "pending"), WAIT).await?;
        let locker_card = deliver_with_card(s, &to_locker, "locker").await?;
        s.fill("[data-testid=locker-id]", "Packstation 142").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for_text("[data-testid=deliver-dialog] .error", WAIT, |t| {
            t.contains("compartment")
        })
        .await?;
        s.fill("[data-testid=locker-compartment]", "B4").await?;
        s.fill("[data-testid=pickup-code]", "482913").await?;
        every_language(s, "03-locker").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(&parcel(&to_locker, "delivered"), WAIT).await?;

        // Dispatch sees the three methods and the three cards.
        s.click("[data-testid=sync-now]").await?;
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        let deadline = std::time::Instant::now() + Duration::from_secs(40);
        let cards = loop {
            let cards: Vec<CardView> = http(
                &format!("{base}/v1/dispatch/tours/{tour_id}/cards"),
                Some(&lead.access_token),
                None,
            )?;
            if cards.len() >= 3 {
                break cards;
            }
            anyhow::ensure!(
                std::time::Instant::now() < deadline,
                "cards on the server: {cards:?}"
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        };
        let says = |id: &str| {
            cards
                .iter()
                .find(|c| c.tracking_id == id)
                .map(|c| (c.card_number.clone(), c.says.clone()))
        };
        assert_eq!(
            says(&to_neighbour),
            Some((
                neighbour_card,
                CardMessageDto::WithNeighbour {
                    name: "Familie Schmidt".into(),
                    house_number: "12".into()
                }
            ))
        );
        assert_eq!(
            says(&to_shop),
            Some((
                shop_card,
                CardMessageDto::AtParcelShop {
                    shop: "Kiosk am Markt (PS-4711)".into()
                }
            ))
        );
        assert_eq!(
            says(&to_locker),
            Some((
                locker_card,
                CardMessageDto::InLocker {
                    locker: "Packstation 142".into(),
                    compartment: "B4".into()
                }
            ))
        );
        let seen = outcomes(&base, &lead, &tour_id)?;
        let method = |id: &str| {
            seen.iter()
                .find(|o| o.tracking_id.as_deref() == Some(id))
                .map(|o| o.kind.clone())
        };
        assert_eq!(
            method(&to_neighbour),
            Some(OutcomeKind::Delivered {
                method: DeliveryMethodDto::Neighbour {
                    name: "Familie Schmidt".into(),
                    house_number: "12".into()
                }
            })
        );
        assert_eq!(
            method(&to_shop),
            Some(OutcomeKind::Delivered {
                method: DeliveryMethodDto::ParcelShop {
                    shop_id: "PS-4711".into(),
                    name: "Kiosk am Markt".into()
                }
            })
        );
        assert_eq!(
            method(&to_locker),
            Some(OutcomeKind::Delivered {
                method: DeliveryMethodDto::Locker {
                    locker_id: "Packstation 142".into(),
                    compartment: "B4".into(),
                    pickup_code: Some("482913".into())
                }
            })
        );
        Ok(())
    })
    .await
}
