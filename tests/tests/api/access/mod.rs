//! The access model: members, owners, roles, permissions, invitations, API keys, limits.

mod api_keys;
mod events;
mod invitations;
mod isolation;
mod lifecycle;
mod limits;
mod makers;
mod matrix;
mod members;
mod owners;
mod permissions;
mod roles;
mod verifier;
