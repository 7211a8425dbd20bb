//! Standard Webhooks (<https://www.standardwebhooks.com>) as Roster sends them: secrets,
//! signatures (and their verification, for a receiver written in Rust), the rules for which
//! URLs messages may go to, and a sender that a hostile receiver cannot hold up.
//!
//! ```
//! use roster_webhooks::{verify, Secret, Signer};
//!
//! let secret = Secret::generate();
//! let (id, timestamp, body) = ("msg_1", 1_700_000_000, br#"{"type":"test"}"#);
//! let header = Signer::new(&[secret.clone()]).header(id, timestamp, body);
//! assert!(verify(&secret, id, timestamp, body, &header));
//! ```

mod secret;
mod sender;
mod signature;
mod target;

pub use secret::{Secret, SecretError};
pub use sender::{Attempt, AttemptError, Sender, ATTEMPT_TIMEOUT};
pub use signature::{verify, Signer};
pub use target::{is_public_address, TargetError, TargetPolicy};
