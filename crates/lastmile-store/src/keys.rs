//! The store's key and what it protects (issue 16).
//!
//! One 32-byte random [`StoreKey`] per installation, kept by the app in the platform's
//! keystore (never in a file beside the data). It is SQLCipher's raw key for the database
//! file and its WAL (no passphrase derivation: the key is already random, and opening stays
//! fast). The proof blobs are sealed with a second random key that lives *inside* the
//! encrypted database (`meta.blob_key`), so the keystore holds one secret only.
//!
//! A plaintext store of an older app is encrypted on the first open with a key
//! ([`encrypt_plain_database`]): a full copy through `sqlcipher_export` into a temp file,
//! fsynced, renamed over the old one. A crash at any point leaves either the old plaintext
//! file (the copy is redone) or the encrypted one.

use std::fs::File;
use std::path::{Path, PathBuf};

use rand::RngCore;
use rusqlite::Connection;

use crate::StoreError;

/// The header every plaintext SQLite file starts with.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The store's key. Its `Debug` never shows the bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; 32]);

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

impl StoreKey {
    /// A fresh random key (rand's thread generator: a CSPRNG seeded from the OS).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The key from the 64 hex digits [`StoreKey::to_hex`] gave.
    pub fn from_hex(text: &str) -> Result<Self, StoreError> {
        let bytes = hex::decode(text.trim())
            .map_err(|e| StoreError::Internal(format!("the store key is not hex: {e}")))?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            StoreError::Internal(format!("the store key has {} bytes, not 32", b.len()))
        })?;
        Ok(Self(bytes))
    }

    /// 64 lowercase hex digits, the form the keystore keeps.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// SQLCipher's raw-key literal: `x'<64 hex digits>'`.
    fn sqlcipher_literal(&self) -> String {
        format!("x'{}'", self.to_hex())
    }
}

/// Keys a fresh connection; must be its first statement.
pub(crate) fn apply(conn: &Connection, key: &StoreKey) -> rusqlite::Result<()> {
    conn.pragma_update(None, "key", key.sqlcipher_literal())
}

/// True when `path` is a plaintext SQLite database (an older app's store).
pub fn is_plain_database(path: &Path) -> Result<bool, StoreError> {
    use std::io::Read;
    let mut header = [0u8; 16];
    match File::open(path) {
        Ok(mut file) => match file.read_exact(&mut header) {
            Ok(()) => Ok(&header == SQLITE_HEADER),
            // Shorter than a header: empty (SQLite creates it on first use) or damaged.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(false),
            Err(source) => Err(io_error(path, source)),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(source) => Err(io_error(path, source)),
    }
}

fn sealing_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".encrypting");
    path.with_file_name(name)
}

/// Encrypts the plaintext database at `path` in place, keeping every row and the schema
/// version. Call before any other connection to it is open.
pub(crate) fn encrypt_plain_database(path: &Path, key: &StoreKey) -> Result<(), StoreError> {
    let target = sealing_path(path);
    // A copy a crash interrupted is incomplete: start over.
    remove_if_there(&target)?;
    {
        let conn = Connection::open(path)?;
        // Leaving WAL mode checkpoints everything into the main file and deletes the WAL, so
        // nothing of the old store stays behind in a side file after the rename.
        let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(StoreError::Internal(format!(
                "cannot leave journal mode {mode} to encrypt the store"
            )));
        }
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let target_text = target
            .to_str()
            .ok_or_else(|| StoreError::Internal("the store path is not UTF-8".into()))?;
        conn.execute(
            "ATTACH DATABASE ?1 AS sealed KEY ?2",
            [target_text, key.sqlcipher_literal().as_str()],
        )?;
        conn.query_row("SELECT sqlcipher_export('sealed')", [], |_| Ok(()))?;
        // sqlcipher_export copies schema and rows, not the header's user_version.
        conn.execute_batch(&format!("PRAGMA sealed.user_version = {version}"))?;
        conn.execute_batch("DETACH DATABASE sealed")?;
    }
    File::open(&target)
        .and_then(|f| f.sync_all())
        .map_err(|source| io_error(&target, source))?;
    std::fs::rename(&target, path).map_err(|source| io_error(path, source))?;
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        File::open(dir)
            .and_then(|f| f.sync_all())
            .map_err(|source| io_error(dir, source))?;
    }
    tracing::info!(path = %path.display(), "encrypted the plaintext store");
    Ok(())
}

fn remove_if_there(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(io_error(path, source)),
    }
}

/// A file error while encrypting the store: a full disk as such, anything else named.
fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    if source.kind() == std::io::ErrorKind::StorageFull {
        return StoreError::StorageFull;
    }
    StoreError::Internal(format!(
        "cannot encrypt the store at {}: {source}",
        path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_round_trips_through_hex_and_never_prints() {
        let key = StoreKey::generate();
        assert_eq!(StoreKey::from_hex(&key.to_hex()).unwrap(), key);
        assert_ne!(StoreKey::generate(), key);
        assert_eq!(format!("{key:?}"), "StoreKey(..)");
        assert!(StoreKey::from_hex("abcd").is_err());
        assert!(StoreKey::from_hex("not hex").is_err());
    }
}
