-- Retention of proof and personal fields, and the audit trail of reads (issue 16).
-- Kept column-for-column equal between sqlite_008_retention.sql and postgres_008_retention.sql.
-- Times are the server's clock, unix ms.

-- When an event's personal fields (names, notes, descriptions) were removed from body_json;
-- the kind, parcel, outcome, times and blob hashes stay.
ALTER TABLE events ADD COLUMN redacted_at BIGINT;
CREATE INDEX events_unredacted ON events (received_at) WHERE redacted_at IS NULL;
-- When a tour's plan lost its recipients' names, streets, house numbers and access notes.
ALTER TABLE tours ADD COLUMN redacted_at BIGINT;

-- Blobs whose bytes were purged: their hash and size stay (event_blobs keeps who named them),
-- so they are neither reported missing nor asked for again.
CREATE TABLE purged_blobs (sha256 TEXT PRIMARY KEY NOT NULL, size BIGINT NOT NULL, purged_at BIGINT NOT NULL);

-- Every read of a driver's proof or day by someone other than that driver: who, what, when.
CREATE TABLE audit_log (id BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL,
  actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, station_id TEXT NOT NULL, driver_id TEXT NOT NULL,
  what TEXT NOT NULL, target TEXT NOT NULL);
CREATE INDEX audit_log_station ON audit_log (station_id, id);
