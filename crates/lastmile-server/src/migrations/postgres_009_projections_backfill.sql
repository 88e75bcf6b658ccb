-- PostgreSQL flavour. The projections of *_009_projections.sql rebuilt from the events table (the upgrade's
-- back-fill; also `progress::rebuild`). tour_progress rows are left to the server, which
-- fills in every tour without one from these tables and the plan (`progress::fill`).
DELETE FROM tour_progress;
DELETE FROM tour_services_done;
DELETE FROM tour_outcomes;
INSERT INTO tour_outcomes (event_id, tour_id, stop_id, tracking_id, kind, conflict, undone, received_at, device_id, seq)
  SELECT event_id, tour_id, stop_id,
    CASE WHEN kind IN ('parcel_delivered', 'delivery_failed') THEN tracking_id END,
    kind, CASE WHEN conflict IS NULL THEN 0 ELSE 1 END, 0, received_at, device_id, seq
  FROM events
  WHERE status = 'applied' AND kind IN ('parcel_delivered', 'delivery_failed', 'return_picked_up', 'stop_skipped');
UPDATE tour_outcomes SET undone = 1 WHERE (tour_id, event_id) IN (
  SELECT tour_id, CAST(body_json AS jsonb) #>> '{body,undone_event_id}' FROM events
  WHERE status = 'applied' AND kind = 'outcome_undone');
INSERT INTO tour_services_done (tour_id, stop_id)
  SELECT DISTINCT tour_id, stop_id FROM events WHERE status = 'applied' AND kind = 'service_finished';
