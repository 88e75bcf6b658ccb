//! Identity and access: device enrolment, sign-in with driver id + PIN, access and refresh
//! tokens, and the rule of who may see which tour.
//!
//! Secrets are random 256-bit tokens; the database keeps only their SHA-256 (a stolen
//! database copy does not sign anyone in). PINs are short, so they get argon2 plus a
//! lockout: [`MAX_PIN_FAILURES`] wrong PINs in a row lock the person, and
//! [`MAX_DEVICE_PIN_FAILURES`] lock the device, for [`LOCKOUT_BASE_SECS`], doubling with
//! each lockout in a row (up to a day) until a right PIN or the station lead
//! ([`unlock`]) ends it. The shared station tablet checking drivers' PINs at check-in is
//! never locked by them, only throttled (see [`Strikes::throttle`]): a morning's typos by
//! different drivers must not lock everyone out. The station is checked before the PIN: a device of another
//! station learns nothing about the PIN and counts nothing against the person. Sign-in
//! and enrolment are also rate-limited ([`crate::limits`]). Enrolment codes the server
//! draws are random (80 bits) and expire. Refresh tokens rotate: each is good
//! once; presenting a used one again revokes the whole session (it was stolen or replayed),
//! except the retry of a rotation whose answer was lost (see [`refresh`]).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lastmile_protocol::auth::{
    EnrolRequest, EnrolResponse, RefreshRequest, Role, Session, SignInRequest,
};
use lastmile_protocol::dispatch::UnlockReport;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::ServerState;
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};

/// Wrong PINs in a row before the person is locked.
pub const MAX_PIN_FAILURES: i64 = 5;
/// Wrong PINs in a row on one device (whoever they were for) before the device is locked.
pub const MAX_DEVICE_PIN_FAILURES: i64 = 10;
/// The first lockout; each further one in a row doubles it, up to [`LOCKOUT_MAX_SECS`].
pub const LOCKOUT_BASE_SECS: i64 = 60;
pub const LOCKOUT_MAX_SECS: i64 = 24 * 3600;
/// Wrong driver PINs the station tablet takes at check-in before it makes the next one wait.
pub const TABLET_FREE_PIN_FAILURES: i64 = MAX_DEVICE_PIN_FAILURES;
/// The tablet's first wait; each further wrong PIN doubles it, up to [`TABLET_WAIT_MAX_SECS`].
pub const TABLET_WAIT_BASE_SECS: i64 = 5;
pub const TABLET_WAIT_MAX_SECS: i64 = 120;
/// One wrong PIN of the tablet is forgotten per this long without one (a right PIN forgives
/// nothing, so a driver who knows their own PIN cannot reset the count between guesses).
pub const TABLET_FORGIVE_SECS: i64 = 120;
/// How long an enrolment code the server draws stays good unless the seed says otherwise.
pub const GENERATED_CODE_TTL_DAYS: i64 = 7;

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
        Role::Flex => "flex",
    }
}

fn parse_role(s: &str) -> ApiResult<Role> {
    match s {
        "driver" => Ok(Role::Driver),
        "station" => Ok(Role::Station),
        "supervisor" => Ok(Role::Supervisor),
        "flex" => Ok(Role::Flex),
        other => Err(ApiError::Internal(format!("stored role {other}"))),
    }
}

/// A fresh random secret, `prefix` + 64 hex digits.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// A random enrolment code: 16 characters of an unambiguous 32-letter alphabet (80 bits)
/// in groups of four, e.g. `K7QM-2XWD-9HTR-C4NB`, from `rand`'s thread generator (a
/// CSPRNG seeded by the operating system, as for the tokens).
pub fn new_enrolment_code() -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let mut code = String::with_capacity(19);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[usize::from(b & 31)]));
    }
    code
}

/// `base_secs` doubled `n` times (n from 0), at most `max_secs`, in milliseconds.
fn doubling_ms(base_secs: i64, max_secs: i64, n: i64) -> i64 {
    let shift = u32::try_from(n.clamp(0, 20)).unwrap_or(20);
    base_secs
        .saturating_mul(1i64 << shift)
        .min(max_secs)
        .saturating_mul(1000)
}

/// How long the `n`-th lockout in a row lasts (n from 0), in milliseconds.
fn lockout_ms(n: i64) -> i64 {
    doubling_ms(LOCKOUT_BASE_SECS, LOCKOUT_MAX_SECS, n)
}

