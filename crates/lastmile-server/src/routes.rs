//! The HTTP surface: thin axum handlers (extract, call one function, answer), the JSON
//! extractor that turns every malformed body into an [`ErrorBody`](lastmile_protocol::api::ErrorBody),
//! body limits, and gzip in both directions.
//!
//! Every handler documents itself with `#[utoipa::path]` (method, path, parameters, bodies,
//! answers); [`crate::openapi`] builds the document from the same router.

use std::net::{IpAddr, SocketAddr};

use axum::error_handling::HandleErrorLayer;
use axum::extract::rejection::BytesRejection;
use axum::extract::{
    ConnectInfo, DefaultBodyLimit, FromRequest, FromRequestParts, Path, Query, Request, State,
};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use lastmile_protocol::admin::{SEED, Seed, SeedReport};
use lastmile_protocol::api::{HEALTH, Health};
use lastmile_protocol::auth::{
    ENROL, EnrolRequest, EnrolResponse, REBIND, REFRESH, RebindRequest, RebindResponse,
    RefreshRequest, SIGN_IN, STREAM_KEY, Session, SignInRequest, StreamKeyRequest,
};
use lastmile_protocol::dispatch::{
    self, CardView, ChangeRequest, IMPORT_LMRRC, IMPORT_OWN, ImportReport, LmrrcImportRequest,
    MissingBlobView, OutcomeView, RejectionView, RouteReport, TOUR_CARDS, TOUR_CHANGES,
    TOUR_MISSING_BLOBS, TOUR_OUTCOMES, TOUR_PROGRESS, TOUR_REJECTIONS, TOUR_ROUTE, TOURS,
    TourProgress, TourSummary, UNLOCK_PERSON, UnlockReport,
};
use lastmile_protocol::sync::{
    BLOB, BLOB_STATUS, BatchAck, BlobStatus, CHANGES, ChangesPage, DEVICE_TIME_HEADER, EVENTS,
    EventBatch, TOUR, UPLOAD_OFFSET_HEADER,
};
use lastmile_protocol::tour::{ChangeSet, TourSnapshot};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::{IntoParams, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{Admin, Principal};
use crate::error::{ApiError, ApiResult};
use crate::openapi::OwnImport;
use crate::{
    ServerState, auth, blobs, devices, events, offers, openapi, ride, seed, station, tours, views,
};
// The offline map (issue 17).
use crate::map;

/// A JSON body whose every rejection (too large, not JSON, wrong shape, wrong content type)
/// becomes a clear 4xx [`ApiError`].
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) if timed_out(&rejection) => Err(body_timeout()),
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

/// Did reading the body fail because it stopped arriving (the body idle timeout)?
fn timed_out(rejection: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(rejection);
    while let Some(e) = cause {
        if e.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

fn body_timeout() -> ApiError {
    ApiError::Unavailable {
        status: StatusCode::REQUEST_TIMEOUT,
        code: "body_timeout",
        message: "the request body stopped arriving; send it again".into(),
    }
}

/// A query string parsed as `T`; a bad one is `400 bad_query` with the error body.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| ApiQuery(v))
            .map_err(|r| ApiError::bad_request("bad_query", r.body_text()))
    }
}

/// Path parameters parsed as `T`; a bad one is `400 bad_path` with the error body.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|r| ApiError::bad_request("bad_path", r.body_text()))
    }
}

/// The caller's IP address, when the request came over the network ([`crate::net`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// A raw body that could not be read: too large, stopped arriving, or a broken compressed
/// stream.
fn body_error(rejection: BytesRejection) -> ApiError {
    if timed_out(&rejection) {
        return body_timeout();
    }
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large("body_too_large", rejection.body_text())
    } else {
        ApiError::bad_request("malformed_body", rejection.body_text())
    }
}

/// The routes in groups that get different body limits. Each handler is registered through
/// `routes!`, which takes its method and path from the handler's `#[utoipa::path]`: the
/// router and the OpenAPI document are one list.
struct Groups {
    rest: OpenApiRouter<ServerState>,
    /// Callable without a session: small bodies, and no more is read.
    open: OpenApiRouter<ServerState>,
    /// Tour imports and seeding: the biggest bodies.
    import: OpenApiRouter<ServerState>,
    /// A router's response: bigger than an edit, far smaller than an import.
    route: OpenApiRouter<ServerState>,
    /// Blob bodies, read with the blob size limit.
    blobs: OpenApiRouter<ServerState>,
}

