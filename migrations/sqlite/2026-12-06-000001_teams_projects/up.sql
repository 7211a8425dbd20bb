-- Teams and projects (Concord's model): teams group an organization's members, projects are
-- the application's own resources, and a project grants teams an access level.
-- The Postgres tree holds the same schema.

ALTER TABLE organizations ADD COLUMN max_teams BIGINT;
ALTER TABLE organizations ADD COLUMN max_projects BIGINT;

-- A team: a name unique within its organization. `(organization_id, id)` is unique too, so that
-- team members and grants can name the organization with the team and the database itself
-- refuses a team of one organization in another's project.
CREATE TABLE teams (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    organization_id TEXT_UUID      NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT           NOT NULL,
    display_name    TEXT           NOT NULL,
    description     TEXT,
    custom          TEXT_JSON      NOT NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    updated_at      TEXT_TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX teams_org_name_key ON teams (organization_id, name);
CREATE UNIQUE INDEX teams_org_id_key ON teams (organization_id, id);
CREATE INDEX teams_org_created_idx ON teams (organization_id, created_at, id);

-- A team's members are current members of its organization: the membership's end takes the
-- team membership with it (Roster removes them first, each with its event; the cascade is the
-- guarantee). `role` is member or maintainer.
CREATE TABLE team_members (
    team_id         TEXT_UUID      NOT NULL,
    organization_id TEXT_UUID      NOT NULL,
    user_id         TEXT_UUID      NOT NULL,
    role            TEXT           NOT NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    updated_at      TEXT_TIMESTAMP NOT NULL,
    PRIMARY KEY (team_id, user_id),
    FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, user_id) REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX team_members_org_user_idx ON team_members (organization_id, user_id, team_id);
CREATE INDEX team_members_team_created_idx ON team_members (team_id, created_at, user_id);

-- A project: `visibility` private (only through its grants and the role) or organization
-- (every member reads it).
CREATE TABLE projects (
    id              TEXT_UUID      NOT NULL PRIMARY KEY,
    organization_id TEXT_UUID      NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            TEXT           NOT NULL,
    display_name    TEXT           NOT NULL,
    description     TEXT,
    visibility      TEXT           NOT NULL,
    custom          TEXT_JSON      NOT NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    updated_at      TEXT_TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX projects_org_name_key ON projects (organization_id, name);
CREATE UNIQUE INDEX projects_org_id_key ON projects (organization_id, id);
CREATE INDEX projects_org_created_idx ON projects (organization_id, created_at, id);

-- What a project grants a team. `access` is ordered so that the highest of several grants is
-- their MAX: 1 reader, 2 writer, 3 owner. Both references carry the organization: a grant
-- between two organizations cannot be written.
CREATE TABLE project_grants (
    project_id      TEXT_UUID      NOT NULL,
    team_id         TEXT_UUID      NOT NULL,
    organization_id TEXT_UUID      NOT NULL,
    access          INTEGER     NOT NULL,
    created_at      TEXT_TIMESTAMP NOT NULL,
    updated_at      TEXT_TIMESTAMP NOT NULL,
    PRIMARY KEY (project_id, team_id),
    FOREIGN KEY (organization_id, project_id) REFERENCES projects (organization_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, team_id) REFERENCES teams (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX project_grants_team_idx ON project_grants (team_id, project_id);
-- A user's level on a project reads its grants' teams and levels from this index alone.
CREATE INDEX project_grants_project_access_idx ON project_grants (project_id, team_id, access);
