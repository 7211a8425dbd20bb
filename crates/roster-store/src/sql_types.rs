//! Native Postgres column types (`uuid`, `jsonb`, `timestamptz`) that become TEXT on SQLite.
//!
//! Diesel's derived `MultiBackend` only knows a common subset of SQL types, so each of ours is
//! a small custom SQL type plus a Rust newtype (coherence forbids implementing Diesel's traits
//! for `uuid::Uuid` against a local SQL type directly). On SQLite, UUIDs are lowercase
//! hyphenated text and timestamps fixed-width `%Y-%m-%dT%H:%M:%S%.6fZ`, so that text order
//! equals value order and keyset cursors behave the same on both databases.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{HasSqlType, SqlType};
use diesel::sqlite::Sqlite;

use crate::connection::MultiBackend;

/// `uuid` on Postgres, TEXT on SQLite.
///
/// The PostgreSQL types are given by their fixed, built-in OIDs rather than by name: a name costs
/// each new connection a lookup query, and a lookup on a connection the server just dropped
/// failed as an internal error instead of "unavailable".
#[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(oid = 2950, array_oid = 2951))]
#[diesel(sqlite_type(name = "Text"))]
pub struct DbUuid;

/// `jsonb` on Postgres, TEXT on SQLite.
#[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(oid = 3802, array_oid = 3807))]
#[diesel(sqlite_type(name = "Text"))]
pub struct DbJson;

/// `timestamptz` on Postgres, TEXT on SQLite.
#[derive(Debug, Clone, Copy, Default, SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(oid = 1184, array_oid = 1185))]
#[diesel(sqlite_type(name = "Text"))]
pub struct DbTimestamp;

// Both forms order as time does (SQLite's is fixed-width text), so `min`/`max` mean what they say.
impl diesel::sql_types::SqlOrd for DbTimestamp {}

/// A UUID column value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = DbUuid)]
pub struct DbId(pub uuid::Uuid);

/// A JSON column value.
#[derive(Debug, Clone, PartialEq, AsExpression, FromSqlRow)]
#[diesel(sql_type = DbJson)]
pub struct JsonValue(pub serde_json::Value);

/// A timestamp column value, always UTC and truncated to microseconds (what both databases keep).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = DbTimestamp)]
pub struct Ts(pub DateTime<Utc>);

const SQLITE_TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

impl Ts {
    /// Now, at the precision the database keeps, so a value read back equals the value written.
    pub fn now() -> Ts {
        Ts(Utc::now().trunc_subsecs(6))
    }

    pub fn from_datetime(at: DateTime<Utc>) -> Ts {
        Ts(at.trunc_subsecs(6))
    }

    /// A time that came from a client (a cursor): `None` outside years 1–9999, the range both
    /// databases store and SQLite's fixed-width text orders correctly.
    pub fn checked(at: DateTime<Utc>) -> Option<Ts> {
        roster_domain::storable_instant(at).map(Ts)
    }

    /// The SQLite text form; also what keyset cursors compare.
    pub fn to_sqlite_text(self) -> String {
        self.0.format(SQLITE_TIMESTAMP_FORMAT).to_string()
    }
}

impl From<uuid::Uuid> for DbId {
    fn from(id: uuid::Uuid) -> Self {
        DbId(id)
    }
}

/// The domain's typed ids convert to and from the column value, so rows hold them
/// (`#[diesel(serialize_as = DbId, deserialize_as = DbId)]`) and queries bind them
/// (`DbId::from(id)`).
macro_rules! typed_id {
    ($($id:ty),+) => {$(
        impl From<$id> for DbId {
            fn from(id: $id) -> DbId {
                DbId(id.as_uuid())
            }
        }
        impl From<DbId> for $id {
            fn from(id: DbId) -> $id {
                <$id>::from_uuid(id.0)
            }
        }
        impl From<NullableDbId> for Option<$id> {
            fn from(id: NullableDbId) -> Option<$id> {
                id.0.map(<$id>::from)
            }
        }
        impl From<Option<$id>> for NullableDbId {
            fn from(id: Option<$id>) -> NullableDbId {
                NullableDbId(id.map(DbId::from))
            }
        }
    )+};
}

typed_id!(
    roster_domain::TeamId,
    roster_domain::ProjectId,
    roster_domain::UserId,
    roster_domain::OrganizationId,
    roster_domain::SessionId,
    roster_domain::RefreshTokenId,
    roster_domain::EventId,
    roster_domain::InvitationId,
    roster_domain::ApiKeyId,
    roster_domain::WebhookId,
    roster_domain::DeliveryId
);

/// A list of strings kept as a JSON array (permission lists): rows hold `Vec<String>`
/// (`#[diesel(serialize_as = JsonValue, deserialize_as = JsonValue)]`).
impl From<Vec<String>> for JsonValue {
    fn from(list: Vec<String>) -> JsonValue {
        JsonValue(serde_json::Value::from(list))
    }
}

impl TryFrom<JsonValue> for Vec<String> {
    type Error = NotAStringList;

    fn try_from(value: JsonValue) -> Result<Vec<String>, NotAStringList> {
        serde_json::from_value(value.0).map_err(|_| NotAStringList)
    }
}

