//! Builds the UI (wasm32 + wasm-bindgen into `target/ui-dist`) and the binaries.

use std::process::Command;

use anyhow::Context;

use crate::util::{self, cargo, step};

/// The Cargo profile of the UI's wasm (root `Cargo.toml`: size-optimised, full LTO).
const WASM_PROFILE: &str = "wasm-release";

/// Builds the Leptos UI into `target/ui-dist`, where the shell's build script embeds it.
/// The wasm is always built optimised for size (profile `wasm-release`): the webview
/// fetches and compiles all of it before the first screen, so every megabyte is start-up
/// time; debug wasm is larger still and slow to start. After wasm-bindgen (which needs the
/// symbols, TOOLCHAIN.md) the name section is dropped and `wasm-opt` shrinks the rest.
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
            "--profile",
            WASM_PROFILE,
        ]),
    )?;
    let root = util::root();
    let stage = root.join("target/ui-stage");
    let dist = root.join("target/ui-dist");
    std::fs::create_dir_all(&dist).context("creating target/ui-dist")?;
    let wasm = util::target_dir()
        .join("wasm32-unknown-unknown")
        .join(WASM_PROFILE)
        .join("lastmile_ui.wasm");
    let mut bindgen = Command::new("wasm-bindgen");
    bindgen
        .arg("--target")
        .arg("web")
        .arg("--no-typescript")
        .arg("--remove-name-section")
        .arg("--remove-producers-section")
        .arg("--out-dir")
        .arg(&stage)
        .arg(&wasm);
    step("wasm-bindgen", bindgen)?;
    let optimized = wasm_opt(&stage)?;
    let generated = [stage.join("lastmile_ui.js"), optimized];
    let static_files =
        ["index.html", "style.css", "map.js"].map(|f| root.join("src-ui/static").join(f));
    let maplibre = maplibre()?;
    for from in generated.iter().chain(&static_files).chain(&maplibre) {
        let name = from.file_name().context("file name")?;
        copy_if_changed(from, &dist.join(name))?;
    }
    Ok(())
}

/// Shrinks the bound wasm in `stage` with binaryen's `wasm-opt` ([`BINARYEN`]; required,
/// so every build ships the same UI) into `stage/opt/lastmile_ui_bg.wasm`,
/// which it returns. The features are the ones rustc enables for wasm32 (the module's
/// `target_features` section); `--strip-debug` drops what debug info is left. `wasm-opt`
/// takes over a minute on two cores (74 s here), so an unchanged input (kept as
/// `opt/input.wasm`) is not optimised again. Prints the size before and after.
fn wasm_opt(stage: &std::path::Path) -> anyhow::Result<std::path::PathBuf> {
    let wasm = stage.join("lastmile_ui_bg.wasm");
    let dir = stage.join("opt");
    let (input, out) = (dir.join("input.wasm"), dir.join("lastmile_ui_bg.wasm"));
    let bound = std::fs::read(&wasm).with_context(|| format!("reading {}", wasm.display()))?;
    if out.is_file() && std::fs::read(&input).ok().as_deref() == Some(bound.as_slice()) {
        return Ok(out);
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    // The input is kept only once the output is written, so a failed run is redone.
    std::fs::remove_file(&input).ok();
    let binaryen = npm_package(BINARYEN, "wasm-opt-npm", &["bin/wasm-opt"])?;
    let mut opt = Command::new("node");
    opt.arg(binaryen.join("bin/wasm-opt"))
        .arg(WASM_OPT_LEVEL)
        .args([
            "--enable-bulk-memory",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-reference-types",
            "--enable-multivalue",
            "--strip-debug",
            "--strip-producers",
        ])
        .arg(&wasm)
        .arg("-o")
        .arg(&out);
    step(&format!("wasm-opt ({BINARYEN})"), opt)?;
    std::fs::write(&input, &bound).with_context(|| format!("writing {}", input.display()))?;
    let after = std::fs::metadata(&out)?.len();
    eprintln!(
        "    UI wasm: {:.2} MB after wasm-bindgen, {:.2} MB after wasm-opt {WASM_OPT_LEVEL}",
        bound.len() as f64 / 1e6,
        after as f64 / 1e6
    );
    Ok(out)
}

/// `wasm-opt`'s level: size first, as for the Rust side.
const WASM_OPT_LEVEL: &str = "-Oz";

/// MapLibre GL JS (BSD-3-Clause), the offline map's renderer (issue 17): installed from the
/// npm registry into `target/ui-npm` (never committed) at the version pinned here; its
/// built `dist` files go into the UI beside the wasm.
const MAPLIBRE: &str = "maplibre-gl@5.24.1";

fn maplibre() -> anyhow::Result<[std::path::PathBuf; 2]> {
    let dist = npm_package(
        MAPLIBRE,
        "ui-npm",
        &["dist/maplibre-gl.js", "dist/maplibre-gl.css"],
    )?
    .join("dist");
    Ok(["maplibre-gl.js", "maplibre-gl.css"].map(|f| dist.join(f)))
}

/// Binaryen's `wasm-opt` (Apache-2.0) from the npm registry, at the version pinned here, in
/// its own scratch folder `target/wasm-opt-npm` (an `npm install --no-save` prunes the
/// packages of other installs in its folder); it runs on Node.js. Not Debian's `binaryen`:
/// its wasm-opt 108 turns this wasm into one WebKit refuses at start-up ("Argument value did
/// not match the reference type", checked in a WebKitGTK page; TOOLCHAIN.md says the same).
const BINARYEN: &str = "binaryen@132.0.0";

/// Installs `spec` (`name@version`) from the npm registry into `target/<scratch>` unless that
/// version and `files` (relative to the package) are there; returns the package's folder.
fn npm_package(spec: &str, scratch: &str, files: &[&str]) -> anyhow::Result<std::path::PathBuf> {
    let (name, wanted) = spec
        .rsplit_once('@')
        .context("npm spec without a version")?;
    let scratch = util::target_dir().join(scratch);
    let package = scratch.join("node_modules").join(name);
    let version = std::fs::read_to_string(package.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["version"].as_str().map(str::to_owned));
    if version.as_deref() != Some(wanted) || !files.iter().all(|f| package.join(f).is_file()) {
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
        .arg(spec);
        step(&format!("npm install {spec}"), npm)?;
    }
    Ok(package)
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
