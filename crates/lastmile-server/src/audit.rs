//! The audit trail (issue 16): who read a driver's proof or day, what, when. The read handlers
//! call [`record`] in the transaction that reads, so a read that answers is a read that is
//! logged; a driver reading their own is not. Station leads read their station's entries
//! ([`list`]); nobody else can.

use lastmile_protocol::audit::{AuditEntry, AuditRead};
use lastmile_protocol::auth::Role;

use crate::auth::{Principal, role_str};
use crate::db::{Tx, V, row_struct};
use crate::error::{ApiError, ApiResult};
use crate::{ServerState, ms_to_time};

fn read_str(what: AuditRead) -> &'static str {
    match what {
        AuditRead::Proof => "proof",
        AuditRead::Tour => "tour",
        AuditRead::Day => "day",
    }
}

/// Logs that `p` read `what` (`target`) of `driver_id` at `station_id`, unless `p` is that
/// driver.
pub async fn record(
    tx: &mut Tx,
    state: &ServerState,
    p: &Principal,
    station_id: &str,
    driver_id: &str,
    what: AuditRead,
    target: &str,
) -> ApiResult<()> {
    if matches!(p.role, Role::Driver | Role::Flex) && p.user_id == driver_id {
        return Ok(());
    }
    tx.exec(
        "INSERT INTO audit_log (at, actor_id, actor_role, station_id, driver_id, what, target)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            V::I(state.now_ms()),
            V::from(&p.user_id),
            V::from(role_str(p.role)),
            V::from(station_id),
            V::from(driver_id),
            V::from(read_str(what)),
            V::from(target),
        ],
    )
    .await?;
    Ok(())
}

row_struct! {
    struct AuditRow {
        id: i64,
        at: i64,
        actor_id: String,
        actor_role: String,
        driver_id: String,
        what: String,
        target: String,
    }
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> ApiResult<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| ApiError::Internal(format!("audit row holds {s:?}: {e}")))
}

/// `GET /v1/station/audit`: the reads of the lead's station, newest first; `driver_id`
/// narrows to one driver, `limit` (default 200, at most 1,000) caps the count.
pub async fn list(
    state: &ServerState,
    p: &Principal,
    driver_id: Option<&str>,
    limit: Option<u32>,
) -> ApiResult<Vec<AuditEntry>> {
    if p.role != Role::Station {
        return Err(ApiError::forbidden(
            "not_station_lead",
            "only the station lead reads the audit trail",
        ));
    }
    let limit = i64::from(limit.unwrap_or(200).clamp(1, 1000));
    let mut tx = state.db.begin().await?;
    let rows: Vec<AuditRow> = tx
        .query_as(
            "SELECT id, at, actor_id, actor_role, driver_id, what, target FROM audit_log
              WHERE station_id = $1 AND ($2 = '' OR driver_id = $2)
              ORDER BY id DESC LIMIT $3",
            &[
                V::from(&p.station_id),
                V::from(driver_id.unwrap_or("")),
                V::I(limit),
            ],
        )
        .await?;
    tx.commit().await?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.id,
                at: ms_to_time(r.at),
                actor_id: r.actor_id,
                actor_role: parse(&r.actor_role)?,
                driver_id: r.driver_id,
                what: parse(&r.what)?,
                target: r.target,
            })
        })
        .collect()
}
