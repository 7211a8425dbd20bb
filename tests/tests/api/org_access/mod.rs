//! Who may see and change an organization: 401 without credentials, 404 for a private
//! organization the caller is not in (never 403), 403 for what a visible organization's
//! reader may not do, and platform admins who see everything.

mod non_members;
mod platform_admins;
mod public;
mod roles;
mod unauthenticated;
