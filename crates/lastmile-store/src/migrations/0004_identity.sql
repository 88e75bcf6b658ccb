-- Who this device is at the server, kept with the outbox it sends: losing credentials.json
-- must not strand the queued events. One row (id = 1); `device_id` equals meta.device_id.
CREATE TABLE identity (
    id           INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    device_id    TEXT NOT NULL,
    device_token TEXT NOT NULL,
    saved_at     TEXT NOT NULL
) STRICT;

-- The person signed in when the event was recorded (user id; NULL for events of older
-- versions, which the server attributes to the uploading session as before).
ALTER TABLE event ADD COLUMN recorded_by TEXT;
