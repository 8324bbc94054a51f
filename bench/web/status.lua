-- bench/web/status.lua — a wrk script: signed-in requests to one or more paths, every answer's
-- status counted.
--
--   wrk ... -s bench/web/status.lua URL -- COOKIE PATH [PATH...]
--
-- COOKIE is the improve_session value; the paths are requested in turn by each connection.
-- At the end it prints one line per status ("status 200: 12345") and, when any answer was not
-- 2xx, a line "non-2xx: N" that the callers look for.  wrk runs one Lua state per thread, so
-- the counts are gathered from the threads in done().

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local cookie, paths, i
-- Global, not local: done() reads it from each thread with thread:get, which sees globals only.
counts = {}

function init(args)
  cookie = args[1]
  paths = {}
  for k = 2, #args do paths[#paths + 1] = args[k] end
  if #paths == 0 then paths[1] = "/" end
  i = 0
  counts = {}
end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Cookie"] = "improve_session=" .. cookie })
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total, bad = {}, 0
  for _, t in ipairs(threads) do
    -- Each thread's table comes back as a Lua table through thread:get.
    local c = t:get("counts")
    for s, n in pairs(c) do total[s] = (total[s] or 0) + n end
  end
  local keys = {}
  for s in pairs(total) do keys[#keys + 1] = s end
  table.sort(keys)
  for _, s in ipairs(keys) do
    io.write(string.format("status %d: %d\n", s, total[s]))
    if s < 200 or s > 299 then bad = bad + total[s] end
  end
  io.write(string.format("non-2xx: %d\n", bad))
  io.write(string.format("latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests %d, socket errors connect %d read %d write %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
