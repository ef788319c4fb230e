-- wrk script of bench/throughput.sh: POST /server/incoming_data as API clients do.
--
-- Each request takes the next token of TP_TOKENS (one app_secret_token a line; each thread
-- starts at its own offset and cycles), a CL-X-EVENT-ID unique in the run
-- (TP_PREFIX-<thread>-<counter>), Content-Type application/json and a JSON object body of exactly
-- TP_BODY bytes.
--
-- TP_RATE > 0 paces the load: each thread offers TP_RATE / threads requests per second on a
-- schedule of its own (wrk calls delay() before every request; the connection that asks takes
-- the next slot and waits for it). Slots missed while every connection of the thread waited for
-- an answer are sent as soon as connections are free, but at most 1 s of them: a server that
-- stalls gets a short burst, not an unbounded one; one that cannot keep up gets what the
-- connections can send (closed loop). TP_RATE = 0 (or unset) is closed-loop saturation.
--
-- Every status is counted per thread in response(); done() writes one JSON object to TP_OUT:
-- requests, duration, wrk's socket errors, latency percentiles (microseconds, over every
-- answer whatever its status: wrk does not time per status) and the count of each status.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } tp_timespec;
  int clock_gettime(int clk_id, tp_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local ts = ffi.new("tp_timespec")
local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local rate = tonumber(os.getenv("TP_RATE") or "0") or 0
local body_size = tonumber(os.getenv("TP_BODY") or "200")
local prefix = os.getenv("TP_PREFIX") or "tp"

-- ---------------------------------------------------------------- main state: setup and done
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local statuses = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for code, n in pairs(s) do
        statuses[code] = (statuses[code] or 0) + n
      end
    end
  end
  local parts = {}
  for code, n in pairs(statuses) do
    table.insert(parts, string.format('"%s": %d', tostring(code), n))
  end
  local e = summary.errors
  local json = string.format(
    '{"threads": %d, "requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "stdev": %.1f, "p50": %d, "p75": %d, "p90": %d, "p99": %d, "p999": %d}, ' ..
    '"statuses": {%s}, "rate": %s, "body": %d}',
    thread_count, summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max, latency.stdev,
    latency:percentile(50), latency:percentile(75), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9),
    table.concat(parts, ", "), tostring(rate), body_size)
  local out = os.getenv("TP_OUT")
  if out and out ~= "" then
    local f = assert(io.open(out, "w"))
    f:write(json, "\n")
    f:close()
  else
    io.write(json, "\n")
  end
end

-- ---------------------------------------------------------------- thread states
local tokens = {}
local next_token = 1
local counter = 0
local pad = ""
local next_slot = 0
local interval = 0
statuses = {}

function init(args)
  local path = os.getenv("TP_TOKENS")
  for line in io.lines(path) do
    if line ~= "" then
      table.insert(tokens, line)
    end
  end
  assert(#tokens > 0, "no tokens in " .. tostring(path))
  local threads_total = tonumber(os.getenv("TP_THREADS") or "2")
  next_token = math.floor((tid - 1) * #tokens / threads_total) % #tokens + 1
  pad = string.rep("x", body_size + 64)
  if rate > 0 then
    interval = 1000.0 * threads_total / rate
  end
end

function request()
  counter = counter + 1
  local token = tokens[next_token]
  next_token = next_token % #tokens + 1
  local id = prefix .. "-" .. tid .. "-" .. counter
  -- {"id":"<id>","pad":"xxx..."}: 18 bytes of frame around id and pad
  local fill = body_size - 18 - #id
  if fill < 0 then fill = 0 end
  local body = '{"id":"' .. id .. '","pad":"' .. pad:sub(1, fill) .. '"}'
  return wrk.format("POST", "/server/incoming_data", {
    ["CL-X-TOKEN"] = token,
    ["CL-X-EVENT-ID"] = id,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

if rate > 0 then
  function delay()
    local now = now_ms()
    if next_slot == 0 then
      next_slot = now -- the first request of the thread
    elseif next_slot < now - 1000 then
      next_slot = now - 1000
    end
    local wait = next_slot - now
    next_slot = next_slot + interval
    if wait < 0 then
      return 0
    end
    return math.floor(wait)
  end
end
