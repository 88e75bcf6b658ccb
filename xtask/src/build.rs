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
    let static_files = ["index.html", "style.css"].map(|f| root.join("src-ui/static").join(f));
    for from in generated.iter().chain(&static_files) {
        let name = from.file_name().context("file name")?;
        copy_if_changed(from, &dist.join(name))?;
    }
    Ok(())
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
