use serde::{Deserialize, Serialize};

/// Who may read an organization's profile: only members (`private`) or any signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Private,
    Public,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "private",
            Visibility::Public => "public",
        }
    }

    pub fn parse(raw: &str) -> Option<Visibility> {
        match raw {
            "private" => Some(Visibility::Private),
            "public" => Some(Visibility::Public),
            _ => None,
        }
    }
}

impl TryFrom<String> for Visibility {
    type Error = crate::UnknownValue;
    fn try_from(raw: String) -> Result<Self, crate::UnknownValue> {
        Visibility::parse(&raw).ok_or(crate::UnknownValue {
            kind: "visibility",
            value: raw,
        })
    }
}

impl From<Visibility> for String {
    fn from(value: Visibility) -> String {
        value.as_str().to_owned()
    }
}
