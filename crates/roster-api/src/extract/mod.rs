//! Request extractors: the operation's caller, bodies and preconditions, each answering
//! problem responses.

mod call;
mod distinct_keys;
mod if_match;
pub mod json_body;
mod query;

pub use call::Call;
pub(crate) use call::{app_state, authenticate, credential};
pub use if_match::IfMatch;
pub use json_body::{double_option, not_null, JsonBody};
pub use query::{from_query_text, Query};
