-- wrk script for POST /export under load: alternates Parquet and CSV exports of one dataset,
-- tallies the answers by status, checks that every 429 carries Retry-After, and keeps the
-- export_id of every finished export so the test can check each one afterwards.
-- Environment: SCOUT_KEY (a key that may export), SCOUT_BODY_DATASET, SCOUT_BODY_START.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  ids = {}
  missing_retry_after = 0
  sent = 0
  local key = os.getenv("SCOUT_KEY")
  local dataset = os.getenv("SCOUT_BODY_DATASET")
  local start = os.getenv("SCOUT_BODY_START")
  bodies = {}
  for _, format in ipairs({ "parquet", "csv" }) do
    table.insert(bodies, string.format(
      '{"dataset":"%s","format":"%s","date_range":{"start":"%s"}}', dataset, format, start))
  end
  headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
end

function request()
  sent = sent + 1
  return wrk.format("POST", wrk.path, headers, bodies[sent % #bodies + 1])
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 then
    local id = body:match('"export_id"%s*:%s*"([0-9a-f%-]+)"')
    if id then table.insert(ids, id) end
  elseif status == 429 and hdrs["Retry-After"] == nil then
    missing_retry_after = missing_retry_after + 1
  end
end

function done(summary, latency, requests)
  local tally, all_ids, no_retry = {}, {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do tally[status] = (tally[status] or 0) + n end
    for _, id in ipairs(thread:get("ids")) do table.insert(all_ids, '"' .. id .. '"') end
    no_retry = no_retry + thread:get("missing_retry_after")
  end
  local parts = {}
  for status, n in pairs(tally) do table.insert(parts, string.format('"%d":%d', status, n)) end
  io.write(string.format('WRK_RESULT {"statuses":{%s},"missing_retry_after":%d,"ids":[%s]}\n',
    table.concat(parts, ","), no_retry, table.concat(all_ids, ",")))
end
