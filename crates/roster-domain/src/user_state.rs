use serde::{Deserialize, Serialize};

use crate::UnknownValue;

/// Whether a user may sign in and act: a disabled user's credentials stop working at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserState {
    Active,
    Disabled,
}

impl UserState {
    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Active => "active",
            UserState::Disabled => "disabled",
        }
    }

    pub fn parse(raw: &str) -> Option<UserState> {
        match raw {
            "active" => Some(UserState::Active),
            "disabled" => Some(UserState::Disabled),
            _ => None,
        }
    }
}

impl TryFrom<String> for UserState {
    type Error = UnknownValue;
    fn try_from(raw: String) -> Result<Self, UnknownValue> {
        UserState::parse(&raw).ok_or(UnknownValue {
            kind: "user state",
            value: raw,
        })
    }
}

impl From<UserState> for String {
    fn from(state: UserState) -> String {
        state.as_str().to_owned()
    }
}
