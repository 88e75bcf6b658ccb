//! Numbered, append-only schema migrations, embedded in the binary.
//!
//! `PRAGMA user_version` holds the number of applied migrations. Each migration runs in
//! its own transaction together with the bump of `user_version`, so a crash leaves the
//! database at a whole version. Devices run old app versions for months: never edit or
//! reorder an entry, only append (the history test in this module upgrades every past
//! version to the latest; `tests/engine/migrations.rs` does so with a day's data written at
//! each version: extend its `seed` when a migration adds a table or column).

use rusqlite::Connection;

use crate::StoreError;

/// All migrations in order; index + 1 is the schema version after applying it.
pub const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_meta.sql"),
    include_str!("migrations/0002_engine.sql"),
    include_str!("migrations/0003_stop_route.sql"),
    include_str!("migrations/0004_identity.sql"),
    include_str!("migrations/0005_station.sql"),
    include_str!("migrations/0006_ride.sql"),
    include_str!("migrations/0007_conflict_ack.sql"),
    // Service visits (issue 14).
    include_str!("migrations/0008_service.sql"),
];

/// The schema version this build writes.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// Current schema version of an open database.
pub fn version(conn: &Connection) -> Result<u32, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the database up to [`latest_version`], one transaction per migration.
pub fn migrate(conn: &mut Connection) -> Result<u32, StoreError> {
    migrate_to(conn, latest_version())
}

/// Applies migrations up to `target` (tests use this to build every past schema version).
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32, StoreError> {
    let current = version(conn)?;
    if current > latest_version() {
        return Err(StoreError::SchemaTooNew {
            found: current,
            supported: latest_version(),
        });
    }
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .take(target as usize)
        .skip(current as usize)
    {
        let next = index as u32 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", next)?;
        tx.commit()?;
        tracing::info!(version = next, "applied migration");
    }
    version(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_past_version_upgrades_to_latest() {
        for start in 0..=latest_version() {
            let mut conn = Connection::open_in_memory().unwrap();
            assert_eq!(migrate_to(&mut conn, start).unwrap(), start);
            assert_eq!(
                migrate(&mut conn).unwrap(),
                latest_version(),
                "from version {start}"
            );
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert!(tables >= 1);
        }
    }

    #[test]
    fn a_newer_database_is_refused_not_downgraded() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
    }
}
