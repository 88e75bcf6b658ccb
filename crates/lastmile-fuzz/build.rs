fn main() {
    // `cargo afl build` sets `--cfg fuzzing`; declare it so plain builds do not warn.
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
}
