//! Photo and signature files, named by the SHA-256 of their content.
//!
//! A blob is written as a temp file, fsynced, renamed to its hash and the folder fsynced,
//! all *before* the transaction that records the event referencing it commits. So an event in
//! the database always has its file; a crash in between leaves at most an unreferenced file
//! (or a temp file, cleaned at the next open).

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::StoreError;

pub(crate) fn prepare_dir(dir: &Path) -> Result<(), StoreError> {
    fs::create_dir_all(dir).map_err(|source| blob_error(dir, source))?;
    // Temp files of writes that a crash interrupted are never referenced: remove them.
    let entries = fs::read_dir(dir).map_err(|source| blob_error(dir, source))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(".tmp-"))
            && let Err(e) = fs::remove_file(&path)
        {
            tracing::warn!(path = %path.display(), error = %e, "cannot remove stale temp file");
        }
    }
    Ok(())
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Path of the file for `hash` in `dir`.
pub fn path_of(dir: &Path, hash: &str) -> PathBuf {
    dir.join(hash)
}

/// A blob file as [`write`] left it.
pub(crate) struct Written {
    pub hash: String,
    /// This call created the file (it was not there before).
    pub created: bool,
}

/// Writes `bytes` durably under its hash and returns the hash. Writing the same content twice
/// is a no-op beyond the hashing.
pub(crate) fn write(dir: &Path, bytes: &[u8]) -> Result<Written, StoreError> {
    let hash = sha256_hex(bytes);
    let target = path_of(dir, &hash);
    if target.exists() {
        return Ok(Written {
            hash,
            created: false,
        });
    }
    let tmp = dir.join(format!(".tmp-{hash}-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, &target)?;
        // The rename is durable only once the folder is.
        File::open(dir)?.sync_all()
    })();
    if let Err(source) = result {
        if let Err(e) = fs::remove_file(&tmp) {
            tracing::debug!(error = %e, "no temp file to remove");
        }
        if source.kind() == std::io::ErrorKind::StorageFull {
            return Err(StoreError::StorageFull);
        }
        return Err(blob_error(&target, source));
    }
    Ok(Written {
        hash,
        created: true,
    })
}

/// Removes files this process created for an action that was then not recorded, so a refused
/// or failed action (a full disk above all) does not leave unreferenced proof files behind.
/// Only call this for files that no committed event references.
pub(crate) fn discard(dir: &Path, hashes: &[String]) {
    for hash in hashes {
        let path = path_of(dir, hash);
        if let Err(e) = fs::remove_file(&path) {
            tracing::warn!(path = %path.display(), error = %e, "cannot remove an unrecorded proof file");
        }
    }
}

/// Reads a blob back and checks that its content still matches its name.
pub fn read_verified(dir: &Path, hash: &str) -> Result<Vec<u8>, StoreError> {
    let path = path_of(dir, hash);
    let bytes = fs::read(&path).map_err(|source| blob_error(&path, source))?;
    if sha256_hex(&bytes) != hash {
        return Err(StoreError::Blob {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "content does not match its SHA-256 name",
            ),
        });
    }
    Ok(bytes)
}

fn blob_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Blob {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_stored_under_its_hash_and_read_back_verified() {
        let dir = tempfile::tempdir().unwrap();
        let first = write(dir.path(), b"photo of a porch").unwrap();
        let hash = first.hash;
        assert_eq!(hash, sha256_hex(b"photo of a porch"));
        assert!(first.created);
        let again = write(dir.path(), b"photo of a porch").unwrap();
        assert_eq!(again.hash, hash, "same content, same name");
        assert!(!again.created, "the second write finds the file");
        assert_eq!(
            read_verified(dir.path(), &hash).unwrap(),
            b"photo of a porch"
        );
        fs::write(path_of(dir.path(), &hash), b"tampered").unwrap();
        assert!(read_verified(dir.path(), &hash).is_err());
    }

    #[test]
    fn stale_temp_files_are_removed_at_open() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".tmp-abc-1"), b"half").unwrap();
        prepare_dir(dir.path()).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
