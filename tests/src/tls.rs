//! A throwaway PKI for the HTTPS E2E test (issue 16): a test CA, a certificate for 127.0.0.1
//! and `localhost` that it signs, and a second CA that signed nothing (an app trusting only
//! that one must refuse the server).

use std::path::{Path, PathBuf};

use anyhow::Context;

/// The PEM files [`TestPki::write`] wrote.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The CA that signed the server's certificate.
    pub ca: PathBuf,
    /// A CA that signed nothing here.
    pub other_ca: PathBuf,
    /// The server's certificate chain and key (`--tls-cert-file`, `--tls-key-file`).
    pub cert: PathBuf,
    pub key: PathBuf,
}

fn new_ca(name: &str) -> anyhow::Result<(rcgen::Certificate, rcgen::KeyPair)> {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new())?;
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    let key = rcgen::KeyPair::generate()?;
    Ok((params.self_signed(&key)?, key))
}

impl TestPki {
    /// Makes the CAs and the server certificate and writes them as PEM files into `dir`.
    pub fn write(dir: &Path) -> anyhow::Result<Self> {
        let (ca, ca_key) = new_ca("Lastmile E2E test CA")?;
        let (other, _) = new_ca("Lastmile E2E other CA")?;
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()])?;
        params
            .subject_alt_names
            .push(rcgen::SanType::IpAddress([127, 0, 0, 1].into()));
        let key = rcgen::KeyPair::generate()?;
        let cert = params.signed_by(&key, &ca, &ca_key)?;
        let pki = Self {
            ca: dir.join("test-ca.pem"),
            other_ca: dir.join("other-ca.pem"),
            cert: dir.join("server-cert.pem"),
            key: dir.join("server-key.pem"),
        };
        for (path, pem) in [
            (&pki.ca, ca.pem()),
            (&pki.other_ca, other.pem()),
            (&pki.cert, cert.pem()),
            (&pki.key, key.serialize_pem()),
        ] {
            std::fs::write(path, pem).with_context(|| format!("writing {}", path.display()))?;
        }
        Ok(pki)
    }

    /// The server's environment for HTTPS with this certificate.
    pub fn server_env(&self) -> Vec<(String, String)> {
        vec![
            (
                "LASTMILE_TLS_CERT_FILE".into(),
                self.cert.to_string_lossy().into_owned(),
            ),
            (
                "LASTMILE_TLS_KEY_FILE".into(),
                self.key.to_string_lossy().into_owned(),
            ),
        ]
    }
}