/// How long the tablet waits after its `n`-th wrong PIN past the free ones (n from 0), in ms.
fn tablet_wait_ms(n: i64) -> i64 {
    doubling_ms(TABLET_WAIT_BASE_SECS, TABLET_WAIT_MAX_SECS, n)
}

fn retry_secs(until_ms: i64, now_ms: i64) -> u64 {
    u64::try_from((until_ms - now_ms + 999) / 1000)
        .unwrap_or(1)
        .max(1)
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
        "SELECT station_id, uses_left, expires_at FROM enrolment_codes WHERE code = $1{}",
        state.db.for_update()
    );
    let code: CodeRow = tx
        .one_as(&sql, &[V::from(&req.enrolment_code)])
        .await?
        .ok_or_else(|| ApiError::unauthorized("bad_enrolment_code", "unknown enrolment code"))?;
    let station_id = code.station_id;
    if code.uses_left <= 0 {
        return Err(ApiError::unauthorized(
            "enrolment_code_used",
            "this enrolment code is used up",
        ));
    }
    if code.expires_at.is_some_and(|expires| expires <= now) {
        return Err(ApiError::unauthorized(
            "enrolment_code_expired",
            "this enrolment code has expired; ask the station for a new one",
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

row_struct! {
    /// An enrolment code as stored.
    struct CodeRow {
        station_id: String,
        uses_left: i64,
        expires_at: Option<i64>,
    }
}

/// Failure bookkeeping of a person or a device: `failed` wrong PINs in a row, locked until
/// `locked_until` (ms), `lockouts` lockouts in a row so far.
struct Strikes {
    failed: i64,
    locked_until: i64,
    lockouts: i64,
}

impl Strikes {
    /// From the columns `failed_pins`, `locked_until`, `lockouts`.
    fn read(row: &crate::db::Row) -> ApiResult<Self> {
        Ok(Self {
            failed: row.get("failed_pins")?,
            locked_until: row.get("locked_until")?,
            lockouts: row.get("lockouts")?,
        })
    }

    /// One more wrong PIN; the `max`-th in a row locks, each lockout twice as long.
    fn fail(&mut self, max: i64, now: i64) {
        self.failed += 1;
        if self.failed >= max {
            self.locked_until = now.saturating_add(lockout_ms(self.lockouts));
            self.lockouts += 1;
            self.failed = 0;
        }
    }

    /// One more wrong driver PIN on the station tablet (a leaky bucket, never a lockout):
    /// `failed` counts the wrong PINs not yet forgiven (one per [`TABLET_FORGIVE_SECS`]
    /// since the last one's wait ended, which `locked_until` keeps), and every one past
    /// [`TABLET_FREE_PIN_FAILURES`] makes the tablet wait before the next PIN, 5 s doubling
    /// up to 2 min. Guessing over all drivers from one tablet is so held to about one PIN per
    /// [`TABLET_FORGIVE_SECS`] in the long run (each driver's own lockout still counts).
    fn throttle(&mut self, now: i64) {
        let quiet = now.saturating_sub(self.locked_until).max(0);
        let forgiven = quiet / (TABLET_FORGIVE_SECS * 1000);
        self.failed = self.failed.saturating_sub(forgiven).max(0) + 1;
        let past_free = self.failed - TABLET_FREE_PIN_FAILURES;
        self.locked_until = now.saturating_add(if past_free > 0 {
            tablet_wait_ms(past_free - 1)
        } else {
            0
        });
    }

    /// A wrong PIN on this device: a sign-in's (`tablet` false) counts towards the device's
    /// lockout, a driver's at the station tablet's check-in only throttles it.
    fn miss(&mut self, tablet: bool, now: i64) {
        if tablet {
            self.throttle(now);
        } else {
            self.fail(MAX_DEVICE_PIN_FAILURES, now);
        }
    }
}

/// Signs a person in on an enrolled device. Order matters: device token, person, the
/// person's station against the device's (before the PIN: a foreign device gets the same
/// answer for a right and a wrong PIN, and counts nothing), lockouts, then the PIN. The
/// device and person rows stay locked from the read of their failure counts to the write,
/// so parallel wrong PINs are counted one after the other and cannot pass the limit.
#[tracing::instrument(skip_all, err)]
pub async fn sign_in(state: &ServerState, req: SignInRequest) -> ApiResult<Session> {
    let now = state.now_ms();
    let (mut tx, device_station) = check_pin(
        state,
        &req.device_id,
        Some(&req.device_token),
        req.role,
        &req.user_id,
        &req.pin,
    )
    .await?;
    let role = role_str(req.role);
    // Sessions whose refresh token has expired can do nothing any more: drop them.
    tx.exec(
        "DELETE FROM sessions WHERE refresh_expires_at < $1",
        &[V::I(now)],
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
            V::from(role),
            V::from(&device_station),
            V::from(token_hash(&access)),
            V::I(expires_at.timestamp_millis()),
            V::from(token_hash(&refresh)),
            V::I(now + state.config.refresh_ttl.as_millis() as i64),
        ],
    )
    .await?;
    crate::devices::note_person(
        &mut tx,
        &req.device_id,
        &req.user_id,
        req.role,
        state.now_ms(),
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

/// The checks of a sign-in, up to and with the PIN (lockouts counted and reset as there):
/// the open transaction and the device's station. `device_token` is `None` when the caller's
/// session already proved the device (the station tablet checking a driver at check-in):
/// then wrong PINs throttle the tablet instead of locking it ([`Strikes::throttle`]) and a
/// right one leaves the tablet's count alone.
pub async fn check_pin(
    state: &ServerState,
    device_id: &str,
    device_token: Option<&str>,
    role: Role,
    user_id: &str,
    pin: &str,
) -> ApiResult<(Tx, String)> {
    let now = state.now_ms();
    let verified = verify_before(state, device_id, device_token, role, user_id, pin, now).await?;
    let lock = state.db.for_update();
    let mut tx = state.db.begin().await?;
    let device = tx
        .one(
            &format!(
                "SELECT token_hash, station_id, failed_pins, locked_until, lockouts FROM devices WHERE device_id = $1{lock}"
            ),
            &[V::from(device_id)],
        )
        .await?
        .ok_or_else(bad_credentials)?;
    if let Some(device_token) = device_token
        && device.get::<String>("token_hash")? != token_hash(device_token)
    {
        return Err(bad_credentials());
    }
    let device_station: String = device.get("station_id")?;
    let mut device_strikes = Strikes::read(&device)?;
    let tablet = device_token.is_none();
    if device_strikes.locked_until > now {
        let wait = retry_secs(device_strikes.locked_until, now);
        return Err(if tablet {
            ApiError::rate_limited(
                "tablet_throttled",
                format!("too many wrong PINs on this tablet; try again in {wait} s"),
                wait,
            )
        } else {
            ApiError::rate_limited(
                "device_locked",
                "too many wrong PINs on this device; wait or ask the station",
                wait,
            )
        });
    }
    let role = role_str(role);
    let user = tx
        .one(
            &format!(
                "SELECT pin_hash, station_id, failed_pins, locked_until, lockouts FROM users WHERE user_id = $1 AND role = $2{lock}"
            ),
            &[V::from(user_id), V::from(role)],
        )
        .await?;
    let Some(user) = user else {
        // Guessing people on a device counts against the device.
        device_strikes.miss(tablet, now);
        save_device_strikes(&mut tx, device_id, &device_strikes).await?;
        tx.commit().await?;
        return Err(bad_credentials());
    };
    if user.get::<String>("station_id")? != device_station {
        return Err(ApiError::forbidden(
            "wrong_station",
            "this device is enrolled at another station",
        ));
    }
    let mut user_strikes = Strikes::read(&user)?;
    if user_strikes.locked_until > now {
        return Err(ApiError::rate_limited(
            "pin_locked",
            "too many wrong PINs; wait or ask the station lead to unlock",
            retry_secs(user_strikes.locked_until, now),
        ));
    }
    let pin_hash: String = user.get("pin_hash")?;
    let ok = match verified {
        Some((hash, ok)) if hash == pin_hash => ok,
        // Re-seeded in between (or locked meanwhile): check against the hash read now.
        _ => verify_off_thread(pin, pin_hash).await?,
    };
    if !ok {
        user_strikes.fail(MAX_PIN_FAILURES, now);
        device_strikes.miss(tablet, now);
        save_device_strikes(&mut tx, device_id, &device_strikes).await?;
        tx.exec(
            "UPDATE users SET failed_pins = $1, locked_until = $2, lockouts = $3 WHERE user_id = $4 AND role = $5",
            &[
                V::I(user_strikes.failed),
                V::I(user_strikes.locked_until),
                V::I(user_strikes.lockouts),
                V::from(user_id),
                V::from(role),
            ],
        )
        .await?;
        tx.commit().await?;
        return Err(bad_credentials());
    }
    tx.exec(
        "UPDATE users SET failed_pins = 0, locked_until = 0, lockouts = 0 WHERE user_id = $1 AND role = $2",
        &[V::from(user_id), V::from(role)],
    )
    .await?;
    // A right PIN signing in on the device ends its strikes (the lead signing the tablet in
    // starts its count afresh); a driver's right PIN at the tablet's check-in forgives nothing.
    if !tablet {
        save_device_strikes(
            &mut tx,
            device_id,
            &Strikes {
                failed: 0,
                locked_until: 0,
                lockouts: 0,
            },
        )
        .await?;
    }
    Ok((tx, device_station))
}

/// PIN checks that may run at once: one core fewer than the machine has (at least one), so
/// a burst of sign-ins queues for argon2 instead of taking every core from everyone else's
/// requests (issue 18: six sign-ins at once raised `GET /v1/tour` p50 from 1.4 to 125 ms;
/// `cargo xtask bench signin`).
static PIN_CHECKS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> =
    std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores.saturating_sub(1).max(1)))
    });

