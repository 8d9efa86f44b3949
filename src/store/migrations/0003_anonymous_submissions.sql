-- Public forms, version 3. A submission says who made it: a signed-in user, an API token, or an
-- anonymous person filling in a public form (neither user_id nor api_token_id then).
ALTER TABLE submissions ADD COLUMN actor_type text;
UPDATE submissions SET actor_type = CASE
  WHEN api_token_id IS NOT NULL THEN 'api-token'
  WHEN user_id IS NOT NULL THEN 'user'
  ELSE 'anonymous' END;
ALTER TABLE submissions ALTER COLUMN actor_type SET NOT NULL;
ALTER TABLE submissions ADD CONSTRAINT submissions_actor_type
  CHECK (actor_type IN ('user', 'api-token', 'anonymous'));
