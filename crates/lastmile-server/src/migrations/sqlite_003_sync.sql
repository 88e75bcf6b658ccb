-- Sync hardening (issue 10: retry-safe refresh, device-scoped blob uploads).
-- Kept column-for-column equal to postgres_003_sync.sql.
--
-- sessions.refreshed_at: when the refresh token was last rotated. Within the grace period
-- the previous refresh token, presented again by the same device, gets the same new pair
-- (derived with the server's HMAC key, kept in server_meta as 'refresh_key').
ALTER TABLE sessions ADD COLUMN refreshed_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX sessions_prev_refresh_hash_003 ON sessions (prev_refresh_hash);
-- Blob reads and upload rights are looked up by hash and by uploader.
CREATE INDEX event_blobs_sha256_003 ON event_blobs (sha256);
CREATE INDEX blobs_uploaded_by_003 ON blobs (uploaded_by);
-- Partial uploads belong to the device that sends them: another device's upload of the same
-- hash (or a wrong total) cannot block it. In-flight partial uploads are dropped here; the
-- devices still have the files and start those uploads over.
DROP TABLE blob_chunks;
DROP TABLE blob_uploads;
CREATE TABLE blob_uploads (sha256 TEXT NOT NULL, device_id TEXT NOT NULL, content_type TEXT NOT NULL,
  total INTEGER NOT NULL, received INTEGER NOT NULL, started_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (sha256, device_id));
CREATE INDEX blob_uploads_device_003 ON blob_uploads (device_id);
CREATE INDEX blob_uploads_updated_003 ON blob_uploads (updated_at);
CREATE TABLE blob_chunks (sha256 TEXT NOT NULL, device_id TEXT NOT NULL, start_offset INTEGER NOT NULL, data BLOB NOT NULL,
  PRIMARY KEY (sha256, device_id, start_offset));
