-- Device identity: re-binding a device's event stream, and the person on every event.
-- Kept column-for-column equal between sqlite_004_identity.sql and postgres_004_identity.sql.

-- SHA-256 of the device's stream key (a secret kept in the device's database with its
-- outbox). A freshly enrolled device of the same station that presents the key takes over
-- this device id's stream when the device lost its credentials but kept its events.
ALTER TABLE devices ADD COLUMN stream_key_hash TEXT;

-- Who signed in on which device. An event names the person who recorded it; it is judged by
-- that person's rights only if they had a session on the uploading device.
CREATE TABLE device_people (device_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
  first_seen_at INTEGER NOT NULL, PRIMARY KEY (device_id, user_id, role));
INSERT INTO device_people (device_id, user_id, role, first_seen_at)
  SELECT DISTINCT device_id, user_id, role, 0 FROM sessions;

-- Which enrolment took over which device's stream, and when.
CREATE TABLE device_rebinds (old_device_id TEXT NOT NULL, new_device_id TEXT NOT NULL, rebound_at INTEGER NOT NULL,
  PRIMARY KEY (old_device_id, new_device_id));

-- The person an event was judged for (NULL in rows written before this version).
ALTER TABLE events ADD COLUMN recorded_by TEXT;
