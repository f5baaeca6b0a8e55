-- Authenticated GET /api/accounts/profile/: JWT verification plus the profile read.
-- Usage: wrk -s bench/profile.lua http://127.0.0.1:PORT/api/accounts/profile/ -- <access-token>
-- (the token may instead come from the BENCH_TOKEN environment variable).
-- Works for any authenticated GET: bench/learning.sh uses it for /api/contents/ and /api/review/*.
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
dofile(here .. "report.lua")

function init(args)
   local token = args[1] or os.getenv("BENCH_TOKEN")
   if token == nil or token == "" then
      error("profile.lua needs an access token: pass it after -- or set BENCH_TOKEN")
   end
   wrk.method = "GET"
   wrk.headers["Accept"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. token
end
