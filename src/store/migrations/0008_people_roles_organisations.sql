-- People, roles and organisations; who submitted a record; sign-in rate limits.

CREATE TABLE organisations (
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN
    ('local-authority', 'secure-home', 'coordination-unit', 'dfe', 'unassigned')),
  name text NOT NULL,
  -- The DfE 3-digit code of a local authority in England.
  la_code text UNIQUE CHECK (la_code ~ '^[0-9]{3}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO organisations (id, kind, name) VALUES ('default', 'unassigned', 'No organisation')
  ON CONFLICT (id) DO NOTHING;

-- One row per role a user holds, with the organisation it is held in.
CREATE TABLE user_roles (
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role text NOT NULL,
  organisation_id text NOT NULL REFERENCES organisations(id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  granted_by text,
  PRIMARY KEY (user_id, role, organisation_id)
);
CREATE INDEX user_roles_organisation ON user_roles (organisation_id, role);

-- The organisation of whoever made the record (a user's or an API token's), next to the
-- organisation that owns the form (organisation_id): access is decided on this one.
ALTER TABLE submissions ADD COLUMN submitter_organisation_id text;
UPDATE submissions SET submitter_organisation_id = organisation_id
  WHERE submitter_organisation_id IS NULL;
ALTER TABLE submissions ALTER COLUMN submitter_organisation_id SET NOT NULL;
ALTER TABLE submissions ALTER COLUMN submitter_organisation_id SET DEFAULT 'default';
CREATE INDEX submissions_submitter_organisation ON submissions (submitter_organisation_id);

-- "Sign out everywhere" and the absolute session lifetime work from these.
CREATE INDEX sessions_user ON sessions (user_id);

-- rate-limiter-flexible's RateLimiterPostgres table; keys are HMACs, never an address or IP.
CREATE TABLE sign_in_limits (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
