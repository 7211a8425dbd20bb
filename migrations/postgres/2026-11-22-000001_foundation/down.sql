DROP TABLE idempotency_keys;
DROP TABLE memberships;
DROP TABLE organization_former_names;
DROP TABLE refresh_tokens;
DROP TABLE organizations;
DROP TABLE signing_keys;
DROP TABLE users;
