-- wrk: GET the first page of the queue (or of BENCH_PATH).
wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH") or "/api/v1/queue?limit=50"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

done = function(summary, latency, requests)
  io.write(string.format("requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
