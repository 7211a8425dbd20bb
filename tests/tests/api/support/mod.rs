//! Requests and assertions that several test areas share. Problem assertions, `send_with`
//! and the user helpers are in the `roster_tests` library.

pub mod access;
pub mod cursors;
pub mod events;
pub mod organizations;
pub mod stored;
pub mod teams;
pub mod token_endpoint;
