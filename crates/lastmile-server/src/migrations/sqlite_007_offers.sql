-- Blocks for independent (flex) drivers and the rounds of the blocks lottery (issue 15).
-- Kept column-for-column equal between sqlite_007_offers.sql and postgres_007_offers.sql.
-- Times are the server's clock, unix ms.

CREATE TABLE offer_blocks (block_id TEXT PRIMARY KEY NOT NULL, station_id TEXT NOT NULL,
  starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, pay_cents INTEGER NOT NULL, drivers INTEGER NOT NULL,
  qualification TEXT, published_at INTEGER NOT NULL);
CREATE INDEX offer_blocks_station ON offer_blocks (station_id, starts_at);

-- A round: its window, the seed (secret until the close) and its SHA-256 (published at once);
-- at the close the draw's input and allocation as published.
CREATE TABLE offer_rounds (round_id TEXT PRIMARY KEY NOT NULL, station_id TEXT NOT NULL, number INTEGER NOT NULL,
  opens_at INTEGER NOT NULL, closes_at INTEGER NOT NULL, confirm_ms INTEGER NOT NULL,
  seed TEXT NOT NULL, commitment TEXT NOT NULL, closed INTEGER NOT NULL,
  draw_json TEXT, allocation_json TEXT);
CREATE INDEX offer_rounds_station ON offer_rounds (station_id, closes_at);

-- The places of each block a round offers.
CREATE TABLE offer_round_blocks (round_id TEXT NOT NULL, block_id TEXT NOT NULL, places INTEGER NOT NULL,
  PRIMARY KEY (round_id, block_id));

-- A flex driver's request in a round (the last one put counts); the pseudonym is drawn at the close.
CREATE TABLE offer_requests (round_id TEXT NOT NULL, user_id TEXT NOT NULL, ranking_json TEXT NOT NULL,
  availability_json TEXT NOT NULL, received_at INTEGER NOT NULL, pseudonym TEXT,
  PRIMARY KEY (round_id, user_id));

-- Places won: won (until confirm_by), confirmed, released, expired.
CREATE TABLE offer_awards (round_id TEXT NOT NULL, block_id TEXT NOT NULL, user_id TEXT NOT NULL,
  status TEXT NOT NULL, confirm_by INTEGER NOT NULL, decided_at INTEGER,
  PRIMARY KEY (round_id, block_id, user_id));
CREATE INDEX offer_awards_user ON offer_awards (user_id, status);

-- The fairness credit (rounds lost lately) and the qualifications of flex drivers.
CREATE TABLE flex_credit (user_id TEXT PRIMARY KEY NOT NULL, credit INTEGER NOT NULL);
CREATE TABLE flex_qualifications (user_id TEXT NOT NULL, qualification TEXT NOT NULL,
  PRIMARY KEY (user_id, qualification));
