-- The three-monthly review: the referral form filled in again from a draft prefilled with the
-- reviewed referral's answers, recorded against that referral (not a second submission, so it
-- starts no second workflow and takes no reference of its own).
ALTER TABLE drafts ADD COLUMN review_of uuid REFERENCES submissions(id);

CREATE TABLE referral_reviews (
  id uuid PRIMARY KEY,
  instance_id uuid NOT NULL REFERENCES workflow_instances(id),
  submission_id uuid NOT NULL REFERENCES submissions(id),
  -- one review per draft: a double click or a resend records it once
  draft_id uuid NOT NULL UNIQUE REFERENCES drafts(id),
  form_version text NOT NULL,
  data jsonb NOT NULL,
  recorded_at timestamptz NOT NULL,
  recorded_by text NOT NULL,
  organisation_id text NOT NULL,
  retain_until date NOT NULL
);
CREATE INDEX referral_reviews_instance ON referral_reviews (instance_id, recorded_at);

-- A document sent with a review (its submission_id is the reviewed referral's).
ALTER TABLE documents ADD COLUMN review_id uuid REFERENCES referral_reviews(id);

-- How many times a timer was started again after it fired: each round emails once.
ALTER TABLE workflow_timers ADD COLUMN rounds integer NOT NULL DEFAULT 0;
