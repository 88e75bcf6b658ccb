//! Photo and signature files, named by the SHA-256 of their content.
//!
//! A blob is written as a temp file, fsynced, renamed to its hash and the folder fsynced,
//! all *before* the transaction that records the event referencing it commits. So an event in
//! the database always has its file; a crash in between leaves at most an unreferenced file
//! (or a temp file, cleaned at the next open).
//!
//! In an encrypted store every file is sealed with XChaCha20-Poly1305 under the store's blob
//! key: `LMB1` + a random 24-byte nonce + the ciphertext and its tag, with the file's name
//! (the plaintext's SHA-256) as associated data, so a file renamed to another hash does not
//! open. Names stay those of the plaintext: dedup and sync are unchanged.

use std::fs::{self, File};
use std::io::Write;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// The first bytes of a sealed blob file.
const SEALED_MAGIC: &[u8; 4] = b"LMB1";
const NONCE_LEN: usize = 24;

/// The blob folder and, in an encrypted store, the key its files are sealed with. Cheap to
/// clone; derefs to the folder's path.
#[derive(Clone)]
pub struct BlobFiles {
    dir: PathBuf,
    cipher: Option<Arc<XChaCha20Poly1305>>,
}

impl std::fmt::Debug for BlobFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlobFiles")
            .field("dir", &self.dir)
            .field("sealed", &self.cipher.is_some())
            .finish()
    }
}

impl Deref for BlobFiles {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.dir
    }
}

impl BlobFiles {
    /// Plaintext files in `dir` (a store without a key).
    pub fn plain(dir: PathBuf) -> Self {
        Self { dir, cipher: None }
    }

    /// Files in `dir` sealed with the 32-byte `key`.
    pub fn sealed(dir: PathBuf, key: &[u8; 32]) -> Self {
        Self {
            dir,
            cipher: Some(Arc::new(XChaCha20Poly1305::new(key.into()))),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether files are sealed.
    pub fn is_sealed(&self) -> bool {
        self.cipher.is_some()
    }

    /// Reads a blob back (opening it when sealed) and checks that its content still matches
    /// its name.
    pub fn read_verified(&self, hash: &str) -> Result<Vec<u8>, StoreError> {
        let path = path_of(&self.dir, hash);
        let raw = fs::read(&path).map_err(|source| blob_error(&path, source))?;
        let bytes = match &self.cipher {
            Some(cipher) => open(cipher, hash, &raw).ok_or_else(|| StoreError::Blob {
                path: path.clone(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "the sealed file does not open with this store's key",
                ),
            })?,
            None => raw,
        };
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

    /// What goes into the file for `bytes` named `hash`.
    fn file_content(&self, hash: &str, bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
        match &self.cipher {
            Some(cipher) => seal(cipher, hash, bytes),
            None => Ok(bytes.to_vec()),
        }
    }

    /// Seals every plaintext blob file left by a store that had no key (an older app), each
    /// with temp file, fsync and rename, then fsyncs the folder. Files already sealed are
    /// skipped, so a run a crash interrupted is simply run again. Files whose content matches
    /// neither form are left for [`BlobFiles::read_verified`] to report.
    pub(crate) fn seal_plain_files(&self) -> Result<usize, StoreError> {
        let Some(cipher) = &self.cipher else {
            return Ok(0);
        };
        let entries = fs::read_dir(&self.dir).map_err(|source| blob_error(&self.dir, source))?;
        let mut sealed = 0;
        for entry in entries.flatten() {
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
                continue;
            }
            let path = entry.path();
            let raw = fs::read(&path).map_err(|source| blob_error(&path, source))?;
            if open(cipher, &name, &raw).is_some() {
                continue;
            }
            if sha256_hex(&raw) != name {
                tracing::warn!(path = %path.display(), "a proof file matches neither its name nor its seal");
                continue;
            }
            let content = seal(cipher, &name, &raw)?;
            write_durably(&self.dir, &name, &path, &content)?;
            sealed += 1;
        }
        if sealed > 0 {
            File::open(&self.dir)
                .and_then(|d| d.sync_all())
                .map_err(|source| blob_error(&self.dir, source))?;
            tracing::info!(files = sealed, "sealed the plaintext proof files");
        }
        Ok(sealed)
    }
}

fn seal(cipher: &XChaCha20Poly1305, hash: &str, bytes: &[u8]) -> Result<Vec<u8>, StoreError> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut chacha20poly1305::aead::OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: bytes,
                aad: hash.as_bytes(),
            },
        )
        .map_err(|_| StoreError::Internal("cannot seal a proof file".into()))?;
    let mut out = Vec::with_capacity(SEALED_MAGIC.len() + NONCE_LEN + sealed.len());
    out.extend_from_slice(SEALED_MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

fn open(cipher: &XChaCha20Poly1305, hash: &str, raw: &[u8]) -> Option<Vec<u8>> {
    let rest = raw.strip_prefix(SEALED_MAGIC.as_slice())?;
    if rest.len() < NONCE_LEN {
        return None;
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: hash.as_bytes(),
            },
        )
        .ok()
}

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

