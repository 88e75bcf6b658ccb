//! The driver's evidence bundle through the real webview, real server and real SQLite: D1
//! delivers a signed parcel, leaves a card at the next door, and exports the day from the
//! summary into a folder. The test reads the ZIP as a verifier would: the manifest's
//! signature and every file's SHA-256 hold, the key is the one the screen shows, the JSON
//! has the day's outcomes and the HTML shows them with the signature inline; one byte
//! changed in the JSON and the bundle no longer verifies. Screenshots at 360x800 in
//! English, German and Arabic go to `target/e2e-artifacts/evidence/`.

use std::io::{Read, Write};

use lastmile_protocol::events::{DeliveryMethodDto, EventBody};
use lastmile_tests::ui::{self, Setup};

use crate::common::{WAIT, every_language, fail_nobody_home, seed};

fn entry(zip: &[u8], name: &str) -> anyhow::Result<Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip))?;
    let mut out = Vec::new();
    z.by_name(name)?.read_to_end(&mut out)?;
    Ok(out)
}

/// The bundle with `name`'s content replaced, everything else as it was.
fn tampered(zip: &[u8], name: &str, content: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(zip))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let mut f = src.by_index(i)?;
        let path = f.name().to_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)?;
        out.start_file(path.as_str(), zip::write::SimpleFileOptions::default())?;
        out.write_all(if path == name { content } else { &bytes })?;
    }
    Ok(out.finish()?.into_inner())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_day_verifies_and_holds_the_days_outcomes() -> anyhow::Result<()> {
    let tour = crate::driver_day::small_tour()?;
    let signed = tour.stops[0].parcels[0].tracking_id.clone();
    let carded = tour.stops[1].parcels[0].tracking_id.clone();
    let tour_id = tour.tour_id.clone();
    let folder = tempfile::tempdir()?;
    let setup = Setup {
        seed: Some(seed(&tour)),
        ..Setup::default()
    };
    ui::run_with("evidence", setup, async |s| {
        crate::common::phone_at_first_stop(s).await?;
        crate::driver_day::deliver_signed(s, &signed, "Erika Mustermann").await?;
        s.click("[data-testid=next-stop]").await?;
        fail_nobody_home(s, &carded).await?;

        s.click("[data-testid=nav-summary]").await?;
        s.wait_for("[data-testid=evidence-export]", WAIT).await?;
        s.fill(
            "[data-testid=evidence-folder]",
            &folder.path().display().to_string(),
        )
        .await?;
        s.scroll_to("[data-testid=evidence-export]").await?;
        every_language(s, "01-export").await?;
        s.click("[data-testid=evidence-export]").await?;
        s.wait_for("[data-testid=evidence-path]", WAIT).await?;
        s.scroll_to("[data-testid=evidence-path]").await?;
        every_language(s, "02-exported").await?;
        let path = s.rendered_text("[data-testid=evidence-path]").await?;
        let shown_key = s
            .rendered_text("[data-testid=evidence-fingerprint]")
            .await?;
        assert!(
            path.starts_with(&folder.path().display().to_string()) && path.ends_with(".zip"),
            "the bundle went to {path}"
        );
        let zip = std::fs::read(&path)?;

        let verified = lastmile_evidence::verify(&zip)?;
        assert_eq!(
            verified.fingerprint,
            shown_key.trim(),
            "signed by the key shown"
        );
        let record = &verified.record;
        assert_eq!(record.tour_id, tour_id);
        assert_eq!(record.stops.len(), tour.stops.len());
        let delivered = record
            .events
            .iter()
            .find_map(|e| match &e.envelope.body {
                EventBody::ParcelDelivered {
                    tracking_id,
                    method: DeliveryMethodDto::Recipient { name },
                    ..
                } if *tracking_id == signed => Some((name.clone(), e.proof.clone())),
                _ => None,
            })
            .ok_or_else(|| anyhow::anyhow!("no delivery of {signed} in day.json"))?;
        assert_eq!(delivered.0, "Erika Mustermann");
        let kinds: Vec<_> = delivered.1.iter().map(|p| p.kind.as_str()).collect();
        assert!(
            kinds.contains(&"signature_image") && kinds.contains(&"signature_strokes"),
            "the signature travels with the delivery: {kinds:?}"
        );
        assert!(record.events.iter().any(|e| matches!(
            &e.envelope.body,
            EventBody::DeliveryFailed { tracking_id, card: Some(_), .. } if *tracking_id == carded
        )));
        assert!(record.work.first_action_at.is_some());
        for p in &delivered.1 {
            assert!(
                verified.manifest.files.iter().any(|f| f.path == p.path),
                "{} is in the manifest",
                p.path
            );
        }

        let page = String::from_utf8(entry(&zip, "day.html")?)?;
        assert!(page.contains("Erika Mustermann") && page.contains(&carded));
        assert!(
            page.contains("src=\"data:image/png;base64,"),
            "the signature is inline"
        );

        // One changed byte in the JSON and the bundle no longer verifies.
        let json = String::from_utf8(entry(&zip, "day.json")?)?;
        let forged = json.replace("Erika Mustermann", "Erika Musterfrau");
        assert!(matches!(
            lastmile_evidence::verify(&tampered(&zip, "day.json", forged.as_bytes())?),
            Err(lastmile_evidence::BundleError::Changed { .. })
        ));
        Ok(())
    })
    .await
}
