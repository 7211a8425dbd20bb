DROP TABLE api_keys;
DROP TABLE invitations;
DROP TABLE roles;
DROP INDEX memberships_expires_at_idx;
DROP INDEX memberships_org_role_idx;
DROP INDEX memberships_org_email_idx;
DROP INDEX memberships_org_created_idx;
ALTER TABLE memberships DROP COLUMN email;
ALTER TABLE organizations DROP COLUMN max_invitations;
