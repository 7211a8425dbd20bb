-- wrk script: POST /v1/organizations, a new name on every request (thread, counter, nonce).
-- Environment: ROSTER_TOKEN (a bearer access token).

local token = os.getenv("ROSTER_TOKEN")
if not token then
  error("set ROSTER_TOKEN")
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

local counter = 0
local nonce
function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
  nonce = string.format("%x%x", os.time(), math.random(0, 0xffffff))
end

function request()
  counter = counter + 1
  local name = string.format("w%s-%d-%d", nonce, thread_number or 0, counter)
  return wrk.format(nil, nil, nil, '{"name":"' .. name .. '"}')
end
