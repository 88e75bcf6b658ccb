//! Replays every seed input (`corpus/<target>/`) and every minimised crash AFL++ found
//! (`crashes/<target>/`) through its target, as plain tests: a fixed crash stays fixed.

use std::path::PathBuf;

use lastmile_fuzz::TARGETS;

fn files(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_target_has_a_seed_corpus_that_passes() {
    for target in TARGETS {
        let seeds = files("corpus", target.name);
        assert!(
            !seeds.is_empty(),
            "target {} has no seed corpus",
            target.name
        );
        for file in seeds {
            eprintln!("{}: {}", target.name, file.display());
            (target.run)(&std::fs::read(&file).expect("read a seed"));
        }
    }
}

#[test]
fn every_crash_found_replays_without_panic() {
    for target in TARGETS {
        for file in files("crashes", target.name) {
            eprintln!("{}: {}", target.name, file.display());
            (target.run)(&std::fs::read(&file).expect("read a crash"));
        }
    }
}

/// The seeds of the structured targets are inputs the parser accepts (so AFL++ starts from
/// the deep end, not from a refusal).
#[test]
fn structured_seeds_are_accepted() {
    let read = |t: &str| -> Vec<String> {
        files("corpus", t)
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("utf-8 seed"))
            .collect()
    };
    for text in read("tour_json") {
        lastmile_import::own::tour_from_json(&text).expect("tour seed");
    }
    for text in read("route") {
        lastmile_import::route::legs_from_json(&text).expect("route seed");
    }
    for text in read("events") {
        serde_json::from_str::<lastmile_protocol::sync::EventBatch>(&text).expect("event seed");
    }
    for text in read("seed") {
        serde_json::from_str::<lastmile_protocol::admin::Seed>(&text).expect("seed seed");
    }
    for text in read("content_range") {
        lastmile_protocol::sync::parse_content_range(&text).expect("range seed");
    }
    for text in read("lmrrc") {
        let mut parts = text.split('\0');
        let (r, p) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        lastmile_import::lmrrc::tours_from_json(r, p).expect("lmrrc seed");
    }
    for file in files("corpus", "barcode") {
        lastmile_scan::barcode::decode_image(&std::fs::read(&file).expect("image"))
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    }
}

fn crash(target: &str, name: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("crashes")
        .join(target)
        .join(name);
    let data = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    (lastmile_fuzz::target(target).expect("a target").run)(&data);
    data
}

fn lmrrc_refused(name: &str, needle: &str) {
    let data = crash("lmrrc", name);
    let text = String::from_utf8(data).expect("utf-8");
    let mut parts = text.splitn(3, '\0');
    let (routes, packages) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let err = lastmile_import::lmrrc::tours_from_json(routes, packages)
        .expect_err("the LMRRC import refuses it")
        .to_string();
    assert!(err.contains(needle), "{err}");
}

#[test]
fn lmrrc_with_a_station_off_earth_is_refused() {
    lmrrc_refused("station-off-earth", "is not on Earth");
}

#[test]
fn lmrrc_with_a_stop_off_earth_is_refused() {
    lmrrc_refused("stop-off-earth", "is not on Earth");
}

#[test]
fn lmrrc_with_a_window_ending_before_it_starts_is_refused() {
    lmrrc_refused("window-ends-before-start", "ends before it starts");
}

#[test]
fn lmrrc_dated_out_of_range_is_refused() {
    lmrrc_refused("date-out-of-range", "is outside");
}

#[test]
fn lmrrc_with_an_empty_route_id_is_refused() {
    lmrrc_refused("empty-route-id", "the tour id is empty");
}

#[test]
fn a_route_step_without_a_maneuver_type_is_refused() {
    let data = crash("route", "maneuver-without-kind");
    let err = lastmile_import::route::legs_from_json(std::str::from_utf8(&data).expect("utf-8"))
        .expect_err("refused")
        .to_string();
    assert!(err.contains("names no maneuver kind"), "{err}");
}

#[test]
fn a_png_whose_palette_breaks_the_png_decoder_is_unreadable() {
    let data = crash("barcode", "png-palette-not-multiple-of-3.png");
    assert!(matches!(
        lastmile_scan::barcode::decode_image(&data),
        Err(lastmile_scan::barcode::ScanError::UnreadableImage(_))
    ));
}

#[test]
fn an_image_that_overflows_the_maxicode_detector_is_no_crash() {
    let data = crash("barcode", "rxing-maxicode-overflow.png");
    assert!(lastmile_scan::barcode::decode_image(&data).is_err());
}

/// `cargo xtask fuzz` runs one target per corpus folder: the folders and `TARGETS` agree.
#[test]
fn corpus_folders_name_the_targets() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut folders: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus")
        .map(|e| e.expect("entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut names: Vec<String> = TARGETS.iter().map(|t| t.name.to_owned()).collect();
    names.sort();
    assert_eq!(folders, names);
}

#[test]
fn a_valhalla_shape_off_earth_is_refused() {
    let data = crash("route", "valhalla-shape-off-earth");
    let err = lastmile_import::route::legs_from_json(std::str::from_utf8(&data).expect("utf-8"))
        .expect_err("refused")
        .to_string();
    assert!(err.contains("is not on Earth"), "{err}");
}
