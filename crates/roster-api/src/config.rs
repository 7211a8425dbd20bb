//! Configuration: command-line flags, each mirrored by a `ROSTER_*` environment variable.

use std::time::Duration;

use clap::{Args, Parser, ValueEnum};

use roster_auth::KeyEncryptionKey;

use crate::client_address::TrustedProxies;
use roster_core::keys::KeySettings;
use roster_core::login_throttle::LoginThrottle;
use std::sync::Arc;

use roster_core::mail::MailSettings;
use roster_core::{Settings, WebhookSettings};
use roster_mail::{SmtpSettings, Templates, Transport};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://roster.db";

/// How long a request body may take to arrive, unless configured.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the data lives.
#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// Database URL: postgres://user:pass@host/db or sqlite://path/to/file.db.
    /// DATABASE_URL is read too when ROSTER_DATABASE_URL is unset.
    /// [default: sqlite://roster.db, a file in the working directory]
    #[arg(long, env = "ROSTER_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Connections in the pool. More than a few per core mostly adds context switches.
    #[arg(long, env = "ROSTER_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool_size: u32,
}

impl DatabaseArgs {
    /// The URL in force, and whether it is the built-in SQLite default.
    pub fn resolved_url(&self) -> (String, bool) {
        if let Some(url) = self.database_url.clone().filter(|u| !u.is_empty()) {
            return (url, false);
        }
        match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => (url, false),
            _ => (DEFAULT_DATABASE_URL.to_owned(), true),
        }
    }
}

/// The signing keys' protection at rest.
#[derive(Args, Debug, Clone)]
pub struct KeyArgs {
    /// Encrypts the signing keys' private halves at rest: 32 random bytes in base64, e.g. from
    /// `openssl rand -base64 32`. Once set, it is needed to start; keep it apart from backups of
    /// the database.
    #[arg(long, env = "ROSTER_KEY_ENCRYPTION_KEY", hide_env_values = true)]
    pub key_encryption_key: Option<KeyEncryptionKey>,
}

/// Who may sign up through `POST /v1/users` without being a platform admin.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupPolicy {
    /// Anyone may create an account.
    Open,
    /// Only platform admins create accounts.
    Closed,
}

/// Who may create organizations.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgCreationPolicy {
    /// Any signed-in user.
    Any,
    /// Platform admins only.
    Admins,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// How long access tokens live (also how long a replaced signing key goes on verifying).
#[derive(Args, Debug, Clone)]
pub struct AccessTokenTtl {
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "ROSTER_ACCESS_TOKEN_TTL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub access_token_ttl: u64,
}

