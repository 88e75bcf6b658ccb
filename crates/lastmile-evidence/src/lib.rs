//! The driver's evidence bundle: one day as a ZIP a driver keeps for a dispute about a parcel
//! or about working time.
//!
//! - `day.html`: the day for people (stops, times at the door, positions, outcomes, cards,
//!   corrections, photos and signatures inline);
//! - `day.json`: the same for programs ([`DayRecord`]);
//! - `proof/<sha256>.<ext>`: the photo and signature files the events reference;
//! - `manifest.json`: every file above with its SHA-256 and size, the device and the Ed25519
//!   public key; `manifest.sig`: the signature of `manifest.json`'s exact bytes by the
//!   device's key (hex).
//!
//! [`verify`] checks all of it: a file edited, added or removed, or a manifest edited after
//! signing, fails. Whether the public key is the device's is the verifier's question: the
//! app shows its key's fingerprint ([`Signer::fingerprint`]).

use std::io::{Read, Write};

use base64::Engine as _;
use chrono::{DateTime, NaiveDate, Utc};
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use lastmile_protocol::events::EventBody;
use lastmile_protocol::evidence::{DAY_FORMAT, DayRecord, ProofFile};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod html;

/// The manifest's format name and version.
pub const MANIFEST_FORMAT: &str = "lastmile-evidence/1";
const MANIFEST: &str = "manifest.json";
const SIGNATURE: &str = "manifest.sig";

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the bundle cannot be read as a ZIP file: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the bundle cannot be read or written: {0}")]
    Io(#[from] std::io::Error),
    #[error("the bundle has no {0}")]
    Missing(String),
    #[error("{0} is not valid JSON of its format: {1}")]
    Json(&'static str, serde_json::Error),
    #[error(
        "the manifest's signature does not match: it was edited after signing or signed by another key"
    )]
    BadSignature,
    #[error(
        "{path} was changed after the bundle was made (SHA-256 {found}, manifest says {listed})"
    )]
    Changed {
        path: String,
        listed: String,
        found: String,
    },
    #[error("{0} is in the bundle but not in its manifest")]
    NotListed(String),
    #[error("unknown format {0}")]
    Format(String),
    #[error("the key is not usable: {0}")]
    Key(String),
}

/// The device's signing key (Ed25519). The app keeps its 32 secret bytes in the keystore.
pub struct Signer(SigningKey);

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.fingerprint())
    }
}

impl Signer {
    /// A fresh key from the operating system's randomness (rand's thread CSPRNG).
    pub fn generate() -> Self {
        let mut secret = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut secret);
        Self(SigningKey::from_bytes(&secret))
    }

    /// The key from the 64 hex digits [`Signer::secret_hex`] gave.
    pub fn from_secret_hex(text: &str) -> Result<Self, BundleError> {
        let bytes = hex::decode(text.trim()).map_err(|e| BundleError::Key(e.to_string()))?;
        let secret: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| BundleError::Key(format!("{} bytes, not 32", b.len())))?;
        Ok(Self(SigningKey::from_bytes(&secret)))
    }

    pub fn secret_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_bytes())
    }

    /// What a person compares: the first 16 hex digits of the public key's SHA-256, in
    /// groups of four.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_hex())
    }
}

