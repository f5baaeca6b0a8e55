-- POST /api/auth/token/: password login, each request for the next seeded user, so every
-- request pays a real password verification for a different account.
-- Usage: wrk -s bench/login.lua http://127.0.0.1:PORT/api/auth/token/ -- <user-count>
-- (the count may instead come from BENCH_USERS; default 200).
-- Users are the ones bench/auth.sh seeds: bench-user-<i>@example.com / Bench-pass-<i>-xyz.
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
dofile(here .. "report.lua")

-- setup() runs in the main Lua state once per wrk thread, before that thread's init().
local threads = 0
function setup(thread)
   thread:set("thread_index", threads)
   threads = threads + 1
end

local prepared = {}
local count = 0
local next_user = 0

function init(args)
   count = tonumber(args[1] or os.getenv("BENCH_USERS") or "200")
   if count == nil or count < 1 then
      error("login.lua: the user count must be a positive number")
   end
   local headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
   }
   for i = 1, count do
      local body = string.format(
         '{"email":"bench-user-%d@example.com","password":"Bench-pass-%d-xyz"}', i, i)
      -- nil path: the path of the URL given to wrk.
      prepared[i] = wrk.format("POST", nil, headers, body)
   end
   -- Spread the threads over the user list so they don't walk it in lockstep.
   next_user = ((thread_index or 0) * 7919) % count
end

function request()
   next_user = next_user % count + 1
   return prepared[next_user]
end