fn groups() -> Groups {
    Groups {
        rest: OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
            .routes(routes!(health))
            .routes(routes!(openapi_doc))
            .routes(routes!(tour))
            .routes(routes!(post_events))
            .routes(routes!(changes))
            .routes(routes!(dispatch_tours))
            .routes(routes!(dispatch_tour))
            .routes(routes!(dispatch_progress))
            .routes(routes!(dispatch_outcomes))
            .routes(routes!(dispatch_cards))
            .routes(routes!(dispatch_missing_blobs))
            .routes(routes!(dispatch_rejections))
            .routes(routes!(dispatch_change))
            .routes(routes!(unlock_person))
            // Station tablet (issue 12).
            .routes(routes!(station_board))
            .routes(routes!(station_day))
            .routes(routes!(station_close_outs))
            .routes(routes!(station_my_days))
            .routes(routes!(station_check_in_pass))
            .routes(routes!(station_template))
            .routes(routes!(station_fleet))
            .routes(routes!(station_vehicle_defects))
            .routes(routes!(station_verify_driver))
            .routes(routes!(station_parcel_owner))
            .routes(routes!(station_audit))
            // Supervisor ride-along.
            .routes(routes!(ride_template))
            .routes(routes!(ride_mine))
            .routes(routes!(ride_record))
            .routes(routes!(ride_station_day))
            .routes(routes!(ride_store_template))
            .routes(routes!(tour_pace))
            // Service visits (issue 14).
            .routes(routes!(dispatch_service_visits))
            // Blocks for flex drivers (issue 15).
            .routes(routes!(offers_publish))
            .routes(routes!(offers_list))
            .routes(routes!(offers_request))
            .routes(routes!(offers_close))
            .routes(routes!(offers_draw))
            .routes(routes!(offers_mine))
            .routes(routes!(offers_confirm))
            .routes(routes!(offers_release))
            .routes(routes!(offers_earnings))
            .routes(routes!(offers_qualifications))
            // The offline map (issue 17).
            .routes(routes!(map_get, map_head)),
        open: OpenApiRouter::new()
            .routes(routes!(enrol))
            .routes(routes!(stream_key))
            .routes(routes!(rebind))
            .routes(routes!(sign_in, sign_out))
            .routes(routes!(refresh)),
        import: OpenApiRouter::new()
            .routes(routes!(import_own))
            .routes(routes!(import_lmrrc))
            .routes(routes!(admin_seed)),
        route: OpenApiRouter::new().routes(routes!(put_route)),
        blobs: OpenApiRouter::new()
            .routes(routes!(blob_get, blob_put, blob_head))
            .routes(routes!(blob_status)),
    }
}

/// Every route, without the layers: what the OpenAPI document is built from.
pub fn api_router() -> OpenApiRouter<ServerState> {
    let g = groups();
    g.rest
        .merge(g.open)
        .merge(g.import)
        .merge(g.route)
        .merge(g.blobs)
}

/// The whole HTTP API.
pub fn make_router(state: ServerState) -> Router {
    let body_limit = state.config.max_body_bytes;
    let auth_limit = state.config.max_auth_body_bytes;
    let import_limit = state.config.max_import_bytes;
    let route_limit = state.config.max_route_bytes;
    let net = state.config.net.clone();
    // The blob route reads its body with its own cap (the blob size limit).
    let blob_limit = usize::try_from(state.config.max_blob_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(1);
    // Requests in handling at once, over all routes (the layer is applied per route, the
    // semaphore is shared); one more is shed at once instead of queueing.
    let in_flight = ServiceBuilder::new()
        .layer(HandleErrorLayer::new(|_: tower::BoxError| async {
            ApiError::busy("overloaded", "the server is handling all it can; retry")
        }))
        .load_shed()
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            net.max_in_flight,
        ));
    let g = groups();
    let (router, _doc) = g
        .rest
        .layer(DefaultBodyLimit::max(body_limit))
        .merge(g.open.layer(DefaultBodyLimit::max(auth_limit)))
        .merge(g.import.layer(DefaultBodyLimit::max(import_limit)))
        .merge(g.route.layer(DefaultBodyLimit::max(route_limit)))
        .merge(g.blobs.layer(DefaultBodyLimit::max(blob_limit)))
        .split_for_parts();
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .layer(RequestBodyTimeoutLayer::new(net.body_idle_timeout))
        .layer(in_flight)
        .layer(CatchPanicLayer::custom(panicked))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                ),
        )
        .with_state(state)
}

/// One span per request: method, path and the caller's address.
fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.to_string())
        .unwrap_or_default();
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), %peer)
}

/// A handler panicked: the request gets `500 internal` with the error body, the server
/// goes on (and logs the panic).
fn panicked(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = detail, "request handler panicked");
    ApiError::Internal(format!("panic: {detail}")).into_response()
}

async fn not_found() -> ApiError {
    ApiError::not_found("no_such_endpoint", "no such endpoint")
}

async fn method_not_allowed() -> Response {
    let e = ApiError::bad_request("method_not_allowed", "method not allowed on this endpoint");
    (StatusCode::METHOD_NOT_ALLOWED, Json(e.body())).into_response()
}

#[utoipa::path(
    get, path = HEALTH,
    tag = "service",
    responses(
        (status = 200, description = "The server is up.", body = Health),
        openapi::ErrorResponses,
    ),
)]
async fn health(State(state): State<ServerState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        backend: state.db.backend().into(),
        server_time: state.now(),
    })
}

#[utoipa::path(
    get, path = openapi::OPENAPI,
    tag = "service",
    responses(
        (status = 200, description = "This OpenAPI 3.1 document.", body = Object),
        openapi::ErrorResponses,
    ),
)]
async fn openapi_doc() -> Json<&'static utoipa::openapi::OpenApi> {
    Json(openapi::document())
}

#[utoipa::path(
    post, path = SEED,
    tag = "admin",
    security(("admin" = [])),
    request_body = Seed,
    responses(
        (status = 200, description = "What the seed upserted.", body = SeedReport),
        openapi::ErrorResponses,
    ),
)]
async fn admin_seed(
    State(state): State<ServerState>,
    _admin: Admin,
    ApiJson(seed): ApiJson<Seed>,
) -> ApiResult<Json<SeedReport>> {
    Ok(Json(seed::apply(&state, &seed).await?))
}

