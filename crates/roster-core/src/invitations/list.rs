//! `invitations.list` (an organization's) and `invitations.list_mine` (those sent to the
//! caller's email), oldest first.

use roster_domain::OrgKey;
use roster_domain::StateFilter;
use roster_domain::{InvitationId, Permission};
use roster_store::invitations::{self, InvitationScope};
use roster_store::Ts;
use serde::{Deserialize, Serialize};

use super::Invitation;
use crate::pagination::{Listed, Page};
use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

/// Where the next page starts: the last invitation's creation time and id.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InvitationCursor {
    created_at: String,
    id: uuid::Uuid,
}

impl InvitationCursor {
    pub fn after(invitation: &Invitation) -> InvitationCursor {
        InvitationCursor {
            created_at: Ts(invitation.created_at).to_sqlite_text(),
            id: invitation.id.as_uuid(),
        }
    }

    fn keyset(&self) -> Result<(Ts, InvitationId), CoreError> {
        let at = chrono::DateTime::parse_from_rfc3339(&self.created_at)
            .ok()
            .and_then(|at| Ts::checked(at.with_timezone(&chrono::Utc)))
            .ok_or_else(|| {
                CoreError::BadRequest("after is not a cursor this endpoint issued".into())
            })?;
        Ok((at, InvitationId::from_uuid(self.id)))
    }
}

pub type ListedInvitations = Listed<Invitation>;

fn list(
    cx: &mut Context<'_>,
    scope: &InvitationScope,
    state: StateFilter,
    page: &Page<InvitationCursor>,
) -> Result<ListedInvitations, CoreError> {
    let now = cx.now();
    let after = page.cursor().map(InvitationCursor::keyset).transpose()?;
    let (offset, fetch) = page.window();
    let rows = invitations::list(cx.conn(), scope, state, now, after, offset, fetch)?;
    let total = if page.wants_total() {
        Some(invitations::count(cx.conn(), scope, state, now)?)
    } else {
        None
    };
    Ok(Listed { rows, total }.map(|(invitation, org)| Invitation::read_at(invitation, org, now)))
}

#[derive(Debug, Clone)]
pub struct ListInvitations {
    pub organization: OrgKey,
    pub state: StateFilter,
    pub page: Page<InvitationCursor>,
}

impl Declared for ListInvitations {
    const NAME: &'static str = "invitations.list";
    const REQUIRES: Requirement = Requirement::Organization(Permission::InvitationsRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for ListInvitations {
    type Output = ListedInvitations;

    fn run(self, cx: &mut Context<'_>) -> Result<ListedInvitations, CoreError> {
        let access = cx.organization(&self.organization)?;
        list(
            cx,
            &InvitationScope::Organization(access.org.id),
            self.state,
            &self.page,
        )
    }
}

/// The caller's pending invitations (expired ones are not pending), when the caller's address
/// is verified; none while it is not.
#[derive(Debug, Clone)]
pub struct ListMyInvitations {
    pub page: Page<InvitationCursor>,
}

impl Declared for ListMyInvitations {
    const NAME: &'static str = "invitations.list_mine";
    const REQUIRES: Requirement = Requirement::AccountWide;
    const KIND: Kind = Kind::Read;
}

impl Operation for ListMyInvitations {
    type Output = ListedInvitations;

    fn run(self, cx: &mut Context<'_>) -> Result<ListedInvitations, CoreError> {
        let user = &cx.signed_in()?.user;
        // An address nobody proved holds no invitations: whoever typed it in does not see
        // what was sent there.
        if !user.email_verified() {
            return Ok(Listed {
                rows: Vec::new(),
                total: self.page.wants_total().then_some(0),
            });
        }
        let email = user.email.clone();
        list(
            cx,
            &InvitationScope::Email(email),
            StateFilter::Pending,
            &self.page,
        )
    }
}
