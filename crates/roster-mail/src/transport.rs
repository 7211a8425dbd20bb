//! How a message leaves: SMTP through lettre (blocking: the core sends from background
//! threads), or the log when no server is configured, so that a quick start still shows every
//! link.

use std::time::Duration;

use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport as _};

use crate::{Rendered, SmtpSettings, TlsMode};

/// No SMTP conversation may hold a sender longer than this.
const TIMEOUT: Duration = Duration::from_secs(20);

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (a connection refused, a 4xx answer, a timeout).
    #[error("{0}")]
    Transient(String),
    /// Never going to work (a 5xx answer: no such mailbox, a refused sender).
    #[error("{0}")]
    Permanent(String),
}

/// Where messages go.
pub enum Transport {
    Smtp {
        transport: Box<SmtpTransport>,
        settings: SmtpSettings,
        from: Mailbox,
    },
    /// No SMTP server: each message is written to the log instead.
    Log { from: Mailbox },
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The sender address: `ROSTER_MAIL_FROM`, `Name <address>` or a bare address.
pub fn parse_from(from: &str) -> Result<Mailbox, String> {
    from.parse::<Mailbox>()
        .map_err(|e| format!("ROSTER_MAIL_FROM {from:?} is not a mail address: {e}"))
}

impl Transport {
    /// SMTP with `settings`, sending as `from`.
    pub fn smtp(settings: SmtpSettings, from: &str) -> Result<Transport, String> {
        let from = parse_from(from)?;
        let tls = |required: bool| {
            TlsParameters::new(settings.host.clone())
                .map_err(|e| format!("cannot set up TLS for {}: {e}", settings.host))
                .map(|params| {
                    if required {
                        Tls::Required(params)
                    } else {
                        Tls::Opportunistic(params)
                    }
                })
        };
        let tls = match settings.tls {
            TlsMode::Implicit => Tls::Wrapper(
                TlsParameters::new(settings.host.clone())
                    .map_err(|e| format!("cannot set up TLS for {}: {e}", settings.host))?,
            ),
            TlsMode::StartTlsRequired => tls(true)?,
            TlsMode::StartTlsOpportunistic => tls(false)?,
            TlsMode::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(settings.host.clone())
            .port(settings.port)
            .tls(tls)
            .timeout(Some(TIMEOUT));
        if let Some(user) = &settings.username {
            let password = settings.password.clone().unwrap_or_default();
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(Transport::Smtp {
            transport: Box::new(builder.build()),
            settings,
            from,
        })
    }

    /// The log, sending as `from` (shown in each logged message).
    pub fn log(from: &str) -> Result<Transport, String> {
        Ok(Transport::Log {
            from: parse_from(from)?,
        })
    }

    /// Whether messages really leave (an SMTP server is configured).
    pub fn delivers(&self) -> bool {
        matches!(self, Transport::Smtp { .. })
    }

    /// What this transport is, for the start-up log: no password.
    pub fn describe(&self) -> String {
        match self {
            Transport::Smtp { settings, from, .. } => format!("SMTP {settings} as {from}"),
            Transport::Log { from } => format!("the log (no SMTP server), as {from}"),
        }
    }

    /// Sends `message` to `to`. `id` becomes the Message-ID's local part, so that a retry of
    /// the same queued message carries the same Message-ID.
    pub fn send(&self, id: &str, to: &str, message: &Rendered) -> Result<(), SendError> {
        match self {
            Transport::Smtp {
                transport, from, ..
            } => {
                let email = build(id, from, to, message)?;
                transport.send(&email).map(|_| ()).map_err(|e| {
                    if e.is_permanent() {
                        SendError::Permanent(e.to_string())
                    } else {
                        SendError::Transient(e.to_string())
                    }
                })
            }
            Transport::Log { from } => {
                tracing::warn!(
                    target: "roster::mail",
                    %from,
                    %to,
                    subject = %message.subject,
                    "no SMTP server is configured (ROSTER_SMTP_URL): this message was not sent; it reads:\n{}",
                    message.text
                );
                Ok(())
            }
        }
    }
}

fn build(id: &str, from: &Mailbox, to: &str, message: &Rendered) -> Result<Message, SendError> {
    let to: Mailbox = to
        .parse()
        .map_err(|e| SendError::Permanent(format!("{to:?} is not a mail address: {e}")))?;
    let domain = from.email.domain();
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(message.subject.clone())
        .message_id(Some(format!("<{id}@{domain}>")))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(message.text.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(message.html.clone()),
                ),
        )
        .map_err(|e| SendError::Permanent(format!("cannot build the message: {e}")))
}