#[utoipa::path(
    post, path = ENROL,
    tag = "auth",
    request_body = EnrolRequest,
    responses(
        (status = 200, description = "The device is enrolled; keep its token.", body = EnrolResponse),
        openapi::ErrorResponses,
    ),
)]
async fn enrol(
    State(state): State<ServerState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<EnrolRequest>,
) -> ApiResult<Json<EnrolResponse>> {
    state.limiters.enrol(ip)?;
    Ok(Json(auth::enrol(&state, req).await?))
}

#[utoipa::path(
    post, path = STREAM_KEY,
    tag = "auth",
    request_body = StreamKeyRequest,
    responses(
        (status = 204, description = "The hash of the device's stream key is registered (once; device id and token authenticate)."),
        openapi::ErrorResponses,
    ),
)]
async fn stream_key(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<StreamKeyRequest>,
) -> ApiResult<StatusCode> {
    devices::register_stream_key(&state, req).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post, path = REBIND,
    tag = "auth",
    request_body = RebindRequest,
    responses(
        (status = 200, description = "A fresh enrolment took over the device id's event stream, proven by its stream key.", body = RebindResponse),
        openapi::ErrorResponses,
    ),
)]
async fn rebind(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<RebindRequest>,
) -> ApiResult<Json<RebindResponse>> {
    Ok(Json(devices::rebind(&state, req).await?))
}

#[utoipa::path(
    post, path = SIGN_IN,
    tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "A new session.", body = Session),
        openapi::ErrorResponses,
    ),
)]
async fn sign_in(
    State(state): State<ServerState>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<SignInRequest>,
) -> ApiResult<Json<Session>> {
    state.limiters.sign_in(ip, &req.device_id)?;
    Ok(Json(auth::sign_in(&state, req).await?))
}

#[utoipa::path(
    post, path = UNLOCK_PERSON,
    tag = "dispatch",
    security(("session" = [])),
    params(("user_id" = String, Path, description = "The person to unlock.")),
    responses(
        (status = 200, description = "The person's wrong-PIN count and lockout are cleared.", body = UnlockReport),
        openapi::ErrorResponses,
    ),
)]
async fn unlock_person(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(user_id): ApiPath<String>,
) -> ApiResult<Json<UnlockReport>> {
    Ok(Json(auth::unlock(&state, &p, &user_id).await?))
}

#[utoipa::path(
    delete, path = SIGN_IN,
    tag = "auth",
    security(("session" = [])),
    responses(
        (status = 204, description = "The session is revoked."),
        openapi::ErrorResponses,
    ),
)]
async fn sign_out(State(state): State<ServerState>, p: Principal) -> ApiResult<StatusCode> {
    auth::sign_out(&state, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post, path = REFRESH,
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "The rotated session.", body = Session),
        openapi::ErrorResponses,
    ),
)]
async fn refresh(
    State(state): State<ServerState>,
    ApiJson(req): ApiJson<RefreshRequest>,
) -> ApiResult<Json<Session>> {
    Ok(Json(auth::refresh(&state, &req).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TourQuery {
    date: Option<chrono::NaiveDate>,
    driver_id: Option<String>,
}

#[utoipa::path(
    get, path = TOUR,
    tag = "sync",
    security(("session" = [])),
    params(
        TourQuery,
    ),
    responses(
        (status = 200, description = "The tour snapshot of the day.", body = TourSnapshot),
        openapi::ErrorResponses,
    ),
)]
async fn tour(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<TourQuery>,
) -> ApiResult<Json<TourSnapshot>> {
    Ok(Json(
        tours::current_tour(&state, &p, q.driver_id, q.date).await?,
    ))
}

#[utoipa::path(
    post, path = EVENTS,
    tag = "sync",
    security(("session" = [])),
    params(
        ("x-lastmile-device-time" = Option<String>, Header, description = "The device's clock when it sent the batch (RFC 3339)."),
    ),
    request_body = EventBatch,
    responses(
        (status = 200, description = "Applied exactly once; acknowledged up to `acked_seq`.", body = BatchAck),
        openapi::ErrorResponses,
    ),
)]
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

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ChangesQuery {
    #[serde(default)]
    after: u64,
    limit: Option<u32>,
}

#[utoipa::path(
    get, path = CHANGES,
    tag = "sync",
    security(("session" = [])),
    params(
        ChangesQuery,
    ),
    responses(
        (status = 200, description = "Change sets after the cursor.", body = ChangesPage),
        openapi::ErrorResponses,
    ),
)]
async fn changes(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ChangesQuery>,
) -> ApiResult<Json<ChangesPage>> {
    Ok(Json(
        tours::changes(&state, &p, q.after, q.limit.unwrap_or(500)).await?,
    ))
}

