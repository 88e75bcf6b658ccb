-- The station tablet (issue 12): fleet, inspection templates and results, holds, card
-- stacks, load-out and return scans, discrepancies and close-outs. Rows are written when the
-- event that records them is applied (in the same transaction), so they are exactly-once too.
-- Kept column-for-column equal between sqlite_005_station.sql and postgres_005_station.sql.

-- The fleet of a station, seeded through the admin seed.
CREATE TABLE vehicles (station_id TEXT NOT NULL, plate TEXT NOT NULL, label TEXT NOT NULL,
  PRIMARY KEY (station_id, plate));

-- Inspection checklists as data, versioned per station; a result names the version it followed.
CREATE TABLE inspection_templates (station_id TEXT NOT NULL, template_id TEXT NOT NULL, version INTEGER NOT NULL,
  template_json TEXT NOT NULL, PRIMARY KEY (station_id, template_id, version));

-- One row per tour the station has seen the driver for: check-in and the current vehicle.
CREATE TABLE station_days (tour_id TEXT PRIMARY KEY NOT NULL, station_id TEXT NOT NULL, driver_id TEXT NOT NULL,
  day TEXT NOT NULL, checked_in_at INTEGER, plate TEXT);
CREATE INDEX station_days_station ON station_days (station_id, day);

-- Inspections (pre- and post-trip) with their items.
CREATE TABLE inspections (event_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, station_id TEXT NOT NULL,
  plate TEXT NOT NULL, driver_id TEXT NOT NULL, phase TEXT NOT NULL, template_id TEXT NOT NULL,
  template_version INTEGER NOT NULL, items_json TEXT NOT NULL, passed INTEGER NOT NULL, recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL);
CREATE INDEX inspections_tour ON inspections (tour_id);

-- Defects found, carried over on the vehicle until marked repaired.
CREATE TABLE vehicle_defects (event_id TEXT NOT NULL, item_id TEXT NOT NULL, station_id TEXT NOT NULL,
  plate TEXT NOT NULL, tour_id TEXT NOT NULL, safety INTEGER NOT NULL, note TEXT, found_by TEXT NOT NULL,
  found_at INTEGER NOT NULL, repaired_event_id TEXT, repaired_at INTEGER, PRIMARY KEY (event_id, item_id));
CREATE INDEX vehicle_defects_plate ON vehicle_defects (station_id, plate);

-- A held tour is not released to the driver's phone until the lead clears the hold.
CREATE TABLE holds (hold_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, station_id TEXT NOT NULL,
  driver_id TEXT NOT NULL, plate TEXT NOT NULL, placed_at INTEGER NOT NULL, cleared_event_id TEXT,
  cleared_at INTEGER, resolution_json TEXT);
CREATE INDEX holds_tour ON holds (tour_id);

-- Card stacks: `prefix` + numbers first_n..=last_n of `width` digits. Ranges of one station
-- and day do not overlap (checked when a stack is issued).
CREATE TABLE card_stacks (event_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, station_id TEXT NOT NULL,
  driver_id TEXT NOT NULL, day TEXT NOT NULL, prefix TEXT NOT NULL, first_n INTEGER NOT NULL, last_n INTEGER NOT NULL,
  width INTEGER NOT NULL, first_card TEXT NOT NULL, last_card TEXT NOT NULL);
CREATE INDEX card_stacks_day ON card_stacks (station_id, day, prefix);
CREATE TABLE card_returns (event_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, first_card TEXT NOT NULL,
  last_card TEXT NOT NULL);
CREATE INDEX card_returns_tour ON card_returns (tour_id);

-- Load-out (`load`: loaded or not loaded) and return-to-station (`return`) scans; one per
-- parcel and phase, so a parcel scanned twice is refused.
CREATE TABLE station_scans (tour_id TEXT NOT NULL, tracking_id TEXT NOT NULL, phase TEXT NOT NULL, stop_id TEXT,
  status TEXT NOT NULL, reason TEXT, event_id TEXT NOT NULL, recorded_at INTEGER NOT NULL,
  PRIMARY KEY (tour_id, tracking_id, phase));

-- Explanations of what does not add up; the latest per subject counts.
CREATE TABLE discrepancies (event_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, subject TEXT NOT NULL,
  explanation TEXT NOT NULL, recorded_by TEXT NOT NULL, recorded_at INTEGER NOT NULL);
CREATE INDEX discrepancies_tour ON discrepancies (tour_id);

-- Signed close-outs: never updated; a correction is a new row with the next version.
CREATE TABLE close_outs (close_out_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, station_id TEXT NOT NULL,
  driver_id TEXT NOT NULL, day TEXT NOT NULL, version INTEGER NOT NULL, view_json TEXT NOT NULL,
  signed_at INTEGER NOT NULL, UNIQUE (tour_id, version));
CREATE INDEX close_outs_driver ON close_outs (driver_id, day);
