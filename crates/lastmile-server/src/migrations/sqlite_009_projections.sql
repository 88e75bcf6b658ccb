-- Dispatch views as projections (issue 18). Kept column-for-column equal between
-- sqlite_009_projections.sql and postgres_009_projections.sql; both are followed by their
-- *_009_projections_backfill.sql (run by the migration, and by `progress::rebuild`).
-- Written only by crate::progress, in the transaction that applies the event or edits the
-- plan, so they are exactly-once like the events themselves.

-- Every applied outcome (delivered, failed, return picked up, stop skipped) of a tour, with
-- the order dispatch's fold uses (received_at, device_id, seq) and whether an undo took it back.
-- tracking_id: the parcel of a delivery or a failed attempt, NULL for the other two.
CREATE TABLE tour_outcomes (event_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, stop_id TEXT NOT NULL,
  tracking_id TEXT, kind TEXT NOT NULL, conflict INTEGER NOT NULL, undone INTEGER NOT NULL,
  received_at INTEGER NOT NULL, device_id TEXT NOT NULL, seq INTEGER NOT NULL);
-- A parcel's standing outcome is one seek (read backwards), whatever its history; so is
-- whether a stop is skipped.
CREATE INDEX tour_outcomes_parcel ON tour_outcomes (tour_id, tracking_id, undone, received_at, device_id, seq);
CREATE INDEX tour_outcomes_stop ON tour_outcomes (tour_id, stop_id, kind, undone);
-- Service stops whose visit was finished (`ServiceFinished` applied).
CREATE TABLE tour_services_done (tour_id TEXT NOT NULL, stop_id TEXT NOT NULL, PRIMARY KEY (tour_id, stop_id));
-- Each tour's progress as `GET /v1/dispatch/tours` lists it (all but the missing blobs, which
-- the list counts as it reads: an arriving blob must not race an applying batch).
-- A tour without a row (a database from before 009) is filled in when the server starts.
CREATE TABLE tour_progress (tour_id TEXT PRIMARY KEY NOT NULL, stops_total INTEGER NOT NULL,
  stops_done INTEGER NOT NULL, parcels_total INTEGER NOT NULL, delivered INTEGER NOT NULL, failed INTEGER NOT NULL,
  returns_picked_up INTEGER NOT NULL, rejected_events INTEGER NOT NULL, conflicts INTEGER NOT NULL,
  last_event_received_at INTEGER, cursor INTEGER NOT NULL);