/// argon2 on a blocking thread (it takes milliseconds of CPU on purpose), never more of them
/// at once than [`PIN_CHECKS`] allows. The permit travels with the work: a request
/// cancelled meanwhile does not free it before argon2 ends.
async fn verify_off_thread(pin: &str, pin_hash: String) -> ApiResult<bool> {
    let pin = pin.to_owned();
    let permit = PIN_CHECKS
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let ok = verify_pin(&pin, &pin_hash);
        drop(permit);
        ok
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))
}

/// The PIN checked before the sign-in's write transaction, so argon2 never runs while the
/// transaction holds the row locks (on SQLite: the one writer every other request waits
/// for). Only for a device whose token is right, a person of its station, neither locked:
/// anyone else gets no argon2 from us. Returns the hash checked and the verdict; the
/// transaction re-reads everything and uses the verdict only for the same hash.
async fn verify_before(
    state: &ServerState,
    device_id: &str,
    device_token: Option<&str>,
    role: Role,
    user_id: &str,
    pin: &str,
    now: i64,
) -> ApiResult<Option<(String, bool)>> {
    // A read connection: the check waits for no write (on SQLite: not for the writer).
    let mut read = state.db.read().await?;
    let device = read
        .one(
            "SELECT token_hash, station_id, locked_until FROM devices WHERE device_id = $1",
            &[V::from(device_id)],
        )
        .await?;
    let user = read
        .one(
            "SELECT pin_hash, station_id, locked_until FROM users WHERE user_id = $1 AND role = $2",
            &[V::from(user_id), V::from(role_str(role))],
        )
        .await?;
    read.commit().await?;
    let (Some(device), Some(user)) = (device, user) else {
        return Ok(None);
    };
    if device_token.is_some_and(|t| device.get::<String>("token_hash").ok() != Some(token_hash(t)))
        || device.get::<String>("station_id")? != user.get::<String>("station_id")?
        || device.get::<i64>("locked_until")? > now
        || user.get::<i64>("locked_until")? > now
    {
        return Ok(None);
    }
    let hash: String = user.get("pin_hash")?;
    let ok = verify_off_thread(pin, hash.clone()).await?;
    Ok(Some((hash, ok)))
}

