-- Up Migration
-- Most distinct persons one answer may hold for this partner; null: its role's default
-- (a gateway option).
ALTER TABLE access.partner ADD COLUMN max_persons_per_request integer CHECK (max_persons_per_request > 0);

-- Down Migration
ALTER TABLE access.partner DROP COLUMN max_persons_per_request;
