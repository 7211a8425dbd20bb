//! The access model: members, owners, roles, permissions, invitations, API keys, limits.

mod members;
mod owners;
mod roles;
mod permissions;
mod invitations;
mod api_keys;
mod limits;
mod lifecycle;
mod events;
