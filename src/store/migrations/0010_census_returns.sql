-- The workforce census return: one per local authority per census year, its worker records,
-- and uploads waiting for the HR officer's choice. Every row carries its organisation and
-- retention date.

CREATE TABLE census_returns (
  id uuid PRIMARY KEY,
  organisation_id text NOT NULL REFERENCES organisations(id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  state text NOT NULL DEFAULT 'open'
    CHECK (state IN ('open', 'validated', 'signed-off', 'exported')),
  -- The authority-level items, as at 30 September; null until entered.
  number_of_vacancies numeric(9, 2),
  agency_fte numeric(9, 2),
  agency_headcount integer,
  -- An explanation per query rule id, given before the return is validated.
  query_explanations jsonb NOT NULL DEFAULT '{}'::jsonb,
  validated_at timestamptz,
  signed_off_by uuid REFERENCES users(id),
  signed_off_name text,
  signed_off_at timestamptz,
  exported_at timestamptz,
  export_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  retain_until date NOT NULL,
  UNIQUE (organisation_id, year)
);

-- One record per worker per return: a re-upload replaces the row with the same SWENo.
CREATE TABLE census_workers (
  return_id uuid NOT NULL REFERENCES census_returns(id) ON DELETE CASCADE,
  swe_no text NOT NULL,
  record jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('upload', 'form')),
  organisation_id text NOT NULL REFERENCES organisations(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  retain_until date NOT NULL,
  PRIMARY KEY (return_id, swe_no)
);

-- An uploaded file with errors, kept until the officer keeps its valid rows or uploads again.
CREATE TABLE census_uploads (
  id uuid PRIMARY KEY,
  return_id uuid NOT NULL REFERENCES census_returns(id) ON DELETE CASCADE,
  organisation_id text NOT NULL REFERENCES organisations(id),
  uploaded_by uuid REFERENCES users(id),
  filename text NOT NULL,
  content bytea,
  report jsonb NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'kept', 'replaced')),
  created_at timestamptz NOT NULL DEFAULT now(),
  retain_until date NOT NULL
);
CREATE INDEX census_uploads_return ON census_uploads (return_id, created_at DESC);

-- Census form submissions already read into a return, so each is read in once.
CREATE TABLE census_form_imports (
  submission_id uuid PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
  return_id uuid NOT NULL REFERENCES census_returns(id) ON DELETE CASCADE,
  imported_at timestamptz NOT NULL DEFAULT now()
);
