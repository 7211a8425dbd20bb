//! End-to-end tests of the HTTP API. Each module covers one area; every test runs on SQLite
//! and on PostgreSQL. What several areas share is in `support`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access;
mod accounts;
mod auth;
mod events;
mod health;
mod idempotency;
mod layering;
mod metrics;
mod migration_parity;
mod openapi;
mod openapi_examples;
mod org_access;
mod org_validation;
mod organizations;
mod outage;
mod pagination;
mod projects;
mod read_cache;
mod stalled_bodies;
mod support;
mod teams;
mod text_input;
mod transactions;
mod users;
mod webhooks;
