-- Service visits (issue 14). A service stop's checklist is plan data, owned by dispatch like
-- the rest of the stop row: lastmile_protocol::service::ServiceItemDto list as JSON.
ALTER TABLE stop ADD COLUMN checklist TEXT;
-- The driver's record of a visit, one row per service stop once started: the start, and at
-- the finish the items answered (ServiceItemResultDto list as JSON), the customer's name and
-- the proof files. Derived from the stop's service events; undo of the finish clears it.
CREATE TABLE service_visit (
    tour_id           TEXT NOT NULL,
    stop_id           TEXT NOT NULL,
    started_at        TEXT NOT NULL,
    started_event_id  TEXT NOT NULL,
    finished_at       TEXT,
    finished_event_id TEXT,
    items             TEXT,
    customer_name     TEXT,
    photo_sha256      TEXT,
    signature_sha256  TEXT,
    PRIMARY KEY (tour_id, stop_id)
) STRICT, WITHOUT ROWID;
