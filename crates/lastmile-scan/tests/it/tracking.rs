//! Data-driven check of `validate_tracking` against every valid and invalid sample number in
//! `tracking_number_data`'s `couriers/*.json`.

use std::fs;

use lastmile_scan::{matching_formats, validate_tracking};
use serde_json::Value;

use crate::shared_data;

/// `(carrier name, number type name, valid numbers, invalid numbers)` for every type in every file.
fn vectors() -> Vec<(String, String, Vec<String>, Vec<String>)> {
    let dir = shared_data("tracking_number_formats/couriers");
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 18, "carrier files");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for file in files {
        let json: Value = serde_json::from_slice(&fs::read(&file).expect("read")).expect("json");
        for t in json["tracking_numbers"]
            .as_array()
            .expect("tracking_numbers")
        {
            out.push((
                json["name"].as_str().expect("name").to_owned(),
                t["name"].as_str().expect("type name").to_owned(),
                strings(&t["test_numbers"]["valid"]),
                strings(&t["test_numbers"]["invalid"]),
            ));
        }
    }
    out
}

/// Our service names are the data's type names; carrier names are shortened for a few.
fn is_type(found: &lastmile_scan::TrackingNumber, service: &str) -> bool {
    found.service == service
}

#[test]
fn every_valid_vector_is_recognised_as_its_type() {
    let mut failed = Vec::new();
    let mut count = 0;
    for (carrier, service, valid, _) in vectors() {
        for number in valid {
            count += 1;
            let all = matching_formats(&number);
            if !all.iter().any(|t| is_type(t, &service)) {
                failed.push(format!("{carrier} / {service}: {number:?} -> {all:?}"));
            }
            if validate_tracking(&number).is_err() {
                failed.push(format!("{carrier} / {service}: {number:?} refused"));
            }
        }
    }
    println!("valid vectors: {count}, failed: {}", failed.len());
    assert_eq!(count, 192);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn every_invalid_vector_is_refused_as_its_type() {
    let mut failed = Vec::new();
    let mut count = 0;
    let mut refused_outright = 0;
    let mut valid_elsewhere = Vec::new();
    for (carrier, service, _, invalid) in vectors() {
        for number in invalid {
            count += 1;
            if matching_formats(&number)
                .iter()
                .any(|t| is_type(t, &service))
            {
                failed.push(format!("{carrier} / {service}: {number:?} accepted"));
            }
            match validate_tracking(&number) {
                Err(_) => refused_outright += 1,
                Ok(other) => valid_elsewhere.push((number.clone(), other.service)),
            }
        }
    }
    println!("invalid vectors: {count}, refused outright: {refused_outright}");
    assert_eq!(count, 88);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    // Invalid for their own type but genuinely valid for another carrier: all zeros satisfies
    // FedEx's check digits, and the data lists 331426749957 as a valid Purolator (12) number.
    assert_eq!(
        valid_elsewhere,
        [
            ("000000000000000".to_owned(), "FedEx Ground"),
            ("000000000000".to_owned(), "FedEx Express (12)"),
            ("331426749957".to_owned(), "Purolator (12)"),
        ]
    );
    assert_eq!(refused_outright, 85);
}
