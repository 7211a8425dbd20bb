//! The cursors of team and project lists: bound to the organization (or the team, or the
//! project) whose list issued them, and to its sort and direction, so that a cursor never
//! reads another tenant's rows nor jumps between orders.

use chrono::{DateTime, Utc};
use roster_domain::NamedSort;
use roster_store::named::NamedKeyset;
use roster_store::Ts;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::CoreError;

/// Where the next page of a list sorted by name or age starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NamedCursor {
    /// The organization, team or project whose list it is.
    scope: Uuid,
    sort: String,
    descending: bool,
    /// The last row's sort value (its name, or its time).
    value: String,
    id: Uuid,
}

fn sort_name(sort: NamedSort) -> &'static str {
    match sort {
        NamedSort::Name => "name",
        NamedSort::CreatedAt => "created_at",
    }
}

fn foreign() -> CoreError {
    CoreError::BadRequest("after is not a cursor this endpoint issued".into())
}

impl NamedCursor {
    /// The cursor that continues after the row `(name, created_at, id)` of `scope`'s list.
    pub fn after(
        scope: Uuid,
        sort: NamedSort,
        descending: bool,
        (name, created_at, id): (&str, DateTime<Utc>, Uuid),
    ) -> NamedCursor {
        NamedCursor {
            scope,
            sort: sort_name(sort).to_owned(),
            descending,
            value: match sort {
                NamedSort::Name => name.to_owned(),
                NamedSort::CreatedAt => Ts(created_at).to_sqlite_text(),
            },
            id,
        }
    }

    /// Where to continue `scope`'s list in this order: 400 for a cursor of another list.
    pub fn keyset(
        &self,
        scope: Uuid,
        sort: NamedSort,
        descending: bool,
    ) -> Result<NamedKeyset, CoreError> {
        if self.scope != scope {
            return Err(CoreError::BadRequest(
                "this cursor belongs to another list".into(),
            ));
        }
        if self.sort != sort_name(sort) || self.descending != descending {
            return Err(CoreError::BadRequest(
                "this cursor belongs to another sort or direction".into(),
            ));
        }
        Ok(match sort {
            NamedSort::Name => NamedKeyset::Name(self.value.clone(), self.id),
            NamedSort::CreatedAt => {
                let at = chrono::DateTime::parse_from_rfc3339(&self.value)
                    .ok()
                    .and_then(|at| Ts::checked(at.with_timezone(&chrono::Utc)))
                    .ok_or_else(foreign)?;
                NamedKeyset::CreatedAt(at, self.id)
            }
        })
    }

    /// For lists in one fixed order by a name (a project's grants by team name, a team's
    /// by project name): the name to continue after.
    pub fn name_after(&self, scope: Uuid) -> Result<String, CoreError> {
        self.keyset(scope, NamedSort::Name, false)
            .map(|keyset| match keyset {
                NamedKeyset::Name(name, _) => name,
                NamedKeyset::CreatedAt(..) => String::new(),
            })
    }

    /// For lists in the order rows joined (a team's members): the time and id to continue after.
    pub fn joined_after(&self, scope: Uuid) -> Result<(Ts, Uuid), CoreError> {
        match self.keyset(scope, NamedSort::CreatedAt, false)? {
            NamedKeyset::CreatedAt(at, id) => Ok((at, id)),
            NamedKeyset::Name(..) => Err(foreign()),
        }
    }
}
