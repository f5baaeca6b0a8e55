-- Shared wrk reporting for the Resee benchmarks (loaded by the other scripts, or used alone
-- with `wrk -s bench/report.lua` for a plain GET).
--
-- done() prints one machine-readable line that bench/auth.sh parses:
--   RESULT requests=N duration_s=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D errors=E status_errors=F socket_errors=G
-- status_errors is wrk's summary.errors.status (responses with a status >= 400, the ones wrk
-- lists as "Non-2xx or 3xx responses"); socket_errors adds up connect, read, write and timeout
-- errors; errors is the sum of both.

function done(summary, latency, requests)
   local e = summary.errors
   local socket = e.connect + e.read + e.write + e.timeout
   local secs = summary.duration / 1e6
   local rps = 0
   if secs > 0 then
      rps = summary.requests / secs
   end
   io.write(string.format(
      "RESULT requests=%d duration_s=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d status_errors=%d socket_errors=%d\n",
      summary.requests, secs, rps,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      e.status + socket, e.status, socket))
   io.flush()
end
