//! Memberships: who belongs to an organization, with which role and tags; the owner invariant;
//! effective permissions and the `authorize` question.

mod add;
mod authorize;
pub(crate) mod events;
mod expire;
mod get;
pub(crate) mod joining;
pub(crate) mod leaving;
mod list;
mod membership;
pub(crate) mod owners;
mod permissions;
mod remove;
pub(crate) mod rules;
mod transfer;
mod update;

use roster_domain::Grants;
use roster_store::memberships::MembershipRow;
use roster_store::roles;

pub(crate) use add::lock;
pub use add::{AddMember, Added, Invitee};
pub use authorize::{Authorize, Decision, MAX_ASKED};
pub(crate) use expire::remove_expired_in;
pub use expire::{FindExpiredMemberships, RemoveExpiredMemberships};
pub use get::GetMember;
pub use list::{ListMembers, MemberCursor};
pub(crate) use membership::etag;
pub use membership::{MemberUser, Membership};
pub use permissions::{MemberPermissions, Sourced};
pub use remove::RemoveMember;
pub use roster_domain::MemberSort;
pub use transfer::{TransferOwnership, Transferred};
pub use update::UpdateMember;

use crate::access::member_grants;
use crate::roles::RoleView;
use crate::{Context, CoreError};

/// What a member holds now: acting on a member requires holding as much (so a manager with
/// `members:write` cannot remove the admin above them).
fn target_grants(cx: &mut Context<'_>, membership: &MembershipRow) -> Result<Grants, CoreError> {
    let custom = if membership.role.is_builtin() {
        None
    } else {
        roles::find(
            cx.conn(),
            membership.organization_id,
            membership.role.as_str(),
        )?
        .map(RoleView::from)
    };
    let membership = Membership::from(membership.clone());
    Ok(member_grants(Some(&membership), custom.as_ref()))
}
