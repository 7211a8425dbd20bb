-- wrk script: POST /v1/organizations/big/authorize, asking about one member.
-- Environment: ROSTER_TOKEN (a bearer access token), ROSTER_MEMBER (the member's user id).

local token = os.getenv("ROSTER_TOKEN")
local member = os.getenv("ROSTER_MEMBER")
if not token or not member then
  error("set ROSTER_TOKEN and ROSTER_MEMBER")
end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"user_id": "' .. member .. '", "permissions": ["members:read", "billing:read", "billing:refund"]}'
