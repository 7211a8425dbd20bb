//! The messages Roster sends, each with the values its templates use. A link's `link` and
//! `token` values are added when the message is sent (the queue keeps the token sealed).

use roster_domain::InvitationId;
use roster_mail::MessageKind;
use roster_store::users::UserRow;
use roster_store::{OrganizationRow, Ts};
use serde_json::json;

use super::{Link, Mail, MailSettings, Opens};

/// How a message shows a time: `2026-12-10 10:00 UTC`.
fn shown(at: Ts) -> String {
    at.0.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The invitation `id` into `org` with `role`, from `inviter` (a name or an address, if
/// known).
#[allow(clippy::too_many_arguments)]
pub(crate) fn invitation(
    settings: &MailSettings,
    to: &str,
    org: &OrganizationRow,
    role: &str,
    inviter: Option<String>,
    id: InvitationId,
    token: &str,
    expires_at: Ts,
) -> Mail {
    Mail {
        kind: MessageKind::Invitation,
        to: to.to_owned(),
        user: None,
        values: json!({
            "app_url": settings.app_url,
            "email": to,
            "organization": org.display_name,
            "organization_name": org.name,
            "role": role,
            "inviter": inviter,
            "expires_at": shown(expires_at),
        }),
        link: Some(Link {
            path: "/invitations/accept",
            token: token.to_owned(),
            opens: Opens::Invitation(id),
        }),
    }
}

/// Proves `address` (the account's, or the one it is changing to) is `user`'s, with the
/// account token `token_id`.
pub(crate) fn verify_email(
    settings: &MailSettings,
    user: &UserRow,
    address: &str,
    token_id: uuid::Uuid,
    token: &str,
    expires_at: Ts,
) -> Mail {
    Mail {
        kind: MessageKind::VerifyEmail,
        to: address.to_owned(),
        user: Some(user.id),
        values: json!({
            "app_url": settings.app_url,
            "email": address,
            "name": user.name,
            "expires_at": shown(expires_at),
        }),
        link: Some(Link {
            path: "/verify-email",
            token: token.to_owned(),
            opens: Opens::AccountToken(token_id),
        }),
    }
}

/// A link to choose a new password, with the account token `token_id`.
pub(crate) fn password_reset(
    settings: &MailSettings,
    user: &UserRow,
    token_id: uuid::Uuid,
    token: &str,
    expires_at: Ts,
) -> Mail {
    Mail {
        kind: MessageKind::PasswordReset,
        to: user.email.clone(),
        user: Some(user.id),
        values: json!({
            "app_url": settings.app_url,
            "email": user.email,
            "name": user.name,
            "expires_at": shown(expires_at),
        }),
        link: Some(Link {
            path: "/reset-password",
            token: token.to_owned(),
            opens: Opens::AccountToken(token_id),
        }),
    }
}

/// A password reset asked for `address`, queued before its account is looked up (by the
/// background work, so that the request does the same work for any address): the sender
/// issues the token and fills in the message, or drops it when no account has the address.
pub(crate) fn password_reset_request(settings: &MailSettings, address: &str) -> Mail {
    Mail {
        kind: MessageKind::PasswordReset,
        to: address.to_owned(),
        user: None,
        values: json!({
            "app_url": settings.app_url,
            "email": address,
            "deferred": true,
        }),
        link: None,
    }
}

/// To the former address, once the change to `after`'s address is proven.
pub(crate) fn email_changed(settings: &MailSettings, before: &UserRow, after: &UserRow) -> Mail {
    Mail {
        kind: MessageKind::EmailChanged,
        to: before.email.clone(),
        user: Some(after.id),
        values: json!({
            "app_url": settings.app_url,
            "email": before.email,
            "name": after.name,
            "old_email": before.email,
            "new_email": after.email,
        }),
        link: None,
    }
}

/// After any change of `user`'s password.
pub(crate) fn password_changed(settings: &MailSettings, user: &UserRow) -> Mail {
    Mail {
        kind: MessageKind::PasswordChanged,
        to: user.email.clone(),
        user: Some(user.id),
        values: json!({
            "app_url": settings.app_url,
            "email": user.email,
            "name": user.name,
        }),
        link: None,
    }
}
