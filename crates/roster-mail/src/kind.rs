//! The messages Roster sends.

/// One kind of message, with its templates `<name>.subject.txt`, `<name>.txt`, `<name>.html`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// An invitation into an organization, with its link.
    Invitation,
    /// Proves an address: after sign-up, and to the new address of an email change.
    VerifyEmail,
    /// A link to choose a new password.
    PasswordReset,
    /// To the former address, once a change of address is verified.
    EmailChanged,
    /// After any change of password.
    PasswordChanged,
}

impl MessageKind {
    pub const ALL: [MessageKind; 5] = [
        MessageKind::Invitation,
        MessageKind::VerifyEmail,
        MessageKind::PasswordReset,
        MessageKind::EmailChanged,
        MessageKind::PasswordChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Invitation => "invitation",
            MessageKind::VerifyEmail => "verify_email",
            MessageKind::PasswordReset => "password_reset",
            MessageKind::EmailChanged => "email_changed",
            MessageKind::PasswordChanged => "password_changed",
        }
    }

    pub fn parse(raw: &str) -> Option<MessageKind> {
        MessageKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// Values the built-in templates use, to check a deployment's templates at start.
    pub(crate) fn sample(self) -> serde_json::Value {
        serde_json::json!({
            "app_url": "https://app.example",
            "link": "https://app.example/x?token=rsv_sample",
            "email": "ada@example.com",
            "name": "Ada",
            "organization": "Acme, Inc.",
            "role": "member",
            "inviter": "Grace",
            "expires_at": "2026-12-10 10:00 UTC",
            "old_email": "ada@old.example",
            "new_email": "ada@example.com",
        })
    }
}
