//! The OpenAPI 3.1 document of the API, built from [`ROUTES`], the route table that
//! `routes::make_router` mirrors (a test requests every entry and fails on a 404 or 405 from
//! the router, so the document cannot drift from the routes). Schemas are named after the
//! `lastmile_protocol` types that define them.

use serde_json::{Value, json};

/// `GET` — this document.
pub const OPENAPI: &str = "/v1/openapi.json";

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    None,
    /// `Authorization: Bearer <access token>` of a signed-in session.
    Session,
    /// `Authorization: Bearer <admin token>` from the server's command line.
    Admin,
}

#[derive(Debug, Clone, Copy)]
pub struct RouteDoc {
    pub method: &'static str,
    pub path: &'static str,
    pub auth: Auth,
    /// Request body schema (a protocol type), if any.
    pub request: Option<&'static str>,
    /// Success response schema (a protocol type), if any.
    pub response: Option<&'static str>,
    pub summary: &'static str,
}

const fn r(
    method: &'static str,
    path: &'static str,
    auth: Auth,
    request: Option<&'static str>,
    response: Option<&'static str>,
    summary: &'static str,
) -> RouteDoc {
    RouteDoc {
        method,
        path,
        auth,
        request,
        response,
        summary,
    }
}

pub const ROUTES: &[RouteDoc] = &[
    r(
        "get",
        "/v1/health",
        Auth::None,
        None,
        Some("api::Health"),
        "Liveness, version, backend and server time.",
    ),
    r(
        "get",
        OPENAPI,
        Auth::None,
        None,
        None,
        "This OpenAPI document.",
    ),
    r(
        "post",
        "/v1/admin/seed",
        Auth::Admin,
        Some("admin::Seed"),
        Some("admin::SeedReport"),
        "Upsert stations, enrolment codes, people and tours.",
    ),
    r(
        "post",
        "/v1/devices/enrol",
        Auth::None,
        Some("auth::EnrolRequest"),
        Some("auth::EnrolResponse"),
        "Enrol a device with a station's enrolment code.",
    ),
    r(
        "post",
        "/v1/session",
        Auth::None,
        Some("auth::SignInRequest"),
        Some("auth::Session"),
        "Sign in on an enrolled device with user id and PIN.",
    ),
    r(
        "delete",
        "/v1/session",
        Auth::Session,
        None,
        None,
        "Sign out (revokes the session).",
    ),
    r(
        "post",
        "/v1/session/refresh",
        Auth::None,
        Some("auth::RefreshRequest"),
        Some("auth::Session"),
        "Rotate a refresh token into a new pair; with device_id and device_token a retry after a lost answer gets the same pair within the grace period.",
    ),
    r(
        "get",
        "/v1/tour",
        Auth::Session,
        None,
        Some("tour::TourSnapshot"),
        "Today's tour snapshot (?driver_id= for station/supervisor, ?date=YYYY-MM-DD).",
    ),
    r(
        "post",
        "/v1/events",
        Auth::Session,
        Some("sync::EventBatch"),
        Some("sync::BatchAck"),
        "Apply a batch of events exactly once; header x-lastmile-device-time optional.",
    ),
    r(
        "get",
        "/v1/changes",
        Auth::Session,
        None,
        Some("sync::ChangesPage"),
        "Tour change sets after ?after=CURSOR (&limit=).",
    ),
    r(
        "put",
        "/v1/blobs/{sha256}",
        Auth::Session,
        Some("bytes (image/jpeg, image/png, application/json)"),
        Some("sync::BlobStatus"),
        "Upload or resume this device's upload of a blob (Content-Range: bytes S-E/TOTAL; a piece cut off is kept as far as it came; from 0 with another total starts over). Only for blobs this device's events reference, or within a per-device quota of unreferenced bytes.",
    ),
    r(
        "head",
        "/v1/blobs/{sha256}",
        Auth::Session,
        None,
        None,
        "Bytes held of this device's upload (upload-offset, x-blob-complete headers); complete only for whoever may read it or the device that references it; 403 otherwise.",
    ),
    r(
        "get",
        "/v1/blobs/{sha256}",
        Auth::Session,
        None,
        Some("bytes"),
        "Download a blob referenced by an event on a tour you may see (driver: own tours; lead: the station's; supervisor: the drivers ridden with).",
    ),
    r(
        "get",
        "/v1/blobs/{sha256}/status",
        Auth::Session,
        None,
        Some("sync::BlobStatus"),
        "Upload state of a blob, as for HEAD.",
    ),
    r(
        "get",
        "/v1/dispatch/tours",
        Auth::Session,
        None,
        Some("Vec<dispatch::TourSummary>"),
        "Tours you may see, with progress.",
    ),
    r(
        "get",
        "/v1/dispatch/tours/{tour_id}",
        Auth::Session,
        None,
        Some("tour::TourSnapshot"),
        "The current plan of a tour.",
    ),
    r(
        "get",
        "/v1/dispatch/tours/{tour_id}/progress",
        Auth::Session,
        None,
        Some("dispatch::TourProgress"),
        "Progress of a tour.",
    ),
    r(
        "get",
        "/v1/dispatch/tours/{tour_id}/outcomes",
        Auth::Session,
        None,
        Some("Vec<dispatch::OutcomeView>"),
        "Outcomes recorded on a tour.",
    ),
    r(
        "get",
        "/v1/dispatch/tours/{tour_id}/cards",
        Auth::Session,
        None,
        Some("Vec<dispatch::CardView>"),
        "Notification cards left on a tour.",
    ),
    r(
        "get",
        "/v1/dispatch/tours/{tour_id}/missing-blobs",
        Auth::Session,
        None,
        Some("Vec<dispatch::MissingBlobView>"),
        "Photos and signatures not uploaded yet.",
    ),
    r(
        "get",
        "/v1/dispatch/tours/{tour_id}/rejections",
        Auth::Session,
        None,
        Some("Vec<dispatch::RejectionView>"),
        "Events of a tour the server refused.",
    ),
    r(
        "post",
        "/v1/dispatch/tours/{tour_id}/changes",
        Auth::Session,
        Some("dispatch::ChangeRequest"),
        Some("tour::ChangeSet"),
        "Station: edit a tour; becomes one change set on the feed.",
    ),
    r(
        "put",
        "/v1/dispatch/tours/{tour_id}/route",
        Auth::Session,
        Some("OSRM or Valhalla route response (raw JSON)"),
        Some("dispatch::RouteReport"),
        "Station: a router's legs become the routes of the stops from ?first_stop= on; one change set.",
    ),
    r(
        "post",
        "/v1/dispatch/import/own",
        Auth::Session,
        Some("tour::TourSnapshot | Vec<tour::TourSnapshot>"),
        Some("dispatch::ImportReport"),
        "Station: import tours in our own JSON.",
    ),
    r(
        "post",
        "/v1/dispatch/import/lmrrc",
        Auth::Session,
        Some("dispatch::LmrrcImportRequest"),
        Some("dispatch::ImportReport"),
        "Station: import Amazon LMRRC 2021 routes.",
    ),
];

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", name.replace(['<', '>', ' ', '|', '(', ')', ','], "_")) })
}