/// `roster serve`: everything the server needs.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,

    /// Address to listen on (host:port; port 0 picks a free one).
    #[arg(long, env = "ROSTER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,

    /// Address (host:port; port 0 picks a free one) of the management listener, which serves
    /// /metrics, /healthz and /readyz. Off unless given; the API listener never serves /metrics.
    #[arg(long, env = "ROSTER_MANAGEMENT_LISTEN")]
    pub management_listen: Option<String>,

    /// Open sign-up, or accounts created by platform admins only.
    #[arg(long, env = "ROSTER_SIGNUP", value_enum, default_value_t = SignupPolicy::Open)]
    pub signup: SignupPolicy,

    /// Who may create organizations.
    #[arg(long, env = "ROSTER_ORG_CREATION", value_enum, default_value_t = OrgCreationPolicy::Any)]
    pub org_creation: OrgCreationPolicy,

    /// Give every new account a personal organization of its own (`personal: true`), which its
    /// owner can neither leave nor hand over.
    #[arg(long, env = "ROSTER_PERSONAL_ORGS")]
    pub personal_orgs: bool,

    /// Memory for the read cache, in MiB: credentials, organizations, members' standing and
    /// project access kept in memory so that reading an organization or answering `authorize`
    /// usually needs no database round trip. Kept current by the database itself (PostgreSQL LISTEN/NOTIFY
    /// across instances); 0 turns it off.
    #[arg(long, env = "ROSTER_READ_CACHE_MIB", default_value_t = 16, value_parser = clap::value_parser!(u64).range(0..=65_536))]
    pub read_cache_mib: u64,

    /// How often memberships past their `expires_at` are removed (with their
    /// `membership.deleted` events), in seconds. They grant nothing from the moment they
    /// expire; this only catches the member count and the audit log up.
    #[arg(long, env = "ROSTER_EXPIRY_SWEEP_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    pub expiry_sweep_interval: u64,

    /// Email of a platform admin to create at start-up if no such user exists.
    #[arg(long, env = "ROSTER_ADMIN_EMAIL", requires = "admin_password")]
    pub admin_email: Option<String>,

    /// Password for that admin (at least 8 characters).
    #[arg(
        long,
        env = "ROSTER_ADMIN_PASSWORD",
        hide_env_values = true,
        requires = "admin_email"
    )]
    pub admin_password: Option<String>,

    #[command(flatten)]
    pub token_lifetime: AccessTokenTtl,

    #[command(flatten)]
    pub keys: KeyArgs,

    /// Seconds between two looks at the signing keys in the database: a rotation made by
    /// `roster keys rotate` starts signing on every instance within this time.
    #[arg(long, env = "ROSTER_KEY_REFRESH_INTERVAL", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub key_refresh_interval: u64,

    /// Lifetime of refresh tokens, in days.
    #[arg(long, env = "ROSTER_REFRESH_TOKEN_TTL_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=365))]
    pub refresh_token_ttl_days: u64,

    /// Seconds during which a just-rotated refresh token may be presented again (two tabs
    /// refreshing at once) and answers with a new, valid successor instead of revoking the
    /// session; after that, presenting it again revokes the session. 0 disables the grace.
    #[arg(long, env = "ROSTER_REFRESH_TOKEN_GRACE", default_value_t = 30, value_parser = clap::value_parser!(u64).range(0..=300))]
    pub refresh_token_grace: u64,

    /// Failed password attempts allowed per account from one client address in the window.
    #[arg(long, env = "ROSTER_LOGIN_MAX_FAILURES", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub login_max_failures: u32,

    /// Failed password attempts allowed from one client address, over all accounts, in the window.
    #[arg(long, env = "ROSTER_LOGIN_MAX_FAILURES_PER_ADDRESS", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub login_max_failures_per_address: u32,

    /// The login-throttling window, in seconds: failures older than this no longer count.
    #[arg(long, env = "ROSTER_LOGIN_FAILURE_WINDOW", default_value_t = 900, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub login_failure_window: u64,

    /// Proxies (addresses or blocks, comma-separated: `10.0.0.0/8,127.0.0.1`) whose
    /// X-Forwarded-For names the client. Without them the peer's address is the client's.
    #[arg(long, env = "ROSTER_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: TrustedProxies,

    /// Seconds a request body may take to arrive in full; a body that stalls is answered 408
    /// and its connection closed.
    #[arg(long, env = "ROSTER_BODY_READ_TIMEOUT", default_value_t = DEFAULT_BODY_READ_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub body_read_timeout: u64,

    /// The `iss` claim of access tokens: usually Roster's public base URL.
    #[arg(long, env = "ROSTER_ISSUER", default_value = "roster")]
    pub issuer: String,

    /// HTTP worker threads [default: one per CPU].
    #[arg(long, env = "ROSTER_WORKERS")]
    pub workers: Option<usize>,

    /// Seconds to finish what is in flight on SIGTERM or SIGINT (requests, webhook attempts,
    /// background jobs) before exiting; new requests and new work stop at once.
    #[arg(long, env = "ROSTER_SHUTDOWN_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub shutdown_timeout: u64,

    #[command(flatten)]
    pub webhooks: WebhookArgs,

    #[command(flatten)]
    pub mail: MailArgs,
}

/// How Roster's messages (invitations, verification, password reset, notices) leave.
#[derive(Args, Debug, Clone)]
pub struct MailArgs {
    /// The SMTP server: `smtp://[user:password@]host[:587]` (STARTTLS required; add
    /// `?tls=opportunistic` or `?tls=none` for a relay that has none) or `smtps://…[:465]`.
    /// Without it, every message is written to the log instead, links included.
    #[arg(long, env = "ROSTER_SMTP_URL")]
    pub smtp_url: Option<SmtpUrl>,