async fn save_device_strikes(tx: &mut Tx, device_id: &str, s: &Strikes) -> ApiResult<()> {
    tx.exec(
        "UPDATE devices SET failed_pins = $1, locked_until = $2, lockouts = $3 WHERE device_id = $4",
        &[
            V::I(s.failed),
            V::I(s.locked_until),
            V::I(s.lockouts),
            V::from(device_id),
        ],
    )
    .await?;
    Ok(())
}

/// A station lead lifts the PIN lockout of `user_id` (every role of that person at the
/// lead's station). Anyone else at another station is `unknown_person`, as if absent.
#[tracing::instrument(skip_all, err)]
pub async fn unlock(state: &ServerState, p: &Principal, user_id: &str) -> ApiResult<UnlockReport> {
    if p.role != Role::Station {
        return Err(ApiError::forbidden(
            "dispatch_only",
            "only station sessions unlock people",
        ));
    }
    let mut tx = state.db.begin().await?;
    let rows = tx
        .query(
            "UPDATE users SET failed_pins = 0, locked_until = 0, lockouts = 0
             WHERE user_id = $1 AND station_id = $2 RETURNING role",
            &[V::from(user_id), V::from(&p.station_id)],
        )
        .await?;
    if rows.is_empty() {
        return Err(ApiError::not_found(
            "unknown_person",
            format!("nobody called {user_id} at station {}", p.station_id),
        ));
    }
    let mut roles = rows
        .iter()
        .map(|r| parse_role(&r.get::<String>("role")?))
        .collect::<ApiResult<Vec<_>>>()?;
    roles.sort_by_key(|r| role_str(*r));
    tx.commit().await?;
    tracing::info!(user_id, by = %p.user_id, "PIN lockout lifted");
    Ok(UnlockReport {
        user_id: user_id.to_owned(),
        roles,
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
    hex::decode(row.get::<String>("value")?)
        .map_err(|e| ApiError::Internal(format!("refresh key: {e}")))
}

/// A value only the servers of this database can compute: HMAC-SHA256 under the server's
/// key of `purpose` and `parts`, each NUL-terminated (so no two lists give the same input).
pub(crate) async fn server_mac(tx: &mut Tx, purpose: &str, parts: &[&str]) -> ApiResult<Vec<u8>> {
    use hmac::{KeyInit, Mac};
    let key = refresh_key(tx).await?;
    let mut mac = hmac::Hmac::<sha2_011::Sha256>::new_from_slice(&key)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    for part in std::iter::once(purpose).chain(parts.iter().copied()) {
        mac.update(part.as_bytes());
        mac.update(&[0]);
    }
    Ok(mac.finalize().into_bytes().to_vec())
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

row_struct! {
    /// The session a refresh token (current or previous) names.
    struct RefreshRow {
        session_id: String,
        user_id: String,
        role: String,
        refresh_expires_at: i64,
        revoked: i64,
        device_id: String,
        refresh_hash: String,
        refreshed_at: i64,
        access_expires_at: i64,
    }
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
    let Some(row) = tx.one_as::<RefreshRow>(&sql, &[V::from(&hash)]).await? else {
        tx.commit().await?;
        return Err(ApiError::unauthorized(
            "invalid_token",
            "unknown refresh token",
        ));
    };
    let session_id = row.session_id.clone();
    // Every way out commits (or revokes and commits): on PostgreSQL that releases the row
    // lock now, not when the pooled connection is next used.
    if row.revoked != 0 {
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
            *id == row.device_id
                && tx
                    .one(
                        "SELECT token_hash FROM devices WHERE device_id = $1",
                        &[V::from(id)],
                    )
                    .await?
                    .map(|d| d.get::<String>("token_hash"))
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
    let role = parse_role(&row.role)?;
    let user_id = row.user_id.clone();
    if row.refresh_expires_at <= now {
        tx.commit().await?;
        return Err(ApiError::unauthorized(
            "refresh_expired",
            "refresh token expired; sign in again",
        ));
    }
    let key = refresh_key(&mut tx).await?;
    let (access, new_refresh) = derived_pair(&key, &session_id, &req.refresh_token)?;
    if row.refresh_hash != hash {
        // The previous token again. The same device shortly after the rotation: its answer
        // was lost; it gets the pair it missed. Anything else is a replay.
        let grace = i64::try_from(state.config.refresh_grace.as_millis()).unwrap_or(i64::MAX);
        let retry = same_device == Some(true)
            && now.saturating_sub(row.refreshed_at) <= grace
            && token_hash(&new_refresh) == row.refresh_hash;
        if !retry {
            return revoke(tx, session_id, reused()).await;
        }
        tx.commit().await?;
        return Ok(Session {
            access_token: access,
            expires_at: crate::ms_to_time(row.access_expires_at),
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

row_struct! {
    /// The session an access token names.
    struct AccessRow {
        session_id: String,
        device_id: String,
        user_id: String,
        role: String,
        station_id: String,
        access_expires_at: i64,
        revoked: bool,
    }
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
        // A read connection: checking a token waits for no write (issue 18).
        let mut tx = state.db.read().await?;
        let row: AccessRow = tx
            .one_as(
                "SELECT session_id, device_id, user_id, role, station_id, access_expires_at, revoked
                 FROM sessions WHERE access_hash = $1",
                &[V::from(token_hash(token))],
            )
            .await?
            .ok_or_else(|| ApiError::unauthorized("invalid_token", "unknown or replaced access token"))?;
        drop(tx);
        if row.revoked {
            return Err(ApiError::unauthorized(
                "session_revoked",
                "session was revoked; sign in again",
            ));
        }
        if row.access_expires_at <= state.now_ms() {
            return Err(ApiError::unauthorized(
                "token_expired",
                "access token expired; refresh it",
            ));
        }
        Ok(Principal {
            session_id: row.session_id,
            device_id: row.device_id,
            user_id: row.user_id,
            role: parse_role(&row.role)?,
            station_id: row.station_id,
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
        Role::Driver | Role::Flex => p.user_id == driver_id && p.station_id == station_id,
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
