-- Coordinators keep the homes directory in the browser: the directory file stays seed data,
-- applied at start only to homes nobody has edited since.
ALTER TABLE homes ADD COLUMN edited_at timestamptz;
ALTER TABLE homes ADD COLUMN edited_by text;
