-- wrk script: POST /v1/organizations/{org}/members, each request adds a user never added before
-- (each thread walks its own slice of the seeded users) to one of the seeded organizations.
-- Environment: ROSTER_TOKEN, ROSTER_ORGS_FILE (one organization id a line), ROSTER_USERS_FILE
-- (one user id a line), ROSTER_THREADS (wrk's -t).

local token = os.getenv("ROSTER_TOKEN")
local orgs_file, users_file = os.getenv("ROSTER_ORGS_FILE"), os.getenv("ROSTER_USERS_FILE")
local threads = tonumber(os.getenv("ROSTER_THREADS") or "2")
if not token or not orgs_file or not users_file then
  error("set ROSTER_TOKEN, ROSTER_ORGS_FILE and ROSTER_USERS_FILE")
end
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"

local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
end

local orgs, users = {}, {}
local next_user, last_user
function init(args)
  for id in io.lines(orgs_file) do if #id > 0 then orgs[#orgs + 1] = id end end
  for id in io.lines(users_file) do if #id > 0 then users[#users + 1] = id end end
  local slice = math.floor(#users / threads)
  local t = (thread_number or 1) - 1
  next_user, last_user = t * slice + 1, (t + 1) * slice
  math.randomseed(os.time() * 100 + t)
end

function request()
  if next_user > last_user then
    error("out of seeded users: seed more (BENCH_USERS)")
  end
  local user = users[next_user]
  next_user = next_user + 1
  local org = orgs[math.random(#orgs)]
  return wrk.format(nil, "/v1/organizations/" .. org .. "/members",
    nil, '{"user_id":"' .. user .. '","role":"member"}')
end
