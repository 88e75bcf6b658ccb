//! The driver's day through the real webview, real server and real SQLite: sign in on a new
//! device (enrolment), download a tour built from real Amazon LMRRC data; at the first stop
//! refuse a mistyped tracking number and a parcel of another stop, scan the parcel from a
//! real barcode image, refuse an empty required signature, deliver with a drawn signature,
//! undo that and record it again; fail the next parcel with a typed notification card that
//! names a neighbour; pick up a return and leave a parcel at a safe place with a photo — then
//! the station lead's dispatch views on the server show exactly those outcomes and that card,
//! and every proof file arrived intact. Every screen is checked for raw keys in all seven
//! languages; screenshots at 360x800 in English, German and Arabic go to
//! `target/e2e-artifacts/driver_day/`.

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use lastmile_protocol::dispatch::{CardView, OutcomeKind};
use lastmile_protocol::events::{DeliveryMethodDto, FailureReasonDto};
use lastmile_protocol::tour::{ParcelFlagsDto, StopKindDto, TourSnapshot};
use lastmile_tests::ui::{self, Setup, UiSession};

use crate::common::{
    Landing, WAIT, download_if_needed, every_language, http, landing_after_sign_in, outcomes,
    parcel, seed, shared, station_lead,
};

/// The real barcode image (Code 128) whose text is the first stop's parcel label.
const LABEL_IMAGE: &str = "barcode_images_zxing/code128-2/01.png";
/// What that image encodes.
const LABEL_TEXT: &str = "005-3379497200006";

/// The first LMRRC route of `train_10`, cut to 5 stops with one plain parcel each, for D1.
/// Stop 1's parcel carries the label of a real barcode image and needs a signature; stop 3
/// also has a return to pick up.
pub(crate) fn small_tour() -> anyhow::Result<TourSnapshot> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data/amazon_lmrrc2021_sample/train_10");
    let mut tour = lastmile_import::lmrrc::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .into_iter()
        .find(|t| t.stops.iter().filter(|s| !s.parcels.is_empty()).count() >= 5)
        .context("no LMRRC route with 5 stops")?;
    tour.driver_id = "D1".into();
    tour.stops.retain(|s| !s.parcels.is_empty());
    tour.stops.truncate(5);
    for (i, stop) in tour.stops.iter_mut().enumerate() {
        stop.sequence = i as u32 + 1;
        stop.kind = StopKindDto::Delivery;
        stop.time_window = None;
        stop.parcels.truncate(1);
        for p in &mut stop.parcels {
            p.is_return = false;
            p.flags = ParcelFlagsDto::default();
            p.time_window = None;
        }
    }
    let first = &mut tour.stops[0].parcels[0];
    first.tracking_id = LABEL_TEXT.into();
    first.flags.signature_required = true;
    let mut ret = tour.stops[2].parcels[0].clone();
    ret.tracking_id = format!("{}-RET", ret.tracking_id);
    ret.is_return = true;
    tour.stops[2].parcels.push(ret);
    Ok(tour)
}

