-- The station tablet (issue 12). On a driver's phone: the hold the station placed on the
-- active tour (shown instead of the first stop). On the tablet: copies of what the server
-- last answered (board, fleet, template, drivers' days), so the tablet keeps working when
-- the station Wi-Fi drops; its own actions are station events in the same outbox.
CREATE TABLE tour_hold (
    tour_id   TEXT PRIMARY KEY NOT NULL,
    hold_json TEXT NOT NULL
) STRICT;

CREATE TABLE station_cache (
    key        TEXT PRIMARY KEY NOT NULL,
    json       TEXT NOT NULL,
    fetched_at TEXT NOT NULL
) STRICT;