/// The OpenAPI document.
pub fn document() -> Value {
    let mut paths = serde_json::Map::new();
    let mut schemas = serde_json::Map::new();
    for route in ROUTES {
        let mut op = serde_json::Map::new();
        op.insert("summary".into(), json!(route.summary));
        let params: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        match route.auth {
            Auth::None => {}
            Auth::Session => {
                op.insert("security".into(), json!([{ "session": [] }]));
            }
            Auth::Admin => {
                op.insert("security".into(), json!([{ "admin": [] }]));
            }
        }
        if let Some(req) = route.request {
            op.insert("requestBody".into(), json!({ "required": true, "content": { "application/json": { "schema": schema_ref(req) } } }));
            schemas.insert(
                req.replace(['<', '>', ' ', '|', '(', ')', ','], "_"),
                json!({ "description": format!("lastmile_protocol::{req}") }),
            );
        }
        let ok = match route.response {
            Some(resp) => {
                schemas.insert(
                    resp.replace(['<', '>', ' ', '|', '(', ')', ','], "_"),
                    json!({ "description": format!("lastmile_protocol::{resp}") }),
                );
                json!({ "description": "success", "content": { "application/json": { "schema": schema_ref(resp) } } })
            }
            None => json!({ "description": "success" }),
        };
        op.insert(
            "responses".into(),
            json!({ "200": ok, "4XX": { "description": "caller error", "content": { "application/json": { "schema": schema_ref("api::ErrorBody") } } } }),
        );
        let entry = paths
            .entry(route.path.to_owned())
            .or_insert_with(|| json!({}));
        if let Value::Object(m) = entry {
            m.insert(route.method.to_owned(), Value::Object(op));
        }
    }
    schemas.insert(
        "api::ErrorBody".into(),
        json!({ "type": "object", "required": ["code", "message"], "properties": { "code": { "type": "string" }, "message": { "type": "string" } } }),
    );
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Lastmile sync API", "version": env!("CARGO_PKG_VERSION") },
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "session": { "type": "http", "scheme": "bearer" },
                "admin": { "type": "http", "scheme": "bearer" }
            }
        }
    })
}
