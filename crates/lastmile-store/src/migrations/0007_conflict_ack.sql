-- Conflicts the driver can read and acknowledge (issue 14): what kind of change clashed with a
-- recorded outcome (a code the screens translate, with its detail), and when the driver said
-- they have seen it. Conflicts recorded before this version keep their English message and
-- the kind 'other'.
ALTER TABLE conflict ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
ALTER TABLE conflict ADD COLUMN detail TEXT;
ALTER TABLE conflict ADD COLUMN acknowledged_at TEXT;
