-- wrk script: POST /v1/organizations/{org}/members, a random seeded user to a random seeded
-- organization. Environment: ROSTER_TOKEN, ROSTER_ORGS_FILE (one organization id a line),
-- ROSTER_USERS_FILE (one user id a line).

local token = os.getenv("ROSTER_TOKEN")
local orgs_file, users_file = os.getenv("ROSTER_ORGS_FILE"), os.getenv("ROSTER_USERS_FILE")
if not token or not orgs_file or not users_file then
  error("set ROSTER_TOKEN, ROSTER_ORGS_FILE and ROSTER_USERS_FILE")
end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

-- setup() runs in the main state and numbers the threads; each thread's own state sees its
-- number as the global `thread_number` (a local of that name would hide it: the script runs
-- again in every thread, and both would then take the same names or users).
local threads_made = 0
function setup(thread)
  threads_made = threads_made + 1
  thread:set("thread_number", threads_made)
end

local orgs, users = {}, {}
function init(args)
  for id in io.lines(orgs_file) do if #id > 0 then orgs[#orgs + 1] = id end end
  for id in io.lines(users_file) do if #id > 0 then users[#users + 1] = id end end
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

-- A random user to a random organization: among 400,000 users and 64 organizations, a pair
-- comes up twice (a 409) a few times in a run, warm-up included; the report counts them.
function request()
  local user = users[math.random(#users)]
  local org = orgs[math.random(#orgs)]
  return wrk.format(nil, "/v1/organizations/" .. org .. "/members",
    nil, '{"user_id":"' .. user .. '","role":"member"}')
end
