-- GET /api/health/: the floor of the stack (routing, middleware, no auth, no database).
-- Usage: wrk -s bench/health.lua http://127.0.0.1:PORT/api/health/
local here = debug.getinfo(1, "S").source:match("^@(.*[/\\])") or "./"
dofile(here .. "report.lua")

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"
