-- PostgreSQL flavour. Dispatch views as projections (issue 18). Kept column-for-column equal between
-- sqlite_009_projections.sql and postgres_009_projections.sql; both are followed by their
-- *_009_projections_backfill.sql (run by the migration, and by `progress::rebuild`).
-- Written only by crate::progress, in the transaction that applies the event or edits the
-- plan, so they are exactly-once like the events themselves.

-- Every applied outcome (delivered, failed, return picked up, stop skipped) of a tour, with
-- the order dispatch's fold uses (received_at, device_id, seq) and whether an undo took it back.
-- tracking_id: the parcel of a delivery or a failed attempt, NULL for the other two.
CREATE TABLE tour_outcomes (event_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, stop_id TEXT NOT NULL,
  tracking_id TEXT, kind TEXT NOT NULL, conflict BIGINT NOT NULL, undone BIGINT NOT NULL,
  received_at BIGINT NOT NULL, device_id TEXT NOT NULL, seq BIGINT NOT NULL);
-- A parcel's standing outcome is one seek (read backwards), whatever its history; so is
-- whether a stop is skipped.
CREATE INDEX tour_outcomes_parcel ON tour_outcomes (tour_id, tracking_id, undone, received_at, device_id, seq);
CREATE INDEX tour_outcomes_stop ON tour_outcomes (tour_id, stop_id, kind, undone);
-- Service stops whose visit was finished (`ServiceFinished` applied).
CREATE TABLE tour_services_done (tour_id TEXT NOT NULL, stop_id TEXT NOT NULL, PRIMARY KEY (tour_id, stop_id));
-- Each tour's progress as `GET /v1/dispatch/tours` lists it (all but the missing blobs, which
-- the list counts as it reads: an arriving blob must not race an applying batch).
-- A tour without a row (a database from before 009) is filled in when the server starts.
CREATE TABLE tour_progress (tour_id TEXT PRIMARY KEY NOT NULL, stops_total BIGINT NOT NULL,
  stops_done BIGINT NOT NULL, parcels_total BIGINT NOT NULL, delivered BIGINT NOT NULL, failed BIGINT NOT NULL,
  returns_picked_up BIGINT NOT NULL, rejected_events BIGINT NOT NULL, conflicts BIGINT NOT NULL,
  last_event_received_at BIGINT, cursor BIGINT NOT NULL);
