//! Email: messages are queued in the database by the operation that causes them, in its
//! transaction (a rolled-back request sends nothing), and sent by the background work
//! ([`dispatch`]), retried with backoff, never lost on a crash. What they say is
//! `roster-mail`'s templates; the values and links are made here. A link's one-time token is
//! never stored in plaintext, not even in the queue: see [`seal_token`].

pub(crate) mod dispatch;
mod messages;

pub(crate) use messages::{
    email_changed, invitation, password_changed, password_reset, password_reset_request,
    verify_email,
};

use std::sync::Arc;
use std::time::Duration;

use roster_domain::{InvitationId, UserId};
use roster_mail::{MessageKind, Templates, Transport};
use roster_store::mail_outbox::{self, MailRow};
use roster_store::{DbId, NullableDbId};

use crate::{Context, Core, CoreError, Kind};

/// How messages leave, what they say, and where their links point.
#[derive(Clone)]
pub struct MailSettings {
    pub transport: Arc<Transport>,
    pub templates: Arc<Templates>,
    /// The application's base URL (`ROSTER_APP_URL`): links point into it, since Roster has no
    /// pages of its own.
    pub app_url: String,
    /// The wait before each retry of a message that could not be sent; once used up, it has
    /// failed.
    pub retry_schedule: Vec<Duration>,
}

impl MailSettings {
    /// 30 s, 2 min, 10 min, 30 min, 1 h, 3 h, 6 h, 12 h: nine attempts over about a day.
    pub fn default_retry_schedule() -> Vec<Duration> {
        [30, 120, 600, 1_800, 3_600, 10_800, 21_600, 43_200]
            .into_iter()
            .map(Duration::from_secs)
            .collect()
    }

    /// A link into the application: `{app_url}{path}?token=…`.
    pub(crate) fn link(&self, path: &str, token: &str) -> String {
        format!("{}{path}?token={token}", self.app_url.trim_end_matches('/'))
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: Arc::new(
                Transport::log("Roster <roster@localhost>")
                    .unwrap_or_else(|e| unreachable!("the default sender: {e}")),
            ),
            templates: Arc::new(Templates::built_in()),
            app_url: "http://localhost:3000".into(),
            retry_schedule: MailSettings::default_retry_schedule(),
        }
    }
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("transport", &self.transport.describe())
            .field("app_url", &self.app_url)
            .finish_non_exhaustive()
    }
}

/// A message an operation sends: its kind, where it goes, whose account it concerns, the
/// template values (a JSON object) and, for a message with a link, the link's token.
pub(crate) struct Mail {
    pub kind: MessageKind,
    pub to: String,
    pub user: Option<UserId>,
    pub values: serde_json::Value,
    pub link: Option<Link>,
}

/// A link into the application carrying a one-time token: `{app_url}{path}?token=…`. The
/// token is stored sealed only (see [`Context::send_mail`]); `opens` says what it opens, so
/// that a new one can be minted when the sealed one cannot be read any more.
pub(crate) struct Link {
    pub path: &'static str,
    pub token: String,
    pub opens: Opens,
}

/// What a mailed token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Opens {
    Invitation(InvitationId),
    AccountToken(uuid::Uuid),
}

impl Opens {
    fn encode(self) -> String {
        match self {
            Opens::Invitation(id) => format!("invitation:{}", id.as_uuid()),
            Opens::AccountToken(id) => format!("account_token:{id}"),
        }
    }

    pub(crate) fn decode(raw: &str) -> Option<Opens> {
        let (kind, id) = raw.split_once(':')?;
        let id = uuid::Uuid::parse_str(id).ok()?;
        match kind {
            "invitation" => Some(Opens::Invitation(InvitationId::from_uuid(id))),
            "account_token" => Some(Opens::AccountToken(id)),
            _ => None,
        }
    }
}

