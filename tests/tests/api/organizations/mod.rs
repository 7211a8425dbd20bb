//! Organizations: every endpoint's success path, then the lifecycle (states, closing, forced
//! deletion, ETags and renames). Validation is in `org_validation`, access in `org_access`.

mod concurrency;
mod create;
mod lifecycle;
mod read;
mod rename;
mod update;
