-- Lastmile server schema, SQLite flavour. Times are unix milliseconds (server clock) unless
-- named *_json. Kept column-for-column equal to postgres_001.sql so one set of queries serves both.
CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
INSERT INTO counters (name, value) VALUES ('feed', 0);
CREATE TABLE stations (station_id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL);
CREATE TABLE enrolment_codes (code TEXT PRIMARY KEY NOT NULL, station_id TEXT NOT NULL, uses_left INTEGER NOT NULL);
CREATE TABLE devices (device_id TEXT PRIMARY KEY NOT NULL, token_hash TEXT NOT NULL, station_id TEXT NOT NULL,
  name TEXT NOT NULL, enrolled_at INTEGER NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0, last_seen_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE users (user_id TEXT NOT NULL, role TEXT NOT NULL, station_id TEXT NOT NULL, pin_hash TEXT NOT NULL,
  name TEXT, failed_pins INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user_id, role));
CREATE TABLE rides_with (supervisor_id TEXT NOT NULL, driver_id TEXT NOT NULL, PRIMARY KEY (supervisor_id, driver_id));
CREATE TABLE sessions (session_id TEXT PRIMARY KEY NOT NULL, device_id TEXT NOT NULL, user_id TEXT NOT NULL,
  role TEXT NOT NULL, station_id TEXT NOT NULL, access_hash TEXT NOT NULL UNIQUE, access_expires_at INTEGER NOT NULL,
  refresh_hash TEXT NOT NULL UNIQUE, prev_refresh_hash TEXT, refresh_expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE tours (tour_id TEXT PRIMARY KEY NOT NULL, station_id TEXT NOT NULL, driver_id TEXT NOT NULL,
  tour_date TEXT NOT NULL, plan_json TEXT NOT NULL, cursor INTEGER NOT NULL);
CREATE INDEX tours_driver ON tours (driver_id, tour_date);
CREATE INDEX tours_station ON tours (station_id, tour_date);
CREATE TABLE removed_stops (tour_id TEXT NOT NULL, stop_id TEXT NOT NULL, stop_json TEXT NOT NULL, cursor INTEGER NOT NULL,
  PRIMARY KEY (tour_id, stop_id));
CREATE TABLE change_sets (cursor INTEGER PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, changes_json TEXT NOT NULL, committed_at INTEGER NOT NULL);
CREATE TABLE events (event_id TEXT PRIMARY KEY NOT NULL, device_id TEXT NOT NULL, seq INTEGER NOT NULL,
  tour_id TEXT NOT NULL, kind TEXT NOT NULL, stop_id TEXT, tracking_id TEXT, status TEXT NOT NULL, reject_code TEXT, reject_message TEXT,
  conflict TEXT, recorded_at INTEGER NOT NULL, recorded_at_text TEXT NOT NULL, received_at INTEGER NOT NULL,
  clock_offset_ms INTEGER NOT NULL, body_json TEXT NOT NULL, UNIQUE (device_id, seq));
CREATE INDEX events_tour ON events (tour_id, status);
CREATE TABLE event_blobs (sha256 TEXT NOT NULL, event_id TEXT NOT NULL, device_id TEXT NOT NULL, tour_id TEXT NOT NULL,
  kind TEXT NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY (event_id, sha256));
CREATE INDEX event_blobs_device ON event_blobs (device_id);
CREATE INDEX event_blobs_tour ON event_blobs (tour_id);
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL,
  data BLOB NOT NULL, uploaded_by TEXT NOT NULL, completed_at INTEGER NOT NULL);
CREATE TABLE blob_uploads (sha256 TEXT PRIMARY KEY NOT NULL, content_type TEXT NOT NULL, total INTEGER NOT NULL,
  received INTEGER NOT NULL, started_at INTEGER NOT NULL);
CREATE TABLE blob_chunks (sha256 TEXT NOT NULL, start_offset INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (sha256, start_offset));
