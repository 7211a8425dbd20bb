//! The `roles` table: an organization's custom roles. The built-in roles live in code.

use diesel::prelude::*;

use roster_domain::OrganizationId;

use crate::schema::roles;
use crate::{DbConn, DbId, JsonValue, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = roles)]
pub struct RoleRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub organization_id: OrganizationId,
    pub key: String,
    pub name: String,
    pub description: Option<String>,
    /// Catalogue permissions and application tags, as given.
    #[diesel(serialize_as = JsonValue, deserialize_as = JsonValue)]
    pub permissions: Vec<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

pub fn insert(conn: &mut DbConn, row: &RoleRow) -> Result<(), StoreError> {
    diesel::insert_into(roles::table)
        .values(row.clone())
        .execute(conn)?;
    Ok(())
}

pub fn find(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    key: &str,
) -> Result<Option<RoleRow>, StoreError> {
    Ok(roles::table
        .find((DbId::from(organization_id), key))
        .select(RoleRow::as_select())
        .first(conn)
        .optional()?)
}

/// Up to `limit` custom roles of the organization ordered by key, after `after`.
pub fn list(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    after: Option<&str>,
    offset: i64,
    limit: i64,
) -> Result<Vec<RoleRow>, StoreError> {
    let mut query = roles::table
        .filter(roles::organization_id.eq(DbId::from(organization_id)))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(roles::key.gt(after.to_owned()));
    }
    Ok(query
        .order(roles::key.asc())
        .offset(offset)
        .limit(limit)
        .select(RoleRow::as_select())
        .load(conn)?)
}

pub fn count(conn: &mut DbConn, organization_id: OrganizationId) -> Result<i64, StoreError> {
    Ok(roles::table
        .filter(roles::organization_id.eq(DbId::from(organization_id)))
        .count()
        .get_result(conn)?)
}

/// Writes a role's name, description, permissions and `updated_at`.
pub fn update(conn: &mut DbConn, row: &RoleRow) -> Result<(), StoreError> {
    diesel::update(roles::table.find((DbId::from(row.organization_id), row.key.as_str())))
        .set((
            roles::name.eq(&row.name),
            roles::description.eq(&row.description),
            roles::permissions.eq(JsonValue::from(row.permissions.clone())),
            roles::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn delete(
    conn: &mut DbConn,
    organization_id: OrganizationId,
    key: &str,
) -> Result<bool, StoreError> {
    Ok(diesel::delete(roles::table.find((DbId::from(organization_id), key))).execute(conn)? > 0)
}
