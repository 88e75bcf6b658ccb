//! The OpenAPI 3.1 document of the API, generated from the code: every handler in
//! [`crate::routes`] carries a `#[utoipa::path]` with its method, path (the protocol crate's
//! constant), parameters, request and response bodies; the bodies' schemas are derived from the
//! `lastmile_protocol` types (feature `openapi`), and `utoipa-axum` registers each handler with
//! the router and the document at once, so a route cannot exist undocumented.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use lastmile_protocol::api::ErrorBody;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema};

/// `GET` — this document.
pub const OPENAPI: &str = "/v1/openapi.json";

/// Security scheme of a signed-in session: `Authorization: Bearer <access token>`.
pub const SESSION: &str = "session";
/// Security scheme of the admin routes: `Authorization: Bearer <admin token>`.
pub const ADMIN: &str = "admin";

/// What every route answers on failure: an [`ErrorBody`] with a stable `code`, for any 4xx
/// (the caller's mistake or a refusal) and any 5xx (the server's fault; retry later).
pub struct ErrorResponses;

impl utoipa::IntoResponses for ErrorResponses {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let body = || {
            ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::from_schema_name("ErrorBody")))
                .build()
        };
        let mut m = BTreeMap::new();
        m.insert(
            "4XX".to_owned(),
            ResponseBuilder::new()
                .description("Refused: `code` says why (e.g. `malformed_body`, `unauthorized`).")
                .content("application/json", body())
                .build()
                .into(),
        );
        m.insert(
            "5XX".to_owned(),
            ResponseBuilder::new()
                .description("The server failed; the request may be retried.")
                .content("application/json", body())
                .build()
                .into(),
        );
        m
    }
}

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        let bearer = |what: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(what))
                    .build(),
            )
        };
        components.add_security_scheme(
            SESSION,
            bearer("Access token of a session (`POST /v1/session`)."),
        );
        components.add_security_scheme(ADMIN, bearer("The server's admin token."));
        // Referenced by every route's 4XX/5XX answer.
        components
            .schemas
            .insert("ErrorBody".to_owned(), ErrorBody::schema());
    }
}

/// Body of `POST /v1/dispatch/import/own`: one tour or a list (documentation only; the
/// handler reads the bytes itself to name the tour a parse error is in).
#[derive(serde::Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum OwnImport {
    One(lastmile_protocol::tour::TourSnapshot),
    Many(Vec<lastmile_protocol::tour::TourSnapshot>),
}

/// The document's frame; the paths come from the router (see [`crate::routes::api_router`]).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Lastmile sync API",
        description = "Devices upload events and blobs in batches and pull tour changes by cursor; \
                       stations dispatch tours and read progress."
    ),
    modifiers(&Security),
    tags(
        (name = "service", description = "Health and this document."),
        (name = "auth", description = "Enrolment and sessions."),
        (name = "sync", description = "Events, blobs, tour snapshot and change feed."),
        (name = "dispatch", description = "Station and supervisor views and edits of tours."),
        (name = "admin", description = "Seeding (admin token)."),
        (name = "station", description = "The station tablet: board, a driver's day, fleet, inspection template, defects, close-outs."),
        (name = "offers", description = "Blocks for independent (flex) drivers: rounds, ranked requests, the verifiable lottery, confirmations, earnings."),
    )
)]
pub struct ApiDoc;

/// The OpenAPI document, built once from the router's handlers.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| crate::routes::api_router().into_openapi())
}