#[utoipa::path(
    put, path = BLOB,
    tag = "sync",
    security(("session" = [])),
    params(
        ("sha256" = String, Path, description = "Lowercase hex SHA-256 of the blob's bytes."),
        ("content-range" = Option<String>, Header, description = "`bytes START-END/TOTAL` for a piece of a resumable upload."),
    ),
    request_body(content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/json")), description = "The blob, or a piece of it."),
    responses(
        (status = 200, description = "What the server holds now.", body = BlobStatus, headers(("upload-offset" = u64, description = "Bytes held."))),
        openapi::ErrorResponses,
    ),
)]
async fn blob_put(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(sha256): ApiPath<String>,
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

#[utoipa::path(
    head, path = BLOB,
    tag = "sync",
    security(("session" = [])),
    params(
        ("sha256" = String, Path, description = "Lowercase hex SHA-256 of the blob's bytes."),
    ),
    responses(
        (status = 200, description = "Part or all of the blob is held.", headers(("upload-offset" = u64, description = "Bytes held."), ("x-blob-complete" = bool, description = "Verified and complete."))),
        (status = 404, description = "Nothing held for this hash."),
        openapi::ErrorResponses,
    ),
)]
async fn blob_head(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(sha256): ApiPath<String>,
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

#[utoipa::path(
    get, path = BLOB_STATUS,
    tag = "sync",
    security(("session" = [])),
    params(
        ("sha256" = String, Path, description = "Lowercase hex SHA-256 of the blob's bytes."),
    ),
    responses(
        (status = 200, description = "Upload state.", body = BlobStatus),
        openapi::ErrorResponses,
    ),
)]
async fn blob_status(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(sha256): ApiPath<String>,
) -> ApiResult<Json<BlobStatus>> {
    Ok(Json(blobs::status(&state, &p, &sha256).await?))
}

#[utoipa::path(
    get, path = BLOB,
    tag = "sync",
    security(("session" = [])),
    params(
        ("sha256" = String, Path, description = "Lowercase hex SHA-256 of the blob's bytes."),
    ),
    responses(
        (status = 200, description = "The blob's bytes, with its content type.", content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/json"))),
        openapi::ErrorResponses,
    ),
)]
async fn blob_get(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(sha256): ApiPath<String>,
) -> ApiResult<Response> {
    let (content_type, data) = blobs::get(&state, &p, &sha256).await?;
    let mut resp = data.into_response();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        resp.headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, v);
    }
    Ok(resp)
}

/// Which tours the dispatch list shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct ToursQuery {
    /// Only the tours of this day (`YYYY-MM-DD`); without it, every day, newest first.
    date: Option<chrono::NaiveDate>,
    /// At most this many tours (default 200, at most 1000); fewer than asked: the last page.
    limit: Option<u32>,
    /// The page after this tour id: the last `tour_id` of the previous page.
    after: Option<String>,
}

#[utoipa::path(
    get, path = TOURS,
    tag = "dispatch",
    security(("session" = [])),
    params(ToursQuery),
    responses(
        (status = 200, description = "Tours you may see, with progress, ordered by day (newest first) and tour id, \
            one page at a time. Read from the projection the server keeps in step with every applied event, \
            so it costs the same at any length of history.", body = Vec<TourSummary>),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_tours(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<ToursQuery>,
) -> ApiResult<Json<Vec<TourSummary>>> {
    let filter = views::TourFilter {
        date: q.date,
        limit: q.limit,
        after: q.after,
    };
    Ok(Json(views::tours(&state, &p, &filter).await?))
}

#[utoipa::path(
    get, path = dispatch::TOUR,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    responses(
        (status = 200, description = "The current plan of the tour.", body = TourSnapshot),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_tour(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<TourSnapshot>> {
    Ok(Json(tours::visible_tour(&state, &p, &tour_id).await?))
}

#[utoipa::path(
    get, path = TOUR_PROGRESS,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    responses(
        (status = 200, description = "Progress of the tour.", body = TourProgress),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_progress(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<TourProgress>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.progress()))
}

#[utoipa::path(
    get, path = TOUR_OUTCOMES,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    responses(
        (status = 200, description = "Outcomes recorded on the tour.", body = Vec<OutcomeView>),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_outcomes(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<Vec<OutcomeView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.outcomes))
}

#[utoipa::path(
    get, path = TOUR_CARDS,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    responses(
        (status = 200, description = "Notification cards left on the tour.", body = Vec<CardView>),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_cards(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<Vec<CardView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.cards()))
}

#[utoipa::path(
    get, path = TOUR_MISSING_BLOBS,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    responses(
        (status = 200, description = "Photos and signatures not uploaded yet.", body = Vec<MissingBlobView>),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_missing_blobs(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<Vec<MissingBlobView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.missing_blobs))
}

