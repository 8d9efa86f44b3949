-- Every answer a home gives, in order: a question later followed by an offer keeps the question.
-- `workflow_home_requests` keeps the latest answer (what the workflow decides on); this keeps all.
CREATE TABLE workflow_home_responses (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES workflow_home_requests(id),
  -- accepted | declined | more-information | offer-declined (the local authority turned it down)
  answer text NOT NULL,
  reason text,
  bed_available_on date,
  conditions text,
  responded_at timestamptz NOT NULL,
  responded_by text NOT NULL,
  organisation_id text NOT NULL,
  retain_until date NOT NULL
);
CREATE INDEX workflow_home_responses_request ON workflow_home_responses (request_id, responded_at);

-- An offer's details, as the latest answer.
ALTER TABLE workflow_home_requests ADD COLUMN bed_available_on date;
ALTER TABLE workflow_home_requests ADD COLUMN conditions text;

-- The referrer's answers to a home's question, each reaching that home only.
CREATE TABLE referral_question_answers (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES workflow_home_requests(id),
  -- the question answered, as the home asked it (the home may ask again)
  question text NOT NULL,
  answer text NOT NULL,
  answered_at timestamptz NOT NULL,
  answered_by text NOT NULL,
  organisation_id text NOT NULL,
  retain_until date NOT NULL
);
CREATE INDEX referral_question_answers_request ON referral_question_answers (request_id, answered_at);

-- A document sent with an answer (null: sent with the referral itself).
ALTER TABLE documents ADD COLUMN answer_id uuid REFERENCES referral_question_answers(id);
CREATE INDEX documents_submission ON documents (submission_id);

-- The referrer's two-weekly updates on an open search: still needed, and what changed.
CREATE TABLE referral_updates (
  id uuid PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  still_needed boolean NOT NULL,
  changes text,
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL,
  organisation_id text NOT NULL,
  retain_until date NOT NULL
);
CREATE INDEX referral_updates_instance ON referral_updates (instance_id, recorded_at);
