//! Enums stored as their names: the database holds `"active"`, the row type holds `OrgState`.

/// A stored text that names no value of the type it should hold (a corrupt row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// `TryFrom<String>` and `From<T> for String` for a type with `as_str` and a `parse` that
/// answers an `Option` (or give the parsing function); `kind` names the type in the error a
/// corrupt row gives.
macro_rules! stored_as_text {
    ($type:ty, $kind:literal) => {
        stored_as_text!($type, $kind, <$type>::parse);
    };
    ($type:ty, $kind:literal, $parse:expr) => {
        impl TryFrom<String> for $type {
            type Error = $crate::UnknownValue;
            fn try_from(raw: String) -> Result<Self, $crate::UnknownValue> {
                let parse: fn(&str) -> Option<$type> = $parse;
                parse(&raw).ok_or($crate::UnknownValue {
                    kind: $kind,
                    value: raw,
                })
            }
        }

        impl From<$type> for String {
            fn from(value: $type) -> String {
                value.as_str().to_owned()
            }
        }
    };
}
