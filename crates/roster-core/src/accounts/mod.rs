//! Accounts people can trust: proven addresses, a way back from a forgotten password, an
//! administrator's password reset, and deleting an account with its personal data. Every
//! message goes through the mail outbox, in the transaction that causes it.

mod delete;
mod password_reset;
mod set_password;
mod tokens;
mod verification;

pub use delete::{DeleteMe, DeleteUser};
pub(crate) use password_reset::IssueReset;
pub use password_reset::{ConfirmPasswordReset, RequestPasswordReset};
pub use set_password::SetPassword;
pub(crate) use verification::{send_verification, verify_address};
pub use verification::{ResendVerification, VerifyEmail};
