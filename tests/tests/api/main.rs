//! End-to-end tests of the HTTP API. Each module covers one area; every test runs on SQLite
//! and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod health;
