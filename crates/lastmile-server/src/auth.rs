//! Identity and access: device enrolment, sign-in with driver id + PIN, access and refresh
//! tokens, and the rule of who may see which tour.
//!
//! Secrets are random 256-bit tokens; the database keeps only their SHA-256 (a stolen
//! database copy does not sign anyone in). PINs are short, so they get argon2 plus a
//! lockout after [`MAX_PIN_FAILURES`] wrong tries. Refresh tokens rotate: each is good
//! once; presenting a used one again revokes the whole session (it was stolen or replayed),
//! except the retry of a rotation whose answer was lost (see [`refresh`]).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lastmile_protocol::auth::{
    EnrolRequest, EnrolResponse, RefreshRequest, Role, Session, SignInRequest,
};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::ServerState;
use crate::db::{Tx, V};
use crate::error::{ApiError, ApiResult};

/// Wrong PINs in a row before the account is locked (an admin re-seed unlocks it).
pub const MAX_PIN_FAILURES: i64 = 5;

/// Who is calling: resolved from a valid, unexpired access token.
#[derive(Debug, Clone)]
pub struct Principal {
    pub session_id: String,
    pub device_id: String,
    pub user_id: String,
    pub role: Role,
    pub station_id: String,
}

pub fn role_str(role: Role) -> &'static str {
    match role {
        Role::Driver => "driver",
        Role::Station => "station",
        Role::Supervisor => "supervisor",
    }
}

fn parse_role(s: &str) -> ApiResult<Role> {
    match s {
        "driver" => Ok(Role::Driver),
        "station" => Ok(Role::Station),
        "supervisor" => Ok(Role::Supervisor),
        other => Err(ApiError::Internal(format!("stored role {other}"))),
    }
}

/// A fresh random secret, `prefix` + 64 hex digits.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn argon() -> argon2::Argon2<'static> {
    // 8 MiB, 2 passes: a PIN has ~14 bits anyway; the lockout is the real defence.
    let params = argon2::Params::new(8 * 1024, 2, 1, None).unwrap_or_default();
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

pub fn hash_pin(pin: &str) -> ApiResult<String> {
    let mut salt_bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut salt_bytes);
    let salt =
        SaltString::encode_b64(&salt_bytes).map_err(|e| ApiError::Internal(e.to_string()))?;
    argon()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(e.to_string()))
}

fn verify_pin(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| argon().verify_password(pin.as_bytes(), &h).is_ok())
}

fn bad_credentials() -> ApiError {
    ApiError::unauthorized("bad_credentials", "unknown device, user or wrong PIN")
}

