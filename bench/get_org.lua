-- wrk script: GET /v1/organizations/{id}, a random id from the seeded set on every request.
-- Environment: ROSTER_TOKEN (a bearer access token), ROSTER_IDS_FILE (one organization id a line).

local token = os.getenv("ROSTER_TOKEN")
local ids_file = os.getenv("ROSTER_IDS_FILE")
if not token or not ids_file then
  error("set ROSTER_TOKEN and ROSTER_IDS_FILE")
end
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Accept"] = "application/json"

local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
end

local requests = {}
function init(args)
  -- Each thread has its own Lua state: its own requests, pre-formatted once, and its own seed.
  for id in io.lines(ids_file) do
    if #id > 0 then
      requests[#requests + 1] = wrk.format("GET", "/v1/organizations/" .. id)
    end
  end
  if #requests == 0 then
    error("no ids in " .. ids_file)
  end
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  return requests[math.random(#requests)]
end
