//! The real binary over HTTPS (issue 16): certificate and key files as flags, checked against
//! a throwaway CA made with rcgen.

use std::process::Command;

use crate::process::{db_args, start_with};

/// A test CA and a certificate for 127.0.0.1 and localhost signed by it:
/// (CA certificate PEM, server certificate PEM, server key PEM).
fn test_pki() -> (String, String, String) {
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Lastmile test CA");
    let ca_key = rcgen::KeyPair::generate().expect("CA key");
    let ca = ca_params.self_signed(&ca_key).expect("CA certificate");
    let mut params =
        rcgen::CertificateParams::new(vec!["localhost".to_owned()]).expect("server params");
    params
        .subject_alt_names
        .push(rcgen::SanType::IpAddress("127.0.0.1".parse().expect("ip")));
    let key = rcgen::KeyPair::generate().expect("server key");
    let cert = params
        .signed_by(&key, &ca, &ca_key)
        .expect("server certificate");
    (ca.pem(), cert.pem(), key.serialize_pem())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_speaks_https_with_its_certificate_files_and_nothing_else() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ca, cert, key) = test_pki();
    let (cert_file, key_file) = (dir.path().join("server.pem"), dir.path().join("server.key"));
    std::fs::write(&cert_file, cert).expect("cert file");
    std::fs::write(&key_file, key).expect("key file");
    let server = start_with(
        Command::new(env!("CARGO_BIN_EXE_lastmile-server")),
        &db_args(&dir.path().join("db"), &None),
        &[
            ("LASTMILE_TLS_CERT_FILE", cert_file.display().to_string()),
            ("LASTMILE_TLS_KEY_FILE", key_file.display().to_string()),
        ],
    );
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let health = format!("{}{}", server.url, lastmile_protocol::api::HEALTH);

    // A client that trusts the test CA gets its answer, over TLS.
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).expect("CA pem"))
        .https_only(true)
        .build()
        .expect("client");
    let answer = trusting.get(&health).send().await.expect("HTTPS request");
    assert_eq!(answer.status(), 200);
    assert!(answer.text().await.expect("body").contains("version"));

    // One that does not trust it is refused by its own check of the certificate.
    let err = reqwest::Client::new()
        .get(&health)
        .send()
        .await
        .expect_err("an untrusted certificate");
    assert!(err.is_connect(), "{err:?}");

    // Plain HTTP on the same port gets no HTTP answer: the server waits for a TLS handshake.
    let plain = health.replacen("https://", "http://", 1);
    let err = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client")
        .get(&plain)
        .send()
        .await
        .expect_err("plain HTTP to an HTTPS port");
    assert!(!err.is_status(), "{err:?}");

    // A key file that is not one stops the server at start with the reason.
    std::fs::write(&key_file, "not a key").expect("spoil the key");
    let out = Command::new(env!("CARGO_BIN_EXE_lastmile-server"))
        .args(["--listen", "127.0.0.1:0"])
        .args(db_args(&dir.path().join("db"), &None))
        .env("LASTMILE_TLS_CERT_FILE", &cert_file)
        .env("LASTMILE_TLS_KEY_FILE", &key_file)
        .output()
        .expect("run the server");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("reading the private key"), "{stderr}");
}
