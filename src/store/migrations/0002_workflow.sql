-- Workflow engine, version 2. The database is the record; Redis only holds ids of work to do.
-- Every row holding personal data (or pointing at a person's case) knows its organisation and
-- its retention date.

-- Jobs relayed with a delay (timers, retry back-off) become available at this time.
ALTER TABLE outbox ADD COLUMN not_before timestamptz;

CREATE TABLE workflow_definitions (
  workflow_id text NOT NULL,
  version text NOT NULL,
  definition jsonb NOT NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workflow_id, version)
);

CREATE TABLE workflow_instances (
  id uuid PRIMARY KEY,
  submission_id uuid NOT NULL UNIQUE,
  workflow_id text NOT NULL,
  workflow_version text NOT NULL,
  -- running | waiting | completed | failed | withdrawn
  state text NOT NULL,
  -- the referral's state (DOMAIN.md): submitted, searching, offered, placed, withdrawn, ...
  status text NOT NULL DEFAULT 'submitted',
  current_step text,
  current_seq integer NOT NULL DEFAULT 0,
  -- chosen home, placement details and the like: ids and small values only
  context jsonb NOT NULL DEFAULT '{}'::jsonb,
  organisation_id text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  retain_until date NOT NULL
);
CREATE INDEX workflow_instances_state ON workflow_instances (state);

CREATE TABLE workflow_step_runs (
  id bigserial PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  seq integer NOT NULL,
  step_id text NOT NULL,
  step_type text NOT NULL,
  -- queued | waiting | completed | failed | cancelled
  state text NOT NULL,
  attempt integer NOT NULL DEFAULT 1,
  outcome text,
  result jsonb NOT NULL DEFAULT '{}'::jsonb,
  error_code text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  organisation_id text NOT NULL,
  retain_until date NOT NULL,
  UNIQUE (instance_id, seq)
);
CREATE INDEX workflow_step_runs_unfinished ON workflow_step_runs (state)
  WHERE state IN ('queued', 'waiting');

-- Emails and filings: intent is recorded before acting, the result after.
CREATE TABLE workflow_side_effects (
  id uuid PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  effect_key text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('email', 'filing')),
  recipient text NOT NULL,
  -- pending | intended | done | failed | uncertain
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  result jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_error text,
  intended_at timestamptz,
  done_at timestamptz,
  organisation_id text NOT NULL,
  retain_until date NOT NULL
);
CREATE INDEX workflow_side_effects_instance ON workflow_side_effects (instance_id);

-- Things a person must look at: an email that may or may not have gone, a step that failed.
CREATE TABLE workflow_flags (
  id bigserial PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  side_effect_id uuid REFERENCES workflow_side_effects(id),
  kind text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL,
  resolved_at timestamptz,
  resolved_by text,
  organisation_id text NOT NULL,
  retain_until date NOT NULL
);
CREATE UNIQUE INDEX workflow_flags_effect ON workflow_flags (side_effect_id) WHERE side_effect_id IS NOT NULL;

CREATE TABLE workflow_timers (
  id uuid PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  seq integer NOT NULL,
  name text NOT NULL,
  action text NOT NULL,
  fire_at timestamptz NOT NULL,
  -- pending | firing | fired | cancelled
  state text NOT NULL,
  fired_at timestamptz,
  organisation_id text NOT NULL,
  retain_until date NOT NULL,
  UNIQUE (instance_id, seq, name)
);
CREATE INDEX workflow_timers_pending ON workflow_timers (fire_at) WHERE state IN ('pending', 'firing');

CREATE TABLE workflow_review_tasks (
  id uuid PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  seq integer NOT NULL,
  -- open | approved
  state text NOT NULL,
  proposed jsonb NOT NULL,
  selected jsonb NOT NULL,
  approved_by text,
  approved_at timestamptz,
  created_at timestamptz NOT NULL,
  organisation_id text NOT NULL,
  retain_until date NOT NULL,
  UNIQUE (instance_id, seq)
);

-- The homes a referral went to, each with its single-purpose link and its answer.
CREATE TABLE workflow_home_requests (
  id uuid PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  home_id text NOT NULL,
  token_hash text UNIQUE,
  token_expires_at timestamptz,
  -- awaiting | accepted | declined | more-information | timed-out | withdrawn
  state text NOT NULL,
  reason text,
  responded_at timestamptz,
  responded_by text,
  created_at timestamptz NOT NULL,
  organisation_id text NOT NULL,
  retain_until date NOT NULL,
  UNIQUE (instance_id, home_id)
);

CREATE TABLE homes (
  id text PRIMARY KEY,
  name text NOT NULL,
  operator text NOT NULL,
  region text NOT NULL,
  email text NOT NULL,
  beds integer NOT NULL,
  age_min integer NOT NULL,
  age_max integer NOT NULL,
  sexes jsonb NOT NULL,
  needs_met jsonb NOT NULL,
  postcode_district text,
  active boolean NOT NULL DEFAULT true,
  vacancy_token_hash text UNIQUE,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE home_vacancies (
  home_id text NOT NULL REFERENCES homes(id),
  day date NOT NULL,
  vacancies integer NOT NULL CHECK (vacancies >= 0),
  declared_at timestamptz NOT NULL,
  declared_by text,
  PRIMARY KEY (home_id, day)
);

-- Each process running workers writes here, so /readyz can tell they are still consuming.
CREATE TABLE workflow_heartbeats (
  worker_id text PRIMARY KEY,
  beat_at timestamptz NOT NULL
);
