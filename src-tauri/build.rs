//! Generates the Tauri context (config, capabilities, embedded UI) at compile time.
//! The UI must be built into `target/ui-dist` first: `cargo xtask build-ui`.

fn main() {
    let dist =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ui-dist/index.html");
    if !dist.exists() {
        panic!(
            "the UI is not built ({} is missing): run `cargo xtask build-ui` first \
             (or `cargo xtask test`, which does it)",
            dist.display()
        );
    }
    println!("cargo:rerun-if-changed=../target/ui-dist");
    tauri_build::build()
}
