use std::io::{Read, Write};

use chrono::{NaiveDate, TimeZone, Utc};
use lastmile_protocol::events::{
    BlobKindDto, BlobRefDto, DeliveryMethodDto, EventBody, EventEnvelope, Person, Role,
};
use lastmile_protocol::evidence::{
    DAY_FORMAT, DayRecord, EventRecord, ProofFile, StopRecord, WorkTime,
};
use lastmile_protocol::tour::LatLon;

use super::*;

const PHOTO: &[u8] = b"\xFF\xD8\xFF\xE0 a small jpeg";

fn record() -> DayRecord {
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
    let sha = sha256_hex(PHOTO);
    let photo = ProofFile {
        sha256: sha.clone(),
        kind: "photo".into(),
        path: format!("proof/{sha}.jpg"),
    };
    DayRecord {
        format: DAY_FORMAT.into(),
        exported_at: at,
        device_id: "dev-1".into(),
        exported_by: Some(Person {
            user_id: "D1".into(),
            role: Role::Driver,
        }),
        tour_id: "T1".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        station_name: "DBA1 <Bamberg>".into(),
        work: WorkTime {
            first_action_at: Some(at),
            last_action_at: Some(at),
            breaks: vec![],
        },
        stops: vec![StopRecord {
            stop_id: "S1".into(),
            sequence: 1,
            kind: "delivery".into(),
            address: "Hauptstraße 1, 96047 Bamberg".into(),
            planned_at: LatLon {
                lat: 49.89,
                lon: 10.89,
            },
            arrived_at: Some(at),
            skipped: false,
            parcels: vec![],
        }],
        events: vec![EventRecord {
            envelope: EventEnvelope {
                event_id: uuid::Uuid::nil(),
                device_id: "dev-1".into(),
                seq: 1,
                tour_id: "T1".into(),
                recorded_at: at,
                position: None,
                app_version: "test".into(),
                recorded_by: None,
                body: EventBody::ParcelDelivered {
                    stop_id: "S1".into(),
                    tracking_id: "TBA1".into(),
                    method: DeliveryMethodDto::SafePlace {
                        description: "behind the <b>bin</b>".into(),
                    },
                    card: None,
                    id_checked: false,
                    blobs: vec![BlobRefDto {
                        sha256: sha,
                        kind: BlobKindDto::Photo,
                        bytes: PHOTO.len() as u64,
                    }],
                },
            },
            undone_by: None,
            proof: vec![photo],
        }],
    }
}

fn bundle(signer: &Signer) -> Vec<u8> {
    let r = record();
    let file = r.events[0].proof[0].clone();
    write_bundle(
        &r,
        &[Proof {
            file: &file,
            bytes: PHOTO,
        }],
        signer,
    )
    .unwrap()
}

/// The bundle with `path` replaced by `bytes` (or added), everything else copied as is.
fn rewrite(zip_bytes: &[u8], path: &str, bytes: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let mut replaced = false;
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().to_owned();
        let mut content = Vec::new();
        f.read_to_end(&mut content).unwrap();
        if name == path {
            content = bytes.to_vec();
            replaced = true;
        }
        out.start_file(name, options).unwrap();
        out.write_all(&content).unwrap();
    }
    if !replaced {
        out.start_file(path, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn read(zip_bytes: &[u8], path: &str) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut out = Vec::new();
    z.by_name(path).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn a_bundle_verifies_and_carries_the_day() {
    let signer = Signer::generate();
    let zip = bundle(&signer);
    let v = verify(&zip).unwrap();
    assert_eq!(v.record, record());
    assert_eq!(v.fingerprint, signer.fingerprint());
    let paths: Vec<_> = v.manifest.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths[..2], ["day.html", "day.json"]);
    assert!(paths[2].starts_with("proof/") && paths[2].ends_with(".jpg"));
    let page = String::from_utf8(read(&zip, "day.html")).unwrap();
    assert!(page.contains("Delivered TBA1 at a safe place: behind the &lt;b&gt;bin&lt;/b&gt;"));
    assert!(page.contains("DBA1 &lt;Bamberg&gt;"));
    assert!(page.contains("src=\"data:image/jpeg;base64,"));
}

#[test]
fn an_edited_file_an_edited_manifest_or_an_extra_file_fails() {
    let signer = Signer::generate();
    let zip = bundle(&signer);
    let mut json = read(&zip, "day.json");
    let edited = String::from_utf8(json.clone())
        .unwrap()
        .replace("behind the", "in front of the");
    json.clear();
    json.extend_from_slice(edited.as_bytes());
    assert!(matches!(
        verify(&rewrite(&zip, "day.json", &json)),
        Err(BundleError::Changed { path, .. }) if path == "day.json"
    ));

    // A forger who fixes the manifest's sum breaks its signature.
    let manifest = String::from_utf8(read(&zip, MANIFEST)).unwrap();
    let listed = verify(&zip).unwrap().manifest.files[1].sha256.clone();
    let forged = manifest.replace(&listed, &sha256_hex(&json));
    let both = rewrite(
        &rewrite(&zip, "day.json", &json),
        MANIFEST,
        forged.as_bytes(),
    );
    assert!(matches!(verify(&both), Err(BundleError::BadSignature)));

    // Re-signing with another key gives another fingerprint than the device's.
    let other = Signer::generate();
    assert_ne!(
        verify(&bundle(&other)).unwrap().fingerprint,
        signer.fingerprint()
    );

    assert!(matches!(
        verify(&rewrite(&zip, "proof/extra.jpg", b"x")),
        Err(BundleError::NotListed(p)) if p == "proof/extra.jpg"
    ));
    assert!(matches!(verify(b"not a zip"), Err(BundleError::Zip(_))));
}

#[test]
fn the_key_survives_its_hex_form() {
    let signer = Signer::generate();
    let again = Signer::from_secret_hex(&signer.secret_hex()).unwrap();
    assert_eq!(again.public_hex(), signer.public_hex());
    assert_eq!(signer.fingerprint().len(), 19);
    assert!(Signer::from_secret_hex("abcd").is_err());
}
