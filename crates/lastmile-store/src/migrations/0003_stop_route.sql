-- The driving route from the previous stop (or the station) to this stop, when the server's
-- router supplied it: lastmile_protocol::tour::RouteLegDto as JSON. Plan data, owned by
-- dispatch like the rest of the stop row.
ALTER TABLE stop ADD COLUMN route TEXT;
