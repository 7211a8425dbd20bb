//! Sign-in sessions: tokens for a password or a refresh token, and signing out.

pub(crate) mod events;
mod grant;
mod refresh;
mod sign_in;
mod sign_out;
mod tokens;
mod whoami;

pub use grant::{Grant, IssueTokens};
pub use refresh::{Refresh, Refreshed};
pub use sign_in::SignIn;
pub use sign_out::SignOut;
pub use tokens::IssuedTokens;
pub use whoami::{Identity, WhoAmI};
