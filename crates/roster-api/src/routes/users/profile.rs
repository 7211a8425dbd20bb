//! Profile changes shared by `PATCH /v1/users/me` and the admin's `PATCH /v1/users/{id}`.

use roster_domain::{optional_text, Email};
use roster_store::users::{self, UserChanges, UserRow};
use roster_store::{DbConn, StoreError, Ts};

use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder};

use super::json::User;
use crate::error::ApiError;

pub const NAME_MAX: usize = 200;

/// Validates a display name (`None` clears it).
pub fn parse_name(name: Option<&str>) -> Result<Option<String>, ApiError> {
    Ok(optional_text(name, "name", NAME_MAX)?)
}

/// Applies `changes` to the user as read in `before`, answering 409 when the new email belongs
/// to someone else or when another request changed the user in between.
pub fn apply(
    conn: &mut DbConn,
    before: &UserRow,
    mut changes: UserChanges,
) -> Result<UserRow, ApiError> {
    changes.updated_at = Some(Ts::now());
    users::update_if_unchanged(conn, before, &changes).map_err(|error| match error {
        StoreError::UniqueViolation { .. } => email_taken(),
        StoreError::NotFound => ApiError::not_found("user"),
        other => other.into(),
    })
}

pub fn parse_email(raw: &str) -> Result<Email, ApiError> {
    Ok(Email::parse(raw)?)
}

pub fn email_taken() -> ApiError {
    ApiError::Conflict("a user with this email already exists".into())
}

/// A strong validator that changes with every write of the user.
pub fn etag(row: &UserRow) -> String {
    format!(
        "\"{}-{}\"",
        row.id.0.simple(),
        row.updated_at.0.timestamp_micros()
    )
}

/// The user as JSON, with its ETag.
pub fn respond(mut builder: HttpResponseBuilder, row: &UserRow) -> HttpResponse {
    builder
        .insert_header((header::ETAG, etag(row)))
        .json(User::from(row))
}
