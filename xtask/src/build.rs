//! Builds the UI (wasm32 + wasm-bindgen into `target/ui-dist`) and the binaries.

use std::process::Command;

use anyhow::Context;

use crate::util::{self, cargo, step};

/// Builds the Leptos UI into `target/ui-dist`, where the shell's build script embeds it.
/// The wasm is always built in release mode: it is small and debug wasm is slow to start.
pub fn ui(_release: bool) -> anyhow::Result<()> {
    crate::setup::run()?;
    step(
        "build UI (wasm32)",
        cargo(&[
            "build",
            "-p",
            "lastmile-ui",
            "--target",
            "wasm32-unknown-unknown",
            "--release",
        ]),
    )?;
    let root = util::root();
    let stage = root.join("target/ui-stage");
    let dist = root.join("target/ui-dist");
    std::fs::create_dir_all(&dist).context("creating target/ui-dist")?;
    let wasm = util::target_dir().join("wasm32-unknown-unknown/release/lastmile_ui.wasm");
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen
        .arg("--target")
        .arg("web")
        .arg("--no-typescript")
        .arg("--out-dir")
        .arg(&stage)
        .arg(&wasm);
    step("wasm-bindgen", bindgen)?;
    let generated = ["lastmile_ui.js", "lastmile_ui_bg.wasm"].map(|f| stage.join(f));
    let static_files =
        ["index.html", "style.css", "map.js"].map(|f| root.join("src-ui/static").join(f));
    let maplibre = maplibre()?;
    for from in generated.iter().chain(&static_files).chain(&maplibre) {
        let name = from.file_name().context("file name")?;
        copy_if_changed(from, &dist.join(name))?;
    }
    Ok(())
}

/// MapLibre GL JS (BSD-3-Clause), the offline map's renderer (issue 17): installed from the
/// npm registry into `target/ui-npm` (never committed) at the version pinned here; its
/// built `dist` files go into the UI beside the wasm.
const MAPLIBRE: &str = "maplibre-gl@5.24.1";

fn maplibre() -> anyhow::Result<[std::path::PathBuf; 2]> {
    let scratch = util::target_dir().join("ui-npm");
    let dist = scratch.join("node_modules/maplibre-gl/dist");
    let files = ["maplibre-gl.js", "maplibre-gl.css"].map(|f| dist.join(f));
    let version = std::fs::read_to_string(scratch.join("node_modules/maplibre-gl/package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned));
    let wanted = MAPLIBRE.rsplit('@').next().unwrap_or_default();
    if version.as_deref() != Some(wanted) || !files.iter().all(|f| f.is_file()) {
        std::fs::create_dir_all(&scratch)
            .with_context(|| format!("creating {}", scratch.display()))?;
        let mut npm = Command::new("npm");
        npm.args([
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
        ])
        .arg(&scratch)
        .arg(MAPLIBRE);
        step(&format!("npm install {MAPLIBRE}"), npm)?;
    }
    Ok(files)
}

/// Copies only when the content differs, so the shell's build script (which watches
/// `target/ui-dist`) does not re-embed an unchanged UI.
fn copy_if_changed(from: &std::path::Path, to: &std::path::Path) -> anyhow::Result<()> {
    let new = std::fs::read(from).with_context(|| format!("reading {}", from.display()))?;
    if std::fs::read(to).ok().as_deref() != Some(new.as_slice()) {
        std::fs::write(to, new).with_context(|| format!("writing {}", to.display()))?;
    }
    Ok(())
}

/// UI, server, simulator and app.
pub fn all(release: bool) -> anyhow::Result<()> {
    ui(release)?;
    let mut args = vec![
        "build",
        "-p",
        "lastmile-server",
        "-p",
        "lastmile-sim",
        "-p",
        "lastmile-app",
    ];
    if release {
        args.extend(["--release", "--features", "lastmile-app/custom-protocol"]);
    }
    step("build server, simulator and app", cargo(&args))
}
