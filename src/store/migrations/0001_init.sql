-- Formwork schema, version 1. Plain SQL that runs unchanged on PGlite and PostgreSQL 15+.
-- Every record of personal data knows its organisation and its retention date.

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  organisation_id text NOT NULL DEFAULT 'default',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz
);

CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

CREATE TABLE sign_in_codes (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  session_id_hash text NOT NULL,
  code_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX sign_in_codes_email_created ON sign_in_codes (email, created_at);

CREATE TABLE form_versions (
  form_id text NOT NULL,
  version text NOT NULL,
  definition jsonb NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (form_id, version)
);

CREATE TABLE drafts (
  id uuid PRIMARY KEY,
  form_id text NOT NULL,
  form_version text NOT NULL,
  organisation_id text NOT NULL,
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  session_id_hash text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  completed_pages jsonb NOT NULL DEFAULT '[]'::jsonb,
  submission_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  retain_until date NOT NULL
);
CREATE INDEX drafts_user ON drafts (user_id, updated_at DESC);

CREATE TABLE reference_sequences (
  form_id text NOT NULL,
  year integer NOT NULL,
  last_value integer NOT NULL,
  PRIMARY KEY (form_id, year)
);

CREATE TABLE submissions (
  id uuid PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  form_id text NOT NULL,
  form_version text NOT NULL,
  organisation_id text NOT NULL,
  status text NOT NULL,
  data jsonb NOT NULL,
  source text NOT NULL CHECK (source IN ('web', 'api')),
  user_id uuid REFERENCES users(id),
  api_token_id uuid,
  draft_id uuid UNIQUE,
  idempotency_key text,
  request_hash text,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  retain_until date NOT NULL
);
CREATE UNIQUE INDEX submissions_idempotency ON submissions (api_token_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX submissions_user ON submissions (user_id, submitted_at DESC);

CREATE TABLE documents (
  id text PRIMARY KEY,
  organisation_id text NOT NULL,
  draft_id uuid,
  submission_id uuid,
  field_path text NOT NULL,
  filename text NOT NULL,
  media_type text NOT NULL,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  storage_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retain_until date NOT NULL
);
CREATE INDEX documents_draft ON documents (draft_id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  organisation_id text NOT NULL DEFAULT 'default',
  form_ids jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  job_id text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  relayed_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL;

CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor_type text NOT NULL,
  actor_id text,
  action text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  organisation_id text NOT NULL,
  reason text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_events_subject ON audit_events (subject_type, subject_id);
