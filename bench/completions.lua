-- POST /api/review/schedules/<id>/completions/ with {"result":"remembered"}: each request the
-- next schedule id of a list, so concurrent requests complete different cards. Completing a card
-- again (after the list wraps around) is allowed by the API.
-- Usage: wrk -s bench/completions.lua http://127.0.0.1:PORT/api/review/schedules/ -- <access-token> <ids-file>
-- (or BENCH_TOKEN / BENCH_IDS_FILE in the environment). The ids file holds one schedule id a line,
-- e.g. the ids of GET /api/review/schedules/today/ (bench/learning.sh writes it).
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
local next_id = 0

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN")
   local path = args[2] or os.getenv("BENCH_IDS_FILE")
   if token == nil or token == "" then
      error("completions.lua needs an access token: pass it after -- or set BENCH_TOKEN")
   end
   if path == nil or path == "" then
      error("completions.lua needs a file of schedule ids: pass it after the token or set BENCH_IDS_FILE")
   end
   local file = io.open(path, "r")
   if file == nil then
      error("completions.lua: cannot open " .. path)
   end
   local headers = {
      ["Content-Type"] = "application/json",
      ["Accept"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
   }
   for line in file:lines() do
      local id = line:match("^%s*(%d+)%s*$")
      if id then
         count = count + 1
         prepared[count] = wrk.format("POST", "/api/review/schedules/" .. id .. "/completions/", headers,
            '{"result":"remembered"}')
      end
   end
   file:close()
   if count == 0 then
      error("completions.lua: no schedule ids in " .. path)
   end
   -- Spread the threads over the list so they don't complete the same cards in lockstep.
   next_id = ((thread_index or 0) * 7919) % count
end

function request()
   next_id = next_id % count + 1
   return prepared[next_id]
end
