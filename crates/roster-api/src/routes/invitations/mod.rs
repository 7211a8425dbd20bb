//! Invitations: asking someone by email to join, and joining.

mod accept;
mod create;
mod decline;
pub mod json;
mod list;
mod resend;
mod revoke;

pub use list::InvitationStateValue;

use super::registry::Routes;

pub fn register(routes: &mut Routes) {
    routes.add(create::__path_create_invitation, create::create_invitation);
    routes.add(list::__path_list_invitations, list::list_invitations);
    routes.add(revoke::__path_revoke_invitation, revoke::revoke_invitation);
    routes.add(resend::__path_resend_invitation, resend::resend_invitation);
    routes.add(accept::__path_accept_invitation, accept::accept_invitation);
    routes.add(
        decline::__path_decline_invitation,
        decline::decline_invitation,
    );
}

/// `/v1/users/me/invitations`, registered with the other `/me` routes.
pub fn register_mine(routes: &mut Routes) {
    routes.add(list::__path_list_my_invitations, list::list_my_invitations);
}