/// A 2400×1800 picture, as a phone camera would deliver (the app must store ≤ 1600 px).
pub(crate) fn camera_picture(dir: &Path) -> anyhow::Result<std::path::PathBuf> {
    let img = image::RgbImage::from_fn(2400, 1800, |x, y| {
        image::Rgb([
            (x / 10 % 256) as u8,
            (y / 10 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let path = dir.join("safe-place.png");
    img.save(&path)?;
    Ok(path)
}

/// The proof files the device recorded: (sha256, kind).
fn device_blobs(conn: &rusqlite::Connection) -> anyhow::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare("SELECT sha256, kind FROM blob ORDER BY first_seq, sha256")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The body of a GET with curl, as bytes.
pub(crate) fn http_bytes(url: &str, token: &str) -> anyhow::Result<Vec<u8>> {
    let out = std::process::Command::new("curl")
        .args(["-sS", "--fail", "--max-time", "10", url, "-H"])
        .arg(format!("Authorization: Bearer {token}"))
        .output()
        .context("running curl")?;
    anyhow::ensure!(
        out.status.success(),
        "{url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(out.stdout)
}

/// A name written on the pad: two strokes.
pub(crate) fn scribble() -> Vec<Vec<(f64, f64)>> {
    vec![
        (0..12)
            .map(|i| {
                (
                    -120.0 + 20.0 * f64::from(i),
                    20.0 * (f64::from(i) * 0.8).sin(),
                )
            })
            .collect(),
        vec![(40.0, -40.0), (60.0, 0.0), (80.0, 40.0)],
    ]
}

/// Opens "Delivered" for the parcel, hands it to `name` with a signature on the pad.
pub(crate) async fn deliver_signed(
    s: &UiSession,
    tracking_id: &str,
    name: &str,
) -> anyhow::Result<()> {
    s.click(&format!(
        "{} [data-testid=deliver]",
        parcel(tracking_id, "pending")
    ))
    .await?;
    s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
    s.click("[data-testid=method-recipient]").await?;
    s.fill("[data-testid=recipient-name]", name).await?;
    s.draw("[data-testid=signature-pad]", &scribble()).await?;
    s.click("[data-testid=confirm-deliver]").await?;
    s.wait_for(&parcel(tracking_id, "delivered"), WAIT).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_driver_day_arrives_on_the_server_exactly_once() -> anyhow::Result<()> {
    let tour = small_tour()?;
    let first = tour.stops[0].parcels[0].tracking_id.clone();
    let second = tour.stops[1].parcels[0].tracking_id.clone();
    let third = tour.stops[2].parcels[0].tracking_id.clone();
    let ret = tour.stops[2].parcels[1].tracking_id.clone();
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    let tour_id = tour.tour_id.clone();
    ui::run_with("driver_day", setup, async |s| {
        s.set_size(360, 800).await?;
        // Sign in on a new device: the enrolment code field is there.
        s.wait_for("[data-testid=enrolment-code]", WAIT).await?;
        s.wait_for("[data-testid=server-status] [data-state=connected]", WAIT)
            .await?;
        every_language(s, "01-sign-in").await?;

        // A wrong PIN says what happened and what to do, in the driver's words.
        s.fill("[data-testid=driver-id]", "D1").await?;
        s.fill("[data-testid=pin]", "9999").await?;
        s.fill("[data-testid=enrolment-code]", "CODE-E2E").await?;
        s.click("[data-testid=sign-in]").await?;
        s.wait_for_text("[data-testid=error]", WAIT, |t| t.contains("PIN is wrong"))
            .await?;
        // The server's own (English) words are folded away for support, not on screen.
        let shown = s.rendered_text("[data-testid=error]").await?;
        assert!(
            !shown.contains("unknown device"),
            "the technical detail is on screen: {shown}"
        );
        assert_eq!(s.count("[data-testid=error-detail]").await?, 1);
        every_language(s, "02-sign-in-error").await?;
        s.fill("[data-testid=pin]", "1234").await?;
        s.click("[data-testid=sign-in]").await?;

        // Download the tour: 5 stops, all open. (The sync loop may have fetched it in the
        // background already; then there is no button, or the app opens on the first stop.)
        if landing_after_sign_in(s).await? == Landing::DownloadOffered {
            every_language(s, "03-no-tour").await?;
        }
        download_if_needed(s).await?;
        s.wait_for_text("[data-testid=tour-progress]", WAIT, |t| {
            t.contains("0 of 5 stops")
        })
        .await?;
        assert_eq!(
            s.count("[data-testid=stop-line][data-state=open]").await?,
            5
        );
        every_language(s, "04-tour").await?;

        // The current stop is the first one.
        s.click("[data-testid=go-current]").await?;
        let stop1 = format!(
            "[data-testid=stop][data-stop-id='{}']",
            tour.stops[0].stop_id
        );
        s.wait_for(&stop1, WAIT).await?;
        s.wait_for(&parcel(&first, "pending"), WAIT).await?;
        s.wait_for(
            "[data-testid=guidance] [data-testid=distance][data-metres]",
            WAIT,
        )
        .await?;
        every_language(s, "05-stop").await?;

        // A typo in a UPS number is caught by its check digit; a parcel of stop 2 is refused
        // here, naming stop 2.
        s.fill("[data-testid=scan-entry]", "1Z5R89390357567128")
            .await?;
        s.click("[data-testid=scan-check]").await?;
        s.wait_for(
            "[data-testid=scan] [data-testid=error][data-code='tracking.check_digit']",
            WAIT,
        )
        .await?;
        s.scroll_to("[data-testid=scan]").await?;
        every_language(s, "06-scan-invalid").await?;
        s.fill("[data-testid=scan-entry]", &second).await?;
        s.click("[data-testid=scan-check]").await?;
        s.wait_for_text(
            "[data-testid=scan-result][data-kind=other_stop]",
            WAIT,
            |t| t.contains("stop 2"),
        )
        .await?;
        s.scroll_to("[data-testid=scan-result]").await?;
        every_language(s, "07-scan-other-stop").await?;

        // Scanning the label (a real Code 128 image) opens "Delivered" for that parcel.
        s.choose_file("[data-testid=scan-image]", &shared(LABEL_IMAGE))
            .await?;
        s.wait_for("[data-testid=scan-result][data-kind=this_stop]", WAIT)
            .await?;
        s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
        s.click("[data-testid=method-recipient]").await?;
        s.fill("[data-testid=recipient-name]", "Max Muster").await?;
        // The parcel needs a signature: an empty pad is refused.
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(
            "[data-testid=deliver-dialog] [data-testid=error][data-code='rule.signature_required']",
            WAIT,
        )
        .await?;
        every_language(s, "08-signature-required").await?;
        s.draw("[data-testid=signature-pad]", &scribble()).await?;
        s.wait_for_gone("[data-testid=deliver-dialog] [data-testid=error]", WAIT)
            .await
            .context("the 'signature required' refusal stays after signing")?;
        every_language(s, "09-signed").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(&parcel(&first, "delivered"), WAIT).await?;

        // Wrong name: undo within the banner's 10 s, deliver again.
        s.wait_for("[data-testid=undo-banner]", WAIT).await?;
        every_language(s, "10-undo-banner").await?;
        s.click("[data-testid=undo]").await?;
        s.wait_for(&parcel(&first, "pending"), WAIT).await?;
        s.wait_for_text("[data-testid=notice]", WAIT, |t| t.contains("open again"))
            .await?;
        deliver_signed(s, &first, "Erika Mustermann").await?;
        s.wait_for_text(
            &format!("{} [data-testid=outcome]", parcel(&first, "delivered")),
            WAIT,
            |t| t.contains("Erika Mustermann"),
        )
        .await?;

        // Next stop: nobody home; the card number typed from the stack; it names a parcel shop.
        s.click("[data-testid=next-stop]").await?;
        s.wait_for(&parcel(&second, "pending"), WAIT).await?;
        s.click(&format!(
            "{} [data-testid=fail]",
            parcel(&second, "pending")
        ))
        .await?;
        s.wait_for("[data-testid=fail-dialog]", WAIT).await?;
        s.select("[data-testid=fail-reason]", "nobody_home").await?;
        s.wait_for("datalist#card-stack option", WAIT).await?;
        let card = s
            .attr("datalist#card-stack option", "value")
            .await?
            .unwrap_or_default();
        assert!(!card.is_empty(), "the driver's card stack is offered");
        s.fill("[data-testid=card-number]", &card).await?;
        s.select("[data-testid=card-says]", "at_parcel_shop")
            .await?;
        s.fill("[data-testid=card-shop]", "Kiosk am Markt").await?;
        every_language(s, "11-not-delivered").await?;
        s.click("[data-testid=confirm-fail]").await?;
        s.wait_for(&parcel(&second, "failed"), WAIT).await?;

        // Stop 3: pick up the return; leave the parcel at a safe place — not without a photo.
        s.click("[data-testid=next-stop]").await?;
        s.wait_for(&parcel(&ret, "pending"), WAIT).await?;
        s.click(&format!(
            "{} [data-testid=pick-up]",
            parcel(&ret, "pending")
        ))
        .await?;
        s.wait_for("[data-testid=pickup-dialog]", WAIT).await?;
        every_language(s, "12-pickup").await?;
        s.click("[data-testid=confirm-pickup]").await?;
        s.wait_for(&parcel(&ret, "picked_up"), WAIT).await?;
        s.click(&format!(
            "{} [data-testid=deliver]",
            parcel(&third, "pending")
        ))
        .await?;
        s.wait_for("[data-testid=deliver-dialog]", WAIT).await?;
        s.click("[data-testid=method-safe_place]").await?;
        s.fill("[data-testid=safe-place]", "Garage, left of the door")
            .await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(
            "[data-testid=deliver-dialog] [data-testid=error][data-code='rule.photo_required']",
            WAIT,
        )
        .await?;
        s.choose_file("[data-testid=photo]", &camera_picture(&s.artifacts)?)
            .await?;
        s.wait_for("[data-testid=photo-preview]", WAIT).await?;
        s.wait_for_gone("[data-testid=deliver-dialog] [data-testid=error]", WAIT)
            .await
            .context("the 'photo required' refusal stays after the photo was added")?;
        every_language(s, "13-safe-place").await?;
        s.click("[data-testid=confirm-deliver]").await?;
        s.wait_for(&parcel(&third, "delivered"), WAIT).await?;

        s.click("[data-testid=sync-now]").await?;

        // The station lead sees exactly those outcomes and that card.
        let base = s.server.url.clone();
        let lead = station_lead(&base)?;
        // Poll until the upload has landed (the app syncs in the background).
        let deadline = std::time::Instant::now() + Duration::from_secs(40);
        let outcomes = loop {
            let outcomes = outcomes(&base, &lead, &tour_id)?;
            if outcomes.len() >= 5 || std::time::Instant::now() > deadline {
                break outcomes;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        };
        let summary: Vec<(String, bool, String)> = outcomes
            .iter()
            .map(|o| {
                let what = match &o.kind {
                    OutcomeKind::Delivered {
                        method: DeliveryMethodDto::Recipient { name },
                    } => format!("delivered to {name}"),
                    OutcomeKind::Failed {
                        reason: FailureReasonDto::NobodyHome,
                    } => "failed: nobody home".to_owned(),
                    OutcomeKind::ReturnPickedUp { label } => format!("picked up {label}"),
                    OutcomeKind::Delivered {
                        method: DeliveryMethodDto::SafePlace { description },
                    } => format!("left at {description}"),
                    other => format!("{other:?}"),
                };
                (o.tracking_id.clone().unwrap_or_default(), o.undone, what)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (first.clone(), true, "delivered to Max Muster".to_owned()),
                (
                    first.clone(),
                    false,
                    "delivered to Erika Mustermann".to_owned()
                ),
                (second.clone(), false, "failed: nobody home".to_owned()),
                // A pickup names the return by its label, not as a parcel of the tour.
                (String::new(), false, format!("picked up {ret}")),
                (
                    third.clone(),
                    false,
                    "left at Garage, left of the door".to_owned()
                ),
            ],
            "the server has exactly the driver's outcomes, the undone one marked"
        );
        let cards: Vec<CardView> = http(
            &format!("{base}/v1/dispatch/tours/{tour_id}/cards"),
            Some(&lead.access_token),
            None,
        )?;
        assert_eq!(cards.len(), 1, "one card: {cards:?}");
        assert_eq!(cards[0].card_number, card);
        assert_eq!(cards[0].tracking_id, second);

        // Every proof file the device recorded is on the server, byte for byte: two
        // signatures (strokes each, the undone one included; the same scribble drawn twice
        // gives the same image, stored once by its hash) and the downscaled photo.
        let blobs = device_blobs(&crate::common::device_connection(s)?)?;
        let kinds: Vec<&str> = blobs.iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(
            kinds.iter().filter(|k| **k == "photo").count(),
            1,
            "{kinds:?}"
        );
        assert_eq!(
            kinds.iter().filter(|k| **k == "signature_strokes").count(),
            2,
            "{kinds:?}"
        );
        assert!(kinds.contains(&"signature_image"), "{kinds:?}");
        for (sha, kind) in &blobs {
            let bytes = http_bytes(&format!("{base}/v1/blobs/{sha}"), &lead.access_token)?;
            assert_eq!(&sha256_hex(&bytes), sha, "{kind} arrived intact");
            match kind.as_str() {
                "photo" => {
                    assert_eq!(image::guess_format(&bytes)?, image::ImageFormat::Jpeg);
                    let img = image::load_from_memory(&bytes)?;
                    assert_eq!(
                        (img.width(), img.height()),
                        (1600, 1200),
                        "scaled to 1600 px"
                    );
                }
                "signature_image" => {
                    assert_eq!(image::guess_format(&bytes)?, image::ImageFormat::Png);
                }
                "signature_strokes" => {
                    let v: serde_json::Value = serde_json::from_slice(&bytes)?;
                    let points: usize = v["strokes"]
                        .as_array()
                        .context("strokes")?
                        .iter()
                        .map(|s| s.as_array().map_or(0, Vec::len))
                        .sum();
                    assert!(points >= 10, "the drawn strokes are kept: {v}");
                }
                other => panic!("unexpected proof kind {other}"),
            }
        }
        let missing: Vec<serde_json::Value> = http(
            &format!("{base}/v1/dispatch/tours/{tour_id}/missing-blobs"),
            Some(&lead.access_token),
            None,
        )?;
        assert!(
            missing.is_empty(),
            "no proof missing on the server: {missing:?}"
        );

        // The driver sees that everything went out, and the day's progress.
        s.wait_for(
            "[data-testid=sync-bar][data-pending='0']",
            Duration::from_secs(40),
        )
        .await?;
        s.wait_for_text("[data-testid=sync-pending]", WAIT, |t| t == "All sent")
            .await?;
        every_language(s, "14-synced").await?;
        s.click("[data-testid=nav-tour]").await?;
        s.wait_for_text("[data-testid=tour-progress]", WAIT, |t| {
            t.contains("3 of 5 stops")
        })
        .await?;
        s.wait_for(
            &format!(
                "[data-testid=stop-line][data-stop-id='{}'][data-state=failed]",
                tour.stops[1].stop_id
            ),
            WAIT,
        )
        .await?;
        every_language(s, "15-tour-progress").await?;

        Ok(())
    })
    .await
}
