//! Invitations: asking someone by email to join an organization with a role.

mod accept;
mod create;
mod events;
mod list;
mod revoke;

pub use accept::AcceptInvitation;
pub(crate) use create::{invite, invite_into};
pub use create::{CreateInvitation, CreatedInvitation, DEFAULT_HOURS, MAX_HOURS};
pub use list::{InvitationCursor, ListInvitations, ListMyInvitations, ListedInvitations};
pub use revoke::RevokeInvitation;
pub use roster_store::invitations::StateFilter;
