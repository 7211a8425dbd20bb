//! Request extractors: bodies, callers and preconditions, each answering problem responses.

mod caller;
mod distinct_keys;
mod if_match;
pub mod json_body;
mod query;

pub(crate) use caller::{credential, verify};
pub use caller::{Authenticated, Caller, OptionalCaller};
pub use if_match::IfMatch;
pub use json_body::{double_option, not_null, JsonBody};
pub use query::{from_query_text, Query};
