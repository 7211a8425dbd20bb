DROP TABLE project_grants;
DROP TABLE projects;
DROP TABLE team_members;
DROP TABLE teams;
ALTER TABLE organizations DROP COLUMN max_projects;
ALTER TABLE organizations DROP COLUMN max_teams;