#[utoipa::path(
    get, path = TOUR_REJECTIONS,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    responses(
        (status = 200, description = "Events of the tour the server refused.", body = Vec<RejectionView>),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_rejections(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<Vec<RejectionView>>> {
    Ok(Json(views::load(&state, &p, &tour_id).await?.rejections))
}

#[utoipa::path(
    post, path = TOUR_CHANGES,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
    ),
    request_body = ChangeRequest,
    responses(
        (status = 200, description = "The edit, as one change set on the feed.", body = ChangeSet),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_change(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
    ApiJson(req): ApiJson<ChangeRequest>,
) -> ApiResult<Json<ChangeSet>> {
    Ok(Json(
        tours::dispatch_change(&state, &p, &tour_id, req.changes).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct RouteQuery {
    first_stop: Option<String>,
}

#[utoipa::path(
    put, path = TOUR_ROUTE,
    tag = "dispatch",
    security(("session" = [])),
    params(
        ("tour_id" = String, Path, description = "Tour id."),
        RouteQuery,
    ),
    request_body(content = Object, description = "A router's response verbatim: OSRM `/route` with `steps=true`, or Valhalla `/route` (native or `format=osrm`)."),
    responses(
        (status = 200, description = "The stops that got legs.", body = RouteReport),
        openapi::ErrorResponses,
    ),
)]
async fn put_route(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<RouteQuery>,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> ApiResult<Json<RouteReport>> {
    let body = body.map_err(body_error)?;
    Ok(Json(
        tours::put_route(&state, &p, &tour_id, q.first_stop.as_deref(), &body).await?,
    ))
}

#[utoipa::path(
    post, path = IMPORT_OWN,
    tag = "dispatch",
    security(("session" = [])),
    request_body(content = OwnImport, description = "One tour or a list of tours in our own JSON."),
    responses(
        (status = 200, description = "What was imported.", body = ImportReport),
        openapi::ErrorResponses,
    ),
)]
async fn import_own(
    State(state): State<ServerState>,
    p: Principal,
    body: Result<axum::body::Bytes, BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let body = body.map_err(body_error)?;
    Ok(Json(tours::import_own(&state, &p, &body).await?))
}

#[utoipa::path(
    post, path = IMPORT_LMRRC,
    tag = "dispatch",
    security(("session" = [])),
    request_body = LmrrcImportRequest,
    responses(
        (status = 200, description = "What was imported.", body = ImportReport),
        openapi::ErrorResponses,
    ),
)]
async fn import_lmrrc(
    State(state): State<ServerState>,
    p: Principal,
    ApiJson(req): ApiJson<LmrrcImportRequest>,
) -> ApiResult<Json<ImportReport>> {
    Ok(Json(tours::import_lmrrc(&state, &p, req).await?))
}

// ---- Supervisor ride-along (`crate::ride`).

