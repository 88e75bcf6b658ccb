-- Supervisor ride-along (issue #13). The supervisor's phone keeps the driver's tour (the usual
-- tour tables, downloaded for that driver) and its own ride-along records here; the events
-- that carry them go through the same outbox, exactly once. The driver's phone keeps the
-- records about its driver as the server last sent them, and its own answers.

-- A ride-along this device recorded (as supervisor). Status as far as this device knows:
-- running, awaiting_driver (the supervisor signed here), or what the server said later.
CREATE TABLE ride_along (
    ride_along_id    TEXT PRIMARY KEY NOT NULL,
    tour_id          TEXT NOT NULL,
    supervisor_id    TEXT NOT NULL,
    driver_id        TEXT NOT NULL,
    status           TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    template_id      TEXT,
    template_version INTEGER,
    coaching_notes   TEXT,
    signed_at        TEXT
) STRICT;

CREATE TABLE ride_observation (
    event_id      TEXT PRIMARY KEY NOT NULL,
    ride_along_id TEXT NOT NULL REFERENCES ride_along (ride_along_id),
    stop_id       TEXT,
    category      TEXT NOT NULL,
    text          TEXT NOT NULL,
    photo_sha256  TEXT,
    recorded_at   TEXT NOT NULL
) STRICT;
CREATE INDEX ride_observation_ride ON ride_observation (ride_along_id);

-- The standing grade per item (a later grade replaces it, as on the server).
CREATE TABLE ride_grade (
    ride_along_id TEXT NOT NULL REFERENCES ride_along (ride_along_id),
    item_id       TEXT NOT NULL,
    grade         TEXT NOT NULL,
    note          TEXT,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (ride_along_id, item_id)
) STRICT;

CREATE TABLE ride_assist (
    ride_along_id TEXT NOT NULL REFERENCES ride_along (ride_along_id),
    stop_id       TEXT NOT NULL,
    what          TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (ride_along_id, stop_id)
) STRICT;

-- What the server last said, kept for offline use: the station's checklist template
-- ('template'), the driver's outcomes on the followed tour ('outcomes:<tour>'), the
-- records about the signed-in driver ('records'). JSON of the protocol types.
CREATE TABLE ride_cache (
    key        TEXT PRIMARY KEY NOT NULL,
    json       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
) STRICT;

-- The driver's answer to a record, recorded on the driver's phone (sent as an event).
CREATE TABLE ride_answer (
    ride_along_id     TEXT PRIMARY KEY NOT NULL,
    signed            INTEGER NOT NULL,
    comment           TEXT,
    signature_sha256  TEXT,
    answered_at       TEXT NOT NULL
) STRICT;
