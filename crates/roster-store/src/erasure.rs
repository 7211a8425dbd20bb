//! Erasing a person's address from what outlives their account: the audit log (and the
//! webhook messages copied from it) keeps the user's id, never the address; invitations and
//! mail sent to it forget it; the responses kept for their `Idempotency-Key`s go. Rare work (an account deletion), so a scan of the log is acceptable.

use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

use roster_domain::UserId;

use crate::schema::{
    api_keys, events, idempotency_keys, invitations, login_failures, mail_outbox,
    webhook_deliveries,
};
use crate::{DbConn, DbId, JsonValue, NullableDbId, StoreError};

/// What an erased address reads as.
pub const ERASED: &str = "[erased]";

/// A `LIKE` pattern matching any text that contains `needle`.
fn containing(needle: &str) -> String {
    let mut pattern = String::from("%");
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Replaces every string in `value` equal to `email` (ignoring case) by [`ERASED`]; says
/// whether anything changed.
fn scrub(value: &mut serde_json::Value, email: &str) -> bool {
    match value {
        serde_json::Value::String(s) if s.eq_ignore_ascii_case(email) => {
            *s = ERASED.to_owned();
            true
        }
        serde_json::Value::Array(items) => scrub_all(items.iter_mut(), email),
        serde_json::Value::Object(fields) => scrub_all(fields.values_mut(), email),
        _ => false,
    }
}

/// [`scrub`] of every item (all of them: no stopping at the first change).
fn scrub_all<'a>(items: impl Iterator<Item = &'a mut serde_json::Value>, email: &str) -> bool {
    let mut changed = false;
    for item in items {
        changed |= scrub(item, email);
    }
    changed
}

/// Erases `email` (lowercase) and `user`'s name as an actor from the audit log, the webhook
/// messages and the invitations; returns how many rows changed.
pub fn erase_person(conn: &mut DbConn, user: UserId, email: &str) -> Result<usize, StoreError> {
    let mut changed = diesel::update(
        events::table.filter(events::actor_id.eq(NullableDbId(Some(DbId::from(user))))),
    )
    .set(events::actor_email.eq(None::<String>))
    .execute(conn)?;
    let mentions = || {
        diesel::dsl::sql::<Bool>("CAST(data AS TEXT) LIKE ")
            .bind::<Text, _>(containing(email))
            .sql(" ESCAPE '\\'")
    };
    let logged: Vec<(DbId, JsonValue)> = events::table
        .filter(mentions())
        .select((events::id, events::data))
        .load(conn)?;
    for (id, JsonValue(mut data)) in logged {
        if scrub(&mut data, email) {
            changed += diesel::update(events::table.find(id))
                .set(events::data.eq(JsonValue(data)))
                .execute(conn)?;
        }
    }
    let payload_mentions = diesel::dsl::sql::<Bool>("CAST(payload AS TEXT) LIKE ")
        .bind::<Text, _>(containing(email))
        .sql(" ESCAPE '\\'");
    let copied: Vec<(DbId, Option<JsonValue>)> = webhook_deliveries::table
        .filter(payload_mentions)
        .select((webhook_deliveries::id, webhook_deliveries::payload))
        .load(conn)?;
    for (id, payload) in copied {
        let Some(JsonValue(mut payload)) = payload else {
            continue;
        };
        if scrub(&mut payload, email) {
            changed += diesel::update(webhook_deliveries::table.find(id))
                .set(webhook_deliveries::payload.eq(Some(JsonValue(payload))))
                .execute(conn)?;
        }
    }
    // Invitations that are no longer pending forget the address (a pending one to it was
    // revoked by the caller first: the pending ones are unique per address).
    changed += diesel::update(
        invitations::table
            .filter(invitations::email.eq(email))
            .filter(invitations::state.ne("pending")),
    )
    .set(invitations::email.eq(ERASED))
    .execute(conn)?;
    changed += diesel::delete(login_failures::table.filter(login_failures::account.eq(email)))
        .execute(conn)?;
    // Mail to the address that no account row names any more (a reset it asked for).
    changed += diesel::update(mail_outbox::table.filter(mail_outbox::recipient.eq(email)))
        .set((
            mail_outbox::recipient.eq(ERASED),
            mail_outbox::data.eq(Vec::<u8>::new()),
            mail_outbox::secret.eq(None::<Vec<u8>>),
        ))
        .execute(conn)?;
    // Responses kept for the user's Idempotency-Keys hold what the user sent and was shown.
    changed += diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::scope.like(format!("user:{user}/%"))),
    )
    .execute(conn)?;
    Ok(changed)
}

/// Drops the responses kept for the `Idempotency-Key`s of the API keys `user` made (before
/// the user, and with them their keys, are deleted): they hold what was sent and shown.
pub fn forget_keys_made_by(conn: &mut DbConn, user: UserId) -> Result<usize, StoreError> {
    let keys: Vec<DbId> = api_keys::table
        .filter(api_keys::user_id.eq(DbId::from(user)))
        .select(api_keys::id)
        .load(conn)?;
    let scopes: Vec<String> = keys
        .iter()
        .map(|key| format!("api_key:{}", key.0))
        .collect();
    if scopes.is_empty() {
        return Ok(0);
    }
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::scope.eq_any(scopes)))
            .execute(conn)?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_every_mention_and_nothing_else() {
        let mut data = serde_json::json!({
            "email": "Ada@Example.com",
            "changes": {"email": {"from": "ada@example.com", "to": "new@example.com"}},
            "list": ["ada@example.com", "other@example.com"],
            "note": "ada@example.com wrote this"
        });
        assert!(scrub(&mut data, "ada@example.com"));
        assert_eq!(data["email"], ERASED);
        assert_eq!(data["changes"]["email"]["from"], ERASED);
        assert_eq!(data["changes"]["email"]["to"], "new@example.com");
        assert_eq!(data["list"][0], ERASED);
        assert_eq!(data["list"][1], "other@example.com");
        assert!(!scrub(&mut data, "nobody@example.com"));
    }

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(containing("a_b%c@x"), "%a\\_b\\%c@x%");
    }
}