    /// The sender: `Name <address>` or an address.
    #[arg(
        long,
        env = "ROSTER_MAIL_FROM",
        default_value = "Roster <roster@localhost>"
    )]
    pub mail_from: String,

    /// The application's base URL: links in messages point into it
    /// (`{app}/invitations/accept?token=…`, `{app}/verify-email?token=…`,
    /// `{app}/reset-password?token=…`), since Roster has no pages of its own.
    #[arg(long, env = "ROSTER_APP_URL", default_value = "http://localhost:3000")]
    pub app_url: String,

    /// A folder of templates that replace the built-in ones by name (`invitation.subject.txt`,
    /// `invitation.txt`, `invitation.html`, and the same for `verify_email`, `password_reset`,
    /// `email_changed`, `password_changed`); each is checked at start.
    #[arg(long, env = "ROSTER_MAIL_TEMPLATES")]
    pub mail_templates: Option<std::path::PathBuf>,

    /// The waits between attempts of a message the SMTP server did not take, comma-separated
    /// (`ms`, `s`, `m`, `h`, `d`); once they are used up, it has failed.
    #[arg(long, env = "ROSTER_MAIL_RETRY_SCHEDULE", default_value = "30s,2m,10m,30m,1h,3h,6h,12h", value_parser = parse_schedule)]
    pub mail_retry_schedule: RetrySchedule,
}

/// `ROSTER_SMTP_URL` as given: its password is never shown (not in `Debug`, not in a parse
/// error, which names the URL only masked).
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpUrl(..)")
    }
}

impl std::str::FromStr for SmtpUrl {
    type Err = std::convert::Infallible;

    fn from_str(raw: &str) -> Result<SmtpUrl, Self::Err> {
        Ok(SmtpUrl(raw.to_owned()))
    }
}

impl MailArgs {
    /// The transport, templates and links; an error names what is wrong (never a password).
    pub fn settings(&self) -> Result<MailSettings, String> {
        let app_url = url::Url::parse(&self.app_url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or_else(|| {
                format!(
                    "ROSTER_APP_URL {:?} is not an http(s) URL (links in messages point into it)",
                    self.app_url
                )
            })?;
        let transport = match &self.smtp_url {
            Some(raw) => {
                let smtp = SmtpSettings::parse(&raw.0).map_err(|e| e.to_string())?;
                Transport::smtp(smtp, &self.mail_from)?
            }
            None => Transport::log(&self.mail_from)?,
        };
        let templates =
            Templates::load(self.mail_templates.as_deref()).map_err(|e| e.to_string())?;
        Ok(MailSettings {
            transport: Arc::new(transport),
            templates: Arc::new(templates),
            app_url: app_url.as_str().trim_end_matches('/').to_owned(),
            retry_schedule: self.mail_retry_schedule.0.clone(),
        })
    }
}

/// Where webhook messages may go and how they are retried.
#[derive(Args, Debug, Clone)]
pub struct WebhookArgs {
    /// Allow webhook endpoints on loopback, private and link-local addresses, and plain http
    /// (development, or receivers inside your own network). Off: https to public addresses
    /// only, checked when an endpoint is saved and again after DNS at every connection.
    #[arg(long, env = "ROSTER_WEBHOOKS_ALLOW_PRIVATE_TARGETS")]
    pub webhooks_allow_private_targets: bool,

    /// The waits between attempts of a failing delivery, comma-separated (`ms`, `s`, `m`, `h`,
    /// `d`); once they are used up, the delivery has failed.
    #[arg(long, env = "ROSTER_WEBHOOKS_RETRY_SCHEDULE", default_value = "5s,5m,30m,2h,5h,10h,10h", value_parser = parse_schedule)]
    pub webhooks_retry_schedule: RetrySchedule,

    /// Webhook attempts one instance makes at once.
    #[arg(long, env = "ROSTER_WEBHOOKS_CONCURRENCY", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub webhooks_concurrency: u16,

