-- The device engine: the planned tour (dispatch owns the plan columns), the state the
-- driver's actions produce (the driver owns state columns), the outbox of events, blob
-- files still to upload, the notification-card ledger and visible conflicts.

-- One row per tour ever loaded; meta.active_tour names the one on screen.
CREATE TABLE tour (
    tour_id      TEXT PRIMARY KEY NOT NULL,
    station_id   TEXT NOT NULL,
    station_name TEXT NOT NULL,
    station_lat  REAL NOT NULL,
    station_lon  REAL NOT NULL,
    driver_id    TEXT NOT NULL,
    date         TEXT NOT NULL,
    departure    TEXT,
    -- Change-feed position applied; advances only in the transaction that applies it.
    cursor       INTEGER NOT NULL
) STRICT;

CREATE TABLE stop (
    tour_id         TEXT NOT NULL REFERENCES tour (tour_id),
    stop_id         TEXT NOT NULL,
    sequence        INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    street          TEXT NOT NULL,
    house_number    TEXT NOT NULL,
    postcode        TEXT NOT NULL,
    city            TEXT NOT NULL,
    name            TEXT,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    access_notes    TEXT,
    tw_start        TEXT,
    tw_end          TEXT,
    service_seconds INTEGER NOT NULL,
    -- Removed by dispatch (kept for history; hidden from the tour).
    removed         INTEGER NOT NULL DEFAULT 0,
    -- Driver state.
    arrived_at      TEXT,
    skipped         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tour_id, stop_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stop_by_sequence ON stop (tour_id, sequence);

CREATE TABLE parcel (
    tour_id            TEXT NOT NULL,
    tracking_id        TEXT NOT NULL,
    stop_id            TEXT NOT NULL,
    tw_start           TEXT,
    tw_end             TEXT,
    depth_cm           REAL,
    height_cm          REAL,
    width_cm           REAL,
    no_neighbour       INTEGER NOT NULL,
    signature_required INTEGER NOT NULL,
    id_check           INTEGER NOT NULL,
    is_return          INTEGER NOT NULL,
    removed            INTEGER NOT NULL DEFAULT 0,
    -- Driver state: pending | delivered | failed | picked_up (a fold of the parcel's events).
    state              TEXT NOT NULL DEFAULT 'pending',
    attempts           INTEGER NOT NULL DEFAULT 0,
    -- Human summary of the latest outcome for the screens ("Neighbour: Bo, 7").
    outcome_summary    TEXT,
    outcome_event_id   TEXT,
    PRIMARY KEY (tour_id, tracking_id)
) STRICT, WITHOUT ROWID;
-- Covers the per-stop counts of the overview and the "first open stop" lookup.
CREATE INDEX parcel_by_stop ON parcel (tour_id, stop_id, removed, state);

-- Returns handed over at a stop that were not in the plan.
CREATE TABLE unplanned_return (
    event_id TEXT PRIMARY KEY NOT NULL,
    tour_id  TEXT NOT NULL,
    stop_id  TEXT NOT NULL,
    label    TEXT NOT NULL,
    undone   INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The outbox and the history: every driver action, never edited or deleted.
-- seq is gap-free (assigned as max+1 inside the action's transaction).
CREATE TABLE event (
    seq         INTEGER PRIMARY KEY NOT NULL,
    event_id    TEXT NOT NULL UNIQUE,
    tour_id     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    stop_id     TEXT,
    tracking_id TEXT,
    recorded_at TEXT NOT NULL,
    -- The EventEnvelope as JSON, exactly as it will be sent.
    envelope    TEXT NOT NULL,
    -- Set when a later OutcomeUndone compensates this event (derived, replayable).
    undone_by   TEXT
) STRICT;
CREATE INDEX event_by_parcel ON event (tour_id, tracking_id);

-- Events the server refused on validation (reported, skipped, kept visible).
CREATE TABLE event_rejection (
    seq     INTEGER PRIMARY KEY NOT NULL REFERENCES event (seq),
    code    TEXT NOT NULL,
    message TEXT NOT NULL
) STRICT;

-- Photo and signature files, named by SHA-256, beside the database.
CREATE TABLE blob (
    sha256      TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    first_seq   INTEGER NOT NULL,
    uploaded    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX blob_pending ON blob (uploaded, first_seq);

-- Notification cards issued to the driver; a number is used at most once, ever.
CREATE TABLE card (
    number        TEXT PRIMARY KEY NOT NULL,
    issued_at     TEXT NOT NULL,
    used_event_id TEXT,
    tracking_id   TEXT
) STRICT;

-- Clashes between dispatch's changes and the driver's recorded outcomes.
CREATE TABLE conflict (
    id          INTEGER PRIMARY KEY,
    tour_id     TEXT NOT NULL,
    cursor      INTEGER NOT NULL,
    stop_id     TEXT,
    tracking_id TEXT,
    message     TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
