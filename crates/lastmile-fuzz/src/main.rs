//! One binary for every target: `lastmile-fuzz TARGET`.
//!
//! Built by `cargo afl build` (`--cfg fuzzing`) it is AFL++'s persistent-mode harness and
//! reads its inputs from AFL++. Built plainly it replays files: `lastmile-fuzz TARGET FILE...`
//! runs each file through the target (a crash AFL++ saved panics the same way here).

#[cfg(fuzzing)]
fn main() {
    let name = std::env::args().nth(1).unwrap_or_default();
    let Some(target) = lastmile_fuzz::target(&name) else {
        eprintln!("unknown fuzz target {name:?}");
        std::process::exit(2);
    };
    // `fuzz_nohook!`: a panic the parser itself contains (`lastmile_scan`'s guard around
    // third-party decoders) is no crash; one that escapes the target still is.
    afl::fuzz_nohook!(|data: &[u8]| (target.run)(data));
}

#[cfg(not(fuzzing))]
fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    let Some(target) = lastmile_fuzz::target(&name) else {
        let names: Vec<&str> = lastmile_fuzz::TARGETS.iter().map(|t| t.name).collect();
        eprintln!(
            "usage: lastmile-fuzz TARGET FILE...   (targets: {})",
            names.join(", ")
        );
        return std::process::ExitCode::from(2);
    };
    for file in args {
        match std::fs::read(&file) {
            Ok(data) => {
                (target.run)(&data);
                println!("{file}: ok");
            }
            Err(e) => {
                eprintln!("{file}: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
