-- Form and workflow definitions as versions with a state: at most one draft (version 'draft')
-- and one published version per form or workflow; every other version is archived.
ALTER TABLE form_versions
  ADD COLUMN definition_text text,
  ADD COLUMN state text NOT NULL DEFAULT 'archived'
    CHECK (state IN ('draft', 'published', 'archived')),
  ADD COLUMN number integer,
  ADD COLUMN source text NOT NULL DEFAULT 'file' CHECK (source IN ('file', 'editor')),
  ADD COLUMN created_by text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN published_at timestamptz,
  ADD COLUMN published_by text;
CREATE UNIQUE INDEX form_versions_one_published ON form_versions (form_id) WHERE state = 'published';
CREATE UNIQUE INDEX form_versions_number ON form_versions (form_id, number);

ALTER TABLE workflow_definitions
  ADD COLUMN definition_text text,
  ADD COLUMN state text NOT NULL DEFAULT 'archived'
    CHECK (state IN ('draft', 'published', 'archived')),
  ADD COLUMN number integer,
  ADD COLUMN source text NOT NULL DEFAULT 'file' CHECK (source IN ('file', 'editor')),
  ADD COLUMN created_by text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN published_at timestamptz,
  ADD COLUMN published_by text;
CREATE UNIQUE INDEX workflow_definitions_one_published
  ON workflow_definitions (workflow_id) WHERE state = 'published';
CREATE UNIQUE INDEX workflow_definitions_number ON workflow_definitions (workflow_id, number);
