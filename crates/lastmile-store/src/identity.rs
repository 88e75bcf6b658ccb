//! Who this device is, kept in the same database as the outbox it sends.
//!
//! The outbox is a per-device stream: its events carry the device id and a gap-free sequence.
//! So the device id and the token that proves it live here, written in one transaction, as
//! durable as the events themselves (`credentials.json` in the app's folder is a copy). If they
//! are lost anyway, the *stream key* re-binds the outbox: a random secret created with the
//! database, whose hash the device registers with the server once enrolled. A freshly enrolled
//! device that presents the key takes over the old device id's stream (server
//! `POST /v1/devices/rebind`); without the database file nobody has the key.
//!
//! The person signed in is kept here too: every event records who recorded it, so on a shared
//! handheld the next driver's session can send the previous driver's queued work as theirs.

use lastmile_protocol::events::Person;
use rand::RngCore;
use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError};

/// The device's enrolment: its id at the server and the token that proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub device_id: String,
    pub device_token: String,
}

/// Queued events of a person other than the one signed in (shared handhelds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OthersPending {
    pub user_id: String,
    pub events: u64,
}

impl Store {
    /// The enrolment kept with the outbox, if the device has one.
    pub fn identity(&self) -> Result<Option<Identity>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT device_id, device_token FROM identity WHERE id = 1",
                [],
                |r| {
                    Ok(Identity {
                        device_id: r.get(0)?,
                        device_token: r.get(1)?,
                    })
                },
            )
            .optional()?
            .filter(|i| i.device_id == self.device_id))
    }

    /// Keeps the enrolment (device id and token) in one transaction with the device id the
    /// events are sent under. A different device id is refused once events exist under the
    /// current one: those events keep their stream (see [`Store::needs_rebind`]).
    pub fn save_identity(&mut self, identity: &Identity) -> Result<(), StoreError> {
        let now = self.now().to_rfc3339();
        let tx = self.conn.transaction()?;
        if identity.device_id != self.device_id {
            let events: i64 = tx.query_row("SELECT count(*) FROM event", [], |r| r.get(0))?;
            if events > 0 {
                return Err(StoreError::StreamInUse {
                    device_id: self.device_id.clone(),
                    events: events as u64,
                });
            }
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('device_id', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&identity.device_id],
        )?;
        tx.execute(
            "INSERT INTO identity (id, device_id, device_token, saved_at) VALUES (1, ?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET device_id = excluded.device_id,
               device_token = excluded.device_token, saved_at = excluded.saved_at",
            params![identity.device_id, identity.device_token, now],
        )?;
        tx.commit()?;
        self.device_id = identity.device_id.clone();
        Ok(())
    }

    /// Events are recorded under a device id whose token this device no longer has: a new
    /// enrolment must re-bind to that id (with [`Store::stream_key`]) instead of replacing it.
    pub fn needs_rebind(&self) -> Result<bool, StoreError> {
        if self.identity()?.is_some() || self.device_id == self.install_id()? {
            return Ok(false);
        }
        let events: i64 = self
            .conn
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))?;
        Ok(events > 0)
    }

    /// The secret that proves this database's stream to the server (64 hex digits).
    pub fn stream_key(&self) -> Result<String, StoreError> {
        self.meta("stream_key")?
            .ok_or_else(|| StoreError::Internal("the stream key is missing".into()))
    }

    /// SHA-256 of the stream key: what the server keeps.
    pub fn stream_key_hash(&self) -> Result<String, StoreError> {
        Ok(crate::blobs::sha256_hex(self.stream_key()?.as_bytes()))
    }

    /// Whether the server holds the stream key's hash for the current device id.
    pub fn stream_key_registered(&self) -> Result<bool, StoreError> {
        Ok(self.meta("stream_key_registered_for")?.as_deref() == Some(self.device_id.as_str()))
    }

    /// The server confirmed it holds the stream key's hash for the current device id.
    pub fn mark_stream_key_registered(&mut self) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES ('stream_key_registered_for', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [&self.device_id],
        )?;
        Ok(())
    }

    /// The person signed in; every event recorded from now on names them.
    pub fn set_person(&mut self, person: Option<&Person>) -> Result<(), StoreError> {
        match person {
            Some(p) => {
                let json = serde_json::to_string(p)
                    .map_err(|e| StoreError::Internal(format!("person to JSON: {e}")))?;
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('person', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [json],
                )?;
            }
            None => {
                self.conn
                    .execute("DELETE FROM meta WHERE key = 'person'", [])?;
            }
        }
        self.person = person.cloned();
        Ok(())
    }

    /// The person events are recorded for.
    pub fn person(&self) -> Option<&Person> {
        self.person.as_ref()
    }

    /// Unacknowledged events recorded by people other than `user_id`, per person: the work of
    /// the previous driver on a shared device, still being sent.
    pub fn pending_of_others(&self, user_id: &str) -> Result<Vec<OthersPending>, StoreError> {
        let acked = self.acked_seq()?;
        let rows = self
            .conn
            .prepare_cached(
                "SELECT recorded_by, count(*) FROM event
                 WHERE seq > ?1 AND recorded_by IS NOT NULL AND recorded_by <> ?2
                 GROUP BY recorded_by ORDER BY min(seq)",
            )?
            .query_map(params![acked as i64, user_id], |r| {
                Ok(OthersPending {
                    user_id: r.get(0)?,
                    events: r.get::<_, i64>(1)? as u64,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    pub(crate) fn load_person(&self) -> Result<Option<Person>, StoreError> {
        Ok(self
            .meta("person")?
            .and_then(|json| serde_json::from_str(&json).ok()))
    }

    pub(crate) fn ensure_stream_key(&self) -> Result<(), StoreError> {
        if self.meta("stream_key")?.is_none() {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            self.conn.execute(
                "INSERT INTO meta (key, value) VALUES ('stream_key', ?1)",
                [hex::encode(bytes)],
            )?;
        }
        Ok(())
    }
}
