//! The HTTP surface: thin axum handlers (extract, call one function, answer), the JSON
//! extractor that turns every malformed body into an [`ErrorBody`](lastmile_protocol::api::ErrorBody),
//! body limits, and gzip in both directions.
//!
//! Every route here is listed in [`crate::openapi::ROUTES`]; a test checks the two agree.

use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use lastmile_protocol::admin::{SEED, Seed, SeedReport};
use lastmile_protocol::api::{HEALTH, Health};
use lastmile_protocol::auth::{
    ENROL, EnrolRequest, EnrolResponse, REFRESH, RefreshRequest, SIGN_IN, Session, SignInRequest,
};
use lastmile_protocol::dispatch::{
    CardView, ChangeRequest, IMPORT_LMRRC, IMPORT_OWN, ImportReport, LmrrcImportRequest,
    MissingBlobView, OutcomeView, RejectionView, RouteReport, TOUR_ROUTE, TOURS, TourProgress,
    TourSummary,
};
use lastmile_protocol::sync::{
    BatchAck, BlobStatus, CHANGES, ChangesPage, DEVICE_TIME_HEADER, EVENTS, EventBatch, TOUR,
    UPLOAD_OFFSET_HEADER,
};
use lastmile_protocol::tour::{ChangeSet, TourSnapshot};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;

use crate::auth::{Admin, Principal};
use crate::error::{ApiError, ApiResult};
use crate::{ServerState, auth, blobs, events, openapi, seed, tours, views};

/// A JSON body whose every rejection (too large, not JSON, wrong shape, wrong content type)
/// becomes a clear 4xx [`ApiError`].
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => {
                    ApiError::too_large("body_too_large", rejection.body_text())
                }
                StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                    ApiError::unsupported("unsupported_media_type", rejection.body_text())
                }
                _ => ApiError::bad_request("malformed_body", rejection.body_text()),
            }),
        }
    }
}

/// A raw body that could not be read: too large, or a broken compressed stream.
fn body_error(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large("body_too_large", rejection.body_text())
    } else {
        ApiError::bad_request("malformed_body", rejection.body_text())
    }
}

/// The whole HTTP API.
pub fn make_router(state: ServerState) -> Router {
    let body_limit = state.config.max_body_bytes;
    let import_limit = state.config.max_import_bytes;
    let route_limit = state.config.max_route_bytes;
    // The blob route reads its body with its own cap (the blob size limit).
    let blob_limit = usize::try_from(state.config.max_blob_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    let import = Router::new()
        .route(IMPORT_OWN, post(import_own))
        .route(IMPORT_LMRRC, post(import_lmrrc))
        .route(SEED, post(admin_seed))
        .layer(DefaultBodyLimit::max(import_limit));
    // A router's response: bigger than an edit, far smaller than an import.
    let route = Router::new()
        .route(TOUR_ROUTE, put(put_route))
        .layer(DefaultBodyLimit::max(route_limit));
    let blob_routes = Router::new()
        .route(
            "/v1/blobs/{sha256}",
            get(blob_get).put(blob_put).head(blob_head),
        )
        .route("/v1/blobs/{sha256}/status", get(blob_status))
        .layer(DefaultBodyLimit::max(blob_limit));
    Router::new()
        .route(HEALTH, get(health))
        .route(openapi::OPENAPI, get(openapi_doc))
        .route(ENROL, post(enrol))
        .route(SIGN_IN, post(sign_in).delete(sign_out))
        .route(REFRESH, post(refresh))
        .route(TOUR, get(tour))
        .route(EVENTS, post(post_events))
        .route(CHANGES, get(changes))
        .route(TOURS, get(dispatch_tours))
        .route("/v1/dispatch/tours/{tour_id}", get(dispatch_tour))
        .route(
            "/v1/dispatch/tours/{tour_id}/progress",
            get(dispatch_progress),
        )
        .route(
            "/v1/dispatch/tours/{tour_id}/outcomes",
            get(dispatch_outcomes),
        )
        .route("/v1/dispatch/tours/{tour_id}/cards", get(dispatch_cards))
        .route(
            "/v1/dispatch/tours/{tour_id}/missing-blobs",
            get(dispatch_missing_blobs),
        )
        .route(
            "/v1/dispatch/tours/{tour_id}/rejections",
            get(dispatch_rejections),
        )
        .route(
            "/v1/dispatch/tours/{tour_id}/changes",
            post(dispatch_change),
        )
        .layer(DefaultBodyLimit::max(body_limit))
        .merge(import)
        .merge(route)
        .merge(blob_routes)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::not_found("no_such_endpoint", "no such endpoint")
}

async fn method_not_allowed() -> Response {
    let e = ApiError::bad_request("method_not_allowed", "method not allowed on this endpoint");
    (StatusCode::METHOD_NOT_ALLOWED, Json(e.body())).into_response()
}

async fn health(State(state): State<ServerState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: state.db.backend().into(),
        server_time: state.now(),
    })
}

async fn openapi_doc() -> Json<serde_json::Value> {
    Json(openapi::document())
}

async fn admin_seed(
    State(state): State<ServerState>,
    _admin: Admin,
    ApiJson(seed): ApiJson<Seed>,
) -> ApiResult<Json<SeedReport>> {
    Ok(Json(seed::apply(&state, &seed).await?))
}

