-- Hardening II. The SQLite tree holds the same schema.

-- A rotated refresh token presented again within the grace period (two tabs refreshing at
-- once) gets one more successor, once: the second late presentation is a replay.
ALTER TABLE refresh_tokens ADD COLUMN grace_used_at timestamptz;

-- An invitation made with an API key ends when that key is revoked.
ALTER TABLE invitations ADD COLUMN invited_by_key uuid REFERENCES api_keys (id) ON DELETE SET NULL;
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by) WHERE state = 'pending';
CREATE INDEX invitations_invited_by_key_idx ON invitations (invited_by_key) WHERE state = 'pending';

-- When an instance last signed with a key (each instance writes it for the key it signs
-- with, once a key-refresh interval): a key is retired only once no instance has signed with
-- it for a token lifetime, so an instance that could not load a newer key never loses its own.
ALTER TABLE signing_keys ADD COLUMN last_signed_at timestamptz;

-- Keys and invitations end with their maker. Before this, those of a member who had left, or
-- of a disabled user, slept until the member came back: end them now (Roster ends them as it
-- happens from here on, with events).
UPDATE api_keys SET revoked_at = now()
WHERE revoked_at IS NULL
  AND (
    EXISTS (SELECT 1 FROM users u WHERE u.id = api_keys.user_id AND u.state = 'disabled')
    OR (organization_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = api_keys.user_id AND u.is_admin)
        AND NOT EXISTS (SELECT 1 FROM memberships m
                        WHERE m.organization_id = api_keys.organization_id
                          AND m.user_id = api_keys.user_id
                          AND (m.expires_at IS NULL OR m.expires_at > now())))
  );
UPDATE invitations SET state = 'revoked', revoked_at = now()
WHERE state = 'pending'
  AND (
    invited_by IS NULL
    OR EXISTS (SELECT 1 FROM users u WHERE u.id = invitations.invited_by AND u.state = 'disabled')
    OR (NOT EXISTS (SELECT 1 FROM users u WHERE u.id = invitations.invited_by AND u.is_admin)
        AND NOT EXISTS (SELECT 1 FROM memberships m
                        WHERE m.organization_id = invitations.organization_id
                          AND m.user_id = invitations.invited_by
                          AND (m.expires_at IS NULL OR m.expires_at > now())))
  );