/// Writes `bytes` durably under its hash (sealed in an encrypted store) and returns the
/// hash. Writing the same content twice is a no-op beyond the hashing.
pub(crate) fn write(files: &BlobFiles, bytes: &[u8]) -> Result<Written, StoreError> {
    let hash = sha256_hex(bytes);
    let target = path_of(files, &hash);
    if target.exists() {
        return Ok(Written {
            hash,
            created: false,
        });
    }
    let content = files.file_content(&hash, bytes)?;
    write_durably(files, &hash, &target, &content)?;
    // The rename is durable only once the folder is.
    File::open(files.dir())
        .and_then(|d| d.sync_all())
        .map_err(|source| classify(&target, source))?;
    Ok(Written {
        hash,
        created: true,
    })
}

/// Temp file, write, fsync, rename onto `target` (the folder's fsync is the caller's).
fn write_durably(dir: &Path, hash: &str, target: &Path, content: &[u8]) -> Result<(), StoreError> {
    let tmp = dir.join(format!(".tmp-{hash}-{}", std::process::id()));
    let result = (|| {
        let mut file = File::create(&tmp)?;
        file.write_all(content)?;
        file.sync_all()?;
        fs::rename(&tmp, target)
    })();
    if let Err(source) = result {
        if let Err(e) = fs::remove_file(&tmp) {
            tracing::debug!(error = %e, "no temp file to remove");
        }
        return Err(classify(target, source));
    }
    Ok(())
}

fn classify(path: &Path, source: std::io::Error) -> StoreError {
    if source.kind() == std::io::ErrorKind::StorageFull {
        StoreError::StorageFull
    } else {
        blob_error(path, source)
    }
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
        for files in [
            BlobFiles::plain(dir.path().join("plain")),
            BlobFiles::sealed(dir.path().join("sealed"), &[7u8; 32]),
        ] {
            fs::create_dir_all(files.dir()).unwrap();
            let first = write(&files, b"photo of a porch").unwrap();
            let hash = first.hash;
            assert_eq!(hash, sha256_hex(b"photo of a porch"));
            assert!(first.created);
            let again = write(&files, b"photo of a porch").unwrap();
            assert_eq!(again.hash, hash, "same content, same name");
            assert!(!again.created, "the second write finds the file");
            assert_eq!(files.read_verified(&hash).unwrap(), b"photo of a porch");
            let raw = fs::read(path_of(&files, &hash)).unwrap();
            assert_eq!(
                raw.windows(5).any(|w| w == b"porch"),
                !files.is_sealed(),
                "only a plain file shows its content"
            );
            fs::write(path_of(&files, &hash), b"tampered").unwrap();
            assert!(files.read_verified(&hash).is_err());
        }
    }

    #[test]
    fn a_sealed_file_opens_only_under_its_own_name_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let files = BlobFiles::sealed(dir.path().to_owned(), &[1u8; 32]);
        let a = write(&files, b"signature A").unwrap().hash;
        let b = write(&files, b"signature B").unwrap().hash;
        // Swapping two files' names: each fails its associated data.
        let (pa, pb) = (path_of(&files, &a), path_of(&files, &b));
        let (ra, rb) = (fs::read(&pa).unwrap(), fs::read(&pb).unwrap());
        fs::write(&pa, &rb).unwrap();
        assert!(files.read_verified(&a).is_err());
        fs::write(&pa, &ra).unwrap();
        assert_eq!(files.read_verified(&a).unwrap(), b"signature A");
        let other_key = BlobFiles::sealed(dir.path().to_owned(), &[2u8; 32]);
        assert!(other_key.read_verified(&a).is_err());
    }

    #[test]
    fn plaintext_files_are_sealed_once_and_keep_their_content() {
        let dir = tempfile::tempdir().unwrap();
        let plain = BlobFiles::plain(dir.path().to_owned());
        let hashes: Vec<String> = (0..5)
            .map(|i| write(&plain, format!("photo {i}").as_bytes()).unwrap().hash)
            .collect();
        fs::write(dir.path().join("not-a-blob.txt"), b"left alone").unwrap();
        let sealed = BlobFiles::sealed(dir.path().to_owned(), &[3u8; 32]);
        assert_eq!(sealed.seal_plain_files().unwrap(), 5);
        assert_eq!(
            sealed.seal_plain_files().unwrap(),
            0,
            "a second run finds none"
        );
        for (i, hash) in hashes.iter().enumerate() {
            assert_eq!(
                sealed.read_verified(hash).unwrap(),
                format!("photo {i}").as_bytes()
            );
            let raw = fs::read(path_of(&sealed, hash)).unwrap();
            assert!(raw.starts_with(SEALED_MAGIC));
        }
        assert_eq!(
            fs::read(dir.path().join("not-a-blob.txt")).unwrap(),
            b"left alone"
        );
    }

    #[test]
    fn stale_temp_files_are_removed_at_open() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".tmp-abc-1"), b"half").unwrap();
        prepare_dir(dir.path()).unwrap();
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