#[tracing::instrument(skip_all, err)]
pub async fn enrol(state: &ServerState, req: EnrolRequest) -> ApiResult<EnrolResponse> {
    if req.device_name.len() > 200 || req.enrolment_code.len() > 200 {
        return Err(ApiError::bad_request(
            "bad_field",
            "device name or code too long",
        ));
    }
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let sql = format!(
        "SELECT station_id, uses_left FROM enrolment_codes WHERE code = $1{}",
        state.db.for_update()
    );
    let row = tx
        .one(&sql, &[V::from(&req.enrolment_code)])
        .await?
        .ok_or_else(|| ApiError::unauthorized("bad_enrolment_code", "unknown enrolment code"))?;
    let station_id = row.t(0)?;
    if row.i(1)? <= 0 {
        return Err(ApiError::unauthorized(
            "enrolment_code_used",
            "this enrolment code is used up",
        ));
    }
    tx.exec(
        "UPDATE enrolment_codes SET uses_left = uses_left - 1 WHERE code = $1",
        &[V::from(&req.enrolment_code)],
    )
    .await?;
    let device_id = format!("dev-{}", uuid::Uuid::now_v7().simple());
    let device_token = new_token("lmd_");
    tx.exec(
        "INSERT INTO devices (device_id, token_hash, station_id, name, enrolled_at) VALUES ($1, $2, $3, $4, $5)",
        &[
            V::from(&device_id),
            V::from(token_hash(&device_token)),
            V::from(&station_id),
            V::from(&req.device_name),
            V::I(now),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(EnrolResponse {
        device_id,
        device_token,
        station_id,
    })
}

#[tracing::instrument(skip_all, err)]
pub async fn sign_in(state: &ServerState, req: SignInRequest) -> ApiResult<Session> {
    let mut tx = state.db.begin().await?;
    let device = tx
        .one(
            "SELECT token_hash, station_id FROM devices WHERE device_id = $1",
            &[V::from(&req.device_id)],
        )
        .await?
        .ok_or_else(bad_credentials)?;
    if device.t(0)? != token_hash(&req.device_token) {
        return Err(bad_credentials());
    }
    let device_station = device.t(1)?;
    let user = tx
        .one(
            "SELECT pin_hash, station_id, failed_pins FROM users WHERE user_id = $1 AND role = $2",
            &[V::from(&req.user_id), V::from(role_str(req.role))],
        )
        .await?
        .ok_or_else(bad_credentials)?;
    if user.i(2)? >= MAX_PIN_FAILURES {
        return Err(ApiError::locked(
            "pin_locked",
            "too many wrong PINs; ask the station",
        ));
    }
    let pin_hash = user.t(0)?;
    let pin = req.pin.clone();
    let ok = tokio::task::spawn_blocking(move || verify_pin(&pin, &pin_hash))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !ok {
        tx.exec(
            "UPDATE users SET failed_pins = failed_pins + 1 WHERE user_id = $1 AND role = $2",
            &[V::from(&req.user_id), V::from(role_str(req.role))],
        )
        .await?;
        tx.commit().await?;
        return Err(bad_credentials());
    }
    if user.t(1)? != device_station {
        return Err(ApiError::forbidden(
            "wrong_station",
            "this device is enrolled at another station",
        ));
    }
    tx.exec(
        "UPDATE users SET failed_pins = 0 WHERE user_id = $1 AND role = $2",
        &[V::from(&req.user_id), V::from(role_str(req.role))],
    )
    .await?;
    let session_id = uuid::Uuid::now_v7().to_string();
    let (access, refresh, expires_at) = issue(state);
    tx.exec(
        "INSERT INTO sessions (session_id, device_id, user_id, role, station_id, access_hash, access_expires_at,
           refresh_hash, refresh_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            V::from(&session_id),
            V::from(&req.device_id),
            V::from(&req.user_id),
            V::from(role_str(req.role)),
            V::from(&device_station),
            V::from(token_hash(&access)),
            V::I(expires_at.timestamp_millis()),
            V::from(token_hash(&refresh)),
            V::I(state.now_ms() + state.config.refresh_ttl.as_millis() as i64),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(Session {
        access_token: access,
        expires_at,
        refresh_token: refresh,
        role: req.role,
        user_id: req.user_id,
    })
}

fn issue(state: &ServerState) -> (String, String, chrono::DateTime<chrono::Utc>) {
    let ttl = chrono::Duration::from_std(state.config.access_ttl)
        .unwrap_or(chrono::Duration::minutes(15));
    (
        new_token("lma_"),
        new_token("lmr_"),
        state.config.clock.now() + ttl,
    )
}

/// The server's key for derived tokens: 32 random bytes kept in `server_meta`, created by
/// whichever instance needs it first (every instance on one database uses the same).
async fn refresh_key(tx: &mut Tx) -> ApiResult<Vec<u8>> {
    tx.exec(
        "INSERT INTO server_meta (key, value) VALUES ('refresh_key', $1) ON CONFLICT (key) DO NOTHING",
        &[V::from(new_token(""))],
    )
    .await?;
    let row = tx
        .one(
            "SELECT value FROM server_meta WHERE key = 'refresh_key'",
            &[],
        )
        .await?
        .ok_or_else(|| ApiError::Internal("refresh key missing".into()))?;
    hex::decode(row.t(0)?).map_err(|e| ApiError::Internal(format!("refresh key: {e}")))
}

/// The pair that rotating `refresh_token` of `session_id` yields: HMAC-SHA256 under the
/// server's key, so a retried rotation yields the same pair while the database keeps only
/// hashes (and a stolen database copy cannot compute it: it needs the old token itself).
fn derived_pair(key: &[u8], session_id: &str, refresh_token: &str) -> ApiResult<(String, String)> {
    use hmac::{KeyInit, Mac};
    let derive = |purpose: &str| -> ApiResult<String> {
        let mut mac = hmac::Hmac::<sha2_011::Sha256>::new_from_slice(key)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        for part in [purpose, session_id, refresh_token] {
            mac.update(part.as_bytes());
            mac.update(&[0]);
        }
        Ok(hex::encode(mac.finalize().into_bytes()))
    };
    Ok((
        format!("lma_{}", derive("lastmile access v1")?),
        format!("lmr_{}", derive("lastmile refresh v1")?),
    ))
}

fn reused() -> ApiError {
    ApiError::unauthorized(
        "refresh_token_reused",
        "refresh token was already used; sign in again",
    )
}

/// Exchanges a refresh token for a new pair. Safe to retry: the previous token, presented
/// again by the same device (its id and secret in the request) within
/// [`ServerConfig::refresh_grace`](crate::ServerConfig) of the rotation, gets the same pair.
/// A previous token presented later, without the device's proof, or by another device,
/// revokes the session; so does any token presented by a device that is not the session's.
#[tracing::instrument(skip_all, err)]
pub async fn refresh(state: &ServerState, req: &RefreshRequest) -> ApiResult<Session> {
    let hash = token_hash(&req.refresh_token);
    let now = state.now_ms();
    let mut tx = state.db.begin().await?;
    let sql = format!(
        "SELECT session_id, user_id, role, refresh_expires_at, revoked, device_id, refresh_hash,
           refreshed_at, access_expires_at
         FROM sessions WHERE refresh_hash = $1 OR prev_refresh_hash = $1{}",
        state.db.for_update()
    );
    let Some(row) = tx.one(&sql, &[V::from(&hash)]).await? else {
        tx.commit().await?;
        return Err(ApiError::unauthorized(
            "invalid_token",
            "unknown refresh token",
        ));
    };
    let session_id = row.t(0)?;
    // Every way out commits (or revokes and commits): on PostgreSQL that releases the row
    // lock now, not when the pooled connection is next used.
    if row.i(4)? != 0 {
        tx.commit().await?;
        return Err(ApiError::unauthorized(
            "session_revoked",
            "session was revoked; sign in again",
        ));
    }
    let revoke = |mut tx: Tx, session_id: String, err: ApiError| async move {
        tx.exec(
            "UPDATE sessions SET revoked = 1 WHERE session_id = $1",
            &[V::from(&session_id)],
        )
        .await?;
        tx.commit().await?;
        Err::<Session, _>(err)
    };
    // Who presents the token: `None` without proof, else whether it is the session's device.
    let same_device = match (&req.device_id, &req.device_token) {
        (Some(id), Some(secret)) => Some(
            *id == row.t(5)?
                && tx
                    .one(
                        "SELECT token_hash FROM devices WHERE device_id = $1",
                        &[V::from(id)],
                    )
                    .await?
                    .map(|d| d.t(0))
                    .transpose()?
                    .is_some_and(|h| h == token_hash(secret)),
        ),
        _ => None,
    };
    if same_device == Some(false) {
        // The token left its device: stolen. Nobody keeps this session.
        return revoke(
            tx,
            session_id,
            ApiError::unauthorized(
                "refresh_wrong_device",
                "this refresh token belongs to another device; sign in again",
            ),
        )
        .await;
    }
    let role = parse_role(&row.t(2)?)?;
    let user_id = row.t(1)?;
    if row.i(3)? <= now {
        tx.commit().await?;
        return Err(ApiError::unauthorized(
            "refresh_expired",
            "refresh token expired; sign in again",
        ));
    }
    let key = refresh_key(&mut tx).await?;
    let (access, new_refresh) = derived_pair(&key, &session_id, &req.refresh_token)?;
    if row.t(6)? != hash {
        // The previous token again. The same device shortly after the rotation: its answer
        // was lost; it gets the pair it missed. Anything else is a replay.
        let grace = i64::try_from(state.config.refresh_grace.as_millis()).unwrap_or(i64::MAX);
        let retry = same_device == Some(true)
            && now.saturating_sub(row.i(7)?) <= grace
            && token_hash(&new_refresh) == row.t(6)?;
        if !retry {
            return revoke(tx, session_id, reused()).await;
        }
        tx.commit().await?;
        return Ok(Session {
            access_token: access,
            expires_at: crate::ms_to_time(row.i(8)?),
            refresh_token: new_refresh,
            role,
            user_id,
        });
    }
    let ttl = chrono::Duration::from_std(state.config.access_ttl)
        .unwrap_or(chrono::Duration::minutes(15));
    let expires_at = state.config.clock.now() + ttl;
    tx.exec(
        "UPDATE sessions SET access_hash = $1, access_expires_at = $2, refresh_hash = $3, prev_refresh_hash = $4,
           refreshed_at = $5
         WHERE session_id = $6",
        &[
            V::from(token_hash(&access)),
            V::I(expires_at.timestamp_millis()),
            V::from(token_hash(&new_refresh)),
            V::from(&hash),
            V::I(now),
            V::from(&session_id),
        ],
    )
    .await?;
    tx.commit().await?;
    Ok(Session {
        access_token: access,
        expires_at,
        refresh_token: new_refresh,
        role,
        user_id,
    })
}

#[tracing::instrument(skip_all, err)]
pub async fn sign_out(state: &ServerState, p: &Principal) -> ApiResult<()> {
    let mut tx = state.db.begin().await?;
    tx.exec(
        "UPDATE sessions SET revoked = 1 WHERE session_id = $1",
        &[V::from(&p.session_id)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl FromRequestParts<ServerState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> ApiResult<Self> {
        let token = bearer(parts).ok_or_else(|| {
            ApiError::unauthorized(
                "missing_token",
                "Authorization: Bearer <access token> required",
            )
        })?;
        let mut tx = state.db.begin().await?;
        let row = tx
            .one(
                "SELECT session_id, device_id, user_id, role, station_id, access_expires_at, revoked
                 FROM sessions WHERE access_hash = $1",
                &[V::from(token_hash(token))],
            )
            .await?
            .ok_or_else(|| ApiError::unauthorized("invalid_token", "unknown or replaced access token"))?;
        drop(tx);
        if row.i(6)? != 0 {
            return Err(ApiError::unauthorized(
                "session_revoked",
                "session was revoked; sign in again",
            ));
        }
        if row.i(5)? <= state.now_ms() {
            return Err(ApiError::unauthorized(
                "token_expired",
                "access token expired; refresh it",
            ));
        }
        Ok(Principal {
            session_id: row.t(0)?,
            device_id: row.t(1)?,
            user_id: row.t(2)?,
            role: parse_role(&row.t(3)?)?,
            station_id: row.t(4)?,
        })
    }
}

/// The admin: whoever holds the token given on the server's command line.
#[derive(Debug)]
pub struct Admin;

impl FromRequestParts<ServerState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ServerState) -> ApiResult<Self> {
        let Some(expected) = &state.config.admin_token else {
            return Err(ApiError::forbidden(
                "admin_disabled",
                "start the server with --admin-token to use this",
            ));
        };
        match bearer(parts) {
            Some(t) if token_hash(t) == token_hash(expected) => Ok(Admin),
            _ => Err(ApiError::unauthorized(
                "invalid_admin_token",
                "wrong or missing admin token",
            )),
        }
    }
}

/// May `p` see (and, as driver or supervisor, record on) the tour of `driver_id` at `station_id`?
pub async fn may_see(
    tx: &mut Tx,
    p: &Principal,
    station_id: &str,
    driver_id: &str,
) -> ApiResult<bool> {
    Ok(match p.role {
        Role::Driver => p.user_id == driver_id && p.station_id == station_id,
        Role::Station => p.station_id == station_id,
        Role::Supervisor => tx
            .one(
                "SELECT 1 FROM rides_with WHERE supervisor_id = $1 AND driver_id = $2",
                &[V::from(&p.user_id), V::from(driver_id)],
            )
            .await?
            .is_some(),
    })
}
