//! Where the device's secrets live (issue 16): the store's key and the sign-in's tokens.
//!
//! In production that is the platform's keystore through the `keyring` crate (Secret Service
//! on Linux desktops, the Keychain on macOS/iOS, the Credential Manager on Windows), never a
//! file beside the data. A machine without one gets [`KeystoreError::Unavailable`] and the
//! app does not open its store. For tests and the demo, `LASTMILE_KEY_DIR` names a folder
//! *apart from the data folder* that holds the secrets as files instead; the UI shows a
//! warning while that is on.
//!
//! Entries are scoped to the data folder (a desktop may hold several installations: the demo,
//! tests), as `lastmile` / `<name>@<first 16 hex digits of the SHA-256 of the folder path>`.

use std::path::{Path, PathBuf};

use lastmile_store::StoreKey;

/// The service name entries are kept under in the platform keystore.
const SERVICE: &str = "lastmile";
/// The entry that holds the store's key.
const STORE_KEY: &str = "store-key";

#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
    /// No usable keystore on this machine (no Secret Service running, locked, refused).
    #[error(
        "this device has no usable keystore ({0}); the app keeps its data encrypted with a key \
         from the platform's keystore and does not start without one (for tests and the demo \
         only: LASTMILE_KEY_DIR=<a folder apart from the data> keeps the keys in files)"
    )]
    Unavailable(String),
    /// The key folder of file mode is the data folder or inside it.
    #[error("LASTMILE_KEY_DIR {0} must not be the data folder or inside it")]
    KeyDirInData(PathBuf),
    /// The store is encrypted but its key is not in the keystore.
    #[error(
        "the local database is encrypted but its key is missing from the keystore; the data \
         stays untouched"
    )]
    KeyMissing,
    /// Reading or writing an entry failed.
    #[error("keystore entry {name}: {detail}")]
    Entry { name: String, detail: String },
}

/// The device's keystore.
#[derive(Debug, Clone)]
pub enum Keystore {
    /// The platform's keystore; `scope` tells installations apart.
    Platform { scope: String },
    /// Test and demo mode: one file per secret in `dir` (kept apart from the data folder).
    Files { dir: PathBuf },
}

impl Keystore {
    /// The keystore for the data folder `data_dir`: file mode when `key_dir` is given.
    pub fn for_data_dir(data_dir: &Path, key_dir: Option<&Path>) -> Result<Self, KeystoreError> {
        match key_dir {
            Some(dir) => {
                let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
                let (keys, data) = (absolute(dir), absolute(data_dir));
                if keys.starts_with(&data) {
                    return Err(KeystoreError::KeyDirInData(dir.to_owned()));
                }
                Ok(Self::Files { dir: keys })
            }
            None => {
                let path = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_owned());
                let digest = lastmile_store::blobs::sha256_hex(path.to_string_lossy().as_bytes());
                Ok(Self::Platform {
                    scope: digest[..16].to_owned(),
                })
            }
        }
    }

    /// True in test and demo mode (secrets in files), which the UI shows.
    pub fn is_file_mode(&self) -> bool {
        matches!(self, Self::Files { .. })
    }

    /// The store's key: the one kept, or a new one when there is none yet and the database
    /// is new or plaintext (`encrypted_store_exists` false). An encrypted store whose key is
    /// gone is refused rather than given a fresh key.
    pub fn store_key(&self, encrypted_store_exists: bool) -> Result<StoreKey, KeystoreError> {
        let entry_error = |detail: String| KeystoreError::Entry {
            name: STORE_KEY.into(),
            detail,
        };
        if let Some(hex) = self.get(STORE_KEY)? {
            return StoreKey::from_hex(&hex).map_err(|e| entry_error(e.to_string()));
        }
        if encrypted_store_exists {
            return Err(KeystoreError::KeyMissing);
        }
        let key = StoreKey::generate();
        self.set(STORE_KEY, &key.to_hex())?;
        // Read back: a keystore that accepts a write and forgets it would lose the data.
        match self.get(STORE_KEY)? {
            Some(hex) if hex == key.to_hex() => Ok(key),
            _ => Err(KeystoreError::Unavailable(
                "the keystore did not keep the store key".into(),
            )),
        }
    }

    /// The secret `name`, if kept.
    pub fn get(&self, name: &str) -> Result<Option<String>, KeystoreError> {
        match self {
            Self::Files { dir } => match std::fs::read_to_string(dir.join(name)) {
                Ok(text) => Ok(Some(text)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(file_error(name, e)),
            },
            Self::Platform { scope } => platform::get(&account(name, scope)),
        }
    }

    /// Keeps `value` as the secret `name` (replacing what was there).
    pub fn set(&self, name: &str, value: &str) -> Result<(), KeystoreError> {
        match self {
            Self::Files { dir } => write_file(dir, name, value).map_err(|e| file_error(name, e)),
            Self::Platform { scope } => platform::set(&account(name, scope), value),
        }
    }

    /// Forgets the secret `name` (no error when it was not there).
    pub fn delete(&self, name: &str) -> Result<(), KeystoreError> {
        match self {
            Self::Files { dir } => match std::fs::remove_file(dir.join(name)) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(file_error(name, e)),
            },
            Self::Platform { scope } => platform::delete(&account(name, scope)),
        }
    }
}

