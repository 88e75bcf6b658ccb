//! Installs what building and testing need, idempotently: Debian packages, the wasm32
//! target, tauri-driver and wasm-bindgen-cli at the version `Cargo.lock` pins, and cargo-afl
//! (AFL++) for the fuzz targets. When
//! everything is present this takes a second or two.

use std::process::Command;

use anyhow::{Context, bail};

use crate::util::{self, output, step};

/// Debian packages: Tauri's WebKitGTK stack, the headless E2E chain, PostgreSQL for the
/// server's PostgreSQL tests, xfsprogs for the power-cut test, a Secret Service for the
/// keystore test.
const DEBIAN_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "curl",
    "file",
    "libwebkit2gtk-4.1-dev",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "fonts-dejavu-core",
    "postgresql",
    // xfs_io: the power-cut test shuts a filesystem down without flushing it.
    "xfsprogs",
    // The app's keystore on Linux is the Secret Service (keyring crate over libdbus); its test
    // runs a private D-Bus session with gnome-keyring-daemon in it.
    "libdbus-1-dev",
    "dbus-daemon",
    "gnome-keyring",
    // The offline map (`cargo xtask tiles`): extracts sorted into PBF, cut into vector tiles.
    "osmium-tool",
    "tilemaker",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

pub fn run() -> anyhow::Result<()> {
    debian_packages()?;
    wasm_target()?;
    tauri_driver()?;
    wasm_bindgen_cli()?;
    crate::fuzz::setup()?;
    Ok(())
}

pub fn debian_packages() -> anyhow::Result<()> {
    ensure_debian(DEBIAN_PACKAGES)
}

/// Node.js and npm for `bench sync-peer` (PouchDB and pouchdb-server come from npm): Debian's
/// packages, only when no `npm` is on PATH (a NodeSource `nodejs` carries its own npm).
pub fn node_and_npm() -> anyhow::Result<()> {
    if output(Command::new("npm").arg("--version")).is_some() {
        return Ok(());
    }
    ensure_debian(&["nodejs", "npm"])
}

/// Installs whichever of `packages` is not installed yet (root or password-less sudo).
fn ensure_debian(packages: &[&str]) -> anyhow::Result<()> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            let status = output(Command::new("dpkg-query").args(["-W", "-f=${Status}", p]));
            !status.is_some_and(|s| s.contains("install ok installed"))
        })
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let by_hand = format!(
        "sudo apt-get update && sudo apt-get install -y {}",
        missing.join(" ")
    );
    let prefix: &[&str] = if is_root() {
        &[]
    } else if Command::new("sudo")
        .args(["-n", "true"])
        .status()
        .is_ok_and(|s| s.success())
    {
        &["sudo", "-n"]
    } else {
        bail!(
            "missing Debian packages: {}\nThis user is not root and has no password-less sudo. Run by hand:\n  {by_hand}",
            missing.join(" ")
        );
    };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = prefix.to_vec();
        all.push("apt-get");
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    step("apt-get update", apt(&["update", "-qq"]))
        .with_context(|| format!("run by hand: {by_hand}"))?;
    let mut install = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install.extend(missing.iter().copied());
    step(
        &format!("apt-get install {}", missing.join(" ")),
        apt(&install),
    )
    .with_context(|| format!("run by hand: {by_hand}"))
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

fn wasm_target() -> anyhow::Result<()> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    let mut cmd = Command::new("rustup");
    cmd.args(["target", "add", "wasm32-unknown-unknown"])
        .current_dir(util::root());
    step("rustup target add wasm32-unknown-unknown", cmd)
}

fn tauri_driver() -> anyhow::Result<()> {
    // tauri-driver has no --version flag; cargo's install list knows what it installed.
    let installed = output(&mut util::cargo(&["install", "--list"])).unwrap_or_default();
    let on_path = output(Command::new("sh").args(["-c", "command -v tauri-driver"])).is_some();
    if on_path
        && installed
            .lines()
            .any(|l| l.starts_with(&format!("tauri-driver v{TAURI_DRIVER_VERSION}:")))
    {
        return Ok(());
    }
    step(
        "cargo install tauri-driver",
        util::cargo(&[
            "install",
            "tauri-driver",
            "--version",
            TAURI_DRIVER_VERSION,
            "--locked",
        ]),
    )
}

/// The wasm-bindgen CLI must equal the `wasm-bindgen` crate in Cargo.lock, or the generated
/// glue does not match the wasm.
fn wasm_bindgen_cli() -> anyhow::Result<()> {
    let want = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) {
        return Ok(());
    }
    // Without --locked: with it, resolution fails on this registry (TOOLCHAIN.md).
    let version = format!("={want}");
    step(
        &format!("cargo install wasm-bindgen-cli {version}"),
        util::cargo(&["install", "wasm-bindgen-cli", "--version", &version]),
    )
    .with_context(|| format!("run by hand: cargo install wasm-bindgen-cli --version {version}"))?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(want.as_str()) {
        bail!(
            "wasm-bindgen on PATH is `{}` but Cargo.lock needs {want}; is ~/.cargo/bin on PATH?\nRun by hand: cargo install wasm-bindgen-cli --version {version}",
            have.trim()
        );
    }
    Ok(())
}

/// The version of `name` recorded in Cargo.lock.
pub fn locked_version(name: &str) -> anyhow::Result<String> {
    let lock =
        std::fs::read_to_string(util::root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .with_context(|| format!("{name} is not in Cargo.lock"))?
        + needle.len();
    let len = lock[start..].find('"').context("malformed Cargo.lock")?;
    Ok(lock[start..start + len].to_owned())
}
