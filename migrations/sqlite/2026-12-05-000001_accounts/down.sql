ALTER TABLE invitations DROP COLUMN declined_at;
DROP TABLE rate_hits;
DROP TABLE mail_outbox;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN pending_email;
ALTER TABLE users DROP COLUMN email_verified_at;
