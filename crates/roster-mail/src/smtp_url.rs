//! `ROSTER_SMTP_URL`: `smtp://[user:password@]host[:port][?tls=required|opportunistic|none]`
//! (STARTTLS, required unless said otherwise; port 587) or `smtps://…` (TLS from the first
//! byte; port 465). Credentials are percent-decoded and never shown: [`SmtpSettings`]'s
//! `Display` masks the password.

use std::fmt;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// `smtps://`: TLS from the first byte.
    Implicit,
    /// `smtp://`: STARTTLS, and no message without it (the default).
    StartTlsRequired,
    /// `smtp://…?tls=opportunistic`: STARTTLS when the server offers it.
    StartTlsOpportunistic,
    /// `smtp://…?tls=none`: plain text (a relay on the same host, a test server).
    None,
}

/// Where and how to reach the SMTP server.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("ROSTER_SMTP_URL {0}")]
pub struct SmtpUrlError(String);

impl SmtpSettings {
    pub fn parse(raw: &str) -> Result<SmtpSettings, SmtpUrlError> {
        let url = url::Url::parse(raw)
            .map_err(|e| SmtpUrlError(format!("is not a URL ({e}); expected smtp://host:587")))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| SmtpUrlError("names no host".into()))?
            .trim_matches(['[', ']'])
            .to_owned();
        let mut tls = match url.scheme() {
            "smtps" => TlsMode::Implicit,
            "smtp" => TlsMode::StartTlsRequired,
            other => {
                return Err(SmtpUrlError(format!(
                    "has the scheme {other}; expected smtp:// (STARTTLS) or smtps:// (TLS)"
                )))
            }
        };
        for (key, value) in url.query_pairs() {
            match (key.as_ref(), value.as_ref(), tls) {
                ("tls", "required", TlsMode::StartTlsRequired) => {}
                ("tls", "opportunistic", TlsMode::StartTlsRequired) => {
                    tls = TlsMode::StartTlsOpportunistic
                }
                ("tls", "none", TlsMode::StartTlsRequired) => tls = TlsMode::None,
                ("tls", _, TlsMode::Implicit) => {
                    return Err(SmtpUrlError("smtps:// always uses TLS; drop tls=".into()))
                }
                ("tls", other, _) => {
                    return Err(SmtpUrlError(format!(
                        "has tls={other}; expected required, opportunistic or none"
                    )))
                }
                (other, _, _) => {
                    return Err(SmtpUrlError(format!("has an unknown parameter {other}")))
                }
            }
        }
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        };
        let username = Some(url.username()).filter(|u| !u.is_empty()).map(decode);
        let password = url.password().map(decode);
        let port = url.port().unwrap_or(match tls {
            TlsMode::Implicit => 465,
            _ => 587,
        });
        Ok(SmtpSettings {
            host,
            port,
            tls,
            username,
            password,
        })
    }
}

/// The URL as it may be logged: the password masked.
impl fmt::Display for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = if self.tls == TlsMode::Implicit {
            "smtps"
        } else {
            "smtp"
        };
        write!(f, "{scheme}://")?;
        if let Some(user) = &self.username {
            write!(f, "{user}")?;
            if self.password.is_some() {
                f.write_str(":***")?;
            }
            f.write_str("@")?;
        }
        write!(f, "{}:{}", self.host, self.port)?;
        match self.tls {
            TlsMode::Implicit | TlsMode::StartTlsRequired => Ok(()),
            TlsMode::StartTlsOpportunistic => f.write_str("?tls=opportunistic"),
            TlsMode::None => f.write_str("?tls=none"),
        }
    }
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SmtpSettings({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> SmtpSettings {
        SmtpSettings::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    #[test]
    fn schemes_ports_and_tls() {
        let s = parse("smtp://mail.example.com");
        assert_eq!((s.port, s.tls), (587, TlsMode::StartTlsRequired));
        let s = parse("smtps://mail.example.com");
        assert_eq!((s.port, s.tls), (465, TlsMode::Implicit));
        let s = parse("smtp://127.0.0.1:2525?tls=none");
        assert_eq!((s.port, s.tls), (2525, TlsMode::None));
        assert!(SmtpSettings::parse("http://mail.example.com").is_err());
        assert!(SmtpSettings::parse("smtp://mail.example.com?tls=maybe").is_err());
        assert!(SmtpSettings::parse("smtps://mail.example.com?tls=none").is_err());
    }

    #[test]
    fn credentials_are_decoded_and_masked() {
        let s = parse("smtp://apikey:s%40cr%3At@smtp.example.com:2587");
        assert_eq!(s.username.as_deref(), Some("apikey"));
        assert_eq!(s.password.as_deref(), Some("s@cr:t"));
        let shown = s.to_string();
        assert_eq!(shown, "smtp://apikey:***@smtp.example.com:2587");
        assert!(!format!("{s:?}").contains("cr"));
    }
}