fn account(name: &str, scope: &str) -> String {
    format!("{name}@{scope}")
}

fn file_error(name: &str, e: std::io::Error) -> KeystoreError {
    KeystoreError::Entry {
        name: name.into(),
        detail: e.to_string(),
    }
}

/// Temp file (owner-only on Unix), fsync, rename, folder fsync.
fn write_file(dir: &Path, name: &str, value: &str) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&tmp)?;
    file.write_all(value.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, dir.join(name))?;
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(not(target_os = "android"))]
mod platform {
    use super::{KeystoreError, SERVICE};

    fn entry(account: &str) -> Result<keyring::Entry, KeystoreError> {
        keyring::Entry::new(SERVICE, account).map_err(|e| classify(account, e))
    }

    fn classify(account: &str, e: keyring::Error) -> KeystoreError {
        match e {
            keyring::Error::PlatformFailure(_) | keyring::Error::NoStorageAccess(_) => {
                KeystoreError::Unavailable(e.to_string())
            }
            other => KeystoreError::Entry {
                name: account.into(),
                detail: other.to_string(),
            },
        }
    }

    pub fn get(account: &str) -> Result<Option<String>, KeystoreError> {
        match entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(classify(account, e)),
        }
    }

    pub fn set(account: &str, value: &str) -> Result<(), KeystoreError> {
        entry(account)?
            .set_password(value)
            .map_err(|e| classify(account, e))
    }

    pub fn delete(account: &str) -> Result<(), KeystoreError> {
        match entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(account, e)),
        }
    }
}

/// Android: the Keystore needs a Tauri plugin this build does not have yet, so production
/// mode refuses to start there (file mode still works for tests).
#[cfg(target_os = "android")]
mod platform {
    use super::KeystoreError;

    fn unavailable() -> KeystoreError {
        KeystoreError::Unavailable("the Android Keystore is not wired in yet".into())
    }

    pub fn get(_account: &str) -> Result<Option<String>, KeystoreError> {
        Err(unavailable())
    }

    pub fn set(_account: &str, _value: &str) -> Result<(), KeystoreError> {
        Err(unavailable())
    }

