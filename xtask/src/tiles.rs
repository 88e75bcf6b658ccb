//! `cargo xtask tiles <extract> <out.mbtiles>`: vector tiles of an OpenStreetMap extract in
//! one MBTiles file, the offline map a station's devices download.
//!
//! The tools are Debian's: `osmium sort` turns any extract (PBF or gzipped XML, sorted or
//! not: Baltimore's is not) into a sorted PBF, and tilemaker 2.2 cuts it into vector tiles
//! with our own profile (`assets/map/tilemaker.{json,lua}`: road, building, water, land,
//! place; zoom 10–14, the map over-zooms beyond). The bounding box is the data's own, so the
//! archive covers every address of the extract.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};

use crate::util::{self, output, step};

/// The extracts of `../shared/data` by short name.
const EXTRACTS: &[(&str, &str)] = &[
    ("monaco", "osm_monaco_osrm/monaco.osm.pbf"),
    (
        "liechtenstein",
        "osm_liechtenstein_valhalla/liechtenstein-latest.osm.pbf",
    ),
    ("baltimore", "osm_baltimore_valhalla/baltimore.osm.pbf"),
    (
        "north-bayreuth",
        "osm_north_bayreuth_graphhopper/north-bayreuth.osm.gz",
    ),
];

pub const USAGE: &str =
    "usage: cargo xtask tiles <monaco|liechtenstein|baltimore|north-bayreuth|FILE> <out.mbtiles>";

/// The extract a name stands for: one of [`EXTRACTS`], else a file path.
pub fn extract_path(name: &str) -> PathBuf {
    EXTRACTS
        .iter()
        .find(|(short, _)| *short == name)
        .map(|(_, rel)| util::root().join("../shared/data").join(rel))
        .unwrap_or_else(|| PathBuf::from(name))
}

pub fn run(args: &[&str]) -> anyhow::Result<()> {
    let [extract, out] = args else {
        bail!("{USAGE}");
    };
    crate::setup::run()?;
    build(&extract_path(extract), Path::new(out))
}

/// Builds `out` from `input` and prints one JSON line: the archive's size and build time.
pub fn build(input: &Path, out: &Path) -> anyhow::Result<()> {
    if !input.is_file() {
        bail!("no extract at {}\n{USAGE}", input.display());
    }
    let started = Instant::now();
    let work = util::target_dir().join("tiles-work");
    std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
    let sorted = work.join("sorted.osm.pbf");
    let mut sort = Command::new("osmium");
    sort.arg("sort")
        .arg(input)
        .arg("-o")
        .arg(&sorted)
        .arg("--overwrite");
    step("osmium sort", sort)?;
    let bbox = output(
        Command::new("osmium")
            .args(["fileinfo", "-e", "-g", "data.bbox"])
            .arg(&sorted),
    )
    .context("osmium fileinfo could not read the extract's bounding box")?;
    // "(minlon,minlat,maxlon,maxlat)"
    let bbox = bbox.trim().trim_start_matches('(').trim_end_matches(')');
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    // tilemaker adds to an existing file's tiles table; start from nothing.
    match std::fs::remove_file(out) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("removing the old {}", out.display())),
    }
    let assets = util::root().join("assets/map");
    let mut tilemaker = Command::new("tilemaker");
    tilemaker
        .arg("--input")
        .arg(&sorted)
        .arg("--output")
        .arg(out)
        .arg("--bbox")
        .arg(bbox)
        .arg("--config")
        .arg(assets.join("tilemaker.json"))
        .arg("--process")
        .arg(assets.join("tilemaker.lua"))
        .stdout(std::process::Stdio::null());
    step("tilemaker", tilemaker)?;
    let bytes = std::fs::metadata(out)
        .with_context(|| format!("tilemaker wrote no {}", out.display()))?
        .len();
    println!(
        "{}",
        serde_json::json!({
            "archive": out.display().to_string(),
            "extract": input.display().to_string(),
            "bbox": bbox,
            "bytes": bytes,
            "build_ms": started.elapsed().as_millis() as u64,
        })
    );
    Ok(())
}
