//! Admin seeding: stations, enrolment codes, people (PINs hashed) and tours, from a
//! [`Seed`]. Used by `lastmile-server seed --file seed.json` and `POST /v1/admin/seed`.
//!
//! An upsert in one transaction: re-running a seed resets codes' remaining uses, PINs and
//! lockouts, and leaves existing tours alone (their plan belongs to dispatch by then).

use lastmile_protocol::admin::{GeneratedCode, Seed, SeedReport};
use lastmile_protocol::auth::Role;

use crate::ServerState;
use crate::auth::{GENERATED_CODE_TTL_DAYS, hash_pin, new_enrolment_code, role_str};
use crate::db::V;
use crate::error::{ApiError, ApiResult};
use crate::tours::insert_tour;

#[tracing::instrument(skip_all, err)]
pub async fn apply(state: &ServerState, seed: &Seed) -> ApiResult<SeedReport> {
    // Hash before the transaction: argon2 is deliberately slow. One blocking task per core,
    // each hashing its share in turn (argon2 takes 8 MiB per hash in flight, so not one task
    // per person).
    if let Some(u) = seed
        .users
        .iter()
        .find(|u| u.pin.len() < 4 || u.pin.len() > 64)
    {
        return Err(ApiError::bad_request(
            "bad_pin",
            format!("PIN of {} must have 4..64 characters", u.user_id),
        ));
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = seed.users.len().div_ceil(cores).max(1);
    let jobs: Vec<_> = seed
        .users
        .chunks(share)
        .map(|people| {
            let pins: Vec<String> = people.iter().map(|u| u.pin.clone()).collect();
            tokio::task::spawn_blocking(move || {
                pins.iter()
                    .map(|p| hash_pin(p))
                    .collect::<ApiResult<Vec<_>>>()
            })
        })
        .collect();
    let mut hashed = Vec::with_capacity(seed.users.len());
    for job in jobs {
        hashed.extend(job.await.map_err(|e| ApiError::Internal(e.to_string()))??);
    }
    let mut report = SeedReport::default();
    let mut tx = state.db.begin().await?;
    for s in &seed.stations {
        tx.exec(
            "INSERT INTO stations (station_id, name, lat, lon) VALUES ($1, $2, $3, $4)
             ON CONFLICT (station_id) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon",
            &[V::from(&s.station_id), V::from(&s.name), V::F(s.position.lat), V::F(s.position.lon)],
        )
        .await?;
        report.stations += 1;
        for c in &s.enrolment_codes {
            // No code given: draw one (random, expiring); a given one is kept as it is.
            let (code, expires_at) = if c.code.trim().is_empty() {
                let expires = c.expires_at.unwrap_or_else(|| {
                    state.now() + chrono::Duration::days(GENERATED_CODE_TTL_DAYS)
                });
                let code = new_enrolment_code();
                report.generated_codes.push(GeneratedCode {
                    station_id: s.station_id.clone(),
                    code: code.clone(),
                    max_uses: c.max_uses,
                    expires_at: expires,
                });
                (code, Some(expires))
            } else {
                (c.code.clone(), c.expires_at)
            };
            tx.exec(
                "INSERT INTO enrolment_codes (code, station_id, uses_left, expires_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (code) DO UPDATE SET station_id = excluded.station_id, uses_left = excluded.uses_left,
                   expires_at = excluded.expires_at",
                &[
                    V::from(code),
                    V::from(&s.station_id),
                    V::I(i64::from(c.max_uses)),
                    expires_at.map_or(V::N, |t| V::I(t.timestamp_millis())),
                ],
            )
            .await?;
            report.enrolment_codes += 1;
        }
    }
    for (u, pin_hash) in seed.users.iter().zip(hashed) {
        if tx
            .one(
                "SELECT 1 FROM stations WHERE station_id = $1",
                &[V::from(&u.station_id)],
            )
            .await?
            .is_none()
        {
            return Err(ApiError::bad_request(
                "unknown_station",
                format!("station {} of {} is not seeded", u.station_id, u.user_id),
            ));
        }
        tx.exec(
            "INSERT INTO users (user_id, role, station_id, pin_hash, name, failed_pins) VALUES ($1, $2, $3, $4, $5, 0)
             ON CONFLICT (user_id, role) DO UPDATE SET station_id = excluded.station_id, pin_hash = excluded.pin_hash,
               name = excluded.name, failed_pins = 0, locked_until = 0, lockouts = 0",
            &[V::from(&u.user_id), V::from(role_str(u.role)), V::from(&u.station_id), V::from(pin_hash), V::from(u.name.clone())],
        )
        .await?;
        if u.role == Role::Supervisor {
            tx.exec(
                "DELETE FROM rides_with WHERE supervisor_id = $1",
                &[V::from(&u.user_id)],
            )
            .await?;
            for d in &u.rides_with {
                tx.exec(
                    "INSERT INTO rides_with (supervisor_id, driver_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    &[V::from(&u.user_id), V::from(d)],
                )
                .await?;
            }
        }
        report.users += 1;
    }
    crate::station::seed(&mut tx, seed, &mut report).await?;
    for t in &seed.tours {
        lastmile_import::own::validate(t)
            .map_err(|e| ApiError::bad_request("bad_tour", e.to_string()))?;
        if insert_tour(&mut tx, t).await? {
            report.tours += 1;
        }
    }
    tx.commit().await?;
    Ok(report)
}