    /// Seconds an instance's claim on a webhook delivery or a background job lasts. An instance
    /// that dies (kill -9, a lost machine) loses its claims after this, and another takes the
    /// work over. Longer than an attempt (15 s).
    #[arg(long, env = "ROSTER_CLAIM_LEASE", default_value_t = 60, value_parser = clap::value_parser!(u64).range(20..=3600))]
    pub claim_lease: u64,
}

/// A retry schedule: the waits, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySchedule(pub Vec<Duration>);

fn parse_schedule(raw: &str) -> Result<RetrySchedule, String> {
    let waits = raw
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(parse_wait)
        .collect::<Result<Vec<_>, _>>()?;
    if waits.len() > 50 {
        return Err("at most 50 retries".into());
    }
    Ok(RetrySchedule(waits))
}

fn parse_wait(part: &str) -> Result<Duration, String> {
    let split = part
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("{part:?} needs a unit: ms, s, m, h or d"))?;
    let (number, unit) = part.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{part:?} is not a number and a unit (5s, 30m, 2h)"))?;
    let seconds = match unit {
        "ms" => return Ok(Duration::from_millis(number)),
        "s" => number,
        "m" => number * 60,
        "h" => number * 3600,
        "d" => number * 86_400,
        _ => return Err(format!("{part:?}: the unit is one of ms, s, m, h, d")),
    };
    if seconds > 30 * 86_400 {
        return Err(format!("{part:?}: a wait is at most 30 days"));
    }
    Ok(Duration::from_secs(seconds))
}

impl ServeArgs {
    /// Builds settings as the command line would, for tests and tools: `from_flags(&["--listen", "127.0.0.1:0"])`.
    pub fn from_flags(flags: &[&str]) -> Result<ServeArgs, clap::Error> {
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let argv = std::iter::once("roster").chain(flags.iter().copied());
        Wrapper::try_parse_from(argv).map(|w| w.serve)
    }

    pub fn key_settings(&self) -> KeySettings {
        KeySettings {
            issuer: self.issuer.clone(),
            access_token_ttl: Duration::from_secs(self.token_lifetime.access_token_ttl),
            refresh_interval: Duration::from_secs(self.key_refresh_interval),
            encryption_key: self.keys.key_encryption_key.clone(),
        }
    }

    /// The policies the operations consult; an error says which setting is wrong.
    pub fn settings(&self) -> Result<Settings, String> {
        Ok(Settings {
            signup: match self.signup {
                SignupPolicy::Open => roster_core::SignupPolicy::Open,
                SignupPolicy::Closed => roster_core::SignupPolicy::Closed,
            },
            org_creation: match self.org_creation {
                OrgCreationPolicy::Any => roster_core::OrgCreationPolicy::Any,
                OrgCreationPolicy::Admins => roster_core::OrgCreationPolicy::Admins,
            },
            refresh_token_ttl: Duration::from_secs(self.refresh_token_ttl_days * 86_400),
            refresh_token_grace: Duration::from_secs(self.refresh_token_grace),
            login_throttle: LoginThrottle {
                per_account: self.login_max_failures,
                per_address: self.login_max_failures_per_address,
                window: Duration::from_secs(self.login_failure_window),
            },
            personal_orgs: self.personal_orgs,
            webhooks: WebhookSettings {
                targets: roster_webhooks::TargetPolicy {
                    allow_private: self.webhooks.webhooks_allow_private_targets,
                },
                retry_schedule: self.webhooks.webhooks_retry_schedule.0.clone(),
                lease: Duration::from_secs(self.webhooks.claim_lease),
                concurrency: usize::from(self.webhooks.webhooks_concurrency),
            },
            mail: self.mail.settings()?,
            read_cache_bytes: self.read_cache_mib * 1024 * 1024,
        })
    }
}

/// How to log.
#[derive(Args, Debug, Clone)]
pub struct LogArgs {
    /// A tracing filter, e.g. `info` or `roster_api=debug,info`.
    #[arg(long, env = "ROSTER_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Human-readable or JSON lines.
    #[arg(long, env = "ROSTER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_retry_schedules() {
        let schedule = parse_schedule("1s, 250ms,5m,2h,1d").unwrap();
        assert_eq!(
            schedule.0,
            [1_000, 250, 300_000, 7_200_000, 86_400_000].map(Duration::from_millis)
        );
        assert_eq!(parse_schedule("").unwrap().0, Vec::<Duration>::new());
        for bad in ["5", "5x", "s", "-1s", "31d"] {
            assert!(parse_schedule(bad).is_err(), "{bad}");
        }
    }
}
