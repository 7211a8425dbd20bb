//! Email: messages are queued in the database by the operation that causes them, in its
//! transaction (a rolled-back request sends nothing), and sent by the background work
//! ([`dispatch`]), retried with backoff, never lost on a crash. What they say is
//! `roster-mail`'s templates; the values and links are made here.

pub(crate) mod dispatch;
mod messages;

pub(crate) use messages::{
    email_changed, invitation, password_changed, password_reset, verify_email,
};

use std::sync::Arc;
use std::time::Duration;

use roster_auth::is_sealed;
use roster_domain::UserId;
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

/// A message an operation sends: its kind, where it goes, whose account it concerns, and the
/// template values (a JSON object; links with their tokens included).
pub(crate) struct Mail {
    pub kind: MessageKind,
    pub to: String,
    pub user: Option<UserId>,
    pub values: serde_json::Value,
}

impl Context<'_> {
    /// Queues `mail` in this operation's transaction; it is sent once the transaction commits
    /// (and never if it does not).
    pub(crate) fn send_mail(&mut self, mail: Mail) -> Result<(), CoreError> {
        if self.kind() == Kind::Read {
            return Err(CoreError::Internal("a read cannot send mail".into()));
        }
        let id = uuid::Uuid::now_v7();
        let data = seal(self.core(), id, &mail.values)?;
        let now = self.now();
        let row = MailRow {
            id: DbId(id),
            kind: mail.kind.as_str().to_owned(),
            recipient: mail.to,
            data,
            state: mail_outbox::state::PENDING.to_owned(),
            attempts: 0,
            next_attempt_at: now,
            claimed_by: NullableDbId(None),
            claimed_until: None,
            last_error: None,
            user_id: mail.user,
            created_at: now,
            finished_at: None,
        };
        mail_outbox::insert(self.conn(), &row)?;
        self.mail_queued();
        Ok(())
    }
}

/// The values as stored: sealed with the key-encryption key when the server has one, since
/// they carry the link's one-time token until the message is sent.
fn seal(core: &Core, id: uuid::Uuid, values: &serde_json::Value) -> Result<Vec<u8>, CoreError> {
    let json = serde_json::to_vec(values)
        .map_err(|e| CoreError::Internal(format!("cannot encode a message's values: {e}")))?;
    match core.keys().ok().and_then(|keys| keys.encryption_key()) {
        Some(kek) => kek
            .seal(&json, context(id).as_bytes())
            .map_err(|e| CoreError::Internal(format!("cannot seal a message: {e}"))),
        None => Ok(json),
    }
}

/// The values from their stored form.
pub(crate) fn open(
    core: &Core,
    id: uuid::Uuid,
    stored: &[u8],
) -> Result<serde_json::Value, CoreError> {
    let json = if is_sealed(stored) {
        let kek = core
            .keys()
            .ok()
            .and_then(|keys| keys.encryption_key())
            .ok_or_else(|| {
                CoreError::Internal(
                    "a queued message is sealed but the server has no key-encryption key".into(),
                )
            })?;
        kek.open(stored, context(id).as_bytes())
            .map_err(|e| CoreError::Internal(format!("cannot open a queued message: {e}")))?
    } else {
        stored.to_vec()
    };
    serde_json::from_slice(&json)
        .map_err(|e| CoreError::Internal(format!("a queued message is malformed: {e}")))
}

/// Binds sealed values to their message: they cannot be moved to another row.
fn context(id: uuid::Uuid) -> String {
    format!("mail:{id}")
}
