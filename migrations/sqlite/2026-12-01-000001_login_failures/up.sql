-- Failed password sign-ins, for throttling: a sliding window per account and client address,
-- and per client address. In the database so that every instance counts the same attempts.
-- `account` is the username as given (normalized), whether or not such an account exists.
CREATE TABLE login_failures (
    id        TEXT_UUID      NOT NULL PRIMARY KEY,
    account   TEXT           NOT NULL,
    address   TEXT           NOT NULL,
    failed_at TEXT_TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_account_address_idx ON login_failures (account, address, failed_at);
CREATE INDEX login_failures_address_idx ON login_failures (address, failed_at);
CREATE INDEX login_failures_failed_at_idx ON login_failures (failed_at);
