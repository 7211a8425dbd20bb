// The README is the crate's front page; including it here also compiles and runs its example.
#![doc = include_str!("../README.md")]

mod secret;
mod sender;
mod signature;
mod target;

pub use secret::{Secret, SecretError};
pub use sender::{Attempt, AttemptError, Sender, ATTEMPT_TIMEOUT};
pub use signature::{verify, Signer};
pub use target::{is_public_address, TargetError, TargetPolicy};
