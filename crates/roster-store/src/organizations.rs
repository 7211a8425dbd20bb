//! The `organizations` table and the names organizations had before a rename.

use diesel::prelude::*;

use roster_domain::{Limits, OrgState, OrganizationId, UserId, Visibility};

use crate::schema::{organization_former_names, organizations};
use crate::{DbConn, DbId, JsonValue, NullableDbId, StoreError, Ts};

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = organizations)]
#[diesel(treat_none_as_null = true)]
pub struct OrganizationRow {
    #[diesel(serialize_as = DbId, deserialize_as = DbId)]
    pub id: OrganizationId,
    pub name: String,
    pub display_name: String,
    /// `display_name` lowercased (full Unicode), for case-insensitive prefix search on both
    /// databases; the store sets it on every write.
    pub display_name_folded: String,
    pub billing_email: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    pub address: JsonValue,
    pub reference: Option<String>,
    pub custom: JsonValue,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub state: OrgState,
    pub personal: bool,
    #[diesel(serialize_as = String, deserialize_as = String)]
    pub visibility: Visibility,
    pub max_members: Option<i64>,
    pub max_api_keys: Option<i64>,
    pub max_invitations: Option<i64>,
    pub max_teams: Option<i64>,
    pub max_projects: Option<i64>,
    /// Maintained by SQL increments as memberships change, never written back from a read.
    #[diesel(skip_update)]
    pub member_count: i64,
    pub version: i64,
    #[diesel(skip_update, serialize_as = NullableDbId, deserialize_as = NullableDbId)]
    pub created_by: Option<UserId>,
    #[diesel(skip_update)]
    pub created_at: Ts,
    pub updated_at: Ts,
    pub closed_at: Option<Ts>,
}

impl OrganizationRow {
    /// The caps set on the organization (platform admins set them).
    pub fn limits(&self) -> Limits {
        Limits {
            max_members: self.max_members,
            max_api_keys: self.max_api_keys,
            max_invitations: self.max_invitations,
            max_teams: self.max_teams,
            max_projects: self.max_projects,
        }
    }

    pub fn set_limits(&mut self, limits: Limits) {
        self.max_members = limits.max_members;
        self.max_api_keys = limits.max_api_keys;
        self.max_invitations = limits.max_invitations;
        self.max_teams = limits.max_teams;
        self.max_projects = limits.max_projects;
    }
}

pub use roster_domain::OrgKey;

/// Where a key led.
#[derive(Debug, Clone)]
pub enum Lookup {
    Found(Box<OrganizationRow>),
    /// The key is a former name of this organization.
    Renamed(Box<OrganizationRow>),
    Missing,
}

pub fn find(conn: &mut DbConn, id: OrganizationId) -> Result<Option<OrganizationRow>, StoreError> {
    Ok(organizations::table
        .find(DbId::from(id))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The organization, locked until the transaction ends (`FOR UPDATE` on Postgres; SQLite's
/// writers are serialized already), for a write that must not lose to a concurrent one.
pub fn find_for_update(
    conn: &mut DbConn,
    id: OrganizationId,
) -> Result<Option<OrganizationRow>, StoreError> {
    if let DbConn::Pg(pg) = conn {
        return Ok(organizations::table
            .find(DbId::from(id))
            .select(OrganizationRow::as_select())
            .for_update()
            .first(pg)
            .optional()?);
    }
    find(conn, id)
}

/// The organization, locked against every other change to it or to its memberships, keys and
/// invitations until the transaction ends (`FOR NO KEY UPDATE` on Postgres, which still lets
/// rows elsewhere refer to it; SQLite's writers are serialized already). Writers that check an
/// invariant across the organization (its last owner, its limits) take this lock first.
pub fn lock(conn: &mut DbConn, id: OrganizationId) -> Result<Option<OrganizationRow>, StoreError> {
    if let DbConn::Pg(pg) = conn {
        return Ok(organizations::table
            .find(DbId::from(id))
            .select(OrganizationRow::as_select())
            .for_no_key_update()
            .first(pg)
            .optional()?);
    }
    find(conn, id)
}

fn find_by_name(conn: &mut DbConn, name: &str) -> Result<Option<OrganizationRow>, StoreError> {
    Ok(organizations::table
        .filter(organizations::name.eq(name))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?)
}

/// Resolves an id or a name, following former names.
pub fn lookup(conn: &mut DbConn, key: &OrgKey) -> Result<Lookup, StoreError> {
    let name = match key {
        OrgKey::Id(id) => {
            return Ok(find(conn, *id)?.map_or(Lookup::Missing, |o| Lookup::Found(Box::new(o))))
        }
        OrgKey::Name(name) => name,
    };
    if let Some(org) = find_by_name(conn, name)? {
        return Ok(Lookup::Found(Box::new(org)));
    }
    let former = organization_former_names::table
        .inner_join(organizations::table)
        .filter(organization_former_names::name.eq(name))
        .select(OrganizationRow::as_select())
        .first(conn)
        .optional()?;
    Ok(former.map_or(Lookup::Missing, |o| Lookup::Renamed(Box::new(o))))
}

/// Inserts a new organization. A name that was another organization's *former* name is free
/// to take: its redirect ends here, in the same transaction.
pub fn insert(conn: &mut DbConn, row: &OrganizationRow) -> Result<(), StoreError> {
    release_former_name(conn, &row.name)?;
    let mut row = row.clone();
    row.display_name_folded = row.display_name.to_lowercase();
    diesel::insert_into(organizations::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Writes every column of `row` and bumps its version. When the name changed, the old one is
/// kept as a former name so links to it keep resolving.
pub fn update(
    conn: &mut DbConn,
    before: &OrganizationRow,
    row: &OrganizationRow,
) -> Result<OrganizationRow, StoreError> {
    if before.name != row.name {
        release_former_name(conn, &row.name)?;
        diesel::insert_into(organization_former_names::table)
            .values((
                organization_former_names::name.eq(&before.name),
                organization_former_names::organization_id.eq(DbId::from(before.id)),
                organization_former_names::created_at.eq(row.updated_at),
            ))
            .execute(conn)?;
    }
    let mut next = row.clone();
    next.version = before.version + 1;
    next.display_name_folded = next.display_name.to_lowercase();
    let updated = diesel::update(organizations::table.find(DbId::from(before.id)))
        .filter(organizations::version.eq(before.version))
        .set(next.clone())
        .execute(conn)?;
    if updated == 0 {
        // Someone else changed it between our read and this write.
        return Err(StoreError::Conflict);
    }
    Ok(next)
}

fn release_former_name(conn: &mut DbConn, name: &str) -> Result<(), StoreError> {
    diesel::delete(
        organization_former_names::table.filter(organization_former_names::name.eq(name)),
    )
    .execute(conn)?;
    Ok(())
}

/// Deletes an organization and, by cascade, everything it owns.
pub fn delete(conn: &mut DbConn, id: OrganizationId) -> Result<(), StoreError> {
    diesel::delete(organizations::table.find(DbId::from(id))).execute(conn)?;
    Ok(())
}

/// Adjusts the denormalized member count (kept in the row so reads need no COUNT).
pub fn add_members(conn: &mut DbConn, id: OrganizationId, delta: i64) -> Result<(), StoreError> {
    diesel::update(organizations::table.find(DbId::from(id)))
        .set(organizations::member_count.eq(organizations::member_count + delta))
        .execute(conn)?;
    Ok(())
}
