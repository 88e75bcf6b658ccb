//! The offline map (issue 17): a station's archive served in resumable pieces to its own
//! devices only; a replaced archive restarts a resumed download; an unchanged copy is 304.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lastmile_protocol::auth::Role;
use lastmile_protocol::sync::{MAP, MAP_PIECE_BYTES};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use crate::{App, Backend, app_with};

/// An answer with its raw bytes.
struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

async fn get(app: &App, token: Option<&str>, headers: &[(header::HeaderName, &str)]) -> Got {
    let mut b = Request::builder().uri(MAP);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    for (k, v) in headers {
        b = b.header(k, *v);
    }
    let resp = lastmile_server::make_router(app.state.clone())
        .oneshot(b.body(Body::empty()).expect("request"))
        .await
        .expect("router answers");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body")
        .to_vec();
    Got {
        status,
        headers,
        bytes,
    }
}

fn code(got: &Got) -> String {
    serde_json::from_slice::<serde_json::Value>(&got.bytes).unwrap_or_default()["code"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

fn etag_of(bytes: &[u8]) -> String {
    format!("\"{}\"", hex::encode(Sha256::digest(bytes)))
}

/// Bytes that do not repeat within a piece, so a misplaced piece shows.
fn archive(len: usize, salt: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes()[1] ^ salt)
        .collect()
}

#[tokio::test]
async fn a_station_map_downloads_in_pieces_resumes_and_restarts_when_replaced() {
    let dir = tempfile::tempdir().expect("map dir");
    let first = archive(2 * MAP_PIECE_BYTES as usize + 12_345, 0);
    std::fs::write(dir.path().join("S1.mbtiles"), &first).expect("writing the archive");
    let map_dir = dir.path().to_owned();
    let app = app_with(Backend::Sqlite, |c| c.map_dir = Some(map_dir)).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let token = d1.token();

    assert_eq!(get(&app, None, &[]).await.status, StatusCode::UNAUTHORIZED);
    // Piece by piece from byte 0, each at most MAP_PIECE_BYTES, with the archive's digest.
    let mut have = Vec::new();
    let mut etag = String::new();
    while have.len() < first.len() {
        let range = format!("bytes={}-", have.len());
        let mut hs = vec![(header::RANGE, range.as_str())];
        if !etag.is_empty() {
            hs.push((header::IF_RANGE, etag.as_str()));
        }
        let got = get(&app, Some(token), &hs).await;
        assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
        assert!(got.bytes.len() as u64 <= MAP_PIECE_BYTES);
        let end = have.len() + got.bytes.len() - 1;
        assert_eq!(
            got.headers[header::CONTENT_RANGE],
            format!("bytes {}-{end}/{}", have.len(), first.len()).as_str()
        );
        etag = got.headers[header::ETAG].to_str().expect("etag").to_owned();
        have.extend_from_slice(&got.bytes);
        if have.len() == MAP_PIECE_BYTES as usize {
            // Cut off here: the rest comes later, after the archive was replaced.
            break;
        }
    }
    assert_eq!(have, first[..MAP_PIECE_BYTES as usize]);
    assert_eq!(etag, etag_of(&first));

    // The station's map is rebuilt; resuming with the old ETag starts over at byte 0.
    let second = archive(MAP_PIECE_BYTES as usize + 7, 0x5a);
    std::fs::write(dir.path().join("S1.mbtiles"), &second).expect("replacing the archive");
    let range = format!("bytes={}-", have.len());
    let got = get(
        &app,
        Some(token),
        &[(header::RANGE, &range), (header::IF_RANGE, &etag)],
    )
    .await;
    assert_eq!(got.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        got.headers[header::CONTENT_RANGE],
        format!("bytes 0-{}/{}", MAP_PIECE_BYTES - 1, second.len()).as_str()
    );
    assert_eq!(got.bytes, second[..MAP_PIECE_BYTES as usize]);
    let new_etag = etag_of(&second);
    assert_eq!(got.headers[header::ETAG], new_etag.as_str());
    let rest = get(
        &app,
        Some(token),
        &[
            (header::RANGE, &format!("bytes={MAP_PIECE_BYTES}-")),
            (header::IF_RANGE, &new_etag),
        ],
    )
    .await;
    assert_eq!(rest.bytes, second[MAP_PIECE_BYTES as usize..]);

    // The next day the device's copy is still the map: 304, nothing sent.
    let same = get(&app, Some(token), &[(header::IF_NONE_MATCH, &new_etag)]).await;
    assert_eq!(same.status, StatusCode::NOT_MODIFIED);
    assert!(same.bytes.is_empty());
    // A range past the end is refused with a code.
    let past = get(
        &app,
        Some(token),
        &[(header::RANGE, &format!("bytes={}-", second.len()))],
    )
    .await;
    assert_eq!(
        (past.status, code(&past).as_str()),
        (StatusCode::BAD_REQUEST, "bad_range")
    );
    let bad = get(&app, Some(token), &[(header::RANGE, "bytes=abc")]).await;
    assert_eq!(code(&bad), "bad_range");

    // Another station's device gets its own station's map, and S2 has none.
    let d3 = app.login("S2", Role::Driver, "D3").await;
    let other = get(&app, Some(d3.token()), &[(header::RANGE, "bytes=0-")]).await;
    assert_eq!(
        (other.status, code(&other).as_str()),
        (StatusCode::NOT_FOUND, "map_not_available")
    );
}

#[tokio::test]
async fn a_server_without_maps_says_so() {
    let app = app_with(Backend::Sqlite, |_| {}).await;
    app.seed().await;
    let d1 = app.login("S1", Role::Driver, "D1").await;
    let got = get(&app, Some(d1.token()), &[]).await;
    assert_eq!(
        (got.status, code(&got).as_str()),
        (StatusCode::NOT_FOUND, "map_not_available")
    );
}