#[utoipa::path(
    get, path = lastmile_protocol::ride::TEMPLATE,
    tag = "ride-along",
    security(("session" = [])),
    responses(
        (status = 200, description = "The checklist template the caller's station uses now.", body = lastmile_protocol::ride::ChecklistTemplate),
        openapi::ErrorResponses,
    ),
)]
async fn ride_template(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<lastmile_protocol::ride::ChecklistTemplate>> {
    Ok(Json(ride::station_template(&state, &p).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::ride::MINE,
    tag = "ride-along",
    security(("session" = [])),
    responses(
        (status = 200, description = "The caller's ride-along records, newest first: a driver's about them, a supervisor's own.", body = Vec<lastmile_protocol::ride::RideAlongRecord>),
        openapi::ErrorResponses,
    ),
)]
async fn ride_mine(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<Vec<lastmile_protocol::ride::RideAlongRecord>>> {
    Ok(Json(ride::mine(&state, &p).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::ride::RECORD,
    tag = "ride-along",
    security(("session" = [])),
    params(("ride_along_id" = String, Path, description = "The ride-along id (a UUID).")),
    responses(
        (status = 200, description = "The whole record, with the pace of its day.", body = lastmile_protocol::ride::RideAlongRecord),
        openapi::ErrorResponses,
    ),
)]
async fn ride_record(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<lastmile_protocol::ride::RideAlongRecord>> {
    Ok(Json(ride::record(&state, &p, &id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// The day (default: today on the server's clock).
    date: Option<chrono::NaiveDate>,
}

#[utoipa::path(
    get, path = lastmile_protocol::ride::STATION_DAY,
    tag = "ride-along",
    security(("session" = [])),
    params(DayQuery),
    responses(
        (status = 200, description = "The station's ride-alongs of the day, with their status.", body = Vec<lastmile_protocol::ride::RideAlongSummary>),
        openapi::ErrorResponses,
    ),
)]
async fn ride_station_day(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<Json<Vec<lastmile_protocol::ride::RideAlongSummary>>> {
    Ok(Json(ride::station_day(&state, &p, q.date).await?))
}

#[utoipa::path(
    post, path = lastmile_protocol::ride::STATION_TEMPLATES,
    tag = "ride-along",
    security(("session" = [])),
    request_body = lastmile_protocol::ride::ChecklistTemplate,
    responses(
        (status = 200, description = "Stored (or already stored with the same content) as the station's current template.", body = lastmile_protocol::ride::ChecklistTemplate),
        openapi::ErrorResponses,
    ),
)]
async fn ride_store_template(
    State(state): State<ServerState>,
    p: Principal,
    ApiJson(t): ApiJson<lastmile_protocol::ride::ChecklistTemplate>,
) -> ApiResult<Json<lastmile_protocol::ride::ChecklistTemplate>> {
    Ok(Json(ride::put_template(&state, &p, t).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::ride::TOUR_PACE,
    tag = "ride-along",
    security(("session" = [])),
    params(("tour_id" = String, Path, description = "Tour id.")),
    responses(
        (status = 200, description = "Stops and parcels per on-road hour: the driver's own (assisted stops left out) and with them.", body = lastmile_protocol::ride::PaceView),
        openapi::ErrorResponses,
    ),
)]
async fn tour_pace(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<lastmile_protocol::ride::PaceView>> {
    Ok(Json(ride::pace(&state, &p, &tour_id).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::service::TOUR_SERVICE_VISITS,
    tag = "dispatch",
    security(("session" = [])),
    params(("tour_id" = String, Path, description = "Tour id.")),
    responses(
        (status = 200, description = "The tour's service visits, one per service stop: planned, started or finished, with the checklist's answers, the customer's name and whether the proof arrived.", body = Vec<lastmile_protocol::service::ServiceVisitView>),
        openapi::ErrorResponses,
    ),
)]
async fn dispatch_service_visits(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tour_id): ApiPath<String>,
) -> ApiResult<Json<Vec<lastmile_protocol::service::ServiceVisitView>>> {
    Ok(Json(crate::service::visits(&state, &p, &tour_id).await?))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    /// The layer `make_router` puts around every route: a handler that panics answers
    /// `500 internal` with the error body, and the next request is served.
    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_the_error_body() {
        async fn boom() -> &'static str {
            let empty: Vec<u8> = Vec::new();
            // An out-of-bounds index, as a bug in a handler would have it.
            if empty[usize::from(empty.is_empty())] == 0 {
                return "unreachable";
            }
            "ok"
        }
        let app = Router::new()
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "fine" }))
            .layer(CatchPanicLayer::custom(panicked));
        let resp = app
            .clone()
            .oneshot(Request::get("/boom").body(Body::empty()).expect("request"))
            .await
            .expect("answer");
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(resp.into_body(), 10_000)
            .await
            .expect("body");
        let err: lastmile_protocol::api::ErrorBody =
            serde_json::from_slice(&body).expect("error body");
        assert_eq!(err.code, "internal");
        let resp = app
            .oneshot(Request::get("/fine").body(Body::empty()).expect("request"))
            .await
            .expect("answer");
        assert_eq!(resp.status(), StatusCode::OK);
    }
}

// --- Station tablet (issue 12).

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct DateQuery {
    /// The day (default: today on the server's clock).
    date: Option<chrono::NaiveDate>,
}

#[utoipa::path(
    get, path = lastmile_protocol::station::BOARD,
    tag = "station",
    security(("session" = [])),
    params(DateQuery),
    responses(
        (status = 200, description = "Every driver of the day at the lead's station, with the fleet and template.", body = lastmile_protocol::station::Board),
        openapi::ErrorResponses,
    ),
)]
async fn station_board(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<lastmile_protocol::station::Board>> {
    Ok(Json(station::board(&state, &p, q.date).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::DAY,
    tag = "station",
    security(("session" = [])),
    params(("driver_id" = String, Path, description = "The driver."), DateQuery),
    responses(
        (status = 200, description = "The driver's day: check-in, vehicle, inspections, hold, cards, scans, discrepancies, close-out.", body = lastmile_protocol::station::DriverDay),
        openapi::ErrorResponses,
    ),
)]
async fn station_day(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(driver_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<lastmile_protocol::station::DriverDay>> {
    Ok(Json(
        station::driver_day(&state, &p, &driver_id, q.date).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct AuditQuery {
    /// Only the reads of this driver's proof and days.
    driver_id: Option<String>,
    /// At most this many entries (default 200, at most 1,000).
    limit: Option<u32>,
}

#[utoipa::path(
    get, path = lastmile_protocol::audit::AUDIT,
    tag = "station",
    security(("session" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "The audit trail of the lead's station, newest first: who read which driver's proof or day, when.", body = Vec<lastmile_protocol::audit::AuditEntry>),
        openapi::ErrorResponses,
    ),
)]
async fn station_audit(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<lastmile_protocol::audit::AuditEntry>>> {
    Ok(Json(
        crate::audit::list(&state, &p, q.driver_id.as_deref(), q.limit).await?,
    ))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::CLOSE_OUTS,
    tag = "station",
    security(("session" = [])),
    params(("driver_id" = String, Path, description = "The driver."), DateQuery),
    responses(
        (status = 200, description = "Every signed close-out of the day, oldest first (a later one corrects an earlier one).", body = Vec<lastmile_protocol::station::CloseOutView>),
        openapi::ErrorResponses,
    ),
)]
async fn station_close_outs(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(driver_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<Vec<lastmile_protocol::station::CloseOutView>>> {
    Ok(Json(
        station::close_outs(&state, &p, &driver_id, q.date).await?,
    ))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::CHECK_IN_PASS,
    tag = "station",
    security(("session" = [])),
    params(DateQuery),
    responses(
        (status = 200, description = "The signed-in driver's check-in pass for the day's tour: the phone shows it as a QR code, the station tablet checks them in by it (also offline).", body = lastmile_protocol::station::CheckInPass),
        openapi::ErrorResponses,
    ),
)]
async fn station_check_in_pass(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<lastmile_protocol::station::CheckInPass>> {
    Ok(Json(station::my_check_in_pass(&state, &p, q.date).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::MY_DAYS,
    tag = "station",
    security(("session" = [])),
    responses(
        (status = 200, description = "The signed-in driver's signed close-outs, newest day first.", body = Vec<lastmile_protocol::station::CloseOutView>),
        openapi::ErrorResponses,
    ),
)]
async fn station_my_days(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<Vec<lastmile_protocol::station::CloseOutView>>> {
    Ok(Json(station::my_days(&state, &p).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::TEMPLATE,
    tag = "station",
    security(("session" = [])),
    responses(
        (status = 200, description = "The station's current inspection checklist.", body = lastmile_protocol::station::InspectionTemplate),
        openapi::ErrorResponses,
    ),
)]
async fn station_template(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<lastmile_protocol::station::InspectionTemplate>> {
    Ok(Json(station::template(&state, &p).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::FLEET,
    tag = "station",
    security(("session" = [])),
    responses(
        (status = 200, description = "The station's vehicles.", body = Vec<lastmile_protocol::station::Vehicle>),
        openapi::ErrorResponses,
    ),
)]
async fn station_fleet(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<Vec<lastmile_protocol::station::Vehicle>>> {
    Ok(Json(station::fleet(&state, &p).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::VEHICLE_DEFECTS,
    tag = "station",
    security(("session" = [])),
    params(("plate" = String, Path, description = "The vehicle's plate.")),
    responses(
        (status = 200, description = "Defects of the vehicle not yet marked repaired.", body = Vec<lastmile_protocol::station::DefectView>),
        openapi::ErrorResponses,
    ),
)]
async fn station_vehicle_defects(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(plate): ApiPath<String>,
) -> ApiResult<Json<Vec<lastmile_protocol::station::DefectView>>> {
    Ok(Json(station::vehicle_defects(&state, &p, &plate).await?))
}

#[utoipa::path(
    post, path = lastmile_protocol::station::VERIFY_DRIVER,
    tag = "station",
    security(("session" = [])),
    request_body = lastmile_protocol::station::CheckInRequest,
    responses(
        (status = 200, description = "The driver's id and PIN are right (no session is made); their day.", body = lastmile_protocol::station::DriverDay),
        openapi::ErrorResponses,
    ),
)]
async fn station_verify_driver(
    State(state): State<ServerState>,
    p: Principal,
    ApiJson(req): ApiJson<lastmile_protocol::station::CheckInRequest>,
) -> ApiResult<Json<lastmile_protocol::station::DriverDay>> {
    Ok(Json(station::verify_driver(&state, &p, req).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::station::PARCEL_OWNER,
    tag = "station",
    security(("session" = [])),
    params(("tracking_id" = String, Path, description = "The parcel's tracking id."), DateQuery),
    responses(
        (status = 200, description = "The tour (and driver, stop) of the lead's station that day the parcel belongs to.", body = lastmile_protocol::station::ParcelOwner),
        openapi::ErrorResponses,
    ),
)]
async fn station_parcel_owner(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(tracking_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<DateQuery>,
) -> ApiResult<Json<lastmile_protocol::station::ParcelOwner>> {
    Ok(Json(
        station::parcel_owner(&state, &p, &tracking_id, q.date).await?,
    ))
}

// ---- Blocks for independent (flex) drivers (`crate::offers`, issue 15).

#[utoipa::path(
    post, path = lastmile_protocol::offers::PUBLISH,
    tag = "offers",
    security(("session" = [])),
    request_body = lastmile_protocol::offers::PublishRequest,
    responses(
        (status = 200, description = "The blocks and their first round, with the commitment to its seed.", body = lastmile_protocol::offers::RoundView),
        openapi::ErrorResponses,
    ),
)]
async fn offers_publish(
    State(state): State<ServerState>,
    p: Principal,
    ApiJson(req): ApiJson<lastmile_protocol::offers::PublishRequest>,
) -> ApiResult<Json<lastmile_protocol::offers::RoundView>> {
    Ok(Json(offers::publish(&state, &p, req).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::offers::OFFERS,
    tag = "offers",
    security(("session" = [])),
    responses(
        (status = 200, description = "The station's rounds (upcoming, open, closed in the last day): the same for every driver at a moment.", body = lastmile_protocol::offers::OffersView),
        openapi::ErrorResponses,
    ),
)]
async fn offers_list(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<lastmile_protocol::offers::OffersView>> {
    Ok(Json(offers::list(&state, &p).await?))
}

#[utoipa::path(
    post, path = lastmile_protocol::offers::REQUEST,
    tag = "offers",
    security(("session" = [])),
    params(("round_id" = String, Path, description = "The round.")),
    request_body = lastmile_protocol::offers::OfferRequest,
    responses(
        (status = 200, description = "The request now held for the caller (it replaced any earlier one).", body = lastmile_protocol::offers::RequestReceipt),
        openapi::ErrorResponses,
    ),
)]
async fn offers_request(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(round_id): ApiPath<String>,
    ApiJson(req): ApiJson<lastmile_protocol::offers::OfferRequest>,
) -> ApiResult<Json<lastmile_protocol::offers::RequestReceipt>> {
    Ok(Json(offers::request(&state, &p, &round_id, req).await?))
}

#[utoipa::path(
    post, path = lastmile_protocol::offers::CLOSE,
    tag = "offers",
    security(("session" = [])),
    params(("round_id" = String, Path, description = "The round.")),
    responses(
        (status = 200, description = "The round closed now and its draw.", body = lastmile_protocol::offers::DrawView),
        openapi::ErrorResponses,
    ),
)]
async fn offers_close(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(round_id): ApiPath<String>,
) -> ApiResult<Json<lastmile_protocol::offers::DrawView>> {
    Ok(Json(offers::close(&state, &p, &round_id).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::offers::DRAW,
    tag = "offers",
    security(("session" = [])),
    params(("round_id" = String, Path, description = "The round.")),
    responses(
        (status = 200, description = "A closed round's seed, anonymised input and allocation.", body = lastmile_protocol::offers::DrawView),
        openapi::ErrorResponses,
    ),
)]
async fn offers_draw(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(round_id): ApiPath<String>,
) -> ApiResult<Json<lastmile_protocol::offers::DrawView>> {
    Ok(Json(offers::draw_of(&state, &p, &round_id).await?))
}

#[utoipa::path(
    get, path = lastmile_protocol::offers::MINE,
    tag = "offers",
    security(("session" = [])),
    responses(
        (status = 200, description = "The caller's open requests, results and won blocks.", body = lastmile_protocol::offers::MyOffers),
        openapi::ErrorResponses,
    ),
)]
async fn offers_mine(
    State(state): State<ServerState>,
    p: Principal,
) -> ApiResult<Json<lastmile_protocol::offers::MyOffers>> {
    Ok(Json(offers::mine(&state, &p).await?))
}

#[utoipa::path(
    post, path = lastmile_protocol::offers::CONFIRM,
    tag = "offers",
    security(("session" = [])),
    params(("block_id" = String, Path, description = "The won block.")),
    responses(
        (status = 200, description = "The block, confirmed.", body = lastmile_protocol::offers::AwardView),
        openapi::ErrorResponses,
    ),
)]
async fn offers_confirm(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(block_id): ApiPath<String>,
) -> ApiResult<Json<lastmile_protocol::offers::AwardView>> {
    Ok(Json(offers::decide(&state, &p, &block_id, true).await?))
}

#[utoipa::path(
    post, path = lastmile_protocol::offers::RELEASE,
    tag = "offers",
    security(("session" = [])),
    params(("block_id" = String, Path, description = "The won or confirmed block.")),
    responses(
        (status = 200, description = "The block, released: its place goes to a further round.", body = lastmile_protocol::offers::AwardView),
        openapi::ErrorResponses,
    ),
)]
async fn offers_release(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(block_id): ApiPath<String>,
) -> ApiResult<Json<lastmile_protocol::offers::AwardView>> {
    Ok(Json(offers::decide(&state, &p, &block_id, false).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct WeekQuery {
    /// Any day of the week (default: today on the server's clock).
    week: Option<chrono::NaiveDate>,
}

#[utoipa::path(
    get, path = lastmile_protocol::offers::EARNINGS,
    tag = "offers",
    security(("session" = [])),
    params(WeekQuery),
    responses(
        (status = 200, description = "The confirmed blocks of the week that have started: pay, hours, stops and parcels.", body = lastmile_protocol::offers::Earnings),
        openapi::ErrorResponses,
    ),
)]
async fn offers_earnings(
    State(state): State<ServerState>,
    p: Principal,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<lastmile_protocol::offers::Earnings>> {
    Ok(Json(offers::earnings(&state, &p, q.week).await?))
}

#[utoipa::path(
    put, path = lastmile_protocol::offers::QUALIFICATIONS,
    tag = "offers",
    security(("session" = [])),
    params(("user_id" = String, Path, description = "A flex driver of the lead's station.")),
    request_body = lastmile_protocol::offers::Qualifications,
    responses(
        (status = 200, description = "The driver's qualifications now.", body = lastmile_protocol::offers::Qualifications),
        openapi::ErrorResponses,
    ),
)]
async fn offers_qualifications(
    State(state): State<ServerState>,
    p: Principal,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(q): ApiJson<lastmile_protocol::offers::Qualifications>,
) -> ApiResult<Json<lastmile_protocol::offers::Qualifications>> {
    let qualifications = offers::set_qualifications(&state, &p, &user_id, q.qualifications).await?;
    Ok(Json(lastmile_protocol::offers::Qualifications {
        qualifications,
    }))
}

// ---- The offline map (issue 17) ----

#[utoipa::path(
    get, path = lastmile_protocol::sync::MAP,
    tag = "sync",
    security(("session" = [])),
    params(
        ("range" = Option<String>, Header, description = "`bytes=START-`: a piece from START (at most 1 MiB)."),
        ("if-range" = Option<String>, Header, description = "The ETag the earlier pieces had; another archive restarts at byte 0."),
        ("if-none-match" = Option<String>, Header, description = "The ETag of the device's copy: 304 if it is still the station's map."),
    ),
    responses(
        (status = 200, description = "The whole archive (MBTiles).", content((Vec<u8> = "application/vnd.mapbox-vector-tile+sqlite"))),
        (status = 206, description = "A piece, with `Content-Range`.", content((Vec<u8> = "application/vnd.mapbox-vector-tile+sqlite"))),
        (status = 304, description = "The device's copy is the current archive."),
        openapi::ErrorResponses,
    ),
)]
async fn map_get(
    State(state): State<ServerState>,
    p: Principal,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    map::get(&state, &p, &headers, false).await
}

#[utoipa::path(
    head, path = lastmile_protocol::sync::MAP,
    tag = "sync",
    security(("session" = [])),
    responses(
        (status = 200, description = "The archive's ETag (SHA-256) and size (`x-map-bytes`)."),
        openapi::ErrorResponses,
    ),
)]
async fn map_head(
    State(state): State<ServerState>,
    p: Principal,
    headers: axum::http::HeaderMap,
) -> ApiResult<Response> {
    map::get(&state, &p, &headers, true).await
}