async fn enrol(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<EnrolRequest>,
) -> ApiResult<Json<EnrolResponse>> {
    Ok(Json(auth::enrol(&state, req).await?))
}

async fn sign_in(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<Json<Session>> {
    Ok(Json(auth::sign_in(&state, req).await?))
}

async fn sign_out(State(state): State<ServerState>, p: Principal) -> ApiResult<StatusCode> {
    auth::sign_out(&state, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn refresh(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<Session>> {
    Ok(Json(auth::refresh(&state, &req).await?))
}

#[derive(Debug, Deserialize)]
struct TourQuery {
    date: Option<chrono::NaiveDate>,
    driver_id: Option<String>,
}

async fn tour(
    State(state): State<ServerState>,
    p: Principal,
    Query(q): Query<TourQuery>,
) -> ApiResult<Json<TourSnapshot>> {
    Ok(Json(
        tours::current_tour(&state, &p, q.driver_id, q.date).await?,
    ))
}

async fn post_events(
    State(state): State<ServerState>,
    p: Principal,
    headers: HeaderMap,
    ApiJson(batch): ApiJson<EventBatch>,
) -> ApiResult<Json<BatchAck>> {
    let device_time = headers
        .get(DEVICE_TIME_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|t| t.with_timezone(&chrono::Utc));
    Ok(Json(
        events::apply_batch(&state, &p, batch, device_time).await?,
    ))
}

#[derive(Debug, Deserialize)]
struct ChangesQuery {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

async fn changes(
    State(state): State<ServerState>,
    p: Principal,
    Query(q): Query<ChangesQuery>,
) -> ApiResult<Json<ChangesPage>> {
    Ok(Json(
        tours::changes(&state, &p, q.after, q.limit.unwrap_or(500)).await?,
    ))
}

async fn blob_put(
    State(state): State<ServerState>,
    p: Principal,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> ApiResult<Response> {
    // The body streams into `blobs::put`: a piece cut off mid-way is kept as far as it came.
    let status = blobs::put(&state, &p, &sha256, &headers, body).await?;
    let offset = HeaderValue::from(status.received);
    let mut resp = Json(status).into_response();
    resp.headers_mut().insert(UPLOAD_OFFSET_HEADER, offset);
    Ok(resp)
}

async fn blob_head(
    State(state): State<ServerState>,
    p: Principal,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    let status = blobs::status(&state, &p, &sha256).await?;
    let code = if status.complete || status.received > 0 || status.total.is_some() {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    let mut resp = code.into_response();
    resp.headers_mut()
        .insert(UPLOAD_OFFSET_HEADER, HeaderValue::from(status.received));
    resp.headers_mut().insert(
        "x-blob-complete",
        HeaderValue::from_static(if status.complete { "true" } else { "false" }),
    );
    Ok(resp)
}

async fn blob_status(
    State(state): State<ServerState>,
    p: Principal,
    Path(sha256): Path<String>,
) -> ApiResult<Json<BlobStatus>> {
    Ok(Json(blobs::status(&state, &p, &sha256).await?))
}

async fn blob_get(
    State(state): State<ServerState>,
    p: Principal,
    Path(sha256): Path<String>,
) -> ApiResult<Response> {
    let (content_type, data) = blobs::get(&state, &p, &sha256).await?;
    let mut resp = data.into_response();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        resp.headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, v);
    }
    Ok(resp)
}

async fn dispatch_tours(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<Vec<TourSummary>>> {
    Ok(Json(views::tours(&state, &p).await?))
}

async fn dispatch_tour(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
) -> ApiResult<Json<TourSnapshot>> {
    Ok(Json(tours::visible_tour(&state, &p, &tour_id).await?))
}

async fn dispatch_progress(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
) -> ApiResult<Json<TourProgress>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.progress()))
}

async fn dispatch_outcomes(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
) -> ApiResult<Json<Vec<OutcomeView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.outcomes))
}

async fn dispatch_cards(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
) -> ApiResult<Json<Vec<CardView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.cards()))
}

async fn dispatch_missing_blobs(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
) -> ApiResult<Json<Vec<MissingBlobView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.missing_blobs))
}

async fn dispatch_rejections(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
) -> ApiResult<Json<Vec<RejectionView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.rejections))
}

async fn dispatch_change(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
    ApiJson(req): ApiJson<ChangeRequest>,
) -> ApiResult<Json<ChangeSet>> {
    Ok(Json(
        tours::dispatch_change(&state, &p, &tour_id, req.changes).await?,
    ))
}

#[derive(Debug, Deserialize)]
struct RouteQuery {
    first_stop: Option<String>,
}

async fn put_route(
    State(state): State<ServerState>,
    p: Principal,
    Path(tour_id): Path<String>,
    Query(q): Query<RouteQuery>,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> ApiResult<Json<RouteReport>> {
    let body = body.map_err(body_error)?;
    Ok(Json(
        tours::put_route(&state, &p, &tour_id, q.first_stop.as_deref(), &body).await?,
    ))
}

async fn import_own(
    State(state): State<ServerState>,
    p: Principal,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let body = body.map_err(body_error)?;
    Ok(Json(tours::import_own(&state, &p, &body).await?))
}

async fn import_lmrrc(
    State(state): State<ServerState>,
    p: Principal,
    ApiJson(req): ApiJson<LmrrcImportRequest>,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(tours::import_lmrrc(&state, &p, req).await?))
}
