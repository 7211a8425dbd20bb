//! The caller's profile and password, the caller's organizations, closed sign-up, and the
//! platform admin's user management.

mod admin;
mod admin_races;
mod bootstrap;
mod creation;
mod me;
mod memberships;
mod password;
mod profile_races;
