//! Power cut: not just the process dies, everything the device had not flushed to its disk is
//! gone. The store lives on a real ext4 filesystem in a loop-mounted image; at a random moment
//! the filesystem is shut down without flushing its log (`xfs_io -x -c shutdown`, the
//! `FS_IOC_SHUTDOWN`/`NOLOGFLUSH` ioctl xfstests uses to simulate a power failure: dirty pages
//! and the unflushed journal are dropped, nothing more reaches the image), the recording child
//! is killed, and the image is mounted again (journal replay). Every action whose call
//! returned before the cut began must be there exactly once, with its photo files and a
//! gap-free log: only what SQLite and the blob writer fsynced survives, so a missing fsync
//! (or `synchronous` below FULL) loses returned actions here. (An action whose call returned
//! while the cut was under way must be there at most once: see `crash::Confirmed`.) Needs root (mount) and `xfs_io` (xfsprogs, installed by
//! `cargo xtask setup`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::crash::{Confirmed, rounds};

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An ext4 image mounted (as a loop device) at `mnt`; unmounted on drop.
struct Disk {
    image: PathBuf,
    mnt: PathBuf,
    mounted: bool,
}

impl Disk {
    fn new(dir: &Path) -> Self {
        assert!(
            is_root(),
            "the power-cut test mounts a filesystem image and needs root"
        );
        let image = dir.join("disk.img");
        std::fs::File::create(&image)
            .unwrap()
            .set_len(256 << 20)
            .unwrap();
        run(Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&image));
        let mnt = dir.join("mnt");
        std::fs::create_dir_all(&mnt).unwrap();
        let mut disk = Self {
            image,
            mnt,
            mounted: false,
        };
        disk.mount();
        disk
    }

    fn mount(&mut self) {
        run(Command::new("mount")
            .args(["-t", "ext4", "-o", "loop"])
            .arg(&self.image)
            .arg(&self.mnt));
        self.mounted = true;
    }

    fn umount(&mut self) {
        if self.mounted {
            run(Command::new("umount").arg(&self.mnt));
            self.mounted = false;
        }
    }

    /// The power cut: from now on nothing reaches the image (no `-f`: the log is not flushed).
    fn shut_down(&self) {
        run(Command::new("xfs_io")
            .args(["-x", "-c", "shutdown"])
            .arg(&self.mnt));
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        if self.mounted
            && let Err(e) = Command::new("umount").arg("-l").arg(&self.mnt).status()
        {
            eprintln!("umount {}: {e}", self.mnt.display());
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn every_returned_action_survives_a_power_cut_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut disk = Disk::new(dir.path());
    let db = disk.mnt.join("device.db");
    let seed: u64 = std::env::var("POWER_CUT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("power-cut test seed {seed} (set POWER_CUT_SEED to repeat)");
    let (returned, cuts) = rounds(&db, 12, seed, Confirmed::BeforeTheCut, |child| {
        disk.shut_down();
        child.kill().unwrap_or(());
        child.wait().unwrap();
        // What the page cache held is gone with the power: the image has what was flushed.
        disk.umount();
        disk.mount();
    });
    assert!(cuts >= 5, "only {cuts} power cuts happened");
    assert!(
        returned.len() >= 20,
        "only {} actions returned",
        returned.len()
    );
    drop(disk);
}
