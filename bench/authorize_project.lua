-- wrk script: POST /v1/organizations/{org}/authorize about one member, with or without a project.
-- Environment: ROSTER_TOKEN (a bearer access token), ROSTER_MEMBER (the member's user id),
-- ROSTER_PERMISSIONS (comma-separated), ROSTER_PROJECT (id or name; empty: no project),
-- ROSTER_PROJECT_ACCESS (reader, writer or owner; default reader).

local token = os.getenv("ROSTER_TOKEN")
local member = os.getenv("ROSTER_MEMBER")
local permissions = os.getenv("ROSTER_PERMISSIONS") or "organization:read,members:read,projects:read"
local project = os.getenv("ROSTER_PROJECT") or ""
local access = os.getenv("ROSTER_PROJECT_ACCESS") or "reader"
if not token or not member then
  error("set ROSTER_TOKEN and ROSTER_MEMBER")
end

local quoted = {}
for p in string.gmatch(permissions, "[^,]+") do
  quoted[#quoted + 1] = '"' .. p .. '"'
end
local body = '{"user_id": "' .. member .. '", "permissions": [' .. table.concat(quoted, ", ") .. ']'
if project ~= "" then
  body = body .. ', "project": "' .. project .. '", "project_access": "' .. access .. '"'
end

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = body .. "}"
