//! Roster's email. What each message says comes from [`Templates`] (plain text and HTML, from
//! defaults built into the binary or a deployment's own folder); how it leaves is a
//! [`Transport`]: SMTP, or the log when no server is configured. Queuing, retries and who is
//! sent what are the core's business: this crate renders and sends one message.

mod kind;
mod smtp_url;
mod templates;
mod transport;

pub use kind::MessageKind;
pub use smtp_url::{SmtpSettings, SmtpUrlError, TlsMode};
pub use templates::{Rendered, TemplateError, Templates};
pub use transport::{parse_from, SendError, Transport};