    pub fn delete(_account: &str) -> Result<(), KeystoreError> {
        Err(unavailable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Set in the child process that runs inside its own D-Bus session.
    const CHILD: &str = "LASTMILE_KEYSTORE_TEST_CHILD";

    #[test]
    fn file_mode_keeps_secrets_apart_from_the_data_and_never_replaces_a_lost_key() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        assert!(matches!(
            Keystore::for_data_dir(&data, Some(&data)),
            Err(KeystoreError::KeyDirInData(_))
        ));
        assert!(matches!(
            Keystore::for_data_dir(&data, Some(&data.join("keys"))),
            Err(KeystoreError::KeyDirInData(_))
        ));
        let keys = Keystore::for_data_dir(&data, Some(&root.path().join("keys"))).unwrap();
        assert!(keys.is_file_mode());
        assert!(matches!(
            keys.store_key(true),
            Err(KeystoreError::KeyMissing)
        ));
        let key = keys.store_key(false).unwrap();
        assert_eq!(keys.store_key(true).unwrap(), key, "the same key next time");
        keys.set("credentials", "{}").unwrap();
        assert_eq!(keys.get("credentials").unwrap().as_deref(), Some("{}"));
        keys.delete("credentials").unwrap();
        keys.delete("credentials").unwrap();
        assert_eq!(keys.get("credentials").unwrap(), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(root.path().join("keys/store-key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "only the owner reads the key file");
        }
    }

    /// The platform keystore against a real Secret Service: gnome-keyring-daemon in a private
    /// D-Bus session (`dbus-run-session`), in a child process so the session's address does
    /// not leak into other tests. And without a Secret Service it reports `Unavailable`.
    #[test]
    fn the_platform_keystore_keeps_the_store_key_in_the_secret_service() {
        match std::env::var(CHILD).as_deref() {
            Ok("with-service") => return with_service(),
            Ok("without-service") => return without_service(),
            _ => {}
        }
        let home = tempfile::tempdir().unwrap();
        let me = std::env::current_exe().unwrap();
        let test =
            "keystore::tests::the_platform_keystore_keeps_the_store_key_in_the_secret_service";
        let run = |mode: &str, wrap: bool| {
            let mut cmd = if wrap {
                let mut c = std::process::Command::new("dbus-run-session");
                c.args([
                    "--",
                    "sh",
                    "-c",
                    "printf 'lastmile-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null \
                     && exec \"$0\" \"$@\"",
                ]);
                c.arg(&me);
                c
            } else {
                std::process::Command::new(&me)
            };
            cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
                .env(CHILD, mode)
                .env("HOME", home.path())
                .env("XDG_DATA_HOME", home.path().join("share"))
                .env("XDG_RUNTIME_DIR", home.path());
            if !wrap {
                cmd.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
            }
            let out = cmd.output().unwrap_or_else(|e| {
                panic!("cannot start dbus-run-session (cargo xtask setup installs it): {e}")
            });
            assert!(
                out.status.success(),
                "{mode}: {}\n{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let with = run("with-service", true);
        assert!(with.contains("secret service: key kept"), "{with}");
        let without = run("without-service", false);
        assert!(
            without.contains("no secret service: unavailable"),
            "{without}"
        );
    }

    fn with_service() {
        let data = tempfile::tempdir().unwrap();
        let keys = Keystore::for_data_dir(data.path(), None).unwrap();
        assert!(!keys.is_file_mode());
        let key = keys
            .store_key(false)
            .expect("a key kept in the Secret Service");
        assert_eq!(keys.store_key(true).unwrap(), key);
        // Another installation (data folder) has its own entries.
        let other = tempfile::tempdir().unwrap();
        let other = Keystore::for_data_dir(other.path(), None).unwrap();
        assert_eq!(other.get(STORE_KEY).unwrap(), None);
        keys.set("credentials", "{\"device_token\":\"lmd_x\"}")
            .unwrap();
        assert_eq!(
            keys.get("credentials").unwrap().as_deref(),
            Some("{\"device_token\":\"lmd_x\"}")
        );
        keys.delete("credentials").unwrap();
        assert_eq!(keys.get("credentials").unwrap(), None);
        keys.delete(STORE_KEY).unwrap();
        println!("secret service: key kept");
    }

    fn without_service() {
        let data = tempfile::tempdir().unwrap();
        let keys = Keystore::for_data_dir(data.path(), None).unwrap();
        match keys.store_key(false) {
            Err(KeystoreError::Unavailable(why)) => {
                println!("no secret service: unavailable ({why})")
            }
            other => panic!("expected Unavailable, got {other:?}"),
        }
    }
}
