// The README is the crate's front page; including it here also compiles and runs its example.
#![doc = include_str!("../README.md")]

mod kind;
mod smtp_url;
mod templates;
mod transport;

pub use kind::MessageKind;
pub use smtp_url::{SmtpSettings, SmtpUrlError, TlsMode};
pub use templates::{Rendered, TemplateError, Templates};
pub use transport::{parse_from, SendError, Transport};
