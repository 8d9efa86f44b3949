-- Documents uploaded through the JSON API belong to the token that uploaded them until a
-- submission of that token links them; a submission accepts no other document id.
ALTER TABLE documents ADD COLUMN api_token_id uuid;
CREATE INDEX documents_api_token ON documents (api_token_id) WHERE submission_id IS NULL;
