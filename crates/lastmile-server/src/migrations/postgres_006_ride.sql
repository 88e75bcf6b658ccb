-- Supervisor ride-along (issue #13): checklist templates (data, versioned, per station) and
-- ride-along records folded from the ride-along events as they are applied.
-- Kept column-for-column equal between sqlite_006_ride.sql and postgres_006_ride.sql.

-- A template (template_id, version) never changes once stored; station_id NULL is the default
-- every station falls back to. The station's current template is its most recently stored one.
CREATE TABLE checklist_templates (template_id TEXT NOT NULL, version BIGINT NOT NULL, station_id TEXT,
  body_json TEXT NOT NULL, stored_at BIGINT NOT NULL, PRIMARY KEY (template_id, version));
CREATE INDEX checklist_templates_station ON checklist_templates (station_id, stored_at);

-- One row per ride-along record: who, which tour, where it stands. The entries themselves
-- (observations, grades, assisted stops, signatures) are the applied events of the tour.
-- Times are the recording device's clock (unix ms), as the events carry them.
CREATE TABLE ride_alongs (ride_along_id TEXT PRIMARY KEY NOT NULL, tour_id TEXT NOT NULL, station_id TEXT NOT NULL,
  tour_date TEXT NOT NULL, driver_id TEXT NOT NULL, supervisor_id TEXT NOT NULL, status TEXT NOT NULL,
  started_at BIGINT NOT NULL, amends TEXT, template_id TEXT, template_version BIGINT,
  supervisor_signed_at BIGINT, driver_answered_at BIGINT);
CREATE INDEX ride_alongs_station ON ride_alongs (station_id, tour_date);
CREATE INDEX ride_alongs_driver ON ride_alongs (driver_id);
CREATE INDEX ride_alongs_supervisor ON ride_alongs (supervisor_id);
CREATE INDEX ride_alongs_tour ON ride_alongs (tour_id);

INSERT INTO checklist_templates (template_id, version, station_id, body_json, stored_at) VALUES ('default', 1, NULL,
  '{"template_id":"default","version":1,"title":"Ride-along checklist","titles":{"de":"Mitfahrt-Checkliste","en":"Ride-along checklist"},"grades":["trained","proficient","needs_practice","not_observed"],"sections":[{"section_id":"before_departure","title":"Before departure","titles":{"de":"Vor der Abfahrt","en":"Before departure"},"items":[{"item_id":"route_checked","text":"Checked the tour on the handheld","texts":{"de":"Tour auf dem Handgerät geprüft"}},{"item_id":"load_checked","text":"Load checked against the tour","texts":{"de":"Ladung mit der Tour abgeglichen"}},{"item_id":"pre_trip_inspection","text":"Vehicle inspected before departure","texts":{"de":"Fahrzeug vor der Abfahrt geprüft"}}]},{"section_id":"on_the_road","title":"On the road","titles":{"de":"Unterwegs","en":"On the road"},"items":[{"item_id":"seat_belt","text":"Seat belt worn","texts":{"de":"Sicherheitsgurt angelegt"}},{"item_id":"residential_speed","text":"Speed suited to residential streets","texts":{"de":"Tempo in Wohnstraßen angepasst"}},{"item_id":"traffic_rules","text":"Follows the traffic rules","texts":{"de":"Hält die Verkehrsregeln ein"}}]},{"section_id":"at_the_door","title":"At the door","titles":{"de":"An der Tür","en":"At the door"},"items":[{"item_id":"parking","text":"Parks safely with hazard lights on","texts":{"de":"Parkt sicher mit Warnblinker"}},{"item_id":"three_points","text":"Three points of contact getting out","texts":{"de":"Drei Kontaktpunkte beim Aussteigen"}},{"item_id":"delivery_spot","text":"Knows the delivery spot","texts":{"de":"Kennt den Ablageort"}},{"item_id":"customer_contact","text":"Friendly, clear contact with the customer","texts":{"de":"Freundlicher, klarer Kundenkontakt"}},{"item_id":"proof_quality","text":"Proof of delivery is clear and complete","texts":{"de":"Zustellnachweis ist deutlich und vollständig"}}]}]}', 0);
