-- wrk script: POST /v1/organizations/big/authorize, about a random one of many members on every
-- request: traffic over far more memberships than the read cache holds, to show it stays within
-- its size (evicting) and what a miss costs.
-- Environment: ROSTER_TOKEN (a bearer access token), ROSTER_MEMBERS_FILE (one user id a line).

local token = os.getenv("ROSTER_TOKEN")
local members_file = os.getenv("ROSTER_MEMBERS_FILE")
if not token or not members_file then
  error("set ROSTER_TOKEN and ROSTER_MEMBERS_FILE")
end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
end

local bodies = {}
function init(args)
  for id in io.lines(members_file) do
    if #id > 0 then
      bodies[#bodies + 1] = '{"user_id": "' .. id .. '", "permissions": ["members:read", "billing:read", "billing:refund"]}'
    end
  end
  if #bodies == 0 then
    error("no ids in " .. members_file)
  end
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  return wrk.format(nil, nil, nil, bodies[math.random(#bodies)])
end