/// A JSON column that should hold an array of strings holds something else (a corrupt row).
#[derive(Debug, thiserror::Error)]
#[error("a JSON column holds something other than an array of strings")]
pub struct NotAStringList;

/// A nullable UUID column value, for rows whose field is an `Option` of a typed id
/// (`#[diesel(serialize_as = NullableDbId, deserialize_as = NullableDbId)]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Nullable<DbUuid>)]
pub struct NullableDbId(pub Option<DbId>);

/// Writes NULL or the id, as [`DbId`] does on each backend.
macro_rules! nullable_id_sql {
    ($backend:ty) => {
        impl ToSql<diesel::sql_types::Nullable<DbUuid>, $backend> for NullableDbId {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, $backend>) -> serialize::Result {
                match &self.0 {
                    Some(id) => <DbId as ToSql<DbUuid, $backend>>::to_sql(id, out),
                    None => Ok(IsNull::Yes),
                }
            }
        }

        impl FromSql<diesel::sql_types::Nullable<DbUuid>, $backend> for NullableDbId {
            fn from_sql(bytes: <$backend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                <DbId as FromSql<DbUuid, $backend>>::from_sql(bytes)
                    .map(|id| NullableDbId(Some(id)))
            }

            fn from_nullable_sql(
                bytes: Option<<$backend as Backend>::RawValue<'_>>,
            ) -> deserialize::Result<Self> {
                bytes.map_or(Ok(NullableDbId(None)), |bytes| {
                    <Self as FromSql<diesel::sql_types::Nullable<DbUuid>, $backend>>::from_sql(
                        bytes,
                    )
                })
            }
        }
    };
}

nullable_id_sql!(MultiBackend);
nullable_id_sql!(Pg);
nullable_id_sql!(Sqlite);

macro_rules! multi_backend_type {
    ($sql:ident, $rust:ty) => {
        impl HasSqlType<$sql> for MultiBackend {
            fn metadata(lookup: &mut Self::MetadataLookup) -> Self::TypeMetadata {
                MultiBackend::lookup_sql_type::<$sql>(lookup)
            }
        }

        impl FromSql<$sql, MultiBackend> for $rust {
            fn from_sql(
                bytes: <MultiBackend as Backend>::RawValue<'_>,
            ) -> deserialize::Result<Self> {
                bytes.from_sql::<$rust, $sql>()
            }
        }

        impl ToSql<$sql, MultiBackend> for $rust {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value(($sql, self));
                Ok(IsNull::No)
            }
        }
    };
}

multi_backend_type!(DbUuid, DbId);
multi_backend_type!(DbJson, JsonValue);
multi_backend_type!(DbTimestamp, Ts);

// --- Postgres: delegate to Diesel's native impls.

impl ToSql<DbUuid, Pg> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <uuid::Uuid as ToSql<diesel::sql_types::Uuid, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<DbUuid, Pg> for DbId {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <uuid::Uuid as FromSql<diesel::sql_types::Uuid, Pg>>::from_sql(bytes).map(DbId)
    }
}

impl ToSql<DbJson, Pg> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <serde_json::Value as ToSql<diesel::sql_types::Jsonb, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<DbJson, Pg> for JsonValue {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <serde_json::Value as FromSql<diesel::sql_types::Jsonb, Pg>>::from_sql(bytes).map(JsonValue)
    }
}

impl ToSql<DbTimestamp, Pg> for Ts {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <DateTime<Utc> as ToSql<diesel::sql_types::Timestamptz, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<DbTimestamp, Pg> for Ts {
    fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        <DateTime<Utc> as FromSql<diesel::sql_types::Timestamptz, Pg>>::from_sql(bytes).map(Ts)
    }
}

// --- SQLite: text in a fixed, order-preserving format.

fn sqlite_text(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<String> {
    <String as FromSql<diesel::sql_types::Text, Sqlite>>::from_sql(bytes)
}

impl ToSql<DbUuid, Sqlite> for DbId {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.0.hyphenated().to_string());
        Ok(IsNull::No)
    }
}

impl FromSql<DbUuid, Sqlite> for DbId {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(DbId(uuid::Uuid::parse_str(&sqlite_text(bytes)?)?))
    }
}

impl ToSql<DbJson, Sqlite> for JsonValue {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(serde_json::to_string(&self.0)?);
        Ok(IsNull::No)
    }
}

impl FromSql<DbJson, Sqlite> for JsonValue {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(JsonValue(serde_json::from_str(&sqlite_text(bytes)?)?))
    }
}

impl ToSql<DbTimestamp, Sqlite> for Ts {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_sqlite_text());
        Ok(IsNull::No)
    }
}

impl FromSql<DbTimestamp, Sqlite> for Ts {
    fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
        let text = sqlite_text(bytes)?;
        let naive = NaiveDateTime::parse_from_str(&text, SQLITE_TIMESTAMP_FORMAT)?;
        Ok(Ts(naive.and_utc()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_timestamps_sort_as_text() {
        let early = Ts::from_datetime("2026-01-02T03:04:05.000001Z".parse().unwrap());
        let late = Ts::from_datetime("2026-01-02T03:04:05.1Z".parse().unwrap());
        assert_eq!(early.to_sqlite_text(), "2026-01-02T03:04:05.000001Z");
        assert!(early.to_sqlite_text() < late.to_sqlite_text());
    }
}