impl Context<'_> {
    /// Queues `mail` in this operation's transaction; it is sent once the transaction commits
    /// (and never if it does not).
    pub(crate) fn send_mail(&mut self, mail: Mail) -> Result<(), CoreError> {
        if self.kind() == Kind::Read {
            return Err(CoreError::Internal("a read cannot send mail".into()));
        }
        let id = uuid::Uuid::now_v7();
        let (kind, recipient, user) = (mail.kind, mail.to.clone(), mail.user);
        let stored = Stored::of(self.core(), id, mail)?;
        let now = self.now();
        let row = MailRow {
            id: DbId(id),
            kind: kind.as_str().to_owned(),
            recipient,
            data: stored.data,
            secret: stored.secret,
            sealed_by: NullableDbId(stored.sealed_by.map(DbId)),
            token_ref: stored.token_ref,
            state: mail_outbox::state::PENDING.to_owned(),
            attempts: 0,
            next_attempt_at: now,
            claimed_by: NullableDbId(None),
            claimed_until: None,
            last_error: None,
            user_id: user,
            created_at: now,
            finished_at: None,
        };
        mail_outbox::insert(self.conn(), &row)?;
        self.mail_queued();
        Ok(())
    }
}

/// A message as the queue keeps it: its values (with its link's path, never its token) as
/// JSON, and the link's token sealed (see [`seal_token`]), with what the token opens.
pub(crate) struct Stored {
    pub values: serde_json::Value,
    pub data: Vec<u8>,
    pub secret: Option<Vec<u8>>,
    pub sealed_by: Option<uuid::Uuid>,
    pub token_ref: Option<String>,
}

impl Stored {
    /// `mail`, as message `id` of the queue keeps it.
    pub(crate) fn of(core: &Core, id: uuid::Uuid, mail: Mail) -> Result<Stored, CoreError> {
        let mut values = mail.values;
        let (secret, sealed_by, token_ref) = match mail.link {
            Some(link) => {
                values["link_path"] = link.path.into();
                let (sealed, by) = seal_token(core, id, &link.token)?;
                (Some(sealed), by, Some(link.opens.encode()))
            }
            None => (None, None, None),
        };
        let data = serde_json::to_vec(&values)
            .map_err(|e| CoreError::Internal(format!("cannot encode a message's values: {e}")))?;
        Ok(Stored {
            values,
            data,
            secret,
            sealed_by,
            token_ref,
        })
    }
}

/// Seals a link's token for message `id`: with the key-encryption key when the server has one
/// (any instance can open it), else with this instance's in-memory key (only this instance
/// can; another one mints a new token instead). Returns the sealed bytes and, for the
/// latter, this instance.
pub(crate) fn seal_token(
    core: &Core,
    id: uuid::Uuid,
    token: &str,
) -> Result<(Vec<u8>, Option<uuid::Uuid>), CoreError> {
    let context = context(id);
    let sealed = match core.keys().ok().and_then(|keys| keys.encryption_key()) {
        Some(kek) => kek
            .seal(token.as_bytes(), context.as_bytes())
            .map(|sealed| (sealed, None)),
        None => core
            .mail_key()
            .seal(token.as_bytes(), context.as_bytes())
            .map(|sealed| (sealed, Some(core.instance()))),
    };
    sealed.map_err(|e| CoreError::Internal(format!("cannot seal a message's token: {e}")))
}

/// The link's token of message `id`, when this instance can open it.
pub(crate) fn open_token(
    core: &Core,
    id: uuid::Uuid,
    sealed: &[u8],
    sealed_by: Option<uuid::Uuid>,
) -> Option<String> {
    let context = context(id);
    let opened = match sealed_by {
        None => core
            .keys()
            .ok()
            .and_then(|keys| keys.encryption_key())?
            .open(sealed, context.as_bytes()),
        Some(instance) if instance == core.instance() => {
            core.mail_key().open(sealed, context.as_bytes())
        }
        Some(_) => return None,
    };
    opened.ok().and_then(|bytes| String::from_utf8(bytes).ok())
}

/// Binds a sealed token to its message: it cannot be moved to another row.
fn context(id: uuid::Uuid) -> String {
    format!("mail:{id}")
}
