//! `organizations.usage`: each limit beside what is in use.

use roster_domain::OrgKey;
use roster_domain::Permission;
use roster_store::api_keys::{self, KeyOwner};
use roster_store::{invitations, projects, teams};

use crate::{Context, CoreError, Declared, Kind, Operation, Requirement};

#[derive(Debug, Clone)]
pub struct GetUsage {
    pub organization: OrgKey,
}

/// How much of one limit is used (`limit` `None`: unlimited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Used {
    pub used: i64,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub members: Used,
    /// Organization keys that work (neither revoked nor expired).
    pub api_keys: Used,
    /// Invitations that are pending and unexpired.
    pub invitations: Used,
    pub teams: Used,
    pub projects: Used,
}

impl Declared for GetUsage {
    const NAME: &'static str = "organizations.usage";
    // Counts of keys and invitations are the members' business, not a public visitor's.
    const REQUIRES: Requirement = Requirement::Organization(Permission::MembersRead);
    const KIND: Kind = Kind::Read;
}

impl Operation for GetUsage {
    type Output = Usage;

    fn run(self, cx: &mut Context<'_>) -> Result<Usage, CoreError> {
        let org = cx.organization(&self.organization)?.org;
        let now = cx.now();
        let limits = org.limits;
        Ok(Usage {
            members: Used {
                used: org.member_count,
                limit: limits.max_members,
            },
            api_keys: Used {
                used: api_keys::count_live(cx.conn(), KeyOwner::Organization(org.id), now)?,
                limit: limits.max_api_keys,
            },
            invitations: Used {
                used: invitations::count_open(cx.conn(), org.id, now)?,
                limit: limits.max_invitations,
            },
            teams: Used {
                used: teams::count_in(cx.conn(), org.id)?,
                limit: limits.max_teams,
            },
            projects: Used {
                used: projects::count_in(cx.conn(), org.id)?,
                limit: limits.max_projects,
            },
        })
    }
}
