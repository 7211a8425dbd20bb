ALTER TABLE signing_keys DROP COLUMN last_signed_at;
DROP INDEX invitations_invited_by_key_idx;
DROP INDEX invitations_invited_by_idx;
ALTER TABLE invitations DROP COLUMN invited_by_key;
ALTER TABLE refresh_tokens DROP COLUMN grace_used_at;
