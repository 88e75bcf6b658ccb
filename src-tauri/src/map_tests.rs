//! The map archive's download cut off mid-way, against the real server binary over loopback:
//! a TCP relay between the device and the server drops the connection after part of the
//! archive went through; the next try resumes with a `Range` from what the device kept and
//! ends with the server's archive byte for byte, without starting again from byte 0.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lastmile_protocol::auth::{EnrolRequest, Role, SignInRequest};
use lastmile_sync::transport::{MAP_WANTED_BYTES, ServerClient};
use lastmile_tests::process::ServerProc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::{archive, refresh};

const CODE: &str = "CODE-MAP";

/// What the relay saw: the `Range` headers the device sent, and the bytes it passed back.
#[derive(Default)]
struct Seen {
    ranges: Vec<String>,
    bytes_back: u64,
    /// Drop the connection once this many bytes went back (then stop cutting).
    cut_after: Option<u64>,
}

/// A relay on a free loopback port to `upstream`, each connection piped both ways.
async fn relay(upstream: String, seen: Arc<Mutex<Seen>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("relay port");
    let addr = listener.local_addr().expect("relay address");
    tokio::spawn(async move {
        while let Ok((down, _)) = listener.accept().await {
            let up = TcpStream::connect(upstream.as_str()).await.expect("server");
            tokio::spawn(pipe(down, up, seen.clone()));
        }
    });
    format!("http://{addr}")
}

async fn pipe(down: TcpStream, up: TcpStream, seen: Arc<Mutex<Seen>>) {
    let (mut down_r, mut down_w) = down.into_split();
    let (mut up_r, mut up_w) = up.into_split();
    let asks = seen.clone();
    let to_server = tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        while let Ok(n) = down_r.read(&mut buf).await {
            if n == 0 {
                break;
            }
            let text = String::from_utf8_lossy(&buf[..n]).to_string();
            for line in text.lines() {
                if line.to_ascii_lowercase().starts_with("range:") {
                    lock(&asks).ranges.push(line.trim().to_ascii_lowercase());
                }
            }
            if up_w.write_all(&buf[..n]).await.is_err() {
                break;
            }
        }
    });
    let mut buf = vec![0u8; 16 * 1024];
    while let Ok(n) = up_r.read(&mut buf).await {
        if n == 0 {
            break;
        }
        let cut = {
            let mut s = lock(&seen);
            s.bytes_back += n as u64;
            match s.cut_after {
                Some(limit) if s.bytes_back >= limit => {
                    s.cut_after = None;
                    true
                }
                _ => false,
            }
        };
        if cut || down_w.write_all(&buf[..n]).await.is_err() {
            break;
        }
    }
    // Both halves dropped: the device sees the connection closed mid-answer.
    to_server.abort();
}

fn lock(seen: &Mutex<Seen>) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|p| p.into_inner())
}

/// An archive of `len` bytes that are not a repeating pattern (a wrong offset shows).
fn archive_bytes(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

async fn session(client: &ServerClient) -> String {
    let device = client
        .enrol(&EnrolRequest {
            enrolment_code: CODE.into(),
            device_name: "map test".into(),
        })
        .await
        .expect("enrol");
    client
        .sign_in(&SignInRequest {
            device_id: device.device_id,
            device_token: device.device_token,
            role: Role::Driver,
            user_id: "D1".into(),
            pin: "1111".into(),
        })
        .await
        .expect("sign-in")
        .access_token
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_map_download_cut_mid_way_resumes_with_a_range_and_ends_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let maps = dir.path().join("maps");
    std::fs::create_dir_all(&maps).expect("map dir");
    // Three and a half of the device's pieces.
    let served = archive_bytes((MAP_WANTED_BYTES * 7 / 2) as usize);
    std::fs::write(maps.join("S1.mbtiles"), &served).expect("archive");
    let tour = crate::device::tests::tour("TA", "D1", 2);
    let seed = lastmile_tests::station_seed(&tour, CODE, &[("D1", "driver", "1111")]);
    let file = dir.path().join("seed.json");
    std::fs::write(&file, seed.to_string()).expect("seed file");
    let server_dir = dir.path().join("server");
    ServerProc::seed(&server_dir, &file).expect("seeding");
    let server = ServerProc::start_with(
        &server_dir,
        &dir.path().join("server.log"),
        "127.0.0.1:0",
        &[("LASTMILE_MAP_DIR".into(), maps.display().to_string())],
    )
    .expect("server");

    // The cut comes in the middle of the second piece.
    let cut_at = MAP_WANTED_BYTES * 3 / 2;
    let seen = Arc::new(Mutex::new(Seen {
        cut_after: Some(cut_at),
        ..Seen::default()
    }));
    let url = relay(server.addr().to_owned(), seen.clone()).await;
    let client = ServerClient::new(&url, Duration::from_secs(5)).expect("client");
    let token = session(&client).await;
    let device = dir.path().join("device");
    std::fs::create_dir_all(&device).expect("device dir");

    let first = refresh(&client, &token, &device).await;
    assert!(first.is_err(), "the cut download cannot have finished");
    assert!(!archive(&device).is_file(), "no map from a cut download");
    let kept = std::fs::metadata(device.join("map/map.mbtiles.part"))
        .expect("the part is kept")
        .len();
    assert_eq!(
        kept, MAP_WANTED_BYTES,
        "the first piece is kept, the cut one is not"
    );
    let before = {
        let mut s = lock(&seen);
        s.ranges.clear();
        s.bytes_back
    };

    refresh(&client, &token, &device)
        .await
        .expect("the download resumes");
    let got = std::fs::read(archive(&device)).expect("the map");
    assert!(
        got == served,
        "the map is the server's archive byte for byte"
    );
    let (ranges, again) = {
        let s = lock(&seen);
        (s.ranges.clone(), s.bytes_back - before)
    };
    assert_eq!(
        ranges.first().map(String::as_str),
        Some(format!("range: bytes={kept}-{}", kept + MAP_WANTED_BYTES - 1).as_str()),
        "the second try starts where the part ends (all ranges: {ranges:?})"
    );
    let rest = served.len() as u64 - kept;
    assert!(
        again < rest + 16 * 1024,
        "{again} bytes came back for the {rest} missing: the archive came again from byte 0"
    );
    drop(server);
}