/// The fingerprint of a public key given in hex (see [`Signer::fingerprint`]).
pub fn fingerprint(public_hex: &str) -> String {
    let digest = hex::encode(Sha256::digest(public_hex.as_bytes()));
    digest.as_bytes()[..16]
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub device_id: String,
    pub tour_id: String,
    pub date: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// The device's Ed25519 public key, hex.
    pub public_key: String,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// A proof file's place in the bundle and its bytes.
#[derive(Debug, Clone)]
pub struct Proof<'a> {
    pub file: &'a ProofFile,
    pub bytes: &'a [u8],
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The bundle of `record` and its proof files, signed by `signer`, as ZIP bytes.
pub fn write_bundle(
    record: &DayRecord,
    proofs: &[Proof<'_>],
    signer: &Signer,
) -> Result<Vec<u8>, BundleError> {
    let json = serde_json::to_vec_pretty(record).map_err(|e| BundleError::Json("day.json", e))?;
    let page = html::page(record, |sha| {
        proofs
            .iter()
            .find(|p| p.file.sha256 == sha)
            .map(|p| data_uri(&p.file.kind, p.bytes))
    })
    .map_err(|e| BundleError::Io(std::io::Error::other(e)))?;
    let mut files: Vec<(String, &[u8])> = vec![
        ("day.html".into(), page.as_bytes()),
        ("day.json".into(), &json),
    ];
    for p in proofs {
        files.push((p.file.path.clone(), p.bytes));
    }
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        device_id: record.device_id.clone(),
        tour_id: record.tour_id.clone(),
        date: record.date,
        created_at: record.exported_at,
        public_key: signer.public_hex(),
        files: files
            .iter()
            .map(|(path, bytes)| ManifestFile {
                path: path.clone(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            })
            .collect(),
    };
    let manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| BundleError::Json(MANIFEST, e))?;
    let signature = signer.0.sign(&manifest_bytes);

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in &files {
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    zip.start_file(MANIFEST, options)?;
    zip.write_all(&manifest_bytes)?;
    zip.start_file(SIGNATURE, options)?;
    zip.write_all(hex::encode(signature.to_bytes()).as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

fn data_uri(kind: &str, bytes: &[u8]) -> String {
    let mime = match kind {
        "photo" | "card_photo" => "image/jpeg",
        "signature_image" => "image/png",
        _ => "application/octet-stream",
    };
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// What [`verify`] found intact.
#[derive(Debug, Clone)]
pub struct Verified {
    pub manifest: Manifest,
    pub record: DayRecord,
    /// The signing key's fingerprint, to compare with the one the device shows.
    pub fingerprint: String,
}

/// Checks a bundle: the manifest's signature by the key it names, every listed file's
/// SHA-256, no file outside the manifest, and `day.json` readable.
pub fn verify(zip_bytes: &[u8]) -> Result<Verified, BundleError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes))?;
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    let mut read = |name: &str| -> Result<Vec<u8>, BundleError> {
        let mut file = zip.by_name(name).map_err(|e| match e {
            zip::result::ZipError::FileNotFound => BundleError::Missing(name.into()),
            e => e.into(),
        })?;
        let mut out = Vec::new();
        file.read_to_end(&mut out)?;
        Ok(out)
    };
    let manifest_bytes = read(MANIFEST)?;
    let signature_hex = read(SIGNATURE)?;
    let manifest: Manifest =
        serde_json::from_slice(&manifest_bytes).map_err(|e| BundleError::Json(MANIFEST, e))?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(BundleError::Format(manifest.format));
    }
    let key_bytes: [u8; 32] = hex::decode(&manifest.public_key)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| BundleError::Key("the manifest's public key is not 32 hex bytes".into()))?;
    let key = VerifyingKey::from_bytes(&key_bytes).map_err(|e| BundleError::Key(e.to_string()))?;
    let signature: [u8; 64] = hex::decode(String::from_utf8_lossy(&signature_hex).trim())
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or(BundleError::BadSignature)?;
    key.verify(&manifest_bytes, &Signature::from_bytes(&signature))
        .map_err(|_| BundleError::BadSignature)?;
    for listed in &manifest.files {
        let found = sha256_hex(&read(&listed.path)?);
        if found != listed.sha256 {
            return Err(BundleError::Changed {
                path: listed.path.clone(),
                listed: listed.sha256.clone(),
                found,
            });
        }
    }
    for name in names {
        if name != MANIFEST && name != SIGNATURE && !manifest.files.iter().any(|f| f.path == name) {
            return Err(BundleError::NotListed(name));
        }
    }
    let record: DayRecord =
        serde_json::from_slice(&read("day.json")?).map_err(|e| BundleError::Json("day.json", e))?;
    if record.format != DAY_FORMAT {
        return Err(BundleError::Format(record.format));
    }
    Ok(Verified {
        fingerprint: fingerprint(&manifest.public_key),
        manifest,
        record,
    })
}

/// A one-line account of an event for the page.
pub fn describe(body: &EventBody) -> String {
    html::describe(body)
}

#[cfg(test)]
mod tests;
