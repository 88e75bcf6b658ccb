-- Access (issue #10): PIN lockouts with backoff per person and per device, expiring
-- enrolment codes, and indexes for refresh-token reuse checks and the session purge.
ALTER TABLE users ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN lockouts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN failed_pins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN locked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN lockouts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE enrolment_codes ADD COLUMN expires_at BIGINT;
CREATE INDEX sessions_prev_refresh ON sessions (prev_refresh_hash);
CREATE INDEX sessions_refresh_expiry ON sessions (refresh_expires_at);
